/* test_ui_parts.c - the screen's parts that need no terminal: scenario
 * steps and titles, the asciicast writer (JSON escaping, UTF-8 cut across
 * reads), the event log ring and its narration, the model's change set,
 * the moments a playback step puts in its banner, and the word wrapping of
 * help and long command output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <locale.h>
#include <cmocka.h>

#include "draw.h"
#include "log.h"
#include "model.h"
#include "moments.h"
#include "record.h"
#include "script.h"

static void test_script_steps(void **state)
{
	(void)state;
	struct script sc;
	const char *text = "# title: Demand paging / 按需分配\n"
			   "# a comment\n"
			   "\n"
			   "say \"hello\" zh \"你好\"\n"
			   "   p = malloc(8192)   \n"
			   "// another comment\n"
			   "\t\n"
			   "p[0] = 1\n"
			   "# title: not this one\n"
			   "expect rss == 24K";
	assert_int_equal(script_parse(&sc, text, "x.vmm"), 0);
	assert_string_equal(sc.title, "Demand paging / 按需分配");
	assert_int_equal(sc.nlines, 4);
	assert_string_equal(sc.lines[0], "say \"hello\" zh \"你好\"");
	assert_string_equal(sc.lines[1], "p = malloc(8192)");
	assert_string_equal(sc.lines[2], "p[0] = 1");
	assert_string_equal(sc.lines[3], "expect rss == 24K");
	assert_int_equal(sc.lineno[0], 4);
	assert_int_equal(sc.lineno[1], 5);
	assert_int_equal(sc.lineno[2], 8);
	assert_int_equal(sc.lineno[3], 10);
	script_free(&sc);
	/* No title line: the file's name. */
	assert_int_equal(script_parse(&sc, "ps\n", "scenarios/07-malloc.vmm"), 0);
	assert_string_equal(sc.title, "07-malloc.vmm");
	assert_int_equal(sc.nlines, 1);
	script_free(&sc);
}

/* A slide is what the audience sees change: captions and commands each
 * make one; checks and pauses ride with the slide before them, and any
 * before the first visible line ride with the first slide. */
static void test_script_slides(void **state)
{
	(void)state;
	struct script sc;
	const char *text = "expect rss == 0\n"        /* 0: rides with slide 0 */
			   "say \"a\"\n"               /* 1: slide 0 */
			   "p = malloc(10)\n"           /* 2: slide 1 */
			   "expect vsz == 1\n"          /* 3 */
			   "pause\n"                    /* 4 */
			   "  expect(rss == 0)\n"       /* 5 */
			   "sayings = malloc(1)\n"      /* 6: a variable, not say */
			   "say \"b\"\n"               /* 7: slide 3 */
			   "pause";                     /* 8 */
	assert_int_equal(script_parse(&sc, text, "x.vmm"), 0);
	assert_int_equal(sc.nlines, 9);
	assert_int_equal(sc.kind[0], LINE_SILENT);
	assert_int_equal(sc.kind[1], LINE_SAY);
	assert_int_equal(sc.kind[2], LINE_COMMAND);
	assert_int_equal(sc.kind[4], LINE_SILENT);
	assert_int_equal(sc.kind[5], LINE_SILENT);
	assert_int_equal(sc.kind[6], LINE_COMMAND);
	assert_int_equal(sc.nslides, 4);
	int want_start[] = {0, 2, 6, 7};
	int want_end[] = {2, 6, 7, 9};
	for (int k = 0; k < 4; k++) {
		assert_int_equal(sc.slide_start[k], want_start[k]);
		assert_int_equal(script_slide_end(&sc, k), want_end[k]);
	}
	script_free(&sc);
	/* A long reference string is one declaration over several lines: one slide. */
	assert_int_equal(script_parse(&sc, "refs t 3 1 2\nrefs + 3 1\n  refs + 2\nrefsx + 1\nref\n", "x.vmm"), 0);
	assert_int_equal(sc.kind[0], LINE_COMMAND);
	assert_int_equal(sc.kind[1], LINE_SILENT);
	assert_int_equal(sc.kind[2], LINE_SILENT);
	assert_int_equal(sc.kind[3], LINE_COMMAND);
	assert_int_equal(sc.kind[4], LINE_COMMAND);
	assert_int_equal(sc.nslides, 3);
	script_free(&sc);
	/* Only checks: still one slide to play them. */
	assert_int_equal(script_parse(&sc, "expect rss == 0\n", "x.vmm"), 0);
	assert_int_equal(sc.nslides, 1);
	assert_int_equal(script_slide_end(&sc, 0), 1);
	script_free(&sc);
}

static void test_script_load(void **state)
{
	(void)state;
	char path[] = "/tmp/vmviz-test-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	const char *text = "# title: T\nps\n\nmaps\n";
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	struct script sc;
	char err[200];
	assert_int_equal(script_load(&sc, path, err, sizeof err), 0);
	assert_int_equal(sc.nlines, 2);
	assert_int_equal(sc.nslides, 2);
	assert_string_equal(sc.title, "T");
	script_free(&sc);
	/* Only comments: nothing to play is an error, and says so. */
	FILE *f = fopen(path, "w");
	fputs("# title: empty\n# nothing\n", f);
	fclose(f);
	assert_int_equal(script_load(&sc, path, err, sizeof err), -1);
	assert_non_null(strstr(err, "no commands"));
	unlink(path);
	assert_int_equal(script_load(&sc, "/nonexistent/x.vmm", err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot open"));
}

static char *slurp(FILE *f)
{
	fflush(f);
	long n = ftell(f);
	char *buf = calloc(1, (size_t)n + 1);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	return buf;
}

static void test_json_escape(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	const char in[] = "a\"b\\c\n\r\t\x1b[0m\x7f中";
	json_escape(f, (const unsigned char *)in, strlen(in));
	char *out = slurp(f);
	assert_string_equal(out, "a\\\"b\\\\c\\n\\r\\t\\u001b[0m\\u007f中");
	free(out);
	fclose(f);
}

static void test_cast_utf8_cut(void **state)
{
	(void)state;
	char path[] = "/tmp/vmviz-cast-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	struct cast c;
	assert_int_equal(cast_open(&c, path, 100, 30, "vmviz \"demo\""), 0);
	/* "中" is e4 b8 ad: the first read ends inside it. */
	const unsigned char a[] = {'x', 0xe4, 0xb8};
	const unsigned char b[] = {0xad, 'y'};
	cast_output(&c, a, sizeof a);
	cast_output(&c, b, sizeof b);
	cast_resize(&c, 120, 40);
	assert_int_equal(cast_close(&c), 0);
	FILE *f = fopen(path, "r");
	char line[512];
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(strstr(line, "{\"version\": 2, \"width\": 100, \"height\": 30, \"timestamp\": "));
	assert_non_null(strstr(line, "\"title\": \"vmviz \\\"demo\\\"\""));
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(strstr(line, ", \"o\", \"x\"]"));       /* the cut character waits */
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(strstr(line, ", \"o\", \"中y\"]"));     /* and comes whole */
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(strstr(line, ", \"r\", \"120x40\"]"));
	assert_null(fgets(line, sizeof line, f));
	fclose(f);
	unlink(path);
}

static void test_log_ring(void **state)
{
	(void)state;
	struct logbuf b;
	assert_int_equal(log_init(&b, 3), 0);
	log_add(&b, R_NORMAL, 0, "one");
	log_add(&b, R_ERROR, 2, "two");
	assert_int_equal(b.n, 2);
	assert_string_equal(log_get(&b, 0)->text, "one");
	assert_int_equal(log_get(&b, 1)->role, R_ERROR);
	assert_int_equal(log_get(&b, 1)->indent, 2);
	log_add(&b, R_NORMAL, 0, "three");
	log_add(&b, R_NORMAL, 0, "four");       /* the oldest makes room */
	assert_int_equal(b.n, 3);
	assert_string_equal(log_get(&b, 0)->text, "two");
	assert_string_equal(log_get(&b, 2)->text, "four");
	assert_null(log_get(&b, 3));
	log_clear(&b);
	assert_int_equal(b.n, 0);
	log_free(&b);
}

static bool log_has(const struct logbuf *b, const char *needle)
{
	for (size_t i = 0; i < b->n; i++)
		if (strstr(log_get(b, i)->text, needle))
			return true;
	return false;
}

/* The narration of a first write follows the page-fault flow. */
static void test_narration_and_changes(void **state)
{
	(void)state;
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.frames = 32;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	struct logbuf b;
	assert_int_equal(log_init(&b, 200), 0);
	assert_int_equal(session_exec(s, "p = malloc(8192)"), 0);
	assert_int_equal(session_exec(s, "p[4096] = 1"), 0);
	log_command(&b, s, "p[4096] = 1", 0);
	assert_true(log_has(&b, "p[4096] = 1"));
	assert_true(log_has(&b, "minor fault"));
	assert_true(log_has(&b, "allocated"));
	assert_true(log_has(&b, "PTE set: page 0x55555555a000"));
	/* What changed: one frame, the PTE of page 0x55555555a, the access. */
	struct model m;
	model_init(&m);
	assert_int_equal(model_read(&m, s, s->first_event, s->vm->log.next_seq), 0);
	assert_non_null(m.proc);
	assert_int_equal(m.proc->pid, 100);
	assert_true(m.chg.nframes >= 1);
	assert_true(m.chg.focus_frame >= 0);
	assert_int_equal(m.chg.frame[m.chg.focus_frame], 1);
	assert_int_equal(s->vm->frames[m.chg.focus_frame].kind, FRAME_ANON);
	assert_true(model_vpn_changed(&m, 0x55555555a));
	assert_false(model_vpn_changed(&m, 0x555555559));
	assert_true(m.chg.touched);
	assert_int_equal(m.chg.touch_va, 0x55555555a2a0);
	int vi = model_vma_at(m.proc, m.chg.touch_va);
	assert_true(vi >= 0);
	assert_true(m.proc->vmas[vi].flags & VMA_HEAP);
	assert_true(m.vma_res[vi] >= 2);     /* the page just written and malloc's */
	/* The PTE list is in address order and has the new page. */
	bool found = false;
	for (size_t i = 0; i < m.npte; i++) {
		if (i)
			assert_true(m.pte[i - 1].vpn < m.pte[i].vpn);
		if (m.pte[i].vpn == 0x55555555a)
			found = PTE_PRESENT(m.pte[i].pte);
	}
	assert_true(found);
	/* Nothing changed: an empty range highlights nothing. */
	assert_int_equal(model_read(&m, s, s->vm->log.next_seq, s->vm->log.next_seq), 0);
	assert_int_equal(m.chg.nframes, 0);
	assert_int_equal(m.chg.focus_frame, -1);
	model_free(&m);
	log_free(&b);
	session_free(s);
}

/* A command with more events than the ring keeps says so in the log. */
static void test_log_says_events_were_dropped(void **state)
{
	(void)state;
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.frames = 4096;
	cfg.swap_slots = 16384;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	struct logbuf b;
	assert_int_equal(log_init(&b, 1000), 0); /* room for all the log keeps of one command */
	assert_int_equal(session_exec(s, "p = malloc(64M)"), 0);
	assert_int_equal(session_exec(s, "touch p"), 0);
	assert_true(s->first_event < event_oldest(&s->vm->log));
	log_events(&b, s);
	assert_true(log_has(&b, "earlier events no longer kept"));
	log_clear(&b);
	assert_int_equal(session_exec(s, "p[0] = 1"), 0);
	log_events(&b, s);
	assert_false(log_has(&b, "no longer kept"));
	log_free(&b);
	session_free(s);
}

/* Wraps s into rows of w columns as the output pane does (continuation
 * rows hang at text_hang's column), each row joined by '|'. */
static void wrap_rows(const char *s, int w, int min_room, char *out, size_t size)
{
	int hang = text_hang(s, w, min_room), indent = 0;
	size_t n = 0;
	out[0] = 0;
	while (*s && n + 1 < size) {
		size_t k = text_wrap(s, w - indent);
		assert_true(k > 0);
		n += (size_t)snprintf(out + n, size - n, "%s%*s%.*s", n ? "|" : "", indent, "", (int)k, s);
		s += k;
		while (*s == ' ')
			s++;
		indent = hang;
	}
}

static void test_text_wrap(void **state)
{
	(void)state;
	setlocale(LC_ALL, "C.UTF-8");
	char out[512];
	/* Fits: one row. */
	assert_int_equal(text_wrap("short", 10), 5);
	/* Words stay whole; the space at the cut is left behind. */
	assert_int_equal(text_wrap("hello brave new world", 12), 12);
	wrap_rows("hello brave new world", 12, 4, out, sizeof out);
	assert_string_equal(out, "hello brave |  new world");
	/* A help row hangs under its description column, not at column 0
	 * ("...mmap at or abov|e" was the old cut). */
	wrap_rows("   malloc SIZE    allocate like glibc: brk heap below 128K, mmap at or above",
		  50, 16, out, sizeof out);
	assert_string_equal(out, "   malloc SIZE    allocate like glibc: brk heap |"
				 "                  below 128K, mmap at or above");
	/* A maps row whose path column is too narrow: the path moves whole to
	 * a row of its own rather than into a thin strip. */
	wrap_rows("7ffff7dd3000-7ffff7df9000 r--p 00000000 fe:00 332835                     "
		  "/usr/lib/x86_64-linux-gnu/libc.so.6", 98, 98 / 3, out, sizeof out);
	assert_string_equal(out, "7ffff7dd3000-7ffff7df9000 r--p 00000000 fe:00 332835                     |"
				 "  /usr/lib/x86_64-linux-gnu/libc.so.6");
	/* No space in the second half: a path breaks after a '/'. */
	assert_int_equal(text_wrap("/usr/lib/x86_64-linux-gnu/libc.so.6", 30), 26);
	/* Chinese has no spaces: cut between characters, never inside one. */
	size_t k = text_wrap("每个物理页都被映射了两次", 9);
	assert_int_equal(k, 4 * 3);
	/* A word longer than the row is cut where the row ends. */
	assert_int_equal(text_wrap("abcdefghijklmnop", 5), 5);
	/* Nothing fits: one character anyway, so a wrap always advances. */
	assert_int_equal(text_wrap("中文", 1), 3);
	assert_int_equal(text_wrap("ab", 0), 1);
	/* Hang: past the last wide gap; else the indentation plus two. */
	assert_int_equal(text_hang("  ps   list processes", 40, 10), 7);
	assert_int_equal(text_hang("    no gaps here at all", 40, 10), 6);
	assert_int_equal(text_hang("x", 4, 10), 0);
}

/* Runs line on s and reads its moments, names taken before it ran. */
static void step_moments(struct session *s, const char *line, struct moments *m, enum lang lang)
{
	struct proc_names pn;
	moments_names(s->vm, &pn);
	uint64_t from = s->vm->log.next_seq;
	session_exec(s, line);
	moments_read(m, s->vm, from, s->vm->log.next_seq, &pn, lang);
}

/* Each moment has its banner, on the step it happened and no other; a
 * process that left is named with why. */
static void test_moments(void **state)
{
	(void)state;
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.frames = 32;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	struct moments m;
	step_moments(s, "p = malloc(64)", &m, LANG_EN);
	assert_string_equal(m.banner, "");
	assert_int_equal(m.ngone, 0);
	step_moments(s, "free p", &m, LANG_EN);
	assert_string_equal(m.banner, "");
	step_moments(s, "free p", &m, LANG_EN);
	assert_string_equal(m.banner, "SIGABRT: glibc found its heap corrupted, process 100 aborted");
	assert_int_equal(m.role, R_ERROR);
	assert_int_equal(m.ngone, 1);
	assert_int_equal(m.gone[0].pid, 100);
	assert_string_equal(m.gone[0].name, "a.out");
	assert_string_equal(moments_gone_word(&m.gone[0], LANG_EN), "killed: SIGABRT");
	/* fork, then a write in the child: one copy; its exit */
	assert_int_equal(session_exec(s, "spawn a.out"), 0);
	assert_int_equal(session_exec(s, "p = malloc(64)"), 0);
	assert_int_equal(session_exec(s, "p[0] = 1"), 0);
	step_moments(s, "c = fork()", &m, LANG_EN);
	assert_string_equal(m.banner, "");
	assert_int_equal(session_exec(s, "proc c"), 0);
	step_moments(s, "p[0] = 2", &m, LANG_ZH);
	assert_string_equal(m.banner, "写时复制：复制了 1 页");
	assert_int_equal(m.role, R_WARN);
	step_moments(s, "exit", &m, LANG_EN);
	assert_int_equal(m.ngone, 1);
	assert_string_equal(m.gone[0].name, "a.out");
	assert_non_null(strstr(m.banner, "exited"));
	/* a wild write: SIGSEGV, with the address and why */
	step_moments(s, "write 0x10 1", &m, LANG_EN);
	assert_string_equal(m.banner, "SIGSEGV: process 101 killed (0x10, no mapping)");
	assert_string_equal(moments_gone_word(&m.gone[0], LANG_EN), "killed: SIGSEGV");
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_script_steps),
		cmocka_unit_test(test_script_load),
		cmocka_unit_test(test_script_slides),
		cmocka_unit_test(test_moments),
		cmocka_unit_test(test_json_escape),
		cmocka_unit_test(test_cast_utf8_cut),
		cmocka_unit_test(test_log_ring),
		cmocka_unit_test(test_narration_and_changes),
		cmocka_unit_test(test_log_says_events_were_dropped),
		cmocka_unit_test(test_text_wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
