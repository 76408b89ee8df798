/* malloc_core.c - glibc 2.36's _int_malloc, _int_free, malloc_consolidate,
 * _int_realloc and _int_memalign over the simulated memory, step for step.
 *
 * The order glibc looks for a chunk of normalised size nb:
 *  1. (in heap.c) the tcache bin of that size;
 *  2. the fastbin of that size (the rest of that fastbin refills tcache);
 *  3. the small bin of that size (likewise); for a large request,
 *     malloc_consolidate first if any fastbin holds chunks;
 *  4. the unsorted bin, oldest first: the last remainder for a small
 *     request if it is the only chunk there; an exact fit goes to tcache
 *     while that bin has room (and is returned from there at the end), else
 *     is returned; every other chunk is sorted into its small or large bin;
 *  5. for a large request, the best fit in its large bin (skip list);
 *  6. the binmap: the smallest chunk of the next non-empty larger bin,
 *     split, the remainder to the unsorted bin;
 *  7. the top chunk; if too small, consolidate fastbins and retry from 4,
 *     or sysmalloc (malloc_sys.c).
 */
#include "malloc_int.h"

void m_init_state(struct mctx *m)
{
	struct heap *h = m->h;
	for (unsigned i = 1; i < HEAP_NBINS; i++) {
		vaddr_t b = bin_at(m, i);
		h->bins[2 * (i - 1)] = b;
		h->bins[2 * (i - 1) + 1] = b;
	}
	h->top = unsorted_chunks(m);
	h->arena_ready = true;
}

static unsigned smallbin_index(const struct mgeom *g, uint64_t sz)
{
	return (unsigned)(sz >> 4) + g->small_corr;
}

static unsigned largebin_index(const struct mgeom *g, uint64_t sz)
{
	if (g->sz == 8 && (sz >> 6) <= 48)
		return 48 + (unsigned)(sz >> 6);
	if (g->sz == 4 && (sz >> 6) <= 45)
		return 49 + (unsigned)(sz >> 6);
	if ((sz >> 9) <= 20)
		return 91 + (unsigned)(sz >> 9);
	if ((sz >> 12) <= 10)
		return 110 + (unsigned)(sz >> 12);
	if ((sz >> 15) <= 4)
		return 119 + (unsigned)(sz >> 15);
	if ((sz >> 18) <= 2)
		return 124 + (unsigned)(sz >> 18);
	return 126;
}

static unsigned bin_index(const struct mgeom *g, uint64_t sz)
{
	return in_smallbin_range(g, sz) ? smallbin_index(g, sz) : largebin_index(g, sz);
}

static void mark_bin(struct heap *h, unsigned i)
{
	h->binmap[i >> 5] |= 1u << (i & 31);
}

static vaddr_t tc_count_addr(struct mctx *m, unsigned idx)
{
	return m->h->tcache + 2 * idx;
}

static vaddr_t tc_entry_addr(struct mctx *m, unsigned idx)
{
	return m->h->tcache + m->g->tcache_entries + (vaddr_t)idx * m->g->sz;
}

uint16_t m_tcache_count(struct mctx *m, unsigned idx)
{
	return m_rd16(m, tc_count_addr(m, idx));
}

void m_tcache_put(struct mctx *m, vaddr_t chunk, unsigned idx)
{
	vaddr_t e = chunk2mem(m, chunk);
	m_wr(m, e + m->g->sz, m->g->tcache_key);
	m_wr(m, e, m_protect_ptr(e, m_rd(m, tc_entry_addr(m, idx))));
	m_wr(m, tc_entry_addr(m, idx), e);
	m_wr16(m, tc_count_addr(m, idx), (uint16_t)(m_tcache_count(m, idx) + 1));
}

vaddr_t m_tcache_get(struct mctx *m, unsigned idx)
{
	vaddr_t e = m_rd(m, tc_entry_addr(m, idx));
	if (e & MALLOC_ALIGN_MASK)
		m_abort(m, "malloc(): unaligned tcache chunk detected");
	m_wr(m, tc_entry_addr(m, idx), m_protect_ptr(e, m_rd(m, e)));
	m_wr16(m, tc_count_addr(m, idx), (uint16_t)(m_tcache_count(m, idx) - 1));
	m_wr(m, e + m->g->sz, 0);
	return e;
}

void m_tcache_init(struct mctx *m)
{
	uint64_t bytes = m->g->tcache_entries + (uint64_t)TCACHE_BINS * m->g->sz;
	vaddr_t victim = m_int_malloc(m, bytes);
	if (victim) {
		m->h->tcache = victim;
		m->h->initialised = true;
		m_fill(m, victim, 0, bytes);
	}
}

void m_unlink(struct mctx *m, vaddr_t p)
{
	const struct mgeom *g = m->g;
	if (chunksize(m, p) != prev_size(m, p + chunksize(m, p)))
		m_abort(m, "corrupted size vs. prev_size");
	vaddr_t fd = fd_of(m, p), bk = bk_of(m, p);
	if (bk_of(m, fd) != p || fd_of(m, bk) != p)
		m_abort(m, "corrupted double-linked list");
	set_bk(m, fd, bk);
	set_fd(m, bk, fd);
	if (!in_smallbin_range(g, size_nomask(m, p)) && fdn_of(m, p) != 0) {
		if (bkn_of(m, fdn_of(m, p)) != p || fdn_of(m, bkn_of(m, p)) != p)
			m_abort(m, "corrupted double-linked list (not small)");
		if (fdn_of(m, fd) == 0) {
			if (fdn_of(m, p) == p) {
				set_fdn(m, fd, fd);
				set_bkn(m, fd, fd);
			} else {
				set_fdn(m, fd, fdn_of(m, p));
				set_bkn(m, fd, bkn_of(m, p));
				set_bkn(m, fdn_of(m, p), fd);
				set_fdn(m, bkn_of(m, p), fd);
			}
		} else {
			set_bkn(m, fdn_of(m, p), bkn_of(m, p));
			set_fdn(m, bkn_of(m, p), fdn_of(m, p));
		}
	}
}

/* Puts a split-off remainder at the head of the unsorted bin. */
static void remainder_to_unsorted(struct mctx *m, vaddr_t rem, uint64_t rem_size, const char *corrupt)
{
	vaddr_t bck = unsorted_chunks(m), fwd = fd_of(m, bck);
	if (bk_of(m, fwd) != bck)
		m_abort(m, corrupt);
	set_bk(m, rem, bck);
	set_fd(m, rem, fwd);
	set_fd(m, bck, rem);
	set_bk(m, fwd, rem);
	if (!in_smallbin_range(m->g, rem_size)) {
		set_fdn(m, rem, 0);
		set_bkn(m, rem, 0);
	}
}

/* Steps 2 and 3: a fastbin or small bin of exactly nb; 0 if empty. */
static vaddr_t from_fastbin(struct mctx *m, uint64_t nb)
{
	const struct mgeom *g = m->g;
	unsigned idx = fastbin_index(g, nb);
	vaddr_t *fb = &m->h->fastbins[idx];
	vaddr_t victim = *fb;
	if (!victim)
		return 0;
	if (m_misaligned_chunk(g, victim))
		m_abort(m, "malloc(): unaligned fastbin chunk detected 2");
	*fb = m_protect_ptr(victim + 2 * g->sz, fd_of(m, victim));
	if (fastbin_index(g, chunksize(m, victim)) != idx)
		m_abort(m, "malloc(): memory corruption (fast)");
	unsigned tc_idx = csize2tidx(g, nb);
	if (m->h->tcache && tc_idx < TCACHE_BINS) {
		vaddr_t tc;
		while (m_tcache_count(m, tc_idx) < TCACHE_COUNT && (tc = *fb) != 0) {
			if (m_misaligned_chunk(g, tc))
				m_abort(m, "malloc(): unaligned fastbin chunk detected 3");
			*fb = m_protect_ptr(tc + 2 * g->sz, fd_of(m, tc));
			m_tcache_put(m, tc, tc_idx);
		}
	}
	m->why = AW_FASTBIN;
	return chunk2mem(m, victim);
}

static vaddr_t from_smallbin(struct mctx *m, uint64_t nb)
{
	vaddr_t bin = bin_at(m, smallbin_index(m->g, nb));
	vaddr_t victim = bk_of(m, bin);
	if (victim == bin)
		return 0;
	vaddr_t bck = bk_of(m, victim);
	if (fd_of(m, bck) != victim)
		m_abort(m, "malloc(): smallbin double linked list corrupted");
	set_inuse_at(m, victim, nb);
	set_bk(m, bin, bck);
	set_fd(m, bck, bin);
	unsigned tc_idx = csize2tidx(m->g, nb);
	if (m->h->tcache && tc_idx < TCACHE_BINS) {
		vaddr_t tc;
		while (m_tcache_count(m, tc_idx) < TCACHE_COUNT && (tc = bk_of(m, bin)) != bin) {
			if (tc != 0) {
				bck = bk_of(m, tc);
				set_inuse_at(m, tc, nb);
				set_bk(m, bin, bck);
				set_fd(m, bck, bin);
				m_tcache_put(m, tc, tc_idx);
			}
		}
	}
	m->why = AW_SMALLBIN;
	return chunk2mem(m, victim);
}

/* Sorts victim (size, not an exact fit) into its small or large bin; large
 * bins are kept in decreasing size, one chunk of each size on the
 * fd_nextsize/bk_nextsize skip list. */
static void sort_into_bin(struct mctx *m, vaddr_t victim, uint64_t size)
{
	unsigned vi;
	vaddr_t bck, fwd;
	if (in_smallbin_range(m->g, size)) {
		vi = smallbin_index(m->g, size);
		bck = bin_at(m, vi);
		fwd = fd_of(m, bck);
	} else {
		vi = largebin_index(m->g, size);
		bck = bin_at(m, vi);
		fwd = fd_of(m, bck);
		if (fwd != bck) {
			size |= PREV_INUSE;
			if (size < size_nomask(m, bk_of(m, bck))) {
				fwd = bck;
				bck = bk_of(m, bck);
				set_fdn(m, victim, fd_of(m, fwd));
				set_bkn(m, victim, bkn_of(m, fd_of(m, fwd)));
				set_bkn(m, fd_of(m, fwd), victim);
				set_fdn(m, bkn_of(m, victim), victim);
			} else {
				while (size < size_nomask(m, fwd))
					fwd = fdn_of(m, fwd);
				if (size == size_nomask(m, fwd)) {
					fwd = fd_of(m, fwd);
				} else {
					set_fdn(m, victim, fwd);
					set_bkn(m, victim, bkn_of(m, fwd));
					if (fdn_of(m, bkn_of(m, fwd)) != fwd)
						m_abort(m, "malloc(): largebin double linked list corrupted (nextsize)");
					set_bkn(m, fwd, victim);
					set_fdn(m, bkn_of(m, victim), victim);
				}
				bck = bk_of(m, fwd);
				if (fd_of(m, bck) != fwd)
					m_abort(m, "malloc(): largebin double linked list corrupted (bk)");
			}
		} else {
			set_fdn(m, victim, victim);
			set_bkn(m, victim, victim);
		}
	}
	mark_bin(m->h, vi);
	set_bk(m, victim, bck);
	set_fd(m, victim, fwd);
	set_bk(m, fwd, victim);
	set_fd(m, bck, victim);
}

/* Splits nb off victim (already unlinked, size bytes); the rest goes to the
 * unsorted bin, or stays with victim when too small to be a chunk. */
static vaddr_t split_chunk(struct mctx *m, vaddr_t victim, uint64_t size, uint64_t nb, const char *corrupt,
			   bool set_last_remainder)
{
	uint64_t rem_size = size - nb;
	if (rem_size < m->g->minsize) {
		set_inuse_at(m, victim, size);
	} else {
		vaddr_t rem = victim + nb;
		remainder_to_unsorted(m, rem, rem_size, corrupt);
		if (set_last_remainder)
			m->h->last_remainder = rem;
		set_head(m, victim, nb | PREV_INUSE);
		set_head(m, rem, rem_size | PREV_INUSE);
		set_foot(m, rem, rem_size);
	}
	return chunk2mem(m, victim);
}

enum scan { SCAN_MORE, SCAN_DONE };

/* Step 4, one chunk: returns its pointer when malloc is done with it. */
static vaddr_t unsorted_one(struct mctx *m, uint64_t nb, vaddr_t victim, uint64_t tcache_nb, unsigned tc_idx,
			    bool *return_cached)
{
	const struct mgeom *g = m->g;
	struct heap *h = m->h;
	vaddr_t bck = bk_of(m, victim);
	uint64_t size = chunksize(m, victim);
	vaddr_t next = victim + size;
	if (size <= 2 * g->sz || size > h->system_mem)
		m_abort(m, "malloc(): invalid size (unsorted)");
	uint64_t nsize = size_nomask(m, next);
	if (nsize < 2 * g->sz || nsize > h->system_mem)
		m_abort(m, "malloc(): invalid next size (unsorted)");
	if ((prev_size(m, next) & ~(uint64_t)SIZE_BITS) != size)
		m_abort(m, "malloc(): mismatching next->prev_size (unsorted)");
	if (fd_of(m, bck) != victim || fd_of(m, victim) != unsorted_chunks(m))
		m_abort(m, "malloc(): unsorted double linked list corrupted");
	if (prev_inuse(m, next))
		m_abort(m, "malloc(): invalid next->prev_inuse (unsorted)");
	if (in_smallbin_range(g, nb) && bck == unsorted_chunks(m) && victim == h->last_remainder &&
	    size > nb + g->minsize) {
		uint64_t rem_size = size - nb;
		vaddr_t rem = victim + nb;
		vaddr_t u = unsorted_chunks(m);
		set_bk(m, u, rem);
		set_fd(m, u, rem);
		h->last_remainder = rem;
		set_bk(m, rem, u);
		set_fd(m, rem, u);
		if (!in_smallbin_range(g, rem_size)) {
			set_fdn(m, rem, 0);
			set_bkn(m, rem, 0);
		}
		set_head(m, victim, nb | PREV_INUSE);
		set_head(m, rem, rem_size | PREV_INUSE);
		set_foot(m, rem, rem_size);
		m->why = AW_LAST_REMAINDER;
		return chunk2mem(m, victim);
	}
	if (fd_of(m, bck) != victim)
		m_abort(m, "malloc(): corrupted unsorted chunks 3");
	set_bk(m, unsorted_chunks(m), bck);
	set_fd(m, bck, unsorted_chunks(m));
	if (size == nb) {
		set_inuse_at(m, victim, size);
		if (tcache_nb && m_tcache_count(m, tc_idx) < TCACHE_COUNT) {
			m_tcache_put(m, victim, tc_idx);
			*return_cached = true;
			return 0;
		}
		m->why = AW_UNSORTED;
		return chunk2mem(m, victim);
	}
	sort_into_bin(m, victim, size);
	return 0;
}

/* Step 5: best fit in the large bin idx. */
static vaddr_t from_largebin(struct mctx *m, uint64_t nb, unsigned idx)
{
	vaddr_t bin = bin_at(m, idx);
	vaddr_t victim = fd_of(m, bin);
	if (victim == bin || size_nomask(m, victim) < nb)
		return 0;
	victim = bkn_of(m, victim);
	uint64_t size;
	while ((size = chunksize(m, victim)) < nb)
		victim = bkn_of(m, victim);
	/* Take the second of equal sizes: the skip list keeps its links. */
	if (victim != bk_of(m, bin) && size_nomask(m, victim) == size_nomask(m, fd_of(m, victim)))
		victim = fd_of(m, victim);
	m_unlink(m, victim);
	m->why = AW_LARGEBIN;
	return split_chunk(m, victim, size, nb, "malloc(): corrupted unsorted chunks", false);
}

/* Step 6: the binmap search from bin idx + 1. 0 when all are empty. */
static vaddr_t from_binmap(struct mctx *m, uint64_t nb, unsigned idx)
{
	struct heap *h = m->h;
	idx++;
	vaddr_t bin = bin_at(m, idx);
	unsigned block = idx >> 5;
	uint32_t map = h->binmap[block];
	uint32_t bit = 1u << (idx & 31);
	for (;;) {
		if (bit > map || bit == 0) {
			do {
				if (++block >= HEAP_BINMAP_WORDS)
					return 0;
			} while ((map = h->binmap[block]) == 0);
			bin = bin_at(m, block << 5);
			bit = 1;
		}
		while ((bit & map) == 0) {
			bin += 2 * m->g->sz;
			bit <<= 1;
		}
		vaddr_t victim = bk_of(m, bin);
		if (victim == bin) {
			h->binmap[block] = map &= ~bit;
			bin += 2 * m->g->sz;
			bit <<= 1;
			continue;
		}
		uint64_t size = chunksize(m, victim);
		m_unlink(m, victim);
		m->why = AW_BINMAP;
		return split_chunk(m, victim, size, nb, "malloc(): corrupted unsorted chunks 2", in_smallbin_range(m->g, nb));
	}
}

vaddr_t m_int_malloc(struct mctx *m, uint64_t bytes)
{
	const struct mgeom *g = m->g;
	struct heap *h = m->h;
	uint64_t nb = m_checked_request2size(g, bytes);
	if (nb == 0)
		return 0;
	vaddr_t r;
	unsigned idx;
	if (nb <= g->max_fast && (r = from_fastbin(m, nb)) != 0)
		return r;
	if (in_smallbin_range(g, nb)) {
		idx = smallbin_index(g, nb);
		if ((r = from_smallbin(m, nb)) != 0)
			return r;
	} else {
		idx = largebin_index(g, nb);
		if (h->have_fastchunks)
			m_consolidate(m);
	}
	uint64_t tcache_nb = 0;
	unsigned tc_idx = csize2tidx(g, nb);
	if (h->tcache && tc_idx < TCACHE_BINS)
		tcache_nb = nb;
	bool return_cached = false;
	for (;;) {
		int iters = 0;
		vaddr_t victim;
		while ((victim = bk_of(m, unsorted_chunks(m))) != unsorted_chunks(m)) {
			if ((r = unsorted_one(m, nb, victim, tcache_nb, tc_idx, &return_cached)) != 0)
				return r;
			/* tcache_unsorted_limit is 0: no early return here */
			if (++iters >= 10000)
				break;
		}
		if (return_cached) {
			m->why = AW_UNSORTED;
			return m_tcache_get(m, tc_idx);
		}
		if (!in_smallbin_range(g, nb) && (r = from_largebin(m, nb, idx)) != 0)
			return r;
		if ((r = from_binmap(m, nb, idx)) != 0)
			return r;
		victim = h->top;
		uint64_t size = chunksize(m, victim);
		if (size > h->system_mem)
			m_abort(m, "malloc(): corrupted top size");
		if (size >= nb + g->minsize) {
			h->top = victim + nb;
			set_head(m, victim, nb | PREV_INUSE);
			set_head(m, h->top, (size - nb) | PREV_INUSE);
			m->why = AW_TOP;
			return chunk2mem(m, victim);
		}
		if (h->have_fastchunks) {
			m_consolidate(m);
			idx = bin_index(g, nb);
			continue;
		}
		return m_sysmalloc(m, nb);
	}
}

void m_int_free(struct mctx *m, vaddr_t p, bool have_lock)
{
	const struct mgeom *g = m->g;
	struct heap *h = m->h;
	uint64_t size = chunksize(m, p);
	if (p > (vaddr_t)0 - size || m_misaligned_chunk(g, p) || (g->sz == 4 && p + size > 0xffffffffull + 1))
		m_abort(m, "free(): invalid pointer");
	if (size < g->minsize || (size & MALLOC_ALIGN_MASK))
		m_abort(m, "free(): invalid size");
	unsigned tc_idx = csize2tidx(g, size);
	if (h->tcache && tc_idx < TCACHE_BINS) {
		vaddr_t e = chunk2mem(m, p);
		if (m_rd(m, e + g->sz) == g->tcache_key) {
			unsigned cnt = 0;
			for (vaddr_t t = m_rd(m, m->h->tcache + g->tcache_entries + (vaddr_t)tc_idx * g->sz); t;
			     t = m_protect_ptr(t, m_rd(m, t)), cnt++) {
				if (cnt >= TCACHE_COUNT)
					m_abort(m, "free(): too many chunks detected in tcache");
				if (t & MALLOC_ALIGN_MASK)
					m_abort(m, "free(): unaligned chunk detected in tcache 2");
				if (t == e)
					m_abort(m, "free(): double free detected in tcache 2");
			}
		}
		if (m_tcache_count(m, tc_idx) < TCACHE_COUNT) {
			m_tcache_put(m, p, tc_idx);
			m->why = AW_TO_TCACHE;
			return;
		}
	}
	/* TRIM_FASTBINS is 0: a chunk bordering top goes to its fastbin too. */
	if (size <= g->max_fast) {
		uint64_t nsz = size_nomask(m, p + size);
		if (nsz <= 2 * g->sz || chunksize(m, p + size) >= h->system_mem)
			m_abort(m, "free(): invalid next size (fast)");
		h->have_fastchunks = true;
		unsigned idx = fastbin_index(g, size);
		vaddr_t old = h->fastbins[idx];
		if (old == p)
			m_abort(m, "double free or corruption (fasttop)");
		set_fd(m, p, m_protect_ptr(p + 2 * g->sz, old));
		h->fastbins[idx] = p;
		if (have_lock && old && fastbin_index(g, chunksize(m, old)) != idx)
			m_abort(m, "invalid fastbin entry (free)");
		m->why = AW_TO_FASTBIN;
		return;
	}
	if (is_mmapped(m, p)) {
		m_munmap_chunk(m, p);
		m->why = AW_MUNMAP;
		return;
	}
	vaddr_t next = p + size;
	if (p == h->top)
		m_abort(m, "double free or corruption (top)");
	if (!h->noncontiguous && next >= h->top + chunksize(m, h->top))
		m_abort(m, "double free or corruption (out)");
	if (!prev_inuse(m, next))
		m_abort(m, "double free or corruption (!prev)");
	uint64_t nextsize = chunksize(m, next);
	if (size_nomask(m, next) <= 2 * g->sz || nextsize >= h->system_mem)
		m_abort(m, "free(): invalid next size (normal)");
	if (!prev_inuse(m, p)) {
		uint64_t ps = prev_size(m, p);
		size += ps;
		p -= ps;
		if (chunksize(m, p) != ps)
			m_abort(m, "corrupted size vs. prev_size while consolidating");
		m_unlink(m, p);
	}
	if (next != h->top) {
		if (!inuse_at(m, next, nextsize)) {
			m_unlink(m, next);
			size += nextsize;
		} else {
			clear_inuse_at(m, next, 0);
		}
		vaddr_t bck = unsorted_chunks(m), fwd = fd_of(m, bck);
		if (bk_of(m, fwd) != bck)
			m_abort(m, "free(): corrupted unsorted chunks");
		set_fd(m, p, fwd);
		set_bk(m, p, bck);
		if (!in_smallbin_range(g, size)) {
			set_fdn(m, p, 0);
			set_bkn(m, p, 0);
		}
		set_fd(m, bck, p);
		set_bk(m, fwd, p);
		set_head(m, p, size | PREV_INUSE);
		set_foot(m, p, size);
		m->why = AW_TO_UNSORTED;
	} else {
		size += nextsize;
		set_head(m, p, size | PREV_INUSE);
		h->top = p;
		m->why = AW_TO_TOP;
	}
	if (size >= FASTBIN_CONSOLIDATION_THRESHOLD) {
		if (h->have_fastchunks)
			m_consolidate(m);
		if (chunksize(m, h->top) >= h->trim_threshold)
			m_systrim(m, h->top_pad);
	}
}

void m_consolidate(struct mctx *m)
{
	const struct mgeom *g = m->g;
	struct heap *h = m->h;
	h->have_fastchunks = false;
	vaddr_t unsorted = unsorted_chunks(m);
	for (unsigned fbi = 0; fbi < g->nfastbins; fbi++) {
		vaddr_t p = h->fastbins[fbi];
		h->fastbins[fbi] = 0;
		while (p) {
			if (m_misaligned_chunk(g, p))
				m_abort(m, "malloc_consolidate(): unaligned fastbin chunk detected");
			if (fastbin_index(g, chunksize(m, p)) != fbi)
				m_abort(m, "malloc_consolidate(): invalid chunk size");
			vaddr_t nextp = m_protect_ptr(p + 2 * g->sz, fd_of(m, p));
			uint64_t size = chunksize(m, p);
			vaddr_t next = p + size;
			uint64_t nextsize = chunksize(m, next);
			if (!prev_inuse(m, p)) {
				uint64_t ps = prev_size(m, p);
				size += ps;
				p -= ps;
				if (chunksize(m, p) != ps)
					m_abort(m, "corrupted size vs. prev_size in fastbins");
				m_unlink(m, p);
			}
			if (next != h->top) {
				if (!inuse_at(m, next, nextsize)) {
					size += nextsize;
					m_unlink(m, next);
				} else {
					clear_inuse_at(m, next, 0);
				}
				vaddr_t first = fd_of(m, unsorted);
				set_fd(m, unsorted, p);
				set_bk(m, first, p);
				if (!in_smallbin_range(g, size)) {
					set_fdn(m, p, 0);
					set_bkn(m, p, 0);
				}
				set_head(m, p, size | PREV_INUSE);
				set_bk(m, p, unsorted);
				set_fd(m, p, first);
				set_foot(m, p, size);
			} else {
				size += nextsize;
				set_head(m, p, size | PREV_INUSE);
				h->top = p;
			}
			p = nextp;
		}
	}
}

vaddr_t m_int_realloc(struct mctx *m, vaddr_t oldp, uint64_t oldsize, uint64_t nb, enum alloc_why *how)
{
	const struct mgeom *g = m->g;
	struct heap *h = m->h;
	if (size_nomask(m, oldp) <= 2 * g->sz || oldsize >= h->system_mem)
		m_abort(m, "realloc(): invalid old size");
	vaddr_t next = oldp + oldsize;
	uint64_t nextsize = chunksize(m, next);
	if (size_nomask(m, next) <= 2 * g->sz || nextsize >= h->system_mem)
		m_abort(m, "realloc(): invalid next size");
	vaddr_t newp;
	uint64_t newsize;
	*how = AW_REALLOC_SAME;
	if (oldsize >= nb) {
		newp = oldp;
		newsize = oldsize;
	} else if (next == h->top && (newsize = oldsize + nextsize) >= nb + g->minsize) {
		set_head_size(m, oldp, nb);
		h->top = oldp + nb;
		set_head(m, h->top, (newsize - nb) | PREV_INUSE);
		*how = AW_REALLOC_TOP;
		return chunk2mem(m, oldp);
	} else if (next != h->top && !inuse_at(m, next, nextsize) && (newsize = oldsize + nextsize) >= nb) {
		newp = oldp;
		m_unlink(m, next);
		*how = AW_REALLOC_NEXT;
	} else {
		vaddr_t newmem = m_int_malloc(m, nb - MALLOC_ALIGN_MASK);
		if (!newmem)
			return 0;
		newp = mem2chunk(m, newmem);
		newsize = chunksize(m, newp);
		if (newp == next) {
			newsize += oldsize;
			newp = oldp;
			*how = AW_REALLOC_NEXT;
		} else {
			/* memsize: the chunk less its header, plus the next
			 * chunk's prev_size field it may use. */
			m_copy(m, newmem, chunk2mem(m, oldp), oldsize - 2 * g->sz + g->sz);
			m_int_free(m, oldp, true);
			*how = AW_REALLOC_MOVED;
			return newmem;
		}
	}
	uint64_t rem_size = newsize - nb;
	if (rem_size < g->minsize) {
		set_head_size(m, newp, newsize);
		set_inuse_at(m, newp, newsize);
	} else {
		vaddr_t rem = newp + nb;
		set_head_size(m, newp, nb);
		set_head(m, rem, rem_size | PREV_INUSE);
		set_inuse_at(m, rem, rem_size);
		m_int_free(m, rem, true);
	}
	return chunk2mem(m, newp);
}

vaddr_t m_int_memalign(struct mctx *m, uint64_t alignment, uint64_t bytes)
{
	const struct mgeom *g = m->g;
	uint64_t nb = m_checked_request2size(g, bytes);
	if (nb == 0)
		return 0;
	vaddr_t mem = m_int_malloc(m, nb + alignment + g->minsize);
	if (!mem)
		return 0;
	vaddr_t p = mem2chunk(m, mem);
	if (mem % alignment) {
		vaddr_t brk = mem2chunk(m, (mem + alignment - 1) & ~(alignment - 1));
		if (brk - p < g->minsize)
			brk += alignment;
		vaddr_t newp = brk;
		uint64_t lead = brk - p;
		uint64_t newsize = chunksize(m, p) - lead;
		if (is_mmapped(m, p)) {
			set_prev_size(m, newp, prev_size(m, p) + lead);
			set_head(m, newp, newsize | IS_MMAPPED);
			return chunk2mem(m, newp);
		}
		set_head(m, newp, newsize | PREV_INUSE);
		set_inuse_at(m, newp, newsize);
		set_head_size(m, p, lead);
		m_int_free(m, p, true);
		p = newp;
	}
	if (!is_mmapped(m, p)) {
		uint64_t size = chunksize(m, p);
		if (size > nb + g->minsize) {
			vaddr_t rem = p + nb;
			set_head(m, rem, (size - nb) | PREV_INUSE);
			set_head_size(m, p, nb);
			m_int_free(m, rem, true);
		}
	}
	return chunk2mem(m, p);
}
