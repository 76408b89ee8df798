/* test_malloc.c - the simulated glibc 2.36 malloc against real processes.
 *
 * tests/probes/malloc_cases.txt lists step sequences; tests/probes/
 * malloc_probe.c ran each in a real process on Debian 12 (x86-64, and i386
 * with gcc -m32) and malloc_record.sh kept what it printed in malloc_64.out and
 * malloc_32.out. test_recorded_cases replays every case in vmviz and
 * compares each step: the pointer returned (heap ones as offsets from the
 * heap's start, mmapped ones by their offset in the page), VSZ, RSS, minor
 * faults, the break, bytes read back, and glibc's abort message. The named
 * tests below spell out the facts a lecture relies on.
 *
 * The cases, by glibc path: mmap_after_top (the threshold only after the
 * top fails, 1000/128K), first_mmapped (malloc(1M): +1 header page, touch,
 * munmap), tcache_lifo, fastbin_after_tcache (8th and 9th free, refill of
 * tcache from the fastbin), unsorted_last_remainder, smallbin,
 * largebin_best_fit, consolidate (a large request with fastbins),
 * top_growth (brk amounts), trim, dynamic_threshold, calloc_clears (the
 * old top header bug), calloc_fresh, calloc_after_trim, realloc_paths,
 * realloc_mmapped (mremap), memalign, double_free, corrupt_top,
 * corrupt_fast(32), invalid_pointer(16), invalid_mmapped, refused_40g,
 * arena_fd (main_arena's address in a freed chunk), scenario_07. */
#include "testutil.h"

#include "heap.h"

#include <inttypes.h>
#include <stdlib.h>

static struct session *new_arch_session(enum arch_kind arch, uint32_t frames)
{
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.arch = arch;
	cfg.frames = frames;
	cfg.swap_slots = 64;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	return s;
}

static uint64_t kib_vsz(struct session *s)
{
	return vm_vsz(s->vm, cur(s)) / 1024;
}

static uint64_t kib_rss(struct session *s)
{
	return vm_rss(s->vm, cur(s)) / 1024;
}

/* ---- replaying the recorded real runs ---- */

struct real_step {
	char step[64];
	uint64_t result, vsz, rss, minflt, brk;
	int byte;              /* -1 if the step read nothing */
};

struct real_case {
	char name[64];
	uint64_t heap, vsz, rss;
	struct real_step steps[64];
	int nsteps;
	char abort_msg[128];   /* glibc's message if the process died */
	int exit_code;
};

static bool read_case(FILE *f, struct real_case *c)
{
	char line[512];
	memset(c, 0, sizeof *c);
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = 0;
		unsigned long long a, b, d, e, g;
		int byte;
		char step[64];
		if (sscanf(line, "case %63s", c->name) == 1)
			continue;
		if (sscanf(line, "start heap %llx vsz %llu rss %llu", &a, &b, &d) == 3) {
			c->heap = a, c->vsz = b, c->rss = d;
		} else if (strncmp(line, "stderr ", 7) == 0) {
			if (!c->abort_msg[0]) /* glibc's line; then setarch's "Aborted" */
				snprintf(c->abort_msg, sizeof c->abort_msg, "%.120s", line + 7);
		} else if (sscanf(line, "exit %d", &c->exit_code) == 1) {
			return true;
		} else if (c->nsteps < 64) {
			struct real_step *r = &c->steps[c->nsteps];
			r->byte = -1;
			if (sscanf(line, "%63s -> %llx byte %d vsz %llu rss %llu minflt +%llu brk %llx", step, &a, &byte, &b,
				   &d, &e, &g) == 7)
				r->byte = byte;
			else if (sscanf(line, "%63s -> %llx vsz %llu rss %llu minflt +%llu brk %llx", step, &a, &b, &d, &e,
					&g) != 6)
				fail_msg("bad line in recorded probe output: %s", line);
			snprintf(r->step, sizeof r->step, "%s", step);
			r->result = a, r->vsz = b, r->rss = d, r->minflt = e, r->brk = g;
			c->nsteps++;
		}
	}
	return false;
}

/* The steps as the case file lists them (the output stops at a death). */
static int case_steps(const char *name, char steps[][64], int max)
{
	FILE *f = fopen("tests/probes/malloc_cases.txt", "r");
	assert_non_null(f);
	char line[1024];
	int n = 0;
	while (fgets(line, sizeof line, f)) {
		char *save = NULL, *tok = strtok_r(line, " \n", &save);
		if (!tok || tok[0] == '#' || strcmp(tok, name) != 0)
			continue;
		strtok_r(NULL, " \n", &save); /* arches */
		while ((tok = strtok_r(NULL, " \n", &save)) && n < max)
			snprintf(steps[n++], 64, "%s", tok);
		break;
	}
	fclose(f);
	return n;
}

static uint64_t step_var(struct session *s, unsigned long k)
{
	char name[16];
	snprintf(name, sizeof name, "v%lu", k);
	return var(s, name);
}

static void exec_line(struct session *s, const char *line)
{
	if (session_exec(s, line) != 0)
		fail_msg("'%s' failed: %s", line, s->err);
}

/* The numbers of a step ("2:1M" -> 2, 1048576), K/M/G as in the probe. */
static int step_nums(const char *text, long out[4])
{
	int n = 0;
	while (*text && n < 4) {
		char *end;
		long v = strtol(text, &end, 10);
		if (*end == 'K')
			v <<= 10, end++;
		else if (*end == 'M')
			v <<= 20, end++;
		else if (*end == 'G')
			v <<= 30, end++;
		out[n++] = v;
		text = *end == ':' ? end + 1 : end;
		if (end == text && *text != ':' && *end)
			break;
	}
	return n;
}

/* Runs step i (1-based) of a case in vmviz; returns the byte read by a
 * g step, or -1. */
static int run_step(struct session *s, int i, const char *step)
{
	char line[128];
	long v[4] = {0};
	step_nums(step + 2, v);
	unsigned long a = (unsigned long)v[0];
	int byte = -1;
	switch (step[0]) {
	case 'm':
		snprintf(line, sizeof line, "v%d = malloc(%ld)", i, v[0]);
		exec_line(s, line);
		break;
	case 'c':
		snprintf(line, sizeof line, "v%d = calloc(%ld, %ld)", i, v[0], v[1]);
		exec_line(s, line);
		break;
	case 'f':
		snprintf(line, sizeof line, "free(v%lu)", a);
		exec_line(s, line);
		break;
	case 'F':
		snprintf(line, sizeof line, "free 0x%" PRIx64, step_var(s, a) + (uint64_t)v[1]);
		exec_line(s, line);
		break;
	case 'r':
		snprintf(line, sizeof line, "v%d = realloc(v%lu, %ld)", i, a, v[1]);
		exec_line(s, line);
		break;
	case 'a':
		snprintf(line, sizeof line, "v%d = memalign(%ld, %ld)", i, v[0], v[1]);
		exec_line(s, line);
		break;
	case 'w':
		snprintf(line, sizeof line, "write 0x%" PRIx64 " %ld", step_var(s, a) + (uint64_t)v[1], v[2]);
		exec_line(s, line);
		break;
	case 't':
		for (long o = 0; o < v[1]; o += 4096) {
			snprintf(line, sizeof line, "write 0x%" PRIx64 " 1", step_var(s, a) + (uint64_t)o);
			exec_line(s, line);
		}
		break;
	case 'g':
		snprintf(line, sizeof line, "x = read 0x%" PRIx64, step_var(s, a) + (uint64_t)v[1]);
		exec_line(s, line);
		byte = (int)var(s, "x");
		break;
	default:
		fail_msg("unknown probe step %s", step);
	}
	return byte;
}

static bool in_heap(uint64_t a, enum arch_kind arch)
{
	return arch == ARCH_X86 ? a < 0x40000000 : a < 0x600000000000;
}

static void replay(const struct real_case *c, enum arch_kind arch)
{
	struct session *s = new_arch_session(arch, 4096);
	int pid = s->vm->cur;
	uint64_t heap = cur(s)->start_brk, vsz0 = kib_vsz(s), rss0 = kib_rss(s);
	char steps[64][64];
	int n = case_steps(c->name, steps, 64);
	assert_true(n >= c->nsteps);
	bool corrupted = false;
	for (int i = 0; i < n; i++) {
		const char *what = steps[i];
		uint64_t flt0 = vm_proc(s->vm, pid) ? vm_proc(s->vm, pid)->minflt : 0;
		int byte = run_step(s, i + 1, what);
		if (i == c->nsteps) {
			/* The real process died here: so must this one, saying
			 * what glibc said. */
			if (vm_proc(s->vm, pid))
				fail_msg("%s step %d (%s): the real process died ('%s'), vmviz's lives", c->name, i + 1, what,
					 c->abort_msg);
			if (!strstr(c->abort_msg, s->vm->err) || !s->vm->err[0])
				fail_msg("%s step %d: glibc said '%s', vmviz '%s'", c->name, i + 1, c->abort_msg, s->vm->err);
			break;
		}
		const struct real_step *r = &c->steps[i];
		struct proc *p = vm_proc(s->vm, pid);
		if (!p)
			fail_msg("%s step %d (%s): vmviz's process died: %s", c->name, i + 1, what, s->vm->err);
		/* After the program wrote over a header, glibc's invariants are
		 * the program's to break (and glibc's to catch). */
		corrupted |= what[0] == 'w';
		if (!corrupted && vm_check(s->vm) != 0)
			fail_msg("%s step %d (%s): invariant broken: %s", c->name, i + 1, what, s->vm->err);
		uint64_t got = strchr("mcra", what[0]) ? step_var(s, (unsigned long)i + 1) : 0;
		if (r->result == 0 || !in_heap(r->result, arch)) {
			bool same = got == r->result; /* both layouts are the measured ones */
			if ((got == 0) != (r->result == 0) || (got && (in_heap(got, arch) || !same)))
				fail_msg("%s step %d (%s): real 0x%" PRIx64 " (mmapped or NULL), vmviz 0x%" PRIx64, c->name, i + 1,
					 what, r->result, got);
		} else if (got - heap != r->result - c->heap) {
			fail_msg("%s step %d (%s): real heap+0x%" PRIx64 ", vmviz heap+0x%" PRIx64, c->name, i + 1, what,
				 r->result - c->heap, got - heap);
		}
		if (kib_vsz(s) - vsz0 != r->vsz - c->vsz)
			fail_msg("%s step %d (%s): real VSZ %+" PRId64 " KiB, vmviz %+" PRId64, c->name, i + 1, what,
				 (int64_t)(r->vsz - c->vsz), (int64_t)(kib_vsz(s) - vsz0));
		if (kib_rss(s) - rss0 != r->rss - c->rss)
			fail_msg("%s step %d (%s): real RSS %+" PRId64 " KiB, vmviz %+" PRId64, c->name, i + 1, what,
				 (int64_t)(r->rss - c->rss), (int64_t)(kib_rss(s) - rss0));
		if (p->minflt - flt0 != r->minflt)
			fail_msg("%s step %d (%s): real minflt +%" PRIu64 ", vmviz +%" PRIu64, c->name, i + 1, what, r->minflt,
				 p->minflt - flt0);
		if (p->brk - heap != r->brk - c->heap)
			fail_msg("%s step %d (%s): real brk heap+0x%" PRIx64 ", vmviz heap+0x%" PRIx64, c->name, i + 1, what,
				 r->brk - c->heap, p->brk - heap);
		if (r->byte >= 0 && byte != r->byte)
			fail_msg("%s step %d (%s): real byte %d, vmviz %d", c->name, i + 1, what, r->byte, byte);
	}
	session_free(s);
}

static void replay_file(const char *path, enum arch_kind arch)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	struct real_case *c = malloc(sizeof *c);
	assert_non_null(c);
	int cases = 0;
	while (read_case(f, c)) {
		replay(c, arch);
		cases++;
	}
	free(c);
	fclose(f);
	assert_true(cases >= 20);
}

static void test_recorded_cases_x86_64(void **state)
{
	(void)state;
	replay_file("tests/probes/malloc_64.out", ARCH_X86_64);
}

static void test_recorded_cases_i386(void **state)
{
	(void)state;
	replay_file("tests/probes/malloc_32.out", ARCH_X86);
}

/* ---- the facts, one by one (numbers from the recorded runs) ---- */

/* The mmap threshold is consulted only in sysmalloc: a 128K request after
 * a small one fits in the first heap's top chunk. */
static void test_threshold_only_after_top(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	OK(s, "a = malloc(1000)");
	assert_int_equal(var(s, "a"), 0x5555555592a0);
	assert_int_equal(cur(s)->brk - cur(s)->start_brk, 132 * 1024); /* 0x290 + 1000 + top pad, page-rounded */
	OK(s, "b = malloc(128K)");
	assert_int_equal(var(s, "b"), 0x555555559690);
	OK(s, "c = malloc(128K)");                    /* now the top is too small: mmapped */
	assert_true(var(s, "c") > 0x700000000000);
	session_free(s);
}

static void test_tcache_then_fastbin(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	char line[64];
	for (int i = 1; i <= 9; i++) {
		snprintf(line, sizeof line, "p%d = malloc(24)", i);
		OK(s, line);
	}
	OK(s, "guard = malloc(24)");
	for (int i = 1; i <= 9; i++) {
		snprintf(line, sizeof line, "free(p%d)", i);
		OK(s, line);
	}
	/* tcache holds 7, last in first out; p8, p9 went to a fastbin */
	OK(s, "q = malloc(24)");
	assert_int_equal(var(s, "q"), var(s, "p7"));
	for (int i = 0; i < 6; i++)
		OK(s, "q = malloc(24)");
	assert_int_equal(var(s, "q"), var(s, "p1"));
	OK(s, "q = malloc(24)");   /* the fastbin's head; p8 moves into tcache */
	assert_int_equal(var(s, "q"), var(s, "p9"));
	OK(s, "q = malloc(24)");
	assert_int_equal(var(s, "q"), var(s, "p8"));
	session_free(s);
}

/* tcache's next pointers are safe-linked: (address >> 12) ^ next. */
static void test_tcache_safe_linking_in_memory(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	OK(s, "a = malloc(24)");
	OK(s, "b = malloc(24)");
	OK(s, "free(a)");
	OK(s, "free(b)");
	uint64_t a = var(s, "a"), b = var(s, "b"), next = 0;
	for (int i = 0; i < 8; i++) {
		uint8_t byte;
		assert_true(vm_peek(s->vm, s->vm->cur, b + (uint64_t)i, &byte));
		next |= (uint64_t)byte << (8 * i);
	}
	assert_int_equal(next, (b >> 12) ^ a);
	/* counts[0] (32-byte chunks) opens the tcache, the heap's first chunk */
	uint8_t count;
	assert_true(vm_peek(s->vm, s->vm->cur, 0x555555559010, &count));
	assert_int_equal(count, 2);
	session_free(s);
}

static void test_double_free_aborts(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(10)");
	OK(s, "free(p)");
	assert_int_equal(session_exec(s, "free(p)"), 0);   /* not a vmviz error: the process dies */
	assert_null(vm_proc(s->vm, 100));
	assert_string_equal(s->vm->err, "free(): double free detected in tcache 2");
	assert_non_null(strstr(s->out.s, "Aborted"));
	session_free(s);
}

static void test_corrupted_top_size_aborts_next_malloc(void **state)
{
	(void)state;
	struct session *s = new_session(32, 64, POLICY_CLOCK);
	OK(s, "p = malloc(24)");
	exec_line(s, "p[31] = 255"); /* the top chunk's size field, high byte */
	assert_non_null(vm_proc(s->vm, 100));
	assert_int_equal(session_exec(s, "q = malloc(24)"), 0);
	assert_null(vm_proc(s->vm, 100));
	assert_string_equal(s->vm->err, "malloc(): corrupted top size");
	session_free(s);
}

/* The reported bug: calloc's chunk reused the old top's header and left
 * its size field in the block. glibc's calloc skips tcache and clears. */
static void test_calloc_clears_old_top_header(void **state)
{
	(void)state;
	enum arch_kind arches[] = {ARCH_X86_64, ARCH_X86};
	for (int k = 0; k < 2; k++) {
		struct session *s = new_arch_session(arches[k], 64);
		OK(s, "b = malloc(500)");
		OK(s, "free(b)");
		OK(s, "c = calloc(1, 1000)");
		for (int i = 500; i < 512; i++) {
			char line[32];
			snprintf(line, sizeof line, "expect c[%d] == 0", i);
			OK(s, line);
		}
		session_free(s);
	}
}

static void test_malloc_1m_faults_header_page(void **state)
{
	(void)state;
	struct session *s = new_session(300, 64, POLICY_CLOCK);
	OK(s, "p = malloc(1K)");
	uint64_t vsz = vm_vsz(s->vm, cur(s)), rss = vm_rss(s->vm, cur(s)), min = cur(s)->minflt;
	OK(s, "q = malloc(1M)");
	assert_int_equal(var(s, "q"), 0x7ffff7ccf010); /* measured: below the loader's 12 KiB at 7ffff7dd0000 */
	assert_int_equal(vm_vsz(s->vm, cur(s)) - vsz, 1028 * 1024);
	assert_int_equal(vm_rss(s->vm, cur(s)) - rss, 4096); /* malloc wrote the header */
	assert_int_equal(cur(s)->minflt - min, 1);
	OK(s, "free(q)");
	assert_int_equal(vm_vsz(s->vm, cur(s)), vsz);
	assert_int_equal(vm_rss(s->vm, cur(s)), rss);
	session_free(s);
}

static void test_dynamic_threshold_and_trim(void **state)
{
	(void)state;
	struct session *s = new_session(128, 64, POLICY_CLOCK);
	OK(s, "c = malloc(200K)");
	assert_true(var(s, "c") > 0x700000000000);
	OK(s, "free(c)");
	assert_int_equal(cur(s)->heap.mmap_threshold, 204 * 1024);
	assert_int_equal(cur(s)->heap.trim_threshold, 408 * 1024);
	OK(s, "d = malloc(200K)");
	assert_true(var(s, "d") < 0x600000000000);
	uint64_t brk = cur(s)->brk;
	OK(s, "free(d)");          /* top 332K < the 408K trim threshold: kept */
	assert_int_equal(cur(s)->brk, brk);
	session_free(s);
}

static void test_realloc_in_place_and_moving(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	OK(s, "p = malloc(100)");
	OK(s, "write p \"hello\"");
	OK(s, "q = realloc(p, 200)");          /* next to top: grows in place */
	assert_int_equal(var(s, "q"), var(s, "p"));
	OK(s, "guard = malloc(24)");
	OK(s, "r = realloc q 2000");            /* no room after it: moves */
	assert_true(var(s, "r") != var(s, "q"));
	OK(s, "expect r[4] == 111"); /* the o of hello, copied */
	OK(s, "z = realloc(r, 0)");             /* frees, returns NULL */
	assert_int_equal(var(s, "z"), 0);
	session_free(s);
}

static void test_null_when_too_large(void **state)
{
	(void)state;
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.arch = ARCH_X86;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	uint64_t vsz0 = vm_vsz(s->vm, cur(s));
	OK(s, "p = malloc(3G)");   /* over PTRDIFF_MAX: NULL before any set-up */
	assert_int_equal(var(s, "p"), 0);
	assert_false(cur(s)->heap.initialised);
	assert_int_equal(vm_vsz(s->vm, cur(s)), vsz0);
	OK(s, "q = calloc(0x100000000, 0x100000000)");
	assert_int_equal(var(s, "q"), 0);
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
	exec_line(s, "free(p)");
	assert_null(vm_proc(s->vm, 101)); /* the child aborted */
	OK(s, "proc 100");
	OK(s, "free(p)"); /* the parent's heap is its own */
	assert_non_null(vm_proc(s->vm, 100));
	session_free(s);
}

static void test_events_say_where(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	char buf[256];
	OK(s, "a = malloc(1000)");
	OK(s, "free(a)");
	const struct event *ev = event_get(&s->vm->log, s->vm->log.next_seq - 1);
	event_describe(ev, LANG_EN, buf, sizeof buf);
	assert_non_null(strstr(buf, "into tcache"));
	OK(s, "b = malloc(1000)");
	ev = event_get(&s->vm->log, s->vm->log.next_seq - 1);
	event_describe(ev, LANG_EN, buf, sizeof buf);
	assert_non_null(strstr(buf, "from tcache"));
	OK(s, "c = malloc(200K)");
	ev = event_get(&s->vm->log, s->vm->log.next_seq - 1);
	event_describe(ev, LANG_EN, buf, sizeof buf);
	assert_non_null(strstr(buf, "200K >= mmap threshold 128K"));
	event_describe(ev, LANG_ZH, buf, sizeof buf);
	assert_non_null(strstr(buf, "mmap 阈值 128K"));
	session_free(s);
}

static void test_touch_default_is_the_block(void **state)
{
	(void)state;
	struct session *s = new_session(300, 64, POLICY_CLOCK);
	OK(s, "q = malloc(1M)");
	uint64_t min = cur(s)->minflt;
	OK(s, "touch q");   /* 1M from q: 256 pages, the first one already in */
	assert_int_equal(cur(s)->minflt - min, 256);
	session_free(s);
}

/* A large bin's skip list corrupted into a cycle: a real process spins in
 * malloc forever; vmviz stops the call and kills the process. */
static void test_corrupted_cycle_does_not_hang(void **state)
{
	(void)state;
	struct session *s = new_session(64, 64, POLICY_CLOCK);
	OK(s, "a = malloc(1072)");   /* chunk 1088: large bin 65 */
	OK(s, "g1 = malloc(24)");
	OK(s, "b = malloc(1096)");   /* chunk 1104: the same bin */
	OK(s, "g2 = malloc(24)");
	OK(s, "free(a)");
	OK(s, "free(b)");
	OK(s, "c = malloc(2000)");   /* sorts both into bin 65: b, then a */
	uint64_t a_chunk = var(s, "a") - 16;
	for (int i = 0; i < 8; i++) { /* a's bk_nextsize -> a itself */
		char line[64];
		snprintf(line, sizeof line, "write 0x%" PRIx64 " %u", var(s, "a") + 24 + (uint64_t)i,
			 (unsigned)(a_chunk >> (8 * i)) & 255);
		exec_line(s, line);
	}
	exec_line(s, "x = malloc(1090)"); /* nb 1104: a (1088) is too small, forever */
	assert_null(vm_proc(s->vm, 100));
	assert_non_null(strstr(s->vm->err, "looped"));
	assert_non_null(strstr(s->out.s, "Killed"));
	session_free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_recorded_cases_x86_64),
		cmocka_unit_test(test_recorded_cases_i386),
		cmocka_unit_test(test_threshold_only_after_top),
		cmocka_unit_test(test_tcache_then_fastbin),
		cmocka_unit_test(test_tcache_safe_linking_in_memory),
		cmocka_unit_test(test_double_free_aborts),
		cmocka_unit_test(test_corrupted_top_size_aborts_next_malloc),
		cmocka_unit_test(test_calloc_clears_old_top_header),
		cmocka_unit_test(test_malloc_1m_faults_header_page),
		cmocka_unit_test(test_dynamic_threshold_and_trim),
		cmocka_unit_test(test_realloc_in_place_and_moving),
		cmocka_unit_test(test_null_when_too_large),
		cmocka_unit_test(test_fork_copies_heap),
		cmocka_unit_test(test_events_say_where),
		cmocka_unit_test(test_touch_default_is_the_block),
		cmocka_unit_test(test_corrupted_cycle_does_not_hang),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
