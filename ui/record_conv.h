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

#endif
