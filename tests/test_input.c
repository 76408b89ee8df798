/* test_input.c - the bounded line reader (lines.c) and the command-line
 * number parser (number.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lines.h"
#include "number.h"

/* A source that hands out a string in pieces of `step` bytes, so lines
 * cross chunk boundaries, or endless NULs / 'x's when text is NULL. */
struct piecewise {
	const char *text;
	size_t len, pos, step;
	char fill;
	size_t reads;
};

static size_t piece_read(void *ctx, unsigned char *buf, size_t cap)
{
	struct piecewise *p = ctx;
	p->reads++;
	size_t n = p->step < cap ? p->step : cap;
	if (!p->text) {
		memset(buf, p->fill, n);
		return n;
	}
	if (n > p->len - p->pos)
		n = p->len - p->pos;
	memcpy(buf, p->text + p->pos, n);
	p->pos += n;
	return n;
}

static void test_lines_split_and_crlf(void **state)
{
	(void)state;
	const char *text = "one\r\ntwo\n\n  three  \nlast";
	for (size_t step = 1; step <= 8; step++) {
		struct piecewise p = {.text = text, .len = strlen(text), .step = step};
		struct lines l;
		assert_int_equal(lines_open(&l, piece_read, &p, 10), 0);
		const char *want[] = {"one", "two", "", "  three  ", "last"};
		for (size_t i = 0; i < 5; i++) {
			assert_int_equal(lines_next(&l), LINES_OK);
			assert_string_equal(l.text, want[i]);
			assert_int_equal(l.len, strlen(want[i]));
			assert_int_equal(l.number, i + 1);
		}
		assert_int_equal(lines_next(&l), LINES_END);
		assert_int_equal(lines_next(&l), LINES_END);
		assert_false(l.failed);
		lines_close(&l);
	}
}

static void test_lines_limit_is_exact(void **state)
{
	(void)state;
	struct piecewise ok = {.text = "12345\n123456\n", .len = 13, .step = 4};
	struct lines l;
	assert_int_equal(lines_open(&l, piece_read, &ok, 5), 0);
	assert_int_equal(lines_next(&l), LINES_OK);
	assert_string_equal(l.text, "12345");
	assert_int_equal(lines_next(&l), LINES_TOO_LONG);
	assert_int_equal(l.number, 2);
	assert_true(l.failed);
	char why[80];
	lines_why(&l, LINES_TOO_LONG, why, sizeof why);
	assert_string_equal(why, "line too long (at most 5 characters)");
	/* stopped: nothing more is read */
	assert_int_equal(lines_next(&l), LINES_END);
	lines_close(&l);
}

/* An endless line without a newline ends at the limit, after reading no
 * more than the limit allows (a few chunks), never the whole input. */
static void test_lines_endless_input_stops(void **state)
{
	(void)state;
	struct piecewise xs = {.fill = 'x', .step = LINES_CHUNK};
	struct lines l;
	assert_int_equal(lines_open(&l, piece_read, &xs, 1023), 0);
	assert_int_equal(lines_next(&l), LINES_TOO_LONG);
	assert_int_equal(xs.reads, 1);
	lines_close(&l);

	struct piecewise zeros = {.fill = '\0', .step = 7};
	assert_int_equal(lines_open(&l, piece_read, &zeros, 1023), 0);
	assert_int_equal(lines_next(&l), LINES_BINARY);
	assert_int_equal(zeros.reads, 1);
	assert_int_equal(l.number, 1);
	lines_close(&l);
}

static void test_lines_nul_inside_a_line(void **state)
{
	(void)state;
	static const char text[] = "ok\nbad\0rest\nnever\n";
	struct piecewise p = {.text = text, .len = sizeof text - 1, .step = 3};
	struct lines l;
	assert_int_equal(lines_open(&l, piece_read, &p, 100), 0);
	assert_int_equal(lines_next(&l), LINES_OK);
	assert_int_equal(lines_next(&l), LINES_BINARY);
	assert_int_equal(l.number, 2);
	char why[80];
	lines_why(&l, LINES_BINARY, why, sizeof why);
	assert_string_equal(why, "binary data (a NUL byte), not text");
	assert_int_equal(lines_next(&l), LINES_END);
	lines_close(&l);
}

static void test_number_decimal_with_suffixes(void **state)
{
	(void)state;
	uint64_t v;
	assert_true(number_parse("0", 10, &v));
	assert_int_equal(v, 0);
	assert_true(number_parse("010", 100, &v));
	assert_int_equal(v, 10); /* never octal */
	assert_true(number_parse("08", 100, &v));
	assert_int_equal(v, 8);
	assert_true(number_parse("4K", UINT64_MAX, &v));
	assert_int_equal(v, 4096);
	assert_true(number_parse("4k", UINT64_MAX, &v));
	assert_int_equal(v, 4096);
	assert_true(number_parse("2M", UINT64_MAX, &v));
	assert_int_equal(v, 2u << 20);
	assert_true(number_parse("3G", UINT64_MAX, &v));
	assert_int_equal(v, 3ull << 30);
	assert_true(number_parse("1T", UINT64_MAX, &v));
	assert_int_equal(v, 1ull << 40);
	assert_true(number_parse("18446744073709551615", UINT64_MAX, &v));
	assert_int_equal(v, UINT64_MAX);
	assert_true(number_parse("4G", 4ull << 30, &v));
}

static void test_number_refuses(void **state)
{
	(void)state;
	const char *bad[] = {"", "-5", "+5", " 5", "5 ", "0x10", "1e3", "5KB", "5Q", "K", "1.5",
			     "18446744073709551616", "16777216T", NULL};
	uint64_t v = 77;
	for (size_t i = 0; bad[i]; i++) {
		assert_false(number_parse(bad[i], UINT64_MAX, &v));
		assert_int_equal(v, 77); /* untouched */
	}
	assert_false(number_parse(NULL, 10, &v));
	assert_false(number_parse("11", 10, &v));
	assert_false(number_parse("1K", 1023, &v));
	assert_false(number_parse("4097M", 4ull << 30, &v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines_split_and_crlf),
		cmocka_unit_test(test_lines_limit_is_exact),
		cmocka_unit_test(test_lines_endless_input_stops),
		cmocka_unit_test(test_lines_nul_inside_a_line),
		cmocka_unit_test(test_number_decimal_with_suffixes),
		cmocka_unit_test(test_number_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
