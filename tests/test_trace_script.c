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

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_trace_becomes_playable_script)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
