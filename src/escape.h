/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Strings a process or a file gave us, made safe for a terminal: the one
 * escaping every view and source uses (util-linux's mbs_safe_encode()
 * rules, without its dependence on the locale).
 */
#ifndef PT_ESCAPE_H
#define PT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

enum {
	/*
	 * lsblk --raw: also space, '\\' and every byte above 0x7e, so a
	 * field never holds a blank and splits on spaces
	 */
	PT_ESC_RAW = 1 << 0,
	/*
	 * the recording reader's test, of what a terminal would act on: a
	 * tab, and a '\\' before an 'x' (a name escaped when it was read)
	 */
	PT_ESC_KEEP_TAB = 1 << 1,
	PT_ESC_KEEP_BACKSLASH = 1 << 2,
};

/*
 * @in into @out (@len bytes, NUL-terminated, cut at a whole escape): C0
 * controls, DEL, C1 controls and bytes that are not UTF-8 as \xHH, and a
 * '\\' before an 'x' as \x5c so that an escape reads back one way.
 * Returns the bytes @in needs escaped (a larger value than @len - 1: cut).
 */
size_t pt_escape(char *out, size_t len, const char *in, unsigned int flags);

/* The first byte of @s that pt_escape(@flags) would escape, or NULL. */
const char *pt_escape_needed(const char *s, unsigned int flags);

#endif
