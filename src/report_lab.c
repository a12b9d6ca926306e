// SPDX-License-Identifier: GPL-2.0
#include <inttypes.h>
#include <string.h>

#include "explain.h"
#include "json.h"
#include "report.h"
#include "report_lab.h"

const char *pt_who_name(enum pt_who w)
{
	return w == PT_WHO_CHILD ? "child" : "parent";
}

void pt_report_lab_change(const struct pt_layout *ly,
			  const struct pt_lab_change *c, char *buf, size_t len)
{
	const struct pt_bit *r = ly ? pt_layout_row(ly, c->what) : NULL;
	char sz[24], sz2[24];

	if (!strcmp(c->what, "state"))
		snprintf(buf, len, "%s %s state %s->%s", pt_who_name(c->who),
			 pt_level_name(c->level), pt_state_name(c->before),
			 pt_state_name(c->after));
	else if (!strcmp(c->what, "split") || !strcmp(c->what, "collapse"))
		snprintf(buf, len, "%s %s %s: %s%s%s -> %s%s%s", pt_who_name(c->who), c->what,
			 pt_level_name(c->level), c->before ? "leaf " : "table",
			 c->before ? pt_report_size(c->before, sz, sizeof(sz)) : "", "",
			 c->after ? "leaf " : "table",
			 c->after ? pt_report_size(c->after, sz2, sizeof(sz2)) : "", "");
	else if (!strcmp(c->what, "pfn"))
		snprintf(buf, len, "%s %s pfn 0x%" PRIx64 "->0x%" PRIx64,
			 pt_who_name(c->who), pt_level_name(c->level), c->before,
			 c->after);
	else if (r && (r->flags & PT_BIT_FIELD) &&
		 c->before <= pt_row_value(r, r->mask) &&
		 c->after <= pt_row_value(r, r->mask))
		snprintf(buf, len, "%s %s %s %s->%s", pt_who_name(c->who),
			 pt_level_name(c->level), c->what,
			 pt_field_text(ly, r,
				       c->before << __builtin_ctzll(r->mask),
				       false, sz, sizeof(sz)),
			 pt_field_text(ly, r,
				       c->after << __builtin_ctzll(r->mask),
				       false, sz2, sizeof(sz2)));
	else
		snprintf(buf, len, "%s %s %s %" PRIu64 "->%" PRIu64,
			 pt_who_name(c->who), pt_level_name(c->level), c->what,
			 c->before, c->after);
}

static void pt_counts_text(FILE *f, const struct pt_lab *lab,
			   const struct pt_lab_proc *p, const char *who)
{
	int i;

	if (!lab->has_pmu)
		return;
	fprintf(f, " %s", who);
	for (i = 0; i < lab->pmu.nr; i++) {
		if (p->exists && p->has_count[i])
			fprintf(f, " %s=%" PRIu64, lab->pmu.ev[i].name, p->count[i]);
		else
			fprintf(f, " %s=-", lab->pmu.ev[i].name);
	}
}

void pt_report_lab_step(FILE *f, const struct pt_lab *lab,
			const struct pt_lab_step *s)
{
	const struct pt_layout *ly = &lab->src->layout;
	const struct pt_lab_proc *p = &s->proc[0], *c = &s->proc[1];
	char buf[160];
	size_t i;

	fprintf(f, "== step %d  %s\n", s->n, s->event);
	if (s->err[0])
		fprintf(f, "event failed: %s\n", s->err);
	if (lab->has_pmu) {
		fprintf(f, "counters:");
		pt_counts_text(f, lab, p, "parent");
		if (c->exists)
			pt_counts_text(f, lab, c, "| child");
		fputc('\n', f);
	}
	if (p->walked && c->walked) {
		pt_report_text_pair(f, ly, &p->walk, &c->walk);
	} else {
		if (p->walked)
			pt_report_text(f, ly, &p->walk);
		else if (p->exists)
			fprintf(f, "parent: %s\n", p->err);
		if (c->exists && !c->walked)
			fprintf(f, "child: %s\n", c->err);
	}
	for (i = 0; i < s->nr_changes; i++) {
		pt_report_lab_change(ly, &s->changes[i], buf, sizeof(buf));
		fprintf(f, "%s%s", i ? "; " : "changed: ", buf);
	}
	if (s->nr_changes)
		fputc('\n', f);
	else if (s->n > 1)
		fprintf(f, "changed: nothing\n");
	pt_report_explain_text(f, lab, s);
}

static const char *pt_checked_who(int who)
{
	return who == PT_WHO_DEFAULT ? "both" : pt_who_name(who);
}

/* "expected 1", or "expected as before (0x1234)" for a relative row */
static void pt_checked_expected(const struct pt_checked *u, char *buf, size_t len)
{
	char b[24];

	if (u->expected == PT_VAL_SAME || u->expected == PT_VAL_CHANGED)
		snprintf(buf, len, "%s %s", u->expected == PT_VAL_SAME ? "as before," : "a change from",
			 pt_explain_value(u->what, u->before, b, sizeof(b)));
	else
		snprintf(buf, len, "%s", pt_explain_value(u->what, u->expected, b, sizeof(b)));
}

void pt_report_unexpected(const struct pt_checked *u, char *buf, size_t len)
{
	char ex[48], ob[24];

	pt_checked_expected(u, ex, sizeof(ex));
	snprintf(buf, len, "%s %s: expected %s, observed %s (%s, %s)",
		 pt_checked_who(u->who), u->what, ex,
		 pt_explain_value(u->what, u->observed, ob, sizeof(ob)), u->func, u->source);
}

void pt_report_explain_text(FILE *f, const struct pt_lab *lab,
			    const struct pt_lab_step *s)
{
	const struct pt_explain *e = &s->explain;
	char buf[320];
	size_t i;

	if (e->text[0])
		fprintf(f, "why: %s%s%s%s\n", e->text, e->funcs[0] ? " [" : "",
			e->funcs, e->funcs[0] ? "]" : "");
	if (lab->owned && !e->modelled)
		fprintf(f, "not modelled%s: %s\n", e->gap ? " for this version" : "", e->state);
	if (e->nr_unexpected) {
		for (i = 0; i < e->nr_unexpected; i++) {
			pt_report_unexpected(&e->unexpected[i], buf, sizeof(buf));
			fprintf(f, "UNEXPECTED: %s\n", buf);
		}
	} else if (e->checked) {
		pt_explain_rows_for(pt_explain_kver(lab), buf, sizeof(buf));
		fprintf(f, "expected: %d check%s against %s\n", e->checked,
			e->checked == 1 ? "" : "s", buf);
	}
}

static void pt_checked_json(struct pt_json *j, const struct pt_checked *u)
{
	char ex[48];

	pt_json_obj_begin(j, NULL);
	pt_json_str(j, "process", pt_checked_who(u->who));
	pt_json_str(j, "what", u->what);
	if (u->expected == PT_VAL_SAME || u->expected == PT_VAL_CHANGED) {
		pt_checked_expected(u, ex, sizeof(ex));
		pt_json_str(j, "expected", ex);
	} else {
		pt_json_i64(j, "expected", u->expected);
	}
	if (u->observed == PT_SEEN_NO_ENTRY)
		pt_json_null(j, "observed");	/* no entry */
	else
		pt_json_i64(j, "observed", u->observed);
	pt_json_bool(j, "held", u->held);
	pt_json_str(j, "function", u->func);
	pt_json_str(j, "source", u->source);
	pt_json_obj_end(j);
}

static void pt_counts_json(struct pt_json *j, const struct pt_lab *lab,
			   const struct pt_lab_proc *p, const char *key)
{
	int i;

	if (!p->exists) {
		pt_json_null(j, key);
		return;
	}
	pt_json_obj_begin(j, key);
	for (i = 0; i < lab->pmu.nr; i++) {
		if (p->has_count[i])
			pt_json_u64(j, lab->pmu.ev[i].name, p->count[i]);
		else
			pt_json_null(j, lab->pmu.ev[i].name);
	}
	pt_json_obj_end(j);
}

void pt_report_lab_step_json(FILE *f, const struct pt_lab *lab,
			     const struct pt_lab_step *s)
{
	const struct pt_layout *ly = &lab->src->layout;
	struct pt_json j;
	size_t i;
	int w;

	pt_json_init(&j, f, false);
	pt_json_obj_begin(&j, NULL);
	pt_json_u64(&j, "step", s->n);
	pt_json_str(&j, "event", s->event);
	if (s->err[0])
		pt_json_str(&j, "error", s->err);
	else
		pt_json_null(&j, "error");
	if (lab->owned)
		pt_json_str(&j, "kind", pt_lab_kind_name(lab->kind));
	else
		pt_json_null(&j, "kind");
	for (w = 0; w < 2; w++) {
		const struct pt_lab_proc *p = &s->proc[w];
		const char *key = w ? "child" : "parent";

		if (p->walked) {
			pt_report_json(&j, key, ly, &p->walk);
		} else {
			pt_json_null(&j, key);
			if (p->exists) {
				char ekey[16];

				snprintf(ekey, sizeof(ekey), "%s_error", key);
				pt_json_str(&j, ekey, p->err);
			}
		}
	}
	pt_json_obj_begin(&j, "explain");
	pt_json_str(&j, "text", s->explain.text);
	pt_json_str(&j, "functions", s->explain.funcs);
	pt_json_u64(&j, "checked", s->explain.checked);
	pt_json_u64(&j, "not_checked", s->explain.skipped);
	pt_json_bool(&j, "unexpected", s->explain.nr_unexpected > 0);
	pt_json_bool(&j, "modelled", !lab->owned || s->explain.modelled);
	if (lab->owned && !s->explain.modelled)
		pt_json_str(&j, "not_modelled", s->explain.state);
	else
		pt_json_null(&j, "not_modelled");
	pt_json_arr_begin(&j, "rows");
	for (i = 0; i < s->explain.nr_rows; i++)
		pt_checked_json(&j, &s->explain.rows[i]);
	pt_json_arr_end(&j);
	pt_json_arr_begin(&j, "differences");
	for (i = 0; i < s->explain.nr_unexpected; i++)
		pt_checked_json(&j, &s->explain.unexpected[i]);
	pt_json_arr_end(&j);
	pt_json_obj_end(&j);
	pt_json_arr_begin(&j, "changes");
	for (i = 0; i < s->nr_changes; i++) {
		const struct pt_lab_change *c = &s->changes[i];

		pt_json_obj_begin(&j, NULL);
		pt_json_str(&j, "process", pt_who_name(c->who));
		pt_json_str(&j, "level", pt_level_name(c->level));
		pt_json_str(&j, "what", c->what);
		if (!strcmp(c->what, "state")) {
			pt_json_str(&j, "before", pt_state_name(c->before));
			pt_json_str(&j, "after", pt_state_name(c->after));
		} else if (!strcmp(c->what, "split") || !strcmp(c->what, "collapse")) {
			char sz[16];

			pt_json_str(&j, "before", c->before ? pt_report_size(c->before, sz, sizeof(sz)) : "table");
			pt_json_str(&j, "after", c->after ? pt_report_size(c->after, sz, sizeof(sz)) : "table");
		} else if (!strcmp(c->what, "pfn")) {
			pt_json_hex(&j, "before", c->before);
			pt_json_hex(&j, "after", c->after);
		} else {
			pt_json_u64(&j, "before", c->before);
			pt_json_u64(&j, "after", c->after);
		}
		pt_json_obj_end(&j);
	}
	pt_json_arr_end(&j);
	pt_json_obj_begin(&j, "counters");
	if (lab->has_pmu) {
		pt_counts_json(&j, lab, &s->proc[0], "parent");
		pt_counts_json(&j, lab, &s->proc[1], "child");
	}
	pt_json_obj_end(&j);
	pt_json_obj_end(&j);
	pt_json_end(&j);
}
