/* test_attach.c - src/attach.c, a real process mirrored into the engine,
 * fed with /proc as recorded from tests/progs/att_pause by
 * tests/probes/attach_fixture.sh (tests/fixtures/attach/: smaps, stat,
 * pagemap and kpageflags of the paused program, and ".more" after it wrote
 * 32 more pages), so it runs wherever /proc differs. The truth is those
 * files: the machine must have smaps' mappings, pagemap's pages with their
 * PFNs, the Rss smaps counted, and a second read must change exactly what
 * the kernel's files changed. */
#include "testutil.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>

#include "attach.h"
#include "procview.h"

#define PID 4242

/* The recorded /proc: which set (suffix "" or ".more"), whether PFNs are
 * shown (root) and kpageflags readable, and an errno to fail with. */
struct fixture {
	const char *suffix;
	bool root;
	int fail_text;          /* errno for every text read, or 0 */
	int fail_pagemap;
	bool empty_smaps;       /* a kernel thread's */
	uint64_t swap_lo, swap_hi; /* present pages here are given as swapped out */
};

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n < 4096) {
			char *more = realloc(buf, cap *= 2);
			if (!more) {
				free(buf);
				buf = NULL;
			}
			buf = more;
		}
	}
	fclose(f);
	if (buf)
		buf[n] = 0;
	return buf;
}

static char *fixture_path(char *buf, size_t size, const char *name, const char *suffix, const char *ext)
{
	/* beside this file, whatever the current directory */
	const char *me = __FILE__, *slash = strrchr(me, '/');
	snprintf(buf, size, "%.*sfixtures/attach/%s%s%s", slash ? (int)(slash - me + 1) : 0, me, name, suffix, ext);
	return buf;
}

static char *fx_text(void *ctx, int pid, const char *name, int *e)
{
	const struct fixture *fx = ctx;
	if (pid != PID || fx->fail_text) {
		*e = pid != PID ? ENOENT : fx->fail_text;
		return NULL;
	}
	if (fx->empty_smaps && strcmp(name, "smaps") == 0)
		return calloc(1, 1);
	char path[512];
	char *t = slurp(fixture_path(path, sizeof path, name, fx->suffix, ""));
	if (!t)
		*e = ENOENT;
	return t;
}

static long fx_pagemap(void *ctx, int pid, uint64_t vpn, uint64_t *out, size_t n, int *e)
{
	const struct fixture *fx = ctx;
	if (pid != PID || fx->fail_pagemap) {
		*e = pid != PID ? ENOENT : fx->fail_pagemap;
		return -1;
	}
	memset(out, 0, n * sizeof *out);
	char path[512];
	FILE *f = fopen(fixture_path(path, sizeof path, "pagemap", fx->suffix, ".txt"), "r");
	if (!f) {
		*e = ENOENT;
		return -1;
	}
	unsigned long long addr, entry;
	while (fscanf(f, "%llx %llx", &addr, &entry) == 2)
		if (addr / 4096 >= vpn && addr / 4096 < vpn + n) {
			/* Without CAP_SYS_ADMIN the kernel gives present pages' PFNs as 0. */
			if (!fx->root && (entry >> 63))
				entry &= ~PV_PFN_MASK;
			/* swap type 0, offset 0x100 + page: pagemap's swap entry */
			if (addr >= fx->swap_lo && addr < fx->swap_hi && (entry >> 63))
				entry = PV_SWAPPED | (entry & PV_EXCLUSIVE) | ((0x100 + (addr - fx->swap_lo) / 4096) << 5);
			out[addr / 4096 - vpn] = entry;
		}
	fclose(f);
	return (long)n;
}

static bool fx_kpage(void *ctx, uint64_t pfn, uint64_t *count, uint64_t *flags)
{
	const struct fixture *fx = ctx;
	if (!fx->root)
		return false;
	if (pfn == 0) {
		*count = *flags = 0;
		return true;
	}
	char path[512];
	FILE *f = fopen(fixture_path(path, sizeof path, "kpage", fx->suffix, ".txt"), "r");
	if (!f)
		return false;
	unsigned long long p, c, fl;
	bool found = false;
	while (!found && fscanf(f, "%llx %llx %llx", &p, &c, &fl) == 3)
		if (p == pfn) {
			*count = c;
			*flags = fl;
			found = true;
		}
	fclose(f);
	return found;
}

static struct attach_source source(struct fixture *fx)
{
	struct attach_source s = {fx, fx_text, fx_pagemap, fx_kpage};
	return s;
}

/* The recorded smaps, parsed by the --once reader: what to compare with. */
static void recorded(const char *suffix, struct procview *pv)
{
	char path[512];
	char *t = slurp(fixture_path(path, sizeof path, "smaps", suffix, ""));
	assert_non_null(t);
	memset(pv, 0, sizeof *pv);
	assert_int_equal(procview_parse_smaps(pv, t), 0);
	free(t);
}

static struct vm *attach_ok(struct fixture *fx, struct vm *vm)
{
	struct attach_source src = source(fx);
	char err[300] = "";
	if (attach_refresh(PID, &src, &vm, err, sizeof err) != 0)
		fail_msg("attach_refresh: %s", err);
	if (vm_check(vm) != 0)
		fail_msg("invariant broken: %s", vm->err);
	return vm;
}

static uint64_t smaps_rss_kb(const struct procview *pv, bool special)
{
	uint64_t kb = 0;
	for (size_t i = 0; i < pv->n; i++) {
		bool is_special = strcmp(pv->maps[i].name, "[vdso]") == 0 || strcmp(pv->maps[i].name, "[vvar]") == 0;
		if (is_special == special)
			kb += pv->maps[i].kb.rss;
	}
	return kb;
}

/* Every smaps line is a VMA with its range, permissions and name; VSZ is
 * theirs; RSS is smaps' Rss but for [vdso]'s page (the kernel's, not
 * paged by vmviz); the counters are stat's. */
static void test_mirror_matches_proc(void **state)
{
	(void)state;
	struct fixture fx = {"", true, 0, 0, false, 0, 0};
	struct vm *vm = attach_ok(&fx, NULL);
	struct procview pv;
	recorded("", &pv);
	const struct proc *p = vm_proc(vm, PID);
	assert_non_null(p);
	assert_int_equal(vm->cur, PID);
	assert_string_equal(p->name, "att_pause");
	assert_non_null(vm->host);
	assert_int_equal(vm->host->skipped, 0);
	assert_int_equal(p->nvmas, pv.n);
	uint64_t vsz = 0;
	for (size_t i = 0; i < pv.n; i++) {
		const struct pv_mapping *m = &pv.maps[i];
		const struct vma *v = vm_find_vma(p, m->start);
		assert_non_null(v);
		assert_int_equal(v->start, m->start);
		assert_int_equal(v->end, m->end);
		char perms[5];
		vma_perms(v, perms);
		assert_string_equal(perms, m->perms);
		assert_string_equal(v->name, m->name);
		if (m->start < vm->arch.user_top)
			vsz += m->end - m->start;
	}
	assert_int_equal(vm_vsz(vm, p), vsz);
	assert_int_equal(vm_rss(vm, p) / 1024, smaps_rss_kb(&pv, false));
	assert_int_equal(vm->host->rss_kb, pv.total.rss);
	assert_int_equal(vm->host->pss_kb, pv.total.pss);
	/* stat's fields 10 and 12 */
	char path[512];
	char *stat = slurp(fixture_path(path, sizeof path, "stat", "", ""));
	assert_non_null(stat);
	unsigned long long minflt = 0, majflt = 0;
	assert_int_equal(sscanf(strrchr(stat, ')') + 2, "%*c %*d %*d %*d %*d %*d %*u %llu %*u %llu", &minflt, &majflt),
			 2);
	free(stat);
	assert_int_equal(p->minflt, minflt);
	assert_int_equal(p->majflt, majflt);
	procview_free(&pv);
	vm_free(vm);
}

/* Each present page of pagemap is a present PTE whose frame stands for the
 * same real PFN (anonymous pages: one frame each), with kpagecount read;
 * each empty one has no PTE. */
static void test_pages_and_pfns(void **state)
{
	(void)state;
	struct fixture fx = {"", true, 0, 0, false, 0, 0};
	struct vm *vm = attach_ok(&fx, NULL);
	assert_true(vm->host->pfn_visible);
	assert_true(vm->host->kpage);
	char path[512];
	FILE *f = fopen(fixture_path(path, sizeof path, "pagemap", "", ".txt"), "r");
	assert_non_null(f);
	unsigned long long addr, e;
	int anon = 0, checked = 0;
	while (fscanf(f, "%llx %llx", &addr, &e) == 2) {
		const struct vma *v = vm_find_vma(vm_proc(vm, PID), addr);
		if (!v || (v->flags & VMA_SPECIAL))
			continue;
		pte_t pte = vm_pte(vm, PID, addr);
		assert_true(PTE_PRESENT(pte));
		uint64_t frame = PTE_NUM(pte);
		checked++;
		if ((e & PV_FILE_SHARED) || frame == vm->zero_pfn)
			continue;
		/* anonymous: its own frame, the real PFN beside it */
		assert_int_equal(vm->frames[frame].kind, FRAME_ANON);
		assert_int_equal(vm->host->pfn[frame], e & PV_PFN_MASK);
		assert_true(vm->host->kcount[frame] >= 1);
		anon++;
	}
	fclose(f);
	assert_true(checked > 300);
	assert_true(anon >= 10 + 32); /* the heap block and the written half of the rwx block */
	/* the unwritten half of the rwx block: no PTE */
	struct procview pv;
	recorded("", &pv);
	for (size_t i = 0; i < pv.n; i++)
		if (strcmp(pv.maps[i].perms, "rwxp") == 0) {
			assert_int_equal(pv.maps[i].end - pv.maps[i].start, 256 * 1024);
			assert_int_equal(vm_pte(vm, PID, pv.maps[i].start + 32 * 4096), 0);
			assert_true(PTE_PRESENT(vm_pte(vm, PID, pv.maps[i].start + 31 * 4096)));
		}
	procview_free(&pv);
	vm_free(vm);
}

/* A second read of an unchanged process changes nothing: no event, so
 * nothing is highlighted. */
static void test_same_read_changes_nothing(void **state)
{
	(void)state;
	struct fixture fx = {"", true, 0, 0, false, 0, 0};
	struct vm *vm = attach_ok(&fx, NULL);
	uint64_t seq = vm->log.next_seq;
	struct vm *again = attach_ok(&fx, vm);
	assert_ptr_equal(again, vm);
	assert_int_equal(vm->log.next_seq, seq);
	assert_int_equal(vm->host->refreshes, 2);
	vm_free(vm);
}

/* After SIGUSR1 the program wrote the other 32 pages of its rwx block: the
 * next read sets exactly those 32 PTEs, and RSS grows by 128 KiB. */
static void test_change_is_the_events(void **state)
{
	(void)state;
	struct fixture fx = {"", true, 0, 0, false, 0, 0};
	struct vm *vm = attach_ok(&fx, NULL);
	uint64_t rss = vm_rss(vm, vm_proc(vm, PID)), seq = vm->log.next_seq;
	struct fixture more = {".more", true, 0, 0, false, 0, 0};
	assert_ptr_equal(attach_ok(&more, vm), vm);
	assert_int_equal(vm_rss(vm, vm_proc(vm, PID)), rss + 128 * 1024);
	struct procview pv;
	recorded(".more", &pv);
	uint64_t lo = 0;
	for (size_t i = 0; i < pv.n; i++)
		if (strcmp(pv.maps[i].perms, "rwxp") == 0)
			lo = pv.maps[i].start;
	procview_free(&pv);
	assert_true(lo != 0);
	int set = 0, cleared = 0;
	for (uint64_t q = seq; q < vm->log.next_seq; q++) {
		const struct event *ev = event_get(&vm->log, q);
		assert_non_null(ev);
		if (ev->kind == EV_PTE_SET) {
			assert_true(ev->va >= lo + 128 * 1024 && ev->va < lo + 256 * 1024);
			set++;
		}
		cleared += ev->kind == EV_PTE_CLEAR;
	}
	assert_int_equal(set, 32);
	assert_int_equal(cleared, 0);
	vm_free(vm);
}

/* Without root pagemap gives no PFN: none is claimed, the pages are the
 * same, and the zero page is told from smaps' Rss. */
static void test_without_root(void **state)
{
	(void)state;
	struct fixture fx = {"", false, 0, 0, false, 0, 0};
	struct vm *vm = attach_ok(&fx, NULL);
	assert_false(vm->host->pfn_visible);
	assert_false(vm->host->kpage);
	for (uint32_t f = 0; f < vm->nframes; f++)
		assert_true(vm->host->pfn[f] == VM_HOST_NO_PFN);
	struct procview pv;
	recorded("", &pv);
	assert_int_equal(vm_rss(vm, vm_proc(vm, PID)) / 1024, smaps_rss_kb(&pv, false));
	procview_free(&pv);
	vm_free(vm);
}

/* Commands that would change a real process are refused with one line;
 * the ones that look still work. */
static void test_read_only(void **state)
{
	(void)state;
	struct session *s = new_session(32, 16, POLICY_CLOCK);
	struct fixture fx = {"", true, 0, 0, false, 0, 0};
	struct attach_source src = source(&fx);
	char err[300];
	assert_int_equal(attach_refresh(PID, &src, &s->vm, err, sizeof err), 0);
	uint64_t seq = s->vm->log.next_seq;
	static const char *const refused[] = {"p = malloc(10)", "mmap 64K rw", "fork", "reset", "set frames 64",
					      "touch 0x1000", "kill 4242", "set policy lru", "spawn ls"};
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
		assert_int_equal(session_exec(s, refused[i]), -1);
		assert_string_equal(s->err, ATTACH_READ_ONLY);
	}
	assert_int_equal(s->vm->log.next_seq, seq);
	OK(s, "maps");
	assert_non_null(strstr(s->out.s, "[heap]"));
	OK(s, "ps");
	assert_non_null(strstr(s->out.s, "att_pause"));
	OK(s, "stats");
	OK(s, "set lang en");
	/* translate names the real PFN of the heap's first page, as pagemap has it */
	const struct vma *heap = NULL;
	const struct proc *p = vm_proc(s->vm, PID);
	for (size_t i = 0; i < p->nvmas; i++)
		if (strcmp(p->vmas[i].name, "[heap]") == 0)
			heap = &p->vmas[i];
	assert_non_null(heap);
	char line[64], want[96];
	snprintf(line, sizeof line, "translate 0x%" PRIx64, heap->start);
	uint64_t entry = 0;
	assert_int_equal(fx_pagemap(&fx, PID, heap->start / 4096, &entry, 1, &(int){0}), 1);
	snprintf(want, sizeof want, "in the real process: PFN 0x%" PRIx64 ",", entry & PV_PFN_MASK);
	OK(s, line);
	assert_non_null(strstr(s->out.s, want));
	session_free(s);
}

/* Bad PIDs: one line each, and the machine left as it was. */
static void test_errors(void **state)
{
	(void)state;
	char err[300];
	struct vm *vm = NULL;
	struct fixture gone = {"", true, ENOENT, 0, false, 0, 0};
	struct attach_source src = source(&gone);
	assert_int_equal(attach_refresh(PID, &src, &vm, err, sizeof err), -1);
	assert_string_equal(err, "no process 4242");
	assert_null(vm);
	struct fixture other = {"", true, 0, EACCES, false, 0, 0};
	src = source(&other);
	assert_int_equal(attach_refresh(PID, &src, &vm, err, sizeof err), -1);
	assert_non_null(strstr(err, "belongs to another user"));
	assert_null(vm);
	struct fixture kthread = {"", true, 0, 0, true, 0, 0};
	src = source(&kthread);
	assert_int_equal(attach_refresh(PID, &src, &vm, err, sizeof err), -1);
	assert_string_equal(err, "process 4242 is a kernel thread: it has no user address space");
	/* exits between two reads: the machine of the last read stays */
	struct fixture ok = {"", true, 0, 0, false, 0, 0};
	vm = attach_ok(&ok, NULL);
	uint64_t seq = vm->log.next_seq;
	struct vm *before = vm;
	src = source(&gone);
	assert_int_equal(attach_refresh(PID, &src, &vm, err, sizeof err), -1);
	assert_ptr_equal(vm, before);
	assert_int_equal(vm->log.next_seq, seq);
	assert_string_equal(err, "no process 4242");
	vm_free(vm);
}

static uint64_t rwx_start(const char *suffix)
{
	struct procview pv;
	recorded(suffix, &pv);
	uint64_t lo = 0;
	for (size_t i = 0; i < pv.n; i++)
		if (strcmp(pv.maps[i].perms, "rwxp") == 0)
			lo = pv.maps[i].start;
	procview_free(&pv);
	assert_true(lo != 0);
	return lo;
}

/* Pages the kernel swapped out are swap entries in the engine too: RSS
 * goes down, VmSwap's count of PTEs up, and the page is present again when
 * a later read finds it back in memory. */
static void test_swapped_pages(void **state)
{
	(void)state;
	uint64_t lo = rwx_start("");
	struct fixture fx = {"", true, 0, 0, false, lo, lo + 8 * 4096};
	struct vm *vm = attach_ok(&fx, NULL);
	const struct proc *p = vm_proc(vm, PID);
	assert_int_equal(p->swapents, 8);
	assert_int_equal(vm->swap.used, 8);
	for (int k = 0; k < 8; k++) {
		pte_t pte = vm_pte(vm, PID, lo + (uint64_t)k * 4096);
		assert_true(PTE_SWAPPED(pte));
		/* the slot keeps the kernel's swap entry: type 0, offset 0x100 + k */
		assert_int_equal(vm->host->swap_entry[PTE_NUM(pte)], (uint64_t)(0x100 + k) << 5);
	}
	assert_true(PTE_PRESENT(vm_pte(vm, PID, lo + 8 * 4096)));
	struct fixture plain = {"", true, 0, 0, false, 0, 0};
	struct vm *back = attach_ok(&plain, NULL);
	uint64_t rss_all = vm_rss(back, vm_proc(back, PID));
	vm_free(back);
	assert_int_equal(vm_rss(vm, p), rss_all - 8 * 4096);
	/* swapped in again */
	assert_ptr_equal(attach_ok(&plain, vm), vm);
	assert_int_equal(p->swapents, 0);
	assert_int_equal(vm->swap.used, 0);
	assert_int_equal(vm_rss(vm, p), rss_all);
	vm_free(vm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mirror_matches_proc),
		cmocka_unit_test(test_pages_and_pfns),
		cmocka_unit_test(test_same_read_changes_nothing),
		cmocka_unit_test(test_change_is_the_events),
		cmocka_unit_test(test_without_root),
		cmocka_unit_test(test_read_only),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_swapped_pages),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
