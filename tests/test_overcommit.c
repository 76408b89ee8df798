/* test_overcommit.c - vm.overcommit_memory 0, 1 and 2 and what Committed_AS
 * counts, against what this machine's kernel did (tests/probes/
 * mmap_commit.txt and mmap_overcommit0.txt, scaled from GiB to MiB). */
#include "testutil.h"

#include "internal.h"

#include <inttypes.h>

/* GiB there become 2 MiB here: both multiples of the PMD size, so THP
 * alignment places them as it placed the GiB (adjacent, no anon_vma). */
#define MIB (2ull << 20)

static struct session *machine(uint32_t frames, uint32_t swap, int mode)
{
	struct session *s = new_session(frames, swap, POLICY_CLOCK);
	char line[32];
	snprintf(line, sizeof line, "set overcommit %d", mode);
	OK(s, line);
	return s;
}

static int64_t committed_mib_delta(struct session *s, uint64_t before)
{
	int64_t d = (int64_t)vm_committed_as(s->vm) - (int64_t)before;
	return d * 4096 / (int64_t)MIB;
}

/* mmap_commit.txt, step for step (GiB there, MiB here). */
static void test_what_is_charged(void **state)
{
	(void)state;
	struct session *s = machine(64, 0, 1);
	struct vm *vm = s->vm;
	int pid = vm->cur;
	uint64_t c = vm_committed_as(vm);
	vaddr_t rw = vm_mmap(vm, pid, MIB, PROT_R | PROT_W, 0, "");
	assert_int_equal(committed_mib_delta(s, c), 1); /* mmap 1G rw private: +1 */
	c = vm_committed_as(vm);
	vaddr_t ro = vm_mmap(vm, pid, MIB, PROT_R, 0, "");
	assert_int_equal(committed_mib_delta(s, c), 0); /* r private: +0 */
	c = vm_committed_as(vm);
	assert_int_not_equal(vm_mmap(vm, pid, MIB, PROT_R, VMA_SHARED, ""), 0);
	assert_int_equal(committed_mib_delta(s, c), 1); /* r shared: +1 */
	c = vm_committed_as(vm);
	assert_int_equal(vm_mprotect(vm, pid, ro, MIB, PROT_R | PROT_W), 0);
	assert_int_equal(committed_mib_delta(s, c), 1); /* r -> rw: +1 */
	c = vm_committed_as(vm);
	assert_int_equal(vm_mprotect(vm, pid, ro, MIB, PROT_R), 0);
	assert_int_equal(committed_mib_delta(s, c), -1); /* back, never written: -1 */
	c = vm_committed_as(vm);
	assert_int_equal(vm_mprotect(vm, pid, ro, MIB, PROT_R | PROT_W), 0);
	assert_int_equal(vm_write_buf(vm, pid, ro, "x", 1), 0);
	assert_int_equal(vm_mprotect(vm, pid, ro, MIB, PROT_R), 0);
	assert_int_equal(committed_mib_delta(s, c), 1); /* written, then r: stays +1 */
	c = vm_committed_as(vm);
	struct proc *p = cur(s);
	assert_int_equal(vm_brk(vm, pid, p->brk + MIB), 0);
	assert_int_equal(committed_mib_delta(s, c), 1); /* sbrk 1G: +1 */
	c = vm_committed_as(vm);
	vaddr_t mv = vm_mremap(vm, pid, rw, MIB, 2 * MIB, true);
	assert_int_not_equal(mv, 0);
	assert_int_equal(committed_mib_delta(s, c), 1); /* mremap 1G -> 2G: +1 */
	c = vm_committed_as(vm);
	assert_int_equal(vm_munmap(vm, pid, mv, 2 * MIB), 0);
	assert_int_equal(committed_mib_delta(s, c), -2); /* munmap: -2 */
	c = vm_committed_as(vm);
	OK(s, "fork");
	/* The child is charged for its own copy of every private writable
	 * mapping (the 1 MiB heap growth and the written one among them);
	 * the shared object is counted once. Linux: +2 GiB for those two. */
	int64_t d = (int64_t)vm_committed_as(vm) - (int64_t)c;
	assert_int_equal(d, (int64_t)(c - MIB / 4096)); /* everything but the shared object, again */
	assert_int_equal(vm_check(vm), 0);
	session_free(s);
}

/* mmap_overcommit0.txt: RAM + swap is 24 GiB there, 1 MiB here. */
static void test_mode0_refuses_one_request_over_ram_and_swap(void **state)
{
	(void)state;
	struct session *s = machine(256, 0, 0);
	struct vm *vm = s->vm;
	int pid = vm->cur;
	size_t nvmas = cur(s)->nvmas;
	uint64_t vsz = vm_vsz(vm, cur(s));
	assert_int_equal(vm_mmap(vm, pid, 2 * MIB, PROT_R | PROT_W, 0, ""), 0); /* 40G rw: ENOMEM */
	assert_non_null(strstr(vm->err, "mmap: cannot allocate memory (ENOMEM)"));
	assert_int_equal(cur(s)->nvmas, nvmas);
	assert_int_equal(vm_vsz(vm, cur(s)), vsz);
	vaddr_t ro = vm_mmap(vm, pid, 2 * MIB, PROT_R, 0, ""); /* 40G r: ok */
	assert_int_not_equal(ro, 0);
	assert_int_equal(vm_mprotect(vm, pid, ro, 2 * MIB, PROT_R | PROT_W), -1); /* ENOMEM */
	assert_non_null(strstr(vm->err, "ENOMEM"));
	assert_int_equal(vm_find_vma(cur(s), ro)->prot, PROT_R);
	assert_int_equal(vm_mmap(vm, pid, 2 * MIB, PROT_R, VMA_SHARED, ""), 0); /* 40G r shared: ENOMEM */
	vaddr_t a = vm_mmap(vm, pid, 768 << 10, PROT_R | PROT_W, 0, ""); /* 20G rw twice: ok ok */
	vaddr_t b = vm_mmap(vm, pid, 768 << 10, PROT_R | PROT_W, 0, "");
	assert_int_not_equal(a, 0);
	assert_int_not_equal(b, 0);
	assert_int_not_equal(vm_mremap(vm, pid, b, 768 << 10, 1536 << 10, true), 0); /* 20G -> 40G: ok */
	assert_int_equal(vm_check(vm), 0);
	session_free(s);
}

/* malloc(1G) in mode 0: glibc sets up its heap first (its tcache: brk
 * +132K), then the kernel refuses the mmap, the brk and the 1 MiB mmap
 * fallback: malloc returns NULL. Measured: malloc(40G) on a 24 GiB machine
 * (tests/probes case refused_40g). */
static void test_refused_malloc_returns_null(void **state)
{
	(void)state;
	struct session *s = machine(64, 16, 0);
	uint64_t vsz = vm_vsz(s->vm, cur(s)), brk = cur(s)->brk;
	OK(s, "p = malloc(1G)");
	assert_int_equal(var(s, "p"), 0);
	assert_true(cur(s)->heap.initialised);
	assert_int_equal(cur(s)->brk, brk + 132 * 1024);
	assert_int_equal(vm_vsz(s->vm, cur(s)), vsz + 132 * 1024);
	session_free(s);
}

static void test_mode1_grants_anything(void **state)
{
	(void)state;
	struct session *s = machine(16, 0, 1);
	OK(s, "p = mmap(1G)");
	OK(s, "q = malloc(1G)");
	session_free(s);
}

/* Strict: CommitLimit = swap + RAM x 50%, less the reserves, and
 * Committed_AS with the request must stay below it. */
static void test_mode2_strict(void **state)
{
	(void)state;
	struct session *s = machine(256, 256, 2);
	struct vm *vm = s->vm;
	assert_int_equal(vm_commit_limit(vm), 256 * 50 / 100 + 256);
	uint64_t used = vm_committed_as(vm);
	/* Reserves: admin min(free/32, 8 MiB) = 7 pages (240 free frames),
	 * user min(total_vm/32, 7): total_vm is 586 pages, so 7. */
	uint64_t room = vm_commit_limit(vm) - 7 - 7 - used;
	char line[64];
	snprintf(line, sizeof line, "a = mmap(%" PRIu64 ")", room * 4096);
	FAILS(s, line, "mmap: cannot allocate memory (ENOMEM): Committed_AS would be");
	snprintf(line, sizeof line, "a = mmap(%" PRIu64 ")", (room - 1) * 4096);
	OK(s, line);
	/* A read-only private mapping is not charged; brk is. */
	OK(s, "r = mmap(1M, r)");
	uint64_t brk = cur(s)->brk;
	FAILS(s, "brk +4K", "brk: cannot allocate memory (ENOMEM)");
	assert_int_equal(cur(s)->brk, brk);
	/* A malloc that needs the heap fails the same way: brk and glibc's
	 * 1 MiB mmap fallback are refused, malloc returns NULL, and nothing
	 * is set up, not even glibc's tcache. */
	uint64_t vsz = vm_vsz(vm, cur(s));
	OK(s, "m = malloc(16)");
	assert_int_equal(var(s, "m"), 0);
	assert_false(cur(s)->heap.initialised);
	assert_int_equal(cur(s)->brk, brk);
	assert_int_equal(vm_vsz(vm, cur(s)), vsz);
	OK(s, "stats");
	assert_non_null(strstr(s->out.s, "CommitLimit:        1536 kB\n"));
	assert_non_null(strstr(s->out.s, "Committed_AS:"));
	session_free(s);
}

/* fork charges the child's copies: in strict mode it can fail. */
static void test_fork_is_charged(void **state)
{
	(void)state;
	struct session *s = machine(256, 64, 2);
	/* CommitLimit 64 slots + 128 frames = 768 KiB; a fresh process
	 * commits 252 KiB (data, bss, loader memory, 132 KiB of stack). */
	assert_int_equal(vm_committed_as(s->vm) * 4, 252);
	OK(s, "m = mmap(300K)");
	int n = s->vm->nprocs;
	FAILS(s, "fork", "fork: cannot allocate memory (ENOMEM)");
	assert_int_equal(s->vm->nprocs, n);
	OK(s, "set overcommit 0");
	OK(s, "fork");
	assert_int_equal(vm_committed_as(s->vm) * 4, 2 * 552);
	session_free(s);
}

static void test_set_overcommit(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	assert_int_equal(s->vm->overcommit, 0);
	OK(s, "set overcommit 2");
	assert_int_equal(s->vm->overcommit, 2);
	OK(s, "set frames 64"); /* a restart keeps it */
	assert_int_equal(s->vm->overcommit, 2);
	FAILS(s, "set overcommit 3", "overcommit must be 0, 1 or 2");
	FAILS(s, "set overcommit x", "overcommit must be 0, 1 or 2");
	assert_int_equal(s->vm->overcommit, 2);
	s->lang = LANG_ZH;
	OK(s, "set overcommit 0");
	FAILS(s, "p = mmap(1G)", "内存不足（ENOMEM）");
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_what_is_charged),
		cmocka_unit_test(test_mode0_refuses_one_request_over_ram_and_swap),
		cmocka_unit_test(test_refused_malloc_returns_null),
		cmocka_unit_test(test_mode1_grants_anything),
		cmocka_unit_test(test_mode2_strict),
		cmocka_unit_test(test_fork_is_charged),
		cmocka_unit_test(test_set_overcommit),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
