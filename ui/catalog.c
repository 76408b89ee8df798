/* catalog.c - finding scenarios by name (see catalog.h). */
#include "catalog.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef VMVIZ_SCENARIO_DIR
#define VMVIZ_SCENARIO_DIR "/usr/local/share/vmviz/scenarios"
#endif

#define MAX_DIRS 3

/* The folders to look in, in order; returns how many exist. */
static int scenario_dirs(char dirs[MAX_DIRS][PATH_MAX])
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	int k = 0;
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		snprintf(dirs[k++], PATH_MAX, "%.*s/../share/vmviz/scenarios", PATH_MAX - 40, exe);
		snprintf(dirs[k++], PATH_MAX, "%.*s/../scenarios", PATH_MAX - 40, exe);
	}
	snprintf(dirs[k++], PATH_MAX, "%s", VMVIZ_SCENARIO_DIR);
	int kept = 0;
	for (int i = 0; i < k; i++) {
		char real[PATH_MAX];
		if (!realpath(dirs[i], real))
			continue;
		bool seen = false;
		for (int j = 0; j < kept; j++)
			seen = seen || strcmp(dirs[j], real) == 0;
		if (!seen)
			snprintf(dirs[kept++], PATH_MAX, "%s", real);
	}
	return kept;
}

static bool is_scenario(const char *file)
{
	size_t n = strlen(file);
	return n > 4 && strcmp(file + n - 4, ".vmm") == 0 && file[0] != '.';
}

/* "09-whole-flow.vmm" answers to 09, whole-flow, 09-whole-flow and the
 * full file name. */
static bool answers_to(const char *file, const char *name)
{
	size_t stem = strlen(file) - 4, len = strlen(name);
	if (strcmp(file, name) == 0 || (len == stem && strncmp(file, name, stem) == 0))
		return true;
	const char *dash = strchr(file, '-');
	if (!dash || (size_t)(dash - file) >= stem)
		return false;
	size_t num = (size_t)(dash - file);
	if (len == num && strncmp(file, name, num) == 0)
		return true;
	return len == stem - num - 1 && strncmp(dash + 1, name, len) == 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The scenario files of dir, sorted; *n gets the count (NULL when none). */
static char **dir_files(const char *dir, int *n)
{
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	char **files = NULL;
	int cap = 0;
	const struct dirent *e;
	while ((e = readdir(d))) {
		if (!is_scenario(e->d_name))
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 32;
			char **more = realloc(files, (size_t)cap * sizeof *more);
			if (!more)
				break;
			files = more;
		}
		char *copy = strdup(e->d_name);
		if (copy)
			files[(*n)++] = copy;
	}
	closedir(d);
	if (files)
		qsort(files, (size_t)*n, sizeof *files, by_name);
	return files;
}

static void free_files(char **files, int n)
{
	for (int i = 0; i < n; i++)
		free(files[i]);
	free(files);
}

bool catalog_find(const char *name, char *path, size_t size, char *err, size_t errlen)
{
	char dirs[MAX_DIRS][PATH_MAX];
	int ndirs = scenario_dirs(dirs);
	err[0] = '\0';
	if (!*name || strchr(name, '/'))
		return false;
	for (int i = 0; i < ndirs; i++) {
		int n;
		char **files = dir_files(dirs[i], &n);
		int hits = 0;
		for (int k = 0; k < n; k++) {
			if (!answers_to(files[k], name))
				continue;
			if (hits++ == 0)
				snprintf(path, size, "%s/%s", dirs[i], files[k]);
			else
				snprintf(err, errlen, "'%s' names more than one scenario (%s, %s...)", name,
					 strrchr(path, '/') + 1, files[k]);
		}
		free_files(files, n);
		if (hits == 1)
			return true;
		if (hits > 1)
			return false;
	}
	return false;
}

/* The title from a "# title:" line among the first lines. */
static void read_title(const char *path, char *title, size_t size)
{
	title[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[400];
	for (int i = 0; i < 10 && fgets(line, sizeof line, f); i++) {
		if (strncmp(line, "# title:", 8) != 0)
			continue;
		const char *t = line + 8;
		while (*t == ' ')
			t++;
		snprintf(title, size, "%.*s", (int)strcspn(t, "\r\n"), t);
		break;
	}
	fclose(f);
}

int catalog_list(FILE *out)
{
	char dirs[MAX_DIRS][PATH_MAX];
	int ndirs = scenario_dirs(dirs), shown = 0;
	/* The first folder that has scenarios is the one names resolve in. */
	for (int i = 0; i < ndirs && !shown; i++) {
		int n;
		char **files = dir_files(dirs[i], &n);
		if (n)
			fprintf(out, "Scenarios in %s (vmviz play NAME or NUMBER):\n", dirs[i]);
		for (int k = 0; k < n; k++) {
			char path[2 * PATH_MAX], title[300];
			snprintf(path, sizeof path, "%.4000s/%.255s", dirs[i], files[k]);
			read_title(path, title, sizeof title);
			fprintf(out, "  %-28.*s %s\n", (int)(strlen(files[k]) - 4), files[k], title);
			shown++;
		}
		free_files(files, n);
	}
	if (!shown)
		fprintf(out, "No scenarios found (looked next to the vmviz binary and in %s).\n",
			VMVIZ_SCENARIO_DIR);
	return shown;
}
