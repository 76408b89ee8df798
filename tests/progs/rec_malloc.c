/* rec_malloc.c - vmviz record's test: malloc, touch the block, free, in
 * the heap and (a big block) by mmap. */
#include <stdlib.h>
#include <string.h>

int main(void)
{
	char *small = malloc(1000);
	char *mid = malloc(20000);
	char *big = malloc(300000); /* over the mmap threshold */
	if (!small || !mid || !big)
		return 1;
	memset(mid, 1, 20000);     /* five pages touched between calls */
	big[0] = 1;
	big[200000] = 2;
	free(small);
	free(big);                 /* unmapped */
	char *again = malloc(500); /* from the tcache? no: 1000's bin */
	free(mid);
	free(again);
	return 0;
}
