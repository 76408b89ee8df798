/* test_policy.c - FIFO, LRU and CLOCK on textbook reference strings. */
#include "testutil.h"

#include <stdlib.h>

#include "policy.h"

/* Demand paging over nframes with the policy; returns the fault count. */
static unsigned replay(enum policy_kind kind, unsigned nframes, const int *refs, size_t n, int *frames_out)
{
	struct policy *p = policy_new(kind, nframes);
	int page_in[16];
	unsigned used = 0, faults = 0;
	for (unsigned f = 0; f < nframes; f++)
		page_in[f] = -1;
	for (size_t i = 0; i < n; i++) {
		int hit = -1;
		for (unsigned f = 0; f < nframes; f++)
			if (page_in[f] == refs[i])
				hit = (int)f;
		if (hit >= 0) {
			policy_hit(p, (uint32_t)hit);
			continue;
		}
		faults++;
		uint32_t f = used < nframes ? used++ : policy_victim(p, NULL, NULL);
		assert_true(f < nframes);
		if (page_in[f] >= 0)
			policy_unloaded(p, f);
		page_in[f] = refs[i];
		policy_loaded(p, f);
	}
	if (frames_out)
		for (unsigned f = 0; f < nframes; f++)
			frames_out[f] = page_in[f];
	policy_free(p);
	return faults;
}

static const int belady[] = {1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5};
static const int classic[] = {7, 0, 1, 2, 0, 3, 0, 4, 2, 3, 0, 3, 2, 1, 2, 0, 1, 7, 0, 1};

static void test_belady_anomaly_fifo(void **state)
{
	(void)state;
	assert_int_equal(replay(POLICY_FIFO, 3, belady, 12, NULL), 9);
	assert_int_equal(replay(POLICY_FIFO, 4, belady, 12, NULL), 10);
}

static void test_classic_fifo_lru(void **state)
{
	(void)state;
	assert_int_equal(replay(POLICY_FIFO, 3, classic, 20, NULL), 15);
	assert_int_equal(replay(POLICY_LRU, 3, classic, 20, NULL), 12);
}

/* CLOCK by hand on 1 2 3 4 1 2 5 with 3 frames:
 * 1,2,3 fill frames 0,1,2 (bits set, hand at 0). 4: the hand clears 0,1,2,
 * comes back to 0 and evicts 1 -> [4,2,3], hand 1. 1: clears nothing... bit
 * of frame 1 is clear -> evicts 2 -> [4,1,3], hand 2. 2: frame 2 bit clear
 * -> evicts 3 -> [4,1,2], hand 0. 5: frame 0 set (4 was loaded with its
 * bit) -> clear, frame 1 set -> clear, frame 2 set -> clear, frame 0 clear
 * -> evict 4 -> [5,1,2], hand 1. Seven faults. */
static void test_clock_exact(void **state)
{
	(void)state;
	int frames[3];
	static const int refs[] = {1, 2, 3, 4, 1, 2, 5};
	assert_int_equal(replay(POLICY_CLOCK, 3, refs, 7, frames), 7);
	assert_int_equal(frames[0], 5);
	assert_int_equal(frames[1], 1);
	assert_int_equal(frames[2], 2);
}

/* A hit gives a second chance: 1 2 3 1 4 keeps 1. */
static void test_clock_second_chance(void **state)
{
	(void)state;
	struct policy *p = policy_new(POLICY_CLOCK, 3);
	for (uint32_t f = 0; f < 3; f++)
		policy_loaded(p, f);
	/* all bits set: the sweep clears 0,1,2 and takes frame 0 */
	assert_int_equal(policy_victim(p, NULL, NULL), 0);
	assert_int_equal(p->hand, 1);
	policy_loaded(p, 0);
	policy_hit(p, 1); /* frame 1 gets its bit back */
	assert_int_equal(policy_victim(p, NULL, NULL), 2);
	assert_false(policy_refbit(p, 1)); /* the second chance is used up */
	policy_free(p);
}

static bool reject_even(void *ctx, uint32_t f)
{
	(void)ctx;
	return f % 2 == 1;
}

static void test_victim_filter(void **state)
{
	(void)state;
	for (int k = 0; k < POLICY_COUNT; k++) {
		struct policy *p = policy_new((enum policy_kind)k, 4);
		for (uint32_t f = 0; f < 4; f++)
			policy_loaded(p, f);
		uint32_t v = policy_victim(p, reject_even, NULL);
		assert_int_equal(v % 2, 1);
		policy_unloaded(p, 1);
		policy_unloaded(p, 3);
		assert_int_equal(policy_victim(p, reject_even, NULL), POLICY_NONE);
		policy_free(p);
	}
}

static void test_order_and_names(void **state)
{
	(void)state;
	struct policy *p = policy_new(POLICY_LRU, 4);
	for (uint32_t f = 0; f < 4; f++)
		policy_loaded(p, f);
	policy_hit(p, 0);
	uint32_t order[4];
	assert_int_equal(policy_order(p, order, 4), 4);
	assert_int_equal(order[0], 1);
	assert_int_equal(order[3], 0);
	policy_free(p);
	enum policy_kind k;
	assert_true(policy_parse("LRU", &k));
	assert_int_equal(k, POLICY_LRU);
	assert_false(policy_parse("opt", &k));
	assert_string_equal(policy_name(POLICY_CLOCK), "clock");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_belady_anomaly_fifo), cmocka_unit_test(test_classic_fifo_lru),
		cmocka_unit_test(test_clock_exact),         cmocka_unit_test(test_clock_second_chance),
		cmocka_unit_test(test_victim_filter),       cmocka_unit_test(test_order_and_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
