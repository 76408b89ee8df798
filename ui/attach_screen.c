/* attach_screen.c - vmviz attach PID [--interval S]: a live, read-only
 * screen of a real process's memory. Each interval src/procview.c reads
 * /proc into a fresh snapshot; this file only draws it, marking what moved
 * since the last one. The terminal is restored on every way out
 * (ui/term.c). */
#include "procview.h"
#include "record_cli.h"
#include "term.h"
#include "theme.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct pv_mapping *find(const struct procview *pv, const struct pv_mapping *m)
{
	for (size_t i = 0; pv && i < pv->n; i++)
		if (pv->maps[i].start == m->start && pv->maps[i].end == m->end)
			return &pv->maps[i];
	return NULL;
}

static void draw(const struct procview *now, const struct procview *before, double interval, int scroll,
		 unsigned long refreshes)
{
	erase();
	int rows = LINES, cols = COLS;
	attrset(theme_attr(R_STATUS));
	mvhline(0, 0, ' ', cols);
	mvprintw(0, 1, "vmviz attach  pid %d (%s)  every %.1f s  #%lu   q quits, arrows scroll", now->pid, now->comm,
		 interval, refreshes);
	attrset(theme_attr(R_NORMAL));
	bool moved = before && before->total.rss != now->total.rss;
	mvprintw(1, 1, "Rss %" PRIu64 " kB  Pss %" PRIu64 " kB  Swap %" PRIu64 " kB  Anonymous %" PRIu64 " kB  %zu mappings  PFNs %s",
		 now->total.rss, now->total.pss, now->total.swap, now->total.anon, now->n,
		 now->pfn_visible ? "shown" : "hidden without root");
	if (moved) {
		attrset(theme_attr(R_CHANGED));
		printw("  (Rss %+" PRId64 " kB)", (int64_t)(now->total.rss - before->total.rss));
		attrset(theme_attr(R_NORMAL));
	}
	attrset(theme_attr(R_HEADER));
	mvprintw(3, 1, "%-25s %-4s %8s %8s %8s %8s %8s  %s", "range", "perm", "Rss kB", "Pss kB", "Swap kB", "Anon kB",
		 "present", "name");
	for (int y = 4, i = scroll; y < rows && i < (int)now->n; y++, i++) {
		const struct pv_mapping *m = &now->maps[i];
		const struct pv_mapping *was = find(before, m);
		bool changed = before && (!was || was->kb.rss != m->kb.rss || was->kb.swap != m->kb.swap ||
					  was->pages.present != m->pages.present);
		attrset(theme_attr(changed ? R_CHANGED : R_NORMAL));
		mvprintw(y, 0, "%c%012" PRIx64 "-%012" PRIx64 " %-4s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64
			       " %8" PRIu64 "  %.*s",
			 before && !was ? '+' : ' ', m->start, m->end, m->perms, m->kb.rss, m->kb.pss, m->kb.swap,
			 m->kb.anon, m->pages.present, cols > 100 ? cols - 100 : 0, m->name);
	}
	attrset(theme_attr(R_NORMAL));
	refresh();
}

int attach_screen(int pid, double interval, enum ui_theme theme)
{
	struct procview a, b, *now = &a, *before = NULL;
	char err[200];
	if (procview_read(pid, now, err, sizeof err) < 0) {
		fprintf(stderr, "vmviz: attach: %s\n", err);
		return 1;
	}
	if (term_start(stdout, stdin, theme, false) < 0) {
		procview_free(now);
		fprintf(stderr, "vmviz: attach: no screen on this terminal; try vmviz attach %d --once\n", pid);
		return 1;
	}
	keypad(stdscr, TRUE);
	int scroll = 0, status = 0;
	unsigned long refreshes = 1;
	struct timespec last;
	clock_gettime(CLOCK_MONOTONIC, &last);
	for (;;) {
		draw(now, before, interval, scroll, refreshes);
		/* Keys come at once; /proc is read at most once per interval. */
		struct timespec t;
		clock_gettime(CLOCK_MONOTONIC, &t);
		double waited = (double)(t.tv_sec - last.tv_sec) + (double)(t.tv_nsec - last.tv_nsec) / 1e9;
		int left_ms = (int)((interval - waited) * 1000);
		timeout(left_ms > 0 ? left_ms : 0);
		int ch = getch();
		if (ch == 'q' || ch == 'Q' || ch == 3 || ch == 27)
			break;
		if (ch == 26) {
			term_suspend();
			continue;
		}
		int max_scroll = (int)now->n > LINES - 4 ? (int)now->n - (LINES - 4) : 0;
		if (ch == KEY_DOWN || ch == 'j')
			scroll = scroll < max_scroll ? scroll + 1 : max_scroll;
		else if (ch == KEY_UP || ch == 'k')
			scroll = scroll > 0 ? scroll - 1 : 0;
		else if (ch == KEY_NPAGE)
			scroll = scroll + LINES - 5 < max_scroll ? scroll + LINES - 5 : max_scroll;
		else if (ch == KEY_PPAGE)
			scroll = scroll > LINES - 5 ? scroll - (LINES - 5) : 0;
		if (ch != ERR)
			continue;
		struct procview *next = now == &a ? &b : &a;
		if (before)
			procview_free(before);
		if (procview_read(pid, next, err, sizeof err) < 0) {
			status = 1;
			break;
		}
		before = now;
		now = next;
		refreshes++;
		clock_gettime(CLOCK_MONOTONIC, &last);
	}
	term_stop();
	if (status)
		fprintf(stderr, "vmviz: attach: %s\n", err);
	procview_free(now);
	if (before)
		procview_free(before);
	return status;
}
