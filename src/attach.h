/* attach.h - a real process as the engine's own, read-only machine state
 * (vmviz attach): /proc/PID/smaps and pagemap become VMAs, PTEs and frames
 * that the screen's panels read as they read a simulated process. */
#ifndef VMVIZ_ATTACH_H
#define VMVIZ_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h"

/* Where /proc is read from: the real one (attach_proc_source), or recorded
 * text in the unit tests. Each returns what it read or fails with errno's
 * code in *e. */
struct attach_source {
	void *ctx;
	/* The whole of /proc/PID/NAME ("comm", "smaps", "stat", "status"),
	 * malloc'd and NUL-terminated, or NULL. */
	char *(*text)(void *ctx, int pid, const char *name, int *e);
	/* n entries of /proc/PID/pagemap from virtual page vpn: how many were
	 * read (fewer past the end), or -1. */
	long (*pagemap)(void *ctx, int pid, uint64_t vpn, uint64_t *out, size_t n, int *e);
	/* /proc/kpagecount and /proc/kpageflags of pfn; false when unreadable. */
	bool (*kpage)(void *ctx, uint64_t pfn, uint64_t *count, uint64_t *flags);
};

const struct attach_source *attach_proc_source(void);

/* The refusal every changing command gets on an attached machine. */
#define ATTACH_READ_ONLY "attached to a real process: read-only"

/* kpageflags bits (Documentation/admin-guide/mm/pagemap.rst). */
#define KPF_ANON_BIT 12
#define KPF_ZERO_PAGE_BIT 24

/* Reads process pid through src and brings *vmp up to date with it. The
 * first call builds the machine; later calls change only what changed, so
 * the events since the call are what moved between two reads (the
 * screen's highlights). When the process outgrew the machine, *vmp is
 * replaced by a larger one (the old one freed). 0, or -1 with a one-line
 * reason in err and *vmp untouched: no such process, another user's,
 * a kernel thread, a process that exited. */
int attach_refresh(int pid, const struct attach_source *src, struct vm **vmp, char *err, size_t errlen);

#endif
