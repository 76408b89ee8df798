/* theme.c - the four themes and the glyph sets.
 *
 * Each theme is designed as a table of 256-colour palette indexes (its own
 * design, whatever the terminal can show). The default theme falls back to
 * the eight ANSI colours on smaller terminals; contrast (for projectors)
 * uses saturated colours on black and bold text; light is dark text on a
 * white ground; mono uses attributes only, so it also serves NO_COLOR and
 * dumb terminals. Process colours follow Okabe and Ito's colour-blind-safe
 * set, and no state is told by colour alone: marks are letters.
 *
 * Colour pairs are handed out per distinct (terminal colours, designed
 * colours, attributes), so a screenshot can read every cell's designed
 * look back from its pair, never from the terminal (theme_shot_cell).
 */
#include "theme.h"

#include <string.h>

#include "cellgrid.h"

static attr_t attrs[R_COUNT];
static attr_t blocks[R_COUNT];
static bool use_ascii, use_blocks, use_color;

static const struct glyphs utf8_glyphs = {
	.h = "─", .v = "│", .tee_l = "┤", .tee_r = "├",
	.tee_down = "┬", .cross = "┼", .arrow = "→",
	.hand = "▶", .dot = "·", .off = "-", .ref = "R", .dirty = "D", .vdots = "⋮",
	.block = "█", .ell = "…", .corner = "└", .up = "▲", .down = "▼",
	.bullet = "›", .times = "×", .mid = "·",
};

static const struct glyphs ascii_glyphs = {
	.h = "-", .v = "|", .tee_l = "[", .tee_r = "]",
	.tee_down = "+", .cross = "+", .arrow = "->",
	.hand = ">", .dot = ".", .off = "-", .ref = "R", .dirty = "D", .vdots = ":",
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
	/* Okabe-Ito: sky blue, orange, bluish green, reddish purple,
	 * yellow, and a lavender grey; no two differ by red/green alone. */
	[R_OWNER + 0] = {16, 74, 0},
	[R_OWNER + 1] = {16, 214, 0},
	[R_OWNER + 2] = {16, 36, 0},
	[R_OWNER + 3] = {16, 175, 0},
	[R_OWNER + 4] = {16, 227, 0},
	[R_OWNER + 5] = {16, 146, 0},
	[R_FILE + 0] = {231, 25, 0},
	[R_FILE + 1] = {231, 130, 0},
	[R_FILE + 2] = {231, 29, 0},
	[R_FILE + 3] = {231, 90, 0},
	[R_FILE + 4] = {231, 100, 0},
	[R_FILE + 5] = {231, 60, 0},
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

/* Light (projectors in lit rooms, printouts): dark text on its own white
 * ground, every colour dark enough to read on white; -1 is never used, so
 * the terminal's own colours do not leak in. */
#define LG 231  /* the white ground */
static const struct spec spec_light[R_COUNT] = {
	[R_NORMAL] = {16, LG, 0},
	[R_DIM] = {240, LG, 0},
	[R_BOLD] = {16, LG, A_BOLD},
	[R_RULE] = {244, LG, 0},
	[R_TITLE] = {25, LG, A_BOLD},
	[R_TITLE_FOCUS] = {LG, 25, A_BOLD},
	[R_HEADER] = {238, LG, A_BOLD},
	[R_STATUS] = {LG, 24, 0},
	[R_STATUS_HI] = {229, 24, A_BOLD},
	[R_CHANGED] = {16, 220, A_BOLD},
	[R_TOUCHED] = {16, 223, 0},
	[R_BRK] = {166, LG, A_BOLD},
	[R_ERROR] = {160, LG, A_BOLD},
	[R_GOOD] = {25, LG, 0},
	[R_WARN] = {130, LG, A_BOLD},
	[R_CAPTION] = {LG, 24, A_BOLD},
	[R_PROGRESS] = {16, 252, 0},
	[R_KEY] = {LG, 238, 0},
	[R_PROMPT] = {25, LG, A_BOLD},
	[R_F_FREE] = {246, LG, 0},
	[R_F_KERNEL] = {LG, 243, 0},
	[R_F_ZERO] = {16, 252, 0},
	[R_F_SHARED] = {16, 183, 0},
	[R_HAND] = {160, LG, A_BOLD},
	[R_V_KERNEL] = {240, LG, 0},
	[R_V_STACK] = {90, LG, 0},
	[R_V_LIB] = {30, LG, 0},
	[R_V_MMAP] = {25, LG, 0},
	[R_V_HEAP] = {29, LG, 0},
	[R_V_DATA] = {94, LG, 0},
	[R_V_TEXT] = {124, LG, 0},
	[R_V_SPECIAL] = {242, LG, 0},
	[R_V_GAP] = {248, LG, 0},
	[R_EV_FAULT] = {130, LG, 0},
	[R_EV_ALLOC] = {29, LG, 0},
	[R_EV_SWAP] = {90, LG, 0},
	[R_EV_BAD] = {160, LG, A_BOLD},
	[R_EV_MAP] = {25, LG, 0},
	[R_OWNER + 0] = {16, 117, 0},
	[R_OWNER + 1] = {16, 214, 0},
	[R_OWNER + 2] = {16, 79, 0},
	[R_OWNER + 3] = {16, 218, 0},
	[R_OWNER + 4] = {16, 227, 0},
	[R_OWNER + 5] = {16, 189, 0},
	[R_FILE + 0] = {LG, 25, 0},
	[R_FILE + 1] = {LG, 130, 0},
	[R_FILE + 2] = {LG, 29, 0},
	[R_FILE + 3] = {LG, 90, 0},
	[R_FILE + 4] = {LG, 100, 0},
	[R_FILE + 5] = {LG, 60, 0},
};

/* Light on eight colours: black on the terminal's white (light grey), and
 * only the hues that stay readable on it for text. */
#define B8 COLOR_BLACK
#define W8 COLOR_WHITE
static const struct spec spec8_light[R_COUNT] = {
	[R_NORMAL] = {B8, W8, 0},
	[R_DIM] = {B8, W8, A_DIM},
	[R_BOLD] = {B8, W8, A_BOLD},
	[R_RULE] = {COLOR_BLUE, W8, 0},
	[R_TITLE] = {COLOR_BLUE, W8, A_BOLD},
	[R_TITLE_FOCUS] = {W8, COLOR_BLUE, A_BOLD},
	[R_HEADER] = {B8, W8, A_BOLD},
	[R_STATUS] = {W8, COLOR_BLUE, 0},
	[R_STATUS_HI] = {COLOR_YELLOW, COLOR_BLUE, A_BOLD},
	[R_CHANGED] = {B8, COLOR_YELLOW, A_BOLD},
	[R_TOUCHED] = {B8, COLOR_YELLOW, 0},
	[R_BRK] = {COLOR_RED, W8, A_BOLD},
	[R_ERROR] = {COLOR_RED, W8, A_BOLD},
	[R_GOOD] = {COLOR_BLUE, W8, 0},
	[R_WARN] = {COLOR_MAGENTA, W8, A_BOLD},
	[R_CAPTION] = {W8, COLOR_BLUE, A_BOLD},
	[R_PROGRESS] = {W8, B8, 0},
	[R_KEY] = {W8, B8, 0},
	[R_PROMPT] = {COLOR_BLUE, W8, A_BOLD},
	[R_F_FREE] = {B8, W8, A_DIM},
	[R_F_KERNEL] = {W8, B8, 0},
	[R_F_ZERO] = {B8, W8, A_UNDERLINE},
	[R_F_SHARED] = {W8, COLOR_MAGENTA, 0},
	[R_HAND] = {COLOR_RED, W8, A_BOLD},
	[R_V_KERNEL] = {B8, W8, A_DIM},
	[R_V_STACK] = {COLOR_MAGENTA, W8, 0},
	[R_V_LIB] = {COLOR_BLUE, W8, 0},
	[R_V_MMAP] = {COLOR_BLUE, W8, A_BOLD},
	[R_V_HEAP] = {COLOR_GREEN, W8, 0},
	[R_V_DATA] = {COLOR_MAGENTA, W8, A_BOLD},
	[R_V_TEXT] = {COLOR_RED, W8, 0},
	[R_V_SPECIAL] = {B8, W8, A_DIM},
	[R_V_GAP] = {B8, W8, A_DIM},
	[R_EV_FAULT] = {COLOR_MAGENTA, W8, 0},
	[R_EV_ALLOC] = {COLOR_GREEN, W8, 0},
	[R_EV_SWAP] = {COLOR_MAGENTA, W8, 0},
	[R_EV_BAD] = {COLOR_RED, W8, A_BOLD},
	[R_EV_MAP] = {COLOR_BLUE, W8, 0},
	[R_OWNER + 0] = {B8, COLOR_CYAN, 0},
	[R_OWNER + 1] = {B8, COLOR_YELLOW, 0},
	[R_OWNER + 2] = {B8, COLOR_GREEN, 0},
	[R_OWNER + 3] = {B8, COLOR_MAGENTA, 0},
	[R_OWNER + 4] = {W8, COLOR_BLUE, 0},
	[R_OWNER + 5] = {W8, COLOR_RED, 0},
	[R_FILE + 0] = {COLOR_CYAN, B8, A_BOLD},
	[R_FILE + 1] = {COLOR_YELLOW, B8, A_BOLD},
	[R_FILE + 2] = {COLOR_GREEN, B8, A_BOLD},
	[R_FILE + 3] = {COLOR_MAGENTA, B8, A_BOLD},
	[R_FILE + 4] = {COLOR_BLUE, B8, A_BOLD},
	[R_FILE + 5] = {COLOR_RED, B8, A_BOLD},
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

/* What one colour pair stands for: the colours the terminal was given and
 * the theme's own design, with the attributes of both. */
struct pairinfo {
	short tfg, tbg, dfg, dbg;
	attr_t ta, da;
};
#define MAX_PAIRS (2 * R_COUNT + 1)
static struct pairinfo pairs[MAX_PAIRS];
static int npairs;  /* pairs 1..npairs are in use */
/* R_NORMAL's attributes, on this terminal and in the design: the windows'
 * background, which curses adds to every character drawn on them. */
static attr_t ground_ta, ground_da;

/* The pair for this look, shared with an identical one; 0 when the
 * terminal has no pair left. */
static short pair_for(const struct pairinfo *want)
{
	for (int p = 1; p <= npairs; p++) {
		const struct pairinfo *h = &pairs[p];
		if (h->tfg == want->tfg && h->tbg == want->tbg && h->dfg == want->dfg &&
		    h->dbg == want->dbg && h->ta == want->ta && h->da == want->da)
			return (short)p;
	}
	if (npairs + 1 >= MAX_PAIRS || npairs + 1 >= COLOR_PAIRS ||
	    init_pair((short)(npairs + 1), want->tfg, want->tbg) == ERR)
		return 0;
	pairs[++npairs] = *want;
	return (short)npairs;
}

/* The roles the frames panel may draw as blocks (panel_frames.c). */
static bool is_block_role(enum role r)
{
	return r == R_CHANGED || r == R_HAND || r == R_F_KERNEL || r == R_F_ZERO || r == R_F_SHARED ||
	       (r >= R_OWNER && r < R_COUNT);
}

void theme_init(enum ui_theme theme, bool ascii)
{
	use_ascii = ascii;
	bool color = theme != THEME_MONO && has_colors();
	use_color = color;
	npairs = 0;
	memset(pairs, 0, sizeof pairs);
	ground_ta = ground_da = 0;
	if (!color) {
		for (int r = 0; r < R_COUNT; r++)
			blocks[r] = attrs[r] = mono_attr((enum role)r);
		use_blocks = false;
		return;
	}
	/* design: what the theme means; tab: what this terminal gets. */
	const struct spec *design = theme == THEME_CONTRAST ? spec_contrast
				    : theme == THEME_LIGHT ? spec_light : spec256;
	const struct spec *tab = design;
	if (COLORS < 256) {
		if (theme == THEME_LIGHT)
			tab = spec8_light;
		else if (!(theme == THEME_CONTRAST && COLORS >= 16))
			tab = spec8;
	}
	/* Contrast and light draw their own ground; the default keeps the
	 * terminal's background (-1) so it sits well on light terminals
	 * (and so does contrast on eight colours: it is the default there). */
	bool own_ground = design != spec256;
	bool term_ground = tab != spec256 && tab != spec8;
	short ground = theme == THEME_LIGHT ? LG : 0, deffg = theme == THEME_LIGHT ? 16 : 15;
	short tground = tab == spec8_light ? COLOR_WHITE : ground;
	short tdeffg = tab == spec8_light ? COLOR_BLACK : deffg;
	if (!term_ground)
		use_default_colors();
	use_blocks = !ascii;
	for (int r = 0; r < R_COUNT; r++) {
		struct pairinfo pi = {tab[r].fg, tab[r].bg, design[r].fg, design[r].bg, tab[r].a, design[r].a};
		if (term_ground) {
			pi.tfg = pi.tfg < 0 ? tdeffg : pi.tfg;
			pi.tbg = pi.tbg < 0 ? tground : pi.tbg;
		}
		if (own_ground) {
			pi.dfg = pi.dfg < 0 ? deffg : pi.dfg;
			pi.dbg = pi.dbg < 0 ? ground : pi.dbg;
		}
		attrs[r] = COLOR_PAIR(pair_for(&pi)) | tab[r].a;
	}
	ground_ta = tab[R_NORMAL].a;
	ground_da = design[R_NORMAL].a;
	for (int r = 0; r < R_COUNT; r++) {
		blocks[r] = attrs[r];
		if (!is_block_role((enum role)r))
			continue;
		/* The block pair: the role's background as foreground, on the
		 * ground (a block is a cell of colour in a small grid). */
		short p = PAIR_NUMBER(attrs[r]);
		const struct pairinfo *rp = &pairs[p];
		short tg = term_ground ? tground : -1, dg = own_ground ? ground : -1;
		struct pairinfo pi = {rp->tbg >= 0 && rp->tbg != tg ? rp->tbg : rp->tfg, tg,
				      rp->dbg >= 0 && rp->dbg != dg ? rp->dbg : rp->dfg, dg, 0, 0};
		short bp = p ? pair_for(&pi) : 0;
		/* Without a pair for every block the small grid draws labels. */
		if (!bp)
			use_blocks = false;
		blocks[r] = COLOR_PAIR(bp);
	}
}

bool theme_shot_cell(short pair, attr_t at, uint32_t *fg, uint32_t *bg, attr_t *out)
{
	if (pair <= 0 || pair > npairs) {
		*fg = *bg = CELL_DEFAULT;
		*out = at;
		return false;
	}
	const struct pairinfo *p = &pairs[pair];
	*fg = p->dfg < 0 ? CELL_DEFAULT : (uint32_t)p->dfg;
	*bg = p->dbg < 0 ? CELL_DEFAULT : (uint32_t)p->dbg;
	/* The attributes the drawing code added to the role's own, and the
	 * design's in place of the terminal's background ones. */
	*out = p->da | ground_da | (at & ~p->ta & ~ground_ta & ~A_COLOR);
	return true;
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
