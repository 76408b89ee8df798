/* panel_pt.c - the page table of the current process: one row per
 * non-empty PTE (VPN -> frame, swap slot or the zero page, with its bits),
 * and under it the MMU walk of the last translated address, level by level.
 */
#include "app.h"
#include "draw.h"

#include <stdio.h>
#include <string.h>

/* "P W U A D NX" with the clear bits dimmed to "-" (a present read-only
 * page shows "r" for W: a dot was too small to read from the back of a
 * room; a swapped-out entry has no protection bits to show); without
 * NX on 32-bit x86 (no PAE, no NX bit: the engine's own flag is not in the
 * PTE there). */
void panel_pte_bits(int y, int x, pte_t e, bool wide, bool nx, attr_t on, attr_t off_attr)
{
	static const struct {
		pte_t bit;
		const char *name;
	} bits[] = {{PTE_P, "P"}, {PTE_W, "W"}, {PTE_U, "U"}, {PTE_A, "A"}, {PTE_D, "D"}, {PTE_NX, "NX"}};
	const char *off = theme_glyphs()->off;
	size_t n = nx ? 6 : 5;
	move(y, x);
	for (size_t i = 0; i < n; i++) {
		bool set = (e & bits[i].bit) != 0;
		/* read-only is a state worth seeing: "r" in the set colour */
		bool ro = !set && bits[i].bit == PTE_W && (e & PTE_P);
		const char *clear = ro ? "r" : off;
		attrset(set || ro ? on : off_attr);
		if (wide) {
			addstr(set ? bits[i].name : (i == 5 ? "--" : clear));
			if (i + 1 < n)
				addch(' ');
		} else {
			addstr(set ? (i == 5 ? "N" : bits[i].name) : clear);
		}
	}
}

/* The last drawing, for panel_pt_hit: m->pte[top..top+shown) from y0. */
static struct {
	int y0, x, w, top, shown;
} drawn;

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
	bool picked = u->sel.panel >= 0 && u->sel.has_vpn && u->sel.vpn == r->vpn;
	/* A picked row reads as a changed one does: one colour across it. */
	bool changed = model_vpn_changed(&u->m, r->vpn) || picked;
	attr_t a = theme_attr(changed ? R_CHANGED : R_NORMAL) | (picked ? A_REVERSE : 0);
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
			if (vm->host && vm->host->pfn[pfn] != VM_HOST_NO_PFN) {
				/* A real process: the PFN the kernel maps it to. */
				snprintf(tgt, sizeof tgt, "PFN %llx", (unsigned long long)vm->host->pfn[pfn]);
				tr_role = f->mapcount > 1 || vm->host->kcount[pfn] > 1 ? R_V_STACK : R_NORMAL;
			} else if (f->mapcount > 1) {
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
		panel_pte_bits(y, cx, r->pte, wide, has_nx(vm), changed ? a : theme_attr(R_GOOD),
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
	uint64_t real = wk->present && wk->pfn >= 0 && vm->host ? vm->host->pfn[wk->pfn] : VM_HOST_NO_PFN;
	if (real != VM_HOST_NO_PFN) {
		/* A real process: its real frame and physical address. */
		draw_textf(y, b->x + 1, b->w - 1, theme_attr(R_GOOD), "%s PFN 0x%llx + 0x%llx = %s 0x%llx", g->arrow,
			   (unsigned long long)real, (unsigned long long)PAGE_OFF(&vm->arch, wk->va),
			   tr(u, "phys", "物理地址"),
			   (unsigned long long)((real << vm->arch.page_shift) | PAGE_OFF(&vm->arch, wk->va)));
	} else if (wk->present && wk->pfn >= 0) {
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
				panel_pte_bits(y + (int)l, cx, e, b->x + b->w - cx >= 12, has_nx(u->m.vm), theme_attr(R_GOOD),
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
	drawn.shown = 0;
	if (!m->proc) {
		draw_text(b->y, b->x + 1, b->w - 1, theme_attr(R_DIM), tr(u, "no process", "没有进程"));
		return;
	}
	const struct walk *wk = &m->vm->last;
	int path = wk->valid && fault_path_shown(u, wk);
	int walk_h = wk->valid ? panel_walk_rows(m->vm, b->h - path) + path : 0;
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
	drawn.y0 = b->y + header;
	drawn.x = b->x;
	drawn.w = b->w;
	drawn.top = top;
	drawn.shown = list_h;
	const struct glyphs *g = theme_glyphs();
	if (top > 0)
		draw_text(b->y + header, b->x + b->w - 1, 1, theme_attr(R_DIM), g->up);
	if (top + list_h < (int)m->npte)
		draw_text(b->y + header + list_h - 1, b->x + b->w - 1, 1, theme_attr(R_DIM), g->down);
	if (!walk_h)
		return;
	struct rect wr = {b->y + b->h - walk_h, b->x, walk_h - path, b->w};
	panel_walk_draw(u, wk, &wr, m->proc->pid, false);
	if (path)
		fault_path(u, wk, b->y + b->h - 1, b);
}

int panel_walk_rows(const struct vm *vm, int h)
{
	int levels = (int)vm->arch.levels;
	return h - (levels + 2) >= 6 ? levels + 2 : 3;
}

void panel_walk_draw(struct ui *u, const struct walk *wk, const struct rect *r, int shown_pid, bool lit)
{
	char title[96], who[24] = "";
	if (wk->pid != shown_pid)
		snprintf(who, sizeof who, " (%s %d)", tr(u, "pid", "进程"), wk->pid);
	/* Lit: the walk the last command made (the compare view's two walks);
	 * the hand says so without colour. */
	snprintf(title, sizeof title, "%s%s%s 0x%llx%s %s", lit ? theme_glyphs()->hand : "", lit ? " " : "",
		 tr(u, "MMU walk", "MMU 地址翻译"), (unsigned long long)wk->va, who, fault_words(u, wk));
	struct rect tr_rect = {r->y, r->x, 1, r->w};
	draw_title(&tr_rect, title, NULL, lit);
	if (r->h >= (int)u->m.vm->arch.levels + 2)
		walk_tall(u, wk, r->y + 1, r);
	else if (r->h >= 3)
		walk_compact(u, wk, r->y + 1, r);
}

bool panel_pt_hit(struct ui *u, int y, int x, struct selection *sel, char *detail, size_t size)
{
	const struct model *m = &u->m;
	int i = drawn.top + (y - drawn.y0);
	if (!m->proc || y < drawn.y0 || y >= drawn.y0 + drawn.shown || x < drawn.x ||
	    x >= drawn.x + drawn.w || i < 0 || (size_t)i >= m->npte)
		return false;
	const struct pte_row *r = &m->pte[i];
	const struct vm *vm = m->vm;
	pte_t e = r->pte;
	sel->vpn = r->vpn;
	sel->has_vpn = true;
	if (PTE_PRESENT(e) && PTE_NUM(e) < vm->nframes) {
		sel->frame = (uint32_t)PTE_NUM(e);
		sel->has_frame = true;
	}
	size_t n = (size_t)snprintf(detail, size, "PTE 0x%llx %s ",
				    (unsigned long long)(r->vpn << vm->arch.page_shift), theme_glyphs()->arrow);
	if (n >= size)
		return true;
	if (PTE_PRESENT(e) && PTE_NUM(e) == vm->zero_pfn)
		n += (size_t)snprintf(detail + n, size - n, "%s", tr(u, "the shared zero page (read only until written)",
								  "共享零页（写之前只读）"));
	else if (PTE_PRESENT(e))
		n += (size_t)snprintf(detail + n, size - n, "%s %llu", tr(u, "frame", "物理页"),
				      (unsigned long long)PTE_NUM(e));
	else if (PTE_SWAPPED(e))
		n += (size_t)snprintf(detail + n, size - n, "%s %llu, %s", tr(u, "swap slot", "swap 槽"),
				      (unsigned long long)PTE_NUM(e),
				      tr(u, "not present: the next access is a major fault", "不在内存：下次访问是主缺页"));
	else
		n += (size_t)snprintf(detail + n, size - n, "%s", tr(u, "nothing", "无"));
	static const struct {
		pte_t bit;
		const char *en, *zh;
	} bits[] = {{PTE_P, "present", "在内存"}, {PTE_W, "writable", "可写"}, {PTE_U, "user", "用户态"},
		    {PTE_A, "accessed", "访问过"}, {PTE_D, "dirty", "脏"}, {PTE_NX, "no-exec", "不可执行"}};
	const char *sep = ": ";   /* then spaces: an 80-column line holds them all */
	for (size_t k = 0; k < sizeof bits / sizeof bits[0] && n < size; k++) {
		if (!(e & bits[k].bit) || (bits[k].bit == PTE_NX && !has_nx(vm)))
			continue;
		n += (size_t)snprintf(detail + n, size - n, "%s%s", sep, tr(u, bits[k].en, bits[k].zh));
		sep = " ";
	}
	return true;
}
