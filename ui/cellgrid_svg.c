/* cellgrid_svg.c - draws a cell grid as an SVG picture of a dark terminal.
 *
 * Layout: every cell is CELL_W x CELL_H pixels. The picture is drawn in
 * three layers: backgrounds (one <rect> per run of equal colour in a row),
 * line-drawing and block characters (drawn as shapes, not font glyphs, so
 * that lines join across cells whatever font the renderer picks), then the
 * text (one <text> per run of equal style, its length pinned with
 * textLength so columns stay aligned, non-ASCII glyphs placed at their own
 * column; wide characters get their own <text>, centred on their two
 * cells). */
#include "cellgrid.h"

#include <stdlib.h>

/* Cell size in pixels; the font size makes a DejaVu Sans Mono advance
 * (0.602 em) exactly one cell wide, and the cell height is ~1.2 em. */
#define CELL_W 9.0
#define CELL_H 18.0
#define FONT_SIZE 14.95
#define BASELINE 14.0    /* from the cell top: centres ascent + descent */
#define PAD 12.0         /* margin around the grid */
#define TITLE_H 30.0     /* title bar, drawn only when there is a title */

/* Line-drawing stroke widths. */
#define LIGHT 1.3
#define HEAVY 2.6
#define DBL_W 1.1        /* each stroke of a double line */
#define DBL_OFF 1.8      /* distance of the double strokes from the centre */

#define DEFAULT_FG 0xd0d0d0u
#define DEFAULT_BG 0x16181cu
#define FRAME_BG 0x23262cu  /* title bar */

/* The 16 base colours: a soft dark theme, not xterm's harsh ones. The
 * normal eight are deep enough to carry white text as a background (status
 * bars, highlights), the bright eight light enough to read as text. */
static const uint32_t base16[16] = {
	0x3b4048, 0xdc5158, 0x5fa83a, 0xd7a53a, 0x4a8ae6, 0xb066d8, 0x2aa3b3, 0xc8ccd4,
	0x6b7280, 0xff6b72, 0x8fd46a, 0xffd866, 0x6cb0ff, 0xd68cf5, 0x5fd7e6, 0xffffff,
};

uint32_t cellgrid_rgb(uint32_t colour, bool foreground)
{
	if (colour == CELL_DEFAULT)
		return foreground ? DEFAULT_FG : DEFAULT_BG;
	if (colour & 0x01000000u)
		return colour & 0xffffffu;
	colour &= 0xff;
	if (colour < 16)
		return base16[colour];
	if (colour < 232) {
		/* the xterm 6x6x6 cube */
		static const uint32_t level[6] = {0, 95, 135, 175, 215, 255};
		uint32_t i = colour - 16;
		return level[i / 36] << 16 | level[i / 6 % 6] << 8 | level[i % 6];
	}
	uint32_t grey = 8 + 10 * (colour - 232);
	return grey << 16 | grey << 8 | grey;
}

/* How a cell looks once reverse video is applied. */
struct look {
	uint32_t fg, bg;
	bool bold, underline;
};

static struct look cell_look(const struct cell *c)
{
	struct look l = {
		cellgrid_rgb(c->fg, true), cellgrid_rgb(c->bg, false), c->bold, c->underline,
	};
	if (c->reverse) {
		uint32_t t = l.fg;
		l.fg = l.bg;
		l.bg = t;
	}
	return l;
}

/* Where the grid's top-left corner is in the picture, and its page
 * colour (the margin, and the cells that need no rectangle of their own). */
struct svg {
	FILE *out;
	double ox, oy;
	uint32_t page;
};

/* The page colour: the commonest cell background, so that a theme with its
 * own ground (light, contrast) gets margins of that ground, not a dark
 * frame around it. Counted over a few candidates: the first of each new
 * colour takes a slot. */
static uint32_t page_colour(const struct cellgrid *g)
{
	uint32_t colour[8];
	long count[8];
	int n = 0;
	for (int i = 0; i < g->rows * g->cols; i++) {
		uint32_t bg = cell_look(&g->cells[i]).bg;
		int k = 0;
		while (k < n && colour[k] != bg)
			k++;
		if (k == n) {
			if (n == 8)
				continue;
			colour[n] = bg;
			count[n++] = 0;
		}
		count[k]++;
	}
	int best = 0;
	for (int k = 1; k < n; k++)
		if (count[k] > count[best])
			best = k;
	return n ? colour[best] : DEFAULT_BG;
}

static bool light_colour(uint32_t rgb)
{
	return (299 * (rgb >> 16 & 0xff) + 587 * (rgb >> 8 & 0xff) + 114 * (rgb & 0xff)) / 1000 > 140;
}

static double cell_x(const struct svg *s, int col)
{
	return s->ox + col * CELL_W;
}

static double cell_y(const struct svg *s, int row)
{
	return s->oy + row * CELL_H;
}

static void svg_rect(const struct svg *s, double x, double y, double w, double h,
		     uint32_t rgb)
{
	fprintf(s->out, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"#%06x\"/>\n",
		x, y, w, h, (unsigned)rgb);
}

/* ---- line drawing (U+2500..U+257F) ---- */

enum { UP, RIGHT, DOWN, LEFT };
enum { NONE, LIT, HVY, DBL };

/* Arms of each box-drawing character: 2 bits each, up right down left. */
#define B(u, r, d, l) ((u) << 6 | (r) << 4 | (d) << 2 | (l))
static const uint8_t box_arms[128] = {
	/* 2500 */ B(0,1,0,1), B(0,2,0,2), B(1,0,1,0), B(2,0,2,0),
	/* 2504 */ B(0,1,0,1), B(0,2,0,2), B(1,0,1,0), B(2,0,2,0),
	/* 2508 */ B(0,1,0,1), B(0,2,0,2), B(1,0,1,0), B(2,0,2,0),
	/* 250c */ B(0,1,1,0), B(0,2,1,0), B(0,1,2,0), B(0,2,2,0),
	/* 2510 */ B(0,0,1,1), B(0,0,1,2), B(0,0,2,1), B(0,0,2,2),
	/* 2514 */ B(1,1,0,0), B(1,2,0,0), B(2,1,0,0), B(2,2,0,0),
	/* 2518 */ B(1,0,0,1), B(1,0,0,2), B(2,0,0,1), B(2,0,0,2),
	/* 251c */ B(1,1,1,0), B(1,2,1,0), B(2,1,1,0), B(1,1,2,0),
	/* 2520 */ B(2,1,2,0), B(2,2,1,0), B(1,2,2,0), B(2,2,2,0),
	/* 2524 */ B(1,0,1,1), B(1,0,1,2), B(2,0,1,1), B(1,0,2,1),
	/* 2528 */ B(2,0,2,1), B(2,0,1,2), B(1,0,2,2), B(2,0,2,2),
	/* 252c */ B(0,1,1,1), B(0,1,1,2), B(0,2,1,1), B(0,2,1,2),
	/* 2530 */ B(0,1,2,1), B(0,1,2,2), B(0,2,2,1), B(0,2,2,2),
	/* 2534 */ B(1,1,0,1), B(1,1,0,2), B(1,2,0,1), B(1,2,0,2),
	/* 2538 */ B(2,1,0,1), B(2,1,0,2), B(2,2,0,1), B(2,2,0,2),
	/* 253c */ B(1,1,1,1), B(1,1,1,2), B(1,2,1,1), B(1,2,1,2),
	/* 2540 */ B(2,1,1,1), B(1,1,2,1), B(2,1,2,1), B(2,1,1,2),
	/* 2544 */ B(2,2,1,1), B(1,1,2,2), B(1,2,2,1), B(2,2,1,2),
	/* 2548 */ B(1,2,2,2), B(2,1,2,2), B(2,2,2,1), B(2,2,2,2),
	/* 254c */ B(0,1,0,1), B(0,2,0,2), B(1,0,1,0), B(2,0,2,0),
	/* 2550 */ B(0,3,0,3), B(3,0,3,0), B(0,3,1,0), B(0,1,3,0),
	/* 2554 */ B(0,3,3,0), B(0,0,1,3), B(0,0,3,1), B(0,0,3,3),
	/* 2558 */ B(1,3,0,0), B(3,1,0,0), B(3,3,0,0), B(1,0,0,3),
	/* 255c */ B(3,0,0,1), B(3,0,0,3), B(1,3,1,0), B(3,1,3,0),
	/* 2560 */ B(3,3,3,0), B(1,0,1,3), B(3,0,3,1), B(3,0,3,3),
	/* 2564 */ B(0,3,1,3), B(0,1,3,1), B(0,3,3,3), B(1,3,0,3),
	/* 2568 */ B(3,1,0,1), B(3,3,0,3), B(1,3,1,3), B(3,1,3,1),
	/* 256c */ B(3,3,3,3), B(0,1,1,0), B(0,0,1,1), B(1,0,0,1),
	/* 2570 */ B(1,1,0,0), 0, 0, 0,
	/* 2574 */ B(0,0,0,1), B(1,0,0,0), B(0,1,0,0), B(0,0,1,0),
	/* 2578 */ B(0,0,0,2), B(2,0,0,0), B(0,2,0,0), B(0,0,2,0),
	/* 257c */ B(0,2,0,1), B(1,0,2,0), B(0,1,0,2), B(2,0,1,0),
};
#undef B

static int arm(uint8_t arms, int dir)
{
	return arms >> (6 - 2 * dir) & 3;
}

static double thickness(int style)
{
	return style == HVY ? HEAVY : LIGHT;
}

/* A box cell being drawn: its centre, its arms and its colour. */
struct box {
	const struct svg *s;
	double x, y, cx, cy;
	uint8_t arms;
	uint32_t rgb;
};

/* Adds a rectangle to the cell's path. One path per cell, filled as a
 * union, so where strokes overlap the anti-aliased edges are not painted
 * twice (which shows as bright dots along the lines). */
static void box_rect(const struct box *b, double x, double y, double w, double h)
{
	fprintf(b->s->out, "M%g %gh%gv%gh%gz", x, y, w, h, -w);
}

/* Draws a stroke of width w along direction dir, from the cell edge to
 * `ext` past the centre (negative: stopping short of it), shifted sideways
 * by `off`. */
static void box_stroke(const struct box *b, int dir, double w, double ext, double off)
{
	double h = w / 2;
	switch (dir) {
	case UP:
		box_rect(b, b->cx + off - h, b->y, w, b->cy + ext - b->y);
		break;
	case DOWN:
		box_rect(b, b->cx + off - h, b->cy - ext, w, b->y + CELL_H - b->cy + ext);
		break;
	case LEFT:
		box_rect(b, b->x, b->cy + off - h, b->cx + ext - b->x, w);
		break;
	default:
		box_rect(b, b->cx - ext, b->cy + off - h, b->x + CELL_W - b->cx + ext, w);
		break;
	}
}

/* How far a light or heavy arm reaches past the centre so that it meets
 * the other arms without a gap or an overshoot. */
static double single_ext(const struct box *b, int dir)
{
	int st = arm(b->arms, dir);
	int p1 = arm(b->arms, (dir + 1) % 4), p2 = arm(b->arms, (dir + 3) % 4);
	if (arm(b->arms, (dir + 2) % 4))
		return thickness(st) / 2; /* straight through */
	if (p1 == DBL || p2 == DBL) /* a tee stops at the near double stroke */
		return p1 && p2 ? -(DBL_OFF - DBL_W / 2) : DBL_OFF + DBL_W / 2;
	double t = thickness(st) / 2;
	if (p1 && thickness(p1) / 2 > t)
		t = thickness(p1) / 2;
	if (p2 && thickness(p2) / 2 > t)
		t = thickness(p2) / 2;
	return t;
}

/* How far one stroke of a double arm reaches: `side` is the perpendicular
 * direction the stroke is shifted towards. */
static double double_ext(const struct box *b, int side)
{
	int near = arm(b->arms, side), far = arm(b->arms, (side + 2) % 4);
	if (near)
		return near == DBL ? -(DBL_OFF - DBL_W / 2) : 0;
	if (far)
		return far == DBL ? DBL_OFF + DBL_W / 2 : thickness(far) / 2;
	return DBL_W / 2;
}

static void box_arm(const struct box *b, int dir)
{
	int st = arm(b->arms, dir);
	if (st == NONE)
		return;
	if (st != DBL) {
		box_stroke(b, dir, thickness(st), single_ext(b, dir), 0);
		return;
	}
	/* for vertical arms the sides are LEFT/RIGHT, for horizontal UP/DOWN */
	int minus = (dir == UP || dir == DOWN) ? LEFT : UP;
	box_stroke(b, dir, DBL_W, double_ext(b, minus), -DBL_OFF);
	box_stroke(b, dir, DBL_W, double_ext(b, (minus + 2) % 4), DBL_OFF);
}

/* Dash count of the dashed lines (drawn as dashes across the cell). */
static int box_dashes(uint32_t cp)
{
	if (cp >= 0x2504 && cp <= 0x2507)
		return 3;
	if (cp >= 0x2508 && cp <= 0x250b)
		return 4;
	if (cp >= 0x254c && cp <= 0x254f)
		return 2;
	return 0;
}

static void box_dashed(const struct box *b, int n)
{
	bool vertical = arm(b->arms, UP) != NONE;
	double w = thickness(arm(b->arms, vertical ? UP : RIGHT));
	double len = (vertical ? CELL_H : CELL_W) / n;
	for (int i = 0; i < n; i++) {
		double at = i * len + len / 4;
		if (vertical)
			box_rect(b, b->cx - w / 2, b->y + at, w, len / 2);
		else
			box_rect(b, b->x + at, b->cy - w / 2, len / 2, w);
	}
}

/* Point at the cell edge in direction dir, or `r` from the centre. */
static void box_point(const struct box *b, int dir, double r, double *px, double *py)
{
	static const int dx[4] = {0, 1, 0, -1}, dy[4] = {-1, 0, 1, 0};
	double reach_x = r < 0 ? CELL_W / 2 : r, reach_y = r < 0 ? CELL_H / 2 : r;
	*px = b->cx + dx[dir] * reach_x;
	*py = b->cy + dy[dir] * reach_y;
}

/* Rounded corners: straight to near the centre, a curve, straight out. */
static void box_arc(const struct box *b)
{
	int d[2], n = 0;
	for (int dir = 0; dir < 4 && n < 2; dir++)
		if (arm(b->arms, dir))
			d[n++] = dir;
	double r = CELL_W / 2, x0, y0, x1, y1, x2, y2, x3, y3;
	box_point(b, d[0], -1, &x0, &y0);
	box_point(b, d[0], r, &x1, &y1);
	box_point(b, d[1], r, &x2, &y2);
	box_point(b, d[1], -1, &x3, &y3);
	fprintf(b->s->out, "<path d=\"M%g %gL%g %gQ%g %g %g %gL%g %g\" fill=\"none\" "
		"stroke=\"#%06x\" stroke-width=\"%g\"/>\n",
		x0, y0, x1, y1, b->cx, b->cy, x2, y2, x3, y3, (unsigned)b->rgb, LIGHT);
}

static void box_diagonal(const struct box *b, uint32_t cp)
{
	double x0 = b->x, x1 = b->x + CELL_W, y0 = b->y, y1 = b->y + CELL_H;
	fputs("<path d=\"", b->s->out);
	if (cp != 0x2572)
		fprintf(b->s->out, "M%g %gL%g %g", x0, y1, x1, y0);
	if (cp != 0x2571)
		fprintf(b->s->out, "M%g %gL%g %g", x0, y0, x1, y1);
	fprintf(b->s->out, "\" stroke=\"#%06x\" stroke-width=\"%g\"/>\n", (unsigned)b->rgb, LIGHT);
}

static void draw_box(const struct box *b, uint32_t cp)
{
	if (cp >= 0x2571 && cp <= 0x2573) {
		box_diagonal(b, cp);
	} else if (cp >= 0x256d && cp <= 0x2570) {
		box_arc(b);
	} else {
		fputs("<path d=\"", b->s->out);
		if (box_dashes(cp))
			box_dashed(b, box_dashes(cp));
		else
			for (int dir = 0; dir < 4; dir++)
				box_arm(b, dir);
		fprintf(b->s->out, "\" fill=\"#%06x\"/>\n", (unsigned)b->rgb);
	}
}

/* ---- block elements (U+2580..U+259F) ---- */

/* Quadrant blocks U+2596..U+259F: bit 0 upper left, 1 upper right,
 * 2 lower left, 3 lower right. */
static const uint8_t quadrants[10] = {4, 8, 1, 1 | 4 | 8, 1 | 8, 1 | 2 | 4, 1 | 2 | 8, 2, 2 | 4, 2 | 4 | 8};

static void draw_quadrants(const struct box *b, unsigned bits)
{
	double w = CELL_W / 2, h = CELL_H / 2;
	for (int q = 0; q < 4; q++)
		if (bits & (1u << q))
			svg_rect(b->s, b->x + (q & 1) * w, b->y + (q >> 1) * h, w, h, b->rgb);
}

static void draw_block(const struct box *b, uint32_t cp)
{
	const struct svg *s = b->s;
	if (cp == 0x2580) {
		svg_rect(s, b->x, b->y, CELL_W, CELL_H / 2, b->rgb);
	} else if (cp <= 0x2588) { /* lower 1/8 .. full */
		double h = CELL_H * (cp - 0x2580) / 8;
		svg_rect(s, b->x, b->y + CELL_H - h, CELL_W, h, b->rgb);
	} else if (cp <= 0x258f) { /* left 7/8 .. 1/8 */
		svg_rect(s, b->x, b->y, CELL_W * (0x2590 - cp) / 8, CELL_H, b->rgb);
	} else if (cp == 0x2590) {
		svg_rect(s, b->x + CELL_W / 2, b->y, CELL_W / 2, CELL_H, b->rgb);
	} else if (cp <= 0x2593) { /* shades: the colour at 1/4, 1/2, 3/4 */
		fprintf(s->out, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"#%06x\" "
			"fill-opacity=\"%g\"/>\n", b->x, b->y, CELL_W, CELL_H,
			(unsigned)b->rgb, (cp - 0x2590) / 4.0);
	} else if (cp == 0x2594) {
		svg_rect(s, b->x, b->y, CELL_W, CELL_H / 8, b->rgb);
	} else if (cp == 0x2595) {
		svg_rect(s, b->x + CELL_W * 7 / 8, b->y, CELL_W / 8, CELL_H, b->rgb);
	} else {
		draw_quadrants(b, quadrants[cp - 0x2596]);
	}
}

/* Characters drawn as shapes rather than with the font. */
static bool is_drawn(uint32_t cp)
{
	return cp >= 0x2500 && cp <= 0x259f;
}

static void draw_shape(const struct svg *s, int row, int col, uint32_t cp, uint32_t rgb)
{
	struct box b = {s, cell_x(s, col), cell_y(s, row), 0, 0, 0, rgb};
	b.cx = b.x + CELL_W / 2;
	b.cy = b.y + CELL_H / 2;
	if (cp >= 0x2580) {
		draw_block(&b, cp);
		return;
	}
	b.arms = box_arms[cp - 0x2500];
	draw_box(&b, cp);
}

/* ---- layers ---- */

static void draw_backgrounds(const struct svg *s, const struct cellgrid *g)
{
	for (int r = 0; r < g->rows; r++) {
		int c = 0;
		while (c < g->cols) {
			uint32_t bg = cell_look(&g->cells[r * g->cols + c]).bg;
			int end = c + 1;
			while (end < g->cols && cell_look(&g->cells[r * g->cols + end]).bg == bg)
				end++;
			if (bg != s->page)
				svg_rect(s, cell_x(s, c), cell_y(s, r), (end - c) * CELL_W, CELL_H, bg);
			c = end;
		}
	}
}

static void draw_shapes(const struct svg *s, const struct cellgrid *g)
{
	for (int r = 0; r < g->rows; r++)
		for (int c = 0; c < g->cols; c++) {
			const struct cell *cl = &g->cells[r * g->cols + c];
			if (is_drawn(cl->ch))
				draw_shape(s, r, c, cl->ch, cell_look(cl).fg);
		}
}

/* Writes cp as XML character data. */
static void xml_char(FILE *out, uint32_t cp)
{
	char buf[4];
	switch (cp) {
	case '&': fputs("&amp;", out); return;
	case '<': fputs("&lt;", out); return;
	case '>': fputs("&gt;", out); return;
	default: break;
	}
	if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
		cp = ' '; /* not allowed in XML, and invisible anyway */
	else if (cp == 0xfffe || cp == 0xffff)
		cp = 0xfffd;
	int n = cellgrid_utf8_encode(cp, buf);
	fwrite(buf, 1, (size_t)n, out);
}

/* Writes the attributes shared by every <text> of a given look. */
static void text_style(FILE *out, const struct look *l)
{
	fprintf(out, " fill=\"#%06x\"", (unsigned)l->fg);
	if (l->bold)
		fputs(" font-weight=\"bold\"", out);
	if (l->underline)
		fputs(" text-decoration=\"underline\"", out);
}

/* Kinds of cells for the text layer. */
enum text_kind { T_NONE, T_SPACE, T_GLYPH, T_WIDE };

static enum text_kind text_kind(const struct cellgrid *g, int r, int c)
{
	const struct cell *cl = &g->cells[r * g->cols + c];
	if (cl->ch == 0 || is_drawn(cl->ch))
		return T_NONE;
	if (cl->ch == ' ' && !cl->underline)
		return T_SPACE; /* fits in any run: only its background shows */
	if (c + 1 < g->cols && g->cells[r * g->cols + c + 1].ch == 0)
		return T_WIDE;
	return T_GLYPH;
}

static bool same_text_look(const struct look *a, const struct look *b)
{
	return a->fg == b->fg && a->bold == b->bold && a->underline == b->underline;
}

/* Writes one wide character centred on its two cells. */
static void draw_wide(const struct svg *s, int r, int c, const struct cell *cl)
{
	struct look l = cell_look(cl);
	fprintf(s->out, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\"",
		cell_x(s, c) + CELL_W, cell_y(s, r) + BASELINE);
	text_style(s->out, &l);
	fputc('>', s->out);
	xml_char(s->out, cl->ch);
	fputs("</text>\n", s->out);
}

/* Finds the end of the run of text starting at a glyph in column c: the
 * following glyphs of the same look, with spaces between them. */
static int run_end(const struct cellgrid *g, int r, int c)
{
	struct look l = cell_look(&g->cells[r * g->cols + c]);
	int end = c + 1;
	for (int k = end; k < g->cols; k++) {
		enum text_kind kind = text_kind(g, r, k);
		if (kind == T_GLYPH) {
			struct look m = cell_look(&g->cells[r * g->cols + k]);
			if (!same_text_look(&l, &m))
				break;
			end = k + 1;
		} else if (kind != T_SPACE) {
			break;
		}
	}
	return end;
}

/* ASCII, which DejaVu Sans Mono draws exactly one cell wide. Other glyphs
 * may come from a fallback font with another advance, and librsvg ignores
 * textLength, so those are placed one by one. */
static bool plain_glyph(uint32_t ch)
{
	return ch < 0x7f;
}

/* Writes the cells of a run; a glyph that is not plain, and the glyph after
 * it, each start a <tspan> at their own column. */
static void run_glyphs(const struct svg *s, const struct cell *row, int c, int end)
{
	bool in_tspan = false;
	for (int k = c; k < end; k++) {
		if (k > c && (!plain_glyph(row[k].ch) || !plain_glyph(row[k - 1].ch))) {
			if (in_tspan)
				fputs("</tspan>", s->out);
			fprintf(s->out, "<tspan x=\"%g\">", cell_x(s, k));
			in_tspan = true;
		}
		xml_char(s->out, row[k].ch);
	}
	if (in_tspan)
		fputs("</tspan>", s->out);
}

static void draw_run(const struct svg *s, const struct cellgrid *g, int r, int c, int end)
{
	const struct cell *row = &g->cells[r * g->cols];
	struct look l = cell_look(&row[c]);
	bool plain = true;
	for (int k = c; k < end; k++)
		plain = plain && plain_glyph(row[k].ch);
	fprintf(s->out, "<text x=\"%g\" y=\"%g\"", cell_x(s, c), cell_y(s, r) + BASELINE);
	if (plain) /* browsers honour it: columns stay aligned whatever the font */
		fprintf(s->out, " textLength=\"%g\"", (end - c) * CELL_W);
	text_style(s->out, &l);
	fputc('>', s->out);
	run_glyphs(s, row, c, end);
	fputs("</text>\n", s->out);
}

static void draw_text(const struct svg *s, const struct cellgrid *g)
{
	for (int r = 0; r < g->rows; r++) {
		int c = 0;
		while (c < g->cols) {
			enum text_kind kind = text_kind(g, r, c);
			if (kind == T_WIDE) {
				draw_wide(s, r, c, &g->cells[r * g->cols + c]);
				c += 2;
			} else if (kind == T_GLYPH) {
				int end = run_end(g, r, c);
				draw_run(s, g, r, c, end);
				c = end;
			} else {
				c++;
			}
		}
	}
}

static void xml_string(FILE *out, const char *text)
{
	while (*text) {
		uint32_t cp;
		text += cellgrid_utf8_decode(text, &cp);
		if (cp == '"')
			fputs("&quot;", out);
		else
			xml_char(out, cp);
	}
}

/* A window title bar: three dots and the centred title. */
static void draw_title(FILE *out, double width, const char *title, uint32_t page)
{
	static const uint32_t dots[3] = {0xff5f57, 0xfebc2e, 0x28c840};
	bool light = light_colour(page);
	fprintf(out, "<rect width=\"%g\" height=\"%g\" rx=\"8\" fill=\"#%06x\"/>\n",
		width, TITLE_H, light ? 0xdcdde0u : FRAME_BG);
	fprintf(out, "<rect y=\"%g\" width=\"%g\" height=\"8\" fill=\"#%06x\"/>\n",
		TITLE_H - 8, width, page);
	for (int i = 0; i < 3; i++)
		fprintf(out, "<circle cx=\"%g\" cy=\"%g\" r=\"6\" fill=\"#%06x\"/>\n",
			PAD + 8 + i * 20.0, TITLE_H / 2, dots[i]);
	fprintf(out, "<text x=\"%g\" y=\"%g\" text-anchor=\"middle\" fill=\"#%06x\" "
		"font-family=\"DejaVu Sans, sans-serif\" font-size=\"13\">",
		width / 2, TITLE_H / 2 + 4.5, light ? 0x4a4f58u : 0x9da5b4u);
	xml_string(out, title);
	fputs("</text>\n", out);
}

int cellgrid_write_svg(const struct cellgrid *g, FILE *out, const char *title)
{
	bool titled = title && *title;
	double top = titled ? TITLE_H : 0;
	double w = g->cols * CELL_W + 2 * PAD, h = g->rows * CELL_H + 2 * PAD + top;
	struct svg s = {out, PAD, PAD + top, page_colour(g)};

	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%g\" height=\"%g\" "
		"viewBox=\"0 0 %g %g\" xml:space=\"preserve\" "
		"font-family=\"DejaVu Sans Mono, monospace\" font-size=\"%g\">\n",
		w, h, w, h, FONT_SIZE);
	if (titled) {
		fputs("<title>", out);
		xml_string(out, title);
		fputs("</title>\n", out);
	}
	fprintf(out, "<rect width=\"%g\" height=\"%g\" rx=\"8\" fill=\"#%06x\"/>\n",
		w, h, s.page);
	if (titled)
		draw_title(out, w, title, s.page);
	/* crisp edges: adjacent cells must not show hairline seams */
	fputs("<g shape-rendering=\"crispEdges\">\n", out);
	draw_backgrounds(&s, g);
	fputs("</g>\n<g>\n", out);
	draw_shapes(&s, g);
	fputs("</g>\n<g>\n", out);
	draw_text(&s, g);
	fputs("</g>\n</svg>\n", out);
	return ferror(out) ? -1 : 0;
}
