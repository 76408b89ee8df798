/* cmd_smaps.c - smaps and status: a process's memory in the kernel's own
 * words (/proc/PID/smaps, the memory lines of /proc/PID/status). */
#include "commands.h"
#include "smaps.h"

#include <stdlib.h>

/* The process a [PID] argument names, or the current one. */
static struct proc *which_proc(struct session *s, int argc, char **argv, const char *name)
{
	if (argc > 2) {
		cmd_usage(s, name);
		return NULL;
	}
	if (argc == 1)
		return current_proc(s);
	uint64_t v;
	if (cmd_value(s, argv[1], &v) < 0)
		return NULL;
	struct proc *p = v <= 1000000 ? vm_proc(s->vm, (int)v) : NULL;
	if (!p)
		cmd_error(s, TR(s, "no process %.40s (see 'ps')", "没有进程 %.40s（用 ps 查看）"), argv[1]);
	return p;
}

CMD(smaps)
{
	struct proc *p = which_proc(s, argc, argv, "smaps");
	if (!p)
		return -1;
	struct smaps_vma *c = calloc(p->nvmas ? p->nvmas : 1, sizeof *c);
	if (!c)
		return cmd_error(s, "%s", TR(s, "out of memory", "内存不足"));
	smaps_count(s->vm, p, c);
	for (size_t i = 0; i < p->nvmas; i++)
		smaps_format(s->vm, p, i, &c[i], &s->out);
	free(c);
	return 0;
}

CMD(status)
{
	struct proc *p = which_proc(s, argc, argv, "status");
	if (!p)
		return -1;
	struct proc_status st;
	proc_status_count(s->vm, p, &st);
	proc_status_format(&st, &s->out);
	return 0;
}
