/* check.c - the engine's invariants, checked from scratch (tests run it
 * after every operation). Each failure names the broken rule. */
#include "internal.h"
#include "heap.h"
#include "pagetable.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct check {
	struct vm *vm;
	const struct proc *p;
	uint32_t *mapped;      /* per frame: PTEs seen pointing at it */
	uint32_t *slot_refs;   /* per swap slot: PTEs seen holding it */
	uint64_t present;      /* present non-zero-page PTEs of p */
	uint64_t swapped;      /* swap entries of p */
	int failed;
};

static void fail(struct check *c, const char *fmt, ...)
{
	if (c->failed++)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->vm->err, sizeof c->vm->err, fmt, ap);
	va_end(ap);
}

static bool rmap_has(const struct frame *f, int pid, uint64_t vpn)
{
	for (const struct rmap *r = f->rmap; r; r = r->next)
		if (r->pid == pid && r->vpn == vpn)
			return true;
	return false;
}

static void check_pte(void *arg, vaddr_t va, pte_t pte)
{
	struct check *c = arg;
	struct vm *vm = c->vm;
	int pid = c->p->pid;
	const struct vma *v = vm_find_vma(c->p, va);
	if (!v)
		fail(c, "pid %d: PTE for 0x%" PRIx64 " outside every VMA", pid, va);
	else if ((pte & PTE_W) && !(v->prot & PROT_W))
		fail(c, "pid %d: 0x%" PRIx64 " writable in a mapping without write permission", pid, va);
	if (PTE_PRESENT(pte)) {
		uint64_t pfn = PTE_NUM(pte);
		if (pfn >= vm->nframes) {
			fail(c, "pid %d: PTE 0x%" PRIx64 " points past the last frame", pid, va);
			return;
		}
		if (pfn == vm->zero_pfn) {
			if (pte & PTE_W)
				fail(c, "pid %d: zero page mapped writable at 0x%" PRIx64, pid, va);
			return;
		}
		const struct frame *f = &vm->frames[pfn];
		if (f->kind != FRAME_ANON && f->kind != FRAME_FILE)
			fail(c, "pid %d: 0x%" PRIx64 " maps %s frame %" PRIu64, pid, va, frame_kind_name(f->kind), pfn);
		if (!rmap_has(f, pid, VPN(&vm->arch, va)))
			fail(c, "frame %" PRIu64 ": reverse map misses pid %d page 0x%" PRIx64, pfn, pid, va);
		if (f->kind == FRAME_FILE && (pte & PTE_W))
			fail(c, "pid %d: page-cache frame %" PRIu64 " mapped writable", pid, pfn);
		c->mapped[pfn]++;
		c->present++;
	} else if (PTE_SWAPPED(pte)) {
		uint64_t slot = PTE_NUM(pte);
		c->swapped++;
		if (slot >= vm->swap.nslots)
			fail(c, "pid %d: swap entry past the last slot", pid);
		else
			c->slot_refs[slot]++;
	} else {
		fail(c, "pid %d: non-empty PTE 0x%" PRIx64 " neither present nor swapped", pid, pte);
	}
}

static void check_vmas(struct check *c, const struct proc *p)
{
	const struct arch *a = &c->vm->arch;
	for (size_t i = 0; i < p->nvmas; i++) {
		const struct vma *v = &p->vmas[i];
		if (v->start >= v->end || PAGE_OFF(a, v->start) || PAGE_OFF(a, v->end))
			fail(c, "pid %d: VMA %zu [0x%" PRIx64 ",0x%" PRIx64 ") empty or unaligned", p->pid, i, v->start,
			     v->end);
		if (i && p->vmas[i - 1].end > v->start)
			fail(c, "pid %d: VMAs %zu and %zu overlap or are out of order", p->pid, i - 1, i);
		if (i && vma_mergeable(&p->vmas[i - 1], v))
			fail(c, "pid %d: VMAs %zu and %zu should have merged", p->pid, i - 1, i);
		if (vma_accountable(v->prot, v->flags) && !(v->flags & VMA_ACCOUNT))
			fail(c, "pid %d: VMA %zu is private and writable but not charged to Committed_AS", p->pid, i);
	}
}

/* A word of the simulated memory as glibc reads it; false if unreadable. */
static bool peek_word(const struct vm *vm, const struct proc *p, vaddr_t a, unsigned sz, uint64_t *out)
{
	*out = 0;
	for (unsigned i = 0; i < sz; i++) {
		uint8_t b;
		if (!vm_peek(vm, p->pid, a + i, &b))
			return false;
		*out |= (uint64_t)b << (8 * i);
	}
	return true;
}

/* Checks one doubly linked bin: fd and bk agree and each chunk is free
 * (the next chunk's PREV_INUSE clear, its prev_size the chunk's size). */
static void check_bin(struct check *c, const struct proc *p, unsigned sz, vaddr_t bin, unsigned i)
{
	const struct heap *h = &p->heap;
	vaddr_t prev = bin, at = h->bins[2 * (i - 1)];
	for (unsigned n = 0; at != bin && n < 100000; n++) {
		uint64_t size, bk, fd, nsize, nprev;
		if (!peek_word(c->vm, p, at + sz, sz, &size) || !peek_word(c->vm, p, at + 3 * sz, sz, &bk) ||
		    !peek_word(c->vm, p, at + 2 * sz, sz, &fd)) {
			fail(c, "pid %d: bin %u holds 0x%" PRIx64 ", which is not mapped", p->pid, i, at);
			return;
		}
		size &= ~7ull;
		if (bk != prev)
			fail(c, "pid %d: bin %u: chunk 0x%" PRIx64 "'s bk is not the chunk before it", p->pid, i, at);
		if (!peek_word(c->vm, p, at + size, sz, &nprev) || !peek_word(c->vm, p, at + size + sz, sz, &nsize) ||
		    (nsize & 1) || nprev != size)
			fail(c, "pid %d: binned chunk 0x%" PRIx64 " is not marked free in the chunk after it", p->pid, at);
		prev = at;
		at = fd;
	}
	if (h->bins[2 * (i - 1) + 1] != prev)
		fail(c, "pid %d: bin %u's bk is not its last chunk", p->pid, i);
}

/* glibc's heap, from the simulated memory: chunks tile the brk heap from
 * its first chunk up to the top chunk, and every binned chunk is free. */
static void check_heap(struct check *c, const struct proc *p)
{
	const struct heap *h = &p->heap;
	if (!h->initialised || h->noncontiguous || h->tainted)
		return;
	unsigned sz = c->vm->arch.kind == ARCH_X86 ? 4 : 8;
	vaddr_t at = heap_first_chunk(c->vm, p);
	for (unsigned n = 0; at < h->top && n < 1000000; n++) {
		uint64_t size;
		if (!peek_word(c->vm, p, at + sz, sz, &size) || (size & ~7ull) < 2 * sz || (size & 15 & ~7ull)) {
			fail(c, "pid %d: heap chunk at 0x%" PRIx64 " has a bad size", p->pid, at);
			return;
		}
		at += size & ~7ull;
	}
	uint64_t top_size;
	if (at != h->top || !peek_word(c->vm, p, h->top + sz, sz, &top_size) || h->top + (top_size & ~7ull) > p->brk)
		fail(c, "pid %d: heap top 0x%" PRIx64 " does not follow the chunks or passes brk", p->pid, h->top);
	for (unsigned i = 1; i < HEAP_NBINS; i++)
		check_bin(c, p, sz, heap_bin_addr(c->vm, i), i);
}

/* What a PTE of shared memory holds: a frame, or a slot not in the swap
 * cache (numbered after the frames); ~0 for nothing. */
static uint64_t shared_content(const struct vm *vm, pte_t pte)
{
	if (PTE_PRESENT(pte))
		return PTE_NUM(pte);
	if (!PTE_SWAPPED(pte) || PTE_NUM(pte) >= vm->swap.nslots)
		return ~0ull;
	int32_t cached = vm->swap.cache[PTE_NUM(pte)];
	return cached >= 0 ? (uint64_t)cached : vm->nframes + PTE_NUM(pte);
}

/* Every process that maps a page of shared anonymous memory sees the same
 * page: the same frame, or the same slot. */
static void check_shared(struct check *c)
{
	const struct vm *vm = c->vm;
	for (int i = 0; i < vm->nprocs; i++) {
		const struct proc *p = vm->procs[i];
		for (size_t a = 0; a < p->nvmas; a++) {
			const struct vma *v = &p->vmas[a];
			for (vaddr_t va = v->start; v->shm && va < v->end; va += vm->arch.page_size) {
				uint64_t mine = shared_content(vm, vm_pte(vm, p->pid, va));
				uint64_t off = v->file_off + (va - v->start);
				for (int j = i + 1; mine != ~0ull && j < vm->nprocs; j++) {
					const struct proc *q = vm->procs[j];
					for (size_t b = 0; b < q->nvmas; b++) {
						const struct vma *w = &q->vmas[b];
						if (!shm_maps(w, v->shm, off))
							continue;
						uint64_t theirs = shared_content(vm, vm_pte(vm, q->pid, w->start + off - w->file_off));
						if (theirs != ~0ull && theirs != mine)
							fail(c, "shared memory: pid %d 0x%" PRIx64 " and pid %d see different pages",
							     p->pid, va, q->pid);
					}
				}
			}
		}
	}
}

int vm_check(struct vm *vm)
{
	struct check c = {.vm = vm};
	c.mapped = calloc(vm->nframes, sizeof *c.mapped);
	c.slot_refs = calloc(vm->swap.nslots ? vm->swap.nslots : 1, sizeof *c.slot_refs);
	if (!c.mapped || !c.slot_refs) {
		free(c.mapped);
		free(c.slot_refs);
		snprintf(vm->err, sizeof vm->err, "check: out of memory");
		return -1;
	}
	for (int i = 0; i < vm->nprocs; i++) {
		c.p = vm->procs[i];
		c.present = c.swapped = 0;
		pt_foreach(vm, c.p, check_pte, &c);
		if (c.present != c.p->rss)
			fail(&c, "pid %d: RSS %" PRIu64 " pages but %" PRIu64 " present PTEs", c.p->pid, c.p->rss, c.present);
		if (c.swapped != c.p->swapents)
			fail(&c, "pid %d: %" PRIu64 " swap entries counted, %" PRIu64 " in its page table", c.p->pid,
			     c.p->swapents, c.swapped);
		check_vmas(&c, c.p);
		check_heap(&c, c.p);
	}
	check_shared(&c);
	uint32_t free_count = 0, loaded = 0;
	for (uint32_t f = 0; f < vm->nframes; f++) {
		const struct frame *fr = &vm->frames[f];
		uint32_t rmaps = 0;
		for (const struct rmap *r = fr->rmap; r; r = r->next) {
			rmaps++;
			const struct proc *p = vm_proc(vm, r->pid);
			pte_t pte = p ? vm_pte(vm, r->pid, r->vpn << vm->arch.page_shift) : 0;
			if (!PTE_PRESENT(pte) || PTE_NUM(pte) != f)
				fail(&c, "frame %u: reverse map pid %d page 0x%" PRIx64 " does not map it back", f, r->pid,
				     r->vpn << vm->arch.page_shift);
		}
		if (f < vm->kernel_frames && fr->kind != FRAME_KERNEL && fr->kind != FRAME_ZERO)
			fail(&c, "frame %u: kernel-reserved frame is %s", f, frame_kind_name(fr->kind));
		if (rmaps != fr->mapcount || c.mapped[f] != fr->mapcount)
			fail(&c, "frame %u: mapcount %u, reverse map %u, PTEs %u", f, fr->mapcount, rmaps, c.mapped[f]);
		if (fr->kind == FRAME_FREE) {
			free_count++;
			if (fr->mapcount || vm->policy->loaded[f])
				fail(&c, "frame %u: free but mapped or in the policy", f);
		} else if (fr->kind == FRAME_ANON || fr->kind == FRAME_FILE) {
			loaded++;
			if (!fr->mapcount && fr->kind == FRAME_ANON)
				fail(&c, "frame %u: anonymous frame mapped by nobody", f);
			if (!vm->policy->loaded[f])
				fail(&c, "frame %u: in use but unknown to the policy", f);
			if (fr->kind == FRAME_FILE &&
			    (fr->file < 0 || vm->files[fr->file].cache[fr->file_page] != (int32_t)f))
				fail(&c, "frame %u: file page not in the page cache", f);
			if (fr->swap_slot >= 0 && (fr->kind != FRAME_ANON || (uint32_t)fr->swap_slot >= vm->swap.nslots ||
						   vm->swap.cache[fr->swap_slot] != (int32_t)f))
				fail(&c, "frame %u: swap-cache slot %d does not point back", f, fr->swap_slot);
		}
	}
	if (free_count != vm->free_frames)
		fail(&c, "free frame count %u but %u frames are free", vm->free_frames, free_count);
	if (loaded != vm->policy->count)
		fail(&c, "policy tracks %u frames but %u hold pages", vm->policy->count, loaded);
	uint32_t used = 0;
	for (uint32_t s = 0; s < vm->swap.nslots; s++) {
		bool held = vm->swap.count[s] || vm->swap.cache[s] >= 0;
		if (held)
			used++;
		if (vm->swap.count[s] != c.slot_refs[s])
			fail(&c, "swap slot %u: count %u but %u PTEs hold it", s, vm->swap.count[s], c.slot_refs[s]);
		if (held != (vm->swap.data[s] != NULL))
			fail(&c, "swap slot %u: held by nobody but has bytes, or held without bytes", s);
		int32_t cf = vm->swap.cache[s];
		if (cf >= 0 && vm->frames[cf].swap_slot != (int32_t)s)
			fail(&c, "swap slot %u: swap-cache frame %d does not point back", s, cf);
	}
	if (used != vm->swap.used)
		fail(&c, "swap used %u but %u slots are held", vm->swap.used, used);
	free(c.mapped);
	free(c.slot_refs);
	return c.failed ? -1 : 0;
}
