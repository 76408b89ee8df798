/* pagetable.h - radix-tree page tables, allocated on demand and freed when
 * empty (internal to the engine). */
#ifndef VMVIZ_PAGETABLE_H
#define VMVIZ_PAGETABLE_H

#include "vm.h"

/* The leaf PTE slot for va, or NULL if a table on the way is missing. */
pte_t *pt_lookup(const struct vm *vm, const struct proc *p, vaddr_t va);
/* The leaf PTE slot for va, allocating tables on the way (events for each);
 * NULL only when out of host memory. */
pte_t *pt_ensure(struct vm *vm, struct proc *p, vaddr_t va);
/* Stores pte at va (slot must exist via pt_ensure) and keeps the used
 * counts; a zero pte clears the entry and frees tables that became empty. */
void pt_store(struct vm *vm, struct proc *p, vaddr_t va, pte_t pte);
/* Frees every table of p (entries must already be released). */
void pt_destroy(struct vm *vm, struct proc *p);
/* va itself if its PTE is non-empty, else the next address where one could
 * be (skipping whole missing tables), UINT64_MAX past the end. */
vaddr_t pt_skip(const struct vm *vm, const struct proc *p, vaddr_t va);
/* Calls fn for each non-empty leaf entry in address order. */
void pt_foreach(const struct vm *vm, const struct proc *p,
		void (*fn)(void *ctx, vaddr_t va, pte_t pte), void *ctx);

#endif
