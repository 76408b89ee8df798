/* malloc_sys.c - where the simulated glibc malloc meets the kernel:
 * sysmalloc (an own mapping at or over the mmap threshold, else brk growth
 * of the main arena, with mmap standing in when brk fails), systrim and
 * munmap_chunk, as glibc 2.36 does them. */
#include "internal.h"
#include "malloc_int.h"

#include <string.h>

#define MORECORE_FAILURE ((vaddr_t)-1)

static uint64_t page(const struct mctx *m)
{
	return m->vm->arch.page_size;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* sbrk(): returns the old break, or MORECORE_FAILURE. A refusal is an
 * ordinary outcome for malloc, not an error of the command. */
static vaddr_t morecore(struct mctx *m, int64_t increment)
{
	struct proc *p = vm_proc(m->vm, m->pid);
	vaddr_t old = p->brk;
	if (increment == 0)
		return old;
	vaddr_t want = old + (uint64_t)increment;
	if ((increment > 0 && want < old) || (increment < 0 && want > old) ||
	    (m->g->sz == 4 && want > 0xffffffffull)) {
		return MORECORE_FAILURE;
	}
	if (vm_brk(m->vm, m->pid, want) < 0) {
		m->vm->err[0] = 0;
		return MORECORE_FAILURE;
	}
	return old;
}

static vaddr_t mmap_pages(struct mctx *m, uint64_t len)
{
	if (m->g->sz == 4 && len > 0xffffffffull)
		return 0;
	vaddr_t a = vm_mmap(m->vm, m->pid, len, PROT_R | PROT_W, 0, "");
	if (!a)
		m->vm->err[0] = 0;
	return a;
}

/* sysmalloc_mmap: a chunk in a mapping of its own; 0 if refused. */
static vaddr_t mmap_chunk(struct mctx *m, uint64_t nb)
{
	const struct mgeom *g = m->g;
	/* i386: the 8-byte header leaves the user pointer misaligned in a
	 * page, so room is kept to move the chunk 8 bytes in. */
	uint64_t size = align_up(nb + g->sz + (g->sz == 4 ? MALLOC_ALIGN_MASK : 0), page(m));
	if (size <= nb)
		return 0;
	vaddr_t mm = mmap_pages(m, size);
	if (!mm)
		return 0;
	vaddr_t p = mm;
	uint64_t misalign = chunk2mem(m, mm) & MALLOC_ALIGN_MASK;
	if (misalign) {
		uint64_t corr = MALLOC_ALIGNMENT - misalign;
		p = mm + corr;
		set_prev_size(m, p, corr);
		set_head(m, p, (size - corr) | IS_MMAPPED);
	} else {
		set_prev_size(m, p, 0);
		set_head(m, p, size | IS_MMAPPED);
	}
	m->h->n_mmaps++;
	return chunk2mem(m, p);
}

/* sysmalloc_mmap_fallback: brk failed; a mapping stands in for heap space,
 * in 1 MiB units, and the arena stops assuming contiguity. */
static vaddr_t mmap_fallback(struct mctx *m, int64_t *s, uint64_t nb, uint64_t old_size)
{
	int64_t size = *s;
	if (!m->h->noncontiguous)
		size = (int64_t)align_up((uint64_t)size + old_size, MMAP_AS_MORECORE_SIZE);
	if ((uint64_t)size < page(m))
		size = (int64_t)page(m);
	if ((uint64_t)size <= nb)
		return MORECORE_FAILURE;
	vaddr_t mbrk = mmap_pages(m, (uint64_t)size);
	if (!mbrk)
		return MORECORE_FAILURE;
	m->h->noncontiguous = true;
	*s = size;
	return mbrk;
}

/* Moves the new space into the top chunk when brk did not simply extend
 * it: the first time (brk has to be aligned and its end page-rounded),
 * after a foreign brk, or for mmapped stand-in space. */
static void adopt_new_space(struct mctx *m, vaddr_t brk, int64_t size, vaddr_t snd_brk, vaddr_t old_top,
			    uint64_t old_size, vaddr_t old_end)
{
	const struct mgeom *g = m->g;
	struct heap *h = m->h;
	int64_t correction = 0;
	vaddr_t aligned_brk = brk;
	if (!h->noncontiguous) {
		if (old_size)
			h->system_mem += brk - old_end;
		uint64_t front = chunk2mem(m, brk) & MALLOC_ALIGN_MASK;
		if (front) {
			correction = MALLOC_ALIGNMENT - (int64_t)front;
			aligned_brk += (uint64_t)correction;
		}
		correction += (int64_t)old_size;
		vaddr_t end_mis = brk + (uint64_t)size + (uint64_t)correction;
		correction += (int64_t)(align_up(end_mis, page(m)) - end_mis);
		snd_brk = morecore(m, correction);
		if (snd_brk == MORECORE_FAILURE) {
			correction = 0;
			snd_brk = morecore(m, 0);
		}
	} else {
		uint64_t front = chunk2mem(m, brk) & MALLOC_ALIGN_MASK;
		if (g->sz == 4 && front)
			aligned_brk += MALLOC_ALIGNMENT - front;
		if (snd_brk == MORECORE_FAILURE)
			snd_brk = morecore(m, 0);
	}
	if (snd_brk == MORECORE_FAILURE)
		return;
	h->top = aligned_brk;
	set_head(m, h->top, (snd_brk - aligned_brk + (uint64_t)correction) | PREV_INUSE);
	h->system_mem += (uint64_t)correction;
	if (old_size) {
		/* Two fenceposts keep the old top from merging with space
		 * that is not the arena's. */
		old_size = (old_size - 4 * g->sz) & ~(uint64_t)MALLOC_ALIGN_MASK;
		set_head(m, old_top, old_size | PREV_INUSE);
		set_head(m, old_top + old_size, 2 * g->sz | PREV_INUSE);
		set_head(m, old_top + old_size + 2 * g->sz, 2 * g->sz | PREV_INUSE);
		if (old_size >= g->minsize)
			m_int_free(m, old_top, true);
	}
}

vaddr_t m_sysmalloc(struct mctx *m, uint64_t nb)
{
	const struct mgeom *g = m->g;
	struct heap *h = m->h;
	if (nb >= h->mmap_threshold && h->n_mmaps < h->n_mmaps_max) {
		vaddr_t mem = mmap_chunk(m, nb);
		if (mem) {
			m->why = AW_MMAP;
			return mem;
		}
	}
	vaddr_t old_top = h->top;
	uint64_t old_size = chunksize(m, old_top);
	vaddr_t old_end = old_top + old_size;
	vaddr_t brk = MORECORE_FAILURE, snd_brk = MORECORE_FAILURE;
	int64_t size = (int64_t)(nb + h->top_pad + g->minsize);
	if (!h->noncontiguous)
		size -= (int64_t)old_size;
	size = (int64_t)align_up((uint64_t)size, page(m));
	if (size > 0)
		brk = morecore(m, size);
	if (brk == MORECORE_FAILURE) {
		vaddr_t mbrk = mmap_fallback(m, &size, nb, old_size);
		if (mbrk != MORECORE_FAILURE) {
			brk = mbrk;
			snd_brk = brk + (uint64_t)size;
		}
	}
	if (brk != MORECORE_FAILURE) {
		if (!h->sbrk_base)
			h->sbrk_base = brk;
		h->system_mem += (uint64_t)size;
		if (brk == old_end && snd_brk == MORECORE_FAILURE)
			set_head(m, old_top, ((uint64_t)size + old_size) | PREV_INUSE);
		else if (!h->noncontiguous && old_size && brk < old_end)
			m_abort(m, "break adjusted to free malloc space");
		else
			adopt_new_space(m, brk, size, snd_brk, old_top, old_size, old_end);
	}
	if (h->system_mem > h->max_system_mem)
		h->max_system_mem = h->system_mem;
	vaddr_t p = h->top;
	uint64_t tsize = chunksize(m, p);
	if (tsize >= nb + g->minsize) {
		h->top = p + nb;
		set_head(m, p, nb | PREV_INUSE);
		set_head(m, h->top, (tsize - nb) | PREV_INUSE);
		m->why = AW_TOP_GROWN;
		return chunk2mem(m, p);
	}
	m->why = AW_NULL;
	return 0;
}

void m_systrim(struct mctx *m, uint64_t pad)
{
	struct heap *h = m->h;
	int64_t top_size = (int64_t)chunksize(m, h->top);
	int64_t top_area = top_size - (int64_t)m->g->minsize - 1;
	if (top_area <= (int64_t)pad)
		return;
	int64_t extra = (top_area - (int64_t)pad) & ~(int64_t)(page(m) - 1);
	if (extra == 0)
		return;
	vaddr_t cur = morecore(m, 0);
	if (cur != h->top + (uint64_t)top_size)
		return;
	morecore(m, -extra);
	vaddr_t now = morecore(m, 0);
	uint64_t released = cur - now;
	if (released) {
		h->system_mem -= released;
		set_head(m, h->top, ((uint64_t)top_size - released) | PREV_INUSE);
		m->trimmed = true;
	}
}

void m_munmap_chunk(struct mctx *m, vaddr_t p)
{
	uint64_t size = chunksize(m, p);
	vaddr_t mem = chunk2mem(m, p);
	uint64_t ps = prev_size(m, p);
	vaddr_t block = p - ps;
	uint64_t total = ps + size;
	uint64_t off = mem & (page(m) - 1);
	if (((block | total) & (page(m) - 1)) || (off & (off - 1)))
		m_abort(m, "munmap_chunk(): invalid pointer");
	m->h->n_mmaps--;
	if (vm_munmap(m->vm, m->pid, block, total) < 0)
		m->vm->err[0] = 0;
}

vaddr_t m_mremap_chunk(struct mctx *m, vaddr_t p, uint64_t nb)
{
	uint64_t offset = prev_size(m, p);
	uint64_t size = chunksize(m, p);
	vaddr_t block = p - offset;
	vaddr_t mem = chunk2mem(m, p);
	uint64_t total = offset + size;
	uint64_t off = mem & (page(m) - 1);
	if (((block | total) & (page(m) - 1)) || (off & (off - 1)))
		m_abort(m, "mremap_chunk(): invalid pointer");
	uint64_t new_size = align_up(nb + offset + m->g->sz, page(m));
	if (new_size == total)
		return p;
	vaddr_t cp = vm_mremap(m->vm, m->pid, block, total, new_size, true);
	if (!cp) {
		m->vm->err[0] = 0;
		return 0;
	}
	p = cp + offset;
	set_head(m, p, (new_size - offset) | IS_MMAPPED);
	return p;
}
