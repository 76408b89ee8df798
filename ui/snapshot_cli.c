/* snapshot_cli.c - vmviz snapshot PID [-o FILE.vmm]: a running process's
 * address space and resident pages as a scenario (map lines, then touch or
 * read of each present page), so vmviz can show and replay it. */
#include "procview.h"
#include "record_cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct run_ctx {
	FILE *out;
	uint64_t lo, hi; /* the run of pages of one kind being gathered */
	int kind;        /* 'w' anonymous exclusive, 'r' file or shared, 0 none */
	uint64_t swapped;
	bool writable;   /* the mapping's: a page of a read-only one is read */
};

static void run_flush(struct run_ctx *r)
{
	if (r->kind == 'w')
		fprintf(r->out, "touch 0x%" PRIx64 " %" PRIu64 "\n", r->lo, r->hi - r->lo);
	else if (r->kind == 'r')
		for (uint64_t a = r->lo; a < r->hi; a += 4096)
			fprintf(r->out, "read 0x%" PRIx64 "\n", a);
	r->kind = 0;
}

/* A present page not of a file and not the zero page (which pagemap shows
 * as file/shared) was written: touch; any other present page was read, and
 * so is a copied page of a mapping now read-only (RELRO): vmviz cannot
 * write there, and its RSS counts the same. */
static void on_page(void *ctx, uint64_t addr, uint64_t e)
{
	struct run_ctx *r = ctx;
	int kind = !(e & PV_PRESENT) ? 0 : (e & PV_FILE_SHARED) || !r->writable ? 'r' : 'w';
	if (e & PV_SWAPPED)
		r->swapped++;
	if (kind != r->kind || addr != r->hi) {
		run_flush(r);
		r->kind = kind;
		r->lo = addr;
	}
	r->hi = addr + 4096;
}

static bool special(const struct pv_mapping *m)
{
	return m->name[0] == '[' && strcmp(m->name, "[heap]") != 0 && strcmp(m->name, "[stack]") != 0;
}

int snapshot_main(int argc, char **argv)
{
	const char *out_path = NULL, *pid_text = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			out_path = argv[++i];
		else if (argv[i][0] == '-') {
			fprintf(stderr, "vmviz: snapshot: unknown option '%s' (vmviz snapshot PID -o FILE.vmm)\n", argv[i]);
			return 2;
		} else if (!pid_text)
			pid_text = argv[i];
		else {
			fprintf(stderr, "vmviz: snapshot: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	char *end = NULL;
	long pid = pid_text ? strtol(pid_text, &end, 10) : 0;
	if (!pid_text || *end || pid <= 0 || pid > 0x3fffffff) {
		fprintf(stderr, "vmviz: snapshot: %s\n", pid_text ? "bad PID (a positive number)" : "which process? (vmviz snapshot PID -o FILE.vmm)");
		return 2;
	}
	struct procview pv;
	char err[200];
	if (procview_read((int)pid, &pv, err, sizeof err) < 0) {
		fprintf(stderr, "vmviz: snapshot: %s\n", err);
		return 1;
	}
	char def[64];
	if (!out_path) {
		snprintf(def, sizeof def, "pid%ld.vmm", pid);
		out_path = def;
	}
	FILE *out = fopen(out_path, "w");
	if (!out) {
		fprintf(stderr, "vmviz: snapshot: cannot write %s\n", out_path);
		procview_free(&pv);
		return 2;
	}
	time_t now = time(NULL);
	char when[64];
	strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S UTC", gmtime(&now));
	fprintf(out, "# Snapshot by vmviz snapshot: pid %d (%s), %s\n", pv.pid, pv.comm, when);
	fprintf(out, "# options: --frames 262144 --swap 64\n");
	fprintf(out, "say \"pid %d (%s): its mappings and resident pages, read from /proc\"\nmap clear\n", pv.pid,
		pv.comm);
	uint64_t vsz = 0;
	bool heap = false;
	for (size_t i = 0; i < pv.n; i++) {
		const struct pv_mapping *m = &pv.maps[i];
		if (strcmp(m->name, "[vsyscall]") == 0)
			continue; /* vmviz keeps its own; not in VSZ */
		vsz += m->end - m->start;
		heap |= strcmp(m->name, "[heap]") == 0;
		char name[256];
		snprintf(name, sizeof name, "%s", m->name);
		name[strcspn(name, " ")] = 0; /* "(deleted)" and spaces: cut */
		fprintf(out, "map %" PRIx64 "-%" PRIx64 " %s %" PRIx64 "%s%s\n", m->start, m->end, m->perms, m->offset,
			name[0] ? " " : "", name);
	}
	(void)heap;
	struct run_ctx r = {out, 0, 0, 0, 0, false};
	uint64_t special_rss = 0; /* [vdso]'s page: vmviz does not page it */
	for (size_t i = 0; i < pv.n; i++) {
		const struct pv_mapping *m = &pv.maps[i];
		if (special(m))
			special_rss += m->kb.rss;
		if (special(m) || m->perms[0] != 'r')
			continue;
		r.writable = m->perms[1] == 'w';
		procview_pages(pv.pid, m, on_page, &r);
		run_flush(&r);
		r.hi = 0;
	}
	fprintf(out, "say \"As read: VSZ %" PRIu64 " kB, Rss %" PRIu64 " kB (%" PRIu64 " kB of it [vdso], which vmviz does not page)%s\"\n",
		vsz / 1024, pv.total.rss, special_rss,
		r.swapped ? "; swapped pages are left out: vmviz cannot place them in swap" : "");
	fprintf(out, "expect vsz == %" PRIu64 "K\n", vsz / 1024);
	if (!r.swapped)
		fprintf(out, "expect rss == %" PRIu64 "K\n", pv.total.rss - special_rss);
	procview_free(&pv);
	if (fclose(out) != 0) {
		fprintf(stderr, "vmviz: snapshot: cannot write %s\n", out_path);
		return 2;
	}
	fprintf(stderr, "vmviz: snapshot of pid %ld in %s; vmviz run --check %s\n", pid, out_path, out_path);
	return 0;
}
