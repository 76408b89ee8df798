/* record_conv.h - turns the log of libvmviz-record.so into a scenario. */
#ifndef VMVIZ_RECORD_CONV_H
#define VMVIZ_RECORD_CONV_H

#include <stdbool.h>
#include <stdio.h>

struct record_summary {
	long calls;            /* calls written as commands */
	long skipped_calls;    /* calls vmviz cannot replay (comments) */
	int threads_skipped;   /* threads whose calls were not recorded */
	int crash_signal;      /* the signal the program died of, or 0 */
	int children;          /* forked children followed */
	bool started;          /* the library reported at all */
};

/* Reads the log from in and writes the scenario to out; title names the
 * program and its arguments. Returns 0, or -1 on a log it cannot read. */
int record_convert(FILE *in, FILE *out, const char *title, struct record_summary *sum);

#endif
