/* commands.c - the command table (name, usage, one line of help) and the
 * helpers every command uses. */
#include "commands.h"
#include "expr.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct command table[] = {
	{"malloc", "malloc SIZE", "allocate like glibc: brk heap below 128K, mmap at or above", cmd_malloc},
	{"calloc", "calloc N SIZE", "allocate N*SIZE zeroed bytes", cmd_calloc},
	{"free", "free ADDR", "give a malloc'd block back (an mmapped one is unmapped)", cmd_free},
	{"write", "write ADDR VALUE|\"TEXT\"", "store one byte (0..255) or a string's bytes; also ADDR[i] = VALUE", cmd_write},
	{"read", "read ADDR", "load one byte; also x = p[i]", cmd_read},
	{"touch", "touch ADDR [LEN]", "write every page of a block (default: the whole block or VMA)", cmd_touch},
	{"mmap", "mmap LEN [r|rw|rx|rwx|none] [shared]", "map anonymous memory (no frames until touched)", cmd_mmap},
	{"munmap", "munmap ADDR [LEN]", "unmap pages (default: the whole VMA at ADDR)", cmd_munmap},
	{"brk", "brk ADDR|+N|-N", "move the end of the heap (the program break)", cmd_brk},
	{"fork", "fork", "copy the current process; pages are shared copy-on-write", cmd_fork},
	{"spawn", "spawn NAME", "start a new process running program NAME", cmd_spawn},
	{"ps", "ps", "list processes: PID NAME VSZ RSS MINFLT MAJFLT", cmd_ps},
	{"proc", "proc PID", "switch the current process", cmd_proc},
	{"exit", "exit", "end the current process (its memory is freed)", cmd_exit},
	{"kill", "kill PID", "kill a process", cmd_kill},
	{"translate", "translate ADDR", "show the MMU's page-table walk for an address", cmd_translate},
	{"maps", "maps", "the memory map, exactly as /proc/PID/maps", cmd_maps},
	{"pt", "pt", "the page table: each mapped page -> frame or swap slot, with bits", cmd_pt},
	{"frames", "frames", "physical frames: owner, page, reference/dirty, policy order", cmd_frames},
	{"swap", "swap", "swap slots and what each holds", cmd_swap},
	{"stats", "stats", "totals: faults, evictions, swap traffic, TLB", cmd_stats},
	{"set", "set SETTING VALUE",
	 "policy fifo|lru|clock, frames N, swap N, tlb N, lang en|zh (frames, swap restart)", cmd_set},
	{"reset", "reset", "restart the machine: one fresh process", cmd_reset},
	{"help", "help [COMMAND]", "list commands, or explain one", cmd_help},
	{"say", "say \"TEXT\" [zh \"中文\"]", "show a caption, in English and Chinese (scenarios)", cmd_say},
	{"pause", "pause", "wait for the lecturer (scenarios)", cmd_pause},
	{"expect", "expect EXPR", "check a fact, e.g. expect rss == 4K, expect fault == major", cmd_expect},
	{"echo", "echo TEXT", "print text", cmd_echo},
	{"screenshot", "screenshot [FILE]", "save the screen as FILE.svg and FILE.txt (default: a dated name)",
	 cmd_screenshot},
	{"quit", "quit", "leave vmviz", cmd_quit},
};

const struct command *command_table(size_t *count)
{
	*count = sizeof table / sizeof *table;
	return table;
}

const struct command *command_find(const char *name)
{
	for (size_t i = 0; i < sizeof table / sizeof *table; i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const char *const *command_words(void)
{
	static const char *const words[] = {
		"policy", "frames", "swap", "tlb", "lang", "fifo", "lru", "clock", "en", "zh",
		"r", "rw", "rx", "rwx", "none", "shared", "rss", "vsz", "minflt", "majflt",
		"fault", "minor", "major", "segv", "oom", "free_frames", "swap_used", NULL,
	};
	return words;
}

int cmd_error(struct session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	return -1;
}

int cmd_usage(struct session *s, const char *name)
{
	const struct command *c = command_find(name);
	return cmd_error(s, TR(s, "usage: %s", "用法：%s"), c ? c->usage : name);
}

struct proc *current_proc(struct session *s)
{
	struct proc *p = vm_proc(s->vm, s->vm->cur);
	if (!p)
		cmd_error(s, TR(s, "no process is running (start one with 'spawn NAME', or 'reset')",
				"没有正在运行的进程（用 spawn NAME 启动一个，或 reset）"));
	return p;
}

int cmd_addr(struct session *s, const char *text, uint64_t *out)
{
	return expr_eval(s, text, EXPR_ADDR, out);
}

int cmd_value(struct session *s, const char *text, uint64_t *out)
{
	return expr_eval(s, text, EXPR_VALUE, out);
}

int cmd_size(struct session *s, const char *text, uint64_t *out)
{
	if (expr_eval(s, text, EXPR_ADDR, out) < 0) {
		char why[sizeof s->err];
		snprintf(why, sizeof why, "%s", s->err);
		return cmd_error(s, TR(s, "bad size '%.60s': %.150s", "大小 '%.60s' 不对：%.150s"), text, why);
	}
	if (*out > INT64_MAX)
		return cmd_error(s, TR(s, "bad size '%.60s': negative or too large", "大小 '%.60s' 不对：是负数或太大"), text);
	return 0;
}

void cmd_result(struct session *s, uint64_t value, bool hex)
{
	s->result = value;
	s->has_result = true;
	s->result_hex = hex;
}

void cmd_report_fault(struct session *s, enum fault_kind k, int pid)
{
	s->last_fault = k;
	s->died = k == FAULT_SEGV || k == FAULT_OOM;
	if (k == FAULT_SEGV)
		sb_printf(&s->out, TR(s, "Segmentation fault: process %d killed (%s)\n", "段错误：进程 %d 被杀死（%s）\n"), pid,
			  s->vm->err);
	else if (k == FAULT_OOM)
		sb_printf(&s->out, TR(s, "Killed: %s\n", "被杀死：%s\n"), s->vm->err);
}
