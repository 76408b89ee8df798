/* cmd_view.c - commands that change what the screen shows, not the
 * machine: compare (two processes side by side). Their state lives in the
 * session, so replaying the same lines shows the same screen. */
#include "commands.h"

#include <stdio.h>
#include <string.h>

static int compare_on(struct session *s, int a, int b)
{
	if (a == b)
		return cmd_error(s, TR(s, "compare: give two different processes (both are %d)",
				       "compare：需要两个不同的进程（两个都是 %d）"), a);
	s->compare[0] = a;
	s->compare[1] = b;
	sb_printf(&s->out,
		  TR(s, "side by side: pid %d (%s) and pid %d (%s); '=' marks a frame both map; 'compare off' ends it\n",
		     "并排对比：进程 %d（%s）和进程 %d（%s）；'=' 表示两边映射同一个物理页；compare off 关闭\n"),
		  a, vm_proc(s->vm, a)->name, b, vm_proc(s->vm, b)->name);
	return 0;
}

CMD(compare)
{
	if (argc == 2 && strcmp(argv[1], "off") == 0) {
		s->compare[0] = s->compare[1] = 0;
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
