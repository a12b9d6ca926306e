/* SPDX-License-Identifier: GPL-2.0 */
/* cmocka with TAP output, which tests/run counts. */
#ifndef PT_TEST_TAP_H
#define PT_TEST_TAP_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#define PT_RUN_TESTS(name, tests)                                              \
	do {                                                                   \
		cmocka_set_message_output(CM_OUTPUT_TAP);                      \
		return cmocka_run_group_tests_name(name, tests, NULL, NULL);  \
	} while (0)

#endif
