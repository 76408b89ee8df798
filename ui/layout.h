/* layout.h - where each part of the screen goes, as pure arithmetic.
 *
 * No curses here: the functions take a terminal size and return rectangles,
 * so tests/test_layout.c can check every size without a terminal.
 *
 *  row 0      status line (processes, free frames, swap, policy)
 *  panels     address space | page table        (two columns below 160 cols,
 *             frames        | swap               three above: vmas|pt|frames
 *             event log                           over log|swap)
 *  playback   caption band, progress line
 *  last three prompt, message (errors under the prompt), the F-key bar
 *
 * Panels share their borders: each panel's first row is its title rule, and
 * one separator column stands between side-by-side panels (its first cell
 * joins the title rule). Together the rectangles tile the screen exactly.
 */
#ifndef VMVIZ_UI_LAYOUT_H
#define VMVIZ_UI_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#define LAYOUT_MIN_COLS 80
#define LAYOUT_MIN_ROWS 24

struct rect {
	int y, x, h, w;
};

enum panel_id { PANEL_VMAS, PANEL_PT, PANEL_FRAMES, PANEL_SWAP, PANEL_LOG, PANEL_COUNT };

#define LAYOUT_MAX_SEPS 4

struct layout {
	int rows, cols;
	bool too_small;                 /* nothing else is valid when set */
	struct rect status;
	struct rect panel[PANEL_COUNT]; /* title row included */
	struct rect sep[LAYOUT_MAX_SEPS]; /* vertical separator columns (w == 1) */
	int nsep;
	struct rect caption;            /* playback only, else h == 0 */
	struct rect progress;           /* playback only, else h == 0 */
	struct rect prompt;
	struct rect message;
	struct rect fkeys;              /* the F-key bar, htop's last line */
};

/* Fills *l for a terminal of rows x cols. playback adds the caption band
 * and the progress line. */
void layout_compute(struct layout *l, int rows, int cols, bool playback);

/* The inside of a panel: its rectangle without the title row. */
struct rect layout_body(const struct rect *panel);

/* True if a and b share at least one cell. */
bool rect_overlap(const struct rect *a, const struct rect *b);
/* True if r lies inside a rows x cols screen. */
bool rect_inside(const struct rect *r, int rows, int cols);

/* How a grid of n cells (frames or swap slots) fits a w x h area.
 * Cells get the widest size that still shows all n without scrolling;
 * when even one column per cell is not enough, the grid scrolls. */
struct grid_fit {
	int cellw;     /* columns per cell, the gap included when cellw >= 3 */
	int per_row;   /* cells per row */
	int rows;      /* rows needed for all n cells */
	int label_w;   /* columns of the row label ("  16 ") before the cells */
	bool scroll;   /* rows > h */
};

void grid_fit(int n, int w, int h, struct grid_fit *out);

/* When even one column per cell would scroll, a cell stands for a run of
 * frames: a power of two of them (2, 4, 8...) below GRID_SUMMARY_BIG
 * frames, so a row's first frame is a round number; from there a multiple
 * of 64, one word of the free map. */
#define GRID_SUMMARY_BIG 65536u

struct grid_summary {
	uint32_t per_cell;   /* frames a cell stands for */
	int per_row, rows, label_w;
};

void grid_summary_fit(uint32_t n, int w, int h, struct grid_summary *sm);

#endif
