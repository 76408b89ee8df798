/* status.c - the status bar (row 0): per process VSZ, RSS, minor and major
 * faults; the simulated time, free frames, swap used and the replacement
 * policy; and a short note (a screenshot was saved). Also the "window too small" screen. */
#include "app.h"
#include "draw.h"
#include "play.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The bar is built as segments first, so it can be measured and made
 * more compact before anything is drawn. */
struct seg {
	enum role role;
	char text[64];
};

#define MAX_SEGS 64

struct bar {
	struct seg s[MAX_SEGS];
	int n;
};

static void add(struct bar *b, enum role role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void add(struct bar *b, enum role role, const char *fmt, ...)
{
	if (b->n >= MAX_SEGS)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b->s[b->n].text, sizeof b->s[b->n].text, fmt, ap);
	va_end(ap);
	b->s[b->n++].role = role;
}

static int bar_width(const struct bar *b)
{
	int w = 0;
	for (int i = 0; i < b->n; i++)
		w += text_width(b->s[i].text);
	return w;
}

/* A value the last command changed is drawn in the "changed" colour. */
static enum role hi(const struct ui *u, const struct proc *p, uint64_t before, uint64_t now)
{
	return u->after.pid == p->pid && before != now ? R_CHANGED : R_STATUS_HI;
}

/* compact 0: "VSZ 2.4M  RSS 28K  minflt 4 majflt 3"; 1: "VSZ 2.4M RSS 28K flt 4/3". */
static void proc_part(struct bar *b, const struct ui *u, const struct proc *p, bool cur, int compact)
{
	const struct vm *vm = u->m.vm;
	const struct counters *c = &u->before;
	char vsz[16], rss[16];
	uint64_t v = vm_vsz(vm, p), r = vm_rss(vm, p);
	fmt_bytes(v, vsz, sizeof vsz);
	fmt_bytes(r, rss, sizeof rss);
	add(b, cur ? R_STATUS_HI : R_STATUS, "%s%d %s", cur ? theme_glyphs()->hand : "", p->pid, p->name);
	if (!cur) {
		add(b, R_STATUS, tr(u, " RSS %s flt %llu/%llu", " RSS %s 缺页 %llu/%llu"), rss,
		    (unsigned long long)p->minflt, (unsigned long long)p->majflt);
		return;
	}
	/* The same four counters, short or long, each marked if the last
	 * command moved it. */
	static const char *const labels[2][2][4] = {
		{{"  VSZ ", "  RSS ", "  minflt ", " majflt "}, {" VSZ ", " RSS ", " flt ", "/"}},
		{{"  VSZ ", "  RSS ", "  次缺页 ", " 主缺页 "}, {" VSZ ", " RSS ", " 缺页 ", "/"}},
	};
	const char *const *l = labels[u->lang == LANG_ZH][compact ? 1 : 0];
	add(b, R_STATUS, "%s", l[0]);
	add(b, hi(u, p, c->vsz, v), "%s", vsz);
	add(b, R_STATUS, "%s", l[1]);
	add(b, hi(u, p, c->rss, r), "%s", rss);
	add(b, R_STATUS, "%s", l[2]);
	add(b, hi(u, p, c->minflt, p->minflt), "%llu", (unsigned long long)p->minflt);
	add(b, R_STATUS, "%s", l[3]);
	add(b, hi(u, p, c->majflt, p->majflt), "%llu", (unsigned long long)p->majflt);
}

/* Returns false when some processes did not fit (an ellipsis stands for
 * them). */
static bool build_left(struct bar *b, struct ui *u, int compact, bool title, int avail)
{
	const struct vm *vm = u->m.vm;
	const struct proc *cur = u->m.proc;
	b->n = 0;
	if (title)
		add(b, R_STATUS_HI, " vmviz ");
	add(b, R_STATUS, " ");
	/* In playback a process that left on this step keeps its place, marked,
	 * until the next: the audience sees who went and why. */
	if (u->play)
		for (int i = 0; i < u->play->moments.ngone; i++) {
			const struct gone *g = &u->play->moments.gone[i];
			add(b, R_ERROR, "%s%d %s %s", theme_ascii() ? "x" : "✗", g->pid, g->name,
			    moments_gone_word(g, u->lang));
			add(b, R_STATUS, "  %s ", theme_glyphs()->v);
		}
	if (cur)
		proc_part(b, u, cur, true, compact);
	/* The other processes, briefly, as far as they fit. */
	for (int i = 0; i < vm->nprocs; i++) {
		const struct proc *p = vm->procs[i];
		if (!p || p == cur)
			continue;
		struct bar more = *b;
		add(&more, R_STATUS, "  %s ", theme_glyphs()->v);
		proc_part(&more, u, p, false, 1);
		if (bar_width(&more) > avail - 3) {
			add(b, R_STATUS, "  %s", theme_glyphs()->ell);
			return false;
		}
		*b = more;
	}
	return true;
}

/* The right side: the simulated clock (src/cost.c: thrashing shows as
 * time), free frames, swap, the policy and a note. Compact: single spaces,
 * no "t=" and no policy (the frames panel's title names it). */
static int build_right(const struct ui *u, int width, bool compact, char *right, size_t size)
{
	const struct vm *vm = u->m.vm;
	char t[24];
	uint32_t user_frames = vm->nframes - vm->kernel_frames;
	clock_format(clock_total(&vm->clock), t, sizeof t);
	int n;
	if (vm->host && (compact || width < 100))
		n = snprintf(right, size, tr(u, " read-only #%llu ", " 只读 #%llu "),
			     (unsigned long long)vm->host->refreshes);
	else if (vm->host)
		/* A real process: what it is, not the mirror's spare frames or
		 * a simulated clock. */
		n = snprintf(right, size, tr(u, " read-only %s Pss %lluK Swap %lluK %s /proc read #%llu ",
					     " 只读 %s Pss %lluK Swap %lluK %s 第 %llu 次读取 "),
			     theme_glyphs()->mid, (unsigned long long)vm->host->pss_kb,
			     (unsigned long long)vm->host->swap_kb, theme_glyphs()->mid,
			     (unsigned long long)vm->host->refreshes);
	else if (compact) {
		char *sp = strchr(t, ' ');  /* "3.90µs": the unit alone says it is a time */
		if (sp)
			memmove(sp, sp + 1, strlen(sp));
		n = snprintf(right, size, tr(u, " %s free %u/%u swap %u/%u ", " %s 空闲 %u/%u swap %u/%u "), t,
			     vm->free_frames, user_frames, vm->swap.used, vm->swap.nslots);
	} else {
		n = snprintf(right, size, tr(u, " t=%s  free %u/%u  swap %u/%u  %s ", " 耗时 %s  空闲 %u/%u  swap %u/%u  %s "),
			     t, vm->free_frames, user_frames, vm->swap.used, vm->swap.nslots,
			     vm->policy ? policy_name(vm->policy->kind) : "-");
	}
	if (u->note[0] && n > 0 && (size_t)n < size)
		snprintf(right + n, size - (size_t)n, "%s %s ", theme_glyphs()->v, u->note);
	int rw = text_width(right);
	if (rw > width / 2 + 10 && u->note[0]) {
		/* The note matters more than the totals for the moment. */
		snprintf(right, size, " %s ", u->note);
		rw = text_width(right);
	}
	return rw;
}

/* The most detail that shows every process (the lecturer's fork demo needs
 * the child's RSS more than the word "vmviz"); if none does, the most
 * detail that fits. Returns true if every process is shown. */
static bool fit_left(struct bar *b, struct ui *u, int width, int avail)
{
	static const struct {
		int compact;
		bool title;
	} tries[] = {{0, true}, {0, false}, {1, false}};
	int fit = -1;
	for (int i = 0; i < 3; i++) {
		if (tries[i].title && width < 100)
			continue;
		bool all = build_left(b, u, tries[i].compact, tries[i].title, avail);
		if (bar_width(b) > avail)
			continue;
		if (all)
			return true;
		if (fit < 0)
			fit = i;
	}
	if (fit >= 0)
		build_left(b, u, tries[fit].compact, tries[fit].title, avail);
	else
		build_left(b, u, 1, false, avail);
	return false;
}

void status_draw(struct ui *u)
{
	const struct rect *r = &u->lay.status;
	const struct vm *vm = u->m.vm;
	int y = r->y, end = r->x + r->w;
	draw_fill(y, r->x, r->w, theme_attr(R_STATUS));
	if (!vm)
		return;
	char right[320];
	static struct bar b;
	int rw = build_right(u, r->w, false, right, sizeof right);
	if (!fit_left(&b, u, r->w, end - rw - r->x - 1)) {
		/* Every process shown matters more than spacing and the policy's name. */
		rw = build_right(u, r->w, true, right, sizeof right);
		fit_left(&b, u, r->w, end - rw - r->x - 1);
	}
	int lend = end - rw;
	draw_text(y, lend, rw, theme_attr(R_STATUS), right);
	int x = r->x;
	for (int i = 0; i < b.n && x < lend; i++) {
		attr_t a = theme_attr(b.s[i].role);
		/* Mono: a moved counter is bold like its neighbours; underline
		 * tells it apart. */
		if (b.s[i].role == R_CHANGED && !theme_color())
			a |= A_UNDERLINE;
		x += draw_text(y, x, lend - x, a, b.s[i].text);
	}
}

void too_small_draw(struct ui *u)
{
	erase();
	int rows = u->lay.rows, cols = u->lay.cols;
	char buf[120];
	snprintf(buf, sizeof buf, tr(u, "vmviz needs at least %dx%d", "vmviz 至少需要 %dx%d"),
		 LAYOUT_MIN_COLS, LAYOUT_MIN_ROWS);
	draw_centered(rows / 2 - 1, 0, cols, theme_attr(R_BOLD), buf);
	snprintf(buf, sizeof buf, tr(u, "this window is %dx%d: please enlarge it",
				     "当前窗口 %dx%d：请放大窗口"), cols, rows);
	draw_centered(rows / 2, 0, cols, theme_attr(R_NORMAL), buf);
	draw_centered(rows / 2 + 1, 0, cols, theme_attr(R_DIM), tr(u, "(Ctrl-D or q quits)", "(Ctrl-D 或 q 退出)"));
}
