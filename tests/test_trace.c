/* test_trace.c - vmviz trace: fault counts against a brute-force reference, trace formats, bad lines, the CLI. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "trace.h"

#ifndef TRACES_DIR
#define TRACES_DIR "tests/traces" /* make unit runs from the repository root */
#endif

#define REF_MAX_FRAMES 128

/* ---- the reference: plain arrays, O(accesses * frames), no cleverness ---- */

static int ref_find(const uint64_t *frame_page, uint32_t used, uint64_t page)
{
	for (uint32_t f = 0; f < used; f++)
		if (frame_page[f] == page)
			return (int)f;
	return -1;
}

/* Index of the next access to page after i, or n if there is none. */
static size_t ref_next_use(const uint64_t *pages, size_t n, size_t i, uint64_t page)
{
	for (size_t j = i + 1; j < n; j++)
		if (pages[j] == page)
			return j;
	return n;
}

static uint64_t ref_faults(enum trace_policy policy, const uint64_t *pages, size_t n,
			   uint32_t nframes)
{
	uint64_t frame_page[REF_MAX_FRAMES];
	size_t last_used[REF_MAX_FRAMES];
	int refbit[REF_MAX_FRAMES];
	uint32_t used = 0, fifo_next = 0, hand = 0;
	uint64_t faults = 0;
	assert_true(nframes >= 1 && nframes <= REF_MAX_FRAMES);
	for (size_t i = 0; i < n; i++) {
		int hit = ref_find(frame_page, used, pages[i]);
		if (hit >= 0) {
			last_used[hit] = i;
			refbit[hit] = 1;
			continue;
		}
		faults++;
		uint32_t victim = 0;
		if (used < nframes) {
			victim = used++;
		} else if (policy == TRACE_FIFO) {
			/* Frames filled in index order, so the oldest goes round-robin. */
			victim = fifo_next;
			fifo_next = (fifo_next + 1) % nframes;
		} else if (policy == TRACE_LRU) {
			for (uint32_t f = 1; f < nframes; f++)
				if (last_used[f] < last_used[victim])
					victim = f;
		} else if (policy == TRACE_CLOCK) {
			while (refbit[hand]) {
				refbit[hand] = 0;
				hand = (hand + 1) % nframes;
			}
			victim = hand;
			hand = (hand + 1) % nframes;
		} else {
			size_t farthest = 0;
			for (uint32_t f = 0; f < nframes; f++) {
				size_t next = ref_next_use(pages, n, i, frame_page[f]);
				if (f == 0 || next > farthest) {
					farthest = next;
					victim = f;
				}
			}
		}
		frame_page[victim] = pages[i];
		last_used[victim] = i;
		refbit[victim] = 1;
	}
	return faults;
}

/* ---- helpers ---- */

static struct trace make_trace(const uint64_t *pages, size_t n)
{
	struct trace t = {0};
	for (size_t i = 0; i < n; i++)
		assert_true(trace_append(&t, pages[i]));
	assert_true(trace_prepare(&t));
	return t;
}

static uint64_t faults_of(const struct trace *t, enum trace_policy p, uint32_t frames)
{
	struct trace_run run;
	assert_true(trace_replay(t, p, frames, &run));
	return run.faults;
}

static uint64_t lcg_state;

static uint32_t lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(lcg_state >> 33);
}

/* Mostly near a slowly moving centre (locality), sometimes anywhere. */
static void random_pages(uint64_t *pages, size_t n, uint32_t span, uint64_t scale)
{
	uint32_t centre = 0;
	for (size_t i = 0; i < n; i++) {
		if (lcg() % 16 == 0)
			centre = lcg() % span;
		uint32_t p = lcg() % 4 == 0 ? lcg() % span : (centre + lcg() % 5) % span;
		pages[i] = (uint64_t)p * scale;
	}
}

static void check_against_reference(const uint64_t *pages, size_t n, uint32_t max_frames)
{
	struct trace t = make_trace(pages, n);
	for (uint32_t frames = 1; frames <= max_frames; frames++) {
		for (int p = 0; p < TRACE_POLICY_COUNT; p++) {
			uint64_t want = ref_faults((enum trace_policy)p, pages, n, frames);
			uint64_t got = faults_of(&t, (enum trace_policy)p, frames);
			if (want != got)
				fail_msg("%s, %u frames: %llu faults, reference says %llu",
					 trace_policy_name((enum trace_policy)p), frames,
					 (unsigned long long)got, (unsigned long long)want);
		}
	}
	trace_free(&t);
}

/* ---- fault counts ---- */

static void test_belady_anomaly_fifo(void **state)
{
	(void)state;
	const uint64_t s[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
	struct trace t = make_trace(s, sizeof s / sizeof s[0]);
	assert_int_equal(faults_of(&t, TRACE_FIFO, 3), 9);
	assert_int_equal(faults_of(&t, TRACE_FIFO, 4), 10);
	trace_free(&t);
}

static void test_classic_string(void **state)
{
	(void)state;
	const uint64_t s[] = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};
	struct trace t = make_trace(s, sizeof s / sizeof s[0]);
	assert_int_equal(faults_of(&t, TRACE_FIFO, 3), 15);
	assert_int_equal(faults_of(&t, TRACE_LRU, 3), 12);
	assert_int_equal(faults_of(&t, TRACE_OPT, 3), 9);
	/* CLOCK exactly as SPEC.md, worked by hand: 7 0 1 fill; 2 sweeps all
	 * bits and evicts 7; ... 14 faults in all. */
	assert_int_equal(faults_of(&t, TRACE_CLOCK, 3), 14);
	trace_free(&t);
}

static void test_random_traces_match_reference(void **state)
{
	(void)state;
	uint64_t pages[400];
	const uint32_t spans[] = {3, 8, 20, 60};
	for (uint64_t seed = 1; seed <= 6; seed++) {
		for (size_t k = 0; k < sizeof spans / sizeof spans[0]; k++) {
			lcg_state = seed * 7919 + k;
			random_pages(pages, sizeof pages / sizeof pages[0], spans[k], 1);
			check_against_reference(pages, sizeof pages / sizeof pages[0], 16);
		}
	}
}

/* Page numbers spread over 64 bits, and many frames: every probe run and
 * backward-shift deletion in the page map gets exercised. */
static void test_sparse_pages_many_frames(void **state)
{
	(void)state;
	enum { N = 3000 };
	uint64_t *pages = malloc(N * sizeof *pages);
	assert_non_null(pages);
	for (uint64_t seed = 1; seed <= 3; seed++) {
		lcg_state = seed;
		random_pages(pages, N, 400, 0x9E3779B97F4A7C15ull >> seed);
		struct trace t = make_trace(pages, N);
		const uint32_t frame_counts[] = {17, 50, 128};
		for (size_t k = 0; k < 3; k++)
			for (int p = 0; p < TRACE_POLICY_COUNT; p++)
				assert_int_equal(faults_of(&t, (enum trace_policy)p, frame_counts[k]),
						 ref_faults((enum trace_policy)p, pages, N, frame_counts[k]));
		trace_free(&t);
	}
	free(pages);
}

/* Page numbers that are multiples of large powers of two (sequential scans
 * of huge pages) must still spread over the map. */
static void test_page_numbers_with_equal_low_bits(void **state)
{
	(void)state;
	uint64_t pages[600];
	lcg_state = 42;
	random_pages(pages, 600, 40, 1ull << 40);
	check_against_reference(pages, 600, 16);
}

static void test_more_frames_than_pages(void **state)
{
	(void)state;
	const uint64_t s[] = {5, 6, 7, 5, 6, 7, 8};
	struct trace t = make_trace(s, 7);
	for (int p = 0; p < TRACE_POLICY_COUNT; p++) {
		struct trace_run run;
		assert_true(trace_replay(&t, (enum trace_policy)p, 1000000000u, &run));
		assert_int_equal(run.faults, 4);
		assert_int_equal(run.frames, 4);
	}
	trace_free(&t);
}

static void test_unprepared_trace(void **state)
{
	(void)state;
	struct trace t = {0};
	const uint64_t s[] = {1, 2, 1, 3, 1, 2};
	for (size_t i = 0; i < 6; i++)
		assert_true(trace_append(&t, s[i]));
	struct trace_run run;
	assert_true(trace_replay(&t, TRACE_LRU, 2, &run));
	assert_int_equal(run.faults, ref_faults(TRACE_LRU, s, 6, 2));
	assert_false(trace_replay(&t, TRACE_OPT, 2, &run)); /* needs the future */
	assert_false(trace_replay(&t, TRACE_FIFO, 0, &run));
	trace_free(&t);
}

static void test_empty_trace(void **state)
{
	(void)state;
	struct trace t = {0};
	assert_true(trace_prepare(&t));
	assert_int_equal(t.distinct, 0);
	for (int p = 0; p < TRACE_POLICY_COUNT; p++)
		assert_int_equal(faults_of(&t, (enum trace_policy)p, 32), 0);
	trace_free(&t);
}

/* Replay memory follows the frames, not the pages; preparing costs at most
 * 64 bytes per distinct page for its map. */
static void test_memory_per_distinct_page(void **state)
{
	(void)state;
	enum { N = 200000 };
	struct trace t = {0};
	for (uint32_t i = 0; i < N; i++)
		assert_true(trace_append(&t, (uint64_t)i * 7));
	assert_true(trace_prepare(&t));
	assert_int_equal(t.distinct, N);
	assert_true(t.prepare_bytes <= 64ull * N);
	struct trace_run run;
	assert_true(trace_replay(&t, TRACE_LRU, 16, &run));
	assert_int_equal(run.faults, N);
	assert_true(run.bytes < 4096);
	trace_free(&t);
}

static void test_policy_names(void **state)
{
	(void)state;
	enum trace_policy p;
	assert_true(trace_policy_parse("OPT", &p));
	assert_int_equal(p, TRACE_OPT);
	assert_true(trace_policy_parse("clock", &p));
	assert_int_equal(p, TRACE_CLOCK);
	assert_false(trace_policy_parse("lfu", &p));
	assert_string_equal(trace_policy_name(TRACE_FIFO), "fifo");
}

/* ---- reading files ---- */

struct read_result {
	int status;
	struct trace t;
	char *messages; /* what went to stderr */
};

static struct read_result read_path(const char *path, enum trace_bad_lines bad, uint64_t page_size)
{
	struct read_result r = {0};
	size_t len;
	FILE *err = open_memstream(&r.messages, &len);
	assert_non_null(err);
	struct trace_read_opts o = {.page_size = page_size, .bad = bad, .err = err, .max_messages = 10};
	r.status = trace_read(path, &o, &r.t);
	fclose(err);
	return r;
}

static void read_result_free(struct read_result *r)
{
	trace_free(&r->t);
	free(r->messages);
}

/* Writes bytes to a fresh temporary file; path must hold 64 chars. */
static void write_temp(char *path, const void *bytes, size_t len)
{
	strcpy(path, "/tmp/vmviz-trace-test-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, bytes, len), (ssize_t)len);
	close(fd);
}

static struct read_result read_text(const char *text, enum trace_bad_lines bad, uint64_t page_size,
				    char *path)
{
	write_temp(path, text, strlen(text));
	return read_path(path, bad, page_size);
}

static void assert_pages(const struct trace *t, const uint64_t *want, size_t n)
{
	assert_int_equal(t->count, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(t->pages[i], want[i]);
}

static void test_read_page_numbers(void **state)
{
	(void)state;
	char path[64];
	struct read_result r = read_text("# comment\n12\n\n  7 \r\n18446744073709551615\n", TRACE_BAD_REFUSE,
					 4096, path);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.t.format, TRACE_FORMAT_PAGES);
	const uint64_t want[] = {12, 7, UINT64_MAX};
	assert_pages(&r.t, want, 3);
	assert_int_equal(r.t.bad_lines, 0);
	read_result_free(&r);
	unlink(path);
}

static void test_read_hex_addresses(void **state)
{
	(void)state;
	char path[64];
	struct read_result r = read_text("0x0\n0x0fff\n0X1000\n0xffffffffffffffff\n", TRACE_BAD_REFUSE,
					 4096, path);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.t.format, TRACE_FORMAT_HEX);
	const uint64_t want[] = {0, 0, 1, UINT64_MAX >> 12};
	assert_pages(&r.t, want, 4);
	read_result_free(&r);
	/* The page size divides addresses. */
	r = read_path(path, TRACE_BAD_REFUSE, 65536);
	const uint64_t want64k[] = {0, 0, 0, UINT64_MAX >> 16};
	assert_pages(&r.t, want64k, 4);
	read_result_free(&r);
	unlink(path);
}

static void test_read_lackey(void **state)
{
	(void)state;
	char path[64];
	struct read_result r = read_text("==123== Lackey, an example Valgrind tool\n"
					 "==123== \n"
					 "I  04222cec,3\n"
					 " S 7ff000398,8\n"
					 " L 04223000,4\n"
					 " M 0421d1c8,4\n"
					 "==123== Exit code:       0\n",
					 TRACE_BAD_REFUSE, 4096, path);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.t.format, TRACE_FORMAT_LACKEY);
	/* An M (modify) line is one access, not a load and a store. */
	const uint64_t want[] = {0x4222, 0x7ff000, 0x4223, 0x421d};
	assert_pages(&r.t, want, 4);
	assert_int_equal(r.t.bad_lines, 0);
	read_result_free(&r);
	unlink(path);
}

/* A real lackey trace of /bin/ls: 2000 accesses between valgrind chatter. */
static void test_read_real_lackey_xz(void **state)
{
	(void)state;
	struct read_result plain = read_path(TRACES_DIR "/ls-lackey.txt", TRACE_BAD_REFUSE, 4096);
	struct read_result xz = read_path(TRACES_DIR "/ls-lackey.txt.xz", TRACE_BAD_REFUSE, 4096);
	assert_int_equal(plain.status, 0);
	assert_int_equal(xz.status, 0);
	assert_int_equal(plain.t.format, TRACE_FORMAT_LACKEY);
	assert_int_equal(plain.t.count, 2000);
	assert_pages(&xz.t, plain.t.pages, plain.t.count);
	read_result_free(&plain);
	read_result_free(&xz);
}

static void test_read_gzip_sample(void **state)
{
	(void)state;
	struct read_result r = read_path(TRACES_DIR "/classic.txt.gz", TRACE_BAD_REFUSE, 4096);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.t.format, TRACE_FORMAT_PAGES);
	assert_int_equal(r.t.count, 20);
	assert_true(trace_prepare(&r.t));
	assert_int_equal(faults_of(&r.t, TRACE_OPT, 3), 9);
	read_result_free(&r);
}

/* Compresses a big trace with the real tools, so the decoders cross many
 * buffer refills; detection is by magic bytes, not by the name. */
static void test_read_compressed_round_trip(void **state)
{
	(void)state;
	enum { N = 100000 };
	char *text = malloc(N * 20);
	assert_non_null(text);
	size_t len = 0;
	lcg_state = 9;
	for (int i = 0; i < N; i++)
		len += (size_t)sprintf(text + len, "0x%x\n", lcg() % 0x400000);
	char path[64], cmd[256];
	write_temp(path, text, len);
	struct read_result want = read_path(path, TRACE_BAD_REFUSE, 4096);
	assert_int_equal(want.t.count, N);
	const char *tools[] = {"gzip -c", "xz -c"};
	for (int k = 0; k < 2; k++) {
		snprintf(cmd, sizeof cmd, "%s %s > %s.z 2>/dev/null", tools[k], path, path);
		if (system(cmd) != 0) {
			print_message("%s not available: skipped\n", tools[k]);
			continue;
		}
		snprintf(cmd, sizeof cmd, "%s.z", path);
		struct read_result got = read_path(cmd, TRACE_BAD_REFUSE, 4096);
		assert_int_equal(got.status, 0);
		assert_pages(&got.t, want.t.pages, want.t.count);
		read_result_free(&got);
		unlink(cmd);
	}
	read_result_free(&want);
	unlink(path);
	free(text);
}

static void test_truncated_gzip_is_an_error(void **state)
{
	(void)state;
	FILE *f = fopen(TRACES_DIR "/classic.txt.gz", "rb");
	assert_non_null(f);
	unsigned char buf[256];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	char path[64];
	write_temp(path, buf, n / 2);
	struct read_result r = read_path(path, TRACE_BAD_SKIP, 4096);
	assert_int_equal(r.status, -1);
	assert_non_null(strstr(r.messages, "gzip"));
	read_result_free(&r);
	unlink(path);
}

static void test_bad_lines_skipped_and_counted(void **state)
{
	(void)state;
	struct read_result r = read_path(TRACES_DIR "/bad-lines.txt", TRACE_BAD_SKIP, 4096);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.t.format, TRACE_FORMAT_PAGES);
	const uint64_t want[] = {1, 2, 3, 4, 5};
	assert_pages(&r.t, want, 5);
	assert_int_equal(r.t.bad_lines, 3);
	assert_non_null(strstr(r.messages, TRACES_DIR "/bad-lines.txt:3: expected a decimal page number"));
	assert_non_null(strstr(r.messages, TRACES_DIR "/bad-lines.txt:5: "));
	assert_non_null(strstr(r.messages, TRACES_DIR "/bad-lines.txt:8: page number too large"));
	read_result_free(&r);
}

static void test_bad_lines_refused(void **state)
{
	(void)state;
	struct read_result r = read_path(TRACES_DIR "/bad-lines.txt", TRACE_BAD_REFUSE, 4096);
	assert_int_equal(r.status, -1);
	assert_string_equal(r.messages,
			    TRACES_DIR "/bad-lines.txt:3: expected a decimal page number\n");
	read_result_free(&r);
}

/* The format is the majority of the first lines, so a junk first line is
 * just one bad line. */
static void test_detection_survives_a_junk_first_line(void **state)
{
	(void)state;
	char path[64];
	struct read_result r = read_text("hello\n0x1000\n0x2000\n0x3000\n", TRACE_BAD_SKIP, 4096, path);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.t.format, TRACE_FORMAT_HEX);
	assert_int_equal(r.t.count, 3);
	assert_int_equal(r.t.bad_lines, 1);
	assert_non_null(strstr(r.messages, ":1: expected a hex address"));
	read_result_free(&r);
	unlink(path);
}

/* Comments and blank lines before the data do not use up the lines the
 * format is detected from. */
static void test_detection_after_many_comment_lines(void **state)
{
	(void)state;
	size_t len = 0;
	char *text = malloc(300 * 12 + 64);
	assert_non_null(text);
	for (int i = 0; i < 300; i++)
		len += (size_t)sprintf(text + len, i % 2 ? "# comment\n" : "\n");
	strcpy(text + len, "0x5000\n0x6000\n");
	char path[64];
	struct read_result r = read_text(text, TRACE_BAD_REFUSE, 4096, path);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.t.format, TRACE_FORMAT_HEX);
	const uint64_t want[] = {5, 6};
	assert_pages(&r.t, want, 2);
	read_result_free(&r);
	unlink(path);
	free(text);
}

static void test_huge_numbers(void **state)
{
	(void)state;
	char path[64];
	struct read_result r = read_text("0x10000000000000000\n0x1000\n I 99999999999999999,4\n",
					 TRACE_BAD_SKIP, 4096, path);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.t.count, 1);
	assert_int_equal(r.t.bad_lines, 2);
	assert_non_null(strstr(r.messages, ":1: address too large"));
	read_result_free(&r);
	r = read_text(" L 10000000000000000,8\n L 1000,8\n", TRACE_BAD_SKIP, 4096, path);
	assert_int_equal(r.t.format, TRACE_FORMAT_LACKEY);
	assert_int_equal(r.t.count, 1);
	assert_int_equal(r.t.bad_lines, 1);
	read_result_free(&r);
	unlink(path);
}

/* Plain lines are parsed in place by a fast path; a tab in front sends
 * the very same line through the general parser. Both must give the same
 * pages, the same bad lines and the same messages, for numbers of every
 * length (up to and past 64 bits), either case of hex, CR LF, and lines
 * that straddle the reader's 64 KiB chunks. */
static void write_random_line(FILE *f, enum trace_format fmt, bool tab)
{
	static const char digits[] = "0123456789abcdef0123456789ABCDEF";
	char num[40];
	unsigned n = 1 + lcg() % 20;
	bool hex = fmt != TRACE_FORMAT_PAGES;
	for (unsigned i = 0; i < n; i++)
		num[i] = hex ? digits[lcg() % 32] : digits[lcg() % 10];
	num[n] = '\0';
	if (tab)
		fputc('\t', f);
	if (fmt == TRACE_FORMAT_PAGES)
		fputs(num, f);
	else if (fmt == TRACE_FORMAT_HEX)
		fprintf(f, "0%c%s", lcg() % 2 ? 'x' : 'X', num);
	else
		fprintf(f, "%s%c%.*s%s,%u", lcg() % 2 ? " " : "", "ILSM"[lcg() % 4], 1 + (int)(lcg() % 3), "   ",
			num, lcg() % 100000);
	fputs(lcg() % 5 ? "\n" : "\r\n", f);
}

/* "FILE:LINE: why" lines -> ":LINE: why", in place. */
static void strip_names(char *messages)
{
	char *out = messages;
	for (char *line = messages; *line;) {
		char *colon = strchr(line, ':'), *end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		if (colon && colon < end)
			line = colon;
		size_t n = (size_t)(end - line) + (*end == '\n');
		memmove(out, line, n);
		out += n;
		line += n;
	}
	*out = '\0';
}

static void test_fast_path_matches_general_parser(void **state)
{
	(void)state;
	static const enum trace_format formats[] = {TRACE_FORMAT_PAGES, TRACE_FORMAT_HEX, TRACE_FORMAT_LACKEY};
	for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
		char plain_path[64] = "", tab_path[64] = "";
		struct read_result r[2];
		for (int tab = 0; tab < 2; tab++) {
			char *text = NULL;
			size_t len = 0;
			FILE *f = open_memstream(&text, &len);
			assert_non_null(f);
			lcg_state = 99 + k;
			for (int i = 0; i < 30000; i++)
				write_random_line(f, formats[k], tab);
			fclose(f);
			char *path = tab ? tab_path : plain_path;
			write_temp(path, text, len);
			free(text);
			r[tab] = read_path(path, TRACE_BAD_SKIP, 4096);
		}
		assert_int_equal(r[0].status, 0);
		assert_int_equal(r[0].t.format, formats[k]);
		assert_int_equal(r[1].t.format, formats[k]);
		assert_true(r[0].t.count > 20000);
		assert_true(r[0].t.bad_lines > 0);
		assert_int_equal(r[0].t.bad_lines, r[1].t.bad_lines);
		assert_pages(&r[1].t, r[0].t.pages, r[0].t.count);
		/* The same messages, but for the file's name. */
		strip_names(r[0].messages);
		strip_names(r[1].messages);
		assert_non_null(strstr(r[0].messages, "too large"));
		assert_string_equal(r[0].messages, r[1].messages);
		read_result_free(&r[0]);
		read_result_free(&r[1]);
		unlink(plain_path);
		unlink(tab_path);
	}
}

static void test_empty_and_missing_files(void **state)
{
	(void)state;
	struct read_result r = read_path(TRACES_DIR "/empty.txt", TRACE_BAD_REFUSE, 4096);
	assert_int_equal(r.status, 0);
	assert_int_equal(r.t.count, 0);
	assert_int_equal(r.t.bad_lines, 0);
	assert_int_equal(r.t.format, TRACE_FORMAT_UNKNOWN);
	read_result_free(&r);
	r = read_path(TRACES_DIR "/no-such-file", TRACE_BAD_SKIP, 4096);
	assert_int_equal(r.status, -1);
	assert_non_null(strstr(r.messages, "no-such-file: No such file"));
	read_result_free(&r);
	r = read_path(TRACES_DIR, TRACE_BAD_SKIP, 4096); /* a directory */
	assert_int_equal(r.status, -1);
	read_result_free(&r);
	r = read_path(TRACES_DIR "/classic.txt", TRACE_BAD_SKIP, 3000);
	assert_int_equal(r.status, -1);
	read_result_free(&r);
}

/* Random bytes, newlines, NULs and one enormous line: never a crash. */
static void test_binary_junk(void **state)
{
	(void)state;
	enum { N = 300000 };
	unsigned char *junk = malloc(N);
	assert_non_null(junk);
	for (uint64_t seed = 1; seed <= 4; seed++) {
		lcg_state = seed;
		for (size_t i = 0; i < N; i++)
			junk[i] = (unsigned char)lcg();
		if (seed == 2)
			memset(junk + 1000, 'x', 100000); /* a 100 kB line */
		if (seed == 3)
			memcpy(junk, "\x1f\x8b", 2); /* looks like gzip, is not */
		if (seed == 4)
			memcpy(junk, "\xfd" "7zXZ", 6); /* looks like xz, is not */
		char path[64];
		write_temp(path, junk, N);
		struct read_result r = read_path(path, TRACE_BAD_SKIP, 4096);
		/* Binary input is refused, whatever the bad-lines mode: random
		 * bytes hold NULs, and seeds 3 and 4 are broken archives. */
		assert_int_equal(r.status, -1);
		if (seed <= 2)
			assert_non_null(strstr(r.messages, ": binary data (a NUL byte), not text"));
		read_result_free(&r);
		unlink(path);
	}
	free(junk);
}

static void test_long_line_stops_reading(void **state)
{
	(void)state;
	char *text = malloc(20000);
	assert_non_null(text);
	strcpy(text, "1\n");
	memset(text + 2, '7', 10000);
	strcpy(text + 10002, "\n2\n");
	char path[64];
	/* Too long to be a trace line, and too long to skip safely (an endless
	 * line would never end): the reading stops there, even in skip mode. */
	struct read_result r = read_text(text, TRACE_BAD_SKIP, 4096, path);
	assert_int_equal(r.status, -1);
	const uint64_t want[] = {1};
	assert_pages(&r.t, want, 1);
	assert_non_null(strstr(r.messages, ":2: line too long (at most 4096 characters)"));
	read_result_free(&r);
	unlink(path);
	free(text);
}

/* ---- the command line: only exit codes here, output in trace_golden.sh ---- */

static int run_main(const char *args)
{
	char *copy = strdup(args);
	char *argv[16];
	int argc = 0;
	for (char *w = strtok(copy, " "); w && argc < 15; w = strtok(NULL, " "))
		argv[argc++] = w;
	argv[argc] = NULL;
	fflush(stdout);
	fflush(stderr);
	int out = dup(1), err = dup(2);
	int null = open("/dev/null", O_WRONLY);
	dup2(null, 1);
	dup2(null, 2);
	int status = trace_main(argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	close(null);
	free(copy);
	return status;
}

static void test_cli_exit_codes(void **state)
{
	(void)state;
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt"), 0);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --frames 1..8,16 --plot"), 0);
	assert_int_equal(run_main("trace --policy=opt --frames 3 " TRACES_DIR "/classic.txt"), 0);
	assert_int_equal(run_main("trace --help"), 0);
	assert_int_equal(run_main("trace " TRACES_DIR "/bad-lines.txt"), 0);
	assert_int_equal(run_main("trace " TRACES_DIR "/bad-lines.txt --bad-lines refuse"), 1);
	assert_int_equal(run_main("trace " TRACES_DIR "/no-such-file"), 1);
	assert_int_equal(run_main("trace " TRACES_DIR "/empty.txt"), 0);
	assert_int_equal(run_main("trace"), 2);
	assert_int_equal(run_main("trace a b"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --bogus"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt -x"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --frames"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --frames 0"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --frames 5..2"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --frames 1..100000"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --frames 99999999999999999999"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --policy lfu"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --page-size 3000"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --page-size 64K"), 0);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --bad-lines maybe"), 2);
	/* Options of the other modes do nothing here: an error, not silence. */
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --theme mono"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --lang zh"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --policy ,"), 2);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --frames 010"), 0);
	assert_int_equal(run_main("trace " TRACES_DIR "/classic.txt --frames 0x10"), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_belady_anomaly_fifo),
		cmocka_unit_test(test_classic_string),
		cmocka_unit_test(test_random_traces_match_reference),
		cmocka_unit_test(test_sparse_pages_many_frames),
		cmocka_unit_test(test_page_numbers_with_equal_low_bits),
		cmocka_unit_test(test_more_frames_than_pages),
		cmocka_unit_test(test_unprepared_trace),
		cmocka_unit_test(test_empty_trace),
		cmocka_unit_test(test_memory_per_distinct_page),
		cmocka_unit_test(test_policy_names),
		cmocka_unit_test(test_read_page_numbers),
		cmocka_unit_test(test_fast_path_matches_general_parser),
		cmocka_unit_test(test_read_hex_addresses),
		cmocka_unit_test(test_read_lackey),
		cmocka_unit_test(test_read_real_lackey_xz),
		cmocka_unit_test(test_read_gzip_sample),
		cmocka_unit_test(test_read_compressed_round_trip),
		cmocka_unit_test(test_truncated_gzip_is_an_error),
		cmocka_unit_test(test_bad_lines_skipped_and_counted),
		cmocka_unit_test(test_bad_lines_refused),
		cmocka_unit_test(test_detection_survives_a_junk_first_line),
		cmocka_unit_test(test_detection_after_many_comment_lines),
		cmocka_unit_test(test_huge_numbers),
		cmocka_unit_test(test_empty_and_missing_files),
		cmocka_unit_test(test_binary_junk),
		cmocka_unit_test(test_long_line_stops_reading),
		cmocka_unit_test(test_cli_exit_codes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
