/* cmd_mem.c - commands that allocate and touch memory. */
#include "commands.h"
#include "expr.h"
#include "heap.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* After an allocator call on pid: the process may not have survived it
 * (glibc aborted, or a corrupted pointer made it fault). Returns true if
 * it died, having said how, like a shell would. */
static bool alloc_died(struct session *s, int pid)
{
	if (vm_proc(s->vm, pid))
		return false;
	if (strncmp(s->vm->err, "SIGSEGV", 7) == 0 || strncmp(s->vm->err, "out of memory", 13) == 0) {
		cmd_report_fault(s, s->vm->err[0] == 'S' ? FAULT_SEGV : FAULT_OOM, pid);
		return true;
	}
	s->died = true;
	s->last_fault = FAULT_NONE;
	if (strstr(s->vm->err, "looped in glibc's lists")) {
		sb_printf(&s->out, TR(s, "Killed: %s\n", "已杀死：%s（glibc 的空闲链表被破坏成了环）\n"), s->vm->err);
		return true;
	}
	if (s->lang == LANG_ZH)
		sb_printf(&s->out, "%s\n已放弃（Aborted）：进程 %d 被 SIGABRT 杀死（glibc 发现堆被破坏）\n", s->vm->err, pid);
	else
		sb_printf(&s->out, "%s\nAborted: process %d killed by SIGABRT (glibc found its heap corrupted)\n", s->vm->err,
			  pid);
	return true;
}

/* The pointer an allocation returned (NULL is a result too), or the
 * process's death, or an error. */
static int alloc_result(struct session *s, int pid, vaddr_t p)
{
	if (alloc_died(s, pid))
		return 0;
	if (!p && s->vm->err[0])
		return cmd_error(s, "%s", s->vm->err);
	cmd_result(s, p, true);
	return 0;
}

CMD(malloc)
{
	uint64_t size;
	if (argc != 2)
		return cmd_usage(s, "malloc");
	if (cmd_size(s, argv[1], &size) < 0 || !current_proc(s))
		return -1;
	int pid = s->vm->cur;
	return alloc_result(s, pid, vm_malloc(s->vm, pid, size));
}

CMD(calloc)
{
	uint64_t n, size;
	if (argc != 3)
		return cmd_usage(s, "calloc");
	if (cmd_size(s, argv[1], &n) < 0 || cmd_size(s, argv[2], &size) < 0 || !current_proc(s))
		return -1;
	int pid = s->vm->cur;
	return alloc_result(s, pid, vm_calloc(s->vm, pid, n, size));
}

CMD(realloc)
{
	uint64_t ptr, size;
	if (argc != 3)
		return cmd_usage(s, "realloc");
	if (cmd_addr(s, argv[1], &ptr) < 0 || cmd_size(s, argv[2], &size) < 0 || !current_proc(s))
		return -1;
	int pid = s->vm->cur;
	return alloc_result(s, pid, vm_realloc(s->vm, pid, ptr, size));
}

/* memalign ALIGN SIZE; aligned_alloc is the same function in glibc 2.36. */
CMD(memalign)
{
	uint64_t align, size;
	if (argc != 3)
		return cmd_usage(s, argv[0]);
	if (cmd_size(s, argv[1], &align) < 0 || cmd_size(s, argv[2], &size) < 0 || !current_proc(s))
		return -1;
	int pid = s->vm->cur;
	return alloc_result(s, pid, vm_memalign(s->vm, pid, align, size));
}

CMD(free)
{
	uint64_t ptr;
	if (argc != 2)
		return cmd_usage(s, "free");
	if (cmd_addr(s, argv[1], &ptr) < 0 || !current_proc(s))
		return -1;
	int pid = s->vm->cur;
	if (vm_free_ptr(s->vm, pid, ptr) < 0)
		return cmd_error(s, "%s", s->vm->err);
	alloc_died(s, pid);
	return 0;
}

/* Decodes a quoted string with C escapes into out; returns its length. */
int cmd_unquote(struct session *s, const char *text, uint8_t *out, size_t max)
{
	size_t n = 0;
	for (const char *c = text + 1; *c && *c != '"'; c++) {
		uint8_t b = (uint8_t)*c;
		if (*c == '\\') {
			c++;
			switch (*c) {
			case 'n': b = '\n'; break;
			case 't': b = '\t'; break;
			case '0': b = 0; break;
			case '\\': b = '\\'; break;
			case '"': b = '"'; break;
			default:
				return cmd_error(s, TR(s, "unknown escape '\\%c' in string", "字符串里有不认识的转义 '\\%c'"),
						 *c ? *c : ' ');
			}
		}
		if (n == max)
			return cmd_error(s, TR(s, "string too long (at most %zu bytes)", "字符串太长（最多 %zu 字节）"), max);
		out[n++] = b;
	}
	return (int)n;
}

CMD(write)
{
	uint64_t addr, value;
	uint8_t bytes[512];
	int len = 1;
	if (argc != 3)
		return cmd_usage(s, "write");
	if (cmd_addr(s, argv[1], &addr) < 0)
		return -1;
	if (argv[2][0] == '"') {
		if ((len = cmd_unquote(s, argv[2], bytes, sizeof bytes)) < 0)
			return -1;
		if (len == 0)
			return cmd_error(s, "%s", TR(s, "empty string: nothing to write", "空字符串：没有可写的内容"));
	} else {
		if (cmd_value(s, argv[2], &value) < 0)
			return -1;
		if (value > 255) /* a negative value reads back as typed */
			return cmd_error(s, TR(s, "value %" PRId64 " does not fit in a byte (0..255)", "值 %" PRId64 " 放不进一个字节（0..255）"),
					 (int64_t)value);
		bytes[0] = (uint8_t)value;
	}
	if (!current_proc(s))
		return -1;
	int pid = s->vm->cur;
	uint64_t min0 = vm_proc(s->vm, pid)->minflt, maj0 = vm_proc(s->vm, pid)->majflt;
	enum fault_kind k = FAULT_NONE;
	if (len == 1) {
		k = vm_access(s->vm, pid, addr, true, bytes);
	} else if (vm_write_buf(s->vm, pid, addr, bytes, (uint64_t)len) < 0) {
		k = s->vm->last.fault;
	} else {
		struct proc *p = vm_proc(s->vm, pid);
		k = p->majflt > maj0 ? FAULT_MAJOR : p->minflt > min0 ? FAULT_MINOR : FAULT_NONE;
	}
	cmd_report_fault(s, k, pid);
	return 0;
}

CMD(read)
{
	uint64_t addr;
	if (argc == 3 && s->assign_to) {
		/* refused before the load: a failed line changes nothing */
		snprintf(s->err, sizeof s->err,
			 TR(s, "'read ADDR LEN' shows a string and gives no value to assign to %s (x = read ADDR loads one byte)",
			    "'read ADDR LEN' 只显示字符串，没有可以赋给 %s 的值（x = read ADDR 读一个字节）"),
			 s->assign_to);
		return -1;
	}
	if (argc == 3)
		return cmd_read_bytes(s, argc, argv);
	if (argc != 2)
		return cmd_usage(s, "read");
	if (cmd_addr(s, argv[1], &addr) < 0 || !current_proc(s))
		return -1;
	int pid = s->vm->cur;
	uint8_t byte = 0;
	enum fault_kind k = vm_access(s->vm, pid, addr, false, &byte);
	cmd_report_fault(s, k, pid);
	if (k != FAULT_SEGV && k != FAULT_OOM)
		cmd_result(s, byte, false);
	return 0;
}

/* "CMD ADDR [LEN]" for the current process. Without LEN: to the end of the
 * malloc'd block at ADDR (when blocks count) or of its VMA. */
static int parse_range(struct session *s, int argc, char **argv, bool blocks, struct proc **pp, uint64_t *addr,
		       uint64_t *len)
{
	*len = 0;
	if (argc != 2 && argc != 3)
		return cmd_usage(s, argv[0]);
	if (cmd_addr(s, argv[1], addr) < 0 || (argc == 3 && cmd_size(s, argv[2], len) < 0))
		return -1;
	struct proc *p = *pp = current_proc(s);
	if (!p || argc == 3)
		return p ? 0 : -1;
	struct chunk c;
	bool in_block = blocks && heap_find(s->vm, p, *addr, &c);
	const struct vma *v = vm_find_vma(p, *addr);
	uint64_t mapped = session_mapping_len(s, *addr);
	if (in_block)
		*len = heap_chunk_mem(s->vm, &c) + c.request - *addr;
	else if (v && mapped)
		*len = mapped; /* what mmap made there, whatever it merged with */
	else if (v)
		*len = v->end - *addr;
	else
		return cmd_error(s, TR(s, "%s: nothing is mapped at 0x%" PRIx64 "%s", "%s：0x%" PRIx64 " 处没有任何映射%s"),
				 argv[0], *addr, !blocks ? "" : TR(s, " (give a length)", "（请给出长度）"));
	return 0;
}

#define TOUCH_MAX_PAGES (4u << 20)

CMD(touch)
{
	uint64_t addr, len;
	struct proc *p;
	if (parse_range(s, argc, argv, true, &p, &addr, &len) < 0)
		return -1;
	if (len == 0)
		return cmd_error(s, "%s", TR(s, "touch: length must be greater than 0", "touch：长度必须大于 0"));
	/* Each page is a fault to simulate: keep one command within seconds. */
	if (len / s->vm->arch.page_size > TOUCH_MAX_PAGES)
		return cmd_error(s,
				 TR(s, "touch: at most %u pages at once (%" PRIu64 " asked)",
				    "touch：一次最多 %u 个页（要求了 %" PRIu64 " 个）"),
				 TOUCH_MAX_PAGES, len / s->vm->arch.page_size);
	int pid = p->pid;
	uint64_t min0 = p->minflt, maj0 = p->majflt;
	const struct arch *a = &s->vm->arch;
	uint64_t pages = 0;
	enum fault_kind k = FAULT_NONE;
	/* One write per page keeps each byte as it was: touch dirties pages,
	 * it does not change data. */
	for (vaddr_t va = addr; va < addr + len && va >= addr; va = PAGE_DOWN(a, va) + a->page_size) {
		uint8_t byte = 0;
		vm_peek(s->vm, pid, va, &byte);
		k = vm_access(s->vm, pid, va, true, &byte);
		if (k == FAULT_SEGV || k == FAULT_OOM)
			break;
		pages++;
	}
	cmd_report_fault(s, k, pid);
	if ((p = vm_proc(s->vm, pid)) != NULL) {
		if (s->lang == LANG_ZH)
			sb_printf(&s->out, "访问了 %" PRIu64 " 个页：次缺页 %" PRIu64 " 次，主缺页 %" PRIu64 " 次\n", pages,
				  p->minflt - min0, p->majflt - maj0);
		else
			sb_printf(&s->out, "touched %" PRIu64 " page%s: %" PRIu64 " minor, %" PRIu64 " major faults\n", pages,
				  pages == 1 ? "" : "s", p->minflt - min0, p->majflt - maj0);
		s->last_fault = p->majflt > maj0 ? FAULT_MAJOR : p->minflt > min0 ? FAULT_MINOR : FAULT_NONE;
	}
	return 0;
}

bool cmd_parse_prot(const char *text, unsigned *prot)
{
	static const struct { const char *name; unsigned prot; } names[] = {
		{"r", PROT_R}, {"rw", PROT_R | PROT_W}, {"rx", PROT_R | PROT_X},
		{"rwx", PROT_R | PROT_W | PROT_X}, {"none", 0}, {"w", PROT_R | PROT_W},
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(text, names[i].name) == 0) {
			*prot = names[i].prot;
			return true;
		}
	return false;
}

CMD(mmap)
{
	uint64_t len;
	unsigned prot = PROT_R | PROT_W, flags = 0;
	char path[VM_NAME_MAX] = "";
	if (argc < 2 || argc > 5)
		return cmd_usage(s, "mmap");
	if (cmd_size(s, argv[1], &len) < 0)
		return -1;
	for (int i = 2; i < argc; i++) {
		if (argv[i][0] == '"') {
			int n = cmd_unquote(s, argv[i], (uint8_t *)path, sizeof path - 1);
			if (n < 0)
				return -1;
			path[n] = 0;
			if (n == 0 || memchr(path, 0, (size_t)n) || path[0] != '/')
				return cmd_error(s,
						 TR(s, "mmap: the file must be an absolute path, as /proc/PID/maps shows it (\"/data/file\")",
						    "mmap：文件要写成绝对路径，和 /proc/PID/maps 里一样（\"/data/file\"）"));
		} else if (strcmp(argv[i], "shared") == 0)
			flags |= VMA_SHARED;
		else if (strcmp(argv[i], "private") == 0)
			flags &= ~VMA_SHARED;
		else if (!cmd_parse_prot(argv[i], &prot))
			return cmd_error(s,
					 TR(s, "mmap: unknown protection or flag '%s' (r, rw, rx, rwx, none, shared)",
					    "mmap：不认识的权限或标志 '%s'（可用 r、rw、rx、rwx、none、shared）"),
					 argv[i]);
	}
	if (!current_proc(s))
		return -1;
	if (len > (1ull << 40))
		return cmd_error(s,
				 TR(s, "mmap: %" PRIu64 " bytes is more than vmviz's 1 TiB limit",
				    "mmap：%" PRIu64 " 字节超过了 vmviz 的 1 TiB 上限"),
				 len);
	vaddr_t addr = path[0] ? vm_mmap_file(s->vm, s->vm->cur, len, prot, flags, path)
			       : vm_mmap(s->vm, s->vm->cur, len, prot, flags, "");
	if (!addr)
		return cmd_error(s, "%s", s->vm->err);
	session_note_mapping(s, addr, PAGE_UP(&s->vm->arch, len));
	cmd_result(s, addr, true);
	return 0;
}

CMD(munmap)
{
	uint64_t addr, len;
	struct proc *p;
	if (parse_range(s, argc, argv, false, &p, &addr, &len) < 0)
		return -1;
	if (vm_munmap(s->vm, p->pid, addr, len) < 0)
		return cmd_error(s, "%s", s->vm->err);
	for (int i = s->nmaps; i-- > 0;)
		if (s->maps[i].addr >= addr && s->maps[i].addr - addr < len)
			session_note_mapping(s, s->maps[i].addr, 0);
	return 0;
}

CMD(brk)
{
	uint64_t v;
	if (argc != 2)
		return cmd_usage(s, "brk");
	struct proc *p = current_proc(s);
	if (!p)
		return -1;
	const char *arg = argv[1];
	bool rel = arg[0] == '+' || arg[0] == '-';
	if (cmd_size(s, rel ? arg + 1 : arg, &v) < 0)
		return -1;
	vaddr_t target = !rel ? v : arg[0] == '+' ? p->brk + v : p->brk - v;
	if (rel && arg[0] == '-' && v > p->brk - p->start_brk)
		return cmd_error(s, "%s", TR(s, "brk: cannot shrink the heap below its start", "brk：堆不能缩到起始地址以下"));
	if (p->heap.initialised && target < p->heap.top)
		return cmd_error(s,
				 TR(s, "brk: malloc's heap still uses memory up to 0x%" PRIx64,
				    "brk：malloc 的堆还在使用 0x%" PRIx64 " 以下的内存"),
				 p->heap.top);
	if (vm_brk(s->vm, p->pid, target) < 0)
		return cmd_error(s, "%s", s->vm->err);
	cmd_result(s, target, true);
	return 0;
}
