/* actions.c - what keys do: the key table's actions, and the dispatch of a
 * key (the table first; in typing modes the rest goes to readline). */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#include "keys.h"
#include "play.h"
#include "prompt.h"
#include "term.h"

void ui_scroll(struct ui *u, int dir)
{
	if (output_scroll(u, dir))
		return;
	struct panel_state *ps = &u->ps[u->focus];
	int step = ps->page > 2 ? ps->page - 1 : 1;
	ps->follow = false;
	/* The log counts rows up from its end. */
	ps->scroll += u->focus == PANEL_LOG ? -dir * step : dir * step;
	u->dirty |= u->focus == PANEL_LOG ? D_LOG : D_PANELS;
}

static void scroll_line(struct ui *u, int dir)
{
	struct panel_state *ps = &u->ps[u->focus];
	ps->follow = false;
	ps->scroll += u->focus == PANEL_LOG ? -dir : dir;
	u->dirty |= u->focus == PANEL_LOG ? D_LOG : D_PANELS;
}

void ui_focus_next(struct ui *u, int dir)
{
	u->focus = (u->focus + dir + PANEL_COUNT) % PANEL_COUNT;
	/* The compare view is one panel: one stop for both of its places. */
	if (u->cmp.on && u->focus == PANEL_VMAS)
		u->focus = (u->focus + dir + PANEL_COUNT) % PANEL_COUNT;
	u->dirty |= D_PANELS;
}

void ui_toggle_help(struct ui *u)
{
	u->help = !u->help;
	u->help_scroll = 0;
	u->dirty |= D_ALL | D_CLEAR;
}

static void back_to_script(struct ui *u)
{
	prompt_cancel();
	u->mode = MODE_PLAY;
	u->dirty |= D_PROMPT | D_MESSAGE;
}

static void do_action(struct ui *u, enum action a)
{
	switch (a) {
	case A_NONE: break;
	case A_HELP: ui_toggle_help(u); break;
	case A_SHOT: ui_screenshot(u, NULL); break;
	case A_PAGE_UP: ui_scroll(u, -1); break;
	case A_PAGE_DOWN: ui_scroll(u, 1); break;
	case A_LINE_UP: scroll_line(u, -1); break;
	case A_LINE_DOWN: scroll_line(u, 1); break;
	case A_FOCUS_NEXT: ui_focus_next(u, 1); break;
	case A_FOCUS_PREV: ui_focus_next(u, -1); break;
	case A_REDRAW:
		clearok(curscr, TRUE);
		u->dirty |= D_ALL | D_CLEAR;
		break;
	case A_QUIT:
	case A_EOF: u->quit = true; break;
	case A_CANCEL:
		prompt_cancel();
		u->msg[0] = 0;
		u->dirty |= D_MESSAGE;
		break;
	case A_NEXT: play_next(u); break;
	case A_NEXT_CAPTION: play_caption(u, 1); break;
	case A_PREV_CAPTION: play_caption(u, -1); break;
	case A_QUIT_ASK:
		/* A stray q in front of an audience must not end the talk. */
		if (u->quit_asked) {
			u->quit = true;
			if (u->opt->playlist)
				u->status = UI_PLAY_MENU;
		} else {
			u->quit_asked = true;
			ui_message(u, R_WARN, "%s", tr(u, "quit? press q again (any other key goes on)",
						       "要退出吗？再按一次 q（按其他键继续）"));
		}
		break;
	case A_PREV: play_prev(u); break;
	case A_AUTO: play_toggle_auto(u); break;
	case A_FASTER: play_speed(u, 1); break;
	case A_SLOWER: play_speed(u, -1); break;
	case A_GOTO:
		u->mode = MODE_GOTO;
		u->goto_buf[0] = 0;
		u->dirty |= D_PROMPT;
		break;
	case A_RESTART: play_restart(u); break;
	case A_LAST: play_goto(u, u->play->sc.nslides); break;
	case A_PROMPT:
		u->mode = MODE_PLAY_PROMPT;
		if (u->play)
			u->play->autoplay = false;
		u->dirty |= D_PROMPT | D_PLAY;
		break;
	case A_BACK_TO_SCRIPT: back_to_script(u); break;
	case A_ESCAPE:
		if (u->out_text) {
			output_close(u);
		} else {
			u->msg[0] = 0;
			u->dirty |= D_MESSAGE;
		}
		break;
	case A_SUSPEND:
		term_suspend();
		u->dirty |= D_ALL | D_CLEAR;
		break;
	}
}

/* Typing a step number after `g`. */
static void goto_key(struct ui *u, const struct key *k)
{
	size_t n = strlen(u->goto_buf);
	u->dirty |= D_PROMPT;
	if (k->code == K_BYTE && k->ch >= '0' && k->ch <= '9' && n + 1 < sizeof u->goto_buf) {
		u->goto_buf[n] = (char)k->ch;
		u->goto_buf[n + 1] = 0;
	} else if (k->code == K_BYTE && (k->ch == 127 || k->ch == 8)) {
		if (n)
			u->goto_buf[n - 1] = 0;
	} else if (k->code == K_BYTE && k->ch == '\r') {
		u->mode = MODE_PLAY;
		if (n)
			play_goto(u, atoi(u->goto_buf));
	} else if (k->code == K_ESC || (k->code == K_BYTE && (k->ch == 3 || k->ch == 'q'))) {
		u->mode = MODE_PLAY;
	}
}

static unsigned mode_bit(enum mode m)
{
	switch (m) {
	case MODE_PROMPT: return KM_PROMPT;
	case MODE_PLAY: return KM_PLAY;
	case MODE_PLAY_PROMPT: return KM_PLAY_PROMPT;
	case MODE_GOTO: return 0;
	}
	return 0;
}

void ui_dispatch(struct ui *u, const struct key *k)
{
	if (k->code == K_RESIZE) {
		ui_relayout(u);
		return;
	}
	if (k->code == K_TICK) {
		play_tick(u);
		return;
	}
	if (k->code == K_NONE)
		return;
	if (k->code == K_F10) {
		/* htop's habit: F10 leaves, whatever is on the screen. */
		u->quit = true;
		return;
	}
	if (k->code == K_MOUSE) {
		if (!u->lay.too_small)
			ui_mouse(u, k);
		return;
	}
	if (u->lay.too_small) {
		/* Nothing to type into; only leaving makes sense. */
		if (k->code == K_BYTE && (k->ch == 4 || k->ch == 3 || k->ch == 'q'))
			u->quit = true;
		return;
	}
	if (u->help) {
		if (k->code == K_PGUP || k->code == K_UP)
			u->help_scroll -= k->code == K_PGUP ? 10 : 1;
		else if (k->code == K_PGDN || k->code == K_DOWN)
			u->help_scroll += k->code == K_PGDN ? 10 : 1;
		else
			u->help = false, u->dirty |= D_CLEAR;
		u->dirty |= D_ALL;
		return;
	}
	if (u->mode == MODE_GOTO) {
		goto_key(u, k);
		return;
	}
	bool typing = u->mode == MODE_PROMPT || u->mode == MODE_PLAY_PROMPT;
	const struct binding *b = keys_lookup(k, mode_bit(u->mode), !typing || prompt_line_empty());
	if (u->quit_asked && (!b || b->act != A_QUIT_ASK)) {
		u->quit_asked = false;
		u->msg[0] = 0;
		u->dirty |= D_MESSAGE;
	}
	if (b) {
		do_action(u, b->act);
		return;
	}
	if (!typing || k->code == K_ESC)
		return;    /* a lone Esc would leave readline waiting for a Meta key */
	if (k->truncated || (keys_is_csi(k) && !prompt_key_bound(k->raw, k->nraw)))
		return;    /* F5, F12...: readline would type the sequence's tail */
	if (u->msg_role == R_DIM && u->msg[0]) {
		/* Completion candidates go away once typing goes on. */
		u->msg[0] = 0;
		u->dirty |= D_MESSAGE;
	}
	prompt_feed(k->raw, k->nraw);
}
