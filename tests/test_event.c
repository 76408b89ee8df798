/* test_event.c - the event ring keeps the newest events, and every kind of
 * event reads as plain words in English and in Chinese. */
#include "testutil.h"

static void test_ring_keeps_newest(void **state)
{
	(void)state;
	struct event_log log;
	assert_int_equal(event_log_init(&log), 0);
	for (unsigned i = 0; i < EVENT_RING + 10; i++)
		event_push(&log, EV_HIT, 1)->pfn = i;
	assert_int_equal(log.next_seq, EVENT_RING + 11);
	assert_int_equal(event_oldest(&log), 11);
	assert_null(event_get(&log, 10));
	assert_null(event_get(&log, log.next_seq));
	const struct event *ev = event_get(&log, 11);
	assert_non_null(ev);
	assert_int_equal(ev->pfn, 10);
	assert_int_equal(log.counts[EV_HIT], EVENT_RING + 10);
	event_log_free(&log);
}

static void test_every_kind_described(void **state)
{
	(void)state;
	for (int k = 0; k < EV_KIND_COUNT; k++) {
		struct event ev = {.seq = 1, .kind = (enum event_kind)k, .pid = 100, .pfn = 7, .slot = 3,
				   .va = 0x555555559000, .a = 1, .b = 4, .why = "demand zero", .text = "policy is now lru"};
		char en[256], zh[256];
		assert_true(event_describe(&ev, LANG_EN, en, sizeof en) > 3);
		assert_true(event_describe(&ev, LANG_ZH, zh, sizeof zh) > 3);
		assert_string_not_equal(event_kind_name(ev.kind), "?");
		assert_null(strchr(en, '\n'));
	}
	struct event fault = {.kind = EV_FAULT_MAJOR, .why = "swap-in", .pfn = -1, .slot = -1};
	char buf[256];
	event_describe(&fault, LANG_EN, buf, sizeof buf);
	assert_string_equal(buf, "page fault -> major fault (swap-in, disk I/O)");
	event_describe(&fault, LANG_ZH, buf, sizeof buf);
	assert_non_null(strstr(buf, "主缺页"));
	assert_non_null(strstr(buf, "从 swap 换入"));
	char tiny[8];
	assert_int_equal(event_describe(&fault, LANG_EN, tiny, sizeof tiny), 7);
}

int main(void)
{
	const struct CMUnitTest tests[] = {cmocka_unit_test(test_ring_keeps_newest),
					   cmocka_unit_test(test_every_kind_described)};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
