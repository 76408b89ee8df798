/* app.h - the screen's whole state in one struct, and the module entry
 * points that share it. One comment per field, kilo style. */
#ifndef VMVIZ_UI_APP_H
#define VMVIZ_UI_APP_H

#include <curses.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "compare.h"
#include "layout.h"
#include "log.h"
#include "model.h"
#include "session.h"
#include "theme.h"
#include "ui.h"

enum mode {
	MODE_PROMPT,       /* interactive: keys go to readline */
	MODE_PLAY,         /* playback: keys step the script */
	MODE_PLAY_PROMPT,  /* playback, lecturer typing at the prompt */
	MODE_GOTO          /* playback, typing a step number */
};

/* What needs drawing on the next pass (tmux style: changes only set
 * flags, one render pass per loop iteration acts on them). */
enum {
	D_STATUS = 1u << 0,
	D_PANELS = 1u << 1,   /* the five panels */
	D_LOG = 1u << 2,
	D_PROMPT = 1u << 3,
	D_MESSAGE = 1u << 4,
	D_PLAY = 1u << 5,     /* caption and progress */
	D_CLEAR = 1u << 6,    /* erase first (resize, help closed) */
	D_ALL = 0x7fu
};

struct panel_state {
	int scroll;        /* first content row shown */
	bool follow;       /* keep the changed part in view */
	int total;         /* content rows, set by the last draw */
	int page;          /* visible rows, set by the last draw */
};

struct play;

/* What a mouse click picked: drawn marked, its detail on the message
 * line, until the next command. */
struct selection {
	int panel;         /* PANEL_VMAS, PANEL_PT, PANEL_FRAMES, or -1: none */
	uint64_t vma_start; /* PANEL_VMAS: the row's start address */
	/* A PTE and the frame it maps are picked together, whichever was
	 * clicked: the page table and the grid mark the same page. */
	bool has_vpn, has_frame;
	uint64_t vpn;
	uint32_t frame;
};

struct ui {
	const struct ui_options *opt;
	struct session *s;       /* the one engine session */
	struct vm_config cfg;    /* what a playback rebuild starts from */
	struct model m;          /* engine state read for drawing */
	struct compare cmp;      /* the compare view's two page tables, when on */
	const struct vm *chg_vm; /* the machine the highlighted events are from */
	uint64_t chg_from, chg_to; /* events of the last command that changed
				    * something: highlighted until the next */
	struct counters {
		int pid;
		uint64_t vsz, rss, minflt, majflt;
	} before, after;         /* the current process around that command:
				  * the status bar marks what moved */
	struct layout lay;       /* where everything goes now */
	struct logbuf log;       /* narration of the commands */
	enum lang lang;
	int focus;               /* panel that PgUp/PgDn scroll */
	struct selection sel;    /* what the mouse clicked */
	bool mouse;              /* the terminal reports the mouse */
	struct panel_state ps[PANEL_COUNT];
	unsigned dirty;          /* D_* flags */
	bool help;               /* the help overlay is up */
	int help_scroll;
	enum mode mode;
	WINDOW *inwin;           /* the prompt line; all input is read here */
	char msg[512];           /* the line under the prompt */
	enum role msg_role;
	char note[200];          /* status bar note (screenshot saved...) */
	struct play *play;       /* playback state, NULL at the prompt */
	char *out_text;          /* long command output shown over the panels */
	char out_title[160];     /* ... the command that printed it */
	int out_scroll;          /* first row of it shown */
	char goto_buf[12];       /* MODE_GOTO digits */
	uint64_t commands;       /* commands run, for the first-run hint */
	bool replaying;          /* playback is passing through slides to
				  * reach another: no screenshots */
	bool quit_asked;         /* q was pressed once in playback */
	bool quit;
	int status;              /* exit status */
	int64_t attach_due;      /* vmviz attach: when /proc is read next (ms) */
	char exit_msg[320];      /* said on stderr once the terminal is back */
};

static inline const char *tr(const struct ui *u, const char *en, const char *zh)
{
	return u->lang == LANG_ZH ? zh : en;
}

/* screen.c */
struct ui *ui_create(const struct ui_options *o, FILE *out, FILE *in, char *err, size_t errlen);
void ui_destroy(struct ui *u);
void ui_loop(struct ui *u);
void ui_message(struct ui *u, enum role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Runs a line through session_exec, narrates it and marks what to redraw.
 * Returns session_exec's result. */
int ui_exec(struct ui *u, const char *line);
/* Re-reads the engine after the session changed (or was replaced). */
void ui_engine_changed(struct ui *u);
/* The engine moved on quietly (a replay): the panels and the status bar
 * show its state, the highlights stay those of the last narrated command. */
void ui_engine_settled(struct ui *u);
void ui_relayout(struct ui *u);
struct key;
/* actions.c: one key, through the key table or to readline. */
void ui_dispatch(struct ui *u, const struct key *k);
void ui_render(struct ui *u);
void ui_scroll(struct ui *u, int pages);
void ui_focus_next(struct ui *u, int dir);
void ui_toggle_help(struct ui *u);
/* Saves the screen as BASE.svg and BASE.txt; NULL or "" picks a dated name. */
void ui_screenshot(struct ui *u, const char *base);

/* mouse.c: a click focuses what is under it, the wheel scrolls. */
void ui_mouse(struct ui *u, const struct key *k);
void ui_select_none(struct ui *u);

/* Hit tests against the last drawing: each fills the selection and a
 * one-line detail for the item drawn at screen cell (y, x); false if
 * nothing is there. */
bool panel_vmas_hit(struct ui *u, int y, int x, struct selection *sel, char *detail, size_t size);
bool panel_pt_hit(struct ui *u, int y, int x, struct selection *sel, char *detail, size_t size);
bool panel_frames_hit(struct ui *u, int y, int x, struct selection *sel, char *detail, size_t size);
/* fkeys.c: the F-key bar at the bottom (htop's habit). */
void fkeys_draw(struct ui *u);
/* The action of the bar's key at column x, or -1. */
int fkeys_hit(const struct ui *u, int x);

/* Panels: each draws its content into the body rectangle. */
void panel_vmas_draw(struct ui *u, const struct rect *body);
void panel_pt_draw(struct ui *u, const struct rect *body);
void panel_frames_draw(struct ui *u, const struct rect *body);
/* Up to rows lines of frame pfn's bytes (xxd style) from row y; lines drawn. */
int frame_bytes_draw(const struct ui *u, uint32_t pfn, int y, int rows, const struct rect *b);
void panel_swap_draw(struct ui *u, const struct rect *body);
void panel_log_draw(struct ui *u, const struct rect *body);
/* panel_pt.c: an MMU walk in r (title rule included; tall when r has
 * levels + 2 rows, else on two), and how many rows it wants of h. */
int panel_walk_rows(const struct vm *vm, int h);
/* A PTE's bits "P W U A D NX" (wide) or "PWUADN", clear ones as dots. */
void panel_pte_bits(int y, int x, pte_t e, bool wide, bool nx, attr_t on, attr_t off);
/* panel_compare.c: two processes side by side in r (the address-space and
 * page-table panels' place, title rule included). */
void panel_compare_draw(struct ui *u, const struct rect *r);
void panel_walk_draw(struct ui *u, const struct walk *wk, const struct rect *r, int shown_pid, bool lit);
/* panel_refs.c: the reference-string table, in the page table's place
 * while a reference string is declared. */
void panel_refs_draw(struct ui *u, const struct rect *body);
const char *panel_refs_title(const struct ui *u);
void panel_refs_info(const struct ui *u, char *buf, size_t size);
const char *panel_title(const struct ui *u, int id);
void status_draw(struct ui *u);
void help_draw(struct ui *u);
void caption_draw(struct ui *u);
/* output.c: a command's output too long for the log, over the panels
 * until Esc or the next command. */
void output_open(struct ui *u, const char *line, const char *text);
void output_close(struct ui *u);
void output_draw(struct ui *u);
bool output_scroll(struct ui *u, int dir);
void too_small_draw(struct ui *u);

/* Clamps a panel's scroll position to its content; returns it. */
int panel_clamp(struct panel_state *ps, int total, int page);
/* The first grid row to show: the one holding focus (frame or slot) when the
 * panel follows changes, clamped. */
int grid_top(struct panel_state *ps, const struct grid_fit *gf, int rows_shown, int64_t focus);
/* The index of a grid row's first cell, in the label column. */
void grid_row_label(const struct grid_fit *gf, int y, int x, uint32_t first);

#endif
