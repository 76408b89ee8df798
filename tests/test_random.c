/* test_random.c - 100,000+ random operations over several processes, the
 * invariant checker after every one, and every written byte verified (during
 * the run and after heavy swapping) against a shadow copy. */
#include "testutil.h"

#include <stdlib.h>

#include "heap.h"

#define MAX_PROCS 6
#define MAX_REGIONS 8
#define PAGE 4096u
#define PAGE_BUDGET 360 /* frames + swap always hold every page: no OOM */

struct region {
	vaddr_t va;
	uint32_t pages;
	uint8_t *shadow;
};

struct sproc {
	int pid;
	struct region r[MAX_REGIONS];
	int nr;
	vaddr_t chunks[8];
	int nchunks;
};

struct world {
	struct vm *vm;
	struct sproc p[MAX_PROCS];
	int np;
	uint64_t rng;
	uint32_t pages; /* region pages over all processes */
};

static uint32_t rnd(struct world *w, uint32_t n)
{
	w->rng = w->rng * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((w->rng >> 33) % n);
}

static void drop_proc(struct world *w, int i)
{
	for (int k = 0; k < w->p[i].nr; k++) {
		w->pages -= w->p[i].r[k].pages;
		free(w->p[i].r[k].shadow);
	}
	w->p[i] = w->p[--w->np];
}

static void op_mmap(struct world *w, struct sproc *sp)
{
	uint32_t pages = 1 + rnd(w, 12);
	if (sp->nr == MAX_REGIONS || w->pages + pages > PAGE_BUDGET)
		return;
	vaddr_t va = vm_mmap(w->vm, sp->pid, pages * PAGE, PROT_R | PROT_W, 0, "");
	assert_true(va != 0);
	sp->r[sp->nr++] = (struct region){va, pages, calloc(pages, PAGE)};
	w->pages += pages;
}

static void op_munmap(struct world *w, struct sproc *sp)
{
	if (!sp->nr)
		return;
	int k = (int)rnd(w, (uint32_t)sp->nr);
	assert_int_equal(vm_munmap(w->vm, sp->pid, sp->r[k].va, sp->r[k].pages * PAGE), 0);
	w->pages -= sp->r[k].pages;
	free(sp->r[k].shadow);
	sp->r[k] = sp->r[--sp->nr];
}

static void op_write(struct world *w, struct sproc *sp)
{
	if (!sp->nr)
		return;
	struct region *r = &sp->r[rnd(w, (uint32_t)sp->nr)];
	uint32_t off = rnd(w, r->pages * PAGE);
	uint8_t b = (uint8_t)rnd(w, 256);
	enum fault_kind k = vm_access(w->vm, sp->pid, r->va + off, true, &b);
	assert_true(k != FAULT_SEGV && k != FAULT_OOM);
	r->shadow[off] = b;
}

static void op_read(struct world *w, struct sproc *sp)
{
	if (!sp->nr)
		return;
	struct region *r = &sp->r[rnd(w, (uint32_t)sp->nr)];
	uint32_t off = rnd(w, r->pages * PAGE);
	uint8_t b = 0xee;
	enum fault_kind k = vm_access(w->vm, sp->pid, r->va + off, false, &b);
	assert_true(k != FAULT_SEGV && k != FAULT_OOM);
	assert_int_equal(b, r->shadow[off]);
}

static void op_fork(struct world *w, struct sproc *sp)
{
	uint32_t pages = 0;
	for (int k = 0; k < sp->nr; k++)
		pages += sp->r[k].pages;
	if (w->np == MAX_PROCS || w->pages + pages > PAGE_BUDGET)
		return;
	int child = vm_fork(w->vm, sp->pid);
	assert_true(child > 0);
	struct sproc *c = &w->p[w->np++];
	*c = *sp;
	c->pid = child;
	for (int k = 0; k < c->nr; k++) {
		c->r[k].shadow = malloc((size_t)c->r[k].pages * PAGE);
		memcpy(c->r[k].shadow, sp->r[k].shadow, (size_t)c->r[k].pages * PAGE);
	}
	w->pages += pages;
}

static void op_malloc_free(struct world *w, struct sproc *sp)
{
	if (sp->nchunks && rnd(w, 2)) {
		int k = (int)rnd(w, (uint32_t)sp->nchunks);
		assert_int_equal(vm_free_ptr(w->vm, sp->pid, sp->chunks[k]), 0);
		sp->chunks[k] = sp->chunks[--sp->nchunks];
	} else if (sp->nchunks < 8) {
		vaddr_t p = vm_malloc(w->vm, sp->pid, 16 + rnd(w, 3000));
		assert_true(p != 0);
		sp->chunks[sp->nchunks++] = p;
	}
}

static void verify_all(struct world *w)
{
	uint8_t *buf = malloc(16 * PAGE);
	for (int i = 0; i < w->np; i++)
		for (int k = 0; k < w->p[i].nr; k++) {
			const struct region *r = &w->p[i].r[k];
			assert_int_equal(vm_read_buf(w->vm, w->p[i].pid, r->va, buf, r->pages * PAGE), 0);
			assert_memory_equal(buf, r->shadow, r->pages * PAGE);
		}
	free(buf);
}

static void run_world(enum policy_kind policy, uint64_t seed, int ops)
{
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.frames = 40;
	cfg.swap_slots = 480;
	cfg.policy = policy;
	cfg.tlb_entries = seed % 2 ? 8 : 0;
	char err[200];
	struct world w = {.rng = seed};
	w.vm = vm_new(&cfg, err, sizeof err);
	assert_non_null(w.vm);
	w.p[w.np++].pid = vm_spawn(w.vm, "a.out");
	for (int i = 0; i < ops; i++) {
		if (w.np == 0)
			w.p[w.np++] = (struct sproc){.pid = vm_spawn(w.vm, "b.out")};
		int pi = (int)rnd(&w, (uint32_t)w.np);
		struct sproc *sp = &w.p[pi];
		uint32_t r = rnd(&w, 100);
		if (r < 40)
			op_write(&w, sp);
		else if (r < 70)
			op_read(&w, sp);
		else if (r < 80)
			op_mmap(&w, sp);
		else if (r < 86)
			op_munmap(&w, sp);
		else if (r < 93)
			op_malloc_free(&w, sp);
		else if (r < 96)
			op_fork(&w, sp);
		else if (r < 98 && w.np > 1) {
			assert_int_equal(vm_kill(w.vm, sp->pid, "killed"), 0);
			drop_proc(&w, pi);
		} else if (r < 99 && w.np < MAX_PROCS) {
			w.p[w.np++] = (struct sproc){.pid = vm_spawn(w.vm, "c.out")};
		}
		if (vm_check(w.vm) != 0)
			fail_msg("op %d (seed %llu): %s", i, (unsigned long long)seed, w.vm->err);
	}
	assert_int_equal(w.vm->ooms, 0);
	assert_true(w.vm->swapouts > 1000); /* the point: heavy swapping */
	verify_all(&w);
	assert_int_equal(vm_check(w.vm), 0);
	while (w.np)
		drop_proc(&w, 0);
	vm_free(w.vm);
}

static void test_random_fifo(void **state)
{
	(void)state;
	run_world(POLICY_FIFO, 1, 35000);
}

static void test_random_lru(void **state)
{
	(void)state;
	run_world(POLICY_LRU, 2, 35000);
}

static void test_random_clock(void **state)
{
	(void)state;
	run_world(POLICY_CLOCK, 3, 35000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_fifo),
		cmocka_unit_test(test_random_lru),
		cmocka_unit_test(test_random_clock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
