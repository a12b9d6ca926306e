// SPDX-License-Identifier: GPL-2.0
/*
 * The module's answers read as text (kmod/ptdh_proto.h,
 * man/ptdump_helper.4): a walk answer into struct pt_kmod_answer, the
 * layout file into a struct pt_layout.  No file, no process: the tests
 * and the fuzzer feed them anything.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "grow.h"
#include "kmodtext.h"

/* the module's versions read: 1 to PTDH_VERSION (kmod/ptdh_proto.h) */
#define PT_KMOD_VERSION_MIN 1

/* The next line of @text as a NUL-terminated copy in @line. */
static const char *pt_next_line(const char *p, const char *end, char *line,
				size_t len)
{
	const char *nl;
	size_t n;

	if (p >= end)
		return NULL;
	nl = memchr(p, '\n', end - p);
	n = (nl ? nl : end) - p;
	if (n >= len)
		n = len - 1;
	memcpy(line, p, n);
	line[n] = '\0';
	return nl ? nl + 1 : end;
}

static int pt_parse_hex(const char *s, uint64_t *v)
{
	char *end;

	if (!*s || *s == '-' || *s == '+' || *s == ' ')
		return -EINVAL;
	errno = 0;
	*v = strtoull(s, &end, 16);
	return errno || *end ? -EINVAL : 0;
}

/* The first line of every answer: "ptdump_helper VERSION", into @v. */
static int pt_kmod_header(const char **p, const char *end, int *v)
{
	char line[160], c;

	*p = pt_next_line(*p, end, line, sizeof(line));
	if (!*p || sscanf(line, "ptdump_helper %d%c", v, &c) != 1)
		return -EINVAL;
	return *v >= PT_KMOD_VERSION_MIN && *v <= PTDH_VERSION ? 0 : -EPROTO;
}

void pt_kmod_answer_free(struct pt_kmod_answer *a)
{
	free(a->vmas);
	free(a->entries);
	memset(a, 0, sizeof(*a));
}

#define PT_ONES 0x0101010101010101ull

/*
 * Eight lowercase hexadecimal digits loaded from memory into @v (the
 * first digit in the lowest byte), converted at once: a range answer has
 * about 28 digits an entry, and a loop over them was half its cost.
 */
static inline bool pt_hex8(uint64_t v, uint32_t *out)
{
	const uint64_t high = PT_ONES << 7;
	uint64_t digit, alpha, d;

	/* each byte's top bit: it is >= '0' and not > '9', or 'a' to 'f' */
	digit = (v + PT_ONES * (0x80 - '0')) & ~(v + PT_ONES * (0x7f - '9'));
	alpha = (v + PT_ONES * (0x80 - 'a')) & ~(v + PT_ONES * (0x7f - 'f'));
	if ((v & high) || ((digit | alpha) & high) != high)
		return false;
	d = (v & PT_ONES * 0x0f) + ((v >> 6) & PT_ONES) * 9;
	d = ((d << 4) | (d >> 8)) & 0x00ff00ff00ff00ffull;
	d = ((d << 8) | (d >> 16)) & 0x0000ffff0000ffffull;
	*out = (uint32_t)((d << 16) | (d >> 32));
	return true;
}

/* @k (1 to 8) digits at @p, which has 8 readable bytes */
static inline bool pt_hex_chunk(const char *p, unsigned int k,
				uint32_t *out)
{
	uint64_t v;

	memcpy(&v, p, 8);
	if (k < 8)	/* the digits to the top, '0's below them */
		v = v << (64 - 8 * k) | (PT_ONES * '0') >> (8 * k);
	return pt_hex8(v, out);
}

/* Where @c first is among the 16 bytes at @p; 17 if it is not there. */
static inline unsigned int pt_find_byte(const char *p, char c)
{
	const uint64_t high = PT_ONES << 7;
	uint64_t v, x, z;
	unsigned int i;

	for (i = 0; i < 16; i += 8) {
		memcpy(&v, p + i, 8);
		x = v ^ (PT_ONES * (unsigned char)c);
		/* the lowest flagged byte is the first zero byte of x */
		z = (x - PT_ONES) & ~x & high;
		if (z)
			return i + __builtin_ctzll(z) / 8;
	}
	return 17;
}

/*
 * 1 to 16 hexadecimal digits from *@pp up to @stop (excluded) or @end;
 * *@pp is left on the byte after the digits.
 */
static inline int pt_hex_field(const char **pp, const char *end, char stop,
			       uint64_t *v)
{
	const char *p = *pp;
	uint32_t hi = 0, lo;
	unsigned int n;
	uint64_t x = 0;

	/*
	 * The module's RAW is always 16 digits: tried first, and when any of
	 * them is not a digit (a shorter field may have @stop at 16 too),
	 * the field is measured instead.
	 */
	if (end - p > 16 && p[16] == stop && pt_hex_chunk(p, 8, &hi) &&
	    pt_hex_chunk(p + 8, 8, &lo)) {
		*v = (uint64_t)hi << 32 | lo;
		*pp = p + 16;
		return 0;
	}
	if (end - p >= 16) {
		n = pt_find_byte(p, stop);
		/* 16 digits that end the text */
		if (n > 16 && end - p == 16)
			n = 16;
	} else
		for (n = 0; p + n < end && p[n] != stop && n <= 16; n++)
			;
	if (!n || n > 16)
		return -EINVAL;
	hi = 0;
	if (end - p >= 16) {
		if (n > 8 && !pt_hex_chunk(p, n - 8, &hi))
			return -EINVAL;
		if (!pt_hex_chunk(p + (n > 8 ? n - 8 : 0), n > 8 ? 8 : n, &lo))
			return -EINVAL;
		x = (uint64_t)hi << 32 | lo;
	} else {
		/* near the end of the text: one digit at a time */
		for (unsigned int i = 0; i < n; i++) {
			unsigned int d = (unsigned char)p[i] - '0';

			if (d > 9) {
				d = (unsigned char)p[i] - 'a';
				if (d > 5)
					return -EINVAL;
				d += 10;
			}
			x = x << 4 | d;
		}
	}
	*v = x;
	*pp = p + n;
	return 0;
}

/* Each level's name and a space, as 4 bytes load: "pte " ... */
static void pt_kmod_level_words(uint32_t *words)
{
	int l;

	for (l = 0; l < PT_NR_LEVELS; l++) {
		char name[4] = { 0, 0, 0, ' ' };
		const char *n = pt_level_name(l);

		/* every level's name is 3 letters */
		memcpy(name, n, strnlen(n, 3));
		memcpy(&words[l], name, 4);
	}
}

/* The level named by the 3 bytes at @s then a space, or -1. */
static inline int pt_kmod_level(const uint32_t *words, const char *s,
				const char *end)
{
	uint32_t w;
	int l;

	if (end - s < 4)
		return -1;
	memcpy(&w, s, 4);
	/* the last level first: most lines are ptes */
	for (l = PT_NR_LEVELS - 1; l >= 0; l--)
		if (w == words[l])
			return l;
	return -1;
}

/* One of the module's state words, exactly */
static bool pt_kmod_state_word(const char *s, size_t n)
{
	switch (n) {
	case 3:
		return !memcmp(s, "bad", 3);
	case 4:
		return !memcmp(s, "leaf", 4) || !memcmp(s, "none", 4);
	case 5:
		return !memcmp(s, "table", 5);
	case 10:
		return !memcmp(s, "nonpresent", 10);
	}
	return false;
}

/* One entry line: a run of @count ptes when more than 1 (protocol 3). */
struct pt_kmod_line {
	int level;
	uint64_t va, raw, pm;
	bool has_pm, span;
	uint64_t count;
};

/*
 * Adds the entry or run of @ln under the last vma line.  A run stays one
 * entry until it is reported: each of its ptes written out here, to be
 * read back then, would double the memory touched per pte.
 */
static inline int pt_kmod_add_entry(struct pt_kmod_answer *a, size_t *cap,
				    const struct pt_kmod_line *ln)
{
	struct pt_kmod_entry *e;

	if (!a->nr_vmas)
		return -EINVAL;
	if (ln->count > PT_KMOD_MAX_ENTRIES - a->nr_expanded)
		return -E2BIG;
	if (pt_grow(&a->entries, cap, a->nr_entries, sizeof(*e), 1024))
		return -ENOMEM;
	e = &a->entries[a->nr_entries++];
	e->level = ln->level;
	e->has_pm = ln->has_pm;
	e->va = ln->va;
	e->raw = ln->raw;
	e->pm = ln->pm;
	e->vma = a->nr_vmas - 1;
	e->count = ln->count;
	e->span = ln->span;
	a->nr_expanded += ln->count;
	a->nr_spans += ln->span;
	return 0;
}

/* the module joins ptes only where raw values and words step so */
void pt_kmod_run_pte(const struct pt_kmod_entry *e, unsigned int k,
		     struct pt_kmod_entry *out)
{
	*out = *e;
	out->va = e->va + (uint64_t)k * PT_KMOD_PAGE;
	out->raw = e->raw + (uint64_t)k * PT_KMOD_PAGE;
	out->pm = e->pm + k;
	out->count = 1;
}

/*
 * "LEVEL VA RAW STATE[ PM[ COUNT[ s]]]" in [@p, @eol), one space apart,
 * the level already known: a range answer is mostly these lines, so they
 * are read in place, in one pass, with no copy, sscanf() or strtoull().
 * PM is a pte's pagemap word; COUNT (2 or more) makes the line a run of
 * that many ptes, which needs PM, and "s" a span (protocol 6).
 */
static bool pt_kmod_entry_fields(const char *p, const char *eol,
				 struct pt_kmod_line *ln)
{
	const char *sp;

	p += 4;
	if (pt_hex_field(&p, eol, ' ', &ln->va) || p == eol || ++p == eol ||
	    pt_hex_field(&p, eol, ' ', &ln->raw) || p == eol || ++p == eol)
		return false;
	ln->has_pm = false;
	ln->span = false;
	ln->pm = 0;
	ln->count = 1;
	sp = memchr(p, ' ', eol - p);
	if (!pt_kmod_state_word(p, (sp ? sp : eol) - p))
		return false;
	if (!sp)
		return true;
	p = sp + 1;
	if (pt_hex_field(&p, eol, ' ', &ln->pm))
		return false;
	ln->has_pm = true;
	if (p == eol)
		return true;
	if (eol - p > 2 && eol[-2] == ' ' && eol[-1] == 's') {
		ln->span = true;
		eol -= 2;
	}
	if (++p >= eol || pt_hex_field(&p, eol, ln->span ? ' ' : '\n', &ln->count) ||
	    p != eol)
		return false;
	/* a run steps by one pte: nothing above it, nothing past the top */
	return ln->count >= 2 && ln->level == PT_PTE &&
	       ln->count <= UINT64_MAX / PT_KMOD_PAGE &&
	       ln->va <= UINT64_MAX - ln->count * PT_KMOD_PAGE;
}

/*
 * 0x10 and each byte's value as a lowercase hexadecimal digit, 0 for any
 * other byte: the module writes no other digits
 */
static const uint8_t pt_hex_digit[256] = {
	['0'] = 0x10, ['1'] = 0x11, ['2'] = 0x12, ['3'] = 0x13, ['4'] = 0x14,
	['5'] = 0x15, ['6'] = 0x16, ['7'] = 0x17, ['8'] = 0x18, ['9'] = 0x19,
	['a'] = 0x1a, ['b'] = 0x1b, ['c'] = 0x1c, ['d'] = 0x1d, ['e'] = 0x1e,
	['f'] = 0x1f,
};

/*
 * 1 to 16 hexadecimal digits from *@pp up to a space, a newline or @end,
 * *@pp left on the byte after them: a short line's fields are a few
 * digits, which pt_hex_field()'s eight at a time do not pay for, and
 * reading them finds the line's end.
 */
static inline bool pt_hex_narrow(const char **pp, const char *end, uint64_t *v)
{
	const char *p = *pp, *stop = end - p > 16 ? p + 17 : end;
	uint64_t x = 0;
	unsigned int d;

	for (; p < stop && (d = pt_hex_digit[(unsigned char)*p]); p++)
		x = x << 4 | (d & 0xf);
	if (p == *pp || p - *pp > 16 || (p < end && *p != ' ' && *p != '\n'))
		return false;
	*v = x;
	*pp = p;
	return true;
}

/*
 * A short line "+D[ COUNT]" or "-D[ COUNT]" from @p on, up to its newline
 * or @end, where *@eol is left (protocol 5): the pte after the last one
 * of @prev, a pte line with a word, whose raw value and word are that
 * last pte's plus D pages and D, modulo 2^64.  The module writes one for
 * a pte that follows so, where PFNs make no runs: most lines of such a
 * range.
 */
static bool pt_kmod_short_fields(const char *p, const char *end,
				 const char **eol,
				 const struct pt_kmod_entry *prev,
				 struct pt_kmod_line *ln)
{
	uint64_t d, last = prev->count - 1;
	bool minus = *p++ == '-';
	const char *digits = p;

	/* as the module writes D: no leading 0, "+" below 2^63, "-" not 0 */
	if (!pt_hex_narrow(&p, end, &d) || (*digits == '0' && p - digits > 1) ||
	    (minus ? !d || d > 1ull << 63 : d >> 63))
		return false;
	ln->count = 1;
	if (p < end && *p == ' ') {
		p++;
		if (!pt_hex_narrow(&p, end, &ln->count) || ln->count < 2)
			return false;
	}
	*eol = p;
	if (p < end && *p != '\n')
		return false;
	if (minus)
		d = -d;
	ln->span = false;
	if (prev->va > UINT64_MAX - (uint64_t)prev->count * PT_KMOD_PAGE)
		return false;
	ln->level = PT_PTE;
	ln->has_pm = true;
	ln->va = prev->va + (uint64_t)prev->count * PT_KMOD_PAGE;
	ln->raw = prev->raw + (last + d) * PT_KMOD_PAGE;
	ln->pm = prev->pm + last + d;
	return ln->count <= UINT64_MAX / PT_KMOD_PAGE &&
	       ln->va <= UINT64_MAX - ln->count * PT_KMOD_PAGE;
}

/* [@p, @end) as a NUL-terminated copy in @line, cut to fit as before */
static void pt_line_copy(const char *p, const char *end, char *line,
			 size_t len)
{
	size_t n = end - p;

	if (n >= len)
		n = len - 1;
	memcpy(line, p, n);
	line[n] = '\0';
}

static bool pt_starts(const char *p, const char *end, const char *word,
		      size_t n)
{
	return (size_t)(end - p) >= n && !memcmp(p, word, n);
}

int pt_kmod_parse_reuse(const char *text, size_t len,
			       struct pt_kmod_answer *a)
{
	const char *p = text, *end = text + len, *eol, *nl;
	size_t ecap = a->ecap, vcap = a->vcap;
	char line[160], s1[24], s2[24], s3[24], extra;
	uint32_t words[PT_NR_LEVELS];
	struct pt_kmod_entry *entries = a->entries;
	struct pt_kmod_vma *vmas = a->vmas;
	struct pt_kmod_line ln;
	/* the line before is a pte line with a word: a short line may follow */
	bool ended = false, chain = false;
	int ret, version;

	memset(a, 0, sizeof(*a));
	a->entries = entries;
	a->vmas = vmas;
	pt_kmod_level_words(words);
	ret = pt_kmod_header(&p, end, &version);
	if (ret)
		return ret;
	p = pt_next_line(p, end, line, sizeof(line));
	if (!p || sscanf(line, "query %d %23s %23s %c", &a->pid, s1, s2, &extra) != 3 ||
	    pt_parse_hex(s1, &a->start) || pt_parse_hex(s2, &a->end))
		return -EINVAL;
	for (; p < end; p = nl ? nl + 1 : end) {
		/* a short line finds its own end */
		if (chain && (*p == '+' || *p == '-')) {
			ret = pt_kmod_short_fields(p, end, &eol,
						   &a->entries[a->nr_entries - 1], &ln) ?
				pt_kmod_add_entry(a, &ecap, &ln) : -EINVAL;
			if (ret)
				goto out_free;
			nl = eol < end ? eol : NULL;
			continue;
		}
		nl = memchr(p, '\n', end - p);
		eol = nl ? nl : end;
		/* most lines are entries: their level first */
		ln.level = ended || a->has_more ? -1 : pt_kmod_level(words, p, eol);
		if (ln.level >= 0) {
			/* no level's name is "end", "more" or "vma" */
			ret = pt_kmod_entry_fields(p, eol, &ln) &&
					      (!ln.span || version >= 6) ?
				pt_kmod_add_entry(a, &ecap, &ln) : -EINVAL;
			if (ret)
				goto out_free;
			/* a span's last pte is not its first plus its count */
			chain = version >= 5 && ln.level == PT_PTE && ln.has_pm &&
				!ln.span;
			continue;
		}
		chain = false;
		if (ended) {
			ret = -EINVAL;	/* nothing may follow "end" */
			goto out_free;
		}
		if (eol - p == 3 && !memcmp(p, "end", 3)) {
			ended = true;
		} else if (a->has_more) {
			ret = -EINVAL;	/* "more" is the last line before "end" */
			goto out_free;
		} else if (pt_starts(p, eol, "more ", 5)) {
			pt_line_copy(p, eol, line, sizeof(line));
			if (sscanf(line, "more %23s %c", s1, &extra) != 1 ||
			    pt_parse_hex(s1, &a->more) || a->more <= a->start ||
			    a->more >= a->end) {
				ret = -EINVAL;
				goto out_free;
			}
			a->has_more = true;
		} else if (pt_starts(p, eol, "unfollowed ", 11)) {
			uint64_t at;

			pt_line_copy(p, eol, line, sizeof(line));
			if (sscanf(line, "unfollowed %23s %c", s1, &extra) != 1 ||
			    pt_parse_hex(s1, &at) || !a->nr_vmas) {
				ret = -EINVAL;
				goto out_free;
			}
			if (!a->nr_unfollowed++)
				a->unfollowed = at;
		} else if (pt_starts(p, eol, "vma ", 4)) {
			struct pt_kmod_vma *v;

			pt_line_copy(p, eol, line, sizeof(line));
			if (sscanf(line, "vma %23s %23s %23s %c", s1, s2, s3, &extra) != 3) {
				ret = -EINVAL;
				goto out_free;
			}
			if (pt_grow(&a->vmas, &vcap, a->nr_vmas, sizeof(*v), 4)) {
				ret = -ENOMEM;
				goto out_free;
			}
			v = &a->vmas[a->nr_vmas];
			if (pt_parse_hex(s1, &v->start) || pt_parse_hex(s2, &v->end) ||
			    pt_parse_hex(s3, &v->flags) || v->start >= v->end) {
				ret = -EINVAL;
				goto out_free;
			}
			a->nr_vmas++;
		} else {
			ret = -EINVAL;	/* no other line */
			goto out_free;
		}
	}
	if (!ended) {
		ret = -EINVAL;	/* a truncated answer */
		goto out_free;
	}
	a->ecap = ecap;
	a->vcap = vcap;
	return 0;
out_free:
	pt_kmod_answer_free(a);
	return ret;
}

int pt_kmod_version(const char *text, size_t len)
{
	const char *p = text;
	int v, ret = pt_kmod_header(&p, text + len, &v);

	return ret ? ret : v;
}

int pt_kmod_parse_answer(const char *text, size_t len,
			 struct pt_kmod_answer *a)
{
	memset(a, 0, sizeof(*a));
	return pt_kmod_parse_reuse(text, len, a);
}

int pt_kmod_parse_layout(const char *text, size_t len, struct pt_layout *ly)
{
	const char *p = text, *end = text + len;
	char line[160], name[40], val[24], extra;
	bool ended = false;
	uint64_t v;
	int n, ret;

	ret = pt_kmod_header(&p, end, &n);
	if (ret)
		return ret;
	while ((p = pt_next_line(p, end, line, sizeof(line))) && !ended) {
		if (!strcmp(line, "end")) {
			ended = true;
		} else if (sscanf(line, "levels %d %c", &n, &extra) == 1) {
			if (n != 4 && n != 5)
				return -EINVAL;
			pt_layout_set_la57(ly, n == 5);
		} else if (!strncmp(line, "pti ", 4)) {
			if (sscanf(line, "pti %d %c", &n, &extra) != 1 ||
			    (n != 0 && n != 1))
				return -EINVAL;
			ly->pti = n;
		} else if (sscanf(line, "bit %39s %23s %c", name, val, &extra) == 2) {
			if (pt_parse_hex(val, &v) || !v)
				return -EINVAL;
			ret = pt_layout_set_bit(ly, name, PT_L_ALL, v);
			if (ret)
				return ret;
		} else if (sscanf(line, "mt %39s %d %c", name, &n, &extra) == 2) {
			/* arm64: a MAIR slot's MT_* name, PTE_ATTRINDX's value */
			if (n < 0 || strncmp(name, "MT_", 3))
				return -EINVAL;
			ret = pt_layout_set_value(ly, "attrindx", (uint64_t)n, name);
			if (ret)
				return ret;
		} else if (sscanf(line, "vmflag %39s %23s %c", name, val, &extra) == 2) {
			if (strlen(name) != 2 || pt_parse_hex(val, &v) || !v ||
			    ly->nr_vmflags >= sizeof(ly->vmflags) / sizeof(ly->vmflags[0]))
				return -EINVAL;
			memcpy(ly->vmflags[ly->nr_vmflags].name, name, 3);
			ly->vmflags[ly->nr_vmflags++].mask = v;
		} else if (sscanf(line, "swp %39s %d %c", name, &n, &extra) == 2) {
			if (n < -1 || n > 31)
				return -EINVAL;
			if (!strcmp(name, "max_swapfiles"))
				ly->swp.max_swapfiles = n;
			else if (!strcmp(name, "migration_read"))
				ly->swp.migration_read = n;
			else if (!strcmp(name, "hwpoison"))
				ly->swp.hwpoison = n;
			else if (!strcmp(name, "device_first"))
				ly->swp.device_first = n;
			else if (!strcmp(name, "marker"))
				ly->swp.marker = n;
			else if (!strcmp(name, "swapin_error"))
				ly->swp.swapin_error = n;
		}
		/* arch, release, shift, pfn_mask: informational */
	}
	return ended ? 0 : -EINVAL;
}
