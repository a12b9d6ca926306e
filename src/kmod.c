// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "grow.h"
#include "kmod.h"
#include "procfs.h"

/* the module's versions read: 1 to PTDH_VERSION (kmod/ptdh_proto.h) */
#define PT_KMOD_VERSION_MIN 1
#define PT_KMOD_PAGE 4096u	/* the step of a run: both architectures' */
/* room past the longest answer: one cut short would lack its "end" */
#define PT_KMOD_ANSWER_MAX (2 * PTDH_OUT_MAX)

struct pt_kmod_priv {
	int walk_fd;
	const struct pt_kmod_ask *ask;
	void *ctx;
	char *buf;		/* the last answer */
	size_t cap;
};

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

/* The first line of every answer: "ptdump_helper VERSION". */
static int pt_kmod_header(const char **p, const char *end)
{
	char line[160], c;
	int v;

	*p = pt_next_line(*p, end, line, sizeof(line));
	if (!*p || sscanf(line, "ptdump_helper %d%c", &v, &c) != 1)
		return -EINVAL;
	return v >= PT_KMOD_VERSION_MIN && v <= PTDH_VERSION ? 0 : -EPROTO;
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
	bool has_pm;
	uint64_t count;
};

/*
 * Adds the entry or run of @ln under the last vma line.  A run stays one
 * entry until it is reported: each of its ptes written out here, to be
 * read back then, would double the memory touched per pte.
 */
static int pt_kmod_add_entry(struct pt_kmod_answer *a, size_t *cap,
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
	a->nr_expanded += ln->count;
	return 0;
}

/*
 * The @k-th pte of the run @e: the module joins ptes only where raw values
 * and words step so.
 */
static void pt_kmod_run_pte(const struct pt_kmod_entry *e, unsigned int k,
			    struct pt_kmod_entry *out)
{
	*out = *e;
	out->va = e->va + (uint64_t)k * PT_KMOD_PAGE;
	out->raw = e->raw + (uint64_t)k * PT_KMOD_PAGE;
	out->pm = e->pm + k;
	out->count = 1;
}

/*
 * "LEVEL VA RAW STATE[ PM[ COUNT]]" in [@p, @eol), one space apart, the
 * level already known: a range answer is mostly these lines, so they are
 * read in place, in one pass, with no copy, sscanf() or strtoull().  PM
 * is a pte's pagemap word; COUNT (2 or more) makes the line a run of that
 * many ptes, which needs PM.
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
	if (++p == eol || pt_hex_field(&p, eol, '\n', &ln->count) || p != eol)
		return false;
	/* a run steps by one pte: nothing above it, nothing past the top */
	return ln->count >= 2 && ln->level == PT_PTE &&
	       ln->count <= UINT64_MAX / PT_KMOD_PAGE &&
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

/*
 * pt_kmod_parse_answer() into the arrays of @a's last answer (or none, @a
 * zeroed): a range is read in parts, and growing new arrays for each part
 * cost page faults and copies.
 */
static int pt_kmod_parse_reuse(const char *text, size_t len,
			       struct pt_kmod_answer *a)
{
	const char *p = text, *end = text + len, *eol, *nl;
	size_t ecap = a->ecap, vcap = a->vcap;
	char line[160], s1[24], s2[24], s3[24], extra;
	uint32_t words[PT_NR_LEVELS];
	struct pt_kmod_entry *entries = a->entries;
	struct pt_kmod_vma *vmas = a->vmas;
	struct pt_kmod_line ln;
	bool ended = false;
	int ret;

	memset(a, 0, sizeof(*a));
	a->entries = entries;
	a->vmas = vmas;
	pt_kmod_level_words(words);
	ret = pt_kmod_header(&p, end);
	if (ret)
		return ret;
	p = pt_next_line(p, end, line, sizeof(line));
	if (!p || sscanf(line, "query %d %23s %23s %c", &a->pid, s1, s2, &extra) != 3 ||
	    pt_parse_hex(s1, &a->start) || pt_parse_hex(s2, &a->end))
		return -EINVAL;
	for (; p < end; p = nl ? nl + 1 : end) {
		nl = memchr(p, '\n', end - p);
		eol = nl ? nl : end;
		/* most lines are entries: their level first */
		ln.level = ended || a->has_more ? -1 : pt_kmod_level(words, p, eol);
		if (ln.level >= 0) {
			/* no level's name is "end", "more" or "vma" */
			ret = pt_kmod_entry_fields(p, eol, &ln) ?
				pt_kmod_add_entry(a, &ecap, &ln) : -EINVAL;
			if (ret)
				goto out_free;
			continue;
		}
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

	ret = pt_kmod_header(&p, end);
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

static ssize_t pt_read_all(int fd, char *buf, size_t cap)
{
	size_t len = 0;
	ssize_t n;

	while (len < cap) {
		n = read(fd, buf + len, cap - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (!n)
			break;
		len += n;
	}
	return len;
}

static int pt_walk_send(void *ctx, const char *q, size_t len)
{
	struct pt_kmod_priv *priv = ctx;

	return write(priv->walk_fd, q, len) == (ssize_t)len ? 0 : -errno;
}

static ssize_t pt_walk_recv(void *ctx, char *buf, size_t cap)
{
	struct pt_kmod_priv *priv = ctx;

	return pt_read_all(priv->walk_fd, buf, cap);
}

/* the module's walk file */
static const struct pt_kmod_ask pt_kmod_walk_file = {
	.send = pt_walk_send,
	.recv = pt_walk_recv,
};

/* @why added to the source's note once, found again by @key */
static void pt_kmod_note_add(struct pt_source *s, const char *key, const char *why)
{
	size_t n = strlen(s->note);

	if (!strstr(s->note, key))
		snprintf(s->note + n, sizeof(s->note) - n, "%s%s", n ? "; " : "", why);
}

static int pt_kmod_query(struct pt_source *s, pid_t pid, uint64_t start,
			 uint64_t end, bool single, struct pt_kmod_answer *a,
			 struct pt_err *err)
{
	struct pt_kmod_priv *priv = s->priv;
	char q[96];
	ssize_t n;
	int len, ret;

	if (single)
		len = snprintf(q, sizeof(q), "%d %" PRIx64 "\n", (int)pid, start);
	else
		len = snprintf(q, sizeof(q), "%d %" PRIx64 " %" PRIx64 "\n",
			       (int)pid, start, end);
	ret = priv->ask->send(priv->ctx, q, len);
	if (ret) {
		switch (-ret) {
		case ESRCH:
			return pt_err_set(err, PT_EXITED,
					  "process %d exited while it was inspected",
					  (int)pid);
		case ENOENT:
			return pt_err_set(err, PT_NOT_MAPPED,
					  "0x%" PRIx64 " is not mapped in process %d",
					  start, (int)pid);
		case E2BIG:
		case EFBIG:
			return pt_err_set(err, PT_BAD_ADDR,
					  "range 0x%" PRIx64 "-0x%" PRIx64 " is too large for one query",
					  start, end);
		case EPERM:
		case EACCES:
			return pt_err_set(err, PT_PERM,
					  "ptdump_helper refused the query: run ptinspect as root");
		default:
			return pt_err_set(err, PT_KMOD_PROTO,
					  "ptdump_helper refused '%.*s': %s",
					  len - 1, q, strerror(-ret));
		}
	}
	n = priv->ask->recv(priv->ctx, priv->buf, priv->cap);
	if (n < 0)
		return pt_err_set(err, PT_KMOD_PROTO,
				  "cannot read ptdump_helper/walk: %s",
				  strerror((int)-n));
	ret = pt_kmod_parse_reuse(priv->buf, n, a);
	if (ret)
		return pt_err_set(err, PT_KMOD_PROTO,
				  "unreadable answer from ptdump_helper (%s)",
				  ret == -EPROTO ? "another protocol version" :
						   strerror(-ret));
	if (a->nr_unfollowed)
		pt_kmod_note_add(s, "shared hugetlb", "shared hugetlb pmd tables not read by ptdump_helper: it was built for a kernel without the IPI to every CPU after unsharing one (huge_pmd_unshare_flush()); the pmd and below are pagemap's");
	return 0;
}

/* Levels the module did not report stay ABSENT; the decoder names the rest. */
static void pt_kmod_set_level(const struct pt_layout *ly, struct pt_walk *w,
			      const struct pt_kmod_entry *e)
{
	struct pt_entry *le = &w->level[e->level];

	le->has_raw = true;
	le->raw = e->raw;
	le->va = e->va;
	le->derived = false;
	le->state = ly->arch->state(ly, e->level, e->raw);
	/* only the top level has two copies under PTI; the module reads the user's */
	le->user_copy = ly->pti && e->level == PT_PGD;
}

/*
 * Reading /proc/PID/smaps walks every VMA, VM_PFNMAP ones included
 * (walk_page_vma() has no walk_page_test(), fs/proc/task_mmu.c:1108 at
 * 6.12), and walk_pud_range() splits each huge pud on the way
 * (mm/pagewalk.c:193), which for a pfnmap zaps it; PAGEMAP_SCAN walks
 * pfnmaps too.  So the module's source names the VMA's flags from the
 * walk's own vm_flags and reads nothing of /proc that walks under a
 * huge pud: looking must not remove what is looked at.
 */
static bool pt_kmod_pud_leaf(const struct pt_walk *w)
{
	return w->level[PT_PUD].has_raw &&
	       (w->level[PT_PUD].state == PT_STATE_LEAF ||
		w->level[PT_PUD].state == PT_STATE_INVALID);
}

/*
 * The VMA: maps for its range and path, the walk's vm_flags for VmFlags.
 * The path goes to @pool (NULL: the program's, pt_maps_parse_line()).
 */
static int pt_kmod_vma(const struct pt_source *s, pid_t pid, uint64_t addr,
		       const struct pt_kmod_answer *a, struct pt_vma *v,
		       struct pt_intern *pool, struct pt_err *err)
{
	const struct pt_layout *ly = &s->layout;
	const struct pt_kmod_vma *kv = NULL;
	size_t i;
	int ret;

	ret = pt_maps_vma(pid, addr, v, pool, err);
	if (ret < 0)
		return ret;
	for (i = 0; i < a->nr_vmas; i++)
		if (addr >= a->vmas[i].start && addr < a->vmas[i].end)
			kv = &a->vmas[i];
	/* a module without vmflag lines: smaps, unless it would zap a pud */
	if (!kv || !ly->nr_vmflags)
		return 1;
	v->nr_flags = 0;
	v->has_flags = true;
	for (i = 0; i < ly->nr_vmflags && v->nr_flags < PT_MAX_VMFLAGS; i++)
		if (kv->flags & ly->vmflags[i].mask)
			memcpy(v->flags[v->nr_flags++], ly->vmflags[i].name, 3);
	v->kind = pt_vma_classify(v);
	return 0;
}

static void pt_kmod_note(struct pt_source *s)
{
	pt_kmod_note_add(s, "huge pud", "pagemap and smaps not read under a huge pud: reading them would split (zap) the pud (walk_pud_range() -> split_huge_pud())");
}

static int pt_kmod_walk_once(struct pt_source *s, pid_t pid, uint64_t addr,
			     struct pt_walk *w, struct pt_err *err)
{
	struct pt_kmod_answer a = { 0 };
	size_t i;
	int l, ret;

	pt_walk_init(s, pid, addr, w);
	ret = pt_proc_check(pid, err);
	if (ret < 0)
		return ret;
	/* the raw entries first: reading /proc may change them */
	ret = pt_kmod_query(s, pid, addr, addr + 1, true, &a, err);
	if (ret < 0)
		return ret;
	for (l = 0; l < PT_NR_LEVELS; l++)
		w->level[l].state = PT_STATE_ABSENT;
	for (i = 0; i < a.nr_entries; i++)
		pt_kmod_set_level(&s->layout, w, &a.entries[i]);
	ret = pt_kmod_vma(s, pid, addr, &a, &w->vma, NULL, err);
	pt_kmod_answer_free(&a);
	if (ret < 0)
		return ret;
	if (pt_kmod_pud_leaf(w)) {
		pt_kmod_note(s);
		return 0;
	}
	if (ret > 0) {
		ret = pt_smaps_read(pid, &w->vma, err);
		if (ret < 0)
			return ret;
	}
	return pt_pagemap_read(s, pid, addr, w, err);
}

/* Do the raw leaf and the pagemap word name the same page? */
static bool pt_kmod_walk_agrees(const struct pt_layout *ly, const struct pt_walk *w)
{
	struct pt_decoded d;
	int l = pt_walk_leaf(w);

	if (l < 0 || !w->level[l].has_raw || !w->pm.valid || !w->pm.present || w->pm.pfn_hidden)
		return true;
	pt_decode(ly, (enum pt_level)l, w->level[l].raw, &d);
	if (d.state != PT_STATE_LEAF || !d.has_pfn)
		return true;
	return pt_walk_page_pfn(w, l, d.pfn) == w->pm.pfn;
}

/*
 * The raw entries and the pagemap word are read one after the other, so a
 * page that moves in between (khugepaged collapsing the range, compaction)
 * gives a walk whose halves disagree.  Such a walk is taken again, up to
 * three times in all; a decoding bug disagrees every time.
 */
static int pt_kmod_walk(struct pt_source *s, pid_t pid, uint64_t addr,
			struct pt_walk *w, struct pt_err *err)
{
	int i, ret = 0;

	for (i = 0; i < 3; i++) {
		ret = pt_kmod_walk_once(s, pid, addr, w, err);
		if (ret < 0 || pt_kmod_walk_agrees(&s->layout, w))
			break;
	}
	return ret;
}

/*
 * A leaf, or the deepest entry at which the walk stopped.  A table entry
 * that ends an answer cut short is not: its entries come in the next
 * answer, which repeats it.
 */
static bool pt_kmod_is_last(const struct pt_layout *ly,
			    const struct pt_kmod_answer *a, size_t i)
{
	const struct pt_kmod_entry *e = &a->entries[i];

	if (ly->arch->state(ly, e->level, e->raw) != PT_STATE_TABLE)
		return true;
	if (i + 1 == a->nr_entries)
		return !a->has_more;
	return a->entries[i + 1].level <= e->level;
}

/* The entries above the one being reported, carried across answers. */
struct pt_kmod_path {
	struct pt_kmod_entry e[PT_NR_LEVELS];
	bool set[PT_NR_LEVELS];
	struct pt_vma vma;	/* the last entry's, read once per VMA */
	struct pt_intern pool;	/* the VMAs' paths, until the walk ends */
};

/* each pte of a run in turn (@k), then the next entry (@i) */
static void pt_kmod_next(const struct pt_kmod_answer *a, size_t *i,
			 unsigned int *k)
{
	if (++*k >= a->entries[*i].count) {
		*k = 0;
		(*i)++;
	}
}

/*
 * Every populated last entry of one answer becomes one walk, with the
 * latest entry of each level above.
 */
static int pt_kmod_answer_walks(struct pt_source *s, pid_t pid,
				const struct pt_kmod_answer *a,
				struct pt_kmod_path *path, struct pt_walk *w,
				pt_walk_fn fn, void *arg, struct pt_err *err)
{
	const struct pt_layout *ly = &s->layout;
	int l, ret = 0, vma_ret = 0;
	struct pt_kmod_entry one;
	const struct pt_kmod_entry *e;
	unsigned int k;
	enum pt_state st;
	size_t i;

	for (i = 0, k = 0; i < a->nr_entries && !ret; pt_kmod_next(a, &i, &k)) {
		e = &a->entries[i];
		if (e->count > 1) {
			pt_kmod_run_pte(e, k, &one);
			e = &one;
		}
		path->e[e->level] = *e;
		path->set[e->level] = true;
		for (l = e->level + 1; l < PT_NR_LEVELS; l++)
			path->set[l] = false;
		st = ly->arch->state(ly, e->level, e->raw);
		/* a table with nothing populated under it maps nothing */
		if (!pt_kmod_is_last(ly, a, i) || st == PT_STATE_NONE ||
		    st == PT_STATE_TABLE)
			continue;
		pt_walk_init(s, pid, e->va, w);
		for (l = 0; l < PT_NR_LEVELS; l++) {
			w->level[l].state = PT_STATE_ABSENT;
			if (path->set[l])
				pt_kmod_set_level(ly, w, &path->e[l]);
		}
		if (e->va < path->vma.start || e->va >= path->vma.end) {
			vma_ret = pt_kmod_vma(s, pid, e->va, a, &path->vma, &path->pool, err);
			if (vma_ret < 0)
				return vma_ret;
		}
		w->vma = path->vma;
		ret = vma_ret;
		if (pt_kmod_pud_leaf(w)) {
			pt_kmod_note(s);
			ret = 0;
		} else {
			if (ret > 0)
				ret = pt_smaps_read(pid, &w->vma, err);
			if (ret >= 0)
				ret = pt_pagemap_read(s, pid, e->va, w, err);
		}
		if (!ret)
			ret = fn(w, arg);
	}
	return ret;
}

/*
 * A range answer lists each entry once, in walk order.  The module answers
 * a large range in parts ("more ADDR"), dropping the target's mmap lock in
 * between: each part is reported before the next is asked for, so memory
 * follows one answer, not the range.
 */
static int pt_kmod_walk_range(struct pt_source *s, pid_t pid, uint64_t start,
			      uint64_t end, pt_walk_fn fn, void *arg,
			      struct pt_err *err)
{
	struct pt_kmod_path *path;
	struct pt_kmod_answer a = { 0 };
	struct pt_walk *w;
	int ret;

	ret = pt_proc_check(pid, err);
	if (ret < 0)
		return ret;
	w = malloc(sizeof(*w));
	path = calloc(1, sizeof(*path));
	if (!w || !path) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	do {
		ret = pt_kmod_query(s, pid, start, end, false, &a, err);
		if (ret < 0)
			break;
		ret = pt_kmod_answer_walks(s, pid, &a, path, w, fn, arg, err);
		start = a.more;
		if (!a.has_more)
			start = end;
		pt_kmod_answer_free(&a);
	} while (!ret && start < end);
out_free:
	if (path)
		pt_intern_free(&path->pool);
	free(path);
	free(w);
	return ret;
}

/*
 * pagemap words of one window of pages, read in bulk for the batches'
 * entries the module gave no word for: all of them from a module before
 * protocol 3, else huge leaves and what it leaves to pagemap
 * (man/ptdump_helper.4)
 */
#define PT_KMOD_PM_WINDOW 32768u
#define PT_KMOD_PM_UNOPENED (-2)
/* entries of one batch: runs are expanded into it, a batch at a time */
#define PT_KMOD_BATCH 4096u

struct pt_kmod_batch {
	struct pt_source *s;
	pid_t pid;
	unsigned int what;
	int pm_fd, kpf_fd, kpc_fd;
	uint64_t *words;	/* PT_KMOD_PM_WINDOW words from @win */
	uint64_t win, win_len;	/* first page's address, pages read */
	struct pt_range_entry *ents;
	size_t cap;
	struct pt_vma vma;
	struct pt_intern pool;	/* the VMAs' paths, until the walk ends */
	uint64_t vma_start;	/* of the last mapping reported, or 1 */
};

/*
 * The pagemap word of @va, from a window read in one pread.  A plain
 * pagemap read passes VM_PFNMAP mappings by (walk_page_test()), so it
 * never splits the huge pfnmap pud that smaps or PAGEMAP_SCAN would.
 */
static bool pt_kmod_pm_word(struct pt_kmod_batch *b, uint64_t va,
			    uint64_t *word)
{
	ssize_t n;

	if (b->pm_fd == PT_KMOD_PM_UNOPENED) {
		b->words = malloc(PT_KMOD_PM_WINDOW * 8);
		b->pm_fd = b->words ? pt_proc_open(b->pid, "pagemap", O_RDONLY, NULL) : -1;
	}
	if (b->pm_fd < 0)
		return false;
	if (va < b->win || va >= b->win + b->win_len * 4096) {
		n = pread(b->pm_fd, b->words, PT_KMOD_PM_WINDOW * 8,
			  (off_t)(va / 4096 * 8));
		b->win = va & ~4095ull;
		b->win_len = n > 0 ? (uint64_t)n / 8 : 0;
		if (!b->win_len)
			return false;
	}
	*word = b->words[(va - b->win) / 4096];
	return true;
}

static bool pt_kmod_kpage(int fd, uint64_t pfn, uint64_t *v)
{
	return fd >= 0 && pread(fd, v, 8, (off_t)(pfn * 8)) == 8;
}

/*
 * The ptes of the run @ke, of state @st, with their words and nothing
 * else: the common case of a range, in as few steps a pte as can be.
 */
static int pt_kmod_batch_run(struct pt_kmod_batch *b,
			     const struct pt_kmod_entry *ke, enum pt_state st,
			     size_t *n, pt_batch_fn fn, void *arg)
{
	struct pt_range_entry *e;
	unsigned int k;
	int ret;

	for (k = 0; k < ke->count; k++) {
		if (*n == b->cap) {
			ret = fn(&b->vma, b->ents, *n, arg);
			if (ret)
				return ret;
			*n = 0;
		}
		e = &b->ents[(*n)++];
		e->va = ke->va + (uint64_t)k * PT_KMOD_PAGE;
		e->raw = ke->raw + (uint64_t)k * PT_KMOD_PAGE;
		e->pm = ke->pm + k;
		e->kpageflags = 0;
		e->kpagecount = 0;
		e->level = ke->level;
		e->state = st;
		e->flags = PT_RE_RAW | PT_RE_SCAN | PT_RE_PM;
	}
	return 0;
}

/*
 * The leaf and non-present entries of the answer's mapping @vi, as a
 * batch: they follow each other from entry *@next on (walk order).
 */
static int pt_kmod_batch_vma(struct pt_kmod_batch *b,
			     const struct pt_kmod_answer *a, size_t vi,
			     size_t *next, pt_batch_fn fn, void *arg,
			     struct pt_err *err)
{
	const struct pt_layout *ly = &b->s->layout;
	const struct pt_kmod_vma *kv = &a->vmas[vi];
	uint64_t pfn, word;
	size_t i, n = 0;
	int ret;

	if (kv->start != b->vma_start) {
		ret = pt_kmod_vma(b->s, b->pid, kv->start, a, &b->vma, &b->pool, err);
		if (ret < 0)
			return ret;
		b->vma_start = kv->start;
		ret = fn(&b->vma, NULL, 0, arg);
		if (ret)
			return ret;
	}
	for (i = *next; i < a->nr_entries && a->entries[i].vma == vi; i++) {
		const struct pt_kmod_entry *ke = &a->entries[i];
		uint64_t step = (uint64_t)(ke->count - 1) * PT_KMOD_PAGE;
		enum pt_state st, last, sk;
		unsigned int k;

		/*
		 * Raw values only grow along a run, from its first to its
		 * last pte by whole pages: the bits above the PFN's are the
		 * same in all when they are at both ends, so is the state.
		 */
		st = ly->arch->state(ly, ke->level, ke->raw);
		last = step ? ly->arch->state(ly, ke->level, ke->raw + step) : st;
		if (step && st == last && ke->has_pm && !(b->what & PT_RANGE_KPF) &&
		    st != PT_STATE_NONE && st != PT_STATE_TABLE) {
			ret = pt_kmod_batch_run(b, ke, st, &n, fn, arg);
			if (ret)
				return ret;
			continue;
		}
		for (k = 0; k < ke->count; k++) {
			uint64_t raw = ke->raw + (uint64_t)k * PT_KMOD_PAGE;
			uint64_t va = ke->va + (uint64_t)k * PT_KMOD_PAGE;
			struct pt_range_entry *e;

			sk = st == last ? st : ly->arch->state(ly, ke->level, raw);
			if (sk == PT_STATE_NONE || sk == PT_STATE_TABLE)
				continue;
			if (n == b->cap) {
				ret = fn(&b->vma, b->ents, n, arg);
				if (ret)
					return ret;
				n = 0;
			}
			e = &b->ents[n++];
			*e = (struct pt_range_entry){
				.va = va,
				.raw = raw,
				.level = ke->level,
				.state = sk,
				.flags = PT_RE_RAW | PT_RE_SCAN,
			};
			if (ke->has_pm) {
				e->pm = ke->pm + k;
				e->flags |= PT_RE_PM;
			} else if (pt_kmod_pm_word(b, va, &word)) {
				e->pm = word;
				e->flags |= PT_RE_PM;
			}
			if (sk == PT_STATE_LEAF && (b->what & PT_RANGE_KPF)) {
				pfn = ly->arch->pfn(ly, ke->level, sk, raw);
				if (pfn && pt_kmod_kpage(b->kpf_fd, pfn, &e->kpageflags))
					e->flags |= PT_RE_KPF;
				if (pfn && pt_kmod_kpage(b->kpc_fd, pfn, &e->kpagecount))
					e->flags |= PT_RE_KPC;
			}
		}
	}
	*next = i;
	return n ? fn(&b->vma, b->ents, n, arg) : 0;
}

/*
 * Batches straight from the module's answers, part after part: each
 * entry's raw bits, its pagemap word (the module's, or read in bulk),
 * kpageflags when asked.
 * VmFlags come from the walk's vma lines; smaps is never read.
 */
static int pt_kmod_walk_batch(struct pt_source *s, pid_t pid, uint64_t start,
			      uint64_t end, unsigned int what, pt_batch_fn fn,
			      void *arg, struct pt_err *err)
{
	struct pt_kmod_batch b = {
		.s = s, .pid = pid, .what = what, .vma_start = 1,
		.pm_fd = PT_KMOD_PM_UNOPENED, .kpf_fd = -1, .kpc_fd = -1,
	};
	uint64_t at = start;
	struct pt_kmod_answer a = { 0 };
	bool first = true;
	size_t vi, next;
	int ret;

	ret = pt_proc_check(pid, err);
	if (ret < 0)
		return ret;
	b.cap = PT_KMOD_BATCH;
	b.ents = malloc(b.cap * sizeof(*b.ents));
	if (!b.ents)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	if (what & PT_RANGE_KPF) {
		b.kpf_fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
		b.kpc_fd = open("/proc/kpagecount", O_RDONLY | O_CLOEXEC);
	}
	do {
		ret = pt_kmod_query(s, pid, at, end, false, &a, err);
		if (ret == -PT_NOT_MAPPED && first) {
			ret = pt_err_set(err, PT_NOT_MAPPED,
					 "nothing is mapped in 0x%" PRIx64 "-0x%" PRIx64 " in process %d",
					 start, end, (int)pid);
		} else if (ret == -PT_NOT_MAPPED) {
			/* the rest of the range was unmapped between two parts */
			ret = pt_err_set(err, PT_CHANGED,
					 "walk stopped at 0x%" PRIx64 ": nothing is mapped from there on any more",
					 at);
		} else if (ret == -PT_EXITED) {
			ret = pt_err_set(err, PT_EXITED,
					 "walk stopped at 0x%" PRIx64 ": process %d exited",
					 at, (int)pid);
		}
		if (ret < 0)
			break;
		first = false;
		for (vi = 0, next = 0; vi < a.nr_vmas && !ret; vi++)
			ret = pt_kmod_batch_vma(&b, &a, vi, &next, fn, arg, err);
		at = a.has_more ? a.more : end;
	} while (!ret && at < end);
	/* the arrays of the last part, which the next one reused */
	pt_kmod_answer_free(&a);
	if (b.pm_fd >= 0)
		close(b.pm_fd);
	if (b.kpf_fd >= 0)
		close(b.kpf_fd);
	if (b.kpc_fd >= 0)
		close(b.kpc_fd);
	free(b.ents);
	free(b.words);
	pt_intern_free(&b.pool);
	return ret;
}

static void pt_kmod_close(struct pt_source *s)
{
	struct pt_kmod_priv *priv = s->priv;

	if (!priv)
		return;
	if (priv->walk_fd >= 0)
		close(priv->walk_fd);
	free(priv->buf);
	free(priv);
	s->priv = NULL;
}

static const struct pt_source_ops pt_kmod_ops = {
	.walk = pt_kmod_walk,
	.walk_range = pt_kmod_walk_range,
	.walk_batch = pt_kmod_walk_batch,
	.close = pt_kmod_close,
};

static const char *pt_kmod_dir(void)
{
	const char *d = getenv("PTINSPECT_KMOD_DIR");

	return d && *d ? d : PT_KMOD_DIR;
}

static int pt_kmod_errno(int errnum, const char *file, struct pt_err *err)
{
	if (errnum == EACCES || errnum == EPERM)
		return pt_err_set(err, PT_PERM,
				  "cannot open %s/%s: permission denied; run ptinspect as root (sudo)",
				  pt_kmod_dir(), file);
	return pt_err_set(err, PT_NO_KMOD,
			  "the ptdump_helper module is not loaded (%s/%s: %s); load it with: sudo make -C kmod load",
			  pt_kmod_dir(), file, strerror(errnum));
}

/* A source with the module's protocol over @ask, its layout already read. */
static int pt_kmod_setup(struct pt_source *s, struct pt_kmod_priv *priv,
			 const char *layout, size_t len, struct pt_err *err)
{
	int ret = pt_source_init_common(s, err);

	if (ret < 0)
		return ret;
	s->name = "kmod";
	s->ops = &pt_kmod_ops;
	if (pt_kmod_parse_layout(layout, len, &s->layout)) {
		s->ops = NULL;
		return pt_err_set(err, PT_KMOD_PROTO,
				  "unreadable %s/layout (another protocol version?)",
				  pt_kmod_dir());
	}
	s->priv = priv;
	return 0;
}

int pt_kmod_open_ask(struct pt_source *s, const char *layout, size_t len,
		     const struct pt_kmod_ask *ask, void *ctx,
		     struct pt_err *err)
{
	struct pt_kmod_priv *priv;
	int ret;

	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	priv->walk_fd = -1;
	priv->ask = ask;
	priv->ctx = ctx;
	priv->cap = PT_KMOD_ANSWER_MAX;
	priv->buf = malloc(priv->cap);
	ret = priv->buf ? pt_kmod_setup(s, priv, layout, len, err) :
			  pt_err_set(err, PT_NO_MEM, "out of memory");
	if (ret) {
		free(priv->buf);
		free(priv);
	}
	return ret;
}

int pt_kmod_open(struct pt_source *s, struct pt_err *err)
{
	struct pt_kmod_priv *priv;
	char path[512];
	ssize_t n;
	int fd, ret;

	priv = calloc(1, sizeof(*priv));
	if (!priv)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	priv->walk_fd = -1;
	priv->ask = &pt_kmod_walk_file;
	priv->ctx = priv;
	priv->cap = PT_KMOD_ANSWER_MAX;
	priv->buf = malloc(priv->cap);
	if (!priv->buf) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	snprintf(path, sizeof(path), "%s/layout", pt_kmod_dir());
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		ret = pt_kmod_errno(errno, "layout", err);
		goto out_free;
	}
	n = pt_read_all(fd, priv->buf, priv->cap);
	close(fd);
	if (n < 0) {
		ret = pt_err_set(err, PT_KMOD_PROTO, "cannot read %s: %s",
				 path, strerror((int)-n));
		goto out_free;
	}
	ret = pt_kmod_setup(s, priv, priv->buf, n, err);
	if (ret)
		goto out_free;
	snprintf(path, sizeof(path), "%s/walk", pt_kmod_dir());
	priv->walk_fd = open(path, O_RDWR | O_CLOEXEC);
	if (priv->walk_fd < 0) {
		ret = pt_kmod_errno(errno, "walk", err);
		goto out_free;
	}
	return 0;
out_free:
	s->priv = NULL;
	free(priv->buf);
	free(priv);
	s->ops = NULL;
	return ret;
}
