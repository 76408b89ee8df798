/* cmd_vm.c - the commands for mprotect(2) and mremap(2). */
#include "commands.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

CMD(mprotect)
{
	uint64_t addr, len;
	unsigned prot;
	if (argc != 4)
		return cmd_usage(s, "mprotect");
	if (cmd_addr(s, argv[1], &addr) < 0 || cmd_size(s, argv[2], &len) < 0)
		return -1;
	if (!cmd_parse_prot(argv[3], &prot))
		return cmd_error(s,
				 TR(s, "mprotect: unknown protection '%s' (r, rw, rx, rwx, none)",
				    "mprotect：不认识的权限 '%s'（可用 r、rw、rx、rwx、none）"),
				 argv[3]);
	struct proc *p = current_proc(s);
	if (!p)
		return -1;
	if (vm_mprotect(s->vm, p->pid, addr, len, prot) < 0)
		return cmd_error(s, "%s", s->vm->err);
	return 0;
}

CMD(mremap)
{
	uint64_t addr, old_len, new_len;
	bool may_move = true;
	if (argc != 4 && argc != 5)
		return cmd_usage(s, "mremap");
	if (cmd_addr(s, argv[1], &addr) < 0 || cmd_size(s, argv[2], &old_len) < 0 ||
	    cmd_size(s, argv[3], &new_len) < 0)
		return -1;
	if (argc == 5) {
		if (strcmp(argv[4], "fixed") == 0)
			may_move = false;
		else if (strcmp(argv[4], "maymove") != 0)
			return cmd_error(s,
					 TR(s, "mremap: unknown flag '%s' (maymove, fixed)",
					    "mremap：不认识的标志 '%s'（可用 maymove、fixed）"),
					 argv[4]);
	}
	struct proc *p = current_proc(s);
	if (!p)
		return -1;
	vaddr_t to = vm_mremap(s->vm, p->pid, addr, old_len, new_len, may_move);
	if (!to)
		return cmd_error(s, "%s", s->vm->err);
	session_note_mapping(s, addr, 0);
	session_note_mapping(s, to, PAGE_UP(&s->vm->arch, new_len));
	cmd_result(s, to, true);
	return 0;
}

/* call SIZE [lowest]: see vm_call for what the frame's function writes. */
CMD(call)
{
	uint64_t size;
	bool whole = true;
	if (argc != 2 && argc != 3)
		return cmd_usage(s, "call");
	if (cmd_size(s, argv[1], &size) < 0)
		return -1;
	if (argc == 3) {
		if (strcmp(argv[2], "lowest") != 0)
			return cmd_error(s, TR(s, "call: unknown option '%s' (lowest)", "call：不认识的选项 '%s'（可用 lowest）"),
					 argv[2]);
		whole = false;
	}
	struct proc *p = current_proc(s);
	if (!p)
		return -1;
	int pid = p->pid;
	uint64_t min0 = p->minflt, maj0 = p->majflt;
	if (vm_call(s->vm, pid, size, whole) < 0) {
		if (vm_proc(s->vm, pid))
			return cmd_error(s, "%s", s->vm->err);
		cmd_report_fault(s, s->vm->last.fault, pid);
		return 0;
	}
	p = vm_proc(s->vm, pid);
	s->last_fault = p->majflt > maj0 ? FAULT_MAJOR : p->minflt > min0 ? FAULT_MINOR : FAULT_NONE;
	uint64_t faults = p->minflt - min0;
	if (s->lang == LANG_ZH)
		sb_printf(&s->out, "第 %u 层栈帧：sp = 0x%" PRIx64 "，次缺页 %" PRIu64 " 次\n", p->ncalls, p->sp, faults);
	else
		sb_printf(&s->out, "frame %u: sp = 0x%" PRIx64 ", %" PRIu64 " minor fault%s\n", p->ncalls, p->sp, faults,
			  faults == 1 ? "" : "s");
	return 0;
}

CMD(return)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "return");
	struct proc *p = current_proc(s);
	if (!p)
		return -1;
	if (vm_return(s->vm, p->pid) < 0)
		return cmd_error(s, "%s", s->vm->err);
	return 0;
}
