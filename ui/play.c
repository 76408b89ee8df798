/* play.c - the playback controller. Steps go through ui_exec (narrated,
 * highlighted) or, when replaying to reach an earlier step, straight
 * through session_exec without narration. */
#include "play.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"

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

/* Quietly runs the lecturer's lines typed after step i or earlier that the
 * session has not seen yet. Returns how many ran. */
static int apply_asides(struct ui *u, int i)
{
	struct play *p = u->play;
	int n = 0;
	for (; p->applied < p->nasides && p->asides[p->applied].after <= i; p->applied++, n++)
		session_exec(u->s, p->asides[p->applied].line);
	return n;
}

static int count_asides(const struct play *p, int i)
{
	int n = 0;
	while (n < p->nasides && p->asides[n].after <= i)
		n++;
	return n;
}

int play_aside(struct ui *u, const char *line)
{
	struct play *p = u->play;
	int rc = ui_exec(u, line);
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
	/* Every line typed up to here is applied (see run_step), so the new
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

/* Runs step i (0-based) for the audience: narrated and highlighted. */
static void run_step(struct ui *u, int i)
{
	struct play *p = u->play;
	p->failed = false;
	p->paused = false;
	int rc = ui_exec(u, p->sc.steps[i]);
	p->cur = i + 1;
	if (rc < 0) {
		/* Shown, not hidden: the caption band turns red and says why. */
		p->failed = true;
		p->autoplay = false;
		ui_message(u, R_ERROR, "%s %d (%s %d): %s%s", tr(u, "step", "第"), i + 1,
			   tr(u, "line", "行"), p->sc.lineno[i],
			   u->s->is_expect ? tr(u, "expect failed: ", "expect 失败: ") : "", u->s->err);
	}
	if (u->s->pause) {
		p->paused = true;
		p->autoplay = false;
	}
	if (u->s->quit) {
		/* `quit` in a scenario ends the show, not the program. */
		u->s->quit = false;
		p->cur = p->sc.nsteps;
	}
	/* Lines typed at this point before going back come back with it:
	 * the screen is where the lecturer left it. */
	if (apply_asides(u, p->cur) > 0)
		ui_engine_settled(u);
	u->dirty |= D_PLAY;
}

/* A new machine, and the first n steps replayed without narration, with
 * the lecturer's lines typed among them and right after them. */
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
	for (int i = 0; i <= n; i++) {
		apply_asides(u, i);
		if (i < n)
			session_exec(s, p->sc.steps[i]);
	}
	s->quit = false;
	p->cur = n;
	return 0;
}

void play_goto(struct ui *u, int n)
{
	struct play *p = u->play;
	if (n < 0)
		n = 0;
	if (n > p->sc.nsteps)
		n = p->sc.nsteps;
	if (n == p->cur)
		return;
	u->msg[0] = 0;
	if (n < p->cur) {
		log_clear(&u->log);
		if (rebuild(u, n > 0 ? n - 1 : 0) < 0)
			return;
		if (n > 1 || count_asides(p, n) > 0) {
			char steps[64] = "", typed[64] = "", buf[160];
			if (n > 1)
				snprintf(steps, sizeof steps, tr(u, "steps 1-%d", "第 1-%d 步"), n - 1);
			int typed_n = count_asides(p, n);
			if (typed_n > 0)
				snprintf(typed, sizeof typed, tr(u, "%d typed line(s)", "你输入的 %d 行"), typed_n);
			snprintf(buf, sizeof buf, tr(u, "(%s%s%s replayed)", "(重放了%s%s%s)"), steps,
				 *steps && *typed ? tr(u, " and ", "和") : "", typed);
			log_add(&u->log, R_DIM, 0, buf);
		}
	} else {
		/* Forward: the steps in between run quietly, the last one speaks. */
		for (int i = p->cur; i < n - 1; i++) {
			session_exec(u->s, p->sc.steps[i]);
			apply_asides(u, i + 1);
		}
		p->cur = n - 1;
	}
	p->failed = p->paused = false;
	if (n > 0)
		run_step(u, n - 1);
	else
		ui_engine_changed(u);
	u->dirty |= D_ALL;
}

void play_next(struct ui *u)
{
	struct play *p = u->play;
	if (p->cur >= p->sc.nsteps) {
		p->autoplay = false;
		ui_message(u, R_DIM, "%s", tr(u, "end of the scenario: r restarts, q quits",
					       "场景结束：r 重新开始，q 退出"));
		u->dirty |= D_PLAY;
		return;
	}
	u->msg[0] = 0;
	u->dirty |= D_MESSAGE;
	run_step(u, p->cur);
	if (p->autoplay)
		p->next_tick = now_ms() + play_delay_ms(p);
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
	log_clear(&u->log);
	forget_asides(p);
	if (rebuild(u, 0) < 0)
		return;
	p->failed = p->paused = false;
	u->msg[0] = 0;
	ui_engine_changed(u);
	u->dirty |= D_ALL;
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
			p->next_tick = now_ms() + play_delay_ms(p);
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
		p->next_tick = now_ms() + play_delay_ms(p);
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
