/* mmap_overcommit0.c - probe: what overcommit mode 0 (the heuristic) refuses on
 * this machine (24 GiB RAM, no swap): only one request larger than RAM +
 * swap, and only for what is charged (private writable, shared). */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/mman.h>
#include <errno.h>
#include <string.h>
int main(void){ size_t g = 1ul<<30;
 void *a = mmap(0, 40*g, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
 printf("40G rw: %s\n", a==MAP_FAILED?strerror(errno):"ok");
 void *b = mmap(0, 40*g, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
 printf("40G r: %s\n", b==MAP_FAILED?strerror(errno):"ok");
 int r = mprotect(b, 40*g, PROT_READ|PROT_WRITE);
 printf("mprotect 40G r->rw: %s\n", r?strerror(errno):"ok");
 void *c = mmap(0, 40*g, PROT_READ, MAP_SHARED|MAP_ANONYMOUS, -1, 0);
 printf("40G r shared: %s\n", c==MAP_FAILED?strerror(errno):"ok");
 void *d = mmap(0, 20*g, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
 void *e = mmap(0, 20*g, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0);
 printf("20G rw twice: %s %s\n", d==MAP_FAILED?strerror(errno):"ok", e==MAP_FAILED?strerror(errno):"ok");
 void *f = mremap(d, 20*g, 40*g, MREMAP_MAYMOVE);
 printf("mremap 20G->40G: %s\n", f==MAP_FAILED?strerror(errno):"ok");
 return 0; }
