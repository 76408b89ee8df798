/* heap.c - a glibc-like allocator over the simulated address space.
 *
 * Chunks carry glibc's header (two size fields: 16 bytes, 8 on i386),
 * written into simulated memory so the allocator's own writes fault pages
 * in, as on Linux. Simplified from glibc: one free list, first fit, freed
 * chunks coalesce at once (glibc's tcache and fastbins delay that), which
 * keeps what the screen shows easy to follow.
 */
#include "heap.h"
#include "internal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREV_INUSE 1u
#define IS_MMAPPED 2u
#define REQUEST_MAX (1ull << 40)

/* glibc's chunk geometry. Both use 16-byte alignment; i386's 4-byte size
 * fields put a chunk 8 bytes past a 16-byte boundary, so glibc starts the
 * first one 8 bytes into the heap (and sbrk's a page more to keep the end
 * aligned) and an mmapped one 8 bytes into its mapping. Measured with glibc
 * 2.36: malloc(1024) first = heap + 0x2a0 (x86-64), heap + 0x1a0 (i386). */
struct geom {
	unsigned size_sz;  /* a size field */
	unsigned minsize;  /* the smallest chunk */
	unsigned lead;     /* a chunk's offset from a 16-byte boundary */
	unsigned tcache;   /* the chunk of glibc's tcache_perthread_struct */
};

static const struct geom *geom(const struct vm *vm)
{
	static const struct geom g64 = {8, 32, 0, 0x290}, g32 = {4, 16, 8, 0x190};
	return vm->arch.kind == ARCH_X86 ? &g32 : &g64;
}

/* From a chunk to the pointer malloc returns: past its two size fields. */
static unsigned mem_off(const struct geom *g)
{
	return 2 * g->size_sz;
}

void heap_init(struct heap *h)
{
	memset(h, 0, sizeof *h);
	h->mmap_threshold = MMAP_THRESHOLD_INIT;
	h->trim_threshold = TRIM_THRESHOLD_INIT;
}

static void free_list(struct chunk *c)
{
	while (c) {
		struct chunk *n = c->next;
		free(c);
		c = n;
	}
}

void heap_destroy(struct heap *h)
{
	free_list(h->chunks);
	free_list(h->mmapped);
	heap_init(h);
}

static int copy_list(struct chunk **dst, const struct chunk *src)
{
	*dst = NULL;
	for (; src; src = src->next) {
		struct chunk *c = malloc(sizeof *c);
		if (!c)
			return -1;
		*c = *src;
		c->next = NULL;
		*dst = c;
		dst = &c->next;
	}
	return 0;
}

int heap_copy(struct heap *dst, const struct heap *src)
{
	*dst = *src;
	dst->chunks = dst->mmapped = NULL;
	if (copy_list(&dst->chunks, src->chunks) < 0 || copy_list(&dst->mmapped, src->mmapped) < 0) {
		heap_destroy(dst);
		return -1;
	}
	return 0;
}

static uint64_t request2size(const struct geom *g, uint64_t n)
{
	uint64_t s = (n + g->size_sz + 15) & ~15ull;
	return s < g->minsize ? g->minsize : s;
}

/* Writes words of the header's width, little-endian, from at on. */
static int write_words(struct vm *vm, int pid, vaddr_t at, const uint64_t *words, unsigned n)
{
	unsigned sz = geom(vm)->size_sz;
	uint8_t buf[32];
	for (unsigned i = 0; i < n; i++)
		for (unsigned b = 0; b < sz; b++)
			buf[i * sz + b] = (uint8_t)(words[i] >> (8 * b));
	return vm_write_buf(vm, pid, at, buf, (size_t)n * sz);
}

/* Writes a chunk's size field (the second word of its header). */
static int write_header(struct vm *vm, int pid, vaddr_t chunk, uint64_t size_field)
{
	return write_words(vm, pid, chunk + geom(vm)->size_sz, &size_field, 1);
}

vaddr_t heap_first_chunk(const struct vm *vm, const struct proc *p)
{
	return p->start_brk + geom(vm)->lead;
}

vaddr_t heap_chunk_mem(const struct vm *vm, const struct chunk *c)
{
	return c->addr + mem_off(geom(vm));
}

static struct chunk *chunk_new(vaddr_t addr, uint64_t size, uint64_t request, bool mmapped)
{
	struct chunk *c = calloc(1, sizeof *c);
	if (c) {
		c->addr = addr;
		c->size = size;
		c->request = request;
		c->in_use = true;
		c->mmapped = mmapped;
	}
	return c;
}

/* The mapping malloc_mmapped makes for a chunk of nb bytes. */
static uint64_t mmapped_len(const struct vm *vm, uint64_t nb)
{
	const struct geom *g = geom(vm);
	return PAGE_UP(&vm->arch, nb + g->size_sz + (g->lead ? 15 : 0));
}

static vaddr_t malloc_mmapped(struct vm *vm, struct proc *p, uint64_t nb, uint64_t request)
{
	const struct geom *g = geom(vm);
	uint64_t len = mmapped_len(vm, nb);
	int pid = p->pid;
	struct chunk *c = chunk_new(0, len, request, true);
	if (!c) {
		snprintf(vm->err, sizeof vm->err, "out of memory");
		return 0;
	}
	vaddr_t addr = vm_mmap(vm, pid, len, PROT_R | PROT_W, 0, "");
	if (!addr) {
		free(c);
		return 0;
	}
	c->addr = addr + g->lead;
	c->next = p->heap.mmapped;
	p->heap.mmapped = c;
	uint64_t lead = g->lead;
	if (lead && write_words(vm, pid, c->addr, &lead, 1) < 0)
		return 0; /* glibc keeps the lead in prev_size, for munmap */
	if (write_header(vm, pid, c->addr, (len - g->lead) | IS_MMAPPED) < 0)
		return 0;
	return c->addr + mem_off(g);
}

/* Makes the top chunk at least need bytes, moving brk as glibc's sysmalloc:
 * by what is missing plus the top pad, rounded up to pages. */
static int grow_top(struct vm *vm, struct proc *p, uint64_t need)
{
	struct heap *h = &p->heap;
	vaddr_t end = h->top + need;
	if (p->brk >= end)
		return 0;
	uint64_t grow = PAGE_UP(&vm->arch, end - p->brk + TOP_PAD);
	/* i386: the 8-byte lead would leave the heap's end misaligned, and
	 * glibc's first sbrk takes a page more to mend it. */
	if (p->brk == p->start_brk && geom(vm)->lead)
		grow += vm->arch.page_size;
	return vm_brk(vm, p->pid, p->brk + grow);
}

static void list_insert(struct heap *h, struct chunk *c)
{
	struct chunk **pp = &h->chunks;
	while (*pp && (*pp)->addr < c->addr)
		pp = &(*pp)->next;
	c->next = *pp;
	*pp = c;
}

static vaddr_t malloc_heap(struct vm *vm, struct proc *p, uint64_t nb, uint64_t request)
{
	const struct geom *g = geom(vm);
	struct heap *h = &p->heap;
	int pid = p->pid;
	if (!h->top)
		h->top = heap_first_chunk(vm, p);
	for (struct chunk *c = h->chunks; c; c = c->next) {
		if (c->in_use || c->size < nb)
			continue;
		if (c->size - nb >= g->minsize) {
			struct chunk *rest = chunk_new(c->addr + nb, c->size - nb, 0, false);
			if (!rest) {
				snprintf(vm->err, sizeof vm->err, "out of memory");
				return 0;
			}
			rest->in_use = false;
			rest->next = c->next;
			c->next = rest;
			c->size = nb;
		}
		c->in_use = true;
		c->request = request;
		if (write_header(vm, pid, c->addr, c->size | PREV_INUSE) < 0)
			return 0;
		return c->addr + mem_off(g);
	}
	if (grow_top(vm, p, nb + g->minsize) < 0)
		return 0;
	struct chunk *c = chunk_new(h->top, nb, request, false);
	if (!c) {
		snprintf(vm->err, sizeof vm->err, "out of memory");
		return 0;
	}
	list_insert(h, c);
	h->top += nb;
	if (h->top > h->used_top)
		h->used_top = h->top;
	/* glibc writes the new chunk's header and the top chunk's after it. */
	if (write_header(vm, pid, c->addr, nb | PREV_INUSE) < 0)
		return 0;
	p = vm_proc(vm, pid);
	if (!p || write_header(vm, pid, p->heap.top, (p->brk - p->heap.top) | PREV_INUSE) < 0)
		return 0;
	return c->addr + mem_off(g);
}

static struct proc *need_proc(struct vm *vm, int pid)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p)
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
	return p;
}

vaddr_t vm_malloc(struct vm *vm, int pid, uint64_t size)
{
	struct proc *p = need_proc(vm, pid);
	if (!p)
		return 0;
	if (size > REQUEST_MAX) {
		snprintf(vm->err, sizeof vm->err, "malloc(%" PRIu64 "): more than vmviz's 1 TiB limit", size);
		return 0;
	}
	const struct geom *g = geom(vm);
	uint64_t nb = request2size(g, size);
	if (nb >= p->heap.mmap_threshold && !vma_find_gap(vm, p, mmapped_len(vm, nb))) {
		/* Fails before anything is set up: a failed command changes
		 * nothing (glibc would have made its tcache first). */
		snprintf(vm->err, sizeof vm->err, "mmap: no room for %" PRIu64 " KiB in the address space",
			 mmapped_len(vm, nb) >> 10);
		return 0;
	}
	if (!p->heap.initialised) {
		/* glibc's first malloc sets up its tcache in a chunk of its own. */
		p->heap.initialised = true;
		if (!malloc_heap(vm, p, g->tcache, g->tcache - mem_off(g)))
			return 0;
		if (!(p = need_proc(vm, pid)))
			return 0;
		p->heap.chunks->request = 0;
	}
	vaddr_t ptr = nb >= p->heap.mmap_threshold ? malloc_mmapped(vm, p, nb, size) : malloc_heap(vm, p, nb, size);
	if (ptr) {
		struct heap *h = &vm_proc(vm, pid)->heap;
		for (unsigned i = 0; i < 16; i++)
			if (h->freed[i] == ptr)
				h->freed[i] = 0;
		struct event *ev = event_push(&vm->log, EV_MALLOC, pid);
		ev->va = ptr;
		ev->a = size;
		ev->b = nb >= vm_proc(vm, pid)->heap.mmap_threshold;
	}
	return ptr;
}

vaddr_t vm_calloc(struct vm *vm, int pid, uint64_t n, uint64_t size)
{
	if (size && n > REQUEST_MAX / size) {
		snprintf(vm->err, sizeof vm->err, "calloc(%" PRIu64 ", %" PRIu64 "): size overflows", n, size);
		return 0;
	}
	struct proc *p = need_proc(vm, pid);
	if (!p)
		return 0;
	vaddr_t old_brk = p->brk;
	vaddr_t ptr = vm_malloc(vm, pid, n * size);
	if (!ptr || !(p = vm_proc(vm, pid)))
		return ptr;
	/* Fresh memory from the kernel is already zero: like Debian 12's
	 * glibc, clear the chunk up to the old top's end (the brk before this
	 * call). The top chunk's own header lies below it, and stays in memory
	 * when the top moves down again. */
	const struct chunk *c = heap_find(vm, &p->heap, ptr);
	uint64_t end = ptr + n * size < old_brk ? ptr + n * size : old_brk;
	if (c && !c->mmapped && ptr < end) {
		uint8_t zero[256] = {0};
		for (vaddr_t at = ptr; at < end; at += sizeof zero) {
			uint64_t len = end - at < sizeof zero ? end - at : sizeof zero;
			if (vm_write_buf(vm, pid, at, zero, len) < 0)
				return 0;
		}
	}
	return ptr;
}

const struct chunk *heap_find(const struct vm *vm, const struct heap *h, vaddr_t va)
{
	const struct geom *g = geom(vm);
	for (const struct chunk *c = h->chunks; c; c = c->next)
		if (c->in_use && va >= c->addr + mem_off(g) && va < c->addr + c->size)
			return c;
	for (const struct chunk *c = h->mmapped; c; c = c->next)
		if (va >= c->addr + mem_off(g) && va < c->addr - g->lead + c->size)
			return c;
	return NULL;
}

static int free_mmapped(struct vm *vm, struct proc *p, struct chunk **pp)
{
	struct chunk *c = *pp;
	struct heap *h = &p->heap;
	if (vm_munmap(vm, p->pid, c->addr - geom(vm)->lead, c->size) < 0)
		return -1;
	/* glibc's dynamic threshold: freeing a large mmapped chunk raises it. */
	if (c->size > h->mmap_threshold && c->size <= MMAP_THRESHOLD_MAX) {
		h->mmap_threshold = c->size;
		h->trim_threshold = 2 * c->size;
	}
	*pp = c->next;
	free(c);
	return 0;
}

/* Merges free neighbours; a free chunk at the end melts into top, and a top
 * past the trim threshold gives memory back with brk. */
static int coalesce_and_trim(struct vm *vm, struct proc *p)
{
	struct heap *h = &p->heap;
	for (struct chunk *c = h->chunks; c && c->next;) {
		struct chunk *n = c->next;
		if (!c->in_use && !n->in_use && c->addr + c->size == n->addr) {
			c->size += n->size;
			c->next = n->next;
			free(n);
		} else {
			c = n;
		}
	}
	struct chunk **last = &h->chunks;
	while (*last && (*last)->next)
		last = &(*last)->next;
	if (*last && !(*last)->in_use && (*last)->addr + (*last)->size == h->top) {
		h->top = (*last)->addr;
		free(*last);
		*last = NULL;
	}
	uint64_t top_size = p->brk - h->top;
	if (top_size <= h->trim_threshold)
		return 0;
	uint64_t extra = PAGE_DOWN(&vm->arch, top_size - TOP_PAD - geom(vm)->minsize - 1);
	if (!extra || vm_brk(vm, p->pid, p->brk - extra) < 0)
		return extra ? -1 : 0;
	/* The pages given back come back zeroed if the heap grows again. */
	if (h->used_top > p->brk)
		h->used_top = p->brk;
	return 0;
}

int vm_free_ptr(struct vm *vm, int pid, vaddr_t ptr)
{
	struct proc *p = need_proc(vm, pid);
	if (!p)
		return -1;
	if (ptr == 0)
		return 0;
	const struct geom *g = geom(vm);
	struct heap *h = &p->heap;
	for (struct chunk **pp = &h->mmapped; *pp; pp = &(*pp)->next) {
		if ((*pp)->addr + mem_off(g) == ptr) {
			uint64_t size = (*pp)->request;
			if (free_mmapped(vm, p, pp) < 0)
				return -1;
			struct event *ev = event_push(&vm->log, EV_FREE, pid);
			ev->va = ptr;
			ev->a = size;
			ev->b = 1;
			return 0;
		}
	}
	struct chunk *c = h->chunks;
	while (c && c->addr + mem_off(g) != ptr)
		c = c->next;
	bool recently_freed = false;
	for (unsigned i = 0; i < h->nfreed && i < 16; i++)
		recently_freed |= h->freed[i] == ptr;
	if ((!c || !c->in_use) && recently_freed) {
		snprintf(vm->err, sizeof vm->err, "free(): double free detected: 0x%" PRIx64 " is already free", ptr);
		return -1;
	}
	if (!c || (c == h->chunks && c->addr == heap_first_chunk(vm, p) && c->request == 0 && c->size == g->tcache)) {
		snprintf(vm->err, sizeof vm->err, "free(): invalid pointer 0x%" PRIx64 " (not returned by malloc)", ptr);
		return -1;
	}
	if (!c->in_use) {
		snprintf(vm->err, sizeof vm->err, "free(): double free detected: 0x%" PRIx64 " is already free", ptr);
		return -1;
	}
	uint64_t size = c->request;
	/* glibc links the chunk into a free list through its first two words. */
	uint64_t links[2] = {0, heap_first_chunk(vm, p) + mem_off(g)};
	if (write_words(vm, pid, ptr, links, 2) < 0 || !(p = vm_proc(vm, pid)))
		return -1;
	c->in_use = false;
	c->request = 0;
	h->freed[h->nfreed++ % 16] = ptr;
	vaddr_t brk = p->brk;
	if (coalesce_and_trim(vm, p) < 0)
		return -1;
	struct event *ev = event_push(&vm->log, EV_FREE, pid);
	ev->va = ptr;
	ev->a = size;
	ev->b = p->brk < brk ? 2 : 0;
	return 0;
}
