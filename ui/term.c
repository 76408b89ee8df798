/* term.c - owning the terminal: curses on, curses off, and the terminal
 * restored on every way out (normal exit, exit(), fatal signals).
 *
 * Fatal signals (SIGTERM, SIGINT sent from outside, SIGHUP, SIGQUIT,
 * SIGSEGV, SIGBUS, SIGFPE, SIGABRT) run endwin, then the default action is
 * restored and the signal raised again, so the exit status still says what
 * happened and a core dump still happens.
 */
#include "term.h"

#include <langinfo.h>
#include <poll.h>
#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "theme.h"

static SCREEN *screen;
static int input_fd = -1, output_fd = -1;
static volatile sig_atomic_t active;
static volatile sig_atomic_t mouse_on;

/* xterm's mouse reporting: button presses and releases (1000), in the SGR
 * encoding (1006) that has no column limit; terminals without 1006 send
 * X10 reports, which keys.c reads too. */
#define MOUSE_ON "\033[?1000h\033[?1006h"
#define MOUSE_OFF "\033[?1006l\033[?1000l"

static void put_raw(const char *s, size_t n)
{
	/* write(2): this also runs in a signal handler. */
	if (output_fd >= 0 && write(output_fd, s, n) < 0)
		return;   /* the terminal is gone: nothing to restore */
}

static void mouse_off(void)
{
	if (mouse_on) {
		mouse_on = 0;
		put_raw(MOUSE_OFF, sizeof MOUSE_OFF - 1);
	}
}

bool term_mouse(void)
{
	/* Only terminals that say they report the mouse: the Linux console
	 * would print the sequences. */
	const char *km = tigetstr("kmous");
	if (!active || !km || km == (const char *)-1 || !*km)
		return false;
	mouse_on = 1;
	put_raw(MOUSE_ON, sizeof MOUSE_ON - 1);
	return true;
}

static const int fatal[] = {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGSEGV, SIGBUS, SIGFPE, SIGABRT};

static void restore(void)
{
	if (active) {
		active = 0;
		mouse_off();
		curs_set(1);
		endwin();
	}
}

static void on_fatal(int sig)
{
	restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void on_exit_restore(void)
{
	restore();
}

bool term_utf8(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
}

int term_start(FILE *out, FILE *in, enum ui_theme theme, bool ascii)
{
	screen = newterm(NULL, out, in);
	input_fd = fileno(in);
	output_fd = fileno(out);
	if (!screen)
		return -1;
	set_term(screen);
	active = 1;
	static bool registered;
	if (!registered) {
		atexit(on_exit_restore);
		registered = true;
	}
	/* After newterm: curses installs its own SIGINT/SIGTERM handlers when
	 * they are at their defaults; ours replace them. */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_fatal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		sigaction(fatal[i], &sa, NULL);
	raw();            /* Ctrl-C, Ctrl-Z, Ctrl-S arrive as bytes */
	noecho();
	nonl();
	leaveok(stdscr, TRUE);
	if (has_colors() && theme != THEME_MONO)
		start_color();
	theme_init(theme, ascii);
	bkgdset(theme_attr(R_NORMAL) | ' ');
	return 0;
}

bool term_input_pending(void)
{
	struct pollfd p = {.fd = input_fd, .events = POLLIN};
	return input_fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

bool term_resize_missed(void)
{
	struct winsize ws;
	if (output_fd < 0 || ioctl(output_fd, TIOCGWINSZ, &ws) != 0 || ws.ws_row == 0 || ws.ws_col == 0)
		return false;
	if (ws.ws_row == LINES && ws.ws_col == COLS)
		return false;
	resizeterm(ws.ws_row, ws.ws_col);
	return true;
}

void term_stop(void)
{
	restore();
	if (screen) {
		delscreen(screen);
		screen = NULL;
	}
	for (size_t i = 0; i < sizeof fatal / sizeof fatal[0]; i++)
		signal(fatal[i], SIG_DFL);
}

void term_suspend(void)
{
	/* Ctrl-Z in raw mode is a byte: do what the tty would have done.
	 * SIGSTOP, not SIGTSTP, so curses' own TSTP handler stays out of it;
	 * the caller repaints everything once we run again. */
	bool mouse = mouse_on;
	mouse_off();
	endwin();
	kill(getpid(), SIGSTOP);
	refresh();
	if (mouse) {
		mouse_on = 1;
		put_raw(MOUSE_ON, sizeof MOUSE_ON - 1);
	}
}
