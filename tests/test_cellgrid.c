/* test_cellgrid.c - the screenshot cell grid: ANSI parsing, text and SVG. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cellgrid.h"

/* Renders g through a writer into a malloc'd string. */
static char *render(const struct cellgrid *g, bool svg)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	int rc = svg ? cellgrid_write_svg(g, f, "t<1>") : cellgrid_write_text(g, f);
	assert_int_equal(rc, 0);
	fclose(f);
	return buf;
}

static char *ansi_to_text(const char *ansi, int cols)
{
	struct cellgrid *g = cellgrid_from_ansi(ansi, cols);
	assert_non_null(g);
	char *s = render(g, false);
	cellgrid_free(g);
	return s;
}

static void test_plain_lines(void **state)
{
	(void)state;
	struct cellgrid *g = cellgrid_from_ansi("ab\ncde\n", 0);
	assert_int_equal(g->rows, 2);
	assert_int_equal(g->cols, 3); /* the widest line */
	assert_int_equal(cellgrid_at(g, 0, 0)->ch, 'a');
	assert_int_equal(cellgrid_at(g, 0, 2)->ch, ' ');
	assert_int_equal(cellgrid_at(g, 1, 2)->ch, 'e');
	assert_int_equal(cellgrid_at(g, 1, 2)->fg, CELL_DEFAULT);
	assert_int_equal(cellgrid_at(g, 1, 2)->bg, CELL_DEFAULT);
	cellgrid_free(g);

	/* a last line without a newline still counts; given cols are kept */
	g = cellgrid_from_ansi("x\ny", 10);
	assert_int_equal(g->rows, 2);
	assert_int_equal(g->cols, 10);
	assert_int_equal(cellgrid_at(g, 1, 0)->ch, 'y');
	cellgrid_free(g);
}

static void test_16_colours(void **state)
{
	(void)state;
	struct cellgrid *g = cellgrid_from_ansi(
		"\033[31ma\033[42mb\033[0mc\033[97;104md\033[90;40me", 0);
	assert_int_equal(cellgrid_at(g, 0, 0)->fg, 1);
	assert_int_equal(cellgrid_at(g, 0, 0)->bg, CELL_DEFAULT);
	assert_int_equal(cellgrid_at(g, 0, 1)->fg, 1);
	assert_int_equal(cellgrid_at(g, 0, 1)->bg, 2);
	assert_int_equal(cellgrid_at(g, 0, 2)->fg, CELL_DEFAULT);
	assert_int_equal(cellgrid_at(g, 0, 2)->bg, CELL_DEFAULT);
	assert_int_equal(cellgrid_at(g, 0, 3)->fg, 15);
	assert_int_equal(cellgrid_at(g, 0, 3)->bg, 12);
	assert_int_equal(cellgrid_at(g, 0, 4)->fg, 8);
	assert_int_equal(cellgrid_at(g, 0, 4)->bg, 0);
	cellgrid_free(g);
}

static void test_256_and_truecolour(void **state)
{
	(void)state;
	struct cellgrid *g = cellgrid_from_ansi(
		"\033[38;5;208ma\033[48;2;10;20;30mb\033[38:2::1:2:3mc"
		"\033[38:5:99;48:2:4:5:6md\033[1;38;5;300me", 0);
	assert_int_equal(cellgrid_at(g, 0, 0)->fg, 208);
	assert_int_equal(cellgrid_at(g, 0, 1)->fg, 208);
	assert_int_equal(cellgrid_at(g, 0, 1)->bg, CELL_RGB(10, 20, 30));
	assert_int_equal(cellgrid_at(g, 0, 2)->fg, CELL_RGB(1, 2, 3));
	assert_int_equal(cellgrid_at(g, 0, 3)->fg, 99);
	assert_int_equal(cellgrid_at(g, 0, 3)->bg, CELL_RGB(4, 5, 6));
	/* an out-of-range index is clamped, and what follows still applies */
	assert_int_equal(cellgrid_at(g, 0, 4)->fg, 255);
	assert_true(cellgrid_at(g, 0, 4)->bold);
	cellgrid_free(g);
}

static void test_attributes_and_resets(void **state)
{
	(void)state;
	struct cellgrid *g = cellgrid_from_ansi(
		"\033[1;4;7ma\033[22mb\033[24mc\033[27md"
		"\033[31;41;1me\033[39mf\033[49mg\033[mh\033[;1mi", 0);
	const struct cell *a = cellgrid_at(g, 0, 0);
	assert_true(a->bold && a->underline && a->reverse);
	const struct cell *b = cellgrid_at(g, 0, 1);
	assert_true(!b->bold && b->underline && b->reverse);
	const struct cell *c = cellgrid_at(g, 0, 2);
	assert_true(!c->underline && c->reverse);
	assert_false(cellgrid_at(g, 0, 3)->reverse);
	assert_int_equal(cellgrid_at(g, 0, 4)->fg, 1);
	assert_int_equal(cellgrid_at(g, 0, 5)->fg, CELL_DEFAULT);
	assert_int_equal(cellgrid_at(g, 0, 5)->bg, 1);
	assert_int_equal(cellgrid_at(g, 0, 6)->bg, CELL_DEFAULT);
	assert_true(cellgrid_at(g, 0, 6)->bold);
	const struct cell *h = cellgrid_at(g, 0, 7); /* ESC[m is a full reset */
	assert_false(h->bold);
	assert_int_equal(h->fg, CELL_DEFAULT);
	assert_true(cellgrid_at(g, 0, 8)->bold); /* empty parameter = 0 */
	cellgrid_free(g);
}

static void test_state_crosses_lines(void **state)
{
	(void)state;
	/* tmux prints only changes, so a colour set on one line goes on */
	struct cellgrid *g = cellgrid_from_ansi("\033[44ma\nb\033[49mc\n", 0);
	assert_int_equal(cellgrid_at(g, 1, 0)->bg, 4);
	assert_int_equal(cellgrid_at(g, 1, 1)->bg, CELL_DEFAULT);
	cellgrid_free(g);
}

static void test_utf8_and_wide(void **state)
{
	(void)state;
	struct cellgrid *g = cellgrid_from_ansi("a\xe4\xb8\xad\033[32m\xe6\x96\x87" "b\xe2\x94\x80", 0);
	assert_int_equal(g->cols, 7);
	assert_int_equal(cellgrid_at(g, 0, 0)->ch, 'a');
	assert_int_equal(cellgrid_at(g, 0, 1)->ch, 0x4e2d); /* 中 */
	assert_int_equal(cellgrid_at(g, 0, 2)->ch, 0);      /* its right half */
	assert_int_equal(cellgrid_at(g, 0, 3)->ch, 0x6587); /* 文 */
	assert_int_equal(cellgrid_at(g, 0, 3)->fg, 2);
	assert_int_equal(cellgrid_at(g, 0, 4)->ch, 0);
	assert_int_equal(cellgrid_at(g, 0, 4)->fg, 2);
	assert_int_equal(cellgrid_at(g, 0, 5)->ch, 'b');
	assert_int_equal(cellgrid_at(g, 0, 6)->ch, 0x2500); /* ─ */
	cellgrid_free(g);

	/* a wide char that does not fit in the last column is dropped */
	g = cellgrid_from_ansi("ab\xe4\xb8\xad", 3);
	assert_int_equal(cellgrid_at(g, 0, 2)->ch, ' ');
	cellgrid_free(g);

	/* a combining accent takes no cell; a bad byte becomes U+FFFD */
	g = cellgrid_from_ansi("e\xcc\x81x\xff" "y", 0);
	assert_int_equal(g->cols, 4);
	assert_int_equal(cellgrid_at(g, 0, 1)->ch, 'x');
	assert_int_equal(cellgrid_at(g, 0, 2)->ch, 0xfffd);
	assert_int_equal(cellgrid_at(g, 0, 3)->ch, 'y');
	cellgrid_free(g);
}

static void test_char_width(void **state)
{
	(void)state;
	assert_int_equal(cellgrid_char_width('a'), 1);
	assert_int_equal(cellgrid_char_width(0x2500), 1);  /* box drawing */
	assert_int_equal(cellgrid_char_width(0x1100), 2);  /* Hangul jamo */
	assert_int_equal(cellgrid_char_width(0x4e2d), 2);  /* CJK */
	assert_int_equal(cellgrid_char_width(0xac00), 2);  /* Hangul */
	assert_int_equal(cellgrid_char_width(0xff01), 2);  /* fullwidth ! */
	assert_int_equal(cellgrid_char_width(0xff61), 1);  /* halfwidth katakana */
	assert_int_equal(cellgrid_char_width(0x20000), 2); /* CJK ext B */
	assert_int_equal(cellgrid_char_width(0x0301), 0);  /* combining acute */
}

static void test_utf8_codec(void **state)
{
	(void)state;
	static const uint32_t cps[] = {'A', 0xe9, 0x4e2d, 0x1f600, 0x10ffff};
	for (size_t i = 0; i < sizeof cps / sizeof cps[0]; i++) {
		char buf[5] = {0};
		int n = cellgrid_utf8_encode(cps[i], buf);
		uint32_t back;
		assert_int_equal(cellgrid_utf8_decode(buf, &back), (size_t)n);
		assert_int_equal(back, cps[i]);
	}
	uint32_t cp;
	assert_int_equal(cellgrid_utf8_decode("\xc0\x80", &cp), 1); /* overlong lead */
	assert_int_equal(cp, 0xfffd);
	assert_int_equal(cellgrid_utf8_decode("\xe4\xb8", &cp), 2); /* cut short */
	assert_int_equal(cp, 0xfffd);
}

static void test_line_drawing_charset(void **state)
{
	(void)state;
	/* tmux capture shows ACS cells as SO + raw letters + SI */
	char *s = ansi_to_text("\016lqk\017x\n\033(0x\033(Bx\n", 0);
	assert_string_equal(s, "\xe2\x94\x8c\xe2\x94\x80\xe2\x94\x90x\n\xe2\x94\x82x\n");
	free(s);
}

static void test_other_escapes_ignored(void **state)
{
	(void)state;
	char *s = ansi_to_text("\033]8;;http://x\033\\link\033]8;;\a \033[2Ko\033=k\r\033[0;1mO\n", 0);
	assert_string_equal(s, "Oink ok\n");
	free(s);
}

static void test_text_trims_trailing_blanks(void **state)
{
	(void)state;
	char *s = ansi_to_text("ab  \n\033[41m  \033[0m\n\n\xe4\xb8\xad" "c\n", 8);
	/* coloured blanks are still blanks in text; wide chars print once */
	assert_string_equal(s, "ab\n\n\n\xe4\xb8\xad" "c\n");
	free(s);
}

static void test_tabs_and_truncation(void **state)
{
	(void)state;
	char *s = ansi_to_text("a\tb\nabcdefghijk\n", 10);
	assert_string_equal(s, "a       b\nabcdefghij\n");
	free(s);
}

static void test_rgb_palette(void **state)
{
	(void)state;
	assert_int_equal(cellgrid_rgb(16, true), 0x000000);
	assert_int_equal(cellgrid_rgb(196, true), 0xff0000);
	assert_int_equal(cellgrid_rgb(231, true), 0xffffff);
	assert_int_equal(cellgrid_rgb(67, true), 0x5f87af);
	assert_int_equal(cellgrid_rgb(232, true), 0x080808);
	assert_int_equal(cellgrid_rgb(255, true), 0xeeeeee);
	assert_int_equal(cellgrid_rgb(CELL_RGB(1, 2, 3), false), 0x010203);
	/* default fg is light, default bg near black */
	assert_true(cellgrid_rgb(CELL_DEFAULT, true) > 0xa0a0a0);
	assert_true(cellgrid_rgb(CELL_DEFAULT, false) < 0x303030);
}

static bool contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

static void test_svg_output(void **state)
{
	(void)state;
	struct cellgrid *g = cellgrid_from_ansi(
		"\033[41m  \033[0m<a&b>\n\033[1;32mok\033[0m \xe4\xb8\xad\xe2\x94\x82\n"
		"\033[7mR\033[0m\n", 0);
	char *svg = render(g, true);
	char want[96];

	assert_true(contains(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
	assert_true(contains(svg, "font-family=\"DejaVu Sans Mono, monospace\""));
	assert_true(contains(svg, "<title>t&lt;1&gt;</title>"));
	/* the red background: one rect two cells wide */
	snprintf(want, sizeof want, "width=\"18\" height=\"18\" fill=\"#%06x\"",
		 (unsigned)cellgrid_rgb(1, false));
	assert_true(contains(svg, want));
	assert_true(contains(svg, ">&lt;a&amp;b&gt;</text>"));
	/* bold green text as one run */
	snprintf(want, sizeof want, "fill=\"#%06x\" font-weight=\"bold\">ok</text>",
		 (unsigned)cellgrid_rgb(2, true));
	assert_true(contains(svg, want));
	/* the wide char is centred on its two cells */
	assert_true(contains(svg, "text-anchor=\"middle\""));
	assert_true(contains(svg, ">\xe4\xb8\xad</text>"));
	/* the box line is drawn as a shape, not text */
	assert_false(contains(svg, "\xe2\x94\x82"));
	assert_true(contains(svg, "<path d=\"M"));
	/* reverse: default fg becomes the background of the cell */
	snprintf(want, sizeof want, "fill=\"#%06x\"/>", (unsigned)cellgrid_rgb(CELL_DEFAULT, true));
	assert_true(contains(svg, want));
	snprintf(want, sizeof want, "fill=\"#%06x\">R</text>",
		 (unsigned)cellgrid_rgb(CELL_DEFAULT, false));
	assert_true(contains(svg, want));
	assert_true(contains(svg, "</svg>\n"));
	free(svg);
	cellgrid_free(g);
}

static void test_svg_text_runs(void **state)
{
	(void)state;
	/* spaces join a run; a style change or a blank tail ends it */
	struct cellgrid *g = cellgrid_from_ansi("ab cd\033[31mef\033[0m   \n", 0);
	char *svg = render(g, true);
	assert_true(contains(svg, ">ab cd</text>"));
	assert_true(contains(svg, "textLength=\"45\""));
	assert_true(contains(svg, ">ef</text>"));
	assert_false(contains(svg, "ef </text>"));
	free(svg);
	cellgrid_free(g);
}

static void test_svg_places_other_glyphs(void **state)
{
	(void)state;
	/* fallback-font glyphs may be wider: each is pinned to its column */
	struct cellgrid *g = cellgrid_from_ansi("a\xe2\x9c\x94" "bc\n", 0);
	char *svg = render(g, true);
	assert_true(contains(svg, ">a<tspan x=\"21\">\xe2\x9c\x94</tspan><tspan x=\"30\">bc</tspan></text>"));
	assert_false(contains(svg, "textLength=\"36\""));
	free(svg);
	cellgrid_free(g);
}

static void test_empty_input(void **state)
{
	(void)state;
	struct cellgrid *g = cellgrid_from_ansi("", 0);
	assert_non_null(g);
	assert_int_equal(g->rows, 0);
	char *svg = render(g, true);
	assert_true(contains(svg, "</svg>"));
	free(svg);
	cellgrid_free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_lines),
		cmocka_unit_test(test_16_colours),
		cmocka_unit_test(test_256_and_truecolour),
		cmocka_unit_test(test_attributes_and_resets),
		cmocka_unit_test(test_state_crosses_lines),
		cmocka_unit_test(test_utf8_and_wide),
		cmocka_unit_test(test_char_width),
		cmocka_unit_test(test_utf8_codec),
		cmocka_unit_test(test_line_drawing_charset),
		cmocka_unit_test(test_other_escapes_ignored),
		cmocka_unit_test(test_text_trims_trailing_blanks),
		cmocka_unit_test(test_tabs_and_truncation),
		cmocka_unit_test(test_rgb_palette),
		cmocka_unit_test(test_svg_output),
		cmocka_unit_test(test_svg_text_runs),
		cmocka_unit_test(test_svg_places_other_glyphs),
		cmocka_unit_test(test_empty_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
