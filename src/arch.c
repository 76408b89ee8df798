/* arch.c - the two MMU geometries vmviz simulates. */
#include "arch.h"

#include <string.h>
#include <strings.h>

bool arch_init(struct arch *a, enum arch_kind kind, uint64_t page_size)
{
	if (page_size < 4096 || page_size > 65536 || (page_size & (page_size - 1)))
		return false;
	memset(a, 0, sizeof *a);
	a->kind = kind;
	a->page_size = page_size;
	a->page_shift = (unsigned)__builtin_ctzll(page_size);
	if (kind == ARCH_X86_64) {
		a->name = "x86_64";
		a->levels = 4;
		a->level_bits = 9;
		a->user_top = 0x0000800000000000ull;
		a->kernel_base = 0xffff800000000000ull;
		a->va_limit = 0;
		a->level_names[0] = "PGD";
		a->level_names[1] = "PUD";
		a->level_names[2] = "PMD";
		a->level_names[3] = "PTE";
	} else {
		a->name = "x86";
		a->levels = 2;
		a->level_bits = 10;
		/* A 32-bit process on a 64-bit kernel: TASK_SIZE 0xffffe000;
		 * the kernel lives outside the 32-bit address space. */
		a->user_top = 0xffffe000ull;
		a->kernel_base = 0xffffe000ull;
		a->va_limit = 0x100000000ull;
		a->level_names[0] = "PGD";
		a->level_names[1] = "PTE";
	}
	return true;
}

bool arch_parse(const char *name, enum arch_kind *out)
{
	if (strcasecmp(name, "x86_64") == 0 || strcasecmp(name, "x86-64") == 0 ||
	    strcasecmp(name, "amd64") == 0) {
		*out = ARCH_X86_64;
		return true;
	}
	if (strcasecmp(name, "x86") == 0 || strcasecmp(name, "i386") == 0) {
		*out = ARCH_X86;
		return true;
	}
	return false;
}
