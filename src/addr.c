// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

#define PT_PAGE_SIZE 4096ull
#define PT_NOT_USER "not a user-space one"

static int pt_num_parse(const char *s, size_t n, int base, uint64_t *out)
{
	char buf[64], *end;

	if (!n || n >= sizeof(buf) || *s == '-' || *s == '+' || isspace(*s))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = '\0';
	if (base == 16 && (!strncmp(buf, "0x", 2) || !strncmp(buf, "0X", 2)) &&
	    !buf[2])
		return -EINVAL;
	errno = 0;
	*out = strtoull(buf, &end, base);
	if (errno || *end)
		return -EINVAL;
	return 0;
}

static bool pt_hex_prefixed(const char *s, size_t n)
{
	return n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
}

/* The mapping name of a maps line: its path, "[heap]"... or NULL. */
static const char *pt_row_path(const struct pt_maps_row *r)
{
	const char *p = r->line;
	int field;

	for (field = 0; field < 5; field++) {
		p = strchr(p, ' ');
		if (!p)
			return NULL;
		while (*p == ' ')
			p++;
	}
	return *p ? p : NULL;
}

static bool pt_name_matches(const char *path, const char *name, size_t n)
{
	const char *base;

	if (path[0] == '[')
		return strlen(path) == n + 2 && !strncmp(path + 1, name, n);
	if (strlen(path) == n && !strncmp(path, name, n))
		return true;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	return strlen(base) == n && !strncmp(base, name, n);
}

static const struct pt_maps_row *pt_maps_by_name(const struct pt_maps *m,
						 const char *name, size_t n)
{
	const char *path;
	size_t i;

	for (i = 0; i < m->nr; i++) {
		path = pt_row_path(&m->rows[i]);
		if (path && pt_name_matches(path, name, n))
			return &m->rows[i];
	}
	return NULL;
}

static bool pt_all_hex(const char *s, size_t n)
{
	size_t i = 0;

	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == n)
		return false;
	for (; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return true;
}

/* A base alone: an address or a mapping name.  1: name not found. */
static int pt_base_parse(const char *s, size_t n, const struct pt_maps *m,
			 uint64_t *addr, const struct pt_maps_row **row)
{
	*row = NULL;
	if (pt_all_hex(s, n))
		return pt_num_parse(s, n, 16, addr);
	if (!n || !m)
		return -EINVAL;
	*row = pt_maps_by_name(m, s, n);
	if (!*row)
		return 1;
	*addr = (*row)->start;
	return 0;
}

static int pt_check_user(const char *expr, uint64_t addr, struct pt_err *err)
{
	if (addr > PT_USER_ADDR_MAX)
		return pt_err_set(err, PT_BAD_ADDR,
				  "'%s' is 0x%" PRIx64 ", a kernel or non-canonical address, " PT_NOT_USER,
				  expr, addr);
	return 0;
}

/*
 * A name may hold signs (ld-linux-x86-64.so.2), so both parsers try every
 * split: a range costs O(len^2) name lookups.  No real expression comes
 * near the limit (a name is at most NAME_MAX, an offset 20 digits); a
 * line of signs 20,000 long would have run for half an hour.
 */
static int pt_expr_too_long(size_t len, struct pt_err *err)
{
	if (len <= PT_ADDR_EXPR_MAX)
		return 0;
	return pt_err_set(err, PT_BAD_ADDR,
			  "address expression of %zu characters is refused (the limit is %d)",
			  len, PT_ADDR_EXPR_MAX);
}

int pt_addr_parse(const char *expr, const struct pt_maps *m, uint64_t *addr,
		  struct pt_err *err)
{
	const struct pt_maps_row *row;
	size_t len = strlen(expr), i;
	bool bad_offset = false;
	uint64_t base, off;
	int ret;

	ret = pt_expr_too_long(len, err);
	if (ret)
		return ret;
	ret = pt_base_parse(expr, len, m, addr, &row);
	if (!ret)
		return pt_check_user(expr, *addr, err);
	/* BASE+OFF or BASE-OFF, splitting at the last sign that works */
	for (i = len; i-- > 1;) {
		if (expr[i] != '+' && expr[i] != '-')
			continue;
		if (pt_base_parse(expr, i, m, &base, &row))
			continue;
		/* hex with 0x, else decimal: never octal (heap+010 is 10) */
		if (pt_num_parse(expr + i + 1, len - i - 1,
				 pt_hex_prefixed(expr + i + 1, len - i - 1) ? 16 : 10, &off)) {
			bad_offset = true;
			continue;
		}
		if (expr[i] == '+' ? base + off < base : off > base)
			return pt_err_set(err, PT_BAD_ADDR,
					  "'%s' overflows", expr);
		*addr = expr[i] == '+' ? base + off : base - off;
		return pt_check_user(expr, *addr, err);
	}
	/* a word that reads as a name but names no mapping */
	if (!bad_offset && (isalpha((unsigned char)expr[0]) ||
			    expr[0] == '/' || expr[0] == '_' || expr[0] == '.'))
		return pt_err_set(err, PT_NOT_MAPPED,
				  "no mapping named '%s' (try heap, stack, a file's name, or a hex address)",
				  expr);
	return pt_err_set(err, PT_BAD_ADDR,
			  "malformed address '%s' (hex, or NAME[+OFFSET])", expr);
}

int pt_range_parse(const char *expr, const struct pt_maps *m, uint64_t *start,
		   uint64_t *end, struct pt_err *err)
{
	const struct pt_maps_row *row;
	size_t len = strlen(expr), i;
	char *a;
	int ret;

	ret = pt_expr_too_long(len, err);
	if (ret)
		return ret;
	if (pt_base_parse(expr, len, m, start, &row) == 0 && row) {
		*end = row->end;
		return 0;
	}
	for (i = 1; i + 1 < len; i++) {
		struct pt_err e1 = { 0 }, e2 = { 0 };

		if (expr[i] != '-')
			continue;
		a = strndup(expr, i);
		if (!a)
			return pt_err_set(err, PT_NO_MEM, "out of memory");
		ret = pt_addr_parse(a, m, start, &e1);
		free(a);
		if (ret == 0)
			ret = pt_addr_parse(expr + i + 1, m, end, &e2);
		/* a number above user space: refused, not "malformed" */
		if (ret < 0 && (strstr(e1.msg, PT_NOT_USER) ||
				strstr(e2.msg, PT_NOT_USER)))
			return pt_err_set(err, PT_BAD_ADDR,
					  "range '%s' is outside user space (user addresses end at 0x%llx)",
					  expr, PT_USER_ADDR_MAX + PT_PAGE_SIZE);
		if (ret < 0)
			continue;
		if (*start >= *end)
			return pt_err_set(err, PT_BAD_ADDR,
					  "empty range '%s': START must be below END",
					  expr);
		*start &= ~(PT_PAGE_SIZE - 1);
		*end = (*end + PT_PAGE_SIZE - 1) & ~(PT_PAGE_SIZE - 1);
		return 0;
	}
	return pt_err_set(err, PT_BAD_ADDR,
			  "malformed range '%s' (START-END, or a mapping name)",
			  expr);
}
