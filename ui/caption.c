/* caption.c - playback's caption band (the last `say`, large and clear:
 * bold on a coloured band, centred, wrapped) and the progress line
 * ("step 7/23", the scenario's title, auto-play state). */
#include "app.h"
#include "draw.h"
#include "play.h"

#include <stdio.h>
#include <string.h>

#define CAP_LINES 4

/* Splits text into at most CAP_LINES rows of w columns, at spaces when
 * possible (Chinese has none: any character boundary will do). */
static int wrap(const char *t, int w, const char **start, size_t *len)
{
	int n = 0;
	while (*t && n < CAP_LINES) {
		int cols;
		size_t k = text_fit(t, w, &cols);
		if (k == 0)
			k = 1;
		if (t[k]) {
			size_t sp = k;
			while (sp > 0 && t[sp] != ' ')
				sp--;
			if (sp > k / 2)
				k = sp;
		}
		start[n] = t;
		len[n] = k;
		n++;
		t += k;
		while (*t == ' ')
			t++;
	}
	return n;
}

/* The title in the language shown: a scenario's title is "English / 中文". */
static void title_in(const struct ui *u, const char *title, char *buf, size_t size)
{
	const char *sep = strstr(title, " / ");
	if (!sep)
		snprintf(buf, size, "%s", title);
	else if (u->lang == LANG_ZH)
		snprintf(buf, size, "%s", sep + 3);
	else
		snprintf(buf, size, "%.*s", (int)(sep - title), title);
}

static void draw_caption(struct ui *u, const struct rect *r)
{
	const struct play *p = u->play;
	/* A failed step turns the band red: the audience must see it. */
	attr_t a = p->failed ? theme_attr(R_ERROR) | A_REVERSE : theme_attr(R_CAPTION);
	for (int i = 0; i < r->h; i++)
		draw_fill(r->y + i, r->x, r->w, a);
	char text[600];
	const char *cap = p->caption;
	if (p->failed)
		snprintf(text, sizeof text, "%s %s", theme_ascii() ? "X" : "✗", u->msg);
	else if (cap[0])
		snprintf(text, sizeof text, "%s", cap);
	else if (p->cur == 0) {
		/* The title slide: the title on its own line, the hint under it,
		 * never one wrapped into the other. */
		char title[200];
		title_in(u, p->sc.title, title, sizeof title);
		int y0 = r->y + (r->h - 2) / 2;
		draw_centered(y0 < r->y ? r->y : y0, r->x + 2, r->w - 4, a | A_BOLD, title);
		if (r->h >= 2)
			draw_centered((y0 < r->y ? r->y : y0) + 1, r->x + 2, r->w - 4, a,
				      tr(u, "press Space to start", "按空格开始"));
		return;
	} else {
		text[0] = 0;
	}
	const char *st[CAP_LINES];
	size_t ln[CAP_LINES];
	int n = wrap(text, r->w - 4, st, ln);
	int lines = n < r->h ? n : r->h;
	int y0 = r->y + (r->h - lines) / 2;
	for (int i = 0; i < lines; i++) {
		char buf[600];
		snprintf(buf, sizeof buf, "%.*s", (int)ln[i], st[i]);
		draw_centered(y0 + i, r->x + 2, r->w - 4, a | A_BOLD, buf);
	}
}

static void draw_progress(struct ui *u, const struct rect *r)
{
	const struct play *p = u->play;
	attr_t a = theme_attr(R_PROGRESS);
	draw_fill(r->y, r->x, r->w, a);
	char left[160], right[160];
	snprintf(left, sizeof left, " %s %s %d/%d ", p->autoplay ? theme_glyphs()->hand : "",
		 tr(u, "step", "步骤"), p->cur, p->sc.nslides);
	int x = r->x + draw_text(r->y, r->x, r->w, a | A_BOLD, left);
	x += draw_text(r->y, x, r->x + r->w - x, a, theme_glyphs()->v);
	x += draw_text(r->y, x, r->x + r->w - x, a, " ");
	if (p->failed)
		snprintf(right, sizeof right, " %s ", tr(u, "failed", "失败"));
	else if (p->paused)
		snprintf(right, sizeof right, " %s ", tr(u, "paused", "暂停"));
	else if (p->autoplay)
		snprintf(right, sizeof right, " %s %.1fs ", tr(u, "auto", "自动"), play_delay_ms(p) / 1000.0);
	else if (p->cur >= p->sc.nslides && u->opt->playlist)
		snprintf(right, sizeof right, " %s ", tr(u, "the end: Space plays the next", "结束：空格播放下一个"));
	else if (p->cur >= p->sc.nslides)
		snprintf(right, sizeof right, " %s ", tr(u, "the end", "结束"));
	else
		snprintf(right, sizeof right, " %s ", tr(u, "manual", "手动"));
	int rw = text_width(right);
	char title[200];
	title_in(u, p->sc.title, title, sizeof title);
	draw_clip(r->y, x, r->x + r->w - x - rw - 1, a, title);
	draw_text(r->y, r->x + r->w - rw, rw, a | (p->failed ? A_REVERSE : 0), right);
}

void caption_draw(struct ui *u)
{
	if (!u->play)
		return;
	if (u->lay.caption.h > 0)
		draw_caption(u, &u->lay.caption);
	if (u->lay.progress.h > 0)
		draw_progress(u, &u->lay.progress);
}
