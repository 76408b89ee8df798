/* fault.c - a memory access as the MMU and the page-fault handler see it.
 *
 * 1. Kernel address from user mode -> SIGSEGV.
 * 2. TLB (if any), else walk the page table.
 * 3. Present and permitted -> hit: set Accessed (and Dirty on a write).
 * 4. Present, write to a read-only PTE in a writable VMA -> copy-on-write.
 * 5. Not present: find the VMA (or grow the stack); none or not permitted
 *    -> SIGSEGV. Swap entry -> swap-in (major). Anonymous -> zero page on a
 *    read, a zeroed frame on a write (minor). File -> page cache (minor) or
 *    read from disk (major); a write to a private file page copies it.
 */
#include "heap.h"
#include "internal.h"
#include "pagetable.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define STACK_LIMIT (8ull << 20)      /* RLIMIT_STACK's default */
#define STACK_GUARD_PAGES 256u        /* stack_guard_gap */

static void fill_walk(const struct vm *vm, const struct proc *p, vaddr_t va, struct walk *w)
{
	memset(w, 0, sizeof *w);
	w->pid = p ? p->pid : 0;
	w->va = va;
	w->pfn = -1;
	w->slot = -1;
	w->valid = true;
	if (!p || va >= vm->arch.user_top)
		return;
	const struct ptable *t = p->root;
	for (unsigned d = 0; d < vm->arch.levels && t; d++) {
		unsigned i = arch_index(&vm->arch, d, va);
		w->index[d] = i;
		w->table[d] = t->id;
		w->entry[d] = t->entry[i];
		w->levels = d + 1;
		t = d + 1 < vm->arch.levels ? t->child[i] : NULL;
	}
	if (w->levels == vm->arch.levels) {
		pte_t pte = w->entry[w->levels - 1];
		if (PTE_PRESENT(pte)) {
			w->present = true;
			w->pfn = (int64_t)PTE_NUM(pte);
			w->paddr = ((uint64_t)w->pfn << vm->arch.page_shift) | PAGE_OFF(&vm->arch, va);
		} else if (PTE_SWAPPED(pte)) {
			w->slot = (int64_t)PTE_NUM(pte);
		}
	}
}

void vm_translate(const struct vm *vm, int pid, vaddr_t va, struct walk *out)
{
	fill_walk(vm, vm_proc(vm, pid), va, out);
}

/* "0x...-0x... rw-p [heap]": a VMA as the reasons name it. */
static const char *vma_text(const struct vma *v, char *buf, size_t size)
{
	char perms[5];
	vma_perms(v, perms);
	snprintf(buf, size, "0x%" PRIx64 "-0x%" PRIx64 " %s%s%s", v->start, v->end, perms, v->name[0] ? " " : "",
		 v->name);
	return buf;
}

/* Why the kernel sends SIGSEGV for va: what the VMAs around it say. */
static void segv_reason(struct vm *vm, struct proc *p, struct event *ev, vaddr_t va, const char *why)
{
	char vt[120];
	const struct vma *v = vm_find_vma(p, va);
	if (va >= vm->arch.user_top) {
		event_because(&vm->log, ev, "0x%" PRIx64 " is at or above 0x%" PRIx64 ", the end of user space: user mode may not touch it",
			      "0x%" PRIx64 " 不低于用户空间的上界 0x%" PRIx64 "：用户态不能访问", va, vm->arch.user_top);
	} else if (v && strcmp(why, "write to read-only page") == 0) {
		event_because(&vm->log, ev, "the VMA %s has no w permission: the write is refused",
			      "VMA %s 没有 w 权限：不允许写", vma_text(v, vt, sizeof vt));
	} else if (v) {
		event_because(&vm->log, ev, "the VMA %s does not permit this access (%s)", "VMA %s 不允许这样访问（%s）",
			      vma_text(v, vt, sizeof vt), why);
	} else if (strncmp(why, "stack overflow", 14) == 0) {
		event_because(&vm->log, ev, "0x%" PRIx64 " is below the stack and the stack may not grow there (%s)",
			      "0x%" PRIx64 " 在栈下方，栈不能长到那里（%s）", va, why);
	} else {
		vaddr_t below = 0, above = vm->arch.user_top;
		for (size_t i = 0; i < p->nvmas; i++) {
			if (p->vmas[i].end <= va)
				below = p->vmas[i].end;
			else if (p->vmas[i].start > va && p->vmas[i].start < above)
				above = p->vmas[i].start;
		}
		event_because(&vm->log, ev,
			      "no VMA contains 0x%" PRIx64 ": it lies in the hole 0x%" PRIx64 "-0x%" PRIx64
			      " between mappings, so the page table has nothing to offer",
			      "没有 VMA 包含 0x%" PRIx64 "：它落在映射之间的空洞 0x%" PRIx64 "-0x%" PRIx64 " 里",
			      va, below, above);
	}
}

static enum fault_kind segv(struct vm *vm, struct proc *p, vaddr_t va, const char *why)
{
	int pid = p->pid;
	struct event *ev = event_push(&vm->log, EV_SEGV, pid);
	ev->va = va;
	ev->why = why;
	segv_reason(vm, p, ev, va, why);
	snprintf(vm->err, sizeof vm->err, "SIGSEGV: pid %d, %s at 0x%" PRIx64, pid, why, va);
	/* The walk the MMU made before the kernel gave up: the process and
	 * its page table are gone afterwards. */
	struct walk w;
	fill_walk(vm, p, va, &w);
	vm_kill(vm, pid, "killed by SIGSEGV");
	vm->last = w;
	return FAULT_SEGV;
}

static enum fault_kind oom(struct vm *vm, int pid, vaddr_t va)
{
	snprintf(vm->err, sizeof vm->err, "out of memory: pid %d was killed while touching 0x%" PRIx64, pid, va);
	return FAULT_OOM;
}

static pte_t pte_flags(const struct vma *v, bool writable)
{
	pte_t f = PTE_P | PTE_U | PTE_A;
	if (writable)
		f |= PTE_W;
	if (!(v->prot & PROT_X))
		f |= PTE_NX;
	return f;
}

/* A frame for a fault of *pp. Reclaim may OOM-kill on the way, the faulting
 * process too: *pp is looked up again (NULL if it died). NO_FRAME, with
 * vm->err set, when there is no frame or no process left. */
static uint32_t fault_frame(struct vm *vm, struct proc **pp, enum frame_kind kind, const char *why, vaddr_t va)
{
	int pid = (*pp)->pid;
	uint32_t f = frame_alloc(vm, pid, kind, why);
	*pp = vm_proc(vm, pid);
	if (*pp && f != NO_FRAME)
		return f;
	if (f != NO_FRAME)
		frame_release(vm, f);
	oom(vm, pid, va);
	return NO_FRAME;
}

/* Installs pfn at va for p (tables allocated as needed). */
static int map_frame(struct vm *vm, struct proc *p, vaddr_t va, uint32_t pfn, pte_t flags, const char *why)
{
	pte_t *slot = pt_ensure(vm, p, va);
	if (!slot)
		return -1;
	pt_store(vm, p, va, PTE_MAKE(pfn, flags));
	if (pfn != vm->zero_pfn) {
		rmap_add(vm, pfn, p->pid, VPN(&vm->arch, va));
		p->rss++;
	}
	struct event *ev = event_push(&vm->log, EV_PTE_SET, p->pid);
	ev->va = PAGE_DOWN(&vm->arch, va);
	ev->pfn = pfn;
	ev->a = PTE_MAKE(pfn, flags);
	ev->why = why;
	return 0;
}

/* The fault's event; the handler's time goes on the clock (a major
 * fault's disk read is charged where it happens). */
static struct event *fault_event(struct vm *vm, struct proc *p, vaddr_t va, bool major, const char *why)
{
	struct event *ev = event_push(&vm->log, major ? EV_FAULT_MAJOR : EV_FAULT_MINOR, p->pid);
	ev->va = va;
	ev->why = why;
	if (major)
		p->majflt++;
	else
		p->minflt++;
	clock_charge(&vm->clock, COST_FAULT, 0);
	return ev;
}

/* Charges a page read from disk; "~100 µs" in t. */
static const char *disk_read(struct vm *vm, char *t, size_t size)
{
	return clock_format(clock_charge(&vm->clock, COST_DISK_READ, 0), t, size);
}

/* The kernel's expand_stack: an access below the stack VMA, with nothing
 * mapped in between, grows the stack down to its page, unless the stack
 * would pass RLIMIT_STACK, come within stack_guard_gap of the mapping below
 * or not be committable. NULL, with *why set, if it may not. */
static const struct vma *grow_stack(struct vm *vm, struct proc *p, vaddr_t va, const char **why)
{
	size_t i = 0;
	while (i < p->nvmas && p->vmas[i].end <= va)
		i++;
	if (i == p->nvmas || !(p->vmas[i].flags & VMA_STACK) || va >= p->vmas[i].start)
		return NULL;
	struct vma *v = &p->vmas[i];
	vaddr_t start = PAGE_DOWN(&vm->arch, va);
	uint64_t guard = STACK_GUARD_PAGES * vm->arch.page_size;
	if (v->end - start > STACK_LIMIT) {
		*why = "stack overflow: past the 8 MiB stack limit";
		return NULL;
	}
	if (i > 0 && (start < p->vmas[i - 1].end || start - p->vmas[i - 1].end < guard)) {
		*why = "stack overflow: into the guard gap above a mapping";
		return NULL;
	}
	if (vm_enough_memory(vm, p, v->start - start, "stack") < 0) {
		*why = "stack overflow: cannot commit memory";
		return NULL;
	}
	v->anon_off -= v->start - start; /* vm_pgoff moves down with the start */
	v->start = start;
	struct event *ev = event_push(&vm->log, EV_STACK_GROW, p->pid);
	ev->va = v->start;
	return v;
}

/* counted is false when this copy finishes a fault already counted (a
 * first write to a private file page). */
static enum fault_kind cow_fault(struct vm *vm, struct proc *p, const struct vma *v, vaddr_t va, pte_t pte,
				 bool counted)
{
	int pid = p->pid;
	uint32_t old = (uint32_t)PTE_NUM(pte);
	uint64_t vpn = VPN(&vm->arch, va);
	if (!v->shm)
		vma_anon_prepare(vm, p, v);
	if (counted) {
		struct event *fe = fault_event(vm, p, va, false, old == vm->zero_pfn ? "demand zero" : "copy-on-write");
		if (old == vm->zero_pfn)
			event_because(&vm->log, fe,
				      "a write to a page mapped read-only to the shared zero page (frame %u): the "
				      "process gets a zeroed frame of its own",
				      "写一个只读映射到共享零页（物理页 %u）的页：进程得到一个自己的清零物理页", old);
		else
			event_because(&vm->log, fe,
				      "a write to a present page whose PTE is read-only, in a writable VMA: the page is "
				      "shared copy-on-write (frame %u, mapped %u time%s)",
				      "写一个在内存中、页表项只读、但 VMA 可写的页：它是写时复制共享的（物理页 %u，被映射 %u 次%.0s）",
				      old, vm->frames[old].mapcount, vm->frames[old].mapcount == 1 ? "" : "s");
	}
	if (old != vm->zero_pfn && vm->frames[old].kind == FRAME_ANON && vm->frames[old].mapcount == 1) {
		/* The other sharers are gone: this page is ours alone, reuse it.
		 * Its copy in swap (if any) stays for the PTEs that still hold it. */
		if (vm->frames[old].swap_slot >= 0)
			swap_uncache(vm, (uint32_t)vm->frames[old].swap_slot);
		pt_store(vm, p, va, pte | PTE_W);
		struct event *ev = event_push(&vm->log, EV_COW, pid);
		ev->va = PAGE_DOWN(&vm->arch, va);
		ev->pfn = old;
		ev->a = old;
		event_because(&vm->log, ev,
			      "frame %u's share count is 1: the processes it was shared with have let go, so no copy "
			      "is needed; its PTE just becomes writable",
			      "物理页 %u 的共享计数是 1：和它共享的进程都已放手，不用复制，页表项改为可写即可", old);
		return FAULT_MINOR;
	}
	reclaim_pin(vm, old);
	uint32_t nf = fault_frame(vm, &p, FRAME_ANON, old == vm->zero_pfn ? "anonymous page" : "private copy", va);
	reclaim_pin(vm, NO_FRAME);
	if (nf == NO_FRAME)
		return FAULT_OOM;
	if (old != vm->zero_pfn) {
		uint16_t shared = vm->frames[old].mapcount;
		frame_copy(vm, nf, old);
		struct event *ev = event_push(&vm->log, EV_COW, pid);
		ev->va = PAGE_DOWN(&vm->arch, va);
		ev->pfn = nf;
		ev->a = old;
		if (vm->frames[old].kind == FRAME_FILE)
			event_because(&vm->log, ev,
				      "frame %u is the file's page in the page cache (%u mapping%s): a private mapping "
				      "must not write into the file, so the writer gets copy %u",
				      "物理页 %u 是页缓存里的文件页（被映射 %u 次%.0s）：私有映射不能写回文件，写的一方得到副本 %u",
				      old, shared, shared == 1 ? "" : "s", nf);
		else
			event_because(&vm->log, ev,
				      "frame %u is mapped by %u PTEs (share count > 1): writing it in place would change "
				      "the others' memory, so the writer gets copy %u",
				      "物理页 %u 被 %u 个页表项映射（共享计数 > 1）：原地写会改掉别人的内存，所以写的一方得到副本 %u",
				      old, shared, nf);
		rmap_del(vm, old, pid, vpn);
		p->rss--;
		frame_unmapped(vm, old);
	}
	tlb_flush_page(vm, pid, vpn);
	if (map_frame(vm, p, va, nf, pte_flags(v, true) | PTE_D, NULL) < 0)
		return oom(vm, pid, va);
	return FAULT_MINOR;
}

static enum fault_kind swap_fault(struct vm *vm, struct proc *p, const struct vma *v, vaddr_t va, pte_t pte,
				  bool write)
{
	int pid = p->pid;
	uint32_t slot = (uint32_t)PTE_NUM(pte);
	int32_t cached = vm->swap.cache[slot];
	bool shared = v->flags & VMA_SHARED;
	uint32_t f;
	if (cached >= 0) {
		/* Another sharer already read it back: same frame, no I/O. */
		struct event *fe = fault_event(vm, p, va, false, "swap cache");
		event_because(&vm->log, fe,
			      "the PTE holds swap slot %u, but that page is still in frame %d (the swap cache: "
			      "another sharer read it back): map it, no disk I/O",
			      "页表项里是 swap 槽 %u，但这一页还在物理页 %d 中（swap 缓存：另一个共享者已经读回）：直接映射，不读磁盘",
			      slot, cached);
		f = (uint32_t)cached;
	} else {
		struct event *fe = fault_event(vm, p, va, true, "swap-in");
		struct reason_args *why = event_because_later(&vm->log, fe, RK_SWAP_MAJOR);
		if (why) {
			why->n[0] = slot;
			why->n[1] = vm->clock.disk;
		}
		f = fault_frame(vm, &p, FRAME_ANON, "swap-in", va);
		if (f == NO_FRAME)
			return FAULT_OOM;
		swap_load_frame(vm, slot, f);
		struct event *ev = event_push(&vm->log, EV_SWAP_IN, pid);
		ev->slot = slot;
		ev->pfn = f;
		ev->va = PAGE_DOWN(&vm->arch, va);
		uint64_t ns = clock_charge(&vm->clock, COST_DISK_READ, 0);
		why = event_because_later(&vm->log, ev, RK_SWAP_IN);
		if (why) {
			why->n[0] = slot;
			why->n[1] = f;
			why->n[2] = vm->clock.disk;
			why->n[3] = ns;
		}
		p->swapins++;
		vm->swapins++;
		/* The bytes stay in the slot too: the swap cache. */
		vm->swap.cache[slot] = (int32_t)f;
		vm->frames[f].swap_slot = (int32_t)slot;
	}
	p->swapents--;
	swap_put(vm, slot);
	/* A private page others still share (in swap, or mapped from the swap
	 * cache) stays read-only: a write copies it. */
	bool others = vm->swap.count[slot] > 0 || vm->frames[f].mapcount > 0;
	bool writable = (v->prot & PROT_W) && (shared || !others);
	if (map_frame(vm, p, va, f, pte_flags(v, writable), "from swap") < 0)
		return oom(vm, pid, va);
	if (write && writable && !shared && vm->swap.count[slot] == 0)
		swap_uncache(vm, slot); /* about to differ from its swap copy: free it */
	if (write && !writable) {
		enum fault_kind k = cow_fault(vm, p, v, va, vm_pte(vm, pid, va), false);
		if (k != FAULT_MINOR)
			return k;
	}
	return cached >= 0 ? FAULT_MINOR : FAULT_MAJOR;
}

static enum fault_kind file_fault(struct vm *vm, struct proc *p, const struct vma *v, vaddr_t va, bool write)
{
	int pid = p->pid;
	uint32_t page = (uint32_t)((v->file_off + (PAGE_DOWN(&vm->arch, va) - v->start)) >> vm->arch.page_shift);
	struct file *file = &vm->files[v->file];
	bool major = page >= file->pages || file->cache[page] < 0;
	struct event *fe = fault_event(vm, p, va, major, major ? "file read" : "page cache");
	if (major)
		event_because(&vm->log, fe, "page %u of %s is not in the page cache: it must be read from the disk",
			      "%2$s 的第 %1$u 页不在页缓存里：必须从磁盘读", page, file->path);
	else
		event_because(&vm->log, fe,
			      "page %u of %s is in the page cache already (frame %d): map it, no disk I/O",
			      "%2$s 的第 %1$u 页已在页缓存里（物理页 %3$d）：直接映射，不读磁盘", page, file->path,
			      file->cache[page]);
	uint32_t f;
	if (major) {
		/* The event keeps the name: the file's, which lives as long as
		 * the machine (a VMA's goes with its process or a split). */
		f = fault_frame(vm, &p, FRAME_FILE, file->path, va);
		if (f == NO_FRAME)
			return FAULT_OOM;
		if (page < file->pages) {
			file_fill_page(vm, v->file, page, frame_write(vm, f));
			file->cache[page] = (int32_t)f;
			vm->frames[f].file = v->file;
			vm->frames[f].file_page = page;
		} else {
			vm->frames[f].kind = FRAME_ANON; /* past the end of the file: zeroes */
		}
		struct event *ev = event_push(&vm->log, EV_FILE_READ, pid);
		ev->pfn = f;
		ev->va = PAGE_DOWN(&vm->arch, va);
		char t[24];
		disk_read(vm, t, sizeof t);
		event_because(&vm->log, ev, "4 KiB from the %s%.0s: ~%s", "%.0s从%s读 4 KiB：约 %s", disk_name(vm->clock.disk),
			      disk_name_zh(vm->clock.disk), t);
	} else {
		f = (uint32_t)file->cache[page];
	}
	/* Private mapping: share the page-cache page read-only; a write copies. */
	if (map_frame(vm, p, va, f, pte_flags(v, false), NULL) < 0)
		return oom(vm, pid, va);
	if (!write)
		return major ? FAULT_MAJOR : FAULT_MINOR;
	enum fault_kind k = cow_fault(vm, p, v, va, vm_pte(vm, pid, va), false);
	return k == FAULT_MINOR && major ? FAULT_MAJOR : k;
}

/* A fresh zeroed frame for an anonymous page. */
static enum fault_kind demand_zero(struct vm *vm, struct proc *p, const struct vma *v, vaddr_t va)
{
	int pid = p->pid;
	if (!v->shm)
		vma_anon_prepare(vm, p, v);
	struct event *fe = fault_event(vm, p, va, false, "demand zero");
	struct reason_args *why = event_because_later(&vm->log, fe, RK_DEMAND_ZERO);
	if (why) {
		why->n[0] = va;
		why->n[1] = v->start;
		why->n[2] = v->end;
		/* "rw-p [heap]", copied without printf: faults are the common case. */
		vma_perms(v, why->s);
		size_t len = strnlen(v->name, sizeof why->s - 6);
		why->s[4] = len ? ' ' : 0;
		memcpy(why->s + 5, v->name, len);
		why->s[5 + len] = 0;
	}
	uint32_t f = fault_frame(vm, &p, FRAME_ANON, "anonymous page", va);
	if (f == NO_FRAME)
		return FAULT_OOM;
	if (map_frame(vm, p, va, f, pte_flags(v, v->prot & PROT_W), NULL) < 0)
		return oom(vm, pid, va);
	return FAULT_MINOR;
}

/* The PTE another process has for the same page of shared anonymous
 * memory (0 if none): shared memory is one object, whoever touched it. */
static pte_t shm_sibling(const struct vm *vm, const struct proc *p, const struct vma *v, vaddr_t va)
{
	uint64_t off = v->file_off + (PAGE_DOWN(&vm->arch, va) - v->start);
	for (int k = 0; k < vm->nprocs; k++) {
		const struct proc *q = vm->procs[k];
		if (q == p)
			continue;
		for (size_t i = 0; i < q->nvmas; i++) {
			const struct vma *w = &q->vmas[i];
			if (!shm_maps(w, v->shm, off))
				continue;
			pte_t pte = vm_pte(vm, q->pid, w->start + (off - w->file_off));
			if (PTE_PRESENT(pte) || PTE_SWAPPED(pte))
				return pte;
		}
	}
	return 0;
}

static enum fault_kind shm_fault(struct vm *vm, struct proc *p, const struct vma *v, vaddr_t va, bool write)
{
	int pid = p->pid;
	pte_t other = shm_sibling(vm, p, v, va);
	if (PTE_SWAPPED(other)) {
		/* Out in swap: take a reference to the slot, then read it back
		 * (or find it in the swap cache) like any swapped page. */
		pte_t *e = pt_ensure(vm, p, va);
		if (!e)
			return oom(vm, pid, va);
		vm->swap.count[PTE_NUM(other)]++;
		p->swapents++;
		pt_store(vm, p, va, other);
		return swap_fault(vm, p, v, va, other, write);
	}
	if (PTE_PRESENT(other)) {
		struct event *fe = fault_event(vm, p, va, false, "shared memory");
		event_because(&vm->log, fe,
			      "shared memory is one object: another process already has this page in frame %u, "
			      "so this PTE points there too",
			      "共享内存是同一个对象：另一个进程已经把这一页放在物理页 %u，这个页表项也指向它",
			      (unsigned)PTE_NUM(other));
		if (map_frame(vm, p, va, (uint32_t)PTE_NUM(other), pte_flags(v, v->prot & PROT_W), NULL) < 0)
			return oom(vm, pid, va);
		return FAULT_MINOR;
	}
	/* No zero page here: a read must see later writes by the others. */
	return demand_zero(vm, p, v, va);
}

static enum fault_kind not_present(struct vm *vm, struct proc *p, const struct vma *v, vaddr_t va, pte_t pte,
				   bool write)
{
	if (PTE_SWAPPED(pte))
		return swap_fault(vm, p, v, va, pte, write);
	if (v->file >= 0)
		return file_fault(vm, p, v, va, write);
	if (v->shm)
		return shm_fault(vm, p, v, va, write);
	if (!write) {
		struct event *fe = fault_event(vm, p, va, false, "zero page");
		struct reason_args *why = event_because_later(&vm->log, fe, RK_ZERO_PAGE);
		if (why)
			why->n[0] = vm->zero_pfn;
		struct event *ev = event_push(&vm->log, EV_ZERO_PAGE, p->pid);
		ev->pfn = vm->zero_pfn;
		ev->va = va;
		if (map_frame(vm, p, va, vm->zero_pfn, pte_flags(v, false), "zero page") < 0)
			return oom(vm, p->pid, va);
		return FAULT_MINOR;
	}
	return demand_zero(vm, p, v, va);
}

/* Resolves va for p and returns the frame, or the fault that stopped it. */
static enum fault_kind resolve(struct vm *vm, struct proc *p, vaddr_t va, bool write, uint32_t *pfn)
{
	int pid = p->pid;
	uint64_t vpn = VPN(&vm->arch, va);
	if (va >= vm->arch.user_top)
		return segv(vm, p, va,
			    vm->arch.kind == ARCH_X86 ? "above user space (TASK_SIZE)"
			    : va < vm->arch.kernel_base ? "non-canonical address"
							: "kernel address");
	if (vm->tlb.n) {
		if (tlb_lookup(vm, pid, vpn)) {
			struct event *ev = event_push(&vm->log, EV_TLB_HIT, pid);
			ev->va = va;
		} else {
			struct event *ev = event_push(&vm->log, EV_TLB_MISS, pid);
			ev->va = va;
			uint64_t ns = clock_charge(&vm->clock, COST_WALK, vm->arch.levels);
			struct reason_args *why = event_because_later(&vm->log, ev, RK_TLB_MISS);
			if (why) {
				why->n[0] = PAGE_DOWN(&vm->arch, va);
				why->n[1] = vm->tlb.n;
				why->n[2] = vm->arch.levels;
				why->n[3] = ns;
			}
		}
	}
	pte_t *slot = pt_lookup(vm, p, va);
	pte_t pte = slot ? *slot : 0;
	const struct vma *v = vm_find_vma(p, va);
	enum fault_kind kind = FAULT_NONE;
	if (PTE_PRESENT(pte) && (!write || (pte & PTE_W))) {
		struct event *ev = event_push(&vm->log, EV_HIT, pid);
		ev->pfn = (int64_t)PTE_NUM(pte);
		ev->va = va;
	} else {
		const char *why = "no mapping";
		if (!v)
			v = grow_stack(vm, p, va, &why);
		if (!v)
			return segv(vm, p, va, why);
		if (v->flags & VMA_SPECIAL)
			return segv(vm, p, va, "special mapping, not simulated");
		if (write && !(v->prot & PROT_W))
			return segv(vm, p, va, "write to read-only page");
		if (!(v->prot & (PROT_R | PROT_X)))
			return segv(vm, p, va, "execute/read not permitted");
		kind = PTE_PRESENT(pte) ? cow_fault(vm, p, v, va, pte, true) : not_present(vm, p, v, va, pte, write);
		if (kind == FAULT_OOM || !(p = vm_proc(vm, pid)))
			return FAULT_OOM;
		slot = pt_lookup(vm, p, va);
		pte = slot ? *slot : 0;
	}
	if (!PTE_PRESENT(pte))
		return oom(vm, pid, va);
	pte_t set = PTE_A | (write ? PTE_D : 0);
	if ((pte & set) != set)
		pt_store(vm, p, va, pte | set);
	*pfn = (uint32_t)PTE_NUM(pte);
	if (*pfn != vm->zero_pfn) {
		policy_hit(vm->policy, *pfn);
		if (write)
			vm->frames[*pfn].dirty = 1;
	}
	if (vm->tlb.n)
		tlb_insert(vm, pid, vpn);
	return kind;
}

enum fault_kind vm_access(struct vm *vm, int pid, vaddr_t va, bool write, uint8_t *byte)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return FAULT_SEGV;
	}
	struct event *ev = event_push(&vm->log, EV_ACCESS, pid);
	ev->va = va;
	ev->a = write;
	clock_charge(&vm->clock, COST_ACCESS, 0);
	uint32_t pfn = NO_FRAME;
	vm->last.valid = false;
	enum fault_kind kind = resolve(vm, p, va, write, &pfn);
	if (kind != FAULT_SEGV && kind != FAULT_OOM) {
		if (write) {
			heap_note_store(p, va, 1);
			frame_set_byte(vm, pfn, PAGE_OFF(&vm->arch, va), *byte);
		}
		else
			*byte = frame_read(vm, pfn)[PAGE_OFF(&vm->arch, va)];
	}
	if (vm_proc(vm, pid)) {
		fill_walk(vm, vm_proc(vm, pid), va, &vm->last);
	} else if (!vm->last.valid) {
		/* Killed (OOM) with no walk kept: nothing reached. */
		fill_walk(vm, NULL, va, &vm->last);
		vm->last.pid = pid;
	}
	vm->last.fault = kind;
	return kind;
}

bool vm_peek(const struct vm *vm, int pid, vaddr_t va, uint8_t *byte)
{
	const struct proc *p = vm_proc(vm, pid);
	if (!p || va >= vm->arch.user_top)
		return false;
	const struct vma *v = vm_find_vma(p, va);
	if (!v || (v->flags & VMA_SPECIAL))
		return false;
	const pte_t *slot = pt_lookup(vm, p, va);
	pte_t pte = slot ? *slot : 0;
	if (!PTE_PRESENT(pte) && !PTE_SWAPPED(pte) && v->shm)
		pte = shm_sibling(vm, p, v, va); /* what the others see */
	if (PTE_PRESENT(pte)) {
		*byte = frame_read(vm, (uint32_t)PTE_NUM(pte))[PAGE_OFF(&vm->arch, va)];
	} else if (PTE_SWAPPED(pte) && vm->swap.cache[PTE_NUM(pte)] >= 0) {
		/* Read back by a sharer, who may have written to it since. */
		*byte = frame_read(vm, (uint32_t)vm->swap.cache[PTE_NUM(pte)])[PAGE_OFF(&vm->arch, va)];
	} else if (PTE_SWAPPED(pte)) {
		*byte = swap_byte(&vm->swap, (uint32_t)PTE_NUM(pte), PAGE_OFF(&vm->arch, va));
	} else if (v->file >= 0) {
		uint8_t page[65536];
		uint32_t idx = (uint32_t)((v->file_off + (PAGE_DOWN(&vm->arch, va) - v->start)) >> vm->arch.page_shift);
		if (idx >= vm->files[v->file].pages) {
			*byte = 0;
			return true;
		}
		file_fill_page(vm, v->file, idx, page);
		*byte = page[PAGE_OFF(&vm->arch, va)];
	} else {
		*byte = 0;
	}
	return true;
}

/* Copies len bytes page by page: one access (and its fault, if any) per
 * page, then the rest of that page directly. */
static int access_buf(struct vm *vm, int pid, vaddr_t va, uint8_t *buf, uint64_t len, bool write)
{
	while (len > 0) {
		uint64_t off = PAGE_OFF(&vm->arch, va);
		uint64_t n = vm->arch.page_size - off < len ? vm->arch.page_size - off : len;
		enum fault_kind k = vm_access(vm, pid, va, write, buf);
		if (k == FAULT_SEGV || k == FAULT_OOM)
			return -1;
		if (n > 1) {
			if (write)
				heap_note_store(vm_proc(vm, pid), va + 1, n - 1);
			pte_t pte = vm_pte(vm, pid, va);
			uint32_t pfn = (uint32_t)PTE_NUM(pte);
			if (write)
				frame_store(vm, pfn, off + 1, buf + 1, n - 1);
			else
				memcpy(buf + 1, frame_read(vm, pfn) + off + 1, n - 1);
		}
		va += n;
		buf += n;
		len -= n;
	}
	return 0;
}

int vm_write_buf(struct vm *vm, int pid, vaddr_t va, const void *buf, uint64_t len)
{
	return access_buf(vm, pid, va, (uint8_t *)(uintptr_t)buf, len, true);
}

int vm_read_buf(struct vm *vm, int pid, vaddr_t va, void *buf, uint64_t len)
{
	return access_buf(vm, pid, va, buf, len, false);
}
