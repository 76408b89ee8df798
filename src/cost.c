/* cost.c - the price list of the simulated clock, with where each figure
 * comes from.
 *
 *   DRAM access      100 ns  "main memory reference: 100 ns" in the latency
 *                            table of Jeff Dean's talk (as kept by Peter
 *                            Norvig, "Teach Yourself Programming in Ten
 *                            Years"); a cache hit is far cheaper, vmviz has
 *                            no caches and charges every access as DRAM.
 *   TLB-miss walk    100 ns per level: the walk reads one entry per level
 *                            (Intel SDM vol. 3A, 4.5: four reads for 4-level
 *                            paging, two for 32-bit paging). Real walks often
 *                            hit the caches and cost less (tens of cycles).
 *                            With no TLB simulated (`set tlb 0`, the default)
 *                            every access counts as a TLB hit.
 *   minor fault      1.5 us  measured on this machine (Linux 6.18, Xeon):
 *                            tests/probes/minor_fault_time.c writes one byte
 *                            in each of 16384 fresh anonymous pages, best of
 *                            7 rounds 1519 ns a fault (minor_fault_time.txt).
 *                            Charged for every fault, major ones too (the
 *                            handler's own work, before the disk).
 *   SSD 4 KiB read   100 us  a SATA SSD's 4 KiB random read at queue depth 1
 *                            is 80-100 us; Dean/Norvig's table says 150 us
 *                            ("read 4K randomly from SSD"). NVMe is faster
 *                            (~20 us); vmviz models the common SATA case.
 *   SSD 4 KiB write  100 us  the same order for one synchronous page write.
 *   HDD 4 KiB read     8 ms  a random read is a seek (~4 ms average on a
 *   or write                 7200 rpm disk) plus half a turn (4.2 ms); the
 *                            table's "disk seek: 10 ms" is the same order.
 */
#include "cost.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define DRAM_NS 100u
#define MINOR_FAULT_NS 1500u
#define SSD_IO_NS 100000u
#define HDD_IO_NS 8000000u

uint64_t cost_ns(enum cost_cause cause, enum disk_kind disk, unsigned levels)
{
	switch (cause) {
	case COST_ACCESS:
		return DRAM_NS;
	case COST_WALK:
		return (uint64_t)levels * DRAM_NS;
	case COST_FAULT:
		return MINOR_FAULT_NS;
	case COST_DISK_READ:
	case COST_DISK_WRITE:
		return disk == DISK_HDD ? HDD_IO_NS : SSD_IO_NS;
	case COST_COUNT:
		break;
	}
	return 0;
}

uint64_t clock_charge(struct simclock *c, enum cost_cause cause, unsigned levels)
{
	if ((unsigned)cause >= COST_COUNT)
		return 0;
	uint64_t ns = cost_ns(cause, c->disk, levels);
	c->ns[cause] += ns;
	c->count[cause]++;
	return ns;
}

uint64_t clock_total(const struct simclock *c)
{
	uint64_t t = 0;
	for (int i = 0; i < COST_COUNT; i++)
		t += c->ns[i];
	return t;
}

const char *cost_cause_name(enum cost_cause cause, int zh)
{
	static const char *const names[COST_COUNT][2] = {
		[COST_ACCESS] = {"memory accesses", "内存访问"},
		[COST_WALK] = {"TLB-miss walks", "TLB 未命中查页表"},
		[COST_FAULT] = {"fault handling", "缺页处理"},
		[COST_DISK_READ] = {"disk reads (swap-in, file)", "读磁盘（换入、读文件）"},
		[COST_DISK_WRITE] = {"disk writes (swap-out)", "写磁盘（换出）"},
	};
	return (unsigned)cause < COST_COUNT ? names[cause][zh ? 1 : 0] : "?";
}

const char *disk_name(enum disk_kind disk)
{
	return disk == DISK_HDD ? "hdd" : "ssd";
}

const char *disk_name_zh(enum disk_kind disk)
{
	return disk == DISK_HDD ? "机械硬盘" : "固态硬盘";
}

int disk_parse(const char *name, enum disk_kind *out)
{
	if (strcmp(name, "ssd") == 0)
		*out = DISK_SSD;
	else if (strcmp(name, "hdd") == 0)
		*out = DISK_HDD;
	else
		return -1;
	return 0;
}

const char *clock_format(uint64_t ns, char *buf, size_t size)
{
	/* Three significant digits from microseconds up. */
	static const struct { uint64_t unit; const char *name; } units[] = {
		{1000000000ull, "s"}, {1000000ull, "ms"}, {1000ull, "µs"},
	};
	for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
		if (ns < units[i].unit)
			continue;
		uint64_t whole = ns / units[i].unit, frac = ns % units[i].unit;
		if (whole >= 100)
			snprintf(buf, size, "%" PRIu64 " %s", whole + (frac * 2 >= units[i].unit), units[i].name);
		else if (whole >= 10)
			snprintf(buf, size, "%.1f %s", (double)ns / (double)units[i].unit, units[i].name);
		else
			snprintf(buf, size, "%.2f %s", (double)ns / (double)units[i].unit, units[i].name);
		return buf;
	}
	snprintf(buf, size, "%" PRIu64 " ns", ns);
	return buf;
}
