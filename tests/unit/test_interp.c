// SPDX-License-Identifier: GPL-2.0
/*
 * The interpreter on a real lab (a forked subject, the /proc source): what
 * each command does to the lab and the flags it reports, the very path
 * the TUI's keys, the shell and --script take.  Linked without curses and
 * readline (see the Makefile), which is the point of the interpreter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "explain.h"
#include "htmlview.h"
#include "interp.h"
#include "lineview.h"
#include "screen.h"
#include "version.h"

struct fixture {
	struct pt_source src;
	struct pt_lab lab;
	struct pt_cursor at;	/* the view the lines act for */
};

static int lab_up(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct pt_err err = { 0 };

	if (!fx)
		return -1;
	if (pt_source_open(&fx->src, PT_BACKEND_PAGEMAP, &err) < 0 ||
	    pt_lab_observe(&fx->lab, pt_explain_step, NULL, &err) < 0 ||
	    pt_lab_start(&fx->lab, &fx->src, PT_LAB_ANON, NULL, &err) < 0) {
		fprintf(stderr, "# lab: %s\n", err.msg);
		free(fx);
		return -1;
	}
	*state = fx;
	return 0;
}

static int lab_down(void **state)
{
	struct fixture *fx = *state;

	pt_cursor_close(&fx->at);
	pt_lab_stop(&fx->lab);
	pt_source_close(&fx->src);
	free(fx);
	return 0;
}

/* Runs @line, which must succeed, and returns its flags. */
static unsigned int run(struct fixture *fx, const char *line, struct pt_did *did)
{
	struct pt_err err = { 0 };
	int ret = pt_interp_line(&fx->lab, &fx->at, line, did, &err);

	if (ret < 0)
		fail_msg("'%s': %s", line, err.msg);
	return did->flags;
}

static void events_take_a_step_and_show_it(void **state)
{
	struct fixture *fx = *state;
	struct pt_lab *lab = &fx->lab;
	struct pt_did did;

	assert_int_equal(lab->nr_steps, 1);	/* the map step */
	assert_false(lab->steps[0].proc[0].walk.pm.present);
	assert_int_equal(run(fx, "write parent", &did), PT_DID_STEP | PT_DID_MOVE | PT_DID_SHOW);
	assert_int_equal(did.id, PT_C_WRITE);
	assert_int_equal(did.form, PT_FORM_VIEW);
	assert_int_equal(lab->nr_steps, 2);
	assert_int_equal(fx->at.cur, 1);
	/* the subject really wrote: the page is there now */
	assert_true(lab->steps[1].proc[0].walk.pm.present);
	assert_string_equal(lab->steps[1].err, "");

	run(fx, "fork", &did);
	assert_true(did.flags & PT_DID_STEP);
	assert_int_equal(lab->nr_steps, 3);
	assert_true(lab->pid[1] > 0);
	assert_true(lab->steps[2].proc[1].exists);
	assert_int_equal(lab->steps[2].proc[0].walk.pm.pfn, lab->steps[2].proc[1].walk.pm.pfn);
}

static void a_refused_event_is_a_step_with_its_error(void **state)
{
	struct fixture *fx = *state;
	struct pt_lab *lab = &fx->lab;
	struct pt_did did;

	/* no child yet: the subject says why, and the step records it */
	assert_int_equal(run(fx, "write child", &did), PT_DID_STEP | PT_DID_MOVE | PT_DID_SHOW);
	assert_int_equal(lab->nr_steps, 2);
	assert_non_null(strstr(lab->steps[1].err, "no child"));
}

static void moving_between_steps_takes_none(void **state)
{
	struct fixture *fx = *state;
	struct pt_lab *lab = &fx->lab;
	struct pt_err err = { 0 };
	struct pt_did did;

	run(fx, "write parent", &did);
	run(fx, "write parent 4096", &did);
	assert_int_equal(lab->nr_steps, 3);
	assert_int_equal(run(fx, "back", &did), PT_DID_MOVE | PT_DID_SHOW);
	assert_int_equal(fx->at.cur, 1);
	assert_int_equal(run(fx, "step 1", &did), PT_DID_MOVE | PT_DID_SHOW);
	assert_int_equal(fx->at.cur, 0);
	/* at the first step back stays: shown again, not moved */
	assert_int_equal(run(fx, "back", &did), PT_DID_SHOW);
	assert_int_equal(fx->at.cur, 0);
	assert_int_equal(run(fx, "step", &did), PT_DID_MOVE | PT_DID_SHOW);
	assert_int_equal(fx->at.cur, 1);
	assert_int_equal(run(fx, "step last", &did), PT_DID_MOVE | PT_DID_SHOW);
	assert_int_equal(fx->at.cur, 2);
	assert_int_equal(run(fx, "step", &did), PT_DID_SHOW);
	assert_int_equal(fx->at.cur, 2);
	assert_int_equal(lab->nr_steps, 3);
	/* no such step: refused, nothing moved, nothing to show */
	assert_int_equal(pt_interp_line(lab, &fx->at, "step 4", &did, &err), -PT_USAGE);
	assert_string_equal(err.msg, "there is no step 4");
	assert_int_equal(did.flags, 0);
	assert_int_equal(fx->at.cur, 2);
}

static void view_commands_leave_the_lab_alone(void **state)
{
	struct fixture *fx = *state;
	struct pt_lab *lab = &fx->lab;
	struct pt_did did;
	static const struct {
		const char *line;
		unsigned int flags;
		enum pt_form form;
	} rows[] = {
		{ "dump", PT_DID_SHOW, PT_FORM_TEXT },
		{ "json", PT_DID_SHOW, PT_FORM_JSON },
		{ "help", PT_DID_HELP, PT_FORM_VIEW },
		{ "quit", PT_DID_QUIT, PT_FORM_VIEW },
	};
	size_t i;

	run(fx, "write parent", &did);
	run(fx, "back", &did);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		assert_int_equal(run(fx, rows[i].line, &did), rows[i].flags);
		assert_int_equal(did.form, rows[i].form);
		assert_int_equal(lab->nr_steps, 2);
		assert_int_equal(fx->at.cur, 0);
	}
}

static void bad_lines_are_refused_and_the_lab_goes_on(void **state)
{
	struct fixture *fx = *state;
	struct pt_lab *lab = &fx->lab;
	static const char *const bad[] = {
		"frobnicate", "write", "write nobody", "write parent -1", "step 0",
		"step first", "kind nosuchkind", "exit parent", "quit now", "",
	};
	struct pt_err err;
	struct pt_did did;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = '\0';
		assert_int_equal(pt_interp_line(lab, &fx->at, bad[i], &did, &err), -PT_USAGE);
		assert_int_equal(did.flags, 0);
		assert_true(err.msg[0]);
		assert_int_equal(lab->nr_steps, 1);
	}
	run(fx, "write parent", &did);
	assert_int_equal(lab->nr_steps, 2);
	assert_true(lab->steps[1].proc[0].walk.pm.present);
}

static char *react(const struct fixture *fx, const struct pt_did *did, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct pt_err err;

	assert_non_null(f);
	assert_int_equal(pt_lineview_react(f, &fx->lab, &fx->at, did, json, &err), 0);
	fclose(f);
	return buf;
}

/* What --script and the shell print comes from the flags alone. */
static void the_line_view_prints_what_the_flags_say(void **state)
{
	struct fixture *fx = *state;
	struct pt_did did;
	char *out;

	run(fx, "write parent", &did);
	out = react(fx, &did, false);
	assert_non_null(strstr(out, "== step 2  write parent"));
	free(out);
	out = react(fx, &did, true);
	assert_memory_equal(out, "{\"version\":\"" PT_VERSION "\",\"step\":2,",
			    strlen("{\"version\":\"" PT_VERSION "\",\"step\":2,"));
	free(out);
	run(fx, "dump", &did);		/* text even in --json */
	out = react(fx, &did, true);
	assert_non_null(strstr(out, "== step 2  write parent"));
	free(out);
	run(fx, "quit", &did);
	out = react(fx, &did, false);
	assert_string_equal(out, "");
	free(out);
	run(fx, "help", &did);
	out = react(fx, &did, false);
	assert_non_null(strstr(out, "  back "));
	assert_non_null(strstr(out, "scenario thread:"));
	free(out);
}

/* The step the `screen` of cursor @at shows, by its title "step N/M". */
static int screen_step(const struct pt_lab *lab, const struct pt_cursor *at)
{
	struct pt_cmd cmd = { .id = PT_C_SCREEN, .stable = true };
	struct pt_err err;
	char *buf = NULL, *p;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int n = 0, of = 0;

	assert_non_null(f);
	assert_int_equal(pt_screen_write(f, lab, at, &cmd, &err), 0);
	fclose(f);
	p = strstr(buf, "\nstep ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "\nstep %d/%d", &n, &of), 2);
	assert_int_equal(of, (int)lab->nr_steps);
	free(buf);
	return n;
}

/*
 * Two views of one lab (the TUI's and a script's, say): `back` and `step`
 * move the cursor of the view that sent them, an event shows its step in
 * that view alone, `maps` opens that view's list, and writing the HTML
 * page moves none of them.
 */
static void each_view_moves_its_own_cursor(void **state)
{
	struct fixture *fx = *state;
	struct pt_lab *lab = &fx->lab;
	struct pt_cursor other = { 0 };
	struct pt_err err = { 0 };
	struct pt_did did;
	char *buf = NULL;
	size_t n = 0;
	FILE *f;

	run(fx, "write parent", &did);
	run(fx, "write parent 4096", &did);
	assert_int_equal(fx->at.cur, 2);
	assert_int_equal(other.cur, 0);
	assert_int_equal(pt_interp_line(lab, &other, "step 2", &did, &err), 0);
	assert_int_equal(did.flags, PT_DID_MOVE | PT_DID_SHOW);
	assert_int_equal(run(fx, "back", &did), PT_DID_MOVE | PT_DID_SHOW);
	assert_int_equal(run(fx, "back", &did), PT_DID_MOVE | PT_DID_SHOW);
	assert_int_equal(fx->at.cur, 0);
	assert_int_equal(other.cur, 1);
	assert_int_equal(screen_step(lab, &fx->at), 1);
	assert_int_equal(screen_step(lab, &other), 2);
	/* the other view's event: shown there, not here */
	assert_int_equal(pt_interp_line(lab, &other, "fork", &did, &err), 0);
	assert_int_equal(other.cur, 3);
	assert_int_equal(fx->at.cur, 0);
	assert_int_equal(run(fx, "maps", &did), PT_DID_MAPS);
	assert_non_null(fx->at.maps);
	assert_null(other.maps);
	f = open_memstream(&buf, &n);
	assert_non_null(f);
	assert_int_equal(pt_html_write(f, lab, "two views", &err), 0);
	fclose(f);
	assert_non_null(strstr(buf, "id=\"step4\""));
	free(buf);
	assert_int_equal(fx->at.cur, 0);
	assert_int_equal(other.cur, 3);
	pt_cursor_close(&other);
}

/* The keys' lines are commands, and 'step last' completes like one. */
static void step_last_is_part_of_the_language(void **state)
{
	const char *const *w = pt_cmd_words("step ");
	struct pt_err err = { 0 };
	struct pt_cmd cmd;

	(void)state;
	assert_non_null(w[0]);
	assert_string_equal(w[0], "last");
	assert_null(w[1]);
	assert_int_equal(pt_cmd_parse("step last", &cmd, &err), 0);
	assert_int_equal(cmd.id, PT_C_STEP);
	assert_true(cmd.last);
}

/* The user's expectations are the lab's: a second lab does not see them. */
static void expectations_belong_to_their_lab(void **state)
{
	struct fixture *fx = *state, other = { 0 };
	struct pt_expect *x = NULL;
	struct pt_err err = { 0 };
	struct pt_did did;
	const struct pt_explain *e;

	assert_int_equal(pt_explain_add(&x, "anon:fork:parent:error=1", &err), 0);
	assert_int_equal(pt_lab_observe(&other.lab, pt_explain_step, x, &err), 0);
	assert_int_equal(pt_lab_start(&other.lab, &fx->src, PT_LAB_ANON, NULL, &err), 0);
	run(&other, "write parent", &did);
	run(&other, "fork", &did);
	run(fx, "write parent", &did);
	run(fx, "fork", &did);
	e = &other.lab.steps[2].explain;
	assert_int_equal(e->nr_unexpected, 1);
	assert_string_equal(e->unexpected[0].what, "error");
	assert_int_equal(fx->lab.steps[2].explain.nr_unexpected, 0);
	assert_true(fx->lab.steps[2].explain.checked >= 1);
	pt_lab_stop(&other.lab);
	pt_expect_free(x);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(events_take_a_step_and_show_it, lab_up, lab_down),
		cmocka_unit_test_setup_teardown(a_refused_event_is_a_step_with_its_error, lab_up,
						lab_down),
		cmocka_unit_test_setup_teardown(moving_between_steps_takes_none, lab_up, lab_down),
		cmocka_unit_test_setup_teardown(view_commands_leave_the_lab_alone, lab_up, lab_down),
		cmocka_unit_test_setup_teardown(bad_lines_are_refused_and_the_lab_goes_on, lab_up,
						lab_down),
		cmocka_unit_test_setup_teardown(the_line_view_prints_what_the_flags_say, lab_up,
						lab_down),
		cmocka_unit_test_setup_teardown(expectations_belong_to_their_lab, lab_up, lab_down),
		cmocka_unit_test_setup_teardown(each_view_moves_its_own_cursor, lab_up, lab_down),
		cmocka_unit_test(step_last_is_part_of_the_language),
	};

	PT_RUN_TESTS("interp", tests);
}
