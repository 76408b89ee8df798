/* cli.h - the command line's options and a scenario's "# options:" line,
 * parsed without a screen (main.c and tests/fuzz_cli.c share it). */
#ifndef VMVIZ_CLI_H
#define VMVIZ_CLI_H

#include <stdbool.h>

#include "ui.h"

#define VMVIZ_VERSION "0.1.0"

/* Which modes use an option: the live screen, play, run. */
enum { M_LIVE = 1, M_PLAY = 2, M_RUN = 4, M_ALL = 7 };

struct cli {
	struct ui_options o;
	const char *mode;
	unsigned mode_bit;   /* M_PLAY, M_RUN, or M_LIVE | M_RUN without a mode
			      * word (headless when stdin is not a terminal) */
	const char *file;
	const char *more[64];  /* play: the files after the first */
	int nmore;
	bool playlist;       /* play DIR or several files: a menu (main.c) */
	bool files_done;     /* positional arguments were taken already */
	bool check;
	bool list;           /* --list: the scenarios vmviz finds by name */
	bool exit_now;       /* --help or --version answered */
	const char *where;   /* "FILE:LINE" of a "# options:" line being read */
	int argc;            /* the arguments, --name=VALUE split and the */
	char **argv;         /* mode word first (what `vmviz trace` is given) */
};

/* cli_parse's "go on": the program runs the mode in c. */
#define CLI_GO (-1)

/* One line on stderr, "vmviz: MESSAGE"; returns exit status 2. */
int cli_bad(const char *fmt, const char *arg);

/* Parses argv (argc of them, argv[0] the program) into c, which the caller
 * filled with the defaults (machine, language, theme). args has room for
 * 2 * argc + 1 pointers and must live as long as c. A scenario named on
 * the command line gets its "# options:" line read first, so the command
 * line wins; a FILE that does not exist may name a scenario (catalog.c).
 * Returns CLI_GO, or the exit status after printing the help, the version,
 * the scenario list (--list) or one line saying what is wrong. With mode "trace" nothing
 * past the mode word is parsed: c->argc and c->argv go to trace_main. */
int cli_parse(struct cli *c, int argc, char **argv, char **args);

/* A playlist's scenario: the options it plays with, from defaults (what
 * cli_parse was given), its "# options:" line, then c's command line. 0, or
 * the exit status after saying what is wrong. */
int cli_file_options(const struct cli *defaults, const struct cli *c, const char *file, struct ui_options *out);

#endif
