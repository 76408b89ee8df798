/* play.h - playback of a scenario, slide by slide: next, previous (the
 * engine is deterministic, so going back rebuilds the session and plays the
 * first slides, and the lecturer's own lines among them, again), go to,
 * auto-play with a speed, and the caption area. */
#ifndef VMVIZ_UI_PLAY_H
#define VMVIZ_UI_PLAY_H

#include <stdbool.h>
#include <stdint.h>

#include "moments.h"
#include "script.h"

struct ui;

struct play {
	struct script sc;
	int cur;             /* slides shown so far (0 .. nslides) */
	char caption[512];   /* the last caption said; it stays up across
			      * reset, set frames and process exits */
	bool autoplay;
	int speed;           /* index into the delay table */
	int64_t next_tick;   /* monotonic ms of the next auto step */
	bool failed;         /* the last slide failed (an expect, or an error) */
	bool paused;         /* the last slide ended with `pause` */
	struct moments moments; /* what happened on the last slide: a banner,
				 * and processes gone, shown until the next */
	/* Lines the lecturer typed at `:`, in the order of the timeline: each
	 * was typed after `after` steps and is replayed right there, so going
	 * back and forth keeps it. `r` forgets them. The first `applied` of
	 * them are in the current session. */
	struct aside {
		int after;
		char *line;
	} *asides;
	int applied;
	int nasides, capasides;
};

struct play *play_new(const char *path, char *err, size_t errlen);
void play_free(struct play *p);

/* Steps; each redraws what changed. */
void play_next(struct ui *u);
void play_prev(struct ui *u);
/* To the next (dir 1) or previous (-1) caption's step. */
void play_caption(struct ui *u, int dir);
void play_goto(struct ui *u, int n);
void play_restart(struct ui *u);
/* The screen before the first slide (start-up and going back). */
void play_reset_view(struct ui *u);
void play_toggle_auto(struct ui *u);
void play_speed(struct ui *u, int dir);
/* Runs a line typed at `:` and remembers it for going back. */
int play_aside(struct ui *u, const char *line);
/* Milliseconds to wait for a key before the next auto step (-1: none). */
int play_timeout(struct ui *u);
/* The wait ended without a key: maybe take an auto step. */
void play_tick(struct ui *u);
int play_delay_ms(const struct play *p);

int64_t now_ms(void);

#endif
