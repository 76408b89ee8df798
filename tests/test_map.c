/* test_map.c - the map command (src/map_exact.c): a recorded program's
 * start-up address space placed exactly, then malloc and mmap behave as in
 * the real process; and expect's names inside values (vsz0 = vsz). The
 * truth: /bin/ls recorded under setarch -R on Debian 12 (its first malloc,
 * 472 bytes, returned 0x55555557a2a0 and grew VSZ by 132 KiB). */
#include "testutil.h"

#include "internal.h"

/* Part of /bin/ls's maps at its first call, as vmviz record wrote them
 * (ld.so and the preload library left out: where mmap lands is checked by
 * tests/record.sh on whole recordings). */
static const char *const ls_start[] = {
	"map 555555554000-555555558000 r--p 0 /usr/bin/ls",
	"map 555555558000-55555556e000 r-xp 4000 /usr/bin/ls",
	"map 55555556e000-555555577000 r--p 1a000 /usr/bin/ls",
	"map 555555577000-555555578000 r--p 23000 /usr/bin/ls",
	"map 555555578000-555555579000 rw-p 24000 /usr/bin/ls",
	"map 555555579000-55555557a000 rw-p 0",
	"map 7ffff7d7f000-7ffff7da5000 r--p 0 /usr/lib/x86_64-linux-gnu/libc.so.6",
	"map 7ffff7da5000-7ffff7efb000 r-xp 26000 /usr/lib/x86_64-linux-gnu/libc.so.6",
	"map 7ffff7efb000-7ffff7f4e000 r--p 17c000 /usr/lib/x86_64-linux-gnu/libc.so.6",
	"map 7ffff7f4e000-7ffff7f52000 r--p 1cf000 /usr/lib/x86_64-linux-gnu/libc.so.6",
	"map 7ffff7f52000-7ffff7f54000 rw-p 1d3000 /usr/lib/x86_64-linux-gnu/libc.so.6",
	"map 7ffff7f54000-7ffff7f61000 rw-p 0",
	"map 7ffff7fc2000-7ffff7fc6000 r--p 0 [vvar]",
	"map 7ffff7fc8000-7ffff7fca000 r-xp 0 [vdso]",
	"map 7ffffffde000-7ffffffff000 rw-p 0 [stack]",
	"map brk 0x55555557a000",
};

static struct session *ls_session(void)
{
	struct session *s = new_session(65536, 64, POLICY_CLOCK);
	OK(s, "map clear");
	assert_int_equal(cur(s)->nvmas, 0);
	for (size_t i = 0; i < sizeof ls_start / sizeof *ls_start; i++)
		OK(s, ls_start[i]);
	return s;
}

static void test_places_exactly(void **state)
{
	(void)state;
	struct session *s = ls_session();
	struct proc *p = cur(s);
	assert_int_equal(p->nvmas, 15);
	/* 15 lines, brk set by its own line */
	/* the RELRO part beside the read-only data stays a VMA of its own */
	const struct vma *relro = vm_find_vma(p, 0x555555577000);
	assert_non_null(relro);
	assert_int_equal(relro->start, 0x555555577000);
	assert_int_equal(relro->end, 0x555555578000);
	assert_int_equal(relro->file_off, 0x23000);
	assert_true(relro->flags & VMA_ACCOUNT);
	const struct vma *stack = vm_find_vma(p, 0x7ffffffde000);
	assert_true(stack->flags & VMA_STACK);
	assert_true(vm_find_vma(p, 0x7ffff7fc2000)->flags & VMA_SPECIAL);
	assert_int_equal(p->start_brk, 0x55555557a000);
	session_free(s);
}

static void test_malloc_as_real(void **state)
{
	(void)state;
	struct session *s = ls_session();
	OK(s, "v0 = vsz");
	OK(s, "p = malloc(472)");
	assert_int_equal(var(s, "p"), 0x55555557a2a0);
	OK(s, "expect vsz - v0 == 132K");
	session_free(s);
}

static void test_bad_input_changes_nothing(void **state)
{
	(void)state;
	struct session *s = ls_session();
	size_t n = cur(s)->nvmas;
	FAILS(s, "map 555555554000-555555555000 r--p 0 /usr/bin/ls", "overlaps a mapping");
	FAILS(s, "map 600000000001-600000002000 rw-p", "not a page-aligned range");
	FAILS(s, "map 600000002000-600000001000 rw-p", "not a page-aligned range");
	FAILS(s, "map 600000000000-600000001000 rwzp", "bad permissions 'rwzp'");
	FAILS(s, "map 6000000000-600000001000", "usage");
	FAILS(s, "map nonsense rw-p", "bad range 'nonsense'");
	assert_int_equal(cur(s)->nvmas, n);
	OK(s, "p = malloc(10)");
	FAILS(s, "map clear", "only before the first malloc");
	FAILS(s, "map brk 0x600000000000", "before it grows");
	assert_int_equal(cur(s)->nvmas, n + 1);
	session_free(s);
}

static void test_names_in_values(void **state)
{
	(void)state;
	struct session *s = new_session(1024, 64, POLICY_CLOCK);
	OK(s, "f0 = faults");
	OK(s, "r0 = rss");
	OK(s, "m = mmap(64K, rw)");
	OK(s, "touch m 16K");
	OK(s, "expect faults - f0 == 4");
	OK(s, "expect rss - r0 == 16K");
	FAILS(s, "expect rss - r0 == 12K", "failed");
	/* a variable of the same name wins */
	OK(s, "vsz = 5");
	OK(s, "expect vsz + 1 == 6");
	session_free(s);
}

/* mmap of a file (the form vmviz record writes): placed where an anonymous
 * mapping of that length would go (rec_mmap's /etc/passwd landed where the
 * engine puts it, tests/record.sh), its pages from the page cache, shared
 * between mappings; a private write copies, a shared one does not. */
static void test_mmap_file(void **state)
{
	(void)state;
	struct session *s = new_session(1024, 64, POLICY_CLOCK);
	struct vm *vm = s->vm;
	int nfiles = vm->nfiles;
	OK(s, "a = mmap(64K, r, \"/data/file.bin\")");
	const struct vma *va = vm_find_vma(cur(s), var(s, "a"));
	assert_non_null(va);
	assert_true(va->file >= 0);
	assert_false(va->flags & (VMA_ANON | VMA_ACCOUNT));
	assert_string_equal(va->name, "/data/file.bin");
	assert_int_equal(vm->nfiles, nfiles + 1);
	OK(s, "b = mmap(8K, rw, \"/data/file.bin\")");
	assert_true(vm_find_vma(cur(s), var(s, "b"))->flags & VMA_ACCOUNT); /* private, writable */
	assert_int_equal(vm->nfiles, nfiles + 1);                          /* the same file */
	OK(s, "c = mmap 4K r shared \"/data/file.bin\"");
	OK(s, "x = a[0]");
	pte_t pa = vm_pte(vm, vm->cur, var(s, "a"));
	assert_int_equal(vm->frames[PTE_NUM(pa)].kind, FRAME_FILE);
	OK(s, "y = c[0]");
	assert_int_equal(PTE_NUM(vm_pte(vm, vm->cur, var(s, "c"))), PTE_NUM(pa)); /* one page-cache page */
	assert_int_equal(var(s, "y"), var(s, "x"));
	OK(s, "b[0] = 7");
	pte_t pb = vm_pte(vm, vm->cur, var(s, "b"));
	assert_int_not_equal(PTE_NUM(pb), PTE_NUM(pa)); /* private: a copy */
	assert_int_equal(vm->frames[PTE_NUM(pb)].kind, FRAME_ANON);
	/* bad input: one line, nothing changed */
	size_t n = cur(s)->nvmas;
	FAILS(s, "mmap(4K, r, \"data.bin\")", "absolute path");
	FAILS(s, "mmap(4K, r, \"\")", "absolute path");
	FAILS(s, "mmap(0, r, \"/data/other\")", "greater than 0");
	FAILS(s, "mmap(4K, rw, shared, \"/data/other\")", "shared writable file mapping");
	FAILS(s, "mprotect c 4K rw", "shared file mapping");
	assert_int_equal(cur(s)->nvmas, n);
	assert_int_equal(vm->nfiles, nfiles + 1);
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_places_exactly),
		cmocka_unit_test(test_malloc_as_real),
		cmocka_unit_test(test_bad_input_changes_nothing),
		cmocka_unit_test(test_names_in_values),
		cmocka_unit_test(test_mmap_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
