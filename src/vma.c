/* vma.c - the sorted list of VMAs of a process: insert, remove a range
 * (splitting VMAs), find a gap for mmap, and the /proc/PID/maps format. */
#include "internal.h"
#include "pagetable.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct vma *vm_find_vma(const struct proc *p, vaddr_t va)
{
	size_t lo = 0, hi = p->nvmas;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (va < p->vmas[mid].start)
			hi = mid;
		else if (va >= p->vmas[mid].end)
			lo = mid + 1;
		else
			return &p->vmas[mid];
	}
	return NULL;
}

struct vma *vma_insert(struct proc *p, const struct vma *v)
{
	if (p->nvmas == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 32;
		struct vma *n = realloc(p->vmas, cap * sizeof *n);
		if (!n)
			return NULL;
		p->vmas = n;
		p->cap = cap;
	}
	size_t i = p->nvmas;
	while (i > 0 && p->vmas[i - 1].start > v->start) {
		p->vmas[i] = p->vmas[i - 1];
		i--;
	}
	p->vmas[i] = *v;
	p->nvmas++;
	return &p->vmas[i];
}

static void vma_delete_at(struct proc *p, size_t i)
{
	memmove(&p->vmas[i], &p->vmas[i + 1], (p->nvmas - i - 1) * sizeof *p->vmas);
	p->nvmas--;
}

/* Releases every page in [start, end), skipping missing leaf tables. */
static void unmap_pages(struct vm *vm, struct proc *p, vaddr_t start, vaddr_t end)
{
	/* Pages exist only in user space; past it the indexes would alias. */
	if (end > vm->arch.user_top)
		end = vm->arch.user_top;
	for (vaddr_t va = pt_skip(vm, p, start); va < end; va = pt_skip(vm, p, va)) {
		unmap_page(vm, p, va);
		if (va + vm->arch.page_size < va)
			break;
		va += vm->arch.page_size;
	}
}

int vma_remove_range(struct vm *vm, struct proc *p, vaddr_t start, vaddr_t end)
{
	unmap_pages(vm, p, start, end);
	for (size_t i = 0; i < p->nvmas;) {
		struct vma *v = &p->vmas[i];
		if (v->end <= start || v->start >= end) {
			i++;
			continue;
		}
		if (v->start < start && v->end > end) {
			/* A hole in the middle: split in two. */
			struct vma tail = *v;
			tail.start = end;
			if (tail.file >= 0 || tail.shm)
				tail.file_off += end - v->start;
			v->end = start;
			if (!vma_insert(p, &tail))
				return -1;
			return 0;
		}
		if (v->start < start) {
			v->end = start;
			i++;
		} else if (v->end > end) {
			if (v->file >= 0 || v->shm)
				v->file_off += end - v->start;
			v->start = end;
			i++;
		} else {
			vma_delete_at(p, i);
		}
	}
	return 0;
}

/* Top-down, below mmap_base, as Linux's default mmap layout. */
vaddr_t vma_find_gap(const struct vm *vm, const struct proc *p, uint64_t len)
{
	vaddr_t top = p->mmap_base;
	for (size_t i = p->nvmas; i-- > 0;) {
		const struct vma *v = &p->vmas[i];
		if (v->start >= top)
			continue;
		if (v->end <= top && top - v->end >= len)
			return top - len;
		top = v->start;
	}
	vaddr_t floor = PAGE_UP(&vm->arch, p->brk) + vm->arch.page_size;
	return top >= floor + len ? top - len : 0;
}

void vma_perms(const struct vma *v, char out[5])
{
	out[0] = (v->prot & PROT_R) ? 'r' : '-';
	out[1] = (v->prot & PROT_W) ? 'w' : '-';
	out[2] = (v->prot & PROT_X) ? 'x' : '-';
	out[3] = (v->flags & VMA_SHARED) ? 's' : 'p';
	out[4] = 0;
}

size_t vma_format_maps(const struct vm *vm, const struct vma *v, char *buf, size_t size)
{
	char perms[5];
	vma_perms(v, perms);
	unsigned major = 0, minor = 0;
	unsigned long inode = 0;
	if (v->file >= 0) {
		major = 0xfe;
		inode = vm->files[v->file].id;
	}
	int n = snprintf(buf, size, "%08" PRIx64 "-%08" PRIx64 " %s %08" PRIx64 " %02x:%02x %lu", v->start,
			 v->end, perms, v->file_off, major, minor, inode);
	if (n < 0)
		return 0;
	if (v->name[0] && (size_t)n < size) {
		/* Linux pads to 25 + 6 * sizeof(void *) - 1 columns, then a space. */
		int width = vm->arch.kind == ARCH_X86 ? 49 : 73;
		int pad = n < width ? width - n : 1;
		n += snprintf(buf + n, size - (size_t)n, "%*s%s", pad, "", v->name);
	}
	return (size_t)n < size ? (size_t)n : size - 1;
}
