/* compare.h - two processes' page tables merged by virtual page, each row
 * saying whether both map the same frame: what the `compare` command
 * prints and the screen's compare view draws (ui/panel_compare.c). */
#ifndef VMVIZ_COMPARE_H
#define VMVIZ_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h"

/* How the two PTEs of a virtual page relate. */
enum cmp_link {
	LINK_ONE,      /* only one process maps the page */
	LINK_SAME,     /* both map the same frame: shared */
	LINK_DIFF,     /* both map it, in different frames (or swap slots) */
};

struct cmp_row {
	uint64_t vpn;
	pte_t pte[2];          /* 0 when that side has no PTE for it */
	uint8_t link;          /* enum cmp_link */
};

struct compare {
	bool on;               /* asked for, and a side is alive */
	int pid[2];
	const struct proc *proc[2];  /* NULL: that process has ended */
	struct cmp_row *rows;  /* in address order */
	size_t nrows, cap;
	uint32_t nsame, ndiff;
	struct pte_list {      /* one side's PTEs while merging */
		struct cmp_pte {
			uint64_t vpn;
			pte_t pte;
		} *e;
		size_t n, cap;
		bool failed;
	} side[2];
};

void compare_init(struct compare *c);
void compare_free(struct compare *c);
/* Reads the page tables of pids[0] and pids[1] (pids[0] == 0: off).
 * Returns 0, or -1 out of memory (then off). */
int compare_read(struct compare *c, const struct vm *vm, const int pids[2]);
/* The row of vpn, or -1. */
long compare_find(const struct compare *c, uint64_t vpn);

#endif
