/* bench_trace.c - how fast `vmviz trace` replays: accesses/s, OPT time, bytes and instructions per access.
 *
 *   bench_trace                       the whole benchmark (make bench)
 *   bench_trace --speed               only the timings and memory (no valgrind)
 *   bench_trace --once POLICY FRAMES  one replay of the synthetic trace, to
 *                                     run under callgrind (the benchmark does)
 *
 * The synthetic trace is 2,000,000 accesses from a fixed LCG: phases of
 * loops over a region, strided sweeps, and random picks from a hot set with
 * 2% far jumps, so it has locality (most regions fit in 64 frames), churn
 * (some do not) and many distinct pages.
 */
#include "trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BENCH_ACCESSES 2000000u
#define BENCH_RUNS 5
#define TARGET_ACCESSES_PER_S 20e6
#define TARGET_OPT_SECONDS 1.0

static const uint32_t bench_frames[] = {64, 4096};

static uint64_t lcg_state = 12345;

static uint32_t lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(lcg_state >> 33);
}

static void generate(struct trace *t, uint32_t n)
{
	while (t->count < n) {
		uint32_t phase_len = 1000 + lcg() % 50000;
		uint64_t base = lcg() % (1u << 20);
		uint32_t kind = lcg() % 3;
		/* Loop length or hot-set size: mostly a few dozen pages, now and
		 * then thousands (more than the small frame count holds). */
		uint32_t region = lcg() % 8 ? 8 + lcg() % 120 : 500 + lcg() % 6000;
		uint32_t stride = 1 + lcg() % 64;
		for (uint32_t j = 0; j < phase_len && t->count < n; j++) {
			uint64_t page;
			if (kind == 0)
				page = base + j % region;
			else if (kind == 1)
				page = base + (uint64_t)(j % region) * stride;
			else
				page = lcg() % 50 ? base + lcg() % region : lcg() % (1u << 20);
			if (!trace_append(t, page)) {
				fprintf(stderr, "bench_trace: out of memory\n");
				exit(1);
			}
		}
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static struct trace_run replay_or_die(const struct trace *t, enum trace_policy p, uint32_t frames)
{
	struct trace_run run;
	if (!trace_replay(t, p, frames, &run)) {
		fprintf(stderr, "bench_trace: replay failed\n");
		exit(1);
	}
	return run;
}

static void make_trace(struct trace *t)
{
	generate(t, BENCH_ACCESSES);
	if (!trace_prepare(t)) {
		fprintf(stderr, "bench_trace: out of memory\n");
		exit(1);
	}
}

/* Median speed of each policy on each frame count. */
static void bench_speed(const struct trace *t, double prepare_s)
{
	printf("%-6s %6s %10s %12s %12s  %s\n", "policy", "frames", "faults", "median s",
	       "Macc/s", "target");
	for (int p = 0; p < TRACE_POLICY_COUNT; p++) {
		for (size_t k = 0; k < sizeof bench_frames / sizeof bench_frames[0]; k++) {
			double secs[BENCH_RUNS];
			struct trace_run run = {0};
			for (int r = 0; r < BENCH_RUNS; r++) {
				double start = now();
				run = replay_or_die(t, (enum trace_policy)p, bench_frames[k]);
				secs[r] = now() - start;
			}
			double s = median(secs, BENCH_RUNS);
			double rate = t->count / s;
			char verdict[64];
			if (p == TRACE_OPT)
				snprintf(verdict, sizeof verdict, "%.3f s with next-use pass, %s",
					 s + prepare_s, s + prepare_s < TARGET_OPT_SECONDS ? "met" : "MISSED");
			else
				snprintf(verdict, sizeof verdict, ">= 20 M/s %s",
					 rate >= TARGET_ACCESSES_PER_S ? "met" : "MISSED");
			printf("%-6s %6u %10llu %12.4f %12.1f  %s\n",
			       trace_policy_name((enum trace_policy)p), bench_frames[k],
			       (unsigned long long)run.faults, s, rate / 1e6, verdict);
		}
	}
}

static void bench_memory(const struct trace *t)
{
	printf("\nmemory: %u distinct pages; next-use pass map peak %zu bytes = %.1f bytes/page"
	       " (limit 64)\n", t->distinct, t->prepare_bytes,
	       (double)t->prepare_bytes / (t->distinct ? t->distinct : 1));
	for (size_t k = 0; k < sizeof bench_frames / sizeof bench_frames[0]; k++) {
		struct trace_run lru = replay_or_die(t, TRACE_LRU, bench_frames[k]);
		struct trace_run opt = replay_or_die(t, TRACE_OPT, bench_frames[k]);
		printf("replay on %u frames: %zu bytes (fifo/lru/clock), %zu bytes (opt); "
		       "per distinct page %.3f\n", bench_frames[k], lru.bytes, opt.bytes,
		       (double)opt.bytes / t->distinct);
	}
	printf("the trace itself: 8 bytes/access (page numbers) + 4 bytes/access (next use)\n");
}

/* Reads "summary: N" or "totals: N" (instructions) from a callgrind file. */
static unsigned long long callgrind_ir(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned long long ir = 0;
	while (f && fgets(line, sizeof line, f))
		if (sscanf(line, "summary: %llu", &ir) == 1 || sscanf(line, "totals: %llu", &ir) == 1)
			break;
	if (f)
		fclose(f);
	return ir;
}

/* Instructions per access of trace_replay alone, by running --once under
 * callgrind with collection on only inside trace_replay. */
static void bench_instructions(const char *self)
{
	if (system("command -v valgrind >/dev/null 2>&1") != 0) {
		printf("\ninstructions per access: skipped, valgrind is not installed (apt-get install valgrind)\n");
		return;
	}
	printf("\ninstructions per access (callgrind, inside trace_replay):\n");
	for (int p = 0; p < TRACE_POLICY_COUNT; p++) {
		for (size_t k = 0; k < sizeof bench_frames / sizeof bench_frames[0]; k++) {
			char out[64], cmd[512];
			snprintf(out, sizeof out, "/tmp/vmviz-bench-callgrind.%d", (int)p);
			snprintf(cmd, sizeof cmd,
				 "valgrind -q --tool=callgrind --callgrind-out-file=%s "
				 "--toggle-collect=trace_replay %s --once %s %u >/dev/null",
				 out, self, trace_policy_name((enum trace_policy)p), bench_frames[k]);
			unsigned long long ir = system(cmd) == 0 ? callgrind_ir(out) : 0;
			remove(out);
			printf("  %-6s %5u frames: %12llu Ir = %6.1f Ir/access\n",
			       trace_policy_name((enum trace_policy)p), bench_frames[k], ir,
			       (double)ir / BENCH_ACCESSES);
		}
	}
}

/* A real program's trace: valgrind lackey on /bin/ls. */
static void bench_lackey(void)
{
	const char *path = "/tmp/vmviz-bench-ls.lackey";
	char cmd[256];
	snprintf(cmd, sizeof cmd, "valgrind --tool=lackey --trace-mem=yes --log-file=%s "
		 "/bin/ls / >/dev/null 2>&1", path);
	if (system("command -v valgrind >/dev/null 2>&1") != 0 || system(cmd) != 0) {
		printf("\nlackey trace of /bin/ls: skipped, valgrind is not installed or failed (apt-get install valgrind)\n");
		return;
	}
	struct trace t = {0};
	struct trace_read_opts o = {.page_size = 4096, .bad = TRACE_BAD_SKIP, .err = stderr,
				    .max_messages = 5};
	double start = now();
	if (trace_read(path, &o, &t) != 0 || !trace_prepare(&t)) {
		printf("\nlackey trace of /bin/ls: could not read %s\n", path);
		trace_free(&t);
		return;
	}
	double read_s = now() - start;
	printf("\nlackey trace of /bin/ls: %u accesses, %u distinct pages, %llu bad lines,"
	       " read+prepare %.3f s\n", t.count, t.distinct, (unsigned long long)t.bad_lines, read_s);
	for (int p = 0; p < TRACE_POLICY_COUNT; p++) {
		printf("  %-6s", trace_policy_name((enum trace_policy)p));
		const uint32_t frames[] = {8, 32, 64, 4096};
		for (size_t k = 0; k < sizeof frames / sizeof frames[0]; k++) {
			start = now();
			struct trace_run run = replay_or_die(&t, (enum trace_policy)p, frames[k]);
			printf("  %4u fr: %6llu faults %5.1f ms", frames[k],
			       (unsigned long long)run.faults, (now() - start) * 1e3);
		}
		printf("\n");
	}
	trace_free(&t);
	remove(path);
}

int main(int argc, char **argv)
{
	struct trace t = {0};
	if (argc == 4 && strcmp(argv[1], "--once") == 0) {
		enum trace_policy p;
		if (!trace_policy_parse(argv[2], &p))
			return 2;
		make_trace(&t);
		struct trace_run run = replay_or_die(&t, p, (uint32_t)strtoul(argv[3], NULL, 10));
		printf("%llu faults\n", (unsigned long long)run.faults);
		trace_free(&t);
		return 0;
	}
	double start = now();
	generate(&t, BENCH_ACCESSES);
	double gen_s = now() - start;
	start = now();
	if (!trace_prepare(&t))
		return 1;
	double prepare_s = now() - start;
	printf("bench_trace: %u accesses (generated in %.3f s), %u distinct pages, "
	       "next-use pass %.3f s; median of %d runs\n\n", t.count, gen_s, t.distinct,
	       prepare_s, BENCH_RUNS);
	bench_speed(&t, prepare_s);
	bench_memory(&t);
	trace_free(&t);
	if (argc == 2 && strcmp(argv[1], "--speed") == 0)
		return 0;
	bench_instructions(argv[0]);
	bench_lackey();
	return 0;
}
