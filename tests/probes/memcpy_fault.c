/* memcpy_fault.c - what a real memcpy/memset/strcpy (glibc 2.36, x86-64)
 * leaves behind when its source or destination runs into an unmapped page:
 * the fault address (si_addr) and how many destination bytes were stored
 * before the SIGSEGV. No stdio. Build: gcc -O1 -o memcpy_fault memcpy_fault.c;
 * run under setarch -R. Recorded in memcpy_fault.txt. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static sigjmp_buf back;
static void *fault_addr;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig; (void)uc;
	fault_addr = si->si_addr;
	siglongjmp(back, 1);
}

static void say(const char *text)
{
	if (write(1, text, strlen(text)) < 0)
		_exit(1);
}

/* memcpy(dst, src + 4096 - before, len) where src's second page is unmapped. */
static void copy_case(size_t before, size_t len)
{
	char line[160];
	unsigned char *src = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned char *dst = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	memset(src, 'A', 4096);
	munmap(src + 4096, 4096);
	fault_addr = NULL;
	if (sigsetjmp(back, 1) == 0)
		memcpy(dst, src + 4096 - before, len);
	size_t written = 0;
	for (size_t i = 0; i < 3 * 4096; i++)
		written += dst[i] == 'A';
	snprintf(line, sizeof line, "memcpy src_before_hole=%zu len=%zu: fault at src+%ld, dst bytes written %zu\n",
		 before, len, fault_addr ? (long)((unsigned char *)fault_addr - (src + 4096 - before)) : -1L, written);
	say(line);
	munmap(src, 4096);
	munmap(dst, 3 * 4096);
}

/* memset/strcpy into a destination whose second page is unmapped. */
static void set_case(size_t before, size_t len, int use_strcpy)
{
	char line[160];
	static char text[9000];
	unsigned char *dst = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	munmap(dst + 4096, 4096);
	memset(text, 'B', len);
	text[len] = 0;
	fault_addr = NULL;
	if (sigsetjmp(back, 1) == 0) {
		if (use_strcpy)
			strcpy((char *)dst + 4096 - before, text);
		else
			memset(dst + 4096 - before, 'B', len);
	}
	size_t written = 0;
	for (size_t i = 0; i < 4096; i++)
		written += dst[i] == 'B';
	snprintf(line, sizeof line, "%s dst_before_hole=%zu len=%zu: fault at dst+%ld, bytes written %zu\n",
		 use_strcpy ? "strcpy" : "memset", before, len,
		 fault_addr ? (long)((unsigned char *)fault_addr - (dst + 4096 - before)) : -1L, written);
	say(line);
	munmap(dst, 4096);
}

int main(void)
{
	struct sigaction sa = {0};
	sa.sa_sigaction = on_segv;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigaction(SIGSEGV, &sa, NULL);
	static const size_t before[] = {1, 3, 8, 10, 32, 100, 1000};
	static const size_t lens[] = {4, 10, 16, 33, 200, 2000, 5000};
	for (size_t b = 0; b < sizeof before / sizeof *before; b++)
		for (size_t l = 0; l < sizeof lens / sizeof *lens; l++)
			if (lens[l] > before[b])
				copy_case(before[b], lens[l]);
	for (size_t b = 0; b < sizeof before / sizeof *before; b++)
		for (size_t l = 0; l < sizeof lens / sizeof *lens; l++)
			if (lens[l] > before[b]) {
				set_case(before[b], lens[l], 0);
				set_case(before[b], lens[l], 1);
			}
	return 0;
}
