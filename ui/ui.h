/* ui.h - the live screen: entry points called by main.c. */
#ifndef VMVIZ_UI_H
#define VMVIZ_UI_H

#include <stdbool.h>

#include "vm.h"

enum ui_theme { THEME_DEFAULT, THEME_CONTRAST, THEME_MONO };

struct ui_options {
	struct vm_config cfg;
	enum lang lang;
	enum ui_theme theme;
	bool ascii;              /* no UTF-8 box drawing */
	const char *play_file;   /* vmviz play FILE.vmm, or NULL for the prompt */
	const char *play_trace;  /* vmviz play --trace FILE, or NULL */
	const char *record;      /* --record FILE.cast, or NULL */
};

/* True if $TERM names a terminal curses can draw a screen on. */
bool ui_terminal_usable(void);

/* Runs the interactive screen (or playback) until the user quits. Returns the
 * process exit status. The terminal is restored on every way out. */
int ui_main(const struct ui_options *o);

#endif
