/* output.c - the output pane: when a command prints more than the event
 * log can show (maps, ps with many processes, help), its output is laid
 * over the panels (as many rows as it needs), wrapped to the screen, until
 * Esc or the next command.
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

/* The area it may cover: every panel row. */
static struct rect area(const struct ui *u)
{
	const struct layout *l = &u->lay;
	int bottom = l->caption.h ? l->caption.y : l->prompt.y;
	struct rect r = {1, 0, bottom - 1, l->cols};
	return r;
}

/* Calls draw for each screen row of the text wrapped to w columns (words
 * kept whole, continuation rows hanging under a table row's last column)
 * from row first on, at most max rows; returns the count of all rows. */
static int rows_of(const char *t, int w, int first, int max, int y0, attr_t a, bool draw)
{
	int n = 0;
	while (*t) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		char stack[512];
		char *line = len < sizeof stack ? stack : malloc(len + 1);
		if (!line)
			return n;
		memcpy(line, t, len);
		line[len] = 0;
		int hang = text_hang(line, w, w / 3), indent = 0;
		const char *p = line;
		do {
			size_t k = text_wrap(p, w - indent);
			if (draw && n >= first && n < first + max) {
				char seg[512];
				snprintf(seg, sizeof seg, "%.*s", (int)(k < sizeof seg ? k : sizeof seg - 1), p);
				draw_text(y0 + n - first, 1 + indent, w - indent, a, seg);
			}
			n++;
			p += k;
			indent = hang;
			while (*p == ' ')
				p++;
		} while (*p);
		if (line != stack)
			free(line);
		t = nl ? nl + 1 : t + len;
	}
	return n;
}

/* The pane: as tall as the text (a title, its rows and a closing rule)
 * when that leaves panels to see, else all of the area. */
static struct rect pane(const struct ui *u, int *total)
{
	struct rect r = area(u);
	*total = rows_of(u->out_text, r.w - 2, 0, 0, 0, 0, false);
	if (*total + 2 < r.h)
		r.h = *total + 2;
	return r;
}

void output_draw(struct ui *u)
{
	if (!u->out_text)
		return;
	int total;
	struct rect r = pane(u, &total);
	bool full = r.h == area(u).h;
	draw_clear(&r);
	struct rect title = {r.y, r.x, 1, r.w};
	char t[200];
	snprintf(t, sizeof t, "%s %s", theme_glyphs()->bullet, u->out_title);
	char hint[120];
	snprintf(hint, sizeof hint, tr(u, "Esc closes %s PgUp/PgDn scroll", "Esc 关闭 %s PgUp/PgDn 滚动"),
		 theme_glyphs()->mid);
	draw_title(&title, t, full ? hint : tr(u, "Esc closes", "Esc 关闭"), true);
	int h = full ? r.h - 1 : r.h - 2, w = r.w - 2;
	if (!full) {
		for (int x = 0; x < r.w; x++)
			draw_text(r.y + r.h - 1, r.x + x, 1, theme_attr(R_RULE), theme_glyphs()->h);
	}
	if (u->out_scroll > total - h)
		u->out_scroll = total - h;
	if (u->out_scroll < 0)
		u->out_scroll = 0;
	rows_of(u->out_text, w, u->out_scroll, h, r.y + 1, theme_attr(R_NORMAL), true);
	const struct glyphs *g = theme_glyphs();
	if (u->out_scroll > 0)
		draw_text(r.y + 1, r.x + r.w - 1, 1, theme_attr(R_DIM), g->up);
	if (u->out_scroll + h < total)
		draw_text(r.y + h, r.x + r.w - 1, 1, theme_attr(R_DIM), g->down);
}

bool output_scroll(struct ui *u, int dir)
{
	if (!u->out_text)
		return false;
	int total;
	struct rect r = pane(u, &total);
	int step = r.h > 3 ? r.h - 2 : 1;
	u->out_scroll += dir * step;
	u->dirty |= D_PANELS;
	return true;
}
