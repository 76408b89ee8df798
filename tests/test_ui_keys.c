/* test_ui_keys.c - naming the escape sequences terminals send: F-keys in
 * the xterm, SS3 and Linux-console forms, and mouse reports (SGR and X10)
 * with the cell they point at. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "keys.h"

static struct key named(const char *bytes)
{
	struct key k;
	memset(&k, 0, sizeof k);
	k.nraw = (int)strlen(bytes);
	memcpy(k.raw, bytes, (size_t)k.nraw);
	keys_name(&k);
	return k;
}

static void test_function_keys(void **state)
{
	(void)state;
	static const struct {
		const char *seq;
		enum key_code code;
	} cases[] = {
		{"\033OP", K_F1},    {"\033[11~", K_F1}, {"\033[[A", K_F1},  {"\033OQ", K_F2},
		{"\033OR", K_F3},    {"\033[13~", K_F3}, {"\033OS", K_F4},   {"\033[15~", K_F5},
		{"\033[[E", K_F5},   {"\033[17~", K_F6}, {"\033[18~", K_F7}, {"\033[19~", K_F8},
		{"\033[20~", K_F9},  {"\033[21~", K_F10}, {"\033[23~", K_F11}, {"\033[24~", K_F12},
		{"\033[A", K_UP},    {"\033[5~", K_PGUP}, {"\033[Z", K_BTAB},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct key k = named(cases[i].seq);
		if (k.code != cases[i].code)
			fail_msg("sequence %zu (ESC %s): code %d, want %d", i, cases[i].seq + 1, k.code,
				 cases[i].code);
		assert_true(keys_is_csi(&k));
	}
	/* Shift-F5 and the like are left to readline's keymap, unnamed. */
	assert_int_equal(named("\033[15;2~").code, K_SEQ);
	/* Alt-b is not an escape sequence. */
	struct key alt = named("\033b");
	assert_int_equal(alt.code, K_SEQ);
	assert_false(keys_is_csi(&alt));
}

static void test_sgr_mouse(void **state)
{
	(void)state;
	struct key k = named("\033[<0;10;5M");
	assert_int_equal(k.code, K_MOUSE);
	assert_int_equal(k.button, MOUSE_LEFT);
	assert_int_equal(k.mx, 9);    /* 0-based */
	assert_int_equal(k.my, 4);
	assert_true(k.press);
	k = named("\033[<0;10;5m");
	assert_int_equal(k.code, K_MOUSE);
	assert_false(k.press);        /* the release */
	k = named("\033[<65;200;60M");
	assert_int_equal(k.button, MOUSE_WHEEL_DOWN);
	assert_int_equal(k.mx, 199);
	assert_int_equal(k.my, 59);
	assert_true(k.press);
	k = named("\033[<64;1;1M");
	assert_int_equal(k.button, MOUSE_WHEEL_UP);
	/* Ctrl-click is a click; a drag is not a press. */
	k = named("\033[<16;3;3M");
	assert_int_equal(k.button, MOUSE_LEFT);
	assert_true(k.press);
	k = named("\033[<32;3;3M");
	assert_false(k.press);
	/* Malformed reports are sequences, never clicks (and never typed). */
	assert_int_equal(named("\033[<0;10M").code, K_SEQ);
	assert_int_equal(named("\033[<0;;5M").code, K_SEQ);
	assert_int_equal(named("\033[<0;0;5M").code, K_SEQ);
	assert_int_equal(named("\033[<a;1;1M").code, K_SEQ);
}

static void test_x10_mouse(void **state)
{
	(void)state;
	/* ESC [ M, then button + 32, column + 32, row + 32 (1-based). */
	struct key k = named("\033[M !\"");
	assert_int_equal(k.code, K_MOUSE);
	assert_int_equal(k.button, MOUSE_LEFT);
	assert_int_equal(k.mx, 0);
	assert_int_equal(k.my, 1);
	assert_true(k.press);
	k = named("\033[M#!!");       /* 3: released, which button unsaid */
	assert_int_equal(k.code, K_MOUSE);
	assert_false(k.press);
	k = named("\033[M`*+");       /* 64: wheel up */
	assert_int_equal(k.button, MOUSE_WHEEL_UP);
	assert_int_equal(k.mx, 9);
	assert_int_equal(k.my, 10);
	assert_true(k.press);
}

static void test_truncated_is_never_named(void **state)
{
	(void)state;
	struct key k = named("\033[21~");
	k.truncated = true;
	keys_name(&k);
	assert_int_equal(k.code, K_SEQ);
}

static void test_table_binds_f10_everywhere(void **state)
{
	(void)state;
	struct key k = {.code = K_F10};
	const unsigned modes[] = {KM_PROMPT, KM_PLAY, KM_PLAY_PROMPT};
	for (size_t i = 0; i < 3; i++) {
		const struct binding *b = keys_lookup(&k, modes[i], false);
		assert_non_null(b);
		assert_int_equal(b->act, A_QUIT);
	}
	/* F5 does nothing: no binding (and readline does not get it either). */
	k.code = K_F5;
	assert_null(keys_lookup(&k, KM_PROMPT, true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_function_keys),
		cmocka_unit_test(test_sgr_mouse),
		cmocka_unit_test(test_x10_mouse),
		cmocka_unit_test(test_truncated_is_never_named),
		cmocka_unit_test(test_table_binds_f10_everywhere),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
