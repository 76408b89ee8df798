/* att_pause.c - vmviz attach's test: allocates and touches known amounts
 * (a heap block, an mmapped block half touched, rwx so it
 * merges with no neighbour), says "ready" and waits
 * for a signal, so its /proc files hold still while they are compared. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int main(void)
{
	char *heap = malloc(40000);
	char *m = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!heap || m == MAP_FAILED)
		return 1;
	memset(heap, 1, 40000);
	for (int i = 0; i < 32; i++)
		m[i * 4096] = 1;
	if (write(1, "ready\n", 6) != 6)
		return 1;
	pause();
	return 0;
}
