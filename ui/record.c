/* record.c - asciicast v2 recording through a pseudo-terminal.
 *
 * Parent                                Child (VMVIZ_RECORD_CHILD=1)
 *   stdin (raw) ---- keys ----> pty ---> ui_main, as on any terminal
 *   stdout <--+--- output ----- pty <---
 *   cast  <---+  [t, "o", "..."]
 * SIGWINCH on the real terminal is copied to the pty, which signals the
 * child; the cast gets an "r" event. When the child exits, the parent
 * restores the terminal and returns the child's status.
 */
#include "record.h"

#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define CHILD_ENV "VMVIZ_RECORD_CHILD"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void json_escape(FILE *out, const unsigned char *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = d[i];
		switch (c) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		default:
			if (c < 0x20 || c == 0x7f)
				fprintf(out, "\\u%04x", c);
			else
				fputc(c, out);
		}
	}
}

int cast_open(struct cast *c, const char *path, int cols, int rows, const char *title)
{
	memset(c, 0, sizeof *c);
	c->f = fopen(path, "w");
	if (!c->f)
		return -1;
	c->t0 = now_s();
	const char *term = getenv("TERM");
	fprintf(c->f, "{\"version\": 2, \"width\": %d, \"height\": %d, \"timestamp\": %lld, \"title\": \"",
		cols, rows, (long long)time(NULL));
	json_escape(c->f, (const unsigned char *)title, strlen(title));
	fputs("\", \"env\": {\"TERM\": \"", c->f);
	json_escape(c->f, (const unsigned char *)(term ? term : ""), term ? strlen(term) : 0);
	fputs("\"}}\n", c->f);
	return 0;
}

/* Length of a UTF-8 sequence from its first byte (1 for stray bytes). */
static int utf8_len(unsigned char b)
{
	return b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
}

void cast_output(struct cast *c, const unsigned char *data, size_t n)
{
	if (!c->f || (n == 0 && c->ncarry == 0))
		return;
	unsigned char buf[8192 + 4];
	size_t len = 0;
	memcpy(buf, c->carry, (size_t)c->ncarry);
	len = (size_t)c->ncarry;
	c->ncarry = 0;
	if (n > sizeof buf - len)
		n = sizeof buf - len;
	memcpy(buf + len, data, n);
	len += n;
	/* JSON wants whole characters: keep a cut one for the next event. */
	size_t i = len, back = 0;
	while (i > 0 && back < 4 && (buf[i - 1] & 0xc0) == 0x80) {
		i--;
		back++;
	}
	if (i > 0 && buf[i - 1] >= 0xc0 && utf8_len(buf[i - 1]) > (int)back + 1) {
		c->ncarry = (int)(len - (i - 1));
		memcpy(c->carry, buf + i - 1, (size_t)c->ncarry);
		len = i - 1;
	}
	if (len == 0)
		return;
	fprintf(c->f, "[%.6f, \"o\", \"", now_s() - c->t0);
	json_escape(c->f, buf, len);
	fputs("\"]\n", c->f);
}

void cast_resize(struct cast *c, int cols, int rows)
{
	if (c->f)
		fprintf(c->f, "[%.6f, \"r\", \"%dx%d\"]\n", now_s() - c->t0, cols, rows);
}

int cast_close(struct cast *c)
{
	if (!c->f)
		return 0;
	int rc = fclose(c->f);
	c->f = NULL;
	return rc;
}

bool record_child(void)
{
	const char *v = getenv(CHILD_ENV);
	return v && *v;
}

static volatile sig_atomic_t winched;
static volatile sig_atomic_t child_pid;

static void on_winch(int sig)
{
	(void)sig;
	winched = 1;
}

static void on_term(int sig)
{
	if (child_pid > 0)
		kill((pid_t)child_pid, sig);
}

static int write_all(int fd, const unsigned char *b, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, b, n);
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		b += k;
		n -= (size_t)k;
	}
	return 0;
}

/* Moves bytes until the child closes the pty. */
static void relay(int master, struct cast *c)
{
	unsigned char buf[8192];
	bool in_open = true;
	for (;;) {
		if (winched) {
			winched = 0;
			struct winsize ws;
			if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) == 0) {
				ioctl(master, TIOCSWINSZ, &ws);
				cast_resize(c, ws.ws_col, ws.ws_row);
			}
		}
		struct pollfd p[2] = {{master, POLLIN, 0}, {STDIN_FILENO, POLLIN, 0}};
		int r = poll(p, in_open ? 2 : 1, -1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t k = read(master, buf, sizeof buf);
			if (k <= 0) {
				if (k < 0 && errno == EINTR)
					continue;
				return;      /* EIO: the child is gone */
			}
			write_all(STDOUT_FILENO, buf, (size_t)k);
			cast_output(c, buf, (size_t)k);
		}
		if (in_open && (p[1].revents & (POLLIN | POLLHUP))) {
			ssize_t k = read(STDIN_FILENO, buf, sizeof buf);
			if (k <= 0)
				in_open = false;
			else
				write_all(master, buf, (size_t)k);
		}
	}
}

int record_run(const struct ui_options *o)
{
	struct winsize ws = {.ws_row = 24, .ws_col = 80};
	ioctl(STDIN_FILENO, TIOCGWINSZ, &ws);
	struct termios saved;
	bool tty = tcgetattr(STDIN_FILENO, &saved) == 0;
	char title[256];
	const char *f = o->play_file ? strrchr(o->play_file, '/') : NULL;
	snprintf(title, sizeof title, "vmviz%s%s", o->play_file ? " play " : "",
		 o->play_file ? (f ? f + 1 : o->play_file) : "");
	struct cast c;
	if (cast_open(&c, o->record, ws.ws_col, ws.ws_row, title) < 0) {
		fprintf(stderr, "vmviz: cannot write %s: %s\n", o->record, strerror(errno));
		return 1;
	}
	fflush(stdout);
	int master;
	pid_t pid = forkpty(&master, NULL, tty ? &saved : NULL, &ws);
	if (pid < 0) {
		fprintf(stderr, "vmviz: cannot record: no pseudo-terminal: %s\n", strerror(errno));
		cast_close(&c);
		return 1;
	}
	if (pid == 0) {
		setenv(CHILD_ENV, "1", 1);
		_exit(ui_main(o));
	}
	child_pid = pid;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_winch;
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_handler = on_term;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	if (tty) {
		struct termios raw = saved;
		cfmakeraw(&raw);
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &raw);
	}
	relay(master, &c);
	close(master);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (tty)
		tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
	cast_close(&c);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}
