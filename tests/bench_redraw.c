/* bench_redraw.c - CPU time of a full redraw of the screen at 200x60 with
 * 1024 frames (target: under 2 ms), headless: curses writes to /dev/null
 * with TERM=xterm-256color.
 *
 * Three numbers, each the median of many runs:
 *   draw      every panel drawn again, curses sends only what changed;
 *   repaint   the same, and the whole terminal rewritten (clearok), as
 *             after a resize or Ctrl-L: the worst case;
 *   +read     repaint plus re-reading the engine (after a command).
 * And the cost of one keystroke at the prompt (only the input line), and
 * the three again with the compare view on (both processes' page tables
 * merged row by row, and two walks). Then the same for the prompt's
 * 2048-frame machine at 80x24 and 120x40, where the frames grid
 * summarises runs of frames (no target: a sample). */
#include <locale.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "prompt.h"

#define RUNS 300
#define TARGET_MS 2.0

static double cpu_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_d);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

enum kind { DRAW, REPAINT, READ, KEY };

static double measure(struct ui *u, enum kind k)
{
	static double t[RUNS];
	for (int i = 0; i < RUNS; i++) {
		double t0 = cpu_ms();
		switch (k) {
		case READ:
			ui_engine_changed(u);
			/* fall through */
		case REPAINT:
			clearok(curscr, TRUE);
			/* fall through */
		case DRAW:
			u->dirty |= D_ALL | D_CLEAR;
			break;
		case KEY: {
			const unsigned char c = (unsigned char)('a' + i % 26);
			prompt_feed(&c, 1);
			break;
		}
		}
		ui_render(u);
		t[i] = cpu_ms() - t0;
	}
	return median(t, RUNS);
}

/* One screen size and machine: the setup commands, then the medians. */
static int bench(const char *cols, const char *rows_s, uint32_t frames, uint32_t swap, const char *const *setup,
		 size_t nsetup, bool target)
{
	setenv("LINES", rows_s, 1);
	setenv("COLUMNS", cols, 1);
	/* One stream serves as both the terminal's output and its input. */
	FILE *dev = fopen("/dev/null", "r+");
	FILE *out = dev, *in = dev;
	if (!dev) {
		perror("/dev/null");
		return 1;
	}
	struct ui_options o;
	memset(&o, 0, sizeof o);
	vm_config_default(&o.cfg);
	o.cfg.frames = frames;
	o.cfg.swap_slots = swap;
	o.lang = LANG_EN;
	o.theme = THEME_DEFAULT;
	char err[200];
	struct ui *u = ui_create(&o, out, in, err, sizeof err);
	if (!u) {
		fprintf(stderr, "bench_redraw: %s\n", err);
		fclose(dev);
		return 1;
	}
	for (size_t i = 0; i < nsetup; i++)
		ui_exec(u, setup[i]);
	ui_render(u);
	int rows = u->lay.rows, ncols = u->lay.cols;
	uint32_t used = u->s->vm->nframes - u->s->vm->free_frames;
	double draw = measure(u, DRAW);
	double repaint = measure(u, REPAINT);
	double read = measure(u, READ);
	double key = measure(u, KEY);
	ui_exec(u, "compare 100 101");
	ui_exec(u, "p[0] = 2");
	bool cmp_on = u->cmp.on;
	size_t cmp_rows = u->cmp.nrows;
	double cdraw = measure(u, DRAW);
	double crepaint = measure(u, REPAINT);
	double cread = measure(u, READ);
	ui_destroy(u);
	fclose(dev);
	printf("bench_redraw: %dx%d, %u frames (%u in use), median of %d runs (CPU time)\n", ncols, rows,
	       o.cfg.frames, used, RUNS);
	printf("  full redraw (draw)              %.3f ms\n", draw);
	if (target)
		printf("  full redraw + terminal repaint  %.3f ms  (target < %.1f ms) %s\n", repaint, TARGET_MS,
		       repaint < TARGET_MS ? "ok" : "OVER TARGET");
	else
		printf("  full redraw + terminal repaint  %.3f ms\n", repaint);
	printf("  engine re-read + repaint        %.3f ms\n", read);
	printf("  one keystroke at the prompt     %.3f ms\n", key);
	if (!cmp_on) {
		fprintf(stderr, "bench_redraw: the compare view did not come on\n");
		return 1;
	}
	printf("  compare view (%zu rows side by side):\n", cmp_rows);
	printf("  full redraw (draw)              %.3f ms\n", cdraw);
	if (target)
		printf("  full redraw + terminal repaint  %.3f ms  (target < %.1f ms) %s\n", crepaint, TARGET_MS,
		       crepaint < TARGET_MS ? "ok" : "OVER TARGET");
	else
		printf("  full redraw + terminal repaint  %.3f ms\n", crepaint);
	printf("  engine re-read + repaint        %.3f ms\n", cread);
	return 0;
}

int main(void)
{
	setenv("TERM", "xterm-256color", 1);
	unsetenv("XDG_STATE_HOME");
	unsetenv("HOME");          /* no history file */
	setlocale(LC_ALL, "C.UTF-8");
	/* A busy machine: most frames in use, by two processes, some shared. */
	static const char *const busy[] = {
		"p = malloc(1M)", "touch p", "q = mmap(2M)", "touch q", "fork",
		"proc 101", "r = malloc(600K)", "touch r", "p[0] = 1", "proc 100", "translate p",
	};
	if (bench("200", "60", 1024, 256, busy, sizeof busy / sizeof busy[0], true))
		return 1;
	/* The prompt's machine (2048 frames) at 80x24 and 120x40: the frames
	 * grid summarises runs of frames, each cell looking at its frames. */
	static const char *const student[] = {"p = malloc(7M)", "touch p", "c = fork()", "spawn ls"};
	if (bench("80", "24", VM_REPL_FRAMES, VM_REPL_SWAP, student, sizeof student / sizeof student[0], false))
		return 1;
	return bench("120", "40", VM_REPL_FRAMES, VM_REPL_SWAP, student, sizeof student / sizeof student[0], false);
}
