/* test_pagetable.c - address geometry, tables allocated on demand and
 * freed when empty, on x86-64 (4 levels) and x86 (2 levels). */
#include "testutil.h"

#include "pagetable.h"

static void test_x86_64_indexes(void **state)
{
	(void)state;
	struct arch a;
	assert_true(arch_init(&a, ARCH_X86_64, 4096));
	vaddr_t va = 0x5555555592a0;
	assert_int_equal(arch_index(&a, 0, va), 0xaa);
	assert_int_equal(arch_index(&a, 1, va), 0x155);
	assert_int_equal(arch_index(&a, 2, va), 0xaa);
	assert_int_equal(arch_index(&a, 3, va), 0x159);
	assert_int_equal(PAGE_OFF(&a, va), 0x2a0);
	assert_string_equal(a.level_names[2], "PMD");
	assert_false(arch_init(&a, ARCH_X86_64, 3000));
	assert_false(arch_init(&a, ARCH_X86_64, 1024));
}

static void test_x86_two_levels(void **state)
{
	(void)state;
	struct arch a;
	assert_true(arch_init(&a, ARCH_X86, 4096));
	assert_int_equal(a.levels, 2);
	assert_int_equal(arch_index(&a, 0, 0x08049123), 0x20);
	assert_int_equal(arch_index(&a, 1, 0x08049123), 0x49);
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.arch = ARCH_X86;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	OK(s, "p = malloc(100)");
	assert_int_equal(var(s, "p"), 0x5655a1a0); /* gcc -m32 PIE, glibc 2.36, measured */
	OK(s, "p[0] = 1");
	OK(s, "translate p");
	assert_non_null(strstr(s->out.s, "PGD[345]"));
	assert_non_null(strstr(s->out.s, "PTE[346]"));
	OK(s, "write 0xffffe000 1"); /* past TASK_SIZE of a 32-bit process on a 64-bit kernel */
	assert_int_equal(s->last_fault, FAULT_SEGV);
	assert_non_null(strstr(s->out.s, "above user space (TASK_SIZE)"));
	session_free(s);
}

static void test_tables_on_demand_and_freed(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	struct proc *p = cur(s);
	uint32_t before = p->ntables;
	/* Far from everything: a new PUD, PMD and PTE table. */
	OK(s, "q = mmap(4K)");
	OK(s, "munmap q");
	OK(s, "set overcommit 1"); /* 2 MiB is more than RAM + swap here */
	OK(s, "p = mmap(2M)");
	uint64_t base = var(s, "p");
	OK(s, "p[0] = 1");
	uint32_t mid = cur(s)->ntables;
	assert_true(mid > before);
	pte_t pte = vm_pte(s->vm, s->vm->cur, base);
	assert_true(PTE_PRESENT(pte));
	assert_true(pte & PTE_U);
	assert_true(pte & PTE_W);
	assert_true(pte & PTE_A);
	assert_true(pte & PTE_D);
	assert_true(pte & PTE_NX);
	OK(s, "munmap p");
	assert_true(cur(s)->ntables < mid);
	assert_int_equal(vm_pte(s->vm, s->vm->cur, base), 0);
	session_free(s);
}

static void test_translate_walk(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(10)");
	OK(s, "translate p");
	assert_non_null(strstr(s->out.s, "PGD[170]"));
	assert_non_null(strstr(s->out.s, "PUD[341]"));
	assert_non_null(strstr(s->out.s, "PMD[170]"));
	assert_non_null(strstr(s->out.s, "PTE[345]"));
	assert_non_null(strstr(s->out.s, "physical address"));
	struct walk w;
	vm_translate(s->vm, 100, var(s, "p"), &w);
	assert_int_equal(w.levels, 4);
	assert_true(w.present);
	assert_int_equal(w.paddr, ((uint64_t)w.pfn << 12) | 0x2a0);
	OK(s, "translate 0x10");
	assert_non_null(strstr(s->out.s, "no table"));
	OK(s, "translate 0xffff800000000000");
	assert_non_null(strstr(s->out.s, "kernel address"));
	session_free(s);
}

static void test_maps_format(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "maps");
	assert_non_null(strstr(s->out.s, "555555554000-555555555000 r--p 00000000 fe:00 10952749                   "
					 "/home/user/a.out\n"));
	assert_non_null(strstr(s->out.s, "7ffff7fa8000-7ffff7fb5000 rw-p 00000000 00:00 0 \n"));
	assert_non_null(strstr(s->out.s, "7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]\n"));
	assert_non_null(strstr(s->out.s, "ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]\n"));
	assert_null(strstr(s->out.s, "[heap]")); /* no heap before the first malloc */
	OK(s, "p = mmap(8K, r, shared)");
	OK(s, "maps");
	/* The top of the 44 KiB hole; a shmem file, as Linux shows it. */
	assert_non_null(strstr(s->out.s, "7ffff7fbe000-7ffff7fc0000 r--s 00000000 00:01 1024                       "
					 "/dev/zero (deleted)\n"));
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_x86_64_indexes),      cmocka_unit_test(test_x86_two_levels),
		cmocka_unit_test(test_tables_on_demand_and_freed), cmocka_unit_test(test_translate_walk),
		cmocka_unit_test(test_maps_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
