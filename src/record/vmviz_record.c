/* vmviz_record.c - the LD_PRELOAD library behind `vmviz record`: logs each
 * allocation and memory-mapping call of the program, with VSZ, RSS and
 * minor faults after it, to the fd named by VMVIZ_RECORD_FD.
 *
 * It runs inside malloc, so it never allocates and uses no stdio: numbers
 * are formatted by hand into a static buffer, /proc is read with pread on
 * descriptors opened once, and everything goes out with write(2). It links
 * nothing of the vmviz engine.
 *
 * Lines (numbers in hex; PID first):
 *   i|m|a PID, M MAPSLINE..., e   the maps: at start (i), caught up before a
 *                                 call (m: the program changed them itself),
 *                                 after a call that changed VSZ (a)
 *   B PID VSZ RSS FAULTS          the baseline (pages; after the prefault)
 *   E PID VSZ RSS FAULTS          the numbers before a call, when the program
 *                                 changed them itself since the last one
 *   T LO HI w|r                   a run of present pages (written anonymous,
 *                                 or file/shared), when RSS moved between calls
 *   C PID NAME A B C D RET VSZ RSS MINFLT PRESENT SITE   one call
 *   s PID CODE ARGS... SITE       an allocator call after which VSZ, RSS and
 *                                 faults are what they were (see below), short:
 *                                 CODE m malloc A RET, f free A, c calloc A B
 *                                 RET, r realloc A B RET, M memalign, L
 *                                 aligned_alloc, P posix_memalign AL N RET;
 *                                 pointers (A of free and realloc, RET) as
 *                                 signed hex from the pointer before, SITE
 *                                 from the site before (per process, both 0
 *                                 at the start and after the process's fork)
 *   P MODE                        how changes are noticed (below)
 *   N PID PATH                    the file the next mmap maps
 *   K PID PARENT                  a forked child starts
 *   X TID                         a thread whose calls are not recorded
 *   Z PID SIGNAL                  the program died of SIGNAL
 * SITE is the return address of the call (the caller's line, for captions).
 * ui/record_conv.c reads them.
 *
 * Speed. A system call costs ~0.4 us here, a malloc ~0.05 us: reading
 * getrusage and statm after each of them made a recorded program ~19x
 * slower. Nothing but a page fault, a mapping change or a move of the break
 * can change VSZ, RSS or the fault count, so the library asks the kernel to
 * note every page fault and every new mapping of the main thread in a perf
 * ring buffer (perf_event_open, a software event with a period of 1): when
 * its head has not moved and the break is where it was, the numbers are the
 * last ones measured and the call is logged as s, with no system call (the
 * rest of the cost is the log itself: hence s lines are short).
 * Otherwise (and at every mapping call, and every VERIFY_EVERY checks, two
 * a call, in case a munmap or madvise in glibc went unseen) they are
 * measured again.
 * P 1: kernel-mode faults counted too (exact); P 2: user-mode faults only
 * (perf_event_paranoid 2 without privileges: a fault taken inside a
 * system call shows at the next measurement); P 0 or none: no perf, every
 * call measured. A second thread also turns the shortcut off (RUSAGE_SELF
 * counts its faults, the ring only the main thread's). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/perf_event.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096ul
#define OUT_MAX 65536
/* a whole line always fits above this (a maps line is at most ~4.2K):
 * the log is written in whole lines, so that a forked child's lines never
 * land inside the parent's (vmviz record appends to one file, O_APPEND) */
#define OUT_FLUSH_AT (OUT_MAX - 8192)
#define MAPS_MAX 131072
#define RANGES_MAX 1024
#define PM_BATCH 4096
#ifndef VERIFY_EVERY
#define VERIFY_EVERY 256
#endif
#define PERF_FD_MIN 214     /* out of the program's way, beside the log's */
/* far above the mmap area's base and below the stack: the ring does not
 * move the program's own mappings (ui/record_conv.c leaves it out) */
#define RING_HINT 0x7e0000000000ul
#define RING_SIZE (2 * PAGE)  /* the control page and one data page */

/* glibc exports its allocator under these names too: calling them needs no
 * dlsym (which may itself allocate). */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
extern void *__libc_memalign(size_t, size_t);
extern void __libc_free(void *);

static void *(*real_mmap)(void *, size_t, int, int, int, off_t);
static int (*real_munmap)(void *, size_t);
static void *(*real_mremap)(void *, size_t, size_t, int, ...);
static int (*real_mprotect)(void *, size_t, int);
static int (*real_brk)(void *);
static void *(*real_sbrk)(intptr_t);
static pid_t (*real_fork)(void);
static int (*real_pthread_create)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

static int out_fd = -1;
static int statm_fd = -1, pagemap_fd = -1;
static int state;            /* 0 not started, 1 starting, 2 recording, 3 off */
static int depth;            /* >0 while inside a recorded call */
static pid_t main_tid;
static int unbuffered;       /* a forked child writes each line at once */
static char out[OUT_MAX];
static size_t out_len;
static char maps[MAPS_MAX];
static struct { uintptr_t lo, hi; } ranges[RANGES_MAX];
static int nranges;
/* the writable mappings the program started with (its data, libc's and the
 * loader's, the stack), re-written after a fork: see fork() */
static struct { uintptr_t lo, hi; } start_rw[RANGES_MAX];
static int nstart_rw;
static long last_vsz, last_rss, last_faults;
static void *last_brk;
/* VMVIZ_RECORD_EVERY=N: the numbers at every Nth allocator call and at each
 * mapping call (a checkpoint); the calls between are logged with their
 * result only (Q lines), so recording costs little on a malloc-heavy loop */
static long every = 1, since_checkpoint;
static pid_t my_pid;         /* getpid() once, again in a forked child */
static int checkpoint;
/* the perf ring (see the top): its control page, the head last seen */
static struct perf_event_mmap_page *ring;
static int perf_fd = -1, perf_mode;
static uint64_t seen_head;
static int unverified;       /* calls since the last measurement */
static int threaded;         /* another thread exists: measure every call */
static uintptr_t call_site;  /* the return address of the call being logged */
static __thread int thread_kind __attribute__((tls_model("initial-exec"))); /* 0 ?, 1 main, 2 other */

static void flush(void)
{
	size_t off = 0;
	while (off < out_len) {
		ssize_t w = write(out_fd, out + off, out_len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	out_len = 0;
}

static void put(const char *s, size_t n)
{
	if (out_len + n > OUT_MAX)
		flush();
	if (n > OUT_MAX)
		return;
	memcpy(out + out_len, s, n);
	out_len += n;
}

static void puts_(const char *s)
{
	put(s, strlen(s));
}

/* " " and v in hex, written straight into the buffer (the hot path). */
static char hex_pairs[512]; /* "000102...ff", filled at start */

static void fill_hex_pairs(void)
{
	for (int i = 0; i < 256; i++) {
		hex_pairs[2 * i] = "0123456789abcdef"[i >> 4];
		hex_pairs[2 * i + 1] = "0123456789abcdef"[i & 15];
	}
}

/* " " and v in hex at b, two digits a step (the hot path's cost is
 * mostly this); returns the end. At most 17 characters. */
static char *hex_at(char *b, uintptr_t v)
{
	int digits = v ? (int)(sizeof v * 2) - __builtin_clzl(v) / 4 : 1;
	*b = ' ';
	char *end = b + 1 + digits, *p = end;
	for (; v >= 256; v >>= 8) {
		p -= 2;
		memcpy(p, hex_pairs + (v & 255) * 2, 2);
	}
	if (v >= 16)
		memcpy(p - 2, hex_pairs + v * 2, 2);
	else
		p[-1] = hex_pairs[v * 2 + 1];
	return end;
}

static void hex(uintptr_t v)
{
	if (out_len + 20 > OUT_MAX)
		flush();
	out_len = (size_t)(hex_at(out + out_len, v) - out);
}

/* " " and d in hex, "-" first when negative. */
static char *signed_hex_at(char *b, intptr_t d)
{
	if (d >= 0)
		return hex_at(b, (uintptr_t)d);
	char *end = hex_at(b + 1, -(uintptr_t)d);
	b[0] = ' ';
	b[1] = '-';
	return end;
}

/* the s lines' references: the pointer and the call site before */
static uintptr_t prev_ptr, prev_site;

static char *ptr_at(char *b, uintptr_t p)
{
	b = signed_hex_at(b, (intptr_t)(p - prev_ptr));
	prev_ptr = p;
	return b;
}

/* s PID CODE ...: see the top. */
static void short_line(const char *name, uintptr_t a, uintptr_t b, uintptr_t ret)
{
	if (out_len + 4 + 6 * 18 + 1 > OUT_MAX)
		flush();
	char *w = out + out_len;
	*w++ = 's';
	w = hex_at(w, (uintptr_t)my_pid);
	*w++ = ' ';
	char code = name[0] == 'm' ? (name[1] == 'a' ? 'm' : 'M')
		  : name[0] == 'a' ? 'L'
				   : name[0] == 'p' ? 'P' : name[0];
	*w++ = code;
	if (code == 'f') {
		w = ptr_at(w, a);
	} else if (code == 'm') {
		w = hex_at(w, a);
		w = ptr_at(w, ret);
	} else {
		w = code == 'r' ? ptr_at(w, a) : hex_at(w, a);
		w = hex_at(w, b);
		w = ptr_at(w, ret);
	}
	w = signed_hex_at(w, (intptr_t)(call_site - prev_site));
	prev_site = call_site;
	*w++ = '\n';
	out_len = (size_t)(w - out);
	if (unbuffered || out_len > OUT_FLUSH_AT)
		flush();
}

static void end_line(void)
{
	put("\n", 1);
	if (unbuffered || out_len > OUT_FLUSH_AT)
		flush();
}

static uintptr_t parse_hex(const char **p)
{
	uintptr_t v = 0;
	for (;; (*p)++) {
		char c = **p;
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return v;
		v = v * 16 + (uintptr_t)d;
	}
}

static long parse_dec(const char **p)
{
	long v = 0;
	while (**p == ' ')
		(*p)++;
	while (**p >= '0' && **p <= '9')
		v = v * 10 + *(*p)++ - '0';
	return v;
}

/* Opens the perf event and maps its ring; perf_mode 0 when the kernel
 * refuses (no perf, perf_event_paranoid 3, a seccomp filter). */
static void perf_open(void)
{
	perf_mode = 0;
	ring = NULL;
	for (int exclude_kernel = 0; exclude_kernel <= 1 && perf_fd < 0; exclude_kernel++) {
		struct perf_event_attr a;
		memset(&a, 0, sizeof a);
		a.size = sizeof a;
		a.type = PERF_TYPE_SOFTWARE;
		a.config = PERF_COUNT_SW_PAGE_FAULTS; /* minor and major, as the count logged */
		a.sample_period = 1;
		a.mmap = 1;      /* new mappings (glibc's and the loader's own) */
		a.mmap_data = 1;
		a.exclude_kernel = (unsigned)exclude_kernel;
		a.exclude_hv = 1;
		a.wakeup_events = 1u << 30; /* nobody waits on it */
		int fd = (int)syscall(SYS_perf_event_open, &a, 0, -1, -1, PERF_FLAG_FD_CLOEXEC);
		if (fd < 0)
			continue;
		perf_fd = fcntl(fd, F_DUPFD_CLOEXEC, PERF_FD_MIN);
		close(fd);
		perf_mode = exclude_kernel ? 2 : 1;
	}
	if (perf_fd < 0)
		return;
	void *r = real_mmap((void *)RING_HINT, RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, perf_fd, 0);
	if (r == MAP_FAILED) {
		close(perf_fd);
		perf_fd = -1;
		perf_mode = 0;
		return;
	}
	ring = r;
	seen_head = __atomic_load_n(&ring->data_head, __ATOMIC_ACQUIRE);
	/* the first write to the control page is a fault of its own: now,
	 * before the baseline, not inside the program's first call */
	__atomic_store_n(&ring->data_tail, seen_head, __ATOMIC_RELEASE);
}

/* Whether VSZ, RSS or the fault count may differ from the last measured:
 * a fault or a mapping noted in the ring, the break moved, or a
 * measurement due anyway. Costs no system call. */
static int may_have_changed(void)
{
	if (!ring || threaded || every > 1)
		return 1;
	if (__atomic_load_n(&ring->data_head, __ATOMIC_ACQUIRE) != seen_head)
		return 1;
	if (real_sbrk(0) != last_brk)
		return 1;
	return ++unverified >= VERIFY_EVERY;
}

/* VSZ and RSS in pages, faults (minor and major). */
static void measure(long m[3])
{
	/* the head before the numbers: a fault after this read moves it again */
	uint64_t head = ring ? __atomic_load_n(&ring->data_head, __ATOMIC_ACQUIRE) : 0;
	char buf[128];
	const char *p = buf;
	ssize_t n = pread(statm_fd, buf, sizeof buf - 1, 0); /* one read: statm is short */
	buf[n > 0 ? n : 0] = 0;
	m[0] = parse_dec(&p);
	m[1] = parse_dec(&p);
	struct rusage ru;
	syscall(SYS_getrusage, RUSAGE_SELF, &ru);
	m[2] = ru.ru_minflt + ru.ru_majflt;
	if (ring) {
		/* what was noted is read (nothing of it is needed): room again */
		seen_head = head;
		__atomic_store_n(&ring->data_tail, head, __ATOMIC_RELEASE);
		unverified = 0;
	}
}

/* The same, cheaper where nothing can have changed: without a fault no
 * page came in, and with the break where it was and no mapping made or
 * removed (structural), VSZ and RSS are as last measured. */
static void measure_quick(long m[3], int structural)
{
	struct rusage ru;
	syscall(SYS_getrusage, RUSAGE_SELF, &ru);
	m[2] = ru.ru_minflt + ru.ru_majflt;
	void *brk_now = real_sbrk ? real_sbrk(0) : NULL;
	/* (with the ring, only a mapping may have moved the head) */
	if (!ring && !structural && m[2] == last_faults && brk_now == last_brk) {
		m[0] = last_vsz;
		m[1] = last_rss;
		return;
	}
	last_brk = brk_now;
	measure(m);
}

/* Is the block at p one glibc mmapped (its size field's IS_MMAPPED bit)? */
static int mmapped_chunk(const void *p)
{
	return p && (((const size_t *)p)[-1] & 2);
}

/* Reads the maps, remembers each mapping's range, and logs the text. */
static void snapshot_maps(const char *tag)
{
	int fd = open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	long n = 0, r;
	while (n < MAPS_MAX - 1 && (r = read(fd, maps + n, (size_t)(MAPS_MAX - 1 - n))) > 0)
		n += r;
	maps[n] = 0;
	close(fd);
	nranges = 0;
	puts_(tag);
	hex((uintptr_t)getpid());
	end_line();
	for (const char *l = maps; *l;) {
		const char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		const char *p = l;
		uintptr_t lo = parse_hex(&p);
		p++;
		uintptr_t hi = parse_hex(&p);
		/* vvar and friends cannot be read through pagemap usefully. */
		int special = memchr(l, '[', len) && !memmem(l, len, "[heap]", 6) && !memmem(l, len, "[stack]", 7);
		if (!special && nranges < RANGES_MAX) {
			ranges[nranges].lo = lo;
			ranges[nranges].hi = hi;
			nranges++;
		}
		put("M ", 2);
		put(l, len);
		end_line();
		l = nl ? nl + 1 : l + len;
	}
	puts_("e");
	end_line();
}

/* Logs the runs of present pages of every mapping: T LO HI KIND, KIND w for
 * private anonymous (written), r for file-backed or shared pages. */
static void log_present(void)
{
	static uint64_t pm[PM_BATCH];
	for (int i = 0; i < nranges; i++) {
		uintptr_t run_lo = 0;
		int run_kind = 0;
		for (uintptr_t a = ranges[i].lo; a < ranges[i].hi;) {
			size_t n = (ranges[i].hi - a) / PAGE;
			if (n > PM_BATCH)
				n = PM_BATCH;
			ssize_t got = pread(pagemap_fd, pm, n * 8, (off_t)(a / PAGE * 8));
			if (got <= 0)
				break;
			n = (size_t)got / 8;
			for (size_t k = 0; k < n; k++, a += PAGE) {
				int kind = !(pm[k] >> 63 & 1) ? 0 : (pm[k] >> 61 & 1) ? 'r' : 'w';
				if (kind != run_kind) {
					if (run_kind) {
						put("T", 1);
						hex(run_lo);
						hex(a);
						put(run_kind == 'w' ? " w" : " r", 2);
						end_line();
					}
					run_lo = a;
					run_kind = kind;
				}
			}
		}
		if (run_kind) {
			put("T", 1);
			hex(run_lo);
			hex(ranges[i].hi);
			put(run_kind == 'w' ? " w" : " r", 2);
			end_line();
		}
	}
}

/* Pages of [lo, hi) present now, at most PM_BATCH looked at. */
static long present_in(uintptr_t lo, uintptr_t hi)
{
	static uint64_t pm[PM_BATCH];
	lo &= ~(PAGE - 1);
	size_t n = (hi - lo + PAGE - 1) / PAGE;
	if (n > PM_BATCH)
		n = PM_BATCH;
	ssize_t got = pread(pagemap_fd, pm, n * 8, (off_t)(lo / PAGE * 8));
	long c = 0;
	for (ssize_t k = 0; k < got / 8; k++)
		c += (long)(pm[k] >> 63 & 1);
	return c;
}

/* A line of the process's numbers: TAG pid VSZ RSS faults. */
static void log_numbers(const char *tag, const long m[3])
{
	puts_(tag);
	hex((uintptr_t)getpid());
	hex((uintptr_t)m[0]);
	hex((uintptr_t)m[1]);
	hex((uintptr_t)m[2]);
	end_line();
}

/* What happened since the last call that the program did itself: mappings
 * glibc made internally (VSZ moved) and pages it touched (RSS moved). */
static void catch_up(int mapping_call)
{
	long m[3];
	/* before a mapping call always: its maps must be its own changes */
	if (!mapping_call && !may_have_changed())
		return;
	measure_quick(m, 0);
	if (every == 1 && m[0] == last_vsz && m[1] == last_rss && m[2] == last_faults)
		return;
	log_numbers("E", m);
	if (m[0] != last_vsz)
		snapshot_maps("m");
	if (m[1] != last_rss || m[0] != last_vsz || (every > 1 && m[2] != last_faults))
		log_present();
	/* the call that follows is measured against these: its own faults,
	 * not the program's between calls, make it "faulted" */
	last_vsz = m[0];
	last_rss = m[1];
	last_faults = m[2];
}

static void on_crash(int sig)
{
	if (state == 2) {
		puts_("Z");
		hex((uintptr_t)getpid());
		hex((uintptr_t)sig);
		end_line();
		flush();
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Faults in every page mapped now, so that what is counted later is the
 * program's own memory activity, not libc's code or data pages coming in
 * (which vmviz does not model). Bytes are left as they were. */
static void prefault(void)
{
	for (const char *l = maps; *l;) {
		const char *nl = strchr(l, '\n');
		const char *p = l;
		uintptr_t lo = parse_hex(&p);
		p++;
		uintptr_t hi = parse_hex(&p);
		const char *perm = p + 1;
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		int special = memchr(l, '[', len) && !memmem(l, len, "[stack]", 7);
		int heap = memmem(l, len, "[heap]", 6) != NULL;
		if (state == 1 && !special && !heap && perm[0] == 'r' && perm[1] == 'w' && nstart_rw < RANGES_MAX) {
			start_rw[nstart_rw].lo = lo;
			start_rw[nstart_rw].hi = hi;
			nstart_rw++;
		}
		for (uintptr_t a = lo; !special && perm[0] == 'r' && a < hi; a += PAGE) {
			if (perm[1] == 'w')
				__asm__ volatile("lock orb $0, %0" : "+m"(*(char *)a));
			else
				(void)*(volatile char *)a;
		}
		l = nl ? nl + 1 : l + len;
	}
}

static void baseline(void)
{
	long m[3];
	measure(m);
	last_vsz = m[0];
	last_rss = m[1];
	last_faults = m[2];
	last_brk = real_sbrk ? real_sbrk(0) : NULL;
	log_numbers("B", m);
}

static void start(void)
{
	state = 1;
	const char *fd = getenv("VMVIZ_RECORD_FD");
	const char *p = fd;
	if (!fd || !*fd) {
		state = 3;
		return;
	}
	out_fd = (int)parse_dec(&p);
	fill_hex_pairs();
	const char *ev = getenv("VMVIZ_RECORD_EVERY");
	if (ev && *ev) {
		const char *q = ev;
		every = parse_dec(&q);
		if (every < 1)
			every = 1;
	}
	statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	real_mmap = (void *(*)(void *, size_t, int, int, int, off_t))dlsym(RTLD_NEXT, "mmap");
	real_munmap = (int (*)(void *, size_t))dlsym(RTLD_NEXT, "munmap");
	real_mremap = (void *(*)(void *, size_t, size_t, int, ...))dlsym(RTLD_NEXT, "mremap");
	real_mprotect = (int (*)(void *, size_t, int))dlsym(RTLD_NEXT, "mprotect");
	real_brk = (int (*)(void *))dlsym(RTLD_NEXT, "brk");
	real_sbrk = (void *(*)(intptr_t))dlsym(RTLD_NEXT, "sbrk");
	real_fork = (pid_t(*)(void))dlsym(RTLD_NEXT, "fork");
	real_pthread_create = (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))dlsym(
		RTLD_NEXT, "pthread_create");
	if (statm_fd < 0 || pagemap_fd < 0 || !real_mmap || !real_fork) {
		state = 3;
		return;
	}
	main_tid = (pid_t)syscall(SYS_gettid);
	my_pid = getpid();
	int sigs[] = {SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL};
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
		signal(sigs[i], on_crash);
	/* VMVIZ_RECORD_PERF=0: every call measured (tests compare the two) */
	const char *use_perf = getenv("VMVIZ_RECORD_PERF");
	if (every == 1) {
		if (!(use_perf && strcmp(use_perf, "0") == 0))
			perf_open();
		puts_("P");
		hex((uintptr_t)perf_mode);
		end_line();
	}
	if (every > 1) {
		puts_("V");
		hex((uintptr_t)every);
		end_line();
	}
	snapshot_maps("i");
	prefault();
	baseline();
	state = 2;
}

/* Whether this call is recorded: the main thread's, once started. An
 * allocator call (may_skip) between checkpoints is not measured. */
static int recording_as(int may_skip, void *site)
{
	if (state == 0)
		start();
	if (state != 2 || depth)
		return 0;
	if (!thread_kind) {
		thread_kind = (pid_t)syscall(SYS_gettid) == main_tid ? 1 : 2;
		if (thread_kind == 2) {
			/* one short write: atomic on a pipe, safe beside the main thread */
			char line[40] = "X";
			size_t n = 1;
			uintptr_t v = (uintptr_t)syscall(SYS_gettid);
			char b[20];
			int i = 20;
			do
				b[--i] = "0123456789abcdef"[v & 15];
			while (v >>= 4);
			line[n++] = ' ';
			memcpy(line + n, b + i, (size_t)(20 - i));
			n += (size_t)(20 - i);
			line[n++] = '\n';
			ssize_t w = write(out_fd, line, n);
			(void)w;
		}
	}
	if (thread_kind != 1)
		return 0;
	depth++;
	call_site = (uintptr_t)site;
	checkpoint = !may_skip || every == 1 || ++since_checkpoint >= every;
	if (checkpoint) {
		since_checkpoint = 0;
		catch_up(!may_skip);
	}
	return 1;
}

/* Macros, so that the return address is the wrapper's: the caller's line. */
#define recording() recording_as(0, __builtin_return_address(0))
#define recording_alloc() recording_as(1, __builtin_return_address(0))

/* C PID NAME A B C D RESULT VSZ RSS FAULTS PRESENT: one call, and what it
 * left; PRESENT counts the present pages of [LO, HI). */
static void logged_as(const char *name, uintptr_t a, uintptr_t b, uintptr_t c, uintptr_t d, uintptr_t ret,
		      uintptr_t lo, uintptr_t hi, int structural)
{
	int saved = errno;
	long m[3];
	const char *tag = "C";
	if (checkpoint && !structural && !may_have_changed()) {
		/* the numbers are the last ones */
		short_line(name, a, b, ret);
		depth--;
		errno = saved;
		return;
	}
	if (!checkpoint) {
		void *brk_now = real_sbrk ? real_sbrk(0) : NULL;
		if (!structural && brk_now == last_brk) {
			/* Q PID NAME A B RESULT: no numbers */
			puts_("Q");
			hex((uintptr_t)my_pid);
			put(" ", 1);
			puts_(name);
			hex(a);
			hex(b);
			hex(ret);
			hex(call_site);
			end_line();
			depth--;
			errno = saved;
			return;
		}
		/* The heap moved or a block was mapped, and what the program did
		 * since the last checkpoint was not caught up first: U, numbers
		 * whose RSS and faults include that, then its pages. */
		tag = "U";
		structural = 1;
	}
	measure_quick(m, structural);
	puts_(tag);
	hex((uintptr_t)getpid());
	put(" ", 1);
	puts_(name);
	hex(a);
	hex(b);
	hex(c);
	hex(d);
	hex(ret);
	hex((uintptr_t)m[0]);
	hex((uintptr_t)m[1]);
	hex((uintptr_t)m[2]);
	/* no fault, no new page: the count is not looked up */
	hex(lo && hi > lo && m[2] != last_faults ? (uintptr_t)present_in(lo, hi) : 0);
	hex(call_site);
	end_line();
	if (m[0] != last_vsz)
		snapshot_maps("a"); /* the call's own mappings: not to be caught up later */
	if (*tag == 'U')
		log_present();
	last_vsz = m[0];
	last_rss = m[1];
	last_faults = m[2];
	depth--;
	errno = saved;
}

static void logged(const char *name, uintptr_t a, uintptr_t b, uintptr_t c, uintptr_t d, uintptr_t ret,
		   uintptr_t lo, uintptr_t hi)
{
	logged_as(name, a, b, c, d, ret, lo, hi, 1);
}

/* An allocator call: cheap unless glibc mmapped or unmapped the block. */
static void logged_alloc(const char *name, uintptr_t a, uintptr_t b, uintptr_t ret, size_t n, int was_mmapped)
{
	logged_as(name, a, b, 0, 0, ret, ret, ret + n, was_mmapped || mmapped_chunk((void *)ret));
}

void *malloc(size_t n)
{
	if (!recording_alloc())
		return __libc_malloc(n);
	void *p = __libc_malloc(n);
	logged_alloc("malloc", n, 0, (uintptr_t)p, n, 0);
	return p;
}

void free(void *p)
{
	if (!p || !recording_alloc()) {
		__libc_free(p);
		return;
	}
	int was = mmapped_chunk(p);
	__libc_free(p);
	logged_as("free", (uintptr_t)p, 0, 0, 0, 0, 0, 0, was);
}

void *calloc(size_t k, size_t n)
{
	if (!recording_alloc())
		return __libc_calloc(k, n);
	void *p = __libc_calloc(k, n);
	logged_alloc("calloc", k, n, (uintptr_t)p, k * n, 0);
	return p;
}

void *realloc(void *old, size_t n)
{
	if (!recording_alloc())
		return __libc_realloc(old, n);
	int was = mmapped_chunk(old);
	void *p = __libc_realloc(old, n);
	logged_alloc("realloc", (uintptr_t)old, n, (uintptr_t)p, n, was);
	return p;
}

/* memalign and aligned_alloc are one allocation in glibc 2.36. */
static void *logged_memalign(const char *name, size_t al, size_t n, void *site)
{
	if (!recording_as(1, site))
		return __libc_memalign(al, n);
	void *p = __libc_memalign(al, n);
	logged_alloc(name, al, n, (uintptr_t)p, n, 0);
	return p;
}

void *memalign(size_t al, size_t n)
{
	return logged_memalign("memalign", al, n, __builtin_return_address(0));
}

void *aligned_alloc(size_t al, size_t n)
{
	return logged_memalign("aligned_alloc", al, n, __builtin_return_address(0));
}

int posix_memalign(void **out_p, size_t al, size_t n)
{
	/* glibc's own checks, then the same internal allocation as memalign */
	if (al % sizeof(void *) != 0 || (al & (al - 1)) != 0 || al == 0)
		return EINVAL;
	int rec = recording_alloc();
	void *p = __libc_memalign(al, n);
	if (rec)
		logged_alloc("posix_memalign", al, n, (uintptr_t)p, n, 0);
	if (!p)
		return ENOMEM;
	*out_p = p;
	return 0;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (state == 0)
		start();
	if (!real_mmap)
		return (void *)syscall(SYS_mmap, addr, len, prot, flags, fd, off);
	if (!recording())
		return real_mmap(addr, len, prot, flags, fd, off);
	void *p = real_mmap(addr, len, prot, flags, fd, off);
	if (fd >= 0 && !(flags & MAP_ANONYMOUS)) {
		/* which file: N PID PATH, before the call's line */
		char link[32] = "/proc/self/fd/", path[512];
		char num[12];
		int i = 12, v = fd;
		num[--i] = 0;
		do
			num[--i] = (char)('0' + v % 10);
		while (v /= 10);
		memcpy(link + 14, num + i, (size_t)(12 - i));
		ssize_t n = readlink(link, path, sizeof path - 1);
		if (n > 0) {
			puts_("N");
			hex((uintptr_t)getpid());
			put(" ", 1);
			put(path, (size_t)n);
			end_line();
		}
	}
	/* A LEN, B PROT | FLAGS << 4, C OFFSET, D FD */
	logged("mmap", len, (uintptr_t)prot | (uintptr_t)flags << 4, (uintptr_t)off, (uintptr_t)fd, (uintptr_t)p,
	       (uintptr_t)p, (uintptr_t)p + len);
	return p;
}

int munmap(void *addr, size_t len)
{
	if (!real_munmap || !recording())
		return real_munmap ? real_munmap(addr, len) : (int)syscall(SYS_munmap, addr, len);
	int r = real_munmap(addr, len);
	logged("munmap", (uintptr_t)addr, len, 0, 0, (uintptr_t)r, 0, 0);
	return r;
}

void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *fixed = NULL;
	if (flags & MREMAP_FIXED) {
		va_list ap;
		va_start(ap, flags);
		fixed = va_arg(ap, void *);
		va_end(ap);
	}
	if (!real_mremap || !recording())
		return real_mremap ? real_mremap(old, old_len, new_len, flags, fixed)
				   : (void *)syscall(SYS_mremap, old, old_len, new_len, flags, fixed);
	void *p = real_mremap(old, old_len, new_len, flags, fixed);
	logged("mremap", (uintptr_t)old, old_len, new_len, (uintptr_t)flags, (uintptr_t)p, (uintptr_t)p,
	       (uintptr_t)p + new_len);
	return p;
}

int mprotect(void *addr, size_t len, int prot)
{
	if (!real_mprotect || !recording())
		return real_mprotect ? real_mprotect(addr, len, prot) : (int)syscall(SYS_mprotect, addr, len, prot);
	int r = real_mprotect(addr, len, prot);
	logged("mprotect", (uintptr_t)addr, len, (uintptr_t)prot, 0, (uintptr_t)r, 0, 0);
	return r;
}

int brk(void *addr)
{
	if (!real_brk || !recording())
		return real_brk ? real_brk(addr) : -1;
	int r = real_brk(addr);
	logged("brk", (uintptr_t)addr, 0, 0, 0, (uintptr_t)r, 0, 0);
	return r;
}

void *sbrk(intptr_t inc)
{
	if (!real_sbrk || !recording())
		return real_sbrk ? real_sbrk(inc) : (void *)-1;
	void *r = real_sbrk(inc);
	logged("sbrk", (uintptr_t)inc, 0, 0, 0, (uintptr_t)r, 0, 0);
	return r;
}

/* After a fork every private page is shared copy-on-write, so the first
 * write to glibc's own data (main_arena) or the stack would be a fault
 * inside the next malloc that vmviz does not model. Both processes take
 * those faults at once, here; the scenario does the same with touch. */
static void rewrite_start_pages(void)
{
	for (int i = 0; i < nstart_rw; i++)
		for (uintptr_t a = start_rw[i].lo; a < start_rw[i].hi; a += PAGE)
			__asm__ volatile("lock orb $0, %0" : "+m"(*(char *)a));
}

pid_t fork(void)
{
	if (!recording())
		return real_fork ? real_fork() : (pid_t)syscall(SYS_fork);
	flush();
	pid_t parent = getpid();
	pid_t r = real_fork();
	prev_ptr = prev_site = 0; /* both processes: see the s lines */
	if (r == 0) {
		/* the child: its own line of calls, each written at once */
		unbuffered = 1;
		/* /proc/self was resolved at open: the parent's files */
		close(statm_fd);
		close(pagemap_fd);
		statm_fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
		pagemap_fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
		/* the parent's event counts the parent, and its ring is not
		 * copied (VM_DONTCOPY): one of its own, at the same place */
		if (perf_fd >= 0) {
			close(perf_fd);
			perf_fd = -1;
			perf_open();
		}
		rewrite_start_pages();
		/* Linux's fork leaves out the page-table entries of file mappings
		 * without anonymous pages (they fault in again); vmviz's fork
		 * copies them all: the child maps them again first. */
		prefault();
		main_tid = (pid_t)syscall(SYS_gettid);
		my_pid = getpid();
		thread_kind = 1;
		puts_("K");
		hex((uintptr_t)getpid());
		hex((uintptr_t)parent);
		end_line();
		long m[3];
		measure(m);
		log_numbers("B", m);
		last_vsz = m[0];
		last_rss = m[1];
		last_faults = m[2];
		depth--;
		return 0;
	}
	if (r > 0)
		rewrite_start_pages();
	logged("fork", 0, 0, 0, 0, (uintptr_t)r, 0, 0);
	return r;
}

/* A second thread's faults count in RUSAGE_SELF but not in the main
 * thread's ring: from now on every call is measured. */
int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*fn)(void *), void *arg)
{
	if (state == 0)
		start();
	threaded = 1;
	if (!real_pthread_create)
		return EAGAIN;
	return real_pthread_create(t, attr, fn, arg);
}

/* Before main(), if no call started the recording yet: the baseline of
 * a program that allocates nothing. */
__attribute__((constructor)) static void begin(void)
{
	if (state == 0)
		start();
}

__attribute__((destructor)) static void finish(void)
{
	if (state == 2 && thread_kind != 2) {
		depth++;
		catch_up(1);
		depth--;
		flush();
	}
}
