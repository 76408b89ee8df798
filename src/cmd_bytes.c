/* cmd_bytes.c - the bytes in memory: dump (xxd's format), read ADDR LEN, and
 * the string functions memset, memcpy and strcpy, all going through the MMU
 * page by page as a real process's loads and stores do. */
#include "commands.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Longest dump or read: a screenful of xxd is 64 bytes; 4 KiB is a page. */
#define DUMP_MAX 4096u
#define DUMP_DEFAULT 64u
/* Longest memset / memcpy: each page is simulated, keep a command quick. */
#define BYTES_MAX (64ull << 20)

/* Is every byte of [va, va+len) readable by pid (mapped, PROT_R, not a
 * [vvar]-like page)? If not, *bad is the first byte that is not. */
static bool range_readable(const struct vm *vm, int pid, vaddr_t va, uint64_t len, vaddr_t *bad)
{
	const struct proc *p = vm_proc(vm, pid);
	const struct arch *a = &vm->arch;
	for (vaddr_t at = va; at - va < len; at = PAGE_DOWN(a, at) + a->page_size) {
		const struct vma *v = vm_find_vma(p, at);
		if (at >= a->user_top || !v || !(v->prot & PROT_R) || (v->flags & VMA_SPECIAL)) {
			*bad = at;
			return false;
		}
	}
	return true;
}

/* One line of xxd: the address, 16 bytes as 8 groups of 2, the ASCII. */
static void xxd_line(struct strbuf *out, vaddr_t addr, const uint8_t *b, size_t n)
{
	char hex[48], text[17];
	size_t h = 0;
	for (size_t i = 0; i < 16; i++) {
		h += (size_t)snprintf(hex + h, sizeof hex - h, i < n ? "%02x" : "  ", b[i < n ? i : 0]);
		if (i % 2 == 1 && i < 15)
			hex[h++] = ' ';
		if (i < n)
			text[i] = b[i] >= 0x20 && b[i] < 0x7f ? (char)b[i] : '.';
	}
	hex[h] = 0;
	text[n] = 0;
	sb_printf(out, "%08" PRIx64 ": %s  %s\n", addr, hex, text);
}

void bytes_xxd(struct strbuf *out, vaddr_t addr, const uint8_t *bytes, size_t len)
{
	for (size_t o = 0; o < len; o += 16)
		xxd_line(out, addr + o, bytes + o, len - o < 16 ? len - o : 16);
}

/* After a run of accesses by pid: what happened, as `write` reports it. */
static void report(struct session *s, int pid, uint64_t min0, uint64_t maj0, int rc)
{
	const struct proc *p = vm_proc(s->vm, pid);
	enum fault_kind k = rc < 0 ? s->vm->last.fault
			    : !p	      ? FAULT_NONE
			    : p->majflt > maj0 ? FAULT_MAJOR
			    : p->minflt > min0 ? FAULT_MINOR
					       : FAULT_NONE;
	cmd_report_fault(s, k, pid);
}

/* "CMD ADDR [LEN]" for dump and read: LEN within 1..DUMP_MAX. */
static int parse_bytes(struct session *s, int argc, char **argv, uint64_t dflt, uint64_t *addr, uint64_t *len)
{
	*len = dflt;
	if (argc != 2 && argc != 3)
		return cmd_usage(s, argv[0]);
	if (cmd_addr(s, argv[1], addr) < 0 || (argc == 3 && cmd_size(s, argv[2], len) < 0))
		return -1;
	if (*len == 0 || *len > DUMP_MAX)
		return cmd_error(s,
				 TR(s, "%s: length must be 1 to %u bytes, not %" PRIu64,
				    "%s：长度必须在 1 到 %u 字节之间，不能是 %" PRIu64),
				 argv[0], DUMP_MAX, *len);
	if (*addr + *len < *addr)
		return cmd_error(s, TR(s, "%s: 0x%" PRIx64 " + %" PRIu64 " runs past the end of the address space",
				       "%s：0x%" PRIx64 " + %" PRIu64 " 超出了地址空间的末尾"),
				 argv[0], *addr, *len);
	return current_proc(s) ? 0 : -1;
}

/* dump ADDR [LEN]: as the process's write(1, ADDR, LEN) would see memory.
 * The kernel reads the user pages as a load does (an untouched anonymous
 * page maps the zero page, a swapped one is read back), and a byte that is
 * not readable is EFAULT: nothing is read, the process lives on. */
CMD(dump)
{
	uint64_t addr, len;
	if (parse_bytes(s, argc, argv, DUMP_DEFAULT, &addr, &len) < 0)
		return -1;
	int pid = s->vm->cur;
	vaddr_t bad;
	if (!range_readable(s->vm, pid, addr, len, &bad))
		return cmd_error(s,
				 TR(s, "dump: 0x%" PRIx64 " is not readable (EFAULT): nothing read",
				    "dump：0x%" PRIx64 " 不可读（EFAULT）：什么也没读"),
				 bad);
	uint8_t bytes[DUMP_MAX];
	struct proc *p = vm_proc(s->vm, pid);
	uint64_t min0 = p->minflt, maj0 = p->majflt;
	int rc = vm_read_buf(s->vm, pid, addr, bytes, len);
	report(s, pid, min0, maj0, rc);
	if (rc == 0)
		bytes_xxd(&s->out, addr, bytes, len);
	return 0;
}

/* read ADDR LEN: the program loads LEN bytes; they are shown as a C string. */
int cmd_read_bytes(struct session *s, int argc, char **argv)
{
	uint64_t addr, len;
	if (parse_bytes(s, argc, argv, 1, &addr, &len) < 0)
		return -1;
	int pid = s->vm->cur;
	uint8_t bytes[DUMP_MAX];
	struct proc *p = vm_proc(s->vm, pid);
	uint64_t min0 = p->minflt, maj0 = p->majflt;
	int rc = vm_read_buf(s->vm, pid, addr, bytes, len);
	report(s, pid, min0, maj0, rc);
	if (rc < 0)
		return 0;
	sb_printf(&s->out, "%s[0..%" PRIu64 "] = \"", argv[1], len - 1);
	for (uint64_t i = 0; i < len; i++) {
		uint8_t b = bytes[i];
		if (b == '"' || b == '\\')
			sb_printf(&s->out, "\\%c", b);
		else if (b == '\n')
			sb_printf(&s->out, "\\n");
		else if (b == '\t')
			sb_printf(&s->out, "\\t");
		else if (b == 0)
			sb_printf(&s->out, "\\0");
		else if (b >= 0x20 && b < 0x7f)
			sb_printf(&s->out, "%c", b);
		else
			sb_printf(&s->out, "\\x%02x", b);
	}
	sb_printf(&s->out, "\"\n");
	return 0;
}

/* memset(ADDR, VALUE, N): N stores of one byte, page by page. */
CMD(memset)
{
	uint64_t addr, value, n;
	if (argc != 4)
		return cmd_usage(s, "memset");
	if (cmd_addr(s, argv[1], &addr) < 0 || cmd_value(s, argv[2], &value) < 0 || cmd_size(s, argv[3], &n) < 0)
		return -1;
	if (value > 255)
		return cmd_error(s, TR(s, "memset: value %" PRId64 " does not fit in a byte (0..255)",
				       "memset：值 %" PRId64 " 放不进一个字节（0..255）"),
				 (int64_t)value);
	if (n > BYTES_MAX)
		return cmd_error(s, TR(s, "memset: at most %llu bytes at once (%" PRIu64 " asked)",
				       "memset：一次最多 %llu 字节（要求了 %" PRIu64 "）"),
				 BYTES_MAX, n);
	if (!current_proc(s))
		return -1;
	int pid = s->vm->cur;
	const struct arch *a = &s->vm->arch;
	uint8_t *page = malloc(a->page_size);
	if (!page)
		return cmd_error(s, "%s", TR(s, "out of memory", "内存不足"));
	memset(page, (int)value, a->page_size);
	struct proc *p = vm_proc(s->vm, pid);
	uint64_t min0 = p->minflt, maj0 = p->majflt;
	int rc = 0;
	for (uint64_t done = 0; done < n && rc == 0;) {
		vaddr_t va = addr + done;
		uint64_t room = a->page_size - PAGE_OFF(a, va);
		uint64_t k = n - done < room ? n - done : room;
		rc = vm_write_buf(s->vm, pid, va, page, k);
		done += k;
	}
	free(page);
	report(s, pid, min0, maj0, rc);
	return 0;
}

/* memcpy(DST, SRC, N): for each piece within one source page and one
 * destination page, the loads, then the stores. A bad source byte kills the
 * process at that byte, with every byte before it already stored (as a
 * byte-by-byte or `rep movsb` copy leaves it). */
CMD(memcpy)
{
	uint64_t dst, src, n;
	if (argc != 4)
		return cmd_usage(s, "memcpy");
	if (cmd_addr(s, argv[1], &dst) < 0 || cmd_addr(s, argv[2], &src) < 0 || cmd_size(s, argv[3], &n) < 0)
		return -1;
	if (n > BYTES_MAX)
		return cmd_error(s, TR(s, "memcpy: at most %llu bytes at once (%" PRIu64 " asked)",
				       "memcpy：一次最多 %llu 字节（要求了 %" PRIu64 "）"),
				 BYTES_MAX, n);
	if (!current_proc(s))
		return -1;
	int pid = s->vm->cur;
	const struct arch *a = &s->vm->arch;
	uint8_t *piece = malloc(a->page_size);
	if (!piece)
		return cmd_error(s, "%s", TR(s, "out of memory", "内存不足"));
	struct proc *p = vm_proc(s->vm, pid);
	uint64_t min0 = p->minflt, maj0 = p->majflt;
	int rc = 0;
	for (uint64_t done = 0; done < n && rc == 0;) {
		uint64_t k = n - done;
		uint64_t sroom = a->page_size - PAGE_OFF(a, src + done), droom = a->page_size - PAGE_OFF(a, dst + done);
		k = k < sroom ? k : sroom;
		k = k < droom ? k : droom;
		rc = vm_read_buf(s->vm, pid, src + done, piece, k);
		if (rc == 0)
			rc = vm_write_buf(s->vm, pid, dst + done, piece, k);
		done += k;
	}
	free(piece);
	report(s, pid, min0, maj0, rc);
	return 0;
}

/* strcpy(DST, "TEXT"): the text and its terminating NUL. */
CMD(strcpy)
{
	uint64_t dst;
	uint8_t bytes[513];
	if (argc != 3)
		return cmd_usage(s, "strcpy");
	if (argv[2][0] != '"')
		return cmd_error(s, "%s",
				 TR(s, "strcpy: the source must be a \"string\" (to copy memory, use memcpy)",
				    "strcpy：源必须是 \"字符串\"（复制内存请用 memcpy）"));
	if (cmd_addr(s, argv[1], &dst) < 0)
		return -1;
	int len = cmd_unquote(s, argv[2], bytes, sizeof bytes - 1);
	if (len < 0 || !current_proc(s))
		return -1;
	if (memchr(bytes, 0, (size_t)len))
		return cmd_error(s, "%s", TR(s, "strcpy: the string has a \\0 inside: strcpy stops there (use memcpy)",
					     "strcpy：字符串中间有 \\0，strcpy 会停在那里（请用 memcpy）"));
	bytes[len++] = 0;
	int pid = s->vm->cur;
	struct proc *p = vm_proc(s->vm, pid);
	uint64_t min0 = p->minflt, maj0 = p->majflt;
	int rc = vm_write_buf(s->vm, pid, dst, bytes, (uint64_t)len);
	report(s, pid, min0, maj0, rc);
	return 0;
}
