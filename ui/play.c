/* play.c - the playback controller. A slide's visible line goes through
 * ui_exec (narrated, highlighted), its checks through session_exec. Going
 * back rebuilds the machine and plays the slides before again the same way,
 * so every slide shows the same screen, forward or back. */
#include "play.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "draw.h"

static const int delays[] = {5000, 3500, 2500, 1800, 1200, 800, 500, 300, 150};
#define NDELAYS ((int)(sizeof delays / sizeof delays[0]))
#define DEFAULT_SPEED 3

int64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct play *play_new(const char *path, char *err, size_t errlen)
{
	struct play *p = calloc(1, sizeof *p);
	if (!p) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (script_load(&p->sc, path, err, errlen) < 0) {
		free(p);
		return NULL;
	}
	p->speed = DEFAULT_SPEED;
	return p;
}

/* Forgets the lecturer's lines (a restart). */
static void forget_asides(struct play *p)
{
	for (int i = 0; i < p->nasides; i++)
		free(p->asides[i].line);
	p->nasides = p->applied = 0;
}

void play_free(struct play *p)
{
	if (!p)
		return;
	forget_asides(p);
	free(p->asides);
	script_free(&p->sc);
	free(p);
}

/* Runs the lecturer's lines typed after slide i or earlier that the
 * session has not seen yet, as they ran when typed. */
/* Runs a lecturer's line; a caption typed at ':' goes up on the band. */
static int exec_aside(struct ui *u, const char *line)
{
	int rc = ui_exec(u, line);
	if (rc == 0 && script_line_kind(line) == LINE_SAY)
		snprintf(u->play->caption, sizeof u->play->caption, "%s", u->s->caption);
	return rc;
}

static void apply_asides(struct ui *u, int i)
{
	struct play *p = u->play;
	for (; p->applied < p->nasides && p->asides[p->applied].after <= i; p->applied++)
		exec_aside(u, p->asides[p->applied].line);
}

int play_aside(struct ui *u, const char *line)
{
	struct play *p = u->play;
	int rc = exec_aside(u, line);
	if (rc < 0)
		return rc; /* a failed line changed nothing: nothing to replay */
	if (p->nasides == p->capasides) {
		int cap = p->capasides ? 2 * p->capasides : 16;
		struct aside *a = realloc(p->asides, (size_t)cap * sizeof *a);
		if (!a)
			return rc;
		p->asides = a;
		p->capasides = cap;
	}
	char *copy = strdup(line);
	if (!copy)
		return rc;
	/* Every line typed up to here is applied (see run_slide), so the new
	 * one goes right after them, before those of later steps. */
	memmove(&p->asides[p->applied + 1], &p->asides[p->applied],
		(size_t)(p->nasides - p->applied) * sizeof *p->asides);
	p->asides[p->applied].after = p->cur;
	p->asides[p->applied].line = copy;
	p->applied++;
	p->nasides++;
	return rc;
}

int play_delay_ms(const struct play *p)
{
	return delays[p->speed];
}

/* How long auto-play stays on the slide just shown: the speed's delay, or
 * on a caption the time to read it if longer: 1.5 s plus 50 ms a column
 * (a Chinese character is two), about 20 Latin characters or 10 Chinese
 * ones a second, scaled like the speed. A 90-column caption stays 6 s at
 * the default speed. */
static int slide_delay_ms(const struct play *p)
{
	int delay = play_delay_ms(p);
	if (p->cur < 1 || !script_slide_is_say(&p->sc, p->cur - 1))
		return delay;
	int64_t read = (1500 + 50 * (int64_t)text_width(p->caption)) * delays[p->speed] / delays[DEFAULT_SPEED];
	return read > delay ? (int)read : delay;
}

/* Runs slide k (0-based) for the audience: its caption or command
 * narrated and highlighted, its checks and pause silently after it. A
 * failed check is shown, not hidden: the caption band turns red and
 * auto-play stops. */
static void run_slide(struct ui *u, int k)
{
	struct play *p = u->play;
	const struct script *sc = &p->sc;
	p->failed = p->paused = false;
	u->msg[0] = 0;
	u->dirty |= D_MESSAGE | D_PROMPT | D_STATUS;
	struct proc_names names;
	moments_names(u->s->vm, &names);
	const struct vm *vm0 = u->s->vm;
	uint64_t from = vm0->log.next_seq;
	for (int i = sc->slide_start[k]; i < script_slide_end(sc, k); i++) {
		bool silent = sc->kind[i] == LINE_SILENT;
		int rc = silent ? session_exec(u->s, sc->lines[i]) : ui_exec(u, sc->lines[i]);
		if (rc == 0 && sc->kind[i] == LINE_SAY)
			snprintf(p->caption, sizeof p->caption, "%s", u->s->caption);
		if (rc < 0) {
			p->failed = true;
			p->autoplay = false;
			/* an expect's error already says "expect ... failed" */
			ui_message(u, R_ERROR, "%s %d (%s %d): %s", tr(u, "step", "第"), k + 1,
				   tr(u, "line", "行"), sc->lineno[i], u->s->err);
			break;
		}
		if (u->s->pause) {
			p->paused = true;
			p->autoplay = false;
		}
		if (u->s->quit)
			break;
	}
	/* A reset or new frame count made a new machine: nothing of the old
	 * one is worth a banner. */
	if (u->s->vm != vm0)
		from = event_oldest(&u->s->vm->log);
	moments_read(&p->moments, u->s->vm, from, u->s->vm->log.next_seq, &names, u->lang);
	p->cur = k + 1;
	if (u->s->quit) {
		/* `quit` in a scenario ends the show, not the program. */
		u->s->quit = false;
		p->cur = sc->nslides;
	}
	/* Lines typed at this point before going back come back with it:
	 * the screen is where the lecturer left it. */
	apply_asides(u, p->cur);
	u->dirty |= D_PLAY;
}

/* The screen as it is before the first slide: an empty log but for the
 * hint and the start-up events, nothing highlighted from before, no
 * caption. Going back starts from here too, so a slide looks the same
 * however it was reached. */
void play_reset_view(struct ui *u)
{
	struct play *p = u->play;
	log_clear(&u->log);
	log_add(&u->log, R_DIM, 0, tr(u, "vmviz: Space steps through the scenario, : types a command, ? shows the keys.",
				      "vmviz：空格逐步播放场景，: 输入命令，? 查看按键。"));
	log_events(&u->log, u->s);
	u->chg_vm = NULL;
	u->chg_from = u->chg_to = 0;
	memset(&u->before, 0, sizeof u->before);
	memset(&u->after, 0, sizeof u->after);
	u->msg[0] = u->note[0] = 0;
	output_close(u);
	p->caption[0] = 0;
	memset(&p->moments, 0, sizeof p->moments);
	p->cur = 0;
	p->failed = p->paused = false;
	ui_engine_changed(u);
	u->dirty |= D_ALL;
}

/* A new machine, and the first n slides played again exactly as they were
 * played forward, with the lecturer's lines typed among them. */
static int rebuild(struct ui *u, int n)
{
	struct play *p = u->play;
	struct session *s = session_new(&u->cfg, u->lang);
	if (!s) {
		ui_message(u, R_ERROR, "%s", tr(u, "cannot restart the machine", "无法重建机器"));
		return -1;
	}
	session_free(u->s);
	u->s = s;
	p->applied = 0;
	play_reset_view(u);
	u->replaying = true;
	apply_asides(u, 0);
	for (int k = 0; k < n; k++) {
		u->replaying = k < n - 1;   /* the slide shown takes its screenshot */
		run_slide(u, k);
	}
	u->replaying = false;
	return 0;
}

void play_goto(struct ui *u, int n)
{
	struct play *p = u->play;
	if (n < 0)
		n = 0;
	if (n > p->sc.nslides)
		n = p->sc.nslides;
	if (n == p->cur)
		return;
	bool autoplay = p->autoplay;
	if (n < p->cur) {
		rebuild(u, n);
	} else {
		/* Forward: the slides in between play as Space would play them. */
		for (int k = p->cur; k < n; k++) {
			u->replaying = k < n - 1;
			run_slide(u, k);
		}
		u->replaying = false;
	}
	p->autoplay = autoplay && !p->failed && !p->paused;
	u->dirty |= D_ALL;
}

void play_next(struct ui *u)
{
	struct play *p = u->play;
	if (p->cur >= p->sc.nslides) {
		p->autoplay = false;
		if (u->opt->playlist) {
			u->quit = true;
			u->status = UI_PLAY_NEXT;
			return;
		}
		ui_message(u, R_DIM, "%s", tr(u, "end of the scenario: r restarts, q quits",
					       "场景结束：r 重新开始，q 退出"));
		u->dirty |= D_PLAY;
		return;
	}
	run_slide(u, p->cur);
	if (p->autoplay)
		p->next_tick = now_ms() + slide_delay_ms(p);
}

void play_caption(struct ui *u, int dir)
{
	struct play *p = u->play;
	/* Slide k is shown as step k + 1; the current one is cur - 1. */
	for (int k = dir > 0 ? p->cur : p->cur - 2; k >= 0 && k < p->sc.nslides; k += dir)
		if (script_slide_is_say(&p->sc, k)) {
			play_goto(u, k + 1);
			return;
		}
	if (dir > 0)
		play_goto(u, p->sc.nslides);
	else
		play_goto(u, 0);
}

void play_prev(struct ui *u)
{
	if (u->play->cur > 0)
		play_goto(u, u->play->cur - 1);
}

void play_restart(struct ui *u)
{
	struct play *p = u->play;
	p->autoplay = false;
	forget_asides(p);
	rebuild(u, 0);
}

void play_toggle_auto(struct ui *u)
{
	struct play *p = u->play;
	p->autoplay = !p->autoplay;
	if (p->autoplay) {
		p->paused = false;
		/* Starting auto-play takes a step at once: the audience sees it
		 * respond. */
		play_next(u);
		if (p->autoplay)
			p->next_tick = now_ms() + slide_delay_ms(p);
	}
	u->dirty |= D_PLAY;
}

void play_speed(struct ui *u, int dir)
{
	struct play *p = u->play;
	p->speed += dir;
	if (p->speed < 0)
		p->speed = 0;
	if (p->speed >= NDELAYS)
		p->speed = NDELAYS - 1;
	if (p->autoplay)
		p->next_tick = now_ms() + slide_delay_ms(p);
	u->dirty |= D_PLAY;
}

int play_timeout(struct ui *u)
{
	struct play *p = u->play;
	if (!p || !p->autoplay || u->mode != MODE_PLAY)
		return -1;
	int64_t left = p->next_tick - now_ms();
	return left < 0 ? 0 : left > 60000 ? 60000 : (int)left;
}

void play_tick(struct ui *u)
{
	struct play *p = u->play;
	if (!p || !p->autoplay || u->mode != MODE_PLAY || now_ms() < p->next_tick)
		return;
	play_next(u);
}
