/* number.c - command-line numbers (see number.h). */
#include "number.h"

#include <string.h>

bool number_parse(const char *s, uint64_t max, uint64_t *out)
{
	if (!s || *s < '0' || *s > '9')
		return false;
	uint64_t v = 0;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return false;
		v = v * 10 + d;
	}
	unsigned shift = 0;
	if (*s) {
		static const char units[] = "KMGT";
		const char *u = strchr(units, *s == 'k' ? 'K' : *s);
		if (!u || s[1])
			return false;
		shift = 10u * (unsigned)(u - units + 1);
	}
	if (v > (max >> shift))
		return false;
	*out = v << shift;
	return true;
}
