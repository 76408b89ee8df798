/* log.h - the event log: what each command did, in plain words.
 *
 * A ring of logical lines (command echo, command output, one line per
 * engine event, errors). Wrapping to the panel width happens when drawing,
 * so a resize never loses text.
 */
#ifndef VMVIZ_UI_LOG_H
#define VMVIZ_UI_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "session.h"
#include "theme.h"

struct logline {
	char *text;
	uint8_t role;      /* enum role */
	uint8_t indent;    /* columns before the text (and its wrapped rest) */
	bool reason;       /* the "why:" under an event: left out of a short log */
};

struct logbuf {
	struct logline *ring;
	size_t cap, start, n;
};

/* Most events narrated for one command; a `touch` of a big region makes
 * thousands, and the first and last ones tell the story. */
#define LOG_EVENTS_HEAD 400
#define LOG_EVENTS_TAIL 100

int log_init(struct logbuf *b, size_t cap);
void log_free(struct logbuf *b);
void log_clear(struct logbuf *b);
void log_add(struct logbuf *b, enum role role, int indent, const char *text);
/* The reason under the event just added (dim, indented). */
void log_add_reason(struct logbuf *b, const char *text);
/* Line i, 0 = oldest kept. */
const struct logline *log_get(const struct logbuf *b, size_t i);

/* Narrates one command: the line as typed, its output, the events it
 * caused (since s->first_event) and its error if rc < 0. */
void log_command(struct logbuf *b, const struct session *s, const char *line, int rc);
/* Just the events of the last command (after a silent replay). */
void log_events(struct logbuf *b, const struct session *s);

#endif
