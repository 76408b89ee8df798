/* cellgrid.h - a terminal screen as cells, for SVG/text screenshots.
 * Filled from the curses screen (screenshot key) or from a tmux capture
 * with ANSI escapes (make screenshots); written as SVG or plain text. */
#ifndef VMVIZ_CELLGRID_H
#define VMVIZ_CELLGRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Colours: 0..255 are xterm palette indexes; CELL_RGB(r,g,b) true colour;
 * CELL_DEFAULT the terminal's default foreground/background. */
#define CELL_DEFAULT 0xffffffffu
#define CELL_RGB(r, g, b) (0x01000000u | ((uint32_t)(r) << 16) | ((uint32_t)(g) << 8) | (uint32_t)(b))

struct cell {
	uint32_t ch;        /* Unicode code point; 0 = continuation of a wide char */
	uint32_t fg, bg;
	bool bold, reverse, underline;
};

struct cellgrid {
	int rows, cols;
	struct cell *cells; /* rows * cols */
};

struct cellgrid *cellgrid_new(int rows, int cols);
void cellgrid_free(struct cellgrid *g);
static inline struct cell *cellgrid_at(struct cellgrid *g, int row, int col)
{
	return &g->cells[row * g->cols + col];
}
/* Parses text with SGR escapes (tmux capture-pane -p -e) into a new grid:
 * one row per line; cols <= 0 means as wide as the widest line, else longer
 * lines are cut. NULL only when out of memory. */
struct cellgrid *cellgrid_from_ansi(const char *text, int cols);
/* Writes an SVG image of the grid (monospace font, dark background). */
int cellgrid_write_svg(const struct cellgrid *g, FILE *out, const char *title);
/* Writes the grid as plain UTF-8 text, trailing blanks trimmed. */
int cellgrid_write_text(const struct cellgrid *g, FILE *out);

/* Columns a code point takes on a terminal: 0 (combining), 1 or 2 (East
 * Asian wide). A fixed table, so results do not depend on the locale. */
int cellgrid_char_width(uint32_t cp);
/* Decodes one UTF-8 sequence at s (NUL-terminated) into *cp; returns the
 * bytes used (at least 1; a malformed sequence yields U+FFFD). */
size_t cellgrid_utf8_decode(const char *s, uint32_t *cp);
/* Encodes cp as UTF-8 into out (4 bytes room); returns the length. */
int cellgrid_utf8_encode(uint32_t cp, char *out);
/* The 0xRRGGBB that a cell colour shows as in the SVG theme; CELL_DEFAULT
 * resolves to the default foreground or background. */
uint32_t cellgrid_rgb(uint32_t colour, bool foreground);

#endif
