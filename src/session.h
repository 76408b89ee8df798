/* session.h - the one command language. Typed, scripted or piped, every
 * line reaches the engine through session_exec. */
#ifndef VMVIZ_SESSION_H
#define VMVIZ_SESSION_H

#include <stdbool.h>
#include <stddef.h>

#include "refstring.h"
#include "vm.h"

#define SESSION_VARS 128
/* The longest line the parser takes, terminating NUL included. */
#define SESSION_LINE_MAX 1024

struct strbuf {
	char *s;
	size_t len, cap;
};
void sb_clear(struct strbuf *b);
void sb_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_free(struct strbuf *b);
/* Grows the array *pp (elements of sz bytes, *cap of them) to hold n:
 * 0, or -1 out of memory (*pp kept as it was). */
int array_grow(void *pp, size_t *cap, size_t n, size_t sz);
/* Rewrites control bytes in text as \xNN (typed text shown back must not
 * drive the terminal). */
void escape_controls(char *text, size_t size);

struct var {
	char name[32];
	uint64_t value;
};

/* A mapping made by the mmap or mremap command: `munmap p` and `touch p`
 * default to its length (VMAs merge, so the VMA at p may be larger). */
struct mapping {
	vaddr_t addr;
	uint64_t len;
};
#define SESSION_MAPPINGS 64

/* The last MMU walk of each of a few processes, so the compare view can
 * show one walk per side: a walk in one process leaves the other's shown. */
struct proc_walk {
	struct walk w;             /* w.pid names the process; w.valid = 0: unused */
	uint64_t stamp;            /* 2 x the first event of the command that made
				    * it, + 1 if that command logged events: a
				    * walk of a quiet command (translate) sorts
				    * before the events of the next one */
};
#define SESSION_WALKS 8

struct session {
	struct vm *vm;
	struct vm_config cfg;      /* what reset rebuilds */
	enum lang lang;
	struct var vars[SESSION_VARS];
	int nvars;
	struct strbuf out;         /* output of the last command */
	char err[256];             /* error of the last command ("" if none) */
	char caption[512];         /* the last `say` */
	bool pause;                /* the last command was `pause` */
	bool quit;                 /* the last command was `quit` */
	bool is_expect;            /* the last command was an `expect` */
	const char *assign_to;     /* x in `x = CMD ...` while CMD runs, or NULL */
	enum fault_kind last_fault;/* of the last access command */
	uint64_t first_event;      /* first event sequence of the last command */
	uint64_t counts_before[EV_KIND_COUNT]; /* event totals when it started */
	uint64_t clock_before;     /* simulated ns on the clock when it started */
	uint64_t explain_from, explain_to; /* events `explain` tells about: the last
				    * command's that had any (0, 0: none) */
	uint64_t explain_ns;       /* the simulated time that command took */
	char explain_line[128];    /* and the command itself */
	bool explaining;           /* the last command was `explain` */
	uint64_t result;           /* value of the last command (malloc, read...) */
	bool has_result;
	bool died;                 /* the process died during the last command */
	bool screenshot;           /* the last command asked the screen for a screenshot */
	bool view;                 /* the last command set what the screen shows
				    * (compare): its output needs no overlay */
	char screenshot_name[256]; /* its file name without extension, "" = automatic */
	bool result_hex;           /* print the value as an address */
	struct mapping maps[SESSION_MAPPINGS]; /* the latest mmap/mremap results */
	int nmaps;
	/* View state of the `compare` command (the screen reads it; a replay
	 * of the same lines rebuilds it): */
	int compare[2];            /* the two pids side by side, 0 = off */
	int pair[2];               /* parent and child of the last fork/spawn, 0 = none */
	struct proc_walk walks[SESSION_WALKS]; /* newest last */
	struct refstring refs;     /* the reference string a scenario declared (refs), for the table */
};

/* Remembers (or forgets, len 0) the mapping made at addr. */
void session_note_mapping(struct session *s, vaddr_t addr, uint64_t len);
/* The length of the mapping the mmap/mremap command made at addr, 0 if none. */
uint64_t session_mapping_len(const struct session *s, vaddr_t addr);
/* The last walk made in process pid, or NULL. */
const struct proc_walk *session_walk(const struct session *s, int pid);

struct session *session_new(const struct vm_config *cfg, enum lang lang);
void session_free(struct session *s);
/* A fresh machine from s->cfg with one process, a.out; variables cleared. */
int session_reset(struct session *s);
/* Runs one line. Returns 0 on success (blank and comment lines too), -1 on
 * error with s->err set and the engine state unchanged. */
int session_exec(struct session *s, const char *line);

/* The command table, for help and completion. */
struct command {
	const char *name;
	const char *usage;
	const char *help;          /* one line */
	int (*exec)(struct session *s, int argc, char **argv);
	bool value;                /* gives a value: x = NAME(...) works */
};
const struct command *command_table(size_t *count);
const struct command *command_find(const char *name);

/* Words that complete after a command (option values, etc.), NULL-ended. */
const char *const *command_words(void);

#endif
