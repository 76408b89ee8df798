/* malloc_int.h - the inside of the simulated glibc 2.36 malloc: its
 * parameters per architecture, one call's context, and chunk access.
 *
 * Everything glibc reads or writes in a chunk goes through m_rd/m_wr, which
 * access the simulated memory like the program's own loads and stores (a
 * first write faults a page in), except the words of main_arena (bin
 * headers, top, last_remainder), which live in struct heap. A chunk is its
 * address: prev_size at +0, size at +SZ, fd/bk at +2SZ/+3SZ, fd_nextsize and
 * bk_nextsize at +4SZ/+5SZ (SZ = SIZE_SZ, 8 or 4).
 */
#ifndef VMVIZ_MALLOC_INT_H
#define VMVIZ_MALLOC_INT_H

#include <setjmp.h>

#include "heap.h"

#define PREV_INUSE 1u
#define IS_MMAPPED 2u
#define NON_MAIN_ARENA 4u
#define SIZE_BITS 7u
#define MALLOC_ALIGNMENT 16u
#define MALLOC_ALIGN_MASK 15u
#define TCACHE_BINS 64u
#define TCACHE_COUNT 7u
#define FASTBIN_CONSOLIDATION_THRESHOLD 65536u
#define MMAP_AS_MORECORE_SIZE (1024u * 1024)
#define MMAP_MAX_DEFAULT 65536u

/* What differs between x86-64 and i386 glibc (malloc.c's macros with
 * SIZE_SZ 8 or 4; MALLOC_ALIGNMENT is 16 on both). */
struct mgeom {
	unsigned sz;             /* SIZE_SZ, also the pointer width */
	unsigned minsize;        /* MINSIZE */
	unsigned fast_shift;     /* fastbin_index: size >> this, - 2 */
	unsigned nfastbins;
	uint64_t max_fast;       /* global_max_fast */
	uint64_t min_large;      /* MIN_LARGE_SIZE */
	unsigned small_corr;     /* SMALLBIN_CORRECTION */
	uint64_t mmap_thr_max;   /* DEFAULT_MMAP_THRESHOLD_MAX */
	uint64_t ptrdiff_max;    /* larger requests fail at once */
	vaddr_t arena;           /* &main_arena in libc's .data */
	unsigned arena_top;      /* offsetof(struct malloc_state, top) */
	unsigned tcache_entries; /* offsetof(tcache_perthread_struct, entries) */
	uint64_t tcache_key;     /* glibc draws it at random; fixed here */
};

/* One malloc/free/realloc call. */
struct mctx {
	struct vm *vm;
	int pid;
	struct heap *h;
	const struct mgeom *g;
	jmp_buf out;             /* taken when the process dies (abort, SIGSEGV) */
	const char *abort_msg;   /* glibc's message, when it aborted */
	enum alloc_why why;      /* where the last chunk came from */
	const char *op;          /* "malloc", "free", ... for the events */
	vaddr_t op_ptr;          /* the pointer it was given, or 0 */
	uint64_t op_size;        /* the size it was given */
	bool tried_mmap;         /* sysmalloc: the threshold was met */
	uint64_t grew;           /* sysmalloc: bytes the heap grew by */
	bool trimmed;            /* systrim gave pages back */
	uint64_t words;          /* words read or written in this call */
};

const struct mgeom *mgeom_of(const struct vm *vm);

/* The reasons of the call's event (malloc_why.c): top0 is the top chunk's
 * size before the call, thr0 the mmap threshold before a free. */
uint64_t m_top_size_peek(const struct mctx *m);
void m_malloc_reason(struct mctx *m, struct event *ev, uint64_t top0);
void m_free_reason(struct mctx *m, struct event *ev, uint64_t chunk, uint64_t thr0);
/* Sets up the context; false (vm->err set) without such a process. */
bool mctx_init(struct mctx *m, struct vm *vm, int pid);

/* Simulated memory, word by word (a word is SIZE_SZ bytes). */
uint64_t m_rd(struct mctx *m, vaddr_t a);
void m_wr(struct mctx *m, vaddr_t a, uint64_t v);
uint16_t m_rd16(struct mctx *m, vaddr_t a);
void m_wr16(struct mctx *m, vaddr_t a, uint16_t v);
void m_fill(struct mctx *m, vaddr_t a, uint8_t byte, uint64_t len);
void m_copy(struct mctx *m, vaddr_t dst, vaddr_t src, uint64_t len);
/* glibc's malloc_printerr: the process dies of SIGABRT. */
_Noreturn void m_abort(struct mctx *m, const char *msg);

/* Chunk fields. */
static inline uint64_t size_nomask(struct mctx *m, vaddr_t p) { return m_rd(m, p + m->g->sz); }
static inline uint64_t chunksize(struct mctx *m, vaddr_t p) { return size_nomask(m, p) & ~(uint64_t)SIZE_BITS; }
static inline uint64_t prev_size(struct mctx *m, vaddr_t p) { return m_rd(m, p); }
static inline vaddr_t fd_of(struct mctx *m, vaddr_t p) { return m_rd(m, p + 2 * m->g->sz); }
static inline vaddr_t bk_of(struct mctx *m, vaddr_t p) { return m_rd(m, p + 3 * m->g->sz); }
static inline vaddr_t fdn_of(struct mctx *m, vaddr_t p) { return m_rd(m, p + 4 * m->g->sz); }
static inline vaddr_t bkn_of(struct mctx *m, vaddr_t p) { return m_rd(m, p + 5 * m->g->sz); }
static inline void set_fd(struct mctx *m, vaddr_t p, vaddr_t v) { m_wr(m, p + 2 * m->g->sz, v); }
static inline void set_bk(struct mctx *m, vaddr_t p, vaddr_t v) { m_wr(m, p + 3 * m->g->sz, v); }
static inline void set_fdn(struct mctx *m, vaddr_t p, vaddr_t v) { m_wr(m, p + 4 * m->g->sz, v); }
static inline void set_bkn(struct mctx *m, vaddr_t p, vaddr_t v) { m_wr(m, p + 5 * m->g->sz, v); }
static inline void set_head(struct mctx *m, vaddr_t p, uint64_t s) { m_wr(m, p + m->g->sz, s); }
static inline void set_foot(struct mctx *m, vaddr_t p, uint64_t s) { m_wr(m, p + s, s); }
static inline void set_prev_size(struct mctx *m, vaddr_t p, uint64_t s) { m_wr(m, p, s); }
static inline void set_head_size(struct mctx *m, vaddr_t p, uint64_t s)
{
	set_head(m, p, (size_nomask(m, p) & SIZE_BITS) | s);
}
static inline bool prev_inuse(struct mctx *m, vaddr_t p) { return size_nomask(m, p) & PREV_INUSE; }
static inline bool is_mmapped(struct mctx *m, vaddr_t p) { return size_nomask(m, p) & IS_MMAPPED; }
static inline bool inuse_at(struct mctx *m, vaddr_t p, uint64_t s) { return prev_inuse(m, p + s); }
static inline void set_inuse_at(struct mctx *m, vaddr_t p, uint64_t s)
{
	set_head(m, p + s, size_nomask(m, p + s) | PREV_INUSE);
}
static inline void clear_inuse_at(struct mctx *m, vaddr_t p, uint64_t s)
{
	set_head(m, p + s, size_nomask(m, p + s) & ~(uint64_t)PREV_INUSE);
}
static inline vaddr_t chunk2mem(struct mctx *m, vaddr_t p) { return p + 2 * m->g->sz; }
static inline vaddr_t mem2chunk(struct mctx *m, vaddr_t mem) { return mem - 2 * m->g->sz; }

/* Sizes and bins. */
uint64_t m_request2size(const struct mgeom *g, uint64_t req);
/* checked_request2size: 0 when the request is too large. */
uint64_t m_checked_request2size(const struct mgeom *g, uint64_t req);
bool m_misaligned_chunk(const struct mgeom *g, vaddr_t p);
static inline bool in_smallbin_range(const struct mgeom *g, uint64_t sz) { return sz < g->min_large; }
static inline unsigned csize2tidx(const struct mgeom *g, uint64_t sz)
{
	return (unsigned)((sz - g->minsize + MALLOC_ALIGNMENT - 1) / MALLOC_ALIGNMENT);
}
static inline unsigned fastbin_index(const struct mgeom *g, uint64_t sz)
{
	return (unsigned)((sz >> g->fast_shift) - 2);
}
vaddr_t bin_at(struct mctx *m, unsigned i);
static inline vaddr_t unsorted_chunks(struct mctx *m) { return bin_at(m, 1); }
vaddr_t m_protect_ptr(vaddr_t pos, vaddr_t ptr);

/* malloc_core.c */
void m_init_state(struct mctx *m);
vaddr_t m_int_malloc(struct mctx *m, uint64_t bytes);
void m_int_free(struct mctx *m, vaddr_t p, bool have_lock);
void m_consolidate(struct mctx *m);
void m_unlink(struct mctx *m, vaddr_t p);
void m_tcache_init(struct mctx *m);
void m_tcache_put(struct mctx *m, vaddr_t chunk, unsigned idx);
vaddr_t m_tcache_get(struct mctx *m, unsigned idx);
uint16_t m_tcache_count(struct mctx *m, unsigned idx);
vaddr_t m_int_realloc(struct mctx *m, vaddr_t oldp, uint64_t oldsize, uint64_t nb, enum alloc_why *how);
vaddr_t m_int_memalign(struct mctx *m, uint64_t alignment, uint64_t bytes);

/* malloc_sys.c */
vaddr_t m_sysmalloc(struct mctx *m, uint64_t nb);
void m_systrim(struct mctx *m, uint64_t pad);
void m_munmap_chunk(struct mctx *m, vaddr_t p);
/* mremap_chunk: the mapping resized (moved if it must); 0 if refused. */
vaddr_t m_mremap_chunk(struct mctx *m, vaddr_t p, uint64_t nb);

#endif
