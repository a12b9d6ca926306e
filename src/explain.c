// SPDX-License-Identifier: GPL-2.0
/*
 * The matcher: which rows (rows.h) apply to a step, given its event and
 * the atoms of the state before it (atoms.h), each checked against what
 * was seen; the explanation's prose is prose.c's.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "atoms.h"
#include "explain.h"
#include "kconfig.h"
#include "lab.h"
#include "prose.h"
#include "rows.h"

/* the compiled-in rows (build/gen/rows_ARCH.c, made by scripts/gen-rows.c) */
extern const char pt_rows_x86_64[];
extern const char pt_rows_arm64[];

/*
 * The compiled-in rows, parsed once: constant data, the same for every
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

unsigned int pt_explain_kver(const struct pt_lab *lab)
{
	return lab->src->rows_kver ? lab->src->rows_kver : lab->src->layout.kver;
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

static void pt_check_row(const struct pt_row *r, const struct pt_lab *lab, size_t i,
			 struct pt_explain_build *b)
{
	struct pt_explain *e = b->e;
	const struct pt_lab_step *s = &lab->steps[i];
	const struct pt_lab_step *prev = i && s->cmd.id != PT_C_KIND ? &lab->steps[i - 1] : NULL;
	int p = r->who == PT_WHO_CHILD ? 1 : r->who == PT_WHO_DEFAULT ? 2 : 0;
	long seen = pt_observe(&pt_table, lab, s, prev, p, r->what), before = 0;
	struct pt_checked one = { 0 };
	char cite[128], func[64];
	size_t lo, hi;
	bool held;

	pt_kspan(pt_explain_kver(lab), &lo, &hi);
	pt_row_func(r, pt_row_cite(r, lo, cite, sizeof(cite)), func, sizeof(func));

	if (r->why)
		pt_prose_add_why(b, r->why);
	if (r->func[0] != '(')
		pt_prose_add(b->funcs, sizeof(b->funcs), func, ", ");
	if (r->value == PT_VAL_SAME || r->value == PT_VAL_CHANGED) {
		before = prev ? pt_observe(&pt_table, lab, prev, NULL, p, r->what) : -1;
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
	one.who = r->who;
	one.what = pt_prose_kept(r->what);
	one.expected = r->value;
	one.observed = seen;
	one.before = before;
	one.held = held;
	one.func = pt_prose_kept(func);
	one.source = pt_prose_kept(cite);
	if (b->nr_rows < PT_EXPLAIN_ROWS)
		b->rows[b->nr_rows++] = one;
	if (held || b->nr_unexpected >= PT_EXPLAIN_MAX)
		return;
	one.held = false;
	b->unexpected[b->nr_unexpected++] = one;
}

/* What a learner should notice that no single bit says. */
static void pt_explain_notes(const struct pt_lab *lab, const struct pt_lab_step *s,
			     struct pt_explain_build *b)
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
		pt_prose_add(b->text, sizeof(b->text), one, " ");
	}
}

static int pt_rows_run(const struct pt_rows *t, const struct pt_lab *lab, size_t i,
		       int ev, const uint64_t atoms[2], unsigned int bg,
		       unsigned int *modelled, unsigned int *gap, struct pt_explain_build *b)
{
	const struct pt_lab_step *s = &lab->steps[i];
	size_t k, lo, hi;
	int n = 0;

	pt_kspan(pt_explain_kver(lab), &lo, &hi);

	for (k = 0; k < t->nr; k++) {
		const struct pt_row *r = &t->rows[k];
		unsigned int whom = r->who == PT_WHO_DEFAULT ? 3u : r->who == PT_WHO_CHILD ? 2u : 1u;

		int config;

		if ((whom & bg) || !pt_row_matches(r, lab, s, ev, atoms))
			continue;
		/* asked only of a row that matches: the config is read once */
		config = r->config[0] ? pt_kconfig(lab->src->release, r->config) : 1;
		if (!config)
			continue;
		n++;
		if (config < 0) {
			/* which of the rows holds cannot be told: not "expected" */
			*gap |= whom;
			if (!b->state[0])
				pt_prose_config_gap(r, lo, lab->src->release, b->state,
						    sizeof(b->state));
			continue;
		}
		if (pt_row_changed_between(r, lo, hi)) {
			/* read at neither end: never "expected" */
			*gap |= whom;
			if (!b->state[0])
				pt_prose_gap(r, lo, hi, b->state, sizeof(b->state));
			continue;
		}
		/* that fork worked says nothing of the entries */
		if (strcmp(r->what, "error") || s->err[0])
			*modelled |= r->who == PT_WHO_DEFAULT ? 3u : r->who == PT_WHO_CHILD ? 2u : 1u;
		pt_check_row(r, lab, i, b);
	}
	return n;
}

void pt_explain_step(void *expect, struct pt_lab *lab, size_t i)
{
	const struct pt_expect *x = expect;
	struct pt_explain_build bb, *b = &bb;
	const struct pt_lab_step *s, *prev;
	struct pt_explain *e;
	unsigned int modelled = 0, gap = 0, need, bg;
	uint64_t atoms[2];
	int ev, p;

	if (i >= lab->nr_steps)
		return;
	e = &lab->steps[i].explain;
	pt_explain_clear(e);
	if (!lab->owned)
		return;

	memset(b, 0, sizeof(*b));
	b->e = e;
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

		pt_prose_add_why(b, w ? w->text : "khugepaged collapsed the range");
		pt_prose_add(b->funcs, sizeof(b->funcs), "collapse_huge_page", ", ");
		modelled |= bg;
	}
	pt_rows_run(&pt_table, lab, i, ev, atoms, bg, &modelled, &gap, b);
	if (x)
		pt_rows_run(&x->rows, lab, i, ev, atoms, bg, &modelled, &gap, b);
	modelled &= ~gap;
	e->gap = gap != 0;
	pt_explain_notes(lab, s, b);
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
		b->state[0] = '\0';
	for (p = 0; p < 2 && !e->modelled; p++)
		if (need & ~modelled & (1u << p))
			pt_prose_not_modelled(ev, p, atoms[ev == PT_R_FORK ? 0 : p], atoms[p],
					      b->state, sizeof(b->state));
	pt_explain_keep(b);
}

