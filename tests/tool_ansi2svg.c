/* tool_ansi2svg.c - turns a terminal capture with ANSI escapes (tmux
 * capture-pane -p -e) into an SVG picture, or plain text with --text.
 * Usage: ansi2svg [--cols N] [--title T] [--text] < capture.txt > out.svg */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cellgrid.h"

struct options {
	int cols;          /* 0: as wide as the widest line */
	const char *title; /* NULL: no title bar */
	bool text;
};

static void usage(FILE *to)
{
	fputs("usage: ansi2svg [--cols N] [--title T] [--text] < capture.txt > out.svg\n"
	      "  --cols N   grid width (default: the widest line)\n"
	      "  --title T  window title drawn above the screen\n"
	      "  --text     write plain text instead of SVG\n", to);
}

/* Parses argv; returns 0, or 2 (the usual usage-error status). */
static int parse_args(int argc, char **argv, struct options *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--cols") == 0 && i + 1 < argc) {
			char *end;
			long v = strtol(argv[++i], &end, 10);
			if (*end || v < 1 || v > 10000) {
				fprintf(stderr, "ansi2svg: bad --cols '%s'\n", argv[i]);
				return 2;
			}
			o->cols = (int)v;
		} else if (strcmp(a, "--title") == 0 && i + 1 < argc) {
			o->title = argv[++i];
		} else if (strcmp(a, "--text") == 0) {
			o->text = true;
		} else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			exit(0);
		} else {
			fprintf(stderr, "ansi2svg: unknown argument '%s'\n", a);
			usage(stderr);
			return 2;
		}
	}
	return 0;
}

/* Reads all of f into a NUL-terminated buffer; NULL on failure. */
static char *read_all(FILE *f)
{
	size_t len = 0, cap = 65536;
	char *buf = malloc(cap);
	while (buf) {
		len += fread(buf + len, 1, cap - len - 1, f);
		if (ferror(f)) {
			free(buf);
			return NULL;
		}
		if (feof(f)) {
			buf[len] = '\0';
			return buf;
		}
		if (len + 1 == cap) {
			char *bigger = realloc(buf, cap * 2);
			if (!bigger)
				free(buf);
			buf = bigger;
			cap *= 2;
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct options o = {0};
	int rc = parse_args(argc, argv, &o);
	if (rc)
		return rc;
	char *text = read_all(stdin);
	if (!text) {
		fprintf(stderr, "ansi2svg: reading input: %s\n", strerror(errno));
		return 1;
	}
	struct cellgrid *g = cellgrid_from_ansi(text, o.cols);
	free(text);
	if (!g) {
		fputs("ansi2svg: out of memory\n", stderr);
		return 1;
	}
	rc = o.text ? cellgrid_write_text(g, stdout) : cellgrid_write_svg(g, stdout, o.title);
	cellgrid_free(g);
	if (rc || fflush(stdout)) {
		fputs("ansi2svg: write error\n", stderr);
		return 1;
	}
	return 0;
}
