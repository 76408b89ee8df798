/* panel_vmas.c - the address space: the current process's VMAs from the
 * top of memory down (kernel, stack, libraries and mmaps, heap, data,
 * text), with sizes and resident pages; the brk line and the region the
 * last command touched stand out.
 *
 * When the rows do not fit, the list compacts step by step:
 *   1. drop the "unmapped" gap rows,
 *   2. merge consecutive mappings of one library and the [vdso]-like ones,
 *   3. merge the executable's read-only mappings,
 *   4. merge, in the library area, touching mappings: a library with the
 *      untouched anonymous pages next to it (its bss, the loader's) and
 *      ld.so with [vdso] [vvar] (the talk's "shared libraries" band),
 *   5. leave out the brk line once the heap exists (its row ends there);
 * and what still does not fit scrolls, following the touched region.
 * Levels 4 and 5 are for playback only: at 100x30 with a heap, a big mmap
 * and a grown stack, they keep the program's own rows (ELF header, text,
 * rodata) in front of the audience.
 */
#include "app.h"
#include "draw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum vrow_type { VR_KERNEL, VR_VMA, VR_GAP, VR_BRK };

struct vrow {
	uint8_t type;
	enum role role;
	int hi, lo;            /* VMA indexes merged into this row (hi >= lo) */
	vaddr_t start, end;
	uint64_t res, swp;     /* pages */
	uint64_t bytes;        /* mapped: merged rows leave out the gaps */
	unsigned prot;
	bool mixed;            /* merged VMAs with different permissions */
	bool touched;
	char label[VM_NAME_MAX + 40];
};

static struct vrow *rows;
static size_t rows_cap;

/* The last drawing, for panel_vmas_hit: rows[top..top+shown) at y0... */
static struct {
	int y0, x, w, top, shown;
	size_t n;
} drawn;

static struct vrow *new_row(size_t *n)
{
	if (*n == rows_cap) {
		size_t c = rows_cap ? rows_cap * 2 : 64;
		struct vrow *r = realloc(rows, c * sizeof *r);
		if (!r)
			return NULL;
		rows = r;
		rows_cap = c;
	}
	struct vrow *r = &rows[(*n)++];
	memset(r, 0, sizeof *r);
	return r;
}

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* The executable is whatever file the lowest mapping comes from. */
static bool is_exe(const struct proc *p, const struct vma *v)
{
	return p->nvmas && v->file >= 0 && v->file == p->vmas[0].file;
}

/* A name for the region a VMA is, in the talk's words. */
static void classify(const struct ui *u, const struct proc *p, int i, struct vrow *r)
{
	const struct vma *v = &p->vmas[i];
	const char *lbl;
	if (v->flags & VMA_STACK) {
		lbl = tr(u, "stack", "栈");
		r->role = R_V_STACK;
	} else if (v->flags & VMA_HEAP) {
		lbl = tr(u, "heap", "堆");
		r->role = R_V_HEAP;
	} else if (v->flags & VMA_SPECIAL) {
		lbl = v->name;
		r->role = R_V_SPECIAL;
	} else if (is_exe(p, v)) {
		if (v->prot & PROT_X) {
			lbl = tr(u, "text", "代码区");
			r->role = R_V_TEXT;
		} else if (v->prot & PROT_W) {
			/* .data and .bss share the mapping while bss is small */
			lbl = tr(u, "data+bss", "数据+bss");
			r->role = R_V_DATA;
		} else {
			lbl = v->file_off == 0 ? tr(u, "ELF hdr", "ELF 头") : tr(u, "rodata", "只读数据");
			r->role = R_V_TEXT;
		}
	} else if (v->file < 0 && i > 0 && is_exe(p, &p->vmas[i - 1]) &&
		   p->vmas[i - 1].end == v->start) {
		lbl = "bss";
		r->role = R_V_DATA;
	} else if (v->file >= 0) {
		lbl = base_name(v->name[0] ? v->name : "file");
		r->role = R_V_LIB;
	} else {
		lbl = v->name[0] ? v->name : (v->flags & VMA_SHARED) ? "mmap shared" : "mmap";
		r->role = R_V_MMAP;
	}
	snprintf(r->label, sizeof r->label, "%s", lbl);
}

/* Belongs to the libraries' band: a library, a [vdso]-like mapping, or
 * anonymous memory nobody has touched (a library's bss, the loader's). */
static bool library_band(const struct model *m, const struct proc *p, int i)
{
	const struct vma *v = &p->vmas[i];
	if (v->flags & (VMA_STACK | VMA_HEAP) || is_exe(p, v))
		return false;
	if (v->flags & VMA_SPECIAL || v->file >= 0)
		return true;
	return m->vma_res[i] == 0 && m->vma_swap[i] == 0 && !(v->flags & VMA_SHARED);
}

/* Should VMA i be merged into the row above it (VMA i+1)? */
static bool mergeable(const struct model *m, const struct proc *p, int i, int level)
{
	const struct vma *v = &p->vmas[i], *w = &p->vmas[i + 1];
	if (level >= 4 && v->end == w->start && library_band(m, p, i) && library_band(m, p, i + 1) &&
	    (v->file >= 0 || w->file >= 0 || (v->flags & VMA_SPECIAL) || (w->flags & VMA_SPECIAL)))
		return true;
	if (level >= 2) {
		if ((v->flags & VMA_SPECIAL) && (w->flags & VMA_SPECIAL))
			return true;
		if (v->file >= 0 && v->file == w->file && !is_exe(p, v))
			return true;
	}
	if (level >= 3 && is_exe(p, v) && is_exe(p, w) &&
	    !(v->prot & (PROT_W | PROT_X)) && !(w->prot & (PROT_W | PROT_X)))
		return true;
	return false;
}

/* The name of a merged row of the libraries' band: the library's, with
 * what else it holds. */
static void label_library_band(const struct ui *u, const struct proc *p, struct vrow *r)
{
	const struct vma *lib = NULL;
	bool special = false, anon = false;
	if (is_exe(p, &p->vmas[r->hi]))
		return;
	for (int k = r->lo; k <= r->hi; k++) {
		const struct vma *v = &p->vmas[k];
		if (v->flags & VMA_SPECIAL)
			special = true;
		else if (v->file >= 0)
			lib = lib ? lib : v;
		else
			anon = true;
	}
	if (!lib)
		return;
	r->role = R_V_LIB;
	const char *name = base_name(lib->name[0] ? lib->name : "file");
	if (special && strncmp(name, "ld-", 3) == 0)
		snprintf(r->label, sizeof r->label, "%s", "ld-linux+vdso+vvar");
	else if (special || anon)
		snprintf(r->label, sizeof r->label, "%s %s", name, tr(u, "+anon", "+匿名"));
	else
		snprintf(r->label, sizeof r->label, "%s", name);
}

/* Rows for one compaction level; returns how many. */
static size_t build(struct ui *u, int level)
{
	const struct model *m = &u->m;
	const struct proc *p = m->proc;
	const struct vm *vm = m->vm;
	size_t n = 0;
	struct vrow *r = new_row(&n);
	if (!r)
		return 0;
	r->type = VR_KERNEL;
	r->role = R_V_KERNEL;
	r->start = vm->arch.kernel_base;
	r->end = vm->arch.va_limit ? vm->arch.va_limit : 0;
	snprintf(r->label, sizeof r->label, "%s", tr(u, "kernel space", "内核空间"));
	int touched = m->chg.touched && m->chg.touch_pid == p->pid
			      ? model_vma_at(p, m->chg.touch_va) : -1;
	vaddr_t above = vm->arch.user_top;
	bool brk_done = false;
	for (int i = (int)p->nvmas - 1; i >= 0; i--) {
		const struct vma *v = &p->vmas[i];
		if (v->start >= vm->arch.user_top && level >= 1) {
			/* [vsyscall] lives in the kernel half: fold it in. */
			snprintf(rows[0].label, sizeof rows[0].label, "%s + %s",
				 tr(u, "kernel space", "内核空间"), v->name);
			continue;
		}
		if (v->start >= vm->arch.user_top)
			above = v->start;   /* no "unmapped" row up there */
		if (level == 0 && above > v->end && above - v->end >= (1ull << 30) &&
		    v->start < vm->arch.user_top) {
			if (!(r = new_row(&n)))
				return n - 1;
			r->type = VR_GAP;
			r->role = R_V_GAP;
			r->start = v->end;
			r->end = above;
		}
		if (!brk_done && level >= 5 && (v->flags & VMA_HEAP))
			brk_done = true; /* the heap row ends at the break */
		if (!brk_done && p->brk && ((v->flags & VMA_HEAP) || v->end <= p->brk)) {
			/* The program break: the top of the heap, or where the
			 * heap will start before the first malloc. */
			brk_done = true;
			if (!(r = new_row(&n)))
				return n - 1;
			r->type = VR_BRK;
			r->role = R_BRK;
			r->start = p->brk;
		}
		if (!(r = new_row(&n)))
			return n - 1;
		r->type = VR_VMA;
		classify(u, p, i, r);
		r->hi = r->lo = i;
		r->start = v->start;
		r->end = v->end;
		r->res = m->vma_res[i];
		r->swp = m->vma_swap[i];
		r->prot = v->prot;
		r->mixed = false;
		r->bytes = v->end - v->start;
		r->touched = i == touched;
		while (r->lo > 0 && mergeable(m, p, r->lo - 1, level)) {
			const struct vma *w = &p->vmas[--r->lo];
			r->start = w->start;
			r->res += m->vma_res[r->lo];
			r->swp += m->vma_swap[r->lo];
			r->mixed |= w->prot != r->prot;
			r->bytes += w->end - w->start;
			r->touched |= r->lo == touched;
			if ((w->flags & VMA_SPECIAL) && r->role != R_V_LIB)
				snprintf(r->label, sizeof r->label, "[vdso] [vvar]");
		}
		if (level >= 4 && r->lo < r->hi)
			label_library_band(u, p, r);
		i = r->lo;
		above = r->start < vm->arch.user_top ? r->start : vm->arch.user_top;
	}
	return n;
}

static void perms(unsigned prot, char out[4])
{
	out[0] = prot & PROT_R ? 'r' : '-';
	out[1] = prot & PROT_W ? 'w' : '-';
	out[2] = prot & PROT_X ? 'x' : '-';
	out[3] = 0;
}

/* A bar of resident pages: "████░░░░". */
static void res_bar(int y, int x, int w, uint64_t res, uint64_t pages, bool ascii)
{
	int full = pages ? (int)((res * (uint64_t)w + pages - 1) / pages) : 0;
	if (full > w)
		full = w;
	attrset(theme_attr(R_V_HEAP));
	move(y, x);
	for (int i = 0; i < full; i++)
		addstr(ascii ? "#" : "█");
	attrset(theme_attr(R_V_GAP));
	for (int i = full; i < w; i++)
		addstr(ascii ? "." : "░");
}

/* Columns, laid out from the right edge so every row lines up whatever
 * the address width: [addr label ...... perm  size   rss [bar] [swap]]. */
struct cols {
	int addr_x, perm_x, size_x, rss_x, bar_x, swp_x, end;
};

static void columns(const struct rect *b, struct cols *c)
{
	int x = c->end = b->x + b->w;
	c->swp_x = c->bar_x = 0;
	if (b->w >= 70) {
		x -= 8;
		c->swp_x = x + 1;
	}
	if (b->w >= 58) {
		x -= 10;
		c->bar_x = x + 2;
	}
	c->rss_x = x - 6;
	c->size_x = x - 12;
	c->perm_x = x - 16;
	c->addr_x = b->x + 1;
}

static void draw_row(struct ui *u, const struct vrow *r, int y, const struct rect *b,
		     const struct cols *c)
{
	const struct glyphs *g = theme_glyphs();
	const struct vm *vm = u->m.vm;
	int x = b->x, w = b->w;
	bool x86 = vm->arch.kind == ARCH_X86;
	char sz[16], rs[16];
	bool picked = u->sel.panel == PANEL_VMAS && u->sel.vma_start == r->start && r->type != VR_GAP;
	attr_t a = theme_attr(r->touched ? R_TOUCHED : r->role) | (picked ? A_REVERSE : 0);
	if (r->touched || picked)
		draw_fill(y, x, w, a);
	switch (r->type) {
	case VR_KERNEL:
		draw_textf(y, c->addr_x, w - 1, a, "%0*llx %s", x86 ? 8 : 16,
			   (unsigned long long)r->start, r->label);
		return;
	case VR_GAP:
		fmt_bytes(r->end - r->start, sz, sizeof sz);
		draw_textf(y, c->addr_x, w - 1, a, "%12s %s %s", g->vdots, sz,
			   tr(u, "unmapped", "未映射"));
		return;
	case VR_BRK: {
		attr_t ba = theme_attr(u->m.chg.brk ? R_CHANGED : R_BRK);
		char buf[64];
		snprintf(buf, sizeof buf, "%s brk %0*llx %s", g->h, x86 ? 8 : 12,
			 (unsigned long long)r->start, u->m.chg.brk ? g->up : "");
		int n = draw_text(y, c->addr_x, w - 1, ba, buf);
		attrset(theme_attr(R_BRK));
		for (int i = c->addr_x + n; i < x + w; i++)
			mvaddstr(y, i, g->h);
		return;
	}
	default:
		break;
	}
	uint64_t pages = r->bytes >> vm->arch.page_shift;
	char pm[4];
	perms(r->prot, pm);
	fmt_bytes(r->bytes, sz, sizeof sz);
	fmt_bytes(r->res << vm->arch.page_shift, rs, sizeof rs);
	if (r->touched)
		draw_text(y, x, 1, a, g->hand);
	/* 32-bit addresses have 8 digits; the column keeps its 12. */
	int lx = c->addr_x + draw_textf(y, c->addr_x, c->perm_x - c->addr_x, a, "%0*llx%*s",
					 x86 ? 8 : 12, (unsigned long long)r->start, x86 ? 4 : 0, "") + 1;
	draw_clip(y, lx, c->perm_x - 1 - lx, a | (r->touched ? A_BOLD : 0), r->label);
	attr_t dim = r->touched ? a : theme_attr(R_DIM);
	/* A union of merged permissions would read "rwx" for libc, which no
	 * mapping of it is: say the rows differ instead. */
	draw_text(y, c->perm_x, r->mixed ? c->size_x - c->perm_x : 3, dim, r->mixed ? tr(u, "mix", "多种") : pm);
	draw_textf(y, c->size_x, 5, a, "%5s", sz);
	draw_textf(y, c->rss_x, 5, r->res ? a : dim, "%5s", r->res ? rs : "0");
	if (c->bar_x)
		res_bar(y, c->bar_x, 8, r->res, pages, theme_ascii());
	if (c->swp_x && r->swp) {
		fmt_bytes(r->swp << vm->arch.page_shift, rs, sizeof rs);
		draw_textf(y, c->swp_x, c->end - c->swp_x, theme_attr(R_EV_SWAP), "sw %s", rs);
	}
}

void panel_vmas_draw(struct ui *u, const struct rect *b)
{
	struct panel_state *ps = &u->ps[PANEL_VMAS];
	const struct proc *p = u->m.proc;
	drawn.n = 0;
	if (!p) {
		draw_text(b->y, b->x + 1, b->w - 1, theme_attr(R_DIM),
			  tr(u, "no process (spawn NAME)", "没有进程 (spawn NAME)"));
		return;
	}
	bool header = b->h >= 12;
	int avail = b->h - header;
	size_t n = 0;
	/* Levels 4 and 5 hide detail a student at the prompt can scroll to;
	 * an audience cannot scroll, so only playback goes that far. */
	int max_level = u->play ? 5 : 3;
	for (int level = 0; level <= max_level; level++) {
		n = build(u, level);
		if ((int)n <= avail)
			break;
	}
	struct cols c;
	columns(b, &c);
	if (header) {
		attr_t h = theme_attr(R_HEADER);
		draw_text(b->y, c.addr_x, 12, h, tr(u, "start", "起始地址"));
		draw_text(b->y, c.addr_x + 13, c.perm_x - c.addr_x - 14, h, tr(u, "region", "区域"));
		draw_text(b->y, c.perm_x, 4, h, tr(u, "perm", "权限"));
		/* Right-aligned by columns: "大小" is 4 wide in 6 bytes. */
		const char *size = tr(u, "size", "大小");
		draw_text(b->y, c.size_x + 5 - text_width(size), 5, h, size);
		draw_textf(b->y, c.rss_x, 5, h, "%5s", "rss");
		if (c.bar_x)
			draw_text(b->y, c.bar_x, 8, h, tr(u, "resident", "驻留"));
		if (c.swp_x)
			draw_text(b->y, c.swp_x, c.end - c.swp_x, h, "swap");
	}
	/* Follow: keep the touched row (or the brk line) in view. */
	if (ps->follow) {
		for (size_t i = 0; i < n; i++)
			if (rows[i].touched || (rows[i].type == VR_BRK && u->m.chg.brk)) {
				if ((int)i < ps->scroll)
					ps->scroll = (int)i;
				else if ((int)i >= ps->scroll + avail)
					ps->scroll = (int)i - avail + 1;
				break;
			}
	}
	int top = panel_clamp(ps, (int)n, avail);
	for (int i = 0; i < avail && top + i < (int)n; i++)
		draw_row(u, &rows[top + i], b->y + header + i, b, &c);
	drawn.y0 = b->y + header;
	drawn.x = b->x;
	drawn.w = b->w;
	drawn.top = top;
	drawn.shown = avail;
	drawn.n = n;
	if (top > 0)
		draw_text(b->y + header, b->x + b->w - 1, 1, theme_attr(R_DIM), theme_glyphs()->up);
	if (top + avail < (int)n)
		draw_text(b->y + b->h - 1, b->x + b->w - 1, 1, theme_attr(R_DIM), theme_glyphs()->down);
}

bool panel_vmas_hit(struct ui *u, int y, int x, struct selection *sel, char *detail, size_t size)
{
	const struct vm *vm = u->m.vm;
	int i = drawn.top + (y - drawn.y0);
	if (!u->m.proc || y < drawn.y0 || y >= drawn.y0 + drawn.shown || x < drawn.x ||
	    x >= drawn.x + drawn.w || i < 0 || (size_t)i >= drawn.n)
		return false;
	const struct vrow *r = &rows[i];
	char sz[16], rs[16], sw[16], pm[4];
	sel->vma_start = r->start;
	switch (r->type) {
	case VR_KERNEL:
		snprintf(detail, size, "%s 0x%llx: %s", tr(u, "kernel space from", "内核空间，起始于"),
			 (unsigned long long)r->start, tr(u, "user mode may not touch it", "用户态不能访问"));
		return true;
	case VR_BRK:
		snprintf(detail, size, "brk 0x%llx: %s", (unsigned long long)r->start,
			 tr(u, "the program break, the end of the heap (malloc moves it with brk)",
			    "程序断点，堆的末尾（malloc 用 brk 移动它）"));
		return true;
	case VR_GAP:
		fmt_bytes(r->end - r->start, sz, sizeof sz);
		snprintf(detail, size, "0x%llx-0x%llx %s %s", (unsigned long long)r->start,
			 (unsigned long long)r->end, sz, tr(u, "unmapped: any access is SIGSEGV",
							     "未映射：访问即段错误"));
		return true;
	default:
		break;
	}
	perms(r->prot, pm);
	fmt_bytes(r->bytes, sz, sizeof sz);
	fmt_bytes(r->res << vm->arch.page_shift, rs, sizeof rs);
	fmt_bytes(r->swp << vm->arch.page_shift, sw, sizeof sw);
	/* As /proc/PID/maps writes a range (no 0x), then the sizes. */
	size_t n = (size_t)snprintf(detail, size, "VMA %llx-%llx %s %s: %s, %s %s",
				    (unsigned long long)r->start, (unsigned long long)r->end,
				    r->mixed ? tr(u, "mix", "多种") : pm, r->label, sz, rs, tr(u, "resident", "驻留"));
	if (r->swp && n < size)
		n += (size_t)snprintf(detail + n, size - n, ", %s %s", sw, tr(u, "in swap", "在 swap"));
	if (r->hi > r->lo && n < size)
		snprintf(detail + n, size - n, "%s", tr(u, " (several VMAs)", "（多个 VMA）"));
	return true;
}
