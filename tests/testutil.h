/* testutil.h - shared helpers for the cmocka suites. */
#ifndef VMVIZ_TESTUTIL_H
#define VMVIZ_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "session.h"

static inline struct session *new_session(uint32_t frames, uint32_t swap, enum policy_kind policy)
{
	struct vm_config cfg;
	vm_config_default(&cfg);
	cfg.frames = frames;
	cfg.swap_slots = swap;
	cfg.policy = policy;
	struct session *s = session_new(&cfg, LANG_EN);
	assert_non_null(s);
	return s;
}

/* Runs a line that must succeed, and checks the invariants after it. */
#define OK(s, line)                                                                    \
	do {                                                                           \
		int rc_ = session_exec((s), (line));                                   \
		if (rc_ != 0)                                                          \
			fail_msg("'%s' failed: %s", (line), (s)->err);                 \
		if (vm_check((s)->vm) != 0)                                            \
			fail_msg("after '%s': invariant broken: %s", (line), (s)->vm->err); \
	} while (0)

/* Runs a line that must fail with an error containing text. */
#define FAILS(s, line, text)                                                          \
	do {                                                                          \
		int rc_ = session_exec((s), (line));                                  \
		if (rc_ == 0)                                                         \
			fail_msg("'%s' should have failed", (line));                  \
		if (!strstr((s)->err, (text)))                                        \
			fail_msg("'%s': error '%s' lacks '%s'", (line), (s)->err, (text)); \
		assert_null(strchr((s)->err, '\n'));                                  \
	} while (0)

static inline uint64_t var(struct session *s, const char *name)
{
	for (int i = 0; i < s->nvars; i++)
		if (strcmp(s->vars[i].name, name) == 0)
			return s->vars[i].value;
	fail_msg("no variable %s", name);
	return 0;
}

static inline struct proc *cur(struct session *s)
{
	struct proc *p = vm_proc(s->vm, s->vm->cur);
	assert_non_null(p);
	return p;
}

#endif
