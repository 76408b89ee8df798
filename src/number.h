/* number.h - the one parser for numbers on the command line, every mode:
 * decimal digits, then optionally K, M, G or T (times 1024, 1024^2, ...).
 * No sign, no octal or hex, no spaces, nothing after the suffix. */
#ifndef VMVIZ_NUMBER_H
#define VMVIZ_NUMBER_H

#include <stdbool.h>
#include <stdint.h>

/* What a bad number is told, after "bad --frames 'x': ". */
#define NUMBER_EXPECTED "expected a decimal number, optionally with K, M, G or T"

/* True with *out set when s is such a number and at most max. */
bool number_parse(const char *s, uint64_t max, uint64_t *out);

#endif
