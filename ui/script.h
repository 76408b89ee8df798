/* script.h - a scenario file as playback steps: every line that is a
 * command (blank lines and comments skipped), and the title from the first
 * "# title:" line. No curses: the playback controller is in play.c. */
#ifndef VMVIZ_UI_SCRIPT_H
#define VMVIZ_UI_SCRIPT_H

#include <stddef.h>

struct script {
	char title[200];
	char **steps;      /* the command lines, trailing blanks removed */
	int *lineno;       /* 1-based line of each step in the file */
	int nsteps;
};

/* Returns 0, or -1 with a message in err. */
int script_load(struct script *sc, const char *path, char *err, size_t errlen);
/* The same from text in memory (tests). */
int script_parse(struct script *sc, const char *text, const char *name);
void script_free(struct script *sc);

#endif
