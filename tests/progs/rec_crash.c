/* rec_crash.c - vmviz record's test: a program that dies of SIGSEGV after
 * two allocations; the scenario must stop there, with the signal. */
#include <stdlib.h>

int main(void)
{
	char *a = malloc(100);
	char *b = malloc(70000);
	if (!a || !b)
		return 1;
	free(a);
	volatile char *nowhere = (volatile char *)16;
	*nowhere = 1;
	return 0;
}
