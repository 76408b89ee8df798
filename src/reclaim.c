/* reclaim.c - eviction chosen by the replacement policy, swap-out of
 * anonymous pages, dropping of clean file pages, and the OOM killer. */
#include "internal.h"
#include "pagetable.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

void reclaim_pin(struct vm *vm, uint32_t pfn)
{
	vm->pinned = pfn;
}

struct victim_ctx {
	const struct vm *vm;
	bool swap_room;  /* a slot is free, or can be taken from the swap cache */
};

static bool evictable(void *arg, uint32_t f)
{
	const struct victim_ctx *c = arg;
	const struct frame *fr = &c->vm->frames[f];
	if (f == c->vm->pinned)
		return false;
	if (fr->kind == FRAME_FILE)
		return true;
	if (fr->kind != FRAME_ANON)
		return false;
	return fr->swap_slot >= 0 || c->swap_room;
}

static void evict_anon(struct vm *vm, uint32_t f)
{
	struct frame *fr = &vm->frames[f];
	uint32_t slot;
	bool clean = false;
	if (fr->swap_slot >= 0) {
		/* In the swap cache: the slot has these bytes already, unless the
		 * page was written since it came back. */
		slot = (uint32_t)fr->swap_slot;
		clean = !fr->dirty;
		vm->swap.cache[slot] = -1;
		fr->swap_slot = -1;
	} else {
		slot = (uint32_t)swap_alloc_or_steal(vm);
		vm->swap.used++;
		vm->swap.owner[slot] = fr->rmap ? fr->rmap->pid : 0;
		vm->swap.owner_vpn[slot] = fr->rmap ? fr->rmap->vpn : 0;
	}
	if (!clean)
		swap_store(&vm->swap, slot, frame_read(vm, f), vm->arch.page_size);
	vm->swap.count[slot] += fr->mapcount;
	struct event *ev = event_push(&vm->log, EV_SWAP_OUT, fr->rmap ? fr->rmap->pid : 0);
	ev->pfn = f;
	ev->slot = slot;
	ev->va = fr->rmap ? fr->rmap->vpn << vm->arch.page_shift : 0;
	ev->b = clean;
	uint64_t ns = 0;
	if (!clean) {
		vm->swapouts++;
		ns = clock_charge(&vm->clock, COST_DISK_WRITE, 0);
	}
	struct reason_args *why = event_because_later(&vm->log, ev, RK_SWAP_OUT);
	if (why) {
		why->n[0] = slot;
		why->n[1] = vm->clock.disk;
		why->n[2] = ns;
		why->n[3] = clean;
	}
	for (const struct rmap *r = fr->rmap; r; r = r->next) {
		struct proc *p = vm_proc(vm, r->pid);
		vaddr_t va = r->vpn << vm->arch.page_shift;
		pt_store(vm, p, va, PTE_MAKE(slot, PTE_SWAP));
		tlb_flush_page(vm, r->pid, r->vpn);
		proc_note_hiwater_rss(p);
		p->rss--;
		p->swapents++;
		if (!clean)
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
	event_because(&vm->log, ev,
		      "a clean file page: the file on disk has the same bytes, so the frame is simply dropped (no write)",
		      "干净的文件页：磁盘上的文件里有同样的内容，直接丢弃这个物理页（不用写）");
	for (const struct rmap *r = fr->rmap; r; r = r->next) {
		struct proc *p = vm_proc(vm, r->pid);
		vaddr_t va = r->vpn << vm->arch.page_shift;
		pt_store(vm, p, va, 0);
		tlb_flush_page(vm, r->pid, r->vpn);
		proc_note_hiwater_rss(p);
		p->rss--;
		ev = event_push(&vm->log, EV_PTE_CLEAR, r->pid);
		ev->va = va;
	}
}

bool reclaim_swap_out(struct vm *vm, uint32_t f)
{
	if (f >= vm->nframes || vm->frames[f].kind != FRAME_ANON || !vm->frames[f].rmap)
		return false;
	if (vm->frames[f].swap_slot < 0 && !swap_has_room(vm))
		return false;
	evict_anon(vm, f);
	frame_release(vm, f);
	return true;
}

void reclaim_clear_accessed(void *ctx, uint32_t f)
{
	struct vm *vm = ctx;
	for (const struct rmap *r = vm->frames[f].rmap; r; r = r->next) {
		struct proc *p = vm_proc(vm, r->pid);
		vaddr_t va = r->vpn << vm->arch.page_shift;
		pte_t *slot = pt_lookup(vm, p, va);
		if (slot && (*slot & PTE_A)) {
			*slot &= ~PTE_A;
			tlb_flush_page(vm, r->pid, r->vpn);
		}
	}
}

bool reclaim_one(struct vm *vm)
{
	struct victim_ctx ctx = {vm, swap_has_room(vm)};
	uint32_t f = policy_victim(vm->policy, evictable, &ctx);
	if (f == POLICY_NONE)
		return false;
	struct frame *fr = &vm->frames[f];
	struct event *ev = event_push(&vm->log, EV_EVICT, fr->rmap ? fr->rmap->pid : 0);
	ev->pfn = f;
	ev->va = fr->rmap ? fr->rmap->vpn << vm->arch.page_shift : 0;
	ev->why = policy_name(vm->policy->kind);
	struct reason_args *why = event_because_later(&vm->log, ev, RK_EVICT);
	if (why) {
		policy_why_of(vm->policy, f, &why->evict);
		why->n[0] = vm->nframes - vm->kernel_frames;
	}
	if (!fr->rmap && fr->kind == FRAME_FILE) {
		/* Mapped by nobody: name the file page instead of a process. */
		const char *path = vm->files[fr->file].path, *base = strrchr(path, '/');
		snprintf(ev->text, sizeof ev->text, "%s", base ? base + 1 : path);
		ev->a = fr->file_page;
	}
	vm->evictions++;
	if (fr->kind == FRAME_ANON)
		evict_anon(vm, f);
	else
		evict_file(vm, f);
	frame_release(vm, f);
	return true;
}

/* Linux's badness, without the oom_score_adj: resident pages, swap
 * entries and page-table pages. */
static uint64_t badness(const struct proc *p)
{
	return p->rss + p->swapents + p->ntables;
}

/* The badness table the OOM killer read, every process with its score,
 * and the winner (oom_badness in mm/oom_kill.c; every oom_score_adj is 0
 * here, so the score is the pages alone). */
static void oom_reason(struct vm *vm, struct event *ev, const struct proc *worst)
{
	char en[EVENT_REASON_EN], zh[EVENT_REASON_ZH];
	size_t ne = (size_t)snprintf(en, sizeof en,
				     "no free frame and no swap slot left; badness = rss + swap + page tables "
				     "(oom_score_adj 0):");
	size_t nz = (size_t)snprintf(zh, sizeof zh, "没有空闲物理页，swap 也满了；badness = 驻留 + swap + 页表页（oom_score_adj 0）：");
	for (int i = 0; i < vm->nprocs; i++) {
		const struct proc *p = vm->procs[i];
		const char *mark = p == worst ? " <-" : "";
		if (ne < sizeof en)
			ne += (size_t)snprintf(en + ne, sizeof en - ne, " pid %d %s %" PRIu64 "+%" PRIu64 "+%u=%" PRIu64 "%s;",
					       p->pid, p->name, p->rss, p->swapents, p->ntables, badness(p), mark);
		if (nz < sizeof zh)
			nz += (size_t)snprintf(zh + nz, sizeof zh - nz, " 进程 %d %s %" PRIu64 "+%" PRIu64 "+%u=%" PRIu64 "%s；",
					       p->pid, p->name, p->rss, p->swapents, p->ntables, badness(p), mark);
	}
	if (ne < sizeof en)
		snprintf(en + ne, sizeof en - ne, " the highest, pid %d, is killed", worst->pid);
	if (nz < sizeof zh)
		snprintf(zh + nz, sizeof zh - nz, "最高的进程 %d 被杀死", worst->pid);
	event_because_text(&vm->log, ev, en, zh);
}

bool oom_kill(struct vm *vm)
{
	struct proc *worst = NULL;
	for (int i = 0; i < vm->nprocs; i++)
		if (!worst || badness(vm->procs[i]) > badness(worst))
			worst = vm->procs[i];
	/* Even a victim with nothing resident helps: its swap slots free up,
	 * and with them room to evict someone else's pages. */
	if (!worst || badness(worst) == 0)
		return false;
	struct event *ev = event_push(&vm->log, EV_OOM_KILL, worst->pid);
	ev->a = worst->rss;
	ev->b = worst->swapents;
	ev->level = (int)worst->ntables;
	oom_reason(vm, ev, worst);
	vm->ooms++;
	vm_kill(vm, worst->pid, "killed by the OOM killer");
	return true;
}
