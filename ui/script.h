/* script.h - a scenario file as playback slides: the command lines (blank
 * lines and comments skipped), grouped into slides, and the title from the
 * first "# title:" line. No curses: the playback controller is in play.c.
 *
 * A slide is what the audience sees change: a caption (`say`) or a command.
 * `expect` checks and `pause` run silently with the slide before them (a
 * pause ends auto-play there), so one Space press is one visible change. */
#ifndef VMVIZ_UI_SCRIPT_H
#define VMVIZ_UI_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>

enum line_kind {
	LINE_COMMAND,      /* changes the machine or prints: a slide of its own */
	LINE_SAY,          /* a caption: a slide of its own */
	LINE_SILENT        /* expect, pause, refs +: part of the slide before it */
};

struct script {
	char title[200];
	char **lines;      /* the command lines, trailing blanks removed */
	int *lineno;       /* 1-based line of each in the file */
	enum line_kind *kind;
	int nlines;
	int *slide_start;  /* first line of each slide; slide k runs lines
			    * slide_start[k] .. slide_start[k+1]-1 */
	int nslides;
};

enum line_kind script_line_kind(const char *line);
/* The end (exclusive) of slide k's lines. */
int script_slide_end(const struct script *sc, int k);
/* True if slide k is a caption. */
bool script_slide_is_say(const struct script *sc, int k);

/* Returns 0, or -1 with a message in err. */
int script_load(struct script *sc, const char *path, char *err, size_t errlen);
/* The same from text in memory (tests). */
int script_parse(struct script *sc, const char *text, const char *name);
void script_free(struct script *sc);

#endif
