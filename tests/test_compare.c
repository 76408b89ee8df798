/* test_compare.c - the compare command and its data: two page tables merged
 * by virtual page (same frame, different frames, one side only), the
 * command's state and errors, and each process's own last MMU walk. */
#include "testutil.h"

#include <stdlib.h>

#include "compare.h"

static const struct cmp_row *row_of(const struct compare *c, uint64_t va)
{
	long i = compare_find(c, va >> 12);
	assert_true(i >= 0);
	return &c->rows[i];
}

static void read_pair(struct compare *c, struct session *s, int a, int b)
{
	int pids[2] = {a, b};
	assert_int_equal(compare_read(c, s->vm, pids), 0);
	assert_true(c->on);
}

/* After fork every page of the child is the parent's frame; the child's
 * write copies just that page. */
static void test_fork_then_cow(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(64)");
	OK(s, "p[0] = 1");
	OK(s, "c = fork()");
	struct compare c;
	compare_init(&c);
	read_pair(&c, s, 100, 101);
	assert_int_equal(c.nrows, 5);
	assert_int_equal(c.nsame, 5);
	assert_int_equal(c.ndiff, 0);
	for (size_t i = 0; i < c.nrows; i++) {
		assert_int_equal(c.rows[i].link, LINK_SAME);
		assert_int_equal(PTE_NUM(c.rows[i].pte[0]), PTE_NUM(c.rows[i].pte[1]));
		assert_false(c.rows[i].pte[0] & PTE_W);  /* both lost W */
	}
	OK(s, "proc c");
	OK(s, "p[0] = 2");
	read_pair(&c, s, 100, 101);
	const struct cmp_row *heap = row_of(&c, var(s, "p"));
	assert_int_equal(heap->link, LINK_DIFF);
	assert_int_equal(PTE_NUM(heap->pte[0]), 7);
	assert_int_equal(PTE_NUM(heap->pte[1]), 8);
	assert_true(heap->pte[1] & PTE_W);
	assert_int_equal(c.nsame, 4);
	assert_int_equal(c.ndiff, 1);
	compare_free(&c);
	session_free(s);
}

/* Two runs of one program: the code page is one page-cache frame, the
 * heap, data and stack pages are each process's own. */
static void test_spawn_shares_only_the_file(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(64)");
	OK(s, "p[0] = 100");
	OK(s, "spawn a.out");
	OK(s, "q = malloc(64)");
	OK(s, "q[0] = 101");
	struct compare c;
	compare_init(&c);
	read_pair(&c, s, 100, 101);
	assert_int_equal(row_of(&c, var(s, "p"))->link, LINK_DIFF);
	assert_int_equal(row_of(&c, 0x555555555000)->link, LINK_SAME);
	assert_int_equal(row_of(&c, 0x7fffffffe000)->link, LINK_DIFF);
	assert_int_equal(c.nsame + c.ndiff, c.nrows);
	/* a page only one of them has: one side empty */
	OK(s, "proc 100");
	OK(s, "m = mmap(4K)");
	OK(s, "m[0] = 1");
	read_pair(&c, s, 100, 101);
	const struct cmp_row *only = row_of(&c, var(s, "m"));
	assert_int_equal(only->link, LINK_ONE);
	assert_true(PTE_PRESENT(only->pte[0]));
	assert_int_equal(only->pte[1], 0);
	/* a process that ended keeps its side, empty; both ended: off */
	OK(s, "kill 101");
	read_pair(&c, s, 100, 101);
	assert_null(c.proc[1]);
	assert_int_equal(c.nsame + c.ndiff, 0);
	int gone[2] = {101, 102};
	assert_int_equal(compare_read(&c, s->vm, gone), 0);
	assert_false(c.on);
	int off[2] = {0, 0};
	assert_int_equal(compare_read(&c, s->vm, off), 0);
	assert_false(c.on);
	compare_free(&c);
	session_free(s);
}

/* The command: bare after fork/spawn, by pid or variable, off; errors
 * change nothing; reset forgets it. */
static void test_command_state(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	FAILS(s, "compare", "no parent and child of a fork or spawn");
	assert_int_equal(s->compare[0], 0);
	OK(s, "p = malloc(64)");
	OK(s, "c = fork()");
	assert_int_equal(s->pair[0], 100);
	assert_int_equal(s->pair[1], 101);
	OK(s, "compare");
	assert_int_equal(s->compare[0], 100);
	assert_int_equal(s->compare[1], 101);
	assert_true(s->view);
	/* the table, one line per page, and the count */
	assert_non_null(strstr(s->out.s, "0x555555559000  frame 7 "));
	assert_non_null(strstr(s->out.s, "= frame 7 "));
	assert_non_null(strstr(s->out.s, "5 pages: 5 in the same frame (=), 0 in different"));
	FAILS(s, "compare 100 100", "two different processes");
	FAILS(s, "compare 100 999", "no process 999");
	FAILS(s, "compare 100", "usage: compare");
	FAILS(s, "compare 1 2 3", "usage: compare");
	assert_int_equal(s->compare[0], 100);
	assert_int_equal(s->compare[1], 101);
	OK(s, "compare c 100");
	assert_int_equal(s->compare[0], 101);
	assert_int_equal(s->compare[1], 100);
	OK(s, "compare off");
	assert_int_equal(s->compare[0], 0);
	OK(s, "spawn ls");
	assert_int_equal(s->pair[0], 100);
	assert_int_equal(s->pair[1], 102);
	OK(s, "compare");
	assert_int_equal(s->compare[1], 102);
	OK(s, "ps");
	assert_false(s->view);
	OK(s, "reset");
	assert_int_equal(s->compare[0], 0);
	assert_int_equal(s->pair[0], 0);
	assert_null(session_walk(s, 100));
	/* Chinese */
	OK(s, "set lang zh");
	FAILS(s, "compare", "没有 fork 或 spawn 留下的一对进程");
	OK(s, "c = fork()");
	OK(s, "compare");
	assert_non_null(strstr(s->out.s, "并排对比：进程 100（a.out）和进程 101（a.out）"));
	assert_non_null(strstr(s->out.s, "虚拟页          进程 100                    进程 101\n"));
	assert_non_null(strstr(s->out.s, "0x555555555000  物理页 2     P U A        = 物理页 2     P U\n"));
	assert_non_null(strstr(s->out.s, "共 4 个页：4 个在同一个物理页（=），0 个在不同的物理页或 swap 槽（≠）\n"));
	OK(s, "help compare");
	assert_non_null(strstr(s->out.s, "并排对比"));
	session_free(s);
}

/* Each process keeps its own last walk: a walk in one leaves the other's.
 * Stamps order them against the commands that logged events. */
static void test_walk_per_process(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(64)");
	OK(s, "p[0] = 1");
	const struct proc_walk *w100 = session_walk(s, 100);
	assert_non_null(w100);
	assert_int_equal(w100->w.va, var(s, "p"));
	OK(s, "c = fork()");
	OK(s, "proc c");
	OK(s, "p[8] = 2");
	const struct proc_walk *w101 = session_walk(s, 101);
	assert_non_null(w101);
	assert_int_equal(w101->w.va, var(s, "p") + 8);
	assert_int_equal(w101->w.fault, FAULT_MINOR);
	assert_int_equal(w101->w.pfn, 8);
	w100 = session_walk(s, 100);
	assert_int_equal(w100->w.va, var(s, "p"));
	assert_int_equal(w100->w.pfn, 7);
	assert_true(w101->stamp > w100->stamp);
	assert_int_equal(w101->stamp & 1, 1);  /* the write logged events */
	uint64_t changing = w101->stamp;
	/* a caption or a check makes no walk */
	OK(s, "say \"x\"");
	OK(s, "expect p[8] == 2");
	assert_int_equal(session_walk(s, 101)->stamp, changing);
	/* a quiet walk (translate logs nothing) sorts after the last command
	 * that logged events and before the next one */
	OK(s, "translate p+16");
	uint64_t quiet = session_walk(s, 101)->stamp;
	assert_int_equal(quiet & 1, 0);
	assert_true(quiet > changing);
	OK(s, "p[9] = 3");
	assert_true(session_walk(s, 101)->stamp > quiet);
	/* the same access again is a new walk, stamped anew */
	uint64_t before = session_walk(s, 101)->stamp;
	OK(s, "p[9] = 3");
	assert_true(session_walk(s, 101)->stamp > before);
	/* the parent's is still its own */
	assert_int_equal(session_walk(s, 100)->w.va, var(s, "p"));
	/* more processes than places: the oldest walk is forgotten */
	for (int i = 0; i < SESSION_WALKS + 1; i++) {
		OK(s, "spawn a.out");
		OK(s, "translate 0x7fffffffe000");
	}
	assert_null(session_walk(s, 100));
	assert_non_null(session_walk(s, s->vm->cur));
	session_free(s);
}

/* The same lines give the same compare state: what playback relies on to
 * show step N the same, forward or back. */
static void test_replay_rebuilds_the_view(void **state)
{
	(void)state;
	static const char *const lines[] = {
		"p = malloc(64)", "p[0] = 1", "c = fork()", "compare", "proc c", "p[0] = 2", "translate p",
	};
	struct session *a = new_session(32, 64, POLICY_CLOCK);
	struct session *b = new_session(32, 64, POLICY_CLOCK);
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++) {
		OK(a, lines[i]);
		OK(b, lines[i]);
	}
	assert_memory_equal(a->compare, b->compare, sizeof a->compare);
	for (int pid = 100; pid <= 101; pid++) {
		const struct proc_walk *x = session_walk(a, pid), *y = session_walk(b, pid);
		assert_non_null(x);
		assert_non_null(y);
		assert_int_equal(x->stamp, y->stamp);
		assert_int_equal(x->w.va, y->w.va);
		assert_int_equal(x->w.pfn, y->w.pfn);
		assert_int_equal(x->w.fault, y->w.fault);
	}
	session_free(a);
	session_free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fork_then_cow),         cmocka_unit_test(test_spawn_shares_only_the_file),
		cmocka_unit_test(test_command_state),         cmocka_unit_test(test_walk_per_process),
		cmocka_unit_test(test_replay_rebuilds_the_view),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
