/* commands.h - helpers shared by the command implementations (cmd_*.c). */
#ifndef VMVIZ_COMMANDS_H
#define VMVIZ_COMMANDS_H

#include "session.h"

/* The English or the Chinese of an output line (same arguments). */
#define TR(s, en, zh) ((s)->lang == LANG_ZH ? (zh) : (en))

#define CMD(name) int cmd_##name(struct session *s, int argc, char **argv)

/* Error helpers: set s->err and return -1. */
int cmd_error(struct session *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cmd_usage(struct session *s, const char *name);
/* The current process, or NULL with an error. */
struct proc *current_proc(struct session *s);
/* A live process's pid from a number or variable, or -1 with an error. */
int cmd_pid(struct session *s, const char *text, int *pid);
/* Evaluates an address / value argument. */
int cmd_addr(struct session *s, const char *text, uint64_t *out);
int cmd_value(struct session *s, const char *text, uint64_t *out);
int cmd_size(struct session *s, const char *text, uint64_t *out);
void cmd_result(struct session *s, uint64_t value, bool hex);
/* r, rw, rx, rwx, none (w means rw, as x86 cannot write without reading). */
bool cmd_parse_prot(const char *text, unsigned *prot);
/* Decodes a quoted string with C escapes into out: its length, or -1. */
int cmd_unquote(struct session *s, const char *text, uint8_t *out, size_t max);
/* read ADDR LEN: LEN bytes loaded by the process, shown as a C string. */
int cmd_read_bytes(struct session *s, int argc, char **argv);
/* Appends len bytes as xxd prints them, the offsets being addresses. */
void bytes_xxd(struct strbuf *out, vaddr_t addr, const uint8_t *bytes, size_t len);
/* A PTE's set bits, "P W U A D NX". */
void cmd_pte_bits(const struct vm *vm, pte_t pte, char *buf, size_t size);
/* Appends text padded with spaces to cols terminal columns (a CJK
 * character takes two). */
void sb_pad(struct strbuf *b, const char *text, int cols);
/* Prints what an access did: nothing on a hit, the fault otherwise. */
void cmd_report_fault(struct session *s, enum fault_kind k, int pid);

CMD(malloc); CMD(calloc); CMD(realloc); CMD(memalign); CMD(free); CMD(write); CMD(read); CMD(touch);
CMD(mmap); CMD(munmap); CMD(brk); CMD(map);
CMD(fork); CMD(spawn); CMD(ps); CMD(proc); CMD(exit); CMD(kill);
CMD(translate); CMD(maps); CMD(pt); CMD(frames); CMD(swap); CMD(stats);
CMD(set); CMD(reset); CMD(help); CMD(say); CMD(pause); CMD(expect); CMD(quit);
CMD(echo); CMD(screenshot); CMD(compare);
CMD(mprotect); CMD(mremap); CMD(call); CMD(return);
CMD(dump); CMD(memset); CMD(memcpy); CMD(strcpy); CMD(smaps); CMD(status);
CMD(refs); CMD(ref);
CMD(explain);

#endif
