/* test_trace_script.c - a trace becomes a scenario the screen can play, and
 * the scenario runs through the one command parser. */
#include "testutil.h"

#include <stdlib.h>

#include "trace.h"

static void test_trace_becomes_playable_script(void **state)
{
	(void)state;
	struct trace t = {0};
	static const uint64_t pages[] = {900, 5, 900, 77, 5};
	for (size_t i = 0; i < 5; i++)
		assert_true(trace_append(&t, pages[i]));
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	assert_int_equal(trace_write_script(&t, "x.txt", 4, 4096, 0, false, out), 0);
	fclose(out);
	/* three distinct pages among the first four accesses, in page order */
	assert_non_null(strstr(text, "# title: trace x.txt (4 of 5 accesses, 3 pages)\n"));
	assert_non_null(strstr(text, "t = mmap(12288)\ntouch t+0x2000 1\ntouch t+0x0 1\ntouch t+0x2000 1\ntouch t+0x1000 1\n"));
	assert_null(strstr(text, "touch t+0x0 1\n\n"));
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	char *line = strtok(text, "\n");
	int steps = 0;
	for (; line; line = strtok(NULL, "\n"), steps++)
		OK(s, line);
	assert_int_equal(steps, 8);
	assert_int_equal(cur(s)->minflt, 1 + 3); /* startup, then one per distinct page */
	free(text);
	session_free(s);
	trace_free(&t);
	struct trace empty = {0};
	assert_int_equal(trace_write_script(&empty, "e", 10, 4096, 2, false, stdout), -1);
}

/* With a table: the accesses become a reference string (pages named 1 2 3
 * in page order, declared over several lines when long) and a `ref` each;
 * played through the parser, the table's faults are `vmviz trace`'s. */
static void test_trace_becomes_reference_string(void **state)
{
	(void)state;
	struct trace t = {0};
	for (uint32_t i = 0; i < 250; i++)
		assert_true(trace_append(&t, 1000 + (i * 7) % 9));
	assert_true(trace_prepare(&t));
	for (int opt = 0; opt <= 1; opt++) {
		char *text = NULL;
		size_t len = 0;
		FILE *out = open_memstream(&text, &len);
		assert_int_equal(trace_write_script(&t, "x.txt", 5000, 4096, 3, opt, out), 0);
		fclose(out);
		assert_non_null(strstr(text, "t = mmap(36864)\nrefs t 3 1 8 6 "));
		assert_non_null(strstr(text, "\nrefs + "));
		assert_true((strstr(text, "set policy opt\n") != NULL) == opt);
		struct session *s = new_session(64, 64, POLICY_LRU);
		for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
			OK(s, line);
		struct trace_run run;
		assert_true(trace_replay(&t, opt ? TRACE_OPT : TRACE_LRU, 3, &run));
		assert_int_equal(s->refs.done, 250);
		assert_int_equal(refstring_faults(&s->refs, 250), run.faults);
		free(text);
		session_free(s);
	}
	trace_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_trace_becomes_playable_script),
					   cmocka_unit_test(test_trace_becomes_reference_string)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
