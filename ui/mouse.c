/* mouse.c - what the mouse does: a click focuses the panel under it and
 * picks the VMA, PTE or frame there (its detail on the message line), the
 * wheel scrolls the panel under the pointer, a click on the F-key bar
 * presses that key.
 *
 * The panels answer "what did I draw at (y, x)?" from their last drawing
 * (panel_*_hit), so a click picks what the user saw, scrolled or not.
 */
#include "app.h"

#include <string.h>

#include "keys.h"

/* Rows the wheel moves per notch, as most terminals' own scrollback. */
#define WHEEL_ROWS 3

void ui_select_none(struct ui *u)
{
	if (u->sel.panel >= 0)
		u->dirty |= D_PANELS;
	u->sel.panel = -1;
}

static bool inside(const struct rect *r, int y, int x)
{
	return y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

static int panel_at(const struct ui *u, int y, int x)
{
	for (int i = 0; i < PANEL_COUNT; i++)
		if (inside(&u->lay.panel[i], y, x))
			return i;
	return -1;
}

static void wheel(struct ui *u, int id, int dir)
{
	struct panel_state *ps = &u->ps[id];
	ps->follow = false;
	/* The log counts rows up from its end. */
	ps->scroll += (id == PANEL_LOG ? -dir : dir) * WHEEL_ROWS;
	u->dirty |= id == PANEL_LOG ? D_LOG : D_PANELS;
}

static void click(struct ui *u, int id, int y, int x)
{
	if (u->focus != id) {
		u->focus = id;
		u->dirty |= D_PANELS;
	}
	struct selection sel = {.panel = id};
	char detail[sizeof u->msg];
	bool hit = false;
	switch (id) {
	case PANEL_VMAS: hit = panel_vmas_hit(u, y, x, &sel, detail, sizeof detail); break;
	case PANEL_PT: hit = panel_pt_hit(u, y, x, &sel, detail, sizeof detail); break;
	case PANEL_FRAMES: hit = panel_frames_hit(u, y, x, &sel, detail, sizeof detail); break;
	default: break;
	}
	if (!hit) {
		ui_select_none(u);
		return;
	}
	u->sel = sel;
	ui_message(u, R_NORMAL, "%s", detail);
	u->dirty |= D_PANELS;
}

void ui_mouse(struct ui *u, const struct key *k)
{
	if (!k->press)
		return;
	int dir = k->button == MOUSE_WHEEL_UP ? -1 : k->button == MOUSE_WHEEL_DOWN ? 1 : 0;
	if (u->help) {
		if (dir) {
			u->help_scroll += dir * WHEEL_ROWS;
			u->dirty |= D_ALL;
		}
		return;
	}
	if (k->button == MOUSE_LEFT && u->lay.fkeys.h && inside(&u->lay.fkeys, k->my, k->mx)) {
		int key = fkeys_hit(u, k->mx);
		if (key >= 0) {
			struct key fk = {.code = (enum key_code)key};
			ui_dispatch(u, &fk);
		}
		return;
	}
	if (u->out_text) {
		/* The output pane covers the panels: the wheel pages through it,
		 * a click puts it away (as Esc). */
		if (dir)
			output_scroll(u, dir);
		else if (k->button == MOUSE_LEFT && k->my > 0 && k->my < u->lay.prompt.y)
			output_close(u);
		return;
	}
	int id = panel_at(u, k->my, k->mx);
	if (id < 0)
		return;
	if (dir)
		wheel(u, id, dir);
	else if (k->button == MOUSE_LEFT)
		click(u, id, k->my, k->mx);
}
