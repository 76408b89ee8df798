/* mmap_commit.c - probe: which mappings Linux charges to Committed_AS
 * (/proc/meminfo), by the change around each 1 GiB step. Other processes
 * move it by a few MiB at most, so each delta is rounded to the GiB.
 * Build: gcc -O0 -o mmap_commit mmap_commit.c; run: ./mmap_commit */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define GIB (1ul << 30)

static long committed_kb(void)
{
	char buf[8192];
	int fd = open("/proc/meminfo", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *p = strstr(buf, "Committed_AS:");
	return p ? strtol(p + 13, NULL, 10) : -1;
}

static void report(const char *what, long before)
{
	char line[160];
	long d = committed_kb() - before;
	long gib = (d + (d >= 0 ? 1 : -1) * (1l << 19)) / (1l << 20);
	int n = snprintf(line, sizeof line, "%-40s Committed_AS %+ld GiB\n", what, gib);
	(void)!write(1, line, (size_t)n);
}

int main(void)
{
	long c = committed_kb();
	char *rw = mmap(NULL, GIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	report("mmap 1G rw private", c);
	c = committed_kb();
	char *ro = mmap(NULL, GIB, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	report("mmap 1G r private", c);
	c = committed_kb();
	char *sh = mmap(NULL, GIB, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	report("mmap 1G r shared", c);
	c = committed_kb();
	mprotect(ro, GIB, PROT_READ | PROT_WRITE);
	report("mprotect the r one to rw", c);
	c = committed_kb();
	mprotect(ro, GIB, PROT_READ);
	report("mprotect it back to r (never written)", c);
	c = committed_kb();
	mprotect(ro, GIB, PROT_READ | PROT_WRITE);
	ro[0] = 1;
	mprotect(ro, GIB, PROT_READ);
	report("rw, write a byte, back to r", c);
	c = committed_kb();
	char *nr = mmap(NULL, GIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	report("mmap 1G rw private MAP_NORESERVE", c);
	c = committed_kb();
	void *b0 = sbrk(0);
	sbrk(GIB);
	report("sbrk 1G", c);
	c = committed_kb();
	char *mv = mremap(rw, GIB, 2 * GIB, MREMAP_MAYMOVE);
	report("mremap the rw one 1G -> 2G", c);
	c = committed_kb();
	munmap(mv, 2 * GIB);
	report("munmap it", c);
	c = committed_kb();
	pid_t pid = fork();
	if (pid == 0) {
		sleep(1);
		_exit(0);
	}
	usleep(200000);
	report("fork (child holds a copy of sbrk 1G etc.)", c);
	(void)sh;
	(void)nr;
	(void)b0;
	return 0;
}
