/* mremap.c - resizing a mapping, as mremap(2): shrink unmaps the tail, grow
 * extends in place when the pages after it are free, else (MREMAP_MAYMOVE)
 * moves the page-table entries to a new range: frames and swap slots go with
 * them, so nothing is copied and nothing faults. */
#include "internal.h"
#include "pagetable.h"

#include <inttypes.h>
#include <stdio.h>

static struct vma *vma_at(struct proc *p, vaddr_t va)
{
	return (struct vma *)vm_find_vma(p, va);
}

static void mremap_event(struct vm *vm, int pid, vaddr_t old, vaddr_t new_addr, uint64_t new_len)
{
	struct event *ev = event_push(&vm->log, EV_MREMAP, pid);
	ev->va = new_addr;
	ev->a = new_len;
	ev->b = old;
}

/* Moves the PTE of one page from `from` to `to` (to's slot is empty). */
static int move_pte(struct vm *vm, struct proc *p, vaddr_t from, vaddr_t to)
{
	pte_t *src = pt_lookup(vm, p, from);
	if (!src || !*src)
		return 0;
	pte_t pte = *src;
	pte_t *dst = pt_ensure(vm, p, to);
	if (!dst)
		return -1;
	uint64_t ovpn = VPN(&vm->arch, from), nvpn = VPN(&vm->arch, to);
	pt_store(vm, p, to, pte);
	pt_store(vm, p, from, 0);
	tlb_flush_page(vm, p->pid, ovpn);
	struct event *ev = event_push(&vm->log, EV_PTE_CLEAR, p->pid);
	ev->va = from;
	if (PTE_PRESENT(pte)) {
		uint32_t pfn = (uint32_t)PTE_NUM(pte);
		if (pfn != vm->zero_pfn) {
			rmap_del(vm, pfn, p->pid, ovpn);
			rmap_add(vm, pfn, p->pid, nvpn);
		}
		ev = event_push(&vm->log, EV_PTE_SET, p->pid);
		ev->va = to;
		ev->pfn = pfn;
		ev->a = pte;
		ev->why = "moved by mremap";
	} else if (PTE_SWAPPED(pte)) {
		uint64_t slot = PTE_NUM(pte);
		if (vm->swap.owner[slot] == p->pid && vm->swap.owner_vpn[slot] == ovpn)
			vm->swap.owner_vpn[slot] = nvpn;
	}
	return 0;
}

static bool range_free(const struct proc *p, vaddr_t start, vaddr_t end)
{
	for (size_t i = 0; i < p->nvmas; i++)
		if (p->vmas[i].start < end && p->vmas[i].end > start)
			return false;
	return true;
}

vaddr_t vm_mremap(struct vm *vm, int pid, vaddr_t old, uint64_t old_len, uint64_t new_len, bool may_move)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return 0;
	}
	if (PAGE_OFF(&vm->arch, old) || new_len == 0) {
		snprintf(vm->err, sizeof vm->err,
			 "mremap: 0x%" PRIx64 " is not page aligned or the new length is 0 (EINVAL)", old);
		return 0;
	}
	old_len = PAGE_UP(&vm->arch, old_len);
	new_len = PAGE_UP(&vm->arch, new_len);
	struct vma *v = vma_at(p, old);
	if (!v || old_len == 0 || old + old_len > v->end || old + old_len < old) {
		snprintf(vm->err, sizeof vm->err,
			 "mremap: 0x%" PRIx64 "-0x%" PRIx64 " is not inside one mapping (EFAULT)", old, old + old_len);
		return 0;
	}
	if (v->flags & (VMA_SPECIAL | VMA_HEAP | VMA_STACK)) {
		snprintf(vm->err, sizeof vm->err, "mremap: %s cannot be remapped in vmviz (use brk, or let the stack grow)",
			 v->name);
		return 0;
	}
	if (v->shm && PAGE_UP(&vm->arch, new_len) > old_len) {
		snprintf(vm->err, sizeof vm->err, "mremap: growing shared memory is not simulated");
		return 0;
	}
	if (new_len <= old_len) {
		if (new_len < old_len)
			vma_remove_range(vm, p, old + new_len, old + old_len);
		mremap_event(vm, pid, old, old, new_len);
		return old;
	}
	uint64_t delta = new_len - old_len;
	vaddr_t end = old + old_len;
	bool in_place = end == v->end && end + delta > end && end + delta <= vm->arch.user_top &&
			range_free(p, end, end + delta);
	if (in_place) {
		if ((v->flags & VMA_ACCOUNT) && vm_enough_memory(vm, p, delta, "mremap") < 0)
			return 0;
		v->end = end + delta;
		vma_merge_at(p, v);
		mremap_event(vm, pid, old, old, new_len);
		return old;
	}
	if (!may_move) {
		snprintf(vm->err, sizeof vm->err,
			 "mremap: cannot allocate memory (ENOMEM): the pages after 0x%" PRIx64
			 " are in use and the mapping may not move",
			 end);
		return 0;
	}
	vaddr_t to = vma_get_unmapped_area(vm, p, new_len, v->flags);
	if (!to) {
		snprintf(vm->err, sizeof vm->err, "mremap: cannot allocate memory (ENOMEM): no room for %" PRIu64 " KiB",
			 new_len >> 10);
		return 0;
	}
	if ((v->flags & VMA_ACCOUNT) && vm_enough_memory(vm, p, delta, "mremap") < 0)
		return 0;
	struct vma moved = *v;
	moved.start = to;
	moved.end = to + new_len;
	if (moved.file >= 0 || moved.shm)
		moved.file_off += old - v->start;
	moved.anon_off += old - v->start;
	if (!vma_insert(p, &moved)) {
		snprintf(vm->err, sizeof vm->err, "out of memory");
		return 0;
	}
	for (uint64_t off = 0; off < old_len; off += vm->arch.page_size)
		if (move_pte(vm, p, old + off, to + off) < 0) {
			snprintf(vm->err, sizeof vm->err, "out of memory");
			return 0;
		}
	/* The old range holds no PTE any more: removing it frees nothing. */
	vma_remove_range(vm, p, old, old + old_len);
	vma_merge_at(p, (struct vma *)vm_find_vma(p, to));
	mremap_event(vm, pid, old, to, new_len);
	return to;
}
