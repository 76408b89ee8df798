/* cmd_script.c - settings, help, and the scenario commands: say, pause,
 * expect. */
#include "commands.h"
#include "help_text.h"
#include "expr.h"
#include "heap.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* OPT evicts the page used farthest in the future, which the kernel cannot
 * know: only a declared reference string (refs, or play --trace) has one.
 * There the table plays OPT; the machine keeps its own policy. */
static int set_policy_opt(struct session *s)
{
	if (!s->refs.active)
		return cmd_error(s, "%s",
				 TR(s, "set policy opt: OPT needs the future accesses, known only for a trace or a reference string (refs)",
				    "set policy opt：OPT 需要知道将来的访问，只有内存访问轨迹或访问序列（refs）才知道"));
	if (refstring_set_policy(&s->refs, TRACE_OPT) < 0)
		return cmd_error(s, "%s", TR(s, "out of memory", "内存不足"));
	sb_printf(&s->out,
		  TR(s, "the table now plays OPT (it knows the future); the machine keeps %s\n",
		     "表格改用 OPT（它知道将来的访问）；机器本身仍用 %s\n"),
		  policy_name(s->vm->policy->kind));
	return 0;
}

/* What a restart throws away, for set frames/swap to say: "2 processes
 * and the variables p, q are gone". A student must not lose work
 * silently. */
static void describe_lost(const struct session *s, char *buf, size_t size)
{
	int procs = 0;
	for (int i = 0; i < s->vm->nprocs; i++)
		procs += s->vm->procs[i] != NULL;
	char names[120] = "";
	size_t n = 0;
	for (int i = 0; i < s->nvars && n < sizeof names; i++) {
		if (i == 4) {
			snprintf(names + n, sizeof names - n, TR(s, " and %d more", " 等另 %d 个"), s->nvars - 4);
			break;
		}
		n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", i ? TR(s, ", ", "、") : "",
				      s->vars[i].name);
	}
	if (s->nvars)
		snprintf(buf, size, TR(s, "%d process%s and the variables %s are gone", "%d 个进程和变量 %s 都已丢失"),
			 procs, procs == 1 ? "" : "es", names);
	else
		snprintf(buf, size, TR(s, "%d process%s and %s memory are gone (no variables were set)",
				       "%d 个进程及其内存都已丢失（没有变量）"),
			 procs, procs == 1 ? "" : "es", procs == 1 ? "its" : "their");
}

CMD(set)
{
	if (argc != 3)
		return cmd_usage(s, "set");
	const char *what = argv[1], *arg = argv[2];
	if (strcmp(what, "policy") == 0) {
		enum policy_kind k;
		if (strcasecmp(arg, "opt") == 0)
			return set_policy_opt(s);
		if (!policy_parse(arg, &k))
			return cmd_error(s, TR(s, "unknown policy '%s' (fifo, lru or clock)", "不认识的置换策略 '%s'（fifo、lru 或 clock）"),
					 arg);
		enum trace_policy tp = TRACE_FIFO;
		trace_policy_parse(arg, &tp);
		if (s->refs.active && refstring_set_policy(&s->refs, tp) < 0)
			return cmd_error(s, "%s", TR(s, "out of memory", "内存不足"));
		if (vm_set_policy(s->vm, k) < 0)
			return cmd_error(s, "%s", s->vm->err);
		return 0;
	}
	if (strcmp(what, "lang") == 0) {
		if (strcmp(arg, "en") == 0)
			s->lang = LANG_EN;
		else if (strcmp(arg, "zh") == 0)
			s->lang = LANG_ZH;
		else
			return cmd_error(s, TR(s, "unknown language '%s' (en or zh)", "不认识的语言 '%s'（en 或 zh）"), arg);
		return 0;
	}
	if (strcmp(what, "overcommit") == 0) {
		if (strlen(arg) != 1 || arg[0] < '0' || arg[0] > '2')
			return cmd_error(s, TR(s, "overcommit must be 0, 1 or 2, not '%s'", "overcommit 只能是 0、1 或 2，不能是 '%s'"),
					 arg);
		if (vm_set_overcommit(s->vm, arg[0] - '0') < 0)
			return cmd_error(s, "%s", s->vm->err);
		s->cfg.overcommit = s->vm->overcommit;
		return 0;
	}
	if (strcmp(what, "disk") == 0) {
		enum disk_kind d;
		if (disk_parse(arg, &d) < 0)
			return cmd_error(s, TR(s, "unknown disk '%s' (ssd or hdd)", "不认识的磁盘 '%s'（ssd 或 hdd）"), arg);
		s->vm->clock.disk = d;
		s->vm->cfg.disk = d;
		s->cfg.disk = d;
		char t[24];
		clock_format(cost_ns(COST_DISK_READ, d, 0), t, sizeof t);
		sb_printf(&s->out, TR(s, "swap is now on an %s: a 4 KiB page read or write costs ~%s\n",
				      "swap 现在在%s上：读或写一个 4 KiB 的页约需 %s\n"),
			  s->lang == LANG_ZH ? disk_name_zh(d) : d == DISK_HDD ? "HDD" : "SSD", t);
		return 0;
	}
	uint64_t n;
	if (strcmp(what, "frames") && strcmp(what, "swap") && strcmp(what, "tlb"))
		return cmd_error(s,
				 TR(s, "unknown setting '%s' (policy, frames, swap, tlb, overcommit, disk or lang)",
				    "不认识的设置项 '%s'（policy、frames、swap、tlb、overcommit、disk 或 lang）"),
				 what);
	if (cmd_size(s, arg, &n) < 0)
		return -1;
	if (n > UINT32_MAX)
		return cmd_error(s, TR(s, "%s: %" PRIu64 " is too large", "%s：%" PRIu64 " 太大了"), what, n);
	if (strcmp(what, "tlb") == 0) {
		if (n > 4096)
			return cmd_error(s, "%s", TR(s, "tlb must be at most 4096 entries", "tlb 最多 4096 项"));
		return vm_set_tlb(s->vm, (uint32_t)n) < 0 ? cmd_error(s, "%s", s->vm->err) : 0;
	}
	struct vm_config old = s->cfg;
	char lost[200];
	describe_lost(s, lost, sizeof lost);
	if (strcmp(what, "frames") == 0)
		s->cfg.frames = (uint32_t)n;
	else
		s->cfg.swap_slots = (uint32_t)n;
	s->cfg.policy = s->vm->policy->kind;
	s->cfg.tlb_entries = s->vm->tlb.n;
	if (session_reset(s) < 0) {
		char why[sizeof s->err];
		snprintf(why, sizeof why, "%s", s->err);
		s->cfg = old;
		return cmd_error(s, "%s", why);
	}
	sb_printf(&s->out, TR(s, "machine restarted with %u frames and %u swap slots: %s\n",
			      "机器已重启：%u 个物理页，%u 个 swap 槽；%s\n"),
		  s->cfg.frames, s->cfg.swap_slots, lost);
	return 0;
}

CMD(reset)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "reset");
	s->cfg.policy = s->vm->policy->kind;
	s->cfg.tlb_entries = s->vm->tlb.n;
	if (session_reset(s) < 0)
		return -1;
	sb_printf(&s->out, TR(s, "machine restarted: process %d (a.out)\n", "机器已重启：进程 %d（a.out）\n"), s->vm->cur);
	return 0;
}

/* The Chinese of the command table's one-line help. */
static const char *help_zh(const struct command *c)
{
	static const struct { const char *name, *zh; } tr[] = {
		{"malloc", "glibc 2.36 的 malloc：先 tcache、各个 bin、top 块；都不行且 SIZE >= mmap 阈值才 mmap"},
		{"calloc", "分配 N*SIZE 个字节并清零（glibc 只清不是内核新给的部分）"},
		{"realloc", "改变块的大小：后面的空闲块或 top 够用就原地扩展，否则搬走"},
		{"memalign", "分配 SIZE 字节，地址是 ALIGN 的倍数（glibc 的 _int_memalign）"},
		{"aligned_alloc", "在 glibc 2.36 里与 memalign 相同"},
		{"free", "归还 malloc 分配的块（mmap 来的块会被解除映射）"},
		{"write", "写一个字节（0..255）或一个字符串的各字节；也可写成 ADDR[i] = VALUE"},
		{"read", "读一个字节（也可写成 x = p[i]、x = *p），或读 LEN 个字节并显示为 C 字符串"},
		{"dump", "像 write(1, ADDR, LEN) 那样读出 LEN 个字节（默认 64，最多 4096），按 xxd 的格式显示（读会缺页）"},
		{"memset", "把 N 个字节都写成同一个值，一页一页地写（每页第一次写时缺页）"},
		{"memcpy", "复制 N 个字节：从 SRC 读、往 DST 写，一页一页地来；遇到坏字节就在那里段错误"},
		{"strcpy", "写入 TEXT 和结尾的 \\0（一个 C 字符串）"},
		{"smaps", "每个映射的 Rss、Pss、共享/私有的干净/脏页、Anonymous、Swap，格式与 /proc/PID/smaps 完全相同"},
		{"status", "/proc/PID/status 里的内存行：VmPeak、VmSize、VmRSS、RssAnon、VmData……"},
		{"touch", "写块中的每一页（默认：整个块或整个 VMA）"},
		{"mmap", "映射匿名内存，或经页缓存映射一个文件（访问之前不占物理页）"},
		{"munmap", "解除页的映射（默认：mmap 在 ADDR 建的那一段，否则 ADDR 所在 VMA 的其余部分）"},
		{"mprotect", "修改页的权限；VMA 随之拆分、合并；写被改成只读的页会段错误"},
		{"mremap", "改变映射大小：后面的页空着就原地扩展，否则搬移页表项（不复制、不缺页）"},
		{"call", "调用一个函数，它写满 SIZE 字节的局部数组（每一页；lowest：只写 a[0]）；栈向下增长"},
		{"return", "从上一次 call 返回：sp 回到原处，页仍然映射着"},
		{"brk", "移动堆的末尾（program break）"},
		{"fork", "复制当前进程；页以写时复制方式共享"},
		{"spawn", "启动一个新进程，运行程序 NAME"},
		{"ps", "列出进程：PID NAME VSZ RSS MINFLT MAJFLT"},
		{"proc", "切换当前进程"},
		{"exit", "结束当前进程（释放它的内存）"},
		{"kill", "杀死一个进程"},
		{"compare", "两个进程的页表并排对比，两边映射同一个物理页的标 '='；不带参数：上一次 fork 或 spawn 的两个进程"},
		{"translate", "显示 MMU 为一个地址查页表的过程"},
		{"maps", "内存映射，格式与 /proc/PID/maps 完全相同"},
		{"pt", "页表：每个已映射的页 -> 物理页或 swap 槽，以及标志位"},
		{"frames", "物理页：属主、虚拟页、访问位/脏位、置换顺序"},
		{"swap", "swap 槽及其中保存的页"},
		{"stats", "统计：缺页、淘汰、swap 读写、TLB、按原因分的模拟耗时、CommitLimit 与 Committed_AS"},
		{"set", "policy fifo|lru|clock|opt、frames N、swap N、tlb N、overcommit 0|1|2、disk ssd|hdd、lang en|zh（改 frames、swap 会重启机器）"},
		{"explain", "上一条命令为什么这样做：每个事件，以及决定它的规则和数字"},
		{"reset", "重启机器：只有一个新进程"},
		{"refs", "声明一个访问序列（ADDR 处映射的第 1 2 3... 页），画成教科书上的表格"},
		{"ref", "访问序列的下一次访问（把页号写进该页）"},
		{"help", "列出所有命令，或解释其中一个"},
		{"say", "显示一条字幕，英文和中文（用于脚本）"},
		{"pause", "等讲解者继续（用于脚本）"},
		{"expect", "检查一个事实，例如 expect rss == 4K、expect fault == major"},
		{"echo", "打印文字"},
		{"screenshot", "把屏幕保存为 FILE.svg 和 FILE.txt（默认用带日期的文件名）"},
		{"quit", "退出 vmviz"},
	};
	for (size_t i = 0; i < sizeof tr / sizeof *tr; i++)
		if (strcmp(c->name, tr[i].name) == 0)
			return tr[i].zh;
	return c->help;
}

CMD(help)
{
	size_t n;
	const struct command *t = command_table(&n);
	if (argc > 2)
		return cmd_usage(s, "help");
	if (argc == 2) {
		const struct command *c = command_find(argv[1]);
		if (!c)
			return cmd_error(s,
					 TR(s, "no help for '%s': not a command (type 'help' for the list)",
					    "没有 '%s' 的帮助：它不是命令（输入 help 看命令列表）"),
					 argv[1]);
		sb_printf(&s->out, TR(s, "usage: %s\n  %s\n", "用法：%s\n  %s\n"), c->usage, TR(s, c->help, help_zh(c)));
		const struct help_text *h = help_text_find(c->name);
		if (h)
			sb_printf(&s->out, TR(s, "example: %s\nteaches: %s\n", "例子：%s\n演示：%s\n"), h->example,
				  TR(s, h->teaches_en, h->teaches_zh));
		if (strcmp(c->name, "set") == 0)
			sb_printf(&s->out, "%s",
				  TR(s,
				     "  The policies are the textbook ones; Linux itself uses active/inactive LRU\n"
				     "  lists with the Accessed bit, a second-chance scheme close to CLOCK.\n",
				     "  这些置换策略是教科书上的；Linux 本身用 active/inactive 两个 LRU 链表\n"
				     "  加上 Accessed 位，是一种接近 CLOCK 的二次机会算法。\n"));
		if (strcmp(c->name, "dump") == 0 || strcmp(c->name, "memcpy") == 0)
			sb_printf(&s->out, "%s",
				  TR(s,
				     "  A byte that is not readable stops dump with EFAULT (nothing read), as the\n"
				     "  kernel's copy does; memcpy, a load in the process, dies of SIGSEGV there,\n"
				     "  the bytes before it stored. (glibc's vector memcpy loads a short copy\n"
				     "  whole before storing: measured in tests/probes/memcpy_fault.txt.)\n",
				     "  dump 遇到不可读的字节就以 EFAULT 结束（什么也不读），和内核的复制一样；\n"
				     "  memcpy 是进程自己的读，会在那里段错误，之前的字节已经写好。\n"
				     "  （glibc 的向量 memcpy 对短的复制先全部读完再写：见 tests/probes/memcpy_fault.txt。）\n"));
		if (strcmp(c->name, "smaps") == 0 || strcmp(c->name, "status") == 0)
			sb_printf(&s->out, "%s",
				  TR(s,
				     "  Rss counts the pages present (the shared zero page never); Pss divides a\n"
				     "  shared page among the processes that map it. Compared with a real\n"
				     "  process in tests/smaps_compare.sh. VmPTE counts vmviz's page tables only.\n",
				     "  Rss 统计在内存里的页（共享零页从不算）；Pss 把共享页平分给映射它的进程。\n"
				     "  tests/smaps_compare.sh 与真实进程对比过。VmPTE 只计 vmviz 自己的页表。\n"));
		if (strcmp(c->name, "expect") == 0)
			sb_printf(&s->out, "%s",
				  TR(s,
				     "  names: rss vsz minflt majflt faults swapins swapouts free_frames swap_used\n"
				     "         sp depth stack committed commit_limit time_ns\n"
				     "         procs pid brk evictions fault policy table_faults table_policy,\n"
				     "         p[i] (a byte), variables\n"
				     "  functions: rss(PID) vsz(PID) minflt(PID) majflt(PID) alive(PID)\n"
				     "             pfn(ADDR) present(ADDR) swapped(ADDR) mapcount(ADDR) dirty(ADDR)\n"
				     "  operators: == != < <= > >=; sizes take K, M, G, T\n"
				     "  the names work in values too: m0 = minflt, then expect minflt - m0 == 5\n",
				     "  名字：  rss vsz minflt majflt faults swapins swapouts free_frames swap_used\n"
				     "          sp depth stack committed commit_limit time_ns\n"
				     "          procs pid brk evictions fault policy table_faults table_policy、\n"
				     "          p[i]（一个字节）、变量\n"
				     "  函数：  rss(PID) vsz(PID) minflt(PID) majflt(PID) alive(PID)\n"
				     "          pfn(ADDR) present(ADDR) swapped(ADDR) mapcount(ADDR) dirty(ADDR)\n"
				     "  运算符：== != < <= > >=；大小可带 K、M、G、T\n"
				     "  这些名字也能用在值里：m0 = minflt，之后 expect minflt - m0 == 5\n"));
		return 0;
	}
	sb_printf(&s->out, "%s",
		  TR(s, "Commands (C-like forms work too: p = malloc(8192), p[0] = 1, x = p[8], free(p)):\n",
		     "命令（也可以用类似 C 的写法：p = malloc(8192)、p[0] = 1、x = p[8]、free(p)）：\n"));
	for (size_t i = 0; i < n; i++)
		sb_printf(&s->out, "  %-38s %s\n", t[i].usage, TR(s, t[i].help, help_zh(&t[i])));
	sb_printf(&s->out, "%s",
		  TR(s,
		     "ADDR: a variable, p+OFFSET, p[OFFSET] or a hex address. Sizes take K, M, G, T.\n"
		     "A name, a value or p[i] alone prints what it is worth.\n",
		     "ADDR：变量、p+OFFSET、p[OFFSET] 或十六进制地址。大小可带 K、M、G、T。\n"
		     "单独输入一个名字、一个值或 p[i]，会打印它的值。\n"));
	return 0;
}

CMD(say)
{
	const char *chosen = NULL, *english = NULL;
	if (argc < 2)
		return cmd_usage(s, "say");
	for (int i = 1; i < argc; i++) {
		const char *tag = "en";
		if (argv[i][0] != '"') {
			if (strcmp(argv[i], "en") && strcmp(argv[i], "zh"))
				return cmd_error(s, "%s",
						 TR(s, "say: put the caption in quotes, e.g. say \"text\" zh \"文字\"",
						    "say：字幕要放在引号里，例如 say \"text\" zh \"文字\""));
			tag = argv[i++];
			if (i == argc || argv[i][0] != '"')
				return cmd_error(s, TR(s, "say: a quoted caption must follow '%s'", "say：'%s' 后面要跟一条带引号的字幕"),
						 tag);
		}
		if (strcmp(tag, "en") == 0)
			english = argv[i];
		if ((s->lang == LANG_ZH) == (strcmp(tag, "zh") == 0))
			chosen = argv[i];
	}
	if (!chosen)
		chosen = english ? english : argv[argc - 1];
	size_t len = strlen(chosen);
	snprintf(s->caption, sizeof s->caption, "%.*s", (int)(len >= 2 ? len - 2 : 0), chosen + 1);
	sb_printf(&s->out, "%s\n", s->caption);
	return 0;
}

CMD(pause)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "pause");
	s->pause = true;
	return 0;
}

CMD(quit)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "quit");
	s->quit = true;
	return 0;
}

CMD(echo)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		size_t len = strlen(a);
		if (a[0] == '"' && len >= 2)
			sb_printf(&s->out, "%s%.*s", i > 1 ? " " : "", (int)len - 2, a + 1);
		else
			sb_printf(&s->out, "%s%s", i > 1 ? " " : "", a);
	}
	sb_printf(&s->out, "\n");
	return 0;
}

/* The screen takes the picture (the engine has none); headless runs say so. */
CMD(screenshot)
{
	if (argc > 2)
		return cmd_usage(s, "screenshot");
	const char *name = argc == 2 ? argv[1] : "";
	size_t len = strlen(name);
	if (len >= 2 && name[0] == '"' && name[len - 1] == '"') {
		name++;
		len -= 2;
	}
	if (len >= sizeof s->screenshot_name - 4)
		return cmd_error(s, "%s", TR(s, "screenshot: file name too long", "screenshot：文件名太长"));
	snprintf(s->screenshot_name, sizeof s->screenshot_name, "%.*s", (int)len, name);
	/* FILE, FILE.svg and FILE.txt all name the pair. */
	char *dot = strrchr(s->screenshot_name, '.');
	if (dot && (strcmp(dot, ".svg") == 0 || strcmp(dot, ".txt") == 0))
		*dot = 0;
	if (argc == 2 && !s->screenshot_name[0])
		return cmd_error(s, "%s", TR(s, "screenshot: empty file name", "screenshot：文件名是空的"));
	s->screenshot = true;
	return 0;
}

/* A side of an expect: a number, or a word such as "major" or "clock". */
struct operand {
	bool is_word;
	uint64_t num;
	char word[32];
};

static int proc_arg(struct session *s, const char *arg, const struct proc **p)
{
	uint64_t pid;
	if (cmd_value(s, arg, &pid) < 0)
		return -1;
	*p = vm_proc(s->vm, (int)pid);
	return 0;
}

static int page_query(struct session *s, const char *fn, const char *arg, uint64_t *out)
{
	uint64_t va;
	if (cmd_addr(s, arg, &va) < 0)
		return -1;
	pte_t pte = vm_pte(s->vm, s->vm->cur, va);
	bool present = PTE_PRESENT(pte);
	if (strcmp(fn, "pfn") == 0)
		*out = present ? PTE_NUM(pte) : UINT64_MAX;
	else if (strcmp(fn, "present") == 0)
		*out = present;
	else if (strcmp(fn, "swapped") == 0)
		*out = PTE_SWAPPED(pte);
	else if (strcmp(fn, "dirty") == 0)
		*out = present && (pte & PTE_D);
	else
		*out = present ? s->vm->frames[PTE_NUM(pte)].mapcount : 0;
	return 0;
}

static int eval_function(struct session *s, const char *text, struct operand *o, bool *handled)
{
	static const char *const proc_fns[] = {"rss", "vsz", "minflt", "majflt", "alive"};
	static const char *const page_fns[] = {"pfn", "present", "swapped", "mapcount", "dirty"};
	char name[16], arg[128];
	*handled = false;
	if (sscanf(text, "%15[a-z_](%127[^)])", name, arg) != 2 || text[strlen(text) - 1] != ')')
		return 0;
	for (size_t i = 0; i < sizeof proc_fns / sizeof *proc_fns; i++) {
		if (strcmp(name, proc_fns[i]))
			continue;
		const struct proc *p;
		if (proc_arg(s, arg, &p) < 0)
			return -1;
		*handled = true;
		if (i == 4)
			o->num = p != NULL;
		else if (!p)
			return cmd_error(s, TR(s, "expect: no process %s", "expect：没有进程 %s"), arg);
		else
			o->num = i == 0 ? vm_rss(s->vm, p) : i == 1 ? vm_vsz(s->vm, p) : i == 2 ? p->minflt : p->majflt;
		return 0;
	}
	for (size_t i = 0; i < sizeof page_fns / sizeof *page_fns; i++) {
		if (strcmp(name, page_fns[i]) == 0) {
			*handled = true;
			return page_query(s, name, arg, &o->num);
		}
	}
	return 0;
}

/* The size of the stack VMA. */
static uint64_t stack_size(const struct proc *p)
{
	for (size_t i = 0; i < p->nvmas; i++)
		if (p->vmas[i].flags & VMA_STACK)
			return p->vmas[i].end - p->vmas[i].start;
	return 0;
}

bool script_name_value(struct session *s, const char *name, uint64_t *out)
{
	const struct vm *vm = s->vm;
	const struct proc *p = vm_proc(vm, vm->cur);
	const struct { const char *name; bool need_proc; } names[] = {
		{"rss", true}, {"vsz", true}, {"minflt", true}, {"majflt", true}, {"faults", true},
		{"swapins", true}, {"swapouts", true}, {"brk", true}, {"free_frames", false},
		{"swap_used", false}, {"procs", false}, {"pid", false}, {"evictions", false},
		{"sp", true}, {"depth", true}, {"stack", true}, {"committed", false}, {"commit_limit", false},
		{"time_ns", false},
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		if (strcmp(name, names[i].name))
			continue;
		if (names[i].need_proc && !p)
			return false;
		switch (i) {
		case 0: *out = vm_rss(vm, p); break;
		case 1: *out = vm_vsz(vm, p); break;
		case 2: *out = p->minflt; break;
		case 3: *out = p->majflt; break;
		case 4: *out = p->minflt + p->majflt; break;
		case 5: *out = p->swapins; break;
		case 6: *out = p->swapouts; break;
		case 7: *out = p->brk; break;
		case 8: *out = vm->free_frames; break;
		case 9: *out = vm->swap.used; break;
		case 10: *out = (uint64_t)vm->nprocs; break;
		case 11: *out = (uint64_t)vm->cur; break;
		case 12: *out = vm->evictions; break;
		case 13: *out = p->sp; break;
		case 14: *out = p->ncalls; break;
		case 15: *out = stack_size(p); break;
		case 16: *out = vm_committed_as(vm) * vm->arch.page_size; break;
		case 17: *out = vm_commit_limit(vm) * vm->arch.page_size; break;
		default: *out = clock_total(&vm->clock); break; /* the simulated clock */
		}
		return true;
	}
	return false;
}

static bool eval_name(struct session *s, const char *t, struct operand *o)
{
	if (script_name_value(s, t, &o->num))
		return true;
	if (strcmp(t, "table_faults") == 0) {
		o->num = refstring_faults(&s->refs, s->refs.done);
		return true;
	}
	if (strcmp(t, "table_policy") == 0) {
		o->is_word = true;
		snprintf(o->word, sizeof o->word, "%s", s->refs.active ? trace_policy_name(s->refs.policy) : "none");
		return true;
	}
	if (strcmp(t, "fault") == 0 || strcmp(t, "policy") == 0) {
		o->is_word = true;
		snprintf(o->word, sizeof o->word, "%s",
			 t[0] == 'f' ? fault_kind_name(s->last_fault) : policy_name(s->vm->policy->kind));
		return true;
	}
	return false;
}

static int eval_operand(struct session *s, const char *text, struct operand *o)
{
	static const char *const words[] = {"none", "minor", "major", "segv", "oom", "fifo", "lru", "clock", "opt"};
	memset(o, 0, sizeof *o);
	bool handled;
	if (eval_function(s, text, o, &handled) < 0 || handled)
		return handled ? 0 : -1;
	if (eval_name(s, text, o))
		return 0;
	for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
		if (strcmp(text, words[i]) == 0) {
			o->is_word = true;
			snprintf(o->word, sizeof o->word, "%s", text);
			return 0;
		}
	}
	if (strcmp(text, "rss") == 0 || strcmp(text, "vsz") == 0 || strcmp(text, "minflt") == 0)
		return cmd_error(s, "%s", TR(s, "expect: no process is running", "expect：没有正在运行的进程"));
	return cmd_value(s, text, &o->num);
}

static void operand_str(const struct operand *o, char *buf, size_t size)
{
	char sz[32];
	if (o->is_word)
		snprintf(buf, size, "%s", o->word);
	else if (o->num == UINT64_MAX)
		snprintf(buf, size, "none");
	else if (o->num >= 1024 && o->num % 1024 == 0 && o->num < (1ull << 32))
		snprintf(buf, size, "%s", fmt_size(o->num, sz));
	else if (o->num >= 0x10000)
		snprintf(buf, size, "0x%" PRIx64, o->num);
	else
		snprintf(buf, size, "%" PRIu64, o->num);
}

CMD(expect)
{
	static const char *const ops[] = {"==", "!=", "<=", ">=", "<", ">"};
	char text[512] = "";
	size_t len = 0;
	for (int i = 1; i < argc && len < sizeof text; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "%s%s", i > 1 ? " " : "", argv[i]);
	if (len >= sizeof text)
		return cmd_error(s, TR(s, "expect: the check is too long (at most %zu characters)",
				       "expect：检查条件太长（最多 %zu 个字符）"), sizeof text - 1);
	if (argc < 2)
		return cmd_usage(s, "expect");
	char *op = NULL;
	size_t k = 0;
	for (char *c = text; *c && !op; c++)
		for (k = 0; k < sizeof ops / sizeof *ops; k++)
			if (strncmp(c, ops[k], strlen(ops[k])) == 0) {
				op = c;
				break;
			}
	if (!op)
		return cmd_error(s,
				 TR(s, "expect: no comparison in '%s' (use ==, !=, <, <=, > or >=)",
				    "expect：'%s' 里没有比较（用 ==、!=、<、<=、> 或 >=）"),
				 text);
	char lhs_text[sizeof text], rhs_text[sizeof text];
	snprintf(lhs_text, sizeof lhs_text, "%.*s", (int)(op - text), text);
	snprintf(rhs_text, sizeof rhs_text, "%s", op + strlen(ops[k]));
	char *lt = lhs_text, *rt = rhs_text;
	while (*lt == ' ')
		lt++;
	while (*rt == ' ')
		rt++;
	for (char *e = lt + strlen(lt); e > lt && e[-1] == ' ';)
		*--e = 0;
	struct operand l, r;
	if (!*lt || !*rt)
		return cmd_error(s, TR(s, "expect: '%s' needs a value on both sides", "expect：'%s' 两边都要有值"), text);
	if (eval_operand(s, lt, &l) < 0 || eval_operand(s, rt, &r) < 0)
		return -1;
	bool ok;
	if (l.is_word != r.is_word)
		return cmd_error(s,
				 TR(s, "expect: '%s' compares a word with a number (e.g. fault == major, rss == 4K)",
				    "expect：'%s' 把一个词和一个数比较（应该像 fault == major、rss == 4K 这样）"),
				 text);
	if (l.is_word) {
		if (k > 1)
			return cmd_error(s, TR(s, "expect: '%s' compares words: only == and != work", "expect：'%s' 比较的是词：只能用 == 和 !="),
					 text);
		bool eq = strcmp(l.word, r.word) == 0;
		ok = k == 0 ? eq : !eq;
	} else {
		uint64_t a = l.num, b = r.num;
		ok = k == 0 ? a == b : k == 1 ? a != b : k == 2 ? a <= b : k == 3 ? a >= b : k == 4 ? a < b : a > b;
	}
	if (ok) {
		sb_printf(&s->out, TR(s, "ok: %s\n", "通过：%s\n"), text);
		return 0;
	}
	char got[64];
	operand_str(&l, got, sizeof got);
	return cmd_error(s, TR(s, "expect %s failed: %s is %s", "expect %s 不成立：%s 实际是 %s"), text, lt, got);
}
