/* layout.c - panel rectangles and frame-grid compaction, pure arithmetic. */
#include "layout.h"

#include <stdint.h>
#include <string.h>

static struct rect mk(int y, int x, int h, int w)
{
	struct rect r = {y, x, h, w};
	return r;
}

static int clampi(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

static void add_sep(struct layout *l, int y, int x, int h)
{
	if (l->nsep < LAYOUT_MAX_SEPS)
		l->sep[l->nsep++] = mk(y, x, h, 1);
}

/* Below 160 columns: address space | page table over frames | swap, and the
 * log across the whole width. The bands share what is left after the fixed
 * lines; the log keeps at least four rows (title and three lines). */
static void two_columns(struct layout *l, int top, int avail)
{
	int cols = l->cols;
	/* Shared as if the F-key bar's row were still there; then the bar
	 * takes it from the log while the log has more than four rows, so
	 * the address space, page table and frames keep theirs. */
	int log_h = clampi((avail + 1) / 4, 4, 14);
	int mid_h = clampi((avail + 1 - log_h) * 2 / 5, 5, 24);
	if (log_h > 4)
		log_h--;
	int top_h = avail - log_h - mid_h;
	int left = (cols - 1) / 2;
	int fr = (cols - 1) * 2 / 3;

	l->panel[PANEL_VMAS] = mk(top, 0, top_h, left);
	l->panel[PANEL_PT] = mk(top, left + 1, top_h, cols - left - 1);
	add_sep(l, top, left, top_h);
	l->panel[PANEL_FRAMES] = mk(top + top_h, 0, mid_h, fr);
	l->panel[PANEL_SWAP] = mk(top + top_h, fr + 1, mid_h, cols - fr - 1);
	add_sep(l, top + top_h, fr, mid_h);
	l->panel[PANEL_LOG] = mk(top + top_h + mid_h, 0, log_h, cols);
}

/* From 160x40: three columns on top (address space, page table, frames),
 * the log under the first two and swap under the frames. */
static void three_columns(struct layout *l, int top, int avail)
{
	int cols = l->cols;
	int log_h = clampi(avail / 3, 8, 24);
	int top_h = avail - log_h;
	int w = cols - 2;              /* two separators */
	/* Address space and page table 30% each, frames the rest. */
	int vw = w * 3 / 10;
	int pw = vw;
	int fw = w - vw - pw;
	int px = vw + 1, fx = px + pw + 1;

	l->panel[PANEL_VMAS] = mk(top, 0, top_h, vw);
	l->panel[PANEL_PT] = mk(top, px, top_h, pw);
	l->panel[PANEL_FRAMES] = mk(top, fx, top_h, fw);
	add_sep(l, top, px - 1, top_h);
	add_sep(l, top, fx - 1, top_h + log_h);
	l->panel[PANEL_LOG] = mk(top + top_h, 0, log_h, fx - 1);
	l->panel[PANEL_SWAP] = mk(top + top_h, fx, log_h, fw);
}

void layout_compute(struct layout *l, int rows, int cols, bool playback)
{
	memset(l, 0, sizeof *l);
	l->rows = rows;
	l->cols = cols;
	if (rows < LAYOUT_MIN_ROWS || cols < LAYOUT_MIN_COLS) {
		l->too_small = true;
		return;
	}
	l->status = mk(0, 0, 1, cols);
	l->fkeys = mk(rows - 1, 0, 1, cols);
	l->message = mk(rows - 2, 0, 1, cols);
	l->prompt = mk(rows - 3, 0, 1, cols);
	int bottom = rows - 3;         /* first row below the panels */
	if (playback) {
		/* The caption is what the audience reads: two lines on small
		 * screens, padded to four on big ones. */
		int cap_h = rows >= 40 ? 4 : rows >= 30 ? 3 : 2;
		l->progress = mk(bottom - 1, 0, 1, cols);
		l->caption = mk(bottom - 1 - cap_h, 0, cap_h, cols);
		bottom = l->caption.y;
	}
	int top = 1, avail = bottom - top;
	if (cols >= 160 && rows >= 40)
		three_columns(l, top, avail);
	else
		two_columns(l, top, avail);
}

struct rect layout_body(const struct rect *panel)
{
	struct rect r = *panel;
	if (r.h > 0) {
		r.y++;
		r.h--;
	}
	return r;
}

bool rect_overlap(const struct rect *a, const struct rect *b)
{
	if (a->h <= 0 || a->w <= 0 || b->h <= 0 || b->w <= 0)
		return false;
	return a->x < b->x + b->w && b->x < a->x + a->w &&
	       a->y < b->y + b->h && b->y < a->y + a->h;
}

bool rect_inside(const struct rect *r, int rows, int cols)
{
	return r->y >= 0 && r->x >= 0 && r->h >= 0 && r->w >= 0 &&
	       r->y + r->h <= rows && r->x + r->w <= cols;
}

static int digits(int n)
{
	int d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/* Rows of 8 make frame numbers easy to read off the row labels; when a
 * row holds fewer than 8, the rows are balanced instead (12 frames as two
 * rows of 6, not 7 + 5). */
static int nice_per_row(int raw, int n)
{
	if (raw >= 8)
		return raw - raw % 8;
	if (raw < 1)
		return raw;
	int rows = (n + raw - 1) / raw;
	return (n + rows - 1) / rows;
}

void grid_fit(int n, int w, int h, struct grid_fit *out)
{
	/* Widest first: 9 columns show a five-digit page label and both bits;
	 * 1 column is a coloured block. */
	static const int widths[] = {9, 7, 6, 5, 4, 3, 2, 1};
	memset(out, 0, sizeof *out);
	if (n <= 0 || w <= 0 || h <= 0) {
		out->cellw = 1;
		out->per_row = w > 0 ? w : 1;
		return;
	}
	int label = digits(n - 1) + 1;
	/* First pass: only rows of 8 (or everything in one row), so frame
	 * numbers stay easy to find; second pass: whatever fits. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
			int cw = widths[i];
			int lw = (w - label) / cw >= 8 || w - label >= n * cw ? label : 0;
			int per = nice_per_row((w - lw) / cw, n);
			if (per < 1)
				continue;
			if (per > n)
				per = n;
			if (pass == 0 && per % 8 != 0 && per != n)
				continue;
			int rows = (n + per - 1) / per;
			if (rows <= h || (pass == 1 && cw == 1)) {
				out->cellw = cw;
				out->per_row = per;
				out->rows = rows;
				out->label_w = lw;
				out->scroll = rows > h;
				return;
			}
		}
	}
	/* Not even one column per cell plus a label: no label, scroll. */
	out->cellw = 1;
	out->per_row = w;
	out->rows = (n + w - 1) / w;
	out->label_w = 0;
	out->scroll = out->rows > h;
}

void grid_summary_fit(uint32_t n, int w, int h, struct grid_summary *sm)
{
	memset(sm, 0, sizeof *sm);
	/* n is at most VM_MAX_FRAMES (4M): an int. */
	sm->label_w = digits(n > 0 ? (int)(n - 1) : 0) + 1;
	sm->per_row = w - sm->label_w - 1 > 8 ? w - sm->label_w - 1 : 8;
	if (n < GRID_SUMMARY_BIG && sm->per_row >= 16)
		sm->per_row -= sm->per_row % 8;   /* row labels stay round */
	uint64_t cells = (uint64_t)sm->per_row * (uint64_t)(h > 0 ? h : 1);
	uint64_t per = (n + cells - 1) / cells;
	if (n < GRID_SUMMARY_BIG) {
		sm->per_cell = 2;
		while (sm->per_cell < per)
			sm->per_cell *= 2;
	} else {
		sm->per_cell = (uint32_t)((per + 63) / 64 * 64);
	}
	uint64_t per_rowf = (uint64_t)sm->per_cell * (uint64_t)sm->per_row;
	sm->rows = (int)((n + per_rowf - 1) / per_rowf);
}
