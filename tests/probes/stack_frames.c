/* stack_frames.c - probe: what a recursive C function with a big local
 * array does to the stack VMA, VSZ, RSS and minor faults, measured at the
 * deepest call and after the calls return. No malloc (snprintf + write).
 * Usage: setarch -R ./stack_frames DEPTH FRAME MODE
 *   MODE full: the function writes its whole array (memset)
 *   MODE one:  it writes only the array's first (lowest) byte
 * Build: gcc -O0 -o stack_frames stack_frames.c */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

static long m0, v0, r0;

static void out(const char *s) { (void)!write(1, s, strlen(s)); }

static void sample(long *vsz, long *rss, long *minflt)
{
	char buf[128];
	int fd = open("/proc/self/statm", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	long a = 0, b = 0;
	sscanf(buf, "%ld %ld", &a, &b);
	*vsz = a * 4;
	*rss = b * 4;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	*minflt = ru.ru_minflt;
}

static void stack_line(void)
{
	char buf[8192];
	int fd = open("/proc/self/maps", O_RDONLY);
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	buf[n > 0 ? n : 0] = 0;
	char *s = strstr(buf, "[stack]");
	while (s && s > buf && s[-1] != '\n')
		s--;
	char *e = s ? strchr(s, '\n') : NULL;
	if (s && e) {
		*e = 0;
		out("  ");
		out(s);
		out("\n");
	}
}

static void report(const char *what)
{
	char line[200];
	long v, r, m;
	sample(&v, &r, &m);
	snprintf(line, sizeof line, "%s: vsz %+ld rss %+ld minflt %+ld\n", what, v - v0, r - r0, m - m0);
	out(line);
	stack_line();
}

static int mode_full;

static void rec(int depth, size_t frame)
{
	volatile char a[frame];
	if (mode_full)
		memset((char *)a, 1, frame);
	else
		a[0] = 1;
	if (depth > 1)
		rec(depth - 1, frame);
	else
		report("deepest");
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return 2;
	int depth = atoi(argv[1]);
	size_t frame = strtoul(argv[2], NULL, 0);
	mode_full = strcmp(argv[3], "full") == 0;
	/* Warm up this code's own pages and the report path first. */
	sample(&v0, &r0, &m0);
	report("warm");
	sample(&v0, &r0, &m0);
	stack_line();
	char line[64];
	snprintf(line, sizeof line, "main sp 0x%lx\n", (unsigned long)__builtin_frame_address(0));
	out(line);
	rec(depth, frame);
	report("returned");
	return 0;
}
