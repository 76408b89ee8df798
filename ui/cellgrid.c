/* cellgrid.c - the cell grid itself: allocation, UTF-8, widths, text output. */
#include "cellgrid.h"

#include <stdlib.h>

/* A blank cell: what a cleared terminal shows. */
static const struct cell blank_cell = {
	.ch = ' ', .fg = CELL_DEFAULT, .bg = CELL_DEFAULT,
};

struct cellgrid *cellgrid_new(int rows, int cols)
{
	if (rows < 0 || cols < 0)
		return NULL;
	struct cellgrid *g = calloc(1, sizeof *g);
	if (!g)
		return NULL;
	size_t n = (size_t)rows * (size_t)cols;
	/* calloc(0) may return NULL; keep one cell so NULL always means failure */
	g->cells = calloc(n ? n : 1, sizeof *g->cells);
	if (!g->cells) {
		free(g);
		return NULL;
	}
	g->rows = rows;
	g->cols = cols;
	for (size_t i = 0; i < n; i++)
		g->cells[i] = blank_cell;
	return g;
}

void cellgrid_free(struct cellgrid *g)
{
	if (!g)
		return;
	free(g->cells);
	free(g);
}

/* Inclusive code-point ranges. */
struct cp_range {
	uint32_t lo, hi;
};

/* East Asian Wide and Fullwidth blocks (plus the emoji that terminals draw
 * two columns wide), as glibc's wcwidth and tmux see them. */
static const struct cp_range wide_ranges[] = {
	{0x1100, 0x115f},   {0x231a, 0x231b},   {0x2329, 0x232a},
	{0x23e9, 0x23ec},   {0x23f0, 0x23f0},   {0x23f3, 0x23f3},
	{0x25fd, 0x25fe},   {0x2614, 0x2615},   {0x2648, 0x2653},
	{0x267f, 0x267f},   {0x2693, 0x2693},   {0x26a1, 0x26a1},
	{0x26aa, 0x26ab},   {0x26bd, 0x26be},   {0x26c4, 0x26c5},
	{0x26ce, 0x26ce},   {0x26d4, 0x26d4},   {0x26ea, 0x26ea},
	{0x26f2, 0x26f3},   {0x26f5, 0x26f5},   {0x26fa, 0x26fa},
	{0x26fd, 0x26fd},   {0x2705, 0x2705},   {0x270a, 0x270b},
	{0x2728, 0x2728},   {0x274c, 0x274c},   {0x274e, 0x274e},
	{0x2753, 0x2755},   {0x2757, 0x2757},   {0x2795, 0x2797},
	{0x27b0, 0x27b0},   {0x27bf, 0x27bf},   {0x2b1b, 0x2b1c},
	{0x2b50, 0x2b50},   {0x2b55, 0x2b55},   {0x2e80, 0x303e},
	{0x3041, 0x33ff},   {0x3400, 0x4dbf},   {0x4e00, 0x9fff},
	{0xa000, 0xa4cf},   {0xa960, 0xa97f},   {0xac00, 0xd7a3},
	{0xf900, 0xfaff},   {0xfe10, 0xfe19},   {0xfe30, 0xfe6f},
	{0xff00, 0xff60},   {0xffe0, 0xffe6},   {0x16fe0, 0x16fe4},
	{0x17000, 0x18cff}, {0x1b000, 0x1b2ff}, {0x1f004, 0x1f004},
	{0x1f0cf, 0x1f0cf}, {0x1f18e, 0x1f18e}, {0x1f191, 0x1f19a},
	{0x1f200, 0x1f251}, {0x1f300, 0x1f320}, {0x1f32d, 0x1f335},
	{0x1f337, 0x1f37c}, {0x1f37e, 0x1f393}, {0x1f3a0, 0x1f3ca},
	{0x1f3cf, 0x1f3d3}, {0x1f3e0, 0x1f3f0}, {0x1f3f4, 0x1f3f4},
	{0x1f3f8, 0x1f43e}, {0x1f440, 0x1f440}, {0x1f442, 0x1f4fc},
	{0x1f4ff, 0x1f53d}, {0x1f54b, 0x1f54e}, {0x1f550, 0x1f567},
	{0x1f57a, 0x1f57a}, {0x1f595, 0x1f596}, {0x1f5a4, 0x1f5a4},
	{0x1f5fb, 0x1f64f}, {0x1f680, 0x1f6c5}, {0x1f6cc, 0x1f6cc},
	{0x1f6d0, 0x1f6d2}, {0x1f6d5, 0x1f6d7}, {0x1f6eb, 0x1f6ec},
	{0x1f6f4, 0x1f6fc}, {0x1f7e0, 0x1f7eb}, {0x1f90c, 0x1f93a},
	{0x1f93c, 0x1f945}, {0x1f947, 0x1f9ff}, {0x1fa70, 0x1faff},
	{0x20000, 0x2fffd}, {0x30000, 0x3fffd},
};

/* Combining marks and invisible format characters: they join the previous
 * cell on a terminal, so a grid of one code point per cell drops them. */
static const struct cp_range zero_ranges[] = {
	{0x0300, 0x036f}, {0x0483, 0x0489}, {0x0591, 0x05bd},
	{0x0610, 0x061a}, {0x064b, 0x065f}, {0x0e31, 0x0e31},
	{0x0e34, 0x0e3a}, {0x0e47, 0x0e4e}, {0x1ab0, 0x1aff},
	{0x1dc0, 0x1dff}, {0x200b, 0x200f}, {0x2028, 0x202e},
	{0x2060, 0x2064}, {0x20d0, 0x20ff}, {0x302a, 0x302d},
	{0x3099, 0x309a}, {0xfe00, 0xfe0f}, {0xfe20, 0xfe2f},
	{0xfeff, 0xfeff}, {0xe0100, 0xe01ef},
};

static bool in_ranges(uint32_t cp, const struct cp_range *r, size_t n)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cp < r[mid].lo)
			hi = mid;
		else if (cp > r[mid].hi)
			lo = mid + 1;
		else
			return true;
	}
	return false;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int cellgrid_char_width(uint32_t cp)
{
	if (cp < 0x300)
		return 1;
	if (in_ranges(cp, zero_ranges, COUNT(zero_ranges)))
		return 0;
	if (in_ranges(cp, wide_ranges, COUNT(wide_ranges)))
		return 2;
	return 1;
}

/* Length of the UTF-8 sequence that starts with byte b, 0 if b cannot start
 * one. */
static int utf8_seq_len(unsigned char b)
{
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		return 2;
	if (b >= 0xe0 && b <= 0xef)
		return 3;
	if (b >= 0xf0 && b <= 0xf4)
		return 4;
	return 0;
}

size_t cellgrid_utf8_decode(const char *s, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	int len = utf8_seq_len(u[0]);
	*cp = 0xfffd;
	if (len == 0)
		return 1;
	if (len == 1) {
		*cp = u[0];
		return 1;
	}
	uint32_t v = u[0] & (0x7f >> len);
	for (int i = 1; i < len; i++) {
		/* stops at NUL too, since NUL is not a continuation byte */
		if ((u[i] & 0xc0) != 0x80)
			return (size_t)i;
		v = (v << 6) | (u[i] & 0x3f);
	}
	static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
	/* reject overlong forms, surrogates and values past Unicode */
	if (v < min_for_len[len] || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return (size_t)len;
	*cp = v;
	return (size_t)len;
}

int cellgrid_utf8_encode(uint32_t cp, char *out)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Columns of row that hold something other than a blank; continuation cells
 * count as content, since the wide char before them does. */
static int row_used(const struct cellgrid *g, int row)
{
	int n = g->cols;
	while (n > 0 && g->cells[row * g->cols + n - 1].ch == ' ')
		n--;
	return n;
}

int cellgrid_write_text(const struct cellgrid *g, FILE *out)
{
	char buf[4];
	for (int r = 0; r < g->rows; r++) {
		int used = row_used(g, r);
		for (int c = 0; c < used; c++) {
			uint32_t ch = g->cells[r * g->cols + c].ch;
			if (ch == 0)
				continue; /* right half of a wide char */
			int n = cellgrid_utf8_encode(ch, buf);
			fwrite(buf, 1, (size_t)n, out);
		}
		fputc('\n', out);
	}
	return ferror(out) ? -1 : 0;
}
