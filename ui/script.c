/* script.c - splits a scenario into steps. */
#include "script.h"

#include "lines.h"
#include "session.h"

#include <ctype.h>
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

static int add_step(struct script *sc, const char *line, size_t len, int lineno)
{
	char **st = realloc(sc->steps, (size_t)(sc->nsteps + 1) * sizeof *st);
	if (!st)
		return -1;
	sc->steps = st;
	int *ln = realloc(sc->lineno, (size_t)(sc->nsteps + 1) * sizeof *ln);
	if (!ln)
		return -1;
	sc->lineno = ln;
	char *copy = strndup(line, len);
	if (!copy)
		return -1;
	sc->steps[sc->nsteps] = copy;
	sc->lineno[sc->nsteps] = lineno;
	sc->nsteps++;
	return 0;
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
	return add_step(sc, s, n, lineno);
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
	if (sc->nsteps == 0) {
		snprintf(err, errlen, "%s: no commands in the scenario", path);
		script_free(sc);
		return -1;
	}
	return 0;
}

void script_free(struct script *sc)
{
	for (int i = 0; i < sc->nsteps; i++)
		free(sc->steps[i]);
	free(sc->steps);
	free(sc->lineno);
	memset(sc, 0, sizeof *sc);
}
