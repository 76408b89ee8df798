/* panel_pt.c - the page table of the current process: one row per
 * non-empty PTE (VPN -> frame, swap slot or the zero page, with its bits),
 * and under it the MMU walk of the last translated address, level by level.
 */
#include "app.h"
#include "draw.h"

#include <stdio.h>
#include <string.h>

/* "P W U A D NX" with the clear bits dimmed to dots; without NX on 32-bit
 * x86 (no PAE, no NX bit: the engine's own flag is not in the PTE there). */
static void draw_bits(int y, int x, pte_t e, bool wide, bool nx, attr_t on, attr_t off)
{
	static const struct {
		pte_t bit;
		const char *name;
	} bits[] = {{PTE_P, "P"}, {PTE_W, "W"}, {PTE_U, "U"}, {PTE_A, "A"}, {PTE_D, "D"}, {PTE_NX, "NX"}};
	const char *dot = theme_glyphs()->dot;
	size_t n = nx ? 6 : 5;
	move(y, x);
	for (size_t i = 0; i < n; i++) {
		bool set = (e & bits[i].bit) != 0;
		attrset(set ? on : off);
		if (wide) {
			addstr(set ? bits[i].name : (i == 5 ? "--" : dot));
			if (i + 1 < n)
				addch(' ');
		} else {
			addstr(set ? (i == 5 ? "N" : bits[i].name) : dot);
		}
	}
}

static bool has_nx(const struct vm *vm)
{
	return vm->arch.kind != ARCH_X86;
}

static int vpn_digits(const struct vm *vm)
{
	unsigned bits = vm->arch.levels * vm->arch.level_bits;
	return (int)((bits + 3) / 4);
}

static void draw_pte(struct ui *u, const struct pte_row *r, int y, const struct rect *b)
{
	const struct vm *vm = u->m.vm;
	const struct glyphs *g = theme_glyphs();
	bool changed = model_vpn_changed(&u->m, r->vpn);
	attr_t a = theme_attr(changed ? R_CHANGED : R_NORMAL);
	int w = b->w, x = b->x;
	if (changed)
		draw_fill(y, x, w, a);
	draw_text(y, x, 1, theme_attr(R_HAND), changed ? g->hand : " ");
	int cx = x + 1;
	cx += draw_textf(y, cx, w - 1, a, "%0*llx %s ", vpn_digits(vm),
			 (unsigned long long)r->vpn, g->arrow);
	char tgt[24];
	enum role tr_role = R_NORMAL;
	if (PTE_PRESENT(r->pte)) {
		uint64_t pfn = PTE_NUM(r->pte);
		if (pfn == vm->zero_pfn) {
			snprintf(tgt, sizeof tgt, "%s", tr(u, "zero pg", "零页"));
			tr_role = R_DIM;
		} else {
			const struct frame *f = &vm->frames[pfn];
			if (f->mapcount > 1) {
				/* Shared (a library page, or copy-on-write after fork). */
				snprintf(tgt, sizeof tgt, "pfn %llu%s%u", (unsigned long long)pfn,
					 theme_glyphs()->times, f->mapcount);
				tr_role = R_V_STACK;
			} else {
				snprintf(tgt, sizeof tgt, "pfn %llu", (unsigned long long)pfn);
			}
		}
	} else if (PTE_SWAPPED(r->pte)) {
		snprintf(tgt, sizeof tgt, "swap %llu", (unsigned long long)PTE_NUM(r->pte));
		tr_role = R_EV_SWAP;
	} else {
		snprintf(tgt, sizeof tgt, "%s", tr(u, "none", "无"));
		tr_role = R_DIM;
	}
	draw_textf(y, cx, x + w - cx, changed ? a : theme_attr(tr_role), "%s", tgt);
	cx += 12;
	bool wide = x + w - cx >= 12;
	if (x + w - cx >= 6)
		draw_bits(y, cx, r->pte, wide, has_nx(vm), changed ? a : theme_attr(R_GOOD),
			  changed ? a : theme_attr(R_F_FREE));
	cx += wide ? 13 : 7;
	/* Wide panels: the page's address, as the program sees it. */
	if (x + w - cx >= 15)
		draw_textf(y, cx, x + w - cx, changed ? a : theme_attr(R_DIM), "%0*llx",
			   has_nx(vm) ? 12 : 8, (unsigned long long)(r->vpn << vm->arch.page_shift));
}

static const char *fault_words(const struct ui *u, const struct walk *wk)
{
	switch (wk->fault) {
	case FAULT_NONE:
		/* translate only looks: no access, so no fault either. */
		if (wk->va >= u->m.vm->arch.user_top)
			return tr(u, "no access from user mode", "用户态不可访问");
		return wk->present ? tr(u, "hit", "命中") : tr(u, "not present", "不在内存");
	case FAULT_MINOR: return tr(u, "minor fault", "次缺页");
	case FAULT_MAJOR: return tr(u, "major fault", "主缺页");
	case FAULT_SEGV: return "SIGSEGV";
	case FAULT_OOM: return "OOM";
	}
	return "";
}

/* The walk's last line: where the address ended up. */
static void walk_result(struct ui *u, const struct walk *wk, int y, const struct rect *b)
{
	const struct glyphs *g = theme_glyphs();
	const struct vm *vm = u->m.vm;
	if (wk->present && wk->pfn >= 0) {
		draw_textf(y, b->x + 1, b->w - 1, theme_attr(R_GOOD), "%s pfn %lld + 0x%llx = %s 0x%llx",
			   g->arrow, (long long)wk->pfn, (unsigned long long)PAGE_OFF(&vm->arch, wk->va),
			   tr(u, "phys", "物理地址"), (unsigned long long)wk->paddr);
	} else if (wk->slot >= 0) {
		draw_textf(y, b->x + 1, b->w - 1, theme_attr(R_EV_SWAP), "%s %s %lld (%s)",
			   g->arrow, tr(u, "in swap slot", "在 swap 槽"), (long long)wk->slot,
			   tr(u, "not present", "不在内存"));
	} else if (wk->va >= vm->arch.user_top) {
		/* No walk for these: user mode may not use the address at all. */
		bool kernel = wk->va >= vm->arch.kernel_base;
		draw_textf(y, b->x + 1, b->w - 1, theme_attr(R_ERROR), "%s %s", g->arrow,
			   kernel ? tr(u, "kernel space: SIGSEGV from user mode", "内核空间：用户态访问即段错误")
				  : tr(u, "non-canonical address: SIGSEGV", "非规范地址：段错误"));
	} else if (wk->fault == FAULT_SEGV) {
		draw_textf(y, b->x + 1, b->w - 1, theme_attr(R_ERROR), "%s %s", g->arrow,
			   tr(u, "not mapped, in no VMA: SIGSEGV", "未映射，也不在任何 VMA 中：段错误"));
	} else {
		draw_textf(y, b->x + 1, b->w - 1, theme_attr(R_WARN), "%s %s", g->arrow,
			   tr(u, "not mapped: a page fault", "未映射: 缺页异常"));
	}
}

/* Did the walk's access fault in a way the talk's four steps describe? */
static bool fault_path_shown(const struct ui *u, const struct walk *wk)
{
	return u->play && (wk->fault == FAULT_MINOR || wk->fault == FAULT_MAJOR || wk->fault == FAULT_SEGV);
}

/* The talk's fault handling (§6) as a path, the steps this fault took lit:
 * 1 the CPU finds no mapping, 2 the kernel checks the access is legal,
 * 3 legal: a frame and a PTE, or 4 illegal: SIGSEGV. */
static void fault_path(struct ui *u, const struct walk *wk, int y, const struct rect *b)
{
	bool segv = wk->fault == FAULT_SEGV;
	const char *arrow = theme_ascii() ? ">" : "→";
	const char *steps[4] = {
		tr(u, "1 no PTE", "1 查无映射"), tr(u, "2 legal?", "2 判断合法"),
		tr(u, "3 frame+PTE", "3 分配物理页"), tr(u, "4 SIGSEGV", "4 段错误"),
	};
	const bool lit[4] = {true, true, !segv, segv};
	int cx = b->x + 1, end = b->x + b->w;
	for (int i = 0; i < 4 && cx < end; i++) {
		if (i)
			cx += draw_textf(y, cx, end - cx, theme_attr(R_DIM), " %s ", i == 3 ? "|" : arrow);
		attr_t a = !lit[i] ? theme_attr(R_DIM) : i == 3 ? theme_attr(R_ERROR) | A_BOLD
						 : i == 2 ? theme_attr(R_GOOD) | A_BOLD : theme_attr(R_WARN) | A_BOLD;
		cx += draw_text(y, cx, end - cx, a, steps[i]);
	}
}

/* Tall form: one row per level, "PGD #1 [170] → table #2". */
static void walk_tall(struct ui *u, const struct walk *wk, int y, const struct rect *b)
{
	const struct arch *a = &u->m.vm->arch;
	const struct glyphs *g = theme_glyphs();
	for (unsigned l = 0; l < a->levels; l++) {
		attr_t name = theme_attr(l < wk->levels ? R_TITLE : R_DIM);
		int cx = b->x + 1 + (int)l;
		cx += draw_textf(y + (int)l, cx, b->x + b->w - cx, name, "%s ", a->level_names[l]);
		if (l >= wk->levels) {
			draw_text(y + (int)l, cx, b->x + b->w - cx, theme_attr(R_DIM),
				  tr(u, "(not reached)", "(未到达)"));
			continue;
		}
		cx += draw_textf(y + (int)l, cx, b->x + b->w - cx, theme_attr(R_DIM), "#%-3u",
				 (unsigned)wk->table[l]);
		cx += draw_textf(y + (int)l, cx, b->x + b->w - cx, theme_attr(R_BOLD), "[%3u] ",
				 wk->index[l]);
		pte_t e = wk->entry[l];
		if (l + 1 < a->levels) {
			if (PTE_PRESENT(e))
				draw_textf(y + (int)l, cx, b->x + b->w - cx, theme_attr(R_NORMAL),
					   "%s %s #%llu", g->arrow, tr(u, "table", "页表"),
					   (unsigned long long)PTE_NUM(e));
			else
				draw_textf(y + (int)l, cx, b->x + b->w - cx, theme_attr(R_WARN),
					   "%s %s", g->arrow, tr(u, "empty", "空"));
		} else {
			cx += draw_textf(y + (int)l, cx, b->x + b->w - cx, theme_attr(R_NORMAL), "%s ",
					 g->arrow);
			if (PTE_PRESENT(e) || PTE_SWAPPED(e))
				draw_bits(y + (int)l, cx, e, b->x + b->w - cx >= 12, has_nx(u->m.vm), theme_attr(R_GOOD),
					  theme_attr(R_F_FREE));
			else
				draw_text(y + (int)l, cx, b->x + b->w - cx, theme_attr(R_WARN),
					  tr(u, "empty", "空"));
		}
	}
	walk_result(u, wk, y + (int)a->levels, b);
}

/* Compact form: "PGD[170]→PUD[341]→PMD[170]→PTE[345]" on one row. */
static void walk_compact(struct ui *u, const struct walk *wk, int y, const struct rect *b)
{
	const struct arch *a = &u->m.vm->arch;
	const char *arrow = theme_ascii() ? ">" : "→";
	int cx = b->x + 1, end = b->x + b->w;
	for (unsigned l = 0; l < a->levels && cx < end; l++) {
		attr_t at = theme_attr(l < wk->levels ? R_NORMAL : R_DIM);
		if (l)
			cx += draw_text(y, cx, end - cx, theme_attr(R_DIM), arrow);
		if (l < wk->levels)
			cx += draw_textf(y, cx, end - cx, at, "%s[%u]", a->level_names[l], wk->index[l]);
		else
			cx += draw_textf(y, cx, end - cx, at, "%s", a->level_names[l]);
	}
	walk_result(u, wk, y + 1, b);
}

void panel_pt_draw(struct ui *u, const struct rect *b)
{
	struct panel_state *ps = &u->ps[PANEL_PT];
	const struct model *m = &u->m;
	if (!m->proc) {
		draw_text(b->y, b->x + 1, b->w - 1, theme_attr(R_DIM), tr(u, "no process", "没有进程"));
		return;
	}
	const struct walk *wk = &m->vm->last;
	int levels = (int)m->vm->arch.levels;
	int walk_h = 0;
	bool tall = false;
	if (wk->valid) {
		int path = fault_path_shown(u, wk);
		tall = b->h - (levels + 2 + path) >= 6;
		walk_h = (tall ? levels + 2 : 3) + path;
	}
	bool header = b->h - walk_h >= 8;
	int list_h = b->h - walk_h - header;
	if (header)
		draw_textf(b->y, b->x + 1, b->w - 1, theme_attr(R_HEADER), "%-*s %s %-11s %s",
			   vpn_digits(m->vm), "vpn", theme_glyphs()->arrow,
			   tr(u, "frame", "物理页"),
			   b->w - 25 >= 12 ? (has_nx(m->vm) ? "P W U A D NX" : "P W U A D")
					   : (has_nx(m->vm) ? "PWUADN" : "PWUAD"));
	if (m->npte == 0 && list_h > 0)
		draw_text(b->y + header, b->x + 1, b->w - 1, theme_attr(R_DIM),
			  tr(u, "no pages mapped yet (demand paging)", "还没有映射任何页（按需分配）"));
	if (ps->follow && m->chg.nvpn) {
		/* Bring the first changed PTE into view. */
		for (size_t i = 0; i < m->npte; i++)
			if (model_vpn_changed(m, m->pte[i].vpn)) {
				if ((int)i < ps->scroll || (int)i >= ps->scroll + list_h)
					ps->scroll = (int)i - list_h / 3;
				break;
			}
	}
	int top = panel_clamp(ps, (int)m->npte, list_h);
	for (int i = 0; i < list_h && top + i < (int)m->npte; i++)
		draw_pte(u, &m->pte[top + i], b->y + header + i, b);
	const struct glyphs *g = theme_glyphs();
	if (top > 0)
		draw_text(b->y + header, b->x + b->w - 1, 1, theme_attr(R_DIM), g->up);
	if (top + list_h < (int)m->npte)
		draw_text(b->y + header + list_h - 1, b->x + b->w - 1, 1, theme_attr(R_DIM), g->down);
	if (!walk_h)
		return;
	int y = b->y + b->h - walk_h;
	char title[96], who[24] = "";
	if (wk->pid != m->proc->pid)
		snprintf(who, sizeof who, " (%s %d)", tr(u, "pid", "进程"), wk->pid);
	snprintf(title, sizeof title, "%s 0x%llx%s %s", tr(u, "MMU walk", "MMU 地址翻译"),
		 (unsigned long long)wk->va, who, fault_words(u, wk));
	struct rect tr_rect = {y, b->x, 1, b->w};
	draw_title(&tr_rect, title, NULL, false);
	if (tall)
		walk_tall(u, wk, y + 1, b);
	else
		walk_compact(u, wk, y + 1, b);
	if (fault_path_shown(u, wk))
		fault_path(u, wk, b->y + b->h - 1, b);
}
