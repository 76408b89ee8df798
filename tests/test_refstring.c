/* test_refstring.c - the reference-string table: each access's outcome and
 * the frames' contents, as textbooks print them, from the trace simulator;
 * the refs/ref commands and set policy opt. */
#include "testutil.h"

#include <stdlib.h>

#include "commands.h"
#include "refstring.h"

static const uint32_t belady[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
#define BELADY_N (sizeof belady / sizeof *belady)

static struct refstring start(enum trace_policy pol, uint32_t frames, const uint32_t *pages, uint32_t n)
{
	struct refstring rs = {0};
	assert_int_equal(refstring_start(&rs, 100, 0x10000, 4096, frames, pol, pages, n), 0);
	rs.done = n;
	return rs;
}

/* The textbook table of FIFO on Belady's string with 3 frames (Silberschatz
 * fig. 10.12 style): frame rows after each access, 0 for empty. */
static void test_fifo_belady_table(void **state)
{
	(void)state;
	static const uint64_t rows[3][BELADY_N] = {
		{1, 1, 1, 4, 4, 4, 5, 5, 5, 5, 5, 5},
		{0, 2, 2, 2, 1, 1, 1, 1, 1, 3, 3, 3},
		{0, 0, 3, 3, 3, 2, 2, 2, 2, 2, 4, 4},
	};
	static const bool fault[BELADY_N] = {1, 1, 1, 1, 1, 1, 1, 0, 0, 1, 1, 0};
	struct refstring rs = start(TRACE_FIFO, 3, belady, BELADY_N);
	for (uint32_t i = 0; i < BELADY_N; i++) {
		assert_int_equal(rs.steps[i].fault, fault[i]);
		for (uint32_t f = 0; f < 3; f++) {
			uint64_t got = rs.contents[i * 3 + f];
			assert_int_equal(got == TRACE_NO_PAGE ? 0 : got, rows[f][i]);
		}
	}
	assert_int_equal(rs.steps[3].evicted, 1); /* page 4 pushes out page 1 */
	assert_int_equal(rs.steps[0].evicted, TRACE_NO_PAGE);
	assert_int_equal(refstring_faults(&rs, BELADY_N), 9);
	assert_int_equal(refstring_faults(&rs, 7), 7);
	refstring_clear(&rs);
	rs = start(TRACE_FIFO, 4, belady, BELADY_N);
	assert_int_equal(refstring_faults(&rs, BELADY_N), 10); /* the anomaly */
	refstring_clear(&rs);
}

static void test_policies_on_belady(void **state)
{
	(void)state;
	/* Textbook counts: LRU 10 with 3 frames, 8 with 4; OPT 7 and 6. */
	static const struct { enum trace_policy p; uint32_t frames, faults; } want[] = {
		{TRACE_LRU, 3, 10}, {TRACE_LRU, 4, 8}, {TRACE_OPT, 3, 7}, {TRACE_OPT, 4, 6},
	};
	for (size_t k = 0; k < sizeof want / sizeof *want; k++) {
		struct refstring rs = start(want[k].p, want[k].frames, belady, BELADY_N);
		assert_int_equal(refstring_faults(&rs, BELADY_N), want[k].faults);
		refstring_clear(&rs);
	}
	/* OPT on 3 frames at access 4 evicts page 3 (next used last). */
	struct refstring rs = start(TRACE_OPT, 3, belady, BELADY_N);
	assert_int_equal(rs.steps[3].evicted, 3);
	assert_int_equal(refstring_set_policy(&rs, TRACE_FIFO), 0);
	assert_int_equal(refstring_faults(&rs, BELADY_N), 9);
	refstring_clear(&rs);
}

/* The stepped replay is the same simulator as `vmviz trace`: on random
 * strings its counts equal trace_replay's for every policy. */
static void test_steps_agree_with_trace_replay(void **state)
{
	(void)state;
	srand(7);
	for (int round = 0; round < 200; round++) {
		uint32_t n = 1 + (uint32_t)(rand() % 60), pages[60];
		uint32_t frames = 1 + (uint32_t)(rand() % 6);
		struct trace t = {0};
		for (uint32_t i = 0; i < n; i++) {
			pages[i] = 1 + (uint32_t)(rand() % 9);
			assert_true(trace_append(&t, pages[i]));
		}
		assert_true(trace_prepare(&t));
		for (int p = 0; p < TRACE_POLICY_COUNT; p++) {
			struct trace_run run;
			assert_true(trace_replay(&t, (enum trace_policy)p, frames, &run));
			struct refstring rs = start((enum trace_policy)p, frames, pages, n);
			assert_int_equal(refstring_faults(&rs, n), run.faults);
			/* The page just accessed is resident after every access. */
			for (uint32_t i = 0; i < n; i++) {
				bool found = false;
				for (uint32_t f = 0; f < frames; f++)
					found |= rs.contents[(size_t)i * frames + f] == pages[i];
				assert_true(found);
			}
			refstring_clear(&rs);
		}
		trace_free(&t);
	}
}

static void test_refs_commands(void **state)
{
	(void)state;
	struct session *s = new_session(5, 64, POLICY_FIFO);
	FAILS(s, "set policy opt", "OPT needs the future");
	assert_int_equal(s->vm->policy->kind, POLICY_FIFO);
	FAILS(s, "ref", "no reference string");
	OK(s, "p = mmap(20K)");
	FAILS(s, "refs p 0 1 2", "frames must be 1 to 16");
	FAILS(s, "refs p 3 1 x", "'x' is not a page number");
	FAILS(s, "refs p 3 1 99", "page 99");
	FAILS(s, "refs p 3 0", "'0' is not a page number");
	assert_false(s->refs.active);
	OK(s, "refs p 3 1 2 3 4 1 2");
	FAILS(s, "refs + 99", "page 99");
	OK(s, "refs + 5 1 2 3 4 5");
	assert_int_equal(s->refs.t.count, BELADY_N);
	uint64_t f0 = cur(s)->minflt + cur(s)->majflt;
	for (uint32_t i = 0; i < BELADY_N; i++)
		OK(s, "ref");
	FAILS(s, "ref", "done (12 accesses)");
	/* The machine (3 frames for the program, its start-up pages oldest)
	 * faulted where the table did, and each page holds its number. */
	assert_int_equal(cur(s)->minflt + cur(s)->majflt - f0, 9);
	OK(s, "expect table_faults == 9");
	OK(s, "expect p[16384] == 5");
	OK(s, "expect p[0] == 1");
	OK(s, "set policy opt");
	OK(s, "expect table_policy == opt");
	OK(s, "expect policy == fifo"); /* the machine cannot run OPT */
	OK(s, "expect table_faults == 7");
	OK(s, "set policy lru");
	OK(s, "expect table_faults == 10");
	OK(s, "reset");
	assert_false(s->refs.active);
	FAILS(s, "set policy opt", "OPT needs the future");
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fifo_belady_table),
		cmocka_unit_test(test_policies_on_belady),
		cmocka_unit_test(test_steps_agree_with_trace_replay),
		cmocka_unit_test(test_refs_commands),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
