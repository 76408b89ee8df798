/* vma.c - the sorted list of VMAs of a process: insert, remove a range
 * (splitting VMAs), merge neighbours, find a gap for mmap (as the kernel's
 * vm_unmapped_area), and the /proc/PID/maps format. */
#include "internal.h"
#include "pagetable.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MMAP_MIN_ADDR 65536u     /* vm.mmap_min_addr */
#define STACK_GUARD_PAGES 256u   /* stack_guard_gap */

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

void vma_advance(struct vma *v, vaddr_t start)
{
	if (v->file >= 0 || v->shm)
		v->file_off += start - v->start;
	v->anon_off += start - v->start;
	v->start = start;
}

int vma_remove_range(struct vm *vm, struct proc *p, vaddr_t start, vaddr_t end)
{
	proc_note_hiwater_vm(vm, p);
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
			vma_advance(&tail, end);
			v->end = start;
			if (!vma_insert(p, &tail))
				return -1;
			return 0;
		}
		if (v->start < start) {
			v->end = start;
			i++;
		} else if (v->end > end) {
			vma_advance(v, end);
			i++;
		} else {
			vma_delete_at(p, i);
		}
	}
	return 0;
}

/* The kernel's unmapped_area_topdown: the highest gap below high that
 * holds len, no lower than mmap_min_addr. A stack's gap shrinks by the
 * stack guard gap, so nothing is placed right under it. */
static vaddr_t unmapped_area_topdown(const struct vm *vm, const struct proc *p, uint64_t len, vaddr_t high)
{
	vaddr_t low = MMAP_MIN_ADDR > vm->arch.page_size ? MMAP_MIN_ADDR : vm->arch.page_size;
	for (size_t i = p->nvmas + 1; i-- > 0;) {
		vaddr_t gap_end = high;
		if (i < p->nvmas) {
			const struct vma *next = &p->vmas[i];
			uint64_t guard = (next->flags & VMA_STACK) ? STACK_GUARD_PAGES * vm->arch.page_size : 0;
			vaddr_t start_gap = next->start > guard ? next->start - guard : 0;
			if (start_gap < gap_end)
				gap_end = start_gap;
		}
		vaddr_t gap_start = i > 0 ? p->vmas[i - 1].end : 0;
		if (gap_start < low)
			gap_start = low;
		if (gap_end > gap_start && gap_end - gap_start >= len)
			return gap_end - len;
		if (gap_end <= low)
			break;
	}
	return 0;
}

vaddr_t vma_get_unmapped_area(const struct vm *vm, const struct proc *p, uint64_t len, unsigned flags)
{
	/* Since 6.7 (sizes limited to PMD multiples in 6.12): private anonymous
	 * mappings are padded by a PMD and placed on a PMD boundary, the
	 * highest one in the padded gap; not for 32-bit processes. */
	uint64_t pmd = vm->arch.page_size << vm->arch.level_bits;
	if (vm->arch.kind == ARCH_X86_64 && (flags & VMA_ANON) && !(flags & VMA_SHARED) && len % pmd == 0 &&
	    len + pmd > len) {
		vaddr_t ret = unmapped_area_topdown(vm, p, len + pmd, p->mmap_base);
		if (ret) {
			uint64_t off_sub = (0 - ret) & (pmd - 1);
			return off_sub ? ret + off_sub : ret + pmd;
		}
	}
	return unmapped_area_topdown(vm, p, len, p->mmap_base);
}

bool vma_accountable(unsigned prot, unsigned flags)
{
	return (prot & PROT_W) && !(flags & VMA_SHARED);
}

/* Does b's offset (in the file, or Linux's vm_pgoff for anonymous memory)
 * continue a's? */
static bool offsets_continue(const struct vma *a, const struct vma *b)
{
	if (a->file >= 0 || a->shm)
		return a->file_off + (a->end - a->start) == b->file_off;
	return a->anon_off + (a->end - a->start) == b->anon_off;
}

bool vma_mergeable(const struct vma *a, const struct vma *b)
{
	if (a->end != b->start || a->prot != b->prot || a->flags != b->flags || a->file != b->file ||
	    a->shm != b->shm || strcmp(a->name, b->name) != 0)
		return false;
	if (a->flags & (VMA_HEAP | VMA_STACK | VMA_SPECIAL))
		return false;
	if (a->anon && b->anon && a->anon != b->anon)
		return false;
	return offsets_continue(a, b);
}

static size_t index_of(const struct proc *p, const struct vma *v)
{
	return (size_t)(v - p->vmas);
}

struct vma *vma_merge_at(struct proc *p, struct vma *v)
{
	if (!v)
		return NULL;
	size_t i = index_of(p, v);
	if (i > 0 && vma_mergeable(&p->vmas[i - 1], v)) {
		struct vma *prev = &p->vmas[i - 1];
		prev->end = v->end;
		if (!prev->anon)
			prev->anon = v->anon;
		vma_delete_at(p, i);
		i--;
	}
	if (i + 1 < p->nvmas && vma_mergeable(&p->vmas[i], &p->vmas[i + 1])) {
		struct vma *cur = &p->vmas[i], *next = &p->vmas[i + 1];
		cur->end = next->end;
		if (!cur->anon)
			cur->anon = next->anon;
		vma_delete_at(p, i + 1);
	}
	return &p->vmas[i];
}

/* Linux's anon_vma_compatible: a just below b, the same kind of mapping
 * (the permissions may differ), offsets continuing. */
static bool anon_compatible(const struct vma *a, const struct vma *b)
{
	return a->end == b->start && a->flags == b->flags && a->file == b->file && !a->shm && !b->shm &&
	       offsets_continue(a, b) && !(a->flags & (VMA_HEAP | VMA_STACK | VMA_SPECIAL));
}

void vma_anon_prepare(struct vm *vm, struct proc *p, const struct vma *cv)
{
	struct vma *v = (struct vma *)cv;
	if (v->anon)
		return;
	size_t i = index_of(p, v);
	if (i + 1 < p->nvmas && p->vmas[i + 1].anon && anon_compatible(v, &p->vmas[i + 1]))
		v->anon = p->vmas[i + 1].anon;
	else if (i > 0 && p->vmas[i - 1].anon && anon_compatible(&p->vmas[i - 1], v))
		v->anon = p->vmas[i - 1].anon;
	else
		v->anon = ++vm->next_anon;
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
	} else if (v->shm) {
		minor = 1; /* the shmem mount; the inode stands for the object */
		inode = 1023 + v->shm;
	}
	int n = snprintf(buf, size, "%08" PRIx64 "-%08" PRIx64 " %s %08" PRIx64 " %02x:%02x %lu", v->start,
			 v->end, perms, v->file_off, major, minor, inode);
	if (n < 0)
		return 0;
	if (!v->name[0] && (size_t)n + 1 < size) {
		/* Linux ends the fixed columns with a space, name or not. */
		buf[n++] = ' ';
		buf[n] = 0;
	}
	if (v->name[0] && (size_t)n < size) {
		/* Linux pads to 25 + 6 * sizeof(void *) - 1 columns, then a space. */
		int width = 73; /* a 64-bit kernel, also for 32-bit processes */
		int pad = n < width ? width - n : 1;
		n += snprintf(buf + n, size - (size_t)n, "%*s%s", pad, "", v->name);
	}
	return (size_t)n < size ? (size_t)n : size - 1;
}
