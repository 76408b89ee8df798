/* mmap_steps.c - probe: runs a list of address-space steps in a real process
 * and prints, after each, the returned address, VSZ/RSS (statm, KiB), the
 * minor faults it took and /proc/self/maps. No malloc anywhere (stdio would
 * allocate): snprintf into stack buffers and write(2).
 *
 * Steps (one argv word each, fields split by ':'; sizes take K/M/G):
 *   m:LEN[:PROT[:s]]    mmap anonymous (PROT r, rw, rx, none; s = shared)
 *   u:I:OFF:LEN         munmap part of mapping I (I = index of an m step)
 *   p:I:OFF:LEN:PROT    mprotect
 *   r:I:OLD:NEW[:f]     mremap (f = fixed in place, no MREMAP_MAYMOVE)
 *   w:I:OFF:LEN         write one byte in each page
 *   b:DELTA             sbrk(DELTA) (DELTA may be negative)
 *   c:DEPTH:FRAME       recurse DEPTH times with a FRAME-byte local array
 *                       written at its lowest byte (stack probe)
 *   M                   print the maps now (they are printed at the end anyway)
 * Build: gcc -O0 -o mmap_steps mmap_steps.c; run: setarch -R ./mmap_steps ...
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static char *maps_[64];
static size_t lens[64];
static int nmaps;

static void out(const char *s) { (void)!write(1, s, strlen(s)); }

static long minflt(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static void statm(long *vsz, long *rss)
{
	char buf[256];
	int fd = open("/proc/self/statm", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	long a = 0, b = 0;
	sscanf(buf, "%ld %ld", &a, &b);
	*vsz = a * 4;
	*rss = b * 4;
}

static void print_file(const char *path, const char *prefix)
{
	char buf[16384];
	int fd = open(path, O_RDONLY);
	size_t n = 0;
	ssize_t r;
	while ((r = read(fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)r;
	close(fd);
	buf[n] = 0;
	char *line = buf;
	while (*line) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (!prefix || strncmp(line, prefix, strlen(prefix)) == 0) {
			out("  ");
			out(line);
			out("\n");
		}
		if (!nl)
			break;
		line = nl + 1;
	}
}

static size_t size(const char *s)
{
	char *e;
	long long v = strtoll(s, &e, 0);
	if (*e == 'K') v <<= 10;
	if (*e == 'M') v <<= 20;
	if (*e == 'G') v <<= 30;
	return (size_t)v;
}

static int prot(const char *s)
{
	if (!s || !strcmp(s, "rw")) return PROT_READ | PROT_WRITE;
	if (!strcmp(s, "r")) return PROT_READ;
	if (!strcmp(s, "rx")) return PROT_READ | PROT_EXEC;
	if (!strcmp(s, "rwx")) return PROT_READ | PROT_WRITE | PROT_EXEC;
	return PROT_NONE;
}

static void recurse(int depth, size_t frame)
{
	volatile char a[frame];
	a[0] = 1;
	if (depth > 1)
		recurse(depth - 1, frame);
	a[frame - 1] = a[0];
}

/* Runs each libc wrapper once, so that the first real step does not
 * fault in libc's code for it (a file fault maps 16 pages around it: RSS
 * +64 kB that has nothing to do with the step). */
static void warm_up(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mprotect(p, 4096, PROT_READ);
	p = mremap(p, 4096, 4096, 0);
	munmap(p, 4096);
	(void)sbrk(0);
	long v, r;
	statm(&v, &r);
	(void)minflt();
	char buf[32];
	snprintf(buf, sizeof buf, "%d", 1);
	(void)strtoll(buf, NULL, 0);
	(void)strtok(buf, ":");
	(void)atoi(buf);
	(void)!(prot("rw") + prot("r") + prot("rx") + prot("none") + (int)size("4K"));
}

int main(int argc, char **argv)
{
	char line[512];
	warm_up();
	for (int i = 1; i < argc; i++) {
		char arg[256], *f[6] = {0};
		snprintf(arg, sizeof arg, "%s", argv[i]);
		int nf = 0;
		for (char *t = strtok(arg, ":"); t && nf < 6; t = strtok(NULL, ":"))
			f[nf++] = t;
		long v0, r0, v1, r1;
		statm(&v0, &r0);
		long m0 = minflt();
		long ret = 0;
		errno = 0;
		switch (f[0][0]) {
		case 'm': {
			int fl = MAP_ANONYMOUS | (f[3] ? MAP_SHARED : MAP_PRIVATE);
			void *p = mmap(NULL, size(f[1]), prot(f[2]), fl, -1, 0);
			ret = (long)p;
			maps_[nmaps] = p;
			lens[nmaps++] = size(f[1]);
			break;
		}
		case 'u':
			ret = munmap(maps_[atoi(f[1])] + size(f[2]), size(f[3]));
			break;
		case 'p':
			ret = mprotect(maps_[atoi(f[1])] + size(f[2]), size(f[3]), prot(f[4]));
			break;
		case 'r': {
			int k = atoi(f[1]);
			void *p = mremap(maps_[k], size(f[2]), size(f[3]), f[4] ? 0 : MREMAP_MAYMOVE);
			ret = (long)p;
			if (p != MAP_FAILED)
				maps_[k] = p;
			break;
		}
		case 'w':
			for (size_t o = 0; o < size(f[3]); o += 4096)
				maps_[atoi(f[1])][size(f[2]) + o] = 1;
			break;
		case 'b':
			ret = (long)sbrk((intptr_t)strtoll(f[1], NULL, 0) * (f[1][strlen(f[1]) - 1] == 'K' ? 1024 : 1));
			break;
		case 'c':
			recurse(atoi(f[1]), size(f[2]));
			break;
		case 'M':
			print_file("/proc/self/maps", NULL);
			continue;
		}
		int e = errno;
		long m1 = minflt();
		statm(&v1, &r1);
		snprintf(line, sizeof line, "step %d %s: ret=0x%lx errno=%d vsz=%ld rss=%ld minflt+%ld\n", i, argv[i],
			 ret, e, v1, r1, m1 - m0);
		out(line);
	}
	print_file("/proc/self/maps", NULL);
	print_file("/proc/self/status", "VmSize");
	return 0;
}
