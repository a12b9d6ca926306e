/* SPDX-License-Identifier: GPL-2.0 */
/* What the lab's subcommands (sub_lab.c, sub_watch.c) share. */
#ifndef PT_SUB_LAB_H
#define PT_SUB_LAB_H

#include "explain.h"
#include "lab.h"
#include "options.h"
#include "record.h"

/*
 * The source and a lab of @kind_name for @o, its steps explained against
 * the user's expectations, made into *@x (the caller frees them after
 * the lab), and written to @rec (NULL: no --record).
 */
int pt_lab_setup(const struct pt_options *o, const char *kind_name,
		 struct pt_source *src, struct pt_lab *lab, struct pt_expect **x,
		 struct pt_record *rec, struct pt_err *err);
/* The lab's observers, in their order: explain against @x, then @rec. */
int pt_lab_observers(struct pt_lab *lab, struct pt_expect *x, struct pt_record *rec,
		     struct pt_err *err);
/* --script, --batch and --random: each line through the interpreter */
struct pt_lab_script {
	struct pt_lab *lab;
	struct pt_cursor at;	/* the lines' view: its step and list */
	bool json;
	struct pt_err *err;
	FILE *screen;		/* --screen FILE: where `screen` writes */
	int screens;		/* how many it wrote */
};

/* One line of a script: 1 after quit. */
int pt_lab_script_line(const char *line, void *arg);
/* The TUI on a terminal (without --json, --screen), else @run as lines. */
int pt_lab_play(struct pt_lab *lab, const char *run, bool json, struct pt_lab_script *sc);
/* A file, or stdin for "-", whole and NUL-terminated, or NULL with @err set. */
#define PT_SLURP_MAX (64 << 20)
char *pt_slurp(const char *path, struct pt_err *err);
/* Closes @rec, if any: @ret, or the recording's failure. */
int pt_lab_record_close(struct pt_record *rec, int ret, struct pt_err *err);
/* What the source and the counters could not show, once, on stderr. */
void pt_lab_notes(const struct pt_source *src, const struct pt_lab *lab);

#endif
