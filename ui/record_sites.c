/* record_sites.c - names the source lines of recorded calls: the return
 * addresses libvmviz-record.so logged that fall in the program's own code,
 * resolved by one run of addr2line (binutils) over the whole batch. No
 * addr2line, or no debug info: no names, and nothing said. */
#define _GNU_SOURCE
#include "record_sites.h"

#include <elf.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Where the program's file is mapped in the first maps of the log (the
 * lowest and highest address of its mappings). */
static bool exe_range(FILE *log, const char *real, uint64_t *lo, uint64_t *hi)
{
	char line[1200];
	bool in_first = false;
	*lo = UINT64_MAX;
	*hi = 0;
	while (fgets(line, sizeof line, log)) {
		if (line[0] == 'i')
			in_first = true;
		else if (line[0] == 'e' && in_first)
			break;
		else if (line[0] == 'M' && in_first) {
			unsigned long long a, b;
			int name_at = 0;
			if (sscanf(line + 2, "%llx-%llx %*s %*s %*s %*s %n", &a, &b, &name_at) < 2 || !name_at)
				continue;
			char *name = line + 2 + name_at;
			name[strcspn(name, "\n")] = 0;
			if (strcmp(name, real) != 0)
				continue;
			if (a < *lo)
				*lo = a;
			if (b > *hi)
				*hi = b;
		}
	}
	return *lo < *hi;
}

/* The lowest p_vaddr of the program's loaded segments, page-aligned: what
 * its first mapping's address corresponds to in the file. */
static bool first_vaddr(const char *path, uint64_t *vaddr)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	Elf64_Ehdr eh;
	bool ok = pread(fd, &eh, sizeof eh, 0) == (ssize_t)sizeof eh && memcmp(eh.e_ident, ELFMAG, SELFMAG) == 0;
	*vaddr = UINT64_MAX;
	for (int i = 0; ok && i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) != (ssize_t)sizeof ph)
			break;
		if (ph.p_type == PT_LOAD && ph.p_vaddr < *vaddr)
			*vaddr = ph.p_vaddr & ~(uint64_t)4095;
	}
	close(fd);
	return ok && *vaddr != UINT64_MAX;
}

static int by_addr(const void *a, const void *b)
{
	uint64_t x = ((const struct record_site *)a)->addr, y = ((const struct record_site *)b)->addr;
	return x < y ? -1 : x > y;
}

/* What the s lines of one process count from. */
struct counting {
	long pid;
	uint64_t ptr, site;
};

static struct counting *counting_of(struct counting *v, size_t *n, size_t max, long pid)
{
	for (size_t i = 0; i < *n; i++)
		if (v[i].pid == pid)
			return &v[i];
	if (*n == max)
		return NULL;
	v[*n] = (struct counting){pid, 0, 0};
	return &v[(*n)++];
}

/* The call site of a line of the log, if it has one: the last field of
 * C, U and Q lines, decoded from an s line. */
static bool site_of(char *line, struct counting *v, size_t *n, size_t max, uint64_t *site)
{
	if (!strchr("CUQs", line[0]) || line[1] != ' ')
		return false;
	struct counting *k = counting_of(v, n, max, strtol(line + 1, NULL, 16));
	if (!k)
		return false;
	if (line[0] == 's') {
		const char *name;
		uint64_t a[4], ret;
		return record_short_line(line, &name, a, &ret, site, &k->ptr, &k->site);
	}
	if (line[0] == 'C' && strstr(line, " fork "))
		k->ptr = k->site = 0; /* the s lines count afresh */
	line[strcspn(line, "\n")] = 0;
	*site = strtoull(strrchr(line, ' ') + 1, NULL, 16);
	return true;
}

/* The call sites in [lo, hi). */
static bool collect(FILE *log, uint64_t lo, uint64_t hi, struct record_sites *s)
{
	char line[1200];
	size_t cap = 0, nprocs = 0;
	struct counting procs[64];
	while (fgets(line, sizeof line, log)) {
		uint64_t a;
		if (!site_of(line, procs, &nprocs, sizeof procs / sizeof *procs, &a) || a < lo || a >= hi)
			continue;
		if (s->n == cap) {
			cap = cap ? 2 * cap : 64;
			void *v = realloc(s->v, cap * sizeof *s->v);
			if (!v)
				return false;
			s->v = v;
		}
		s->v[s->n].addr = a;
		s->v[s->n++].where[0] = 0;
	}
	qsort(s->v, s->n, sizeof *s->v, by_addr);
	size_t k = 0;
	for (size_t i = 0; i < s->n; i++)
		if (k == 0 || s->v[k - 1].addr != s->v[i].addr)
			s->v[k++] = s->v[i];
	s->n = k;
	return true;
}

/* addr2line -e PROG, addresses on its input, lines on its output. */
static bool run_addr2line(const char *prog, FILE *in, FILE *out)
{
	fflush(in);
	rewind(in);
	pid_t pid = fork();
	if (pid < 0)
		return false;
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(fileno(in), 0);
		dup2(fileno(out), 1);
		if (null >= 0)
			dup2(null, 2);
		execlp("addr2line", "addr2line", "-e", prog, (char *)NULL);
		_exit(127);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		;
	rewind(out);
	return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/* "dir/rec_malloc.c:14 (discriminator 2)" -> "rec_malloc.c:14"; false for
 * an address without a line ("??:0", "file.c:?"). */
static bool short_line(const char *text, char *out, size_t size)
{
	char t[1024];
	snprintf(t, sizeof t, "%s", text);
	t[strcspn(t, "\n")] = 0;
	char *sp = strstr(t, " (discriminator");
	if (sp)
		*sp = 0;
	char *colon = strrchr(t, ':');
	if (!colon || t[0] == '?' || colon[1] < '1' || colon[1] > '9')
		return false;
	const char *slash = strrchr(t, '/');
	const char *name = slash ? slash + 1 : t;
	size_t n = strlen(name);
	if (n >= size || strpbrk(name, "\"\\"))
		return false; /* too long for a caption, or a quote would end it */
	memcpy(out, name, n + 1);
	return true;
}

bool record_sites_resolve(FILE *log, const char *prog, struct record_sites *s)
{
	memset(s, 0, sizeof s[0]);
	char real[PATH_MAX];
	uint64_t lo, hi, vaddr;
	rewind(log);
	if (!realpath(prog, real) || !exe_range(log, real, &lo, &hi) || !first_vaddr(real, &vaddr))
		return false;
	if (!collect(log, lo, hi, s) || s->n == 0)
		return false;
	FILE *in = tmpfile(), *out = tmpfile();
	bool ok = in && out;
	/* the call instruction ends at the return address: one byte back is
	 * in it, the caller's line */
	for (size_t i = 0; ok && i < s->n; i++)
		fprintf(in, "%" PRIx64 "\n", s->v[i].addr - 1 - lo + vaddr);
	ok = ok && run_addr2line(real, in, out);
	char line[1024];
	for (size_t i = 0; ok && i < s->n && fgets(line, sizeof line, out); i++)
		if (!short_line(line, s->v[i].where, sizeof s->v[i].where))
			s->v[i].where[0] = 0;
	if (in)
		fclose(in);
	if (out)
		fclose(out);
	/* only the named ones stay */
	size_t k = 0;
	for (size_t i = 0; ok && i < s->n; i++)
		if (s->v[i].where[0])
			s->v[k++] = s->v[i];
	s->n = ok ? k : 0;
	return s->n > 0;
}

void record_sites_free(struct record_sites *s)
{
	free(s->v);
	s->v = NULL;
	s->n = 0;
}
