/* lines.c - bounded line reading (see lines.h). */
#include "lines.h"

#include <stdlib.h>
#include <string.h>

int lines_open(struct lines *l, lines_read_fn read, void *ctx, size_t max)
{
	memset(l, 0, sizeof *l);
	l->read = read;
	l->ctx = ctx;
	l->max = max;
	l->text = malloc(max + 1);
	l->buf = malloc(LINES_CHUNK);
	if (!l->text || !l->buf) {
		lines_close(l);
		return -1;
	}
	return 0;
}

void lines_close(struct lines *l)
{
	free(l->text);
	free(l->buf);
	l->text = NULL;
	l->buf = NULL;
}

static bool refill(struct lines *l)
{
	if (l->pos < l->end)
		return true;
	if (l->eof)
		return false;
	l->pos = 0;
	l->end = l->read(l->ctx, l->buf, LINES_CHUNK);
	if (l->end == 0)
		l->eof = true;
	return l->end > 0;
}

enum lines_status lines_next(struct lines *l)
{
	if (!l->text)
		return LINES_NO_MEMORY;
	if (l->failed)
		return LINES_END;
	l->len = 0;
	l->text[0] = '\0';
	bool any = false;
	while (refill(l)) {
		any = true;
		const unsigned char *start = l->buf + l->pos;
		size_t avail = l->end - l->pos;
		const unsigned char *nl = memchr(start, '\n', avail);
		size_t n = nl ? (size_t)(nl - start) : avail;
		/* A CR right before the newline is part of the line end; one left
		 * at a chunk's end is counted now and dropped below. */
		size_t keep = nl && n > 0 && start[n - 1] == '\r' ? n - 1 : n;
		if (memchr(start, '\0', n)) {
			l->number++;
			l->failed = true;
			return LINES_BINARY;
		}
		if (keep > l->max - l->len) {
			l->number++;
			l->failed = true;
			return LINES_TOO_LONG;
		}
		memcpy(l->text + l->len, start, keep);
		l->len += keep;
		l->pos += n + (nl != NULL);
		if (nl)
			break;
	}
	if (!any)
		return LINES_END;
	if (l->len > 0 && l->text[l->len - 1] == '\r')
		l->len--;
	l->text[l->len] = '\0';
	l->number++;
	return LINES_OK;
}

void lines_why(const struct lines *l, enum lines_status st, char *buf, size_t size)
{
	switch (st) {
	case LINES_TOO_LONG:
		snprintf(buf, size, "line too long (at most %zu characters)", l->max);
		break;
	case LINES_BINARY:
		snprintf(buf, size, "binary data (a NUL byte), not text");
		break;
	case LINES_NO_MEMORY:
		snprintf(buf, size, "out of memory");
		break;
	default:
		buf[0] = '\0';
	}
}

size_t lines_read_stdio(void *file, unsigned char *buf, size_t cap)
{
	FILE *f = file;
	size_t n = 0;
	int c;
	while (n < cap && (c = getc_unlocked(f)) != EOF) {
		buf[n++] = (unsigned char)c;
		if (c == '\n')
			break;
	}
	return n;
}
