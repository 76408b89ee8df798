/* draw.c - clipped UTF-8 text and rules on stdscr.
 *
 * Text is measured with mbrtowc/wcwidth so Chinese (two columns a
 * character) never runs past a panel edge. Pure-ASCII strings, the common
 * case, take a fast path: one strlen, no conversion.
 */
#include "draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

static bool is_ascii(const char *s, size_t *len)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p >= 0x80)
			return false;
		p++;
	}
	*len = (size_t)(p - (const unsigned char *)s);
	return true;
}

size_t text_fit(const char *s, int maxw, int *cols)
{
	size_t len;
	if (is_ascii(s, &len)) {
		if ((int)len > maxw)
			len = maxw > 0 ? (size_t)maxw : 0;
		*cols = (int)len;
		return len;
	}
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t i = 0, n = strlen(s);
	int w = 0;
	while (i < n) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &st);
		int cw;
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			k = 1;
			cw = 1;
		} else {
			cw = wcwidth(wc);
			if (cw < 0)
				cw = 1;
		}
		if (w + cw > maxw)
			break;
		w += cw;
		i += k;
	}
	*cols = w;
	return i;
}

int text_width(const char *s)
{
	int w;
	text_fit(s, 1 << 30, &w);
	return w;
}

size_t text_wrap(const char *s, int maxw)
{
	int cols;
	size_t k = text_fit(s, maxw, &cols);
	if (!s[k])
		return k;
	if (k == 0) {
		/* Not even one character fits: take one anyway. */
		mbstate_t st;
		memset(&st, 0, sizeof st);
		size_t n = mbrtowc(NULL, s, strlen(s), &st);
		return n == 0 || n > strlen(s) ? 1 : n;
	}
	/* A space at the cut is a clean break already. */
	if (s[k] == ' ')
		return k;
	for (size_t i = k; i > k / 2; i--)
		if (s[i - 1] == ' ')
			return i;
	/* No space: a path or a list may still break after '/' or ','. */
	for (size_t i = k; i > k / 2; i--)
		if (s[i - 1] == '/' || s[i - 1] == ',')
			return i;
	return k;
}

int text_hang(const char *s, int w, int min_room)
{
	int lead = 0;
	while (s[lead] == ' ')
		lead++;
	int hang = -1, col = 0;
	mbstate_t st;
	memset(&st, 0, sizeof st);
	size_t n = strlen(s);
	for (size_t i = 0; i < n;) {
		if (s[i] == ' ' && (int)i > lead && s[i + 1] == ' ') {
			while (s[i] == ' ') {
				i++;
				col++;
			}
			if (!s[i] || col > w - min_room)
				break;
			hang = col;
			continue;
		}
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &st);
		int cw = 1;
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&st, 0, sizeof st);
			k = 1;
		} else if ((cw = wcwidth(wc)) < 0) {
			cw = 1;
		}
		i += k;
		col += cw;
		if (col > w - min_room)
			break;
	}
	/* A column too narrow for what wraps into it makes a tall thin
	 * strip: then hang just past the indentation. */
	if (hang < 0 || w - hang < min_room)
		hang = lead + 2;
	return hang < w - min_room ? hang : 0;
}

/* Writes bytes that the locale cannot decode as '?', so a stray byte never
 * upsets curses' multibyte assembly. */
static void put_bytes(const char *s, size_t n)
{
	size_t len;
	if (is_ascii(s, &len) || MB_CUR_MAX > 1) {
		addnstr(s, (int)n);
		return;
	}
	for (size_t i = 0; i < n; i++)
		addch((unsigned char)s[i] < 0x80 ? (chtype)(unsigned char)s[i] : '?');
}

int draw_text(int y, int x, int maxw, attr_t a, const char *s)
{
	if (maxw <= 0 || !s)
		return 0;
	int cols;
	size_t n = text_fit(s, maxw, &cols);
	if (n == 0)
		return 0;
	attrset(a);
	move(y, x);
	put_bytes(s, n);
	return cols;
}

int draw_clip(int y, int x, int maxw, attr_t a, const char *s)
{
	if (maxw <= 0)
		return 0;
	if (text_width(s) <= maxw)
		return draw_text(y, x, maxw, a, s);
	int n = draw_text(y, x, maxw - 1, a, s);
	return n + draw_text(y, x + n, 1, a, theme_glyphs()->ell);
}

int draw_textf(int y, int x, int maxw, attr_t a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return draw_text(y, x, maxw, a, buf);
}

void draw_fill(int y, int x, int w, attr_t a)
{
	if (w <= 0)
		return;
	attrset(a);
	mvhline(y, x, ' ', w);
}

void draw_line(int y, int x, int maxw, attr_t a, const char *s)
{
	int n = draw_text(y, x, maxw, a, s);
	draw_fill(y, x + n, maxw - n, a);
}

void draw_centered(int y, int x, int w, attr_t a, const char *s)
{
	int tw = text_width(s);
	int off = tw < w ? (w - tw) / 2 : 0;
	draw_text(y, x + off, w - off, a, s);
}

void draw_clear(const struct rect *r)
{
	attr_t a = theme_attr(R_NORMAL);
	for (int i = 0; i < r->h; i++)
		draw_fill(r->y + i, r->x, r->w, a);
}

static void rule(int y, int x, int w, attr_t a)
{
	const char *h = theme_glyphs()->h;
	attrset(a);
	move(y, x);
	for (int i = 0; i < w; i++)
		addstr(h);
}

void draw_title(const struct rect *p, const char *title, const char *right, bool focus)
{
	if (p->h <= 0 || p->w <= 0)
		return;
	attr_t ra = theme_attr(R_RULE);
	rule(p->y, p->x, p->w, ra);
	int x = p->x + 1, end = p->x + p->w - 1;
	char buf[160];
	snprintf(buf, sizeof buf, " %s ", title);
	x += draw_text(p->y, x, end - x, theme_attr(focus ? R_TITLE_FOCUS : R_TITLE), buf);
	if (right && *right) {
		snprintf(buf, sizeof buf, " %s ", right);
		int w = text_width(buf);
		if (x + w + 1 <= end)
			draw_text(p->y, end - w, w, theme_attr(R_HEADER), buf);
	}
}

void draw_vsep(const struct rect *sep)
{
	const struct glyphs *g = theme_glyphs();
	attrset(theme_attr(R_RULE));
	for (int i = 0; i < sep->h; i++)
		mvaddstr(sep->y + i, sep->x, i == 0 ? g->tee_down : g->v);
}

void draw_cross(int y, int x)
{
	attrset(theme_attr(R_RULE));
	mvaddstr(y, x, theme_glyphs()->cross);
}

void fmt_bytes(uint64_t bytes, char *buf, size_t size)
{
	static const char units[] = "KMGTPE";
	if (bytes < 1024) {
		snprintf(buf, size, "%lluB", (unsigned long long)bytes);
		return;
	}
	double v = (double)bytes / 1024.0;
	int u = 0;
	/* Keep whole numbers whole (132K, 8M); otherwise one decimal under 10. */
	while (v >= 1024.0 && u < 5) {
		v /= 1024.0;
		u++;
	}
	if (v == (double)(uint64_t)v || v >= 10.0)
		snprintf(buf, size, "%llu%c", (unsigned long long)(v + 0.5), units[u]);
	else
		snprintf(buf, size, "%.1f%c", v, units[u]);
}
