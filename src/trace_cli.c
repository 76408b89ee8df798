/* trace_cli.c - `vmviz trace`: command line, the policy x frames table, and the fault-curve plot. */
#include "trace.h"
#include "number.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef VMVIZ_VERSION
#define VMVIZ_VERSION "0.1"
#endif

#define DEFAULT_FRAMES 32u        /* the engine's default too */
#define DEFAULT_PAGE_SIZE 4096u
#define MAX_FRAME_COUNTS 1024u    /* rows per policy; each is a full replay */
#define MAX_PAGE_SIZE (1ull << 30)
#define BAD_LINE_MESSAGES 10u     /* then only the count at the end */
#define PLOT_WIDTH 60
#define PLOT_HEIGHT 15
#define PLOT_LOG_RANGE 100u      /* max/min faults beyond which y is logarithmic */

static const char usage_text[] =
	"usage: vmviz trace FILE [--frames N] [--policy fifo|lru|clock|opt|all]\n"
	"                        [--page-size N] [--bad-lines skip|refuse] [--plot]\n"
	"Replays a memory-access trace with demand paging and counts the page faults.\n"
	"FILE ('-' = stdin; gzip and xz files are read too) holds, one per line:\n"
	"  decimal page numbers            1234\n"
	"  hex addresses                   0x7ffd1234\n"
	"  valgrind lackey output          ' L 04222cec,8' (valgrind --tool=lackey --trace-mem=yes)\n"
	"options:\n"
	"  --frames LIST      frame counts: N, A,B,C or A..B (default 32)\n"
	"  --policy LIST      fifo, lru, clock, opt or all, comma-separated (default all)\n"
	"  --page-size N      bytes per page for addresses, a power of two (default 4096)\n"
	"  --bad-lines MODE   skip: report and skip bad lines (default); refuse: stop at the first\n"
	"  --plot             also draw faults against frames\n"
	"  --help             show this help\n";

struct trace_opts {
	const char *path;
	uint32_t *frames;                      /* ascending, no repeats */
	size_t nframes;
	bool policy[TRACE_POLICY_COUNT];
	uint64_t page_size;
	enum trace_bad_lines bad;
	bool plot;
};

/* ---- command line ---- */

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return (x > y) - (x < y);
}

/* "N", "A,B,C", "A..B" or a mix ("1..4,8"); sorted, repeats dropped. */
static bool parse_frames(const char *text, struct trace_opts *o, const char **why)
{
	char *copy = strdup(text);
	uint32_t *list = malloc(MAX_FRAME_COUNTS * sizeof *list);
	size_t n = 0;
	*why = "expected N, A,B,C or A..B with decimal frame counts from 1";
	bool ok = copy && list && *text;
	char *save = NULL;
	for (char *item = ok ? strtok_r(copy, ",", &save) : NULL; ok && item;
	     item = strtok_r(NULL, ",", &save)) {
		char *dots = strstr(item, "..");
		uint64_t lo, hi;
		if (dots) {
			*dots = '\0';
			ok = number_parse(item, TRACE_MAX_ACCESSES, &lo) &&
			     number_parse(dots + 2, TRACE_MAX_ACCESSES, &hi) && lo <= hi;
		} else {
			ok = number_parse(item, TRACE_MAX_ACCESSES, &lo);
			hi = lo;
		}
		ok = ok && lo >= 1;
		if (ok && hi - lo >= MAX_FRAME_COUNTS - n) {
			*why = "too many frame counts (at most 1024)";
			ok = false;
		}
		for (uint64_t f = lo; ok && f <= hi; f++)
			list[n++] = (uint32_t)f;
	}
	ok = ok && n > 0;
	if (ok) {
		qsort(list, n, sizeof *list, cmp_u32);
		size_t kept = 0;
		for (size_t i = 0; i < n; i++)
			if (kept == 0 || list[kept - 1] != list[i])
				list[kept++] = list[i];
		free(o->frames);
		o->frames = list;
		o->nframes = kept;
	} else {
		free(list);
	}
	free(copy);
	return ok;
}

/* "all" or a comma-separated list of policy names. */
static bool parse_policies(const char *text, struct trace_opts *o)
{
	bool chosen[TRACE_POLICY_COUNT] = {false};
	char *copy = strdup(text);
	/* No empty names: ",", "lru," and "lru,,fifo" are mistakes. */
	bool ok = copy && *text && text[0] != ',' && text[strlen(text) - 1] != ',' && !strstr(text, ",,");
	char *save = NULL;
	for (char *item = ok ? strtok_r(copy, ",", &save) : NULL; ok && item;
	     item = strtok_r(NULL, ",", &save)) {
		enum trace_policy p;
		if (strcmp(item, "all") == 0)
			for (int k = 0; k < TRACE_POLICY_COUNT; k++)
				chosen[k] = true;
		else if (trace_policy_parse(item, &p))
			chosen[p] = true;
		else
			ok = false;
	}
	free(copy);
	if (ok)
		memcpy(o->policy, chosen, sizeof chosen);
	return ok;
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmviz trace: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	return 2;
}

static int bad_value(const char *name, const char *value, const char *why)
{
	fprintf(stderr, "vmviz trace: bad %s '%s': %s\n", name, value, why);
	return 2;
}

/* Options of the other modes: a trace replay has no use for them, and
 * taking them silently would let a typo or a wrong belief pass. */
static bool is_other_mode_option(const char *name)
{
	static const char *const names[] = {"--swap", "--arch", "--tlb", "--theme", "--lang", "--ascii",
					    "--record", "--trace", "--check"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

static bool takes_value(const char *name)
{
	static const char *const names[] = {"--frames", "--policy", "--page-size", "--bad-lines"};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* Applies one option that takes a value. Returns 0, or 2 after saying why. */
static int apply_option(struct trace_opts *o, const char *name, const char *value)
{
	const char *why;
	if (strcmp(name, "--frames") == 0) {
		if (!parse_frames(value, o, &why))
			return bad_value(name, value, why);
	} else if (strcmp(name, "--policy") == 0) {
		if (!parse_policies(value, o))
			return bad_value(name, value, "expected fifo, lru, clock, opt or all, comma-separated");
	} else if (strcmp(name, "--page-size") == 0) {
		if (!number_parse(value, MAX_PAGE_SIZE, &o->page_size) || o->page_size == 0 ||
		    (o->page_size & (o->page_size - 1)) != 0)
			return bad_value(name, value, NUMBER_EXPECTED ", a power of two up to 1G");
	} else if (strcmp(name, "--bad-lines") == 0) {
		if (strcmp(value, "skip") == 0)
			o->bad = TRACE_BAD_SKIP;
		else if (strcmp(value, "refuse") == 0)
			o->bad = TRACE_BAD_REFUSE;
		else
			return bad_value(name, value, "expected skip or refuse");
	}
	return 0;
}

/* Fills o from argv. Returns -1 to go on, or the exit status to stop with. */
static int parse_args(int argc, char **argv, struct trace_opts *o)
{
	bool options_done = false;
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
			if (o->path)
				return usage_error("more than one FILE ('%s')", arg);
			o->path = arg;
			continue;
		}
		if (strcmp(arg, "--") == 0) {
			options_done = true;
		} else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else if (strcmp(arg, "--version") == 0) {
			printf("vmviz %s\n", VMVIZ_VERSION);
			return 0;
		} else if (strcmp(arg, "--plot") == 0) {
			o->plot = true;
		} else {
			/* --name VALUE or --name=VALUE */
			char name[32];
			const char *eq = strchr(arg, '=');
			size_t len = eq ? (size_t)(eq - arg) : strlen(arg);
			const char *value = eq ? eq + 1 : (i + 1 < argc ? argv[i + 1] : NULL);
			if (len >= sizeof name || strncmp(arg, "--", 2) != 0)
				return usage_error("unknown option '%s'", arg);
			memcpy(name, arg, len);
			name[len] = '\0';
			if (is_other_mode_option(name))
				return usage_error("%s does nothing in trace (it sets the screen, play or run)", name);
			if (!takes_value(name))
				return usage_error("unknown option '%s'", arg);
			if (!value)
				return usage_error("%s needs a value", name);
			int status = apply_option(o, name, value);
			if (status)
				return status;
			if (!eq)
				i++;
		}
	}
	if (!o->path)
		return usage_error("%s", "missing trace FILE");
	return -1;
}

/* ---- the table ---- */

struct row {
	enum trace_policy policy;
	uint32_t frames;
	uint64_t faults;
};

static int digits(uint64_t v)
{
	int n = 1;
	while (v >= 10) {
		v /= 10;
		n++;
	}
	return n;
}

static void print_table(const struct row *rows, size_t nrows, uint64_t accesses)
{
	int wf = (int)strlen("frames"), wa = (int)strlen("accesses"), wx = (int)strlen("faults");
	for (size_t i = 0; i < nrows; i++) {
		if (digits(rows[i].frames) > wf)
			wf = digits(rows[i].frames);
		if (digits(rows[i].faults) > wx)
			wx = digits(rows[i].faults);
	}
	if (digits(accesses) > wa)
		wa = digits(accesses);
	printf("%-6s  %*s  %*s  %*s  %6s\n", "policy", wf, "frames", wa, "accesses", wx, "faults",
	       "hit%");
	for (size_t i = 0; i < nrows; i++) {
		printf("%-6s  %*lu  %*llu  %*llu  ", trace_policy_name(rows[i].policy), wf,
		       (unsigned long)rows[i].frames, wa, (unsigned long long)accesses, wx,
		       (unsigned long long)rows[i].faults);
		if (accesses)
			printf("%6.2f\n", 100.0 * (double)(accesses - rows[i].faults) / (double)accesses);
		else
			printf("%6s\n", "-");
	}
}

/* ---- the plot ---- */

static const char plot_marker[TRACE_POLICY_COUNT] = {
	[TRACE_FIFO] = 'F', [TRACE_LRU] = 'L', [TRACE_CLOCK] = 'C', [TRACE_OPT] = 'O',
};

/* Column of the k-th of n frame counts: evenly spread, as the list may be
 * powers of two as well as a range. */
static int plot_column(size_t k, size_t n)
{
	return n < 2 ? 0 : (int)((k * (PLOT_WIDTH - 1) + (n - 1) / 2) / (n - 1));
}

/* Writes label into line at col if that leaves a space to its neighbours. */
static void place_label(char *line, int width, int col, const char *label)
{
	int len = (int)strlen(label);
	if (col + len > width)
		col = width - len;
	if (col < 0)
		return;
	for (int c = col - 1; c <= col + len; c++)
		if (c >= 0 && c < width && line[c] != ' ')
			return;
	memcpy(line + col, label, (size_t)len);
}

/* The y axis: linear, or logarithmic when the faults span more than
 * PLOT_LOG_RANGE times (a real program's curve drops by orders of
 * magnitude, and a linear axis flattens everything after the knee). */
struct y_axis {
	bool log;
	uint64_t lo, hi;  /* smallest non-zero and largest fault count */
};

static int y_level(const struct y_axis *y, uint64_t faults)
{
	if (y->hi == 0 || faults == 0)
		return 0;
	if (!y->log)
		return (int)((faults * (PLOT_HEIGHT - 1) + y->hi / 2) / y->hi);
	double span = log((double)y->hi) - log((double)y->lo);
	return (int)lround((log((double)faults) - log((double)y->lo)) / span * (PLOT_HEIGHT - 1));
}

/* The fault count a row of the plot stands for, for its label. */
static uint64_t y_value(const struct y_axis *y, int level)
{
	if (!y->log)
		return y->hi * (uint64_t)level / (PLOT_HEIGHT - 1);
	double span = log((double)y->hi) - log((double)y->lo);
	return (uint64_t)llround(exp(log((double)y->lo) + span * level / (PLOT_HEIGHT - 1)));
}

/* Faults (y) against frames (x), one marker per policy, '*' where they meet. */
static void print_plot(const struct trace_opts *o, const struct row *rows, size_t nrows)
{
	char grid[PLOT_HEIGHT][PLOT_WIDTH];
	memset(grid, ' ', sizeof grid);
	struct y_axis y = {.lo = UINT64_MAX};
	for (size_t i = 0; i < nrows; i++) {
		if (rows[i].faults > y.hi)
			y.hi = rows[i].faults;
		if (rows[i].faults && rows[i].faults < y.lo)
			y.lo = rows[i].faults;
	}
	y.log = y.hi > 0 && y.hi / PLOT_LOG_RANGE > y.lo;
	for (size_t i = 0; i < nrows; i++) {
		size_t k = 0;
		while (o->frames[k] != rows[i].frames)
			k++;
		char *cell = &grid[PLOT_HEIGHT - 1 - y_level(&y, rows[i].faults)][plot_column(k, o->nframes)];
		char mark = plot_marker[rows[i].policy];
		*cell = *cell == ' ' || *cell == mark ? mark : '*';
	}
	int wy = digits(y.hi);
	printf("\nfaults%s\n", y.log ? " (log scale)" : "");
	for (int r = 0; r < PLOT_HEIGHT; r++) {
		int level = PLOT_HEIGHT - 1 - r;
		if (level == PLOT_HEIGHT - 1 || level == 0 || level == (PLOT_HEIGHT - 1) / 2)
			printf("%*llu |", wy, (unsigned long long)y_value(&y, level));
		else
			printf("%*s |", wy, "");
		int last = PLOT_WIDTH - 1;
		while (last >= 0 && grid[r][last] == ' ')
			last--;
		printf("%.*s\n", last + 1, grid[r]);
	}
	printf("%*s +", wy, "");
	for (int c = 0; c < PLOT_WIDTH; c++)
		putchar('-');
	printf(" frames\n");

	char labels[PLOT_WIDTH + 1];
	memset(labels, ' ', PLOT_WIDTH);
	labels[PLOT_WIDTH] = '\0';
	char text[16];
	/* First and last first, so the ends are always labelled. */
	snprintf(text, sizeof text, "%lu", (unsigned long)o->frames[0]);
	place_label(labels, PLOT_WIDTH, 0, text);
	snprintf(text, sizeof text, "%lu", (unsigned long)o->frames[o->nframes - 1]);
	place_label(labels, PLOT_WIDTH, plot_column(o->nframes - 1, o->nframes), text);
	for (size_t k = 1; k + 1 < o->nframes; k++) {
		snprintf(text, sizeof text, "%lu", (unsigned long)o->frames[k]);
		place_label(labels, PLOT_WIDTH, plot_column(k, o->nframes), text);
	}
	int end = PLOT_WIDTH;
	while (end > 0 && labels[end - 1] == ' ')
		end--;
	printf("%*s  %.*s\n", wy, "", end, labels);
	printf("%*s  ", wy, "");
	for (int p = 0; p < TRACE_POLICY_COUNT; p++)
		if (o->policy[p])
			printf("%c %s  ", plot_marker[p], trace_policy_name((enum trace_policy)p));
	printf("* several\n");
}

/* ---- running it ---- */

static int replay_and_report(const struct trace_opts *o)
{
	struct trace t = {0};
	struct trace_read_opts ro = {
		.page_size = o->page_size, .bad = o->bad, .err = stderr,
		.max_messages = BAD_LINE_MESSAGES,
	};
	const char *name = strcmp(o->path, "-") == 0 ? "<stdin>" : o->path;
	if (trace_read(o->path, &ro, &t) != 0) {
		trace_free(&t);
		return 1;
	}
	size_t npolicies = 0;
	for (int p = 0; p < TRACE_POLICY_COUNT; p++)
		npolicies += o->policy[p];
	struct row *rows = malloc(npolicies * o->nframes * sizeof *rows);
	bool ok = rows && trace_prepare(&t);
	size_t nrows = 0;
	for (int p = 0; ok && p < TRACE_POLICY_COUNT; p++) {
		for (size_t k = 0; ok && o->policy[p] && k < o->nframes; k++) {
			struct trace_run run;
			ok = trace_replay(&t, (enum trace_policy)p, o->frames[k], &run);
			if (ok)
				rows[nrows++] = (struct row){(enum trace_policy)p, o->frames[k], run.faults};
		}
	}
	if (!ok) {
		fprintf(stderr, "%s: out of memory\n", name);
	} else {
		printf("%s: %lu accesses, %lu distinct pages (%s", name, (unsigned long)t.count,
		       (unsigned long)t.distinct, trace_format_name(t.format));
		if (t.format == TRACE_FORMAT_HEX || t.format == TRACE_FORMAT_LACKEY)
			printf(", %llu-byte pages", (unsigned long long)o->page_size);
		printf(")\n");
		print_table(rows, nrows, t.count);
		if (o->plot)
			print_plot(o, rows, nrows);
		fflush(stdout);
		if (t.bad_lines)
			fprintf(stderr, "%s: skipped %llu bad line%s\n", name,
				(unsigned long long)t.bad_lines, t.bad_lines == 1 ? "" : "s");
	}
	free(rows);
	trace_free(&t);
	return ok ? 0 : 1;
}

int trace_main(int argc, char **argv)
{
	struct trace_opts o = {.page_size = DEFAULT_PAGE_SIZE, .bad = TRACE_BAD_SKIP};
	for (int p = 0; p < TRACE_POLICY_COUNT; p++)
		o.policy[p] = true;
	o.frames = malloc(sizeof *o.frames);
	if (!o.frames) {
		fprintf(stderr, "vmviz trace: out of memory\n");
		return 1;
	}
	o.frames[0] = DEFAULT_FRAMES;
	o.nframes = 1;
	int status = parse_args(argc, argv, &o);
	if (status < 0)
		status = replay_and_report(&o);
	free(o.frames);
	return status;
}
