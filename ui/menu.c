/* menu.c - `vmviz play DIR|FILE...`: the menu of scenarios a lecture is
 * made of, in order. One screen of its own, before and between them. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "keys.h"
#include "term.h"
#include "ui.h"

static const char *tr_menu(const struct ui_options *o, const char *en, const char *zh)
{
	return o->lang == LANG_ZH ? zh : en;
}

static void draw_menu(const char *const *titles, int n, int sel, const struct ui_options *o)
{
	erase();
	int rows = LINES, cols = COLS;
	draw_line(0, 0, cols, theme_attr(R_STATUS) | A_BOLD,
		  tr_menu(o, " vmviz: the scenarios of this lecture, in order",
			  " vmviz：这次讲课的场景，按顺序"));
	/* Rows 2 .. rows-3 hold the list, scrolled to keep sel in view. */
	int room = rows - 4 > 1 ? rows - 4 : 1;
	int top = sel >= room ? sel - room + 1 : 0;
	for (int i = top; i < n && i - top < room; i++) {
		char line[300];
		snprintf(line, sizeof line, " %2d  %s", i + 1, titles[i]);
		attr_t a = i == sel ? theme_attr(R_CAPTION) | A_BOLD : theme_attr(R_NORMAL);
		draw_fill(2 + i - top, 1, cols - 2, i == sel ? a : theme_attr(R_NORMAL));
		draw_clip(2 + i - top, 1, cols - 2, a, line);
	}
	draw_line(rows - 1, 0, cols, theme_attr(R_DIM),
		  tr_menu(o, " Up/Down choose  Enter or Space plays (then the next one)  q or F10 quits",
			  " 上/下 选择   回车或空格 播放（一个结束后接着下一个）   q 或 F10 退出"));
	refresh();
}

int ui_menu(const char *const *titles, int n, int start, const struct ui_options *o)
{
	char why[240];
	struct ui_options en = *o;
	if (!term_locale(o->lang == LANG_ZH, why, sizeof why)) {
		fprintf(stderr, "vmviz: %s\n", why);
		en.lang = LANG_EN;
		o = &en;
	}
	if (n <= 0 || term_start(stdout, stdin, o->theme, o->ascii || !term_utf8()) < 0)
		return -1;
	curs_set(0);
	int sel = start < 0 ? 0 : start >= n ? n - 1 : start;
	int chosen = -2;
	while (chosen == -2) {
		draw_menu(titles, n, sel, o);
		struct key k;
		keys_read(stdscr, -1, &k);
		switch (k.code) {
		case K_UP: sel = sel > 0 ? sel - 1 : 0; break;
		case K_DOWN: sel = sel + 1 < n ? sel + 1 : n - 1; break;
		case K_PGUP: case K_HOME: sel = 0; break;
		case K_PGDN: case K_END: sel = n - 1; break;
		case K_RIGHT: chosen = sel; break;
		case K_ESC:
		case K_F10: chosen = -1; break;
		case K_BYTE:
			if (k.ch == '\r' || k.ch == '\n' || k.ch == ' ')
				chosen = sel;
			else if (k.ch == 'q' || k.ch == 3 || k.ch == 4)
				chosen = -1;
			else if (k.ch == 'k')
				sel = sel > 0 ? sel - 1 : 0;
			else if (k.ch == 'j')
				sel = sel + 1 < n ? sel + 1 : n - 1;
			else if (k.ch >= '1' && k.ch <= '9' && k.ch - '1' < n)
				sel = k.ch - '1';
			break;
		default: break;
		}
	}
	term_stop();
	return chosen;
}
