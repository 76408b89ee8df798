/* rec_calloc.c - vmviz record's test: calloc (cleared or fresh) and
 * realloc (in place, then moved). */
#include <stdlib.h>
#include <string.h>

int main(void)
{
	char *a = calloc(10, 100);
	char *b = malloc(50);
	char *c = calloc(1, 64 * 1024);
	if (!a || !b || !c)
		return 1;
	a = realloc(a, 1500);      /* grows into the free space after it? b is there: moves */
	b = realloc(b, 40);        /* shrinks in place */
	c = realloc(c, 200 * 1024);
	if (!a || !b || !c)
		return 1;
	memset(c, 3, 200 * 1024);
	free(a);
	free(b);
	free(c);
	return 0;
}
