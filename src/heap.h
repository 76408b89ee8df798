/* heap.h - a glibc-like allocator over the simulated address space.
 * Small requests come from the brk heap, requests at or above the mmap
 * threshold get their own mapping; numbers from LINUX-FACTS.md. */
#ifndef VMVIZ_HEAP_H
#define VMVIZ_HEAP_H

#include "vm.h"

#define MALLOC_HEADER 16u
#define MMAP_THRESHOLD_INIT (128u * 1024)
#define MMAP_THRESHOLD_MAX (32u * 1024 * 1024)
#define TRIM_THRESHOLD_INIT (128u * 1024)
#define TOP_PAD (128u * 1024)
#define TCACHE_CHUNK 0x290u

void heap_init(struct heap *h);
void heap_destroy(struct heap *h);
int heap_copy(struct heap *dst, const struct heap *src);

/* Returns the user pointer, or 0 with vm->err set. */
vaddr_t vm_malloc(struct vm *vm, int pid, uint64_t size);
vaddr_t vm_calloc(struct vm *vm, int pid, uint64_t n, uint64_t size);
int vm_free_ptr(struct vm *vm, int pid, vaddr_t ptr);
/* The live chunk whose user area contains va, or NULL. */
const struct chunk *heap_find(const struct heap *h, vaddr_t va);

#endif
