/* term.c - owning the terminal: curses on, curses off, and the terminal
 * restored on every way out (normal exit, exit(), fatal signals).
 *
 * Fatal signals (SIGTERM, SIGINT sent from outside, SIGHUP, SIGQUIT,
 * SIGSEGV, SIGBUS, SIGFPE, SIGABRT) run endwin and put back the actions
 * that were there before vmviz. A fault the CPU raised goes to the action
 * from before (the default, or a sanitizer's or fuzzer's report, which
 * then says where); a signal sent from outside takes its default action.
 * Either way the exit status says what happened and a core dump happens.
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
#define NFATAL (sizeof fatal / sizeof fatal[0])
static struct sigaction before[NFATAL];
static bool caught;

static void restore(void)
{
	if (active) {
		active = 0;
		mouse_off();
		curs_set(1);
		endwin();
	}
}

static void put_back_handlers(void)
{
	if (!caught)
		return;
	for (size_t i = 0; i < NFATAL; i++)
		sigaction(fatal[i], &before[i], NULL);
	caught = false;
}

static void on_fatal(int sig, siginfo_t *info, void *context)
{
	(void)context;
	restore();
	put_back_handlers();
	/* A fault the CPU raised returns to the faulting instruction, which
	 * faults again into the handler put back, with its true context (what a
	 * sanitizer needs to say where). A signal someone sent (si_code <= 0,
	 * `kill -SEGV` included) is no bug to report: it takes its default
	 * action, so the exit status names it. */
	bool fault = (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE) && info && info->si_code > 0;
	if (!fault) {
		signal(sig, SIG_DFL);
		raise(sig);
	}
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

bool term_locale(bool need_utf8, char *why, size_t size)
{
	setlocale(LC_ALL, "");
	if (!need_utf8 || term_utf8())
		return true;
	/* Which variable chose the locale, for the message. */
	const char *vars[] = {"LC_ALL", "LC_CTYPE", "LANG"}, *var = "LANG", *val = NULL;
	for (size_t i = 0; i < 3 && !val; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v) {
			var = vars[i];
			val = v;
		}
	}
	/* glibc has built C.UTF-8 in since 2.35; older systems may have
	 * one of the others installed. */
	static const char *const utf8[] = {"C.UTF-8", "C.utf8", "en_US.UTF-8", "zh_CN.UTF-8"};
	for (size_t i = 0; i < sizeof utf8 / sizeof utf8[0]; i++)
		if (setlocale(LC_ALL, utf8[i]) && term_utf8())
			return true;
	setlocale(LC_ALL, "");
	snprintf(why, size, "no UTF-8 locale for --lang zh (%s is %s, none installed): English instead",
		 var, val ? val : "unset");
	return false;
}

int term_start(FILE *out, FILE *in, enum ui_theme theme, bool ascii)
{
	/* Before newterm: curses installs its own SIGINT/SIGTERM handlers only
	 * where it finds the defaults, and before[] must hold what was there
	 * before vmviz, not curses' handlers. */
	if (!caught) {
		struct sigaction sa;
		memset(&sa, 0, sizeof sa);
		sa.sa_sigaction = on_fatal;
		sa.sa_flags = SA_SIGINFO;
		sigemptyset(&sa.sa_mask);
		for (size_t i = 0; i < NFATAL; i++)
			sigaction(fatal[i], &sa, &before[i]);
		caught = true;
	}
	screen = newterm(NULL, out, in);
	input_fd = fileno(in);
	output_fd = fileno(out);
	if (!screen) {
		put_back_handlers();
		return -1;
	}
	set_term(screen);
	active = 1;
	static bool registered;
	if (!registered) {
		atexit(on_exit_restore);
		registered = true;
	}
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
	put_back_handlers();
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
