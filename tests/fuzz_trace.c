/* fuzz_trace.c - a libFuzzer target for the trace reader, every format and
 * codec (plain, gzip, xz), and the replay behind it
 * (`make fuzz FUZZ_TARGET=trace`; clang only).
 *
 * Byte 0 picks the reader's options (page size, a bad one included; skip
 * or refuse bad lines; how many messages); the rest is the file, handed to
 * trace_read through a memfd. What must hold:
 *   - trace_read returns 0 or -1, and -1 comes with a message "NAME...";
 *   - a read trace is consistent: count <= cap, no accesses without a
 *     format, no bad lines when refusing them, and exactly as many bad-line
 *     messages as skipping promises (max_messages, then one "more" line);
 *   - replaying it obeys paging's laws: every policy faults at least once
 *     per distinct page and at most once per access, exactly once per
 *     distinct page when every page fits, OPT never faults more than FIFO,
 *     LRU or CLOCK, and LRU never faults more with more frames. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "trace.h"

static int fd = -1;
static char path[64];

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fd = memfd_create("fuzz-trace", 0);
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	return fd >= 0 ? 0 : -1;
}

static void fail(const char *what, const char *msgs)
{
	fprintf(stderr, "fuzz_trace: %s\nmessages:\n%s\n", what, msgs ? msgs : "");
	abort();
}

static size_t count_lines(const char *s, size_t len)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return n;
}

static uint64_t replay(const struct trace *t, enum trace_policy p, uint32_t frames, const char *msgs)
{
	struct trace_run run;
	if (!trace_replay(t, p, frames, &run))
		fail("trace_replay failed on a prepared trace", msgs);
	if (run.faults < t->distinct || run.faults > t->count)
		fail("faults outside [distinct pages, accesses]", msgs);
	if (frames >= t->distinct && run.faults != t->distinct)
		fail("every page fits, yet a page faulted twice", msgs);
	return run.faults;
}

static void check_replays(struct trace *t, const char *msgs)
{
	if (!trace_prepare(t))
		fail("trace_prepare failed", msgs);
	if (t->distinct > t->count || (t->count && !t->distinct))
		fail("distinct pages do not fit the access count", msgs);
	static const uint32_t frames[] = {1, 2, 3, 4, 7, 64};
	uint64_t lru_before = UINT64_MAX;
	for (size_t i = 0; i < sizeof frames / sizeof *frames; i++) {
		uint64_t opt = replay(t, TRACE_OPT, frames[i], msgs);
		uint64_t lru = replay(t, TRACE_LRU, frames[i], msgs);
		if (opt > lru || opt > replay(t, TRACE_FIFO, frames[i], msgs) ||
		    opt > replay(t, TRACE_CLOCK, frames[i], msgs))
			fail("OPT faulted more than another policy", msgs);
		if (lru > lru_before)
			fail("LRU faulted more with more frames", msgs);
		lru_before = lru;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	static const uint64_t page_sizes[4] = {4096, 1, 65536, 3000};
	struct trace_read_opts o = {
		.page_size = page_sizes[data[0] & 3],
		.bad = (data[0] >> 2) & 1 ? TRACE_BAD_REFUSE : TRACE_BAD_SKIP,
		.max_messages = (data[0] >> 3) & 7,
	};
	if (ftruncate(fd, 0) < 0 || pwrite(fd, data + 1, size - 1, 0) != (ssize_t)(size - 1))
		abort();
	char *msgs = NULL;
	size_t msgs_len = 0;
	o.err = open_memstream(&msgs, &msgs_len);
	if (!o.err)
		abort();
	struct trace t = {0};
	int rc = trace_read(path, &o, &t);
	fclose(o.err);
	if (rc != 0 && rc != -1)
		fail("trace_read returned neither 0 nor -1", msgs);
	if (rc < 0 && (msgs_len == 0 || strncmp(msgs, path, strlen(path)) != 0 || msgs[msgs_len - 1] != '\n'))
		fail("refused without a message naming the file", msgs);
	if (t.count > t.cap || (t.count && !t.pages))
		fail("count beyond the allocation", msgs);
	if (rc == 0) {
		if (t.count && t.format == TRACE_FORMAT_UNKNOWN)
			fail("accesses without a format", msgs);
		if (o.bad == TRACE_BAD_REFUSE && t.bad_lines)
			fail("bad lines kept while refusing them", msgs);
		uint64_t want = t.bad_lines <= o.max_messages ? t.bad_lines : o.max_messages + 1;
		if (o.bad == TRACE_BAD_SKIP && count_lines(msgs, msgs_len) != want)
			fail("bad-line messages do not match the bad-line count", msgs);
		if (t.count <= 200000)
			check_replays(&t, msgs);
	}
	trace_free(&t);
	free(msgs);
	return 0;
}
