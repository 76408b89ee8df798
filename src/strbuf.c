/* strbuf.c - a growing text buffer for command output, growing arrays, and
 * text escaping. */
#include "session.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void sb_clear(struct strbuf *b)
{
	b->len = 0;
	if (b->s)
		b->s[0] = 0;
}

void sb_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s)
			return;
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sb_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

void escape_controls(char *text, size_t size)
{
	char out[1024];
	size_t n = 0;
	for (const unsigned char *c = (const unsigned char *)text; *c && n + 5 < sizeof out; c++) {
		if (*c < 0x20 || *c == 0x7f)
			n += (size_t)snprintf(out + n, sizeof out - n, "\\x%02x", *c);
		else
			out[n++] = (char)*c;
	}
	out[n] = 0;
	snprintf(text, size, "%s", out);
}

int array_grow(void *pp, size_t *cap, size_t n, size_t sz)
{
	if (n <= *cap)
		return 0;
	size_t c = *cap ? *cap : 16;
	while (c < n)
		c *= 2;
	void *q = realloc(*(void **)pp, c * sz);
	if (!q)
		return -1;
	*(void **)pp = q;
	*cap = c;
	return 0;
}
