// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdio.h>

#include "escape.h"

/*
 * The length of the UTF-8 sequence at @s when it is whole, shortest and a
 * printable code point (not C1, not a surrogate), else 0.
 */
static size_t pt_utf8_printable(const unsigned char *s)
{
	uint32_t cp;
	size_t n, i;

	if (s[0] < 0xc2 || s[0] > 0xf4)
		return 0;
	n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : 2;
	cp = s[0] & (0x7f >> n);
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp < 0xa0)
		return 0;
	return n;
}

/* 0: @s[0] is escaped; else how many bytes stay as they are */
static size_t pt_escape_span(const char *str, unsigned int flags)
{
	const unsigned char *s = (const unsigned char *)str;

	if (*s == '\t' && (flags & PT_ESC_KEEP_TAB))
		return 1;
	if (flags & PT_ESC_RAW)
		return *s <= ' ' || *s >= 0x7f || *s == '\\' ? 0 : 1;
	if (*s == '\\' && s[1] == 'x')
		return flags & PT_ESC_KEEP_BACKSLASH ? 1 : 0;
	if (*s < ' ' || *s == 0x7f)
		return 0;
	if (*s < 0x80)
		return 1;
	return pt_utf8_printable(s);
}

size_t pt_escape(char *out, size_t len, const char *in, unsigned int flags)
{
	size_t n = 0, need = 0, k, i;
	bool cut = !len;

	for (; *in; in += k ? k : 1) {
		k = pt_escape_span(in, flags);
		need += k ? k : 4;
		/* whole escapes and whole characters only: nothing after a cut */
		if (cut || n + (k ? k : 4) >= len) {
			cut = true;
			continue;
		}
		if (!k) {
			snprintf(out + n, len - n, "\\x%02x", (unsigned char)*in);
			n += 4;
			continue;
		}
		for (i = 0; i < k; i++)
			out[n++] = in[i];
	}
	if (len)
		out[n] = '\0';
	return need;
}

const char *pt_escape_needed(const char *s, unsigned int flags)
{
	size_t k;

	for (; *s; s += k) {
		k = pt_escape_span(s, flags);
		if (!k)
			return s;
	}
	return NULL;
}
