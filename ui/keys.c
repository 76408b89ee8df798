/* keys.c - escape-sequence decoding and the key table. */
#include "keys.h"

#include <string.h>

/* How long the rest of an escape sequence may take to arrive. Terminals
 * send a sequence in one write; a lone Esc is followed by silence. */
#define ESC_WAIT_MS 40

static const struct {
	const char *seq;         /* after the ESC */
	enum key_code code;
} seqs[] = {
	{"[A", K_UP}, {"[B", K_DOWN}, {"[C", K_RIGHT}, {"[D", K_LEFT},
	{"OA", K_UP}, {"OB", K_DOWN}, {"OC", K_RIGHT}, {"OD", K_LEFT},
	{"[5~", K_PGUP}, {"[6~", K_PGDN}, {"[H", K_HOME}, {"[F", K_END},
	{"OH", K_HOME}, {"OF", K_END}, {"[1~", K_HOME}, {"[4~", K_END},
	{"[7~", K_HOME}, {"[8~", K_END}, {"[3~", K_DEL},
	{"OP", K_F1}, {"[11~", K_F1}, {"[[A", K_F1}, {"OQ", K_F2}, {"[12~", K_F2},
	{"[[B", K_F2}, {"OR", K_F3}, {"[13~", K_F3}, {"[[C", K_F3}, {"OS", K_F4},
	{"[14~", K_F4}, {"[[D", K_F4}, {"[15~", K_F5}, {"[[E", K_F5}, {"[17~", K_F6},
	{"[18~", K_F7}, {"[19~", K_F8}, {"[20~", K_F9}, {"[21~", K_F10}, {"[23~", K_F11},
	{"[24~", K_F12}, {"[Z", K_BTAB},
};

/* The bytes of an X10 mouse report after "ESC [ M": button, column, row,
 * each plus 32. */
#define X10_BYTES 3

static bool parse_int(const unsigned char **p, const unsigned char *end, int *out)
{
	int v = 0, digits = 0;
	while (*p < end && **p >= '0' && **p <= '9' && digits < 6) {
		v = v * 10 + (**p - '0');
		(*p)++;
		digits++;
	}
	*out = v;
	return digits > 0;
}

static void mouse_from(struct key *k, int b, int x, int y, bool press)
{
	k->code = K_MOUSE;
	/* 4, 8, 16: Shift, Meta, Ctrl; 32: motion while held. */
	k->press = press && !(b & 32);
	k->button = b & ~(4 | 8 | 16 | 32);
	k->mx = x - 1;
	k->my = y - 1;
}

/* "ESC [ < b ; x ; y M" (press) or "... m" (release). */
static bool sgr_mouse(struct key *k)
{
	const unsigned char *p = k->raw + 3, *end = k->raw + k->nraw - 1;
	int b, x, y;
	if (k->nraw < 9 || k->raw[2] != '<' || (end[0] != 'M' && end[0] != 'm'))
		return false;
	if (!parse_int(&p, end, &b) || p >= end || *p++ != ';' || !parse_int(&p, end, &x) || p >= end ||
	    *p++ != ';' || !parse_int(&p, end, &y) || p != end || x < 1 || y < 1)
		return false;
	mouse_from(k, b, x, y, end[0] == 'M');
	return true;
}

bool keys_is_csi(const struct key *k)
{
	return k->nraw >= 3 && k->raw[0] == 27 && (k->raw[1] == '[' || k->raw[1] == 'O');
}

void keys_name(struct key *k)
{
	k->code = K_SEQ;
	if (k->truncated || k->nraw < 2 || k->raw[0] != 27)
		return;
	if (k->nraw == 3 + X10_BYTES && k->raw[1] == '[' && k->raw[2] == 'M') {
		int b = k->raw[3] - 32;
		/* X10 says "released" without saying which button. */
		bool release = (b & 3) == 3 && !(b & 64);
		mouse_from(k, b, k->raw[4] - 32, k->raw[5] - 32, !release);
		if (k->mx < 0 || k->my < 0)
			k->press = false;
		return;
	}
	if (sgr_mouse(k))
		return;
	for (size_t i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
		size_t n = strlen(seqs[i].seq);
		if ((int)n == k->nraw - 1 && memcmp(seqs[i].seq, k->raw + 1, n) == 0) {
			k->code = seqs[i].code;
			return;
		}
	}
}

static void keep(struct key *k, int c)
{
	if (k->nraw < (int)sizeof k->raw)
		k->raw[k->nraw++] = (unsigned char)c;
	else
		k->truncated = true;
}

void keys_read(WINDOW *w, int timeout_ms, struct key *k)
{
	memset(k, 0, sizeof *k);
	wtimeout(w, timeout_ms);
	int c = wgetch(w);
	if (c == ERR) {
		k->code = K_TICK;
		return;
	}
	if (c == KEY_RESIZE) {
		k->code = K_RESIZE;
		return;
	}
	if (c > 255) {
		/* keypad is off, so this should not happen; ignore it. */
		k->code = K_NONE;
		return;
	}
	k->raw[k->nraw++] = (unsigned char)c;
	if (c != 27) {
		k->code = K_BYTE;
		k->ch = c;
		return;
	}
	wtimeout(w, ESC_WAIT_MS);
	int d = wgetch(w);
	if (d == ERR || d == KEY_RESIZE || d > 255) {
		k->code = K_ESC;
		if (d == KEY_RESIZE)
			ungetch(KEY_RESIZE);
		return;
	}
	k->raw[k->nraw++] = (unsigned char)d;
	k->code = K_SEQ;
	if (d != '[' && d != 'O')
		return;                 /* Alt-key: readline's business */
	/* CSI/SS3: parameters and intermediates, up to a final byte. A
	 * sequence longer than raw is still read to its end, so none of it
	 * is left to be typed. */
	for (int n = 2; n < 256; n++) {
		int e = wgetch(w);
		if (e == KEY_RESIZE)
			ungetch(KEY_RESIZE); /* for the next read: not lost */
		if (e == ERR || e > 255)
			break;
		keep(k, e);
		bool final = e >= 0x40 && e <= 0x7e && !(n == 2 && e == '[');
		if (final)
			break;
	}
	if (k->nraw == 3 && k->raw[1] == '[' && k->raw[2] == 'M') {
		/* X10 mouse: three raw bytes follow the final M. */
		for (int i = 0; i < X10_BYTES; i++) {
			int e = wgetch(w);
			if (e == ERR || e > 255)
				break;
			keep(k, e);
		}
	}
	keys_name(k);
}

#define CTRL(c) ((c) & 0x1f)

static const struct binding table[] = {
	{KM_ALL, K_F1, 0, false, A_HELP, "F1 ?", "help (this screen)", "帮助（本页）"},
	{KM_TYPING, K_BYTE, '?', true, A_HELP, NULL, NULL, NULL},
	{KM_PLAY, K_BYTE, '?', false, A_HELP, NULL, NULL, NULL},
	{KM_ALL, K_F2, 0, false, A_SHOT, "F2", "screenshot (.svg and .txt here)", "截图（当前目录 .svg 和 .txt）"},
	{KM_ALL, K_F3, 0, false, A_FOCUS_NEXT, "F3", "next panel (as Tab)", "切换面板（同 Tab）"},
	{KM_ALL, K_F10, 0, false, A_QUIT, "F10", "quit vmviz", "退出 vmviz"},
	{KM_PLAY, K_BYTE, 's', false, A_SHOT, "s", "screenshot, in playback", "截图（播放时）"},
	/* A presenter's clicker sends PgDn and PgUp: in playback they step. */
	{KM_PLAY, K_PGDN, 0, false, A_NEXT, NULL, NULL, NULL},
	{KM_PLAY, K_PGUP, 0, false, A_PREV, NULL, NULL, NULL},
	{KM_TYPING, K_PGUP, 0, false, A_PAGE_UP, "PgUp PgDn", "scroll the focused panel (in playback: step)",
	 "滚动当前面板（播放时：翻页）"},
	{KM_TYPING, K_PGDN, 0, false, A_PAGE_DOWN, NULL, NULL, NULL},
	{KM_PLAY, K_UP, 0, false, A_LINE_UP, NULL, NULL, NULL},
	{KM_PLAY, K_DOWN, 0, false, A_LINE_DOWN, NULL, NULL, NULL},
	{KM_TYPING, K_BYTE, '\t', true, A_FOCUS_NEXT, "Tab",
	 "next panel (completes when a line is typed)", "切换面板（输入时为补全）"},
	{KM_PLAY, K_BYTE, '\t', false, A_FOCUS_NEXT, NULL, NULL, NULL},
	{KM_ALL, K_BTAB, 0, false, A_FOCUS_PREV, NULL, NULL, NULL},
	{KM_ALL, K_BYTE, CTRL('L'), false, A_REDRAW, "Ctrl-L", "redraw the screen", "重绘屏幕"},
	{KM_PROMPT | KM_PLAY, K_ESC, 0, false, A_ESCAPE, "Esc", "close the output pane, clear the message",
	 "关闭输出窗格，清除提示"},
	{KM_TYPING, K_BYTE, CTRL('C'), false, A_CANCEL, "Ctrl-C", "cancel the line", "取消输入"},
	{KM_PROMPT, K_BYTE, CTRL('D'), true, A_EOF, "Ctrl-D", "quit (on an empty line)", "退出（空行时）"},
	{KM_PLAY_PROMPT, K_BYTE, CTRL('D'), true, A_BACK_TO_SCRIPT, NULL, NULL, NULL},
	{KM_ALL, K_BYTE, CTRL('Z'), false, A_SUSPEND, NULL, NULL, NULL},
	{KM_PLAY, K_BYTE, CTRL('C'), false, A_QUIT, NULL, NULL, NULL},
	{KM_PLAY, K_BYTE, CTRL('D'), false, A_QUIT, NULL, NULL, NULL},
	/* Playback */
	{KM_PLAY, K_BYTE, ' ', false, A_NEXT, "Space Right PgDn", "next step", "下一步"},
	{KM_PLAY, K_RIGHT, 0, false, A_NEXT, NULL, NULL, NULL},
	{KM_PLAY, K_BYTE, '\r', false, A_NEXT, NULL, NULL, NULL},
	{KM_PLAY, K_LEFT, 0, false, A_PREV, "Left PgUp Bksp", "previous step (the same screen as before)",
	 "上一步（与前进时看到的画面相同）"},
	{KM_PLAY, K_BYTE, 127, false, A_PREV, NULL, NULL, NULL},
	{KM_PLAY, K_BYTE, 8, false, A_PREV, NULL, NULL, NULL},
	{KM_PLAY, K_BYTE, 'n', false, A_NEXT_CAPTION, "n p", "next / previous caption", "下一条 / 上一条字幕"},
	{KM_PLAY, K_BYTE, 'p', false, A_PREV_CAPTION, NULL, NULL, NULL},
	{KM_PLAY, K_BYTE, 'a', false, A_AUTO, "a", "auto-play on/off", "自动播放 开/关"},
	{KM_PLAY, K_BYTE, '+', false, A_FASTER, "+ -", "faster / slower", "加快 / 减慢"},
	{KM_PLAY, K_BYTE, '=', false, A_FASTER, NULL, NULL, NULL},
	{KM_PLAY, K_BYTE, '-', false, A_SLOWER, NULL, NULL, NULL},
	{KM_PLAY, K_BYTE, 'g', false, A_GOTO, "g", "go to step N", "跳到第 N 步"},
	{KM_PLAY, K_BYTE, 'r', false, A_RESTART, "r Home", "restart", "重新开始"},
	{KM_PLAY, K_HOME, 0, false, A_RESTART, NULL, NULL, NULL},
	{KM_PLAY, K_END, 0, false, A_LAST, "End", "run to the last step", "执行到最后一步"},
	{KM_PLAY, K_BYTE, ':', false, A_PROMPT, ": /", "type your own command", "输入自己的命令"},
	{KM_PLAY, K_BYTE, '/', false, A_PROMPT, NULL, NULL, NULL},
	{KM_PLAY_PROMPT, K_ESC, 0, false, A_BACK_TO_SCRIPT, "Esc",
	 "back to the script (or Enter on an empty line)", "回到脚本（或空行回车）"},
	{KM_PLAY, K_BYTE, 'q', false, A_QUIT_ASK, "q", "quit playback (press twice)", "退出播放（按两次）"},
};

const struct binding *keys_lookup(const struct key *k, unsigned m, bool line_empty)
{
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		const struct binding *b = &table[i];
		if (!(b->modes & m) || b->code != k->code)
			continue;
		if (b->code == K_BYTE && b->ch != k->ch)
			continue;
		if (b->empty_line_only && !line_empty)
			continue;
		return b;
	}
	return NULL;
}

const struct binding *keys_table(int *n)
{
	*n = (int)(sizeof table / sizeof table[0]);
	return table;
}
