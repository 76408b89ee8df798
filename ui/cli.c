/* cli.c - the command line's options and a scenario's "# options:" line:
 * the option table, the number and name checks, and the mode word. No
 * screen here, so a fuzz target can drive it. */
#include "cli.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "lines.h"
#include "number.h"
#include "session.h"

static const char usage[] =
	"usage: vmviz [OPTIONS]                 the live screen with a prompt\n"
	"       vmviz play [OPTIONS] FILE.vmm   play a scenario step by step\n"
	"       vmviz run [OPTIONS] FILE.vmm|-  run a script headless, print a transcript\n"
	"       vmviz trace FILE [--frames N] [--policy fifo|lru|clock|opt|all]\n"
	"       vmviz play --list               the scenarios, by name and number\n"
	"       vmviz play DIR|FILE...          a menu of scenarios, played in order\n"
	"       vmviz record [-o FILE.vmm] PROG [ARGS...]  record a real program's calls\n"
	"       vmviz attach PID [--once]       a real process's memory, read-only\n"
	"       vmviz snapshot PID [-o FILE.vmm]  a real process's memory as a scenario\n"
	"\n"
	"options:\n"
	"  --frames N          physical frames, kernel ones included (default 32, at most 4M)\n"
	"  --swap N            swap slots (default 64)\n"
	"                      without either, the prompt starts 2048 frames, 1024 slots\n"
	"  --policy P          fifo, lru or clock (default clock); opt with play --trace\n"
	"  --page-size N       4096 (default) up to 65536\n"
	"  --arch A            x86_64 (4 levels, default) or x86 (2 levels)\n"
	"  --tlb N             simulate an N-entry TLB (default off)\n"
	"  --theme T           default, contrast (dark projector), light (dark on white) or mono\n"
	"  --lang L            en or zh (default from LANG)\n"
	"  --ascii             ASCII lines instead of UTF-8 box drawing\n"
	"  --record FILE.cast  record the screen as an asciicast v2 file\n"
	"  --check             run: check the engine's invariants after each command\n"
	"  --trace FILE        play: step through a memory trace as a reference-string\n"
	"                      table (--frames N: its frames, default 4; --policy opt)\n"
	"  --list              play, run: list the scenarios; a FILE may be a\n"
	"                      scenario's number or name (vmviz play 09)\n"
	"  -h, --help          this help\n"
	"  -V, --version       the version\n"
	"\n"
	"When standard input is not a terminal, 'vmviz' runs it like 'vmviz run -'.\n"
	"NO_COLOR in the environment selects the mono theme.\n";

/* One line on stderr, "vmviz: [WHERE: ]MESSAGE"; returns exit status 2. */
static int bad_at(const char *where, const char *fmt, const char *arg)
{
	fprintf(stderr, "vmviz: ");
	if (where)
		fprintf(stderr, "%s: ", where);
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	return 2;
}

int cli_bad(const char *fmt, const char *arg)
{
	return bad_at(NULL, fmt, arg);
}


static int bad_value(const struct cli *c, const char *option, const char *value, const char *why)
{
	char msg[300];
	snprintf(msg, sizeof msg, "bad %s '%s': %s", option, value, why);
	return bad_at(c->where, "%s", msg);
}

static const struct option_def {
	const char *name;
	bool value;
	unsigned modes;
	const char *used_by; /* said when another mode is given it */
	bool machine;        /* a scenario's "# options:" line may set it */
} option_defs[] = {
	{"--frames", true, M_ALL, NULL, true},
	{"--swap", true, M_ALL, NULL, true},
	{"--policy", true, M_ALL, NULL, true},
	{"--page-size", true, M_ALL, NULL, true},
	{"--arch", true, M_ALL, NULL, true},
	{"--tlb", true, M_ALL, NULL, true},
	{"--lang", true, M_ALL, NULL, false},
	{"--theme", true, M_LIVE | M_PLAY, "the screen and play", false},
	{"--ascii", false, M_LIVE | M_PLAY, "the screen and play", false},
	{"--record", true, M_LIVE | M_PLAY, "the screen and play (it records the screen)", false},
	{"--trace", true, M_PLAY, "play (vmviz play --trace FILE; 'vmviz trace FILE' replays one headless)", false},
	{"--check", false, M_RUN, "run", false},
	{"--list", false, M_PLAY | M_RUN, "play and run (vmviz play --list)", false},
	{"--help", false, M_ALL, NULL, false},
	{"-h", false, M_ALL, NULL, false},
	{"--version", false, M_ALL, NULL, false},
	{"-V", false, M_ALL, NULL, false},
};

static const struct option_def *option_find(const char *name)
{
	for (size_t k = 0; k < sizeof option_defs / sizeof *option_defs; k++)
		if (strcmp(name, option_defs[k].name) == 0)
			return &option_defs[k];
	return NULL;
}

static bool takes_value(const char *a)
{
	const struct option_def *d = option_find(a);
	return d && d->value;
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

/* The numeric options: limits and where each goes. */
static int set_number(struct cli *c, struct ui_options *op, const char *a, const char *v)
{
	uint64_t n;
	if (!number_parse(v, UINT32_MAX, &n))
		return bad_value(c, a, v, NUMBER_EXPECTED " (at most 4G)");
	if (strcmp(a, "--frames") == 0) {
		op->cfg.frames = (uint32_t)n;
		op->frames_given = true;
	} else if (strcmp(a, "--swap") == 0) {
		op->cfg.swap_slots = (uint32_t)n;
		op->swap_given = true;
	}
	else if (strcmp(a, "--tlb") == 0)
		op->cfg.tlb_entries = (uint32_t)n;
	else
		op->cfg.page_size = n;
	return 0;
}

/* Applies option a (with value v, if it takes one). Returns 0, or 2 after
 * printing an error. */
static int apply_option(struct cli *c, const char *a, const char *v)
{
	struct ui_options *op = &c->o;
	if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
		fputs(usage, stdout);
		c->exit_now = true;
	} else if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
		printf("vmviz %s\n", VMVIZ_VERSION);
		c->exit_now = true;
	} else if (strcmp(a, "--ascii") == 0) {
		op->ascii = true;
	} else if (strcmp(a, "--check") == 0) {
		c->check = true;
	} else if (strcmp(a, "--list") == 0) {
		c->list = true;
	} else if (strcmp(a, "--frames") == 0 || strcmp(a, "--swap") == 0 || strcmp(a, "--tlb") == 0 ||
		   strcmp(a, "--page-size") == 0) {
		return set_number(c, op, a, v);
	} else if (strcmp(a, "--policy") == 0) {
		op->policy_opt = strcmp(v, "opt") == 0;
		if (!op->policy_opt && !policy_parse(v, &op->cfg.policy))
			return bad_value(c, a, v, "expected fifo, lru or clock");
	} else if (strcmp(a, "--arch") == 0) {
		if (!arch_parse(v, &op->cfg.arch))
			return bad_value(c, a, v, "expected x86_64 or x86");
	} else if (strcmp(a, "--theme") == 0) {
		if (strcmp(v, "default") == 0)
			op->theme = THEME_DEFAULT;
		else if (strcmp(v, "contrast") == 0)
			op->theme = THEME_CONTRAST;
		else if (strcmp(v, "light") == 0)
			op->theme = THEME_LIGHT;
		else if (strcmp(v, "mono") == 0)
			op->theme = THEME_MONO;
		else
			return bad_value(c, a, v, "expected default, contrast, light or mono");
	} else if (strcmp(a, "--lang") == 0) {
		if (strcmp(v, "en") == 0)
			op->lang = LANG_EN;
		else if (strcmp(v, "zh") == 0)
			op->lang = LANG_ZH;
		else
			return bad_value(c, a, v, "expected en or zh");
	} else if (strcmp(a, "--record") == 0) {
		op->record = v;
	} else if (strcmp(a, "--trace") == 0) {
		op->play_trace = v;
	}
	return 0;
}

/* Applies options argv[i..argc); returns 0, or 2 after printing an error.
 * With header, they come from a scenario's "# options:" line (where). */
static int parse_options(struct cli *c, int i, int argc, char **argv, bool files, const char *header)
{
	c->where = header;
	for (; i < argc && !c->exit_now; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		const struct option_def *d = a[0] == '-' && a[1] ? option_find(a) : NULL;
		if (a[0] == '-' && a[1] && !d)
			return bad_at(header, "unknown option '%s'", a);
		if (!d) {
			if (files && c->files_done)
				continue;
			if (files && !c->file && c->mode)
				c->file = a;
			else if (files && c->mode_bit == M_PLAY && c->nmore < (int)(sizeof c->more / sizeof c->more[0]))
				c->more[c->nmore++] = a;
			else
				return bad_at(header, "unexpected argument '%s'", a);
			continue;
		}
		if (header && !d->machine)
			return bad_at(header, "'# options:' may set only the machine "
				      "(--frames, --swap, --policy, --page-size, --arch, --tlb), not %s", a);
		if (!(d->modes & c->mode_bit)) {
			fprintf(stderr, "vmviz: %s does nothing %s: it is for %s\n", a,
				c->mode ? (c->mode_bit == M_RUN ? "in run" : "in play") : "without a mode word",
				d->used_by);
			return 2;
		}
		if (d->value && !v)
			return bad_at(header, "option %s needs a value", a);
		if (apply_option(c, a, v))
			return 2;
		if (d->value)
			i++;
	}
	return 0;
}

/* A scenario may say which machine it needs on a line "# options: ..."
 * among its first lines. */
static int scenario_options(struct cli *c, const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return 0; /* the caller reports a missing file */
	struct lines lines;
	int rc = 0;
	if (lines_open(&lines, lines_read_stdio, f, SESSION_LINE_MAX - 1) < 0) {
		fclose(f);
		return cli_bad("%s", "out of memory");
	}
	/* A bad line is reported when the scenario itself is read. */
	while (lines.number < 20 && lines_next(&lines) == LINES_OK) {
		if (strncmp(lines.text, "# options:", 10) != 0)
			continue;
		char *words[32];
		int argc = 0;
		char *save = NULL;
		for (char *w = strtok_r(lines.text + 10, " \t", &save); w && argc < 32;
		     w = strtok_r(NULL, " \t", &save))
			words[argc++] = w;
		char *split[2 * 32 + 1];
		argc = split_equals(argc, words, 0, split);
		char where[600];
		snprintf(where, sizeof where, "%.500s:%" PRIu64, path, lines.number);
		rc = parse_options(c, 0, argc, split, false, where);
		c->where = NULL;
		break;
	}
	lines_close(&lines);
	fclose(f);
	return rc;
}

int cli_file_options(const struct cli *defaults, const struct cli *c, const char *file, struct ui_options *out)
{
	struct cli x = *defaults;
	x.mode = c->mode;
	x.mode_bit = c->mode_bit;
	x.files_done = true;
	/* argv[0] is the program, argv[1] the mode word */
	if (scenario_options(&x, file) || parse_options(&x, 2, c->argc, c->argv, true, NULL))
		return 2;
	*out = x.o;
	return 0;
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

int cli_parse(struct cli *c, int argc, char **argv, char **args)
{
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
	c->argc = argc;
	c->argv = argv;
	int i = 1;
	if (at > 0)
		c->mode = argv[i++];
	c->mode_bit = !c->mode ? M_LIVE | M_RUN : strcmp(c->mode, "play") == 0 ? M_PLAY : M_RUN;
	if (c->mode && strcmp(c->mode, "trace") == 0)
		return CLI_GO;
	/* First find the file, then apply its options, then the command line's,
	 * so the command line wins. */
	struct cli first = *c;
	if (parse_options(&first, i, argc, argv, true, NULL) || first.exit_now)
		return first.exit_now ? 0 : 2;
	if (first.list)
		return catalog_list(stdout) > 0 ? 0 : 1;
	/* A folder or several scenarios: each reads its own options when it
	 * plays (cli_file_options); here only the command line's. */
	struct stat st;
	if (first.mode_bit == M_PLAY && first.file &&
	    (first.nmore > 0 || (stat(first.file, &st) == 0 && S_ISDIR(st.st_mode)))) {
		if (parse_options(c, i, argc, argv, true, NULL))
			return 2;
		c->playlist = true;
		return CLI_GO;
	}
	/* A name that is no file may be a scenario's: "play 09", "run whole-flow". */
	static char found[4096];
	if (first.file && strcmp(first.file, "-") != 0 && access(first.file, F_OK) != 0) {
		char why[300];
		if (catalog_find(first.file, found, sizeof found, why, sizeof why))
			first.file = found;
		else if (why[0])
			return cli_bad("%s", why);
		else if (!strchr(first.file, '/'))
			return cli_bad("no file or scenario named '%s' (vmviz play --list shows the scenarios)",
				       first.file);
	}
	if (first.file && strcmp(first.file, "-") != 0 && scenario_options(c, first.file))
		return 2;
	if (parse_options(c, i, argc, argv, true, NULL))
		return 2;
	c->file = first.file;
	return CLI_GO;
}
