/* test_malloc.c - the glibc-like allocator against LINUX-FACTS.md. */
#include "testutil.h"

#include "heap.h"

static void test_first_small_malloc(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(1024)");
	/* after glibc's 0x290-byte tcache chunk, as on a real Debian 12 */
	assert_int_equal(var(s, "p"), 0x5555555592a0);
	assert_int_equal(cur(s)->brk - cur(s)->start_brk, 132 * 1024); /* first [heap] is 132 KiB */
	OK(s, "q = malloc(100K)");
	assert_true(var(s, "q") > var(s, "p") && var(s, "q") < cur(s)->brk); /* still the heap */
	session_free(s);
}

/* i386 glibc 2.36, measured (gcc -m32): 4-byte size fields, 16-byte
 * alignment, so chunks start 8 bytes past a boundary and the tcache chunk
 * is 0x190: malloc(1024) = heap + 0x1a0, the next malloc(100) 1040 bytes on,
 * the first sbrk 136 KiB, an mmapped chunk 16 bytes into its mapping. */
static void test_i386_geometry(void **state)
{
	(void)state;
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.arch = ARCH_X86;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	vaddr_t heap = cur(s)->start_brk;
	uint64_t vsz0 = vm_vsz(s->vm, cur(s));
	FAILS(s, "malloc(5G)", "no room"); /* and it sets up nothing, not even the heap */
	assert_false(cur(s)->heap.initialised);
	assert_int_equal(vm_vsz(s->vm, cur(s)), vsz0);
	OK(s, "p = malloc(1024)");
	assert_int_equal(var(s, "p"), heap + 0x1a0);
	OK(s, "q = malloc(100)");
	assert_int_equal(var(s, "q") - var(s, "p"), 1040);
	assert_int_equal(cur(s)->brk, heap + 136 * 1024);
	OK(s, "expect p[-4] == 0x11"); /* the size field 0x411: 1040 | PREV_INUSE */
	OK(s, "expect p[-3] == 0x4");
	OK(s, "expect q[-4] == 0x71");
	uint64_t vsz = vm_vsz(s->vm, cur(s));
	OK(s, "r = malloc(200K)");
	assert_int_equal(var(s, "r") % 4096, 0x10);
	OK(s, "expect r[-4] == 0xfa");   /* size 0x32ffa: the mapping less the lead, | IS_MMAPPED */
	OK(s, "expect r[-3] == 0x2f");
	OK(s, "expect r[-8] == 8");      /* prev_size keeps the lead */
	assert_int_equal(vm_vsz(s->vm, cur(s)) - vsz, 204 * 1024);
	OK(s, "free(r)");
	assert_int_equal(vm_vsz(s->vm, cur(s)), vsz);
	OK(s, "free(q)");
	OK(s, "free(p)");
	FAILS(s, "free(p)", "double free");
	OK(s, "p = malloc(1024)"); /* the same place again */
	assert_int_equal(var(s, "p"), heap + 0x1a0);
	session_free(s);
}

/* brk after a munmap split the heap grows the piece at the break, not the
 * first piece (which then overlapped the second: found by fuzzing). */
static void test_brk_after_heap_split(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "malloc 16");
	OK(s, "munmap 0x55555555a000 4K");
	OK(s, "brk +4K"); /* OK checks the invariants: no overlapping VMAs */
	OK(s, "expect brk == 0x55555557b000");
	OK(s, "write 0x55555557a800 1");
	OK(s, "write 0x555555559000 1");
	session_free(s);
}

static void test_mmap_threshold_and_demand_paging(void **state)
{
	(void)state;
	struct session *s = new_session(300, 64, POLICY_CLOCK);
	OK(s, "p = malloc(1K)");
	uint64_t vsz = vm_vsz(s->vm, cur(s)), rss = vm_rss(s->vm, cur(s)), min = cur(s)->minflt;
	OK(s, "q = malloc(1M)");
	assert_int_equal(var(s, "q"), 0x7ffff7ccf010); /* measured: below the loader's 12 KiB at 7ffff7dd0000 */
	assert_int_equal(vm_vsz(s->vm, cur(s)) - vsz, 1028 * 1024);
	assert_int_equal(vm_rss(s->vm, cur(s)) - rss, 4096); /* the header page */
	assert_int_equal(cur(s)->minflt - min, 1);
	OK(s, "touch q"); /* the block and its header span 257 pages */
	assert_int_equal(vm_rss(s->vm, cur(s)) - rss, 1028 * 1024);
	assert_int_equal(cur(s)->minflt - min, 257);
	OK(s, "free(q)");
	assert_int_equal(vm_vsz(s->vm, cur(s)), vsz);
	assert_int_equal(vm_rss(s->vm, cur(s)), rss);
	session_free(s);
}

static void test_threshold_boundary_and_dynamic(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	OK(s, "a = malloc(128K - 24)"); /* chunk 128K - 16 + ... just under: heap */
	assert_true(var(s, "a") < 0x600000000000);
	OK(s, "b = malloc(128K)");      /* at the threshold: mmap */
	assert_true(var(s, "b") > 0x700000000000);
	OK(s, "c = malloc(200K)");
	assert_true(var(s, "c") > 0x700000000000);
	OK(s, "free(c)");               /* raises the threshold past 200K */
	assert_true(cur(s)->heap.mmap_threshold > 200 * 1024);
	assert_int_equal(cur(s)->heap.trim_threshold, 2 * cur(s)->heap.mmap_threshold);
	OK(s, "d = malloc(200K)");
	assert_true(var(s, "d") < 0x600000000000); /* now from the heap */
	session_free(s);
}

static void test_free_small_keeps_pages_and_trims(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	OK(s, "p = malloc(64)");
	OK(s, "p[0] = 1");
	uint64_t rss = cur(s)->rss;
	OK(s, "q = malloc(64)");
	OK(s, "free(p)");
	assert_int_equal(cur(s)->rss, rss); /* pages stay mapped */
	OK(s, "r = malloc(64)");
	assert_int_equal(var(s, "r"), var(s, "p")); /* reused first fit */
	/* grow the heap a lot, free it: the top is trimmed back */
	OK(s, "big = malloc(120K)");
	OK(s, "big2 = malloc(120K)");
	uint64_t brk = cur(s)->brk;
	OK(s, "free(big2)");
	OK(s, "free(big)");
	assert_true(cur(s)->brk < brk);
	session_free(s);
}

static void test_bad_frees(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(10)");
	FAILS(s, "free(p+1)", "invalid pointer");
	FAILS(s, "free 0x1234", "invalid pointer");
	OK(s, "free(p)");
	FAILS(s, "free(p)", "double free");
	OK(s, "free 0"); /* free(NULL) does nothing */
	session_free(s);
}

static void test_calloc_zeroes_reused_chunk(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(32)");
	OK(s, "write p+20 \"junk\"");
	OK(s, "free(p)");
	OK(s, "q = calloc(4, 8)");
	assert_int_equal(var(s, "q"), var(s, "p"));
	OK(s, "expect q[20] == 0");
	OK(s, "expect q[0] == 0");
	FAILS(s, "calloc(0x100000000, 0x100000000)", "overflows");
	session_free(s);
}

static void test_fork_copies_heap(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(10)");
	OK(s, "fork");
	OK(s, "proc 101");
	OK(s, "free(p)");
	FAILS(s, "free(p)", "double free");
	OK(s, "proc 100");
	OK(s, "free(p)"); /* the parent's heap is its own */
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_small_malloc),
		cmocka_unit_test(test_i386_geometry),
		cmocka_unit_test(test_brk_after_heap_split),
		cmocka_unit_test(test_mmap_threshold_and_demand_paging),
		cmocka_unit_test(test_threshold_boundary_and_dynamic),
		cmocka_unit_test(test_free_small_keeps_pages_and_trims),
		cmocka_unit_test(test_bad_frees),
		cmocka_unit_test(test_calloc_zeroes_reused_chunk),
		cmocka_unit_test(test_fork_copies_heap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
