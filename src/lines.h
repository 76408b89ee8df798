/* lines.h - bounded line reading, shared by scripts, scenarios and traces.
 *
 * A line is never held beyond its limit: a longer one stops the reading
 * with LINES_TOO_LONG, a NUL byte (binary input) with LINES_BINARY, so an
 * endless input such as /dev/zero ends at once with a reason instead of
 * filling memory. CR LF line ends are accepted.
 */
#ifndef VMVIZ_LINES_H
#define VMVIZ_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LINES_CHUNK (64 * 1024)

/* Where the bytes come from: fills buf with up to cap bytes, 0 at the end
 * (or on an error, which the source remembers for its caller). */
typedef size_t (*lines_read_fn)(void *ctx, unsigned char *buf, size_t cap);

enum lines_status { LINES_OK, LINES_END, LINES_TOO_LONG, LINES_BINARY, LINES_NO_MEMORY };

struct lines {
	lines_read_fn read;
	void *ctx;
	size_t max;              /* the longest line taken, in bytes */
	char *text;              /* the current line, NUL-terminated (max + 1) */
	size_t len;
	uint64_t number;         /* of the current line, from 1 */
	unsigned char *buf;      /* LINES_CHUNK bytes read ahead */
	size_t pos, end;
	bool eof;
	bool failed;             /* stopped at a bad line: LINES_END from now on */
};

/* Returns 0, or -1 when out of memory. */
int lines_open(struct lines *l, lines_read_fn read, void *ctx, size_t max);
void lines_close(struct lines *l);
/* The next line in l->text. After LINES_TOO_LONG or LINES_BINARY,
 * l->number is the offending line's, l->failed is set and every later call
 * returns LINES_END. */
enum lines_status lines_next(struct lines *l);
/* The bytes read ahead and not yet taken (none once reading has stopped),
 * for a caller that parses lines in place instead of copying them (the
 * trace reader). It may take only whole lines lying within these bytes,
 * each ended by its newline, none longer than l->max nor holding a NUL, and
 * must then say so with lines_taken; any line it is not sure of is left to
 * lines_next, so the limits and their messages hold either way. */
static inline const unsigned char *lines_ahead(const struct lines *l, size_t *n)
{
	if (l->failed || !l->buf) {
		*n = 0;
		return NULL;
	}
	*n = l->end - l->pos;
	return l->buf + l->pos;
}
/* The caller of lines_ahead took `bytes` bytes holding `count` lines. */
static inline void lines_taken(struct lines *l, size_t bytes, uint64_t count)
{
	l->pos += bytes;
	l->number += count;
}
/* "line too long (at most N characters)", "binary data (a NUL byte)". */
void lines_why(const struct lines *l, enum lines_status st, char *buf, size_t size);

/* A read function over a stdio stream. It returns at a newline, so a
 * terminal gives each line as it is typed (fread would wait for a whole
 * chunk); ferror() tells a failed read. */
size_t lines_read_stdio(void *file, unsigned char *buf, size_t cap);

#endif
