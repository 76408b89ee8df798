/* bench_engine.c - engine speed (make bench): writes to a resident page,
 * touch of 1 GiB with 4096 frames and swap for the rest, the simulated
 * malloc and free per call, and the memory a 4096-frame machine costs
 * beyond its frames' bytes. Medians of runs. (bench_scale.c measures
 * machines of every size, up to 4M frames.) */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <time.h>

#include "heap.h"
#include "vm.h"

#define RUNS 5

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static struct vm *machine(uint32_t frames, uint32_t swap)
{
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.frames = frames;
	cfg.swap_slots = swap;
	char err[200];
	struct vm *vm = vm_new(&cfg, err, sizeof err);
	if (!vm || vm_spawn(vm, "a.out") < 0) {
		fprintf(stderr, "bench: %s\n", vm ? vm->err : err);
		exit(1);
	}
	return vm;
}

static double bench_resident_writes(void)
{
	struct vm *vm = machine(64, 64);
	vaddr_t p = vm_mmap(vm, 100, 4096, PROT_R | PROT_W, 0, "");
	uint8_t b = 1;
	vm_access(vm, 100, p, true, &b);
	const long n = 2000000;
	double t0 = now();
	for (long i = 0; i < n; i++) {
		b = (uint8_t)i;
		vm_access(vm, 100, p + (uint64_t)(i & 4095), true, &b);
	}
	double dt = now() - t0;
	vm_free(vm);
	return (double)n / dt;
}

static double bench_touch_1g(uint64_t *pages_out)
{
	const uint64_t len = 1ull << 30;
	struct vm *vm = machine(4096, (uint32_t)(len / 4096));
	vaddr_t p = vm_mmap(vm, 100, len, PROT_R | PROT_W, 0, "");
	double t0 = now();
	uint64_t pages = 0;
	for (vaddr_t va = p; va < p + len; va += 4096, pages++) {
		uint8_t b = (uint8_t)pages | 1;
		if (vm_access(vm, 100, va, true, &b) >= FAULT_SEGV) {
			fprintf(stderr, "bench: touch failed at page %llu\n", (unsigned long long)pages);
			exit(1);
		}
	}
	double dt = now() - t0;
	vm_free(vm);
	*pages_out = pages;
	return dt;
}

/* Bytes the engine holds from malloc, mmapped blocks included. */
static long heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();
	return (long)(mi.uordblks + mi.hblkhd);
}

/* Touches len bytes from p, one write per page (noinline: callgrind
 * counts inside it). */
__attribute__((noinline)) static void touch_pages(struct vm *vm, vaddr_t p, uint64_t len)
{
	for (vaddr_t va = p; va < p + len; va += 4096) {
		uint8_t b = 1;
		vm_access(vm, 100, va, true, &b);
	}
}

__attribute__((noinline)) static void resident_writes(struct vm *vm, vaddr_t p, long n)
{
	for (long i = 0; i < n; i++) {
		uint8_t b = (uint8_t)i;
		vm_access(vm, 100, p + (uint64_t)(i & 4095), true, &b);
	}
}

/* One call each (noinline: callgrind counts inside them). */
__attribute__((noinline)) static vaddr_t do_malloc(struct vm *vm, uint64_t size)
{
	return vm_malloc(vm, 100, size);
}

__attribute__((noinline)) static void do_free(struct vm *vm, vaddr_t p)
{
	vm_free_ptr(vm, 100, p);
}

#define MALLOC_SLOTS 64

/* A mix a program makes: 64 slots, each step frees a held block or
 * mallocs one of 16..4000 bytes (1 in 32: 64..256 KiB). Counts calls. */
static void malloc_mix(struct vm *vm, long steps, long *mallocs, long *frees)
{
	vaddr_t slot[MALLOC_SLOTS] = {0};
	uint32_t x = 12345;
	for (long i = 0; i < steps; i++) {
		x = x * 1103515245u + 12345u;
		unsigned k = (x >> 8) % MALLOC_SLOTS;
		if (slot[k]) {
			do_free(vm, slot[k]);
			slot[k] = 0;
			++*frees;
		} else {
			uint64_t size = (x >> 16) % 32 == 0 ? (64u << 10) + (x >> 4) % (192u << 10) : 16 + (x >> 12) % 3985;
			slot[k] = do_malloc(vm, size);
			++*mallocs;
		}
	}
}

static double bench_malloc_free(void)
{
	struct vm *vm = machine(8192, 64);
	long mallocs = 0, frees = 0;
	double t0 = now();
	malloc_mix(vm, 200000, &mallocs, &frees);
	double dt = now() - t0;
	vm_free(vm);
	return dt / (double)(mallocs + frees);
}

#define ONCE_WRITES 100000l
#define ONCE_MALLOC_STEPS 20000l
#define ONCE_TOUCH (64ull << 20)

/* One measured piece of work, for callgrind. */
static int once(const char *what)
{
	if (strcmp(what, "malloc") == 0) {
		struct vm *vm = machine(8192, 64);
		long mallocs = 0, frees = 0;
		malloc_mix(vm, ONCE_MALLOC_STEPS, &mallocs, &frees);
		vm_free(vm);
		printf("%ld %ld\n", mallocs, frees);
		return 0;
	}
	if (strcmp(what, "write") == 0) {
		struct vm *vm = machine(64, 64);
		vaddr_t p = vm_mmap(vm, 100, 4096, PROT_R | PROT_W, 0, "");
		resident_writes(vm, p, 1);
		resident_writes(vm, p, ONCE_WRITES);
		vm_free(vm);
		return 0;
	}
	struct vm *vm = machine(4096, (uint32_t)(ONCE_TOUCH / 4096));
	vaddr_t p = vm_mmap(vm, 100, ONCE_TOUCH, PROT_R | PROT_W, 0, "");
	touch_pages(vm, p, ONCE_TOUCH);
	vm_free(vm);
	return 0;
}

static unsigned long long callgrind_ir(const char *self, const char *what, const char *fn)
{
	char out[64], cmd[512];
	snprintf(out, sizeof out, "/tmp/vmviz-bench-engine.%d", (int)getpid());
	snprintf(cmd, sizeof cmd,
		 "valgrind -q --tool=callgrind --callgrind-out-file=%s --toggle-collect=%s* %s --once %s >/dev/null",
		 out, fn, self, what);
	unsigned long long ir = 0;
	if (system(cmd) == 0) {
		char line[512];
		FILE *f = fopen(out, "r");
		while (f && fgets(line, sizeof line, f))
			if (sscanf(line, "summary: %llu", &ir) == 1 || sscanf(line, "totals: %llu", &ir) == 1)
				break;
		if (f)
			fclose(f);
	}
	remove(out);
	return ir;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--once") == 0)
		return once(argv[2]);
	double writes[RUNS], touch[RUNS], mcall[RUNS];
	uint64_t pages = 0;
	for (int i = 0; i < RUNS; i++)
		writes[i] = bench_resident_writes();
	for (int i = 0; i < RUNS; i++)
		touch[i] = bench_touch_1g(&pages);
	for (int i = 0; i < RUNS; i++)
		mcall[i] = bench_malloc_free();
	double t = median(touch, RUNS);
	printf("engine: write to a resident page   %10.2f M ops/s (median of %d)\n", median(writes, RUNS) / 1e6, RUNS);
	printf("engine: touch 1 GiB, 4096 frames    %10.3f s, %.2f M pages/s (%llu pages, median of %d)\n", t,
	       (double)pages / t / 1e6, (unsigned long long)pages, RUNS);
	printf("engine: malloc or free, mixed sizes  %10.2f us per call (median of %d; headers in simulated memory)\n",
	       median(mcall, RUNS) * 1e6, RUNS);

	/* Memory with every user frame in use, less the frames' own bytes; the
	 * event ring is a fixed cost, shown apart. */
	long before = heap_bytes();
	struct vm *vm = machine(4096, 0);
	vaddr_t p = vm_mmap(vm, 100, 4096ull * 4096, PROT_R | PROT_W, 0, "");
	for (uint64_t i = 0; i < vm->nframes - vm->kernel_frames - 4; i++) {
		uint8_t b = 1;
		vm_access(vm, 100, p + i * 4096, true, &b);
	}
	/* The frames' bytes come from the page pool's slabs (mmapped, not
	 * malloc), only for frames written to. */
	long used = heap_bytes() - before, ring = (long)(EVENT_RING * sizeof(struct event));
	long data = (long)pagepool_bytes(&vm->bytes), in_use = (long)(vm->nframes - vm->free_frames);
	/* Reverse-map entries come from a pool too: count those in use. */
	for (uint32_t f = 0; f < vm->nframes; f++)
		used += (long)(vm->frames[f].mapcount * sizeof(struct rmap));
	printf("engine: 4096-frame machine          %ld KiB = frames' bytes %ld KiB (%ld frames written) + event ring %ld KiB"
	       " + %ld bytes per frame in use\n",
	       (used + data) / 1024, data / 1024, in_use, ring / 1024, (used - ring) / in_use);
	vm_free(vm);
	if (system("command -v valgrind >/dev/null 2>&1") != 0) {
		printf("engine: instructions per write and per page touched: skipped, valgrind is not installed (apt-get install valgrind)\n");
		return 0;
	}
	unsigned long long ir_write = callgrind_ir(argv[0], "write", "resident_writes");
	unsigned long long ir_touch = callgrind_ir(argv[0], "touch", "touch_pages");
	printf("engine: instructions (callgrind)    %.0f per write to a resident page, %.0f per page touched"
	       " (64 MiB, 4096 frames, the rest to swap)\n",
	       (double)ir_write / (ONCE_WRITES + 1), (double)ir_touch / (double)(ONCE_TOUCH / 4096));
	/* The same mix as above, counted once without valgrind for the calls. */
	struct vm *mv = machine(8192, 64);
	long mallocs = 0, frees = 0;
	malloc_mix(mv, ONCE_MALLOC_STEPS, &mallocs, &frees);
	vm_free(mv);
	unsigned long long ir_malloc = callgrind_ir(argv[0], "malloc", "do_malloc");
	unsigned long long ir_free = callgrind_ir(argv[0], "malloc", "do_free");
	printf("engine: instructions (callgrind)    %.0f per malloc, %.0f per free (mixed sizes, page faults included)\n",
	       (double)ir_malloc / (double)mallocs, (double)ir_free / (double)frees);
	return 0;
}
