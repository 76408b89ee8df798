/* session.c - one line of the command language: comments stripped, C-like
 * forms (p = malloc(8), p[0] = 1, x = p[8], free(p)) turned into the plain
 * form (malloc 8, write p 1, read p+8, free p), then the command table. */
#include "session.h"
#include "attach.h"
#include "commands.h"
#include "expr.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_ARGS 16
#define LINE_MAX_LEN SESSION_LINE_MAX

struct session *session_new(const struct vm_config *cfg, enum lang lang)
{
	struct session *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->cfg = *cfg;
	s->lang = lang;
	if (session_reset(s) < 0) {
		session_free(s);
		return NULL;
	}
	return s;
}

void session_note_mapping(struct session *s, vaddr_t addr, uint64_t len)
{
	for (int i = 0; i < s->nmaps; i++) {
		if (s->maps[i].addr != addr)
			continue;
		if (len) {
			s->maps[i].len = len;
		} else {
			s->maps[i] = s->maps[--s->nmaps];
		}
		return;
	}
	if (!len)
		return;
	if (s->nmaps == SESSION_MAPPINGS) /* forget the oldest */
		memmove(&s->maps[0], &s->maps[1], (SESSION_MAPPINGS - 1) * sizeof s->maps[0]);
	else
		s->nmaps++;
	s->maps[s->nmaps - 1] = (struct mapping){addr, len};
}

uint64_t session_mapping_len(const struct session *s, vaddr_t addr)
{
	for (int i = 0; i < s->nmaps; i++)
		if (s->maps[i].addr == addr)
			return s->maps[i].len;
	return 0;
}

int session_reset(struct session *s)
{
	char err[200];
	struct vm *vm = vm_new(&s->cfg, err, sizeof err);
	if (!vm) {
		snprintf(s->err, sizeof s->err, "%s", err);
		return -1;
	}
	vm_free(s->vm);
	s->vm = vm;
	s->nvars = 0;
	s->nmaps = 0;
	s->caption[0] = 0;
	/* A new machine reuses pids: nothing of the old view applies. */
	memset(s->compare, 0, sizeof s->compare);
	memset(s->pair, 0, sizeof s->pair);
	memset(s->walks, 0, sizeof s->walks);
	refstring_clear(&s->refs); /* its pages were in the old machine */
	if (vm_spawn(vm, "a.out") < 0) {
		snprintf(s->err, sizeof s->err, "%s", vm->err);
		return -1;
	}
	/* The clock starts at the prompt: what the program did before main()
	 * is not the student's. */
	memset(vm->clock.ns, 0, sizeof vm->clock.ns);
	memset(vm->clock.count, 0, sizeof vm->clock.count);
	s->first_event = vm->log.next_seq;
	s->clock_before = 0;
	s->explain_from = s->explain_to = 0; /* the old machine's events are gone */
	memcpy(s->counts_before, vm->log.counts, sizeof s->counts_before);
	return 0;
}

const struct proc_walk *session_walk(const struct session *s, int pid)
{
	for (int i = SESSION_WALKS - 1; i >= 0; i--)
		if (s->walks[i].w.valid && s->walks[i].w.pid == pid)
			return &s->walks[i];
	return NULL;
}

static bool walk_same(const struct walk *a, const struct walk *b)
{
	if (a->pid != b->pid || a->va != b->va || a->levels != b->levels || a->present != b->present ||
	    a->pfn != b->pfn || a->slot != b->slot || a->paddr != b->paddr || a->fault != b->fault)
		return false;
	for (unsigned l = 0; l < a->levels && l < ARCH_MAX_LEVELS; l++)
		if (a->index[l] != b->index[l] || a->table[l] != b->table[l] || a->entry[l] != b->entry[l])
			return false;
	return true;
}

/* Keeps the MMU's last walk as its process's own when the command made one
 * (an access, or a walk that differs from the one kept); the oldest
 * process's walk is forgotten when all places are taken. */
static void note_walk(struct session *s, uint64_t stamp)
{
	const struct walk *w = &s->vm->last;
	if (!w->valid)
		return;
	bool accessed = s->vm->log.counts[EV_ACCESS] != s->counts_before[EV_ACCESS];
	int at = 0;
	for (int i = 0; i < SESSION_WALKS; i++)
		if (s->walks[i].w.valid && s->walks[i].w.pid == w->pid) {
			if (!accessed && walk_same(&s->walks[i].w, w))
				return;   /* the walk an earlier command made */
			at = i;
			break;
		}
	memmove(&s->walks[at], &s->walks[at + 1], (size_t)(SESSION_WALKS - 1 - at) * sizeof s->walks[0]);
	s->walks[SESSION_WALKS - 1].w = *w;
	s->walks[SESSION_WALKS - 1].stamp = stamp;
}

void session_free(struct session *s)
{
	if (!s)
		return;
	vm_free(s->vm);
	sb_free(&s->out);
	refstring_clear(&s->refs);
	free(s);
}

/* Where a quote that opens at c ("text" or 'c') closes, or NULL. */
static char *quote_end(char *c)
{
	for (char *q = c + 1; *q; q++) {
		if (*q == '\\' && q[1])
			q++;
		else if (*q == *c)
			return q;
	}
	return NULL;
}

/* Is the ' at c a character literal ('a', '\n') rather than an apostrophe? */
static bool char_quote(const char *c)
{
	return c[0] == '\'' && c[1] && (c[2] == '\'' || (c[1] == '\\' && c[2] && c[3] == '\''));
}

/* Cuts a comment (# or //) that is not inside quotes. */
static void strip_comment(char *line)
{
	bool quoted = false;
	for (char *c = line; *c; c++) {
		if (*c == '\\' && quoted && c[1]) {
			c++;
			continue;
		}
		if (!quoted && char_quote(c)) {
			c = quote_end(c);
			continue;
		}
		if (*c == '"')
			quoted = !quoted;
		else if (!quoted && (*c == '#' || (c[0] == '/' && c[1] == '/'))) {
			*c = 0;
			return;
		}
	}
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && (isspace((unsigned char)s[n - 1]) || s[n - 1] == ';'))
		s[--n] = 0;
	return s;
}

/* Splits on sep (a space splits on any run of blanks), keeping quoted text
 * and brackets together. Quotes stay in the word, so commands can tell a
 * string from a number. */
static int split(struct session *s, char *text, char sep, char **argv, int max, int argc)
{
	char *p = text;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		if (argc == max) {
			snprintf(s->err, sizeof s->err, TR(s, "too many arguments", "参数太多"));
			return -1;
		}
		char *start = p;
		int depth = 0;
		bool quoted = false;
		while (*p) {
			if (quoted) {
				if (*p == '\\' && p[1])
					p++;
				else if (*p == '"')
					quoted = false;
			} else if (*p == '"') {
				quoted = true;
			} else if (char_quote(p)) {
				p = quote_end(p);
			} else if (*p == '[' || *p == '(') {
				depth++;
			} else if (*p == ']' || *p == ')') {
				depth--;
			} else if (depth == 0 && (sep == ' ' ? isspace((unsigned char)*p) : *p == sep)) {
				break;
			}
			p++;
		}
		if (quoted) {
			snprintf(s->err, sizeof s->err, TR(s, "missing closing quote", "缺少右引号"));
			return -1;
		}
		char *end = p;
		if (*p)
			*p++ = 0;
		while (end > start && isspace((unsigned char)end[-1]))
			*--end = 0;
		argv[argc++] = start;
		if (sep != ' ' && !*start) {
			snprintf(s->err, sizeof s->err, TR(s, "empty argument", "有一个参数是空的"));
			return -1;
		}
	}
	return argc;
}

/* "name(args)" -> argv = name, args...; false if text is not a call. */
static int split_call(struct session *s, char *text, char **argv, int max)
{
	char *paren = text;
	while (isalnum((unsigned char)*paren) || *paren == '_')
		paren++;
	size_t len = strlen(text);
	if (paren == text || *paren != '(')
		return 0;
	if (text[len - 1] != ')') {
		char name[32];
		snprintf(name, sizeof name, "%.*s", (int)(paren - text), text);
		if (!command_find(name))
			return 0;
		const char *close = strrchr(paren, ')');
		while (close && isspace((unsigned char)close[1]))
			close++;
		if (close)
			snprintf(s->err, sizeof s->err, TR(s, "unexpected '%.40s' after %s(...)", "%2$s(...) 后面多了 '%1$.40s'"), close + 1, name);
		else
			snprintf(s->err, sizeof s->err, TR(s, "missing ')' in '%.60s'", "'%.60s' 缺少 ')'"), text);
		return -1;
	}
	text[len - 1] = 0;
	*paren = 0;
	argv[0] = text;
	return split(s, paren + 1, ',', argv, max, 1);
}

/* NAME = ..., but not NAME == ... */
static char *assignment(char *line, char **rhs)
{
	char *p = line;
	if (!isalpha((unsigned char)*p) && *p != '_')
		return NULL;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	char *name_end = p;
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '=' || p[1] == '=')
		return NULL;
	*name_end = 0;
	*rhs = p + 1;
	return line;
}

/* VAR[...] = VALUE: the position of '=' or NULL. */
static char *index_assignment(char *line)
{
	char *p = line;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	if (p == line || *p != '[')
		return NULL;
	char *close = strchr(p, ']');
	if (!close)
		return NULL;
	p = close + 1;
	while (isspace((unsigned char)*p))
		p++;
	return *p == '=' && p[1] != '=' ? p : NULL;
}

/* *ADDR = VALUE (C's store through a char pointer): the position of the
 * '=' or NULL. */
static char *deref_assignment(char *line)
{
	if (*line != '*')
		return NULL;
	int depth = 0;
	for (char *p = line; *p; p++) {
		if (char_quote(p))
			p = quote_end(p);
		else if (*p == '(' || *p == '[')
			depth++;
		else if (*p == ')' || *p == ']')
			depth--;
		else if (*p == '=' && depth == 0)
			return p[1] != '=' && p[-1] != '!' && p[-1] != '<' && p[-1] != '>' ? p : NULL;
	}
	return NULL;
}

static bool is_index_read(const char *text)
{
	if (text[0] == '*') { /* *p, *(p + 8): the byte there; *p + 1 is a sum */
		if (is_identifier(text + 1))
			return true;
		if (text[1] != '(')
			return false;
		int depth = 0;
		for (const char *c = text + 1; *c; c++) {
			depth += *c == '(' ? 1 : *c == ')' ? -1 : 0;
			if (depth == 0)
				return c[1] == 0;
		}
		return false;
	}
	const char *p = text;
	while (isalnum((unsigned char)*p) || *p == '_')
		p++;
	return p != text && *p == '[' && text[strlen(text) - 1] == ']';
}

static int levenshtein(const char *a, const char *b)
{
	int la = (int)strlen(a), lb = (int)strlen(b);
	if (la > 31 || lb > 31)
		return 99;
	int d[32][32];
	for (int i = 0; i <= la; i++)
		d[i][0] = i;
	for (int j = 0; j <= lb; j++)
		d[0][j] = j;
	for (int i = 1; i <= la; i++)
		for (int j = 1; j <= lb; j++) {
			int sub = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			int del = d[i - 1][j] + 1, ins = d[i][j - 1] + 1;
			d[i][j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
		}
	return d[la][lb];
}

static int unknown_command(struct session *s, const char *name)
{
	size_t n;
	const struct command *table = command_table(&n);
	const char *best = NULL;
	int best_d = 3;
	for (size_t i = 0; i < n; i++) {
		int d = levenshtein(name, table[i].name);
		if (d < best_d) {
			best_d = d;
			best = table[i].name;
		}
	}
	if (best)
		snprintf(s->err, sizeof s->err,
			 s->lang == LANG_ZH ? "没有命令 '%.40s'（是不是想输入 '%s'？）" : "unknown command '%.40s' (did you mean '%s'?)",
			 name, best);
	else
		snprintf(s->err, sizeof s->err,
			 s->lang == LANG_ZH ? "没有命令 '%.40s'（输入 help 查看命令列表）" : "unknown command '%.40s' (type 'help' for the list)",
			 name);
	return -1;
}

static void print_result(struct session *s, const char *target)
{
	if (target)
		sb_printf(&s->out, "%s = ", target);
	if (s->result_hex)
		sb_printf(&s->out, "0x%" PRIx64 "\n", s->result);
	else
		sb_printf(&s->out, "%" PRIu64 "\n", s->result);
}

static int no_value(struct session *s, const struct command *c, const char *target)
{
	snprintf(s->err, sizeof s->err, TR(s, "'%s' gives no value to assign to %s", "'%s' 没有可以赋给 %s 的值"), c->name,
		 target);
	return -1;
}

/* Runs a command; its result is stored in the variable target (if any)
 * and printed after label (if any). */
/* Commands that only look (or only change the screen's language): all an
 * attached machine takes, since /proc, not the commands, says what it holds. */
static bool reads_only(const struct command *c, int argc, char **argv)
{
	static const char *const looking[] = {"ps", "translate", "maps", "pt", "frames", "swap", "stats", "help",
					      "say", "pause", "expect", "echo", "screenshot", "quit"};
	for (size_t i = 0; i < sizeof looking / sizeof *looking; i++)
		if (strcmp(c->name, looking[i]) == 0)
			return true;
	return strcmp(c->name, "set") == 0 && argc >= 2 && strcmp(argv[1], "lang") == 0;
}

static int dispatch_as(struct session *s, const char *target, const char *label, int argc, char **argv)
{
	const struct command *c = command_find(argv[0]);
	if (!c)
		return unknown_command(s, argv[0]);
	/* Refused before the command runs: a failed line changes nothing. */
	if (target && !c->value)
		return no_value(s, c, target);
	if (s->vm->host && !reads_only(c, argc, argv)) {
		snprintf(s->err, sizeof s->err, "%s", TR(s, ATTACH_READ_ONLY, "已附加到真实进程：只读"));
		return -1;
	}
	if (target && var_settable(s, target) < 0)
		return -1;
	s->has_result = false;
	s->result_hex = false;
	s->is_expect = strcmp(c->name, "expect") == 0;
	s->assign_to = target;
	int rc = c->exec(s, argc, argv);
	s->assign_to = NULL;
	if (rc < 0)
		return -1;
	if (target && !s->has_result && s->died)
		return 0; /* x = p[i] killed the process: nothing to assign, not an error */
	if (target && !s->has_result)
		return no_value(s, c, target);
	if (s->has_result) {
		if (target && var_set(s, target, s->result) < 0)
			return -1;
		print_result(s, label);
	}
	return 0;
}

static int dispatch(struct session *s, const char *target, int argc, char **argv)
{
	return dispatch_as(s, target, target, argc, argv);
}

/* The leading name of a line (letters, digits, '_'), cut to len - 1. */
static const char *first_word(const char *line, char *buf, size_t len)
{
	size_t n = 0;
	while (n + 1 < len && (isalnum((unsigned char)line[n]) || line[n] == '_'))
		buf[n] = line[n], n++;
	buf[n] = 0;
	return buf;
}

static int print_expression(struct session *s, const char *text)
{
	uint64_t v;
	if (expr_eval(s, text, EXPR_VALUE, &v) < 0)
		return -1;
	sb_printf(&s->out, "%s = 0x%" PRIx64 " (%" PRIu64 ")\n", text, v, v);
	return 0;
}

static int exec_line(struct session *s, char *line)
{
	char *argv[MAX_ARGS];
	int argc;
	char *rhs = NULL;
	char *target = assignment(line, &rhs);
	char *eq;
	if (target) {
		if (command_find(target)) {
			snprintf(s->err, sizeof s->err, TR(s, "'%s' is a command and cannot be a variable name", "'%s' 是命令，不能用作变量名"), target);
			return -1;
		}
		rhs = trim(rhs);
		if (!*rhs) {
			snprintf(s->err, sizeof s->err, TR(s, "nothing to assign to %s", "没有给 %s 赋值"), target);
			return -1;
		}
		if ((argc = split_call(s, rhs, argv, MAX_ARGS)) != 0) {
			if (argc < 0)
				return -1;
		} else if (is_index_read(rhs)) {
			argv[0] = "read";
			argv[1] = *rhs == '*' ? rhs + 1 : rhs;
			argc = 2;
		} else {
			char first[32] = "";
			sscanf(rhs, "%31s", first);
			if (command_find(first)) {
				if ((argc = split(s, rhs, ' ', argv, MAX_ARGS, 0)) < 0)
					return -1;
			} else {
				uint64_t v;
				if (expr_eval(s, rhs, EXPR_VALUE, &v) < 0 || var_set(s, target, v) < 0)
					return -1;
				sb_printf(&s->out, "%s = 0x%" PRIx64 "\n", target, v);
				return 0;
			}
		}
		return dispatch(s, target, argc, argv);
	}
	if ((eq = index_assignment(line)) != NULL || (eq = deref_assignment(line)) != NULL) {
		*eq = 0;
		argv[0] = "write";
		argv[1] = trim(*line == '*' ? line + 1 : line);
		argv[2] = trim(eq + 1);
		if (!*argv[2]) {
			snprintf(s->err, sizeof s->err, TR(s, "nothing to write to %s", "没有要写入 %s 的值"), argv[1]);
			return -1;
		}
		return dispatch(s, NULL, 3, argv);
	}
	if ((argc = split_call(s, line, argv, MAX_ARGS)) != 0)
		return argc < 0 ? -1 : dispatch(s, NULL, argc, argv);
	if (!command_find(first_word(line, (char[32]){0}, 32))) {
		/* Not a command: p[i] alone reads a byte, p or p+16 alone says
		 * what it is worth, as a debugger's print would. */
		if (is_index_read(line)) {
			argv[0] = "read";
			argv[1] = *line == '*' ? line + 1 : line;
			return dispatch_as(s, NULL, line, 2, argv);
		}
		if (isdigit((unsigned char)*line) || *line == '*' || *line == '\'' ||
		    var_find(s, first_word(line, (char[32]){0}, 32)))
			return print_expression(s, line);
	}
	if ((argc = split(s, line, ' ', argv, MAX_ARGS, 0)) < 0)
		return -1;
	return dispatch(s, NULL, argc, argv);
}

int session_exec(struct session *s, const char *line)
{
	sb_clear(&s->out);
	s->err[0] = 0;
	s->pause = false;
	s->is_expect = false;
	s->died = false;
	s->screenshot = false;
	s->view = false;
	s->explaining = false;
	s->first_event = s->vm->log.next_seq;
	s->clock_before = clock_total(&s->vm->clock);
	memcpy(s->counts_before, s->vm->log.counts, sizeof s->counts_before);
	if (strlen(line) >= LINE_MAX_LEN) {
		snprintf(s->err, sizeof s->err, TR(s, "line too long (at most %d characters)", "这一行太长（最多 %d 个字符）"), LINE_MAX_LEN - 1);
		return -1;
	}
	char buf[LINE_MAX_LEN];
	snprintf(buf, sizeof buf, "%s", line);
	strip_comment(buf);
	char *text = trim(buf);
	if (!*text)
		return 0;
	struct vm *vm = s->vm;
	char typed[sizeof s->explain_line];
	snprintf(typed, sizeof typed, "%s", text); /* the parser cuts text up */
	int rc = exec_line(s, text);
	if (s->vm == vm)
		note_walk(s, s->first_event << 1 | (vm->log.next_seq != s->first_event));
	if (!s->explaining && s->vm->log.next_seq > s->first_event) {
		s->explain_from = s->first_event;
		s->explain_to = s->vm->log.next_seq;
		s->explain_ns = clock_total(&s->vm->clock) - s->clock_before;
		snprintf(s->explain_line, sizeof s->explain_line, "%s", typed);
		escape_controls(s->explain_line, sizeof s->explain_line);
	}
	if (rc < 0 && !s->err[0])
		snprintf(s->err, sizeof s->err, TR(s, "command failed", "命令失败"));
	if (rc < 0)
		escape_controls(s->err, sizeof s->err); /* errors quote what was typed */
	return rc;
}
