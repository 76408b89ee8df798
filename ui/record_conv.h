/* record_conv.h - turns the log of libvmviz-record.so into a scenario. */
#ifndef VMVIZ_RECORD_CONV_H
#define VMVIZ_RECORD_CONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Call sites (return addresses, as logged) with their source lines
 * ("rec_malloc.c:14"), sorted by address: the captions' names. */
struct record_site {
	uint64_t addr;
	char where[80];
};

struct record_sites {
	struct record_site *v;
	size_t n;
};

struct record_summary {
	long calls;            /* calls written as commands */
	long skipped_calls;    /* calls vmviz cannot replay (comments) */
	int threads_skipped;   /* threads whose calls were not recorded */
	int crash_signal;      /* the signal the program died of, or 0 */
	int children;          /* forked children followed */
	bool started;          /* the library reported at all */
};

/* Reads the log from in and writes the scenario to out; title names the
 * program and its arguments; sites (or NULL) name the calls' source lines.
 * Returns 0, or -1 on a log it cannot read. */
int record_convert(FILE *in, FILE *out, const char *title, const struct record_sites *sites,
		   struct record_summary *sum);

/* Decodes an s line of the log (an allocator call that changed no
 * number: src/record/vmviz_record.c says how): the call's name, arguments,
 * result and call site, its pointers counted from *prev_ptr and *prev_site,
 * the process's, which it updates. False for a line that is not one. */
bool record_short_line(const char *line, const char **name, uint64_t a[4], uint64_t *ret, uint64_t *site,
		       uint64_t *prev_ptr, uint64_t *prev_site);

#endif
