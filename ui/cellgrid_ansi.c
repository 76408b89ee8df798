/* cellgrid_ansi.c - fills a cell grid from text with ANSI escapes, as printed
 * by `tmux capture-pane -p -e`.
 *
 * The text is read twice by the same parser: once without a grid, to learn
 * how many rows (and, if the caller gave none, columns) it needs, then into
 * the grid. Attributes carry over line ends, as tmux assumes (it only emits
 * the changes between consecutive cells, across lines too). */
#include "cellgrid.h"

#include <limits.h>
#include <stdlib.h>

/* SGR parameters after splitting at ';', each with its ':' sub-fields
 * (38:2::r:g:b and 4:3 are the colon forms). */
#define SGR_MAX_PARAMS 32
#define SGR_MAX_SUB 8

struct sgr_param {
	int v[SGR_MAX_SUB];
	int n;
};

struct parser {
	struct cellgrid *g;   /* NULL while measuring */
	int cols;             /* writable columns (INT_MAX while measuring) */
	int row, col;
	int widest;           /* widest line seen, in columns */
	bool line_used;       /* the current line has printed something */
	struct cell pen;      /* attributes for the next character */
	bool g0_dec, g1_dec;  /* charset slots hold DEC line drawing */
	bool shifted;         /* SO: G1 is in use */
};

/* DEC special graphics for 0x5f..0x7e, what ncurses' ACS characters are
 * (tmux capture shows them raw between SO and SI). */
static const uint16_t dec_graphics[32] = {
	0x00a0, 0x25c6, 0x2592, 0x2409, 0x240c, 0x240d, 0x240a, 0x00b0,
	0x00b1, 0x2424, 0x240b, 0x2518, 0x2510, 0x250c, 0x2514, 0x253c,
	0x23ba, 0x23bb, 0x2500, 0x23bc, 0x23bd, 0x251c, 0x2524, 0x2534,
	0x252c, 0x2502, 0x2264, 0x2265, 0x03c0, 0x2260, 0x00a3, 0x00b7,
};

/* ncurses' arrow and block ACS codes outside that range. */
static uint32_t dec_map(uint32_t cp)
{
	if (cp >= 0x5f && cp <= 0x7e)
		return dec_graphics[cp - 0x5f];
	switch (cp) {
	case '+': return 0x2192;
	case ',': return 0x2190;
	case '-': return 0x2191;
	case '.': return 0x2193;
	case '0': return 0x2588;
	default: return cp;
	}
}

/* Blanks the other half of a wide char that a write at col cuts in two. */
static void split_wide(struct parser *p, int col, int width)
{
	struct cell *row = &p->g->cells[p->row * p->g->cols];
	if (row[col].ch == 0 && col > 0)
		row[col - 1].ch = ' ';
	int after = col + width;
	if (after < p->g->cols && row[after].ch == 0)
		row[after].ch = ' ';
}

/* Prints one character at the cursor and advances it. */
static void put_char(struct parser *p, uint32_t cp)
{
	if ((p->shifted ? p->g1_dec : p->g0_dec) && cp < 0x80)
		cp = dec_map(cp);
	int w = cellgrid_char_width(cp);
	if (w == 0)
		return; /* combining marks have no cell of their own */
	if (p->g && p->row < p->g->rows && p->col + w <= p->cols) {
		split_wide(p, p->col, w);
		struct cell *c = cellgrid_at(p->g, p->row, p->col);
		*c = p->pen;
		c->ch = cp;
		if (w == 2) {
			c[1] = p->pen;
			c[1].ch = 0;
		}
	}
	p->col += w;
	p->line_used = true;
	if (p->col > p->widest)
		p->widest = p->col;
}

static void new_line(struct parser *p)
{
	p->row++;
	p->col = 0;
	p->line_used = false;
}

/* Handles a C0 control character. */
static void control(struct parser *p, unsigned char c)
{
	switch (c) {
	case '\n': new_line(p); break;
	case '\r': p->col = 0; break;
	case '\t': p->col = (p->col / 8 + 1) * 8; break;
	case '\b': if (p->col > 0) p->col--; break;
	case 0x0e: p->shifted = true; break;   /* SO */
	case 0x0f: p->shifted = false; break;  /* SI */
	default: break;
	}
}

static int clamp_byte(int v)
{
	return v < 0 ? 0 : v > 255 ? 255 : v;
}

/* Reads "5;N" or "2;R;G;B" after a 38/48/58 given with ';' separators;
 * advances *i past what it used. Returns CELL_DEFAULT if malformed. */
static uint32_t ext_colour_semi(const struct sgr_param *ps, int n, int *i)
{
	int k = *i + 1;
	if (k < n && ps[k].v[0] == 5 && k + 1 < n) {
		*i = k + 1;
		return (uint32_t)clamp_byte(ps[k + 1].v[0]);
	}
	if (k < n && ps[k].v[0] == 2 && k + 3 < n) {
		*i = k + 3;
		return CELL_RGB(clamp_byte(ps[k + 1].v[0]), clamp_byte(ps[k + 2].v[0]),
				clamp_byte(ps[k + 3].v[0]));
	}
	*i = n; /* unknown form: the rest cannot be trusted */
	return CELL_DEFAULT;
}

/* The same from the colon form 38:5:N, 38:2:R:G:B or 38:2:CS:R:G:B. */
static uint32_t ext_colour_colon(const struct sgr_param *q)
{
	if (q->n >= 3 && q->v[1] == 5)
		return (uint32_t)clamp_byte(q->v[2]);
	if (q->n >= 5 && q->v[1] == 2) {
		int o = q->n >= 6 ? 3 : 2; /* skip the colour-space id if present */
		return CELL_RGB(clamp_byte(q->v[o]), clamp_byte(q->v[o + 1]),
				clamp_byte(q->v[o + 2]));
	}
	return CELL_DEFAULT;
}

/* Applies the simple one-number attributes; false if v is not one. */
static bool sgr_simple(struct cell *pen, int v)
{
	if (v >= 30 && v <= 37)
		pen->fg = (uint32_t)(v - 30);
	else if (v >= 90 && v <= 97)
		pen->fg = (uint32_t)(v - 90 + 8);
	else if (v >= 40 && v <= 47)
		pen->bg = (uint32_t)(v - 40);
	else if (v >= 100 && v <= 107)
		pen->bg = (uint32_t)(v - 100 + 8);
	else if (v == 39)
		pen->fg = CELL_DEFAULT;
	else if (v == 49)
		pen->bg = CELL_DEFAULT;
	else if (v == 1)
		pen->bold = true;
	else if (v == 22)
		pen->bold = false; /* "normal intensity" ends bold and dim */
	else if (v == 4 || v == 21)
		pen->underline = true;
	else if (v == 24)
		pen->underline = false;
	else if (v == 7)
		pen->reverse = true;
	else if (v == 27)
		pen->reverse = false;
	else
		return false;
	return true;
}

static void sgr_reset(struct cell *pen)
{
	pen->fg = pen->bg = CELL_DEFAULT;
	pen->bold = pen->reverse = pen->underline = false;
}

/* Applies a parsed SGR parameter list to the pen. */
static void sgr_apply(struct cell *pen, const struct sgr_param *ps, int n)
{
	for (int i = 0; i < n; i++) {
		const struct sgr_param *q = &ps[i];
		int v = q->v[0];
		if (v == 38 || v == 48 || v == 58) {
			uint32_t c = q->n > 1 ? ext_colour_colon(q) : ext_colour_semi(ps, n, &i);
			if (v == 38)
				pen->fg = c;
			else if (v == 48)
				pen->bg = c; /* 58 (underline colour) is read and dropped */
		} else if (v == 4 && q->n > 1) {
			pen->underline = q->v[1] != 0; /* 4:0 off, 4:1..4:5 styles */
		} else if (v == 0) {
			sgr_reset(pen);
		} else {
			sgr_simple(pen, v); /* italic, blink and the like: not drawn */
		}
	}
}

/* Splits "1;38;5;208" (between CSI and 'm') into parameters; empty ones
 * are 0, as terminals read them. Returns how many. */
static int sgr_parse(const char *s, const char *end, struct sgr_param *ps)
{
	int n = 0;
	struct sgr_param cur = {{0}, 1};
	for (; s < end; s++) {
		if (*s >= '0' && *s <= '9') {
			int *v = &cur.v[cur.n - 1];
			if (*v < 100000)
				*v = *v * 10 + (*s - '0');
		} else if (*s == ':' && cur.n < SGR_MAX_SUB) {
			cur.v[cur.n++] = 0;
		} else if (*s == ';') {
			if (n < SGR_MAX_PARAMS)
				ps[n++] = cur;
			cur = (struct sgr_param){{0}, 1};
		}
	}
	if (n < SGR_MAX_PARAMS)
		ps[n++] = cur;
	return n;
}

/* Reads a CSI sequence starting after "ESC ["; applies it if it is SGR.
 * Returns the position after it. */
static const char *csi(struct parser *p, const char *s)
{
	const char *params = s;
	while (*s >= 0x20 && *s <= 0x3f)
		s++; /* parameter and intermediate bytes */
	if (*s == '\0')
		return s;
	if (*s == 'm') {
		struct sgr_param ps[SGR_MAX_PARAMS];
		int n = sgr_parse(params, s, ps);
		sgr_apply(&p->pen, ps, n);
	}
	return s + 1; /* cursor moves and the like are not in captures */
}

/* Skips a string sequence (OSC, DCS, APC, PM) up to BEL or ST. */
static const char *skip_string(const char *s)
{
	for (; *s; s++) {
		if (*s == '\a')
			return s + 1;
		if (*s == '\033' && s[1] == '\\')
			return s + 2;
	}
	return s;
}

/* Reads an escape sequence starting after ESC; returns the position after. */
static const char *escape(struct parser *p, const char *s)
{
	switch (*s) {
	case '\0':
		return s;
	case '[':
		return csi(p, s + 1);
	case ']': case 'P': case '_': case '^':
		return skip_string(s + 1);
	case '(': case ')':
		if (s[1] == '\0')
			return s + 1;
		/* designations: '0' is DEC line drawing, anything else text */
		if (*s == '(')
			p->g0_dec = s[1] == '0';
		else
			p->g1_dec = s[1] == '0';
		return s + 2;
	default:
		return s + 1; /* two-byte sequences (ESC =, ESC 7...) change nothing drawn */
	}
}

/* Runs the parser over the whole text. */
static void parse(struct parser *p, const char *s)
{
	while (*s) {
		unsigned char c = (unsigned char)*s;
		if (c == 0x1b) {
			s = escape(p, s + 1);
		} else if (c < 0x20 || c == 0x7f) {
			control(p, c);
			s++;
		} else {
			uint32_t cp;
			s += cellgrid_utf8_decode(s, &cp);
			if (cp >= 0x80 && cp < 0xa0)
				continue; /* C1 controls print nothing */
			put_char(p, cp);
		}
	}
}

static void parser_init(struct parser *p, struct cellgrid *g, int cols)
{
	*p = (struct parser){.g = g, .cols = cols};
	sgr_reset(&p->pen);
	p->pen.ch = ' ';
	/* tmux marks line-drawing cells with a bare SO, never designating G1 */
	p->g1_dec = true;
}

struct cellgrid *cellgrid_from_ansi(const char *text, int cols)
{
	struct parser p;
	parser_init(&p, NULL, INT_MAX);
	parse(&p, text);
	int rows = p.row + (p.line_used ? 1 : 0);
	if (cols <= 0)
		cols = p.widest;
	struct cellgrid *g = cellgrid_new(rows, cols);
	if (!g)
		return NULL;
	parser_init(&p, g, cols);
	parse(&p, text);
	return g;
}
