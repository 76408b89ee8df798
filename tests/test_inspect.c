/* test_inspect.c - the bytes in memory (dump, read ADDR LEN, 'a', *p,
 * memset, memcpy, strcpy) and the kernel's reports of them (smaps, status). */
#include "testutil.h"

#include <inttypes.h>
#include <stdlib.h>

#include "smaps.h"

/* The output of the last command. */
static const char *out(struct session *s)
{
	return s->out.s ? s->out.s : "";
}

static void test_dump_is_xxd(void **state)
{
	(void)state;
	struct session *s = new_session(256, 64, POLICY_CLOCK);
	OK(s, "p = malloc(100)");
	OK(s, "strcpy(p, \"secret\")");
	OK(s, "dump p 40");
	/* What `xxd -o 0x5555555592a0` prints for the same 40 bytes. */
	assert_string_equal(out(s), "5555555592a0: 7365 6372 6574 0000 0000 0000 0000 0000  secret..........\n"
				    "5555555592b0: 0000 0000 0000 0000 0000 0000 0000 0000  ................\n"
				    "5555555592c0: 0000 0000 0000 0000                      ........\n");
	OK(s, "p[1] = 0xff");
	OK(s, "p[2] = 0x7f");
	OK(s, "p[3] = '~'");
	OK(s, "dump p+1 3");
	assert_string_equal(out(s), "5555555592a1: ff7f 7e                                  ..~\n");
	OK(s, "dump p"); /* 64 bytes by default */
	assert_int_equal(strlen(out(s)), 4 * 72);
	session_free(s);
}

/* dump reads as the process would: an untouched anonymous page maps the
 * zero page (a minor fault, no RSS), as Linux does on a read. */
static void test_dump_faults_as_a_read(void **state)
{
	(void)state;
	struct session *s = new_session(256, 64, POLICY_CLOCK);
	OK(s, "m = mmap 64K");
	uint64_t min0 = cur(s)->minflt, rss0 = cur(s)->rss;
	OK(s, "dump m+8K 32");
	assert_int_equal(cur(s)->minflt, min0 + 1);
	assert_int_equal(cur(s)->rss, rss0);
	assert_int_equal(PTE_NUM(vm_pte(s->vm, s->vm->cur, var(s, "m") + 8192)), s->vm->zero_pfn);
	OK(s, "dump m+8K 32"); /* now a hit */
	assert_int_equal(cur(s)->minflt, min0 + 1);
	/* A dump across a page boundary faults each page. */
	OK(s, "dump m+16K-8 16");
	assert_int_equal(cur(s)->minflt, min0 + 3);
	session_free(s);
}

/* An unreadable byte anywhere in the range: EFAULT, nothing read at all. */
static void test_dump_refuses_without_change(void **state)
{
	(void)state;
	struct session *s = new_session(256, 64, POLICY_CLOCK);
	OK(s, "m = mmap 8K");
	OK(s, "munmap m+4K 4K");
	OK(s, "n = mmap 4K none");
	uint64_t seq = s->vm->log.next_seq, min0 = cur(s)->minflt;
	FAILS(s, "dump 0x10", "0x10 is not readable (EFAULT)");
	FAILS(s, "dump m+4K-4 8", "is not readable (EFAULT)");
	FAILS(s, "dump n 16", "is not readable (EFAULT)");
	FAILS(s, "dump m 0", "length must be 1 to 4096");
	FAILS(s, "dump m 4097", "length must be 1 to 4096");
	FAILS(s, "dump", "usage: dump ADDR [LEN]");
	FAILS(s, "dump nosuch", "unknown variable 'nosuch'");
	assert_int_equal(s->vm->log.next_seq, seq);
	assert_int_equal(cur(s)->minflt, min0);
	OK(s, "dump m 4096"); /* the most there is */
	FAILS(s, "dump m 4097", "length must be 1 to 4096");
	session_free(s);
}

static void test_char_literals_and_deref(void **state)
{
	(void)state;
	struct session *s = new_session(256, 64, POLICY_CLOCK);
	OK(s, "c = 'a'");
	assert_int_equal(var(s, "c"), 97);
	OK(s, "c = '\\n' + '\\0' + '\\\\'");
	assert_int_equal(var(s, "c"), 10 + 0 + 92);
	OK(s, "c = '#'"); /* not a comment */
	assert_int_equal(var(s, "c"), '#');
	FAILS(s, "c = 'ab'", "bad character literal");
	FAILS(s, "c = ''", "bad character literal");
	FAILS(s, "c = '\\q'", "bad character literal");
	OK(s, "p = malloc(32)");
	OK(s, "*p = 'x'");
	OK(s, "*(p + 8) = 'y'");
	OK(s, "p[9] = 'z'");
	OK(s, "expect *p == 'x'");
	OK(s, "expect *(p + 8) == 121");
	OK(s, "x = *(p + 9)");
	assert_int_equal(var(s, "x"), 'z');
	OK(s, "y = *p + 1");
	assert_int_equal(var(s, "y"), 'y');
	OK(s, "*p");
	assert_string_equal(out(s), "*p = 120\n");
	OK(s, "memset(p + 16, ',', 3)"); /* a comma inside a literal is no separator */
	OK(s, "expect p[18] == ','");
	OK(s, "expect p[19] == 0");
	OK(s, "*0x10 = 1"); /* a store the MMU refuses: the process dies */
	assert_true(s->died);
	session_free(s);
}

static void test_memset_and_strcpy_cross_pages(void **state)
{
	(void)state;
	struct session *s = new_session(256, 64, POLICY_CLOCK);
	OK(s, "m = mmap 16K");
	uint64_t min0 = cur(s)->minflt;
	OK(s, "memset(m + 4090, 'z', 20)");
	assert_int_equal(cur(s)->minflt, min0 + 2);
	OK(s, "expect m[4089] == 0");
	OK(s, "expect m[4090] == 'z'");
	OK(s, "expect m[4109] == 'z'");
	OK(s, "expect m[4110] == 0");
	OK(s, "strcpy(m + 8190, \"secret\")");
	assert_int_equal(cur(s)->minflt, min0 + 3);
	OK(s, "read m+8190 8");
	assert_string_equal(out(s), "m+8190[0..7] = \"secret\\0\\0\"\n");
	OK(s, "memcpy(m + 12K - 3, m + 8190, 7)");
	OK(s, "read m+12K-3 8");
	assert_string_equal(out(s), "m+12K-3[0..7] = \"secret\\0\\0\"\n");
	FAILS(s, "strcpy(m, m)", "the source must be a \"string\"");
	FAILS(s, "strcpy(m, \"a\\0b\")", "has a \\0 inside");
	FAILS(s, "memset(m, 256, 1)", "does not fit in a byte");
	FAILS(s, "memset(m, 1)", "usage: memset(ADDR, VALUE, N)");
	FAILS(s, "memcpy(m, m, 1G)", "at most");
	session_free(s);
}

/* memcpy from a source that runs into an unmapped page: SIGSEGV at its
 * first byte, the bytes before it already stored (seen from the parent
 * through shared memory, since the copier dies). */
static void test_memcpy_dies_at_the_first_bad_byte(void **state)
{
	(void)state;
	struct session *s = new_session(256, 64, POLICY_CLOCK);
	OK(s, "src = mmap 8K");
	OK(s, "munmap src+4K 4K");
	OK(s, "memset(src, 'A', 4096)");
	OK(s, "dst = mmap 8K rw shared");
	int parent = s->vm->cur;
	OK(s, "c = fork");
	OK(s, "proc c");
	OK(s, "memcpy(dst, src + 4000, 200)");
	assert_true(s->died);
	assert_non_null(vm_proc(s->vm, parent));
	assert_null(vm_proc(s->vm, (int)var(s, "c")));
	char want[64];
	snprintf(want, sizeof want, "no mapping at 0x%" PRIx64, var(s, "src") + 4096);
	assert_non_null(strstr(out(s), want));
	char line[32];
	snprintf(line, sizeof line, "proc %d", parent);
	OK(s, line);
	OK(s, "expect dst[95] == 'A'");
	OK(s, "expect dst[96] == 0");
	session_free(s);
}

static void test_read_len(void **state)
{
	(void)state;
	struct session *s = new_session(256, 64, POLICY_CLOCK);
	OK(s, "p = malloc(16)");
	OK(s, "write p \"hi\\n\\\"x\"");
	OK(s, "read p 6");
	assert_string_equal(out(s), "p[0..5] = \"hi\\n\\\"x\\0\"\n");
	FAILS(s, "x = read p 6", "gives no value");
	FAILS(s, "read p 0", "length must be 1 to 4096");
	OK(s, "read 0x10 4");
	assert_true(s->died);
	session_free(s);
}

/* One VMA's counters, found by an address in it. */
static struct smaps_vma vma_counts(struct session *s, int pid, uint64_t va)
{
	struct proc *p = vm_proc(s->vm, pid);
	struct smaps_vma *c = calloc(p->nvmas, sizeof *c), r = {0};
	smaps_count(s->vm, p, c);
	for (size_t i = 0; i < p->nvmas; i++)
		if (p->vmas[i].start <= va && va < p->vmas[i].end)
			r = c[i];
	free(c);
	return r;
}

static void test_smaps_shares_after_fork(void **state)
{
	(void)state;
	struct session *s = new_session(1024, 64, POLICY_CLOCK);
	OK(s, "m = mmap 64K");
	OK(s, "touch m 16K");
	OK(s, "dump m+16K 16"); /* the zero page: in no count */
	int parent = s->vm->cur;
	struct smaps_vma c = vma_counts(s, parent, var(s, "m"));
	assert_int_equal(c.rss, 16384);
	assert_int_equal(c.pss >> SMAPS_PSS_SHIFT, 16384);
	assert_int_equal(c.private_dirty, 16384);
	assert_int_equal(c.anonymous, 16384);
	assert_int_equal(c.referenced, 16384);
	OK(s, "k = fork");
	int child = (int)var(s, "k");
	c = vma_counts(s, child, var(s, "m"));
	assert_int_equal(c.rss, 16384);
	assert_int_equal(c.pss >> SMAPS_PSS_SHIFT, 8192);
	assert_int_equal(c.shared_dirty, 16384);
	assert_int_equal(c.private_dirty, 0);
	assert_int_equal(c.referenced, 0); /* the child's PTEs start old */
	OK(s, "proc k");
	OK(s, "m[0] = 1"); /* copy-on-write: one page private to each */
	c = vma_counts(s, child, var(s, "m"));
	assert_int_equal(c.private_dirty, 4096);
	assert_int_equal(c.shared_dirty, 12288);
	assert_int_equal(c.pss >> SMAPS_PSS_SHIFT, 4096 + 6144);
	OK(s, "smaps");
	assert_non_null(strstr(out(s), "Pss:                  10 kB\n"));
	session_free(s);
}

static void test_smaps_swap_and_vmflags(void **state)
{
	(void)state;
	struct session *s = new_session(64, 256, POLICY_FIFO);
	OK(s, "m = mmap 512K");
	OK(s, "touch m");
	struct smaps_vma c = vma_counts(s, s->vm->cur, var(s, "m"));
	assert_true(c.swap > 0);
	assert_true(c.swap <= cur(s)->swapents * 4096);
	assert_int_equal(c.swap_pss, c.swap);
	assert_int_equal(c.rss + c.swap, 512 * 1024);
	char flags[64];
	struct proc *p = cur(s);
	smaps_vmflags(vm_find_vma(p, var(s, "m")), flags, sizeof flags);
	assert_string_equal(flags, "rd wr mr mw me ac ");
	smaps_vmflags(vm_find_vma(p, 0x7ffffffff000 - 8), flags, sizeof flags);
	assert_string_equal(flags, "rd wr mr mw me gd ac ");
	smaps_vmflags(vm_find_vma(p, 0x555555555000), flags, sizeof flags);
	assert_string_equal(flags, "rd ex mr mw me ");
	OK(s, "sh = mmap 8K rw shared");
	smaps_vmflags(vm_find_vma(cur(s), var(s, "sh")), flags, sizeof flags);
	assert_string_equal(flags, "rd wr sh mr mw me ms ");
	FAILS(s, "smaps 999", "no process 999");
	FAILS(s, "smaps 1 2", "usage: smaps [PID]");
	session_free(s);
}

static void test_status_lines(void **state)
{
	(void)state;
	struct session *s = new_session(1024, 64, POLICY_CLOCK);
	struct proc_status st;
	proc_status_count(s->vm, cur(s), &st);
	/* The measured a.out at main(): tests/probes/smaps_steps.txt. */
	assert_int_equal(st.size >> 10, 2344);
	assert_int_equal(st.data >> 10, 92);
	assert_int_equal(st.stk >> 10, 132);
	assert_int_equal(st.exe >> 10, 4);
	assert_int_equal(st.lib >> 10, 1528);
	OK(s, "p = malloc(1M)");
	OK(s, "touch p");
	uint64_t peak_rss = vm_rss(s->vm, cur(s));
	OK(s, "free(p)");
	proc_status_count(s->vm, cur(s), &st);
	assert_int_equal(st.peak >> 10, 2344 + 1040 - 12 + 132); /* with the 132K heap */
	assert_int_equal(st.size >> 10, 2344 + 132);
	assert_int_equal(st.hwm, peak_rss);
	assert_int_equal(st.rss, vm_rss(s->vm, cur(s)));
	assert_int_equal(st.rss, st.rss_anon + st.rss_file + st.rss_shmem);
	OK(s, "status");
	assert_non_null(strstr(out(s), "VmSize:\t    2476 kB\nVmLck:\t       0 kB\n"));
	FAILS(s, "status x", "unknown variable");
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dump_is_xxd),
		cmocka_unit_test(test_dump_faults_as_a_read),
		cmocka_unit_test(test_dump_refuses_without_change),
		cmocka_unit_test(test_char_literals_and_deref),
		cmocka_unit_test(test_memset_and_strcpy_cross_pages),
		cmocka_unit_test(test_memcpy_dies_at_the_first_bad_byte),
		cmocka_unit_test(test_read_len),
		cmocka_unit_test(test_smaps_shares_after_fork),
		cmocka_unit_test(test_smaps_swap_and_vmflags),
		cmocka_unit_test(test_status_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
