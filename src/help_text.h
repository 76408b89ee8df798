/* help_text.h - `help CMD`'s example and lesson for each command. */
#ifndef VMVIZ_HELP_TEXT_H
#define VMVIZ_HELP_TEXT_H

struct help_text {
	const char *name;
	const char *example;       /* a line to type */
	const char *teaches_en;    /* what it shows about memory */
	const char *teaches_zh;
};

/* The entry of a command, or NULL if it has none. */
const struct help_text *help_text_find(const char *name);

#endif
