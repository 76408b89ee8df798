/* test_frames.c - the frame pool at any size: the free map against a plain
 * array, the page pool, bytes stored only once non-zero data is written,
 * and a 4M-frame machine that costs what it uses. */
#include "testutil.h"

#include <stdlib.h>
#include <unistd.h>

#include "internal.h"

static uint64_t lcg_state = 1;

static uint32_t lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(lcg_state >> 33);
}

/* The lowest free index, the slow way. */
static uint32_t ref_lowest(const uint8_t *is_free, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (is_free[i])
			return i;
	return FREEMAP_NONE;
}

static void test_freemap_matches_an_array(void **state)
{
	(void)state;
	/* Sizes around word and level boundaries. */
	static const uint32_t sizes[] = {1, 2, 63, 64, 65, 4095, 4096, 4097, 262145};
	for (size_t k = 0; k < sizeof sizes / sizeof *sizes; k++) {
		uint32_t n = sizes[k];
		struct freemap m;
		assert_int_equal(freemap_init(&m, n), 0);
		uint8_t *is_free = calloc(n, 1);
		assert_non_null(is_free);
		assert_int_equal(freemap_lowest(&m), FREEMAP_NONE);
		uint32_t lo = n / 16;
		freemap_free_range(&m, lo, n);
		for (uint32_t i = lo; i < n; i++)
			is_free[i] = 1;
		assert_int_equal(freemap_lowest(&m), ref_lowest(is_free, n));
		lcg_state = n;
		for (int step = 0; step < 20000; step++) {
			uint32_t i = lcg() % n;
			if (lcg() % 2) {
				/* Allocate the lowest, as frame_alloc does. */
				uint32_t f = freemap_lowest(&m);
				assert_int_equal(f, ref_lowest(is_free, n));
				if (f != FREEMAP_NONE) {
					freemap_take(&m, f);
					is_free[f] = 0;
				}
			} else if (!is_free[i]) {
				freemap_put(&m, i);
				is_free[i] = 1;
			}
			assert_int_equal(freemap_lowest(&m), ref_lowest(is_free, n));
		}
		for (int q = 0; q < 200; q++) {
			uint32_t a = lcg() % n, b = a + lcg() % (n - a + 1), want = 0;
			for (uint32_t i = a; i < b; i++)
				want += is_free[i];
			assert_int_equal(freemap_count(&m, a, b), want);
		}
		free(is_free);
		freemap_destroy(&m);
	}
}

static void test_pagepool_blocks_are_zeroed_and_reused(void **state)
{
	(void)state;
	struct pagepool p;
	pagepool_init(&p, 4096);
	uint8_t *blocks[1100];
	/* Several slabs' worth (64 KiB doubling to 2 MiB). */
	for (int i = 0; i < 1100; i++) {
		blocks[i] = pagepool_get(&p);
		assert_non_null(blocks[i]);
		for (int j = 0; j < 4096; j += 512)
			assert_int_equal(blocks[i][j], 0);
		memset(blocks[i], 0xa5, 4096);
	}
	for (int i = 1; i < 1100; i++)
		assert_true(blocks[i] >= blocks[i - 1] + 4096 || blocks[i] + 4096 <= blocks[i - 1]);
	assert_int_equal(blocks[0][4095], 0xa5);
	pagepool_put(&p, blocks[7]);
	uint8_t *again = pagepool_get(&p);
	assert_ptr_equal(again, blocks[7]);
	for (int j = 0; j < 4096; j++)
		assert_int_equal(again[j], 0);
	pagepool_destroy(&p);
}

static uint32_t pfn_of(struct session *s, const char *name, uint64_t off)
{
	pte_t pte = vm_pte(s->vm, s->vm->cur, var(s, name) + off);
	assert_true(PTE_PRESENT(pte));
	return (uint32_t)PTE_NUM(pte);
}

static void test_bytes_only_once_written(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	OK(s, "p = mmap(64K)");
	OK(s, "p[0] = 0");              /* a frame, but nothing written */
	uint32_t f = pfn_of(s, "p", 0);
	assert_null(s->vm->frames[f].data);
	OK(s, "touch p");               /* writes back the zeroes there */
	for (uint64_t off = 0; off < 65536; off += 4096)
		assert_null(s->vm->frames[pfn_of(s, "p", off)].data);
	OK(s, "p[4097] = 9");
	assert_non_null(s->vm->frames[pfn_of(s, "p", 4096)].data);
	OK(s, "expect p[4097] == 9");
	OK(s, "expect p[4096] == 0");
	/* calloc writes zeroes: they cost nothing either. */
	OK(s, "q = calloc(4, 4K)");
	OK(s, "expect q[100] == 0");
	session_free(s);
}

/* A copy-on-write copy of a zero frame, and a swapped-out zero page coming
 * back, stay without bytes; written ones come back exact. */
static void test_zero_frames_through_fork_and_swap(void **state)
{
	(void)state;
	struct session *s = new_session(8, 64, POLICY_FIFO);
	OK(s, "p = mmap(64K)");
	OK(s, "p[0] = 0");
	OK(s, "p[4096] = 5");
	OK(s, "fork");
	OK(s, "p[0] = 0");              /* the child's private copy */
	assert_null(s->vm->frames[pfn_of(s, "p", 0)].data);
	OK(s, "p[4096] = 6");
	OK(s, "expect p[4096] == 6");
	OK(s, "touch p+8192 56K");      /* everything else goes out to swap */
	OK(s, "x = p[0]");
	assert_int_equal(var(s, "x"), 0);
	OK(s, "y = p[4096]");
	assert_int_equal(var(s, "y"), 6);
	session_free(s);
}

/* Freed frames are handed out again lowest first. */
static void test_lowest_free_frame_first(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	OK(s, "p = mmap(32K)");
	OK(s, "touch p");
	uint32_t third = pfn_of(s, "p", 2 * 4096), sixth = pfn_of(s, "p", 5 * 4096);
	OK(s, "munmap p+20480 4K");
	OK(s, "munmap p+8192 4K");
	OK(s, "q = mmap(8K)");
	OK(s, "touch q");
	assert_int_equal(pfn_of(s, "q", 0), third);
	assert_int_equal(pfn_of(s, "q", 4096), sixth);
	session_free(s);
}

static long rss_kib(void)
{
	long pages = 0, rss = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f && fscanf(f, "%ld %ld", &pages, &rss) != 2)
		rss = 0;
	if (f)
		fclose(f);
	return rss * (sysconf(_SC_PAGESIZE) / 1024);
}

/* 16 GiB of frames cost the host what is used of them, not 16 GiB (nor
 * the 87 bytes a frame the bookkeeping used to take for each). */
static void test_four_million_frames(void **state)
{
	(void)state;
	long before = rss_kib();
	struct session *s = new_session(VM_MAX_FRAMES, 64, POLICY_CLOCK);
	assert_int_equal(s->vm->nframes, 4u << 20);
	assert_true(rss_kib() - before < 24 * 1024);
	OK(s, "p = mmap(64M)");
	OK(s, "touch p");
	OK(s, "p[12345] = 1");
	OK(s, "expect p[12345] == 1");
	assert_int_equal(s->vm->free_frames, s->vm->nframes - s->vm->kernel_frames - cur(s)->rss -
					     1 /* the a.out data page's file copy */);
	assert_true(rss_kib() - before < 48 * 1024);
	FAILS(s, "set frames 4194305", "frames must be from 4 to 4194304");
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_freemap_matches_an_array),
		cmocka_unit_test(test_pagepool_blocks_are_zeroed_and_reused),
		cmocka_unit_test(test_bytes_only_once_written),
		cmocka_unit_test(test_zero_frames_through_fork_and_swap),
		cmocka_unit_test(test_lowest_free_frame_first),
		cmocka_unit_test(test_four_million_frames),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
