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

static int pt_check_user(const char *expr, size_t len, uint64_t addr,
			 struct pt_err *err)
{
	if (addr > PT_USER_ADDR_MAX)
		return pt_err_set(err, PT_BAD_ADDR,
				  "'%.*s' is 0x%" PRIx64 ", a kernel or non-canonical address, " PT_NOT_USER,
				  (int)len, expr, addr);
	return 0;
}

/*
 * A name may hold signs (ld-linux-x86-64.so.2), so a range tries every
 * '-' as its split: that costs O(len) address parses.  No real expression
 * comes near the limit (a name is at most NAME_MAX, an offset 20 digits).
 */
static int pt_expr_too_long(size_t len, struct pt_err *err)
{
	if (len <= PT_ADDR_EXPR_MAX)
		return 0;
	return pt_err_set(err, PT_BAD_ADDR,
			  "address expression of %zu characters is refused (the limit is %d)",
			  len, PT_ADDR_EXPR_MAX);
}

/* Is there a sign before @end with a base in front of it? */
static bool pt_some_base_before(const char *expr, size_t end,
				const struct pt_maps *m)
{
	const struct pt_maps_row *row;
	uint64_t base;
	size_t i;

	for (i = end; i-- > 1;)
		if ((expr[i] == '+' || expr[i] == '-') &&
		    !pt_base_parse(expr, i, m, &base, &row))
			return true;
	return false;
}

/*
 * BASE, BASE+OFF or BASE-OFF.  An offset is a number and holds no sign,
 * so only the last sign can split: one base parse, not one per sign.
 * @why: tell a name that maps nothing from a malformed expression, which
 * needs the other signs' bases (a range's halves only need the status).
 * @above (when not NULL): set when the address parsed but lies above user
 * space, which a range reports as such; the message echoes the input, so
 * it is never searched for that.
 */
static int pt_addr_parse_n(const char *expr, size_t len,
			   const struct pt_maps *m, uint64_t *addr, bool why,
			   bool *above, struct pt_err *err)
{
	const struct pt_maps_row *row;
	bool bad_offset = false;
	uint64_t base, off;
	size_t i = 0, j;
	int ret;

	ret = pt_base_parse(expr, len, m, addr, &row);
	if (!ret)
		goto out_check;
	/* i: the last sign past the first character, or 0 */
	for (j = len; j > 1; j--)
		if (expr[j - 1] == '+' || expr[j - 1] == '-') {
			i = j - 1;
			break;
		}
	if (i && !pt_base_parse(expr, i, m, &base, &row)) {
		/* hex with 0x, else decimal: never octal (heap+010 is 10) */
		if (!pt_num_parse(expr + i + 1, len - i - 1,
				  pt_hex_prefixed(expr + i + 1, len - i - 1) ? 16 : 10,
				  &off)) {
			if (expr[i] == '+' ? base + off < base : off > base)
				return pt_err_set(err, PT_BAD_ADDR,
						  "'%.*s' overflows", (int)len, expr);
			*addr = expr[i] == '+' ? base + off : base - off;
			goto out_check;
		}
		bad_offset = true;
	}
	if (!why)
		return pt_err_set(err, PT_BAD_ADDR, "malformed address");
	/* a word that reads as a name but names no mapping */
	if ((isalpha((unsigned char)expr[0]) || expr[0] == '/' ||
	     expr[0] == '_' || expr[0] == '.') &&
	    !bad_offset && !(i && pt_some_base_before(expr, i, m)))
		return pt_err_set(err, PT_NOT_MAPPED,
				  "no mapping named '%.*s' (try heap, stack, a file's name, or a hex address)",
				  (int)len, expr);
	return pt_err_set(err, PT_BAD_ADDR,
			  "malformed address '%.*s' (hex, or NAME[+OFFSET])",
			  (int)len, expr);
out_check:
	ret = pt_check_user(expr, len, *addr, err);
	if (ret && above)
		*above = true;
	return ret;
}

int pt_addr_parse(const char *expr, const struct pt_maps *m, uint64_t *addr,
		  struct pt_err *err)
{
	size_t len = strlen(expr);
	int ret;

	ret = pt_expr_too_long(len, err);
	if (ret)
		return ret;
	return pt_addr_parse_n(expr, len, m, addr, true, NULL, err);
}

int pt_range_parse(const char *expr, const struct pt_maps *m, uint64_t *start,
		   uint64_t *end, struct pt_err *err)
{
	const struct pt_maps_row *row;
	size_t len = strlen(expr), i;
	int ret;

	ret = pt_expr_too_long(len, err);
	if (ret)
		return ret;
	if (pt_base_parse(expr, len, m, start, &row) == 0 && row) {
		*end = row->end;
		return 0;
	}
	for (i = 1; i + 1 < len; i++) {
		bool above = false;

		if (expr[i] != '-')
			continue;
		ret = pt_addr_parse_n(expr, i, m, start, false, &above, NULL);
		if (ret == 0)
			ret = pt_addr_parse_n(expr + i + 1, len - i - 1, m, end,
					      false, &above, NULL);
		/* a number above user space: refused, not "malformed" */
		if (above)
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
