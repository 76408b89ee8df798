/* malloc_probe.c - runs a list of allocation steps in a real process and
 * prints, after each, the result and the process's VSZ, RSS, minor faults
 * and break: the truth tests/test_malloc.c compares vmviz with.
 *
 *   setarch -R ./malloc_probe STEP...
 * STEP: m:SIZE  c:N:SIZE  f:I  r:I:SIZE  a:ALIGN:SIZE  (I = an earlier
 * step's result), F:I:OFF frees result I + OFF, w:I:OFF:BYTE writes a byte at result I + OFF, t:I:LEN
 * writes one byte per page of result I's first LEN bytes, g:I:OFF reads a byte.
 * It never calls malloc itself (no stdio): output is built on the stack and
 * written with write(2). Built for i386 without 32-bit headers, so the few
 * libc functions it uses are declared here. */
typedef unsigned long size_t;
typedef long ssize_t;
void *malloc(size_t);
void *calloc(size_t, size_t);
void *realloc(void *, size_t);
void *memalign(size_t, size_t);
void free(void *);
void *memset(void *, int, size_t);
void *memcpy(void *, const void *, size_t);
void *memmove(void *, const void *, size_t);
void *sbrk(long);
int open(const char *, int, ...);
ssize_t read(int, void *, size_t);
ssize_t write(int, const void *, size_t);
int close(int);
int getrusage(int, void *);

struct timeval_ { long s, us; };
struct rusage_ { struct timeval_ ut, st; long maxrss, ixrss, idrss, isrss, minflt, majflt, rest[8]; };

static char out[512];
static size_t outlen;

static void put(const char *s)
{
	while (*s && outlen < sizeof out - 1)
		out[outlen++] = *s++;
}

static void put_num(unsigned long v, unsigned base)
{
	char b[24];
	int n = 0;
	do {
		b[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (base == 16)
		put("0x");
	while (n)
		out[outlen < sizeof out - 1 ? outlen++ : outlen] = b[--n];
}

static unsigned long num(const char **s)
{
	unsigned long v = 0;
	int neg = 0;
	if (**s == '-') {
		neg = 1;
		(*s)++;
	}
	while (**s >= '0' && **s <= '9')
		v = v * 10 + (unsigned long)(*(*s)++ - '0');
	if (**s == 'K') { v <<= 10; (*s)++; }
	else if (**s == 'M') { v <<= 20; (*s)++; }
	else if (**s == 'G') { v <<= 30; (*s)++; }
	if (**s == ':')
		(*s)++;
	return neg ? (unsigned long)-(long)v : v;
}

static long minflt(void)
{
	struct rusage_ ru;
	getrusage(0, &ru);
	return ru.minflt;
}

/* VSZ from statm; RSS as RssAnon of /proc/self/status: the pages malloc
 * and the program touch (a first call into libc code would add file pages
 * that vmviz does not model). */
static void statm(unsigned long *vsz, unsigned long *rss)
{
	char b[2048];
	int fd = open("/proc/self/statm", 0);
	ssize_t n = read(fd, b, sizeof b - 1);
	close(fd);
	b[n > 0 ? n : 0] = 0;
	const char *s = b;
	*vsz = (unsigned long)num(&s) * 4;
	fd = open("/proc/self/status", 0);
	n = read(fd, b, sizeof b - 1);
	close(fd);
	b[n > 0 ? n : 0] = 0;
	*rss = 0;
	for (s = b; *s; s++)
		if (s[0] == 'R' && s[1] == 's' && s[2] == 's' && s[3] == 'A' && s[4] == 'n' && s[5] == 'o' && s[6] == 'n') {
			s += 8;
			while (*s == ' ' || *s == '\t')
				s++;
			*rss = (unsigned long)num(&s);
			break;
		}
}

/* Reads the code at the entry of each malloc function once (the kernel
 * maps its neighbourhood too), so that calling calloc or realloc for the
 * first time faults no text page in during a step: vmviz runs no libc
 * code, and what is compared is the memory malloc itself touches. */
static void warm_code(void)
{
	void *fns[] = {(void *)malloc, (void *)calloc, (void *)realloc, (void *)memalign, (void *)free,
		      (void *)memset, (void *)memcpy, (void *)memmove};
	for (unsigned i = 0; i < sizeof fns / sizeof *fns; i++)
		for (unsigned off = 0; off < 8192; off += 4096)
			(void)*((volatile const char *)fns[i] + off);
}

int main(int argc, char **argv)
{
	static char *res[256];
	unsigned long vsz, rss;
	char *heap = sbrk(0);
	warm_code();
	statm(&vsz, &rss);
	put("start heap ");
	put_num((unsigned long)heap, 16);
	put(" vsz ");
	put_num(vsz, 10);
	put(" rss ");
	put_num(rss, 10);
	put("\n");
	write(1, out, outlen);
	for (int i = 1; i < argc && i < 256; i++) {
		const char *s = argv[i] + 2;
		char op = argv[i][0];
		char *r = 0;
		int val = -1;
		long f0 = minflt();
		if (op == 'm') {
			r = malloc(num(&s));
		} else if (op == 'c') {
			size_t n = num(&s);
			r = calloc(n, num(&s));
		} else if (op == 'f') {
			free(res[num(&s)]);
		} else if (op == 'F') {
			size_t k = num(&s);
			free(res[k] + (long)num(&s));
		} else if (op == 'r') {
			size_t k = num(&s);
			r = realloc(res[k], num(&s));
		} else if (op == 'a') {
			size_t al = num(&s);
			r = memalign(al, num(&s));
		} else if (op == 'w') {
			size_t k = num(&s);
			long off = (long)num(&s);
			res[k][off] = (char)num(&s);
		} else if (op == 't') {
			size_t k = num(&s);
			size_t len = num(&s);
			for (size_t o = 0; o < len; o += 4096)
				res[k][o] = 1;
		} else if (op == 'g') {
			size_t k = num(&s);
			long off = (long)num(&s);
			val = (unsigned char)res[k][off];
		}
		long f1 = minflt();
		res[i] = r;
		statm(&vsz, &rss);
		outlen = 0;
		put(argv[i]);
		put(" -> ");
		put_num((unsigned long)r, 16);
		if (val >= 0) {
			put(" byte ");
			put_num((unsigned)val, 10);
		}
		put(" vsz ");
		put_num(vsz, 10);
		put(" rss ");
		put_num(rss, 10);
		put(" minflt +");
		put_num((unsigned long)(f1 - f0), 10);
		put(" brk ");
		put_num((unsigned long)sbrk(0), 16);
		put("\n");
		write(1, out, outlen);
	}
	return 0;
}
