/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ncurses TUI; only ui.c includes curses.  Both entry points restore
 * the terminal on every way out: return, error, SIGINT, SIGTERM.
 */
#ifndef PT_UI_H
#define PT_UI_H

#include <stdbool.h>
#include <stdio.h>

#include "follow.h"
#include "lab.h"
#include "status.h"

/* The lab screen; @script is queued for the 'n' key. */
int pt_ui_lab(struct pt_lab *lab, const char *script, struct pt_err *err);
/* The same screen on processes the user has, its steps from @f. */
int pt_ui_watch(struct pt_lab *lab, struct pt_follow *f, struct pt_err *err);
/*
 * ptinspect learn's screen: the lab's grid above a question pane.  A
 * question is asked over the step before its event (the outcome stays
 * hidden), the verdict and the explanation are told over the step after.
 */
enum pt_ui_answer { PT_UI_YESNO, PT_UI_CHOICE, PT_UI_WORD };

struct pt_ui_ask {
	const char *title;	/* the lesson's */
	const char *event;	/* the step's event */
	const char *text;	/* the step's narrative */
	const char *question;	/* NULL: no question, the step is only shown */
	enum pt_ui_answer answer;
	const char (*choices)[24];
	size_t nr_choices;
	const char *hint;	/* the kernel function to read */
	const char *const *words;	/* PT_UI_WORD: what Tab completes, NULL-ended */
	size_t qno, nr_questions, right, asked;
};

int pt_ui_learn_begin(struct pt_lab *lab, struct pt_err *err);
/* The answer into @answer; -1 when the student leaves (q, Esc, ^C). */
int pt_ui_learn_ask(const struct pt_ui_ask *a, size_t before, char *answer, size_t len);
/* @verdict and @why under step @after, until a key; -1: the student leaves. */
int pt_ui_learn_tell(const struct pt_ui_ask *a, size_t after, const char *verdict,
		     const char *why);
void pt_ui_learn_end(void);

/* The key table, as text or as mdoc (for the man page). */
void pt_ui_keys_print(FILE *f, bool man);

#endif
