/* theme.c - the three themes and the glyph sets.
 *
 * Each role owns colour pair role+1. The default theme uses the 256-colour
 * palette when the terminal has it and the eight ANSI colours otherwise;
 * contrast (for projectors) uses saturated colours on black and bold text;
 * mono uses attributes only, so it also serves NO_COLOR and dumb terminals.
 */
#include "theme.h"

#include <string.h>

static attr_t attrs[R_COUNT];
static attr_t blocks[R_COUNT];
static bool use_ascii, use_blocks, use_color;

static const struct glyphs utf8_glyphs = {
	.h = "─", .v = "│", .tee_l = "┤", .tee_r = "├",
	.tee_down = "┬", .cross = "┼", .arrow = "→",
	.hand = "▶", .dot = "·", .ref = "•", .dirty = "*", .vdots = "⋮",
	.block = "█", .ell = "…", .corner = "└", .up = "▲", .down = "▼",
	.bullet = "›", .times = "×", .mid = "·",
};

static const struct glyphs ascii_glyphs = {
	.h = "-", .v = "|", .tee_l = "[", .tee_r = "]",
	.tee_down = "+", .cross = "+", .arrow = "->",
	.hand = ">", .dot = ".", .ref = "'", .dirty = "*", .vdots = ":",
	.block = "#", .ell = "~", .corner = "`", .up = "^", .down = "v",
	.bullet = ">", .times = "x", .mid = "-",
};

struct spec {
	short fg, bg;
	attr_t a;
};

/* 256-colour palette: calm greys for structure, one hue per meaning. */
static const struct spec spec256[R_COUNT] = {
	[R_NORMAL] = {-1, -1, 0},
	[R_DIM] = {244, -1, 0},
	[R_BOLD] = {-1, -1, A_BOLD},
	[R_RULE] = {240, -1, 0},
	[R_TITLE] = {117, -1, A_BOLD},
	[R_TITLE_FOCUS] = {16, 117, A_BOLD},
	[R_HEADER] = {246, -1, 0},
	[R_STATUS] = {253, 236, 0},
	[R_STATUS_HI] = {229, 236, A_BOLD},
	[R_CHANGED] = {16, 220, A_BOLD},
	[R_TOUCHED] = {16, 222, 0},
	[R_BRK] = {208, -1, A_BOLD},
	[R_ERROR] = {203, -1, A_BOLD},
	[R_GOOD] = {114, -1, 0},
	[R_WARN] = {214, -1, 0},
	[R_CAPTION] = {231, 24, A_BOLD},
	[R_PROGRESS] = {252, 238, 0},
	[R_KEY] = {16, 250, 0},
	[R_PROMPT] = {114, -1, A_BOLD},
	[R_F_FREE] = {239, -1, 0},
	[R_F_KERNEL] = {252, 240, 0},
	[R_F_ZERO] = {250, 237, 0},
	[R_F_SHARED] = {16, 183, 0},
	[R_HAND] = {203, -1, A_BOLD},
	[R_V_KERNEL] = {244, -1, 0},
	[R_V_STACK] = {183, -1, 0},
	[R_V_LIB] = {80, -1, 0},
	[R_V_MMAP] = {111, -1, 0},
	[R_V_HEAP] = {114, -1, 0},
	[R_V_DATA] = {180, -1, 0},
	[R_V_TEXT] = {210, -1, 0},
	[R_V_SPECIAL] = {243, -1, 0},
	[R_V_GAP] = {238, -1, 0},
	[R_EV_FAULT] = {214, -1, 0},
	[R_EV_ALLOC] = {114, -1, 0},
	[R_EV_SWAP] = {183, -1, 0},
	[R_EV_BAD] = {203, -1, A_BOLD},
	[R_EV_MAP] = {111, -1, 0},
	[R_OWNER + 0] = {16, 75, 0},
	[R_OWNER + 1] = {16, 114, 0},
	[R_OWNER + 2] = {16, 221, 0},
	[R_OWNER + 3] = {16, 211, 0},
	[R_OWNER + 4] = {16, 80, 0},
	[R_OWNER + 5] = {16, 180, 0},
	[R_FILE + 0] = {231, 25, 0},
	[R_FILE + 1] = {231, 28, 0},
	[R_FILE + 2] = {231, 136, 0},
	[R_FILE + 3] = {231, 125, 0},
	[R_FILE + 4] = {231, 30, 0},
	[R_FILE + 5] = {231, 94, 0},
};

/* Eight colours: the same meanings with the ANSI set. */
static const struct spec spec8[R_COUNT] = {
	[R_NORMAL] = {-1, -1, 0},
	[R_DIM] = {-1, -1, A_DIM},
	[R_BOLD] = {-1, -1, A_BOLD},
	[R_RULE] = {COLOR_BLUE, -1, 0},
	[R_TITLE] = {COLOR_CYAN, -1, A_BOLD},
	[R_TITLE_FOCUS] = {COLOR_BLACK, COLOR_CYAN, 0},
	[R_HEADER] = {-1, -1, A_DIM},
	[R_STATUS] = {COLOR_WHITE, COLOR_BLUE, 0},
	[R_STATUS_HI] = {COLOR_YELLOW, COLOR_BLUE, A_BOLD},
	[R_CHANGED] = {COLOR_BLACK, COLOR_YELLOW, 0},
	[R_TOUCHED] = {COLOR_BLACK, COLOR_YELLOW, 0},
	[R_BRK] = {COLOR_RED, -1, A_BOLD},
	[R_ERROR] = {COLOR_RED, -1, A_BOLD},
	[R_GOOD] = {COLOR_GREEN, -1, 0},
	[R_WARN] = {COLOR_YELLOW, -1, 0},
	[R_CAPTION] = {COLOR_WHITE, COLOR_BLUE, A_BOLD},
	[R_PROGRESS] = {COLOR_BLACK, COLOR_WHITE, 0},
	[R_KEY] = {COLOR_BLACK, COLOR_WHITE, 0},
	[R_PROMPT] = {COLOR_GREEN, -1, A_BOLD},
	[R_F_FREE] = {-1, -1, A_DIM},
	[R_F_KERNEL] = {COLOR_BLACK, COLOR_WHITE, 0},
	[R_F_ZERO] = {COLOR_WHITE, COLOR_BLACK, 0},
	[R_F_SHARED] = {COLOR_BLACK, COLOR_MAGENTA, 0},
	[R_HAND] = {COLOR_RED, -1, A_BOLD},
	[R_V_KERNEL] = {-1, -1, A_DIM},
	[R_V_STACK] = {COLOR_MAGENTA, -1, 0},
	[R_V_LIB] = {COLOR_CYAN, -1, 0},
	[R_V_MMAP] = {COLOR_BLUE, -1, A_BOLD},
	[R_V_HEAP] = {COLOR_GREEN, -1, 0},
	[R_V_DATA] = {COLOR_YELLOW, -1, 0},
	[R_V_TEXT] = {COLOR_RED, -1, 0},
	[R_V_SPECIAL] = {-1, -1, A_DIM},
	[R_V_GAP] = {-1, -1, A_DIM},
	[R_EV_FAULT] = {COLOR_YELLOW, -1, 0},
	[R_EV_ALLOC] = {COLOR_GREEN, -1, 0},
	[R_EV_SWAP] = {COLOR_MAGENTA, -1, 0},
	[R_EV_BAD] = {COLOR_RED, -1, A_BOLD},
	[R_EV_MAP] = {COLOR_CYAN, -1, 0},
	[R_OWNER + 0] = {COLOR_BLACK, COLOR_BLUE, 0},
	[R_OWNER + 1] = {COLOR_BLACK, COLOR_GREEN, 0},
	[R_OWNER + 2] = {COLOR_BLACK, COLOR_YELLOW, 0},
	[R_OWNER + 3] = {COLOR_BLACK, COLOR_RED, 0},
	[R_OWNER + 4] = {COLOR_BLACK, COLOR_CYAN, 0},
	[R_OWNER + 5] = {COLOR_BLACK, COLOR_MAGENTA, 0},
	[R_FILE + 0] = {COLOR_BLUE, COLOR_BLACK, A_BOLD},
	[R_FILE + 1] = {COLOR_GREEN, COLOR_BLACK, A_BOLD},
	[R_FILE + 2] = {COLOR_YELLOW, COLOR_BLACK, A_BOLD},
	[R_FILE + 3] = {COLOR_RED, COLOR_BLACK, A_BOLD},
	[R_FILE + 4] = {COLOR_CYAN, COLOR_BLACK, A_BOLD},
	[R_FILE + 5] = {COLOR_MAGENTA, COLOR_BLACK, A_BOLD},
};

/* Projector: pure black ground, bright saturated hues, everything bold. */
static const struct spec spec_contrast[R_COUNT] = {
	[R_NORMAL] = {15, 0, A_BOLD},
	[R_DIM] = {250, 0, 0},
	[R_BOLD] = {15, 0, A_BOLD},
	[R_RULE] = {14, 0, A_BOLD},
	[R_TITLE] = {11, 0, A_BOLD},
	[R_TITLE_FOCUS] = {0, 11, A_BOLD},
	[R_HEADER] = {14, 0, A_BOLD},
	[R_STATUS] = {0, 15, A_BOLD},
	[R_STATUS_HI] = {0, 15, A_BOLD | A_UNDERLINE},
	[R_CHANGED] = {0, 11, A_BOLD},
	[R_TOUCHED] = {0, 14, A_BOLD},
	[R_BRK] = {9, 0, A_BOLD},
	[R_ERROR] = {15, 9, A_BOLD},
	[R_GOOD] = {10, 0, A_BOLD},
	[R_WARN] = {11, 0, A_BOLD},
	[R_CAPTION] = {15, 4, A_BOLD},
	[R_PROGRESS] = {0, 14, A_BOLD},
	[R_KEY] = {0, 15, A_BOLD},
	[R_PROMPT] = {10, 0, A_BOLD},
	[R_F_FREE] = {250, 0, 0},
	[R_F_KERNEL] = {0, 250, A_BOLD},
	[R_F_ZERO] = {15, 8, A_BOLD},
	[R_F_SHARED] = {0, 13, A_BOLD},
	[R_HAND] = {9, 0, A_BOLD},
	[R_V_KERNEL] = {250, 0, A_BOLD},
	[R_V_STACK] = {13, 0, A_BOLD},
	[R_V_LIB] = {14, 0, A_BOLD},
	[R_V_MMAP] = {12, 0, A_BOLD},
	[R_V_HEAP] = {10, 0, A_BOLD},
	[R_V_DATA] = {11, 0, A_BOLD},
	[R_V_TEXT] = {9, 0, A_BOLD},
	[R_V_SPECIAL] = {250, 0, 0},
	[R_V_GAP] = {250, 0, 0},
	[R_EV_FAULT] = {11, 0, A_BOLD},
	[R_EV_ALLOC] = {10, 0, A_BOLD},
	[R_EV_SWAP] = {13, 0, A_BOLD},
	[R_EV_BAD] = {9, 0, A_BOLD},
	[R_EV_MAP] = {14, 0, A_BOLD},
	[R_OWNER + 0] = {0, 12, A_BOLD},
	[R_OWNER + 1] = {0, 10, A_BOLD},
	[R_OWNER + 2] = {0, 11, A_BOLD},
	[R_OWNER + 3] = {0, 9, A_BOLD},
	[R_OWNER + 4] = {0, 14, A_BOLD},
	[R_OWNER + 5] = {0, 13, A_BOLD},
	[R_FILE + 0] = {12, 0, A_BOLD | A_UNDERLINE},
	[R_FILE + 1] = {10, 0, A_BOLD | A_UNDERLINE},
	[R_FILE + 2] = {11, 0, A_BOLD | A_UNDERLINE},
	[R_FILE + 3] = {9, 0, A_BOLD | A_UNDERLINE},
	[R_FILE + 4] = {14, 0, A_BOLD | A_UNDERLINE},
	[R_FILE + 5] = {13, 0, A_BOLD | A_UNDERLINE},
};

/* Mono: only what every terminal can do. */
static attr_t mono_attr(enum role r)
{
	if (r >= R_OWNER && r < R_FILE)
		return A_REVERSE;
	if (r >= R_FILE && r < R_COUNT)
		return A_UNDERLINE;
	switch (r) {
	case R_DIM: case R_HEADER: case R_F_FREE: case R_V_GAP:
	case R_V_SPECIAL: case R_V_KERNEL: case R_RULE:
		return A_DIM;
	case R_BOLD: case R_TITLE: case R_BRK: case R_ERROR: case R_HAND:
	case R_PROMPT: case R_EV_BAD:
		return A_BOLD;
	case R_STATUS_HI:   /* on the reversed status bar: no holes in it */
		return A_REVERSE | A_BOLD;
	case R_TITLE_FOCUS: case R_STATUS: case R_PROGRESS: case R_KEY:
	case R_F_KERNEL:
		return A_REVERSE;
	case R_CHANGED: case R_CAPTION:
		return A_REVERSE | A_BOLD;
	case R_TOUCHED:
		return A_UNDERLINE | A_BOLD;
	case R_F_SHARED:
		return A_REVERSE | A_UNDERLINE;
	case R_F_ZERO:
		return A_UNDERLINE;
	default:
		return A_NORMAL;
	}
}

void theme_init(enum ui_theme theme, bool ascii)
{
	use_ascii = ascii;
	bool color = theme != THEME_MONO && has_colors();
	use_color = color;
	/* Block pairs need a second set of pairs (eight-colour terminals
	 * often have only 64). */
	use_blocks = color && !ascii && COLOR_PAIRS > 2 * R_COUNT;
	if (!color) {
		for (int r = 0; r < R_COUNT; r++)
			blocks[r] = attrs[r] = mono_attr((enum role)r);
		return;
	}
	const struct spec *tab = spec8;
	if (theme == THEME_CONTRAST && COLORS >= 16)
		tab = spec_contrast;
	else if (COLORS >= 256)
		tab = spec256;
	/* Contrast draws its own black ground; the others keep the
	 * terminal's background (-1) so they sit well on light terminals. */
	if (tab != spec_contrast)
		use_default_colors();
	for (int r = 0; r < R_COUNT; r++) {
		short fg = tab[r].fg, bg = tab[r].bg;
		if (tab == spec_contrast) {
			if (fg < 0)
				fg = 15;
			if (bg < 0)
				bg = 0;
		}
		init_pair((short)(r + 1), fg, bg);
		attrs[r] = COLOR_PAIR(r + 1) | tab[r].a;
		/* The block pair: the role's background as foreground. */
		short ground = tab == spec_contrast ? 0 : -1;
		init_pair((short)(R_COUNT + r + 1), bg >= 0 ? bg : fg, ground);
		blocks[r] = COLOR_PAIR(R_COUNT + r + 1);
	}
}

attr_t theme_attr(enum role r)
{
	return r >= 0 && r < R_COUNT ? attrs[r] : A_NORMAL;
}

bool theme_blocks(void)
{
	return use_blocks;
}

attr_t theme_block(enum role r)
{
	return r >= 0 && r < R_COUNT ? blocks[r] : A_NORMAL;
}

enum role theme_owner(int pid, bool file)
{
	int i = (pid % THEME_OWNERS + THEME_OWNERS) % THEME_OWNERS;
	return (enum role)((file ? R_FILE : R_OWNER) + i);
}

const struct glyphs *theme_glyphs(void)
{
	return use_ascii ? &ascii_glyphs : &utf8_glyphs;
}

bool theme_color(void)
{
	return use_color;
}

bool theme_ascii(void)
{
	return use_ascii;
}
