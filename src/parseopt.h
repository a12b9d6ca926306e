/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Options in the shape of git's parse-options: a subcommand gives a table
 * of struct pt_opt rows; one parser fills the fields the rows name and
 * returns a one-line error (-PT_USAGE), never exits; the usage text and
 * the man page's synopsis are printed from the same rows (and the shell
 * completion is generated from that usage, scripts/gen-completion.sh).
 */
#ifndef PT_PARSEOPT_H
#define PT_PARSEOPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "status.h"

enum pt_opt_kind {
	PT_OPT_END,
	PT_OPT_BOOL,		/* --name: the bool at .field becomes true */
	PT_OPT_STRING,		/* --name VALUE: the const char * at .field */
	PT_OPT_CALL,		/* --name VALUE: .fn checks VALUE and stores it */
	PT_OPT_ARG,		/* a word that is not an option, in the table's order:
				 * the const char * at .field, checked by .fn if set */
};

#define PT_OPT_REQUIRED 0x1u	/* needed (in its form) */
#define PT_OPT_HIDDEN 0x2u	/* parsed, never shown: for the build's generators */
#define PT_OPT_FORM1 0x4u	/* shown in the first form only */
#define PT_OPT_FORM2 0x8u	/* shown in the second form only (else both) */

struct pt_opt {
	enum pt_opt_kind kind;
	char short_name;	/* 0: none */
	const char *name;	/* the long name without "--"; PT_OPT_ARG: NULL */
	const char *arg;	/* the value: a metavariable ("PID") or the choices
				 * ("auto|always|never"); PT_OPT_ARG: its name */
	const char *help;
	size_t field;		/* offsetof() into the struct being filled */
	int (*fn)(const char *val, void *dst, struct pt_err *err);
	unsigned int flags;
	char group;		/* rows with the same letter exclude each other */
};

#define PT_OPTS_MAX 32

/* What a parse saw, for the checks that follow it. */
struct pt_opts_seen {
	bool seen[PT_OPTS_MAX];
	bool help;		/* --help or -h */
	bool version;		/* --version or -V */
};

/*
 * Parses @argv[0..@argc) against @opts into @dst.  0, or -PT_USAGE with
 * one line in @err; never prints, never exits.  @what names the
 * subcommand in messages.  Required rows are not checked here:
 * pt_opts_required() does, so a caller can answer --output help first.
 */
int pt_opts_parse(const struct pt_opt *opts, const char *what, int argc, char **argv,
		  void *dst, struct pt_opts_seen *seen, struct pt_err *err);
/* -PT_USAGE when a required row (or a required group) was not given. */
int pt_opts_required(const struct pt_opt *opts, const char *what,
		     const struct pt_opts_seen *seen, struct pt_err *err);
/*
 * The forms of `ptinspect @name` as usage lines (@first: the first starts
 * with "usage:"; @note, if any, follows the first form) or as mdoc for the
 * synopsis (@man).
 */
void pt_opts_usage(FILE *f, const char *name, const struct pt_opt *opts, const char *note,
		   bool first, bool man);
/* Each shown option with its help, one a line (ptinspect SUBCMD --help). */
void pt_opts_describe(FILE *f, const struct pt_opt *opts);

#endif
