// SPDX-License-Identifier: GPL-2.0
/*
 * Lesson files and the grading of answers: the built-in lessons parse,
 * a bad file is one line naming its line, a query reads the step it is
 * given, and answers are graded as a student types them.  The keys on
 * real kernels are tests/host/learn.py's and tests/vm/check.py's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "lab.h"
#include "lesson.h"

static void builtin_lessons_parse(void **state)
{
	struct pt_lesson *ls = malloc(sizeof(*ls));
	struct pt_err err;
	size_t i, j, asks = 0;

	(void)state;
	assert_non_null(ls);
	assert_true(pt_nr_lesson_srcs >= 8);
	for (i = 0; i < pt_nr_lesson_srcs; i++) {
		assert_int_equal(pt_lesson_parse(pt_lesson_srcs[i].name, pt_lesson_srcs[i].text, ls,
						 &err), 0);
		/* the file's name is the lesson's */
		assert_string_equal(ls->name, pt_lesson_srcs[i].name);
		assert_true(ls->nr_asks > 0);
		asks += ls->nr_asks;
		for (j = 0; j < i; j++)
			assert_string_not_equal(pt_lesson_srcs[j].name, pt_lesson_srcs[i].name);
	}
	assert_true(asks >= 40);
	assert_int_equal(pt_lesson_find("no-such", ls, &err), -PT_USAGE);
	assert_non_null(strstr(err.msg, "fork-cow"));
	free(ls);
}

static void bad(const char *text, const char *want)
{
	struct pt_lesson *ls = malloc(sizeof(*ls));
	struct pt_err err = { 0 };

	assert_non_null(ls);
	assert_int_equal(pt_lesson_parse("t", text, ls, &err), -PT_USAGE);
	if (!strstr(err.msg, want))
		fail_msg("'%s' for: %s", err.msg, text);
	assert_null(strchr(err.msg, '\n'));
	free(ls);
}

#define HEAD "lesson t\ntitle T\nkind anon\n"

static void bad_files_say_which_line(void **state)
{
	(void)state;
	bad(HEAD "frobnicate x\n", "t:4: unknown keyword 'frobnicate'");
	bad(HEAD "kind nosuch\n", "t:4: unknown kind 'nosuch'");
	bad(HEAD "step dump\n", "t:4: 'dump' is not a lab event");
	bad(HEAD "ask yesno parent.present\n", "t:4: a question needs a step above it");
	bad(HEAD "step fork\nask maybe parent.present\n", "unknown question type 'maybe'");
	bad(HEAD "step fork\nask yesno parent.present <= 3\n", "bad query");
	bad(HEAD "step fork\nask yesno uncle.present\n", "bad operand 'uncle.present'");
	bad(HEAD "step fork\nask yesno parent.Present\n", "bad operand");
	bad(HEAD "q a question with no ask\n", "t:4: 'q' needs a question");
	bad(HEAD "needs root\n", "needs what?");
	bad(HEAD "step fork\nask yesno parent.present\nq Q?\nhint f\n", "needs q, hint and why");
	bad(HEAD "step fork\nask choice child.level\nq Q?\nhint f\nwhy W\n",
	    "choices go with choice questions");
	bad("title T\nkind anon\nstep fork\n", "needs lesson, title, kind and a step");
}

/* A step as the lab makes one: both processes walked by /proc. */
static void step_init(struct pt_lab_step *s)
{
	int w;

	memset(s, 0, sizeof(*s));
	for (w = 0; w < 2; w++) {
		struct pt_walk *wk = &s->proc[w].walk;

		s->proc[w].exists = s->proc[w].walked = true;
		wk->vma.path = "";
		wk->level[PT_PTE].state = PT_STATE_LEAF;
		wk->level[PT_PTE].derived = true;
		wk->pm.valid = wk->pm.present = true;
		wk->pm.pfn_hidden = true;
	}
}

static void queries_read_the_step(void **state)
{
	struct pt_lab_step *s = calloc(1, sizeof(*s));
	struct pt_layout ly;
	struct pt_obs o = { .ly = &ly };
	struct pt_val v;
	char t[64];

	(void)state;
	assert_non_null(s);
	pt_layout_init(&ly, &pt_arch_x86_64, PT_KV(6, 12));
	step_init(s);
	o.step = s;
	s->proc[1].walk.pm.exclusive = true;
	pt_query_eval(&o, "child.exclusive", &v);
	assert_int_equal(v.type, PT_V_BOOL);
	assert_true(v.b);
	pt_query_eval(&o, "parent.exclusive", &v);
	assert_false(v.b);
	pt_query_eval(&o, "parent.level", &v);
	assert_string_equal(v.s, "pte");
	pt_query_eval(&o, "child.huge", &v);
	assert_false(v.b);
	/* what /proc cannot tell is unknown, with the reason */
	pt_query_eval(&o, "parent.pfn == child.pfn", &v);
	assert_int_equal(v.type, PT_V_NONE);
	assert_non_null(strstr(v.why, "CAP_SYS_ADMIN"));
	pt_query_eval(&o, "child.write", &v);
	assert_int_equal(v.type, PT_V_NONE);
	assert_non_null(strstr(v.why, "module"));
	pt_query_eval(&o, "parent.soft_dirty", &v);
	assert_int_equal(v.type, PT_V_NONE);
	pt_query_eval(&o, "parent.zero_page", &v);
	assert_int_equal(v.type, PT_V_NONE);
	/* root: PFNs compare */
	s->proc[0].walk.pm.pfn_hidden = s->proc[1].walk.pm.pfn_hidden = false;
	s->proc[0].walk.pm.pfn = 0x1234;
	s->proc[1].walk.pm.pfn = 0x1234;
	pt_query_eval(&o, "parent.pfn == child.pfn", &v);
	assert_int_equal(v.type, PT_V_BOOL);
	assert_true(v.b);
	pt_query_eval(&o, "parent.pfn != child.pfn", &v);
	assert_false(v.b);
	/* changed(): /proc's fields by their plain names, each once */
	s->nr_changes = 3;
	s->changes[0] = (struct pt_lab_change){ .who = PT_WHO_CHILD, .what = "pm_exclusive" };
	s->changes[1] = (struct pt_lab_change){ .who = PT_WHO_CHILD, .what = "pfn" };
	s->changes[2] = (struct pt_lab_change){ .who = PT_WHO_PARENT, .what = "pm_exclusive" };
	pt_query_eval(&o, "changed(child)", &v);
	pt_val_text(&v, t, sizeof(t));
	assert_string_equal(t, "exclusive pfn");
	s->nr_changes = 0;
	pt_query_eval(&o, "changed(parent)", &v);
	pt_val_text(&v, t, sizeof(t));
	assert_string_equal(t, "none");
	/* no child yet */
	s->proc[1].exists = false;
	pt_query_eval(&o, "child.exists", &v);
	assert_false(v.b);
	pt_query_eval(&o, "child.present", &v);
	assert_int_equal(v.type, PT_V_NONE);
	free(s);
}

static void answers_are_graded_as_typed(void **state)
{
	struct pt_ask yn = { .type = PT_ASK_YESNO };
	struct pt_ask ch = { .type = PT_ASK_CHOICE, .choices = { "pte", "pmd", "pud" },
			     .nr_choices = 3 };
	struct pt_ask bit = { .type = PT_ASK_BIT };
	struct pt_val v = { .type = PT_V_BOOL, .b = true };
	char key[16], why[64];

	(void)state;
	assert_true(pt_ask_key(&yn, &v, key, sizeof(key), why, sizeof(why)));
	assert_string_equal(key, "y");
	assert_true(pt_ask_grade(&yn, &v, key, "y"));
	assert_true(pt_ask_grade(&yn, &v, key, " Yes \n"));
	assert_false(pt_ask_grade(&yn, &v, key, "n"));
	assert_false(pt_ask_grade(&yn, &v, key, "-"));
	assert_false(pt_ask_grade(&yn, &v, key, ""));

	v = (struct pt_val){ .type = PT_V_STR, .s = "pmd" };
	assert_true(pt_ask_key(&ch, &v, key, sizeof(key), why, sizeof(why)));
	assert_string_equal(key, "b");
	assert_true(pt_ask_grade(&ch, &v, key, "b"));
	assert_true(pt_ask_grade(&ch, &v, key, "PMD"));
	assert_false(pt_ask_grade(&ch, &v, key, "a"));
	assert_false(pt_ask_grade(&ch, &v, key, "pte"));
	/* a value none of the choices name: not asked, and why */
	v = (struct pt_val){ .type = PT_V_STR, .s = "p4d" };
	assert_false(pt_ask_key(&ch, &v, key, sizeof(key), why, sizeof(why)));
	assert_non_null(strstr(why, "p4d"));

	v = (struct pt_val){ .type = PT_V_SET, .s = "pfn exclusive" };
	assert_true(pt_ask_key(&bit, &v, key, sizeof(key), why, sizeof(why)));
	assert_true(pt_ask_grade(&bit, &v, key, "exclusive"));
	assert_true(pt_ask_grade(&bit, &v, key, "pm_exclusive"));
	assert_true(pt_ask_grade(&bit, &v, key, "PFN"));
	assert_false(pt_ask_grade(&bit, &v, key, "excl"));
	assert_false(pt_ask_grade(&bit, &v, key, "none"));
	v = (struct pt_val){ .type = PT_V_SET, .s = "" };
	assert_true(pt_ask_key(&bit, &v, key, sizeof(key), why, sizeof(why)));
	assert_true(pt_ask_grade(&bit, &v, key, "none"));
	assert_false(pt_ask_grade(&bit, &v, key, "write"));

	v = (struct pt_val){ .type = PT_V_NONE, .why = "no module" };
	assert_false(pt_ask_key(&yn, &v, key, sizeof(key), why, sizeof(why)));
	assert_string_equal(why, "no module");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(builtin_lessons_parse),
		cmocka_unit_test(bad_files_say_which_line),
		cmocka_unit_test(queries_read_the_step),
		cmocka_unit_test(answers_are_graded_as_typed),
	};

	PT_RUN_TESTS("lesson", tests);
}
