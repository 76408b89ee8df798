/* demo.c - the README's tiny program for `vmviz record`: a small block from
 * the heap, a big one mmapped, both touched, both freed. */
#include <stdlib.h>
#include <string.h>

int main(void)
{
	char *p = malloc(1000), *q = malloc(300000);
	if (!p || !q)
		return 1;
	memset(p, 1, 1000);
	q[0] = 1;
	free(q);
	free(p);
	return 0;
}
