/* no_utf8_locale.c - an LD_PRELOAD shim for the screen tests: a system
 * with no UTF-8 locale installed (setlocale refuses every *.UTF-8 name),
 * which this machine cannot be made into otherwise (C.UTF-8 is always
 * there). */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <locale.h>
#include <string.h>
#include <strings.h>

char *setlocale(int category, const char *locale)
{
	static char *(*real)(int, const char *);
	if (!real)
		real = (char *(*)(int, const char *))dlsym(RTLD_NEXT, "setlocale");
	if (locale && (strcasestr(locale, "utf-8") || strcasestr(locale, "utf8")))
		return NULL;
	return real(category, locale);
}
