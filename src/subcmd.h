/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands (`ptinspect dump`, `ptinspect lab`...): each connects a
 * source, the model and a view.  Not to be confused with the lab's
 * command language (lang.h), whose lines the interpreter runs.
 *
 * A new subcommand is one row of PT_SUBCMD_TABLE, which feeds the enum
 * (options.h), the parser's names (options.c), the dispatch table
 * (ptinspect.c) and the declarations below, and its table of options
 * (struct pt_opt rows, parseopt.h, in options.c), from which come its
 * parsing, its usage, `ptinspect NAME --help`, the man page's synopsis
 * (ptinspect help synopsis --man, via scripts/gen-man.sh) and the shell
 * completion (scripts/gen-completion.sh reads the usage).
 *
 * X(id, name, function, options, note)
 *   name      the word after ptinspect; NULL: the form with options only
 *   options   its table of options, ended by a PT_OPT_END row
 *   note      said after its usage line, or ""
 */
#ifndef PT_SUBCMD_H
#define PT_SUBCMD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "parseopt.h"
#include "status.h"

#define PT_SUBCMD_TABLE(X)                                                                   \
	X(DUMP, "dump", pt_cmd_dump, pt_opts_dump, "")                                       \
	X(MAPS, "maps", pt_cmd_maps, pt_opts_maps, "")                                       \
	X(DECODE, "decode", pt_cmd_decode, pt_opts_decode, "")                               \
	X(BITS, "bits", pt_cmd_bits, pt_opts_bits, "")                                       \
	X(LAB, "lab", pt_cmd_lab, pt_opts_lab, "")                                           \
	X(SHELL, "shell", pt_cmd_shell, pt_opts_shell, "")                                   \
	X(WATCH, NULL, pt_cmd_watch, pt_opts_watch, "")                                      \
	X(REPLAY, "replay", pt_cmd_replay, pt_opts_replay, "")                               \
	X(LEARN, "learn", pt_cmd_learn, pt_opts_learn, "")                                   \
	X(HELP, "help", pt_cmd_help_tables, pt_opts_help, "(the lab's commands, kinds and keys)") \
	X(SUBJECT, "subject", pt_cmd_subject, pt_opts_subject, "(a lab subject process on stdin/stdout)")

struct pt_options;

#define PT_SUBCMD_DECL(id, name, fn, opts, note)              \
	int fn(const struct pt_options *o, struct pt_err *err); \
	extern const struct pt_opt opts[];
PT_SUBCMD_TABLE(PT_SUBCMD_DECL)
#undef PT_SUBCMD_DECL

/* The usage text, or the man page's SYNOPSIS (@man), from the table. */
void pt_subcmd_usage(FILE *f, bool man);

#endif
