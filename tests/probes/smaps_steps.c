/* smaps_steps.c - the real process behind tests/probes/smaps_steps.vmm:
 * the same steps, printing after each its /proc/self/status memory lines
 * and its whole /proc/self/smaps (tests/smaps_compare.sh compares vmviz's
 * `status` and `smaps` with them). As tests/diff/probe.c: no stdio and no
 * malloc of its own, ASLR off (re-executes itself), and every page of every
 * mapping faulted in before the first step (writable ones written in place
 * by `lock or $0`, the rest read), so the steps' pages are their own; the
 * .vmm does the same with touch. Build: gcc -O1 -o smaps_steps smaps_steps.c
 * Usage: smaps_steps > smaps_steps.txt */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE 4096ul

static void say(const char *text)
{
	size_t n = strlen(text);
	for (size_t o = 0; o < n;) {
		ssize_t w = write(1, text + o, n - o);
		if (w <= 0)
			_exit(1);
		o += (size_t)w;
	}
}

/* Copies a /proc file to stdout; status: only its Vm and Rss lines. */
static void show(const char *file, int vm_lines_only)
{
	char buf[4096], line[512];
	size_t len = 0;
	int fd = open(file, O_RDONLY);
	if (fd < 0)
		_exit(1);
	for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;)
		for (ssize_t i = 0; i < n; i++) {
			if (len + 1 < sizeof line)
				line[len++] = buf[i];
			if (buf[i] != '\n')
				continue;
			line[len] = 0;
			len = 0;
			if (!vm_lines_only || strncmp(line, "Vm", 2) == 0 || strncmp(line, "Rss", 3) == 0)
				say(line);
		}
	close(fd);
}

static void step(const char *name)
{
	say("## ");
	say(name);
	say("\n");
	show("/proc/self/status", 1);
	show("/proc/self/smaps", 0);
}

/* One write access that keeps the byte. */
static void poke(char *p)
{
	__asm__ volatile("lock orb $0, %0" : "+m"(*p));
}

static void prefault(void)
{
	char maps[8192];
	int fd = open("/proc/self/maps", O_RDONLY), n = 0, r;
	while (fd >= 0 && n < (int)sizeof maps - 1 && (r = (int)read(fd, maps + n, sizeof maps - 1 - (size_t)n)) > 0)
		n += r;
	close(fd);
	maps[n] = 0;
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

int main(int argc, char **argv)
{
	(void)argc;
	int pers = personality(0xffffffff);
	if (!(pers & ADDR_NO_RANDOMIZE) && personality((unsigned long)pers | ADDR_NO_RANDOMIZE) != -1)
		execv("/proc/self/exe", argv);
	prefault();
	step("start");
	char *p = malloc(1 << 20);
	step("p = malloc(1M)");
	for (int i = 0; i < 64; i++)
		poke(p + i * PAGE);
	step("touch p 256K-16");
	for (int i = 64; i < 68; i++)
		(void)*(volatile char *)(p + i * PAGE);
	step("read 4 pages");
	char *q = malloc(1000);
	step("q = malloc(1000)");
	strcpy(q, "secret");
	step("strcpy(q, \"secret\")");
	char *r = malloc(20000);
	memset(r, 1, 20000);
	step("memset(r, 1, 20000)");
	memcpy(p + 512 * 1024, r, 20000);
	step("memcpy(p + 512K, r, 20000)");
	pid_t c = fork();
	if (c == 0) {
		step("child");
		_exit(0);
	}
	int st;
	waitpid(c, &st, 0);
	step("after the child exited");
	free(p);
	step("free(p)");
	return 0;
}
