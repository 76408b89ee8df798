/* procview.c - reads a real process's memory from /proc (maps, smaps,
 * smaps_rollup, pagemap) into a read-only snapshot, and prints it as text.
 * Nothing here changes the process or the engine. */
#include "procview.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096ull

int procview_why(char *err, size_t n, int pid, int e, const char *what)
{
	if (e == ENOENT || e == ESRCH)
		snprintf(err, n, "no process %d%s", pid, what ? " (it exited while being read)" : "");
	else if (e == EACCES || e == EPERM)
		snprintf(err, n, "process %d belongs to another user: reading its memory map is not allowed", pid);
	else
		snprintf(err, n, "cannot read /proc/%d/%s: %s", pid, what ? what : "", strerror(e));
	return -1;
}

int procview_no_memory(char *err, size_t n, int pid, const char *status)
{
	bool zombie = status && strstr(status, "\nState:\tZ");
	snprintf(err, n, zombie ? "process %d has exited (a zombie): no memory left to read"
				: "process %d is a kernel thread: it has no user address space",
		 pid);
	return -1;
}

char *procview_file(int pid, const char *name, int *e)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/%s", pid, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*e = errno;
		return NULL;
	}
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	ssize_t r = 0;
	while (buf && (r = read(fd, buf + n, cap - n - 1)) > 0) {
		n += (size_t)r;
		if (cap - n < 4096) {
			char *more = realloc(buf, cap * 2);
			if (!more) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = more;
			cap *= 2;
		}
	}
	*e = r < 0 ? errno : buf ? 0 : ENOMEM;
	close(fd);
	if (!buf || r < 0) {
		free(buf);
		return NULL;
	}
	buf[n] = 0;
	return buf;
}

static bool field(const char *line, const char *name, uint64_t *kb)
{
	size_t k = strlen(name);
	if (strncmp(line, name, k) != 0 || line[k] != ':')
		return false;
	*kb = strtoull(line + k + 1, NULL, 10);
	return true;
}

static void add_field(const char *line, struct pv_counts *c)
{
	uint64_t v;
	if (field(line, "Rss", &v))
		c->rss = v;
	else if (field(line, "Pss", &v))
		c->pss = v;
	else if (field(line, "Swap", &v))
		c->swap = v;
	else if (field(line, "Anonymous", &v))
		c->anon = v;
}

static bool parse_header(const char *line, struct pv_mapping *m)
{
	unsigned long long lo, hi, off, inode;
	char perms[8], dev[16];
	int used = 0;
	if (sscanf(line, "%llx-%llx %7s %llx %15s %llu %n", &lo, &hi, perms, &off, dev, &inode, &used) < 6)
		return false;
	memset(m, 0, sizeof *m);
	m->start = lo;
	m->end = hi;
	m->offset = off;
	m->inode = inode;
	snprintf(m->perms, sizeof m->perms, "%.4s", perms);
	snprintf(m->dev, sizeof m->dev, "%s", dev);
	const char *name = used ? line + used : "";
	size_t k = strcspn(name, "\n");
	snprintf(m->name, sizeof m->name, "%.*s", (int)(k < 255 ? k : 255), name);
	return true;
}

int procview_pages(int pid, const struct pv_mapping *m, void (*fn)(void *ctx, uint64_t addr, uint64_t entry),
		   void *ctx)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/pagemap", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	static uint64_t buf[4096];
	/* [vsyscall] lies above user space: pagemap has nothing for it */
	for (uint64_t a = m->start; a < m->end && a < (1ull << 47);) {
		size_t n = (size_t)((m->end - a) / PAGE);
		if (n > 4096)
			n = 4096;
		ssize_t got = pread(fd, buf, n * 8, (off_t)(a / PAGE * 8));
		if (got <= 0)
			break;
		for (ssize_t k = 0; k < got / 8; k++, a += PAGE)
			fn(ctx, a, buf[k]);
	}
	close(fd);
	return 0;
}

struct count_ctx {
	struct pv_pages *p;
	bool *pfn_seen;
};

static void count_page(void *ctx, uint64_t addr, uint64_t e)
{
	(void)addr;
	struct count_ctx *c = ctx;
	if (e & PV_PRESENT) {
		c->p->present++;
		if (e & PV_PFN_MASK)
			*c->pfn_seen = true;
	}
	if (e & PV_SWAPPED)
		c->p->swapped++;
	if ((e & (PV_PRESENT | PV_SWAPPED)) && (e & PV_SOFT_DIRTY))
		c->p->soft_dirty++;
	if ((e & PV_PRESENT) && (e & PV_EXCLUSIVE))
		c->p->exclusive++;
	if ((e & PV_PRESENT) && (e & PV_FILE_SHARED))
		c->p->file_shared++;
}

int procview_parse_smaps(struct procview *pv, char *smaps)
{
	size_t cap = 0;
	for (char *line = smaps; *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		struct pv_mapping m;
		if (parse_header(line, &m)) {
			if (pv->n == cap) {
				cap = cap ? 2 * cap : 64;
				struct pv_mapping *more = realloc(pv->maps, cap * sizeof *more);
				if (!more) {
					procview_free(pv);
					return -1;
				}
				pv->maps = more;
			}
			pv->maps[pv->n++] = m;
		} else if (pv->n) {
			add_field(line, &pv->maps[pv->n - 1].kb);
		}
		line = nl ? nl + 1 : line + strlen(line);
	}
	for (size_t i = 0; i < pv->n; i++) {
		pv->total.rss += pv->maps[i].kb.rss;
		pv->total.pss += pv->maps[i].kb.pss;
		pv->total.swap += pv->maps[i].kb.swap;
		pv->total.anon += pv->maps[i].kb.anon;
	}
	return 0;
}

int procview_read(int pid, struct procview *pv, char *err, size_t errlen)
{
	memset(pv, 0, sizeof *pv);
	pv->pid = pid;
	int e = 0;
	char *comm = procview_file(pid, "comm", &e);
	if (!comm)
		return procview_why(err, errlen, pid, e, NULL);
	snprintf(pv->comm, sizeof pv->comm, "%.*s", (int)strcspn(comm, "\n"), comm);
	free(comm);
	char *smaps = procview_file(pid, "smaps", &e);
	if (!smaps)
		return procview_why(err, errlen, pid, e, "smaps");
	if (!*smaps) {
		free(smaps);
		/* A kernel thread has no user address space; a process that has
		 * exited (a zombie) has none left either. */
		char *status = procview_file(pid, "status", &e);
		procview_no_memory(err, errlen, pid, status);
		free(status);
		return -1;
	}
	if (procview_parse_smaps(pv, smaps) < 0) {
		free(smaps);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	free(smaps);
	char *rollup = procview_file(pid, "smaps_rollup", &e);
	if (!rollup) {
		procview_free(pv);
		return procview_why(err, errlen, pid, e, "smaps_rollup");
	}
	for (char *line = strtok(rollup, "\n"); line; line = strtok(NULL, "\n"))
		add_field(line, &pv->rollup);
	free(rollup);
	for (size_t i = 0; i < pv->n; i++) {
		struct pv_mapping *m = &pv->maps[i];
		struct count_ctx c = {&m->pages, &pv->pfn_visible};
		if (procview_pages(pid, m, count_page, &c) < 0) {
			int pe = errno;
			procview_free(pv);
			return procview_why(err, errlen, pid, pe, "pagemap");
		}
	}
	/* gone by now: what was read may be half of a dying process */
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/stat", pid);
	if (access(path, F_OK) != 0) {
		procview_free(pv);
		return procview_why(err, errlen, pid, ESRCH, "maps");
	}
	return 0;
}

void procview_free(struct procview *pv)
{
	free(pv->maps);
	pv->maps = NULL;
	pv->n = 0;
}

struct print_ctx {
	FILE *out;
	bool pfn;
};

static void print_page(void *ctx, uint64_t addr, uint64_t e)
{
	struct print_ctx *c = ctx;
	if (!(e & (PV_PRESENT | PV_SWAPPED)))
		return;
	fprintf(c->out, "    %012" PRIx64 " %s%s%s%s", addr, e & PV_PRESENT ? "present" : "swapped",
		e & PV_EXCLUSIVE ? " exclusive" : "", e & PV_SOFT_DIRTY ? " soft-dirty" : "",
		e & PV_FILE_SHARED ? " file/shared" : " anon");
	if (!(e & PV_PRESENT))
		fprintf(c->out, " swap-offset 0x%" PRIx64 "\n", (e & PV_PFN_MASK) >> 5);
	else if (c->pfn)
		fprintf(c->out, " pfn 0x%" PRIx64 "\n", e & PV_PFN_MASK);
	else
		fprintf(c->out, " pfn hidden without root\n");
}

void procview_print(const struct procview *pv, bool pages, FILE *out)
{
	fprintf(out, "pid %d (%s): %zu mappings\n", pv->pid, pv->comm, pv->n);
	fprintf(out, "%-25s %-4s %8s %8s %8s %8s  %s\n", "range", "perm", "Rss kB", "Pss kB", "Swap kB", "Anon kB",
		"pages: present swapped soft-dirty exclusive file/shared  name");
	for (size_t i = 0; i < pv->n; i++) {
		const struct pv_mapping *m = &pv->maps[i];
		fprintf(out, "%012" PRIx64 "-%012" PRIx64 " %-4s %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64
			     "  %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 " %" PRIu64 "  %s\n",
			m->start, m->end, m->perms, m->kb.rss, m->kb.pss, m->kb.swap, m->kb.anon, m->pages.present,
			m->pages.swapped, m->pages.soft_dirty, m->pages.exclusive, m->pages.file_shared, m->name);
		if (pages) {
			struct print_ctx c = {out, pv->pfn_visible};
			procview_pages(pv->pid, m, print_page, &c);
		}
	}
	fprintf(out, "total: Rss %" PRIu64 " kB, Pss %" PRIu64 " kB, Swap %" PRIu64 " kB, Anonymous %" PRIu64 " kB\n",
		pv->total.rss, pv->total.pss, pv->total.swap, pv->total.anon);
	bool same = pv->total.rss == pv->rollup.rss && pv->total.swap == pv->rollup.swap &&
		    pv->total.anon == pv->rollup.anon;
	/* smaps rounds each mapping's Pss down to a kB; the rollup rounds once */
	uint64_t slack = pv->n;
	bool pss_ok = pv->total.pss <= pv->rollup.pss && pv->rollup.pss - pv->total.pss <= slack;
	fprintf(out, "smaps_rollup: Rss %" PRIu64 " kB, Pss %" PRIu64 " kB, Swap %" PRIu64 " kB, Anonymous %" PRIu64
		     " kB: %s\n",
		pv->rollup.rss, pv->rollup.pss, pv->rollup.swap, pv->rollup.anon,
		same && pss_ok ? "the totals match (Pss within per-mapping rounding)"
			       : "DIFFERENT (the process changed while being read?)");
	fprintf(out, "PFNs: %s\n", pv->pfn_visible ? "shown (root)" : "hidden without root (pagemap gives 0)");
}
