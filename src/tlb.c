/* tlb.c - an optional fully associative TLB with LRU replacement, tagged
 * by pid (as with PCIDs), so switching processes needs no flush. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>


bool tlb_lookup(struct vm *vm, int pid, uint64_t vpn)
{
	struct tlb *t = &vm->tlb;
	for (uint32_t i = 0; i < t->n; i++) {
		if (t->e[i].valid && t->e[i].pid == pid && t->e[i].vpn == vpn) {
			t->e[i].stamp = ++t->clock;
			t->hits++;
			return true;
		}
	}
	t->misses++;
	return false;
}

void tlb_insert(struct vm *vm, int pid, uint64_t vpn)
{
	struct tlb *t = &vm->tlb;
	if (t->n == 0)
		return;
	uint32_t victim = 0;
	for (uint32_t i = 0; i < t->n; i++) {
		if (!t->e[i].valid) {
			victim = i;
			break;
		}
		if (t->e[i].stamp < t->e[victim].stamp)
			victim = i;
	}
	t->e[victim] = (struct tlb_entry){.pid = pid, .vpn = vpn, .stamp = ++t->clock, .valid = true};
}

void tlb_flush_page(struct vm *vm, int pid, uint64_t vpn)
{
	for (uint32_t i = 0; i < vm->tlb.n; i++)
		if (vm->tlb.e[i].pid == pid && vm->tlb.e[i].vpn == vpn)
			vm->tlb.e[i].valid = false;
}

void tlb_flush_pid(struct vm *vm, int pid)
{
	for (uint32_t i = 0; i < vm->tlb.n; i++)
		if (vm->tlb.e[i].pid == pid)
			vm->tlb.e[i].valid = false;
}

int vm_set_tlb(struct vm *vm, uint32_t entries)
{
	struct tlb_entry *e = entries ? calloc(entries, sizeof *e) : NULL;
	if (entries && !e) {
		snprintf(vm->err, sizeof vm->err, "out of memory for a %u-entry TLB", entries);
		return -1;
	}
	free(vm->tlb.e);
	vm->tlb = (struct tlb){.n = entries, .e = e};
	vm->cfg.tlb_entries = entries;
	return 0;
}
