/* expr.c - a small recursive-descent evaluator for addresses and values.
 *   expr := term (('+' | '-') term)*
 *   term := atom ('*' atom)*
 *   atom := '-' atom | '*' atom | NUMBER[K|M|G|T] | 'C' | NAME | NAME '[' expr ']' | '(' expr ')'
 * '*' atom is the byte stored at that address (C's *p on a char *), 'C' a
 * character's code ('a' is 97, '\n' is 10).
 * A NAME is a variable or, failing that, one of expect's names (rss, vsz,
 * minflt...), so "m0 = minflt" then "expect minflt - m0 == 5" checks a change.
 */
#include "expr.h"
#include "commands.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

struct parser {
	struct session *s;
	const char *p;
	const char *text;
	enum expr_mode mode;
	int failed;
};

static void skip_space(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

static int perr(struct parser *ps, const char *fmt, const char *arg)
{
	if (!ps->failed++)
		snprintf(ps->s->err, sizeof ps->s->err, fmt, arg);
	return -1;
}

bool is_identifier(const char *text)
{
	if (!isalpha((unsigned char)*text) && *text != '_')
		return false;
	for (const char *c = text; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '_')
			return false;
	return true;
}

struct var *var_find(struct session *s, const char *name)
{
	for (int i = 0; i < s->nvars; i++)
		if (strcmp(s->vars[i].name, name) == 0)
			return &s->vars[i];
	return NULL;
}

int var_settable(struct session *s, const char *name)
{
	if (var_find(s, name))
		return 0;
	if (s->nvars == SESSION_VARS)
		return cmd_error(s, TR(s, "cannot create variable '%s': too many variables (at most %d)",
				       "无法创建变量 '%s'：变量太多（最多 %d 个）"),
				 name, SESSION_VARS);
	if (strlen(name) >= sizeof s->vars[0].name)
		return cmd_error(s, TR(s, "cannot create variable '%.40s%s': the name is too long (at most %zu characters)",
				       "无法创建变量 '%.40s%s'：名字太长（最多 %zu 个字符）"),
				 name, strlen(name) > 40 ? "..." : "", sizeof s->vars[0].name - 1);
	return 0;
}

int var_set(struct session *s, const char *name, uint64_t value)
{
	if (var_settable(s, name) < 0)
		return -1;
	struct var *v = var_find(s, name);
	if (!v) {
		v = &s->vars[s->nvars++];
		snprintf(v->name, sizeof v->name, "%s", name);
	}
	v->value = value;
	return 0;
}

/* Reads digits (decimal or 0x hex) and an optional size suffix at *p. */
static bool scan_number(const char **p, uint64_t *out)
{
	const char *c = *p;
	errno = 0;
	char *end;
	uint64_t v = strtoull(c, &end, 0);
	if (end == c || errno == ERANGE || *c == '-' || *c == '+')
		return false;
	uint64_t mul = 1;
	if (*end == 'K' || *end == 'k')
		mul = 1ull << 10;
	else if (*end == 'M' || *end == 'm')
		mul = 1ull << 20;
	else if (*end == 'G' || *end == 'g')
		mul = 1ull << 30;
	else if (*end == 'T' || *end == 't')
		mul = 1ull << 40;
	if (mul > 1) {
		end++;
		if (*end == 'i' && end[1] == 'B')
			end += 2;
		else if (*end == 'B')
			end++;
		if (v > UINT64_MAX / mul)
			return false;
	}
	*out = v * mul;
	*p = end;
	return true;
}

bool parse_size(const char *text, uint64_t *out)
{
	const char *p = text;
	while (isspace((unsigned char)*p))
		p++;
	if (!scan_number(&p, out))
		return false;
	while (isspace((unsigned char)*p))
		p++;
	return *p == 0;
}

/* Values are computed wide, so a negative step (p[-16], p + -16) works and
 * a result past 64 bits is an error instead of a silent wrap. */
typedef __int128 wide;
#define WIDE_MAX ((wide)UINT64_MAX)

static int expr(struct parser *ps, wide *out);

static int in_range(struct parser *ps, wide v)
{
	if (v > WIDE_MAX || v < -WIDE_MAX)
		return perr(ps, TR(ps->s, "number out of range in '%s'", "'%s' 里的数超出范围"), ps->text);
	return 0;
}

/* 'C' or '\E': the character's code, as C's char literals (ASCII). */
static int char_literal(struct parser *ps, wide *out)
{
	const char *c = ps->p + 1;
	unsigned char v = (unsigned char)*c;
	if (*c == '\\') {
		static const char from[] = "ntr0\\'\"", to[] = "\n\t\r\0\\'\"";
		const char *e = c[1] ? strchr(from, c[1]) : NULL;
		if (!e)
			return perr(ps, TR(ps->s, "bad character literal in '%s'", "'%s' 里的字符常量写得不对"), ps->text);
		v = (unsigned char)to[e - from];
		c++;
	} else if (*c == 0 || *c == '\'' || v >= 0x80) {
		return perr(ps, TR(ps->s, "bad character literal in '%s' (one ASCII character between quotes, e.g. 'a')",
				   "'%s' 里的字符常量写得不对（引号里放一个 ASCII 字符，例如 'a'）"),
			    ps->text);
	}
	if (c[1] != '\'')
		return perr(ps, TR(ps->s, "bad character literal in '%s' (one ASCII character between quotes, e.g. 'a')",
				   "'%s' 里的字符常量写得不对（引号里放一个 ASCII 字符，例如 'a'）"),
			    ps->text);
	ps->p = c + 2;
	*out = v;
	return 0;
}

/* The byte at an address, as the program would load it (no fault: a
 * value in an expression is looked at, not accessed). */
static int byte_at(struct parser *ps, wide addr, wide *out)
{
	struct session *s = ps->s;
	uint8_t byte;
	if (addr < 0 || addr > WIDE_MAX)
		return perr(ps, TR(s, "address out of range in '%s'", "'%s' 的地址超出范围"), ps->text);
	if (!vm_peek(s->vm, s->vm->cur, (uint64_t)addr, &byte))
		return perr(ps, TR(s, "cannot read %s: address not mapped", "不能读 %s：地址没有映射"), ps->text);
	*out = byte;
	return 0;
}

static int atom(struct parser *ps, wide *out)
{
	skip_space(ps);
	if (*ps->p == '\'')
		return char_literal(ps, out);
	if (*ps->p == '*') {
		ps->p++;
		wide addr;
		return atom(ps, &addr) < 0 ? -1 : byte_at(ps, addr, out);
	}
	if (*ps->p == '-') {
		ps->p++;
		if (atom(ps, out) < 0)
			return -1;
		*out = -*out;
		return 0;
	}
	if (*ps->p == '(') {
		ps->p++;
		if (expr(ps, out) < 0)
			return -1;
		skip_space(ps);
		if (*ps->p != ')')
			return perr(ps, TR(ps->s, "missing ')' in '%s'", "'%s' 缺少 ')'"), ps->text);
		ps->p++;
		return 0;
	}
	if (isdigit((unsigned char)*ps->p)) {
		uint64_t n;
		if (!scan_number(&ps->p, &n))
			return perr(ps, TR(ps->s, "bad number in '%s'", "'%s' 里的数写得不对"), ps->text);
		if (isalnum((unsigned char)*ps->p) || *ps->p == '_')
			return perr(ps, TR(ps->s, "bad number in '%s'", "'%s' 里的数写得不对"), ps->text);
		*out = n;
		return 0;
	}
	if (isalpha((unsigned char)*ps->p) || *ps->p == '_') {
		char name[32];
		size_t n = 0;
		while ((isalnum((unsigned char)*ps->p) || *ps->p == '_') && n + 1 < sizeof name)
			name[n++] = *ps->p++;
		name[n] = 0;
		const struct var *v = var_find(ps->s, name);
		uint64_t named;
		skip_space(ps);
		if (!v && *ps->p != '[' && script_name_value(ps->s, name, &named)) {
			*out = named;
			return 0;
		}
		if (!v)
			return perr(ps, TR(ps->s, "unknown variable '%s'", "没有变量 '%s'"), name);
		*out = v->value;
		if (*ps->p == '[') {
			ps->p++;
			wide idx;
			if (expr(ps, &idx) < 0)
				return -1;
			skip_space(ps);
			if (*ps->p != ']')
				return perr(ps, TR(ps->s, "missing ']' in '%s'", "'%s' 缺少 ']'"), ps->text);
			ps->p++;
			*out += idx;
			if (*out < 0 || *out > WIDE_MAX)
				return perr(ps, TR(ps->s, "address out of range in '%s'", "'%s' 的地址超出范围"), ps->text);
			if (ps->mode == EXPR_VALUE)
				return byte_at(ps, *out, out);
		}
		return 0;
	}
	if (*ps->p == 0)
		return perr(ps, TR(ps->s, "missing value in '%s'", "'%s' 缺少一个值"), ps->text);
	return perr(ps, TR(ps->s, "unexpected character in '%s'", "'%s' 里有意外的字符"), ps->text);
}

static int term(struct parser *ps, wide *out)
{
	if (atom(ps, out) < 0)
		return -1;
	for (;;) {
		skip_space(ps);
		if (*ps->p != '*')
			return 0;
		ps->p++;
		wide r;
		if (atom(ps, &r) < 0)
			return -1;
		/* Both are within 64 bits: the product fits in 128 unless both
		 * are huge, which the range check then refuses. */
		if ((r > 0 && *out > WIDE_MAX / r) || (r < 0 && *out > WIDE_MAX / -r) ||
		    (*out < 0 && r != 0 && -*out > WIDE_MAX / (r < 0 ? -r : r)))
			return perr(ps, TR(ps->s, "number out of range in '%s'", "'%s' 里的数超出范围"), ps->text);
		*out *= r;
	}
}

static int expr(struct parser *ps, wide *out)
{
	if (term(ps, out) < 0)
		return -1;
	for (;;) {
		skip_space(ps);
		char op = *ps->p;
		if (op != '+' && op != '-')
			return 0;
		ps->p++;
		wide r;
		if (term(ps, &r) < 0)
			return -1;
		*out = op == '+' ? *out + r : *out - r;
		if (in_range(ps, *out) < 0)
			return -1;
	}
}

int expr_eval(struct session *s, const char *text, enum expr_mode mode, uint64_t *out)
{
	struct parser ps = {.s = s, .p = text, .text = text, .mode = mode};
	wide v;
	if (expr(&ps, &v) < 0 || in_range(&ps, v) < 0)
		return -1;
	skip_space(&ps);
	if (*ps.p) {
		snprintf(s->err, sizeof s->err, TR(s, "unexpected '%s' in '%s'", "多出了 '%s'（在 '%s' 里）"),
			 ps.p, text);
		return -1;
	}
	*out = (uint64_t)v; /* a negative value in two's complement, as C would */
	return 0;
}

const char *fmt_size(uint64_t bytes, char buf[32])
{
	if (bytes && bytes % (1ull << 30) == 0)
		snprintf(buf, 32, "%" PRIu64 "G", bytes >> 30);
	else if (bytes && bytes % (1ull << 20) == 0)
		snprintf(buf, 32, "%" PRIu64 "M", bytes >> 20);
	else if (bytes && bytes % 1024 == 0)
		snprintf(buf, 32, "%" PRIu64 "K", bytes >> 10);
	else
		snprintf(buf, 32, "%" PRIu64, bytes);
	return buf;
}
