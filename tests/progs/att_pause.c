/* att_pause.c - vmviz attach's test: allocates and touches known amounts
 * (a heap block, an mmapped block half touched, rwx so it
 * merges with no neighbour), says "ready" and waits
 * for a signal, so its /proc files hold still while they are compared.
 * SIGUSR1 makes it write the other half of the mmapped block (32 more
 * pages) and say "more": the change a refresh of the screen shows. */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static volatile sig_atomic_t more;

static void on_usr1(int sig)
{
	(void)sig;
	more = 1;
}

int main(void)
{
	char *heap = malloc(40000);
	char *m = mmap(NULL, 64 * 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!heap || m == MAP_FAILED)
		return 1;
	memset(heap, 1, 40000);
	for (int i = 0; i < 32; i++)
		m[i * 4096] = 1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	if (write(1, "ready\n", 6) != 6)
		return 1;
	for (;;) {
		pause();
		if (more) {
			more = 0;
			for (int i = 32; i < 64; i++)
				m[i * 4096] = 2;
			if (write(1, "more\n", 5) != 5)
				return 1;
		}
	}
}
