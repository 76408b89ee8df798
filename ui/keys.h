/* keys.h - reading keys, and the key table.
 *
 * The input window has keypad off (readline wants raw bytes), so escape
 * sequences arrive byte by byte; keys_read gathers a sequence and names the
 * keys the screen itself uses (PgUp, F1...). Everything else keeps its raw
 * bytes, to be fed to readline unchanged (arrows, Alt-b, UTF-8 text).
 */
#ifndef VMVIZ_UI_KEYS_H
#define VMVIZ_UI_KEYS_H

#include <curses.h>
#include <stdbool.h>

enum key_code {
	K_NONE,
	K_BYTE,      /* one plain byte, in ch */
	K_SEQ,       /* an escape sequence the screen does not use */
	K_UP, K_DOWN, K_LEFT, K_RIGHT,
	K_PGUP, K_PGDN, K_HOME, K_END, K_DEL,
	K_F1, K_F2, K_F3, K_F4, K_F5, K_F6, K_F7, K_F8, K_F9, K_F10, K_F11, K_F12,
	K_BTAB,
	K_MOUSE,     /* a mouse report: button, x, y */
	K_ESC,       /* Esc alone */
	K_RESIZE,
	K_TICK       /* the timeout passed without a key */
};

/* Mouse buttons as the terminal reports them (xterm's numbering). */
enum { MOUSE_LEFT = 0, MOUSE_MIDDLE = 1, MOUSE_RIGHT = 2, MOUSE_WHEEL_UP = 64, MOUSE_WHEEL_DOWN = 65 };

struct key {
	enum key_code code;
	int ch;                  /* K_BYTE: the byte */
	unsigned char raw[32];   /* the bytes as read, for readline */
	int nraw;
	bool truncated;          /* a sequence longer than raw: never typed */
	/* K_MOUSE: the button (MOUSE_*, modifier bits removed), the cell
	 * (0-based), and whether it is a press (releases and drags are
	 * reported too, and ignored). */
	int button, mx, my;
	bool press;
};

/* Waits up to timeout_ms (-1: forever) for a key on w. */
void keys_read(WINDOW *w, int timeout_ms, struct key *k);
/* Names the escape sequence in k->raw (ESC first): an F-key, a cursor
 * key, a mouse report (SGR "ESC [ < b ; x ; y M|m" or X10 "ESC [ M b x y"),
 * else K_SEQ. keys_read calls it; tests call it with bytes. */
void keys_name(struct key *k);
/* True if k is an escape sequence (CSI or SS3) rather than Alt-key. */
bool keys_is_csi(const struct key *k);

/* Modes a binding applies in (enum mode bits). */
#define KM_PROMPT (1u << 0)
#define KM_PLAY (1u << 1)
#define KM_PLAY_PROMPT (1u << 2)
#define KM_TYPING (KM_PROMPT | KM_PLAY_PROMPT)
#define KM_ALL (KM_PROMPT | KM_PLAY | KM_PLAY_PROMPT)

enum action {
	A_NONE, A_HELP, A_SHOT, A_PAGE_UP, A_PAGE_DOWN, A_LINE_UP, A_LINE_DOWN,
	A_FOCUS_NEXT, A_FOCUS_PREV, A_REDRAW, A_QUIT, A_CANCEL, A_EOF,
	A_NEXT, A_PREV, A_AUTO, A_FASTER, A_SLOWER, A_GOTO, A_RESTART, A_LAST,
	A_PROMPT, A_BACK_TO_SCRIPT, A_SUSPEND, A_ESCAPE, A_NEXT_CAPTION, A_PREV_CAPTION,
	A_QUIT_ASK
};

struct binding {
	unsigned modes;
	enum key_code code;      /* K_BYTE bindings match ch */
	int ch;
	bool empty_line_only;    /* typing modes: only with nothing typed */
	enum action act;
	const char *name;        /* for the help screen; NULL: not listed */
	const char *help_en, *help_zh;
};

/* The binding for k in mode bit m, or NULL (then typing keys go to
 * readline). */
const struct binding *keys_lookup(const struct key *k, unsigned m, bool line_empty);
const struct binding *keys_table(int *n);

#endif
