/* rec_busy.c - vmviz record's benchmark (make bench): a malloc-heavy loop
 * that also uses its blocks, timed with and without recording. Prints
 * nothing; the work is in what it allocates and writes. */
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20000;
	char *keep[64] = {0};
	unsigned sum = 0;
	for (int r = 0; r < rounds; r++) {
		int k = r % 64;
		free(keep[k]);
		size_t n = 16 + (size_t)(r * 37 % 2000);
		keep[k] = malloc(n);
		if (!keep[k])
			return 1;
		memset(keep[k], r, n);
		for (size_t i = 0; i < n; i += 64)
			sum += (unsigned char)keep[k][i];
	}
	for (int k = 0; k < 64; k++)
		free(keep[k]);
	return sum == 1; /* keeps the loop from being optimised away */
}
