/* catalog.h - the scenarios vmviz finds by name: `vmviz play 09`,
 * `vmviz run whole-flow`, `vmviz play --list`. No curses.
 *
 * Where it looks, first hit wins: the folder an installed binary's scenarios
 * go to (BIN/../share/vmviz/scenarios, so a DESTDIR or moved install works
 * too), the source tree's (BIN/../scenarios, for build/vmviz), then the
 * compiled-in install folder. */
#ifndef VMVIZ_UI_CATALOG_H
#define VMVIZ_UI_CATALOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Resolves a scenario NAME ("09", "whole-flow", "09-whole-flow",
 * "09-whole-flow.vmm") to its file. False if none matches; with err set
 * (and false) when the name matches more than one. */
bool catalog_find(const char *name, char *path, size_t size, char *err, size_t errlen);

/* Prints each scenario's name and title, one a line; returns how many. */
int catalog_list(FILE *out);

#endif
