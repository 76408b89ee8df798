/* prompt.h - GNU readline inside the curses screen (callback interface).
 *
 * curses owns the terminal; readline only edits a line. The main loop
 * reads bytes from the input window and feeds them here; readline calls
 * back to redisplay (we draw the prompt line into the input window) and
 * when a line is complete (ui_on_line in screen.c).
 */
#ifndef VMVIZ_UI_PROMPT_H
#define VMVIZ_UI_PROMPT_H

#include <stdbool.h>
#include <stddef.h>

struct ui;

/* Sets readline up and loads the history. Returns 0 or -1. */
int prompt_init(struct ui *u);
/* Saves the history and removes the handler. */
void prompt_shutdown(void);
void prompt_feed(const unsigned char *bytes, int n);
/* Draws the input window for the current mode (prompt, or playback hints,
 * or the step number being typed). */
void prompt_draw(struct ui *u);
bool prompt_line_empty(void);
/* True if readline binds the whole key sequence (an arrow, Ctrl-Right,
 * Delete) in its current keymap. */
bool prompt_key_bound(const unsigned char *seq, int n);
/* Ctrl-C: drops the line being typed (and any search in progress). */
void prompt_cancel(void);
/* The history file path ("" if there is no home). */
const char *prompt_history_path(void);

/* Where the history lives: $XDG_STATE_HOME/vmviz/history, else
 * $HOME/.local/state/vmviz/history. Returns false if neither is set. */
bool prompt_history_file(char *buf, size_t size);

/* Called by readline's line handler; implemented in screen.c. line is
 * NULL at end of input. */
void ui_on_line(struct ui *u, const char *line);

#endif
