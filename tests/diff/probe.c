/* probe.c - runs a vmviz command script for real and prints it back with
 * what the real process saw (addresses, VSZ, RSS, minor faults) as expects.
 *
 * The probe must look, to the kernel and to glibc, like the smallest C
 * program at the first line of main(): anything it does itself would shift
 * or pollute what it measures. Hence:
 *  1. it never calls malloc (no stdio streams: snprintf into the stack and
 *     write(2)), so the heap is glibc's first use, as in the student's
 *     program;
 *  2. its code, data and bss each fit in one page, so its maps equal a
 *     trivial program's and the heap starts where vmviz's a.out's does
 *     (tests/diff/sanity.sh checks both);
 *  3. all its state is on the stack, inside the stack VMA the kernel made
 *     at exec (132 KiB), so it creates no mapping in the mmap area;
 *  4. before the baseline it faults in every page of every mapping it has
 *     (reads file pages, writes writable ones without changing a byte), so
 *     the only faults after it are the step's own: never the probe's code,
 *     libc's code or glibc's own data (main_arena), which vmviz does not
 *     model;
 *  5. it runs with ASLR off: it re-executes itself with ADDR_NO_RANDOMIZE.
 * It is linked with -z now, so no lazy binding runs ld.so code mid-step.
 *
 * Usage: diff_probe [-m] [SCRIPT]   (stdin without SCRIPT; -m: the maps
 * after every step too, as comments, and a maps command for vmviz). Exit
 * 0, or 2 on a line it cannot run or a script over 48 KiB.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <gnu/libc-version.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <unistd.h>

#define PAGE 4096ul
#define NVARS 100 /* diff_gen names at most 96: p0..p47, m0..m47 */
#define SCRIPT_MAX 49152
#define MAPS_MAX 16384

struct var {
	char name[16];
	char *p;
	unsigned long len; /* the request, or the mapping's length */
};

static void say(const char *fmt, ...)
{
	char buf[600];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n > (int)sizeof buf - 1)
		n = sizeof buf - 1;
	for (int o = 0, w; o < n; o += w)
		if ((w = (int)write(1, buf + o, (size_t)(n - o))) <= 0)
			_exit(3);
}

static int slurp(const char *path, char *buf, int max)
{
	int fd = open(path, O_RDONLY), n = 0, r = 1;
	while (fd >= 0 && n < max - 1 && (r = (int)read(fd, buf + n, (size_t)(max - 1 - n))) > 0)
		n += r;
	if (fd >= 0)
		close(fd);
	buf[n] = 0;
	return fd < 0 || r < 0 ? -1 : n;
}

/* VSZ and RSS in KiB, minor faults. */
static void measure(long m[3])
{
	char buf[128];
	struct rusage ru;
	slurp("/proc/self/statm", buf, sizeof buf);
	char *e;
	m[0] = strtol(buf, &e, 10) * (long)(PAGE / 1024);
	m[1] = strtol(e, NULL, 10) * (long)(PAGE / 1024);
	getrusage(RUSAGE_SELF, &ru);
	m[2] = ru.ru_minflt;
}

/* Writes a byte without changing it: one write access, so one fault on a
 * fresh page (a load then a store would take two: zero page, then copy). */
static void poke(char *p)
{
	__asm__ volatile("lock orb $0, %0" : "+m"(*p));
}

static void print_maps(const char *tag)
{
	char maps[MAPS_MAX];
	slurp("/proc/self/maps", maps, sizeof maps);
	for (char *l = strtok(maps, "\n"); l; l = strtok(NULL, "\n"))
		say("# %s %s\n", tag, l);
}

/* Point 4 above: every page of every mapping, in. */
static void prefault(void)
{
	char maps[MAPS_MAX];
	slurp("/proc/self/maps", maps, sizeof maps);
	for (char *l = maps; *l;) {
		char *nl = strchr(l, '\n'), *e;
		if (nl)
			*nl = 0;
		unsigned long lo = strtoul(l, &e, 16), hi = strtoul(e + 1, &e, 16);
		int special = strchr(l, '[') && !strstr(l, "[stack]");
		for (unsigned long a = lo; !special && e[1] == 'r' && a < hi; a += PAGE) {
			if (e[2] == 'w')
				poke((char *)a);
			else
				(void)*(volatile char *)a;
		}
		l = nl ? nl + 1 : l + strlen(l);
	}
}

static unsigned long number(const char *s)
{
	char *e;
	unsigned long v = strtoul(s, &e, 0);
	return *e == 'K' ? v << 10 : *e == 'M' ? v << 20 : *e == 'G' ? v << 30 : v;
}

static struct var *lookup(struct var *vars, const char *name, int create)
{
	for (int i = 0; i < NVARS; i++)
		if (strcmp(vars[i].name, name) == 0)
			return &vars[i];
	for (int i = 0; create && i < NVARS; i++)
		if (!vars[i].name[0]) {
			snprintf(vars[i].name, sizeof vars[i].name, "%.15s", name);
			return &vars[i];
		}
	return NULL;
}

/* NAME or NAME+OFFSET: the address, and what is left of the block. */
static char *address(struct var *vars, char *text, unsigned long *left)
{
	char *plus = strchr(text, '+');
	unsigned long off = plus ? number(plus + 1) : 0;
	if (plus)
		*plus = 0;
	struct var *v = lookup(vars, text, 0);
	*left = v && off < v->len ? v->len - off : 0;
	return v ? v->p + off : NULL;
}

/* r, rw, rx, rwx, none; vmviz reads "w" as rw, as mmap(2) on x86 does. */
static int prot_bits(const char *w)
{
	int prot = 0;
	for (; *w; w++)
		prot |= *w == 'r' ? PROT_READ : *w == 'w' ? PROT_READ | PROT_WRITE : *w == 'x' ? PROT_EXEC : 0;
	return prot;
}

/* Runs one line; a new pointer goes to *made (its name in made_name), a
 * byte read to *got. Returns -1 on a line it does not know. */
static int step(struct var *vars, char *line, char **made, char *made_name, long *got)
{
	char a[64], b[64], c[64], d[64];
	unsigned long left;
	if (sscanf(line, "%15[A-Za-z0-9_] = %15[a-z](%63[^,)] , %63[^)])", a, b, c, d) >= 3) {
		struct var *v = lookup(vars, a, 1);
		char *old = strcmp(b, "realloc") == 0 ? address(vars, c, &left) : NULL;
		if (!v)
			return -1;
		snprintf(made_name, 16, "%.15s", a);
		if (strcmp(b, "malloc") == 0)
			v->p = malloc(v->len = number(c));
		else if (strcmp(b, "calloc") == 0)
			v->p = calloc(number(c), number(d)), v->len = number(c) * number(d);
		else if (strcmp(b, "realloc") == 0)
			v->p = realloc(old, v->len = number(d));
		else if (strcmp(b, "mmap") == 0)
			v->p = mmap(NULL, v->len = number(c), prot_bits(d), MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		else
			return -1;
		*made = v->p;
		return 0;
	}
	if (sscanf(line, "%15[A-Za-z0-9_] = %15[A-Za-z0-9_][%63[^]]]", a, b, c) == 3) {
		struct var *v = lookup(vars, b, 0);
		if (!v)
			return -1;
		*got = *(volatile unsigned char *)(v->p + number(c));
		return 0;
	}
	if (sscanf(line, "%15[A-Za-z0-9_][%63[^]]] = %63s", a, b, c) == 3) {
		struct var *v = lookup(vars, a, 0);
		if (!v)
			return -1;
		*(volatile char *)(v->p + number(b)) = (char)number(c);
		return 0;
	}
	if (sscanf(line, "free(%63[^)])", a) == 1) {
		free(address(vars, a, &left));
		return 0;
	}
	int n = sscanf(line, "%63s %63s %63s %63s", a, b, c, d);
	char *p = n >= 2 ? address(vars, b, &left) : NULL;
	unsigned long len = n >= 3 ? number(c) : left;
	if (!p)
		return -1;
	if (strcmp(a, "touch") == 0)
		for (char *q = p; q < p + len; q = (char *)(((unsigned long)q & ~(PAGE - 1)) + PAGE))
			poke(q);
	else if (strcmp(a, "munmap") == 0)
		munmap(p, len);
	else if (strcmp(a, "mprotect") == 0 && n == 4)
		mprotect(p, len, prot_bits(d));
	else
		return -1;
	return 0;
}

int main(int argc, char **argv)
{
	int pers = personality(0xffffffff);
	if (!(pers & ADDR_NO_RANDOMIZE) && personality((unsigned long)pers | ADDR_NO_RANDOMIZE) != -1)
		execv("/proc/self/exe", argv);
	int every = argc > 1 && strcmp(argv[1], "-m") == 0;
	char script[SCRIPT_MAX], line[256], made_name[16] = "";
	struct var vars[NVARS];
	memset(vars, 0, sizeof vars);
	int n = slurp(argc > 1 + every ? argv[1 + every] : "/dev/stdin", script, sizeof script);
	if (n < 0 || n == SCRIPT_MAX - 1) {
		say("# diff_probe: cannot read the script, or it is over %d bytes\n", SCRIPT_MAX - 2);
		return 2;
	}
	prefault();
	long base[3], now[3];
	measure(base);
	say("# measured by diff_probe: glibc %s, ASLR %s\n", gnu_get_libc_version(),
	    personality(0xffffffff) & ADDR_NO_RANDOMIZE ? "off" : "ON (addresses are meaningless)");
	say("# options: --frames 262144\n# real baseline: vsz %ldK rss %ldK\n", base[0], base[1]);
	print_maps("maps0");
	say("vsz0 = vsz\nrss0 = rss\nmin0 = minflt\nmaps\n");
	for (char *l = script; *l;) {
		char *nl = strchr(l, '\n');
		int len = nl ? (int)(nl - l) : (int)strlen(l);
		snprintf(line, sizeof line, "%.*s", len, l);
		l += len + (nl != NULL);
		char *t = line + strspn(line, " \t");
		if (!*t || *t == '#' || strncmp(t, "expect ", 7) == 0 || strcmp(t, "maps") == 0 ||
		    strcmp(t, "vsz0 = vsz") == 0 || strcmp(t, "rss0 = rss") == 0 || strcmp(t, "min0 = minflt") == 0)
			continue; /* an annotated script reads back as its plain steps */
		char *made = NULL;
		long got = -1;
		say("%s\n", t);
		if (step(vars, t, &made, made_name, &got) < 0) {
			say("# diff_probe: cannot run '%s'\n", t);
			return 2;
		}
		measure(now);
		if (made_name[0] && made)
			say("expect %s == %#lx\n", made_name, (unsigned long)made);
		if (got >= 0)
			say("expect %.*s == %ld\n", (int)strcspn(t, " ="), t, got);
		say("expect vsz - vsz0 == %ldK\nexpect rss - rss0 == %ldK\nexpect minflt - min0 == %ld\n", now[0] - base[0],
		    now[1] - base[1], now[2] - base[2]);
		made_name[0] = 0;
		if (every) {
			print_maps("maps");
			say("maps\n");
		}
	}
	print_maps("maps1");
	say("maps\n");
	return 0;
}
