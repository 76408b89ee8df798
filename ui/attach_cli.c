/* attach_cli.c - vmviz attach PID: the live screen on a real process
 * (src/attach.c mirrors it into the engine, the screen shows that), or
 * with --once [--pages] a text view of it (src/procview.c). */
#include "procview.h"
#include "record_cli.h"
#include "ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char attach_usage[] =
	"usage: vmviz attach PID [--interval S]   the live screen on it, read-only,\n"
	"                                         refreshed every S seconds (1)\n"
	"       vmviz attach PID --once [--pages]\n"
	"Prints a real process's mappings from /proc/PID/smaps (Rss, Pss, Swap,\n"
	"Anonymous), its pages from /proc/PID/pagemap (present, swapped, soft-dirty,\n"
	"exclusive, file/shared; PFNs with root), and the totals against smaps_rollup.\n"
	"--pages also lists every present or swapped page. Nothing is changed.\n";

int attach_main(int argc, char **argv)
{
	const char *pid_text = NULL;
	bool once = false, pages = false;
	double interval = 1.0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			once = true;
		else if (strcmp(argv[i], "--pages") == 0)
			pages = true;
		else if (strcmp(argv[i], "--interval") == 0 && i + 1 < argc) {
			char *e;
			interval = strtod(argv[++i], &e);
			/* rate-limited: /proc is read at most 5 times a second */
			if (*e || !(interval >= 0.2 && interval <= 3600)) {
				fprintf(stderr, "vmviz: attach: bad --interval '%s': seconds, 0.2 to 3600\n", argv[i]);
				return 2;
			}
		}
		else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(attach_usage, stdout);
			return 0;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "vmviz: attach: unknown option '%s' (vmviz attach --help)\n", argv[i]);
			return 2;
		} else if (!pid_text) {
			pid_text = argv[i];
		} else {
			fprintf(stderr, "vmviz: attach: unexpected argument '%s'\n", argv[i]);
			return 2;
		}
	}
	char *end = NULL;
	long pid = pid_text ? strtol(pid_text, &end, 10) : 0;
	if (!pid_text || *end || pid <= 0 || pid > 0x3fffffff) {
		fprintf(stderr, "vmviz: attach: %s%s%s\n", pid_text ? "bad PID '" : "which process? (vmviz attach PID --once)",
			pid_text ? pid_text : "", pid_text ? "' (a positive number)" : "");
		return 2;
	}
	if (!once) {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
			fprintf(stderr, "vmviz: attach: the live screen needs a terminal; try vmviz attach %ld --once\n", pid);
			return 2;
		}
		struct ui_options o;
		memset(&o, 0, sizeof o);
		vm_config_default(&o.cfg);
		const char *nc = getenv("NO_COLOR");
		o.theme = nc && *nc ? THEME_MONO : THEME_DEFAULT;
		const char *lang = getenv("LC_ALL");
		if (!lang || !*lang)
			lang = getenv("LC_MESSAGES");
		if (!lang || !*lang)
			lang = getenv("LANG");
		o.lang = lang && strncmp(lang, "zh", 2) == 0 ? LANG_ZH : LANG_EN;
		o.attach_pid = (int)pid;
		o.attach_interval = interval;
		if (!ui_terminal_usable()) {
			fprintf(stderr, "vmviz: attach: no screen on this terminal (TERM); try vmviz attach %ld --once\n", pid);
			return 2;
		}
		return ui_main(&o);
	}
	struct procview pv;
	char err[200];
	if (procview_read((int)pid, &pv, err, sizeof err) < 0) {
		fprintf(stderr, "vmviz: attach: %s\n", err);
		return 1;
	}
	procview_print(&pv, pages, stdout);
	procview_free(&pv);
	return 0;
}
