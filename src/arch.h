/* arch.h - address geometry of the simulated MMU, and PTE bit layout.
 *
 * x86-64 (4 levels, 48-bit):           x86 (2 levels, 32-bit, no PAE):
 *  47    39 38    30 29    21 20    12 11      0    31    22 21    12 11     0
 * +--------+--------+--------+--------+---------+  +--------+--------+--------+
 * |  PGD   |  PUD   |  PMD   |  PTE   | offset  |  |  PGD   |  PTE   | offset |
 * +--------+--------+--------+--------+---------+  +--------+--------+--------+
 *
 * A PTE is stored as x86 bits: 0 P, 1 R/W, 2 U/S, 5 A, 6 D, 12..51 frame
 * number, 63 NX. A swapped-out page is not present, has SWAP set (a software
 * bit, as Linux uses) and holds the swap slot where the frame number goes.
 */
#ifndef VMVIZ_ARCH_H
#define VMVIZ_ARCH_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t vaddr_t;
typedef uint64_t pte_t;

#define PTE_P    (1ull << 0)
#define PTE_W    (1ull << 1)
#define PTE_U    (1ull << 2)
#define PTE_A    (1ull << 5)
#define PTE_D    (1ull << 6)
#define PTE_SWAP (1ull << 9)
#define PTE_NX   (1ull << 63)
#define PTE_NUM_SHIFT 12
#define PTE_NUM_MASK  0x000ffffffffff000ull

#define PTE_NUM(pte)      ((uint64_t)(((pte) & PTE_NUM_MASK) >> PTE_NUM_SHIFT))
#define PTE_MAKE(num, fl) (((((uint64_t)(num)) << PTE_NUM_SHIFT) & PTE_NUM_MASK) | (fl))
#define PTE_PRESENT(pte)  (((pte) & PTE_P) != 0)
#define PTE_SWAPPED(pte)  (!PTE_PRESENT(pte) && ((pte) & PTE_SWAP))

enum arch_kind { ARCH_X86_64, ARCH_X86 };

#define ARCH_MAX_LEVELS 4

struct arch {
	enum arch_kind kind;
	const char *name;
	unsigned levels;       /* page-table levels */
	unsigned level_bits;   /* index bits per level */
	unsigned page_shift;   /* log2(page size) */
	uint64_t page_size;
	vaddr_t user_top;      /* first address that is not user space */
	vaddr_t kernel_base;   /* first kernel address */
	vaddr_t va_limit;      /* one past the highest address (0 = 2^64) */
	const char *level_names[ARCH_MAX_LEVELS]; /* root first: PGD, PUD, PMD, PTE */
};

/* Fills *a for kind and page size; returns false if page_size is not a power
 * of two between 4 KiB and 64 KiB (smaller pages would leave
 * part of the address space without a table level). */
bool arch_init(struct arch *a, enum arch_kind kind, uint64_t page_size);
bool arch_parse(const char *name, enum arch_kind *out);

/* Index into the table at depth (0 = root) for va. */
static inline unsigned arch_index(const struct arch *a, unsigned depth, vaddr_t va)
{
	unsigned shift = a->page_shift + a->level_bits * (a->levels - 1 - depth);
	return (unsigned)((va >> shift) & ((1u << a->level_bits) - 1));
}

#define VPN(a, va)       ((va) >> (a)->page_shift)
#define PAGE_OFF(a, va)  ((va) & ((a)->page_size - 1))
#define PAGE_DOWN(a, va) ((va) & ~((a)->page_size - 1))
#define PAGE_UP(a, va)   PAGE_DOWN(a, (va) + (a)->page_size - 1)

#endif
