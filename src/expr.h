/* expr.h - values in the command language: numbers with K/M/G, variables,
 * addresses like p+4096 or p[4096], and expect's comparisons. */
#ifndef VMVIZ_EXPR_H
#define VMVIZ_EXPR_H

#include <stdbool.h>
#include <stdint.h>

#include "session.h"

/* In an address, p[8] means p+8; as a value it means the byte stored there. */
enum expr_mode { EXPR_ADDR, EXPR_VALUE };

/* Evaluates text (spaces allowed). Returns 0, or -1 with s->err set. */
int expr_eval(struct session *s, const char *text, enum expr_mode mode, uint64_t *out);
/* A size: a number with an optional K, M or G suffix (also KB, KiB...). */
bool parse_size(const char *text, uint64_t *out);
bool is_identifier(const char *text);

struct var *var_find(struct session *s, const char *name);
/* 0 if name can be given a value, else -1 with s->err set. */
int var_settable(struct session *s, const char *name);
int var_set(struct session *s, const char *name, uint64_t value);

/* expect's numeric names (rss, vsz, minflt, brk...): their value now, so
 * a script can keep one (m0 = minflt) and check a change (expect minflt -
 * m0 == 5). False if name is none of them, or needs a process and there is
 * none. A variable of the same name wins in expressions. */
bool script_name_value(struct session *s, const char *name, uint64_t *out);

/* Formats bytes as 4K, 1028K, 2M... exactly (no rounding). */
const char *fmt_size(uint64_t bytes, char buf[32]);

#endif
