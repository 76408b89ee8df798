/* status.c - the status bar (row 0): per process VSZ, RSS, minor and major
 * faults; free frames, swap used and the replacement policy; and a short
 * note (a screenshot was saved). Also the "window too small" screen. */
#include "app.h"
#include "draw.h"

#include <stdio.h>
#include <string.h>

static int put(int y, int x, int end, enum role r, const char *s)
{
	return x < end ? x + draw_text(y, x, end - x, theme_attr(r), s) : x;
}

static int proc_part(struct ui *u, const struct proc *p, bool cur, bool brief, int y, int x, int end)
{
	const struct vm *vm = u->m.vm;
	char buf[96], vsz[16], rss[16];
	fmt_bytes(vm_vsz(vm, p), vsz, sizeof vsz);
	fmt_bytes(vm_rss(vm, p), rss, sizeof rss);
	snprintf(buf, sizeof buf, "%s%d %s", cur ? theme_glyphs()->hand : "", p->pid, p->name);
	x = put(y, x, end, cur ? R_STATUS_HI : R_STATUS, buf);
	if (brief) {
		snprintf(buf, sizeof buf, " RSS %s flt %llu/%llu", rss, (unsigned long long)p->minflt,
			 (unsigned long long)p->majflt);
		return put(y, x, end, R_STATUS, buf);
	}
	x = put(y, x, end, R_STATUS, "  VSZ ");
	x = put(y, x, end, R_STATUS_HI, vsz);
	x = put(y, x, end, R_STATUS, "  RSS ");
	x = put(y, x, end, R_STATUS_HI, rss);
	x = put(y, x, end, R_STATUS, "  minflt ");
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)p->minflt);
	x = put(y, x, end, R_STATUS_HI, buf);
	x = put(y, x, end, R_STATUS, " majflt ");
	snprintf(buf, sizeof buf, "%llu", (unsigned long long)p->majflt);
	return put(y, x, end, R_STATUS_HI, buf);
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
	uint32_t user_frames = vm->nframes - vm->kernel_frames;
	int n = snprintf(right, sizeof right, " free %u/%u  swap %u/%u  %s ",
			 vm->free_frames, user_frames, vm->swap.used, vm->swap.nslots,
			 vm->policy ? policy_name(vm->policy->kind) : "-");
	if (u->note[0] && n > 0 && (size_t)n < sizeof right)
		snprintf(right + n, sizeof right - (size_t)n, "%s %s ", theme_glyphs()->v, u->note);
	int rw = text_width(right);
	if (rw > r->w / 2 + 10 && u->note[0]) {
		snprintf(right, sizeof right, " %s ", u->note);
		rw = text_width(right);
	}
	int lend = end - rw;
	draw_text(y, lend, rw, theme_attr(R_STATUS), right);
	int x = put(y, r->x, lend, R_STATUS_HI, " vmviz ");
	const struct proc *cur = u->m.proc;
	if (cur)
		x = proc_part(u, cur, true, false, y, x + 1, lend);
	/* The other processes, briefly, as far as they fit. */
	for (int i = 0; i < vm->nprocs; i++) {
		const struct proc *p = vm->procs[i];
		if (!p || p == cur)
			continue;
		if (x + 24 > lend) {
			put(y, x, lend, R_STATUS, "  …");
			break;
		}
		x = put(y, x, lend, R_STATUS, "  ");
		x = put(y, x, lend, R_STATUS, theme_glyphs()->v);
		x = proc_part(u, p, false, true, y, x + 1, lend);
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
