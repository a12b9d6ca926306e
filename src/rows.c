// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intern.h"
#include "lang.h"
#include "rows.h"

static const char *const pt_atom_names[] = {
#define PT_ATOM_NAME(id, name, words) name,
	PT_ATOMS(PT_ATOM_NAME)
#undef PT_ATOM_NAME
};

static const char *const pt_atom_words_[] = {
#define PT_ATOM_WORDS(id, name, words) words,
	PT_ATOMS(PT_ATOM_WORDS)
#undef PT_ATOM_WORDS
};

static const char *const pt_revent_names[] = {
#define PT_REV_NAME(id, name) name,
	PT_REVENTS(PT_REV_NAME)
#undef PT_REV_NAME
};

/* the event commands, PT_R_CMD on (the table alone: rows.c links no lang.c) */
static const char *const pt_cmd_events[] = {
#define PT_REV_CMD(id, name, flags, form, help, line, ...) \
	[PT_C_##id] = ((flags) & PT_CMD_EVENT) ? name : NULL,
	PT_CMD_TABLE(PT_REV_CMD)
#undef PT_REV_CMD
};

/* what a row compares that is not a bit of the decoder */
static const char *const pt_pseudo[] = {
	"level", "pfn", "pfn_same", "empty", "error", "unchanged", "kept", "guard", "guard_same",
	"pte_table", NULL,
};

/* the kinds by their names in the rows (subject.h's table) */
static const char *const pt_kind_names[] = {
#define PT_KIND_NAME(id, name, desc) name,
	PT_LAB_KINDS(PT_KIND_NAME)
#undef PT_KIND_NAME
};

static int pt_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < PT_LAB_NR_KINDS; i++)
		if (!strcmp(pt_kind_names[i], s))
			return i;
	return -1;
}

const char *pt_atom_name(int a)
{
	return a >= 0 && a < PT_A_NR ? pt_atom_names[a] : "?";
}

const char *pt_atom_words(int a)
{
	return a >= 0 && a < PT_A_NR ? pt_atom_words_[a] : "?";
}

const char *pt_revent_name(int ev)
{
	if (ev >= PT_R_CMD && ev < PT_R_CMD + PT_C_NR && pt_cmd_events[ev - PT_R_CMD])
		return pt_cmd_events[ev - PT_R_CMD];
	return ev >= 0 && ev < PT_R_NR ? pt_revent_names[ev] : "?";
}

bool pt_event_matches(int row, int ev)
{
	if (row == ev || row == PT_R_ANY)
		return true;
	if (row == PT_R_MADVISE)
		return ev >= PT_R_DONTNEED && ev <= PT_R_NOHUGEPAGE;
	if (row == PT_R_MPROTECT)
		return ev == PT_R_MPROT_RO || ev == PT_R_MPROT_RW;
	return false;
}

/* ---- the modelled kernels and the lines rows cite at each ---- */

const unsigned int pt_modelled[] = {
	PT_KV(6, 1), PT_KV(6, 12), PT_KV(6, 18), PT_KV(7, 1),
};
_Static_assert(sizeof(pt_modelled) / sizeof(pt_modelled[0]) == PT_NR_MODELLED,
	       "PT_NR_MODELLED counts pt_modelled[]");
/* a src= with no "(VERSION:...)" cites this one */
#define PT_SRC_BASE 1

void pt_kv_text(unsigned int kv, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u", kv >> 16, (kv >> 8) & 0xff);
}

/*
 * The modelled versions around @kver: *@lo == *@hi where @kver is one of
 * them, older than the oldest or newer than the newest (an unknown kernel,
 * 0, is taken as the newest); else @kver lies between *@lo and *@hi.
 */
void pt_kspan(unsigned int kver, size_t *lo, size_t *hi)
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

bool pt_row_holds(const struct pt_row *r, unsigned int kv)
{
	return !((r->since && kv < r->since) || (r->until && kv >= r->until));
}

/* the row's behaviour changed after modelled @lo, by modelled @hi */
bool pt_row_changed_between(const struct pt_row *r, size_t lo, size_t hi)
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
 * naming the version ("mm/memory.c:3332 at 6.12").  Returns the modelled
 * version cited, so the function is named as that version names it.
 */
size_t pt_row_cite(const struct pt_row *r, size_t want, char *buf, size_t len)
{
	char file[PT_NR_MODELLED][96], kv[16];
	unsigned int line[PT_NR_MODELLED];
	size_t d, i = want;

	if (!strcmp(r->source, "-") || r->source[0] == '(' || !r->line ||
	    pt_src_split(r->source, file, line) < 0) {
		snprintf(buf, len, "%s", r->source);
		return want;
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
		return want;
	}
	pt_kv_text(pt_modelled[i], kv, sizeof(kv));
	snprintf(buf, len, "%s:%u at %s", file[i], line[i], kv);
	return i;
}

/*
 * func=NAME(6.1:OLD)(6.18:NEW)...: a group of 6.12 or later names the
 * function from that version on, one of an earlier version (6.1: NAME is
 * 6.12's, as src='s bare line is) up to that version.  The name at
 * modelled version @want.
 */
void pt_row_func(const struct pt_row *r, size_t want, char *buf, size_t len)
{
	const char *p = strchr(r->func, '(');
	size_t n = p && p != r->func ? (size_t)(p - r->func) : strlen(r->func);
	unsigned int a, b, w = pt_modelled[want], base = pt_modelled[PT_SRC_BASE], old = 0;
	int k;

	snprintf(buf, len, "%.*s", (int)n, r->func);
	while (p && p != r->func && *p == '(') {
		const char *q = strchr(p, ')');
		unsigned int v;

		k = 0;
		if (!q || sscanf(p + 1, "%u.%u:%n", &a, &b, &k) != 2 || !k)
			return;
		v = PT_KV(a, b);
		if ((v >= base && v <= w) || (v < base && w <= v && (!old || v < old))) {
			snprintf(buf, len, "%.*s", (int)(q - p - 1 - k), p + 1 + k);
			if (v < base)
				old = v;
		}
		p = q + 1;
	}
}

const struct pt_named *pt_name_find(const struct pt_rows *t, const char *name)
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
	size_t i;
	int k;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "*")) {
			kinds |= (1u << PT_LAB_NR_KINDS) - 1;
			continue;
		}
		k = pt_kind_parse(tok);
		if (k >= 0) {
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
	for (i = 0; i < PT_C_NR; i++)
		if (pt_cmd_events[i] && !strcmp(pt_cmd_events[i], s))
			return PT_R_CMD + i;
	return -1;
}

/*
 * One row: "KINDS:EVENT:WHO:WHAT=VALUE [key=value]...".  @names holds the
 * whys and sets it may name (the table's, for --expect too).
 */
int pt_row_parse(const char *line, struct pt_rows *names, const struct pt_arch *arch,
		 struct pt_row *r, struct pt_err *err)
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
		} else if (!strcmp(key, "config")) {
			/* a Kconfig option without its CONFIG_ prefix */
			if (!arg[0] || strlen(arg) >= sizeof(r->config) ||
			    arg[strspn(arg, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")])
				return pt_err_set(err, PT_USAGE, "bad config '%s' (an option such as PT_RECLAIM) in '%s'",
						  arg, line);
			snprintf(r->config, sizeof(r->config), "%.31s", arg);
		} else if (!strcmp(key, "why")) {
			const struct pt_named *w = names ? pt_name_find(names, arg) : NULL;

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

int pt_row_append(struct pt_rows *t, const struct pt_row *r, struct pt_err *err)
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

void pt_rows_free(struct pt_rows *t)
{
	size_t i;

	for (i = 0; i < t->nr_names; i++)
		free(t->names[i].text);
	free(t->names);
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

/* "FILE:LINE" of a row or a line, as messages name it */
static void pt_where(const char *file, int line, char *buf, size_t len)
{
	if (file)
		snprintf(buf, len, "%s:%d", file, line);
	else
		snprintf(buf, len, "rows line %d", line);
}

/*
 * One line of a rows text outside the rows: a definition ("cpu", "why",
 * "set"), read in the first pass so that a row may name a why of a file
 * read after its own (common.rows's rows, an architecture's whys).
 */
static int pt_rows_def(const char *line, const char *where, const struct pt_arch *arch,
		       struct pt_rows *t, struct pt_err *err)
{
	char name[24];
	int n, ret;

	if (!strncmp(line, "cpu ", 4)) {
		char which[8], bit[24];

		if (sscanf(line + 4, "%7s %23s %n", which, bit, &n) != 2 || line[4 + n] ||
		    (strcmp(which, "young") && strcmp(which, "dirty")))
			return pt_err_set(err, PT_USAGE, "%s: cpu young|dirty BIT", where);
		if (!pt_bit_known(arch, bit))
			return pt_err_set(err, PT_USAGE, "%s: unknown bit '%s'", where, bit);
		snprintf(which[0] == 'y' ? t->cpu_young : t->cpu_dirty, sizeof(t->cpu_young),
			 "%s", bit);
		return 0;
	}
	if (sscanf(line + 4, "%23s %n", name, &n) != 1 || !line[4 + n])
		return pt_err_set(err, PT_USAGE, "%s: a name and a text", where);
	if (line[0] == 's') {
		unsigned int kinds = pt_kinds_parse(t, line + 4 + n);

		if (!kinds)
			return pt_err_set(err, PT_USAGE, "%s: unknown kind", where);
		ret = pt_name_add(t, name, line + 4 + n, kinds, err);
	} else {
		ret = pt_name_add(t, name, line + 4 + n, 0, err);
	}
	return ret;
}

/*
 * A rows text: comments, "@file NAME" (the generator's: the lines after
 * it are NAME's, counted from 1), definitions and rows.  Two passes: the
 * definitions of the whole text, then its rows in order.
 */
int pt_rows_parse(const char *text, const struct pt_arch *arch, struct pt_rows *t,
		  struct pt_err *err)
{
	const char *p, *file;
	char line[PT_ROWS_LINE_MAX], where[160];
	struct pt_row r;
	int pass, ln, ret;
	bool def;

	for (pass = 0; pass < 2; pass++) {
		file = NULL;
		ln = 0;
		for (p = text; *p;) {
			size_t len = strcspn(p, "\n");
			const char *l;

			ln++;
			snprintf(line, sizeof(line), "%.*s",
				 (int)(len < sizeof(line) ? len : sizeof(line) - 1), p);
			p += len + (p[len] == '\n');
			pt_where(file, ln, where, sizeof(where));
			if (len >= sizeof(line))
				return pt_err_set(err, PT_USAGE, "%s: the line is too long", where);
			if (!strncmp(line, "@file ", 6)) {
				file = pt_intern(line + 6);
				if (!file)
					return pt_err_set(err, PT_NO_MEM, "out of memory");
				ln = 0;
				continue;
			}
			l = line + strspn(line, " \t");
			if (!*l || *l == '#')
				continue;
			def = !strncmp(line, "cpu ", 4) || !strncmp(line, "why ", 4) ||
			      !strncmp(line, "set ", 4);
			if (def != !pass)
				continue;
			if (def) {
				ret = pt_rows_def(line, where, arch, t, err);
				if (ret < 0)
					return ret;
				continue;
			}
			ret = pt_row_parse(line, t, arch, &r, err);
			if (ret < 0) {
				char msg[sizeof(err->msg)];

				snprintf(msg, sizeof(msg), "%s", err->msg);
				return pt_err_set(err, PT_USAGE, "%s: %.400s", where, msg);
			}
			r.line = ln;
			r.file = file;
			ret = pt_row_append(t, &r, err);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}
/* ---- validation (the build's: scripts/rows-check.c, and the unit test's) ---- */

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
	char file[PT_NR_MODELLED][96], where[160], where2[160];
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
			pt_where(r->file, r->line, where, sizeof(where));
			ret = pt_err_set(err, PT_USAGE, "%s: no func, src or why", where);
			goto out;
		}
		if (strcmp(r->source, "-") && pt_src_split(r->source, file, line) < 0) {
			pt_where(r->file, r->line, where, sizeof(where));
			ret = pt_err_set(err, PT_USAGE,
					 "%s: src=%s is not FILE:LINE(VERSION:LINE)... of 6.1, 6.12, 6.18 or 7.1",
					 where, r->source);
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
				pt_where(r->file, r->line, where, sizeof(where));
				ret = pt_err_set(err, PT_USAGE, "%s: %u.%u has no bit '%s'",
						 where, kv >> 16, (kv >> 8) & 0xff, r->what);
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
			pt_where(a->file, a->line, where, sizeof(where));
			pt_where(b->file, b->line, where2, sizeof(where2));
			ret = pt_err_set(err, PT_USAGE, "%s and %s contradict each other (%s)",
					 where, where2, a->what);
			goto out;
		}
	}
	ret = (int)t.nr;
out:
	pt_rows_free(&t);
	free(ly);
	return ret;
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

		pt_row_func(&t.rows[0], pt_row_cite(&t.rows[0], lo, src, sizeof(src)), func,
			    sizeof(func));
		snprintf(cite, len, "%s %s", func, src);
		ret = 1;
	}
out:
	pt_rows_free(&t);
	return ret;
}

