/* cmd_map.c - the map command: a mapping placed exactly as a real
 * process's /proc/PID/maps line says (the start of a recorded scenario). */
#include "commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool parse_hex(const char *t, uint64_t *out)
{
	char *e;
	if (!*t)
		return false;
	*out = strtoull(t, &e, 16);
	return *e == 0;
}

static bool parse_perms(const char *t, unsigned *prot, bool *shared)
{
	if (strlen(t) != 4 || (t[0] != 'r' && t[0] != '-') || (t[1] != 'w' && t[1] != '-') ||
	    (t[2] != 'x' && t[2] != '-') || (t[3] != 'p' && t[3] != 's'))
		return false;
	*prot = (t[0] == 'r' ? PROT_R : 0) | (t[1] == 'w' ? PROT_W : 0) | (t[2] == 'x' ? PROT_X : 0);
	*shared = t[3] == 's';
	return true;
}

CMD(map)
{
	struct proc *p = current_proc(s);
	if (!p)
		return -1;
	if (argc == 2 && strcmp(argv[1], "clear") == 0)
		return vm_map_clear(s->vm, p->pid) < 0 ? cmd_error(s, "%s", s->vm->err) : 0;
	if (argc == 3 && strcmp(argv[1], "brk") == 0) {
		uint64_t a;
		if (cmd_addr(s, argv[2], &a) < 0)
			return -1;
		return vm_map_brk(s->vm, p->pid, a) < 0 ? cmd_error(s, "%s", s->vm->err) : 0;
	}
	if (argc < 3 || argc > 5)
		return cmd_usage(s, "map");
	struct vm_map_spec m = {0};
	char range[80];
	snprintf(range, sizeof range, "%s", argv[1]);
	char *dash = strchr(range, '-');
	if (dash)
		*dash = 0;
	if (!dash || !parse_hex(range, &m.start) || !parse_hex(dash + 1, &m.end))
		return cmd_error(s, TR(s, "map: bad range '%s' (START-END in hex, as maps shows it)",
				       "map：范围 '%s' 不对（应为十六进制的 START-END，与 maps 相同）"), argv[1]);
	if (!parse_perms(argv[2], &m.prot, &m.shared))
		return cmd_error(s, TR(s, "map: bad permissions '%s' (as maps shows them, e.g. r-xp)",
				       "map：权限 '%s' 不对（与 maps 相同，例如 r-xp）"), argv[2]);
	int i = 3;
	if (i < argc && argv[i][0] != '/' && argv[i][0] != '[') {
		if (!parse_hex(argv[i], &m.off))
			return cmd_error(s, TR(s, "map: bad offset '%s' (hex)", "map：偏移 '%s' 不对（十六进制）"),
					 argv[i]);
		i++;
	}
	if (i < argc)
		snprintf(m.name, sizeof m.name, "%s", argv[i++]);
	if (i != argc)
		return cmd_usage(s, "map");
	if (vm_map_exact(s->vm, p->pid, &m) < 0)
		return cmd_error(s, "%s", s->vm->err);
	return 0;
}
