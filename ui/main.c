/* main.c - the command line: vmviz [run FILE|-] [play FILE] [trace FILE]
 * and the options every mode shares (parsed in cli.c). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "record_cli.h"
#include "run.h"
#include "script.h"
#include "session.h"
#include "refstring.h"
#include "trace.h"
#include "ui.h"

static enum lang lang_from_env(void)
{
	const char *vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncmp(v, "zh", 2) == 0 ? LANG_ZH : LANG_EN;
	}
	return LANG_EN;
}

#define TRACE_PLAY_STEPS 5000
#define TRACE_TABLE_FRAMES 4

/* vmviz play --trace FILE: the trace becomes a scenario in a temporary
 * file, and the screen plays that: a reference-string table with --frames
 * frames (default 4). The table is the model; the machine behind gets room
 * for every page of the trace and the program's own, so it never evicts
 * (with the table's few frames it would, but the program's start-up pages
 * would share them and CLOCK's hand would start elsewhere: its evictions
 * would not be the table's). */
static int trace_table_frames(struct ui_options *o, uint32_t *table)
{
	*table = o->frames_given ? o->cfg.frames : TRACE_TABLE_FRAMES;
	if (*table < 1 || *table > REFSTRING_MAX_FRAMES) {
		char n[16];
		snprintf(n, sizeof n, "%u", *table);
		return cli_bad("play --trace: --frames is the table's frames, 1 to 16, not %s", n);
	}
	o->cfg.frames = 32; /* until the trace's pages are counted */
	return 0;
}

/* Frames for a machine that holds all `pages` and the program's start-up
 * pages (4) with room to spare, the kernel's sixteenth included. */
static uint32_t roomy_frames(uint32_t pages)
{
	uint64_t want = ((uint64_t)pages + 8) * 16 / 15 + 3;
	return want < 32 ? 32 : want > (4u << 20) ? (4u << 20) : (uint32_t)want;
}

static int play_trace(struct ui_options *o, uint32_t table)
{
	struct trace t = {0};
	struct trace_read_opts ro = {.page_size = o->cfg.page_size, .bad = TRACE_BAD_SKIP, .err = stderr,
				     .max_messages = 10};
	if (trace_read(o->play_trace, &ro, &t) < 0)
		return 1;
	if (!trace_prepare(&t)) {
		fprintf(stderr, "vmviz: %s: out of memory\n", o->play_trace);
		trace_free(&t);
		return 1;
	}
	o->cfg.frames = roomy_frames(t.distinct);
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/vmviz-trace-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	const char *base = strrchr(o->play_trace, '/');
	int rc = f ? trace_write_script(&t, base ? base + 1 : o->play_trace, TRACE_PLAY_STEPS, o->cfg.page_size, table,
					   o->policy_opt, f) : -1;
	trace_free(&t);
	if (f && fclose(f) != 0)
		rc = -1;
	if (rc < 0) {
		fprintf(stderr, "vmviz: %s: no accesses to play, or cannot write %s\n", o->play_trace, path);
		if (fd >= 0)
			unlink(path);
		return 1;
	}
	o->play_file = path;
	int status = ui_main(o);
	unlink(path);
	return status;
}

/* A scenario's file: as given, or found by name ("09"). 0, or 2 after
 * saying why not. */
static int resolve(const char *name, char *path, size_t size)
{
	if (access(name, F_OK) == 0) {
		snprintf(path, size, "%s", name);
		return 0;
	}
	char why[300];
	if (catalog_find(name, path, size, why, sizeof why))
		return 0;
	return cli_bad("%s", why[0] ? why : "no such file or scenario");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The .vmm files of dir, sorted, appended to list. */
static int add_dir(const char *dir, char **list, int *n, int max)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "vmviz: cannot open %s: %s\n", dir, strerror(errno));
		return 2;
	}
	int first = *n;
	for (struct dirent *e; (e = readdir(d)) && *n < max;) {
		size_t len = strlen(e->d_name);
		if (len < 5 || strcmp(e->d_name + len - 4, ".vmm") != 0)
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		list[(*n)++] = strdup(path);
	}
	closedir(d);
	qsort(list + first, (size_t)(*n - first), sizeof *list, by_name);
	return 0;
}

#define PLAYLIST_MAX 256

/* vmviz play DIR|FILE...: a menu of the scenarios in order; each plays
 * with its own "# options:" (the command line's still win), the end of one
 * moves on to the next, q goes back to the menu. */
static int play_list(const struct cli *defaults, const struct cli *c)
{
	static char *files[PLAYLIST_MAX];
	static char titles_buf[PLAYLIST_MAX][200];
	static const char *titles[PLAYLIST_MAX];
	int n = 0, rc = 0;
	for (int k = -1; k < c->nmore && !rc; k++) {
		const char *name = k < 0 ? c->file : c->more[k];
		struct stat st;
		if (stat(name, &st) == 0 && S_ISDIR(st.st_mode)) {
			rc = add_dir(name, files, &n, PLAYLIST_MAX);
			continue;
		}
		char path[4096];
		rc = resolve(name, path, sizeof path);
		if (!rc && n < PLAYLIST_MAX)
			files[n++] = strdup(path);
	}
	if (rc)
		return rc;
	if (n == 0)
		return cli_bad("no scenarios (.vmm files) in %s", c->file);
	if (!isatty(STDOUT_FILENO) || !ui_terminal_usable()) {
		fprintf(stderr, "vmviz: play needs a terminal curses knows; try 'vmviz run FILE' for each\n");
		return 1;
	}
	for (int k = 0; k < n; k++) {
		struct script sc;
		char err[300];
		if (!files[k] || script_load(&sc, files[k], err, sizeof err) < 0)
			return cli_bad("%s", files[k] ? err : "out of memory");
		/* the title in the language shown: "English / 中文" */
		const char *t = sc.title, *sep = strstr(t, " / ");
		if (sep && c->o.lang == LANG_ZH)
			snprintf(titles_buf[k], sizeof titles_buf[k], "%s", sep + 3);
		else
			snprintf(titles_buf[k], sizeof titles_buf[k], "%.*s", sep ? (int)(sep - t) : (int)strlen(t), t);
		titles[k] = titles_buf[k];
		script_free(&sc);
	}
	int at = 0;
	for (;;) {
		at = ui_menu(titles, n, at, &c->o);
		if (at < 0)
			return 0;
		for (; at < n; at++) {
			struct ui_options o;
			if (cli_file_options(defaults, c, files[at], &o))
				return 2;
			o.play_file = files[at];
			o.playlist = true;
			int status = ui_main(&o);
			if (status == UI_PLAY_NEXT)
				continue;
			if (status != UI_PLAY_MENU)
				return status;
			break;
		}
		if (at >= n)
			at = n - 1;
	}
}

int main(int argc, char **argv)
{
	/* Modes about real processes parse their own arguments. */
	if (argc > 1 && strcmp(argv[1], "record") == 0)
		return record_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "attach") == 0)
		return attach_main(argc - 1, argv + 1);
	if (argc > 1 && strcmp(argv[1], "snapshot") == 0)
		return snapshot_main(argc - 1, argv + 1);
	if (argc == 2 && argv[1][0] && strspn(argv[1], "0123456789") == strlen(argv[1])) {
		fprintf(stderr, "vmviz: unexpected argument '%s' (a process? vmviz attach %s)\n", argv[1], argv[1]);
		return 2;
	}
	/* static: c.argv (args) lives as long as the program, and stays
	 * reachable for the leak checker */
	static struct cli c;
	vm_config_default(&c.o.cfg);
	c.o.lang = lang_from_env();
	const char *nc = getenv("NO_COLOR");
	c.o.theme = nc && *nc ? THEME_MONO : THEME_DEFAULT;
	char **args = malloc((2 * (size_t)argc + 1) * sizeof *args);
	if (!args)
		return cli_bad("%s", "out of memory");
	static struct cli defaults;
	defaults = c;
	int status = cli_parse(&c, argc, argv, args);
	if (status != CLI_GO)
		return status;
	if (c.playlist)
		return play_list(&defaults, &c);
	if (c.mode && strcmp(c.mode, "trace") == 0)
		return trace_main(c.argc - 1, c.argv + 1);
	struct ui_options o = c.o;
	const char *mode = c.mode, *file = c.file;
	if (!mode && !o.frames_given && !o.swap_given) {
		/* The prompt, live or headless: the student's machine, unless
		 * the user sized one (then the rest is the usual default). */
		struct vm_config repl;
		vm_config_repl(&repl);
		o.cfg.frames = repl.frames;
		o.cfg.swap_slots = repl.swap_slots;
	}
	if (o.policy_opt && !o.play_trace)
		return cli_bad("%s", "--policy opt: OPT needs the future accesses, known only to play --trace and vmviz trace");
	bool check = c.check;
	uint32_t table = 0;
	if (o.play_trace && trace_table_frames(&o, &table))
		return 2;
	/* Validate the machine once, for every mode, before touching the tty. */
	char err[200];
	struct vm *probe = vm_new(&o.cfg, err, sizeof err);
	if (!probe)
		return cli_bad("%s", err);
	vm_free(probe);

	if (!mode && !isatty(STDIN_FILENO)) {
		mode = "run";
		file = "-";
	}
	if (!mode) {
		const char *term = getenv("TERM");
		/* The real reason: a pipe is not the terminal's fault. */
		const char *why = NULL;
		char unknown[200];
		if (!isatty(STDOUT_FILENO))
			why = "no screen: standard output is not a terminal (a pipe or a file)";
		else if (!term || !*term)
			why = "no screen on this terminal (TERM is unset)";
		else if (strcmp(term, "dumb") == 0)
			why = "no screen on this terminal (TERM is dumb: it cannot move the cursor)";
		else if (!ui_terminal_usable()) {
			snprintf(unknown, sizeof unknown, "no screen on this terminal (TERM is %.80s: "
				 "curses does not know it, or it cannot move the cursor)", term);
			why = unknown;
		}
		if (why) {
			fprintf(stderr, "vmviz: %s: running headless, one command per line\n", why);
			mode = "run";
			file = "-";
		} else {
			return ui_main(&o);
		}
	}
	if (strcmp(mode, "play") == 0) {
		if (!file && !o.play_trace)
			return cli_bad("%s", "play needs a scenario file (vmviz play FILE.vmm)");
		if (!isatty(STDOUT_FILENO)) {
			fprintf(stderr, "vmviz: play needs a terminal, and its output is not one; try 'vmviz run %s'\n",
				file ? file : "FILE");
			return 1;
		}
		if (!ui_terminal_usable()) {
			fprintf(stderr, "vmviz: play needs a terminal curses knows (TERM is %s); try 'vmviz run %s'\n",
				getenv("TERM") ? getenv("TERM") : "unset", file ? file : "FILE");
			return 1;
		}
		if (o.play_trace)
			return play_trace(&o, table);
		o.play_file = file;
		return ui_main(&o);
	}
	if (!file)
		return cli_bad("%s", "run needs a script file, or - for standard input");
	FILE *in = strcmp(file, "-") == 0 ? stdin : fopen(file, "r");
	if (!in) {
		fprintf(stderr, "vmviz: cannot open %s: %s\n", file, strerror(errno));
		return 2;
	}
	struct session *s = session_new(&o.cfg, o.lang);
	if (!s) {
		fprintf(stderr, "vmviz: cannot start the machine\n");
		return 2;
	}
	struct run_options ro = {.check = check, .max_events = 40};
	status = run_script(s, in, strcmp(file, "-") == 0 ? "<stdin>" : file, stdout, stderr, &ro);
	if (in != stdin)
		fclose(in);
	session_free(s);
	return status;
}
