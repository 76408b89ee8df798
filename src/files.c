/* files.c - the few files processes map (the program, libc, ld.so) and
 * their page cache. File bytes are made up but fixed, so they read back the
 * same after a page is dropped and re-read. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void files_init(struct vm *vm)
{
	vm->nfiles = 0;
}

void files_destroy(struct vm *vm)
{
	for (int i = 0; i < vm->nfiles; i++)
		free(vm->files[i].cache);
	vm->nfiles = 0;
}

void files_forget_last(struct vm *vm)
{
	if (vm->nfiles > 0)
		free(vm->files[--vm->nfiles].cache);
}

static uint32_t inode_of(const char *path)
{
	/* Inode numbers as in LINUX-FACTS.md for the files it lists. */
	if (strstr(path, "libc.so"))
		return 332835;
	if (strstr(path, "ld-linux"))
		return 332383;
	if (strcmp(path, "/home/user/a.out") == 0)
		return 10952749;
	uint32_t h = 2166136261u;
	for (const char *c = path; *c; c++)
		h = (h ^ (uint8_t)*c) * 16777619u;
	return 10000000 + h % 1000000;
}

int file_lookup(struct vm *vm, const char *path, uint32_t pages)
{
	for (int i = 0; i < vm->nfiles; i++) {
		struct file *f = &vm->files[i];
		if (strcmp(f->path, path) != 0)
			continue;
		/* Mapped further in than before (a program's later segments):
		 * the file is at least that long. */
		if (pages > f->pages) {
			int32_t *more = realloc(f->cache, sizeof *more * pages);
			if (!more)
				return -1;
			for (uint32_t k = f->pages; k < pages; k++)
				more[k] = -1;
			f->cache = more;
			f->pages = pages;
		}
		return i;
	}
	if (vm->nfiles == FILE_MAX)
		return -1;
	struct file *f = &vm->files[vm->nfiles];
	f->cache = malloc(sizeof *f->cache * (pages ? pages : 1));
	if (!f->cache)
		return -1;
	for (uint32_t i = 0; i < pages; i++)
		f->cache[i] = -1;
	snprintf(f->path, sizeof f->path, "%s", path);
	f->id = inode_of(path);
	f->pages = pages;
	return vm->nfiles++;
}

void file_fill_page(const struct vm *vm, int file, uint32_t page, uint8_t *out)
{
	uint64_t x = ((uint64_t)vm->files[file].id << 32) ^ page ^ 0x9e3779b97f4a7c15ull;
	for (uint64_t i = 0; i < vm->arch.page_size; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(out + i, &x, 8);
	}
	if (page == 0)
		memcpy(out, "\177ELF\002\001\001", 7);
}
