/* script.c - splits a scenario into steps. */
#include "script.h"

#include <ctype.h>
#include <errno.h>
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

int script_parse(struct script *sc, const char *text, const char *name)
{
	memset(sc, 0, sizeof *sc);
	int lineno = 0;
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
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
		} else if (n > 0 && !(n >= 2 && s[0] == '/' && s[1] == '/')) {
			if (add_step(sc, s, n, lineno) < 0) {
				script_free(sc);
				return -1;
			}
		}
		p = nl ? nl + 1 : p + len;
	}
	if (!sc->title[0]) {
		const char *b = strrchr(name, '/');
		snprintf(sc->title, sizeof sc->title, "%s", b ? b + 1 : name);
	}
	return 0;
}

int script_load(struct script *sc, const char *path, char *err, size_t errlen)
{
	memset(sc, 0, sizeof *sc);
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	size_t k;
	while (buf && (k = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += k;
		if (cap - len < 2) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	buf[len] = 0;
	int rc = script_parse(sc, buf, path);
	free(buf);
	if (rc < 0)
		snprintf(err, errlen, "%s: out of memory", path);
	else if (sc->nsteps == 0) {
		snprintf(err, errlen, "%s: no commands in the scenario", path);
		script_free(sc);
		return -1;
	}
	return rc;
}

void script_free(struct script *sc)
{
	for (int i = 0; i < sc->nsteps; i++)
		free(sc->steps[i]);
	free(sc->steps);
	free(sc->lineno);
	memset(sc, 0, sizeof *sc);
}
