/* smaps.c - /proc/PID/smaps and the memory lines of /proc/PID/status, from
 * the page tables, following fs/proc/task_mmu.c (smaps_pte_entry,
 * smaps_account) and fs/proc/task_mmu.c's task_mem, kernel 6.18:
 *   - a present PTE of a normal page counts in Rss; the shared zero page is
 *     not a normal page (vm_normal_page is NULL) and counts nowhere;
 *   - a page mapped by one PTE is private, by several shared; Pss adds
 *     page/mapcount, kept shifted left by 12 bits so thirds stay exact;
 *   - dirty is the PTE's dirty bit or the page's own (written since it was
 *     read from swap or a file); Referenced is the Accessed bit;
 *   - a swap PTE counts in Swap, and in SwapPss divided by the PTEs that
 *     hold the same slot.
 * Shared anonymous memory is shmem in Linux: not "Anonymous", RssShmem. */
#include "smaps.h"
#include "internal.h"
#include "session.h"

#include <inttypes.h>
#include <stdio.h>

struct count_walk {
	const struct vm *vm;
	const struct proc *p;
	struct smaps_vma *out;
	size_t i;                  /* the VMA the last PTE fell in */
};

static void count_pte(void *ctx, uint64_t vpn, pte_t pte)
{
	struct count_walk *w = ctx;
	const struct vm *vm = w->vm;
	vaddr_t va = vpn << vm->arch.page_shift;
	/* PTEs come in address order: the VMA moves forward only. */
	while (w->i < w->p->nvmas && w->p->vmas[w->i].end <= va)
		w->i++;
	if (w->i == w->p->nvmas || w->p->vmas[w->i].start > va)
		return;
	const struct vma *v = &w->p->vmas[w->i];
	struct smaps_vma *c = &w->out[w->i];
	uint64_t page = vm->arch.page_size;
	if (PTE_SWAPPED(pte)) {
		uint32_t users = vm->swap.count[PTE_NUM(pte)];
		c->swap += page;
		c->swap_pss += users >= 2 ? page / users : page;
		return;
	}
	if (!PTE_PRESENT(pte) || PTE_NUM(pte) == vm->zero_pfn || PTE_NUM(pte) >= vm->nframes)
		return;
	const struct frame *f = &vm->frames[PTE_NUM(pte)];
	bool dirty = (pte & PTE_D) || f->dirty;
	unsigned users = f->mapcount ? f->mapcount : 1;
	uint64_t pss = (page << SMAPS_PSS_SHIFT) / users;
	c->rss += page;
	c->pss += pss;
	if (dirty)
		c->pss_dirty += pss;
	if (pte & PTE_A)
		c->referenced += page;
	if (f->kind == FRAME_ANON && !v->shm)
		c->anonymous += page;
	if (users >= 2)
		*(dirty ? &c->shared_dirty : &c->shared_clean) += page;
	else
		*(dirty ? &c->private_dirty : &c->private_clean) += page;
}

void smaps_count(const struct vm *vm, const struct proc *p, struct smaps_vma *out)
{
	for (size_t i = 0; i < p->nvmas; i++)
		out[i] = (struct smaps_vma){0};
	struct count_walk w = {vm, p, out, 0};
	vm_pt_foreach(vm, p->pid, count_pte, &w);
}

void smaps_vmflags(const struct vma *v, char *buf, size_t size)
{
	/* Mappings the kernel makes itself have flags of their own. */
	const char *fixed = NULL;
	if (v->flags & VMA_SPECIAL)
		fixed = v->prot & PROT_X ? (v->prot & PROT_R ? "rd ex mr mw me de " : "ex ") : "rd mr pf io de dd ";
	if (fixed) {
		snprintf(buf, size, "%s", fixed);
		return;
	}
	snprintf(buf, size, "%s%s%s%smr mw me %s%s%s", v->prot & PROT_R ? "rd " : "", v->prot & PROT_W ? "wr " : "",
		 v->prot & PROT_X ? "ex " : "", v->flags & VMA_SHARED ? "sh " : "", v->flags & VMA_SHARED ? "ms " : "",
		 v->flags & VMA_STACK ? "gd " : "", v->flags & VMA_ACCOUNT ? "ac " : "");
}

static void field(struct strbuf *out, const char *name, uint64_t bytes)
{
	sb_printf(out, "%-16s%8" PRIu64 " kB\n", name, bytes >> 10);
}

void smaps_format(const struct vm *vm, const struct proc *p, size_t i, const struct smaps_vma *c, struct strbuf *out)
{
	const struct vma *v = &p->vmas[i];
	char line[256], flags[64];
	vma_format_maps(vm, v, line, sizeof line);
	sb_printf(out, "%s\n", line);
	field(out, "Size:", v->end - v->start);
	field(out, "KernelPageSize:", vm->arch.page_size);
	field(out, "MMUPageSize:", vm->arch.page_size);
	field(out, "Rss:", c->rss);
	field(out, "Pss:", c->pss >> SMAPS_PSS_SHIFT);
	field(out, "Pss_Dirty:", c->pss_dirty >> SMAPS_PSS_SHIFT);
	field(out, "Shared_Clean:", c->shared_clean);
	field(out, "Shared_Dirty:", c->shared_dirty);
	field(out, "Private_Clean:", c->private_clean);
	field(out, "Private_Dirty:", c->private_dirty);
	field(out, "Referenced:", c->referenced);
	field(out, "Anonymous:", c->anonymous);
	/* No KSM, MADV_FREE, huge pages or mlock in vmviz: always 0. */
	static const char *const zero[] = {"KSM:", "LazyFree:", "AnonHugePages:", "ShmemPmdMapped:", "FilePmdMapped:",
					   "Shared_Hugetlb:", "Private_Hugetlb:"};
	for (size_t z = 0; z < sizeof zero / sizeof *zero; z++)
		field(out, zero[z], 0);
	field(out, "Swap:", c->swap);
	field(out, "SwapPss:", c->swap_pss);
	field(out, "Locked:", 0);
	/* THP is "madvise" on the measured machine: nothing is eligible
	 * without madvise(MADV_HUGEPAGE), which vmviz does not have. */
	sb_printf(out, "%-16s%8d\n", "THPeligible:", 0);
	smaps_vmflags(v, flags, sizeof flags);
	sb_printf(out, "VmFlags: %s\n", flags);
}

struct status_walk {
	const struct vm *vm;
	const struct proc *p;
	struct proc_status *st;
	size_t i;
};

static void status_pte(void *ctx, uint64_t vpn, pte_t pte)
{
	struct status_walk *w = ctx;
	const struct vm *vm = w->vm;
	vaddr_t va = vpn << vm->arch.page_shift;
	if (!PTE_PRESENT(pte) || PTE_NUM(pte) == vm->zero_pfn || PTE_NUM(pte) >= vm->nframes)
		return;
	while (w->i < w->p->nvmas && w->p->vmas[w->i].end <= va)
		w->i++;
	bool shm = w->i < w->p->nvmas && w->p->vmas[w->i].start <= va && w->p->vmas[w->i].shm;
	uint64_t page = vm->arch.page_size;
	if (shm)
		w->st->rss_shmem += page;
	else if (vm->frames[PTE_NUM(pte)].kind == FRAME_FILE)
		w->st->rss_file += page;
	else
		w->st->rss_anon += page;
}

void proc_status_count(const struct vm *vm, const struct proc *p, struct proc_status *st)
{
	*st = (struct proc_status){0};
	uint64_t page = vm->arch.page_size;
	st->size = vm_vsz(vm, p);
	st->peak = p->hiwater_vm > st->size ? p->hiwater_vm : st->size;
	st->rss = p->rss * page;
	st->hwm = p->hiwater_rss * page > st->rss ? p->hiwater_rss * page : st->rss;
	struct status_walk w = {vm, p, st, 0};
	vm_pt_foreach(vm, p->pid, status_pte, &w);
	/* mm/internal.h: is_data_mapping, is_stack_mapping, is_exec_mapping. */
	uint64_t exec = 0;
	int main_file = p->nvmas && p->vmas[0].file >= 0 ? p->vmas[0].file : -1;
	for (size_t i = 0; i < p->nvmas; i++) {
		const struct vma *v = &p->vmas[i];
		uint64_t len = v->end - v->start;
		if (v->start >= vm->arch.user_top)
			continue; /* [vsyscall]: not in the mm */
		if (v->flags & VMA_STACK)
			st->stk += len;
		else if ((v->prot & PROT_W) && !(v->flags & VMA_SHARED))
			st->data += len;
		else if ((v->prot & PROT_X) && !(v->prot & PROT_W)) {
			exec += len;
			if (v->file >= 0 && v->file == main_file)
				st->exe += len; /* the program's text: start_code..end_code */
		}
	}
	st->lib = exec - st->exe;
	/* mm_pgtables_bytes: every table below the top level. */
	st->pte = p->ntables ? (uint64_t)(p->ntables - 1) * page : 0;
	st->swap = p->swapents * page;
}

void proc_status_format(const struct proc_status *st, struct strbuf *out)
{
	const struct { const char *name; uint64_t bytes; } lines[] = {
		{"VmPeak:", st->peak}, {"VmSize:", st->size}, {"VmLck:", st->lck}, {"VmPin:", st->pin},
		{"VmHWM:", st->hwm}, {"VmRSS:", st->rss}, {"RssAnon:", st->rss_anon}, {"RssFile:", st->rss_file},
		{"RssShmem:", st->rss_shmem}, {"VmData:", st->data}, {"VmStk:", st->stk}, {"VmExe:", st->exe},
		{"VmLib:", st->lib}, {"VmPTE:", st->pte}, {"VmSwap:", st->swap},
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++)
		sb_printf(out, "%s\t%8" PRIu64 " kB\n", lines[i].name, lines[i].bytes >> 10);
}
