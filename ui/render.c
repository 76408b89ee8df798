/* render.c - the render pass: the parts the dirty flags name are drawn
 * into stdscr, the prompt into its window, then one doupdate. Also the
 * layout after a resize. */
#include "app.h"

#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "prompt.h"

const char *panel_title(const struct ui *u, int id)
{
	switch (id) {
	case PANEL_VMAS: return tr(u, "Address space", "虚拟地址空间");
	case PANEL_PT: return tr(u, "Page table", "页表");
	case PANEL_FRAMES: return tr(u, "Physical frames", "物理内存");
	case PANEL_SWAP: return tr(u, "Swap", "swap 区");
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
			snprintf(buf, size, "%s %d %s", tr(u, "pid", "进程"), m->proc->pid, m->proc->name);
		break;
	case PANEL_PT:
		if (m->proc)
			snprintf(buf, size, "%zu %s %s %u %s", m->npte, tr(u, "PTEs", "项"),
				 theme_glyphs()->mid, m->proc->ntables, tr(u, "tables", "张表"));
		break;
	case PANEL_FRAMES:
		snprintf(buf, size, "%u %s %s %s", vm->nframes, tr(u, "frames", "物理页"),
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
	struct rect body = layout_body(r);
	if (id == PANEL_PT && u->s && u->s->refs.active) {
		panel_refs_info(u, info, sizeof info);
		draw_title(r, panel_refs_title(u), info, u->focus == id);
		panel_refs_draw(u, &body);
		return;
	}
	panel_info(u, id, info, sizeof info);
	draw_title(r, panel_title(u, id), info, u->focus == id);
	switch (id) {
	case PANEL_VMAS: panel_vmas_draw(u, &body); break;
	case PANEL_PT: panel_pt_draw(u, &body); break;
	case PANEL_FRAMES: panel_frames_draw(u, &body); break;
	case PANEL_SWAP: panel_swap_draw(u, &body); break;
	case PANEL_LOG: panel_log_draw(u, &body); break;
	}
}

/* The compare view takes the address-space and page-table panels' place
 * and the separator between them (they sit side by side in every layout). */
static struct rect compare_rect(const struct ui *u)
{
	const struct rect *v = &u->lay.panel[PANEL_VMAS], *p = &u->lay.panel[PANEL_PT];
	struct rect r = {v->y, v->x, v->h, p->x + p->w - v->x};
	return r;
}

/* Separators, with a cross where another panel's title rule meets one. */
static void draw_seps(struct ui *u)
{
	const struct layout *l = &u->lay;
	struct rect cr = compare_rect(u);
	for (int i = 0; i < l->nsep; i++) {
		const struct rect *s = &l->sep[i];
		if (u->cmp.on && s->x > cr.x && s->x < cr.x + cr.w && s->y == cr.y)
			continue;
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
		if (u->s->vm->host)
			snprintf(hint, sizeof hint,
				 tr(u, "a real process, read-only: maps  pt  frames  translate ADDR  stats   %s  ? keys  %s  Ctrl-D quits",
				    "真实进程，只读: maps  pt  frames  translate 地址  stats   %s  ? 按键  %s  Ctrl-D 退出"),
				 m, m);
		else
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
			fkeys_draw(u);
		}
	} else {
		if (d & D_STATUS) {
			status_draw(u);
			fkeys_draw(u);
		}
		if (d & D_PANELS) {
			for (int i = 0; i < PANEL_COUNT; i++)
				if (i != PANEL_LOG && !(u->cmp.on && (i == PANEL_VMAS || i == PANEL_PT)))
					draw_panel(u, i);
			if (u->cmp.on) {
				struct rect cr = compare_rect(u);
				panel_compare_draw(u, &cr);
			}
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
	if (u->inwin) {
		keypad(u->inwin, FALSE);   /* readline wants the raw bytes */
		/* erase with the theme's ground (light and contrast have
		 * their own), not the terminal's */
		wbkgdset(u->inwin, ' ' | theme_attr(R_NORMAL));
	}
	clearok(curscr, TRUE);
	u->dirty |= D_ALL | D_CLEAR;
}
