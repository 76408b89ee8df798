/* commands.c - the command table (name, usage, one line of help) and the
 * helpers every command uses. */
#include "commands.h"
#include "expr.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct command table[] = {
	{"malloc", "malloc SIZE",
	 "glibc 2.36's malloc: tcache, bins, top chunk; mmap only if they can't and SIZE >= mmap threshold", cmd_malloc,
	 true},
	{"calloc", "calloc N SIZE", "allocate N*SIZE zeroed bytes (glibc clears what is not fresh from the kernel)",
	 cmd_calloc, true},
	{"realloc", "realloc ADDR SIZE", "resize a block: in place if the next chunk or top has room, else move it",
	 cmd_realloc, true},
	{"memalign", "memalign ALIGN SIZE", "allocate SIZE bytes at a multiple of ALIGN (glibc's _int_memalign)",
	 cmd_memalign, true},
	{"aligned_alloc", "aligned_alloc ALIGN SIZE", "the same as memalign in glibc 2.36", cmd_memalign, true},
	{"free", "free ADDR", "give a malloc'd block back (an mmapped one is unmapped)", cmd_free, false},
	{"write", "write ADDR VALUE|\"TEXT\"", "store one byte (0..255) or a string's bytes; also ADDR[i] = VALUE", cmd_write, false},
	{"read", "read ADDR [LEN]", "load one byte (also x = p[i], x = *p), or LEN bytes shown as a C string",
	 cmd_read, true},
	{"dump", "dump ADDR [LEN]",
	 "LEN bytes (64, at most 4096) as xxd shows them, read as write(1, ADDR, LEN) would (faults as a read)",
	 cmd_dump, false},
	{"memset", "memset(ADDR, VALUE, N)", "store N copies of a byte, page by page (each page faults as written)",
	 cmd_memset, false},
	{"memcpy", "memcpy(DST, SRC, N)",
	 "copy N bytes: loads from SRC, stores to DST, page by page; a bad byte is SIGSEGV there", cmd_memcpy, false},
	{"strcpy", "strcpy(DST, \"TEXT\")", "store TEXT and its terminating \\0 (a C string)", cmd_strcpy, false},
	{"touch", "touch ADDR [LEN]", "write every page of a block (default: the whole block or VMA)", cmd_touch, false},
	{"mmap", "mmap LEN [r|rw|rx|rwx|none] [shared] [\"/PATH\"]",
	 "map anonymous memory, or a file through the page cache (no frames until touched)", cmd_mmap, true},
	{"munmap", "munmap ADDR [LEN]", "unmap pages (default: what mmap made at ADDR, else the rest of its VMA)",
	 cmd_munmap, false},
	{"map", "map START-END PERMS [OFFSET] [PATH|[NAME]] | map clear | map brk ADDR",
	 "place a mapping exactly as a /proc/PID/maps line says (recorded scenarios start so)", cmd_map, false},
	{"mprotect", "mprotect ADDR LEN r|rw|rx|rwx|none",
	 "change the permissions of pages; a write to a page made read-only is SIGSEGV", cmd_mprotect, false},
	{"mremap", "mremap ADDR OLD NEW [maymove|fixed]",
	 "resize a mapping: grows in place if the next pages are free, else moves its PTEs (no copy)", cmd_mremap,
	 true},
	{"call", "call SIZE [lowest]",
	 "call a function with a SIZE-byte local array it writes (every page; lowest: only a[0]); the stack grows",
	 cmd_call, false},
	{"return", "return", "return from the last call: sp moves back up, the pages stay mapped", cmd_return, false},
	{"brk", "brk ADDR|+N|-N", "move the end of the heap (the program break)", cmd_brk, true},
	{"fork", "fork", "copy the current process; pages are shared copy-on-write", cmd_fork, true},
	{"spawn", "spawn NAME", "start a new process running program NAME", cmd_spawn, true},
	{"ps", "ps", "list processes: PID NAME VSZ RSS MINFLT MAJFLT", cmd_ps, false},
	{"proc", "proc PID", "switch the current process", cmd_proc, false},
	{"exit", "exit", "end the current process (its memory is freed)", cmd_exit, false},
	{"kill", "kill PID", "kill a process", cmd_kill, false},
	{"compare", "compare PID PID | compare | compare off",
	 "two processes' page tables side by side, a frame both map marked '='; bare: the last fork or spawn",
	 cmd_compare, false},
	{"translate", "translate ADDR", "show the MMU's page-table walk for an address", cmd_translate, false},
	{"maps", "maps", "the memory map, exactly as /proc/PID/maps", cmd_maps, false},
	{"smaps", "smaps [PID]",
	 "per mapping: Rss, Pss, shared/private clean/dirty, Anonymous, Swap, exactly as /proc/PID/smaps", cmd_smaps,
	 false},
	{"status", "status [PID]", "the memory lines of /proc/PID/status: VmPeak, VmSize, VmRSS, RssAnon, VmData...",
	 cmd_status, false},
	{"pt", "pt", "the page table: each mapped page -> frame or swap slot, with bits", cmd_pt, false},
	{"frames", "frames", "physical frames: owner, page, reference/dirty, policy order", cmd_frames, false},
	{"swap", "swap", "swap slots and what each holds", cmd_swap, false},
	{"stats", "stats", "totals: faults, evictions, swap traffic, TLB, simulated time by cause, CommitLimit and Committed_AS", cmd_stats,
	 false},
	{"set", "set SETTING VALUE",
	 "policy fifo|lru|clock|opt, frames N, swap N, tlb N, overcommit 0|1|2, disk ssd|hdd, lang en|zh (frames, swap restart)",
	 cmd_set, false},
	{"reset", "reset", "restart the machine: one fresh process", cmd_reset, false},
	{"refs", "refs ADDR FRAMES PAGE... | refs + PAGE...",
	 "declare a reference string (pages 1 2 3... of the mapping at ADDR) and draw it as a textbook table", cmd_refs,
	 false},
	{"ref", "ref", "make the next access of the reference string (writes the page's number into it)", cmd_ref, false},
	{"help", "help [COMMAND]", "list commands, or explain one", cmd_help, false},
	{"explain", "explain", "why the last command did what it did: each event with the rule and numbers behind it",
	 cmd_explain, false},
	{"say", "say \"TEXT\" [zh \"中文\"]", "show a caption, in English and Chinese (scenarios)", cmd_say, false},
	{"pause", "pause", "wait for the lecturer (scenarios)", cmd_pause, false},
	{"expect", "expect EXPR", "check a fact, e.g. expect rss == 4K, expect fault == major", cmd_expect, false},
	{"echo", "echo TEXT", "print text", cmd_echo, false},
	{"screenshot", "screenshot [FILE]", "save the screen as FILE.svg and FILE.txt (default: a dated name)",
	 cmd_screenshot, false},
	{"quit", "quit", "leave vmviz", cmd_quit, false},
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
		"policy", "frames", "swap", "tlb", "overcommit", "disk", "ssd", "hdd", "lang", "fifo", "lru", "clock", "opt", "en", "zh",
		"r", "rw", "rx", "rwx", "none", "shared", "maymove", "fixed", "lowest", "rss", "vsz", "minflt", "majflt",
		"fault", "minor", "major", "segv", "oom", "free_frames", "swap_used", "off", "table_faults", NULL,
	};
	return words;
}

/* The engine's messages (vm->err) are English. Each pattern's '%' stands for
 * a piece of text (a number, a name) copied into the Chinese as %1, %2...;
 * in the SIGSEGV one, %w is the reason, translated. */
static const struct { const char *en, *zh; } engine_msgs[] = {
	{"out of memory", "内存不足"},
	{"map: %-% is not a page-aligned range", "map：%1-%2 不是按页对齐的范围"},
	{"map: %-% overlaps a mapping", "map：%1-%2 与已有的映射重叠"},
	{"map clear: only before the first malloc", "map clear：只能在第一次 malloc 之前使用"},
	{"map brk: the heap can start only page aligned, before it grows", "map brk：堆的起点必须按页对齐，并且在堆增长之前设定"},
	{"no process %", "没有进程 %1"},
	{"too many processes (at most %)", "进程太多（最多 %1 个）"},
	{"bad program name '%' (1 to 15 characters, no '/')", "程序名 '%1' 不对（1 到 15 个字符，不能含 '/'）"},
	{"too many different programs (at most % files)", "不同的程序太多（最多 %1 个文件）"},
	{"page size % is too large for this layout", "页大小 %1 对这个地址空间布局来说太大"},
	{"mmap: length must be greater than 0", "mmap：长度必须大于 0"},
	{"mmap: no room for % KiB in the address space", "mmap：地址空间里放不下 %1 KiB"},
	{"munmap: % is not page aligned or length is 0", "munmap：%1 没有按页对齐，或者长度为 0"},
	{"munmap: nothing is mapped at %", "munmap：%1 处没有任何映射"},
	{"brk: % is below the start of the heap", "brk：%1 低于堆的起始地址"},
	{"brk: the heap would run into %", "brk：堆会撞上 %1"},
	{"mmap: cannot allocate memory (ENOMEM): no room for % KiB in the address space",
	 "mmap：内存不足（ENOMEM）：地址空间里放不下 %1 KiB"},
	{"%: cannot allocate memory (ENOMEM): % kB is more than RAM + swap (% kB; overcommit 0)",
	 "%1：内存不足（ENOMEM）：%2 kB 超过了内存加 swap 的总量（%3 kB；overcommit 0）"},
	{"%: cannot allocate memory (ENOMEM): Committed_AS would be % kB, CommitLimit % kB less reserves % kB "
	 "(overcommit 2)",
	 "%1：内存不足（ENOMEM）：Committed_AS 将是 %2 kB，超过 CommitLimit %3 kB 减去保留的 %4 kB（overcommit 2）"},
	{"mremap: % is not page aligned or the new length is 0 (EINVAL)", "mremap：%1 没有按页对齐，或者新长度为 0（EINVAL）"},
	{"mremap: %-% is not inside one mapping (EFAULT)", "mremap：%1-%2 不在同一个映射里（EFAULT）"},
	{"mremap: % cannot be remapped in vmviz (use brk, or let the stack grow)",
	 "mremap：vmviz 里 %1 不能 mremap（堆用 brk，栈会自己增长）"},
	{"mremap: growing shared memory is not simulated", "mremap：不模拟共享内存的扩大"},
	{"mremap: cannot allocate memory (ENOMEM): the pages after % are in use and the mapping may not move",
	 "mremap：内存不足（ENOMEM）：%1 之后的页已被占用，而映射不允许移动"},
	{"mremap: cannot allocate memory (ENOMEM): no room for % KiB", "mremap：内存不足（ENOMEM）：放不下 %1 KiB"},
	{"mprotect: % is not page aligned (EINVAL)", "mprotect：%1 没有按页对齐（EINVAL）"},
	{"mprotect: range past the end of user space (ENOMEM)", "mprotect：范围超出了用户空间（ENOMEM）"},
	{"mprotect: cannot allocate memory (ENOMEM): % is not mapped", "mprotect：内存不足（ENOMEM）：%1 没有映射"},
	{"mprotect: % belongs to the kernel, not simulated", "mprotect：%1 属于内核，不模拟"},
	{"mprotect: % is a shared file mapping; vmviz does not model writing one (its writes go back to the file)",
	 "mprotect：%1 是共享的文件映射；vmviz 不模拟对它的写（写入会回到文件里）"},
	{"mmap: vmviz does not model a shared writable file mapping (its writes go back to the file): map it private, "
	 "or read-only",
	 "mmap：vmviz 不模拟可写的共享文件映射（写入会回到文件里）：请用私有映射，或只读映射"},
	{"mmap: the file name is empty", "mmap：文件名是空的"},
	{"mmap: too many different files (at most %)", "mmap：不同的文件太多（最多 %1 个）"},
	{"mmap: % bytes is too long for a file", "mmap：%1 字节对一个文件来说太长"},
	{"overcommit must be 0, 1 or 2, not %", "overcommit 只能是 0、1 或 2，不能是 %1"},
	{"call: a frame of % bytes does not fit below the stack pointer", "call：%1 字节的栈帧放不进栈指针下方"},
	{"return: no function call to return from", "return：没有可以返回的函数调用"},
	{"%: cannot allocate memory (ENOMEM): % kB is more than RAM + swap (% kB; overcommit 0)",
	 "%1：内存不足（ENOMEM）：%2 kB 超过了内存加 swap 的总量（%3 kB；overcommit 0）"},
	{"out of memory for a %-entry TLB", "内存不足，建不了 %1 项的 TLB"},
	{"SIGSEGV: pid %, % at %", "段错误 SIGSEGV：进程 %1 访问 %3（%w2）"},
	{"out of memory: pid % was killed while touching %", "内存耗尽：进程 %1 访问 %2 时被杀死"},
};

/* Matches text against an engine pattern: up to 4 pieces in cap. */
static bool engine_match(const char *pat, const char *text, const char *cap[4], int len[4])
{
	int n = 0;
	while (*pat) {
		if (*pat != '%') {
			if (*pat++ != *text++)
				return false;
			continue;
		}
		if (n == 4)
			return false;
		pat++;
		size_t lit = strcspn(pat, "%");
		const char *end = text + strlen(text);
		if (lit) {
			char need[64];
			snprintf(need, sizeof need, "%.*s", (int)lit, pat);
			end = strstr(text, need);
			if (!end)
				return false;
		}
		if (end == text)
			return false;
		cap[n] = text;
		len[n++] = (int)(end - text);
		text = end;
	}
	return *text == 0;
}

/* In Chinese, an engine message in s->err is put into Chinese. */
static void engine_zh(struct session *s)
{
	const char *cap[4];
	int len[4];
	for (size_t i = 0; i < sizeof engine_msgs / sizeof *engine_msgs; i++) {
		if (!engine_match(engine_msgs[i].en, s->err, cap, len))
			continue;
		char out[sizeof s->err];
		size_t o = 0;
		for (const char *z = engine_msgs[i].zh; *z && o + 1 < sizeof out; z++) {
			bool why = z[0] == '%' && z[1] == 'w';
			if (z[0] != '%' || !(why ? z[2] >= '1' && z[2] <= '4' : z[1] >= '1' && z[1] <= '4')) {
				out[o++] = *z;
				continue;
			}
			z += why ? 2 : 1;
			int k = *z - '1';
			char piece[sizeof s->err];
			snprintf(piece, sizeof piece, "%.*s", len[k], cap[k]);
			int w = snprintf(out + o, sizeof out - o, "%s", why ? event_why_zh(piece) : piece);
			o = w < 0 ? o : o + (size_t)w < sizeof out ? o + (size_t)w : sizeof out - 1;
		}
		out[o] = 0;
		snprintf(s->err, sizeof s->err, "%s", out);
		return;
	}
}

/* Engine messages passed on with cmd_error(s, "%s", s->vm->err) come out in
 * the session's language. */
int cmd_error(struct session *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, sizeof s->err, fmt, ap);
	va_end(ap);
	if (s->lang == LANG_ZH)
		engine_zh(s);
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

/* The Chinese report line, from the facts: the address from the MMU's last
 * walk, the SIGSEGV's reason from its event (vm->err is English). */
static void report_fault_zh(struct session *s, enum fault_kind k, int pid)
{
	const struct vm *vm = s->vm;
	if (k != FAULT_SEGV && k != FAULT_OOM)
		return;
	bool at = vm->last.pid == pid;
	char where[48] = "";
	if (at)
		snprintf(where, sizeof where, "访问 0x%" PRIx64 " 时", vm->last.va);
	if (k == FAULT_OOM) {
		sb_printf(&s->out, "内存耗尽：进程 %d %s被杀死\n", pid, where);
		return;
	}
	/* This access's SIGSEGV: after the access's own event, before any
	 * later one of the process. */
	const struct event *segv = NULL;
	for (uint64_t q = vm->log.next_seq - 1; q >= event_oldest(&vm->log) && q > 0; q--) {
		const struct event *ev = event_get(&vm->log, q);
		if (!ev || (ev->kind == EV_ACCESS && ev->pid == pid))
			break;
		if (ev->kind == EV_SEGV && ev->pid == pid) {
			segv = ev;
			break;
		}
	}
	if (segv)
		sb_printf(&s->out, "段错误：进程 %d 访问 0x%" PRIx64 " 时被杀死（%s）\n", pid, segv->va, event_why_zh(segv->why));
	else
		sb_printf(&s->out, "段错误：进程 %d %s被杀死\n", pid, where);
}

void cmd_report_fault(struct session *s, enum fault_kind k, int pid)
{
	s->last_fault = k;
	s->died = k == FAULT_SEGV || k == FAULT_OOM;
	if (s->lang == LANG_ZH) {
		report_fault_zh(s, k, pid);
		return;
	}
	if (k == FAULT_SEGV)
		sb_printf(&s->out, "Segmentation fault: process %d killed (%s)\n", pid, s->vm->err);
	else if (k == FAULT_OOM)
		sb_printf(&s->out, "Killed: %s\n", s->vm->err);
}
