/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Lessons (ptinspect learn): a narrative, the lab's events, and questions
 * asked before the step's outcome is shown.  A lesson is a data file
 * (lessons/NAME.lesson, compiled into build/gen/lessons_all.c by
 * scripts/gen-lessons.sh at build time) and never holds an answer: each question is a
 * query over what the kernel showed at its step (the lab's snapshot of
 * both processes), so its key is computed, on whatever kernel runs it.
 *
 * The file's lines: a keyword, a space, the rest of the line.
 *   lesson NAME        title TEXT       kind KIND (lab.h's kinds)
 *   needs kmod|ksm     the mapping exists only with the module; ksmd runs
 *   about TEXT         one line for the list
 *   module TEXT        what the module would add (raw bits)
 *   text TEXT          narrative (before the first step: the introduction)
 *   step EVENT         a lab event (lang.h); its questions follow
 *   ask yesno|choice|bit QUERY   a question on the step above
 *   q TEXT, hint FUNCTION, why TEXT, note TEXT, choices WORD...: for the
 *                      question above (note: where kernel versions differ)
 *
 * A query (pt_query_eval()): OPERAND [== | != OPERAND], an operand being
 * WHO.FIELD (WHO: parent, child), changed(WHO) (the fields the step
 * changed) or a word.  Fields /proc answers: exists, present, exclusive,
 * soft_dirty, swapped, file_shared, huge, level, pfn and, with root,
 * mapcount, thp, zero_page, ksm, anon (kpageflags); with the module any
 * bit of the decoder (write, dirty, young, saved_dirty...).
 */
#ifndef PT_LESSON_H
#define PT_LESSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "status.h"

struct pt_lab;
struct pt_lab_step;
struct pt_layout;

#define PT_LESSON_MAX_STEPS 16
#define PT_LESSON_MAX_ASKS 6
#define PT_LESSON_MAX_CHOICES 6

enum pt_ask_type { PT_ASK_YESNO, PT_ASK_CHOICE, PT_ASK_BIT };

struct pt_ask {
	enum pt_ask_type type;
	char query[96];
	char q[256];		/* the question */
	char hint[96];		/* the kernel function to read */
	char why[768];		/* the explanation, shown after the answer */
	char note[384];		/* where versions differ */
	char choices[PT_LESSON_MAX_CHOICES][24];
	size_t nr_choices;
};

struct pt_lesson_step {
	char event[96];
	char text[768];
	struct pt_ask asks[PT_LESSON_MAX_ASKS];
	size_t nr_asks;
};

struct pt_lesson {
	char name[32];
	char title[128];
	char kind[24];
	char about[192];
	char module[512];
	char intro[1024];
	bool needs_kmod;
	bool needs_ksm;		/* ksmd must run (/sys/kernel/mm/ksm/run) */
	struct pt_lesson_step steps[PT_LESSON_MAX_STEPS];
	size_t nr_steps;
	size_t nr_asks;		/* over all steps */
};

/* The lessons built in (lessons_all.c): name and file text. */
struct pt_lesson_src {
	const char *name;
	const char *text;
};
extern const struct pt_lesson_src pt_lesson_srcs[];
extern const size_t pt_nr_lesson_srcs;

/* Parses @text (lesson @name's file) into @ls; a bad line is -PT_USAGE. */
int pt_lesson_parse(const char *name, const char *text, struct pt_lesson *ls,
		    struct pt_err *err);
/* The built-in lesson @name, parsed. */
int pt_lesson_find(const char *name, struct pt_lesson *ls, struct pt_err *err);

enum pt_val_type { PT_V_NONE, PT_V_BOOL, PT_V_NUM, PT_V_STR, PT_V_SET };

/* A query's value; PT_V_NONE: this source cannot tell (why says so). */
struct pt_val {
	enum pt_val_type type;
	bool b;
	uint64_t n;
	char s[256];		/* STR; SET: names separated by spaces */
	char why[192];
};

/* What a query may read at one step (the step before it for changed()). */
struct pt_obs {
	const struct pt_layout *ly;
	const struct pt_lab_step *step;
	bool soft_dirty;	/* the kernel tracks soft-dirty (VmFlags sd) */
};

struct pt_walk;
/* Present as a query means it: the raw leaf with the module, else pagemap. */
bool pt_walk_present(const struct pt_walk *w);

int pt_query_check(const char *query, struct pt_err *err);
void pt_query_eval(const struct pt_obs *o, const char *query, struct pt_val *v);
/* The value as text: yes, no, a number, a word, names or "none". */
void pt_val_text(const struct pt_val *v, char *buf, size_t len);

/*
 * The key of @a from value @v into @key ("y", "b", "write"); false when
 * the question cannot be asked (@why: the value is unknown or none of the
 * choices).
 */
bool pt_ask_key(const struct pt_ask *a, const struct pt_val *v, char *key,
		size_t len, char *why, size_t wlen);
/* Whether @answer is right for @a with value @v (and @key). */
bool pt_ask_grade(const struct pt_ask *a, const struct pt_val *v,
		  const char *key, const char *answer);
const char *pt_ask_type_name(enum pt_ask_type t);

#endif
