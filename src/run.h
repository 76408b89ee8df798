/* run.h - headless mode: a script in, a transcript out. */
#ifndef VMVIZ_RUN_H
#define VMVIZ_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "session.h"

struct run_options {
	bool check;          /* run the invariant checker after every command */
	unsigned max_events; /* per command in the transcript; the rest summed up */
};

/* Runs every line of in through s, printing "> line", the events and the
 * output to out; errors as "NAME:LINE: message" to err. Returns 0 if every
 * command and expect succeeded, else 1. */
int run_script(struct session *s, FILE *in, const char *name, FILE *out, FILE *err, const struct run_options *o);
/* Prints the events since seq (at most max, then a summary by kind). */
void run_print_events(const struct session *s, uint64_t seq, FILE *out, unsigned max);

#endif
