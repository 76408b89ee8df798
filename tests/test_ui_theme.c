/* test_ui_theme.c - the themes as a screenshot sees them: every role's
 * designed colours and attributes, read back from its colour pair, are the
 * same whatever the terminal (256 or 8 colours, 64 or 65536 pairs), and
 * are the theme's own table, never a guess of the terminal's palette (grey
 * 236 came back as #0000ff under xterm-256color). Curses writes to
 * /dev/null: no terminal is needed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "cellgrid.h"
#include "theme.h"

struct look {
	uint32_t fg, bg;
	attr_t a;
};

struct shot {
	struct look text[R_COUNT], block[R_COUNT];
	bool blocks;
};

/* Starts curses on terminal type term (output to /dev/null), sets the
 * theme up and reads every role's look back as the screenshot does. */
static void take(const char *term, enum ui_theme theme, struct shot *s)
{
	/* one stream both ways: curses only writes to it here */
	FILE *null = fopen("/dev/null", "r+");
	assert_non_null(null);
	SCREEN *scr = newterm(term, null, null);
	assert_non_null(scr);
	set_term(scr);
	if (has_colors() && theme != THEME_MONO)
		start_color();
	theme_init(theme, false);
	s->blocks = theme_blocks();
	for (int r = 0; r < R_COUNT; r++) {
		attr_t a = theme_attr((enum role)r);
		theme_shot_cell((short)PAIR_NUMBER(a), a, &s->text[r].fg, &s->text[r].bg, &s->text[r].a);
		attr_t b = theme_block((enum role)r);
		theme_shot_cell((short)PAIR_NUMBER(b), b, &s->block[r].fg, &s->block[r].bg, &s->block[r].a);
	}
	endwin();
	delscreen(scr);
	fclose(null);
}

static void same_on_every_terminal(enum ui_theme theme)
{
	static const char *const terms[] = {"tmux-256color", "screen", "linux", "xterm"};
	static struct shot ref, other;
	take("xterm-256color", theme, &ref);
	for (size_t t = 0; t < sizeof terms / sizeof terms[0]; t++) {
		take(terms[t], theme, &other);
		for (int r = 0; r < R_COUNT; r++) {
			if (ref.text[r].fg != other.text[r].fg || ref.text[r].bg != other.text[r].bg ||
			    ref.text[r].a != other.text[r].a)
				fail_msg("theme %d, role %d: %s differs from xterm-256color", theme, r, terms[t]);
			if (ref.block[r].fg != other.block[r].fg || ref.block[r].bg != other.block[r].bg)
				fail_msg("theme %d, block of role %d: %s differs from xterm-256color", theme, r, terms[t]);
		}
		/* the small frames grid draws blocks on 64 pairs too */
		assert_true(other.blocks);
	}
}

static void test_default_same_everywhere(void **state)
{
	(void)state;
	same_on_every_terminal(THEME_DEFAULT);
}

static void test_contrast_same_everywhere(void **state)
{
	(void)state;
	same_on_every_terminal(THEME_CONTRAST);
}

static void test_light_same_everywhere(void **state)
{
	(void)state;
	same_on_every_terminal(THEME_LIGHT);
}

/* The designed values themselves, read through an eight-colour terminal. */
static void test_designed_colours(void **state)
{
	(void)state;
	static struct shot s;
	take("linux", THEME_DEFAULT, &s);
	/* the status bar: 253 on grey 236, the colour that came back wrong */
	assert_int_equal(s.text[R_STATUS].fg, 253);
	assert_int_equal(s.text[R_STATUS].bg, 236);
	assert_int_equal(cellgrid_rgb(s.text[R_STATUS].bg, false), 0x303030);
	/* the default theme keeps the terminal's own ground */
	assert_true(s.text[R_NORMAL].bg == CELL_DEFAULT);
	/* a process's block is its colour on the ground */
	assert_int_equal(s.block[R_OWNER].fg, s.text[R_OWNER].bg);
	assert_true(s.block[R_OWNER].bg == CELL_DEFAULT);

	take("screen", THEME_LIGHT, &s);
	for (int r = 0; r < R_COUNT; r++) {
		/* light paints its own ground: nothing left to the terminal */
		assert_true(s.text[r].fg != CELL_DEFAULT);
		assert_true(s.text[r].bg != CELL_DEFAULT);
	}
	assert_int_equal(s.text[R_NORMAL].fg, 16);
	assert_int_equal(s.text[R_NORMAL].bg, 231);
	assert_int_equal(s.block[R_OWNER].bg, 231);
}

/* Mono: no pairs; what was drawn is what is shot. */
static void test_mono(void **state)
{
	(void)state;
	static struct shot s;
	take("xterm-256color", THEME_MONO, &s);
	assert_true(s.text[R_STATUS].fg == CELL_DEFAULT);
	assert_true(s.text[R_STATUS].bg == CELL_DEFAULT);
	assert_true((s.text[R_STATUS].a & A_REVERSE) != 0);
	assert_false(s.blocks);
}

/* Attributes the drawing code adds to a role's own survive the shot. */
static void test_added_attributes(void **state)
{
	(void)state;
	FILE *null = fopen("/dev/null", "r+");
	assert_non_null(null);
	SCREEN *scr = newterm("xterm-256color", null, null);
	assert_non_null(scr);
	set_term(scr);
	start_color();
	theme_init(THEME_DEFAULT, false);
	attr_t a = theme_attr(R_OWNER + 1) | A_REVERSE;
	uint32_t fg, bg;
	attr_t got;
	assert_true(theme_shot_cell((short)PAIR_NUMBER(a), a, &fg, &bg, &got));
	assert_true((got & A_REVERSE) != 0);
	assert_int_equal(fg, 16);
	assert_int_equal(bg, 214);
	endwin();
	delscreen(scr);
	fclose(null);
}

/* Marks big enough to read: letters, not dots. */
static void test_marks_are_letters(void **state)
{
	(void)state;
	for (int ascii = 0; ascii < 2; ascii++) {
		theme_init(THEME_MONO, ascii);
		const struct glyphs *g = theme_glyphs();
		assert_string_equal(g->ref, "R");
		assert_string_equal(g->dirty, "D");
		assert_string_equal(g->off, "-");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_same_everywhere),
		cmocka_unit_test(test_contrast_same_everywhere),
		cmocka_unit_test(test_light_same_everywhere),
		cmocka_unit_test(test_designed_colours),
		cmocka_unit_test(test_mono),
		cmocka_unit_test(test_added_attributes),
		cmocka_unit_test(test_marks_are_letters),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
