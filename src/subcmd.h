/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The subcommands (`ptinspect dump`, `ptinspect lab`...): each connects a
 * source, the model and a view.  Not to be confused with the lab's
 * command language (lang.h), whose lines the interpreter runs.
 *
 * A new subcommand is one row of PT_SUBCMD_TABLE, which feeds the enum
 * (options.h), the parser's names (options.c), the dispatch table
 * (ptinspect.c), the declarations below, the usage text and the man
 * page's synopsis (ptinspect help synopsis --man, via scripts/gen-man.sh).
 *
 * X(id, name, function, usage, synopsis)
 *   name      the word after ptinspect; NULL: the form with options only
 *   usage     the forms after "ptinspect NAME ", one a line; a line that
 *             starts with a tab goes on the form above
 *   synopsis  the same in mdoc; a line "+" starts another form
 */
#ifndef PT_SUBCMD_H
#define PT_SUBCMD_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "status.h"

#define PT_SUBCMD_TABLE(X)                                                                    \
	X(DUMP, "dump", pt_cmd_dump,                                                          \
	  "--pid PID (--addr ADDR | --range START-END|NAME|all)\n"                            \
	  "\t[--child PID] [--each] [--kpageflags] [--pfn-runs]\n"                            \
	  "\t[-o|--output COLS] [--noheadings] [--raw]\n"                                     \
	  "\t[--color auto|always|never] [--json] [--backend auto|kmod|pagemap]",             \
	  ".Fl \\-pid Ar pid\n"                                                               \
	  ".Pq Fl \\-addr Ar addr | Fl \\-range Ar start Ns - Ns Ar end | Ar name | Cm all\n" \
	  ".Op Fl \\-child Ar pid\n.Op Fl \\-each\n.Op Fl \\-kpageflags\n"                    \
	  ".Op Fl \\-pfn\\-runs\n"                                                            \
	  ".Op Fl o , \\-output Ar cols | Cm help\n.Op Fl \\-noheadings\n.Op Fl \\-raw\n"      \
	  ".Op Fl \\-color Cm auto | always | never\n"                                         \
	  ".Op Fl \\-json\n.Op Fl \\-backend Cm auto | kmod | pagemap")                        \
	X(MAPS, "maps", pt_cmd_maps,                                                          \
	  "--pid PID [--child PID] [--sort KEY] [-o|--output COLS] [--noheadings] [--raw]\n" \
	  "\t[--color auto|always|never] [--json] [--backend auto|kmod|pagemap]",              \
	  ".Fl \\-pid Ar pid\n.Op Fl \\-child Ar pid\n.Op Fl \\-sort Ar key\n"                \
	  ".Op Fl o , \\-output Ar cols | Cm help\n.Op Fl \\-noheadings\n.Op Fl \\-raw\n"      \
	  ".Op Fl \\-color Cm auto | always | never\n.Op Fl \\-json\n"                         \
	  ".Op Fl \\-backend Cm auto | kmod | pagemap")                                         \
	X(DECODE, "decode", pt_cmd_decode,                                                    \
	  "[--arch ARCH] [--kernel RELEASE] [--levels N] --level LEVEL RAW\n"                \
	  "\t[--json]",                                                                        \
	  ".Op Fl \\-arch Ar arch\n.Op Fl \\-kernel Ar release\n.Op Fl \\-levels Ar n\n"      \
	  ".Fl \\-level Ar level\n.Ar raw\n.Op Fl \\-json")                                     \
	X(BITS, "bits", pt_cmd_bits, "[--arch ARCH] [--kernel RELEASE] [--levels N] [--man]", \
	  ".Op Fl \\-arch Ar arch\n.Op Fl \\-kernel Ar release\n.Op Fl \\-levels Ar n\n"      \
	  ".Op Fl \\-man")                                                                    \
	X(LAB, "lab", pt_cmd_lab,                                                             \
	  "[--kind KIND] [--script CMDS | --batch FILE | --scenario NAME]\n"                  \
	  "\t[--json] [-e EVENTS] [--expect ROWS] [--backend B] [--screen FILE]\n"            \
	  "\t[--record FILE] [--kernel X.Y]\n"                                                \
	  "--random N [--seed S] [--kind KIND[,KIND...]] [--json] [--kernel X.Y]",            \
	  ".Op Fl \\-kind Ar kind\n"                                                          \
	  ".Op Fl \\-script Ar commands | Fl \\-batch Ar file | Fl \\-scenario Ar name\n"     \
	  ".Op Fl \\-json\n.Op Fl e Ar events\n.Op Fl \\-expect Ar rows\n"                    \
	  ".Op Fl \\-backend Ar name\n.Op Fl \\-screen Ar file\n"                             \
	  ".Op Fl \\-record Ar file\n.Op Fl \\-kernel Ar version\n+\n"                        \
	  ".Fl \\-random Ar n\n.Op Fl \\-seed Ar s\n"                                         \
	  ".Op Fl \\-kind Ar kind Ns Op , Ns Ar kind ...\n.Op Fl \\-json\n"                  \
	  ".Op Fl \\-kernel Ar version")                                                      \
	X(SHELL, "shell", pt_cmd_shell,                                                       \
	  "[--kind KIND] [-e EVENTS] [--backend B] [--record FILE] [--kernel X.Y]",           \
	  ".Op Fl \\-kind Ar kind\n.Op Fl e Ar events\n.Op Fl \\-record Ar file\n"            \
	  ".Op Fl \\-kernel Ar version")                                                      \
	X(WATCH, NULL, pt_cmd_watch,                                                          \
	  "--pid PID [--child PID] [--addr ADDR] [--interval SECONDS]\n"                      \
	  "\t[--count N] [--json] [--no-trace] [--record FILE]",                              \
	  ".Fl \\-pid Ar pid\n.Op Fl \\-child Ar pid\n.Op Fl \\-addr Ar addr\n"               \
	  ".Op Fl \\-interval Ar seconds\n.Op Fl \\-count Ar n\n.Op Fl \\-json\n"            \
	  ".Op Fl \\-no\\-trace\n.Op Fl \\-record Ar file")                                   \
	X(REPLAY, "replay", pt_cmd_replay,                                                    \
	  "FILE [--json] [--script CMDS | --batch FILE] [--screen FILE]\n"                    \
	  "\t[--html FILE]",                                                                  \
	  ".Ar file\n.Op Fl \\-json\n"                                                        \
	  ".Op Fl \\-script Ar commands | Fl \\-batch Ar file\n.Op Fl \\-screen Ar file\n"    \
	  ".Op Fl \\-html Ar file")                                                           \
	X(LEARN, "learn", pt_cmd_learn,                                                       \
	  "[LESSON [--answers FILE] [--json] [--html FILE] [--record FILE]\n"                \
	  "\t[--backend B]]",                                                                  \
	  ".Op Ar lesson\n.Op Fl \\-answers Ar file\n.Op Fl \\-json\n.Op Fl \\-html Ar file\n"   \
	  ".Op Fl \\-record Ar file\n.Op Fl \\-backend Ar name")                               \
	X(HELP, "help", pt_cmd_help_tables, "     (the lab's commands, kinds and keys)",             \
	  ".Op Cm synopsis\n.Op Fl \\-man")                                                   \
	X(SUBJECT, "subject", pt_cmd_subject, "  (a lab subject process on stdin/stdout)", "")

struct pt_options;

#define PT_SUBCMD_DECL(id, name, fn, usage, synopsis) \
	int fn(const struct pt_options *o, struct pt_err *err);
PT_SUBCMD_TABLE(PT_SUBCMD_DECL)
#undef PT_SUBCMD_DECL

/* The usage text, or the man page's SYNOPSIS (@man), from the table. */
void pt_subcmd_usage(FILE *f, bool man);

#endif
