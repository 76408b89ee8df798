/* test_vma.c - the address space as Linux 6.18 builds it: the initial maps,
 * where mmap places things (top-down, the 44 KiB hole, THP alignment), VMA
 * merging and splitting, mprotect and mremap. The truth is the probe runs
 * recorded in tests/probes/ (mmap_steps.c, re-run by mmap_record.sh): each
 * is replayed here step by step and compared. */
#include "testutil.h"

#include "internal.h"
#include "pagetable.h"

#include <inttypes.h>
#include <stdlib.h>

#define PROBES "tests/probes/"

/* One recorded run: its steps and the maps at the end. */
struct step {
	char arg[64];
	uint64_t ret;
	int err;
	long vsz, rss, minflt;
	bool after_maps;   /* an M step printed the maps just before: the probe's
			    * own stack buffer grew its RSS */
};

struct run {
	struct step step[32];
	int nsteps;
	char maps[64][512];
	int nmaps;
	long vmsize;
};

static void read_run(const char *name, struct run *r)
{
	char path[256], line[512];
	snprintf(path, sizeof path, PROBES "%s", name);
	FILE *f = fopen(path, "r");
	if (!f)
		fail_msg("cannot open %s (run the tests from the repository root)", path);
	memset(r, 0, sizeof *r);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		struct step *st = &r->step[r->nsteps];
		int n = 0;
		if (sscanf(line, "step %*d %63[^:]%n", st->arg, &n) == 1 && n > 0) {
			/* The argument runs up to ": ret=". */
			char *colon = strstr(line, ": ret=");
			assert_non_null(colon);
			const char *a = strchr(strchr(line, ' ') + 1, ' ') + 1;
			size_t len = (size_t)(colon - a);
			memcpy(st->arg, a, len);
			st->arg[len] = 0;
			assert_int_equal(sscanf(colon, ": ret=%" SCNx64 " errno=%d vsz=%ld rss=%ld minflt+%ld", &st->ret,
						&st->err, &st->vsz, &st->rss, &st->minflt),
					 5);
			st->after_maps = r->nmaps > 0;
			r->nsteps++;
			r->nmaps = 0; /* maps printed by an M step are not the final ones */
		} else if (strncmp(line, "  VmSize:", 9) == 0) {
			r->vmsize = strtol(line + 10, NULL, 10);
		} else if (strncmp(line, "  ", 2) == 0 && r->nmaps < 64) {
			snprintf(r->maps[r->nmaps++], sizeof r->maps[0], "%s", line + 2);
		}
	}
	fclose(f);
}

/* A maps line without the device and inode, and with file names reduced to
 * "file" (the probe is not /home/user/a.out): what must match. */
static void normalise(const char *line, char *out, size_t size)
{
	char range[64], perms[8], off[32], dev[16], name[128] = "";
	unsigned long inode;
	int n = sscanf(line, "%63s %7s %31s %15s %lu %127[^\n]", range, perms, off, dev, &inode, name);
	assert_true(n >= 5);
	const char *nm = name[0] == '[' ? name : name[0] ? "file" : "";
	snprintf(out, size, "%s %s %s %s", range, perms, off, nm);
}

static uint64_t size_arg(const char *s)
{
	char *e;
	uint64_t v = strtoull(s, &e, 0);
	if (*e == 'K')
		v <<= 10;
	else if (*e == 'M')
		v <<= 20;
	else if (*e == 'G')
		v <<= 30;
	return v;
}

static unsigned prot_arg(const char *s)
{
	if (!s || !strcmp(s, "rw"))
		return PROT_R | PROT_W;
	if (!strcmp(s, "r"))
		return PROT_R;
	if (!strcmp(s, "rx"))
		return PROT_R | PROT_X;
	return 0;
}

/* Replays a recorded run in vmviz and compares every step and the maps. */
static void replay_arch(const char *name, enum arch_kind arch)
{
	struct run r;
	read_run(name, &r);
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.frames = 4096;
	cfg.swap_slots = 0;
	cfg.arch = arch;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	struct vm *vm = s->vm;
	int pid = vm->cur;
	struct proc *p = cur(s);
	vaddr_t maps[32] = {0};
	int nm = 0;
	for (int i = 0; i < r.nsteps; i++) {
		const struct step *st = &r.step[i];
		char arg[64], *f[6] = {0};
		snprintf(arg, sizeof arg, "%s", st->arg);
		int nf = 0;
		for (char *t = strtok(arg, ":"); t && nf < 6; t = strtok(NULL, ":"))
			f[nf++] = t;
		uint64_t rss0 = vm_rss(vm, p) >> 10, min0 = p->minflt;
		uint64_t ret = 0;
		switch (f[0][0]) {
		case 'm':
			ret = vm_mmap(vm, pid, size_arg(f[1]), prot_arg(f[2]), f[3] ? VMA_SHARED : 0, "");
			maps[nm++] = ret;
			break;
		case 'u':
			ret = (uint64_t)vm_munmap(vm, pid, maps[atoi(f[1])] + size_arg(f[2]), size_arg(f[3]));
			break;
		case 'p':
			ret = (uint64_t)vm_mprotect(vm, pid, maps[atoi(f[1])] + size_arg(f[2]), size_arg(f[3]),
						    prot_arg(f[4]));
			break;
		case 'r':
			ret = vm_mremap(vm, pid, maps[atoi(f[1])], size_arg(f[2]), size_arg(f[3]), !f[4]);
			if (ret)
				maps[atoi(f[1])] = ret;
			else
				ret = UINT64_MAX; /* MAP_FAILED */
			break;
		case 'w':
			for (uint64_t o = 0; o < size_arg(f[3]); o += 4096)
				assert_int_equal(vm_write_buf(vm, pid, maps[atoi(f[1])] + size_arg(f[2]) + o, "\1", 1), 0);
			break;
		default:
			fail_msg("%s: step '%s' is not replayable", name, st->arg);
		}
		if (vm_check(vm) != 0)
			fail_msg("%s step %d %s: %s", name, i + 1, st->arg, vm->err);
		if (ret != st->ret)
			fail_msg("%s step %d %s: vmviz returned 0x%" PRIx64 ", Linux 0x%" PRIx64 " (%s)", name, i + 1,
				 st->arg, ret, st->ret, vm->err);
		if ((long)(vm_vsz(vm, p) >> 10) != st->vsz)
			fail_msg("%s step %d %s: VSZ %" PRIu64 " kB, Linux %ld kB", name, i + 1, st->arg,
				 vm_vsz(vm, p) >> 10, st->vsz);
		long drss = (long)((vm_rss(vm, p) >> 10) - rss0);
		long drss_real = st->rss - (i ? r.step[i - 1].rss : st->rss - drss);
		if (i && !st->after_maps && drss != drss_real)
			fail_msg("%s step %d %s: RSS %+ld kB, Linux %+ld kB", name, i + 1, st->arg, drss, drss_real);
		assert_int_equal((long)(p->minflt - min0), st->minflt);
	}
	/* The final maps, line by line. */
	assert_int_equal((long)p->nvmas, r.nmaps);
	for (int i = 0; i < r.nmaps; i++) {
		char line[256], want[256], got[256];
		vma_format_maps(vm, &p->vmas[i], line, sizeof line);
		normalise(r.maps[i], want, sizeof want);
		normalise(line, got, sizeof got);
		if (strcmp(want, got) != 0)
			fail_msg("%s maps line %d: vmviz '%s', Linux '%s'", name, i + 1, got, want);
	}
	session_free(s);
}

static void replay(const char *name)
{
	replay_arch(name, ARCH_X86_64);
}

static void check_layout(const char *name, enum arch_kind arch)
{
	struct run r;
	read_run(name, &r);
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.arch = arch;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	struct proc *p = cur(s);
	assert_int_equal((long)p->nvmas, r.nmaps);
	for (int i = 0; i < r.nmaps; i++) {
		char line[256], want[256], got[256];
		vma_format_maps(s->vm, &p->vmas[i], line, sizeof line);
		normalise(r.maps[i], want, sizeof want);
		normalise(line, got, sizeof got);
		assert_string_equal(got, want);
	}
	/* VmSize leaves out [vsyscall], a gate page outside the VMA tree. */
	assert_int_equal((long)(vm_vsz(s->vm, p) >> 10), r.vmsize);
	session_free(s);
}

static void test_initial_layout_x86_64(void **state)
{
	(void)state;
	check_layout("layout_x86_64.txt", ARCH_X86_64);
}

/* gcc -m32 on the 64-bit kernel: PIE at 0x56555000, libraries below
 * 0xf7ffe000, the stack below TASK_SIZE 0xffffe000. */
static void test_initial_layout_x86(void **state)
{
	(void)state;
	check_layout("layout_x86.txt", ARCH_X86);
}

/* No THP alignment for a 32-bit process. */
static void test_mmap_x86(void **state)
{
	(void)state;
	replay_arch("mmap_place_x86.txt", ARCH_X86);
	replay_arch("mmap_thp_x86.txt", ARCH_X86);
	replay_arch("mmap_mremap_x86.txt", ARCH_X86);
}

static void test_mmap_fills_the_hole_top_down(void **state)
{
	(void)state;
	replay("mmap_place.txt");
}

static void test_mmap_thp_alignment(void **state)
{
	(void)state;
	replay("mmap_thp.txt");
}

static void test_mmap_shared_and_read_only(void **state)
{
	(void)state;
	replay("mmap_shared.txt");
}

static void test_merge_respects_anon_vma(void **state)
{
	(void)state;
	replay("mmap_anonvma.txt");
	replay("mmap_between.txt");
}

static void test_mprotect_splits_and_merges(void **state)
{
	(void)state;
	replay("mmap_mprotect.txt");
}

/* Made writable again, written pages take no fault (private and shared). */
static void test_mprotect_restores_write(void **state)
{
	(void)state;
	replay("mmap_reprotect.txt");
}

/* A write after mprotect r is a SIGSEGV; a read is fine. */
static void test_write_after_mprotect_read_only(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = mmap(16K)");
	OK(s, "p[0] = 1");
	OK(s, "mprotect(p, 4K, r)");
	assert_false(vm_pte(s->vm, s->vm->cur, var(s, "p")) & PTE_W);
	assert_int_equal(cur(s)->nvmas, 24); /* 23 at start (p merged with the loader's 8K), then r-- 4K split off */
	OK(s, "expect p[0] == 1");
	OK(s, "x = p[0]");
	assert_int_equal(s->last_fault, FAULT_NONE);
	OK(s, "p[4096] = 2"); /* still writable */
	OK(s, "p[0] = 3");
	assert_int_equal(s->last_fault, FAULT_SEGV);
	assert_non_null(strstr(s->out.s, "write to read-only page"));
	assert_null(vm_proc(s->vm, 100));
	session_free(s);
}

/* mprotect over a range whose first page already has the new protection:
 * the kernel leaves that VMA whole, so the changed page joins it and the
 * VMA after, one line in maps (measured: 7ffff7fba000-7ffff7fc2000 rw-p;
 * tests/diff/cases/mprotect-merges-both-sides.vmm). */
static void test_mprotect_merges_both_sides(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "m6 = mmap(8K, rw)");
	OK(s, "mprotect m6+4096 4K r");
	OK(s, "m14 = mmap(16K, rw)");
	size_t before = cur(s)->nvmas;
	OK(s, "mprotect m6 8K rw");
	assert_int_equal(cur(s)->nvmas, before - 2);
	const struct vma *v = vm_find_vma(cur(s), var(s, "m6"));
	assert_non_null(v);
	assert_int_equal(v->start, 0x7ffff7fba000);
	assert_int_equal(v->end, 0x7ffff7fc2000);
	assert_int_equal(vm_check(s->vm), 0);
	session_free(s);
}

static void test_mprotect_bad_input(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = mmap(16K)");
	size_t n = cur(s)->nvmas;
	FAILS(s, "mprotect p 4K rwq", "mprotect: unknown protection 'rwq'");
	FAILS(s, "mprotect p+1 4K r", "not page aligned (EINVAL)");
	FAILS(s, "mprotect 0x10000 4K r", "ENOMEM");
	FAILS(s, "mprotect p", "usage: mprotect");
	FAILS(s, "mprotect 0x7ffff7fc2000 4K rw", "[vvar] belongs to the kernel");
	assert_int_equal(cur(s)->nvmas, n);
	s->lang = LANG_ZH;
	FAILS(s, "mprotect p+1 4K r", "没有按页对齐");
	session_free(s);
}

static void test_munmap_splits(void **state)
{
	(void)state;
	replay("mmap_munmap.txt");
}

static void test_mremap_recorded(void **state)
{
	(void)state;
	replay("mmap_mremap_move.txt");
	replay("mmap_mremap_grow.txt");
	replay("mmap_mremap_fixed.txt");
}

/* A moved mapping keeps its frames and bytes: no copy, no fault. */
static void test_mremap_moves_frames(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	struct vm *vm = s->vm;
	OK(s, "a = mmap 64K");
	OK(s, "b = mmap 64K"); /* right below a: a cannot grow in place */
	OK(s, "write a \"moved\"");
	OK(s, "touch a+4096 8K");
	vaddr_t a = var(s, "a");
	uint32_t pfn = (uint32_t)PTE_NUM(vm_pte(vm, vm->cur, a));
	uint64_t rss = cur(s)->rss, min = cur(s)->minflt, maj = cur(s)->majflt;
	uint32_t free_frames = vm->free_frames;
	vaddr_t n = vm_mremap(vm, vm->cur, a, 64 << 10, 128 << 10, true);
	assert_int_not_equal(n, 0);
	assert_int_not_equal(n, a);
	assert_int_equal(vm_check(vm), 0);
	assert_int_equal(PTE_NUM(vm_pte(vm, vm->cur, n)), pfn);
	assert_int_equal(vm_pte(vm, vm->cur, a), 0);
	assert_int_equal(cur(s)->rss, rss);
	assert_int_equal(cur(s)->minflt, min);
	assert_int_equal(cur(s)->majflt, maj);
	assert_int_equal(vm->free_frames, free_frames);
	uint8_t buf[5];
	assert_int_equal(vm_read_buf(vm, vm->cur, n, buf, 5), 0);
	assert_memory_equal(buf, "moved", 5);
	assert_int_equal(cur(s)->minflt, min);
	assert_null(vm_find_vma(cur(s), a));
	session_free(s);
}

/* Swapped-out pages move too: their slots go with the PTEs. */
static void test_mremap_moves_swap_entries(void **state)
{
	(void)state;
	struct session *s = new_session(8, 64, POLICY_FIFO);
	struct vm *vm = s->vm;
	OK(s, "a = mmap 64K");
	OK(s, "b = mmap 64K");
	OK(s, "write a \"out\"");
	OK(s, "touch b 64K"); /* a's page goes to swap */
	vaddr_t a = var(s, "a");
	assert_true(PTE_SWAPPED(vm_pte(vm, vm->cur, a)));
	vaddr_t n = vm_mremap(vm, vm->cur, a, 64 << 10, 256 << 10, true);
	assert_int_not_equal(n, 0);
	assert_int_equal(vm_check(vm), 0);
	assert_true(PTE_SWAPPED(vm_pte(vm, vm->cur, n)));
	uint8_t buf[3];
	assert_int_equal(vm_read_buf(vm, vm->cur, n, buf, 3), 0);
	assert_memory_equal(buf, "out", 3);
	session_free(s);
}

static void test_mremap_errors_change_nothing(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	struct vm *vm = s->vm;
	OK(s, "a = mmap 64K");
	OK(s, "b = mmap 64K");
	vaddr_t a = var(s, "a");
	size_t n = cur(s)->nvmas;
	uint64_t vsz = vm_vsz(vm, cur(s));
	/* Not movable and the next pages are taken. */
	assert_int_equal(vm_mremap(vm, vm->cur, a, 64 << 10, 128 << 10, false), 0);
	assert_non_null(strstr(vm->err, "ENOMEM"));
	/* Past the end of the mapping. */
	assert_int_equal(vm_mremap(vm, vm->cur, a, 128 << 10, 256 << 10, true), 0);
	assert_non_null(strstr(vm->err, "EFAULT"));
	/* Unaligned. */
	assert_int_equal(vm_mremap(vm, vm->cur, a + 1, 4096, 8192, true), 0);
	assert_non_null(strstr(vm->err, "EINVAL"));
	assert_int_equal(vm_mremap(vm, vm->cur, 0x10000, 4096, 8192, true), 0);
	assert_int_equal(cur(s)->nvmas, n);
	assert_int_equal(vm_vsz(vm, cur(s)), vsz);
	session_free(s);
}

/* Shrinking unmaps the tail and frees its frames. */
static void test_mremap_shrink(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	struct vm *vm = s->vm;
	OK(s, "a = mmap 64K");
	OK(s, "touch a 64K");
	vaddr_t a = var(s, "a");
	uint64_t rss = cur(s)->rss;
	assert_int_equal(vm_mremap(vm, vm->cur, a, 64 << 10, 16 << 10, true), a);
	assert_int_equal(vm_check(vm), 0);
	assert_int_equal(cur(s)->rss, rss - 12);
	assert_int_equal(vm_find_vma(cur(s), a)->end, a + (16 << 10));
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_initial_layout_x86_64),
		cmocka_unit_test(test_initial_layout_x86),
		cmocka_unit_test(test_mmap_x86),
		cmocka_unit_test(test_mmap_fills_the_hole_top_down),
		cmocka_unit_test(test_mmap_thp_alignment),
		cmocka_unit_test(test_mmap_shared_and_read_only),
		cmocka_unit_test(test_merge_respects_anon_vma),
		cmocka_unit_test(test_mprotect_splits_and_merges),
		cmocka_unit_test(test_mprotect_restores_write),
		cmocka_unit_test(test_write_after_mprotect_read_only),
		cmocka_unit_test(test_mprotect_merges_both_sides),
		cmocka_unit_test(test_mprotect_bad_input),
		cmocka_unit_test(test_munmap_splits),
		cmocka_unit_test(test_mremap_recorded),
		cmocka_unit_test(test_mremap_moves_frames),
		cmocka_unit_test(test_mremap_moves_swap_entries),
		cmocka_unit_test(test_mremap_errors_change_nothing),
		cmocka_unit_test(test_mremap_shrink),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
