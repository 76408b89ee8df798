/* rec_mmap.c - vmviz record's test: a big anonymous mmap touched in part,
 * mprotect, mremap, munmap, and a file mapped read-only. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	size_t len = 8 << 20;
	char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return 1;
	for (size_t i = 0; i < len / 2; i += 4096)
		m[i] = 1;
	if (mprotect(m + len / 2, 4096, PROT_READ) != 0)
		return 1;
	char *n = mmap(NULL, 64 << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (n == MAP_FAILED)
		return 1;
	n[0] = 1;
	n = mremap(n, 64 << 10, 256 << 10, MREMAP_MAYMOVE);
	if (n == MAP_FAILED)
		return 1;
	int fd = open("/etc/passwd", O_RDONLY);
	if (fd >= 0) {
		char *f = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		if (f != MAP_FAILED) {
			volatile char c = f[0];
			(void)c;
			munmap(f, 4096);
		}
		close(fd);
	}
	munmap(n, 256 << 10);
	munmap(m, len);
	return 0;
}
