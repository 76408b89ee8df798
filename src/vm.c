/* vm.c - the machine: creation, processes (spawn, fork, exit), and the
 * address-space system calls (mmap, munmap, brk). */
#include "internal.h"
#include "heap.h"
#include "pagetable.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vm_config_default(struct vm_config *cfg)
{
	cfg->frames = 32;
	cfg->swap_slots = 64;
	cfg->policy = POLICY_CLOCK;
	cfg->page_size = 4096;
	cfg->arch = ARCH_X86_64;
	cfg->tlb_entries = 0;
	cfg->overcommit = 0;
	cfg->disk = DISK_SSD;
}

/* 2048 frames are 8 MiB of RAM, 128 frames of them the kernel's. Measured
 * with `p = malloc(N); touch p` (tests/test_session.c checks it): 1M and
 * up to 7M touch without a swap-out, 7680K swaps 4 pages out, 8M 132. Swap
 * is half the RAM: 11M still fits (900 pages swapped out), 12M is an OOM
 * kill. */
void vm_config_repl(struct vm_config *cfg)
{
	vm_config_default(cfg);
	cfg->frames = VM_REPL_FRAMES;
	cfg->swap_slots = VM_REPL_SWAP;
}

struct vm *vm_new(const struct vm_config *cfg, char *err, size_t errlen)
{
	struct vm *vm = calloc(1, sizeof *vm);
	if (!vm) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	vm->cfg = *cfg;
	if (!arch_init(&vm->arch, cfg->arch, cfg->page_size)) {
		snprintf(err, errlen, "page size %" PRIu64 " is not a power of two from 4096 to 65536",
			 cfg->page_size);
		free(vm);
		return NULL;
	}
	if (cfg->frames < 4 || cfg->frames > VM_MAX_FRAMES) {
		snprintf(err, errlen, "frames must be from 4 to %u, not %u", VM_MAX_FRAMES, cfg->frames);
		free(vm);
		return NULL;
	}
	if (cfg->swap_slots > (1u << 24)) {
		snprintf(err, errlen, "swap must be at most 16777216 slots, not %u", cfg->swap_slots);
		free(vm);
		return NULL;
	}
	if (cfg->tlb_entries > 4096) {
		snprintf(err, errlen, "tlb must be at most 4096 entries, not %u", cfg->tlb_entries);
		free(vm);
		return NULL;
	}
	vm->nframes = cfg->frames;
	/* A sixteenth of memory for the kernel, at least the kernel image and
	 * the shared zero page. */
	vm->kernel_frames = cfg->frames / 16 < 2 ? 2 : cfg->frames / 16;
	vm->zero_pfn = 1;
	vm->policy = policy_new(cfg->policy, vm->nframes);
	if (frames_init(vm) < 0 || !vm->policy || swap_init(&vm->swap, cfg->swap_slots) ||
	    event_log_init(&vm->log) || vm_set_tlb(vm, cfg->tlb_entries)) {
		snprintf(err, errlen, "out of memory for %u frames", cfg->frames);
		vm_free(vm);
		return NULL;
	}
	vm->policy->on_clear = reclaim_clear_accessed;
	vm->policy->on_clear_ctx = vm;
	vm->policy->hand = vm->policy->base = vm->kernel_frames; /* the kernel's frames never move */
	vm->pinned = NO_FRAME;
	vm->clock.disk = cfg->disk;
	vm->next_pid = 100;
	vm->overcommit_ratio = 50;
	vm->overcommit = cfg->overcommit >= 0 && cfg->overcommit <= 2 ? cfg->overcommit : 0;
	files_init(vm);
	return vm;
}

void vm_free(struct vm *vm)
{
	if (!vm)
		return;
	while (vm->nprocs)
		vm_kill(vm, vm->procs[vm->nprocs - 1]->pid, "exited");
	files_destroy(vm);
	swap_destroy(&vm->swap);
	policy_free(vm->policy);
	event_log_free(&vm->log);
	free(vm->tlb.e);
	frames_destroy(vm);
	if (vm->host) {
		free(vm->host->pfn);
		free(vm->host->kcount);
		free(vm->host->kflags);
		free(vm->host->swap_entry);
		free(vm->host);
	}
	free(vm);
}

struct proc *vm_proc(const struct vm *vm, int pid)
{
	for (int i = 0; i < vm->nprocs; i++)
		if (vm->procs[i]->pid == pid)
			return vm->procs[i];
	return NULL;
}

uint64_t vm_vsz(const struct vm *vm, const struct proc *p)
{
	uint64_t sum = 0;
	/* [vsyscall] is a gate page, not in the VMA tree: VmSize leaves it out. */
	for (size_t i = 0; i < p->nvmas; i++)
		if (p->vmas[i].start < vm->arch.user_top)
			sum += p->vmas[i].end - p->vmas[i].start;
	return sum;
}

void proc_note_hiwater_vm(const struct vm *vm, struct proc *p)
{
	uint64_t size = vm_vsz(vm, p);
	if (size > p->hiwater_vm)
		p->hiwater_vm = size;
}

uint64_t vm_rss(const struct vm *vm, const struct proc *p)
{
	return p->rss * vm->arch.page_size;
}

static struct proc *proc_alloc(struct vm *vm, const char *name)
{
	if (vm->nprocs == VM_MAX_PROCS) {
		snprintf(vm->err, sizeof vm->err, "too many processes (at most %d)", VM_MAX_PROCS);
		return NULL;
	}
	struct proc *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "out of memory");
		return NULL;
	}
	p->pid = vm->next_pid++;
	snprintf(p->name, sizeof p->name, "%s", name);
	vm->procs[vm->nprocs++] = p;
	return p;
}

static void proc_unlink(struct vm *vm, const struct proc *p)
{
	for (int i = 0; i < vm->nprocs; i++) {
		if (vm->procs[i] == p) {
			memmove(&vm->procs[i], &vm->procs[i + 1], (size_t)(vm->nprocs - i - 1) * sizeof *vm->procs);
			vm->nprocs--;
			return;
		}
	}
}

int vm_spawn(struct vm *vm, const char *name)
{
	if (!name[0] || strlen(name) > 15 || strchr(name, '/')) {
		snprintf(vm->err, sizeof vm->err, "bad program name '%s' (1 to 15 characters, no '/')", name);
		return -1;
	}
	struct proc *p = proc_alloc(vm, name);
	if (!p)
		return -1;
	if (layout_build(vm, p) < 0) {
		char why[sizeof vm->err];
		snprintf(why, sizeof why, "%s", vm->err);
		proc_unlink(vm, p);
		free(p->vmas);
		free(p);
		vm->next_pid--;
		snprintf(vm->err, sizeof vm->err, "%s", why);
		return -1;
	}
	int pid = p->pid;
	struct event *ev = event_push(&vm->log, EV_PROC_NEW, pid);
	snprintf(ev->text, sizeof ev->text, "%s", name);
	if (!vm->cur)
		vm->cur = pid;
	layout_startup_touch(vm, p);
	return pid;
}

/* Copies p's page table into c: present pages are shared, private writable
 * ones read-only in both (copy-on-write), swap entries gain a reference. */
struct fork_ctx {
	struct vm *vm;
	struct proc *parent, *child;
	int failed;
};

static void fork_pte(void *arg, vaddr_t va, pte_t pte)
{
	struct fork_ctx *c = arg;
	struct vm *vm = c->vm;
	const struct vma *v = vm_find_vma(c->parent, va);
	pte_t *slot = pt_ensure(vm, c->child, va);
	if (!slot) {
		c->failed = 1;
		return;
	}
	if (PTE_SWAPPED(pte)) {
		vm->swap.count[PTE_NUM(pte)]++;
		c->child->swapents++;
	} else if (PTE_PRESENT(pte)) {
		uint32_t pfn = (uint32_t)PTE_NUM(pte);
		if (pfn != vm->zero_pfn) {
			rmap_add(vm, pfn, c->child->pid, VPN(&vm->arch, va));
			c->child->rss++;
		}
		if (v && !(v->flags & VMA_SHARED) && (pte & PTE_W)) {
			pte &= ~PTE_W;
			pt_store(vm, c->parent, va, pte);
			tlb_flush_page(vm, c->parent->pid, VPN(&vm->arch, va));
		}
		/* copy_present_pte: the child's PTE starts old, so its smaps
		 * Referenced counts only what the child itself touches. */
		pte &= ~PTE_A;
	}
	pt_store(vm, c->child, va, pte);
}

int vm_fork(struct vm *vm, int pid)
{
	struct proc *parent = vm_proc(vm, pid);
	if (!parent) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	/* dup_mmap charges the child's copy of each private writable VMA. */
	uint64_t charge = 0;
	for (size_t i = 0; i < parent->nvmas; i++) {
		uint64_t len = parent->vmas[i].end - parent->vmas[i].start;
		if (!(parent->vmas[i].flags & VMA_ACCOUNT))
			continue;
		if (vm->overcommit == 0 && vm_enough_memory(vm, parent, len, "fork") < 0)
			return -1;
		charge += len;
	}
	if (vm->overcommit == 2 && vm_enough_memory(vm, parent, charge, "fork") < 0)
		return -1;
	struct proc *c = proc_alloc(vm, parent->name);
	if (!c)
		return -1;
	c->ppid = pid;
	c->vmas = malloc(parent->cap * sizeof *c->vmas);
	if (!c->vmas || heap_copy(&c->heap, &parent->heap) < 0) {
		proc_unlink(vm, c);
		free(c->vmas);
		free(c);
		snprintf(vm->err, sizeof vm->err, "out of memory");
		return -1;
	}
	memcpy(c->vmas, parent->vmas, parent->nvmas * sizeof *c->vmas);
	c->nvmas = parent->nvmas;
	/* The child's VMAs get anon_vmas of their own (anon_vma_fork). */
	for (size_t i = 0; i < c->nvmas; i++)
		if (c->vmas[i].anon)
			c->vmas[i].anon = ++vm->next_anon;
	c->cap = parent->cap;
	c->start_brk = parent->start_brk;
	c->brk = parent->brk;
	c->mmap_base = parent->mmap_base;
	c->sp = parent->sp;
	if (parent->ncalls) {
		c->calls = malloc(parent->calls_cap * sizeof *c->calls);
		if (!c->calls) {
			/* Nothing of the child is mapped yet: undo it whole. */
			proc_unlink(vm, c);
			heap_destroy(&c->heap);
			free(c->vmas);
			free(c);
			snprintf(vm->err, sizeof vm->err, "out of memory");
			return -1;
		}
		memcpy(c->calls, parent->calls, parent->ncalls * sizeof *c->calls);
		c->ncalls = parent->ncalls;
		c->calls_cap = parent->calls_cap;
	}
	struct fork_ctx ctx = {vm, parent, c, 0};
	pt_foreach(vm, parent, fork_pte, &ctx);
	struct event *ev = event_push(&vm->log, EV_FORK, pid);
	ev->a = (uint64_t)c->pid;
	return c->pid;
}

/* The last process to map a page of shared anonymous memory hands it to
 * another that still maps the region, so the page outlives it, as Linux's
 * shmem keeps it. */
static void shm_hand_over(struct vm *vm, const struct proc *p, const struct vma *v, vaddr_t va, pte_t pte)
{
	bool present = PTE_PRESENT(pte);
	uint64_t num = PTE_NUM(pte);
	if (present ? num == vm->zero_pfn || vm->frames[num].mapcount != 1 : vm->swap.count[num] != 1)
		return;
	uint64_t off = v->file_off + (PAGE_DOWN(&vm->arch, va) - v->start);
	for (int k = 0; k < vm->nprocs; k++) {
		struct proc *q = vm->procs[k];
		for (size_t i = 0; q != p && i < q->nvmas; i++) {
			const struct vma *w = &q->vmas[i];
			if (!shm_maps(w, v->shm, off))
				continue;
			vaddr_t qva = w->start + (off - w->file_off);
			pte_t *e = pt_ensure(vm, q, qva);
			if (!e || *e)
				return; /* q refers to it already (its slot, in the swap cache) */
			if (present) {
				rmap_add(vm, (uint32_t)num, q->pid, VPN(&vm->arch, qva));
				q->rss++;
				struct event *ev = event_push(&vm->log, EV_PTE_SET, q->pid);
				ev->va = qva;
				ev->pfn = num;
				ev->a = pte;
				ev->why = "shared memory passed on";
			} else {
				vm->swap.count[num]++;
				q->swapents++;
			}
			pt_store(vm, q, qva, pte);
			return;
		}
	}
}

void unmap_page(struct vm *vm, struct proc *p, vaddr_t va)
{
	pte_t *slot = pt_lookup(vm, p, va);
	if (!slot || !*slot)
		return;
	pte_t pte = *slot;
	/* Only once shared memory exists: exits unmap every page. */
	const struct vma *v = vm->next_shm ? vm_find_vma(p, va) : NULL;
	if (v && v->shm)
		shm_hand_over(vm, p, v, va, pte);
	uint64_t vpn = VPN(&vm->arch, va);
	struct event *ev = event_push(&vm->log, EV_PTE_CLEAR, p->pid);
	ev->va = va;
	pt_store(vm, p, va, 0);
	tlb_flush_page(vm, p->pid, vpn);
	if (PTE_PRESENT(pte)) {
		uint32_t pfn = (uint32_t)PTE_NUM(pte);
		if (pfn != vm->zero_pfn) {
			rmap_del(vm, pfn, p->pid, vpn);
			proc_note_hiwater_rss(p);
			p->rss--;
			frame_unmapped(vm, pfn);
		}
	} else if (PTE_SWAPPED(pte)) {
		p->swapents--;
		swap_put(vm, (uint32_t)PTE_NUM(pte));
	}
}

int vm_kill(struct vm *vm, int pid, const char *why)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	vma_remove_range(vm, p, 0, UINT64_MAX);
	pt_destroy(vm, p);
	tlb_flush_pid(vm, pid);
	heap_destroy(&p->heap);
	struct event *ev = event_push(&vm->log, EV_PROC_EXIT, pid);
	ev->why = why;
	proc_unlink(vm, p);
	free(p->vmas);
	free(p->calls);
	free(p);
	if (vm->cur == pid)
		vm->cur = vm->nprocs ? vm->procs[0]->pid : 0;
	if (vm->last.pid == pid)
		vm->last.valid = false;
	return 0;
}

int vm_switch(struct vm *vm, int pid)
{
	if (!vm_proc(vm, pid)) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	vm->cur = pid;
	event_push(&vm->log, EV_PROC_SWITCH, pid);
	return 0;
}

/* mmap(2) without MAP_FIXED: anonymous (file < 0) or of a file from its
 * start, placed where the kernel's top-down search puts it. */
static vaddr_t map_new(struct vm *vm, int pid, uint64_t len, unsigned prot, unsigned flags, int file,
		       const char *name)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return 0;
	}
	if (len == 0) {
		snprintf(vm->err, sizeof vm->err, "mmap: length must be greater than 0");
		return 0;
	}
	len = PAGE_UP(&vm->arch, len);
	if (file < 0)
		flags |= VMA_ANON;
	vaddr_t start = vma_get_unmapped_area(vm, p, len, flags);
	if (!start) {
		snprintf(vm->err, sizeof vm->err, "mmap: cannot allocate memory (ENOMEM): no room for %" PRIu64
			 " KiB in the address space", len >> 10);
		return 0;
	}
	/* Private writable memory is charged to Committed_AS (VM_ACCOUNT), a
	 * file's too (its pages become anonymous when written); shared
	 * anonymous memory is charged by its shmem object. */
	bool account = file < 0 ? vma_accountable(prot, flags) : !(flags & VMA_SHARED) && (prot & PROT_W);
	bool shm = file < 0 && (flags & VMA_SHARED);
	if ((account || shm) && vm_enough_memory(vm, p, len, "mmap") < 0)
		return 0;
	struct vma v = {.start = start, .end = start + len, .prot = prot, .flags = flags, .file = file,
			.anon_off = start};
	if (account)
		v.flags |= VMA_ACCOUNT;
	if (shm)
		v.shm = ++vm->next_shm;
	/* Shared anonymous memory is a shmem file, shown as Linux names it. */
	snprintf(v.name, sizeof v.name, "%s", name && name[0] ? name : v.shm ? "/dev/zero (deleted)" : "");
	struct vma *in = vma_insert(p, &v);
	if (!in) {
		snprintf(vm->err, sizeof vm->err, "out of memory");
		return 0;
	}
	const struct vma *merged = vma_merge_at(p, in);
	struct event *ev = event_push(&vm->log, EV_MMAP, pid);
	ev->va = start;
	ev->a = len;
	/* Merged with a neighbour: say into which VMA. */
	if (merged->start != start || merged->end != start + len) {
		ev->b = merged->start;
		ev->c = merged->end;
	}
	return start;
}

vaddr_t vm_mmap(struct vm *vm, int pid, uint64_t len, unsigned prot, unsigned flags, const char *name)
{
	return map_new(vm, pid, len, prot, flags, -1, name);
}

vaddr_t vm_mmap_file(struct vm *vm, int pid, uint64_t len, unsigned prot, unsigned flags, const char *path)
{
	if (!path || !path[0]) {
		snprintf(vm->err, sizeof vm->err, "mmap: the file name is empty");
		return 0;
	}
	if (len == 0 || len > (1ull << 40)) {
		snprintf(vm->err, sizeof vm->err, "mmap: length must be greater than 0");
		return 0;
	}
	if ((flags & VMA_SHARED) && (prot & PROT_W)) {
		snprintf(vm->err, sizeof vm->err, "mmap: vmviz does not model a shared writable file mapping (its "
			 "writes go back to the file): map it private, or read-only");
		return 0;
	}
	/* The file is at least as long as what is mapped of it. */
	uint64_t pages = PAGE_UP(&vm->arch, len) / vm->arch.page_size;
	if (pages > UINT32_MAX) {
		snprintf(vm->err, sizeof vm->err, "mmap: %" PRIu64 " bytes is too long for a file", len);
		return 0;
	}
	int nfiles = vm->nfiles;
	int file = file_lookup(vm, path, (uint32_t)pages);
	if (file < 0) {
		snprintf(vm->err, sizeof vm->err, "mmap: too many different files (at most %d)", FILE_MAX);
		return 0;
	}
	vaddr_t at = map_new(vm, pid, len, prot, flags & VMA_SHARED, file, path);
	if (!at && vm->nfiles > nfiles)
		files_forget_last(vm); /* a failed mmap leaves no trace */
	return at;
}

int vm_munmap(struct vm *vm, int pid, vaddr_t addr, uint64_t len)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	if (PAGE_OFF(&vm->arch, addr) || len == 0) {
		snprintf(vm->err, sizeof vm->err, "munmap: 0x%" PRIx64 " is not page aligned or length is 0", addr);
		return -1;
	}
	len = PAGE_UP(&vm->arch, len);
	bool any = false;
	for (size_t i = 0; i < p->nvmas; i++)
		if (p->vmas[i].start < addr + len && p->vmas[i].end > addr)
			any = true;
	if (!any) {
		snprintf(vm->err, sizeof vm->err, "munmap: nothing is mapped at 0x%" PRIx64, addr);
		return -1;
	}
	if (vma_remove_range(vm, p, addr, addr + len) < 0) {
		snprintf(vm->err, sizeof vm->err, "out of memory");
		return -1;
	}
	struct event *ev = event_push(&vm->log, EV_MUNMAP, pid);
	ev->va = addr;
	ev->a = len;
	return 0;
}

/* The heap VMA that ends at end (a munmap may have split the heap). */
static struct vma *heap_vma_ending_at(struct proc *p, vaddr_t end)
{
	for (size_t i = 0; i < p->nvmas; i++)
		if ((p->vmas[i].flags & VMA_HEAP) && p->vmas[i].end == end)
			return &p->vmas[i];
	return NULL;
}

int vm_brk(struct vm *vm, int pid, vaddr_t new_brk)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	if (new_brk < p->start_brk) {
		snprintf(vm->err, sizeof vm->err, "brk: 0x%" PRIx64 " is below the start of the heap", new_brk);
		return -1;
	}
	vaddr_t old_end = PAGE_UP(&vm->arch, p->brk), new_end = PAGE_UP(&vm->arch, new_brk);
	if (new_end > old_end) {
		for (size_t i = 0; i < p->nvmas; i++) {
			if (p->vmas[i].start < new_end && p->vmas[i].end > old_end) {
				snprintf(vm->err, sizeof vm->err, "brk: the heap would run into %s", p->vmas[i].name);
				return -1;
			}
		}
		if (vm_enough_memory(vm, p, new_end - old_end, "brk") < 0)
			return -1;
		struct vma *h = heap_vma_ending_at(p, old_end);
		if (h) {
			h->end = new_end;
		} else {
			struct vma v = {.start = old_end, .end = new_end, .prot = PROT_R | PROT_W,
					.flags = VMA_ANON | VMA_HEAP | VMA_ACCOUNT, .file = -1, .anon_off = old_end,
					.name = "[heap]"};
			if (!vma_insert(p, &v)) {
				snprintf(vm->err, sizeof vm->err, "out of memory");
				return -1;
			}
		}
	} else if (new_end < old_end) {
		vma_remove_range(vm, p, new_end, old_end);
	}
	struct event *ev = event_push(&vm->log, EV_BRK, pid);
	ev->a = p->brk;
	ev->b = new_brk;
	p->brk = new_brk;
	return 0;
}

int vm_set_policy(struct vm *vm, enum policy_kind kind)
{
	struct policy *np = policy_new(kind, vm->nframes);
	if (!np) {
		snprintf(vm->err, sizeof vm->err, "out of memory");
		return -1;
	}
	/* Resident pages enter the new policy in frame order. */
	for (uint32_t f = vm->kernel_frames; f < vm->nframes; f++)
		if (vm->frames[f].kind == FRAME_ANON || vm->frames[f].kind == FRAME_FILE)
			policy_loaded(np, f);
	np->on_clear = reclaim_clear_accessed;
	np->on_clear_ctx = vm;
	np->hand = np->base = vm->kernel_frames;
	policy_free(vm->policy);
	vm->policy = np;
	vm->cfg.policy = kind;
	struct event *ev = event_push(&vm->log, EV_POLICY, 0);
	snprintf(ev->text, sizeof ev->text, "policy is now %s", policy_name(kind));
	return 0;
}

struct pt_visit {
	const struct vm *vm;
	void (*fn)(void *ctx, uint64_t vpn, pte_t pte);
	void *ctx;
};

static void visit_vpn(void *arg, vaddr_t va, pte_t pte)
{
	struct pt_visit *v = arg;
	v->fn(v->ctx, VPN(&v->vm->arch, va), pte);
}

void vm_pt_foreach(const struct vm *vm, int pid, void (*fn)(void *ctx, uint64_t vpn, pte_t pte), void *ctx)
{
	const struct proc *p = vm_proc(vm, pid);
	if (!p)
		return;
	struct pt_visit v = {vm, fn, ctx};
	pt_foreach(vm, p, visit_vpn, &v);
}

pte_t vm_pte(const struct vm *vm, int pid, vaddr_t va)
{
	const struct proc *p = vm_proc(vm, pid);
	const pte_t *slot = p ? pt_lookup(vm, p, va) : NULL;
	return slot ? *slot : 0;
}

const char *frame_kind_name(enum frame_kind kind)
{
	static const char *const names[] = {"free", "kernel", "zero", "anon", "file"};
	return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "?";
}

const char *fault_kind_name(enum fault_kind kind)
{
	static const char *const names[] = {"none", "minor", "major", "segv", "oom"};
	return (unsigned)kind < sizeof names / sizeof *names ? names[kind] : "?";
}
