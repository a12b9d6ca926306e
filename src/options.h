/* SPDX-License-Identifier: GPL-2.0 */
/* The command line, parsed once into one struct (no option globals). */
#ifndef PT_OPTIONS_H
#define PT_OPTIONS_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "columns.h"
#include "source.h"
#include "subcmd.h"

/* PT_CMD_DUMP...: one per row of PT_SUBCMD_TABLE (subcmd.h) */
enum pt_command {
	PT_CMD_NONE,
#define PT_SUBCMD_ENUM(id, name, fn, opts, note) PT_CMD_##id,
	PT_SUBCMD_TABLE(PT_SUBCMD_ENUM)
#undef PT_SUBCMD_ENUM
	PT_CMD_NR
};

/* What a line asks besides running its subcommand. */
enum pt_asked {
	PT_ASK_RUN,
	PT_ASK_USAGE,		/* --help: all of it, or the subcommand's */
	PT_ASK_VERSION,		/* --version */
	PT_ASK_COLUMNS,		/* maps, dump: --output help */
};

struct pt_options {
	enum pt_command cmd;
	enum pt_asked ask;
	pid_t pid;
	pid_t child;
	const char *addr;	/* address expression, see addr.h */
	const char *range;
	bool json;
	bool each;		/* dump --range: one entry per object */
	bool all;		/* dump --range all */
	bool kpageflags;	/* dump --range: read kpageflags, kpagecount */
	bool pfn_runs;		/* dump --range: a run's PFNs follow on */
	enum pt_backend backend;
	const char *arch;	/* decode/bits: architecture to decode for */
	const char *kernel;	/* decode/bits: kernel release to decode for */
	const char *level;	/* decode: the entry's level */
	int levels;		/* decode/bits: 4 or 5 (arm64: 5 is LPA2), 0 */
	const char *raw;	/* decode: the entry */
	bool man;		/* bits, help: as mdoc, for the man page */
	bool completion;	/* help: what the lab's completion offers after each line */
	const char *topic;	/* help: "synopsis", or NULL: the lab's tables */
	const char *kind;	/* lab: mapping kind */
	const char *script;	/* lab: commands separated by ';' */
	const char *batch;	/* lab: a file of commands */
	const char *screen;	/* lab: the script's screens go to this file */
	const char *html;	/* replay: every step as one HTML page here */
	const char *events;	/* lab, watch: libpfm4 event names */
	const char *expect;	/* lab: the user's own expectations */
	const char *scenario;	/* lab: a built-in script */
	long random;		/* lab: run this many generated scripts */
	unsigned long long seed;	/* lab --random: the first script's seed */
	bool has_seed;
	double interval;	/* watch: seconds between looks */
	long count;		/* watch without a terminal: looks, 0: until exit */
	bool no_trace;		/* watch: poll, do not trace the process */
	const char *record;	/* lab, shell, watch: write every step here */
	const char *file;	/* replay: the recording */
	const char *lesson;	/* learn: the lesson, NULL: list them */
	const char *answers;	/* learn: the student's answers, one a line */
	const char *output;	/* maps, dump --range -o: the columns, NULL: the default */
	bool noheadings;	/* maps, dump --range: no heading line */
	bool raw_table;	/* maps, dump --range: one space between cells, escaped */
	enum pt_color_when color;	/* maps, dump --range: --color */
	int sort;		/* maps --sort: an enum pt_vmalist_sort, 0: start */
};

/*
 * 0, or a negative status (-PT_USAGE) with a one-line reason in @err;
 * never prints, never exits.  o->ask says when the line asks for help,
 * the version or the columns rather than a run.
 */
int pt_options_parse(int argc, char **argv, struct pt_options *o,
		     struct pt_err *err);
/* Prints what o->ask asks for. */
int pt_options_answer(const struct pt_options *o, FILE *f);
void pt_options_usage(FILE *f);
/* "ptinspect VERSION" (the VERSION file, passed in by the Makefile) */
void pt_options_version(FILE *f);

#endif
