/* attach.c - mirrors a real process into the engine (vmviz attach): its
 * /proc/PID/smaps lines become VMAs (vm_map_exact), its pagemap entries
 * become PTEs and frames, made by the engine's own faults so every
 * invariant holds, and a page that leaves goes the engine's way too
 * (unmap_page, reclaim_swap_out). A refresh changes only what differs
 * from the last read, so its events are the change the screen highlights.
 * Everything is read before anything changes: a process that vanishes
 * mid-read leaves the machine as it was. */
#include "attach.h"
#include "internal.h"
#include "pagetable.h"
#include "procview.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- the real /proc ---- */

static char *proc_text(void *ctx, int pid, const char *name, int *e)
{
	(void)ctx;
	return procview_file(pid, name, e);
}

static long proc_pagemap(void *ctx, int pid, uint64_t vpn, uint64_t *out, size_t n, int *e)
{
	(void)ctx;
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/pagemap", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*e = errno;
		return -1;
	}
	ssize_t got = pread(fd, out, n * sizeof *out, (off_t)(vpn * sizeof *out));
	*e = got < 0 ? errno : 0;
	close(fd);
	return got < 0 ? -1 : (long)(got / (ssize_t)sizeof *out);
}

static bool proc_kpage(void *ctx, uint64_t pfn, uint64_t *count, uint64_t *flags)
{
	(void)ctx;
	/* Opened once: a refresh asks for every present page. */
	static int fc = -2, ff = -2;
	if (fc == -2)
		fc = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	if (ff == -2)
		ff = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	return fc >= 0 && ff >= 0 && pread(fc, count, 8, (off_t)(pfn * 8)) == 8 &&
	       pread(ff, flags, 8, (off_t)(pfn * 8)) == 8;
}

const struct attach_source *attach_proc_source(void)
{
	static const struct attach_source src = {NULL, proc_text, proc_pagemap, proc_kpage};
	return &src;
}

/* ---- what one read of the process says ---- */

struct reading {
	struct procview pv;
	char comm[16];
	uint64_t minflt, majflt;
	uint64_t *entry;     /* pagemap entries of every mirrored mapping, in order */
	size_t *first;       /* per mapping: index of its first entry, or SIZE_MAX */
	uint64_t present, swapped, soft_dirty, exclusive;
	bool pfn_visible;
};

static void reading_free(struct reading *r)
{
	procview_free(&r->pv);
	free(r->entry);
	free(r->first);
}

/* Mappings whose pages vmviz mirrors: readable user memory, not the
 * kernel's [vvar] / [vdso] / [vsyscall] (shown, not paged). */
static bool mirrored(const struct pv_mapping *m, uint64_t user_top)
{
	bool special = m->name[0] == '[' && strcmp(m->name, "[heap]") != 0 && strncmp(m->name, "[stack", 6) != 0 &&
		       strncmp(m->name, "[anon", 5) != 0;
	return !special && m->perms[0] == 'r' && m->end <= user_top;
}

static int parse_stat(const char *stat, uint64_t *minflt, uint64_t *majflt)
{
	/* comm may hold spaces and parentheses: the fields start after the last ')' */
	const char *p = strrchr(stat, ')');
	if (!p)
		return -1;
	unsigned long long v[10] = {0};
	char state;
	if (sscanf(p + 1, " %c %llu %llu %llu %llu %lld %llu %llu %llu %llu", &state, &v[0], &v[1], &v[2], &v[3],
		   (long long *)&v[4], &v[5], &v[6], &v[7], &v[8]) < 10)
		return -1;
	*minflt = v[6];
	*majflt = v[8];
	return 0;
}

static int read_process(int pid, const struct attach_source *src, uint64_t user_top, struct reading *r, char *err,
			size_t errlen)
{
	memset(r, 0, sizeof *r);
	r->pv.pid = pid;
	int e = 0;
	char *comm = src->text(src->ctx, pid, "comm", &e);
	if (!comm)
		return procview_why(err, errlen, pid, e, NULL);
	snprintf(r->comm, sizeof r->comm, "%.*s", (int)strcspn(comm, "\n"), comm);
	snprintf(r->pv.comm, sizeof r->pv.comm, "%s", r->comm);
	free(comm);
	char *smaps = src->text(src->ctx, pid, "smaps", &e);
	if (!smaps)
		return procview_why(err, errlen, pid, e, "smaps");
	if (!*smaps) {
		free(smaps);
		/* No user address space: a kernel thread, or a zombie. */
		char *status = src->text(src->ctx, pid, "status", &e);
		procview_no_memory(err, errlen, pid, status);
		free(status);
		return -1;
	}
	int rc = procview_parse_smaps(&r->pv, smaps);
	free(smaps);
	if (rc < 0 || !(r->first = malloc((r->pv.n + 1) * sizeof *r->first))) {
		reading_free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	size_t total = 0;
	for (size_t i = 0; i < r->pv.n; i++) {
		const struct pv_mapping *m = &r->pv.maps[i];
		r->first[i] = mirrored(m, user_top) ? total : SIZE_MAX;
		if (r->first[i] != SIZE_MAX)
			total += (size_t)((m->end - m->start) / 4096);
	}
	/* 64M pages: 256 GiB of mappings, 512 MiB of entries to hold. */
	if (total > ((size_t)64 << 20)) {
		reading_free(r);
		snprintf(err, errlen, "process %d maps %zu GiB: more than vmviz attach follows (256 GiB)", pid,
			 total >> 18);
		return -1;
	}
	r->entry = calloc(total ? total : 1, sizeof *r->entry);
	if (!r->entry) {
		reading_free(r);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < r->pv.n; i++) {
		const struct pv_mapping *m = &r->pv.maps[i];
		if (r->first[i] == SIZE_MAX)
			continue;
		size_t n = (size_t)((m->end - m->start) / 4096);
		long got = src->pagemap(src->ctx, pid, m->start / 4096, r->entry + r->first[i], n, &e);
		if (got < 0) {
			reading_free(r);
			return procview_why(err, errlen, pid, e, "pagemap");
		}
		for (size_t k = 0; k < (size_t)got; k++) {
			uint64_t x = r->entry[r->first[i] + k];
			r->present += (x & PV_PRESENT) != 0;
			r->swapped += (x & PV_SWAPPED) != 0;
			r->soft_dirty += (x & (PV_PRESENT | PV_SWAPPED)) && (x & PV_SOFT_DIRTY);
			r->exclusive += (x & PV_PRESENT) && (x & PV_EXCLUSIVE);
			if ((x & PV_PRESENT) && (x & PV_PFN_MASK))
				r->pfn_visible = true;
		}
	}
	/* Read last: if the process is gone now, what was read may be half
	 * of a dying one. */
	char *stat = src->text(src->ctx, pid, "stat", &e);
	if (!stat || parse_stat(stat, &r->minflt, &r->majflt) < 0) {
		free(stat);
		reading_free(r);
		return procview_why(err, errlen, pid, stat ? EINVAL : e, "stat");
	}
	free(stat);
	return 0;
}

/* ---- the machine ---- */

static void spec_of(const struct pv_mapping *m, struct vm_map_spec *s)
{
	memset(s, 0, sizeof *s);
	s->start = m->start;
	s->end = m->end;
	s->prot = (m->perms[0] == 'r' ? PROT_R : 0) | (m->perms[1] == 'w' ? PROT_W : 0) |
		  (m->perms[2] == 'x' ? PROT_X : 0);
	s->shared = m->perms[3] == 's';
	s->off = m->offset;
	/* " (deleted)" is the kernel's note, not part of the name */
	const char *del = strstr(m->name, " (deleted)");
	int len = del ? (int)(del - m->name) : (int)strlen(m->name);
	snprintf(s->name, sizeof s->name, "%.*s", len, m->name);
}

static bool same_vma(const struct vma *v, const struct vm_map_spec *s)
{
	return v->start == s->start && v->end == s->end && v->prot == s->prot &&
	       !!(v->flags & VMA_SHARED) == s->shared && strcmp(v->name, s->name) == 0;
}

static struct vm *build(int pid, const struct reading *r, char *err, size_t errlen)
{
	struct vm_config cfg;
	vm_config_default(&cfg);
	/* Room for every page twice over (a refresh can fault new pages in
	 * while old ones wait in the page cache), plus the kernel's sixteenth. */
	uint64_t user = (r->present + r->swapped) * 2 + 64;
	uint64_t n = user + user / 15 + 2;
	if (n > VM_MAX_FRAMES) {
		snprintf(err, errlen, "process %d has %llu pages in memory: more than vmviz's %u frames can show", pid,
			 (unsigned long long)(r->present + r->swapped), VM_MAX_FRAMES);
		return NULL;
	}
	cfg.frames = (uint32_t)n;
	cfg.swap_slots = (uint32_t)(r->swapped * 2 + 64);
	struct vm *vm = vm_new(&cfg, err, errlen);
	if (!vm)
		return NULL;
	/* vm_spawn takes a program name: no '/', not empty */
	char name[16];
	snprintf(name, sizeof name, "%s", r->comm[0] ? r->comm : "?");
	for (char *c = name; *c; c++)
		if (*c == '/' || *c == ' ')
			*c = '_';
	int sp = vm_spawn(vm, name);
	struct proc *p = sp > 0 && vm_map_clear(vm, sp) == 0 ? vm_proc(vm, sp) : NULL;
	vm->host = calloc(1, sizeof *vm->host);
	if (vm->host) {
		vm->host->pfn = malloc(vm->nframes * sizeof *vm->host->pfn);
		vm->host->kcount = calloc(vm->nframes, sizeof *vm->host->kcount);
		vm->host->kflags = calloc(vm->nframes, sizeof *vm->host->kflags);
		vm->host->swap_entry = malloc((vm->swap.nslots + 1) * sizeof *vm->host->swap_entry);
	}
	if (!p || !vm->host || !vm->host->pfn || !vm->host->kcount || !vm->host->kflags || !vm->host->swap_entry) {
		snprintf(err, errlen, "cannot build a machine for process %d: %s", pid, sp > 0 ? vm->err : "out of memory");
		vm_free(vm);
		return NULL;
	}
	for (uint32_t f = 0; f < vm->nframes; f++)
		vm->host->pfn[f] = VM_HOST_NO_PFN;
	for (uint32_t k = 0; k < vm->swap.nslots; k++)
		vm->host->swap_entry[k] = VM_HOST_NO_PFN;
	/* The real pid, so the screen and ps name the process as the system
	 * does; no page is mapped yet, so nothing else holds the old one. */
	p->pid = pid;
	vm->cur = pid;
	vm->host->pid = pid;
	return vm;
}

/* Sets the VMAs to the mappings read: a VMA that no longer matches a
 * line goes (its pages with it), a new line becomes a VMA. */
static void sync_vmas(struct vm *vm, struct proc *p, const struct reading *r)
{
	for (size_t i = p->nvmas; i-- > 0;) {
		bool keep = false;
		for (size_t k = 0; k < r->pv.n && !keep; k++) {
			struct vm_map_spec s;
			spec_of(&r->pv.maps[k], &s);
			keep = same_vma(&p->vmas[i], &s);
		}
		if (keep)
			continue;
		vaddr_t start = p->vmas[i].start, end = p->vmas[i].end;
		if (vma_remove_range(vm, p, start, end) == 0) {
			struct event *ev = event_push(&vm->log, EV_MUNMAP, p->pid);
			ev->va = start;
			ev->a = end - start;
		}
	}
	vm->host->skipped = 0;
	for (size_t k = 0; k < r->pv.n; k++) {
		struct vm_map_spec s;
		spec_of(&r->pv.maps[k], &s);
		const struct vma *v = vm_find_vma(p, s.start);
		if (v && same_vma(v, &s))
			continue;
		if (vm_map_exact(vm, p->pid, &s) < 0) {
			vm->host->skipped++;
			continue;
		}
		struct event *ev = event_push(&vm->log, EV_MMAP, p->pid);
		ev->va = s.start;
		ev->a = s.end - s.start;
	}
}

enum page_state { PS_NONE, PS_ZERO, PS_PAGE, PS_SWAP };

struct mirror {
	struct vm *vm;
	struct proc *p;
	const struct attach_source *src;
	bool kpage;          /* kpageflags readable: the zero page is known */
};

static enum page_state engine_state(const struct mirror *mr, vaddr_t va, uint32_t *frame)
{
	pte_t pte = vm_pte(mr->vm, mr->p->pid, va);
	*frame = NO_FRAME;
	if (PTE_SWAPPED(pte))
		return PS_SWAP;
	if (!PTE_PRESENT(pte))
		return PS_NONE;
	*frame = (uint32_t)PTE_NUM(pte);
	return *frame == mr->vm->zero_pfn ? PS_ZERO : PS_PAGE;
}

/* What the engine's own access makes of a page pagemap shows as want:
 * an anonymous page is written (a copy-on-write copy in a private file
 * mapping), anything else read; a read of anonymous memory maps the zero
 * page, of a file its page-cache page. */
static enum page_state reachable(const struct vma *v, enum page_state want, bool file_page, bool *write)
{
	*write = !file_page && (want == PS_PAGE || want == PS_SWAP);
	if (want == PS_ZERO && v->file >= 0)
		return PS_PAGE;
	return want;
}

/* The engine's access to va, writing even where the mapping is read-only
 * now: a real process's pages there were written before an mprotect
 * (RELRO, a loader's relocations), so they are anonymous copies. */
static void fault_in(struct mirror *mr, vaddr_t va, bool write)
{
	struct vm *vm = mr->vm;
	struct vma *v = (struct vma *)vm_find_vma(mr->p, va);
	unsigned prot = v->prot;
	uint8_t byte = 0;
	if (write) {
		vm_peek(vm, mr->p->pid, va, &byte); /* keep what the page reads as */
		v->prot |= PROT_W;
	}
	vm_access(vm, mr->p->pid, va, write, &byte);
	if (!vm_proc(vm, mr->p->pid) || prot & PROT_W || !write)
		return;
	v = (struct vma *)vm_find_vma(mr->p, va);
	if (v)
		v->prot = prot;
	pte_t *slot = pt_lookup(vm, mr->p, va);
	if (slot && PTE_PRESENT(*slot))
		*slot &= ~PTE_W;
}

/* Brings one page to what pagemap says (want, entry e). */
static void mirror_page(struct mirror *mr, const struct vma *v, vaddr_t va, enum page_state want, uint64_t e)
{
	struct vm *vm = mr->vm;
	uint32_t f;
	enum page_state have = engine_state(mr, va, &f);
	uint64_t pfn = (e & PV_PRESENT) && (e & PV_PFN_MASK) ? e & PV_PFN_MASK : VM_HOST_NO_PFN;
	bool write;
	enum page_state target = reachable(v, want, (e & PV_FILE_SHARED) != 0, &write);
	if (have == target) {
		if (have != PS_PAGE)
			return;
		/* The same page, unless it now stands for another real one
		 * (copy-on-write, migration) or a written copy replaced the
		 * file's page. */
		bool same_pfn = pfn == VM_HOST_NO_PFN || vm->host->pfn[f] == VM_HOST_NO_PFN || vm->host->pfn[f] == pfn ||
				vm->frames[f].kind != FRAME_ANON; /* a file page the engine shares by offset */
		bool same_kind = (v->flags & VMA_SHARED) || (vm->frames[f].kind == FRAME_ANON) == write;
		if (same_pfn && same_kind)
			return;
	}
	if (have != PS_NONE)
		unmap_page(vm, mr->p, va);
	if (target == PS_NONE)
		return;
	fault_in(mr, va, write);
	if (!vm_proc(vm, mr->p->pid))
		return;
	have = engine_state(mr, va, &f);
	if (have == PS_PAGE) {
		vm->host->pfn[f] = pfn;
		vm->host->kcount[f] = vm->host->kflags[f] = 0;
		if (mr->kpage && pfn != VM_HOST_NO_PFN)
			mr->src->kpage(mr->src->ctx, pfn, &vm->host->kcount[f], &vm->host->kflags[f]);
		if (target == PS_SWAP && reclaim_swap_out(vm, f)) {
			pte_t pte = vm_pte(vm, mr->p->pid, va);
			if (PTE_SWAPPED(pte) && PTE_NUM(pte) < vm->swap.nslots)
				vm->host->swap_entry[PTE_NUM(pte)] = e & PV_PFN_MASK;
		}
	}
}

/* What pagemap's entry e of an anonymous-looking page says; zero_left is
 * how many present pages of the mapping smaps did not count in its Rss
 * (the zero page is not): without kpageflags, that many shared anonymous
 * pages are taken for it. */
static enum page_state wanted(const struct mirror *mr, const struct vma *v, uint64_t e, uint64_t *zero_left)
{
	if (e & PV_SWAPPED)
		return PS_SWAP;
	if (!(e & PV_PRESENT))
		return PS_NONE;
	if (!(v->flags & VMA_ANON) || (v->flags & VMA_SHARED) || (e & (PV_FILE_SHARED | PV_EXCLUSIVE)))
		return PS_PAGE;
	uint64_t pfn = e & PV_PFN_MASK;
	if (mr->kpage && pfn) {
		uint64_t count = 0, flags = 0;
		if (mr->src->kpage(mr->src->ctx, pfn, &count, &flags))
			return (flags >> KPF_ZERO_PAGE_BIT) & 1 ? PS_ZERO : PS_PAGE;
	}
	if (*zero_left) {
		(*zero_left)--;
		return PS_ZERO;
	}
	return PS_PAGE;
}

static void mirror_pages(struct mirror *mr, const struct reading *r)
{
	for (size_t i = 0; i < r->pv.n; i++) {
		const struct pv_mapping *m = &r->pv.maps[i];
		if (r->first[i] == SIZE_MAX)
			continue;
		const struct vma *v = vm_find_vma(mr->p, m->start);
		if (!v || v->start != m->start || v->end != m->end)
			continue; /* skipped: vmviz could not place it */
		uint64_t present = 0;
		const uint64_t *e = r->entry + r->first[i];
		size_t n = (size_t)((m->end - m->start) / 4096);
		for (size_t k = 0; k < n; k++)
			present += (e[k] & PV_PRESENT) != 0;
		uint64_t zero_left = present > m->kb.rss / 4 ? present - m->kb.rss / 4 : 0;
		for (size_t k = 0; k < n && vm_proc(mr->vm, mr->p->pid); k++) {
			/* faults can move the VMA array (anon_vma given): look it up again */
			v = vm_find_vma(mr->p, m->start + k * 4096);
			if (v)
				mirror_page(mr, v, m->start + k * 4096, wanted(mr, v, e[k], &zero_left), e[k]);
		}
	}
}

int attach_refresh(int pid, const struct attach_source *src, struct vm **vmp, char *err, size_t errlen)
{
	if (!src)
		src = attach_proc_source();
	struct vm *vm = *vmp;
	uint64_t user_top = vm ? vm->arch.user_top : 0x7ffffffff000ull;
	struct reading r;
	if (read_process(pid, src, user_top, &r, err, errlen) < 0)
		return -1;
	struct proc *p = vm && vm->host && vm->host->pid == pid ? vm_proc(vm, pid) : NULL;
	/* Too small for what the process has now (or not built yet): a new
	 * machine, sized for it. */
	bool fits = p && vm->free_frames + p->rss >= r.present + 32 &&
		    vm->swap.nslots - vm->swap.used + p->swapents >= r.swapped + 8;
	struct vm *fresh = NULL;
	if (!fits) {
		fresh = build(pid, &r, err, errlen);
		if (!fresh) {
			reading_free(&r);
			return -1;
		}
		vm = fresh;
		p = vm_proc(vm, pid);
	}
	uint64_t kc, kf;
	struct mirror mr = {vm, p, src, r.pfn_visible && src->kpage(src->ctx, 0, &kc, &kf)};
	sync_vmas(vm, p, &r);
	mirror_pages(&mr, &r);
	if (!vm_proc(vm, pid)) {
		/* The engine refused a page (it should not): say so rather than
		 * show half a process. */
		snprintf(err, errlen, "process %d: vmviz could not mirror its pages: %s", pid, vm->err);
		reading_free(&r);
		if (fresh)
			vm_free(fresh);
		return -1;
	}
	snprintf(p->name, sizeof p->name, "%s", r.comm);
	snprintf(vm->host->comm, sizeof vm->host->comm, "%s", r.comm);
	/* The real process's counters, not the faults vmviz took to mirror it */
	p->minflt = r.minflt;
	p->majflt = r.majflt;
	struct vm_host *h = vm->host;
	h->pfn_visible = r.pfn_visible;
	h->kpage = mr.kpage;
	h->rss_kb = r.pv.total.rss;
	h->pss_kb = r.pv.total.pss;
	h->swap_kb = r.pv.total.swap;
	h->anon_kb = r.pv.total.anon;
	h->soft_dirty = r.soft_dirty;
	h->exclusive = r.exclusive;
	h->refreshes = (*vmp && (*vmp)->host ? (*vmp)->host->refreshes : 0) + 1;
	reading_free(&r);
	if (fresh) {
		vm_free(*vmp);
		*vmp = fresh;
	}
	return 0;
}
