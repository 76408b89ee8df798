/* heap.h - a glibc-like allocator over the simulated address space.
 * Small requests come from the brk heap, requests at or above the mmap
 * threshold get their own mapping; numbers from LINUX-FACTS.md. */
#ifndef VMVIZ_HEAP_H
#define VMVIZ_HEAP_H

#include "vm.h"

#define MMAP_THRESHOLD_INIT (128u * 1024)
#define MMAP_THRESHOLD_MAX (32u * 1024 * 1024)
#define TRIM_THRESHOLD_INIT (128u * 1024)
#define TOP_PAD (128u * 1024)

void heap_init(struct heap *h);
void heap_destroy(struct heap *h);
int heap_copy(struct heap *dst, const struct heap *src);

/* Returns the user pointer, or 0 with vm->err set. */
vaddr_t vm_malloc(struct vm *vm, int pid, uint64_t size);
vaddr_t vm_calloc(struct vm *vm, int pid, uint64_t n, uint64_t size);
int vm_free_ptr(struct vm *vm, int pid, vaddr_t ptr);
/* The live chunk whose user area contains va, or NULL. */
const struct chunk *heap_find(const struct vm *vm, const struct heap *h, vaddr_t va);
/* Where the heap's first chunk (glibc's tcache) starts. */
vaddr_t heap_first_chunk(const struct vm *vm, const struct proc *p);
/* The pointer malloc returned for chunk c. */
vaddr_t heap_chunk_mem(const struct vm *vm, const struct chunk *c);

#endif
