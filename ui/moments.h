/* moments.h - the moments of a playback step worth a banner: a process
 * killed (SIGSEGV, SIGABRT, the OOM killer), pages evicted, written to
 * swap and read back, copy-on-write copies, processes that exited; and
 * the processes that left, so their status-bar entry can stay one step. */
#ifndef VMVIZ_UI_MOMENTS_H
#define VMVIZ_UI_MOMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "theme.h"
#include "vm.h"

#define MOMENTS_GONE 8

struct moments {
	char banner[320];      /* "" when nothing worth a banner happened */
	enum role role;        /* R_ERROR for a kill, R_WARN otherwise */
	struct gone {
		int pid;
		char name[24];
		const char *why;   /* the engine's exit reason, English */
	} gone[MOMENTS_GONE];
	int ngone;
};

/* The names of the live processes, read before a step: a process that
 * leaves during it is shown by name afterwards. */
struct proc_names {
	int pid[MOMENTS_GONE * 4];
	char name[MOMENTS_GONE * 4][24];
	int n;
};
void moments_names(const struct vm *vm, struct proc_names *pn);

/* Reads the events [from, to) of vm. */
void moments_read(struct moments *m, const struct vm *vm, uint64_t from, uint64_t to,
		  const struct proc_names *pn, enum lang lang);

/* The short word for why a process left ("SIGSEGV", "OOM", "exit"). */
const char *moments_gone_word(const struct gone *g, enum lang lang);

#endif
