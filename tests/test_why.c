/* test_why.c - every decision event carries its reason: the rule and the
 * numbers (malloc's threshold and top, the dynamic threshold, the CLOCK
 * sweep, LRU's and FIFO's oldest page, the OOM badness table, swap slots,
 * copy-on-write's share count), and `explain` prints them in order. */
#include "testutil.h"

#include <inttypes.h>
#include <stdlib.h>

/* The reason of the newest event of kind since seq, or fails. */
static const char *reason_of(struct session *s, uint64_t seq, enum event_kind kind, int zh)
{
	const char *found = NULL;
	for (uint64_t q = seq; q < s->vm->log.next_seq; q++) {
		const struct event *ev = event_get(&s->vm->log, q);
		if (ev && ev->kind == kind)
			found = event_reason(&s->vm->log, ev, zh);
	}
	if (!found)
		fail_msg("no %s event with a reason", event_kind_name(kind));
	return found;
}

#define HAS(text, part)                                                        \
	do {                                                                   \
		if (!strstr((text), (part)))                                   \
			fail_msg("'%s' lacks '%s'", (text), (part));           \
	} while (0)

static void test_malloc_threshold_and_top(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	uint64_t q = s->vm->log.next_seq;
	OK(s, "a = malloc(1000)");
	HAS(reason_of(s, q, EV_MALLOC, 0), "brk grew the heap by 135168");
	q = s->vm->log.next_seq;
	OK(s, "b = malloc(2000)");
	/* top before and after, in bytes: the chunk is 2016 bytes. */
	const char *r = reason_of(s, q, EV_MALLOC, 0);
	HAS(r, "cut from the top chunk");
	uint64_t t0, t1;
	const char *at = strstr(r, "top chunk: top ");
	assert_non_null(at);
	assert_int_equal(sscanf(at, "top chunk: top %" SCNu64 " bytes before, %" SCNu64 " after", &t0, &t1), 2);
	assert_int_equal(t0 - t1, 2016);
	q = s->vm->log.next_seq;
	OK(s, "p = malloc(200K)");
	HAS(reason_of(s, q, EV_MALLOC, 0), "size 204800 >= mmap threshold 131072");
	HAS(reason_of(s, q, EV_MALLOC, 1), "大小 204800 >= mmap 阈值 131072");
	q = s->vm->log.next_seq;
	OK(s, "free p");
	HAS(reason_of(s, q, EV_FREE, 0),
	    "threshold now 208896 because free() of a 208896-byte mmapped chunk raises it (it was 131072");
	assert_int_equal(s->vm->procs[0]->heap.mmap_threshold, 208896);
	q = s->vm->log.next_seq;
	OK(s, "free a");
	HAS(reason_of(s, q, EV_FREE, 0), "its tcache bin held fewer than 7");
	session_free(s);
}

/* 6 user frames, all referenced: the hand clears every bit, comes round,
 * and evicts where it started. */
static void test_clock_sweep(void **state)
{
	(void)state;
	struct session *s = new_session(8, 32, POLICY_CLOCK);
	OK(s, "m = mmap(64K, rw)");
	uint64_t hand = s->vm->policy->hand;
	uint64_t q = s->vm->log.next_seq;
	OK(s, "touch m 32K");
	const char *r = reason_of(s, q, EV_EVICT, 0);
	HAS(r, "no free frame (all 6 user frames in use): CLOCK");
	HAS(r, "the hand now points at frame");
	(void)hand;
	/* The first eviction cleared bits: the sweep is named frame by frame. */
	const char *first = NULL;
	for (uint64_t k = q; k < s->vm->log.next_seq && !first; k++) {
		const struct event *ev = event_get(&s->vm->log, k);
		if (ev->kind == EV_EVICT)
			first = event_reason(&s->vm->log, ev, 0);
	}
	assert_non_null(first);
	HAS(first, "cleared the reference bits of frames 2, 3, 4, 5, 6, 7 and came all the way round to frame 2");
	session_free(s);
}

/* The policy's own account: a partial sweep names the frames it cleared
 * and where the hand stopped; LRU and FIFO name the age of their victim. */
static void test_policy_explain(void **state)
{
	(void)state;
	char en[EVENT_REASON_EN], zh[EVENT_REASON_ZH];
	struct policy_why w;
	struct policy *p = policy_new(POLICY_CLOCK, 4);
	for (uint32_t f = 0; f < 4; f++)
		policy_loaded(p, f);
	uint32_t v = policy_victim(p, NULL, NULL);     /* all set: round to 0 */
	assert_int_equal(v, 0);
	policy_loaded(p, 0);                            /* hand at 1; bits 1-3 clear */
	policy_hit(p, 1);
	policy_hit(p, 2);
	v = policy_victim(p, NULL, NULL);
	assert_int_equal(v, 3);
	policy_why_of(p, v, &w);
	policy_explain(&w, en, sizeof en, zh, sizeof zh);
	HAS(en, "from frame 1 the hand cleared the reference bits of frames 1, 2 (a second chance) and stopped at "
		"frame 3, whose bit was clear; the hand now points at frame 0");
	HAS(zh, "清除了物理页 1、2 的访问位");
	policy_free(p);
	p = policy_new(POLICY_LRU, 3);
	policy_loaded(p, 0);
	policy_loaded(p, 1);
	policy_loaded(p, 2);
	policy_hit(p, 0);
	v = policy_victim(p, NULL, NULL);
	assert_int_equal(v, 1);
	policy_why_of(p, v, &w);
	policy_explain(&w, en, sizeof en, zh, sizeof zh);
	HAS(en, "LRU: frame 1 holds the least recently used page: last used at step 2 of 4, 2 page loads and hits ago");
	policy_free(p);
	p = policy_new(POLICY_FIFO, 3);
	policy_loaded(p, 0);
	policy_loaded(p, 1);
	policy_hit(p, 0);
	v = policy_victim(p, NULL, NULL);
	assert_int_equal(v, 0);
	policy_why_of(p, v, &w);
	policy_explain(&w, en, sizeof en, zh, sizeof zh);
	HAS(en, "FIFO: frame 0 holds the page that arrived first: loaded at step 1 of 3");
	policy_free(p);
}

static void test_lru_and_fifo_oldest(void **state)
{
	(void)state;
	struct session *s = new_session(8, 32, POLICY_LRU);
	OK(s, "m = mmap(64K, rw)");
	OK(s, "touch m 16K");          /* fills the free frames */
	uint64_t q = s->vm->log.next_seq;
	OK(s, "m[16384] = 1");
	const char *r = reason_of(s, q, EV_EVICT, 0);
	HAS(r, "LRU: frame");
	HAS(r, "holds the least recently used page: last used at step");
	OK(s, "set policy fifo");
	q = s->vm->log.next_seq;
	OK(s, "m[20480] = 1");
	HAS(reason_of(s, q, EV_EVICT, 0), "holds the page that arrived first");
	HAS(reason_of(s, q, EV_SWAP_OUT, 0), "was the lowest free one; writing 4 KiB to the ssd costs ~100 µs");
	session_free(s);
}

static void test_swap_in_and_cow(void **state)
{
	(void)state;
	struct session *s = new_session(8, 32, POLICY_FIFO);
	OK(s, "m = mmap(32K, rw)");
	OK(s, "touch m");
	uint64_t q = s->vm->log.next_seq;
	OK(s, "x = m[0]");
	HAS(reason_of(s, q, EV_SWAP_IN, 0), "read into frame");
	HAS(reason_of(s, q, EV_FAULT_MAJOR, 0), "holds a swap entry (slot ");
	OK(s, "reset");
	OK(s, "p = malloc(100)");
	OK(s, "p[0] = 1");
	OK(s, "fork");
	q = s->vm->log.next_seq;
	OK(s, "p[0] = 2");
	HAS(reason_of(s, q, EV_COW, 0), "is mapped by 2 PTEs (share count > 1)");
	HAS(reason_of(s, q, EV_COW, 1), "共享计数 > 1");
	session_free(s);
}

/* Swap full: the OOM killer's table names every process and its score. */
static void test_oom_badness_table(void **state)
{
	(void)state;
	struct session *s = new_session(16, 4, POLICY_CLOCK);
	OK(s, "set overcommit 1");
	OK(s, "spawn ls");
	OK(s, "proc 101");          /* ls maps and touches: it has the most */
	OK(s, "m = mmap(256K, rw)");
	uint64_t q = s->vm->log.next_seq;
	session_exec(s, "touch m");
	const char *r = reason_of(s, q, EV_OOM_KILL, 0);
	HAS(r, "badness = rss + swap + page tables (oom_score_adj 0):");
	HAS(r, "pid 100 a.out");
	HAS(r, "pid 101 ls");
	HAS(r, "=24 <-;");
	HAS(r, "the highest, pid 101, is killed");
	session_free(s);
}

static void test_explain_prints_every_event(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	FAILS(s, "explain", "nothing to explain yet");
	FAILS(s, "explain now", "usage: explain");
	OK(s, "p = malloc(200K)");
	uint64_t n = s->vm->log.next_seq - s->first_event;
	OK(s, "ps");                /* no events: explain still tells about the malloc */
	OK(s, "explain");
	const char *out = s->out.s;
	char head[96];
	snprintf(head, sizeof head, "why: p = malloc(200K) (%" PRIu64 " events, simulated time ", n);
	HAS(out, head);
	HAS(out, "why: size 204800 >= mmap threshold 131072");
	/* One "- " line per event, in order: the mmap before the malloc. */
	uint64_t lines = 0;
	for (const char *c = out; (c = strstr(c, "\n  - ")); c++)
		lines++;
	assert_int_equal(lines, n);
	assert_true(strstr(out, "mmap:") < strstr(out, "malloc(204800)"));
	OK(s, "set lang zh");
	OK(s, "explain");
	HAS(s->out.s, "原因：大小 204800 >= mmap 阈值 131072");
	session_free(s);
}

/* help CMD: usage, an example and what it teaches, for every command, in
 * both languages. */
static void test_help_for_every_command(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	size_t n;
	const struct command *t = command_table(&n);
	for (size_t i = 0; i < n; i++) {
		char line[64];
		snprintf(line, sizeof line, "help %s", t[i].name);
		OK(s, line);
		if (!strstr(s->out.s, "usage: ") || !strstr(s->out.s, "example: ") || !strstr(s->out.s, "teaches: "))
			fail_msg("help %s lacks a usage line, an example or what it teaches:\n%s", t[i].name, s->out.s);
	}
	OK(s, "set lang zh");
	OK(s, "help explain");
	HAS(s->out.s, "例子：explain");
	HAS(s->out.s, "演示：上一条命令每个事件背后的规则和数字");
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_malloc_threshold_and_top), cmocka_unit_test(test_clock_sweep),
		cmocka_unit_test(test_lru_and_fifo_oldest),      cmocka_unit_test(test_swap_in_and_cow),
		cmocka_unit_test(test_oom_badness_table),        cmocka_unit_test(test_explain_prints_every_event),
		cmocka_unit_test(test_help_for_every_command),  cmocka_unit_test(test_policy_explain),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
