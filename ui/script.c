/* script.c - splits a scenario into lines and groups them into slides. */
#include "script.h"

#include "lines.h"
#include "session.h"

#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *skip_space(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Whether line starts with the command word w. */
static bool starts_with_word(const char *line, const char *w)
{
	line = skip_space(line);
	size_t n = strlen(w);
	return strncmp(line, w, n) == 0 && (line[n] == 0 || line[n] == ' ' || line[n] == '\t' || line[n] == '(');
}

enum line_kind script_line_kind(const char *line)
{
	if (starts_with_word(line, "say"))
		return LINE_SAY;
	if (starts_with_word(line, "expect") || starts_with_word(line, "pause"))
		return LINE_SILENT;
	/* "refs + ..." continues the reference string declared on the line
	 * before: one declaration, one slide. */
	if (starts_with_word(line, "refs") && starts_with_word(skip_space(line) + 4, "+"))
		return LINE_SILENT;
	return LINE_COMMAND;
}

static int add_line(struct script *sc, const char *line, size_t len, int lineno)
{
	char **st = realloc(sc->lines, (size_t)(sc->nlines + 1) * sizeof *st);
	if (!st)
		return -1;
	sc->lines = st;
	int *ln = realloc(sc->lineno, (size_t)(sc->nlines + 1) * sizeof *ln);
	if (!ln)
		return -1;
	sc->lineno = ln;
	enum line_kind *k = realloc(sc->kind, (size_t)(sc->nlines + 1) * sizeof *k);
	if (!k)
		return -1;
	sc->kind = k;
	char *copy = strndup(line, len);
	if (!copy)
		return -1;
	sc->lines[sc->nlines] = copy;
	sc->lineno[sc->nlines] = lineno;
	sc->kind[sc->nlines] = script_line_kind(copy);
	sc->nlines++;
	return 0;
}

/* Slide 0 starts at the first line (silent lines before the first visible
 * one run with it); every later visible line starts a slide. */
static int group_slides(struct script *sc)
{
	sc->slide_start = malloc((size_t)(sc->nlines + 1) * sizeof *sc->slide_start);
	if (!sc->slide_start)
		return -1;
	sc->nslides = 0;
	bool seen_visible = false;
	for (int i = 0; i < sc->nlines; i++) {
		if (sc->kind[i] == LINE_SILENT)
			continue;
		sc->slide_start[sc->nslides++] = seen_visible ? i : 0;
		seen_visible = true;
	}
	if (sc->nslides == 0 && sc->nlines > 0)
		sc->slide_start[sc->nslides++] = 0;   /* only checks: one slide */
	return 0;
}

int script_slide_end(const struct script *sc, int k)
{
	return k + 1 < sc->nslides ? sc->slide_start[k + 1] : sc->nlines;
}

bool script_slide_is_say(const struct script *sc, int k)
{
	for (int i = sc->slide_start[k]; i < script_slide_end(sc, k); i++)
		if (sc->kind[i] != LINE_SILENT)
			return sc->kind[i] == LINE_SAY;
	return false;
}

/* One line of the scenario: a step, the title, or nothing. */
static int take_line(struct script *sc, const char *p, size_t len, int lineno)
{
	const char *s = skip_space(p);
	size_t n = len - (size_t)(s - p);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (n >= 1 && s[0] == '#') {
		const char *t = skip_space(s + 1);
		if (!sc->title[0] && strncmp(t, "title:", 6) == 0) {
			t = skip_space(t + 6);
			snprintf(sc->title, sizeof sc->title, "%.*s", (int)(n - (size_t)(t - s)), t);
		}
		return 0;
	}
	if (n == 0 || (n >= 2 && s[0] == '/' && s[1] == '/'))
		return 0;
	return add_line(sc, s, n, lineno);
}

static void default_title(struct script *sc, const char *name)
{
	if (!sc->title[0]) {
		const char *b = strrchr(name, '/');
		snprintf(sc->title, sizeof sc->title, "%s", b ? b + 1 : name);
	}
}

int script_parse(struct script *sc, const char *text, const char *name)
{
	memset(sc, 0, sizeof *sc);
	int lineno = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (take_line(sc, p, len, ++lineno) < 0) {
			script_free(sc);
			return -1;
		}
		p = nl ? nl + 1 : p + len;
	}
	default_title(sc, name);
	if (group_slides(sc) < 0) {
		script_free(sc);
		return -1;
	}
	return 0;
}

/* Lines are read as `vmviz run` reads them: bounded, and binary refused. */
int script_load(struct script *sc, const char *path, char *err, size_t errlen)
{
	memset(sc, 0, sizeof *sc);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	struct lines lines;
	enum lines_status st = LINES_NO_MEMORY;
	if (lines_open(&lines, lines_read_stdio, f, SESSION_LINE_MAX - 1) == 0) {
		while ((st = lines_next(&lines)) == LINES_OK)
			if (take_line(sc, lines.text, lines.len, (int)lines.number) < 0) {
				st = LINES_NO_MEMORY;
				break;
			}
	}
	int read_error = ferror(f) ? (errno ? errno : EIO) : 0;
	fclose(f);
	if (st != LINES_END || read_error) {
		char why[100];
		lines_why(&lines, st, why, sizeof why);
		if (read_error)
			snprintf(err, errlen, "%s: read error: %s", path, strerror(read_error));
		else if (st == LINES_NO_MEMORY)
			snprintf(err, errlen, "%s: %s", path, why);
		else
			snprintf(err, errlen, "%s:%" PRIu64 ": %s", path, lines.number, why);
		lines_close(&lines);
		script_free(sc);
		return -1;
	}
	lines_close(&lines);
	default_title(sc, path);
	if (sc->nlines == 0) {
		snprintf(err, errlen, "%s: no commands in the scenario", path);
		script_free(sc);
		return -1;
	}
	if (group_slides(sc) < 0) {
		snprintf(err, errlen, "%s: out of memory", path);
		script_free(sc);
		return -1;
	}
	return 0;
}

void script_free(struct script *sc)
{
	for (int i = 0; i < sc->nlines; i++)
		free(sc->lines[i]);
	free(sc->lines);
	free(sc->lineno);
	free(sc->kind);
	free(sc->slide_start);
	memset(sc, 0, sizeof *sc);
}
