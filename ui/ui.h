/* ui.h - the live screen: entry points called by main.c. */
#ifndef VMVIZ_UI_H
#define VMVIZ_UI_H

#include <stdbool.h>

#include "vm.h"

enum ui_theme { THEME_DEFAULT, THEME_CONTRAST, THEME_LIGHT, THEME_MONO };

struct ui_options {
	struct vm_config cfg;
	enum lang lang;
	enum ui_theme theme;
	bool ascii;              /* no UTF-8 box drawing */
	const char *play_file;   /* vmviz play FILE.vmm, or NULL for the prompt */
	const char *play_trace;  /* vmviz play --trace FILE, or NULL */
	bool frames_given;       /* --frames was given (play --trace: the table's frames; the
				  * prompt's bigger machine does not replace it) */
	bool swap_given;         /* --swap was given (the same, for the prompt's machine) */
	bool policy_opt;         /* --policy opt: only play --trace knows the future */
	const char *record;      /* --record FILE.cast, or NULL */
	bool playlist;           /* play_file is one of several: the end moves
				  * on, q goes back to the menu */
	int attach_pid;          /* vmviz attach PID: the screen shows that real
				  * process, read-only (0: the simulator) */
	double attach_interval;  /* seconds between two reads of its /proc */
};

/* What ui_main returns in a playlist besides an exit status. */
enum { UI_PLAY_NEXT = 64, UI_PLAY_MENU = 65 };

/* A menu of scenario titles (one language's part of "English / 中文"):
 * returns the index chosen, starting on start, or -1 to quit. */
int ui_menu(const char *const *titles, int n, int start, const struct ui_options *o);

/* True if $TERM names a terminal curses can draw a screen on. */
bool ui_terminal_usable(void);

/* Runs the interactive screen (or playback) until the user quits. Returns the
 * process exit status. The terminal is restored on every way out. */
int ui_main(const struct ui_options *o);

#endif
