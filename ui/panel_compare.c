/* panel_compare.c - the compare view: two processes' page tables side by
 * side, one row per virtual page, in the place of the address-space and
 * page-table panels.
 *
 *   vpn        pid 100 a.out                    pid 101 a.out
 *   55555555a  heap    PWUAD·    pfn 7  =  pfn 7    PWUAD·  heap
 *   7ffffffde  stack   PWUAD·   pfn 12  ≠  pfn 15   PWUAD·  stack
 *   ─ MMU walk 0x... (left) ────────  ─ ▶ MMU walk 0x... (right) ──
 *
 * The frame numbers meet in the middle, so a shared frame reads "pfn 7 =
 * pfn 7" and a private copy "pfn 12 ≠ pfn 15": the link is a character, not
 * only a colour. Each side keeps its own last MMU walk under it; the walk
 * the last command made is lit (a hand and the focus colour). Rows the page
 * tables leave free show the two address spaces, region by region (size,
 * resident). Narrow or short screens drop the address spaces, the region
 * names, then the wide bits, then the walks' level rows.
 */
#include "app.h"
#include "draw.h"

#include <stdio.h>
#include <string.h>

#define TARGET_W 11   /* "pfn 12345×2" */
#define LINK_W 3      /* " = " */

struct cols {
	int vpn_x, vpn_w;
	int side_x[2], side_w;
	int link_x;
	int region_w, bits_w;
	bool wide_bits;
};

static bool has_nx(const struct vm *vm)
{
	return vm->arch.kind != ARCH_X86;
}

static int vpn_digits(const struct vm *vm)
{
	unsigned bits = vm->arch.levels * vm->arch.level_bits;
	return (int)((bits + 3) / 4);
}

#define REGION_MAX 16  /* wider panels centre the table instead */

static void columns(const struct vm *vm, const struct rect *b, struct cols *c)
{
	memset(c, 0, sizeof *c);
	c->vpn_w = vpn_digits(vm) + 1;
	int rest = b->w - 1 - c->vpn_w - LINK_W;
	c->side_w = rest / 2;
	int nbits = has_nx(vm) ? 6 : 5;
	c->wide_bits = c->side_w >= TARGET_W + 1 + 2 * nbits + 1 + 8;
	c->bits_w = c->wide_bits ? 2 * nbits : nbits;
	if (c->side_w < TARGET_W + 1 + c->bits_w)
		c->bits_w = 0;
	c->region_w = c->side_w - TARGET_W - 1 - (c->bits_w ? c->bits_w + 1 : 0);
	if (c->region_w < 4)
		c->region_w = 0;
	int pad = 0;
	if (c->region_w > REGION_MAX) {
		pad = c->region_w - REGION_MAX;   /* half of what both sides give up */
		c->side_w -= c->region_w - REGION_MAX;
		c->region_w = REGION_MAX;
	}
	c->vpn_x = b->x + 1 + pad;
	c->side_x[0] = c->vpn_x + c->vpn_w;
	c->link_x = c->side_x[0] + c->side_w;
	c->side_x[1] = c->link_x + LINK_W;
}

/* The region a page lies in, in the address-space panel's words. */
static const char *region(const struct ui *u, const struct proc *p, uint64_t vpn)
{
	const struct vma *v = vm_find_vma(p, vpn << u->m.vm->arch.page_shift);
	if (!v)
		return "";
	if (v->flags & VMA_STACK)
		return tr(u, "stack", "栈");
	if (v->flags & VMA_HEAP)
		return tr(u, "heap", "堆");
	if (v->file >= 0 || (v->flags & VMA_SPECIAL)) {
		const char *slash = strrchr(v->name, '/');
		return slash ? slash + 1 : v->name;
	}
	return v->name[0] ? v->name : "mmap";
}

/* "pfn 7", "pfn 7×3", "swap 2", "zero pg". */
static enum role target(const struct ui *u, pte_t e, char *buf, size_t size)
{
	const struct vm *vm = u->m.vm;
	if (PTE_PRESENT(e)) {
		uint64_t pfn = PTE_NUM(e);
		if (pfn == vm->zero_pfn) {
			snprintf(buf, size, "%s", tr(u, "zero pg", "零页"));
			return R_DIM;
		}
		unsigned mc = pfn < vm->nframes ? vm->frames[pfn].mapcount : 0;
		if (mc > 2)
			snprintf(buf, size, "pfn %llu%s%u", (unsigned long long)pfn, theme_glyphs()->times, mc);
		else
			snprintf(buf, size, "pfn %llu", (unsigned long long)pfn);
		return R_NORMAL;
	}
	if (PTE_SWAPPED(e)) {
		snprintf(buf, size, "swap %llu", (unsigned long long)PTE_NUM(e));
		return R_EV_SWAP;
	}
	snprintf(buf, size, "%s", tr(u, "none", "无"));
	return R_DIM;
}

/* One side of a row. The left side runs region, bits, frame (right
 * aligned); the right side mirrors it, so the two frames meet at the link. */
static void draw_side(struct ui *u, const struct cols *c, int side, const struct cmp_row *r, int y, bool changed)
{
	const struct compare *cmp = &u->cmp;
	int x = c->side_x[side], w = c->side_w;
	attr_t hi = theme_attr(R_CHANGED);
	if (changed)
		draw_fill(y, x, w, hi);
	pte_t e = r->pte[side];
	if (!e) {
		/* This process has nothing at the address. */
		int tx = side == 0 ? x + w - 2 : x + 1;
		draw_text(y, tx, 1, theme_attr(R_DIM), theme_glyphs()->dot);
		return;
	}
	char tgt[32];
	enum role role = target(u, e, tgt, sizeof tgt);
	if (r->link == LINK_SAME)
		role = R_F_SHARED;
	int tw = text_width(tgt);
	if (tw > TARGET_W)
		tw = TARGET_W;
	int tx = side == 0 ? x + w - 1 - tw : x + 1;
	draw_text(y, tx, TARGET_W, changed ? hi : theme_attr(role), tgt);
	int bx = side == 0 ? x + w - 1 - TARGET_W - 1 - c->bits_w : x + 1 + TARGET_W + 1;
	if (c->bits_w)
		panel_pte_bits(y, bx, e, c->wide_bits, has_nx(u->m.vm), changed ? hi : theme_attr(R_GOOD),
			       changed ? hi : theme_attr(R_F_FREE));
	if (c->region_w && cmp->proc[side]) {
		int rx = side == 0 ? x : bx + c->bits_w + 1;
		int rw = c->region_w - 1;
		draw_clip(y, rx, rw, changed ? hi : theme_attr(R_DIM), region(u, cmp->proc[side], r->vpn));
	}
}

static void draw_link(const struct cols *c, const struct cmp_row *r, int y)
{
	bool ascii = theme_ascii();
	if (r->link == LINK_SAME)
		draw_text(y, c->link_x, LINK_W, theme_attr(R_F_SHARED) | A_BOLD, " = ");
	else if (r->link == LINK_DIFF)
		draw_text(y, c->link_x, LINK_W, theme_attr(R_WARN) | A_BOLD, ascii ? "!= " : " ≠ ");
}

static void draw_row(struct ui *u, const struct cols *c, const struct cmp_row *r, int y)
{
	const struct model *m = &u->m;
	int cur = m->proc ? m->proc->pid : 0;
	bool changed = model_vpn_changed(m, r->vpn);
	bool ch[2] = {changed && u->cmp.pid[0] == cur, changed && u->cmp.pid[1] == cur};
	draw_text(y, c->vpn_x - 1, 1, theme_attr(R_HAND), ch[0] || ch[1] ? theme_glyphs()->hand : " ");
	draw_textf(y, c->vpn_x, c->vpn_w, theme_attr(ch[0] || ch[1] ? R_BOLD : R_NORMAL), "%0*llx",
		   vpn_digits(m->vm), (unsigned long long)r->vpn);
	for (int i = 0; i < 2; i++)
		draw_side(u, c, i, r, y, ch[i]);
	draw_link(c, r, y);
}

/* "pid 100 a.out" over each side; the current process is starred as in ps. */
static void draw_header(struct ui *u, const struct cols *c, int y)
{
	const struct compare *cmp = &u->cmp;
	const struct model *m = &u->m;
	draw_text(y, c->vpn_x, c->vpn_w, theme_attr(R_HEADER), "vpn");
	for (int i = 0; i < 2; i++) {
		const struct proc *p = cmp->proc[i];
		bool cur = p && m->proc == p;
		char name[80];
		if (p)
			snprintf(name, sizeof name, "%s%s %d %s", cur ? "*" : "", tr(u, "pid", "进程"), p->pid, p->name);
		else
			snprintf(name, sizeof name, "%s %d %s", tr(u, "pid", "进程"), cmp->pid[i],
				 tr(u, "(ended)", "（已结束）"));
		int w = text_width(name);
		int x = i == 0 ? c->side_x[0] + c->side_w - 1 - w : c->side_x[1] + 1;
		if (x < c->side_x[i])
			x = c->side_x[i];
		draw_text(y, x, c->side_w, theme_attr(p ? R_HEADER : R_ERROR) | (cur ? A_BOLD : 0), name);
	}
}

/* The list row to bring into view: the first the last command changed,
 * else the page of the walk it made. */
static long follow_row(struct ui *u)
{
	const struct compare *cmp = &u->cmp;
	const struct model *m = &u->m;
	if (m->chg.nvpn && m->proc && (m->proc->pid == cmp->pid[0] || m->proc->pid == cmp->pid[1]))
		for (size_t i = 0; i < cmp->nrows; i++)
			if (model_vpn_changed(m, cmp->rows[i].vpn))
				return (long)i;
	const struct proc_walk *best = NULL;
	for (int i = 0; i < 2; i++) {
		const struct proc_walk *pw = session_walk(u->s, cmp->pid[i]);
		if (pw && (!best || pw->stamp > best->stamp))
			best = pw;
	}
	return best ? compare_find(cmp, best->w.va >> m->vm->arch.page_shift) : -1;
}

struct space_row {
	const char *label;
	uint64_t bytes, res;   /* res in pages */
	bool always;           /* the heap or the stack: kept when rows are few */
};
#define SPACE_ROWS 64

/* One side's address space from the top down, consecutive VMAs of one
 * region merged, the kernel's [vdso]-like mappings left out. Returns the
 * rows; when more than h, only those with resident pages (and the heap
 * and the stack) are kept, in order. */
static int space_list(struct ui *u, int side, struct space_row *out, int h)
{
	const struct compare *cmp = &u->cmp;
	const struct proc *p = cmp->proc[side];
	const struct vm *vm = u->m.vm;
	unsigned shift = vm->arch.page_shift;
	int n = 0;
	for (int i = p ? (int)p->nvmas - 1 : -1; i >= 0; i--) {
		const struct vma *v = &p->vmas[i];
		if (v->flags & VMA_SPECIAL)
			continue;
		const char *label = region(u, p, v->start >> shift);
		if (n == 0 || strcmp(out[n - 1].label, label) != 0) {
			if (n == SPACE_ROWS)
				break;
			out[n++] = (struct space_row){label, 0, 0, false};
		}
		struct space_row *r = &out[n - 1];
		r->always |= (v->flags & (VMA_STACK | VMA_HEAP)) != 0;
		r->bytes += v->end - v->start;
		for (long k = 0; k < (long)cmp->nrows; k++) {
			const struct cmp_row *c = &cmp->rows[k];
			uint64_t va = c->vpn << shift;
			pte_t e = c->pte[side];
			if (va >= v->start && va < v->end && PTE_PRESENT(e) && PTE_NUM(e) != vm->zero_pfn)
				r->res++;
		}
	}
	if (n <= h)
		return n;
	int kept = 0;
	for (int i = 0; i < n; i++)
		if (out[i].res || out[i].always)
			out[kept++] = out[i];
	return kept;
}

static void draw_space(struct ui *u, int side, int y, int h, int x, int w)
{
	struct space_row rows[SPACE_ROWS];
	int n = space_list(u, side, rows, h);
	unsigned shift = u->m.vm->arch.page_shift;
	for (int i = 0; i < n && i < h; i++) {
		char size[16], rss[16];
		fmt_bytes(rows[i].bytes, size, sizeof size);
		fmt_bytes(rows[i].res << shift, rss, sizeof rss);
		int lw = w - 14;
		draw_clip(y + i, x + 1, lw, theme_attr(R_NORMAL), rows[i].label[0] ? rows[i].label : "mmap");
		draw_textf(y + i, x + 1 + lw, 13, theme_attr(rows[i].res ? R_GOOD : R_DIM), "%6s %5s", size,
			   rows[i].res ? rss : "0");
	}
}

/* Rows the address spaces want: the longer of the two lists. */
static int space_rows(struct ui *u)
{
	struct space_row rows[SPACE_ROWS];
	int a = space_list(u, 0, rows, SPACE_ROWS), b = space_list(u, 1, rows, SPACE_ROWS);
	return a > b ? a : b;
}

static void draw_spaces(struct ui *u, int y, int h, const struct rect *b)
{
	int half = (b->w - 1) / 2;
	for (int i = 0; i < 2; i++) {
		int x = i == 0 ? b->x : b->x + half + 1, w = i == 0 ? half : b->w - half - 1;
		struct rect t = {y, x, 1, w};
		char title[64];
		snprintf(title, sizeof title, "%s %s %s %d", tr(u, "Address space", "虚拟地址空间"), theme_glyphs()->mid,
			 tr(u, "pid", "进程"), u->cmp.pid[i]);
		draw_title(&t, title, tr(u, "size   rss", "大小  驻留"), false);
		draw_space(u, i, y + 1, h - 1, x, w);
	}
}

static bool walk_lit(const struct ui *u, const struct proc_walk *pw)
{
	return u->chg_vm == u->s->vm && pw->stamp >= (u->chg_from << 1 | 1);
}

static void draw_walks(struct ui *u, int y, int h, const struct rect *b)
{
	int half = (b->w - 1) / 2;
	for (int i = 0; i < 2; i++) {
		struct rect r = {y, i == 0 ? b->x : b->x + half + 1, h, i == 0 ? half : b->w - half - 1};
		const struct proc_walk *pw = session_walk(u->s, u->cmp.pid[i]);
		if (pw)
			panel_walk_draw(u, &pw->w, &r, u->cmp.pid[i], walk_lit(u, pw));
		else
			draw_title(&r, tr(u, "no MMU walk yet", "还没有 MMU 地址翻译"), NULL, false);
	}
}

void panel_compare_draw(struct ui *u, const struct rect *r)
{
	const struct compare *cmp = &u->cmp;
	const struct vm *vm = u->m.vm;
	const struct glyphs *g = theme_glyphs();
	char legend[96];
	snprintf(legend, sizeof legend, tr(u, "= %u same frame %s %s %u different", "= %u 同一物理页 %s %s %u 不同物理页"),
		 cmp->nsame, g->mid, theme_ascii() ? "!=" : "≠", cmp->ndiff);
	draw_clear(r);
	draw_title(r, tr(u, "Side by side", "并排对比"), legend, u->focus == PANEL_PT || u->focus == PANEL_VMAS);
	struct rect b = layout_body(r);
	struct cols c;
	columns(vm, &b, &c);
	bool walks = session_walk(u->s, cmp->pid[0]) || session_walk(u->s, cmp->pid[1]);
	int levels = (int)vm->arch.levels;
	/* Walks: tall when the list keeps six rows, two rows while it keeps
	 * three, else only their title rules. */
	int walk_h = !walks ? 0 : b.h - 1 - (levels + 2) >= 6 ? levels + 2 : b.h - 1 - 3 >= 3 ? 3 : 1;
	/* The address spaces, in the rows the page tables leave (a title rule
	 * and four rows at least, at a width that shows the region names),
	 * the walks folded to two rows if that makes the room. */
	int spare = b.h - 1 - walk_h - (int)cmp->nrows - 1, space_h = 0;
	if (spare < 5 && walk_h > 3 && spare + walk_h - 3 >= 5) {
		spare += walk_h - 3;
		walk_h = 3;
	}
	int list_h = b.h - 1 - walk_h;
	if (spare >= 5 && c.region_w) {
		space_h = 1 + space_rows(u);
		if (space_h > spare)
			space_h = spare;
		list_h -= space_h + 1;
	}
	draw_header(u, &c, b.y);
	/* Scrolled as the page table (or the address space, if it had the
	 * focus when the view came on). */
	struct panel_state *ps = &u->ps[u->focus == PANEL_VMAS ? PANEL_VMAS : PANEL_PT];
	if (ps->follow) {
		long row = follow_row(u);
		if (row >= 0 && (row < ps->scroll || row >= ps->scroll + list_h))
			ps->scroll = (int)row - list_h / 3;
	}
	int top = panel_clamp(ps, (int)cmp->nrows, list_h);
	if (cmp->nrows == 0 && list_h > 0)
		draw_text(b.y + 1, b.x + 1, b.w - 1, theme_attr(R_DIM),
			  tr(u, "no pages mapped yet (demand paging)", "还没有映射任何页（按需分配）"));
	for (int i = 0; i < list_h && top + i < (int)cmp->nrows; i++)
		draw_row(u, &c, &cmp->rows[top + i], b.y + 1 + i);
	if (top > 0)
		draw_text(b.y + 1, b.x + b.w - 1, 1, theme_attr(R_DIM), g->up);
	if (top + list_h < (int)cmp->nrows)
		draw_text(b.y + list_h, b.x + b.w - 1, 1, theme_attr(R_DIM), g->down);
	if (space_h)
		draw_spaces(u, b.y + 1 + (int)cmp->nrows + 1, space_h, &b);  /* under the rows */
	if (walk_h)
		draw_walks(u, b.y + b.h - walk_h, walk_h, &b);
}
