/* frames.c - the physical frame pool: allocation in index order, the
 * reverse map, freeing, and the frames' bytes, stored only once written.
 *
 * Nothing here costs in proportion to the machine's size: the frame table
 * is allocated zeroed and a zeroed entry is a free frame (the host backs
 * its pages only once they are used), the lowest free frame comes from a
 * summarised bitmap (freemap.h), and a frame's bytes are a block of the
 * page pool (pagepool.h) taken at its first non-zero write and given back
 * when the frame is freed. Reverse-map entries come from a pool of their
 * own: 24 bytes each, without malloc's header. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

int frames_init(struct vm *vm)
{
	vm->frames = calloc(vm->nframes, sizeof *vm->frames);
	vm->zero_bytes = calloc(1, vm->arch.page_size);
	pagepool_init(&vm->bytes, vm->arch.page_size);
	pagepool_init(&vm->rmaps, sizeof(struct rmap));
	if (!vm->frames || !vm->zero_bytes || freemap_init(&vm->free_map, vm->nframes) < 0)
		return -1;
	for (uint32_t f = 0; f < vm->kernel_frames; f++) {
		vm->frames[f].kind = FRAME_KERNEL;
		vm->frames[f].file = -1;
		vm->frames[f].swap_slot = -1;
	}
	vm->frames[vm->zero_pfn].kind = FRAME_ZERO;
	freemap_free_range(&vm->free_map, vm->kernel_frames, vm->nframes);
	vm->free_frames = vm->nframes - vm->kernel_frames;
	return 0;
}

void frames_destroy(struct vm *vm)
{
	freemap_destroy(&vm->free_map);
	pagepool_destroy(&vm->bytes); /* every frame's data at once */
	pagepool_destroy(&vm->rmaps); /* and every reverse-map entry */
	free(vm->frames);
	free(vm->zero_bytes);
	vm->frames = NULL;
	vm->zero_bytes = NULL;
}

uint8_t *frame_write(struct vm *vm, uint32_t pfn)
{
	struct frame *fr = &vm->frames[pfn];
	if (!fr->data) {
		fr->data = pagepool_get(&vm->bytes);
		if (!fr->data)
			abort(); /* a page: the host is out of memory */
	}
	return fr->data;
}

static bool all_zero(const uint8_t *p, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* frame_store's first store into a frame without bytes. */
void frame_store_new(struct vm *vm, uint32_t pfn, uint64_t off, const uint8_t *src, uint64_t n)
{
	if (all_zero(src, n))
		return;
	memcpy(frame_write(vm, pfn) + off, src, n);
}

void frame_copy(struct vm *vm, uint32_t dst, uint32_t src)
{
	if (vm->frames[src].data)
		memcpy(frame_write(vm, dst), vm->frames[src].data, vm->arch.page_size);
	else
		frame_zero(vm, dst);
}

void frame_zero(struct vm *vm, uint32_t pfn)
{
	if (vm->frames[pfn].data)
		pagepool_put(&vm->bytes, vm->frames[pfn].data);
	vm->frames[pfn].data = NULL;
}

uint32_t frame_alloc(struct vm *vm, int pid, enum frame_kind kind, const char *why)
{
	while (vm->free_frames == 0) {
		if (reclaim_one(vm))
			continue;
		/* The OOM killer may choose the very process asking: then it
		 * needs no frame any more. */
		if (!oom_kill(vm) || (pid && !vm_proc(vm, pid)))
			return NO_FRAME;
	}
	uint32_t f = freemap_lowest(&vm->free_map);
	if (f == FREEMAP_NONE)
		return NO_FRAME;
	freemap_take(&vm->free_map, f);
	struct frame *fr = &vm->frames[f];
	/* A free frame is all zero, its bytes included (freed with it). */
	fr->kind = (uint8_t)kind;
	fr->file = -1;
	fr->swap_slot = -1;
	vm->free_frames--;
	policy_loaded(vm->policy, f);
	struct event *ev = event_push(&vm->log, EV_FRAME_ALLOC, pid);
	ev->pfn = f;
	ev->a = kind;
	ev->why = why;
	return f;
}

void frame_release(struct vm *vm, uint32_t pfn)
{
	struct frame *fr = &vm->frames[pfn];
	if (fr->kind == FRAME_FILE && fr->file >= 0)
		vm->files[fr->file].cache[fr->file_page] = -1;
	if (fr->swap_slot >= 0) {
		uint32_t slot = (uint32_t)fr->swap_slot;
		/* Other PTEs still hold the slot: leave the newest bytes there. */
		if (fr->dirty && vm->swap.count[slot])
			swap_store(&vm->swap, slot, frame_read(vm, pfn), vm->arch.page_size);
		swap_uncache(vm, slot);
	}
	while (fr->rmap) {
		struct rmap *r = fr->rmap;
		fr->rmap = r->next;
		pagepool_put(&vm->rmaps, r);
	}
	policy_unloaded(vm->policy, pfn);
	frame_zero(vm, pfn);
	memset(fr, 0, sizeof *fr); /* FRAME_FREE, no bytes */
	vm->free_frames++;
	freemap_put(&vm->free_map, pfn);
	struct event *ev = event_push(&vm->log, EV_FRAME_FREE, 0);
	ev->pfn = pfn;
}

void frame_unmapped(struct vm *vm, uint32_t pfn)
{
	if (vm->frames[pfn].mapcount)
		return;
	if (vm->frames[pfn].kind == FRAME_FILE)
		return; /* stays in the page cache until reclaim wants the frame */
	frame_release(vm, pfn);
}

void rmap_add(struct vm *vm, uint32_t pfn, int pid, uint64_t vpn)
{
	struct rmap *r = pagepool_get(&vm->rmaps);
	if (!r)
		abort(); /* a few bytes: the host is out of memory */
	r->pid = pid;
	r->vpn = vpn;
	r->next = vm->frames[pfn].rmap;
	vm->frames[pfn].rmap = r;
	vm->frames[pfn].mapcount++;
}

void rmap_del(struct vm *vm, uint32_t pfn, int pid, uint64_t vpn)
{
	for (struct rmap **pp = &vm->frames[pfn].rmap; *pp; pp = &(*pp)->next) {
		if ((*pp)->pid == pid && (*pp)->vpn == vpn) {
			struct rmap *r = *pp;
			*pp = r->next;
			pagepool_put(&vm->rmaps, r);
			vm->frames[pfn].mapcount--;
			return;
		}
	}
}
