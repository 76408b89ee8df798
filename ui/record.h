/* record.h - --record FILE.cast: the session as an asciicast v2 file.
 *
 * curses needs a real terminal to write to (it sizes the screen and sets
 * raw mode through the output's file descriptor, and writes there with
 * write(2), not through stdio), so an fopencookie stream cannot stand in
 * for it. Instead, as `script` and asciinema do, the screen runs in a
 * child on a pseudo-terminal; the parent passes keys in, and passes the
 * output both to the real terminal and, JSON-escaped and timed, to the
 * cast file.
 */
#ifndef VMVIZ_UI_RECORD_H
#define VMVIZ_UI_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ui.h"

/* True in the child that runs the screen. */
bool record_child(void);
/* Runs ui_main in a child on a pty and records it; returns its status. */
int record_run(const struct ui_options *o);

/* The cast format, on its own for tests. */
struct cast {
	FILE *f;
	double t0;               /* start, in seconds */
	unsigned char carry[4];  /* the start of a UTF-8 character cut by a read */
	int ncarry;
};

int cast_open(struct cast *c, const char *path, int cols, int rows, const char *title);
/* One output event [time, "o", "data"]; data may end mid-character. */
void cast_output(struct cast *c, const unsigned char *data, size_t n);
void cast_resize(struct cast *c, int cols, int rows);
int cast_close(struct cast *c);
/* Appends data to out as the inside of a JSON string. */
void json_escape(FILE *out, const unsigned char *data, size_t n);

#endif
