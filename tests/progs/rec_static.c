/* rec_static.c - vmviz record's test: a statically linked program, which
 * LD_PRELOAD cannot reach; record must refuse it in one line. */
#include <stdlib.h>

int main(void)
{
	free(malloc(10));
	return 0;
}
