// SPDX-License-Identifier: GPL-2.0
/*
 * ptinspect lab and ptinspect shell: a source, a lab and a view (the TUI
 * with a terminal, the line view without one, or the shell's prompt),
 * every line through the interpreter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "explain.h"
#include "interp.h"
#include "json.h"
#include "lab.h"
#include "labgen.h"
#include "lineview.h"
#include "options.h"
#include "prompt.h"
#include "scenario.h"
#include "sub_lab.h"
#include "ui.h"

int pt_lab_script_line(const char *line, void *arg)
{
	struct pt_lab_script *sc = arg;
	struct pt_did did;
	FILE *out = stdout;
	int ret;

	ret = pt_interp_line(sc->lab, &sc->at, line, &did, sc->err);
	if (ret < 0)
		return ret;
	if (sc->screen && (did.flags & PT_DID_SHOW) && did.form == PT_FORM_SCREEN) {
		out = sc->screen;
		sc->screens++;
	}
	ret = pt_lineview_react(out, sc->lab, &sc->at, &did, sc->json, sc->err);
	if (ret < 0)
		return ret;
	return did.flags & PT_DID_QUIT ? 1 : 0;
}

/*
 * The whole file or nothing: a script cut short would run its first part
 * and exit 0.  PT_SLURP_MAX bounds the memory a stray file can take.
 */
char *pt_slurp(const char *path, struct pt_err *err)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "re") : stdin;
	size_t len = 0, cap = 4096, n;
	char *buf = malloc(cap), *more;

	if (!f || !buf) {
		pt_err_set(err, PT_USAGE, "cannot read %s: %s", path, strerror(errno));
		goto out_free;
	}
	while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
		len += n;
		if (memchr(buf + len - n, '\0', n)) {
			pt_err_set(err, PT_USAGE, "%s is not text (a NUL byte)", path);
			goto out_free;
		}
		if (len + 1 < cap)
			continue;
		if (cap >= PT_SLURP_MAX) {
			pt_err_set(err, PT_USAGE, "%s is larger than %d MiB", path,
				   PT_SLURP_MAX >> 20);
			goto out_free;
		}
		more = realloc(buf, cap * 2);
		if (!more) {
			pt_err_set(err, PT_NO_MEM, "out of memory reading %s", path);
			goto out_free;
		}
		buf = more;
		cap *= 2;
	}
	if (ferror(f)) {
		pt_err_set(err, PT_USAGE, "cannot read %s: %s", path, strerror(errno));
		goto out_free;
	}
	buf[len] = '\0';
	if (f != stdin)
		fclose(f);
	return buf;
out_free:
	if (f && f != stdin)
		fclose(f);
	free(buf);
	return NULL;
}

static int pt_lab_check_line(const char *line, void *arg)
{
	struct pt_cmd cmd;

	return pt_cmd_parse(line, &cmd, arg);
}

/* --kernel X.Y: the rows are chosen for that kernel, not the running one */
static void pt_lab_rows_kernel(const struct pt_options *o, struct pt_source *src)
{
	src->rows_kver = o->kernel ? pt_kver_parse(o->kernel) : 0;
}

int pt_lab_observers(struct pt_lab *lab, struct pt_expect *x, struct pt_record *rec,
		     struct pt_err *err)
{
	int ret = pt_lab_observe(lab, pt_explain_step, x, err);

	/* after explain: a step is written with its explanation */
	if (ret == 0 && rec)
		ret = pt_lab_observe(lab, pt_record_step, rec, err);
	return ret;
}

int pt_lab_setup(const struct pt_options *o, const char *kind_name,
		 struct pt_source *src, struct pt_lab *lab, struct pt_expect **x,
		 struct pt_record *rec, struct pt_err *err)
{
	enum pt_lab_kind kind = PT_LAB_THP;
	int ret;

	if (kind_name && pt_lab_kind_parse(kind_name, &kind))
		return pt_err_set(err, PT_USAGE, "unknown kind '%s'", kind_name);
	ret = pt_explain_init(err);
	if (ret < 0)
		return ret;
	if (o->expect) {
		ret = pt_explain_add(x, o->expect, err);
		if (ret < 0)
			return ret;
	}
	ret = pt_source_open(src, o->backend, err);
	if (ret < 0)
		return ret;
	pt_lab_rows_kernel(o, src);
	ret = pt_lab_observers(lab, *x, rec, err);
	if (ret == 0)
		ret = pt_lab_start(lab, src, kind, o->events, err);
	if (ret < 0)
		pt_source_close(src);
	return ret;
}

void pt_lab_notes(const struct pt_source *src, const struct pt_lab *lab)
{
	if (src->note[0])
		fprintf(stderr, "ptinspect: note: %s\n", src->note);
	if (lab->has_pmu && lab->pmu.note[0])
		fprintf(stderr, "ptinspect: note: %s\n", lab->pmu.note);
}

/* --kind for --random: a comma-separated list; all kinds without one */
static int pt_kinds_mask(const char *list, unsigned int *mask, struct pt_err *err)
{
	char buf[256], *tok, *save = NULL;
	enum pt_lab_kind k;

	*mask = 0;
	if (!list) {
		*mask = (1u << PT_LAB_NR_KINDS) - 1;
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (pt_lab_kind_parse(tok, &k))
			return pt_err_set(err, PT_USAGE, "unknown kind '%s'", tok);
		*mask |= 1u << k;
	}
	if (!*mask)
		return pt_err_set(err, PT_USAGE, "no kind in '%s'", list);
	return 0;
}

struct pt_random_counts {
	long scripts, unavailable, steps, checked, not_modelled, unexpected;
};

static void pt_random_count(const struct pt_lab *lab, struct pt_random_counts *n)
{
	size_t i;

	for (i = 0; i < lab->nr_steps; i++) {
		const struct pt_explain *e = &lab->steps[i].explain;

		n->steps++;
		n->checked += e->checked > 0;
		n->not_modelled += !e->modelled;
		n->unexpected += e->nr_unexpected > 0;
	}
}

/*
 * ptinspect lab --random N [--seed S]: N generated scripts, script j
 * from seed S + j, so "--random 1 --seed S+j" (with the same --kind)
 * replays one.  A kind this machine cannot map is reported and skipped.
 */
static int pt_lab_random(const struct pt_options *o, struct pt_err *err)
{
	struct pt_source *src = calloc(1, sizeof(*src));
	struct pt_lab *lab = calloc(1, sizeof(*lab));
	struct pt_lab_script sc = { .lab = lab, .json = o->json, .err = err };
	struct pt_random_counts n = { 0 };
	struct pt_expect *expect = NULL;
	struct pt_json js;
	unsigned long long seed = o->has_seed ? o->seed :
				  (unsigned long long)time(NULL) ^ ((unsigned long long)getpid() << 20);
	enum pt_lab_kind kind;
	unsigned int kinds;
	char script[1024];
	long j;
	int ret;

	if (!src || !lab) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	ret = pt_kinds_mask(o->kind, &kinds, err);
	if (ret < 0)
		goto out_free;
	ret = pt_explain_init(err);
	if (ret == 0 && o->expect)
		ret = pt_explain_add(&expect, o->expect, err);
	if (ret == 0)
		ret = pt_lab_observers(lab, expect, NULL, err);
	if (ret == 0)
		ret = pt_source_open(src, o->backend, err);
	if (ret < 0)
		goto out_free;
	pt_lab_rows_kernel(o, src);
	fprintf(stderr, "ptinspect: %ld random scripts from seed %llu\n", o->random, seed);
	pt_json_init(&js, stdout, false);
	for (j = 0; j < o->random; j++) {
		unsigned long long s = seed + (unsigned long long)j;
		struct pt_err e2;

		pt_labgen_script(s, kinds, &kind, script, sizeof(script));
		if (o->json) {
			pt_json_obj_begin(&js, NULL);
			pt_json_u64(&js, "script", (uint64_t)j + 1);
			pt_json_u64(&js, "seed", s);
			pt_json_str(&js, "kind", pt_lab_kind_name(kind));
			pt_json_str(&js, "events", script);
		} else {
			printf("=== script %ld: ptinspect lab --random 1 --seed %llu --kind %s  # %s\n",
			       j + 1, s, pt_lab_kind_name(kind), script);
		}
		n.scripts++;
		ret = pt_lab_start(lab, src, kind, o->events, &e2);
		if (ret < 0 && o->json)
			pt_json_str(&js, "unavailable", e2.msg);
		else if (ret < 0)
			printf("unavailable: %s\n", e2.msg);
		if (o->json) {
			pt_json_obj_end(&js);
			pt_json_end(&js);
		}
		if (ret < 0) {
			n.unavailable++;
			pt_lab_stop(lab);
			continue;
		}
		/* a new lab: the lines' view starts on its first step */
		pt_cursor_close(&sc.at);
		sc.at.cur = 0;
		pt_lineview_step(stdout, lab, 0, o->json);
		ret = pt_cmd_foreach(script, pt_lab_script_line, &sc);
		pt_random_count(lab, &n);
		pt_lab_stop(lab);
		if (ret < 0)
			goto out_close;
	}
	ret = 0;
	fflush(stdout);
	fprintf(stderr, "ptinspect: random: %ld scripts (%ld unavailable), %ld steps: ", n.scripts,
		n.unavailable, n.steps);
	fprintf(stderr, "%ld checked, %ld not modelled, %ld unexpected; seed %llu\n", n.checked,
		n.not_modelled, n.unexpected, seed);
out_close:
	pt_source_close(src);
out_free:
	pt_cursor_close(&sc.at);
	if (sc.screen && fclose(sc.screen) && ret == 0)
		ret = pt_err_set(err, PT_USAGE, "cannot write %s: %s", o->screen, strerror(errno));
	pt_expect_free(expect);
	free(lab);
	free(src);
	return ret;
}

int pt_lab_record_close(struct pt_record *rec, int ret, struct pt_err *err)
{
	struct pt_err e2;
	int r2;

	if (!rec)
		return ret;
	/* a session that failed keeps its own error; its steps are saved */
	r2 = pt_record_close(rec, ret < 0 ? &e2 : err);
	return ret < 0 ? ret : r2;
}

int pt_lab_play(struct pt_lab *lab, const char *run, bool json, struct pt_lab_script *sc)
{
	int ret;

	if (isatty(0) && isatty(1) && !json && !sc->screen) {
		ret = pt_ui_lab(lab, run, sc->err);
	} else {
		pt_lineview_step(stdout, lab, sc->at.cur, json);
		ret = pt_cmd_foreach(run, pt_lab_script_line, sc);
		if (ret > 0)
			ret = 0;	/* quit */
		/* --screen without a `screen` in the script: the last screen */
		if (ret == 0 && sc->screen && !sc->screens)
			ret = pt_lab_script_line("screen", sc);
	}
	pt_cursor_close(&sc->at);
	fflush(stdout);
	return ret;
}

int pt_cmd_lab(const struct pt_options *o, struct pt_err *err)
{
	struct pt_source *src = calloc(1, sizeof(*src));
	struct pt_lab *lab = calloc(1, sizeof(*lab));
	struct pt_expect *expect = NULL;
	struct pt_lab_script sc = { .lab = lab, .json = o->json, .err = err };
	struct pt_record *rec = NULL;
	const char *kind = o->kind, *run = NULL;
	char *script = NULL;
	int ret;

	if (o->random) {
		free(src);
		free(lab);
		return pt_lab_random(o, err);
	}
	if (!src || !lab) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	if (o->batch) {
		script = pt_slurp(o->batch, err);
		if (!script) {
			ret = -err->status;
			goto out_free;
		}
	}
	if (o->scenario) {
		const struct pt_scenario *scn;

		ret = pt_scenario_find(o->scenario, &scn, err);
		if (ret < 0)
			goto out_free;
		kind = scn->kind;
		run = scn->script;
	}
	if (!run)
		run = script ? script : o->script ? o->script : PT_LAB_DEFAULT_SCRIPT;
	/* a script is checked whole before anything runs */
	ret = pt_cmd_foreach(run, pt_lab_check_line, err);
	if (ret < 0)
		goto out_free;
	if (o->screen) {
		sc.screen = fopen(o->screen, "w");
		if (!sc.screen) {
			ret = pt_err_set(err, PT_USAGE, "cannot write %s: %s", o->screen,
					 strerror(errno));
			goto out_free;
		}
	}
	if (o->record) {
		ret = pt_record_open(&rec, o->record, err);
		if (ret < 0)
			goto out_free;
	}
	ret = pt_lab_setup(o, kind, src, lab, &expect, rec, err);
	if (ret < 0)
		goto out_free;
	ret = pt_lab_play(lab, run, o->json, &sc);
	pt_lab_notes(src, lab);
	pt_lab_stop(lab);
	pt_source_close(src);
out_free:
	ret = pt_lab_record_close(rec, ret, err);
	pt_expect_free(expect);
	free(script);
	free(lab);
	free(src);
	return ret;
}

int pt_cmd_shell(const struct pt_options *o, struct pt_err *err)
{
	struct pt_source *src = calloc(1, sizeof(*src));
	struct pt_lab *lab = calloc(1, sizeof(*lab));
	struct pt_expect *expect = NULL;
	struct pt_record *rec = NULL;
	int ret;

	if (!src || !lab) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	if (o->record) {
		ret = pt_record_open(&rec, o->record, err);
		if (ret < 0)
			goto out_free;
	}
	ret = pt_lab_setup(o, o->kind, src, lab, &expect, rec, err);
	if (ret < 0)
		goto out_free;
	pt_lineview_step(stdout, lab, lab->nr_steps - 1, o->json);
	ret = pt_prompt_shell(lab, o->json, err);
	pt_lab_notes(src, lab);
	pt_lab_stop(lab);
	pt_source_close(src);
out_free:
	ret = pt_lab_record_close(rec, ret, err);
	pt_expect_free(expect);
	free(lab);
	free(src);
	return ret;
}

