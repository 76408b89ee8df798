/* model.c - one read pass over the engine for the screen. */
#include "model.h"

#include <stdlib.h>
#include <string.h>

void model_init(struct model *m)
{
	memset(m, 0, sizeof *m);
	m->chg.focus_frame = m->chg.focus_slot = -1;
}

void model_free(struct model *m)
{
	free(m->pte);
	free(m->vma_res);
	free(m->vma_swap);
	free(m->order);
	free(m->chg.frame);
	free(m->chg.slot);
	free(m->chg.vpn);
	model_init(m);
}

static void add_pte(void *ctx, uint64_t vpn, pte_t pte)
{
	struct model *m = ctx;
	if (array_grow(&m->pte, &m->pte_cap, m->npte + 1, sizeof *m->pte) < 0)
		return;
	m->pte[m->npte].vpn = vpn;
	m->pte[m->npte].pte = pte;
	m->npte++;
}

int model_vma_at(const struct proc *p, vaddr_t va)
{
	const struct vma *v = p ? vm_find_vma(p, va) : NULL;
	return v ? (int)(v - p->vmas) : -1;
}

bool model_vpn_changed(const struct model *m, uint64_t vpn)
{
	size_t lo = 0, hi = m->chg.nvpn;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->chg.vpn[mid] < vpn)
			lo = mid + 1;
		else if (m->chg.vpn[mid] > vpn)
			hi = mid;
		else
			return true;
	}
	return false;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Resident and swapped pages per VMA: both lists are in address order, so
 * one merge pass counts them. */
static void count_vmas(struct model *m)
{
	const struct proc *p = m->proc;
	unsigned shift = m->vm->arch.page_shift;
	size_t j = 0;
	for (size_t i = 0; i < p->nvmas; i++) {
		uint64_t lo = p->vmas[i].start >> shift, hi = p->vmas[i].end >> shift;
		uint32_t res = 0, sw = 0;
		while (j < m->npte && m->pte[j].vpn < lo)
			j++;
		for (size_t k = j; k < m->npte && m->pte[k].vpn < hi; k++) {
			pte_t e = m->pte[k].pte;
			if (PTE_PRESENT(e) && PTE_NUM(e) != m->vm->zero_pfn)
				res++;
			else if (PTE_SWAPPED(e))
				sw++;
		}
		m->vma_res[i] = res;
		m->vma_swap[i] = sw;
	}
}

static void mark_frame(struct changes *c, const struct vm *vm, int64_t pfn)
{
	if (pfn >= 0 && (uint64_t)pfn < vm->nframes && !c->frame[pfn]) {
		c->frame[pfn] = 1;
		c->nframes++;
	}
}

static void mark_slot(struct changes *c, const struct vm *vm, int64_t slot)
{
	if (slot >= 0 && (uint64_t)slot < vm->swap.nslots && !c->slot[slot]) {
		c->slot[slot] = 1;
		c->nslots++;
		c->focus_slot = slot;
	}
}

static void touch(struct changes *c, int pid, vaddr_t va)
{
	c->touched = true;
	c->touch_pid = pid;
	c->touch_va = va;
}

/* One event's share of "what changed". */
static void note_event(struct model *m, const struct event *ev)
{
	struct changes *c = &m->chg;
	const struct vm *vm = m->vm;
	int pid = m->proc ? m->proc->pid : -1;
	mark_frame(c, vm, ev->pfn);
	mark_slot(c, vm, ev->slot);
	switch (ev->kind) {
	case EV_FRAME_ALLOC:
	case EV_SWAP_IN:
	case EV_FILE_READ:
	case EV_COW:
		c->focus_frame = ev->pfn;
		break;
	case EV_HIT:
		if (c->focus_frame < 0)
			c->focus_frame = ev->pfn;
		break;
	case EV_PTE_SET:
	case EV_PTE_CLEAR:
		if (ev->pid == pid &&
		    array_grow(&c->vpn, &m->vpn_cap, c->nvpn + 1, sizeof *c->vpn) == 0)
			c->vpn[c->nvpn++] = ev->va >> vm->arch.page_shift;
		break;
	case EV_ACCESS:
	case EV_MALLOC:
	case EV_MMAP:
	case EV_MREMAP:
	case EV_MPROTECT:
	case EV_CALL:
	case EV_STACK_GROW:
		touch(c, ev->pid, ev->va);
		break;
	case EV_BRK:
		c->brk = true;
		touch(c, ev->pid, ev->b > ev->a ? ev->a : ev->b);
		break;
	default:
		break;
	}
}

static void read_changes(struct model *m, uint64_t from, uint64_t to)
{
	const struct event_log *log = &m->vm->log;
	uint64_t oldest = event_oldest(log);
	if (from < oldest)
		from = oldest;
	if (to > log->next_seq)
		to = log->next_seq;
	for (uint64_t q = from; q < to; q++) {
		const struct event *ev = event_get(log, q);
		if (!ev)
			continue;
		m->chg.nevents++;
		note_event(m, ev);
	}
	if (m->chg.nvpn > 1) {
		qsort(m->chg.vpn, m->chg.nvpn, sizeof *m->chg.vpn, cmp_u64);
		size_t k = 1;
		for (size_t i = 1; i < m->chg.nvpn; i++)
			if (m->chg.vpn[i] != m->chg.vpn[k - 1])
				m->chg.vpn[k++] = m->chg.vpn[i];
		m->chg.nvpn = k;
	}
}

static int read_all(struct model *m, const struct session *s, uint64_t from, uint64_t to)
{
	const struct vm *vm = s->vm;
	m->s = s;
	m->vm = vm;
	m->proc = vm ? vm_proc(vm, vm->cur) : NULL;
	m->npte = 0;
	m->norder = 0;
	struct changes *c = &m->chg;
	c->nvpn = 0;
	c->nframes = c->nslots = 0;
	c->touched = c->brk = false;
	c->focus_frame = c->focus_slot = -1;
	c->nevents = 0;
	if (!vm)
		return 0;
	size_t nf = vm->nframes, ns = vm->swap.nslots;
	if (nf > m->frame_cap) {
		/* The order and the change map grow together. */
		void *o = realloc(m->order, (nf < MODEL_ORDER_MAX ? nf : MODEL_ORDER_MAX) * sizeof *m->order);
		if (o)
			m->order = o;
		void *f = realloc(c->frame, nf);
		if (f)
			c->frame = f;
		if (!o || !f)
			return -1;
		m->frame_cap = nf;
	}
	if (ns > m->slot_cap) {
		void *sl = realloc(c->slot, ns);
		if (!sl)
			return -1;
		c->slot = sl;
		m->slot_cap = ns;
	}
	if (nf)
		memset(c->frame, 0, nf);
	if (ns)
		memset(c->slot, 0, ns);
	if (m->proc) {
		vm_pt_foreach(vm, m->proc->pid, add_pte, m);
		size_t nv = m->proc->nvmas;
		if (nv > m->vma_cap) {
			void *a = realloc(m->vma_res, nv * sizeof *m->vma_res);
			if (a)
				m->vma_res = a;
			void *b = realloc(m->vma_swap, nv * sizeof *m->vma_swap);
			if (b)
				m->vma_swap = b;
			if (!a || !b)
				return -1;
			m->vma_cap = nv;
		}
		count_vmas(m);
	}
	/* The screen shows the next victims, never the whole order. */
	if (vm->policy)
		m->norder = policy_order(vm->policy, m->order, (uint32_t)(nf < MODEL_ORDER_MAX ? nf : MODEL_ORDER_MAX));
	read_changes(m, from, to);
	return 0;
}

int model_read(struct model *m, const struct session *s, uint64_t from, uint64_t to)
{
	if (read_all(m, s, from, to) == 0)
		return 0;
	/* Out of memory: show an empty machine rather than half a one. */
	m->proc = NULL;
	m->npte = m->norder = 0;
	m->chg.nvpn = 0;
	return -1;
}
