/* cmd_view.c - commands that change what the screen shows, not the
 * machine: compare (two processes side by side). Their state lives in the
 * session, so replaying the same lines shows the same screen; without a
 * screen, compare prints the two page tables side by side. */
#include "commands.h"
#include "compare.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* "frame 7   P U A D NX" or "swap 3 ..." in a fixed width, "-" if none. */
static void side_text(const struct session *s, pte_t e, char *buf, size_t size)
{
	const struct vm *vm = s->vm;
	char bits[32];
	if (!e) {
		snprintf(buf, size, "-");
		return;
	}
	cmd_pte_bits(vm, e, bits, sizeof bits);
	if (PTE_PRESENT(e) && PTE_NUM(e) == vm->zero_pfn)
		snprintf(buf, size, "%s", TR(s, "zero page", "共享零页"));
	else if (PTE_PRESENT(e))
		snprintf(buf, size, "%s %-5" PRIu64 " %s", TR(s, "frame", "物理页"), PTE_NUM(e), bits);
	else
		snprintf(buf, size, "swap %-5" PRIu64, PTE_NUM(e));
}

static void print_table(struct session *s)
{
	struct compare c;
	compare_init(&c);
	if (compare_read(&c, s->vm, s->compare) < 0) {
		compare_free(&c);
		return;
	}
	int digits = s->vm->arch.kind == ARCH_X86 ? 8 : 12;
	char head[2][64];
	for (int i = 0; i < 2; i++)
		snprintf(head[i], sizeof head[i], "%s %d", TR(s, "pid", "进程"), s->compare[i]);
	sb_pad(&s->out, TR(s, "page", "虚拟页"), digits + 4);
	sb_pad(&s->out, head[0], 25);
	sb_printf(&s->out, "   %s\n", head[1]);
	for (size_t i = 0; i < c.nrows; i++) {
		const struct cmp_row *r = &c.rows[i];
		char side[2][64];
		for (int k = 0; k < 2; k++)
			side_text(s, r->pte[k], side[k], sizeof side[k]);
		sb_printf(&s->out, "0x%0*" PRIx64 "  ", digits, r->vpn << s->vm->arch.page_shift);
		sb_pad(&s->out, side[0], 25);
		sb_printf(&s->out, " %s %s\n", r->link == LINK_SAME ? "=" : r->link == LINK_DIFF ? "≠" : " ", side[1]);
	}
	sb_printf(&s->out,
		  TR(s, "%zu pages: %u in the same frame (=), %u in different frames or slots (≠)\n",
		     "共 %zu 个页：%u 个在同一个物理页（=），%u 个在不同的物理页或 swap 槽（≠）\n"),
		  c.nrows, c.nsame, c.ndiff);
	compare_free(&c);
}

static int compare_on(struct session *s, int a, int b)
{
	if (a == b)
		return cmd_error(s, TR(s, "compare: give two different processes (both are %d)",
				       "compare：需要两个不同的进程（两个都是 %d）"), a);
	s->compare[0] = a;
	s->compare[1] = b;
	s->view = true;
	sb_printf(&s->out,
		  TR(s, "side by side: pid %d (%s) and pid %d (%s); '=' marks a frame both map; 'compare off' ends it\n",
		     "并排对比：进程 %d（%s）和进程 %d（%s）；'=' 表示两边映射同一个物理页；compare off 关闭\n"),
		  a, vm_proc(s->vm, a)->name, b, vm_proc(s->vm, b)->name);
	print_table(s);
	return 0;
}

CMD(compare)
{
	if (argc == 2 && strcmp(argv[1], "off") == 0) {
		s->compare[0] = s->compare[1] = 0;
		s->view = true;
		sb_printf(&s->out, TR(s, "compare view off\n", "已关闭并排对比\n"));
		return 0;
	}
	if (argc == 1) {
		if (!s->pair[0] || !vm_proc(s->vm, s->pair[0]) || !vm_proc(s->vm, s->pair[1]))
			return cmd_error(s, TR(s, "compare: no parent and child of a fork or spawn alive; use compare PID PID",
					       "compare：没有 fork 或 spawn 留下的一对进程；用 compare PID PID"));
		return compare_on(s, s->pair[0], s->pair[1]);
	}
	if (argc != 3)
		return cmd_usage(s, "compare");
	int a, b;
	if (cmd_pid(s, argv[1], &a) < 0 || cmd_pid(s, argv[2], &b) < 0)
		return -1;
	return compare_on(s, a, b);
}
