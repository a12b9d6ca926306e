// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "lang.h"
#include "explain.h"
#include "lab.h"

/* the compiled-in rows files (src/rows_*.c, made by scripts/gen-rows.sh) */
extern const char pt_rows_x86_64[];
extern const char pt_rows_arm64[];

/*
 * What a row's precondition can name: the state of the watched entry
 * before the event, facts about its VMA and the lab, and where the event
 * fell.  Each is computed from the previous snapshot (pt_atoms()).
 */
#define PT_ATOMS(X)                                                             \
	X(GONE, "gone", "no such process")                                      \
	X(UNSEEN, "unseen", "not observable")                                   \
	X(EMPTY, "empty", "no entry")                                           \
	X(PRESENT, "present", "present")                                        \
	X(ZERO, "zero", "the (huge) zero page")                                 \
	X(RO, "ro", "read-only")                                                \
	X(RW, "rw", "writable")                                                 \
	X(PTE, "pte", "a pte")                                                  \
	X(HUGE, "huge", "a huge leaf")                                          \
	X(DIRTY, "dirty", "dirty (or SavedDirty)")                              \
	X(CONT, "cont", "one of a contiguous run (PTE_CONT)")                   \
	X(SOFTDIRTY, "soft-dirty", "soft-dirty")                                \
	X(SHARED, "shared", "the same page as the other process")               \
	X(EXCL, "excl", "mapped by this process alone")                         \
	X(FILE, "file", "a page-cache page")                                    \
	X(PINNED, "pinned", "pinned long-term")                                 \
	X(SDT, "sdt", "soft-dirty tracking on (VM_SOFTDIRTY clear)")            \
	X(WN, "wn", "in a write-notified shared VMA")                           \
	X(NH, "nh", "in a VM_NOHUGEPAGE VMA")                                   \
	X(VMARO, "vma-ro", "in a read-only VMA")                                \
	X(COWED, "cowed", "COWed away from a private pfnmap")                   \
	X(PEER, "peer", "the other process maps the page")                      \
	X(TABLE, "table", "no entry under a pmd that is a page table")          \
	X(CHILD, "child", "a child exists")                                     \
	X(ACTOR, "actor", "the event's process")                                \
	X(FAILED, "failed", "the event failed")                                 \
	X(HIT, "hit", "the event hit the watched page")                         \
	X(INLEAF, "inleaf", "the event hit another page of the watched huge leaf") \
	X(WIN, "win", "the event fell in the same 64 KiB")                      \
	X(NEAR, "near", "the event fell in the same 2 MiB")                     \
	X(FAR, "far", "the event fell farther")                                 \
	X(MAPPED, "mapped", "the event's page was mapped already")                \
	X(GUARD, "guard", "a guard region (pagemap's PM_GUARD_REGION, 6.15 on)")

enum pt_atom {
#define PT_ATOM_ENUM(id, name, words) PT_A_##id,
	PT_ATOMS(PT_ATOM_ENUM)
#undef PT_ATOM_ENUM
	PT_A_NR
};
_Static_assert(PT_A_NR <= 64, "a row's preconditions are a 64-bit mask");

static const char *const pt_atom_names[] = {
#define PT_ATOM_NAME(id, name, words) name,
	PT_ATOMS(PT_ATOM_NAME)
#undef PT_ATOM_NAME
};

static const char *const pt_atom_words[] = {
#define PT_ATOM_WORDS(id, name, words) words,
	PT_ATOMS(PT_ATOM_WORDS)
#undef PT_ATOM_WORDS
};

#define A(id) (1ull << PT_A_##id)
/* atoms that say the entry is there: none holds for gone, unseen, empty */
#define A_ENTRY (A(PRESENT) | A(ZERO) | A(RO) | A(RW) | A(PTE) | A(HUGE) | \
		 A(DIRTY) | A(CONT) | A(SOFTDIRTY) | A(SHARED) | A(FILE) | A(COWED))
#define A_TOUCH (A(HIT) | A(INLEAF) | A(WIN) | A(NEAR) | A(FAR))

/* The events a row can name. */
#define PT_REVENTS(X)                                    \
	X(MAP, "map") X(WRITE, "write") X(READ, "read")  \
	X(FORK, "fork") X(EXIT, "exit")                  \
	X(DONTNEED, "madvise-dontneed")                  \
	X(COLLAPSE, "madvise-collapse")                  \
	X(PAGEOUT, "madvise-pageout")                    \
	X(HUGEPAGE, "madvise-hugepage")                  \
	X(NOHUGEPAGE, "madvise-nohugepage")              \
	X(MPROT_RO, "mprotect-ro") X(MPROT_RW, "mprotect-rw") \
	X(CSD, "clear-soft-dirty") X(PIN, "pin") X(UNPIN, "unpin") \
	X(GUARD, "guard") X(UNGUARD, "unguard")          \
	X(WAIT, "wait") X(ADDR, "addr")                  \
	X(MADVISE, "madvise") X(MPROTECT, "mprotect") X(ANY, "any")

enum pt_revent {
#define PT_REV_ENUM(id, name) PT_R_##id,
	PT_REVENTS(PT_REV_ENUM)
#undef PT_REV_ENUM
	PT_R_NR
};

static const char *const pt_revent_names[] = {
#define PT_REV_NAME(id, name) name,
	PT_REVENTS(PT_REV_NAME)
#undef PT_REV_NAME
};

/* what a row compares that is not a bit of the decoder */
static const char *const pt_pseudo[] = {
	"level", "pfn", "pfn_same", "empty", "error", "unchanged", "kept", "guard", "guard_same",
	NULL,
};

struct pt_row {
	unsigned int since, until;	/* PT_KV; 0: open */
	unsigned int kinds;
	int event;			/* enum pt_revent */
	enum pt_who by;			/* the event's process; DEFAULT: any */
	uint64_t pre, pre_not;		/* atoms that must and must not hold */
	enum pt_who who;		/* DEFAULT: both (pfn_same, error) */
	char what[32];
	long value;
	char func[96];
	char source[160];	/* FILE:LINE at 6.12, then (VERSION:[FILE:]LINE)... */
	char commit[16];	/* the commit at since/until, when known */
	const char *why;
	int line;			/* in its rows file; 0: --expect */
};

struct pt_named {
	char name[24];
	char *text;		/* a why's sentence, or a set's kinds */
	unsigned int kinds;
};

struct pt_rows {
	struct pt_row *rows;
	size_t nr, cap;
	struct pt_named *names;	/* whys and sets */
	size_t nr_names, cap_names;
	/*
	 * The bits the CPU changes by itself ("cpu young BIT", "cpu dirty
	 * BIT"): "unchanged" lets the first differ, "kept" both.  x86 sets
	 * Accessed and Dirty; arm64 sets AF and, through DBM, clears RDONLY.
	 */
	char cpu_young[24], cpu_dirty[24];
};

/*
 * The compiled-in file, parsed once: constant data, the same for every
 * lab.  The user's rows (--expect) are a pt_expect the lab holds.
 */
static struct pt_rows pt_table;
static bool pt_table_loaded;

struct pt_expect {
	struct pt_rows rows;
};

static const struct pt_arch *pt_host_arch(void)
{
	struct utsname u;

	return uname(&u) ? NULL : pt_arch_find(u.machine);
}

const char *pt_rows_text(const char *arch)
{
	if (arch && !strcmp(arch, "x86_64"))
		return pt_rows_x86_64;
	if (arch && !strcmp(arch, "arm64"))
		return pt_rows_arm64;
	return NULL;
}

/* ---- the modelled kernels and the lines rows cite at each ---- */

/* the kernels whose code the rows were read from, oldest first */
static const unsigned int pt_modelled[] = {
	PT_KV(6, 1), PT_KV(6, 12), PT_KV(6, 18), PT_KV(7, 1),
};
#define PT_NR_MODELLED (sizeof(pt_modelled) / sizeof(pt_modelled[0]))
/* a src= with no "(VERSION:...)" cites this one */
#define PT_SRC_BASE 1

static void pt_kv_text(unsigned int kv, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u", kv >> 16, (kv >> 8) & 0xff);
}

/*
 * The modelled versions around @kver: *@lo == *@hi where @kver is one of
 * them, older than the oldest or newer than the newest (an unknown kernel,
 * 0, is taken as the newest); else @kver lies between *@lo and *@hi.
 */
static void pt_kspan(unsigned int kver, size_t *lo, size_t *hi)
{
	size_t i;

	*lo = *hi = PT_NR_MODELLED - 1;
	if (!kver || kver >= pt_modelled[PT_NR_MODELLED - 1])
		return;
	*lo = *hi = 0;
	if (kver <= pt_modelled[0])
		return;
	for (i = 0; i + 1 < PT_NR_MODELLED && pt_modelled[i + 1] <= kver; i++)
		;
	*lo = *hi = i;
	if (pt_modelled[i] != kver)
		*hi = i + 1;
}

static bool pt_row_holds(const struct pt_row *r, unsigned int kv)
{
	return !((r->since && kv < r->since) || (r->until && kv >= r->until));
}

/* the row's behaviour changed after modelled @lo, by modelled @hi */
static bool pt_row_changed_between(const struct pt_row *r, size_t lo, size_t hi)
{
	unsigned int a = pt_modelled[lo], b = pt_modelled[hi];

	if (lo == hi)
		return false;
	return (r->since > a && r->since <= b) || (r->until > a && r->until <= b);
}

/*
 * src=FILE:LINE(6.1:N)(6.18:FILE:N)...: the bare citation is 6.12's, each
 * group another version's line (and file, where it moved; "(6.1)": the
 * file, no line).  Fills @file and @line per modelled version; a version
 * without a group keeps the bare file and has no line.  -1 on a group of
 * a version that is not modelled.
 */
static int pt_src_split(const char *src, char file[][96], unsigned int line[])
{
	const char *p = strchr(src, '(');
	size_t n = p ? (size_t)(p - src) : strlen(src), i;
	char base[96], *c;
	unsigned int a, b;
	int k;

	snprintf(base, sizeof(base), "%.*s", (int)(n < sizeof(base) ? n : sizeof(base) - 1), src);
	c = strrchr(base, ':');
	for (i = 0; i < PT_NR_MODELLED; i++) {
		line[i] = 0;
		snprintf(file[i], 96, "%s", base);
	}
	if (c && c[1] >= '0' && c[1] <= '9') {
		line[PT_SRC_BASE] = (unsigned int)strtoul(c + 1, NULL, 10);
		for (i = 0; i < PT_NR_MODELLED; i++)
			file[i][c - base] = '\0';
	}
	while (p && *p == '(') {
		const char *q = strchr(p, ')');
		char grp[96], *rest;

		if (!q || sscanf(p + 1, "%u.%u%n", &a, &b, &k) != 2)
			return -1;
		snprintf(grp, sizeof(grp), "%.*s", (int)(q - p - 1 - k), p + 1 + k);
		for (i = 0; i < PT_NR_MODELLED && pt_modelled[i] != PT_KV(a, b); i++)
			;
		if (i == PT_NR_MODELLED || (grp[0] && grp[0] != ':'))
			return -1;
		rest = grp[0] ? grp + 1 : grp;
		c = strrchr(rest, ':');
		if (c) {
			*c = '\0';
			snprintf(file[i], 96, "%s", rest);
			line[i] = (unsigned int)strtoul(c + 1, NULL, 10);
		} else if (rest[0]) {
			line[i] = (unsigned int)strtoul(rest, NULL, 10);
		}
		p = q + 1;
	}
	return p && *p ? -1 : 0;
}

/*
 * The line a row cites for a kernel whose rows come from modelled version
 * @want: that version's, else the nearest one that has a line, always
 * naming the version ("mm/memory.c:3332 at 6.12").
 */
static void pt_row_cite(const struct pt_row *r, size_t want, char *buf, size_t len)
{
	char file[PT_NR_MODELLED][96], kv[16];
	unsigned int line[PT_NR_MODELLED];
	size_t d, i = want;

	if (!strcmp(r->source, "-") || r->source[0] == '(' || !r->line ||
	    pt_src_split(r->source, file, line) < 0) {
		snprintf(buf, len, "%s", r->source);
		return;
	}
	for (d = 0; d < PT_NR_MODELLED && !line[i]; d++) {
		if (want >= d + 1 && line[want - d - 1]) {
			i = want - d - 1;
			break;
		}
		if (want + d + 1 < PT_NR_MODELLED && line[want + d + 1]) {
			i = want + d + 1;
			break;
		}
	}
	if (!line[i]) {
		snprintf(buf, len, "%s", file[want]);
		return;
	}
	pt_kv_text(pt_modelled[i], kv, sizeof(kv));
	snprintf(buf, len, "%s:%u at %s", file[i], line[i], kv);
}

/*
 * func=NAME(6.18:NEW)...: the function's name from each version on where
 * it was renamed; the name at modelled version @want.
 */
static void pt_row_func(const struct pt_row *r, size_t want, char *buf, size_t len)
{
	const char *p = strchr(r->func, '(');
	size_t n = p && p != r->func ? (size_t)(p - r->func) : strlen(r->func);
	unsigned int a, b;
	int k;

	snprintf(buf, len, "%.*s", (int)n, r->func);
	while (p && p != r->func && *p == '(') {
		const char *q = strchr(p, ')');

		k = 0;
		if (!q || sscanf(p + 1, "%u.%u:%n", &a, &b, &k) != 2 || !k)
			return;
		if (PT_KV(a, b) <= pt_modelled[want])
			snprintf(buf, len, "%.*s", (int)(q - p - 1 - k), p + 1 + k);
		p = q + 1;
	}
}

void pt_explain_rows_for(unsigned int kver, char *buf, size_t len)
{
	char a[16], b[16], k[16];
	size_t lo, hi;

	pt_kspan(kver, &lo, &hi);
	pt_kv_text(pt_modelled[lo], a, sizeof(a));
	pt_kv_text(pt_modelled[hi], b, sizeof(b));
	pt_kv_text(kver, k, sizeof(k));
	if (!kver)
		snprintf(buf, len, "rows from %s; this kernel's version is unknown", a);
	else if (lo != hi)
		snprintf(buf, len, "the rows for %s and %s that hold for both (%s is between them)",
			 a, b, k);
	else if (kver > pt_modelled[lo])
		snprintf(buf, len, "rows from %s; this kernel is newer", a);
	else if (kver < pt_modelled[lo])
		snprintf(buf, len, "rows from %s; this kernel is older", a);
	else
		snprintf(buf, len, "the rows for %s", a);
}

unsigned int pt_explain_kver(const struct pt_lab *lab)
{
	return lab->src->rows_kver ? lab->src->rows_kver : lab->src->layout.kver;
}

static struct pt_named *pt_name_find(struct pt_rows *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->nr_names; i++)
		if (!strcmp(t->names[i].name, name))
			return &t->names[i];
	return NULL;
}

static int pt_name_add(struct pt_rows *t, const char *name, const char *text,
		       unsigned int kinds, struct pt_err *err)
{
	struct pt_named *n;

	if (pt_name_find(t, name))
		return pt_err_set(err, PT_USAGE, "'%s' is defined twice", name);
	if (t->nr_names == t->cap_names) {
		size_t cap = t->cap_names ? t->cap_names * 2 : 64;

		n = realloc(t->names, cap * sizeof(*n));
		if (!n)
			return pt_err_set(err, PT_NO_MEM, "out of memory");
		t->names = n;
		t->cap_names = cap;
	}
	n = &t->names[t->nr_names];
	memset(n, 0, sizeof(*n));
	snprintf(n->name, sizeof(n->name), "%s", name);
	n->text = strdup(text);
	if (!n->text)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	n->kinds = kinds;
	t->nr_names++;
	return 0;
}

static unsigned int pt_kver_arg(const char *s)
{
	unsigned int a, b;
	int n;

	if (sscanf(s, "%u.%u%n", &a, &b, &n) != 2 || s[n] || a > 255 || b > 255)
		return 0;
	return PT_KV(a, b);
}

/* "anon,thp", a set's name or "*"; 0 if anything is unknown */
static unsigned int pt_kinds_parse(const struct pt_rows *sets, const char *s)
{
	unsigned int kinds = 0;
	char buf[160], *tok, *save = NULL;
	enum pt_lab_kind k;
	size_t i;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "*")) {
			kinds |= (1u << PT_LAB_NR_KINDS) - 1;
			continue;
		}
		if (!pt_lab_kind_parse(tok, &k)) {
			kinds |= 1u << k;
			continue;
		}
		for (i = 0; sets && i < sets->nr_names; i++)
			if (sets->names[i].kinds && !strcmp(sets->names[i].name, tok))
				break;
		if (!sets || i == sets->nr_names)
			return 0;
		kinds |= sets->names[i].kinds;
	}
	return kinds;
}

static int pt_atom_parse(const char *s)
{
	int i;

	for (i = 0; i < PT_A_NR; i++)
		if (!strcmp(pt_atom_names[i], s))
			return i;
	return -1;
}

static bool pt_bit_known(const struct pt_arch *arch, const char *what)
{
	size_t i;

	for (i = 0; pt_pseudo[i]; i++)
		if (!strcmp(pt_pseudo[i], what))
			return true;
	for (i = 0; arch && i < arch->nr_bits; i++)
		if (!strcmp(arch->bits[i].name, what))
			return true;
	return !arch;
}

static int pt_value_parse(const char *what, const char *s, long *v)
{
	enum pt_level l;
	char *end;

	if (!strcmp(s, "same"))
		*v = PT_VAL_SAME;
	else if (!strcmp(s, "changed"))
		*v = PT_VAL_CHANGED;
	else if (!strcmp(what, "level") && !pt_level_parse(s, &l))
		*v = l;
	else {
		errno = 0;
		*v = strtol(s, &end, 0);
		if (errno || end == s || *end || *v < 0)
			return -EINVAL;
	}
	return 0;
}

static int pt_revent_parse(const char *s)
{
	int i;

	for (i = 0; i < PT_R_NR; i++)
		if (!strcmp(pt_revent_names[i], s))
			return i;
	return -1;
}

/*
 * One row: "KINDS:EVENT:WHO:WHAT=VALUE [key=value]...".  @names holds the
 * whys and sets it may name (the table's, for --expect too).
 */
static int pt_row_parse(const char *line, struct pt_rows *names,
			const struct pt_arch *arch, struct pt_row *r,
			struct pt_err *err)
{
	char kinds[160], ev[32], who[16], what[32], val[32], key[16], arg[160];
	const char *p;
	int n, a;

	memset(r, 0, sizeof(*r));
	if (sscanf(line, " %159[^:]:%31[^:]:%15[^:]:%31[^=]=%31s%n", kinds, ev, who, what,
		   val, &n) != 5)
		return pt_err_set(err, PT_USAGE, "bad expectation '%s' (KIND:EVENT:parent|child:BIT=VALUE)",
				  line);
	r->kinds = pt_kinds_parse(names, kinds);
	if (!r->kinds)
		return pt_err_set(err, PT_USAGE, "unknown kind in '%s'", kinds);
	r->event = pt_revent_parse(ev);
	if (r->event < 0)
		return pt_err_set(err, PT_USAGE, "unknown event '%s' in '%s'", ev, line);
	if (!strcmp(who, "parent"))
		r->who = PT_WHO_PARENT;
	else if (!strcmp(who, "child"))
		r->who = PT_WHO_CHILD;
	else if (!strcmp(who, "both"))
		r->who = PT_WHO_DEFAULT;
	else
		return pt_err_set(err, PT_USAGE, "bad process '%s' (parent, child or both) in '%s'",
				  who, line);
	if (!pt_bit_known(arch, what))
		return pt_err_set(err, PT_USAGE, "unknown bit '%s' in '%s'", what, line);
	snprintf(r->what, sizeof(r->what), "%s", what);
	if (pt_value_parse(what, val, &r->value))
		return pt_err_set(err, PT_USAGE, "bad value '%s' in '%s'", val, line);
	r->by = PT_WHO_DEFAULT;
	for (p = line + n; sscanf(p, " %15[^= ]=%159s%n", key, arg, &n) == 2; p += n) {
		if (!strcmp(key, "since") || !strcmp(key, "until")) {
			unsigned int kv = pt_kver_arg(arg);

			if (!kv)
				return pt_err_set(err, PT_USAGE, "bad kernel version '%s' in '%s'", arg, line);
			*(key[0] == 's' ? &r->since : &r->until) = kv;
		} else if (!strcmp(key, "pre")) {
			char *tok, *save = NULL;

			for (tok = strtok_r(arg, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
				a = pt_atom_parse(tok[0] == '!' ? tok + 1 : tok);
				if (a < 0)
					return pt_err_set(err, PT_USAGE, "unknown precondition '%s' in '%s'",
							  tok, line);
				*(tok[0] == '!' ? &r->pre_not : &r->pre) |= 1ull << a;
			}
		} else if (!strcmp(key, "by")) {
			if (strcmp(arg, "parent") && strcmp(arg, "child"))
				return pt_err_set(err, PT_USAGE, "bad by=%s in '%s'", arg, line);
			r->by = arg[0] == 'p' ? PT_WHO_PARENT : PT_WHO_CHILD;
		} else if (!strcmp(key, "func")) {
			snprintf(r->func, sizeof(r->func), "%.95s", arg);
		} else if (!strcmp(key, "src")) {
			snprintf(r->source, sizeof(r->source), "%s", arg);
		} else if (!strcmp(key, "commit")) {
			/* an abbreviated commit id: 12 hex digits, as the kernel cites them */
			if (strlen(arg) != 12 || arg[strspn(arg, "0123456789abcdef")])
				return pt_err_set(err, PT_USAGE, "bad commit '%s' (12 hex digits) in '%s'",
						  arg, line);
			snprintf(r->commit, sizeof(r->commit), "%.12s", arg);
		} else if (!strcmp(key, "why")) {
			struct pt_named *w = names ? pt_name_find(names, arg) : NULL;

			if (!w || w->kinds)
				return pt_err_set(err, PT_USAGE, "unknown why '%s' in '%s'", arg, line);
			r->why = w->text;
		} else {
			return pt_err_set(err, PT_USAGE, "unknown key '%s' in '%s'", key, line);
		}
	}
	if (p[strspn(p, " \t")])
		return pt_err_set(err, PT_USAGE, "bad expectation '%s' near '%s'", line, p);
	if (r->since && r->until && r->since >= r->until)
		return pt_err_set(err, PT_USAGE, "empty kernel range in '%s'", line);
	if (r->commit[0] && !r->since && !r->until)
		return pt_err_set(err, PT_USAGE, "a commit without since or until in '%s'", line);
	if (r->pre & r->pre_not)
		return pt_err_set(err, PT_USAGE, "a precondition both required and excluded in '%s'",
				  line);
	return 0;
}

static int pt_row_append(struct pt_rows *t, const struct pt_row *r, struct pt_err *err)
{
	if (t->nr == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 256;
		struct pt_row *rows = realloc(t->rows, cap * sizeof(*rows));

		if (!rows)
			return pt_err_set(err, PT_NO_MEM, "out of memory");
		t->rows = rows;
		t->cap = cap;
	}
	t->rows[t->nr++] = *r;
	return 0;
}

/* A rows file: comments, "why NAME text", "set NAME kinds" and rows. */
static int pt_rows_parse(const char *text, const struct pt_arch *arch,
			 struct pt_rows *t, struct pt_err *err)
{
	const char *p = text;
	char line[640], name[24];
	struct pt_row r;
	int ln = 0, n, ret;

	while (*p) {
		size_t len = strcspn(p, "\n");

		ln++;
		snprintf(line, sizeof(line), "%.*s", (int)(len < sizeof(line) ? len : sizeof(line) - 1), p);
		p += len + (p[len] == '\n');
		if (len >= sizeof(line))
			return pt_err_set(err, PT_USAGE, "rows line %d is too long", ln);
		if (!line[strspn(line, " \t")] || line[strspn(line, " \t")] == '#')
			continue;
		if (!strncmp(line, "cpu ", 4)) {
			char which[8], bit[24];

			if (sscanf(line + 4, "%7s %23s %n", which, bit, &n) != 2 || line[4 + n] ||
			    (strcmp(which, "young") && strcmp(which, "dirty")))
				return pt_err_set(err, PT_USAGE, "rows line %d: cpu young|dirty BIT", ln);
			if (!pt_bit_known(arch, bit))
				return pt_err_set(err, PT_USAGE, "rows line %d: unknown bit '%s'", ln, bit);
			snprintf(which[0] == 'y' ? t->cpu_young : t->cpu_dirty, sizeof(t->cpu_young),
				 "%s", bit);
			continue;
		}
		if (!strncmp(line, "why ", 4) || !strncmp(line, "set ", 4)) {
			unsigned int kinds = 0;

			if (sscanf(line + 4, "%23s %n", name, &n) != 1 || !line[4 + n])
				return pt_err_set(err, PT_USAGE, "rows line %d: a name and a text", ln);
			if (line[0] == 's') {
				kinds = pt_kinds_parse(t, line + 4 + n);
				if (!kinds)
					return pt_err_set(err, PT_USAGE, "rows line %d: unknown kind", ln);
			}
			ret = pt_name_add(t, name, line + 4 + n, kinds, err);
			if (ret < 0)
				return ret;
			continue;
		}
		ret = pt_row_parse(line, t, arch, &r, err);
		if (ret < 0) {
			char msg[sizeof(err->msg)];

			snprintf(msg, sizeof(msg), "%s", err->msg);
			return pt_err_set(err, PT_USAGE, "rows line %d: %.400s", ln, msg);
		}
		r.line = ln;
		ret = pt_row_append(t, &r, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

static void pt_rows_free(struct pt_rows *t)
{
	size_t i;

	for (i = 0; i < t->nr_names; i++)
		free(t->names[i].text);
	free(t->names);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

int pt_explain_init(struct pt_err *err)
{
	const struct pt_arch *arch = pt_host_arch();
	const char *text = pt_rows_text(arch ? arch->name : NULL);
	int ret;

	if (pt_table_loaded)
		return 0;
	pt_table_loaded = true;
	if (!text)
		return 0;
	ret = pt_rows_parse(text, arch, &pt_table, err);
	if (ret < 0)
		pt_rows_free(&pt_table);
	return ret;
}

int pt_explain_add(struct pt_expect **x, const char *spec, struct pt_err *err)
{
	const char *p = spec;
	struct pt_row r;
	char one[320];
	int ret;

	ret = pt_explain_init(err);
	if (ret < 0)
		return ret;
	if (!*x) {
		*x = calloc(1, sizeof(**x));
		if (!*x)
			return pt_err_set(err, PT_NO_MEM, "out of memory");
	}
	while (*p) {
		size_t len = strcspn(p, ";");

		snprintf(one, sizeof(one), "%.*s", (int)(len < sizeof(one) ? len : sizeof(one) - 1), p);
		p += len;
		if (*p)
			p++;
		if (strspn(one, " ") == strlen(one))
			continue;
		ret = pt_row_parse(one, &pt_table, pt_host_arch(), &r, err);
		if (ret < 0)
			return ret;
		if (!r.func[0])
			snprintf(r.func, sizeof(r.func), "(--expect)");
		if (!r.source[0])
			snprintf(r.source, sizeof(r.source), "the command line");
		ret = pt_row_append(&(*x)->rows, &r, err);
		if (ret < 0)
			return ret;
	}
	return 0;
}

void pt_expect_free(struct pt_expect *x)
{
	if (!x)
		return;
	pt_rows_free(&x->rows);
	free(x);
}

/* ---- validation (the unit test's) ---- */

/* Two atom sets that can hold together, as far as their meaning goes. */
static bool pt_atoms_compatible(uint64_t a, uint64_t a_not, uint64_t b, uint64_t b_not)
{
	uint64_t all = a | b;

	if ((a & b_not) || (b & a_not))
		return false;
	if ((all & A_ENTRY) && (all & (A(GONE) | A(UNSEEN) | A(EMPTY))))
		return false;
	if (__builtin_popcount(all & (A(GONE) | A(UNSEEN) | A(EMPTY))) > 1)
		return false;
	if ((all & A(RO)) && (all & A(RW)))
		return false;
	if ((all & A(ZERO)) && (all & A(RW)))
		return false;
	if ((all & A(PTE)) && (all & A(HUGE)))
		return false;
	if (__builtin_popcount(all & A_TOUCH) > 1)
		return false;
	/* present is implied by the entry atoms */
	if ((a_not | b_not) & A(PRESENT) && (all & A_ENTRY))
		return false;
	return true;
}

static bool pt_ranges_meet(const struct pt_row *a, const struct pt_row *b)
{
	unsigned int lo = a->since > b->since ? a->since : b->since;
	unsigned int ha = a->until ? a->until : ~0u, hb = b->until ? b->until : ~0u;

	return lo < (ha < hb ? ha : hb);
}

static bool pt_events_meet(int a, int b)
{
	if (a == b || a == PT_R_ANY || b == PT_R_ANY)
		return true;
	if (a == PT_R_MADVISE || b == PT_R_MADVISE) {
		int o = a == PT_R_MADVISE ? b : a;

		return o == PT_R_MADVISE || (o >= PT_R_DONTNEED && o <= PT_R_NOHUGEPAGE);
	}
	if (a == PT_R_MPROTECT || b == PT_R_MPROTECT) {
		int o = a == PT_R_MPROTECT ? b : a;

		return o == PT_R_MPROTECT || o == PT_R_MPROT_RO || o == PT_R_MPROT_RW;
	}
	return false;
}

int pt_rows_validate(const char *text, const char *arch_name, struct pt_err *err)
{
	const struct pt_arch *arch = pt_arch_find(arch_name);
	struct pt_rows t = { 0 };
	struct pt_layout *ly = malloc(sizeof(*ly));
	char file[PT_NR_MODELLED][96];
	unsigned int line[PT_NR_MODELLED];
	size_t i, j;
	unsigned int m;
	int ret = 0;

	if (!arch || !ly) {
		free(ly);
		return pt_err_set(err, PT_USAGE, "no architecture '%s'", arch_name);
	}
	ret = pt_rows_parse(text, arch, &t, err);
	if (ret < 0)
		goto out;
	for (i = 0; i < t.nr; i++) {
		const struct pt_row *r = &t.rows[i];

		if (!r->func[0] || !r->source[0] || !r->why) {
			ret = pt_err_set(err, PT_USAGE, "rows line %d: no func, src or why", r->line);
			goto out;
		}
		if (strcmp(r->source, "-") && pt_src_split(r->source, file, line) < 0) {
			ret = pt_err_set(err, PT_USAGE,
					 "rows line %d: src=%s is not FILE:LINE(VERSION:LINE)... of 6.1, 6.12, 6.18 or 7.1",
					 r->line, r->source);
			goto out;
		}
		for (j = 0; pt_pseudo[j] && strcmp(pt_pseudo[j], r->what); j++)
			;
		if (pt_pseudo[j])
			continue;
		/* every kernel of the row's range has the bit */
		for (m = 0; m <= 25; m++) {
			unsigned int kv = m <= 20 ? PT_KV(6, m) : PT_KV(7, m - 21);

			if (!pt_row_holds(r, kv))
				continue;
			pt_layout_init(ly, arch, kv);
			if (!pt_layout_row(ly, r->what)) {
				ret = pt_err_set(err, PT_USAGE, "rows line %d: %u.%u has no bit '%s'",
						 r->line, kv >> 16, (kv >> 8) & 0xff, r->what);
				goto out;
			}
		}
	}
	for (i = 0; i < t.nr; i++) {
		for (j = i + 1; j < t.nr; j++) {
			const struct pt_row *a = &t.rows[i], *b = &t.rows[j];

			if (a->value == b->value || strcmp(a->what, b->what) || a->who != b->who ||
			    !(a->kinds & b->kinds) || !pt_events_meet(a->event, b->event) ||
			    !pt_ranges_meet(a, b) ||
			    (a->by && b->by && a->by != b->by) ||
			    !pt_atoms_compatible(a->pre, a->pre_not, b->pre, b->pre_not))
				continue;
			ret = pt_err_set(err, PT_USAGE, "rows lines %d and %d contradict each other (%s)",
					 a->line, b->line, a->what);
			goto out;
		}
	}
	ret = (int)t.nr;
out:
	pt_rows_free(&t);
	free(ly);
	return ret;
}

/* ---- what was seen ---- */

struct pt_seen {
	bool exists, walked, raw;
	bool present, empty;
	int level;
	uint64_t rawv;
	struct pt_decoded d;
	bool has_pfn;
	uint64_t pfn;		/* of the watched 4 KiB page */
	const struct pt_walk *w;
};

/* pagemap saw a present page and was allowed to show its PFN */
static bool pt_pm_pfn(const struct pt_pagemap *pm)
{
	return pm->valid && pm->present && pm->pfn;	/* 0: hidden */
}

static void pt_see(const struct pt_lab *lab, const struct pt_lab_step *s, int p,
		   struct pt_seen *o)
{
	const struct pt_walk *w;
	int l;

	memset(o, 0, sizeof(*o));
	o->level = -1;
	if (!s)
		return;
	o->exists = s->proc[p].exists;
	o->walked = s->proc[p].walked;
	if (!o->walked)
		return;
	w = o->w = &s->proc[p].walk;
	l = o->level = pt_walk_leaf(w);
	if (l >= 0 && w->level[l].has_raw) {
		o->raw = true;
		o->rawv = w->level[l].raw;
		pt_decode(&lab->src->layout, l, o->rawv, &o->d);
		o->present = o->d.state == PT_STATE_LEAF;
		o->empty = o->d.state == PT_STATE_NONE;
		if (o->present && o->d.has_pfn) {
			o->has_pfn = true;
			o->pfn = pt_walk_page_pfn(w, l, o->d.pfn);
		}
	} else if (l < 0 && w->level[PT_PGD].has_raw) {
		o->raw = true;
		o->empty = true;	/* a walk that found no table on the way */
	} else if (w->pm.valid) {
		o->present = w->pm.present;
		o->empty = !w->pm.present && !w->pm.swapped;
	}
	if (!o->has_pfn && pt_pm_pfn(&w->pm)) {
		o->has_pfn = true;
		o->pfn = w->pm.pfn;
	}
}

/* A bit of the seen leaf; -1 when the source cannot show bits. */
static long pt_seen_bit(const struct pt_lab *lab, const struct pt_seen *o, const char *name)
{
	const struct pt_bit *r;

	if (!o->raw)
		return -1;
	if (o->empty)
		return PT_SEEN_NO_ENTRY;
	if (!o->present)
		return -1;
	r = pt_layout_row(&lab->src->layout, name);
	/* a bit this kernel does not have is clear */
	return r && pt_row_applies(r, o->level, o->d.state) ? (long)pt_row_value(r, o->rawv) : 0;
}

/*
 * The watched page's entry in two snapshots alike, but for the bits the CPU
 * sets by itself (Accessed; Dirty too for "kept").  Only the entry that
 * maps the page counts: a page table allocated on the way for a fault
 * elsewhere changes nothing for the watched page.
 */
static long pt_walks_alike(const struct pt_lab *lab, const struct pt_seen *a,
			   const struct pt_seen *b, bool ignore_dirty)
{
	const struct pt_layout *ly = &lab->src->layout;
	const struct pt_bit *acc = pt_table.cpu_young[0] ? pt_layout_row(ly, pt_table.cpu_young) : NULL;
	const struct pt_bit *dirty = pt_table.cpu_dirty[0] ? pt_layout_row(ly, pt_table.cpu_dirty) : NULL;
	uint64_t ignore = acc ? acc->mask : 0;

	if (!a->walked || !b->walked)
		return -1;
	if (ignore_dirty && dirty)
		ignore |= dirty->mask;
	if (a->empty || b->empty)
		return a->empty && b->empty;
	if (a->raw != b->raw || a->present != b->present)
		return 0;
	if (!a->raw)
		return a->has_pfn == b->has_pfn && a->pfn == b->pfn;
	return a->level == b->level && !((a->rawv ^ b->rawv) & ~ignore);
}

/* The value of @what for process @p (0, 1; 2: both) at step @s. */
static long pt_observe(const struct pt_lab *lab, const struct pt_lab_step *s,
		       const struct pt_lab_step *prev, int p, const char *what)
{
	struct pt_seen o, q;

	if (!strcmp(what, "error"))
		return !!s->err[0];
	if (!strcmp(what, "pfn_same")) {
		pt_see(lab, s, 0, &o);
		pt_see(lab, s, 1, &q);
		if (!o.walked || !q.walked)
			return -1;
		if (o.empty || q.empty)
			return (o.raw || q.raw) ? PT_SEEN_NO_ENTRY : -1;
		return o.has_pfn && q.has_pfn ? o.pfn == q.pfn : -1;
	}
	if (!strcmp(what, "guard") || !strcmp(what, "guard_same")) {
		/* pagemap's PM_GUARD_REGION, from 6.15 on */
		if (lab->src->layout.kver < PT_KV(6, 15))
			return -1;
		pt_see(lab, s, p == 1, &o);
		pt_see(lab, s, 1, &q);
		if (!o.walked || !o.w->pm.valid)
			return -1;
		if (what[5] != '_')
			return o.w->pm.guard;
		if (!q.walked || !q.w->pm.valid)
			return -1;
		return o.w->pm.guard == q.w->pm.guard;
	}
	if (p > 1)
		p = 0;
	pt_see(lab, s, p, &o);
	if (!strcmp(what, "unchanged") || !strcmp(what, "kept")) {
		pt_see(lab, prev, p, &q);
		return pt_walks_alike(lab, &q, &o, what[0] == 'k');
	}
	if (!o.walked)
		return -1;
	if (!strcmp(what, "empty"))
		return o.empty ? 1 : o.present ? 0 : -1;
	if (!strcmp(what, "pfn"))
		return o.empty ? PT_SEEN_NO_ENTRY : o.has_pfn ? (long)o.pfn : -1;
	if (!strcmp(what, "level")) {
		if (!o.raw)
			return -1;
		return o.empty ? PT_SEEN_NO_ENTRY : o.present ? o.level : -1;
	}
	return pt_seen_bit(lab, &o, what);
}

/* ---- the state before an event ---- */

static int pt_step_event(const struct pt_lab_step *s)
{
	const struct pt_cmd *c = &s->cmd;

	switch (c->id) {
	case PT_C_KIND:
		return PT_R_MAP;
	case PT_C_WRITE:
		return PT_R_WRITE;
	case PT_C_READ:
		return PT_R_READ;
	case PT_C_FORK:
		return PT_R_FORK;
	case PT_C_EXIT:
		return PT_R_EXIT;
	case PT_C_MADVISE:
		/* PT_LAB_ADVICES lists these five first, in this order */
		return PT_R_DONTNEED + (c->advice < PT_ADV_MERGEABLE ? (int)c->advice : PT_ADV_NOHUGEPAGE);
	case PT_C_MPROTECT:
		return strcmp(c->arg, "ro") ? PT_R_MPROT_RW : PT_R_MPROT_RO;
	case PT_C_CLEAR_SOFT_DIRTY:
		return PT_R_CSD;
	case PT_C_PIN:
		return PT_R_PIN;
	case PT_C_UNPIN:
		return PT_R_UNPIN;
	case PT_C_GUARD:
		return PT_R_GUARD;
	case PT_C_UNGUARD:
		return PT_R_UNGUARD;
	case PT_C_WAIT:
		return PT_R_WAIT;
	default:
		return PT_R_ADDR;
	}
}

/* Which processes the event acts on: bit 0 the parent, bit 1 the child. */
static unsigned int pt_step_actors(const struct pt_lab_step *s)
{
	switch (s->cmd.id) {
	case PT_C_KIND:
	case PT_C_FORK:
		return 1;
	case PT_C_EXIT:
		return 2;
	case PT_C_CLEAR_SOFT_DIRTY:
		return s->cmd.who == PT_WHO_DEFAULT ? 3 : s->cmd.who == PT_WHO_CHILD ? 2 : 1;
	case PT_C_WAIT:
	case PT_C_ADDR:
		return 0;
	default:
		return s->cmd.who == PT_WHO_CHILD ? 2 : 1;
	}
}

static bool pt_kind_is(const struct pt_lab *lab, enum pt_lab_kind k)
{
	return lab->kind == k;
}

/* Where the event fell, against what @o maps around the watched page. */
static uint64_t pt_touch(const struct pt_lab *lab, const struct pt_lab_step *s,
			 const struct pt_seen *o)
{
	uint64_t w = s->addr, t = s->addr + s->cmd.off, psz = 4096;

	if (s->cmd.id != PT_C_WRITE && s->cmd.id != PT_C_READ)
		return A(HIT);
	if (pt_kind_is(lab, PT_LAB_HUGETLB) || pt_kind_is(lab, PT_LAB_HUGETLB_SHARED))
		psz = 2ull << 20;
	if ((t & ~(psz - 1)) == (w & ~(psz - 1)))
		return A(HIT);
	if (o->present && o->raw && o->level >= 0 && o->d.size) {
		uint64_t va = o->w->level[o->level].va;

		if (t >= va && t < va + o->d.size)
			return A(INLEAF);
	} else if (o->present && !o->raw) {
		/* pagemap knows a huge mapping only through PAGEMAP_SCAN */
		if (o->w->pm.scan_huge < 0)
			return 0;
		if (o->w->pm.scan_huge && t >> 21 == w >> 21)
			return A(INLEAF);
	}
	if (t >> 16 == w >> 16)
		return A(WIN);
	if (t >> 21 == w >> 21)
		return A(NEAR);
	return A(FAR);
}

/*
 * The pin process @p holds is on the page its watched entry maps in @prev:
 * a pin outlives the mapping (MADV_DONTNEED zaps it, a new fault maps
 * another page), and only the pinned page is kept from being shared
 * copy-on-write.  Only a zap since the pin moves the entry off the pinned
 * page; unknown PFNs count as the same page.
 */
static bool pt_pin_on_page(const struct pt_lab *lab, const struct pt_lab_step *prev, int p,
			   const struct pt_seen *o)
{
	const struct pt_lab_step *k;
	struct pt_seen w;
	bool zapped = false;
	size_t i;

	for (i = (size_t)(prev - lab->steps) + 1; i-- > 0;) {
		k = &lab->steps[i];
		if (k->err[0] || !(pt_step_actors(k) & (1u << p)))
			continue;
		if (k->cmd.id == PT_C_MADVISE && !strcmp(k->cmd.arg, "dontneed"))
			zapped = true;
		if (k->cmd.id != PT_C_PIN)
			continue;
		if (!zapped)
			return true;
		pt_see(lab, k, p, &w);
		return !(w.has_pfn && o->has_pfn && w.pfn != o->pfn);
	}
	return true;
}

static uint64_t pt_atoms(const struct pt_lab *lab, const struct pt_lab_step *s,
			 const struct pt_lab_step *prev, int p)
{
	struct pt_seen o, q;
	const struct pt_vma *v;
	uint64_t a = 0;
	bool shared_vma;

	if (s->err[0])
		a |= A(FAILED);
	if (pt_step_actors(s) & (1u << p))
		a |= A(ACTOR);
	pt_see(lab, prev, p, &o);
	pt_see(lab, prev, !p, &q);
	if (prev && prev->proc[1].exists)
		a |= A(CHILD);
	a |= pt_touch(lab, s, &o);
	if (s->target_mapped && (pt_step_actors(s) & (1u << p)))
		a |= A(MAPPED);
	if (!o.exists)
		return a | A(GONE);
	if (prev->pinned[p] && pt_pin_on_page(lab, prev, p, &o))
		a |= A(PINNED);
	if (!o.walked)
		return a | A(UNSEEN);
	/* a guard marker is no page: pagemap says it from 6.15 on */
	if (o.w->pm.valid && o.w->pm.guard)
		a |= A(GUARD);
	v = &o.w->vma;
	shared_vma = v->perms[3] == 's';
	if (v->perms[1] != 'w')
		a |= A(VMARO);
	/* no soft-dirty bit (arm64): smaps has no "sd" flag, and nothing tracks */
	if (v->has_flags && !pt_vma_has_flag(v, "sd") && pt_layout_row(&lab->src->layout, "soft_dirty"))
		a |= A(SDT);
	if (v->has_flags && pt_vma_has_flag(v, "nh"))
		a |= A(NH);
	/* vma_wants_writenotify(): hugetlb does no soft-dirty tracking */
	if (shared_vma && v->kind != PT_VMA_HUGETLB && (a & (A(SDT) | A(VMARO))))
		a |= A(WN);
	if (q.walked && q.present)
		a |= A(PEER);
	if (o.empty && o.raw && o.w->level[PT_PMD].state == PT_STATE_TABLE)
		a |= A(TABLE);
	if (o.empty)
		return a | A(EMPTY);
	if (!o.present)
		return a | A(UNSEEN);
	a |= A(PRESENT);
	if (o.w->pm.valid && o.w->pm.exclusive)
		a |= A(EXCL);
	if (o.w->pm.valid && o.w->pm.file_shared)
		a |= A(FILE);
	if (o.w->pm.valid && o.w->pm.soft_dirty && !o.raw)
		a |= A(SOFTDIRTY);
	if (o.has_pfn && q.walked && q.has_pfn && o.pfn == q.pfn)
		a |= A(SHARED);
	if (o.w->pm.has_kpageflags && (o.w->pm.kpageflags & (1ull << 24)))	/* KPF_ZERO_PAGE */
		a |= A(ZERO);
	if (!o.raw) {
		/* PAGEMAP_SCAN's PAGE_IS_HUGE tells a pte from a huge leaf */
		if (o.w->pm.scan_huge >= 0)
			a |= o.w->pm.scan_huge ? A(HUGE) : A(PTE);
		return a;
	}
	a |= o.level == PT_PTE ? A(PTE) : A(HUGE);
	/* the kernel's own helpers: pte_write(), pte_dirty() (x86: Dirty or
	 * SavedDirty; arm64: PTE_DIRTY, or DBM with RDONLY clear) */
	a |= o.d.sum.write ? A(RW) : A(RO);
	if (o.d.sum.dirty)
		a |= A(DIRTY);
	if (o.d.sum.soft_dirty)
		a |= A(SOFTDIRTY);
	/* arm64's PTE_CONT; an architecture without the bit has no runs */
	if (pt_seen_bit(lab, &o, "cont") == 1)
		a |= A(CONT);
	/* the zero page is mapped special (do_anonymous_page) */
	if ((pt_kind_is(lab, PT_LAB_ANON) || pt_kind_is(lab, PT_LAB_THP)) && o.level == PT_PTE &&
	    pt_seen_bit(lab, &o, "special") == 1)
		a |= A(ZERO);
	if (pt_kind_is(lab, PT_LAB_PFNMAP_PRIVATE) && s->addr == lab->base &&
	    pt_seen_bit(lab, &o, "special") == 0)
		a |= A(COWED);
	return a;
}

static void pt_atoms_text(uint64_t a, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < PT_A_NR && n + 2 < len; i++)
		if ((a & (1ull << i)) && i != PT_A_ACTOR && i != PT_A_FAILED)
			n += snprintf(buf + n, len - n, "%s%s", n ? ", " : "", pt_atom_words[i]);
}

/* ---- matching and checking ---- */

static bool pt_event_matches(int row, int ev)
{
	if (row == ev || row == PT_R_ANY)
		return true;
	if (row == PT_R_MADVISE)
		return ev >= PT_R_DONTNEED && ev <= PT_R_NOHUGEPAGE;
	if (row == PT_R_MPROTECT)
		return ev == PT_R_MPROT_RO || ev == PT_R_MPROT_RW;
	return false;
}

/* whose atoms a row is judged on: the child's at fork are the parent's */
static int pt_row_proc(const struct pt_row *r, const struct pt_lab_step *s, int ev)
{
	if (ev == PT_R_FORK || ev == PT_R_MAP || r->who == PT_WHO_PARENT)
		return 0;
	if (r->who == PT_WHO_CHILD)
		return 1;
	/* "both": the process the event acts on */
	return pt_step_actors(s) == 2;
}

static bool pt_row_matches(const struct pt_row *r, const struct pt_lab *lab,
			   const struct pt_lab_step *s, int ev, const uint64_t atoms[2])
{
	uint64_t a = atoms[pt_row_proc(r, s, ev)];

	if (!(r->kinds & (1u << lab->kind)) || !pt_event_matches(r->event, ev))
		return false;
	if (!pt_row_holds(r, pt_explain_kver(lab)))
		return false;
	if (r->by != PT_WHO_DEFAULT && !(pt_step_actors(s) & (r->by == PT_WHO_CHILD ? 2u : 1u)))
		return false;
	/* a failed event: only rows about that failure (and error rows) */
	if (s->err[0] && !(r->pre & A(FAILED)) && strcmp(r->what, "error"))
		return false;
	/* where the event fell may be unknown: no row about it then */
	if (((r->pre | r->pre_not) & A_TOUCH) && !(a & A_TOUCH))
		return false;
	return (a & r->pre) == r->pre && !(a & r->pre_not);
}

static void pt_text_add(char *buf, size_t len, const char *s, const char *sep)
{
	size_t n = strlen(buf);

	if (!s || !*s || strstr(buf, s))
		return;
	snprintf(buf + n, len - n, "%s%s", n ? sep : "", s);
}

static void pt_check_row(const struct pt_row *r, const struct pt_lab *lab, size_t i,
			 struct pt_explain *e)
{
	const struct pt_lab_step *s = &lab->steps[i];
	const struct pt_lab_step *prev = i && s->cmd.id != PT_C_KIND ? &lab->steps[i - 1] : NULL;
	int p = r->who == PT_WHO_CHILD ? 1 : r->who == PT_WHO_DEFAULT ? 2 : 0;
	long seen = pt_observe(lab, s, prev, p, r->what), before = 0;
	struct pt_checked *c;
	char cite[128], func[64];
	size_t lo, hi;
	bool held;

	pt_kspan(pt_explain_kver(lab), &lo, &hi);
	pt_row_cite(r, lo, cite, sizeof(cite));
	pt_row_func(r, lo, func, sizeof(func));

	if (r->why) {
		char one[400];

		snprintf(one, sizeof(one), "%s.", r->why);
		pt_text_add(e->text, sizeof(e->text), one, " ");
	}
	if (r->func[0] != '(')
		pt_text_add(e->funcs, sizeof(e->funcs), func, ", ");
	if (r->value == PT_VAL_SAME || r->value == PT_VAL_CHANGED) {
		before = prev ? pt_observe(lab, prev, NULL, p, r->what) : -1;
		if (before == -1)
			seen = -1;
	}
	if (seen == -1) {
		e->skipped++;
		return;
	}
	e->checked++;
	if (r->value == PT_VAL_SAME)
		held = seen == before;
	else if (r->value == PT_VAL_CHANGED)
		held = seen != before;
	else
		held = seen == r->value;
	if (e->nr_rows < PT_EXPLAIN_ROWS) {
		c = &e->rows[e->nr_rows++];
		memset(c, 0, sizeof(*c));
		c->who = r->who;
		snprintf(c->what, sizeof(c->what), "%s", r->what);
		c->expected = r->value;
		c->observed = seen;
		c->before = before;
		c->held = held;
		snprintf(c->func, sizeof(c->func), "%s", func);
		snprintf(c->source, sizeof(c->source), "%s", cite);
	}
	if (held || e->nr_unexpected >= PT_EXPLAIN_MAX)
		return;
	c = &e->unexpected[e->nr_unexpected++];
	memset(c, 0, sizeof(*c));
	c->who = r->who;
	snprintf(c->what, sizeof(c->what), "%s", r->what);
	c->expected = r->value;
	c->observed = seen;
	c->before = before;
	snprintf(c->func, sizeof(c->func), "%s", func);
	snprintf(c->source, sizeof(c->source), "%s", cite);
}

/* What a learner should notice that no single bit says. */
static void pt_explain_notes(const struct pt_lab *lab, const struct pt_lab_step *s,
			     struct pt_explain *e)
{
	struct pt_seen o;
	char one[200];
	int p;

	for (p = 0; p < 2; p++) {
		pt_see(lab, s, p, &o);
		if (!o.present || pt_seen_bit(lab, &o, "write") != 1 ||
		    pt_seen_bit(lab, &o, "saved_dirty") != 1)
			continue;
		snprintf(one, sizeof(one), "Notice: SavedDirty stays set on a writable entry (the %s's): %s",
			 p ? "child" : "parent",
			 "pte_dirty() counts it, though Write=1 needs no SavedDirty.");
		pt_text_add(e->text, sizeof(e->text), one, " ");
	}
}

static bool pt_proc_huge(const struct pt_lab_proc *p)
{
	int l;

	if (!p->exists || !p->walked)
		return false;
	l = pt_walk_leaf(&p->walk);
	return l >= 0 && l < PT_PTE && p->walk.level[l].state == PT_STATE_LEAF;
}

/*
 * Processes whose watched range khugepaged collapsed during the step: a
 * pmd that was a table is a huge leaf, and no MADV_COLLAPSE asked for it.
 * A child has no entry before its fork: there, a huge leaf the parent does
 * not have, while khugepaged's count moved, is its collapse (fork copies
 * a pinned THP into 4 KiB pages, which khugepaged may collapse at once).
 */
static unsigned int pt_background(const struct pt_lab_step *s, int ev)
{
	unsigned int bg = 0;
	size_t k;

	if (ev == PT_R_COLLAPSE)
		return 0;
	for (k = 0; k < s->nr_changes; k++)
		if (!strcmp(s->changes[k].what, "collapse"))
			bg |= s->changes[k].who == PT_WHO_CHILD ? 2u : 1u;
	if (ev == PT_R_FORK && !s->err[0] && s->khugepaged && pt_proc_huge(&s->proc[1]) &&
	    !pt_proc_huge(&s->proc[0]))
		bg |= 2u;
	return bg;
}

static int pt_rows_run(const struct pt_rows *t, const struct pt_lab *lab, size_t i,
		       int ev, const uint64_t atoms[2], unsigned int bg,
		       unsigned int *modelled, unsigned int *gap, struct pt_explain *e)
{
	const struct pt_lab_step *s = &lab->steps[i];
	size_t k, lo, hi;
	int n = 0;

	pt_kspan(pt_explain_kver(lab), &lo, &hi);

	for (k = 0; k < t->nr; k++) {
		const struct pt_row *r = &t->rows[k];
		unsigned int whom = r->who == PT_WHO_DEFAULT ? 3u : r->who == PT_WHO_CHILD ? 2u : 1u;

		if ((whom & bg) || !pt_row_matches(r, lab, s, ev, atoms))
			continue;
		n++;
		if (pt_row_changed_between(r, lo, hi)) {
			char a[16], b[16], c[16], f[64];
			bool since = r->since > pt_modelled[lo] && r->since <= pt_modelled[hi];

			/* read at neither end: never "expected" */
			*gap |= whom;
			if (e->state[0])
				continue;
			pt_kv_text(pt_modelled[lo], a, sizeof(a));
			pt_kv_text(pt_modelled[hi], b, sizeof(b));
			pt_kv_text(since ? r->since : r->until, c, sizeof(c));
			pt_row_func(r, since ? hi : lo, f, sizeof(f));
			snprintf(e->state, sizeof(e->state),
				 "the behaviour changed between %s and %s (%s, %s %s%s%s)", a, b, f,
				 since ? "since" : "until", c, r->commit[0] ? ", commit " : "",
				 r->commit);
			continue;
		}
		/* that fork worked says nothing of the entries */
		if (strcmp(r->what, "error") || s->err[0])
			*modelled |= r->who == PT_WHO_DEFAULT ? 3u : r->who == PT_WHO_CHILD ? 2u : 1u;
		pt_check_row(r, lab, i, e);
	}
	return n;
}

void pt_explain_step(void *expect, struct pt_lab *lab, size_t i)
{
	const struct pt_expect *x = expect;
	const struct pt_lab_step *s, *prev;
	struct pt_explain *e;
	unsigned int modelled = 0, gap = 0, need, bg;
	uint64_t atoms[2];
	char words[300];
	int ev, p;

	if (i >= lab->nr_steps)
		return;
	e = &lab->steps[i].explain;
	memset(e, 0, sizeof(*e));
	if (!lab->owned)
		return;
	pt_explain_init(NULL);
	s = &lab->steps[i];
	/* a map step starts new subjects: nothing before it counts */
	prev = i && s->cmd.id != PT_C_KIND ? &lab->steps[i - 1] : NULL;
	ev = pt_step_event(s);
	for (p = 0; p < 2; p++)
		atoms[p] = pt_atoms(lab, s, prev, p);
	bg = pt_background(s, ev);
	if (bg) {
		const struct pt_named *w = pt_name_find(&pt_table, "KHUGEPAGED");
		char one[400];

		snprintf(one, sizeof(one), "%s.", w ? w->text : "khugepaged collapsed the range");
		pt_text_add(e->text, sizeof(e->text), one, " ");
		pt_text_add(e->funcs, sizeof(e->funcs), "collapse_huge_page", ", ");
		modelled |= bg;
	}
	pt_rows_run(&pt_table, lab, i, ev, atoms, bg, &modelled, &gap, e);
	if (x)
		pt_rows_run(&x->rows, lab, i, ev, atoms, bg, &modelled, &gap, e);
	modelled &= ~gap;
	e->gap = gap != 0;
	pt_explain_notes(lab, s, e);
	/* every process the event acts on (both at fork) needs its rows */
	need = pt_step_actors(s) | (ev == PT_R_FORK && !s->err[0] ? 2u : 0u);
	if (ev == PT_R_WAIT)
		need = 3;
	if (ev == PT_R_EXIT && !s->err[0])
		need = 1;
	for (p = 0; p < 2; p++)
		if (!s->proc[p].exists && !(prev && prev->proc[p].exists))
			need &= ~(1u << p);
	e->modelled = (modelled & need) == need;
	if (!(gap & need))
		e->state[0] = '\0';
	for (p = 0; p < 2 && !e->modelled; p++) {
		size_t n = strlen(e->state);

		if (!(need & ~modelled & (1u << p)))
			continue;
		pt_atoms_text(atoms[ev == PT_R_FORK ? 0 : p] & ~A_TOUCH, words, sizeof(words));
		snprintf(e->state + n, sizeof(e->state) - n, "%s%s %s on %s (%s)",
			 n ? "; " : "", pt_revent_names[ev], p ? "child" : "parent",
			 words[0] ? words : "nothing known",
			 atoms[p] & A_TOUCH ? pt_atom_words[__builtin_ctzll(atoms[p] & A_TOUCH)] :
					      "where the event fell is not known");
	}
}

int pt_rows_for_kernel(const char *text, const char *arch_name, unsigned int kver,
		       char *cite, size_t len, struct pt_err *err)
{
	const struct pt_arch *arch = pt_arch_find(arch_name);
	struct pt_rows t = { 0 };
	size_t lo, hi;
	int ret;

	if (!arch)
		return pt_err_set(err, PT_USAGE, "no architecture '%s'", arch_name);
	ret = pt_rows_parse(text, arch, &t, err);
	if (ret < 0)
		goto out;
	if (!t.nr) {
		ret = pt_err_set(err, PT_USAGE, "no row");
		goto out;
	}
	pt_kspan(kver, &lo, &hi);
	cite[0] = '\0';
	if (!pt_row_holds(&t.rows[0], kver)) {
		ret = 0;
	} else if (pt_row_changed_between(&t.rows[0], lo, hi)) {
		ret = 2;
	} else {
		char func[64], src[176];

		pt_row_func(&t.rows[0], lo, func, sizeof(func));
		pt_row_cite(&t.rows[0], lo, src, sizeof(src));
		snprintf(cite, len, "%s %s", func, src);
		ret = 1;
	}
out:
	pt_rows_free(&t);
	return ret;
}

const char *pt_explain_value(const char *what, long v, char *buf, size_t len)
{
	if (v == PT_SEEN_NO_ENTRY)
		return "no entry";
	if (v == PT_VAL_SAME)
		return "as before";
	if (v == PT_VAL_CHANGED)
		return "a change";
	if (!strcmp(what, "level") && v >= 0 && v < PT_NR_LEVELS)
		return pt_level_name(v);
	if (!strcmp(what, "pfn"))
		snprintf(buf, len, "0x%lx", v);
	else
		snprintf(buf, len, "%ld", v);
	return buf;
}
