// SPDX-License-Identifier: GPL-2.0
/*
 * Lesson files and the queries their questions ask: the parser and the
 * evaluator over one lab step.  No view: sub_learn.c and ui.c print.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lab.h"
#include "lang.h"
#include "layout.h"
#include "lesson.h"
#include "model.h"
#include "subject.h"

/* KPF_* of include/uapi/linux/kernel-page-flags.h */
#define PT_KPF_ANON 12
#define PT_KPF_KSM 21
#define PT_KPF_THP 22
#define PT_KPF_ZERO_PAGE 24

static const char *const pt_ask_types[] = {
	[PT_ASK_YESNO] = "yesno", [PT_ASK_CHOICE] = "choice", [PT_ASK_BIT] = "bit",
};

const char *pt_ask_type_name(enum pt_ask_type t)
{
	return pt_ask_types[t];
}

/* Appends @s to @buf, a space between: a text spread over several lines. */
static int pt_append(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);

	if (n + strlen(s) + 2 > len)
		return -1;
	snprintf(buf + n, len - n, "%s%s", n ? " " : "", s);
	return 0;
}

static int pt_set(char *buf, size_t len, const char *s)
{
	if (strlen(s) >= len)
		return -1;
	snprintf(buf, len, "%s", s);
	return 0;
}

static int pt_lesson_line(struct pt_lesson *ls, const char *key, const char *rest,
			  const char *name, int lineno, struct pt_err *err)
{
	struct pt_lesson_step *st = ls->nr_steps ? &ls->steps[ls->nr_steps - 1] : NULL;
	struct pt_ask *a = st && st->nr_asks ? &st->asks[st->nr_asks - 1] : NULL;
	struct pt_cmd cmd;
	int bad = 0;

	if (!strcmp(key, "lesson"))
		bad = pt_set(ls->name, sizeof(ls->name), rest);
	else if (!strcmp(key, "title"))
		bad = pt_set(ls->title, sizeof(ls->title), rest);
	else if (!strcmp(key, "about"))
		bad = pt_set(ls->about, sizeof(ls->about), rest);
	else if (!strcmp(key, "module"))
		bad = pt_append(ls->module, sizeof(ls->module), rest);
	else if (!strcmp(key, "kind")) {
		enum pt_lab_kind k;

		if (pt_lab_kind_parse(rest, &k))
			return pt_err_set(err, PT_USAGE, "lesson %s:%d: unknown kind '%s'",
					  name, lineno, rest);
		bad = pt_set(ls->kind, sizeof(ls->kind), rest);
	} else if (!strcmp(key, "needs")) {
		if (!strcmp(rest, "kmod"))
			ls->needs_kmod = true;
		else if (!strcmp(rest, "ksm"))
			ls->needs_ksm = true;
		else
			return pt_err_set(err, PT_USAGE, "lesson %s:%d: needs what? (kmod, ksm)",
					  name, lineno);
	} else if (!strcmp(key, "text")) {
		bad = st ? pt_append(st->text, sizeof(st->text), rest) :
			   pt_append(ls->intro, sizeof(ls->intro), rest);
	} else if (!strcmp(key, "step")) {
		if (ls->nr_steps == PT_LESSON_MAX_STEPS)
			return pt_err_set(err, PT_USAGE, "lesson %s:%d: more than %d steps",
					  name, lineno, PT_LESSON_MAX_STEPS);
		if (pt_cmd_parse(rest, &cmd, err) < 0 || !(pt_cmd_flags(cmd.id) & PT_CMD_EVENT))
			return pt_err_set(err, PT_USAGE, "lesson %s:%d: '%s' is not a lab event",
					  name, lineno, rest);
		st = &ls->steps[ls->nr_steps++];
		bad = pt_set(st->event, sizeof(st->event), rest);
	} else if (!strcmp(key, "ask")) {
		char type[16], query[128];
		size_t t;

		if (!st || st->nr_asks == PT_LESSON_MAX_ASKS)
			return pt_err_set(err, PT_USAGE, "lesson %s:%d: a question needs a step above it (at most %d)",
					  name, lineno, PT_LESSON_MAX_ASKS);
		if (sscanf(rest, "%15s %127[^\n]", type, query) != 2)
			return pt_err_set(err, PT_USAGE, "lesson %s:%d: ask TYPE QUERY", name, lineno);
		for (t = 0; t < sizeof(pt_ask_types) / sizeof(pt_ask_types[0]); t++)
			if (!strcmp(type, pt_ask_types[t]))
				break;
		if (t == sizeof(pt_ask_types) / sizeof(pt_ask_types[0]))
			return pt_err_set(err, PT_USAGE, "lesson %s:%d: unknown question type '%s' (yesno, choice, bit)",
					  name, lineno, type);
		if (pt_query_check(query, err) < 0) {
			char why[sizeof(err->msg)];

			/* the message names the line: not formatted into itself */
			snprintf(why, sizeof(why), "%s", err->msg);
			return pt_err_set(err, PT_USAGE, "lesson %s:%d: %.400s", name, lineno, why);
		}
		a = &st->asks[st->nr_asks++];
		ls->nr_asks++;
		a->type = t;
		bad = pt_set(a->query, sizeof(a->query), query);
	} else if (!a && (!strcmp(key, "q") || !strcmp(key, "hint") || !strcmp(key, "why") ||
			  !strcmp(key, "note") || !strcmp(key, "choices"))) {
		return pt_err_set(err, PT_USAGE, "lesson %s:%d: '%s' needs a question (ask) above it",
				  name, lineno, key);
	} else if (!strcmp(key, "q")) {
		bad = pt_append(a->q, sizeof(a->q), rest);
	} else if (!strcmp(key, "hint")) {
		bad = pt_set(a->hint, sizeof(a->hint), rest);
	} else if (!strcmp(key, "why")) {
		bad = pt_append(a->why, sizeof(a->why), rest);
	} else if (!strcmp(key, "note")) {
		bad = pt_append(a->note, sizeof(a->note), rest);
	} else if (!strcmp(key, "choices")) {
		char buf[160], *tok, *save = NULL;

		snprintf(buf, sizeof(buf), "%s", rest);
		for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			if (a->nr_choices == PT_LESSON_MAX_CHOICES)
				return pt_err_set(err, PT_USAGE, "lesson %s:%d: more than %d choices",
						  name, lineno, PT_LESSON_MAX_CHOICES);
			if (pt_set(a->choices[a->nr_choices++], sizeof(a->choices[0]), tok))
				return pt_err_set(err, PT_USAGE, "lesson %s:%d: choice too long",
						  name, lineno);
		}
	} else {
		return pt_err_set(err, PT_USAGE, "lesson %s:%d: unknown keyword '%s'", name, lineno, key);
	}
	if (bad)
		return pt_err_set(err, PT_USAGE, "lesson %s:%d: '%s' too long", name, lineno, key);
	return 0;
}

int pt_lesson_parse(const char *name, const char *text, struct pt_lesson *ls,
		    struct pt_err *err)
{
	const char *p = text;
	int lineno = 0;
	size_t i, j;

	memset(ls, 0, sizeof(*ls));
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		char line[1024], key[16];
		const char *rest;
		int ret;

		lineno++;
		if (len >= sizeof(line))
			return pt_err_set(err, PT_USAGE, "lesson %s:%d: line too long", name, lineno);
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (eol ? 1 : 0);
		while (len && isspace((unsigned char)line[len - 1]))
			line[--len] = '\0';
		rest = line;
		while (isspace((unsigned char)*rest))
			rest++;
		if (!*rest || *rest == '#')
			continue;
		for (i = 0; rest[i] && !isspace((unsigned char)rest[i]) && i + 1 < sizeof(key); i++)
			key[i] = rest[i];
		key[i] = '\0';
		rest += i;
		while (isspace((unsigned char)*rest))
			rest++;
		ret = pt_lesson_line(ls, key, rest, name, lineno, err);
		if (ret < 0)
			return ret;
	}
	if (!ls->name[0] || !ls->title[0] || !ls->kind[0] || !ls->nr_steps)
		return pt_err_set(err, PT_USAGE, "lesson %s: needs lesson, title, kind and a step",
				  name);
	for (i = 0; i < ls->nr_steps; i++) {
		for (j = 0; j < ls->steps[i].nr_asks; j++) {
			const struct pt_ask *a = &ls->steps[i].asks[j];

			if (!a->q[0] || !a->why[0] || !a->hint[0])
				return pt_err_set(err, PT_USAGE, "lesson %s: question '%s' needs q, hint and why",
						  name, a->query);
			if ((a->type == PT_ASK_CHOICE) != (a->nr_choices > 0))
				return pt_err_set(err, PT_USAGE, "lesson %s: question '%s': choices go with choice questions",
						  name, a->query);
		}
	}
	return 0;
}

int pt_lesson_find(const char *name, struct pt_lesson *ls, struct pt_err *err)
{
	char names[512] = "";
	size_t i;

	for (i = 0; i < pt_nr_lesson_srcs; i++)
		if (!strcmp(pt_lesson_srcs[i].name, name))
			return pt_lesson_parse(name, pt_lesson_srcs[i].text, ls, err);
	for (i = 0; i < pt_nr_lesson_srcs; i++)
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? ", " : "",
			 pt_lesson_srcs[i].name);
	return pt_err_set(err, PT_USAGE, "unknown lesson '%s' (%s)", name, names);
}

/* ---- queries ---- */

struct pt_qparts {
	char lhs[48], op[3], rhs[48];
};

static int pt_query_split(const char *query, struct pt_qparts *q)
{
	int n;

	memset(q, 0, sizeof(*q));
	n = sscanf(query, "%47s %2s %47s", q->lhs, q->op, q->rhs);
	if (n == 1)
		return 0;
	if (n == 3 && (!strcmp(q->op, "==") || !strcmp(q->op, "!=")))
		return 0;
	return -1;
}

static const char *const pt_fields[] = {
	"exists", "present", "exclusive", "soft_dirty", "swapped", "file_shared", "huge",
	"level", "pfn", "mapcount", "thp", "zero_page", "ksm", "anon",
};

static bool pt_is_field(const char *f)
{
	size_t i;

	for (i = 0; i < sizeof(pt_fields) / sizeof(pt_fields[0]); i++)
		if (!strcmp(f, pt_fields[i]))
			return true;
	/* a decoder bit: known only once the layout is, checked then */
	for (; *f; f++)
		if (!islower((unsigned char)*f) && !isdigit((unsigned char)*f) && *f != '_')
			return false;
	return true;
}

static int pt_operand_check(const char *s, struct pt_err *err)
{
	const char *dot = strchr(s, '.');

	if (!strcmp(s, "changed(parent)") || !strcmp(s, "changed(child)"))
		return 0;
	if (!dot) {
		for (; *s; s++)
			if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
				return pt_err_set(err, PT_USAGE, "bad word in query");
		return 0;
	}
	if ((strncmp(s, "parent.", 7) && strncmp(s, "child.", 6)) || !pt_is_field(dot + 1) ||
	    !dot[1])
		return pt_err_set(err, PT_USAGE, "bad operand '%s' (parent.FIELD, child.FIELD, changed(WHO))", s);
	return 0;
}

int pt_query_check(const char *query, struct pt_err *err)
{
	struct pt_qparts q;

	if (pt_query_split(query, &q) < 0)
		return pt_err_set(err, PT_USAGE, "bad query '%s' (OPERAND [== OPERAND])", query);
	if (pt_operand_check(q.lhs, err) < 0)
		return -PT_USAGE;
	if (q.op[0] && pt_operand_check(q.rhs, err) < 0)
		return -PT_USAGE;
	return 0;
}

static void pt_none(struct pt_val *v, const char *why)
{
	memset(v, 0, sizeof(*v));
	v->type = PT_V_NONE;
	snprintf(v->why, sizeof(v->why), "%s", why);
}

static void pt_bool(struct pt_val *v, bool b)
{
	memset(v, 0, sizeof(*v));
	v->type = PT_V_BOOL;
	v->b = b;
}

static void pt_kpf(const struct pt_walk *w, unsigned int bit, struct pt_val *v)
{
	if (!w->pm.present)
		pt_bool(v, false);
	else if (!w->pm.has_kpageflags)
		pt_none(v, "/proc/kpageflags is readable only by root");
	else
		pt_bool(v, w->pm.kpageflags & (1ull << bit));
}

bool pt_walk_present(const struct pt_walk *w)
{
	int l = pt_walk_leaf(w);

	/* pagemap reports a VM_PFNMAP as a hole (walk_page_test): the
	 * module's raw entry is the truth where there is one */
	if (l >= 0 && w->level[l].has_raw)
		return w->level[l].state == PT_STATE_LEAF;
	return w->pm.valid && w->pm.present;
}

static void pt_field(const struct pt_obs *o, const struct pt_lab_proc *p, const char *who,
		     const char *f, struct pt_val *v)
{
	const struct pt_walk *w = &p->walk;
	int l;

	if (!strcmp(f, "exists")) {
		pt_bool(v, p->exists);
		return;
	}
	if (!p->exists) {
		char why[64];

		snprintf(why, sizeof(why), "there is no %s at this step", who);
		pt_none(v, why);
		return;
	}
	if (!p->walked) {
		pt_none(v, p->err[0] ? p->err : "not walked");
		return;
	}
	l = pt_walk_leaf(w);
	if (!strcmp(f, "present")) {
		pt_bool(v, pt_walk_present(w));
	} else if (!strcmp(f, "exclusive")) {
		pt_bool(v, w->pm.exclusive);
	} else if (!strcmp(f, "soft_dirty")) {
		if (!o->soft_dirty)
			pt_none(v, "this kernel does not track soft-dirty (CONFIG_MEM_SOFT_DIRTY)");
		else
			pt_bool(v, w->pm.soft_dirty);
	} else if (!strcmp(f, "swapped")) {
		pt_bool(v, w->pm.swapped);
	} else if (!strcmp(f, "file_shared")) {
		pt_bool(v, w->pm.file_shared);
	} else if (!strcmp(f, "huge") || !strcmp(f, "level")) {
		if (!pt_walk_present(w)) {
			if (!strcmp(f, "huge"))
				pt_bool(v, false);
			else
				pt_none(v, "nothing is mapped at this step");
			return;
		}
		/* a derived walk names the leaf's level from PAGEMAP_SCAN's
		 * PAGE_IS_HUGE; a raw walk from the entry itself */
		if (l < 0) {
			pt_none(v, "the source did not see the leaf");
			return;
		}
		if (!strcmp(f, "huge")) {
			pt_bool(v, l < PT_PTE);
		} else {
			memset(v, 0, sizeof(*v));
			v->type = PT_V_STR;
			snprintf(v->s, sizeof(v->s), "%s", pt_level_name(l));
		}
	} else if (!strcmp(f, "pfn")) {
		memset(v, 0, sizeof(*v));
		if (!w->pm.present && (l < 0 || !w->level[l].has_raw)) {
			pt_none(v, "nothing is mapped at this step");
		} else if (l >= 0 && w->level[l].has_raw) {
			struct pt_decoded d;

			pt_decode(o->ly, l, w->level[l].raw, &d);
			if (!d.has_pfn) {
				pt_none(v, "the entry holds no PFN");
				return;
			}
			v->type = PT_V_NUM;
			v->n = pt_walk_page_pfn(w, l, d.pfn);
		} else if (w->pm.pfn_hidden || !w->pm.pfn) {
			pt_none(v, "PFNs read as 0 without CAP_SYS_ADMIN (run as root, or with the module)");
		} else {
			v->type = PT_V_NUM;
			v->n = w->pm.pfn;
		}
	} else if (!strcmp(f, "mapcount")) {
		memset(v, 0, sizeof(*v));
		if (!w->pm.present)
			pt_none(v, "nothing is mapped at this step");
		else if (!w->pm.has_kpagecount)
			pt_none(v, "/proc/kpagecount is readable only by root");
		else {
			v->type = PT_V_NUM;
			v->n = w->pm.kpagecount;
		}
	} else if (!strcmp(f, "thp")) {
		pt_kpf(w, PT_KPF_THP, v);
	} else if (!strcmp(f, "zero_page")) {
		pt_kpf(w, PT_KPF_ZERO_PAGE, v);
	} else if (!strcmp(f, "ksm")) {
		pt_kpf(w, PT_KPF_KSM, v);
	} else if (!strcmp(f, "anon")) {
		pt_kpf(w, PT_KPF_ANON, v);
	} else {
		const struct pt_bit *r = pt_layout_row(o->ly, f);
		struct pt_decoded d;

		if (l < 0 || !w->level[l].has_raw) {
			char why[96];

			snprintf(why, sizeof(why), "'%s' is a raw bit: only the module (ptdump_helper) shows it", f);
			pt_none(v, why);
			return;
		}
		pt_decode(o->ly, l, w->level[l].raw, &d);
		if (!strcmp(f, "write") || !strcmp(f, "dirty") || !strcmp(f, "young")) {
			/* the kernel's helpers (pte_write()...), on every architecture */
			pt_bool(v, !strcmp(f, "write") ? d.sum.write :
				   !strcmp(f, "dirty") ? d.sum.dirty : d.sum.young);
		} else if (!r) {
			char why[96];

			snprintf(why, sizeof(why), "this kernel's decoder has no bit '%s'", f);
			pt_none(v, why);
		} else {
			pt_bool(v, pt_row_value(r, w->level[l].raw) != 0);
		}
	}
}

static bool pt_set_has(const char *set, const char *name)
{
	size_t n = strlen(name);
	const char *p = set;

	while ((p = strstr(p, name))) {
		if ((p == set || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
		p += n;
	}
	return false;
}

/* The names of what the step changed in @who, bits and /proc fields
 * alike (pm_exclusive is "exclusive": the student need not know where). */
static void pt_changed(const struct pt_obs *o, enum pt_who who, struct pt_val *v)
{
	const struct pt_lab_step *s = o->step;
	size_t i;

	memset(v, 0, sizeof(*v));
	v->type = PT_V_SET;
	for (i = 0; i < s->nr_changes; i++) {
		const char *name = s->changes[i].what;
		if (s->changes[i].who != who)
			continue;
		if (!strncmp(name, "pm_", 3))
			name += 3;
		/* a name changed at two levels (a split) is one answer */
		if (pt_set_has(v->s, name))
			continue;
		if (strlen(v->s) + strlen(name) + 2 < sizeof(v->s))
			snprintf(v->s + strlen(v->s), sizeof(v->s) - strlen(v->s), "%s%s",
				 v->s[0] ? " " : "", name);
	}
}

static void pt_operand(const struct pt_obs *o, const char *s, struct pt_val *v)
{
	const struct pt_lab_step *st = o->step;
	const char *dot = strchr(s, '.');
	char who[8];

	if (!strcmp(s, "changed(parent)") || !strcmp(s, "changed(child)")) {
		enum pt_who w = s[8] == 'p' ? PT_WHO_PARENT : PT_WHO_CHILD;

		pt_changed(o, w, v);
		return;
	}
	if (!dot) {
		char *end;

		memset(v, 0, sizeof(*v));
		v->n = strtoull(s, &end, 0);
		if (*s && !*end) {
			v->type = PT_V_NUM;
		} else if (!strcmp(s, "yes") || !strcmp(s, "no")) {
			pt_bool(v, s[0] == 'y');
		} else {
			v->type = PT_V_STR;
			snprintf(v->s, sizeof(v->s), "%s", s);
		}
		return;
	}
	snprintf(who, sizeof(who), "%.*s", (int)(dot - s), s);
	pt_field(o, &st->proc[who[0] == 'c'], who, dot + 1, v);
}

void pt_query_eval(const struct pt_obs *o, const char *query, struct pt_val *v)
{
	struct pt_qparts q;
	struct pt_val a, b;
	bool eq;

	if (pt_query_split(query, &q) < 0) {
		pt_none(v, "bad query");
		return;
	}
	pt_operand(o, q.lhs, &a);
	if (!q.op[0]) {
		*v = a;
		return;
	}
	pt_operand(o, q.rhs, &b);
	if (a.type == PT_V_NONE || b.type == PT_V_NONE) {
		*v = a.type == PT_V_NONE ? a : b;
		return;
	}
	if (a.type != b.type)
		eq = false;
	else if (a.type == PT_V_BOOL)
		eq = a.b == b.b;
	else if (a.type == PT_V_NUM)
		eq = a.n == b.n;
	else
		eq = !strcmp(a.s, b.s);
	pt_bool(v, q.op[0] == '=' ? eq : !eq);
}

void pt_val_text(const struct pt_val *v, char *buf, size_t len)
{
	switch (v->type) {
	case PT_V_NONE:
		snprintf(buf, len, "unknown");
		break;
	case PT_V_BOOL:
		snprintf(buf, len, "%s", v->b ? "yes" : "no");
		break;
	case PT_V_NUM:
		snprintf(buf, len, "%llu", (unsigned long long)v->n);
		break;
	case PT_V_STR:
		snprintf(buf, len, "%s", v->s);
		break;
	case PT_V_SET:
		snprintf(buf, len, "%s", v->s[0] ? v->s : "none");
		break;
	}
}

bool pt_ask_key(const struct pt_ask *a, const struct pt_val *v, char *key,
		size_t len, char *why, size_t wlen)
{
	char text[256];
	size_t i;

	key[0] = '\0';
	why[0] = '\0';
	if (v->type == PT_V_NONE) {
		snprintf(why, wlen, "%s", v->why);
		return false;
	}
	pt_val_text(v, text, sizeof(text));
	switch (a->type) {
	case PT_ASK_YESNO:
		if (v->type != PT_V_BOOL) {
			snprintf(why, wlen, "the query gives '%s', not yes or no", text);
			return false;
		}
		snprintf(key, len, "%s", v->b ? "y" : "n");
		return true;
	case PT_ASK_CHOICE:
		for (i = 0; i < a->nr_choices; i++) {
			if (!strcmp(a->choices[i], text)) {
				snprintf(key, len, "%c", (char)('a' + i));
				return true;
			}
		}
		snprintf(why, wlen, "the kernel showed '%s', none of the choices", text);
		return false;
	case PT_ASK_BIT:
		if (v->type != PT_V_SET) {
			snprintf(why, wlen, "a bit question needs changed(WHO)");
			return false;
		}
		snprintf(key, len, "%s", text);
		return true;
	}
	return false;
}

bool pt_ask_grade(const struct pt_ask *a, const struct pt_val *v,
		  const char *key, const char *answer)
{
	char ans[64];
	size_t i, n;

	/* the answer without spaces around it, lower case */
	while (isspace((unsigned char)*answer))
		answer++;
	for (n = 0; answer[n] && n + 1 < sizeof(ans); n++)
		ans[n] = (char)tolower((unsigned char)answer[n]);
	ans[n] = '\0';
	while (n && isspace((unsigned char)ans[n - 1]))
		ans[--n] = '\0';
	if (!n)
		return false;
	switch (a->type) {
	case PT_ASK_YESNO:
		if (!strcmp(ans, "yes"))
			ans[1] = '\0';
		else if (!strcmp(ans, "no"))
			ans[1] = '\0';
		return !strcmp(ans, key);
	case PT_ASK_CHOICE:
		for (i = 0; i < a->nr_choices; i++)
			if (!strcmp(ans, a->choices[i]))
				return key[0] == (char)('a' + i);
		return !strcmp(ans, key);
	case PT_ASK_BIT:
		if (!v->s[0])
			return !strcmp(ans, "none");
		if (!strncmp(ans, "pm_", 3))
			memmove(ans, ans + 3, strlen(ans + 3) + 1);
		return pt_set_has(v->s, ans);
	}
	return false;
}
