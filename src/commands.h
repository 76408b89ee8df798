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
/* Evaluates an address / value argument. */
int cmd_addr(struct session *s, const char *text, uint64_t *out);
int cmd_value(struct session *s, const char *text, uint64_t *out);
int cmd_size(struct session *s, const char *text, uint64_t *out);
void cmd_result(struct session *s, uint64_t value, bool hex);
/* r, rw, rx, rwx, none (w means rw, as x86 cannot write without reading). */
bool cmd_parse_prot(const char *text, unsigned *prot);
/* Prints what an access did: nothing on a hit, the fault otherwise. */
void cmd_report_fault(struct session *s, enum fault_kind k, int pid);

CMD(malloc); CMD(calloc); CMD(realloc); CMD(memalign); CMD(free); CMD(write); CMD(read); CMD(touch);
CMD(mmap); CMD(munmap); CMD(brk); CMD(map);
CMD(fork); CMD(spawn); CMD(ps); CMD(proc); CMD(exit); CMD(kill);
CMD(translate); CMD(maps); CMD(pt); CMD(frames); CMD(swap); CMD(stats);
CMD(set); CMD(reset); CMD(help); CMD(say); CMD(pause); CMD(expect); CMD(quit);
CMD(echo); CMD(screenshot);
CMD(mprotect); CMD(mremap); CMD(call); CMD(return);
CMD(explain);

#endif
