/* test_stack.c - `call` and `return` against a real recursive C function
 * with a big local array (tests/probes/stack_frames.c, its runs recorded in
 * stack_frames.txt): the stack VMA grows down to the lowest byte written,
 * RSS only by the pages written, and past RLIMIT_STACK (8 MiB) the process
 * dies of SIGSEGV; the stack guard gap; return keeps the pages. */
#include "testutil.h"

#include "internal.h"

#include <inttypes.h>
#include <stdlib.h>

/* The recorded run "DEPTH FRAME MODE": the deltas at the deepest call, or
 * exit status 139 (SIGSEGV). */
struct stack_run {
	long vsz, rss, minflt;
	int exit;
	uint64_t main_sp;
};

static struct stack_run recorded_in(const char *file, const char *args)
{
	char path[128];
	snprintf(path, sizeof path, "tests/probes/%s", file);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run from the repository root)", path);
	char line[256], want[64];
	struct stack_run r = {0, 0, 0, -1, 0};
	snprintf(want, sizeof want, "# run: %s\n", args);
	bool in = false;
	while (fgets(line, sizeof line, f)) {
		if (strncmp(line, "# run:", 6) == 0)
			in = strcmp(line, want) == 0;
		else if (in && strncmp(line, "deepest:", 8) == 0)
			assert_int_equal(sscanf(line, "deepest: vsz %ld rss %ld minflt %ld", &r.vsz, &r.rss, &r.minflt), 3);
		else if (in && strncmp(line, "main sp", 7) == 0)
			r.main_sp = strtoull(line + 8, NULL, 16);
		else if (in && strncmp(line, "exit", 4) == 0)
			r.exit = atoi(line + 5);
	}
	fclose(f);
	assert_int_not_equal(r.exit, -1);
	return r;
}

static struct stack_run recorded(const char *args)
{
	return recorded_in("stack_frames.txt", args);
}

static struct session *stack_session_arch(enum arch_kind arch)
{
	/* Enough RAM that nothing is evicted, and overcommit 1: a real
	 * machine has GiBs to commit a few MiB of stack. */
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.frames = 4096;
	cfg.swap_slots = 0;
	cfg.arch = arch;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	OK(s, "set overcommit 1");
	return s;
}

static struct session *stack_session(void)
{
	return stack_session_arch(ARCH_X86_64);
}

/* DEPTH calls of FRAME bytes; the stack's growth against the real one. */
static void compare_arch(enum arch_kind arch, const char *args, int depth, const char *frame, bool whole)
{
	struct stack_run r = recorded_in(arch == ARCH_X86 ? "stack_frames_x86.txt" : "stack_frames.txt", args);
	struct session *s = stack_session_arch(arch);
	/* main's sp depends on the size of the environment: start where the
	 * probe's did. */
	cur(s)->sp = r.main_sp;
	uint64_t vsz = vm_vsz(s->vm, cur(s));
	char line[64];
	snprintf(line, sizeof line, "call %s%s", frame, whole ? "" : " lowest");
	for (int i = 0; i < depth && r.exit == 0; i++)
		OK(s, line);
	if (r.exit == 139) {
		for (int i = 0; i < depth - 1; i++)
			OK(s, line);
		OK(s, line); /* the last one dies */
		assert_int_equal(s->last_fault, FAULT_SEGV);
		assert_null(vm_proc(s->vm, 100));
		assert_non_null(strstr(s->out.s, "stack overflow: past the 8 MiB stack limit"));
		session_free(s);
		return;
	}
	assert_int_equal((long)((vm_vsz(s->vm, cur(s)) - vsz) >> 10), r.vsz);
	assert_int_equal(cur(s)->ncalls, (uint32_t)depth);
	session_free(s);
}

static void compare(const char *args, int depth, const char *frame, bool whole)
{
	compare_arch(ARCH_X86_64, args, depth, frame, whole);
}

/* A gcc -m32 process: main's sp 0xffffd808, the same 8 MiB. */
static void test_frames_against_real_x86(void **state)
{
	(void)state;
	struct session *s = stack_session_arch(ARCH_X86);
	assert_int_equal(cur(s)->sp, recorded_in("stack_frames_x86.txt", "1 1048576 one").main_sp);
	session_free(s);
	compare_arch(ARCH_X86, "4 65536 full", 4, "64K", true);
	compare_arch(ARCH_X86, "1 1048576 one", 1, "1M", false);
	compare_arch(ARCH_X86, "7 1048576 one", 7, "1M", false);
	compare_arch(ARCH_X86, "8 1048576 one", 8, "1M", false);
}

static void test_frames_against_real(void **state)
{
	(void)state;
	/* vmviz starts main's sp where the probe's was. */
	struct session *s = stack_session();
	assert_int_equal(cur(s)->sp, recorded("1 65536 full").main_sp);
	session_free(s);
	compare("4 65536 full", 4, "64K", true);
	compare("1 1048576 full", 1, "1M", true);
	compare("1 1048576 one", 1, "1M", false);
	compare("7 1048576 one", 7, "1M", false);
	compare("8 1048576 one", 8, "1M", false);
}

/* Writing only a[0]: VSZ grows by the whole frame, RSS by the one page
 * (the real run: rss +28 kB for 7 frames, one page each). */
static void test_lowest_byte_grows_vsz_not_rss(void **state)
{
	(void)state;
	struct stack_run r = recorded("7 1048576 one");
	struct session *s = stack_session();
	uint64_t rss = cur(s)->rss, min = cur(s)->minflt;
	for (int i = 0; i < 7; i++)
		OK(s, "call 1M lowest");
	assert_int_equal((long)((cur(s)->rss - rss) * 4), r.rss);
	assert_int_equal((long)(cur(s)->minflt - min) + 1, r.minflt); /* +1: the probe's own report */
	session_free(s);
}

/* Writing the whole array: one fault per page of the frame. */
static void test_whole_frame_faults_every_page(void **state)
{
	(void)state;
	struct session *s = stack_session();
	uint64_t min = cur(s)->minflt;
	vaddr_t sp = cur(s)->sp;
	OK(s, "call 64K");
	vaddr_t low = sp - 65536 - 16;
	/* Pages from low's up to the one below main's (already present). */
	uint64_t pages = (PAGE_DOWN(&s->vm->arch, sp) - PAGE_DOWN(&s->vm->arch, low)) / 4096;
	assert_int_equal(cur(s)->minflt - min, pages);
	assert_int_equal(cur(s)->sp, low);
	OK(s, "expect depth == 1");
	OK(s, "expect fault == minor");
	session_free(s);
}

/* return: sp goes back, the pages stay; the next call reuses them. */
static void test_return_keeps_pages(void **state)
{
	(void)state;
	struct session *s = stack_session();
	vaddr_t sp = cur(s)->sp;
	OK(s, "call 256K");
	uint64_t rss = cur(s)->rss, vsz = vm_vsz(s->vm, cur(s));
	OK(s, "return");
	assert_int_equal(cur(s)->sp, sp);
	assert_int_equal(cur(s)->rss, rss);
	assert_int_equal(vm_vsz(s->vm, cur(s)), vsz);
	uint64_t min = cur(s)->minflt;
	OK(s, "call 256K");
	assert_int_equal(cur(s)->minflt, min); /* all hits */
	OK(s, "expect fault == none");
	OK(s, "return");
	FAILS(s, "return", "return: no function call to return from");
	s->lang = LANG_ZH;
	FAILS(s, "return", "没有可以返回的函数调用");
	session_free(s);
}

/* The stack may not come within stack_guard_gap (256 pages) of the
 * mapping below it. */
static void test_guard_gap(void **state)
{
	(void)state;
	struct session *s = stack_session();
	struct vm *vm = s->vm;
	/* A mapping 2 MiB below the stack (as MAP_FIXED would put it). */
	struct proc *p = cur(s);
	const struct vma *st = vm_find_vma(p, p->sp);
	vaddr_t below = st->start - (2u << 20);
	struct vma v = {.start = below - 4096, .end = below, .prot = PROT_R | PROT_W, .flags = VMA_ANON | VMA_ACCOUNT, .file = -1,
			.anon_off = below - 4096};
	assert_non_null(vma_insert(p, &v));
	/* The stack (132 KiB, 2 MiB above it) may grow by 1 MiB at most. */
	OK(s, "call 900K lowest");
	assert_int_equal(vm_check(vm), 0);
	OK(s, "call 300K lowest");
	assert_int_equal(s->last_fault, FAULT_SEGV);
	assert_non_null(strstr(s->out.s, "stack overflow: into the guard gap"));
	session_free(s);
}

/* mmap never places a mapping in the guard gap either. */
static void test_mmap_keeps_out_of_the_guard_gap(void **state)
{
	(void)state;
	struct session *s = stack_session();
	struct proc *p = cur(s);
	const struct vma *st = vm_find_vma(p, p->sp);
	vaddr_t start = st->start;
	/* Raise mmap_base to the stack: the top-down search starts there. */
	p->mmap_base = start;
	OK(s, "a = mmap(4K)");
	assert_int_equal(var(s, "a"), start - 256 * 4096 - 4096);
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frames_against_real),
		cmocka_unit_test(test_frames_against_real_x86),
		cmocka_unit_test(test_lowest_byte_grows_vsz_not_rss),
		cmocka_unit_test(test_whole_frame_faults_every_page),
		cmocka_unit_test(test_return_keeps_pages),
		cmocka_unit_test(test_guard_gap),
		cmocka_unit_test(test_mmap_keeps_out_of_the_guard_gap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
