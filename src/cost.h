/* cost.h - the simulated clock: what each memory access, page walk, fault
 * and disk transfer would cost on a real machine, added up by cause.
 *
 * The engine charges the clock where the work happens (fault.c, reclaim.c);
 * `stats` splits it by cause and the status line shows the total, so a
 * thrashing machine is visibly slow. The figures and where they come from
 * are in cost.c.
 */
#ifndef VMVIZ_COST_H
#define VMVIZ_COST_H

#include <stddef.h>
#include <stdint.h>

enum cost_cause {
	COST_ACCESS,      /* a load or store reaching DRAM */
	COST_WALK,        /* a TLB miss: the MMU reads one entry per level */
	COST_FAULT,       /* the kernel's fault handler (minor faults, and the CPU part of major ones) */
	COST_DISK_READ,   /* a page read from disk: swap-in, file page */
	COST_DISK_WRITE,  /* a page written to swap */
	COST_COUNT
};

enum disk_kind { DISK_SSD, DISK_HDD };

struct simclock {
	enum disk_kind disk;
	uint64_t ns[COST_COUNT];     /* simulated nanoseconds, by cause */
	uint64_t count[COST_COUNT];  /* how many times each was charged */
};

/* The cost of one of cause, in ns (levels: page-table levels of a walk). */
uint64_t cost_ns(enum cost_cause cause, enum disk_kind disk, unsigned levels);
/* Adds one of cause to the clock; returns what it cost. */
uint64_t clock_charge(struct simclock *c, enum cost_cause cause, unsigned levels);
uint64_t clock_total(const struct simclock *c);
/* "memory accesses", "TLB-miss walks", ... (zh: Chinese). */
const char *cost_cause_name(enum cost_cause cause, int zh);
const char *disk_name(enum disk_kind disk);
/* Its Chinese name: 固态硬盘, 机械硬盘. */
const char *disk_name_zh(enum disk_kind disk);
/* Parses "ssd" or "hdd"; -1 if neither. */
int disk_parse(const char *name, enum disk_kind *out);
/* A duration the way people say it: "850 ns", "12.3 µs", "4.56 ms", "1.23 s"
 */
const char *clock_format(uint64_t ns, char *buf, size_t size);

#endif
