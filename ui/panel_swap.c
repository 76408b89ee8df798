/* panel_swap.c - the swap slots and what each holds: a grid like the
 * frames (coloured by the owner of the page swapped out there, labelled
 * with its VPN), and a line describing the slot the last command wrote. */
#include "app.h"
#include "draw.h"

#include <stdio.h>
#include <string.h>

static bool slot_used(const struct swap *sw, uint32_t i)
{
	return sw->count[i] > 0 || sw->data[i];
}

static void draw_slot(const struct ui *u, uint32_t i, int y, int x, const struct grid_fit *gf)
{
	const struct swap *sw = &u->m.vm->swap;
	int gap = gf->cellw >= 3 ? 1 : 0;
	int content = gf->cellw - gap;
	x += gap;
	bool used = slot_used(sw, i);
	enum role role = !used ? R_F_FREE : sw->count[i] > 1 ? R_F_SHARED
			 : theme_owner(sw->owner[i] - 100, false);
	attr_t a = theme_attr(u->m.chg.slot[i] ? R_CHANGED : role);
	draw_fill(y, x, content, a);
	if (!used) {
		draw_text(y, x, content, a, theme_glyphs()->dot);
		return;
	}
	if (content <= 1)
		return;
	/* The page's low VPN digits, and "c" when a frame still caches it. */
	bool cached = sw->cache[i] >= 0;
	int lw = content - (cached && content >= 3);
	if (lw > 8)
		lw = 8;
	uint64_t mask = (1ull << (4 * lw)) - 1;
	draw_textf(y, x, lw, a, "%0*llx", lw, (unsigned long long)(sw->owner_vpn[i] & mask));
	if (cached && content >= 3)
		draw_text(y, x + content - 1, 1, a, "c");
}

static void describe(struct ui *u, int64_t slot, int y, const struct rect *b)
{
	const struct vm *vm = u->m.vm;
	const struct swap *sw = &vm->swap;
	char buf[200];
	int x = b->x + 1;
	if (slot < 0) {
		snprintf(buf, sizeof buf, "%u/%u %s", sw->used, sw->nslots,
			 tr(u, "slots used", "个槽已用"));
		draw_text(y, x, b->w - 1, theme_attr(R_DIM), buf);
		return;
	}
	uint32_t i = (uint32_t)slot;
	x += draw_text(y, x, b->w - 1, theme_attr(R_CHANGED), theme_glyphs()->up);
	if (!slot_used(sw, i))
		snprintf(buf, sizeof buf, " %s %u: %s", tr(u, "slot", "槽"), i, tr(u, "free", "空闲"));
	else if (sw->cache[i] >= 0)
		snprintf(buf, sizeof buf, " %s %u: %s %d 0x%llx (%s %d)", tr(u, "slot", "槽"), i,
			 tr(u, "pid", "进程"), sw->owner[i], (unsigned long long)(sw->owner_vpn[i] << vm->arch.page_shift),
			 tr(u, "also in frame", "也在物理页"), sw->cache[i]);
	else
		snprintf(buf, sizeof buf, " %s %u: %s %d 0x%llx", tr(u, "slot", "槽"), i, tr(u, "pid", "进程"), sw->owner[i],
			 (unsigned long long)(sw->owner_vpn[i] << vm->arch.page_shift));
	/* vmviz attach: where the kernel really put the page */
	uint64_t real = vm->host && slot_used(sw, i) ? vm->host->swap_entry[i] : VM_HOST_NO_PFN;
	size_t n = strlen(buf);
	if (real != VM_HOST_NO_PFN && n < sizeof buf)
		snprintf(buf + n, sizeof buf - n, tr(u, ", real swap type %llu offset 0x%llx", "，真实 swap 类型 %llu 偏移 0x%llx"),
			 (unsigned long long)(real & 0x1f), (unsigned long long)(real >> 5));
	draw_text(y, x, b->x + b->w - x, theme_attr(R_BOLD), buf);
}

void panel_swap_draw(struct ui *u, const struct rect *b)
{
	struct panel_state *ps = &u->ps[PANEL_SWAP];
	const struct vm *vm = u->m.vm;
	if (!vm || b->h <= 0)
		return;
	const struct swap *sw = &vm->swap;
	if (sw->nslots == 0) {
		draw_text(b->y, b->x + 1, b->w - 1, theme_attr(R_DIM),
			  tr(u, "no swap (--swap N)", "没有 swap (--swap N)"));
		return;
	}
	int extra = b->h >= 3 ? 1 : 0;
	int gh = b->h - extra;
	struct grid_fit gf;
	grid_fit((int)sw->nslots, b->w, gh, &gf);
	int64_t focus = u->m.chg.focus_slot;
	int top = grid_top(ps, &gf, gh, focus);
	for (int r = 0; r < gh && top + r < gf.rows; r++) {
		int y = b->y + r;
		uint32_t first = (uint32_t)((top + r) * gf.per_row);
		grid_row_label(&gf, y, b->x, first);
		for (int c = 0; c < gf.per_row && first + (uint32_t)c < sw->nslots; c++)
			draw_slot(u, first + (uint32_t)c, y, b->x + gf.label_w + c * gf.cellw, &gf);
	}
	if (top > 0)
		draw_text(b->y, b->x + b->w - 1, 1, theme_attr(R_DIM), theme_glyphs()->up);
	if (top + gh < gf.rows)
		draw_text(b->y + gh - 1, b->x + b->w - 1, 1, theme_attr(R_DIM), theme_glyphs()->down);
	if (extra)
		describe(u, focus, b->y + gh, b);
}
