/* reclaim.c - eviction chosen by the replacement policy, swap-out of
 * anonymous pages, dropping of clean file pages, and the OOM killer. */
#include "internal.h"
#include "pagetable.h"

#include <string.h>

void reclaim_pin(struct vm *vm, uint32_t pfn)
{
	vm->pinned = pfn;
}

static bool evictable(void *ctx, uint32_t f)
{
	const struct vm *vm = ctx;
	const struct frame *fr = &vm->frames[f];
	if (f == vm->pinned)
		return false;
	if (fr->kind == FRAME_FILE)
		return true;
	if (fr->kind != FRAME_ANON)
		return false;
	return fr->swap_slot >= 0 || vm->swap.used < vm->swap.nslots;
}

static void evict_anon(struct vm *vm, uint32_t f)
{
	struct frame *fr = &vm->frames[f];
	uint32_t slot;
	if (fr->swap_slot >= 0) {
		/* Still in the swap cache: the slot is reused, as Linux does. */
		slot = (uint32_t)fr->swap_slot;
		vm->swap.cache[slot] = -1;
		fr->swap_slot = -1;
	} else {
		slot = (uint32_t)swap_alloc(&vm->swap);
		vm->swap.used++;
		vm->swap.owner[slot] = fr->rmap ? fr->rmap->pid : 0;
		vm->swap.owner_vpn[slot] = fr->rmap ? fr->rmap->vpn : 0;
	}
	swap_store(&vm->swap, slot, frame_bytes(vm, f), vm->arch.page_size);
	vm->swap.count[slot] += fr->mapcount;
	struct event *ev = event_push(&vm->log, EV_SWAP_OUT, fr->rmap ? fr->rmap->pid : 0);
	ev->pfn = f;
	ev->slot = slot;
	ev->va = fr->rmap ? fr->rmap->vpn << vm->arch.page_shift : 0;
	vm->swapouts++;
	for (const struct rmap *r = fr->rmap; r; r = r->next) {
		struct proc *p = vm_proc(vm, r->pid);
		vaddr_t va = r->vpn << vm->arch.page_shift;
		pt_store(vm, p, va, PTE_MAKE(slot, PTE_SWAP));
		tlb_flush_page(vm, r->pid, r->vpn);
		p->rss--;
		p->swapouts++;
		ev = event_push(&vm->log, EV_PTE_CLEAR, r->pid);
		ev->va = va;
		ev->slot = slot;
	}
}

static void evict_file(struct vm *vm, uint32_t f)
{
	struct frame *fr = &vm->frames[f];
	struct event *ev = event_push(&vm->log, EV_FILE_DROP, fr->rmap ? fr->rmap->pid : 0);
	ev->pfn = f;
	for (const struct rmap *r = fr->rmap; r; r = r->next) {
		struct proc *p = vm_proc(vm, r->pid);
		vaddr_t va = r->vpn << vm->arch.page_shift;
		pt_store(vm, p, va, 0);
		tlb_flush_page(vm, r->pid, r->vpn);
		p->rss--;
		ev = event_push(&vm->log, EV_PTE_CLEAR, r->pid);
		ev->va = va;
	}
}

bool reclaim_one(struct vm *vm)
{
	uint32_t f = policy_victim(vm->policy, evictable, vm);
	if (f == POLICY_NONE)
		return false;
	struct frame *fr = &vm->frames[f];
	struct event *ev = event_push(&vm->log, EV_EVICT, fr->rmap ? fr->rmap->pid : 0);
	ev->pfn = f;
	ev->va = fr->rmap ? fr->rmap->vpn << vm->arch.page_shift : 0;
	ev->why = policy_name(vm->policy->kind);
	vm->evictions++;
	if (fr->kind == FRAME_ANON)
		evict_anon(vm, f);
	else
		evict_file(vm, f);
	frame_release(vm, f);
	return true;
}

bool oom_kill(struct vm *vm)
{
	struct proc *worst = NULL;
	for (int i = 0; i < vm->nprocs; i++)
		if (!worst || vm->procs[i]->rss > worst->rss)
			worst = vm->procs[i];
	if (!worst || worst->rss == 0)
		return false;
	struct event *ev = event_push(&vm->log, EV_OOM_KILL, worst->pid);
	ev->a = worst->rss;
	vm->ooms++;
	vm_kill(vm, worst->pid, "killed by the OOM killer");
	return true;
}
