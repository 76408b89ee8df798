/* theme.h - colours by meaning (roles), and the glyph set (UTF-8 or ASCII).
 *
 * Drawing code never names a colour: it asks for a role ("changed",
 * "owner 2", "kernel frame") and the theme decides how that looks on this
 * terminal (256 colours, 8 colours, or attributes only for mono/NO_COLOR).
 */
#ifndef VMVIZ_UI_THEME_H
#define VMVIZ_UI_THEME_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>

#include "ui.h"

#define THEME_OWNERS 6  /* process colours, reused past six processes */

enum role {
	R_NORMAL,
	R_DIM,
	R_BOLD,
	R_RULE,          /* panel title rules and separators */
	R_TITLE,         /* panel title text */
	R_TITLE_FOCUS,   /* the focused panel's title */
	R_HEADER,        /* column headers inside panels */
	R_STATUS,        /* the status bar */
	R_STATUS_HI,     /* emphasised values in the status bar */
	R_CHANGED,       /* what the last command changed */
	R_TOUCHED,       /* the region just touched (address space) */
	R_BRK,           /* the program break line */
	R_ERROR,
	R_GOOD,
	R_WARN,          /* faults */
	R_CAPTION,       /* playback caption band */
	R_PROGRESS,      /* playback progress line */
	R_KEY,           /* key names in hints */
	R_PROMPT,
	R_F_FREE,
	R_F_KERNEL,
	R_F_ZERO,
	R_F_SHARED,
	R_HAND,          /* CLOCK hand / next victim marker */
	R_V_KERNEL,      /* address-space rows by kind */
	R_V_STACK,
	R_V_LIB,
	R_V_MMAP,
	R_V_HEAP,
	R_V_DATA,
	R_V_TEXT,
	R_V_SPECIAL,
	R_V_GAP,
	R_EV_FAULT,      /* event log line kinds */
	R_EV_ALLOC,
	R_EV_SWAP,
	R_EV_BAD,
	R_EV_MAP,
	R_OWNER,         /* THEME_OWNERS anonymous-frame colours follow */
	R_FILE = R_OWNER + THEME_OWNERS, /* THEME_OWNERS file-frame colours */
	R_COUNT = R_FILE + THEME_OWNERS
};

/* Box drawing and markers, UTF-8 or plain ASCII. */
struct glyphs {
	const char *h, *v;           /* rules */
	const char *tee_l, *tee_r;   /* around a title in a rule */
	const char *tee_down, *cross; /* "┬" "┼": a rule meets a separator */
	const char *arrow;           /* "→" */
	const char *hand;            /* "▶": CLOCK hand, next victim */
	const char *dot;             /* "·": a free frame */
	const char *off;             /* "-": a clear PTE bit */
	const char *ref;             /* "R": referenced bit */
	const char *dirty;           /* "D": dirty bit */
	const char *vdots;           /* "⋮": gap in the address space */
	const char *block;           /* "█": one-column frame cell */
	const char *ell;             /* "…" */
	const char *corner;          /* "└" in the walk staircase */
	const char *up, *down;       /* scroll indicators */
	const char *bullet;          /* "›" before a command in the log */
	const char *times;           /* "×" in "×2" (shared) */
	const char *mid;             /* "·" between items */
};

/* Call after start_color (if any). */
void theme_init(enum ui_theme theme, bool ascii);
attr_t theme_attr(enum role r);
/* Small grid cells are drawn as block characters in the colour that r uses
 * as background, on the terminal's own background: true when that works
 * (colours on, UTF-8), and then theme_block gives that attribute. */
bool theme_blocks(void);
attr_t theme_block(enum role r);
/* Colour role of a process's frames: anonymous or file-backed. */
enum role theme_owner(int pid, bool file);
const struct glyphs *theme_glyphs(void);
/* A screen cell's look as the theme designed it, whatever this terminal
 * could show: from the cell's pair and attributes, the cell colours
 * (cellgrid.h: palette index or CELL_DEFAULT) and attributes. False for a
 * pair the theme did not hand out (then: default colours, at as it is). */
bool theme_shot_cell(short pair, attr_t at, uint32_t *fg, uint32_t *bg, attr_t *out);
bool theme_ascii(void);
/* False in mono (--theme mono, NO_COLOR, no colours): attributes only. */
bool theme_color(void);

#endif
