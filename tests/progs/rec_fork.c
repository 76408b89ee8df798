/* rec_fork.c - vmviz record's test: fork, then the child writes the
 * block it shares copy-on-write with its parent and allocates its own. */
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void)
{
	char *shared = malloc(16384);
	if (!shared)
		return 1;
	memset(shared, 7, 16384);
	pid_t pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		memset(shared, 9, 8192); /* two pages copied */
		char *mine = malloc(100);
		if (mine)
			mine[0] = 1;
		_exit(0);
	}
	waitpid(pid, NULL, 0);
	char *more = malloc(5000);
	free(more);
	free(shared);
	return 0;
}
