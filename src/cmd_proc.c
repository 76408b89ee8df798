/* cmd_proc.c - processes: fork, spawn, ps, proc, exit, kill. */
#include "commands.h"
#include "expr.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

int cmd_pid(struct session *s, const char *text, int *pid)
{
	uint64_t v;
	if (cmd_value(s, text, &v) < 0)
		return -1;
	if (v > 1000000 || !vm_proc(s->vm, (int)v))
		return cmd_error(s, TR(s, "no process %.40s (see 'ps')", "没有进程 %.40s（用 ps 查看）"), text);
	*pid = (int)v;
	return 0;
}

CMD(fork)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "fork");
	if (!current_proc(s))
		return -1;
	int parent = s->vm->cur;
	int child = vm_fork(s->vm, parent);
	if (child < 0)
		return cmd_error(s, "%s", s->vm->err);
	s->pair[0] = parent;     /* what a bare `compare` shows */
	s->pair[1] = child;
	cmd_result(s, (uint64_t)child, false);
	return 0;
}

CMD(spawn)
{
	if (argc != 2)
		return cmd_usage(s, "spawn");
	char *name = argv[1];
	size_t len = strlen(name);
	if (len >= 2 && name[0] == '"' && name[len - 1] == '"') {
		name[len - 1] = 0;
		name++;
	}
	int before = s->vm->cur;
	int pid = vm_spawn(s->vm, name);
	if (pid < 0)
		return cmd_error(s, "%s", s->vm->err);
	if (vm_proc(s->vm, before) && vm_proc(s->vm, pid)) {
		s->pair[0] = before;
		s->pair[1] = pid;
	}
	if (vm_proc(s->vm, pid))
		vm_switch(s->vm, pid);
	cmd_result(s, (uint64_t)pid, false);
	return 0;
}

CMD(ps)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "ps");
	struct vm *vm = s->vm;
	sb_printf(&s->out, "  PID NAME                  VSZ      RSS   MINFLT   MAJFLT\n");
	for (int i = 0; i < vm->nprocs; i++) {
		const struct proc *p = vm->procs[i];
		sb_printf(&s->out, "%c%4d %-16s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 "\n",
			  p->pid == vm->cur ? '*' : ' ', p->pid, p->name, vm_vsz(vm, p) >> 10, vm_rss(vm, p) >> 10,
			  p->minflt, p->majflt);
	}
	return 0;
}

CMD(proc)
{
	int pid;
	if (argc != 2)
		return cmd_usage(s, "proc");
	if (cmd_pid(s, argv[1], &pid) < 0)
		return -1;
	vm_switch(s->vm, pid);
	return 0;
}

static void after_death(struct session *s, int pid)
{
	if (s->vm->cur)
		sb_printf(&s->out, TR(s, "process %d is gone; now looking at process %d\n", "进程 %d 已结束；现在查看进程 %d\n"),
			  pid, s->vm->cur);
	else
		sb_printf(&s->out,
			  TR(s, "process %d is gone; no process left ('spawn NAME' or 'reset')\n",
			     "进程 %d 已结束；没有进程了（用 spawn NAME 或 reset）\n"),
			  pid);
}

CMD(exit)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "exit");
	if (!current_proc(s))
		return -1;
	int pid = s->vm->cur;
	vm_kill(s->vm, pid, "exited");
	after_death(s, pid);
	return 0;
}

CMD(kill)
{
	int pid;
	if (argc != 2)
		return cmd_usage(s, "kill");
	if (cmd_pid(s, argv[1], &pid) < 0)
		return -1;
	bool was_current = pid == s->vm->cur;
	vm_kill(s->vm, pid, "killed");
	if (was_current)
		after_death(s, pid);
	return 0;
}
