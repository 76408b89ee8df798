/* fuzz_cli.c - a libFuzzer target for the command line and a scenario's
 * "# options:" line (`make fuzz FUZZ_TARGET=cli`; clang only).
 *
 * The input is argv words, one per line, then a 0xFF byte and the
 * scenario's text; the word "@" names that scenario (a temporary file).
 * Each vector goes through cli_parse as `vmviz` gets it, and, for the
 * trace mode, on into trace_main. What must hold:
 *   - the result is "go on", 0 (help, version, list), 1 (nothing to
 *     list) or 2 (an error);
 *   - an error is one line, "vmviz: ..."; success prints no error;
 *   - an error the scenario's header caused names it, "vmviz: FILE:LINE: ";
 *   - the same vector parses the same way twice.
 * stdout goes to /dev/null and stderr into a buffer while parsing (glibc
 * lets the stdio streams be reassigned; sanitizer reports use fd 2). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "cli.h"
#include "trace.h"

#define MAX_WORDS 48

static char dir[] = "/tmp/vmviz-fuzz-cli-XXXXXX";
static char scenario[64];
static FILE *devnull;
static int home = -1; /* the working directory to come back to */

static void cleanup(void)
{
	unlink(scenario);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* "-" (standard input) reads an empty file instead of waiting. */
	int null = open("/dev/null", O_RDONLY);
	home = open(".", O_RDONLY | O_DIRECTORY);
	if (!mkdtemp(dir) || null < 0 || home < 0 || dup2(null, 0) < 0)
		return -1;
	close(null);
	snprintf(scenario, sizeof scenario, "%s/s.vmm", dir);
	atexit(cleanup);
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : -1;
}

struct outcome {
	int rc;
	struct cli c;
	char *err;
	size_t err_len;
};

/* cli_parse on a copy of words (it splits --name=VALUE in place). */
static void parse(char **words, int n, struct outcome *out)
{
	char *copy[MAX_WORDS + 1], *args[2 * (MAX_WORDS + 1) + 1];
	for (int i = 0; i < n; i++)
		copy[i] = strdup(words[i]);
	memset(out, 0, sizeof *out);
	vm_config_default(&out->c.o.cfg);
	FILE *err = open_memstream(&out->err, &out->err_len), *saved_err = stderr, *saved_out = stdout;
	if (!err)
		abort();
	stderr = err;
	stdout = devnull;
	out->rc = cli_parse(&out->c, n, copy, args);
	if (out->rc == CLI_GO && out->c.mode && strcmp(out->c.mode, "trace") == 0) {
		int st = trace_main(out->c.argc - 1, out->c.argv + 1);
		if (st < 0 || st > 2)
			abort();
	}
	fflush(stdout);
	stderr = saved_err;
	stdout = saved_out;
	fclose(err);
	/* What a success keeps, made comparable: the pointers into copy. */
	out->c.argv = NULL;
	out->c.mode = out->c.mode ? (strcmp(out->c.mode, "run") == 0 ? "run" : strcmp(out->c.mode, "play") == 0 ? "play" : "trace") : NULL;
	out->c.file = out->c.file ? "file" : NULL;
	for (int i = 0; i < out->c.nmore; i++)
		out->c.more[i] = "more";
	out->c.o.record = out->c.o.record ? "record" : NULL;
	out->c.o.play_trace = out->c.o.play_trace ? "trace" : NULL;
	out->c.where = NULL;
	for (int i = 0; i < n; i++)
		free(copy[i]);
}

static void fail(const char *what, const struct outcome *o)
{
	fprintf(stderr, "fuzz_cli: %s (rc %d, stderr: %s)\n", what, o->rc, o->err);
	abort();
}

static void check(const struct outcome *o, bool trace)
{
	/* 1: --list found no scenario to list */
	if (o->rc != CLI_GO && o->rc != 0 && o->rc != 1 && o->rc != 2)
		fail("unexpected result", o);
	if (trace)
		return; /* trace_main prints its own messages, and exits 1 on unreadable files */
	size_t nl = 0;
	for (size_t i = 0; i < o->err_len; i++)
		nl += o->err[i] == '\n';
	if (o->rc == 2 && (nl != 1 || o->err[o->err_len - 1] != '\n' || strncmp(o->err, "vmviz: ", 7) != 0))
		fail("an error is not one line 'vmviz: ...'", o);
	if (o->rc == 1 && o->err_len)
		fail("an empty list with an error message", o);
	if (o->rc != 2 && o->err_len)
		fail("success with an error message", o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *sep = memchr(data, 0xff, size);
	size_t head = sep ? (size_t)(sep - data) : size;
	FILE *f = fopen(scenario, "wb");
	if (!f)
		abort();
	if (sep)
		fwrite(sep + 1, 1, size - head - 1, f);
	fclose(f);

	char *words[MAX_WORDS + 1], *missing[MAX_WORDS + 1];
	int n = 0;
	words[n++] = strdup("vmviz");
	for (size_t at = 0; at <= head && n < MAX_WORDS;) {
		const uint8_t *nl = memchr(data + at, '\n', head - at);
		size_t len = (size_t)((nl ? nl : data + head) - (data + at));
		char *w = strndup((const char *)data + at, len);
		if (strcmp(w, "@") == 0) {
			free(w);
			w = strdup(scenario);
		} else if (w[0] == '/') {
			w[0] = 'x'; /* no real files: nothing slow, nothing that waits */
		}
		words[n++] = w;
		at += len + 1;
		if (!nl)
			break;
	}
	/* An empty working directory while parsing: relative names find
	 * nothing (libFuzzer's own files stay where it was started). */
	if (chdir(dir) < 0)
		abort();
	struct outcome a, b, bare;
	parse(words, n, &a);
	/* The mode word may hide in --name=trace: ask the parser, not the words. */
	bool trace = a.c.mode && strcmp(a.c.mode, "trace") == 0;
	check(&a, trace);
	parse(words, n, &b);
	if (a.rc != b.rc || a.err_len != b.err_len || memcmp(a.err, b.err, a.err_len) != 0 ||
	    memcmp(&a.c, &b.c, sizeof a.c) != 0)
		fail("the same vector parsed differently twice", &a);
	/* The same vector without the scenario: if that is fine, the header
	 * caused the error, and the error must say where. */
	for (int i = 0; i < n; i++)
		missing[i] = strcmp(words[i], scenario) == 0 ? "missing/s.vmm" : words[i];
	parse(missing, n, &bare);
	if (!trace && a.rc == 2 && bare.rc == CLI_GO) {
		char where[128];
		snprintf(where, sizeof where, "vmviz: %s:", scenario);
		if (strncmp(a.err, where, strlen(where)) != 0)
			fail("an error from the '# options:' line does not say FILE:LINE", &a);
	}
	if (fchdir(home) < 0)
		abort();
	free(a.err);
	free(b.err);
	free(bare.err);
	for (int i = 0; i < n; i++)
		free(words[i]);
	return 0;
}
