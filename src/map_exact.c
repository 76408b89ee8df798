/* map_exact.c - places a mapping exactly where a real process has it, so a
 * scenario recorded from a real program (vmviz record) starts from that
 * program's address space instead of the built-in a.out layout. */
#include "internal.h"
#include "heap.h"

#include <stdio.h>
#include <string.h>

int vm_map_clear(struct vm *vm, int pid)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	if (p->heap.initialised || p->heap.nblocks) {
		snprintf(vm->err, sizeof vm->err, "map clear: only before the first malloc");
		return -1;
	}
	if (vma_remove_range(vm, p, 0, ~(vaddr_t)0 & ~(vaddr_t)(vm->arch.page_size - 1)) < 0)
		return -1;
	p->start_brk = p->brk = 0;
	p->ncalls = 0;
	return 0;
}

int vm_map_brk(struct vm *vm, int pid, vaddr_t start)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	if (start % vm->arch.page_size || p->heap.initialised || p->brk != p->start_brk) {
		snprintf(vm->err, sizeof vm->err, "map brk: the heap can start only page aligned, before it grows");
		return -1;
	}
	p->start_brk = p->brk = start;
	return 0;
}

int vm_map_exact(struct vm *vm, int pid, const struct vm_map_spec *m)
{
	struct proc *p = vm_proc(vm, pid);
	if (!p) {
		snprintf(vm->err, sizeof vm->err, "no process %d", pid);
		return -1;
	}
	uint64_t page = vm->arch.page_size;
	if (m->start % page || m->end % page || m->end <= m->start) {
		snprintf(vm->err, sizeof vm->err, "map: %llx-%llx is not a page-aligned range",
			 (unsigned long long)m->start, (unsigned long long)m->end);
		return -1;
	}
	for (size_t i = 0; i < p->nvmas; i++)
		if (p->vmas[i].start < m->end && m->start < p->vmas[i].end) {
			snprintf(vm->err, sizeof vm->err, "map: %llx-%llx overlaps a mapping",
				 (unsigned long long)m->start, (unsigned long long)m->end);
			return -1;
		}
	struct vma v = {0};
	v.start = m->start;
	v.end = m->end;
	v.prot = m->prot;
	v.file = -1;
	v.anon_off = v.start;
	bool special = strcmp(m->name, "[vvar]") == 0 || strcmp(m->name, "[vdso]") == 0 ||
		       strcmp(m->name, "[vvar_vclock]") == 0 || strcmp(m->name, "[vsyscall]") == 0;
	if (m->shared)
		v.flags |= VMA_SHARED;
	if (m->name[0] == '/') {
		/* The file is at least as long as what is mapped of it. */
		uint64_t pages = (m->off + (m->end - m->start) + page - 1) / page;
		v.file = file_lookup(vm, m->name, (uint32_t)pages);
		if (v.file < 0) {
			snprintf(vm->err, sizeof vm->err, "too many different programs (at most %d files)", FILE_MAX);
			return -1;
		}
		v.file_off = m->off - m->off % page;
		if (!m->shared && (m->prot & PROT_W))
			v.flags |= VMA_ACCOUNT;
	} else if (special) {
		v.flags |= VMA_ANON | VMA_SPECIAL;
	} else {
		v.flags |= VMA_ANON;
		if (vma_accountable(m->prot, v.flags))
			v.flags |= VMA_ACCOUNT;
		if (strcmp(m->name, "[stack]") == 0)
			v.flags |= VMA_STACK | VMA_ACCOUNT;
		if (strcmp(m->name, "[heap]") == 0)
			v.flags |= VMA_HEAP;
	}
	snprintf(v.name, sizeof v.name, "%s", m->name);
	/* Written to before main() (or by the program), as in layout.c. */
	if ((v.flags & VMA_ANON) && !(v.flags & VMA_SPECIAL) && (v.prot & PROT_W) && !m->shared)
		v.anon = ++vm->next_anon;
	/* Maps showed two lines, so the kernel keeps them apart: they differ
	 * in what maps does not show. For a file's read-only part beside
	 * another it is RELRO, writable until the loader's mprotect, so
	 * charged to Committed_AS. */
	for (size_t i = 0; i < p->nvmas; i++)
		if ((p->vmas[i].end == v.start && vma_mergeable(&p->vmas[i], &v)) ||
		    (p->vmas[i].start == v.end && vma_mergeable(&v, &p->vmas[i])))
			v.flags ^= VMA_ACCOUNT;
	if (!vma_insert(p, &v)) {
		snprintf(vm->err, sizeof vm->err, "out of memory");
		return -1;
	}
	if (v.flags & VMA_STACK)
		p->sp = v.end - 0x9c0;
	if (v.flags & VMA_HEAP) {
		p->start_brk = v.start;
		p->brk = v.end;
	}
	return 0;
}
