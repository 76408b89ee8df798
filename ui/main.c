/* main.c - the command line: vmviz [run FILE|-] [play FILE] [trace FILE]
 * and the options every mode shares. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "run.h"
#include "session.h"
#include "trace.h"
#include "ui.h"

#define VMVIZ_VERSION "0.1.0"

static const char usage[] =
	"usage: vmviz [OPTIONS]                 the live screen with a prompt\n"
	"       vmviz play [OPTIONS] FILE.vmm   play a scenario step by step\n"
	"       vmviz run [OPTIONS] FILE.vmm|-  run a script headless, print a transcript\n"
	"       vmviz trace FILE [--frames N] [--policy fifo|lru|clock|opt|all]\n"
	"\n"
	"options:\n"
	"  --frames N          physical frames, kernel ones included (default 32)\n"
	"  --swap N            swap slots (default 64)\n"
	"  --policy P          fifo, lru or clock (default clock)\n"
	"  --page-size N       4096 (default) up to 65536\n"
	"  --arch A            x86_64 (4 levels, default) or x86 (2 levels)\n"
	"  --tlb N             simulate an N-entry TLB (default off)\n"
	"  --theme T           default, contrast (projectors) or mono\n"
	"  --lang L            en or zh (default from LANG)\n"
	"  --ascii             ASCII lines instead of UTF-8 box drawing\n"
	"  --record FILE.cast  record the screen as an asciicast v2 file\n"
	"  --check             run: check the engine's invariants after each command\n"
	"  --trace FILE        play: step through a memory trace\n"
	"  -h, --help          this help\n"
	"  -V, --version       the version\n"
	"\n"
	"When standard input is not a terminal, 'vmviz' runs it like 'vmviz run -'.\n"
	"NO_COLOR in the environment selects the mono theme.\n";

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "vmviz: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'vmviz --help'.\n");
	return 2;
}

static bool parse_u32(const char *text, uint32_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 0);
	if (!*text || *end || errno || v > UINT32_MAX || *text == '-')
		return false;
	*out = (uint32_t)v;
	return true;
}

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

/* vmviz play --trace FILE: the trace becomes a scenario in a temporary
 * file, and the screen plays that. */
static int play_trace(struct ui_options *o)
{
	struct trace t = {0};
	struct trace_read_opts ro = {.page_size = o->cfg.page_size, .bad = TRACE_BAD_SKIP, .err = stderr,
				     .max_messages = 10};
	if (trace_read(o->play_trace, &ro, &t) < 0)
		return 1;
	const char *dir = getenv("TMPDIR");
	char path[512];
	snprintf(path, sizeof path, "%s/vmviz-trace-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(path);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	const char *base = strrchr(o->play_trace, '/');
	int rc = f ? trace_write_script(&t, base ? base + 1 : o->play_trace, TRACE_PLAY_STEPS, o->cfg.page_size, f) : -1;
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

struct cli {
	struct ui_options o;
	const char *mode;
	const char *file;
	bool check;
	bool exit_now;       /* --help or --version answered */
};

/* The options that take a value. */
static const char *const with_value[] = {"--frames", "--swap", "--policy", "--page-size", "--arch",
					 "--tlb", "--theme", "--lang", "--record", "--trace"};

static bool takes_value(const char *a)
{
	for (size_t k = 0; k < sizeof with_value / sizeof *with_value; k++)
		if (strcmp(a, with_value[k]) == 0)
			return true;
	return false;
}

/* --name=VALUE becomes --name VALUE, from argv[first] on (in place; out
 * has room for 2 * argc + 1). Returns the new count. */
static int split_equals(int argc, char **argv, int first, char **out)
{
	int n = 0;
	for (int i = 0; i < argc; i++) {
		char *eq = argv[i][0] == '-' && argv[i][1] == '-' ? strchr(argv[i], '=') : NULL;
		out[n++] = argv[i];
		if (eq && i >= first) {
			*eq = 0;
			out[n++] = eq + 1;
		}
	}
	out[n] = NULL;
	return n;
}

/* Applies options argv[i..argc); returns 0, or 2 after printing an error. */
static int parse_options(struct cli *c, int i, int argc, char **argv, bool files)
{
	struct ui_options *op = &c->o;
	for (; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint32_t n;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			c->exit_now = true;
			return 0;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("vmviz %s\n", VMVIZ_VERSION);
			c->exit_now = true;
			return 0;
		} else if (strcmp(a, "--ascii") == 0) {
			op->ascii = true;
		} else if (strcmp(a, "--check") == 0) {
			c->check = true;
		} else if (takes_value(a) && !v) {
			return bad("option %s needs a value", a);
		} else if (strcmp(a, "--frames") == 0 || strcmp(a, "--swap") == 0 || strcmp(a, "--tlb") == 0 ||
			   strcmp(a, "--page-size") == 0) {
			if (!parse_u32(v, &n))
				return bad("not a number: '%s'", v);
			if (a[2] == 'f')
				op->cfg.frames = n;
			else if (a[2] == 's')
				op->cfg.swap_slots = n;
			else if (a[2] == 't')
				op->cfg.tlb_entries = n;
			else
				op->cfg.page_size = n;
			i++;
		} else if (strcmp(a, "--policy") == 0) {
			if (!policy_parse(v, &op->cfg.policy))
				return bad("unknown policy '%s' (fifo, lru or clock)", v);
			i++;
		} else if (strcmp(a, "--arch") == 0) {
			if (!arch_parse(v, &op->cfg.arch))
				return bad("unknown architecture '%s' (x86_64 or x86)", v);
			i++;
		} else if (strcmp(a, "--theme") == 0) {
			if (strcmp(v, "default") == 0)
				op->theme = THEME_DEFAULT;
			else if (strcmp(v, "contrast") == 0)
				op->theme = THEME_CONTRAST;
			else if (strcmp(v, "mono") == 0)
				op->theme = THEME_MONO;
			else
				return bad("unknown theme '%s' (default, contrast or mono)", v);
			i++;
		} else if (strcmp(a, "--lang") == 0) {
			if (strcmp(v, "en") == 0)
				op->lang = LANG_EN;
			else if (strcmp(v, "zh") == 0)
				op->lang = LANG_ZH;
			else
				return bad("unknown language '%s' (en or zh)", v);
			i++;
		} else if (strcmp(a, "--record") == 0) {
			op->record = v;
			i++;
		} else if (strcmp(a, "--trace") == 0) {
			op->play_trace = v;
			i++;
		} else if (a[0] == '-' && a[1]) {
			return bad("unknown option '%s'", a);
		} else if (files && !c->file && c->mode) {
			c->file = a;
		} else {
			return bad("unexpected argument '%s'", a);
		}
	}
	return 0;
}

/* A scenario may say which machine it needs on a line "# options: ...". */
static int scenario_options(struct cli *c, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0; /* the caller reports a missing file */
	char line[512];
	int rc = 0;
	for (int n = 0; n < 20 && fgets(line, sizeof line, f); n++) {
		if (strncmp(line, "# options:", 10) != 0)
			continue;
		char *words[32];
		int argc = 0;
		for (char *w = strtok(line + 10, " \t\r\n"); w && argc < 32; w = strtok(NULL, " \t\r\n"))
			words[argc++] = w;
		char *split[2 * 32 + 1];
		argc = split_equals(argc, words, 0, split);
		rc = parse_options(c, 0, argc, split, false);
		break;
	}
	fclose(f);
	return rc;
}

/* Index of the mode word (run, play, trace) among the arguments, skipping
 * option values, or 0 if there is none. */
static int find_mode(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "run") == 0 || strcmp(a, "play") == 0 || strcmp(a, "trace") == 0)
			return i;
		if (a[0] != '-')
			return 0;
		if (takes_value(a))
			i++;
	}
	return 0;
}


int main(int argc, char **argv)
{
	struct cli c = {0};
	vm_config_default(&c.o.cfg);
	c.o.lang = lang_from_env();
	const char *nc = getenv("NO_COLOR");
	c.o.theme = nc && *nc ? THEME_MONO : THEME_DEFAULT;
	static char **args; /* static: it lives as long as the program */
	args = malloc((2 * (size_t)argc + 1) * sizeof *args);
	if (!args)
		return bad("%s", "out of memory");
	argc = split_equals(argc, argv, 1, args);
	argv = args;
	/* The mode word may come after options (vmviz --lang zh play F): move
	 * it to the front. */
	int at = find_mode(argc, argv);
	if (at > 1) {
		char *mode_word = argv[at];
		memmove(&argv[2], &argv[1], (size_t)(at - 1) * sizeof *argv);
		argv[1] = mode_word;
	}
	int i = 1;
	if (at > 0)
		c.mode = argv[i++];
	if (c.mode && strcmp(c.mode, "trace") == 0)
		return trace_main(argc - 1, argv + 1);
	/* First find the file, then apply its options, then the command line's,
	 * so the command line wins. */
	struct cli first = c;
	if (parse_options(&first, i, argc, argv, true) || first.exit_now)
		return first.exit_now ? 0 : 2;
	if (first.file && strcmp(first.file, "-") != 0 && scenario_options(&c, first.file))
		return 2;
	if (parse_options(&c, i, argc, argv, true))
		return 2;
	struct ui_options o = c.o;
	const char *mode = c.mode, *file = c.file;
	bool check = c.check;
	/* Validate the machine once, for every mode, before touching the tty. */
	char err[200];
	struct vm *probe = vm_new(&o.cfg, err, sizeof err);
	if (!probe)
		return bad("%s", err);
	vm_free(probe);

	if (!mode && !isatty(STDIN_FILENO)) {
		mode = "run";
		file = "-";
	}
	if (!mode) {
		const char *term = getenv("TERM");
		if (!term || !*term || strcmp(term, "dumb") == 0 || !isatty(STDOUT_FILENO) || !ui_terminal_usable()) {
			fprintf(stderr,
				"vmviz: no screen on this terminal (TERM is %s): running headless, one command per line\n",
				term && *term ? term : "unset");
			mode = "run";
			file = "-";
		} else {
			return ui_main(&o);
		}
	}
	if (strcmp(mode, "play") == 0) {
		if (!file && !o.play_trace)
			return bad("%s", "play needs a scenario file (vmviz play FILE.vmm)");
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
			return play_trace(&o);
		o.play_file = file;
		return ui_main(&o);
	}
	if (o.play_trace)
		return bad("%s", "--trace is for play (vmviz play --trace FILE); run replays scripts");
	if (o.record)
		return bad("%s", "--record records the screen: use it with play or the interactive screen");
	if (!file)
		return bad("%s", "run needs a script file, or - for standard input");
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
	int status = run_script(s, in, strcmp(file, "-") == 0 ? "<stdin>" : file, stdout, stderr, &ro);
	if (in != stdin)
		fclose(in);
	session_free(s);
	return status;
}
