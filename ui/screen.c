/* screen.c - the live screen: ui_main, the main loop, and running a
 * command line.
 *
 * One loop, as STYLE.md describes:
 *   1. render (render.c): draw what the dirty flags name, one doupdate;
 *   2. wait for a key on the input window (the timeout is the auto-play
 *      tick; ERR is a tick, never a key);
 *   3. dispatch (actions.c): the key table first, then readline for
 *      typing keys.
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

int grid_top(struct panel_state *ps, const struct grid_fit *gf, int rows_shown, int64_t focus)
{
	if (ps->follow && gf->scroll && focus >= 0) {
		int row = (int)(focus / gf->per_row);
		if (row < ps->scroll || row >= ps->scroll + rows_shown)
			ps->scroll = row - rows_shown / 2;
	}
	return panel_clamp(ps, gf->rows, rows_shown);
}

void grid_row_label(const struct grid_fit *gf, int y, int x, uint32_t first)
{
	if (gf->label_w)
		draw_textf(y, x, gf->label_w, theme_attr(R_DIM), "%*u", gf->label_w - 1, (unsigned)first);
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

/* The current process's numbers, for the status bar. */
static void read_status(struct ui *u)
{
	const struct vm *vm = u->s->vm;
	const struct proc *p = vm_proc(vm, vm->cur);
	memset(&u->after, 0, sizeof u->after);
	if (p) {
		u->after.pid = p->pid;
		u->after.vsz = vm_vsz(vm, p);
		u->after.rss = vm_rss(vm, p);
		u->after.minflt = p->minflt;
		u->after.majflt = p->majflt;
	}
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
		u->before = u->after;
		read_status(u);
		if (u->before.pid != u->after.pid)
			u->before = u->after;    /* another process: nothing to compare */
	}
	ui_engine_settled(u);
}

void ui_engine_settled(struct ui *u)
{
	if (u->chg_vm == u->s->vm && u->chg_to < u->s->vm->log.next_seq) {
		int before_pid = u->before.pid;
		read_status(u);
		if (before_pid != u->after.pid)
			u->before = u->after;
	}
	model_read(&u->m, u->s, u->chg_from, u->chg_to);
	u->lang = u->s->lang;
	for (int i = 0; i < PANEL_COUNT; i++) {
		u->ps[i].follow = true;
		/* In playback a slide's panels scroll from the top to what
		 * changed, not from wherever the last slide drawn left them:
		 * a slide looks the same reached forward or going back. */
		if (u->play)
			u->ps[i].scroll = 0;
	}
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
		/* A caption is narration, not a command: in playback the
		 * caption band shows it (and only it); at the prompt the log
		 * quotes it and the message line shows it. */
		if (u->play) {
			/* A new caption is a new slide: the last command's output
			 * pane would hide the panels it talks about. */
			u->msg[0] = 0;
			output_close(u);
		} else {
			snprintf(buf, sizeof buf, "%s %s", theme_glyphs()->bullet, u->s->caption);
			log_add(&u->log, R_TITLE, 0, buf);
			ui_message(u, R_TITLE, "%s", u->s->caption);
		}
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
	if (rc == 0 && u->s->screenshot && !u->replaying)
		ui_screenshot(u, u->s->screenshot_name);
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
	if (u->mode == MODE_PLAY_PROMPT)
		play_aside(u, line);
	else
		ui_exec(u, line);
	if (u->s->quit)
		u->quit = true;
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
	if (u->play) {
		play_reset_view(u);
		return u;
	}
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
		/* A paste arrives as many keys: draw once it has all been read. */
		if (!term_input_pending()) {
			/* A resize whose KEY_RESIZE was lost (mid escape sequence,
			 * or two in a row) still gets its layout. */
			if (term_resize_missed() || u->lay.rows != LINES || u->lay.cols != COLS)
				ui_relayout(u);
			ui_render(u);
		}
		struct key k;
		keys_read(u->inwin, play_timeout(u), &k);
		ui_dispatch(u, &k);
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
