/* fuzz_commands.c - a libFuzzer target for the command language and the
 * engine behind it (`make fuzz`, clang only; not part of `make test`).
 *
 * Byte 0 picks the machine (policy, arch, TLB, language, frames and swap,
 * page size); the rest is a script of up to 64 lines, each run through
 * session_exec as `vmviz run` does. After every line the engine's
 * invariants must hold, and a line that failed must have changed nothing
 * (unless it killed a process: an OOM or SIGSEGV is an outcome, not a
 * refusal). Either breach aborts, so libFuzzer keeps the input. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"
#include "session.h"

#define MAX_LINES 64
#define MAX_LINE 1200
#define CAP_FRAMES 2048u
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

static FILE *devnull;

/* What a failed line must leave alone, folded into a few numbers. */
struct state {
	uint64_t seq, nprocs, cur, free_frames, swap_used, tables, sum;
};

static void snapshot(const struct session *s, struct state *f)
{
	const struct vm *vm = s->vm;
	memset(f, 0, sizeof *f);
	f->seq = vm->log.next_seq;
	f->nprocs = (uint64_t)vm->nprocs;
	f->cur = (uint64_t)vm->cur;
	f->free_frames = vm->free_frames;
	f->swap_used = vm->swap.used;
	f->tables = vm->tables;
	for (int i = 0; i < vm->nprocs; i++) {
		const struct proc *p = vm->procs[i];
		f->sum = f->sum * 31 + p->nvmas;
		f->sum = f->sum * 31 + p->brk;
		f->sum = f->sum * 31 + p->rss;
		f->sum = f->sum * 31 + p->swapents;
		f->sum = f->sum * 31 + p->heap.top;
		f->sum = f->sum * 31 + p->minflt + p->majflt;
		for (size_t j = 0; j < p->nvmas; j++)
			f->sum = f->sum * 31 + p->vmas[j].start * 7 + p->vmas[j].end;
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	devnull = fopen("/dev/null", "w");
	return devnull ? 0 : -1;
}

static struct session *machine(uint8_t b)
{
	static const uint32_t frames[4] = {16, 8, 16, 64};
	static const uint32_t swaps[4] = {8, 0, 8, 32};
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.policy = (enum policy_kind)((b & 3) % 3);
	cfg.arch = (b >> 2) & 1 ? ARCH_X86 : ARCH_X86_64;
	cfg.tlb_entries = (b >> 3) & 1 ? 4 : 0;
	cfg.frames = frames[(b >> 5) & 3];
	cfg.swap_slots = swaps[(b >> 5) & 3];
	cfg.page_size = (b >> 7) & 1 ? 16384 : 4096;
	return session_new(&cfg, (b >> 4) & 1 ? LANG_ZH : LANG_EN);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	struct session *s = machine(data[0]);
	if (!s || vm_check(s->vm) < 0)
		abort();
	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	char line[MAX_LINE + 1];
	for (int n = 1; n <= MAX_LINES && p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = (size_t)((nl ? nl : end) - p);
		memcpy(line, p, len > MAX_LINE ? MAX_LINE : len);
		line[len > MAX_LINE ? MAX_LINE : len] = 0;
		p = nl ? nl + 1 : end;
		struct state before, after;
		snapshot(s, &before);
		uint64_t kills = s->vm->log.counts[EV_OOM_KILL] + s->vm->log.counts[EV_SEGV];
		int rc = session_exec(s, line);
		run_print_events(s, s->first_event, devnull, 40);
		fputs(s->out.s ? s->out.s : "", devnull);
		if (vm_check(s->vm) < 0) {
			fprintf(stderr, "line %d: invariant broken: %s\n", n, s->vm->err);
			abort();
		}
		snapshot(s, &after);
		if (rc < 0 && kills == s->vm->log.counts[EV_OOM_KILL] + s->vm->log.counts[EV_SEGV] &&
		    memcmp(&before, &after, sizeof before) != 0) {
			fprintf(stderr, "line %d failed (%s) but changed the machine\n", n, s->err);
			abort();
		}
		if (s->quit)
			break;
	}
	session_free(s);
	return 0;
}
