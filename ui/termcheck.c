/* termcheck.c - can curses drive this terminal? Asked before the screen
 * starts, so an unknown TERM falls back to the headless mode. */
#include <curses.h>
#include <ncursesw/term.h> /* not ui/term.h */

#include "ui.h"

bool ui_terminal_usable(void)
{
	int err = 0;
	if (setupterm(NULL, 1, &err) != OK)
		return false;
	/* A terminal that cannot move the cursor cannot show a screen. */
	bool usable = cursor_address != NULL;
	del_curterm(cur_term);
	cur_term = NULL;
	return usable;
}
