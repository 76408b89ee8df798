/* test_session.c - the command language: forms, values, errors that leave
 * the state unchanged, expect. */
#include "testutil.h"

#include <stdlib.h>

#include "run.h"

static void test_c_like_and_plain_forms_agree(void **state)
{
	(void)state;
	struct session *a = new_session(32, 64, POLICY_CLOCK);
	struct session *b = new_session(32, 64, POLICY_CLOCK);
	OK(a, "p = malloc(8192)");
	OK(b, "p = malloc 8192");
	assert_int_equal(var(a, "p"), var(b, "p"));
	OK(a, "p[4096] = 65");
	OK(b, "write p+4096 65");
	OK(a, "x = p[4096]");
	OK(b, "x = read p+4096");
	assert_int_equal(var(a, "x"), 65);
	assert_int_equal(var(b, "x"), 65);
	OK(a, "free(p);");
	OK(b, "free p");
	assert_int_equal(vm_rss(a->vm, cur(a)), vm_rss(b->vm, cur(b)));
	assert_int_equal(a->vm->log.next_seq, b->vm->log.next_seq);
	session_free(a);
	session_free(b);
}

static void test_values_and_sizes(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "a = 4K");
	assert_int_equal(var(s, "a"), 4096);
	OK(s, "b = a * 2 + 1M");
	assert_int_equal(var(s, "b"), 8192 + 1048576);
	OK(s, "c = 0x10 + (3 - 1)");
	assert_int_equal(var(s, "c"), 18);
	OK(s, "d = 2G");
	assert_int_equal(var(s, "d"), 2ull << 30);
	OK(s, "# just a comment");
	OK(s, "   ");
	OK(s, "e = -16 + 20");
	assert_int_equal(var(s, "e"), 4);
	OK(s, "m = -1");
	assert_int_equal(var(s, "m"), UINT64_MAX);
	FAILS(s, "o = 0xffffffffffffffff + 1", "out of range");
	FAILS(s, "o = 0x100000000 * 0x100000000", "out of range");
	FAILS(s, "malloc(-5)", "negative or too large");
	OK(s, "p = malloc(16) // trailing comment");
	OK(s, "p[-16] = 7"); /* the chunk's prev_size field (its size follows) */
	OK(s, "expect p[-16] == 7");
	OK(s, "write p \"a#b\"");
	OK(s, "expect p[1] == 35");
	session_free(s);
}

/* Every bad line: one line naming the problem, and no event, no change. */
static void test_bad_input_changes_nothing(void **state)
{
	(void)state;
	static const struct { const char *line, *text; } bad[] = {
		{"malocc 10", "did you mean 'malloc'"},
		{"frobnicate", "unknown command 'frobnicate'"},
		{"malloc", "usage: malloc SIZE"},
		{"malloc 12Q", "bad size"},
		{"malloc(-5)", "bad size"},
		{"write p 1", "unknown variable 'p'"},
		{"write 0x10 300", "does not fit in a byte"},
		{"write 0x10 \"unterminated", "missing closing quote"},
		{"munmap 0x1000", "nothing is mapped"},
		{"proc 999", "no process 999"},
		{"kill 5", "no process 5"},
		{"set policy random", "unknown policy 'random'"},
		{"set frames 2", "frames must be from 4"},
		{"set colour red", "unknown setting"},
		{"expect rss", "no comparison"},
		{"expect fault < major", "only == and !="},
		{"expect rss == 1", "expect rss == 1 failed: rss is 16K"},
		{"malloc = 3", "is a command"},
		{"x = ", "nothing to assign"},
		{"p = ps", "gives no value"},
		{"mmap 4K rwz", "unknown protection"},
		{"mmap 0", "greater than 0"},
		{"help nothing", "not a command"},
		{"touch 0x10", "nothing is mapped"},
		{"say hello", "quotes"},
		{"expect rss == minor", "compares a word with a number"},
		{"proc\x1b[31m", "unknown command 'proc\\x1b[31m'"},
		{"set swap -1", "negative or too large"},
		{"q = malloc(10", "missing ')' in 'malloc(10'"},
		{"malloc(10) extra", "unexpected 'extra' after malloc(...)"},
		{"abcdefghijabcdefghijabcdefghijXY = malloc(1M)", "the name is too long"},
		{"x = touch(p)", "'touch' gives no value to assign to x"}, /* refused before touching */
		{"expect aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
		 "aaaaaaaaaaaaaaaaaaaa b", "too long"}, /* 513 characters: overflowed a buffer once */
	};
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		uint64_t seq = s->vm->log.next_seq, rss = cur(s)->rss, vsz = vm_vsz(s->vm, cur(s));
		uint32_t frames = s->vm->nframes;
		FAILS(s, bad[i].line, bad[i].text);
		assert_int_equal(s->vm->log.next_seq, seq);
		assert_int_equal(cur(s)->rss, rss);
		assert_int_equal(vm_vsz(s->vm, cur(s)), vsz);
		assert_int_equal(s->vm->nframes, frames);
		assert_int_equal(vm_check(s->vm), 0);
	}
	session_free(s);
}

/* A name, an expression or p[i] alone on a line says what it is worth. */
static void test_bare_values_print(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(100)");
	OK(s, "p");
	assert_string_equal(s->out.s, "p = 0x5555555592a0 (93824992252576)\n");
	OK(s, "p + 16");
	assert_string_equal(s->out.s, "p + 16 = 0x5555555592b0 (93824992252592)\n");
	OK(s, "4K * 2");
	assert_string_equal(s->out.s, "4K * 2 = 0x2000 (8192)\n");
	OK(s, "p[3] = 9");
	uint64_t seq = s->vm->log.next_seq;
	OK(s, "p[3]");
	assert_string_equal(s->out.s, "p[3] = 9\n");
	assert_true(s->vm->log.next_seq > seq); /* a real read: the access is an event */
	OK(s, "x = p[3] + 1"); /* in a value, p[i] is the byte, as in C */
	assert_int_equal(var(s, "x"), 10);
	OK(s, "y = 2 * (p[3])");
	assert_int_equal(var(s, "y"), 18);
	OK(s, "p[3] * 2");
	assert_string_equal(s->out.s, "p[3] * 2 = 0x12 (18)\n");
	FAILS(s, "p[3] = -1", "value -1 does not fit in a byte");
	FAILS(s, "p +", "missing value");
	FAILS(s, "q", "unknown command 'q'");
	FAILS(s, "q[0]", "unknown variable 'q'");
	session_free(s);
}

static void test_expect_forms(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = mmap(8K)");
	OK(s, "p[0] = 9");
	OK(s, "expect fault == minor");
	OK(s, "expect rss == 20K");
	OK(s, "expect rss >= 8K");
	OK(s, "expect vsz > rss");
	OK(s, "expect p[0] == 9");
	OK(s, "expect present(p) == 1");
	OK(s, "expect present(p+4K) == 0");
	OK(s, "expect pfn(p) != pfn(p+4K)");
	OK(s, "expect policy == clock");
	OK(s, "expect procs == 1");
	OK(s, "expect alive(100) == 1");
	OK(s, "expect alive(555) == 0");
	OK(s, "expect free_frames == 24"); /* 32 - 2 kernel - 5 startup pages (one a cached file page) - 1 */
	FAILS(s, "expect majflt == 0", "majflt is 3");
	assert_true(s->is_expect);
	session_free(s);
}

static void test_say_picks_language(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "say \"hello\" zh \"你好\"");
	assert_string_equal(s->caption, "hello");
	s->lang = LANG_ZH;
	OK(s, "say \"hello\" zh \"你好\"");
	assert_string_equal(s->caption, "你好");
	OK(s, "say \"only english\"");
	assert_string_equal(s->caption, "only english");
	OK(s, "pause");
	assert_true(s->pause);
	OK(s, "quit");
	assert_true(s->quit);
	session_free(s);
}

/* The common mistakes are explained in Chinese too. */
static void test_errors_in_chinese(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	s->lang = LANG_ZH;
	FAILS(s, "malocc 10", "是不是想输入 'malloc'");
	FAILS(s, "write q 1", "没有变量 'q'");
	FAILS(s, "write 0x10 300", "放不进一个字节");
	FAILS(s, "malloc", "用法：malloc SIZE");
	OK(s, "set lang en");
	FAILS(s, "malocc 10", "did you mean 'malloc'");
	session_free(s);
}

/* Fails if text holds one of the NULL-terminated English words. */
static void assert_no_english(const char *what, const char *text, const char *const *words)
{
	for (; *words; words++)
		if (strstr(text, *words))
			fail_msg("%s in Chinese still says '%s':\n%s", what, *words, text);
}

static void test_output_in_chinese(void **state)
{
	(void)state;
	static const char *const english[] = {
		"frame", "kernel", "policy", "page", "fault", "evict", "table", "level", "physical", "offset",
		"pid", "slot", "used", "mapped", "present", "killed", "Killed", "Segmentation", "double",
		"invalid", "failed", " is ", "already", "out of memory", "no mapping", "translate 0x", NULL,
	};
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	s->lang = LANG_ZH;
	OK(s, "p = malloc(100)");
	OK(s, "frames");
	assert_non_null(strstr(s->out.s, "物理页  类型  访问 脏  指针"));
	assert_non_null(strstr(s->out.s, "     1  零页  -    -           共享零页\n"));
	assert_non_null(strstr(s->out.s, "共 32 个物理页：内核 2 个，"));
	assert_no_english("frames", s->out.s, english);
	OK(s, "stats");
	assert_non_null(strstr(s->out.s, "次缺页 "));
	assert_non_null(strstr(s->out.s, "页表页 "));
	assert_no_english("stats", s->out.s, english);
	OK(s, "translate p");
	assert_non_null(strstr(s->out.s, "地址翻译 0x5555555592a0（进程 100，x86_64，4 级页表）\n"));
	/* the talk's 9+9+9+9+12 picture of the address */
	assert_non_null(strstr(s->out.s, "  位      47..39     38..30     29..21     20..12     11..0\n"
					 "  字段    PGD        PUD        PMD        PTE        页内偏移\n"
					 "  值      170        341        170        345        0x2a0\n"
					 "  二进制  010101010  101010101  010101010  101011001  001010100000\n"));
	assert_non_null(strstr(s->out.s, "-> 物理页 7 ["));
	assert_non_null(strstr(s->out.s, "物理地址 0x72a0 = 物理页 7 + 页内偏移 0x2a0"));
	assert_no_english("translate", s->out.s, english);
	OK(s, "pt");
	assert_non_null(strstr(s->out.s, "0x555555559000  物理页  7     P W U A D NX\n"));
	assert_no_english("pt", s->out.s, english);
	OK(s, "swap");
	assert_string_equal(s->out.s, "swap：已用 0 个槽，共 64 个\n");
	FAILS(s, "expect rss == 1G", "expect rss == 1G 不成立：rss 实际是 20K");
	assert_no_english("expect", s->err, english);
	FAILS(s, "x = (1", "'(1' 缺少 ')'");
	FAILS(s, "help bogus", "它不是命令");
	OK(s, "read 0x10");
	assert_string_equal(s->out.s, "段错误：进程 100 访问 0x10 时被杀死（地址不在任何 VMA 中）\n");
	session_free(s);

	/* glibc's abort: its own message stays English, as on a terminal. */
	s = new_session(32, 64, POLICY_CLOCK);
	s->lang = LANG_ZH;
	OK(s, "p = malloc(10)");
	OK(s, "free(p)");
	OK(s, "free(p)");
	assert_string_equal(s->out.s, "free(): double free detected in tcache 2\n"
				      "已放弃（Aborted）：进程 100 被 SIGABRT 杀死（glibc 发现堆被破坏）\n");
	session_free(s);

	s = new_session(16, 4, POLICY_CLOCK);
	s->lang = LANG_ZH;
	OK(s, "set overcommit 1"); /* let the 1 MiB through, so touching it runs out */
	OK(s, "p = malloc(1M)");
	OK(s, "touch p");
	assert_int_equal(s->last_fault, FAULT_OOM);
	assert_non_null(strstr(s->out.s, "内存耗尽：进程 100 访问 0x"));
	assert_no_english("OOM", s->out.s, english);
	session_free(s);

	/* An OOM inside malloc (writing a chunk header) kills like any
	 * other access, and says where. */
	s = new_session(8, 0, POLICY_CLOCK);
	s->lang = LANG_ZH;
	OK(s, "set overcommit 1");
	OK(s, "m = mmap(64K, rw)");
	OK(s, "touch m 16K");
	OK(s, "malloc 16");
	assert_non_null(strstr(s->out.s, "内存耗尽：进程 100 访问 0x555555559"));
	session_free(s);
}

static void test_set_and_reset(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(10)");
	OK(s, "set policy fifo");
	assert_int_equal(s->vm->policy->kind, POLICY_FIFO);
	OK(s, "q = 1");
	OK(s, "fork");
	OK(s, "set frames 64");
	/* One line that says what the restart threw away. */
	assert_string_equal(s->out.s, "machine restarted with 64 frames and 64 swap slots: "
				      "2 processes and the variables p, q are gone\n");
	assert_int_equal(s->vm->nframes, 64);
	assert_int_equal(s->vm->policy->kind, POLICY_FIFO); /* kept across the restart */
	FAILS(s, "free(p)", "unknown variable");          /* variables went with it */
	OK(s, "spawn ls");
	assert_int_equal(s->vm->nprocs, 2);
	OK(s, "reset");
	assert_int_equal(s->vm->nprocs, 1);
	assert_int_equal(s->vm->cur, 100);
	session_free(s);
}

/* The prompt's machine (vm_config_repl): a student's first malloc(1M) and
 * touch never swap, 8 MiB of touching does, visibly, and nothing is killed. */
static uint64_t swapouts_after_touch(const char *size, uint64_t *oom)
{
	struct vm_config cfg;
	vm_config_repl(&cfg);
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	char line[64];
	snprintf(line, sizeof line, "p = malloc(%s)", size);
	OK(s, line);
	OK(s, "touch p");
	uint64_t n = s->vm->swapouts;
	*oom = s->vm->ooms;
	session_free(s);
	return n;
}

static void test_prompt_machine(void **state)
{
	(void)state;
	uint64_t oom;
	assert_int_equal(swapouts_after_touch("1M", &oom), 0);
	assert_int_equal(oom, 0);
	assert_int_equal(swapouts_after_touch("7M", &oom), 0);
	assert_int_equal(oom, 0);
	assert_true(swapouts_after_touch("8M", &oom) >= 100);
	assert_int_equal(oom, 0);
	/* Swap is half the RAM: 11M still fits, 12M is an OOM kill. */
	assert_int_equal(swapouts_after_touch("11M", &oom), 900);
	assert_int_equal(oom, 0);
	swapouts_after_touch("12M", &oom);
	assert_int_equal(oom, 1);
	struct vm_config cfg;
	vm_config_repl(&cfg);
	assert_int_equal(cfg.frames, 2048);   /* 8 MiB of RAM */
	/* The scenarios' machine is untouched: their transcripts depend on it. */
	vm_config_default(&cfg);
	assert_int_equal(cfg.frames, 32);
	assert_int_equal(cfg.swap_slots, 64);
}

static void test_run_transcript_and_status(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	char script[] = "p = malloc(16)\n\n# comment\np[0] = 1\nexpect p[0] == 2\nps\n";
	FILE *in = fmemopen(script, strlen(script), "r");
	char *out_text = NULL, *err_text = NULL;
	size_t out_len = 0, err_len = 0;
	FILE *out = open_memstream(&out_text, &out_len), *err = open_memstream(&err_text, &err_len);
	struct run_options o = {.check = true, .max_events = 40};
	assert_int_equal(run_script(s, in, "t.vmm", out, err, &o), 1);
	fclose(in);
	fclose(out);
	fclose(err);
	assert_non_null(strstr(out_text, "> p = malloc(16)\n"));
	assert_non_null(strstr(out_text, "p = 0x5555555592a0\n"));
	assert_non_null(strstr(out_text, "  PID NAME"));
	assert_string_equal(err_text, "t.vmm:5: expect p[0] == 2 failed: p[0] is 1\n");
	free(out_text);
	free(err_text);
	session_free(s);
}

/* expect's names work inside values, so a script can check a change; a
 * variable of the same name wins. */
static void test_names_in_values(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	OK(s, "m0 = minflt");
	OK(s, "v0 = vsz");
	OK(s, "r0 = rss");
	OK(s, "p = mmap(64K)");
	OK(s, "expect vsz - v0 == 64K");
	OK(s, "expect rss - r0 == 0");
	OK(s, "touch p 8K");
	OK(s, "expect minflt - m0 == 2");
	OK(s, "expect rss == r0 + 8K");
	OK(s, "r1 = rss");
	OK(s, "munmap p");
	OK(s, "expect vsz - v0 == 0");
	OK(s, "expect rss - r1 == -8K");
	FAILS(s, "expect minflt - m0 == 3", "expect minflt - m0 == 3 failed: minflt - m0 is 2");
	OK(s, "rss = 5");
	OK(s, "expect rss + 1 == 6");
	FAILS(s, "x = vsz[0]", "unknown variable 'vsz'");
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_c_like_and_plain_forms_agree), cmocka_unit_test(test_values_and_sizes),
		cmocka_unit_test(test_bad_input_changes_nothing),    cmocka_unit_test(test_expect_forms),
		cmocka_unit_test(test_say_picks_language),          cmocka_unit_test(test_errors_in_chinese),
		cmocka_unit_test(test_output_in_chinese),           cmocka_unit_test(test_set_and_reset),
		cmocka_unit_test(test_run_transcript_and_status),   cmocka_unit_test(test_bare_values_print),
		cmocka_unit_test(test_names_in_values),            cmocka_unit_test(test_prompt_machine),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
