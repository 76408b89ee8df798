/* rec_threads.c - vmviz record's test: a second thread allocates too; its
 * calls are skipped (and said to be), the main thread's recorded. */
#include <pthread.h>
#include <stdlib.h>

static void *worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < 10; i++)
		free(malloc(200));
	return NULL;
}

int main(void)
{
	char *a = malloc(3000);
	pthread_t t;
	if (!a || pthread_create(&t, NULL, worker, NULL) != 0)
		return 1;
	pthread_join(t, NULL);
	char *b = malloc(5000);
	free(a);
	free(b);
	return 0;
}
