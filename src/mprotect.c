/* mprotect.c - mprotect(2): new permissions for a range of pages. VMAs are
 * split at the range's edges and merged again with equal neighbours; the
 * PTEs already there follow (write bit, NX), so the next write to a page
 * made read-only is a SIGSEGV, as on Linux. */
#include "internal.h"
#include "pagetable.h"

#include <inttypes.h>
#include <stdio.h>

/* Splits the VMA holding addr so that one starts exactly at addr. */
static int split_at(struct proc *p, vaddr_t addr)
{
	const struct vma *cv = vm_find_vma(p, addr);
	if (!cv || cv->start == addr)
		return 0;
	struct vma *v = (struct vma *)cv;
	struct vma tail = *v;
	vma_advance(&tail, addr);
	v->end = addr;
	return vma_insert(p, &tail) ? 0 : -1;
}

/* Present PTEs of v with its new permissions. The write bit comes back as
 * the kernel's can_change_pte_writable gives it: in a private mapping for
 * an anonymous page this process has alone (a page shared after fork, the
 * zero page or a page-cache page still has to be copied on the first
 * write), in a shared one for a dirty page. */
static void update_ptes(struct vm *vm, struct proc *p, const struct vma *v)
{
	for (vaddr_t va = pt_skip(vm, p, v->start); va < v->end; va = pt_skip(vm, p, va + vm->arch.page_size)) {
		const pte_t *e = pt_lookup(vm, p, va);
		if (!e || !PTE_PRESENT(*e))
			continue; /* pt_skip stops where a PTE could be, not only where one is */
		pte_t pte = *e;
		uint32_t pfn = (uint32_t)PTE_NUM(pte);
		bool anon = pfn != vm->zero_pfn && vm->frames[pfn].kind == FRAME_ANON;
		bool writable = (v->flags & VMA_SHARED) ? anon && (pte & PTE_D)
							: anon && vm->frames[pfn].mapcount == 1;
		pte_t n = pte & ~(PTE_W | PTE_NX);
		if ((v->prot & PROT_W) && writable)
			n |= PTE_W;
		if (!(v->prot & PROT_X))
			n |= PTE_NX;
		if (n != pte) {
			pt_store(vm, p, va, n);
			tlb_flush_page(vm, p->pid, VPN(&vm->arch, va));
		}
		if (va + vm->arch.page_size < va)
			break;
	}
}

int vm_mprotect(struct vm *vm, int pid, vaddr_t addr, uint64_t len, unsigned prot)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	if (PAGE_OFF(&vm->arch, addr) || prot > (PROT_R | PROT_W | PROT_X)) {
		snprintf(vm->err, sizeof vm->err, "mprotect: 0x%" PRIx64 " is not page aligned (EINVAL)", addr);
		return -1;
	}
	len = PAGE_UP(&vm->arch, len);
	vaddr_t end = addr + len;
	if (len == 0)
		return 0;
	if (end < addr || end > vm->arch.user_top) {
		snprintf(vm->err, sizeof vm->err, "mprotect: range past the end of user space (ENOMEM)");
		return -1;
	}
	/* Every page must be mapped (else ENOMEM), and none special. */
	uint64_t charge = 0;
	for (vaddr_t va = addr; va < end;) {
		const struct vma *v = vm_find_vma(p, va);
		if (!v) {
			snprintf(vm->err, sizeof vm->err,
				 "mprotect: cannot allocate memory (ENOMEM): 0x%" PRIx64 " is not mapped", va);
			return -1;
		}
		if (v->flags & VMA_SPECIAL) {
			snprintf(vm->err, sizeof vm->err, "mprotect: %s belongs to the kernel, not simulated", v->name);
			return -1;
		}
		if ((prot & PROT_W) && (v->flags & VMA_SHARED) && v->file >= 0 && !(v->prot & PROT_W)) {
			snprintf(vm->err, sizeof vm->err, "mprotect: %s is a shared file mapping; vmviz does not model "
				 "writing one (its writes go back to the file)", v->name);
			return -1;
		}
		vaddr_t e = v->end < end ? v->end : end;
		/* Making a private mapping writable charges it (VM_ACCOUNT). */
		if ((prot & PROT_W) && !(v->flags & (VMA_ACCOUNT | VMA_SHARED)) && !(v->prot & PROT_W))
			charge += e - va;
		va = e;
	}
	if (charge && vm_enough_memory(vm, p, charge, "mprotect") < 0)
		return -1;
	if (split_at(p, addr) < 0 || split_at(p, end) < 0) {
		snprintf(vm->err, sizeof vm->err, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < p->nvmas; i++) {
		struct vma *v = &p->vmas[i];
		if (v->start < addr || v->end > end)
			continue;
		if ((prot & PROT_W) && !(v->flags & VMA_SHARED) && !(v->prot & PROT_W))
			v->flags |= VMA_ACCOUNT;
		else if (!(prot & PROT_W) && (v->flags & VMA_ACCOUNT) && v->file < 0 && !v->anon &&
			 !(v->flags & (VMA_HEAP | VMA_STACK)))
			v->flags &= ~VMA_ACCOUNT; /* nothing written yet: the charge goes back */
		v->prot = prot;
		update_ptes(vm, p, v);
	}
	/* Merge from the top down so the indexes below stay valid. */
	for (size_t i = p->nvmas; i-- > 0;) {
		const struct vma *v = &p->vmas[i];
		if (v->start >= addr && v->end <= end) {
			vma_merge_at(p, &p->vmas[i]);
			if (i >= p->nvmas)
				i = p->nvmas;
		}
	}
	/* The splits at the range's edges cut VMAs whose part inside the range
	 * may not have changed at all; the kernel never splits those, so join
	 * them again with what now follows them (mprotect_fixup skips a VMA
	 * whose flags stay, and vma_merge joins the changed one to it). */
	const struct vma *edge = vm_find_vma(p, addr);
	if (edge && edge->start == addr)
		vma_merge_at(p, (struct vma *)edge);
	edge = vm_find_vma(p, end - 1);
	if (edge && edge->end == end)
		vma_merge_at(p, (struct vma *)edge);
	if (vm->tlb.n)
		tlb_flush_pid(vm, pid);
	struct event *ev = event_push(&vm->log, EV_MPROTECT, pid);
	ev->va = addr;
	ev->a = len;
	ev->b = prot;
	return 0;
}
