// SPDX-License-Identifier: GPL-2.0
/*
 * ptinspect learn [LESSON]: the lessons (lesson.h) run on a lab.  Each
 * step's event runs first, its questions are asked before anything of the
 * step is shown, and each key is the step's observation queried, so the
 * answers are whatever this kernel does.  The answers come from the
 * terminal (the TUI), or a file (--answers: a teacher's dry run, a test);
 * the result is text, JSON (--json) or a handout page (--html).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "explain.h"
#include "htmlview.h"
#include "interp.h"
#include "json.h"
#include "kpageflags.h"
#include "lab.h"
#include "lesson.h"
#include "options.h"
#include "report_lab.h"
#include "sub_lab.h"
#include "ui.h"
#include "version.h"

#define PT_LEARN_MAX (PT_LESSON_MAX_STEPS * PT_LESSON_MAX_ASKS)

struct pt_learn_res {
	size_t step;		/* the lesson's step */
	const struct pt_ask *ask;
	struct pt_val val;
	char key[64];
	char not_asked[192];	/* why this source cannot ask it */
	char answer[64];
	bool asked, correct;
};

struct pt_learn {
	struct pt_lesson *ls;
	struct pt_lab *lab;
	struct pt_cursor at;	/* the lesson's view of the lab */
	struct pt_source *src;
	struct pt_obs obs;
	FILE *answers;
	size_t lab_step[PT_LESSON_MAX_STEPS];	/* its step in lab->steps */
	bool tui;		/* asks in the terminal (no --answers) */
	/* what Tab completes for a bit question: the decoder's names and /proc's */
	const char *words[PT_MAX_ROWS + 16];
	struct pt_learn_res res[PT_LEARN_MAX];
	size_t nr_res, nr_asked, nr_correct;
};

/* The list; @man: as mdoc, for the man page (scripts/gen-man.sh). */
static void pt_learn_list(FILE *f, bool man)
{
	struct pt_lesson *ls = malloc(sizeof(*ls));
	struct pt_err err;
	size_t i;

	if (!ls)
		return;
	fprintf(f, man ? ".Bl -tag -width Ds\n" : "lessons (ptinspect learn LESSON):\n");
	for (i = 0; i < pt_nr_lesson_srcs; i++) {
		if (pt_lesson_parse(pt_lesson_srcs[i].name, pt_lesson_srcs[i].text, ls, &err) < 0) {
			fprintf(f, "  %-16s (broken: %s)\n", pt_lesson_srcs[i].name, err.msg);
			continue;
		}
		if (man)
			fprintf(f, ".It Cm %s\n%s: %s; %zu questions%s%s.\n", ls->name, ls->title,
				ls->about, ls->nr_asks, ls->needs_kmod ? "; needs the module" : "",
				ls->needs_ksm ? "; needs ksmd running" : "");
		else
			fprintf(f, "  %-16s %s\n  %-16s %s; %zu questions%s%s\n", ls->name, ls->title,
				"", ls->about, ls->nr_asks, ls->needs_kmod ? "; needs the module" : "",
				ls->needs_ksm ? "; needs ksmd running" : "");
	}
	if (man)
		fprintf(f, ".El\n");
	free(ls);
}

/* An answer cut to @len: a long one is wrong anyway, never an overflow. */
static void pt_learn_copy(char *dst, size_t len, const char *src)
{
	size_t n = strnlen(src, len - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* A line of the answers file: blank lines and '#' comments are skipped. */
static int pt_learn_next_answer(struct pt_learn *le, char *buf, size_t len,
				struct pt_err *err)
{
	char line[256];

	while (fgets(line, sizeof(line), le->answers)) {
		char *p = line, *e;

		while (*p == ' ' || *p == '\t')
			p++;
		e = p + strlen(p);
		while (e > p && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
			*--e = '\0';
		if (!*p || *p == '#')
			continue;
		pt_learn_copy(buf, len, p);
		return 0;
	}
	return pt_err_set(err, PT_USAGE, "the answers file ends before question %zu of %zu",
			  le->nr_res + 1, le->ls->nr_asks);
}

static void pt_learn_choices(FILE *f, const struct pt_ask *a)
{
	size_t i;

	switch (a->type) {
	case PT_ASK_YESNO:
		fputs("  (y/n)\n", f);
		break;
	case PT_ASK_CHOICE:
		for (i = 0; i < a->nr_choices; i++)
			fprintf(f, "  %c) %s\n", (char)('a' + i), a->choices[i]);
		break;
	case PT_ASK_BIT:
		fputs("  (a field's name: present, exclusive, pfn, write, dirty...; or none)\n", f);
		break;
	}
}

/* The question's result as the text view prints it, after the answer. */
static void pt_learn_result_text(FILE *f, const struct pt_learn_res *r)
{
	char val[256];

	pt_val_text(&r->val, val, sizeof(val));
	if (!r->asked) {
		fprintf(f, "  not asked here: %s\n", r->not_asked);
	} else {
		fprintf(f, "  your answer: %s: %s; the kernel showed: %s (key %s)\n",
			r->answer[0] ? r->answer : "(none)", r->correct ? "right" : "wrong", val, r->key);
	}
	fprintf(f, "  why: %s [read %s]\n", r->ask->why, r->ask->hint);
	if (r->ask->note[0])
		fprintf(f, "  note: %s\n", r->ask->note);
}

static void pt_learn_ui_fill(const struct pt_learn *le, size_t si, const struct pt_ask *a,
			     struct pt_ui_ask *ua)
{
	static const enum pt_ui_answer answers[] = {
		[PT_ASK_YESNO] = PT_UI_YESNO, [PT_ASK_CHOICE] = PT_UI_CHOICE, [PT_ASK_BIT] = PT_UI_WORD,
	};

	memset(ua, 0, sizeof(*ua));
	ua->title = le->ls->title;
	ua->event = le->ls->steps[si].event;
	ua->text = le->ls->steps[si].text;
	ua->qno = le->nr_res + 1;
	ua->nr_questions = le->ls->nr_asks;
	ua->right = le->nr_correct;
	ua->asked = le->nr_asked;
	if (!a)
		return;
	ua->question = a->q;
	ua->answer = answers[a->type];
	ua->choices = a->choices;
	ua->nr_choices = a->nr_choices;
	ua->hint = a->hint;
	ua->words = le->words;
}

/* The verdict of @r and its explanation, in the terminal. */
static int pt_learn_ui_tell(struct pt_learn *le, const struct pt_learn_res *r)
{
	struct pt_ui_ask ua;
	char verdict[320], val[256], why[1300];

	pt_learn_ui_fill(le, r->step, r->ask, &ua);
	ua.qno = le->nr_res;
	pt_val_text(&r->val, val, sizeof(val));
	if (!r->asked)
		snprintf(verdict, sizeof(verdict), "not asked here: %s", r->not_asked);
	else
		snprintf(verdict, sizeof(verdict), "%s: you said %s, the kernel showed %s",
			 r->correct ? "RIGHT" : "WRONG", r->answer, val);
	snprintf(why, sizeof(why), "%s [read %s]%s%s", r->ask->why, r->ask->hint,
		 r->ask->note[0] ? " Note: " : "", r->ask->note);
	return pt_ui_learn_tell(&ua, le->lab_step[r->step], verdict, why);
}

static int pt_learn_ask(struct pt_learn *le, size_t si, const struct pt_ask *a, bool text,
			struct pt_err *err)
{
	struct pt_learn_res *r = &le->res[le->nr_res];
	int ret;

	memset(r, 0, sizeof(*r));
	r->step = si;
	r->ask = a;
	pt_query_eval(&le->obs, a->query, &r->val);
	r->asked = pt_ask_key(a, &r->val, r->key, sizeof(r->key), r->not_asked,
			      sizeof(r->not_asked));
	if (text) {
		fprintf(stdout, "Q%zu. %s\n", le->nr_res + 1, a->q);
		if (r->asked)
			pt_learn_choices(stdout, a);
	}
	if (le->answers) {
		/* a line for every question, asked or not: one file fits every source */
		ret = pt_learn_next_answer(le, r->answer, sizeof(r->answer), err);
		if (ret < 0)
			return ret;
	} else if (r->asked) {
		struct pt_ui_ask ua;

		pt_learn_ui_fill(le, si, a, &ua);
		/* the step before the event: predict first */
		if (pt_ui_learn_ask(&ua, le->lab_step[si] - 1, r->answer, sizeof(r->answer)) < 0)
			return pt_err_set(err, PT_USAGE, "the lesson was left at question %zu",
					  le->nr_res + 1);
	}
	if (r->asked) {
		r->correct = pt_ask_grade(a, &r->val, r->key, r->answer);
		le->nr_asked++;
		le->nr_correct += r->correct;
	} else {
		r->answer[0] = '\0';
	}
	if (text)
		pt_learn_result_text(stdout, r);
	le->nr_res++;
	if (le->tui && pt_learn_ui_tell(le, r) < 0)
		return pt_err_set(err, PT_USAGE, "the lesson was left at question %zu", le->nr_res);
	return 0;
}

static int pt_learn_steps(struct pt_learn *le, bool text, struct pt_err *err)
{
	struct pt_lesson *ls = le->ls;
	size_t si, ai;
	int ret;

	if (text) {
		printf("== %s: %s\n%s\n", ls->name, ls->title, ls->intro);
		if (le->src->name && strcmp(le->src->name, "kmod") && ls->module[0])
			printf("(with the module: %s)\n", ls->module);
	}
	for (si = 0; si < ls->nr_steps; si++) {
		const struct pt_lesson_step *st = &ls->steps[si];
		const struct pt_lab_step *s;
		struct pt_did did;

		ret = pt_interp_line(le->lab, &le->at, st->event, &did, err);
		if (ret < 0)
			return ret;
		le->lab_step[si] = le->lab->nr_steps - 1;
		s = &le->lab->steps[le->lab->nr_steps - 1];
		le->obs.step = s;
		if (text) {
			printf("\n-- step %zu: %s\n", si + 1, st->event);
			if (st->text[0])
				printf("%s\n", st->text);
			if (s->err[0])
				printf("(the event failed: %s)\n", s->err);
		}
		for (ai = 0; ai < st->nr_asks; ai++) {
			ret = pt_learn_ask(le, si, &st->asks[ai], text, err);
			if (ret < 0)
				return ret;
		}
		/* the step is shown after its questions: predict, then see */
		if (text)
			pt_report_lab_step(stdout, le->lab, s);
		if (le->tui && !st->nr_asks) {
			struct pt_ui_ask ua;

			pt_learn_ui_fill(le, si, NULL, &ua);
			if (pt_ui_learn_tell(&ua, le->lab_step[si], s->err[0] ? s->err : "",
					     "") < 0)
				return pt_err_set(err, PT_USAGE, "the lesson was left at step %zu",
						  si + 1);
		}
	}
	if (text) {
		printf("\nscore: %zu of %zu right", le->nr_correct, le->nr_asked);
		if (le->nr_res > le->nr_asked)
			printf(" (%zu not asked on this source)", le->nr_res - le->nr_asked);
		printf("\n");
	}
	return 0;
}

/* What a process showed, for --json's "observed": the same facts the
 * queries read, so a reader can check a key without ptinspect. */
static void pt_learn_proc_json(struct pt_json *j, const char *key, const struct pt_learn *le,
			       const struct pt_lab_proc *p)
{
	const struct pt_walk *w = &p->walk;
	int l;

	if (!p->exists) {
		pt_json_null(j, key);
		return;
	}
	pt_json_obj_begin(j, key);
	pt_json_bool(j, "walked", p->walked);
	if (!p->walked) {
		pt_json_str(j, "error", p->err);
		pt_json_obj_end(j);
		return;
	}
	l = pt_walk_leaf(w);
	pt_json_bool(j, "present", pt_walk_present(w));
	pt_json_bool(j, "pagemap_present", w->pm.present);
	if (l >= 0)
		pt_json_str(j, "state", pt_state_name(w->level[l].state));
	else
		pt_json_null(j, "state");
	pt_json_bool(j, "exclusive", w->pm.exclusive);
	pt_json_bool(j, "soft_dirty", w->pm.soft_dirty);
	pt_json_bool(j, "swapped", w->pm.swapped);
	pt_json_bool(j, "file_shared", w->pm.file_shared);
	if (l >= 0 && pt_walk_present(w))
		pt_json_str(j, "level", pt_level_name(l));
	else
		pt_json_null(j, "level");
	if (l >= 0 && w->level[l].has_raw) {
		struct pt_decoded d;
		size_t i;

		pt_decode(le->obs.ly, l, w->level[l].raw, &d);
		if (d.has_pfn)
			pt_json_u64(j, "pfn", pt_walk_page_pfn(w, l, d.pfn));
		else
			pt_json_null(j, "pfn");
		pt_json_hex(j, "raw", w->level[l].raw);
		pt_json_obj_begin(j, "bits");
		pt_json_bool(j, "write", d.sum.write);
		pt_json_bool(j, "dirty", d.sum.dirty);
		pt_json_bool(j, "young", d.sum.young);
		for (i = 0; i < le->obs.ly->nr_rows; i++) {
			const struct pt_bit *r = &le->obs.ly->rows[i];

			if (!pt_row_applies(r, l, d.state) || (r->flags & PT_BIT_FIELD) ||
			    !strcmp(r->name, "write") || !strcmp(r->name, "dirty") ||
			    !strcmp(r->name, "young"))
				continue;
			pt_json_bool(j, r->name, pt_row_value(r, w->level[l].raw) != 0);
		}
		pt_json_obj_end(j);
	} else {
		if (w->pm.present && !w->pm.pfn_hidden && w->pm.pfn)
			pt_json_u64(j, "pfn", w->pm.pfn);
		else
			pt_json_null(j, "pfn");
		pt_json_null(j, "raw");
		pt_json_null(j, "bits");
	}
	if (w->pm.has_kpageflags)
		pt_kpf_json(j, "kpageflags", w->pm.kpageflags);
	else
		pt_json_null(j, "kpageflags");
	if (w->pm.has_kpagecount)
		pt_json_u64(j, "mapcount", w->pm.kpagecount);
	else
		pt_json_null(j, "mapcount");
	pt_json_obj_end(j);
}

static void pt_learn_json(struct pt_learn *le, const char *skipped)
{
	const struct pt_lesson *ls = le->ls;
	struct pt_json j;
	size_t i, c;

	pt_json_init(&j, stdout, false);
	pt_json_obj_begin(&j, NULL);
	pt_json_str(&j, "version", PT_VERSION);
	pt_json_str(&j, "lesson", ls->name);
	pt_json_str(&j, "title", ls->title);
	pt_json_str(&j, "kind", ls->kind);
	pt_json_str(&j, "source", le->src && le->src->name ? le->src->name : "");
	pt_json_str(&j, "kernel", le->src ? le->src->release : "");
	pt_json_bool(&j, "root", geteuid() == 0);
	pt_json_str(&j, "module", ls->module);
	if (skipped) {
		pt_json_str(&j, "skipped", skipped);
		pt_json_obj_end(&j);
		pt_json_end(&j);
		return;
	}
	pt_json_null(&j, "skipped");
	pt_json_bool(&j, "soft_dirty_tracked", le->obs.soft_dirty);
	pt_json_arr_begin(&j, "questions");
	for (i = 0; i < le->nr_res; i++) {
		const struct pt_learn_res *r = &le->res[i];
		const struct pt_lab_step *s = &le->lab->steps[le->lab_step[r->step]];
		char val[256];

		pt_val_text(&r->val, val, sizeof(val));
		pt_json_obj_begin(&j, NULL);
		pt_json_u64(&j, "n", i + 1);
		pt_json_u64(&j, "step", r->step + 1);
		pt_json_u64(&j, "lab_step", (uint64_t)s->n);
		pt_json_str(&j, "event", ls->steps[r->step].event);
		pt_json_str(&j, "type", pt_ask_type_name(r->ask->type));
		pt_json_str(&j, "question", r->ask->q);
		pt_json_str(&j, "query", r->ask->query);
		pt_json_arr_begin(&j, "choices");
		for (c = 0; c < r->ask->nr_choices; c++)
			pt_json_str(&j, NULL, r->ask->choices[c]);
		pt_json_arr_end(&j);
		pt_json_bool(&j, "asked", r->asked);
		if (r->asked) {
			pt_json_null(&j, "not_asked");
			pt_json_str(&j, "answer", r->answer);
			pt_json_str(&j, "key", r->key);
			pt_json_str(&j, "value", val);
			pt_json_bool(&j, "correct", r->correct);
		} else {
			pt_json_str(&j, "not_asked", r->not_asked);
			pt_json_null(&j, "answer");
			pt_json_null(&j, "key");
			pt_json_null(&j, "value");
			pt_json_null(&j, "correct");
		}
		pt_json_str(&j, "hint", r->ask->hint);
		pt_json_str(&j, "explanation", r->ask->why);
		pt_json_str(&j, "note", r->ask->note);
		pt_json_obj_begin(&j, "observed");
		pt_json_str(&j, "error", s->err);
		pt_learn_proc_json(&j, "parent", le, &s->proc[0]);
		pt_learn_proc_json(&j, "child", le, &s->proc[1]);
		pt_json_arr_begin(&j, "changes");
		for (c = 0; c < s->nr_changes; c++) {
			pt_json_obj_begin(&j, NULL);
			pt_json_str(&j, "process", pt_who_name(s->changes[c].who));
			pt_json_str(&j, "level", pt_level_name(s->changes[c].level));
			pt_json_str(&j, "what", s->changes[c].what);
			pt_json_obj_end(&j);
		}
		pt_json_arr_end(&j);
		pt_json_obj_end(&j);
		pt_json_obj_end(&j);
	}
	pt_json_arr_end(&j);
	pt_json_obj_begin(&j, "score");
	pt_json_u64(&j, "questions", le->nr_res);
	pt_json_u64(&j, "asked", le->nr_asked);
	pt_json_u64(&j, "correct", le->nr_correct);
	pt_json_obj_end(&j);
	pt_json_obj_end(&j);
	pt_json_end(&j);
}

static void pt_learn_html_text(FILE *f, const char *tag, const char *cls, const char *s)
{
	fprintf(f, "<%s class=\"%s\">", tag, cls);
	pt_html_esc(f, s, strlen(s));
	fprintf(f, "</%s>\n", tag);
}

/* The handout: the lesson's steps, each question with the student's
 * answer, the kernel's, and why; each step's grid and dump after them. */
static int pt_learn_html(struct pt_learn *le, const char *path, struct pt_err *err)
{
	const struct pt_lesson *ls = le->ls;
	FILE *f = fopen(path, "w");
	char buf[320];
	size_t si, i = 0;
	int ret = 0;

	if (!f)
		return pt_err_set(err, PT_USAGE, "cannot write %s: %s", path, strerror(errno));
	pt_html_begin(f);
	fputs("<style>\n.q{border-left:4px solid #8fb8ff;padding:.2em .6em;margin:.6em 0}\n"
	      ".right{color:#1a7f37;font-weight:bold}.wrong{color:#cf222e;font-weight:bold}\n"
	      ".skip{color:#6e7681}.why{margin:.2em 0}.note{font-style:italic}\n</style>\n", f);
	fputs("<title>ptinspect learn ", f);
	pt_html_esc(f, ls->title, strlen(ls->title));
	fputs("</title>\n</head>\n<body>\n<h1>", f);
	pt_html_esc(f, ls->title, strlen(ls->title));
	fputs("</h1>\n", f);
	snprintf(buf, sizeof(buf), "ptinspect learn %s, kernel %s, source %s%s: %zu of %zu right",
		 ls->name, le->src->release, le->src->name, geteuid() ? "" : " (root)",
		 le->nr_correct, le->nr_asked);
	pt_learn_html_text(f, "p", "score", buf);
	pt_learn_html_text(f, "p", "intro", ls->intro);
	if (strcmp(le->src->name, "kmod") && ls->module[0]) {
		fputs("<p class=\"module\">With the module: ", f);
		pt_html_esc(f, ls->module, strlen(ls->module));
		fputs("</p>\n", f);
	}
	for (si = 0; si < ls->nr_steps; si++) {
		fprintf(f, "<section class=\"lstep\" id=\"lstep%zu\">\n<h2>step %zu: ", si + 1, si + 1);
		pt_html_esc(f, ls->steps[si].event, strlen(ls->steps[si].event));
		fputs("</h2>\n", f);
		if (ls->steps[si].text[0])
			pt_learn_html_text(f, "p", "text", ls->steps[si].text);
		for (; i < le->nr_res && le->res[i].step == si; i++) {
			const struct pt_learn_res *r = &le->res[i];
			char val[256];

			pt_val_text(&r->val, val, sizeof(val));
			fprintf(f, "<div class=\"q\" id=\"q%zu\" data-correct=\"%s\">\n", i + 1,
				!r->asked ? "skip" : r->correct ? "yes" : "no");
			snprintf(buf, sizeof(buf), "Q%zu. %s", i + 1, r->ask->q);
			pt_learn_html_text(f, "p", "question", buf);
			if (r->asked) {
				fputs("<p>your answer: <span class=\"answer\">", f);
				pt_html_esc(f, r->answer, strlen(r->answer));
				fprintf(f, "</span> <span class=\"%s\">%s</span>; the kernel showed: <span class=\"key\">",
					r->correct ? "right" : "wrong", r->correct ? "right" : "wrong");
				pt_html_esc(f, val, strlen(val));
				fputs("</span></p>\n", f);
			} else {
				snprintf(buf, sizeof(buf), "not asked on this source: %s", r->not_asked);
				pt_learn_html_text(f, "p", "skip", buf);
			}
			snprintf(buf, sizeof(buf), "read %s", r->ask->hint);
			pt_learn_html_text(f, "p", "hint", buf);
			pt_learn_html_text(f, "p", "why", r->ask->why);
			if (r->ask->note[0])
				pt_learn_html_text(f, "p", "note", r->ask->note);
			fputs("</div>\n", f);
		}
		ret = pt_html_step(f, le->lab, le->lab_step[si], err);
		if (ret < 0)
			break;
		fputs("</section>\n", f);
	}
	fputs("</body>\n</html>\n", f);
	if (fclose(f) && ret == 0)
		ret = pt_err_set(err, PT_USAGE, "cannot write %s: %s", path, strerror(errno));
	return ret;
}

static void pt_learn_words(struct pt_learn *le)
{
	static const char *const proc[] = {
		"none", "present", "exclusive", "soft_dirty", "pfn", "state", "split", "collapse",
	};
	size_t n = 0, i;

	for (i = 0; i < sizeof(proc) / sizeof(proc[0]); i++)
		le->words[n++] = proc[i];
	for (i = 0; i < le->src->layout.nr_rows && n + 1 < sizeof(le->words) / sizeof(le->words[0]);
	     i++)
		le->words[n++] = le->src->layout.rows[i].name;
	le->words[n] = NULL;
}

/* Why this machine cannot run @ls, or NULL. */
static const char *pt_learn_cannot(const struct pt_lesson *ls, const struct pt_source *src)
{
	if (ls->needs_kmod && strcmp(src->name, "kmod"))
		return "the lesson's mapping needs the ptdump_helper module (the test VM: make demo); the /proc source cannot show it";
	if (ls->needs_ksm) {
		FILE *f = fopen("/sys/kernel/mm/ksm/run", "re");
		int run = 0;

		if (!f && errno == ENOENT)
			return "this kernel has no KSM (/sys/kernel/mm/ksm is absent: CONFIG_KSM is off)";
		if (f) {
			if (fscanf(f, "%d", &run) != 1)
				run = 0;
			fclose(f);
		}
		if (run != 1)
			return "ksmd is not running (as root: echo 1 >/sys/kernel/mm/ksm/run)";
	}
	return NULL;
}

int pt_cmd_learn(const struct pt_options *o, struct pt_err *err)
{
	struct pt_learn *le = calloc(1, sizeof(*le));
	struct pt_lesson *ls = calloc(1, sizeof(*ls));
	struct pt_source *src = calloc(1, sizeof(*src));
	struct pt_lab *lab = calloc(1, sizeof(*lab));
	struct pt_record *rec = NULL;
	enum pt_lab_kind kind;
	const char *cannot;
	bool opened = false, ui = false, text;
	int ret;

	if (!le || !ls || !src || !lab) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	if (!o->lesson) {
		pt_learn_list(stdout, o->man);
		ret = 0;
		goto out_free;
	}
	ret = pt_lesson_find(o->lesson, ls, err);
	if (ret < 0)
		goto out_free;
	le->ls = ls;
	le->lab = lab;
	le->src = src;
	if (o->answers) {
		le->answers = strcmp(o->answers, "-") ? fopen(o->answers, "re") : stdin;
		if (!le->answers) {
			ret = pt_err_set(err, PT_USAGE, "cannot read %s: %s", o->answers,
					 strerror(errno));
			goto out_free;
		}
	} else if (!isatty(0) || !isatty(1) || o->json) {
		ret = pt_err_set(err, PT_USAGE, "learn LESSON asks on a terminal; elsewhere give --answers FILE");
		goto out_free;
	}
	ret = pt_explain_init(err);
	if (ret == 0)
		ret = pt_source_open(src, o->backend, err);
	if (ret < 0)
		goto out_free;
	opened = true;
	cannot = pt_learn_cannot(ls, src);
	if (cannot) {
		fprintf(stderr, "ptinspect: lesson %s skipped: %s\n", ls->name, cannot);
		if (o->json)
			pt_learn_json(le, cannot);
		ret = 0;
		goto out_close;
	}
	if (o->record) {
		ret = pt_record_open(&rec, o->record, err);
		if (ret < 0)
			goto out_close;
	}
	if (pt_lab_kind_parse(ls->kind, &kind)) {
		ret = pt_err_set(err, PT_USAGE, "lesson %s: unknown kind '%s'", ls->name, ls->kind);
		goto out_rec;
	}
	ret = pt_lab_observers(lab, NULL, rec, err);
	if (ret == 0)
		ret = pt_lab_start(lab, src, kind, o->events, err);
	if (ret < 0)
		goto out_rec;
	le->obs.ly = &src->layout;
	le->obs.soft_dirty = lab->steps[0].proc[0].walked &&
			     pt_vma_has_flag(&lab->steps[0].proc[0].walk.vma, "sd");
	le->tui = !le->answers;
	text = !o->json && !le->tui;
	pt_learn_words(le);
	if (le->tui) {
		ret = pt_ui_learn_begin(lab, err);
		ui = ret == 0;
	}
	if (ret == 0)
		ret = pt_learn_steps(le, text, err);
	if (ui) {
		pt_ui_learn_end();
		printf("ptinspect learn %s: %zu of %zu right", ls->name, le->nr_correct, le->nr_asked);
		if (le->nr_res > le->nr_asked)
			printf(" (%zu not asked on this source)", le->nr_res - le->nr_asked);
		printf("\n");
	}
	if (ret == 0 && o->json)
		pt_learn_json(le, NULL);
	if (ret == 0 && o->html)
		ret = pt_learn_html(le, o->html, err);
	fflush(stdout);
	pt_cursor_close(&le->at);
	pt_lab_notes(src, lab);
	pt_lab_stop(lab);
out_rec:
	ret = pt_lab_record_close(rec, ret, err);
out_close:
	if (opened)
		pt_source_close(src);
out_free:
	if (le && le->answers && le->answers != stdin)
		fclose(le->answers);
	free(lab);
	free(src);
	free(ls);
	free(le);
	return ret;
}
