/* term.h - curses on and off, and the terminal restored on every exit. */
#ifndef VMVIZ_UI_TERM_H
#define VMVIZ_UI_TERM_H

#include <curses.h>
#include <stdbool.h>
#include <stdio.h>

#include "ui.h"

/* Starts curses on out/in (newterm), raw keys, the theme, and the
 * handlers that restore the terminal. Returns 0 or -1. */
int term_start(FILE *out, FILE *in, enum ui_theme theme, bool ascii);
/* Bytes are waiting to be read: a paste or typeahead is under way. */
bool term_input_pending(void);
/* The terminal's size differs from the one curses has (two resizes in a
 * row can leave curses with the first): catch up, and say so. */
bool term_resize_missed(void);
void term_stop(void);
/* Asks the terminal to report mouse buttons and the wheel (off again when
 * the terminal is restored). False if it cannot: no "kmous" in terminfo. */
bool term_mouse(void);
/* Ctrl-Z: give the terminal back, stop, take it again. */
void term_suspend(void);
/* True if the locale's character set is UTF-8. */
bool term_utf8(void);
/* Takes the locale from the environment; when need_utf8 (Chinese text)
 * and that one is not UTF-8 (LANG unset, as in minimal systems and
 * containers), switches to a UTF-8 locale that exists (C.UTF-8 first).
 * Returns false when there is none, and then says why in why. */
bool term_locale(bool need_utf8, char *why, size_t size);

#endif
