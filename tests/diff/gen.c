/* gen.c - random vmviz command sequences for the differential harness:
 * seeded and reproducible (its own generator, not libc's rand), valid by
 * construction (no double free, no access outside a live block).
 *
 * Usage: diff_gen SEED [--steps N] [--ops basic|extended]
 * basic: malloc, free, touch, p[i] = v, x = p[i], mmap, munmap (what vmviz
 * has today); extended adds calloc, realloc and mprotect.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE 4096u
#define MAXV 48

struct block {
	char name[16];
	uint64_t size;  /* the request, or the mapping's length */
	int mapped;     /* from mmap */
	int live;       /* may be freed / unmapped */
	int accessible; /* may be read and written */
};

static uint64_t rng_state;

/* splitmix64: the same sequence on every machine and libc. */
static uint64_t rnd(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [lo, hi]. */
static uint64_t range(uint64_t lo, uint64_t hi)
{
	return lo + rnd() % (hi - lo + 1);
}

/* Request sizes dense where glibc changes behaviour: fastbin chunks (up to
 * 0x80, requests <= 120), tcache (requests <= 1032), page boundaries, the
 * 128 KiB mmap threshold; then anything up to 4 MiB. */
static uint64_t malloc_size(void)
{
	static const int64_t edge[] = {-24, -17, -16, -9, -8, -1, 0, 1, 8, 9, 16, 24};
	int64_t e = edge[rnd() % (sizeof edge / sizeof *edge)];
	switch (rnd() % 10) {
	case 0: case 1: return range(1, 136);
	case 2: return (uint64_t)(rnd() % 2 ? 120 : 1032) + (uint64_t)e;
	case 3: return range(137, 1100);
	case 4: return range(1, 8) * PAGE + (uint64_t)e;
	case 5: return (128u << 10) + (uint64_t)e;
	case 6: return range(124u << 10, 140u << 10);
	case 7: return range(1100, 128u << 10);
	default: return range(128u << 10, 4u << 20);
	}
}

static uint64_t mmap_size(void)
{
	switch (rnd() % 5) {
	case 0: return range(1, 4) * PAGE;
	case 1: return range(1, 20000);
	case 2: return range(5, 64) * PAGE;
	case 3: return range(65, 1024) * PAGE;
	default: return (rnd() % 2 ? 2u << 20 : 1u << 20) + (rnd() % 2 ? 0 : PAGE);
	}
}

static uint64_t pages(uint64_t len)
{
	return (len + PAGE - 1) / PAGE;
}

/* A random block matching the wanted kind (-1: any), or NULL. */
static struct block *pick(struct block *b, int n, int mapped, int need_access)
{
	int idx[MAXV], k = 0;
	for (int i = 0; i < n; i++)
		if (b[i].live && (mapped < 0 || b[i].mapped == mapped) && (!need_access || b[i].accessible))
			idx[k++] = i;
	return k ? &b[idx[rnd() % (uint64_t)k]] : NULL;
}

/* A slot for a new block, named p<slot> or m<slot>: a fresh one while
 * there are, then one whose block is gone (so long sequences never run
 * out); NULL if every block is still live. */
static struct block *new_block(struct block *b, int *n, char kind)
{
	int i = *n;
	if (i == MAXV)
		for (i = 0; i < MAXV && b[i].live; i++)
			;
	if (i == MAXV)
		return NULL;
	if (i == *n)
		(*n)++;
	snprintf(b[i].name, sizeof b[i].name, "%c%d", kind, i);
	return &b[i];
}

static void size_text(uint64_t n, char *buf, size_t len)
{
	if (n >= 1024 && n % (1u << 20) == 0)
		snprintf(buf, len, "%" PRIu64 "M", n >> 20);
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, len, "%" PRIu64 "K", n >> 10);
	else
		snprintf(buf, len, "%" PRIu64, n);
}

/* One step; returns 0 if the chosen kind had nothing to act on. */
static int step(struct block *b, int *n, int extended)
{
	char s1[32];
	struct block *v;
	unsigned op = (unsigned)(rnd() % (extended ? 100 : 86));
	if (op < 30 || (op >= 86 && op < 91)) { /* malloc, calloc */
		if (!(v = new_block(b, n, 'p')))
			return 0;
		v->mapped = 0;
		v->live = v->accessible = 1;
		if (op < 30) {
			v->size = malloc_size();
			size_text(v->size, s1, sizeof s1);
			printf("%s = malloc(%s)\n", v->name, s1);
		} else {
			uint64_t each = rnd() % 2 ? range(1, 64) : malloc_size();
			uint64_t count = each > 4096 ? range(1, 4) : range(1, 64);
			v->size = each * count;
			size_text(each, s1, sizeof s1);
			printf("%s = calloc(%" PRIu64 ", %s)\n", v->name, count, s1);
		}
		return 1;
	}
	if (op < 48) { /* free */
		if (!(v = pick(b, *n, 0, 0)))
			return 0;
		printf("free(%s)\n", v->name);
		v->live = 0;
		return 1;
	}
	if (op < 58) { /* touch */
		if (!(v = pick(b, *n, -1, 1)))
			return 0;
		uint64_t off = rnd() % 3 ? 0 : rnd() % v->size;
		uint64_t len = rnd() % 2 ? v->size - off : range(1, v->size - off);
		if (off == 0 && len == v->size && !v->mapped) {
			printf("touch %s\n", v->name);
			return 1;
		}
		size_text(len, s1, sizeof s1);
		if (off)
			printf("touch %s+%" PRIu64 " %s\n", v->name, off, s1);
		else
			printf("touch %s %s\n", v->name, s1);
		return 1;
	}
	if (op < 66) { /* write */
		if (!(v = pick(b, *n, -1, 1)))
			return 0;
		printf("%s[%" PRIu64 "] = %" PRIu64 "\n", v->name, rnd() % v->size, range(1, 255));
		return 1;
	}
	if (op < 72) { /* read */
		if (!(v = pick(b, *n, -1, 1)))
			return 0;
		printf("x = %s[%" PRIu64 "]\n", v->name, rnd() % v->size);
		return 1;
	}
	if (op < 79) { /* mmap */
		if (!(v = new_block(b, n, 'm')))
			return 0;
		v->mapped = v->live = v->accessible = 1;
		v->size = mmap_size();
		size_text(v->size, s1, sizeof s1);
		printf("%s = mmap(%s, rw)\n", v->name, s1);
		return 1;
	}
	if (op < 86 || op >= 96) { /* munmap, mprotect: whole, or some of its pages */
		if (!(v = pick(b, *n, 1, 0)))
			return 0;
		char s2[48];
		uint64_t np = pages(v->size), first = 0, count = np;
		if (rnd() % 2 && np > 1) {
			first = rnd() % np;
			count = range(1, np - first);
		}
		size_text(count * PAGE, s1, sizeof s1);
		snprintf(s2, sizeof s2, "%s+%" PRIu64, v->name, first * PAGE);
		if (op < 86) {
			printf("munmap %s %s\n", first ? s2 : v->name, s1);
			v->live = v->accessible = 0; /* what is left stays mapped */
		} else {
			static const char *const prot[] = {"r", "none", "rw"};
			const char *p = prot[rnd() % 3];
			printf("mprotect %s %s %s\n", first ? s2 : v->name, s1, p);
			v->accessible = v->accessible && strcmp(p, "rw") == 0;
		}
		return 1;
	}
	/* realloc */
	if (!(v = pick(b, *n, 0, 0)))
		return 0;
	v->size = malloc_size();
	size_text(v->size, s1, sizeof s1);
	printf("%s = realloc(%s, %s)\n", v->name, v->name, s1);
	return 1;
}

int main(int argc, char **argv)
{
	int steps = 30, extended = 0;
	if (argc < 2) {
		fprintf(stderr, "usage: diff_gen SEED [--steps N] [--ops basic|extended]\n");
		return 2;
	}
	rng_state = strtoull(argv[1], NULL, 10);
	for (int i = 2; i + 1 < argc; i += 2) {
		if (strcmp(argv[i], "--steps") == 0)
			steps = atoi(argv[i + 1]);
		else if (strcmp(argv[i], "--ops") == 0)
			extended = strcmp(argv[i + 1], "extended") == 0;
	}
	struct block b[MAXV];
	int n = 0;
	memset(b, 0, sizeof b);
	printf("# diff_gen %s --steps %d --ops %s\n", argv[1], steps, extended ? "extended" : "basic");
	for (int done = 0; done < steps;)
		done += step(b, &n, extended);
	return 0;
}
