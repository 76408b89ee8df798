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
#include "attach.h"

#include <ctype.h>
#include <locale.h>
#include <time.h>
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

/* Why --lang zh fell back to English (no UTF-8 locale), or "". */
static char locale_why[240];

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
	compare_read(&u->cmp, u->s->vm, u->s->compare);
	u->lang = u->s->lang;
	ui_select_none(u);
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

/* The command word of line is w ("exit", "exit 0" or "exit()"). */
static bool is_word(const char *line, const char *w)
{
	while (*line == ' ' || *line == '\t')
		line++;
	size_t n = strlen(w);
	return strncmp(line, w, n) == 0 && (line[n] == ' ' || line[n] == '\t' || line[n] == '(' ||
					    line[n] == ';' || !line[n]);
}

static int count_lines(const char *s)
{
	int n = 0;
	for (; s && *s; s++)
		n += *s == '\n';
	return n;
}

/* After a fork or spawn at the prompt, one line offers the compare view. */
static void offer_compare(struct ui *u, const int before[2])
{
	const struct session *s = u->s;
	if (u->play || !s->pair[0] || (s->pair[0] == before[0] && s->pair[1] == before[1]))
		return;
	if (s->compare[0] == s->pair[0] && s->compare[1] == s->pair[1])
		return;
	char hint[120];
	snprintf(hint, sizeof hint, tr(u, "compare %d %d shows both side by side", "compare %d %d 并排显示这两个进程"),
		 s->pair[0], s->pair[1]);
	log_add(&u->log, R_DIM, 2, hint);
}

int ui_exec(struct ui *u, const char *line)
{
	const int pair[2] = {u->s->pair[0], u->s->pair[1]};
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
		/* "Segmentation fault: ..." is news, not a result. */
		ui_message(u, u->s->died ? R_ERROR : R_GOOD, "%s", buf);
	else
		u->msg[0] = 0;
	if (rc == 0)
		offer_compare(u, pair);
	if (rc == 0 && !u->play && is_word(line, "exit")) {
		/* exit ends the simulated process, not vmviz: say how to leave,
		 * or the user waits for a shell that never comes back. */
		const char *hint = tr(u, "exit ended the simulated process; vmviz runs on: quit, F10 or Ctrl-D leaves it",
				      "exit 结束的是模拟的进程，vmviz 仍在运行：quit、F10 或 Ctrl-D 退出 vmviz");
		log_add(&u->log, R_WARN, 0, hint);
		ui_message(u, R_WARN, "%s", hint);
	}
	output_close(u);
	/* compare's table is on the screen already, as the compare view */
	if (rc == 0 && !u->s->view && count_lines(u->s->out.s) > u->lay.panel[PANEL_LOG].h - 3)
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

static int64_t clock_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* vmviz attach: the next read is one interval after this one ended, so
 * however slow smaps is, the target is never read back to back. */
static void attach_schedule(struct ui *u)
{
	u->attach_due = clock_ms() + (int64_t)(u->opt->attach_interval * 1000);
}

/* Reads the attached process again: the engine's events from the read
 * are what changed since the last one, highlighted as a command's are. */
static void attach_tick(struct ui *u)
{
	struct vm *old = u->s->vm;
	uint64_t from = old->log.next_seq;
	char err[300];
	if (attach_refresh(u->opt->attach_pid, NULL, &u->s->vm, err, sizeof err) < 0) {
		snprintf(u->exit_msg, sizeof u->exit_msg, "attach: %s", err);
		u->status = 1;
		u->quit = true;
		return;
	}
	attach_schedule(u);
	const struct vm *vm = u->s->vm;
	u->s->first_event = vm == old ? from : vm->log.next_seq;
	/* As after a command: a read that changed something is highlighted
	 * until the next read that changes something. */
	ui_engine_changed(u);
	if (u->m.chg.nvpn || u->before.vsz != u->after.vsz) {
		char line[200];
		snprintf(line, sizeof line,
			 tr(u, "read #%llu: %zu pages changed, RSS %+lld KiB, VSZ %+lld KiB",
			    "第 %llu 次读取：%zu 页有变化，RSS %+lld KiB，VSZ %+lld KiB"),
			 (unsigned long long)vm->host->refreshes, u->m.chg.nvpn,
			 (long long)(u->after.rss - u->before.rss) / 1024, (long long)(u->after.vsz - u->before.vsz) / 1024);
		log_add(&u->log, R_CHANGED, 0, line);
	}
}

static int attach_timeout(const struct ui *u)
{
	int64_t left = u->attach_due - clock_ms();
	return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
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
	u->sel.panel = -1;
	model_init(&u->m);
	compare_init(&u->cmp);
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
	if (o->attach_pid) {
		/* The real process replaces the simulated machine before the
		 * screen starts: a bad PID is one line on a normal terminal. */
		char why[300];
		if (attach_refresh(o->attach_pid, NULL, &u->s->vm, why, sizeof why) < 0) {
			snprintf(err, errlen, "attach: %s", why);
			ui_destroy(u);
			return NULL;
		}
		u->s->first_event = u->s->vm->log.next_seq;
	}
	bool ascii = o->ascii || !term_utf8();
	if (term_start(out, in, o->theme, ascii) < 0) {
		snprintf(err, errlen, "cannot start the terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "");
		ui_destroy(u);
		return NULL;
	}
	u->mouse = term_mouse();
	ui_relayout(u);
	prompt_init(u);
	if (u->play) {
		play_reset_view(u);
		if (locale_why[0])
			ui_message(u, R_WARN, "%s", locale_why);
		return u;
	}
	if (o->attach_pid) {
		const struct vm_host *h = u->s->vm->host;
		char line[300];
		snprintf(line, sizeof line,
			 tr(u, "attached to pid %d (%s), read-only: /proc read every %g s; changes are highlighted. "
			       "PFNs %s. Ctrl-D quits.",
			    "已附加到进程 %d（%s），只读：每 %g 秒读取一次 /proc，变化会高亮。物理页号%s。Ctrl-D 退出。"),
			 h->pid, h->comm, o->attach_interval,
			 h->pfn_visible ? tr(u, "are the real ones", "为真实值") : tr(u, "hidden without root", "需要 root 才能看到"));
		log_add(&u->log, R_DIM, 0, line);
		attach_schedule(u);
	} else {
		log_add(&u->log, R_DIM, 0, tr(u, "vmviz: a live Linux virtual memory machine. Type help, or ? for keys.",
					      "vmviz：实时演示 Linux 虚拟内存。输入 help 查看命令，? 查看按键。"));
		if (locale_why[0])
			log_add(&u->log, R_WARN, 0, locale_why);
		log_events(&u->log, u->s);
	}
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
	compare_free(&u->cmp);
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
		keys_read(u->inwin, u->opt->attach_pid ? attach_timeout(u) : play_timeout(u), &k);
		if (u->opt->attach_pid && attach_timeout(u) == 0) {
			attach_tick(u);
			if (u->quit)
				break;
		}
		ui_dispatch(u, &k);
	}
}

int ui_main(const struct ui_options *o)
{
	if (o->record && !record_child())
		return record_run(o);
	struct ui_options lo = *o;
	locale_why[0] = 0;
	if (!term_locale(o->lang == LANG_ZH, locale_why, sizeof locale_why)) {
		/* Said before the screen starts (it stays in the terminal's
		 * scrollback) and again in the log. */
		fprintf(stderr, "vmviz: %s\n", locale_why);
		lo.lang = LANG_EN;
	}
	char err[300];
	struct ui *u = ui_create(&lo, stdout, stdin, err, sizeof err);
	if (!u) {
		fprintf(stderr, "vmviz: %s\n", err);
		return 1;
	}
	ui_loop(u);
	int status = u->status;
	char said[sizeof u->exit_msg];
	snprintf(said, sizeof said, "%s", u->exit_msg);
	ui_destroy(u);
	if (said[0])
		fprintf(stderr, "vmviz: %s\n", said);
	return status;
}
