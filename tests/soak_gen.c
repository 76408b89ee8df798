/* soak_gen.c - writes a long random vmviz script with a byte-exact shadow:
 * `vmviz run --check` on it must exit 0 (make soak, tests/soak.sh).
 *
 * usage: soak_gen [--seed N] [--ops N] [--arch x86_64|x86]
 *                 [--policy fifo|lru|clock] [--frames N] [--swap N]
 *
 * Everything goes through the command language: malloc, calloc, free,
 * byte and string writes, memset, memcpy, strcpy, dump, touch, mmap, munmap, fork, spawn, proc, exit and
 * kill over up to MAX_PROCS processes, named by variables (P3 holds a PID,
 * h3_1 a block of process 3, m3_0 a mapping), so nothing here depends on
 * where the allocator puts a block. The generator keeps a shadow of every
 * byte it wrote (and of what calloc and mmap zeroed); every byte it reads
 * back is an `expect NAME[OFF] == V` against that shadow. A fork copies the
 * parent's shadow, so later writes on either side check copy-on-write.
 * `expect procs == N` follows every change in the process count.
 *
 * Memory pressure: the data pages (blocks rounded up to pages, plus one,
 * and mappings, counted once per process as if every copy-on-write page
 * were copied) stay within frames + swap less a reserve per process for
 * its stack, program, page tables and heap slack, so the machine swaps
 * heavily but never runs out of memory (an OOM kill would break the
 * procs expect and every byte check after it).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PROCS 6
#define MAX_BLOCKS 6
#define MAX_MAPS 4
#define PAGE 4096u
#define MAX_MAP_PAGES 64u
#define BIG_BLOCK (256u * 1024u)  /* malloc's mmap threshold grows up to this */
#define RESERVE_PAGES 200u        /* per process: stack, program, tables, heap slack */

struct area {
	bool used;
	uint32_t size;   /* bytes */
	uint8_t *data;   /* the shadow */
	uint8_t *known;  /* 1 where the shadow knows the byte */
};

struct sproc {
	bool alive;
	struct area block[MAX_BLOCKS]; /* h<slot>_<i> */
	struct area map[MAX_MAPS];     /* m<slot>_<i> */
};

static struct sproc procs[MAX_PROCS];
static int cur = -1;          /* slot the machine is looking at, -1 unknown */
static uint64_t rng_state;
static uint64_t budget, used_pages;
static uint64_t lines, expects;

static uint32_t rnd(uint32_t n)
{
	rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)((rng_state >> 33) % n);
}

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	lines++;
	if (strncmp(fmt, "expect", 6) == 0)
		expects++;
}

static uint64_t area_pages(const struct area *a, bool block)
{
	return (a->size + PAGE - 1) / PAGE + (block ? 1 : 0);
}

static uint64_t proc_pages(const struct sproc *p)
{
	uint64_t n = 0;
	for (int i = 0; i < MAX_BLOCKS; i++)
		if (p->block[i].used)
			n += area_pages(&p->block[i], true);
	for (int i = 0; i < MAX_MAPS; i++)
		if (p->map[i].used)
			n += area_pages(&p->map[i], false);
	return n;
}

static int alive_count(void)
{
	int n = 0;
	for (int i = 0; i < MAX_PROCS; i++)
		n += procs[i].alive;
	return n;
}

static void area_drop(struct area *a, bool block)
{
	if (!a->used)
		return;
	used_pages -= area_pages(a, block);
	free(a->data);
	free(a->known);
	memset(a, 0, sizeof *a);
}

static void area_new(struct area *a, uint32_t size, bool block, bool zeroed)
{
	a->used = true;
	a->size = size;
	a->data = calloc(size, 1);
	a->known = malloc(size);
	if (!a->data || !a->known) {
		fprintf(stderr, "soak_gen: out of memory\n");
		exit(1);
	}
	memset(a->known, zeroed, size);
	used_pages += area_pages(a, block);
}

static void area_copy(struct area *to, const struct area *from, bool block)
{
	if (!from->used)
		return;
	area_new(to, from->size, block, false);
	memcpy(to->data, from->data, from->size);
	memcpy(to->known, from->known, from->size);
}

static void proc_drop(int k)
{
	for (int i = 0; i < MAX_BLOCKS; i++)
		area_drop(&procs[k].block[i], true);
	for (int i = 0; i < MAX_MAPS; i++)
		area_drop(&procs[k].map[i], false);
	procs[k].alive = false;
}

static int free_slot(void)
{
	for (int i = 0; i < MAX_PROCS; i++)
		if (!procs[i].alive)
			return i;
	return -1;
}

static int random_alive(void)
{
	int n = alive_count(), pick = (int)rnd((uint32_t)n);
	for (int i = 0; i < MAX_PROCS; i++)
		if (procs[i].alive && pick-- == 0)
			return i;
	return -1;
}

/* Makes slot k the machine's current process. */
static void go(int k)
{
	if (cur == k)
		return;
	emit("proc P%d", k);
	cur = k;
	if (rnd(8) == 0)
		emit("expect pid == P%d", k);
}

/* A used area of slot k: a block (*block set) or a mapping; NULL if none. */
static struct area *random_area(int k, bool *block, int *index)
{
	struct area *cand[MAX_BLOCKS + MAX_MAPS];
	int idx[MAX_BLOCKS + MAX_MAPS], n = 0;
	for (int i = 0; i < MAX_BLOCKS; i++)
		if (procs[k].block[i].used) {
			idx[n] = i;
			cand[n++] = &procs[k].block[i];
		}
	int blocks = n;
	for (int i = 0; i < MAX_MAPS; i++)
		if (procs[k].map[i].used) {
			idx[n] = i;
			cand[n++] = &procs[k].map[i];
		}
	if (!n)
		return NULL;
	int pick = (int)rnd((uint32_t)n);
	*block = pick < blocks;
	*index = idx[pick];
	return cand[pick];
}

static void name_of(char *buf, size_t size, int k, bool block, int i)
{
	snprintf(buf, size, "%c%d_%d", block ? 'h' : 'm', k, i);
}

/* An offset into a, often near a page boundary (where the bugs are). */
static uint32_t random_offset(const struct area *a)
{
	if (a->size > PAGE && rnd(4) == 0) {
		uint32_t edge = (1 + rnd(a->size / PAGE)) * PAGE;
		uint32_t off = edge - 4 + rnd(8);
		return off < a->size ? off : a->size - 1;
	}
	return rnd(a->size);
}

static void op_write_byte(int k)
{
	bool block;
	int i;
	struct area *a = random_area(k, &block, &i);
	if (!a)
		return;
	char name[16];
	name_of(name, sizeof name, k, block, i);
	uint32_t off = random_offset(a);
	uint8_t v = (uint8_t)rnd(256);
	go(k);
	emit("%s[%" PRIu32 "] = %u", name, off, v);
	a->data[off] = v;
	a->known[off] = 1;
}

static void op_write_string(int k)
{
	static const char plain[] = "abcxyzABC0189 ,.;:!?#/[](){}=+-*<>'";
	bool block;
	int i;
	struct area *a = random_area(k, &block, &i);
	if (!a)
		return;
	uint32_t len = 1 + rnd(a->size < 64 ? a->size : 64);
	uint32_t off = len >= a->size ? 0 : random_offset(a);
	if (off + len > a->size)
		off = a->size - len;
	char text[64 * 2 + 1];
	size_t t = 0;
	for (uint32_t j = 0; j < len; j++) {
		uint8_t b;
		switch (rnd(16)) {
		case 0: b = '\n'; text[t++] = '\\'; text[t++] = 'n'; break;
		case 1: b = '\t'; text[t++] = '\\'; text[t++] = 't'; break;
		case 2: b = '\\'; text[t++] = '\\'; text[t++] = '\\'; break;
		case 3: b = '"'; text[t++] = '\\'; text[t++] = '"'; break;
		case 4: b = 0; text[t++] = '\\'; text[t++] = '0'; break;
		default: b = (uint8_t)plain[rnd(sizeof plain - 1)]; text[t++] = (char)b; break;
		}
		a->data[off + j] = b;
		a->known[off + j] = 1;
	}
	text[t] = 0;
	char name[16];
	name_of(name, sizeof name, k, block, i);
	go(k);
	emit("write %s+%" PRIu32 " \"%s\"", name, off, text);
	/* read a few of them back at once */
	for (uint32_t j = 0; j < len && j < 3; j++) {
		uint32_t o = off + rnd(len);
		emit("expect %s[%" PRIu32 "] == %u", name, o, a->data[o]);
	}
}

/* A piece [off, off+len) of a: len from 1 to max, crossing a page edge
 * as often as random_offset picks one. */
static uint32_t random_piece(const struct area *a, uint32_t max, uint32_t *off)
{
	uint32_t len = 1 + rnd(a->size < max ? a->size : max);
	*off = random_offset(a);
	if (*off + len > a->size)
		*off = a->size - len;
	return len;
}

static void op_memset(int k)
{
	bool block;
	int i;
	struct area *a = random_area(k, &block, &i);
	if (!a)
		return;
	uint32_t off, len = random_piece(a, 9000, &off);
	uint8_t v = (uint8_t)rnd(256);
	char name[16];
	name_of(name, sizeof name, k, block, i);
	go(k);
	if (v >= 'a' && v <= 'z')
		emit("memset(%s + %" PRIu32 ", '%c', %" PRIu32 ")", name, off, v, len);
	else
		emit("memset(%s + %" PRIu32 ", %u, %" PRIu32 ")", name, off, v, len);
	memset(a->data + off, v, len);
	memset(a->known + off, 1, len);
	uint32_t o = off + rnd(len);
	emit("expect *(%s + %" PRIu32 ") == %u", name, o, v);
}

/* memcpy between two areas of one process (or two pieces of one area
 * that do not overlap): what the shadow knows of the source, it then knows
 * of the destination. */
static void op_memcpy(int k)
{
	bool db, sb;
	int di, si;
	struct area *d = random_area(k, &db, &di), *src = random_area(k, &sb, &si);
	if (!d || !src)
		return;
	uint32_t soff, len = random_piece(src, 9000, &soff);
	if (len > d->size)
		len = d->size;
	uint32_t doff = rnd(d->size - len + 1);
	if (d == src && doff < soff + len && soff < doff + len)
		return;
	char dn[16], sn[16];
	name_of(dn, sizeof dn, k, db, di);
	name_of(sn, sizeof sn, k, sb, si);
	go(k);
	emit("memcpy(%s + %" PRIu32 ", %s + %" PRIu32 ", %" PRIu32 ")", dn, doff, sn, soff, len);
	memmove(d->data + doff, src->data + soff, len);
	memmove(d->known + doff, src->known + soff, len);
	for (int t = 0; t < 3; t++) {
		uint32_t o = rnd(len);
		if (d->known[doff + o])
			emit("expect %s[%" PRIu32 "] == %u", dn, doff + o, d->data[doff + o]);
	}
}

static void op_strcpy(int k)
{
	static const char plain[] = "abcxyzABC0189 ,.;:!?/[](){}=+-*<>";
	bool block;
	int i;
	struct area *a = random_area(k, &block, &i);
	if (!a)
		return;
	uint32_t off, len = random_piece(a, 40, &off);
	char text[41];
	for (uint32_t j = 0; j + 1 < len; j++)
		text[j] = plain[rnd(sizeof plain - 1)];
	text[len - 1] = 0; /* len bytes with the NUL */
	char name[16];
	name_of(name, sizeof name, k, block, i);
	go(k);
	emit("strcpy(%s + %" PRIu32 ", \"%s\")", name, off, text);
	memcpy(a->data + off, text, len);
	memset(a->known + off, 1, len);
	emit("expect %s[%" PRIu32 "] == 0", name, off + len - 1);
	if (rnd(4) == 0)
		emit("dump %s+%" PRIu32 " %" PRIu32, name, off, len);
}

static void op_check(int k)
{
	bool block;
	int i;
	struct area *a = random_area(k, &block, &i);
	if (!a)
		return;
	for (int tries = 0; tries < 6; tries++) {
		uint32_t off = random_offset(a);
		if (!a->known[off])
			continue;
		char name[16];
		name_of(name, sizeof name, k, block, i);
		go(k);
		emit("expect %s[%" PRIu32 "] == %u", name, off, a->data[off]);
		return;
	}
}

static uint32_t block_size(void)
{
	uint32_t r = rnd(100);
	if (r < 60)
		return 1 + rnd(512);
	if (r < 90)
		return 1 + rnd(8192);
	if (r < 99)
		return 1 + rnd(40000);
	return 100000 + rnd(BIG_BLOCK - 100000); /* mmap'd, or the heap once the threshold grew */
}

static void op_alloc(int k)
{
	int i = (int)rnd(MAX_BLOCKS);
	struct area *a = &procs[k].block[i];
	go(k);
	if (a->used) {
		emit("free(h%d_%d)", k, i);
		area_drop(a, true);
	}
	uint32_t size = block_size();
	if (used_pages + size / PAGE + 2 > budget)
		return;
	if (rnd(4) == 0) {
		uint32_t n = 1 + rnd(16), each = (size / n) ? (size / n) : 1;
		emit("h%d_%d = calloc(%" PRIu32 ", %" PRIu32 ")", k, i, n, each);
		area_new(a, n * each, true, true);
	} else {
		emit("h%d_%d = malloc(%" PRIu32 ")", k, i, size);
		area_new(a, size, true, false); /* malloc's bytes are whatever was there */
	}
}

static void op_free(int k)
{
	int i = (int)rnd(MAX_BLOCKS);
	if (!procs[k].block[i].used)
		return;
	go(k);
	emit("free(h%d_%d)", k, i);
	area_drop(&procs[k].block[i], true);
}

static void op_touch(int k)
{
	bool block;
	int i;
	if (!random_area(k, &block, &i))
		return;
	go(k);
	/* a mapping may have merged with its neighbour: give its length */
	if (block)
		emit("touch h%d_%d", k, i);
	else
		emit("touch m%d_%d %" PRIu32, k, i, procs[k].map[i].size);
}

static void op_mmap(int k)
{
	int i = (int)rnd(MAX_MAPS);
	struct area *a = &procs[k].map[i];
	if (a->used)
		return;
	uint32_t pages = 1 + rnd(MAX_MAP_PAGES);
	if (used_pages + pages > budget)
		return;
	go(k);
	emit("m%d_%d = mmap %" PRIu32 "K rw", k, i, pages * (PAGE / 1024));
	area_new(a, pages * PAGE, false, true);
}

static void op_munmap(int k)
{
	int i = (int)rnd(MAX_MAPS);
	struct area *a = &procs[k].map[i];
	if (!a->used)
		return;
	go(k);
	emit("munmap m%d_%d %" PRIu32, k, i, a->size);
	area_drop(a, false);
}

static void expect_procs(void)
{
	emit("expect procs == %d", alive_count());
}

static void op_fork(int k)
{
	int c = free_slot();
	if (c < 0 || used_pages + proc_pages(&procs[k]) > budget)
		return;
	go(k);
	emit("P%d = fork()", c);
	procs[c].alive = true;
	for (int i = 0; i < MAX_BLOCKS; i++)
		if (procs[k].block[i].used) {
			area_copy(&procs[c].block[i], &procs[k].block[i], true);
			emit("h%d_%d = h%d_%d", c, i, k, i);
		}
	for (int i = 0; i < MAX_MAPS; i++)
		if (procs[k].map[i].used) {
			area_copy(&procs[c].map[i], &procs[k].map[i], false);
			emit("m%d_%d = m%d_%d", c, i, k, i);
		}
	expect_procs();
}

static void op_spawn(void)
{
	int c = free_slot();
	if (c < 0)
		return;
	emit("P%d = spawn soak%d", c, c);
	procs[c].alive = true;
	cur = c;
	expect_procs();
	emit("expect pid == P%d", c);
}

static void op_exit(int k)
{
	go(k);
	emit("exit");
	proc_drop(k);
	cur = -1; /* the machine picks another */
	expect_procs();
}

static void op_kill(int k)
{
	emit("kill P%d", k);
	proc_drop(k);
	if (cur == k)
		cur = -1;
	expect_procs();
	emit("expect alive(P%d) == 0", k);
}

static void usage(void)
{
	fprintf(stderr, "usage: soak_gen [--seed N] [--ops N] [--arch x86_64|x86] [--policy fifo|lru|clock]\n"
			"                [--frames N] [--swap N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	uint64_t seed = 1, ops = 10000, frames = 128, swap = 4096;
	const char *arch = "x86_64", *policy = "clock";
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v)
			usage();
		char *end;
		uint64_t n = strtoull(v, &end, 10);
		bool num = *v && !*end;
		if (strcmp(a, "--seed") == 0 && num)
			seed = n;
		else if (strcmp(a, "--ops") == 0 && num)
			ops = n;
		else if (strcmp(a, "--frames") == 0 && num && n >= 64)
			frames = n;
		else if (strcmp(a, "--swap") == 0 && num)
			swap = n;
		else if (strcmp(a, "--arch") == 0 && (strcmp(v, "x86_64") == 0 || strcmp(v, "x86") == 0))
			arch = v;
		else if (strcmp(a, "--policy") == 0 &&
			 (strcmp(v, "fifo") == 0 || strcmp(v, "lru") == 0 || strcmp(v, "clock") == 0))
			policy = v;
		else
			usage();
		i++;
	}
	uint64_t room = frames - frames / 16 + swap, reserve = MAX_PROCS * RESERVE_PAGES + 64;
	if (room <= reserve + 64) {
		fprintf(stderr, "soak_gen: %" PRIu64 " frames and %" PRIu64 " swap slots leave no room for data\n",
			frames, swap);
		return 2;
	}
	budget = room - reserve;
	rng_state = seed * 0x9e3779b97f4a7c15ull + 1;
	static char buf[1 << 16];
	setvbuf(stdout, buf, _IOFBF, sizeof buf);
	printf("# options: --frames %" PRIu64 " --swap %" PRIu64 " --policy %s --arch %s\n", frames, swap, policy, arch);
	printf("# soak_gen --seed %" PRIu64 " --ops %" PRIu64 " --arch %s --policy %s --frames %" PRIu64
	       " --swap %" PRIu64 ": %" PRIu64 " data pages at most\n",
	       seed, ops, arch, policy, frames, swap, budget);
	/* the machine starts with one process; PIDs count from 100 */
	emit("P0 = 100");
	emit("expect pid == P0");
	procs[0].alive = true;
	cur = 0;
	for (uint64_t n = 0; n < ops; n++) {
		if (alive_count() == 0) {
			op_spawn();
			continue;
		}
		int k = rnd(3) ? (cur >= 0 ? cur : random_alive()) : random_alive();
		uint32_t r = rnd(1000);
		if (r < 230)
			op_write_byte(k);
		else if (r < 290)
			op_write_string(k);
		else if (r < 550)
			op_check(k);
		else if (r < 660)
			op_alloc(k);
		else if (r < 720)
			op_free(k);
		else if (r < 760)
			op_touch(k);
		else if (r < 820)
			op_mmap(k);
		else if (r < 850)
			op_munmap(k);
		else if (r < 870)
			op_fork(k);
		else if (r < 876)
			op_spawn();
		else if (r < 960)
			go(random_alive());
		else if (r < 967 && alive_count() > 1)
			op_exit(k);
		else if (r < 975 && alive_count() > 1)
			op_kill(k);
		else if (r < 980)
			expect_procs();
		else if (r < 987)
			op_memset(k);
		else if (r < 994)
			op_memcpy(k);
		else
			op_strcpy(k);
	}
	/* every byte the shadow knows, read back once more after all the
	 * swapping (a sample of the big areas) */
	for (int k = 0; k < MAX_PROCS; k++) {
		if (!procs[k].alive)
			continue;
		go(k);
		for (int b = 0; b < 2; b++)
			for (int i = 0; i < (b ? MAX_BLOCKS : MAX_MAPS); i++) {
				const struct area *a = b ? &procs[k].block[i] : &procs[k].map[i];
				if (!a->used)
					continue;
				uint32_t step = a->size > 64 ? a->size / 64 : 1;
				for (uint32_t off = rnd(step); off < a->size; off += step)
					if (a->known[off])
						emit("expect %c%d_%d[%" PRIu32 "] == %u", b ? 'h' : 'm', k, i, off, a->data[off]);
			}
	}
	expect_procs();
	/* the point of the budget: the machine swapped, heavily */
	if (ops >= 2000)
		emit("expect evictions > %" PRIu64, ops / 100);
	emit("stats");
	for (int k = 0; k < MAX_PROCS; k++)
		proc_drop(k);
	fflush(stdout);
	fprintf(stderr, "soak_gen: seed %" PRIu64 ", %" PRIu64 " ops: %" PRIu64 " lines, %" PRIu64 " expects\n", seed, ops,
		lines, expects);
	return ferror(stdout) ? 1 : 0;
}
