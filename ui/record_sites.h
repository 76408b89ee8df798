/* record_sites.h - the source lines of recorded calls, for captions. */
#ifndef VMVIZ_RECORD_SITES_H
#define VMVIZ_RECORD_SITES_H

#include "record_conv.h"

/* Resolves the call sites in the log (rewound first) that lie in PROG's
 * own code to "file.c:LINE" with addr2line; false, and none, without
 * addr2line or debug info. Free with record_sites_free. */
bool record_sites_resolve(FILE *log, const char *prog, struct record_sites *sites);
void record_sites_free(struct record_sites *sites);

#endif
