/* heap.c - the simulated process's malloc, calloc, realloc, memalign and
 * free: glibc 2.36's public entry points (__libc_malloc and friends) over
 * malloc_core.c, plus the list of live blocks the screen and commands use.
 *
 * A call runs inside an mctx whose jmp_buf is taken when the process dies
 * under it: glibc aborted (SIGABRT) or one of its reads or writes hit an
 * address that is not mapped (SIGSEGV), as happens to a real process whose
 * heap was corrupted. The call then returns 0 and the process is gone.
 */
#include "internal.h"
#include "malloc_int.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOP_PAD_DEFAULT (128u * 1024)   /* glibc.malloc.top_pad, as measured */

void heap_init(struct heap *h)
{
	memset(h, 0, sizeof *h);
	h->mmap_threshold = MMAP_THRESHOLD_INIT;
	h->trim_threshold = TRIM_THRESHOLD_INIT;
	h->top_pad = TOP_PAD_DEFAULT;
	h->n_mmaps_max = MMAP_MAX_DEFAULT;
}

void heap_destroy(struct heap *h)
{
	free(h->blocks);
	heap_init(h);
}

int heap_copy(struct heap *dst, const struct heap *src)
{
	*dst = *src;
	dst->blocks = NULL;
	dst->blocks_cap = 0;
	if (src->nblocks) {
		dst->blocks = malloc(src->nblocks * sizeof *dst->blocks);
		if (!dst->blocks) {
			heap_init(dst);
			return -1;
		}
		memcpy(dst->blocks, src->blocks, src->nblocks * sizeof *dst->blocks);
		dst->blocks_cap = src->nblocks;
	}
	return 0;
}

static void block_add(struct heap *h, vaddr_t mem, uint64_t request, bool mmapped)
{
	if (h->nblocks == h->blocks_cap) {
		size_t cap = h->blocks_cap ? 2 * h->blocks_cap : 16;
		struct heap_block *b = realloc(h->blocks, cap * sizeof *b);
		if (!b)
			return; /* only the screen's list misses it */
		h->blocks = b;
		h->blocks_cap = cap;
	}
	h->blocks[h->nblocks++] = (struct heap_block){mem, request, mmapped};
}

/* Forgets the live block mem. One the program does not hold (a stale or
 * made-up pointer glibc let through) leaves glibc's lists in whatever
 * state it made: the invariant checker stops vouching for this heap. */
static void block_remove(struct heap *h, vaddr_t mem)
{
	for (size_t i = h->nblocks; i-- > 0;)
		if (h->blocks[i].mem == mem) {
			memmove(&h->blocks[i], &h->blocks[i + 1], (h->nblocks - i - 1) * sizeof *h->blocks);
			h->nblocks--;
			return;
		}
	h->tainted = true;
}

static struct event *alloc_event(struct mctx *m, enum event_kind kind, vaddr_t va, uint64_t size)
{
	struct event *ev = event_push(&m->vm->log, kind, m->pid);
	snprintf(ev->text, sizeof ev->text, "%s", m->op);
	ev->va = va;
	ev->a = size;
	ev->level = m->why;
	return ev;
}

/* The event of a call that returned mem (0: NULL); brk0 is the break before,
 * top0 the top chunk's size before. */
static struct event *malloc_event(struct mctx *m, vaddr_t mem, uint64_t size, vaddr_t brk0, uint64_t top0)
{
	struct proc *p = vm_proc(m->vm, m->pid);
	if (!mem && m->why != AW_TOO_LARGE)
		m->why = AW_NULL;
	else if (m->why == AW_TOP && p->brk != brk0)
		m->why = AW_TOP_GROWN; /* the first malloc: tcache's set-up grew it */
	struct event *ev = alloc_event(m, EV_MALLOC, mem, size);
	if (m->why == AW_TOP_GROWN)
		ev->b = p->brk - brk0;
	else if (m->why == AW_MMAP)
		ev->b = m->h->mmap_threshold;
	if (strcmp(m->op, "realloc") == 0)
		ev->b = m->op_ptr;
	else
		m_malloc_reason(m, ev, top0);
	return ev;
}

static void maybe_init_tcache(struct mctx *m)
{
	if (!m->h->tcache)
		m_tcache_init(m);
}

/* __libc_malloc. */
static vaddr_t libc_malloc(struct mctx *m, uint64_t bytes)
{
	uint64_t tbytes = m_checked_request2size(m->g, bytes);
	if (tbytes == 0) {
		m->why = AW_TOO_LARGE;
		return 0;
	}
	unsigned tc_idx = csize2tidx(m->g, tbytes);
	maybe_init_tcache(m);
	m->why = AW_NONE;
	if (tc_idx < TCACHE_BINS && m->h->tcache && m_tcache_count(m, tc_idx) > 0) {
		m->why = AW_TCACHE;
		return m_tcache_get(m, tc_idx);
	}
	return m_int_malloc(m, bytes);
}

/* The end of a call the process did not survive. */
static vaddr_t died(struct vm *vm, int pid)
{
	(void)pid;
	if (!vm->err[0])
		snprintf(vm->err, sizeof vm->err, "the process died in malloc");
	return 0;
}

vaddr_t vm_malloc(struct vm *vm, int pid, uint64_t size)
{
	struct mctx m;
	if (!mctx_init(&m, vm, pid))
		return 0;
	if (setjmp(m.out))
		return died(vm, pid);
	m.op = "malloc";
	m.op_size = size;
	vaddr_t brk0 = vm_proc(vm, pid)->brk;
	uint64_t top0 = m_top_size_peek(&m);
	vaddr_t mem = libc_malloc(&m, size);
	if (mem)
		block_add(m.h, mem, size, is_mmapped(&m, mem2chunk(&m, mem)));
	malloc_event(&m, mem, size, brk0, top0);
	return mem;
}

/* The part of calloc's chunk glibc clears: all of it, except memory fresh
 * from the kernel at the heap's high-water mark, which is zero already. */
static void calloc_clear(struct mctx *m, vaddr_t mem, vaddr_t oldtop, uint64_t oldtopsize)
{
	vaddr_t p = mem2chunk(m, mem);
	uint64_t csz = chunksize(m, p);
	if (is_mmapped(m, p))
		return;
	if (p == oldtop && csz > oldtopsize)
		csz = oldtopsize;
	m_fill(m, mem, 0, csz - m->g->sz);
}

vaddr_t vm_calloc(struct vm *vm, int pid, uint64_t n, uint64_t size)
{
	struct mctx m;
	if (!mctx_init(&m, vm, pid))
		return 0;
	if (setjmp(m.out))
		return died(vm, pid);
	m.op = "calloc";
	uint64_t bytes = n * size;
	m.op_size = bytes;
	vaddr_t brk0 = vm_proc(vm, pid)->brk;
	if ((size && n > UINT64_MAX / size) || bytes > m.g->ptrdiff_max) {
		m.why = AW_TOO_LARGE;
		struct event *ev = malloc_event(&m, 0, bytes, brk0, 0);
		ev->slot = (int64_t)n, ev->pfn = (int64_t)size;
		return 0;
	}
	maybe_init_tcache(&m);
	m.why = AW_NONE;
	struct heap *h = m.h;
	vaddr_t oldtop = h->top;
	/* malloc.c would widen this to the heap's high-water mark
	 * (max_system_mem); Debian 12's libc.so.6 does not (its calloc, read
	 * with objdump, keeps chunksize(top) for main_arena), and a real run
	 * agrees: after a trim, calloc clears only up to the old top's end,
	 * pages regrown past it stay untouched (probe case calloc_after_trim). */
	uint64_t top0 = m_top_size_peek(&m);
	uint64_t oldtopsize = chunksize(&m, oldtop);
	/* calloc does not look in the tcache: straight to _int_malloc. */
	vaddr_t mem = m_int_malloc(&m, bytes);
	if (mem) {
		calloc_clear(&m, mem, oldtop, oldtopsize);
		block_add(h, mem, bytes, is_mmapped(&m, mem2chunk(&m, mem)));
	}
	struct event *ev = malloc_event(&m, mem, bytes, brk0, top0);
	ev->slot = (int64_t)n, ev->pfn = (int64_t)size;
	return mem;
}

struct event_extra {
	uint64_t threshold;  /* the mmap threshold, if it rose */
};

/* __libc_free's mmapped branch: the dynamic threshold, then munmap. */
static void free_mmapped(struct mctx *m, vaddr_t p, struct event_extra *out)
{
	struct heap *h = m->h;
	uint64_t raw = size_nomask(m, p);
	if (raw > h->mmap_threshold && raw <= m->g->mmap_thr_max) {
		h->mmap_threshold = raw & ~(uint64_t)SIZE_BITS;
		h->trim_threshold = 2 * h->mmap_threshold;
		out->threshold = h->mmap_threshold;
	}
	m_munmap_chunk(m, p);
	m->why = AW_MUNMAP;
}

static void libc_free(struct mctx *m, vaddr_t mem, struct event_extra *x)
{
	vaddr_t p = mem2chunk(m, mem);
	if (is_mmapped(m, p)) {
		free_mmapped(m, p, x);
		return;
	}
	maybe_init_tcache(m);
	m_int_free(m, p, false);
}

int vm_free_ptr(struct vm *vm, int pid, vaddr_t ptr)
{
	struct mctx m;
	if (!mctx_init(&m, vm, pid))
		return -1;
	if (ptr == 0)
		return 0;
	if (setjmp(m.out)) {
		died(vm, pid);
		return 1;
	}
	m.op = "free";
	m.op_ptr = ptr;
	struct event_extra x = {0};
	uint64_t chunk_size = chunksize(&m, mem2chunk(&m, ptr));
	uint64_t thr0 = m.h->mmap_threshold;
	vaddr_t brk0 = vm_proc(vm, pid)->brk;
	libc_free(&m, ptr, &x);
	struct proc *p = vm_proc(vm, pid);
	uint64_t request = chunk_size;
	for (size_t i = 0; i < m.h->nblocks; i++)
		if (m.h->blocks[i].mem == ptr)
			request = m.h->blocks[i].request;
	block_remove(m.h, ptr);
	if (m.trimmed)
		m.why = AW_TRIMMED;
	struct event *ev = alloc_event(&m, EV_FREE, ptr, request);
	switch (m.why) {
	case AW_TO_TCACHE:
		ev->b = chunk_size;
		ev->slot = m_tcache_count(&m, csize2tidx(m.g, chunk_size));
		break;
	case AW_TO_FASTBIN:
		ev->b = chunk_size;
		break;
	case AW_TRIMMED:
		ev->b = brk0 - p->brk;
		break;
	case AW_MUNMAP:
		ev->b = x.threshold;
		break;
	default:
		break;
	}
	m_free_reason(&m, ev, chunk_size, thr0);
	return 0;
}

vaddr_t vm_realloc(struct vm *vm, int pid, vaddr_t ptr, uint64_t size)
{
	if (size == 0 && ptr) {
		int rc = vm_free_ptr(vm, pid, ptr);
		if (rc < 0)
			return 0;
		vm->err[0] = 0;
		return 0;
	}
	if (!ptr)
		return vm_malloc(vm, pid, size);
	struct mctx m;
	if (!mctx_init(&m, vm, pid))
		return 0;
	if (setjmp(m.out))
		return died(vm, pid);
	m.op = "realloc";
	m.op_ptr = ptr;
	m.op_size = size;
	const struct mgeom *g = m.g;
	vaddr_t brk0 = vm_proc(vm, pid)->brk;
	vaddr_t oldp = mem2chunk(&m, ptr);
	uint64_t oldsize = chunksize(&m, oldp);
	bool mmapped = is_mmapped(&m, oldp);
	if (!mmapped)
		maybe_init_tcache(&m);
	uint64_t wrap = g->sz == 4 ? (1ull << 32) - oldsize : (vaddr_t)0 - oldsize;
	if (oldp > wrap || m_misaligned_chunk(g, oldp))
		m_abort(&m, "realloc(): invalid pointer");
	uint64_t nb = m_checked_request2size(g, size);
	vaddr_t mem = 0;
	enum alloc_why how = AW_NULL;
	if (nb == 0) {
		how = AW_TOO_LARGE;
	} else if (mmapped) {
		vaddr_t np = m_mremap_chunk(&m, oldp, nb);
		if (np) {
			mem = chunk2mem(&m, np);
			how = np == oldp ? AW_REALLOC_SAME : AW_REALLOC_MREMAP;
		} else if (oldsize - g->sz >= nb) {
			mem = ptr;
			how = AW_REALLOC_SAME;
		} else if ((mem = libc_malloc(&m, size)) != 0) {
			m_copy(&m, mem, ptr, oldsize - 2 * g->sz);
			m_munmap_chunk(&m, oldp);
			how = AW_REALLOC_MOVED;
		}
	} else {
		mem = m_int_realloc(&m, oldp, oldsize, nb, &how);
		if (!mem && (mem = libc_malloc(&m, size)) != 0) {
			m_copy(&m, mem, ptr, oldsize - g->sz);
			m_int_free(&m, oldp, false);
			how = AW_REALLOC_MOVED;
		}
	}
	if (mem) {
		bool was_mmapped = mmapped;
		block_remove(m.h, ptr);
		block_add(m.h, mem, size, was_mmapped && how == AW_REALLOC_SAME ? true : is_mmapped(&m, mem2chunk(&m, mem)));
	}
	m.why = mem || how == AW_TOO_LARGE ? how : AW_NULL;
	malloc_event(&m, mem, size, brk0, 0);
	return mem;
}

vaddr_t vm_memalign(struct vm *vm, int pid, uint64_t alignment, uint64_t size)
{
	struct mctx m;
	if (!mctx_init(&m, vm, pid))
		return 0;
	if (alignment <= MALLOC_ALIGNMENT)
		return vm_malloc(vm, pid, size);
	/* _mid_memalign: at least MINSIZE, a power of two at most half the
	 * address space (0 here means too large). */
	uint64_t align = alignment < m.g->minsize ? m.g->minsize : alignment;
	if (align > (m.g->sz == 4 ? (1ull << 31) : (1ull << 63))) {
		align = 0;
	} else if (align & (align - 1)) {
		uint64_t a = 2 * MALLOC_ALIGNMENT;
		while (a < align)
			a <<= 1;
		align = a;
	}
	if (setjmp(m.out))
		return died(vm, pid);
	m.op = "memalign";
	m.op_size = size;
	vaddr_t brk0 = vm_proc(vm, pid)->brk;
	vaddr_t mem = 0;
	uint64_t top0 = m_top_size_peek(&m);
	if (!align || m_checked_request2size(m.g, size) == 0)
		m.why = AW_TOO_LARGE;
	else
		mem = m_int_memalign(&m, align, size);
	if (mem)
		block_add(m.h, mem, size, is_mmapped(&m, mem2chunk(&m, mem)));
	malloc_event(&m, mem, size, brk0, top0);
	return mem;
}

bool heap_find(const struct vm *vm, const struct proc *p, vaddr_t va, struct chunk *out)
{
	const struct heap *h = &p->heap;
	const struct mgeom *g = mgeom_of(vm);
	for (size_t i = h->nblocks; i-- > 0;) {
		const struct heap_block *b = &h->blocks[i];
		uint64_t len = b->request ? b->request : 1;
		if (va < b->mem || va >= b->mem + len)
			continue;
		vaddr_t c = b->mem - 2 * g->sz;
		uint64_t size = 0;
		for (unsigned k = 0; k < g->sz; k++) {
			uint8_t byte = 0;
			vm_peek(vm, p->pid, c + g->sz + k, &byte);
			size |= (uint64_t)byte << (8 * k);
		}
		*out = (struct chunk){.addr = c, .size = size & ~(uint64_t)SIZE_BITS, .request = b->request,
				      .in_use = true, .mmapped = b->mmapped};
		return true;
	}
	return false;
}

vaddr_t heap_first_chunk(const struct vm *vm, const struct proc *p)
{
	/* i386: the chunk sits 8 bytes in so that its user pointer is
	 * 16-aligned (sysmalloc's front_misalign). */
	vaddr_t base = p->heap.sbrk_base ? p->heap.sbrk_base : p->start_brk;
	return base + (mgeom_of(vm)->sz == 4 ? 8 : 0);
}

vaddr_t heap_chunk_mem(const struct vm *vm, const struct chunk *c)
{
	return c->addr + 2 * mgeom_of(vm)->sz;
}

vaddr_t heap_bin_addr(const struct vm *vm, unsigned i)
{
	const struct mgeom *g = mgeom_of(vm);
	return g->arena + g->arena_top + (vaddr_t)(i - 1) * 2 * g->sz;
}

void heap_note_store(struct proc *p, vaddr_t va, uint64_t len)
{
	struct heap *h = &p->heap;
	if (h->storing || h->tainted || !h->initialised || va + len <= h->sbrk_base || va >= p->brk)
		return;
	for (size_t i = 0; i < h->nblocks; i++)
		if (va >= h->blocks[i].mem && va + len <= h->blocks[i].mem + h->blocks[i].request)
			return;
	h->tainted = true;
}
