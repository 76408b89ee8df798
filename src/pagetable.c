/* pagetable.c - radix-tree page tables with the configured number of levels. */
#include "pagetable.h"

#include <stdlib.h>

static struct ptable *table_new(struct vm *vm, struct proc *p, unsigned depth, vaddr_t va)
{
	size_t n = (size_t)1 << vm->arch.level_bits;
	struct ptable *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->entry = calloc(n, sizeof *t->entry);
	if (depth + 1 < vm->arch.levels)
		t->child = calloc(n, sizeof *t->child);
	if (!t->entry || (depth + 1 < vm->arch.levels && !t->child)) {
		free(t->entry);
		free(t->child);
		free(t);
		return NULL;
	}
	t->id = ++vm->next_table_id;
	p->ntables++;
	vm->tables++;
	struct event *ev = event_push(&vm->log, EV_TABLE_ALLOC, p->pid);
	ev->level = (int)depth;
	ev->va = va;
	ev->a = t->id;
	ev->b = vm->arch.levels;
	return t;
}

static void table_free(struct vm *vm, struct proc *p, struct ptable *t, unsigned depth, vaddr_t va)
{
	struct event *ev = event_push(&vm->log, EV_TABLE_FREE, p->pid);
	ev->level = (int)depth;
	ev->va = va;
	ev->a = t->id;
	ev->b = vm->arch.levels;
	p->ntables--;
	vm->tables--;
	free(t->entry);
	free(t->child);
	free(t);
}

pte_t *pt_lookup(const struct vm *vm, const struct proc *p, vaddr_t va)
{
	const struct ptable *t = p->root;
	for (unsigned d = 0; t && d + 1 < vm->arch.levels; d++)
		t = t->child[arch_index(&vm->arch, d, va)];
	return t ? &t->entry[arch_index(&vm->arch, vm->arch.levels - 1, va)] : NULL;
}

pte_t *pt_ensure(struct vm *vm, struct proc *p, vaddr_t va)
{
	if (!p->root && !(p->root = table_new(vm, p, 0, va)))
		return NULL;
	struct ptable *t = p->root;
	for (unsigned d = 0; d + 1 < vm->arch.levels; d++) {
		unsigned i = arch_index(&vm->arch, d, va);
		if (!t->child[i]) {
			struct ptable *c = table_new(vm, p, d + 1, va);
			if (!c)
				return NULL;
			t->child[i] = c;
			t->entry[i] = PTE_MAKE(c->id, PTE_P | PTE_W | PTE_U);
			t->used++;
		}
		t = t->child[i];
	}
	return &t->entry[arch_index(&vm->arch, vm->arch.levels - 1, va)];
}

void pt_store(struct vm *vm, struct proc *p, vaddr_t va, pte_t pte)
{
	struct ptable *path[ARCH_MAX_LEVELS] = {NULL};
	struct ptable *t = p->root;
	unsigned levels = vm->arch.levels;
	for (unsigned d = 0; d < levels; d++) {
		if (!t)
			return;
		path[d] = t;
		if (d + 1 < levels)
			t = t->child[arch_index(&vm->arch, d, va)];
	}
	struct ptable *leaf = path[levels - 1];
	pte_t *slot = &leaf->entry[arch_index(&vm->arch, levels - 1, va)];
	if (*slot == 0 && pte != 0)
		leaf->used++;
	else if (*slot != 0 && pte == 0)
		leaf->used--;
	*slot = pte;
	if (pte != 0)
		return;
	/* Free tables that became empty, bottom up, as Linux's free_pgtables. */
	for (unsigned d = levels - 1; d > 0; d--) {
		if (path[d]->used)
			return;
		unsigned i = arch_index(&vm->arch, d - 1, va);
		table_free(vm, p, path[d], d, va);
		path[d - 1]->child[i] = NULL;
		path[d - 1]->entry[i] = 0;
		path[d - 1]->used--;
	}
	if (!p->root->used) {
		table_free(vm, p, p->root, 0, va);
		p->root = NULL;
	}
}

static void destroy_rec(struct vm *vm, struct proc *p, struct ptable *t, unsigned depth)
{
	size_t n = (size_t)1 << vm->arch.level_bits;
	if (depth + 1 < vm->arch.levels)
		for (size_t i = 0; i < n; i++)
			if (t->child[i])
				destroy_rec(vm, p, t->child[i], depth + 1);
	table_free(vm, p, t, depth, 0);
}

void pt_destroy(struct vm *vm, struct proc *p)
{
	if (p->root)
		destroy_rec(vm, p, p->root, 0);
	p->root = NULL;
}

static void foreach_rec(const struct vm *vm, const struct ptable *t, unsigned depth, vaddr_t base,
			void (*fn)(void *ctx, vaddr_t va, pte_t pte), void *ctx)
{
	size_t n = (size_t)1 << vm->arch.level_bits;
	unsigned shift = vm->arch.page_shift + vm->arch.level_bits * (vm->arch.levels - 1 - depth);
	for (size_t i = 0; i < n; i++) {
		vaddr_t va = base | ((vaddr_t)i << shift);
		if (depth + 1 < vm->arch.levels) {
			if (t->child[i])
				foreach_rec(vm, t->child[i], depth + 1, va, fn, ctx);
		} else if (t->entry[i]) {
			fn(ctx, va, t->entry[i]);
		}
	}
}

void pt_foreach(const struct vm *vm, const struct proc *p,
		void (*fn)(void *ctx, vaddr_t va, pte_t pte), void *ctx)
{
	if (p->root)
		foreach_rec(vm, p->root, 0, 0, fn, ctx);
}

vaddr_t pt_skip(const struct vm *vm, const struct proc *p, vaddr_t va)
{
	const struct ptable *t = p->root;
	unsigned levels = vm->arch.levels;
	for (unsigned d = 0; d < levels; d++) {
		unsigned shift = vm->arch.page_shift + vm->arch.level_bits * (levels - 1 - d);
		uint64_t span = 1ull << shift;
		bool missing = !t || (d + 1 < levels ? !t->child[arch_index(&vm->arch, d, va)]
						     : !t->entry[arch_index(&vm->arch, d, va)]);
		if (missing) {
			vaddr_t next = (va & ~(span - 1)) + span;
			return next > va ? next : UINT64_MAX;
		}
		if (d + 1 < levels)
			t = t->child[arch_index(&vm->arch, d, va)];
	}
	return va;
}
