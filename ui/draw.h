/* draw.h - small drawing helpers on stdscr: clipped UTF-8 text, rules,
 * titles, number formatting. Every panel draws through these. */
#ifndef VMVIZ_UI_DRAW_H
#define VMVIZ_UI_DRAW_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "theme.h"

/* Display width of UTF-8 text (wide CJK characters count two). */
int text_width(const char *s);
/* Byte length of the longest prefix of s that fits in maxw columns;
 * *cols gets its width. */
size_t text_fit(const char *s, int maxw, int *cols);

/* Byte length of one wrapped row of s in maxw columns: the longest prefix
 * that fits, cut after a space in its second half when there is one, else
 * after a '/' or ',' there (Chinese, with none, is cut anywhere); at least
 * one character. */
size_t text_wrap(const char *s, int maxw);
/* The column continuation rows of a wrapped line hang at: just past its
 * last gap of two or more spaces that leaves min_room columns of w (the
 * description column of a table row), else its indentation plus two (also
 * when min_room is more than that column leaves). */
int text_hang(const char *s, int w, int min_room);

/* Draws s at (y, x), at most maxw columns; returns the columns used. */
int draw_text(int y, int x, int maxw, attr_t a, const char *s);
int draw_textf(int y, int x, int maxw, attr_t a, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* Like draw_text, with "…" as the last column when s does not fit. */
int draw_clip(int y, int x, int maxw, attr_t a, const char *s);
/* Like draw_text, and pads with spaces up to maxw (whole-row bars). */
void draw_line(int y, int x, int maxw, attr_t a, const char *s);
/* Text centred in w columns starting at x. */
void draw_centered(int y, int x, int w, attr_t a, const char *s);
void draw_fill(int y, int x, int w, attr_t a);
void draw_clear(const struct rect *r);

/* A panel's title rule: "─ Title ─── right ─". */
void draw_title(const struct rect *panel, const char *title, const char *right, bool focus);
void draw_vsep(const struct rect *sep);
/* Where a title rule crosses a separator. */
void draw_cross(int y, int x);

/* "4K", "132K", "1.5M", "128T": sizes as ps/top print them. */
void fmt_bytes(uint64_t bytes, char *buf, size_t size);

#endif
