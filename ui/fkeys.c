/* fkeys.c - the F-key bar on the last line, as htop draws it: each key's
 * name, then what it does on a coloured label. Only keys that do something
 * are listed (the key table binds each in every mode); a click on one
 * presses it. Hidden when the bar does not fit the width. */
#include "app.h"
#include "draw.h"

#include "keys.h"

struct fkey {
	enum key_code code;
	const char *name, *en, *zh;
};

static const struct fkey bar[] = {
	{K_F1, "F1", "Help", "帮助"},
	{K_F2, "F2", "Shot", "截图"},
	{K_F3, "F3", "Panel", "面板"},
	{K_F10, "F10", "Quit", "退出"},
};
#define NBAR (int)(sizeof bar / sizeof bar[0])

/* Labels are padded to this many columns, so the keys line up as in htop. */
#define LABEL_COLS 6

/* Where each key was drawn, for fkeys_hit. */
static int drawn_x[NBAR], drawn_end[NBAR];

static int label_cols(const struct ui *u, const struct fkey *k)
{
	int w = text_width(tr(u, k->en, k->zh));
	return w > LABEL_COLS ? w : LABEL_COLS;
}

static int bar_width(const struct ui *u)
{
	int w = 0;
	for (int i = 0; i < NBAR; i++)
		w += text_width(bar[i].name) + label_cols(u, &bar[i]);
	return w;
}

void fkeys_draw(struct ui *u)
{
	const struct rect *r = &u->lay.fkeys;
	for (int i = 0; i < NBAR; i++)
		drawn_x[i] = drawn_end[i] = -1;
	if (r->h <= 0)
		return;
	draw_fill(r->y, r->x, r->w, theme_attr(R_NORMAL));
	if (bar_width(u) > r->w)
		return;
	int x = r->x;
	for (int i = 0; i < NBAR; i++) {
		drawn_x[i] = x;
		x += draw_text(r->y, x, r->x + r->w - x, theme_attr(R_NORMAL) | A_BOLD, bar[i].name);
		int lw = label_cols(u, &bar[i]);
		draw_fill(r->y, x, lw, theme_attr(R_STATUS));
		draw_text(r->y, x, lw, theme_attr(R_STATUS), tr(u, bar[i].en, bar[i].zh));
		x += lw;
		drawn_end[i] = x;
	}
}

int fkeys_hit(const struct ui *u, int x)
{
	(void)u;
	for (int i = 0; i < NBAR; i++)
		if (x >= drawn_x[i] && x < drawn_end[i])
			return (int)bar[i].code;
	return -1;
}
