/* procview.h - a read-only snapshot of a real process's memory, from
 * /proc/PID/maps, smaps, smaps_rollup and pagemap (vmviz attach). */
#ifndef VMVIZ_PROCVIEW_H
#define VMVIZ_PROCVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* kB figures as smaps prints them. */
struct pv_counts {
	uint64_t rss, pss, swap, anon;
};

/* What pagemap says of a mapping's pages. */
struct pv_pages {
	uint64_t present, swapped, soft_dirty, exclusive, file_shared;
};

struct pv_mapping {
	uint64_t start, end, offset;
	char perms[5];
	char dev[16];
	uint64_t inode;
	char name[256];
	struct pv_counts kb;
	struct pv_pages pages;
};

struct procview {
	int pid;
	char comm[32];
	struct pv_mapping *maps;
	size_t n;
	struct pv_counts total;    /* the sum over the mappings */
	struct pv_counts rollup;   /* smaps_rollup */
	bool pfn_visible;          /* pagemap shows PFNs (CAP_SYS_ADMIN) */
};

/* /proc/PID/NAME whole, as a malloc'd string; NULL with *e the errno. */
char *procview_file(int pid, const char *name, int *e);
/* Reads process pid. 0, or -1 with a one-line reason in err (no such
 * process, not allowed, a kernel thread, exited while being read). */
int procview_read(int pid, struct procview *pv, char *err, size_t errlen);
void procview_free(struct procview *pv);
/* Adds the mappings of an smaps text (modified in place: lines are cut)
 * to pv, with their sum in pv->total. 0, or -1 out of memory (pv freed). */
int procview_parse_smaps(struct procview *pv, char *smaps);
/* The one-line reason for errno e met reading /proc/PID/WHAT (no such
 * process, another user's, ...); returns -1. */
int procview_why(char *err, size_t n, int pid, int e, const char *what);
/* Why smaps was empty (a kernel thread, or a zombie: status says which),
 * in err; returns -1. */
int procview_no_memory(char *err, size_t n, int pid, const char *status);

/* Calls fn for each page of m: its pagemap entry (0 if unreadable). */
int procview_pages(int pid, const struct pv_mapping *m, void (*fn)(void *ctx, uint64_t addr, uint64_t entry),
		   void *ctx);

/* Bits of a pagemap entry (Documentation/admin-guide/mm/pagemap.rst). */
#define PV_PRESENT ((uint64_t)1 << 63)
#define PV_SWAPPED ((uint64_t)1 << 62)
#define PV_FILE_SHARED ((uint64_t)1 << 61)
#define PV_EXCLUSIVE ((uint64_t)1 << 56)
#define PV_SOFT_DIRTY ((uint64_t)1 << 55)
#define PV_PFN_MASK (((uint64_t)1 << 55) - 1)

/* The text summary of vmviz attach --once; pages: one line per page. */
void procview_print(const struct procview *pv, bool pages, FILE *out);

#endif
