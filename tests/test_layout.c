/* test_layout.c - screen layout arithmetic: panel rectangles across
 * terminal sizes (inside the screen, no overlap, the whole screen used),
 * the too-small cut-off, and frame-grid compaction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "layout.h"

static const int sizes[][2] = {
	{80, 24}, {100, 30}, {120, 40}, {159, 50}, {160, 40}, {200, 60}, {300, 100}, {80, 60}, {250, 24},
};
#define NSIZES (sizeof sizes / sizeof sizes[0])

/* Every rectangle the layout hands out, with a name for messages. */
static int collect(const struct layout *l, struct rect *out, const char **names)
{
	int n = 0;
	static const char *const pn[PANEL_COUNT] = {"vmas", "pt", "frames", "swap", "log"};
	out[n] = l->status, names[n++] = "status";
	for (int i = 0; i < PANEL_COUNT; i++)
		out[n] = l->panel[i], names[n++] = pn[i];
	for (int i = 0; i < l->nsep; i++)
		out[n] = l->sep[i], names[n++] = "sep";
	out[n] = l->caption, names[n++] = "caption";
	out[n] = l->progress, names[n++] = "progress";
	out[n] = l->prompt, names[n++] = "prompt";
	out[n] = l->message, names[n++] = "message";
	out[n] = l->fkeys, names[n++] = "fkeys";
	return n;
}

static void check_layout(int cols, int rows, bool playback)
{
	struct layout l;
	layout_compute(&l, rows, cols, playback);
	assert_false(l.too_small);
	assert_int_equal(l.rows, rows);
	assert_int_equal(l.cols, cols);
	struct rect r[16];
	const char *names[16];
	int n = collect(&l, r, names);
	/* Inside the screen. */
	for (int i = 0; i < n; i++) {
		if (!rect_inside(&r[i], rows, cols))
			fail_msg("%dx%d: %s (%d,%d %dx%d) leaves the screen", cols, rows, names[i], r[i].y,
				 r[i].x, r[i].w, r[i].h);
	}
	/* No two overlap. */
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (rect_overlap(&r[i], &r[j]))
				fail_msg("%dx%d%s: %s overlaps %s", cols, rows, playback ? " play" : "",
					 names[i], names[j]);
	/* Together they cover every cell exactly once: nothing is left
	 * undrawn (stale text would show through after a resize). */
	char *cover = calloc((size_t)rows * (size_t)cols, 1);
	assert_non_null(cover);
	for (int i = 0; i < n; i++)
		for (int y = r[i].y; y < r[i].y + r[i].h; y++)
			for (int x = r[i].x; x < r[i].x + r[i].w; x++)
				cover[y * cols + x]++;
	for (int k = 0; k < rows * cols; k++)
		if (cover[k] != 1)
			fail_msg("%dx%d: cell %d,%d covered %d times", cols, rows, k / cols, k % cols, cover[k]);
	free(cover);
	/* Each panel is big enough to say something: a title and three rows,
	 * a useful width. */
	for (int i = 0; i < PANEL_COUNT; i++) {
		assert_true(l.panel[i].h >= 4);
		assert_true(l.panel[i].w >= 24);
	}
	/* The fixed lines are where the user looks for them. */
	assert_int_equal(l.status.y, 0);
	assert_int_equal(l.prompt.y, rows - 3);
	assert_int_equal(l.message.y, rows - 2);
	assert_int_equal(l.fkeys.y, rows - 1);
	assert_int_equal(l.fkeys.h, 1);
	assert_int_equal(l.prompt.w, cols);
	if (playback) {
		assert_true(l.caption.h >= 2);
		assert_int_equal(l.progress.h, 1);
		assert_int_equal(l.progress.y, l.prompt.y - 1);
		assert_int_equal(l.caption.y + l.caption.h, l.progress.y);
	} else {
		assert_int_equal(l.caption.h, 0);
		assert_int_equal(l.progress.h, 0);
	}
}

static void test_sizes(void **state)
{
	(void)state;
	for (size_t i = 0; i < NSIZES; i++) {
		check_layout(sizes[i][0], sizes[i][1], false);
		check_layout(sizes[i][0], sizes[i][1], true);
	}
}

static void test_every_size_from_minimum(void **state)
{
	(void)state;
	for (int rows = LAYOUT_MIN_ROWS; rows <= 70; rows += 3)
		for (int cols = LAYOUT_MIN_COLS; cols <= 260; cols += 7)
			check_layout(cols, rows, (rows + cols) % 2 == 0);
}

static void test_shapes(void **state)
{
	(void)state;
	struct layout l;
	/* 80x24: two columns, address space beside the page table. */
	layout_compute(&l, 24, 80, false);
	assert_int_equal(l.panel[PANEL_VMAS].y, l.panel[PANEL_PT].y);
	assert_true(l.panel[PANEL_VMAS].x < l.panel[PANEL_PT].x);
	assert_int_equal(l.panel[PANEL_LOG].w, 80);
	assert_true(l.panel[PANEL_VMAS].w >= 38);
	/* 100x30, the lecturer's shared window: bigger panels. */
	struct layout m;
	layout_compute(&m, 30, 100, false);
	assert_true(m.panel[PANEL_VMAS].h > l.panel[PANEL_VMAS].h);
	assert_true(m.panel[PANEL_FRAMES].w > l.panel[PANEL_FRAMES].w);
	/* 200x60: three columns on top. */
	layout_compute(&l, 60, 200, false);
	assert_int_equal(l.panel[PANEL_FRAMES].y, l.panel[PANEL_VMAS].y);
	assert_true(l.panel[PANEL_PT].x < l.panel[PANEL_FRAMES].x);
	assert_true(l.panel[PANEL_FRAMES].h >= 30);
	assert_int_equal(l.panel[PANEL_SWAP].x, l.panel[PANEL_FRAMES].x);
	/* Playback takes its rows from the panels, not from the prompt. */
	layout_compute(&m, 60, 200, true);
	assert_true(m.panel[PANEL_FRAMES].h < l.panel[PANEL_FRAMES].h);
	assert_int_equal(m.prompt.y, l.prompt.y);
}

/* The prompt's 2048 frames fit the frames panel without scrolling at the
 * sizes students use, a run of frames a cell (as panel_frames.c draws it:
 * two rows kept under the grid). */
static void test_student_machine_fits(void **state)
{
	(void)state;
	static const int student[][3] = {{80, 24, 16}, {100, 30, 8}, {120, 40, 4}, {200, 60, 1}};
	for (size_t i = 0; i < sizeof student / sizeof student[0]; i++) {
		struct layout l;
		layout_compute(&l, student[i][1], student[i][0], false);
		struct rect b = layout_body(&l.panel[PANEL_FRAMES]);
		struct grid_fit gf;
		grid_fit(2048, b.w, b.h - 1, &gf);
		if (student[i][2] == 1) {
			assert_false(gf.scroll); /* big enough for one column a frame */
			continue;
		}
		assert_true(gf.scroll);       /* one column a frame is too many */
		struct grid_summary sm;
		int rows = b.h - (b.h >= 6 ? 2 : 1);
		grid_summary_fit(2048, b.w, rows, &sm);
		if (sm.rows > rows || (int)sm.per_cell != student[i][2])
			fail_msg("%dx%d: %d rows of %d cells of %u frames, %d rows free", student[i][0],
				 student[i][1], sm.rows, sm.per_row, sm.per_cell, rows);
		assert_true(sm.label_w + sm.per_row <= b.w);
		assert_int_equal(sm.per_row % 8, 0);
	}
	/* A huge machine: runs of 64 frames, one word of the free map. */
	struct grid_summary sm;
	grid_summary_fit(4u << 20, 60, 10, &sm);
	assert_int_equal(sm.per_cell % 64, 0);
	assert_true(sm.rows <= 10);
}

static void test_too_small(void **state)
{
	(void)state;
	static const int small[][2] = {{79, 24}, {80, 23}, {60, 20}, {1, 1}, {0, 0}, {300, 10}, {40, 100}};
	for (size_t i = 0; i < sizeof small / sizeof small[0]; i++) {
		struct layout l;
		layout_compute(&l, small[i][1], small[i][0], false);
		assert_true(l.too_small);
		layout_compute(&l, small[i][1], small[i][0], true);
		assert_true(l.too_small);
	}
	struct layout l;
	layout_compute(&l, 24, 80, false);
	assert_false(l.too_small);
}

static void check_grid(int n, int w, int h, const struct grid_fit *g)
{
	assert_true(g->cellw >= 1);
	assert_true(g->per_row >= 1);
	assert_true(g->label_w + g->per_row * g->cellw <= w);
	assert_true(g->per_row * g->rows >= n);
	assert_true((g->rows - 1) * g->per_row < n);  /* no empty last row */
	assert_int_equal(g->scroll, g->rows > h);
}

static void test_grid_compaction(void **state)
{
	(void)state;
	struct grid_fit a, b, c;
	/* The 80x24 frames panel body: 52 columns, 4 grid rows. */
	grid_fit(32, 52, 4, &a);
	check_grid(32, 52, 4, &a);
	assert_false(a.scroll);
	assert_true(a.cellw >= 5);           /* room for a page label and bits */
	assert_true(a.label_w > 0);
	grid_fit(1024, 52, 4, &b);
	check_grid(1024, 52, 4, &b);
	assert_true(b.scroll);               /* too many: compact and scroll */
	assert_int_equal(b.cellw, 1);
	/* 200x60: the frames column (80 wide, 36 rows) holds 1024 frames. */
	grid_fit(32, 80, 36, &a);
	grid_fit(1024, 80, 36, &b);
	grid_fit(4096, 80, 36, &c);
	check_grid(32, 80, 36, &a);
	check_grid(1024, 80, 36, &b);
	check_grid(4096, 80, 36, &c);
	assert_true(a.cellw > b.cellw);
	assert_true(b.cellw >= c.cellw);
	assert_false(b.scroll);
	assert_int_equal(b.cellw, 2);
	assert_int_equal(c.cellw, 1);
	assert_true(c.scroll);
	/* 300x100: even 4096 frames fit at one column each. */
	grid_fit(4096, 120, 80, &c);
	check_grid(4096, 120, 80, &c);
	assert_false(c.scroll);
	/* Rows of 8 or 16 make frame numbers easy to read. */
	assert_int_equal(a.per_row % 8, 0);
	assert_int_equal(b.per_row % 8, 0);
	/* Shrinking the area never widens the cells. */
	int last = 100;
	for (int h = 40; h >= 1; h--) {
		grid_fit(1024, 80, h, &b);
		check_grid(1024, 80, h, &b);
		assert_true(b.cellw <= last);
		last = b.cellw;
	}
}

static void test_grid_degenerate(void **state)
{
	(void)state;
	struct grid_fit g;
	grid_fit(0, 40, 5, &g);
	assert_true(g.per_row >= 1);
	assert_int_equal(g.rows, 0);
	grid_fit(5, 3, 1, &g);
	assert_true(g.per_row >= 1);
	assert_true(g.per_row * g.cellw + g.label_w <= 3);
	assert_true(g.scroll);
	grid_fit(1, 80, 10, &g);
	assert_int_equal(g.rows, 1);
	assert_int_equal(g.per_row, 1);
}

static void test_body(void **state)
{
	(void)state;
	struct rect p = {3, 4, 10, 20};
	struct rect b = layout_body(&p);
	assert_int_equal(b.y, 4);
	assert_int_equal(b.h, 9);
	assert_int_equal(b.x, 4);
	assert_int_equal(b.w, 20);
	struct rect a = {0, 0, 2, 2}, c = {1, 1, 2, 2}, d = {2, 2, 1, 1};
	assert_true(rect_overlap(&a, &c));
	assert_false(rect_overlap(&a, &d));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sizes),
		cmocka_unit_test(test_every_size_from_minimum),
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_too_small),
		cmocka_unit_test(test_student_machine_fits),
		cmocka_unit_test(test_grid_compaction),
		cmocka_unit_test(test_grid_degenerate),
		cmocka_unit_test(test_body),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
