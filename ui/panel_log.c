/* panel_log.c - draws the event log, newest line at the bottom, long lines
 * wrapped to the panel width. The scroll position counts screen rows up
 * from the bottom, so new lines keep the view at the end unless the user
 * has scrolled back. */
#include "app.h"
#include "draw.h"

#include <string.h>

#define MAX_SEGS 64
/* Fewer log rows than this (80x24 has 3) show no "why:" lines. */
#define LOG_ROWS_FOR_REASONS 6

struct seg {
	const char *s;
	size_t len;
	int indent;
};

/* Cuts one logical line into rows of at most w columns. */
static int wrap(const struct logline *l, int w, struct seg *out)
{
	const char *t = l->text;
	int n = 0, indent = l->indent;
	do {
		int avail = w - indent, cols;
		if (avail < 8)
			avail = 8;
		size_t k = text_fit(t, avail, &cols);
		if (k == 0 && *t)
			k = 1;
		/* Prefer to break after a space when one is near the end. */
		if (t[k]) {
			size_t sp = k;
			while (sp > k / 2 && t[sp - 1] != ' ')
				sp--;
			if (sp > k / 2)
				k = sp;
		}
		out[n].s = t;
		out[n].len = k;
		out[n].indent = indent;
		n++;
		t += k;
		indent = l->indent + 2;
	} while (*t && n < MAX_SEGS);
	return n;
}

static void draw_seg(const struct seg *sg, enum role role, int y, const struct rect *b)
{
	char buf[1024];
	size_t len = sg->len < sizeof buf - 1 ? sg->len : sizeof buf - 1;
	memcpy(buf, sg->s, len);
	buf[len] = 0;
	draw_text(y, b->x + 1 + sg->indent, b->w - 1 - sg->indent, theme_attr(role), buf);
}

void panel_log_draw(struct ui *u, const struct rect *b)
{
	struct panel_state *ps = &u->ps[PANEL_LOG];
	const struct logbuf *lb = &u->log;
	int w = b->w - 1;
	if (b->h <= 0 || w < 10)
		return;
	if (ps->scroll < 0)
		ps->scroll = 0;
	/* Rows from the bottom: skip `scroll` of them, then draw b->h. */
	int skip = ps->scroll, y = b->y + b->h - 1;
	size_t i = lb->n;
	struct seg segs[MAX_SEGS];
	/* A log of a few rows keeps them for what happened; the reasons are
	 * one `explain` away. */
	bool reasons = b->h >= LOG_ROWS_FOR_REASONS;
	while (i > 0 && y >= b->y) {
		const struct logline *l = log_get(lb, --i);
		if (l->reason && !reasons)
			continue;
		int n = wrap(l, w, segs);
		for (int k = n - 1; k >= 0 && y >= b->y; k--) {
			if (skip > 0) {
				skip--;
				continue;
			}
			draw_seg(&segs[k], (enum role)l->role, y--, b);
		}
	}
	if (skip > 0) {
		/* Scrolled past the oldest line: pin to the top and redraw. */
		ps->scroll -= skip;
		draw_clear(b);
		panel_log_draw(u, b);
		return;
	}
	ps->page = b->h;
	if (ps->scroll > 0)
		draw_text(b->y + b->h - 1, b->x + b->w - 1, 1, theme_attr(R_DIM), theme_glyphs()->down);
	if (i > 0 || y < b->y)
		draw_text(b->y, b->x + b->w - 1, 1, theme_attr(R_DIM), theme_glyphs()->up);
}
