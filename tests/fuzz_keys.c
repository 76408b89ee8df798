/* fuzz_keys.c - a libFuzzer target for keys typed at the screen: the live
 * prompt, playback and its ':' prompt, readline behind them
 * (`make fuzz FUZZ_TARGET=keys`; clang only).
 *
 * Byte 0 picks the screen (live or playing tests/screen_play.vmm) and its
 * size; the rest are the bytes a terminal would send. They reach the
 * screen through a pipe and the same keys_read + ui_dispatch as the real
 * loop, with curses drawing to /dev/null. Two bytes are the harness's own:
 * 0xFE is a pause (what is before it is all read first, so an Esc at its
 * end arrives alone), 0xFD R C a resize to R x C. Suspending (Ctrl-Z)
 * does nothing here: it would stop the fuzzer. vmviz must not crash, and
 * sanitizers watch every byte readline and the screen touch.
 * tests/screen_randkeys.sh does the same through tmux, with real timing. */
#include <fcntl.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <readline/history.h>

#include "app.h"
#include "keys.h"

#define CAP_FRAMES 4096u
#define CAP_SWAP 16384u

/* `set frames 1M` is a legal 4 GiB machine: too big to fuzz quickly. */
struct vm *__real_vm_new(const struct vm_config *cfg, char *err, size_t errlen);
struct vm *__wrap_vm_new(const struct vm_config *cfg, char *err, size_t errlen);
struct vm *__wrap_vm_new(const struct vm_config *cfg, char *err, size_t errlen)
{
	if (cfg->frames > CAP_FRAMES || cfg->swap_slots > CAP_SWAP) {
		snprintf(err, errlen, "fuzz: machine too big");
		return NULL;
	}
	return __real_vm_new(cfg, err, errlen);
}

/* Ctrl-Z stops vmviz as a shell would (SIGSTOP): that would stop the
 * fuzzer, so the harness only notes it. */
void __wrap_term_suspend(void);
void __wrap_term_suspend(void)
{
}

static char dir[] = "/tmp/vmviz-fuzz-keys-XXXXXX";
static char play_path[4096];
static int home = -1;

static void cleanup(void)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz_keys: could not remove %s\n", dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	setenv("TERM", "xterm-256color", 1);
	unsetenv("HOME"); /* no history file */
	unsetenv("XDG_STATE_HOME");
	unsetenv("NO_COLOR");
	setlocale(LC_ALL, "C.UTF-8");
	const char *src = getenv("VMVIZ_SRC");
	snprintf(play_path, sizeof play_path, "%s/tests/screen_play.vmm", src ? src : ".");
	if (access(play_path, R_OK) != 0 || !realpath(play_path, play_path)) {
		fprintf(stderr, "fuzz_keys: no %s (set VMVIZ_SRC to the repository)\n", play_path);
		return -1;
	}
	/* A long-used prompt: the history full (prompt.c keeps 1000), so each
	 * new line pushes the oldest out, as for a lecturer after a term. */
	char line[32];
	for (int i = 0; i < 1000; i++) {
		snprintf(line, sizeof line, "echo %d", i);
		add_history(line);
	}
	home = open(".", O_RDONLY | O_DIRECTORY);
	if (home < 0 || !mkdtemp(dir))
		return -1;
	atexit(cleanup);
	return 0;
}

static int pending(int fd)
{
	int n = 0;
	return ioctl(fd, FIONREAD, &n) == 0 ? n : 0;
}

/* Everything in the pipe, key by key, as ui_loop would. */
static void drain(struct ui *u, int fd)
{
	while (!u->quit && pending(fd) > 0) {
		struct key k;
		keys_read(u->inwin, 0, &k);
		ui_dispatch(u, &k);
	}
	if (!u->quit) {
		/* the silence after the keys: a lone Esc, a playback tick */
		struct key k;
		keys_read(u->inwin, 0, &k);
		ui_dispatch(u, &k);
		ui_render(u);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 60000)
		return 0;
	if (chdir(dir) < 0) /* screenshots land here */
		abort();
	static const int rows[4] = {30, 24, 60, 8}, cols[4] = {100, 80, 200, 30};
	char lines[8], columns[8];
	snprintf(lines, sizeof lines, "%d", rows[(data[0] >> 1) & 3]);
	snprintf(columns, sizeof columns, "%d", cols[(data[0] >> 3) & 3]);
	setenv("LINES", lines, 1);
	setenv("COLUMNS", columns, 1);
	struct ui_options o;
	memset(&o, 0, sizeof o);
	vm_config_default(&o.cfg);
	o.lang = (data[0] >> 5) & 1 ? LANG_ZH : LANG_EN;
	o.theme = THEME_DEFAULT;
	o.ascii = (data[0] >> 6) & 1;
	o.play_file = data[0] & 1 ? play_path : NULL;
	int p[2];
	if (pipe(p) < 0)
		abort();
	FILE *in = fdopen(p[0], "r"), *out = fopen("/dev/null", "w");
	if (!in || !out)
		abort();
	char err[300];
	struct ui *u = ui_create(&o, out, in, err, sizeof err);
	if (!u) {
		fprintf(stderr, "fuzz_keys: %s\n", err);
		abort();
	}
	ui_render(u);
	uint8_t chunk[4096];
	size_t n = 0;
	for (size_t i = 1; i <= size && !u->quit; i++) {
		bool end = i == size;
		uint8_t b = end ? 0 : data[i];
		if (!end && b == 0xfd && i + 2 < size) {
			/* flush, then resize */
			if (n && write(p[1], chunk, n) != (ssize_t)n)
				abort();
			n = 0;
			drain(u, p[0]);
			resizeterm(1 + data[i + 1] % 80, 1 + data[i + 2] % 220);
			struct key k = {.code = K_RESIZE};
			ui_dispatch(u, &k);
			i += 2;
			continue;
		}
		if (!end && b != 0xfe) {
			chunk[n++] = b;
			if (n < sizeof chunk)
				continue;
		}
		if (n && write(p[1], chunk, n) != (ssize_t)n)
			abort();
		n = 0;
		drain(u, p[0]);
	}
	ui_destroy(u);
	fclose(in);
	fclose(out);
	close(p[1]);
	if (fchdir(home) < 0)
		abort();
	return 0;
}
