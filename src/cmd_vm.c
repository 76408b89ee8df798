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
