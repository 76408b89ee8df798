/* frames.c - the physical frame pool: allocation in index order, the
 * reverse map, and freeing. */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

static uint32_t lowest_free(struct vm *vm)
{
	for (uint32_t f = vm->free_hint; f < vm->nframes; f++) {
		if (vm->frames[f].kind == FRAME_FREE) {
			vm->free_hint = f + 1;
			return f;
		}
	}
	return NO_FRAME;
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
	uint32_t f = lowest_free(vm);
	if (f == NO_FRAME)
		return NO_FRAME;
	struct frame *fr = &vm->frames[f];
	memset(fr, 0, sizeof *fr);
	fr->kind = (uint8_t)kind;
	fr->file = -1;
	fr->swap_slot = -1;
	vm->free_frames--;
	memset(frame_bytes(vm, f), 0, vm->arch.page_size);
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
			swap_store(&vm->swap, slot, frame_bytes(vm, pfn), vm->arch.page_size);
		swap_uncache(vm, slot);
	}
	while (fr->rmap) {
		struct rmap *r = fr->rmap;
		fr->rmap = r->next;
		free(r);
	}
	policy_unloaded(vm->policy, pfn);
	memset(fr, 0, sizeof *fr);
	fr->kind = FRAME_FREE;
	fr->file = -1;
	fr->swap_slot = -1;
	vm->free_frames++;
	if (pfn < vm->free_hint)
		vm->free_hint = pfn;
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
	struct rmap *r = malloc(sizeof *r);
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
			free(r);
			vm->frames[pfn].mapcount--;
			return;
		}
	}
}
