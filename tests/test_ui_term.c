/* test_ui_term.c - the screen's fatal-signal handling, after restoring the
 * terminal: a real fault goes on to whatever handled it before vmviz (a
 * sanitizer, a fuzzer), with its true context; a sent signal takes its
 * default action. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "term.h"

static sigjmp_buf back;
static volatile sig_atomic_t seen_sig, seen_code;

static void marker(int sig, siginfo_t *info, void *context)
{
	(void)context;
	seen_sig = sig;
	seen_code = info ? info->si_code : 0;
	siglongjmp(back, 1);
}

static void install_marker(int sig)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = marker;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	assert_int_equal(sigaction(sig, &sa, NULL), 0);
}

static bool marker_installed(int sig)
{
	struct sigaction now;
	assert_int_equal(sigaction(sig, NULL, &now), 0);
	return (now.sa_flags & SA_SIGINFO) && now.sa_sigaction == marker;
}

static FILE *out, *in;

static void start_screen(void)
{
	setenv("TERM", "xterm-256color", 1);
	out = fopen("/dev/null", "w");
	in = fopen("/dev/zero", "r"); /* never read: term_start only sets up */
	assert_non_null(out);
	assert_non_null(in);
	assert_int_equal(term_start(out, in, THEME_DEFAULT, false), 0);
}

static void stop_screen(void)
{
	term_stop();
	fclose(out);
	fclose(in);
}

static void test_fault_goes_to_the_handler_before(void **state)
{
	(void)state;
	volatile int *forbidden = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(forbidden != MAP_FAILED);
	install_marker(SIGSEGV);
	start_screen();
	assert_false(marker_installed(SIGSEGV));
	seen_sig = seen_code = 0;
	if (sigsetjmp(back, 1) == 0) {
		*forbidden = 1;
		fail_msg("the store to a PROT_NONE page did not fault");
	}
	assert_int_equal(seen_sig, SIGSEGV);
	assert_true(seen_code > 0); /* raised by the CPU, not re-sent by vmviz */
	assert_true(marker_installed(SIGSEGV));
	stop_screen();
	signal(SIGSEGV, SIG_DFL);
	munmap((void *)forbidden, 4096);
}

/* A signal sent from outside is no crash to report: it takes its default
 * action (the exit status names it), whatever handled it before. Checked
 * in a child, which it kills. */
static void test_sent_signal_takes_its_default_action(void **state)
{
	(void)state;
	for (int k = 0; k < 2; k++) {
		int sig = k ? SIGSEGV : SIGTERM;
		pid_t child = fork();
		assert_true(child >= 0);
		if (child == 0) {
			install_marker(sig);
			start_screen();
			if (sigsetjmp(back, 1) == 0)
				kill(getpid(), sig);
			_exit(3); /* the marker ran, or the signal came back */
		}
		int status;
		assert_int_equal(waitpid(child, &status, 0), child);
		assert_true(WIFSIGNALED(status));
		assert_int_equal(WTERMSIG(status), sig);
	}
}

static void test_stop_puts_back_the_handlers(void **state)
{
	(void)state;
	install_marker(SIGBUS);
	start_screen();
	assert_false(marker_installed(SIGBUS));
	stop_screen();
	assert_true(marker_installed(SIGBUS));
	signal(SIGBUS, SIG_DFL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fault_goes_to_the_handler_before),
		cmocka_unit_test(test_sent_signal_takes_its_default_action),
		cmocka_unit_test(test_stop_puts_back_the_handlers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
