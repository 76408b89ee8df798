/* test_cost.c - the simulated clock: the price list and its sources, the
 * charges the engine makes for each access, walk, fault and disk transfer,
 * `set disk`, and the split `stats` prints. */
#include "testutil.h"

#include "cost.h"

#include <stdlib.h>

#define PROBES "tests/probes/"

static void test_price_list(void **state)
{
	(void)state;
	assert_int_equal(cost_ns(COST_ACCESS, DISK_SSD, 4), 100);
	/* One DRAM read per page-table level. */
	assert_int_equal(cost_ns(COST_WALK, DISK_SSD, 4), 400);
	assert_int_equal(cost_ns(COST_WALK, DISK_SSD, 2), 200);
	assert_int_equal(cost_ns(COST_DISK_READ, DISK_SSD, 4), 100000);
	assert_int_equal(cost_ns(COST_DISK_WRITE, DISK_HDD, 4), 8000000);
	/* An HDD is nearly a hundred times slower than an SSD for a page. */
	assert_true(cost_ns(COST_DISK_READ, DISK_HDD, 4) >= 50 * cost_ns(COST_DISK_READ, DISK_SSD, 4));
}

/* The minor fault's price is the one measured on this machine by
 * tests/probes/minor_fault_time.c, to the nearest 100 ns. */
static void test_minor_fault_is_the_measured_one(void **state)
{
	(void)state;
	FILE *f = fopen(PROBES "minor_fault_time.txt", "r");
	assert_non_null(f);
	char line[256];
	long best = -1;
	while (fgets(line, sizeof line, f))
		if (sscanf(line, "minor fault: best %ld ns", &best) == 1)
			break;
	fclose(f);
	assert_true(best > 0);
	assert_int_equal(cost_ns(COST_FAULT, DISK_SSD, 4), (uint64_t)((best + 50) / 100 * 100));
}

static void test_format(void **state)
{
	(void)state;
	char b[24];
	assert_string_equal(clock_format(0, b, sizeof b), "0 ns");
	assert_string_equal(clock_format(850, b, sizeof b), "850 ns");
	assert_string_equal(clock_format(1500, b, sizeof b), "1.50 µs");
	assert_string_equal(clock_format(12345, b, sizeof b), "12.3 µs");
	assert_string_equal(clock_format(100000, b, sizeof b), "100 µs");
	assert_string_equal(clock_format(8000000, b, sizeof b), "8.00 ms");
	assert_string_equal(clock_format(2500000000ull, b, sizeof b), "2.50 s");
}

static void test_charge_adds_up(void **state)
{
	(void)state;
	struct simclock c = {.disk = DISK_HDD};
	assert_int_equal(clock_charge(&c, COST_ACCESS, 0), 100);
	assert_int_equal(clock_charge(&c, COST_DISK_READ, 0), 8000000);
	assert_int_equal(clock_charge(&c, COST_WALK, 4), 400);
	assert_int_equal(c.count[COST_ACCESS], 1);
	assert_int_equal(c.ns[COST_DISK_READ], 8000000);
	assert_int_equal(clock_total(&c), 8000500);
	enum disk_kind d;
	assert_int_equal(disk_parse("ssd", &d), 0);
	assert_int_equal(d, DISK_SSD);
	assert_int_equal(disk_parse("floppy", &d), -1);
}

/* A first write: one access, one minor fault. A second: one access. */
static void test_engine_charges_access_and_fault(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	assert_int_equal(clock_total(&s->vm->clock), 0); /* the clock starts at the prompt */
	OK(s, "m = mmap(8K, rw)");
	OK(s, "m[0] = 1");
	const struct simclock *c = &s->vm->clock;
	assert_int_equal(c->count[COST_ACCESS], 1);
	assert_int_equal(c->count[COST_FAULT], 1);
	assert_int_equal(clock_total(c), 100 + 1500);
	OK(s, "m[1] = 2");
	assert_int_equal(clock_total(c), 100 + 1500 + 100);
	assert_int_equal(c->count[COST_WALK], 0); /* no TLB simulated: counted as hits */
	session_free(s);
}

/* With a TLB, a miss costs one DRAM read per level: 4 on x86-64, 2 on x86. */
static void test_tlb_miss_walk(void **state)
{
	(void)state;
	for (int arch = 0; arch < 2; arch++) {
		struct vm_config cfg;
		vm_config_default(&cfg);
		cfg.arch = arch ? ARCH_X86 : ARCH_X86_64;
		cfg.tlb_entries = 4;
		struct session *s = session_new(&cfg, LANG_EN);
		assert_non_null(s);
		OK(s, "m = mmap(8K, rw)");
		OK(s, "m[0] = 1");
		OK(s, "m[1] = 1");    /* a TLB hit: no walk */
		const struct simclock *c = &s->vm->clock;
		assert_int_equal(c->count[COST_WALK], 1);
		assert_int_equal(c->ns[COST_WALK], arch ? 200 : 400);
		session_free(s);
	}
}

/* Evicting dirty anonymous pages writes them to swap; reading one back is a
 * disk read; both at the disk's price, which `set disk` changes. */
static void test_swap_costs_the_disk(void **state)
{
	(void)state;
	struct session *s = new_session(8, 32, POLICY_FIFO);
	OK(s, "m = mmap(32K, rw)");
	OK(s, "touch m");
	const struct simclock *c = &s->vm->clock;
	uint64_t outs = s->vm->swapouts;
	assert_true(outs > 0);
	assert_int_equal(c->count[COST_DISK_WRITE], outs);
	assert_int_equal(c->ns[COST_DISK_WRITE], outs * 100000);
	OK(s, "set disk hdd");
	assert_string_equal(s->err, "");
	uint64_t reads = c->count[COST_DISK_READ];
	OK(s, "x = m[0]");      /* the first page went out first (FIFO) */
	assert_int_equal(s->last_fault, FAULT_MAJOR);
	assert_int_equal(c->count[COST_DISK_READ], reads + 1);
	assert_int_equal(c->ns[COST_DISK_READ], 8000000);
	/* The split stats prints. */
	OK(s, "stats");
	assert_non_null(strstr(s->out.s, "disk reads (swap-in, file)"));
	assert_non_null(strstr(s->out.s, "(disk: hdd)"));
	/* A bad disk changes nothing. */
	FAILS(s, "set disk floppy", "unknown disk 'floppy' (ssd or hdd)");
	assert_int_equal(s->vm->clock.disk, DISK_HDD);
	/* reset keeps the disk, and the clock starts again. */
	OK(s, "reset");
	assert_int_equal(s->vm->clock.disk, DISK_HDD);
	assert_int_equal(clock_total(&s->vm->clock), 0);
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_price_list),      cmocka_unit_test(test_minor_fault_is_the_measured_one),
		cmocka_unit_test(test_format),          cmocka_unit_test(test_charge_adds_up),
		cmocka_unit_test(test_engine_charges_access_and_fault), cmocka_unit_test(test_tlb_miss_walk),
		cmocka_unit_test(test_swap_costs_the_disk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
