/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ptdump_helper's walk protocol (man/ptdump_helper.4), shared by the
 * module, src/kmod.c, which reads its answers, and the user-space fuzz
 * target of its query parser (tests/fuzz/fuzz_kquery.c): the version, the
 * limits, and the parser, plain C over the bytes written, calling nothing
 * of the kernel's or of libc's, so that all of them build the same code.
 * The includer provides bool, EINVAL and ERANGE.
 *
 * A query is "PID ADDR", "PID START END" or "PID START END s", fields
 * apart by spaces or tabs, the whole optionally surrounded by white space
 * (a trailing newline): PID decimal, 1 to 2^31-1; addresses hexadecimal,
 * with or without 0x, below @limit.  An address answers [ADDR, ADDR + 1).
 * "s" (protocol 6) asks for spans.  Signs, other bytes, a NUL, a fourth
 * field other than "s" and a fifth are -EINVAL; a number that overflows
 * is -ERANGE.
 */
#ifndef PTDH_PROTO_H
#define PTDH_PROTO_H

/*
 * 1: the first module; 2: "more ADDR" answers, "pti" in the layout;
 * 3: range answers give ptes' pagemap words, and runs of ptes one line;
 * 4: "unfollowed ADDR", a pmd table hugetlb may share left unread;
 * 5: "+D" and "-D" lines, a pte that follows the pte line before;
 * 6: "s" after a range query's END asks for spans: ptes whose values and
 *    words differ only in their PFNs are one line, " s" after its COUNT
 *    when the PFNs do not step by one from the first
 */
#define PTDH_VERSION 6
#define PTDH_QUERY_MAX 80		/* bytes of one query */
#define PTDH_OUT_MAX 1048576		/* bytes of one answer: 1 MiB */
#define PTDH_LINE_MAX 96		/* bytes of one line, at most */
/*
 * Entries of one range answer, counting each of a run: user space holds
 * an answer's entries at once, and runs would let 1 MiB of text name
 * gigabytes of them.
 */
#define PTDH_ENTRIES_MAX 32768

struct ptdh_request {
	int pid;
	unsigned long long start;
	unsigned long long end;
	bool single;
	bool spans;
};

static inline bool ptdh_q_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool ptdh_q_space(char c)
{
	return ptdh_q_blank(c) || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static inline int ptdh_q_digit(char c, unsigned int base)
{
	int d;

	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	else
		return -1;
	return d < (int)base ? d : -1;
}

/* The number in [@s, @e), the whole of it, in @base (16 takes 0x too). */
static inline int ptdh_q_number(const char *s, const char *e,
				unsigned int base, unsigned long long *v)
{
	int d;

	if (base == 16 && e - s > 2 && s[0] == '0' && (s[1] | 0x20) == 'x')
		s += 2;
	if (s == e)
		return -EINVAL;
	for (*v = 0; s < e; s++) {
		d = ptdh_q_digit(*s, base);
		if (d < 0)
			return -EINVAL;
		if (*v > (~0ULL - d) / base)
			return -ERANGE;
		*v = *v * base + d;
	}
	return 0;
}

/*
 * The query in the @len bytes at @s (no NUL needed) into @r; 0 or
 * -errno.  @limit is the end of user space.
 */
static inline int ptdh_parse_query(const char *s, unsigned long len,
				   unsigned long long limit,
				   struct ptdh_request *r)
{
	const char *e = s + len, *tok[4], *tend[4];
	unsigned long long v;
	int n = 0, ret;

	if (!len || len > PTDH_QUERY_MAX)
		return -EINVAL;
	while (s < e && ptdh_q_space(*s))
		s++;
	while (e > s && ptdh_q_space(e[-1]))
		e--;
	while (s < e) {
		if (n == 4)
			return -EINVAL;
		tok[n] = s;
		while (s < e && !ptdh_q_blank(*s))
			s++;
		tend[n++] = s;
		while (s < e && ptdh_q_blank(*s))
			s++;
	}
	if (n < 2)
		return -EINVAL;
	/* before the numbers: any other fourth field is -EINVAL, as before 6 */
	r->spans = n == 4;
	if (r->spans && (tend[3] - tok[3] != 1 || *tok[3] != 's'))
		return -EINVAL;
	ret = ptdh_q_number(tok[0], tend[0], 10, &v);
	if (ret)
		return ret;
	if (!v || v > 0x7fffffff)
		return v ? -ERANGE : -EINVAL;
	r->pid = (int)v;
	ret = ptdh_q_number(tok[1], tend[1], 16, &r->start);
	if (ret)
		return ret;
	r->single = n == 2;
	if (r->single) {
		r->end = r->start + 1;
	} else {
		ret = ptdh_q_number(tok[2], tend[2], 16, &r->end);
		if (ret)
			return ret;
	}
	/* user addresses only */
	if (r->start >= r->end || r->end > limit)
		return -EINVAL;
	return 0;
}

#endif /* PTDH_PROTO_H */
