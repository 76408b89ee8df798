/* record_cli.c - vmviz record [-o FILE.vmm] [--] PROG [ARGS...]: runs a
 * dynamically linked program with ASLR off and libvmviz-record.so preloaded,
 * and turns what the library logged into a scenario (ui/record_conv.c). */
#define _GNU_SOURCE
#include "record_cli.h"
#include "record_conv.h"
#include "record_sites.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/personality.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define RECORD_FD 213       /* out of the way of the program's own descriptors */
#define ALIVE_FD 212        /* a pipe nobody writes: its end says all are done */
#define EXIT_CANNOT 77      /* this machine cannot record (tests skip on it) */

static const char record_usage[] =
	"usage: vmviz record [-o FILE.vmm] [--every N] [--] PROG [ARGS...] [-o FILE.vmm]\n"
	"Runs PROG (dynamically linked, x86-64) with ASLR off and records its malloc,\n"
	"calloc, realloc, free, memalign, mmap, munmap, mremap, mprotect, brk, sbrk and\n"
	"fork calls into a scenario (default PROG.vmm); then: vmviz run --check FILE.vmm\n"
	"  --every N   VSZ, RSS and faults at every Nth allocator call and at each\n"
	"              mapping call only (addresses always): for a kernel without perf\n"
	"              events, where measuring every call makes the program ~18x slower\n"
	"With debug info (gcc -g) and addr2line, each call's caption names its line.\n";

static int fail(const char *fmt, const char *a, const char *b)
{
	fprintf(stderr, "vmviz: record: ");
	fprintf(stderr, fmt, a, b);
	fputc('\n', stderr);
	return 2;
}

/* PROG as execvp would find it. */
static bool find_program(const char *name, char *out, size_t size)
{
	if (strchr(name, '/')) {
		snprintf(out, size, "%s", name);
		return access(out, F_OK) == 0;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		const char *colon = strchr(path, ':');
		size_t n = colon ? (size_t)(colon - path) : strlen(path);
		snprintf(out, size, "%.*s/%s", (int)n, n ? path : ".", name);
		struct stat st;
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0)
			return true;
		path += n + (colon ? 1 : 0);
	}
	return false;
}

/* Why PROG cannot be recorded, or NULL: LD_PRELOAD needs a dynamically
 * linked 64-bit x86 ELF program that is not setuid. */
static const char *cannot_record(const char *path, char *why, size_t size)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return "is not a regular file";
	if (access(path, X_OK) != 0)
		return "is not executable";
	if (st.st_mode & (S_ISUID | S_ISGID))
		return "is setuid or setgid: the loader ignores LD_PRELOAD for it";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return "cannot be read";
	Elf64_Ehdr eh;
	ssize_t got = pread(fd, &eh, sizeof eh, 0);
	const char *r = NULL;
	if (got >= 2 && memcmp(&eh, "#!", 2) == 0)
		r = "is a script: record its interpreter instead (vmviz record /bin/sh SCRIPT)";
	else if (got < (ssize_t)sizeof eh || memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
		r = "is not an ELF program";
	else if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_machine != EM_X86_64)
		r = "is not an x86-64 program (the recorder library is 64-bit)";
	if (r) {
		close(fd);
		return r;
	}
	bool interp = false;
	for (int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof ph, (off_t)(eh.e_phoff + (uint64_t)i * eh.e_phentsize)) != (ssize_t)sizeof ph)
			break;
		if (ph.p_type == PT_INTERP)
			interp = true;
	}
	close(fd);
	if (!interp) {
		snprintf(why, size, "is statically linked (no PT_INTERP): LD_PRELOAD cannot work on it");
		return why;
	}
	return NULL;
}

/* libvmviz-record.so: $VMVIZ_RECORD_LIB, beside the vmviz binary (the
 * build folder), or where make install puts it. */
static bool find_library(char *out, size_t size)
{
	const char *env = getenv("VMVIZ_RECORD_LIB");
	if (env && *env) {
		snprintf(out, size, "%s", env);
		return access(out, R_OK) == 0;
	}
	char self[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n <= 0)
		return false;
	self[n] = 0;
	char *slash = strrchr(self, '/');
	if (slash)
		*slash = 0;
	snprintf(out, size, "%s/libvmviz-record.so", self);
	if (access(out, R_OK) == 0)
		return true;
	snprintf(out, size, "%s/../lib/vmviz/libvmviz-record.so", self);
	return access(out, R_OK) == 0;
}

/* The child: ASLR off, the library preloaded, then PROG. */
static void run_child(int fd, const char *lib, const char *path, char **args, const char *every)
{
	if (personality(ADDR_NO_RANDOMIZE) < 0 || !(personality(0xffffffff) & ADDR_NO_RANDOMIZE)) {
		dprintf(fd, "!aslr %s\n", strerror(errno));
		_exit(EXIT_CANNOT);
	}
	char num[16];
	snprintf(num, sizeof num, "%d", fd);
	setenv("VMVIZ_RECORD_FD", num, 1);
	setenv("LD_PRELOAD", lib, 1);
	if (every)
		setenv("VMVIZ_RECORD_EVERY", every, 1);
	execv(path, args);
	dprintf(fd, "!exec %s\n", strerror(errno));
	_exit(127);
}

static const char *signal_name(int sig)
{
	const char *d = sigabbrev_np(sig);
	static char buf[24];
	snprintf(buf, sizeof buf, "SIG%s", d ? d : "?");
	return buf;
}

int record_main(int argc, char **argv)
{
	const char *out_path = NULL, *every = NULL;
	int i = 1;
	bool dashdash = false;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--") == 0) {
			dashdash = true;
			i++;
			break;
		}
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(record_usage, stdout);
			return 0;
		}
		if ((strcmp(argv[i], "-o") == 0 || strcmp(argv[i], "--output") == 0) && i + 1 < argc) {
			out_path = argv[++i];
			continue;
		}
		if (strcmp(argv[i], "--every") == 0 && i + 1 < argc) {
			char *end;
			long n = strtol(argv[++i], &end, 10);
			if (*end || n < 1 || n > 1000000)
				return fail("bad --every '%s'%s: a number of calls, 1 to 1000000", argv[i], "");
			every = argv[i];
			continue;
		}
		return fail("unknown option '%s'%s (vmviz record --help)", argv[i], "");
	}
	/* A last "-o FILE.vmm" is vmviz's, unless -- said all is the program's. */
	int end = argc;
	if (!dashdash && end - i >= 3 && strcmp(argv[end - 2], "-o") == 0) {
		size_t n = strlen(argv[end - 1]);
		if (n > 4 && strcmp(argv[end - 1] + n - 4, ".vmm") == 0) {
			out_path = argv[end - 1];
			end -= 2;
		}
	}
	if (i >= end)
		return fail("%s%s", "which program? (vmviz record PROG [ARGS...])", "");
	char path[PATH_MAX], why[200], lib[PATH_MAX + 40];
	if (!find_program(argv[i], path, sizeof path))
		return fail("no program '%s'%s", argv[i], strchr(argv[i], '/') ? "" : " in PATH");
	const char *no = cannot_record(path, why, sizeof why);
	if (no)
		return fail("%s %s", path, no);
	if (!find_library(lib, sizeof lib))
		return fail("cannot find libvmviz-record.so%s%s", " (build it with make, or set VMVIZ_RECORD_LIB)", "");
	char default_out[300];
	if (!out_path) {
		const char *base = strrchr(argv[i], '/');
		snprintf(default_out, sizeof default_out, "%s.vmm", base ? base + 1 : argv[i]);
		out_path = default_out;
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_STACK, &rl) == 0 && rl.rlim_cur != 8ull << 20)
		fprintf(stderr, "vmviz: record: warning: the stack limit is not 8 MiB (ulimit -s 8192): new "
				"mappings will not land where vmviz puts them\n");

	char **args = calloc((size_t)(end - i + 1), sizeof *args);
	/* The log goes straight into a file, appended (each of the library's
	 * writes is whole lines, so a forked child's never split the
	 * parent's): no pipe to copy it through, no reader to wake. */
	FILE *log = tmpfile();
	int fds[2];
	if (!args || !log || pipe(fds) < 0)
		return fail("%s%s", "out of memory or descriptors", "");
	for (int k = i; k < end; k++)
		args[k - i] = argv[k];
	fcntl(fileno(log), F_SETFD, FD_CLOEXEC); /* the program gets RECORD_FD only */
	int wfd = fcntl(fileno(log), F_DUPFD, RECORD_FD);
	int alive = fcntl(fds[1], F_DUPFD, ALIVE_FD);
	close(fds[1]);
	if (wfd < 0 || alive < 0 || fcntl(wfd, F_SETFL, O_APPEND) < 0)
		return fail("%s%s", "out of descriptors", "");
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0)
		return fail("cannot fork: %s%s", strerror(errno), "");
	if (pid == 0)
		run_child(wfd, lib, path, args, every);
	close(wfd);
	close(alive);
	/* until the program and every child it forked have exited */
	char buf[64];
	ssize_t n;
	while ((n = read(fds[0], buf, sizeof buf)) != 0)
		if (n < 0 && errno != EINTR)
			break;
	close(fds[0]);
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	free(args);
	rewind(log);
	char first[200] = "";
	if (fgets(first, sizeof first, log) && first[0] == '!') {
		first[strcspn(first, "\n")] = 0;
		fclose(log);
		if (strncmp(first, "!aslr", 5) == 0) {
			fprintf(stderr, "vmviz: record: cannot turn ASLR off here (personality: %s): skipped\n", first + 6);
			return EXIT_CANNOT;
		}
		return fail("cannot run %s: %s", path, first + 6);
	}
	rewind(log);

	char title[600];
	int len = snprintf(title, sizeof title, "%s", path);
	for (int k = i + 1; k < end && len < (int)sizeof title; k++)
		len += snprintf(title + len, sizeof title - (size_t)len, " %s", argv[k]);
	FILE *out = fopen(out_path, "w");
	if (!out) {
		fclose(log);
		return fail("cannot write %s: %s", out_path, strerror(errno));
	}
	struct record_summary sum;
	struct record_sites sites;
	record_sites_resolve(log, path, &sites); /* none is fine: no captions */
	rewind(log);
	int rc = record_convert(log, out, title, &sites, &sum);
	record_sites_free(&sites);
	if (WIFSIGNALED(status) && !sum.crash_signal)
		fprintf(out, "say \"The program was killed here by %s.\"\n", signal_name(WTERMSIG(status)));
	fclose(log);
	if (fclose(out) != 0 || rc < 0)
		return fail("cannot write %s: %s", out_path, strerror(errno));
	if (!sum.started)
		return fail("%s made no call the recorder saw (did it clear LD_PRELOAD?); %s is empty", path, out_path);
	if (sum.threads_skipped)
		fprintf(stderr, "vmviz: record: %d thread%s besides the main one: %s calls are not recorded\n",
			sum.threads_skipped, sum.threads_skipped == 1 ? "" : "s", sum.threads_skipped == 1 ? "its" : "their");
	if (WIFSIGNALED(status)) {
		fprintf(stderr, "vmviz: record: %s died of %s; %s stops at its last call (%ld recorded)\n", path,
			signal_name(WTERMSIG(status)), out_path, sum.calls);
		return 1;
	}
	fprintf(stderr, "vmviz: recorded %ld calls of %s into %s%s; check it: vmviz run --check %s\n", sum.calls,
		path, out_path, sum.children ? " (children included)" : "", out_path);
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		fprintf(stderr, "vmviz: record: note: %s exited with status %d\n", path, WEXITSTATUS(status));
	return 0;
}
