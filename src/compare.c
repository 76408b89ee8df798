/* compare.c - two page tables merged by virtual page: one pass over each
 * table, one merge. */
#include "compare.h"
#include "session.h"

#include <stdlib.h>
#include <string.h>

void compare_init(struct compare *c)
{
	memset(c, 0, sizeof *c);
}

void compare_free(struct compare *c)
{
	free(c->rows);
	for (int i = 0; i < 2; i++)
		free(c->side[i].e);
	compare_init(c);
}

static void add_pte(void *ctx, uint64_t vpn, pte_t pte)
{
	struct pte_list *l = ctx;
	if (array_grow(&l->e, &l->cap, l->n + 1, sizeof *l->e) < 0) {
		l->failed = true;
		return;
	}
	l->e[l->n].vpn = vpn;
	l->e[l->n].pte = pte;
	l->n++;
}

/* Same frame: both present with one pfn. Both swapped to one slot is the
 * same page too (a shared page swapped out once). */
static enum cmp_link link_of(pte_t a, pte_t b)
{
	if (!a || !b)
		return LINK_ONE;
	bool pa = PTE_PRESENT(a), pb = PTE_PRESENT(b);
	bool sa = PTE_SWAPPED(a), sb = PTE_SWAPPED(b);
	if (((pa && pb) || (sa && sb)) && PTE_NUM(a) == PTE_NUM(b))
		return LINK_SAME;
	if ((pa || sa) && (pb || sb))
		return LINK_DIFF;
	return LINK_ONE;
}

static int merge(struct compare *c)
{
	const struct pte_list *a = &c->side[0], *b = &c->side[1];
	if (array_grow(&c->rows, &c->cap, a->n + b->n, sizeof *c->rows) < 0)
		return -1;
	size_t i = 0, j = 0, n = 0;
	while (i < a->n || j < b->n) {
		struct cmp_row *r = &c->rows[n++];
		memset(r, 0, sizeof *r);
		if (j == b->n || (i < a->n && a->e[i].vpn < b->e[j].vpn)) {
			r->vpn = a->e[i].vpn;
			r->pte[0] = a->e[i++].pte;
		} else if (i == a->n || b->e[j].vpn < a->e[i].vpn) {
			r->vpn = b->e[j].vpn;
			r->pte[1] = b->e[j++].pte;
		} else {
			r->vpn = a->e[i].vpn;
			r->pte[0] = a->e[i++].pte;
			r->pte[1] = b->e[j++].pte;
		}
		r->link = (uint8_t)link_of(r->pte[0], r->pte[1]);
		c->nsame += r->link == LINK_SAME;
		c->ndiff += r->link == LINK_DIFF;
	}
	c->nrows = n;
	return 0;
}

int compare_read(struct compare *c, const struct vm *vm, const int pids[2])
{
	c->on = false;
	c->nrows = 0;
	c->nsame = c->ndiff = 0;
	if (!pids[0])
		return 0;
	for (int i = 0; i < 2; i++) {
		c->pid[i] = pids[i];
		c->proc[i] = vm_proc(vm, c->pid[i]);
		c->side[i].n = 0;
		c->side[i].failed = false;
		if (!c->proc[i])
			continue;
		vm_pt_foreach(vm, c->pid[i], add_pte, &c->side[i]);
		if (c->side[i].failed)
			return -1;
	}
	/* Both ended: nothing left to put side by side. */
	if (!c->proc[0] && !c->proc[1])
		return 0;
	if (merge(c) < 0)
		return -1;
	c->on = true;
	return 0;
}

long compare_find(const struct compare *c, uint64_t vpn)
{
	size_t lo = 0, hi = c->nrows;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->rows[mid].vpn < vpn)
			lo = mid + 1;
		else if (c->rows[mid].vpn > vpn)
			hi = mid;
		else
			return (long)mid;
	}
	return -1;
}
