/* output.c - the output pane: when a command prints more than the event
 * log can show (maps, ps with many processes, help), its output is laid
 * over the panels, wrapped to the screen, until Esc or the next command.
 * Typing goes on at the prompt meanwhile. */
#include "app.h"
#include "draw.h"

#include <stdlib.h>
#include <string.h>

void output_open(struct ui *u, const char *line, const char *text)
{
	free(u->out_text);
	u->out_text = strdup(text);
	snprintf(u->out_title, sizeof u->out_title, "%s", line);
	u->out_scroll = 0;
	u->dirty |= D_PANELS | D_LOG;
}

void output_close(struct ui *u)
{
	if (!u->out_text)
		return;
	free(u->out_text);
	u->out_text = NULL;
	u->dirty |= D_PANELS | D_LOG | D_CLEAR;
}

/* The area it covers: every panel row. */
static struct rect area(const struct ui *u)
{
	const struct layout *l = &u->lay;
	int bottom = l->caption.h ? l->caption.y : l->prompt.y;
	struct rect r = {1, 0, bottom - 1, l->cols};
	return r;
}

/* Calls fn for each screen row of the wrapped text; returns the count. */
static int rows_of(const char *t, int w, int first, int max, int y0, attr_t a)
{
	int n = 0;
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		char line[1024];
		snprintf(line, sizeof line, "%.*s", (int)(len < sizeof line ? len : sizeof line - 1), t);
		const char *p = line;
		do {
			int cols;
			size_t k = text_fit(p, w, &cols);
			if (k == 0 && *p)
				k = 1;
			if (n >= first && n < first + max) {
				char seg[1024];
				snprintf(seg, sizeof seg, "%.*s", (int)k, p);
				draw_text(y0 + n - first, 1, w, a, seg);
			}
			n++;
			p += k;
		} while (*p);
		t = nl ? nl + 1 : t + len;
	}
	return n;
}

void output_draw(struct ui *u)
{
	if (!u->out_text)
		return;
	struct rect r = area(u);
	draw_clear(&r);
	struct rect title = {r.y, r.x, 1, r.w};
	char t[200];
	snprintf(t, sizeof t, "%s %s", theme_glyphs()->bullet, u->out_title);
	char hint[120];
	snprintf(hint, sizeof hint, tr(u, "Esc closes %s PgUp/PgDn scroll", "Esc 关闭 %s PgUp/PgDn 滚动"),
		 theme_glyphs()->mid);
	draw_title(&title, t, hint, true);
	int h = r.h - 1, w = r.w - 2;
	int total = rows_of(u->out_text, w, 0, 0, 0, 0);
	if (u->out_scroll > total - h)
		u->out_scroll = total - h;
	if (u->out_scroll < 0)
		u->out_scroll = 0;
	rows_of(u->out_text, w, u->out_scroll, h, r.y + 1, theme_attr(R_NORMAL));
	const struct glyphs *g = theme_glyphs();
	if (u->out_scroll > 0)
		draw_text(r.y + 1, r.x + r.w - 1, 1, theme_attr(R_DIM), g->up);
	if (u->out_scroll + h < total)
		draw_text(r.y + r.h - 1, r.x + r.w - 1, 1, theme_attr(R_DIM), g->down);
}

bool output_scroll(struct ui *u, int dir)
{
	if (!u->out_text)
		return false;
	struct rect r = area(u);
	int step = r.h > 3 ? r.h - 2 : 1;
	u->out_scroll += dir * step;
	u->dirty |= D_PANELS;
	return true;
}
