/* smaps_vmflags.c - the VmFlags smaps gives each kind of mapping vmviz
 * makes (shared rw and r, private none, r, rwx, rw made none by mprotect),
 * and what a fork does to a shared mapping's pages. Prints each mapping's
 * header and VmFlags line. Build: gcc -O1 -o smaps_vmflags smaps_vmflags.c;
 * run under setarch -R. Recorded in smaps_vmflags.txt; tests/test_inspect.c
 * checks vmviz's flags against it. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char *a = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	a[0] = 1;
	a[4096] = 2;
	mmap(0, 4096 * 3, PROT_READ, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	mmap(0, 4096 * 5, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mmap(0, 4096 * 7, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	mmap(0, 4096 * 9, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *f = mmap(0, 4096 * 11, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	f[0] = 1;
	mprotect(f, 4096 * 11, PROT_NONE);
	static char buf[65536], line[512];
	int fd = open("/proc/self/smaps", O_RDONLY), n = 0, r;
	while ((r = (int)read(fd, buf + n, sizeof buf - 1 - (size_t)n)) > 0)
		n += r;
	buf[n] = 0;
	for (char *l = buf; *l;) {
		char *nl = strchr(l, '\n');
		size_t len = nl ? (size_t)(nl - l) : strlen(l);
		memcpy(line, l, len < sizeof line - 2 ? len : sizeof line - 2);
		line[len < sizeof line - 2 ? len : sizeof line - 2] = '\n';
		size_t out = (len < sizeof line - 2 ? len : sizeof line - 2) + 1;
		if ((line[0] >= '0' && line[0] <= '9') || (line[0] >= 'a' && line[0] <= 'f') || strncmp(line, "VmFlags", 7) == 0)
			if (write(1, line, out) < 0)
				return 1;
		l = nl ? nl + 1 : l + len;
	}
	return 0;
}
