/* heap.c - a glibc-like allocator over the simulated address space.
 *
 * Chunks carry glibc's 16-byte header, written into simulated memory so the
 * allocator's own writes fault pages in, as on Linux. Simplified from glibc:
 * one free list, first fit, freed chunks coalesce at once (glibc's tcache and
 * fastbins delay that), which keeps what the screen shows easy to follow.
 */
#include "heap.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SIZE_SZ 8u
#define MINSIZE 32u
#define PREV_INUSE 1u
#define IS_MMAPPED 2u
#define REQUEST_MAX (1ull << 40)

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

static uint64_t request2size(uint64_t n)
{
	uint64_t s = (n + SIZE_SZ + 15) & ~15ull;
	return s < MINSIZE ? MINSIZE : s;
}

/* Writes a chunk's size field (the second word of its header). */
static int write_header(struct vm *vm, int pid, vaddr_t chunk, uint64_t size_field)
{
	return vm_write_buf(vm, pid, chunk + SIZE_SZ, &size_field, sizeof size_field);
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

static vaddr_t malloc_mmapped(struct vm *vm, struct proc *p, uint64_t nb, uint64_t request)
{
	uint64_t len = PAGE_UP(&vm->arch, nb + SIZE_SZ);
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
	c->addr = addr;
	c->next = p->heap.mmapped;
	p->heap.mmapped = c;
	if (write_header(vm, pid, addr, len | IS_MMAPPED) < 0)
		return 0;
	return addr + MALLOC_HEADER;
}

/* Makes the top chunk at least need bytes, moving brk as glibc's sysmalloc:
 * by what is missing plus the top pad, rounded up to pages. */
static int grow_top(struct vm *vm, struct proc *p, uint64_t need)
{
	struct heap *h = &p->heap;
	uint64_t have = p->brk - h->top;
	if (have >= need)
		return 0;
	uint64_t grow = PAGE_UP(&vm->arch, need - have + TOP_PAD);
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
	struct heap *h = &p->heap;
	int pid = p->pid;
	if (!h->top)
		h->top = p->start_brk;
	for (struct chunk *c = h->chunks; c; c = c->next) {
		if (c->in_use || c->size < nb)
			continue;
		if (c->size - nb >= MINSIZE) {
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
		return c->addr + MALLOC_HEADER;
	}
	if (grow_top(vm, p, nb + MINSIZE) < 0)
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
	return c->addr + MALLOC_HEADER;
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
	if (!p->heap.initialised) {
		/* glibc's first malloc sets up its tcache in a chunk of its own. */
		p->heap.initialised = true;
		if (!malloc_heap(vm, p, TCACHE_CHUNK, TCACHE_CHUNK - MALLOC_HEADER))
			return 0;
		if (!(p = need_proc(vm, pid)))
			return 0;
		p->heap.chunks->request = 0;
	}
	uint64_t nb = request2size(size);
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
	vaddr_t used_top = p->heap.used_top;
	vaddr_t ptr = vm_malloc(vm, pid, n * size);
	if (!ptr || !(p = vm_proc(vm, pid)))
		return ptr;
	/* Fresh memory from the kernel is already zero: like glibc, clear only
	 * the part of the chunk that was handed out before. */
	const struct chunk *c = heap_find(&p->heap, ptr);
	uint64_t end = ptr + n * size < used_top ? ptr + n * size : used_top;
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

const struct chunk *heap_find(const struct heap *h, vaddr_t va)
{
	for (const struct chunk *c = h->chunks; c; c = c->next)
		if (c->in_use && va >= c->addr + MALLOC_HEADER && va < c->addr + c->size)
			return c;
	for (const struct chunk *c = h->mmapped; c; c = c->next)
		if (va >= c->addr + MALLOC_HEADER && va < c->addr + c->size)
			return c;
	return NULL;
}

static int free_mmapped(struct vm *vm, struct proc *p, struct chunk **pp)
{
	struct chunk *c = *pp;
	struct heap *h = &p->heap;
	if (vm_munmap(vm, p->pid, c->addr, c->size) < 0)
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
	uint64_t extra = PAGE_DOWN(&vm->arch, top_size - TOP_PAD - MINSIZE - 1);
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
	struct heap *h = &p->heap;
	for (struct chunk **pp = &h->mmapped; *pp; pp = &(*pp)->next) {
		if ((*pp)->addr + MALLOC_HEADER == ptr) {
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
	while (c && c->addr + MALLOC_HEADER != ptr)
		c = c->next;
	bool recently_freed = false;
	for (unsigned i = 0; i < h->nfreed && i < 16; i++)
		recently_freed |= h->freed[i] == ptr;
	if ((!c || !c->in_use) && recently_freed) {
		snprintf(vm->err, sizeof vm->err, "free(): double free detected: 0x%" PRIx64 " is already free", ptr);
		return -1;
	}
	if (!c || (c == h->chunks && c->addr == p->start_brk && c->request == 0 && c->size == TCACHE_CHUNK)) {
		snprintf(vm->err, sizeof vm->err, "free(): invalid pointer 0x%" PRIx64 " (not returned by malloc)", ptr);
		return -1;
	}
	if (!c->in_use) {
		snprintf(vm->err, sizeof vm->err, "free(): double free detected: 0x%" PRIx64 " is already free", ptr);
		return -1;
	}
	uint64_t size = c->request;
	/* glibc links the chunk into a free list through its first 16 bytes. */
	uint64_t links[2] = {0, p->start_brk + MALLOC_HEADER};
	if (vm_write_buf(vm, pid, ptr, links, sizeof links) < 0 || !(p = vm_proc(vm, pid)))
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
