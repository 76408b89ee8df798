/* cmd_show.c - commands that print engine state: translate, maps, pt,
 * frames, swap, stats. They change nothing. */
#include "commands.h"
#include "expr.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cmd_pte_bits(const struct vm *vm, pte_t pte, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s%s%s%s%s%s", (pte & PTE_P) ? "P " : "", (pte & PTE_W) ? "W " : "",
			 (pte & PTE_U) ? "U " : "", (pte & PTE_A) ? "A " : "", (pte & PTE_D) ? "D " : "",
			 (vm->arch.kind == ARCH_X86_64 && (pte & PTE_NX)) ? "NX " : "");
	if (n > 0 && (size_t)n <= size)
		buf[n - 1] = 0; /* the last bit's trailing space */
}

void sb_pad(struct strbuf *b, const char *text, int cols)
{
	int w = 0;
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		if (*c < 0x80 || *c >= 0xc0)
			w += *c >= 0xe0 ? 2 : 1;
	sb_printf(b, "%s%*s", text, cols > w ? cols - w : 0, "");
}

/* Ends a row of padded cells: no trailing blanks. */
static void end_row(struct strbuf *b)
{
	while (b->len > 0 && b->s[b->len - 1] == ' ')
		b->s[--b->len] = 0;
	sb_printf(b, "\n");
}

/* The address cut into its fields, the talk's 9+9+9+9+12 picture (10+10+12
 * on 32-bit x86): which bits index which level, and their values. */
static void walk_bits(struct session *s, vaddr_t va)
{
	const struct arch *a = &s->vm->arch;
	const unsigned col = a->level_bits + 2; /* room for a field's bits in binary */
	char cell[72];
	sb_pad(&s->out, TR(s, "  bits", "  位"), 10);
	for (unsigned d = 0; d <= a->levels; d++) {
		unsigned lo = d < a->levels ? a->page_shift + a->level_bits * (a->levels - 1 - d) : 0;
		unsigned hi = d < a->levels ? lo + a->level_bits - 1 : a->page_shift - 1;
		snprintf(cell, sizeof cell, "%u..%u", hi, lo);
		sb_pad(&s->out, cell, col);
	}
	end_row(&s->out);
	sb_pad(&s->out, TR(s, "  field", "  字段"), 10);
	for (unsigned d = 0; d <= a->levels; d++)
		sb_pad(&s->out, d < a->levels ? a->level_names[d] : TR(s, "offset", "页内偏移"), col);
	end_row(&s->out);
	sb_pad(&s->out, TR(s, "  value", "  值"), 10);
	for (unsigned d = 0; d <= a->levels; d++) {
		if (d < a->levels)
			snprintf(cell, sizeof cell, "%u", arch_index(a, d, va));
		else
			snprintf(cell, sizeof cell, "0x%" PRIx64, PAGE_OFF(a, va));
		sb_pad(&s->out, cell, col);
	}
	end_row(&s->out);
	/* the bits themselves: the picture of the cut */
	sb_pad(&s->out, TR(s, "  binary", "  二进制"), 10);
	for (unsigned d = 0; d <= a->levels; d++) {
		unsigned width = d < a->levels ? a->level_bits : a->page_shift;
		uint64_t v = d < a->levels ? arch_index(a, d, va) : PAGE_OFF(a, va);
		for (unsigned i = 0; i < width && i < sizeof cell - 1; i++)
			cell[i] = (char)('0' + ((v >> (width - 1 - i)) & 1));
		cell[width < sizeof cell ? width : sizeof cell - 1] = 0;
		sb_pad(&s->out, cell, col);
	}
	end_row(&s->out);
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
	sb_printf(&s->out,
		  TR(s, "translate 0x%" PRIx64 " (pid %d, %s, %u levels)\n",
		     "地址翻译 0x%" PRIx64 "（进程 %d，%s，%u 级页表）\n"),
		  va, p->pid, vm->arch.name, vm->arch.levels);
	if (va >= vm->arch.user_top && va < vm->arch.kernel_base) {
		sb_printf(&s->out,
			  TR(s,
			     "  non-canonical address: in the hole between user space (below 0x%" PRIx64
			     ") and kernel space (from 0x%" PRIx64 "); any access is a SIGSEGV\n",
			     "  非规范地址：位于用户空间（0x%" PRIx64 " 以下）和内核空间（从 0x%" PRIx64
			     " 起）之间的空洞；任何访问都是段错误\n"),
			  vm->arch.user_top, vm->arch.kernel_base);
		return 0;
	}
	if (va >= vm->arch.user_top && vm->arch.kind == ARCH_X86) {
		sb_printf(&s->out,
			  TR(s, "  above TASK_SIZE (0x%" PRIx64 "): not the process's, any access is a SIGSEGV\n",
			     "  超出 TASK_SIZE（0x%" PRIx64 "）：不属于这个进程，任何访问都是段错误\n"),
			  vm->arch.user_top);
		return 0;
	}
	if (va >= vm->arch.user_top) {
		sb_printf(&s->out, "%s",
			  TR(s, "  kernel address: user mode may not touch it (SIGSEGV)\n",
			     "  内核地址：用户态不能访问（段错误）\n"));
		return 0;
	}
	walk_bits(s, va);
	for (unsigned d = 0; d < vm->arch.levels; d++) {
		const char *name = vm->arch.level_names[d];
		if (d >= w.levels) {
			sb_printf(&s->out,
				  TR(s, "  %-3s  no table: the walk stops, an access would fault\n",
				     "  %-3s  没有这一级页表：查表到此为止，访问会触发缺页\n"),
				  name);
			break;
		}
		pte_t e = w.entry[d];
		if (d + 1 < vm->arch.levels) {
			if (e)
				sb_printf(&s->out,
					  TR(s, "  %-3s[%3u] in table #%u -> %s table #%" PRIu64 "\n",
					     "  %-3s[%3u] 在页表 #%u -> %s 页表 #%" PRIu64 "\n"),
					  name, w.index[d], w.table[d], vm->arch.level_names[d + 1], PTE_NUM(e));
			else
				sb_printf(&s->out, TR(s, "  %-3s[%3u] in table #%u -> empty\n", "  %-3s[%3u] 在页表 #%u -> 空\n"),
					  name, w.index[d], w.table[d]);
		} else {
			char bits[32];
			cmd_pte_bits(vm, e, bits, sizeof bits);
			if (PTE_PRESENT(e))
				sb_printf(&s->out,
					  TR(s, "  %-3s[%3u] in table #%u -> frame %" PRIu64 " [%s]\n",
					     "  %-3s[%3u] 在页表 #%u -> 物理页 %" PRIu64 " [%s]\n"),
					  name, w.index[d], w.table[d], PTE_NUM(e), bits);
			else if (PTE_SWAPPED(e))
				sb_printf(&s->out,
					  TR(s, "  %-3s[%3u] in table #%u -> not present, in swap slot %" PRIu64 "\n",
					     "  %-3s[%3u] 在页表 #%u -> 不在内存，在 swap 槽 %" PRIu64 "\n"),
					  name, w.index[d], w.table[d], PTE_NUM(e));
			else
				sb_printf(&s->out, TR(s, "  %-3s[%3u] in table #%u -> empty\n", "  %-3s[%3u] 在页表 #%u -> 空\n"),
					  name, w.index[d], w.table[d]);
		}
	}
	if (w.present) {
		sb_printf(&s->out,
			  TR(s, "  physical address 0x%" PRIx64 " = frame %" PRId64 " + offset 0x%" PRIx64 "\n",
			     "  物理地址 0x%" PRIx64 " = 物理页 %" PRId64 " + 页内偏移 0x%" PRIx64 "\n"),
			  w.paddr, w.pfn, PAGE_OFF(&vm->arch, va));
		/* vmviz attach: the frame stands for a real page */
		uint64_t real = vm->host && w.pfn >= 0 ? vm->host->pfn[w.pfn] : VM_HOST_NO_PFN;
		if (real != VM_HOST_NO_PFN)
			sb_printf(&s->out,
				  TR(s, "  in the real process: PFN 0x%" PRIx64 ", physical address 0x%" PRIx64 "\n",
				     "  在真实进程中：物理页号 0x%" PRIx64 "，物理地址 0x%" PRIx64 "\n"),
				  real, (real << vm->arch.page_shift) | PAGE_OFF(&vm->arch, va));
		else if (vm->host)
			sb_printf(&s->out, "%s",
				  TR(s, "  in the real process: PFN hidden without root\n",
				     "  在真实进程中：物理页号需要 root 才能看到\n"));
	} else if (!vm_find_vma(p, va))
		sb_printf(&s->out, "  0x%" PRIx64 "%s", va,
			  TR(s, " is in no VMA: an access is a segmentation fault\n", " 不在任何 VMA 中：访问即段错误\n"));
	else
		sb_printf(&s->out, "%s",
			  TR(s, "  not present: the first access will fault the page in\n",
			     "  不在内存：第一次访问时缺页，再把页调入\n"));
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
	struct session *s = pp->s;
	const struct vm *vm = s->vm;
	char bits[32];
	int digits = vm->arch.kind == ARCH_X86 ? 8 : 12;
	cmd_pte_bits(vm, pte, bits, sizeof bits);
	sb_printf(&s->out, "0x%0*" PRIx64 "  ", digits, vpn << vm->arch.page_shift);
	if (PTE_PRESENT(pte))
		sb_printf(&s->out, TR(s, "frame %-5" PRIu64 " %s%s\n", "物理页  %-5" PRIu64 " %s%s\n"), PTE_NUM(pte), bits,
			  PTE_NUM(pte) == vm->zero_pfn ? TR(s, "(zero page)", " （共享零页）") : "");
	else
		sb_printf(&s->out, TR(s, "swap  %-5" PRIu64 " not present\n", "swap 槽 %-5" PRIu64 " 不在内存\n"), PTE_NUM(pte));
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
	if (s->lang == LANG_ZH) {
		/* The columns of the rows: page at 0, where at 2 + digits. */
		sb_pad(&s->out, "虚拟页", s->vm->arch.kind == ARCH_X86 ? 12 : 16);
		sb_printf(&s->out, "位置          标志位（进程 %d，%u 个页表页）\n", p->pid, p->ntables);
	} else {
		sb_printf(&s->out, "page              -> where       bits (pid %d, %u page-table pages)\n", p->pid,
			  p->ntables);
	}
	vm_pt_foreach(s->vm, p->pid, print_pte, &pp);
	if (s->lang == LANG_ZH)
		sb_printf(&s->out, "共映射了 %" PRIu64 " 个页\n", pp.n);
	else
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
		return cmd_error(s, "%s", TR(s, "out of memory", "内存不足"));
	}
	uint32_t n = policy_order(vm->policy, order, vm->nframes), cached = 0;
	for (uint32_t i = 0; i < n; i++)
		rank[order[i]] = i + 1;
	bool zh = s->lang == LANG_ZH, clock = vm->policy->kind == POLICY_CLOCK;
	/* Chinese: the same columns, each as wide on the screen as its header. */
	if (zh)
		sb_printf(&s->out, "物理页  类型  访问 脏  %s  映射者（进程:虚拟页）\n", clock ? "指针  " : "淘汰序");
	else
		sb_printf(&s->out, "frame  kind    ref dirty  %-6s  mapped by\n", clock ? "hand" : "evict#");
	for (uint32_t f = 0; f < vm->nframes; f++) {
		const struct frame *fr = &vm->frames[f];
		if (fr->kind == FRAME_FREE)
			continue;
		char pos[16] = "";
		if (vm->policy->kind == POLICY_CLOCK && vm->policy->hand == f)
			snprintf(pos, sizeof pos, "<-");
		else if (vm->policy->kind != POLICY_CLOCK && rank[f])
			snprintf(pos, sizeof pos, "%u", rank[f]);
		const char *ref = policy_refbit(vm->policy, f) ? "R" : "-", *dirty = fr->dirty ? "D" : "-";
		if (zh) {
			static const char *const kinds[] = {"空闲", "内核", "零页", "匿名", "文件"};
			sb_printf(&s->out, "%6u  ", f);
			sb_pad(&s->out, fr->kind < sizeof kinds / sizeof *kinds ? kinds[fr->kind] : "?", 4);
			sb_printf(&s->out, "  %-4s %-2s  %-6s ", ref, dirty, pos);
		} else {
			sb_printf(&s->out, "%5u  %-6s  %-3s %-5s  %-6s ", f, frame_kind_name(fr->kind), ref, dirty, pos);
		}
		if (fr->kind == FRAME_KERNEL)
			sb_printf(&s->out, "%s", TR(s, " kernel", " 内核"));
		if (fr->kind == FRAME_ZERO)
			sb_printf(&s->out, "%s", TR(s, " the shared zero page", " 共享零页"));
		if (fr->kind == FRAME_FILE && !fr->rmap) {
			const char *path = vm->files[fr->file].path, *base = strrchr(path, '/');
			sb_printf(&s->out, TR(s, " page cache only: %s page %u", " 只在页缓存中：%s 第 %u 页"),
				  base ? base + 1 : path, fr->file_page);
			cached++;
		}
		for (const struct rmap *r = fr->rmap; r; r = r->next)
			sb_printf(&s->out, " %d:0x%" PRIx64, r->pid, r->vpn << vm->arch.page_shift);
		sb_printf(&s->out, "\n");
	}
	sb_printf(&s->out,
		  TR(s, "%u frames: %u kernel, %u in use (%u only in the page cache), %u free; policy %s\n",
		     "共 %u 个物理页：内核 %u 个，已用 %u 个（其中 %u 个只在页缓存中），空闲 %u 个；置换策略 %s\n"),
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
		sb_printf(&s->out, TR(s, "slot %4u  pid %d page 0x%" PRIx64, "swap 槽 %4u  进程 %d 虚拟页 0x%" PRIx64), i,
			  sw->owner[i], sw->owner_vpn[i] << s->vm->arch.page_shift);
		if (sw->count[i] && s->lang == LANG_ZH)
			sb_printf(&s->out, "（%u 个页表项指向它）", sw->count[i]);
		else if (sw->count[i])
			sb_printf(&s->out, "  (%u PTE%s)", sw->count[i], sw->count[i] == 1 ? "" : "s");
		/* Swapped back in but kept (the swap cache): a clean page can
		 * be dropped again without writing it. */
		if (sw->cache[i] >= 0)
			sb_printf(&s->out, TR(s, "  swap cache: also in frame %d", "  swap 缓存：也在物理页 %d"), sw->cache[i]);
		sb_printf(&s->out, "\n");
	}
	sb_printf(&s->out, TR(s, "swap: %u of %u slots used\n", "swap：已用 %u 个槽，共 %u 个\n"), sw->used, sw->nslots);
	return 0;
}

/* text padded with spaces to width columns (a CJK character takes two). */
static const char *pad_cols(const char *text, int width, char *buf, size_t size)
{
	int cols = 0;
	for (const unsigned char *c = (const unsigned char *)text; *c; c++)
		if ((*c & 0xc0) != 0x80)
			cols += *c >= 0xe3 ? 2 : 1;
	snprintf(buf, size, "%s%*s", text, cols < width ? width - cols : 0, "");
	return buf;
}

/* The simulated clock, split by cause: where the time went. */
static void stats_time(struct session *s)
{
	const struct simclock *c = &s->vm->clock;
	uint64_t total = clock_total(c);
	char t[24];
	sb_printf(&s->out, TR(s, "simulated time %s (disk: %s)\n", "模拟耗时 %s（磁盘：%s）\n"), clock_format(total, t, sizeof t),
		  s->lang == LANG_ZH ? disk_name_zh(c->disk) : disk_name(c->disk));
	for (int k = 0; k < COST_COUNT; k++) {
		if (!c->count[k])
			continue;
		char each[24];
		clock_format(c->ns[k] / c->count[k], each, sizeof each); /* the disk may have changed */
		char name[96];
		sb_printf(&s->out, TR(s, "  %s %10s %5.1f%%  (%" PRIu64 " x %s)\n", "  %s %10s %5.1f%%  （%" PRIu64 " 次，每次 %s）\n"),
			  pad_cols(cost_cause_name((enum cost_cause)k, s->lang == LANG_ZH), 27, name, sizeof name),
			  clock_format(c->ns[k], t, sizeof t),
			  total ? 100.0 * (double)c->ns[k] / (double)total : 0.0, c->count[k], each);
	}
}

CMD(stats)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "stats");
	const struct vm *vm = s->vm;
	const uint64_t *c = vm->log.counts;
	sb_printf(&s->out,
		  TR(s, "minor faults %" PRIu64 ", major faults %" PRIu64 ", SIGSEGV %" PRIu64 ", OOM kills %" PRIu64 "\n",
		     "次缺页 %" PRIu64 " 次，主缺页 %" PRIu64 " 次，段错误 %" PRIu64 " 次，OOM 杀死进程 %" PRIu64 " 次\n"),
		  c[EV_FAULT_MINOR], c[EV_FAULT_MAJOR], c[EV_SEGV], vm->ooms);
	sb_printf(&s->out,
		  TR(s, "evictions %" PRIu64 ", swap-outs %" PRIu64 ", swap-ins %" PRIu64 ", copy-on-write %" PRIu64 "\n",
		     "淘汰 %" PRIu64 " 次，换出 %" PRIu64 " 次，换入 %" PRIu64 " 次，写时复制 %" PRIu64 " 次\n"),
		  vm->evictions, vm->swapouts, vm->swapins, c[EV_COW]);
	sb_printf(&s->out,
		  TR(s, "frames %u (%u kernel, %u free), swap %u/%u, page-table pages %" PRIu64 "\n",
		     "物理页 %u 个（内核 %u 个，空闲 %u 个），swap 槽 %u/%u，页表页 %" PRIu64 " 个\n"),
		  vm->nframes, vm->kernel_frames, vm->free_frames, vm->swap.used, vm->swap.nslots, vm->tables);
	sb_printf(&s->out, TR(s, "policy %s, page size %" PRIu64 ", arch %s", "置换策略 %s，页大小 %" PRIu64 "，架构 %s"),
		  policy_name(vm->policy->kind),
		  vm->arch.page_size, vm->arch.name);
	if (vm->tlb.n)
		sb_printf(&s->out,
			  TR(s, ", TLB %u entries: %" PRIu64 " hits, %" PRIu64 " misses",
			     "，TLB %u 项：命中 %" PRIu64 " 次，未命中 %" PRIu64 " 次"),
			  vm->tlb.n, vm->tlb.hits, vm->tlb.misses);
	sb_printf(&s->out, "\n");
	stats_time(s);
	/* As /proc/meminfo prints them: the name padded to 16, kB in 8. */
	uint64_t kib = vm->arch.page_size >> 10;
	sb_printf(&s->out, "%-16s%8" PRIu64 " kB\n", "CommitLimit:", vm_commit_limit(vm) * kib);
	sb_printf(&s->out, "%-16s%8" PRIu64 " kB\n", "Committed_AS:", vm_committed_as(vm) * kib);
	sb_printf(&s->out,
		  TR(s, "overcommit %d (%s), overcommit_ratio %u%%\n", "overcommit %d（%s），overcommit_ratio %u%%\n"),
		  vm->overcommit,
		  vm->overcommit == 0   ? TR(s, "heuristic: refuse one request larger than RAM + swap",
					     "启发式：单次申请超过内存加 swap 才拒绝")
		  : vm->overcommit == 1 ? TR(s, "always grant", "总是允许")
					: TR(s, "strict: Committed_AS must stay below CommitLimit",
					     "严格：Committed_AS 不能超过 CommitLimit"),
		  vm->overcommit_ratio);
	return 0;
}
