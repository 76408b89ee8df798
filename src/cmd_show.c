/* cmd_show.c - commands that print engine state: translate, maps, pt,
 * frames, swap, stats. They change nothing. */
#include "commands.h"
#include "expr.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void pte_bits(const struct vm *vm, pte_t pte, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s%s%s%s%s", (pte & PTE_P) ? "P " : "", (pte & PTE_W) ? "W " : "",
			 (pte & PTE_U) ? "U " : "", (pte & PTE_A) ? "A " : "", (pte & PTE_D) ? "D " : "",
			 (vm->arch.kind == ARCH_X86_64 && (pte & PTE_NX)) ? "NX " : "");
	if (n > 0 && (size_t)n <= size)
		buf[n - 1] = 0; /* the last bit's trailing space */
}

CMD(translate)
{
	uint64_t va;
	if (argc != 2)
		return cmd_usage(s, "translate");
	if (cmd_addr(s, argv[1], &va) < 0)
		return -1;
	struct proc *p = current_proc(s);
	if (!p)
		return -1;
	struct vm *vm = s->vm;
	struct walk w;
	vm_translate(vm, p->pid, va, &w);
	w.fault = FAULT_NONE;
	vm->last = w;
	sb_printf(&s->out, "translate 0x%" PRIx64 " (pid %d, %s, %u levels)\n", va, p->pid, vm->arch.name,
		  vm->arch.levels);
	if (va >= vm->arch.user_top && va < vm->arch.kernel_base) {
		sb_printf(&s->out, "  non-canonical address: in the hole between user space (below 0x%" PRIx64
				   ") and kernel space (from 0x%" PRIx64 "); any access is a SIGSEGV\n",
			  vm->arch.user_top, vm->arch.kernel_base);
		return 0;
	}
	if (va >= vm->arch.user_top) {
		sb_printf(&s->out, "  kernel address: user mode may not touch it (SIGSEGV)\n");
		return 0;
	}
	for (unsigned d = 0; d < vm->arch.levels; d++) {
		const char *name = vm->arch.level_names[d];
		if (d >= w.levels) {
			sb_printf(&s->out, "  %-3s  no table: the walk stops, an access would fault\n", name);
			break;
		}
		pte_t e = w.entry[d];
		if (d + 1 < vm->arch.levels) {
			if (e)
				sb_printf(&s->out, "  %-3s[%3u] in table #%u -> %s table #%" PRIu64 "\n", name, w.index[d],
					  w.table[d], vm->arch.level_names[d + 1], PTE_NUM(e));
			else
				sb_printf(&s->out, "  %-3s[%3u] in table #%u -> empty\n", name, w.index[d], w.table[d]);
		} else {
			char bits[32];
			pte_bits(vm, e, bits, sizeof bits);
			if (PTE_PRESENT(e))
				sb_printf(&s->out, "  %-3s[%3u] in table #%u -> frame %" PRIu64 " [%s]\n", name, w.index[d],
					  w.table[d], PTE_NUM(e), bits);
			else if (PTE_SWAPPED(e))
				sb_printf(&s->out, "  %-3s[%3u] in table #%u -> not present, in swap slot %" PRIu64 "\n", name,
					  w.index[d], w.table[d], PTE_NUM(e));
			else
				sb_printf(&s->out, "  %-3s[%3u] in table #%u -> empty\n", name, w.index[d], w.table[d]);
		}
	}
	if (w.present)
		sb_printf(&s->out, "  physical address 0x%" PRIx64 " = frame %" PRId64 " + offset 0x%" PRIx64 "\n", w.paddr,
			  w.pfn, PAGE_OFF(&vm->arch, va));
	else if (!vm_find_vma(p, va))
		sb_printf(&s->out, "  0x%" PRIx64 " is in no VMA: an access is a segmentation fault\n", va);
	else
		sb_printf(&s->out, "  not present: the first access will fault the page in\n");
	return 0;
}

CMD(maps)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "maps");
	struct proc *p = current_proc(s);
	if (!p)
		return -1;
	char line[256];
	for (size_t i = 0; i < p->nvmas; i++) {
		vma_format_maps(s->vm, &p->vmas[i], line, sizeof line);
		sb_printf(&s->out, "%s\n", line);
	}
	return 0;
}

struct pt_print {
	struct session *s;
	uint64_t n;
};

static void print_pte(void *arg, uint64_t vpn, pte_t pte)
{
	struct pt_print *pp = arg;
	const struct vm *vm = pp->s->vm;
	char bits[32];
	int digits = vm->arch.kind == ARCH_X86 ? 8 : 12;
	pte_bits(vm, pte, bits, sizeof bits);
	if (PTE_PRESENT(pte))
		sb_printf(&pp->s->out, "0x%0*" PRIx64 "  frame %-5" PRIu64 " %s%s\n", digits, vpn << vm->arch.page_shift,
			  PTE_NUM(pte), bits, PTE_NUM(pte) == vm->zero_pfn ? "(zero page)" : "");
	else
		sb_printf(&pp->s->out, "0x%0*" PRIx64 "  swap  %-5" PRIu64 " not present\n", digits,
			  vpn << vm->arch.page_shift, PTE_NUM(pte));
	pp->n++;
}

CMD(pt)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "pt");
	struct proc *p = current_proc(s);
	if (!p)
		return -1;
	struct pt_print pp = {s, 0};
	sb_printf(&s->out, "page              -> where       bits (pid %d, %u page-table pages)\n", p->pid,
		  p->ntables);
	vm_pt_foreach(s->vm, p->pid, print_pte, &pp);
	sb_printf(&s->out, "%" PRIu64 " mapped page%s\n", pp.n, pp.n == 1 ? "" : "s");
	return 0;
}

CMD(frames)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "frames");
	struct vm *vm = s->vm;
	uint32_t *order = calloc(vm->nframes, sizeof *order);
	uint32_t *rank = calloc(vm->nframes, sizeof *rank);
	if (!order || !rank) {
		free(order);
		free(rank);
		return cmd_error(s, "out of memory");
	}
	uint32_t n = policy_order(vm->policy, order, vm->nframes), cached = 0;
	for (uint32_t i = 0; i < n; i++)
		rank[order[i]] = i + 1;
	sb_printf(&s->out, "frame  kind    ref dirty  %-6s  mapped by\n",
		  vm->policy->kind == POLICY_CLOCK ? "hand" : "evict#");
	for (uint32_t f = 0; f < vm->nframes; f++) {
		const struct frame *fr = &vm->frames[f];
		if (fr->kind == FRAME_FREE)
			continue;
		char pos[16] = "";
		if (vm->policy->kind == POLICY_CLOCK && vm->policy->hand == f)
			snprintf(pos, sizeof pos, "<-");
		else if (vm->policy->kind != POLICY_CLOCK && rank[f])
			snprintf(pos, sizeof pos, "%u", rank[f]);
		sb_printf(&s->out, "%5u  %-6s  %-3s %-5s  %-6s ", f, frame_kind_name(fr->kind),
			  policy_refbit(vm->policy, f) ? "R" : "-", fr->dirty ? "D" : "-", pos);
		if (fr->kind == FRAME_KERNEL)
			sb_printf(&s->out, " kernel");
		if (fr->kind == FRAME_ZERO)
			sb_printf(&s->out, " the shared zero page");
		if (fr->kind == FRAME_FILE && !fr->rmap) {
			const char *path = vm->files[fr->file].path, *base = strrchr(path, '/');
			sb_printf(&s->out, " page cache only: %s page %u", base ? base + 1 : path, fr->file_page);
			cached++;
		}
		for (const struct rmap *r = fr->rmap; r; r = r->next)
			sb_printf(&s->out, " %d:0x%" PRIx64, r->pid, r->vpn << vm->arch.page_shift);
		sb_printf(&s->out, "\n");
	}
	sb_printf(&s->out, "%u frames: %u kernel, %u in use (%u only in the page cache), %u free; policy %s\n",
		  vm->nframes, vm->kernel_frames, vm->nframes - vm->kernel_frames - vm->free_frames, cached,
		  vm->free_frames, policy_name(vm->policy->kind));
	free(order);
	free(rank);
	return 0;
}

CMD(swap)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "swap");
	const struct swap *sw = &s->vm->swap;
	for (uint32_t i = 0; i < sw->nslots; i++) {
		if (!sw->count[i] && sw->cache[i] < 0)
			continue;
		sb_printf(&s->out, "slot %4u  pid %d page 0x%" PRIx64, i, sw->owner[i],
			  sw->owner_vpn[i] << s->vm->arch.page_shift);
		if (sw->count[i])
			sb_printf(&s->out, "  (%u PTE%s)", sw->count[i], sw->count[i] == 1 ? "" : "s");
		/* Swapped back in but kept (the swap cache): a clean page can
		 * be dropped again without writing it. */
		if (sw->cache[i] >= 0)
			sb_printf(&s->out, TR(s, "  swap cache: also in frame %d", "  swap 缓存：也在页框 %d"), sw->cache[i]);
		sb_printf(&s->out, "\n");
	}
	sb_printf(&s->out, "swap: %u of %u slots used\n", sw->used, sw->nslots);
	return 0;
}

CMD(stats)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "stats");
	const struct vm *vm = s->vm;
	const uint64_t *c = vm->log.counts;
	sb_printf(&s->out, "minor faults %" PRIu64 ", major faults %" PRIu64 ", SIGSEGV %" PRIu64 ", OOM kills %" PRIu64 "\n",
		  c[EV_FAULT_MINOR], c[EV_FAULT_MAJOR], c[EV_SEGV], vm->ooms);
	sb_printf(&s->out, "evictions %" PRIu64 ", swap-outs %" PRIu64 ", swap-ins %" PRIu64 ", copy-on-write %" PRIu64 "\n",
		  vm->evictions, vm->swapouts, vm->swapins, c[EV_COW]);
	sb_printf(&s->out, "frames %u (%u kernel, %u free), swap %u/%u, page-table pages %" PRIu64 "\n", vm->nframes,
		  vm->kernel_frames, vm->free_frames, vm->swap.used, vm->swap.nslots, vm->tables);
	sb_printf(&s->out, "policy %s, page size %" PRIu64 ", arch %s", policy_name(vm->policy->kind),
		  vm->arch.page_size, vm->arch.name);
	if (vm->tlb.n)
		sb_printf(&s->out, ", TLB %u entries: %" PRIu64 " hits, %" PRIu64 " misses", vm->tlb.n, vm->tlb.hits,
			  vm->tlb.misses);
	sb_printf(&s->out, "\n");
	return 0;
}
