/* screen.c - the live screen: ui_main, the main loop, and the render pass.
 *
 * One loop, as STYLE.md describes:
 *   1. render: draw what the dirty flags name, one doupdate;
 *   2. wait for a key on the input window (the timeout is the auto-play
 *      tick; ERR is a tick, never a key);
 *   3. dispatch: the key table first, then readline for typing keys.
 * Engine changes come only from ui_exec / the playback controller, both
 * through session_exec; afterwards the model is re-read once.
 */
#include "app.h"

#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "keys.h"
#include "play.h"
#include "prompt.h"
#include "record.h"
#include "term.h"

#define LOG_LINES 4000

int panel_clamp(struct panel_state *ps, int total, int page)
{
	ps->total = total;
	ps->page = page;
	int max = total - page;
	if (ps->scroll > max)
		ps->scroll = max;
	if (ps->scroll < 0)
		ps->scroll = 0;
	return ps->scroll;
}

void ui_message(struct ui *u, enum role role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof u->msg, fmt, ap);
	va_end(ap);
	u->msg_role = role;
	u->dirty |= D_MESSAGE | D_PLAY;
}

void ui_engine_changed(struct ui *u)
{
	/* A command that changed nothing (say, expect, ps, an error) keeps
	 * the previous highlights: the audience is still looking at them. */
	const struct vm *vm = u->s->vm;
	if (vm != u->chg_vm || u->s->first_event < vm->log.next_seq) {
		u->chg_vm = vm;
		u->chg_from = u->s->first_event;
		u->chg_to = vm->log.next_seq;
	}
	model_read(&u->m, u->s, u->chg_from, u->chg_to);
	u->lang = u->s->lang;
	for (int i = 0; i < PANEL_COUNT; i++)
		u->ps[i].follow = true;
	u->ps[PANEL_LOG].scroll = 0;
	u->dirty |= D_STATUS | D_PANELS | D_LOG | D_PLAY | D_MESSAGE;
}

/* The first line of the output, if the output is just one line. */
static bool one_line(const char *out, char *buf, size_t size)
{
	if (!out || !*out)
		return false;
	const char *nl = strchr(out, '\n');
	if (nl && nl[1])
		return false;
	size_t n = nl ? (size_t)(nl - out) : strlen(out);
	snprintf(buf, size, "%.*s", (int)n, out);
	return true;
}

static bool is_say(const char *line)
{
	while (*line == ' ' || *line == '\t')
		line++;
	return strncmp(line, "say", 3) == 0 && (line[3] == ' ' || line[3] == '\t' || !line[3]);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

int ui_exec(struct ui *u, const char *line)
{
	int rc = session_exec(u->s, line);
	u->commands++;
	u->note[0] = 0;
	char buf[sizeof u->msg + 16];
	if (rc == 0 && is_say(line)) {
		/* A caption is narration, not a command: the log quotes it and
		 * the caption band (or the message line) shows it. */
		snprintf(buf, sizeof buf, "%s %s", theme_glyphs()->bullet, u->s->caption);
		log_add(&u->log, R_TITLE, 0, buf);
		if (u->play)
			u->msg[0] = 0;
		else
			ui_message(u, R_TITLE, "%s", u->s->caption);
		ui_engine_changed(u);
		return rc;
	}
	log_command(&u->log, u->s, line, rc);
	if (rc < 0)
		ui_message(u, R_ERROR, "%s", u->s->err);
	else if (one_line(u->s->out.s, buf, sizeof buf))
		ui_message(u, R_GOOD, "%s", buf);
	else
		u->msg[0] = 0;
	output_close(u);
	if (rc == 0 && count_lines(u->s->out.s) > u->lay.panel[PANEL_LOG].h - 3)
		output_open(u, line, u->s->out.s);
	ui_engine_changed(u);
	return rc;
}

void ui_on_line(struct ui *u, const char *line)
{
	if (!line) {
		if (u->mode == MODE_PLAY_PROMPT)
			u->mode = MODE_PLAY;
		else
			u->quit = true;
		u->dirty |= D_PROMPT;
		return;
	}
	const char *p = line;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p) {
		if (u->mode == MODE_PLAY_PROMPT) {
			u->mode = MODE_PLAY;
			u->dirty |= D_PROMPT;
		}
		return;
	}
	ui_exec(u, line);
	if (u->s->quit)
		u->quit = true;
}

const char *panel_title(const struct ui *u, int id)
{
	switch (id) {
	case PANEL_VMAS: return tr(u, "Address space", "虚拟地址空间");
	case PANEL_PT: return tr(u, "Page table", "页表");
	case PANEL_FRAMES: return tr(u, "Physical frames", "物理内存页框");
	case PANEL_SWAP: return "Swap";
	case PANEL_LOG: return tr(u, "What happened", "发生了什么");
	}
	return "";
}

/* The right-hand note of a panel's title rule. */
static void panel_info(const struct ui *u, int id, char *buf, size_t size)
{
	const struct model *m = &u->m;
	const struct vm *vm = m->vm;
	buf[0] = 0;
	if (!vm)
		return;
	switch (id) {
	case PANEL_VMAS:
		if (m->proc)
			snprintf(buf, size, "pid %d %s", m->proc->pid, m->proc->name);
		break;
	case PANEL_PT:
		if (m->proc)
			snprintf(buf, size, "%zu %s %s %u %s", m->npte, tr(u, "PTEs", "项"),
				 theme_glyphs()->mid, m->proc->ntables, tr(u, "tables", "张表"));
		break;
	case PANEL_FRAMES:
		snprintf(buf, size, "%u %s %s %s", vm->nframes, tr(u, "frames", "页框"),
			 theme_glyphs()->mid, vm->policy ? policy_name(vm->policy->kind) : "");
		break;
	case PANEL_SWAP:
		snprintf(buf, size, "%u/%u", vm->swap.used, vm->swap.nslots);
		break;
	default:
		break;
	}
}

static void draw_panel(struct ui *u, int id)
{
	const struct rect *r = &u->lay.panel[id];
	char info[96];
	draw_clear(r);
	panel_info(u, id, info, sizeof info);
	draw_title(r, panel_title(u, id), info, u->focus == id);
	struct rect body = layout_body(r);
	switch (id) {
	case PANEL_VMAS: panel_vmas_draw(u, &body); break;
	case PANEL_PT: panel_pt_draw(u, &body); break;
	case PANEL_FRAMES: panel_frames_draw(u, &body); break;
	case PANEL_SWAP: panel_swap_draw(u, &body); break;
	case PANEL_LOG: panel_log_draw(u, &body); break;
	}
}

/* Separators, with a cross where another panel's title rule meets one. */
static void draw_seps(struct ui *u)
{
	const struct layout *l = &u->lay;
	for (int i = 0; i < l->nsep; i++) {
		const struct rect *s = &l->sep[i];
		draw_vsep(s);
		for (int p = 0; p < PANEL_COUNT; p++) {
			int y = l->panel[p].y;
			bool beside = l->panel[p].x + l->panel[p].w == s->x || l->panel[p].x == s->x + 1;
			if (beside && y > s->y && y < s->y + s->h)
				draw_cross(y, s->x);
		}
	}
}

static void draw_message(struct ui *u)
{
	const struct rect *r = &u->lay.message;
	draw_fill(r->y, r->x, r->w, theme_attr(R_NORMAL));
	if (u->msg[0]) {
		draw_text(r->y, r->x + 1, r->w - 2, theme_attr(u->msg_role), u->msg);
	} else if (u->mode == MODE_PROMPT && u->commands == 0) {
		const char *m = theme_glyphs()->mid;
		char hint[200];
		snprintf(hint, sizeof hint,
			 tr(u, "try: p = malloc(8192)  then  p[0] = 1   %s   help  %s  ? keys  %s  Ctrl-D quits",
			    "试试: p = malloc(8192)  然后  p[0] = 1   %s   help  %s  ? 按键  %s  Ctrl-D 退出"),
			 m, m, m);
		draw_text(r->y, r->x + 1, r->w - 2, theme_attr(R_DIM), hint);
	}
}

void ui_render(struct ui *u)
{
	unsigned d = u->dirty;
	if (!d)
		return;
	u->dirty = 0;
	bool scr = (d & ~(unsigned)D_PROMPT) != 0;
	if (u->lay.too_small) {
		too_small_draw(u);
		wnoutrefresh(stdscr);
		doupdate();
		return;
	}
	if (d & D_CLEAR) {
		erase();
		d |= D_ALL;
	}
	if (u->help) {
		if (scr) {
			help_draw(u);
			status_draw(u);
			draw_message(u);
		}
	} else {
		if (d & D_STATUS)
			status_draw(u);
		if (d & D_PANELS) {
			for (int i = 0; i < PANEL_COUNT; i++)
				if (i != PANEL_LOG)
					draw_panel(u, i);
		}
		if (d & (D_LOG | D_PANELS))
			draw_panel(u, PANEL_LOG);
		if (d & D_PANELS)
			draw_seps(u);
		if (u->out_text && (d & (D_PANELS | D_LOG)))
			output_draw(u);
		if (d & D_PLAY)
			caption_draw(u);
		if (d & D_MESSAGE)
			draw_message(u);
	}
	if (scr)
		wnoutrefresh(stdscr);
	prompt_draw(u);
	if (scr)
		touchwin(u->inwin);
	wnoutrefresh(u->inwin);
	doupdate();
}

void ui_relayout(struct ui *u)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	layout_compute(&u->lay, rows, cols, u->play != NULL);
	int py = u->lay.too_small ? (rows > 0 ? rows - 1 : 0) : u->lay.prompt.y;
	if (u->inwin)
		delwin(u->inwin);
	u->inwin = newwin(1, cols > 0 ? cols : 1, py, 0);
	if (u->inwin)
		keypad(u->inwin, FALSE);   /* readline wants the raw bytes */
	clearok(curscr, TRUE);
	u->dirty |= D_ALL | D_CLEAR;
}

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
	case A_SHOT: ui_screenshot(u); break;
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
	case A_LAST: play_goto(u, u->play->sc.nsteps); break;
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

static void dispatch(struct ui *u, const struct key *k)
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
	if (b) {
		do_action(u, b->act);
		return;
	}
	if (!typing || k->code == K_ESC)
		return;    /* a lone Esc would leave readline waiting for a Meta key */
	if (u->msg_role == R_DIM && u->msg[0]) {
		/* Completion candidates go away once typing goes on. */
		u->msg[0] = 0;
		u->dirty |= D_MESSAGE;
	}
	prompt_feed(k->raw, k->nraw);
}

struct ui *ui_create(const struct ui_options *o, FILE *out, FILE *in, char *err, size_t errlen)
{
	struct ui *u = calloc(1, sizeof *u);
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	u->opt = o;
	u->cfg = o->cfg;
	u->lang = o->lang;
	u->focus = PANEL_FRAMES;
	model_init(&u->m);
	if (log_init(&u->log, LOG_LINES) < 0) {
		snprintf(err, errlen, "out of memory");
		free(u);
		return NULL;
	}
	if (o->play_file) {
		u->play = play_new(o->play_file, err, errlen);
		if (!u->play) {
			ui_destroy(u);
			return NULL;
		}
		u->mode = MODE_PLAY;
	}
	u->s = session_new(&o->cfg, o->lang);
	if (!u->s) {
		snprintf(err, errlen, "cannot start the machine");
		ui_destroy(u);
		return NULL;
	}
	bool ascii = o->ascii || !term_utf8();
	if (term_start(out, in, o->theme, ascii) < 0) {
		snprintf(err, errlen, "cannot start the terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "");
		ui_destroy(u);
		return NULL;
	}
	ui_relayout(u);
	prompt_init(u);
	log_add(&u->log, R_DIM, 0, tr(u, "vmviz: a live Linux virtual memory machine. Type help, or ? for keys.",
				      "vmviz：实时演示 Linux 虚拟内存。输入 help 查看命令，? 查看按键。"));
	log_events(&u->log, u->s);
	ui_engine_changed(u);
	return u;
}

void ui_destroy(struct ui *u)
{
	if (!u)
		return;
	if (u->inwin) {
		prompt_shutdown();
		delwin(u->inwin);
		term_stop();
	}
	session_free(u->s);
	play_free(u->play);
	free(u->out_text);
	model_free(&u->m);
	log_free(&u->log);
	free(u);
}

void ui_loop(struct ui *u)
{
	while (!u->quit) {
		ui_render(u);
		struct key k;
		keys_read(u->inwin, play_timeout(u), &k);
		dispatch(u, &k);
	}
}

int ui_main(const struct ui_options *o)
{
	if (o->record && !record_child())
		return record_run(o);
	setlocale(LC_ALL, "");
	char err[300];
	struct ui *u = ui_create(o, stdout, stdin, err, sizeof err);
	if (!u) {
		fprintf(stderr, "vmviz: %s\n", err);
		return 1;
	}
	ui_loop(u);
	int status = u->status;
	ui_destroy(u);
	return status;
}
