/* panel_frames.c - physical memory as a grid of every frame (a summary of runs of frames on a huge machine).
 *
 * A cell is coloured by what holds the frame (a process's anonymous or
 * file page, a page shared by several PTEs, the kernel, the zero page, or
 * nothing) and labelled with the page it holds (the low hex digits of the
 * VPN), then its reference (R) and dirty (D) bits. The gap before a cell
 * carries the CLOCK hand, or the next victim under FIFO/LRU (▶). Cells the
 * last command changed are drawn in the "changed" colour. Below the grid:
 * what the changed frame holds, the eviction order, a legend.
 */
#include "app.h"
#include "draw.h"

#include <stdio.h>
#include <string.h>

struct cellinfo {
	enum role role;
	char label[12];
	bool ref, dirty;
};

static int owner_pid(const struct frame *f)
{
	/* rmap_add prepends: the last entry is the first mapper. */
	const struct rmap *r = f->rmap;
	while (r && r->next)
		r = r->next;
	return r ? r->pid : -1;
}

/* A word for a frame with no page number: Chinese from four columns up
 * (two wide characters), else the English word cut to fit. */
static void word_label(const struct ui *u, struct cellinfo *c, int lw, const char *en, const char *zh)
{
	if (lw >= 4 && u->lang == LANG_ZH)
		snprintf(c->label, sizeof c->label, "%s", zh);
	else
		snprintf(c->label, sizeof c->label, "%.*s", lw, en);
}

/* With the compare view on: does each of its two processes map f? */
static bool mapped_by_both(const struct ui *u, const struct frame *f)
{
	if (!u->cmp.on || f->mapcount < 2)
		return false;
	bool seen[2] = {false, false};
	for (const struct rmap *r = f->rmap; r; r = r->next)
		for (int i = 0; i < 2; i++)
			seen[i] |= r->pid == u->cmp.pid[i];
	return seen[0] && seen[1];
}

static void cell_info(const struct ui *u, uint32_t pfn, int lw, struct cellinfo *c)
{
	const struct vm *vm = u->m.vm;
	const struct frame *f = &vm->frames[pfn];
	memset(c, 0, sizeof *c);
	c->ref = vm->policy && policy_refbit(vm->policy, pfn);
	c->dirty = f->dirty;
	switch (f->kind) {
	case FRAME_FREE:
		c->role = R_F_FREE;
		snprintf(c->label, sizeof c->label, "%s", theme_glyphs()->dot);
		c->ref = c->dirty = false;
		return;
	case FRAME_KERNEL:
		c->role = R_F_KERNEL;
		word_label(u, c, lw, lw >= 4 ? "kern" : "k", "内核");
		return;
	case FRAME_ZERO:
		c->role = R_F_ZERO;
		word_label(u, c, lw, lw >= 4 ? "zero" : "0", "零页");
		return;
	default:
		break;
	}
	int pid = owner_pid(f);
	if (f->mapcount > 1)
		c->role = R_F_SHARED;
	else if (pid >= 0)
		c->role = theme_owner(pid - 100, f->kind == FRAME_FILE);
	else
		c->role = R_DIM;     /* page cache: no PTE maps it any more */
	if (lw <= 0) {
		/* One column: a coloured block says enough. */
		snprintf(c->label, sizeof c->label, " ");
		return;
	}
	if (!f->rmap) {
		/* Mapped by nobody: a file page kept in the page cache. */
		word_label(u, c, lw, "cache", "缓存");
		return;
	}
	uint64_t vpn = f->rmap->vpn;
	if (lw > 8)
		lw = 8;
	/* The compare view's "=": a frame both compared processes map, marked
	 * in the grid as on their rows (not by colour alone). */
	const char *both = lw >= 2 && mapped_by_both(u, f) ? "=" : "";
	int digits = lw - (int)strlen(both);
	uint64_t mask = (1ull << (4 * digits)) - 1;
	snprintf(c->label, sizeof c->label, "%s%0*llx", both, digits, (unsigned long long)(vpn & mask));
}

/* The frame marked by the gap arrow: the CLOCK hand, or the next victim. */
static int64_t hand_frame(const struct ui *u)
{
	const struct vm *vm = u->m.vm;
	if (!vm->policy)
		return -1;
	if (vm->policy->kind == POLICY_CLOCK)
		return vm->policy->hand;
	return u->m.norder ? (int64_t)u->m.order[0] : -1;
}

static void draw_cell(const struct ui *u, uint32_t pfn, int y, int x, const struct grid_fit *gf,
		      int64_t hand)
{
	const struct glyphs *g = theme_glyphs();
	/* From three columns up a cell has a gap (where the hand points);
	 * narrower cells touch, so a run of one owner's frames is one band
	 * of colour (and one colour change for the terminal, not two a cell). */
	int gap = gf->cellw >= 3 ? 1 : 0;
	int content = gf->cellw - gap;
	int flags = content >= 5 ? 2 : content >= 2 ? 1 : 0;
	int lw = content - flags;
	struct cellinfo c;
	cell_info(u, pfn, content == 1 ? 0 : lw, &c);
	bool changed = u->m.chg.frame[pfn];
	bool is_hand = (int64_t)pfn == hand;
	bool picked = u->sel.panel >= 0 && u->sel.has_frame && u->sel.frame == pfn;
	if (gap) {
		draw_text(y, x, 1, theme_attr(R_HAND), is_hand ? g->hand : " ");
		x++;
	}
	enum role role = changed ? R_CHANGED : is_hand && !gap ? R_HAND : c.role;
	if (content <= 2 && theme_blocks() && c.role != R_F_FREE && !picked) {
		/* Small cells: a block with a sliver of gap, so frames stay
		 * apart while a run of one owner costs one colour change. */
		attrset(theme_block(role));
		mvaddstr(y, x, content == 2 ? "█▉" : "▉");
		return;
	}
	attr_t a = theme_attr(role);
	if ((is_hand && !gap) != picked)
		a |= A_REVERSE;
	draw_fill(y, x, content, a);
	draw_text(y, x, lw, a, c.label);
	/* The R/D letters reversed, so they never read as more hex digits
	 * of the label ("555a" + "D"). */
	attr_t fa = (c.ref || c.dirty) ? a ^ A_REVERSE : a;
	if (flags == 2) {
		draw_text(y, x + lw, 1, c.ref ? fa : a, c.ref ? g->ref : " ");
		draw_text(y, x + lw + 1, 1, c.dirty ? fa : a, c.dirty ? g->dirty : " ");
	} else if (flags == 1) {
		draw_text(y, x + lw, 1, fa, c.dirty ? g->dirty : c.ref ? g->ref : " ");
	}
}

static void describe_frame(struct ui *u, uint32_t pfn, char *buf, size_t size)
{
	const struct vm *vm = u->m.vm;
	const struct frame *f = &vm->frames[pfn];
	/* A real process's page (vmviz attach): the PFN the frame stands for. */
	char real[128] = "";
	if (vm->host && vm->host->pfn[pfn] != VM_HOST_NO_PFN && vm->host->kpage)
		snprintf(real, sizeof real, tr(u, " = PFN 0x%llx (kpagecount %llu, kpageflags 0x%llx)",
					       " = 物理页号 0x%llx（kpagecount %llu，kpageflags 0x%llx）"),
			 (unsigned long long)vm->host->pfn[pfn], (unsigned long long)vm->host->kcount[pfn],
			 (unsigned long long)vm->host->kflags[pfn]);
	else if (vm->host && vm->host->pfn[pfn] != VM_HOST_NO_PFN)
		snprintf(real, sizeof real, " = PFN 0x%llx", (unsigned long long)vm->host->pfn[pfn]);
	else if (vm->host && !vm->host->pfn_visible && f->rmap)
		snprintf(real, sizeof real, "%s", tr(u, " (real PFN hidden without root)", "（真实物理页号需要 root）"));
	size_t n = (size_t)snprintf(buf, size, "%s %u%s: ", tr(u, "frame", "物理页"), (unsigned)pfn, real);
	if (n >= size)
		return;
	if (f->kind == FRAME_FREE || f->kind == FRAME_KERNEL || f->kind == FRAME_ZERO || !f->rmap) {
		snprintf(buf + n, size - n, "%s", f->kind == FRAME_FREE ? tr(u, "free", "空闲")
					  : f->kind == FRAME_KERNEL ? tr(u, "kernel", "内核")
					  : f->kind == FRAME_ZERO ? tr(u, "shared zero page", "共享零页")
								  : tr(u, "page cache, mapped by no process (reclaimable)",
										"页缓存，无进程映射（可回收）"));
		return;
	}
	const struct proc *p = vm_proc(vm, f->rmap->pid);
	const char *kind = f->kind == FRAME_ANON ? tr(u, "anon", "匿名")
			 : f->kind == FRAME_FILE ? tr(u, "file", "文件")
						 : frame_kind_name((enum frame_kind)f->kind);
	n += (size_t)snprintf(buf + n, size - n, "%s %d %s %s 0x%llx %s", tr(u, "pid", "进程"), f->rmap->pid,
			      p ? p->name : "", tr(u, "page", "虚拟页"),
			      (unsigned long long)(f->rmap->vpn << vm->arch.page_shift), kind);
	if (n < size && f->mapcount > 1)
		n += (size_t)snprintf(buf + n, size - n, " %s%u %s", theme_glyphs()->times,
				      f->mapcount, tr(u, "shared", "共享"));
	if (n < size && f->dirty)
		n += (size_t)snprintf(buf + n, size - n, ", %s", tr(u, "dirty", "脏"));
	if (n < size && vm->policy && policy_refbit(vm->policy, pfn))
		snprintf(buf + n, size - n, ", %s", tr(u, "ref", "已访问"));
}

/* "clock hand ▶ 7 · next: 7 9 12 …" or "LRU order (evict first): …". */
static void order_line(struct ui *u, int y, const struct rect *b)
{
	const struct vm *vm = u->m.vm;
	if (!vm->policy)
		return;
	char buf[512];
	size_t n;
	if (vm->policy->kind == POLICY_CLOCK)
		n = (size_t)snprintf(buf, sizeof buf, "CLOCK %s %s %u %s %s ", tr(u, "hand", "指针"),
				     theme_glyphs()->hand, vm->policy->hand, theme_glyphs()->mid,
				     tr(u, "next victims:", "淘汰顺序:"));
	else
		n = (size_t)snprintf(buf, sizeof buf, "%s %s ", vm->policy->kind == POLICY_LRU ? "LRU" : "FIFO",
				     tr(u, "order (evict first):", "淘汰顺序:"));
	if (u->m.norder == 0 && n < sizeof buf)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", tr(u, "(nothing to evict)", "(无)"));
	for (uint32_t i = 0; i < u->m.norder && n + 12 < sizeof buf && (int)n < b->w; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%u ", u->m.order[i]);
	draw_text(y, b->x + 1, b->w - 1, theme_attr(R_DIM), buf);
}

static int swatch(int y, int x, int end, enum role r, const char *label)
{
	if (x >= end)
		return x;
	/* Mono tells roles apart by bold and underline, which blanks do not
	 * show: the swatch is a sample label there. */
	x += draw_text(y, x, end - x, theme_attr(r), theme_color() ? "  " : "12");
	x += draw_text(y, x, end - x, theme_attr(R_DIM), " ");
	x += draw_text(y, x, end - x, theme_attr(R_NORMAL), label);
	return x + draw_text(y, x, end - x, theme_attr(R_NORMAL), "  ");
}

static void legend(struct ui *u, int y, const struct rect *b)
{
	const struct vm *vm = u->m.vm;
	const struct glyphs *g = theme_glyphs();
	int x = b->x + 1, end = b->x + b->w;
	char buf[48];
	for (int i = 0; i < vm->nprocs && i < 3; i++) {
		const struct proc *p = vm->procs[i];
		if (!p)
			continue;
		snprintf(buf, sizeof buf, "%d", p->pid);
		x = swatch(y, x, end, theme_owner(p->pid - 100, false), buf);
	}
	x = swatch(y, x, end, theme_owner(vm->cur - 100, true), tr(u, "file", "文件"));
	x = swatch(y, x, end, R_F_SHARED, tr(u, "shared", "共享"));
	x = swatch(y, x, end, R_F_KERNEL, tr(u, "kernel", "内核"));
	x = swatch(y, x, end, R_CHANGED, tr(u, "changed", "刚改变"));
	snprintf(buf, sizeof buf, "%s %s %s %s", g->ref, tr(u, "ref", "访问"), g->dirty,
		 tr(u, "dirty", "脏"));
	draw_text(y, x, end - x, theme_attr(R_DIM), buf);
}

/* ---- a machine bigger than the panel ----
 * When even one column per frame would scroll, each cell stands for a run
 * of frames (grid_summary_fit, layout.c) and shows how full it is. A short
 * run (the student's 2048-frame machine: 16 frames a cell at 80x24) takes
 * the colour of what holds its frames; a long one counts them in the free
 * map, a word at a time, so a 4M-frame machine draws as fast as a small
 * one. A cell with a frame the last command changed is in the "changed"
 * colour. */

/* What rows the frames panel gives the summary: all but the two lines
 * under it (what changed, what a cell means). */
static int summary_rows(int h)
{
	return h - (h >= 6 ? 2 : h >= 3 ? 1 : 0);
}

static void summary_cell(const struct ui *u, uint32_t lo, uint32_t hi, int y, int x)
{
	static const char *const levels_utf8[] = {"░", "▒", "▓", "█"};
	static const char *const levels_ascii[] = {":", "+", "#", "@"};
	const struct vm *vm = u->m.vm;
	uint32_t used = (hi - lo) - freemap_count(&vm->free_map, lo, hi);
	bool changed = u->m.chg.frame && u->m.chg.nframes && memchr(u->m.chg.frame + lo, 1, hi - lo);
	enum role role = changed ? R_CHANGED
		       : hi <= vm->kernel_frames ? R_F_KERNEL
		       : used ? theme_owner(vm->cur - 100, false) : R_F_FREE;
	if (!changed && used && hi - lo <= 64 && hi > vm->kernel_frames) {
		/* A short run: the colour of the first page in it that a
		 * process holds, as the full grid would show it. */
		for (uint32_t f = lo; f < hi; f++) {
			struct cellinfo c;
			if (vm->frames[f].kind == FRAME_FREE || f < vm->kernel_frames)
				continue;
			cell_info(u, f, 0, &c);
			role = c.role;
			break;
		}
	}
	const char *g = theme_glyphs()->dot;
	if (used) {
		/* A quarter, a half, three quarters, all: never "empty" for one. */
		uint32_t q = (uint32_t)(((uint64_t)used * 4 - 1) / (hi - lo));
		g = (theme_ascii() ? levels_ascii : levels_utf8)[q > 3 ? 3 : q];
	}
	bool picked = u->sel.panel >= 0 && u->sel.has_frame && u->sel.frame >= lo && u->sel.frame < hi;
	if (picked)
		draw_text(y, x, 1, theme_attr(R_HAND) | A_BOLD, theme_glyphs()->hand);
	else if (used && theme_blocks())
		/* A shade glyph in the colour the grid uses as background:
		 * drawn in the role's own foreground it would be black. */
		draw_text(y, x, 1, theme_block(role), g);
	else
		draw_text(y, x, 1, theme_attr(role), g);
}

static void summary_draw(struct ui *u, const struct rect *b, int gh, const struct grid_summary *sm)
{
	const struct vm *vm = u->m.vm;
	for (int r = 0; r < gh && r < sm->rows; r++) {
		uint64_t first = (uint64_t)r * (uint64_t)sm->per_row * sm->per_cell;
		draw_textf(b->y + r, b->x, sm->label_w, theme_attr(R_DIM), "%*llu", sm->label_w - 1,
			   (unsigned long long)first);
		for (int c = 0; c < sm->per_row; c++) {
			uint64_t lo = first + (uint64_t)c * sm->per_cell;
			if (lo >= vm->nframes)
				break;
			uint64_t hi = lo + sm->per_cell < vm->nframes ? lo + sm->per_cell : vm->nframes;
			summary_cell(u, (uint32_t)lo, (uint32_t)hi, b->y + r, b->x + sm->label_w + c);
		}
	}
}

/* "a cell = 1024 frames: · free ░▒▓█ used (colour: ...)" */
static void summary_legend(struct ui *u, int y, const struct rect *b, const struct grid_summary *sm)
{
	bool ascii = theme_ascii();
	char buf[160];
	snprintf(buf, sizeof buf, tr(u, "a cell = %u frames: %s free %s used (colour: owner, kernel, changed)",
				     "每格 = %u 个物理页：%s 空闲 %s 已用（颜色：进程、内核、刚改变）"),
		 sm->per_cell, theme_glyphs()->dot, ascii ? ":+#@" : "░▒▓█");
	draw_text(y, b->x + 1, b->w - 1, theme_attr(R_DIM), buf);
}

/* The last drawing, for panel_frames_hit. */
static struct {
	struct rect b;
	struct grid_fit gf;
	struct grid_summary sm;
	bool summarise;
	int top, gh;
} drawn;

bool panel_frames_hit(struct ui *u, int y, int x, struct selection *sel, char *detail, size_t size)
{
	const struct vm *vm = u->m.vm;
	const struct rect *b = &drawn.b;
	int row = y - b->y;
	if (!vm || row < 0 || row >= drawn.gh || x < b->x || x >= b->x + b->w)
		return false;
	uint64_t pfn;
	if (drawn.summarise) {
		int c = x - b->x - drawn.sm.label_w;
		if (c < 0 || c >= drawn.sm.per_row)
			return false;
		uint64_t lo = ((uint64_t)row * (uint64_t)drawn.sm.per_row + (uint64_t)c) * drawn.sm.per_cell;
		uint64_t hi = lo + drawn.sm.per_cell < vm->nframes ? lo + drawn.sm.per_cell : vm->nframes;
		/* A cell of many frames: the first one a page is in. */
		pfn = lo;
		for (uint64_t f = lo; f < hi; f++)
			if (vm->frames[f].kind != FRAME_FREE && f >= vm->kernel_frames) {
				pfn = f;
				break;
			}
	} else {
		int c = (x - b->x - drawn.gf.label_w) / (drawn.gf.cellw > 0 ? drawn.gf.cellw : 1);
		if (x < b->x + drawn.gf.label_w || c >= drawn.gf.per_row)
			return false;
		pfn = (uint64_t)(drawn.top + row) * (uint64_t)drawn.gf.per_row + (uint64_t)c;
	}
	if (pfn >= vm->nframes)
		return false;
	sel->frame = (uint32_t)pfn;
	sel->has_frame = true;
	const struct frame *f = &vm->frames[pfn];
	if (f->rmap && u->m.proc && f->rmap->pid == u->m.proc->pid) {
		sel->vpn = f->rmap->vpn;
		sel->has_vpn = true;
	}
	describe_frame(u, (uint32_t)pfn, detail, size);
	return true;
}

void panel_frames_draw(struct ui *u, const struct rect *b)
{
	struct panel_state *ps = &u->ps[PANEL_FRAMES];
	const struct vm *vm = u->m.vm;
	drawn.gh = 0;
	if (!vm || b->h <= 0)
		return;
	/* The grid first; what rows are left tell about it (up to three). */
	int reserve = b->h >= 3 ? 1 : 0;
	struct grid_fit gf;
	grid_fit((int)vm->nframes, b->w, b->h - reserve, &gf);
	int gh = b->h - reserve;
	if (gf.rows < gh)
		gh = gf.rows;
	int extra = b->h - gh;
	if (extra > 3)
		extra = 3;
	int64_t hand = hand_frame(u);
	int64_t focus = u->m.chg.focus_frame;
	struct grid_summary sm = {0};
	bool summarise = gf.scroll;
	if (summarise) {
		/* Two rows under it: what changed, and what a cell means. */
		int rows = summary_rows(b->h);
		grid_summary_fit(vm->nframes, b->w, rows, &sm);
		gh = sm.rows < rows ? sm.rows : rows;
		extra = b->h - gh > 3 ? 3 : b->h - gh;
		summary_draw(u, b, gh, &sm);
	}
	int top = summarise ? 0 : grid_top(ps, &gf, gh, focus);
	drawn.b = *b;
	drawn.gf = gf;
	drawn.sm = sm;
	drawn.summarise = summarise;
	drawn.top = top;
	drawn.gh = gh;
	for (int r = 0; !summarise && r < gh && top + r < gf.rows; r++) {
		int y = b->y + r;
		uint32_t first = (uint32_t)((top + r) * gf.per_row);
		grid_row_label(&gf, y, b->x, first);
		int x = b->x + gf.label_w;
		for (int c = 0; c < gf.per_row && first + (uint32_t)c < vm->nframes; c++)
			draw_cell(u, first + (uint32_t)c, y, x + c * gf.cellw, &gf, hand);
	}
	const struct glyphs *g = theme_glyphs();
	if (!summarise && top > 0)
		draw_text(b->y, b->x + b->w - 1, 1, theme_attr(R_DIM), g->up);
	if (!summarise && top + gh < gf.rows)
		draw_text(b->y + gh - 1, b->x + b->w - 1, 1, theme_attr(R_DIM), g->down);
	int y = b->y + gh;
	if (extra >= 1) {
		/* The frame the last command changed; else the one the policy
		 * will take next, if a program's page is in it. */
		int64_t f = focus;
		bool picked = u->sel.panel >= 0 && u->sel.has_frame && u->sel.frame < vm->nframes;
		if (picked)
			f = u->sel.frame;
		if (f < 0 && hand >= 0 && (uint64_t)hand < vm->nframes &&
		    vm->frames[hand].kind != FRAME_KERNEL && vm->frames[hand].kind != FRAME_ZERO &&
		    vm->frames[hand].kind != FRAME_FREE)
			f = hand;
		if (f >= 0 && (uint64_t)f < vm->nframes) {
			char buf[256];
			describe_frame(u, (uint32_t)f, buf, sizeof buf);
			int x = b->x + 1;
			if (picked)
				x += draw_text(y, x, b->w - 1, theme_attr(R_CHANGED) | A_REVERSE, g->up);
			else if (focus >= 0)
				x += draw_text(y, x, b->w - 1, theme_attr(R_CHANGED), g->up);
			else
				x += draw_textf(y, x, b->w - 1, theme_attr(R_HAND), "%s %s", g->hand,
						tr(u, "next victim", "下一个淘汰"));
			x += draw_text(y, x, b->x + b->w - x, theme_attr(R_NORMAL), " ");
			x += draw_clip(y, x, b->x + b->w - x, theme_attr(R_BOLD), buf);
			if (u->m.chg.nframes > 1 && !picked) {
				/* Whole or not at all: "(+12 mo" says nothing. */
				snprintf(buf, sizeof buf, "  (+%u %s)", u->m.chg.nframes - 1,
					 tr(u, "more changed", "个也变了"));
				if (text_width(buf) <= b->x + b->w - x)
					draw_text(y, x, b->x + b->w - x, theme_attr(R_DIM), buf);
			}
		}
		y++;
	}
	if (summarise) {
		if (extra >= 2)
			summary_legend(u, y++, b, &sm);
		if (extra >= 3)
			order_line(u, y, b);
		return;
	}
	if (extra >= 2)
		order_line(u, y++, b);
	if (extra >= 3)
		legend(u, y, b);
	/* Rows to spare under all that: the focused frame's bytes. */
	if (focus >= 0 && b->h - gh > 3)
		frame_bytes_draw(u, (uint32_t)focus, b->y + gh + 3, b->h - gh - 3 > 4 ? 4 : b->h - gh - 3, b);
}
