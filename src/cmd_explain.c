/* cmd_explain.c - `explain`: every event of the last command that did
 * something, in order, each with the rule and the numbers that decided it,
 * and the simulated time the command took. */
#include "commands.h"

#include <inttypes.h>
#include <stdio.h>

CMD(explain)
{
	(void)argv;
	if (argc != 1)
		return cmd_usage(s, "explain");
	s->explaining = true;
	const struct event_log *log = &s->vm->log;
	bool zh = s->lang == LANG_ZH;
	if (!s->explain_to)
		return cmd_error(s, "%s", TR(s, "nothing to explain yet: no command has changed anything since the machine started",
					     "还没有可解释的：机器启动以来没有命令改变过什么"));
	char t[24];
	clock_format(s->explain_ns, t, sizeof t);
	sb_printf(&s->out, TR(s, "why: %s (%" PRIu64 " events, simulated time %s)\n", "原因：%s（%" PRIu64 " 个事件，模拟耗时 %s）\n"),
		  s->explain_line, s->explain_to - s->explain_from, t);
	uint64_t from = s->explain_from, oldest = event_oldest(log);
	if (from < oldest) {
		sb_printf(&s->out, TR(s, "  (%" PRIu64 " earlier events are no longer kept)\n", "  （更早的 %" PRIu64 " 个事件已不在记录中）\n"),
			  oldest - from);
		from = oldest;
	}
	char line[320];
	uint64_t lost = 0;
	for (uint64_t q = from; q < s->explain_to; q++) {
		const struct event *ev = event_get(log, q);
		if (!ev)
			continue;
		event_describe(ev, s->lang, line, sizeof line);
		sb_printf(&s->out, "  - %s\n", line);
		const char *why = event_reason(log, ev, zh);
		if (why)
			sb_printf(&s->out, TR(s, "      why: %s\n", "      原因：%s\n"), why);
		else if (ev->reason)
			lost++;
	}
	if (lost)
		sb_printf(&s->out, TR(s, "  (%" PRIu64 " reasons were not kept: only the latest %u are)\n",
				      "  （%" PRIu64 " 条原因没有保留：只保留最近的 %u 条）\n"),
			  lost, EVENT_REASONS);
	return 0;
}
