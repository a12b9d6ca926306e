// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: the subcommand's word picks its option table (each
 * table below belongs to one subcommand, in the shape of git's
 * parse-options), parseopt.c fills struct pt_options from it, and the
 * subcommand's check says what the table cannot (which options need each
 * other).  Nothing here exits or prints an error: a usage error is one
 * line in struct pt_err, and --help, --version and --output help are
 * answered by pt_options_answer() once main() asks.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "mapsview.h"
#include "pmu.h"
#include "rangedump.h"
#include "version.h"

/* ---- the values options take ---- */

static int pt_pid_parse(const char *s, pid_t *pid, struct pt_err *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || end == s || v <= 0 || v > INT_MAX)
		return pt_err_set(err, PT_USAGE, "invalid pid '%s'", s);
	*pid = (pid_t)v;
	return 0;
}

static int pt_opt_pid(const char *s, void *dst, struct pt_err *err)
{
	return pt_pid_parse(s, &((struct pt_options *)dst)->pid, err);
}

static int pt_opt_child(const char *s, void *dst, struct pt_err *err)
{
	return pt_pid_parse(s, &((struct pt_options *)dst)->child, err);
}

static int pt_opt_backend(const char *s, void *dst, struct pt_err *err)
{
	if (pt_backend_parse(s, &((struct pt_options *)dst)->backend) < 0)
		return pt_err_set(err, PT_USAGE, "unknown backend '%s' (auto, kmod or pagemap)", s);
	return 0;
}

/* the running kernel's level count, as the module says it */
static int pt_opt_levels(const char *s, void *dst, struct pt_err *err)
{
	if (strcmp(s, "4") && strcmp(s, "5"))
		return pt_err_set(err, PT_USAGE, "invalid --levels '%s' (4 or 5)", s);
	((struct pt_options *)dst)->levels = s[0] - '0';
	return 0;
}

static int pt_opt_interval(const char *s, void *dst, struct pt_err *err)
{
	struct pt_options *o = dst;
	char *end;

	o->interval = strtod(s, &end);
	if (*end || end == s || !(o->interval >= 0.05 && o->interval <= 3600))
		return pt_err_set(err, PT_USAGE, "invalid interval '%s' (seconds, 0.05 to 3600)", s);
	return 0;
}

static int pt_opt_count(const char *s, void *dst, struct pt_err *err)
{
	struct pt_options *o = dst;
	char *end;

	o->count = strtol(s, &end, 10);
	if (*end || end == s || o->count < 0)
		return pt_err_set(err, PT_USAGE, "invalid count '%s'", s);
	return 0;
}

static int pt_opt_ull(const char *s, const char *what, unsigned long long lo,
		      unsigned long long hi, unsigned long long *v, struct pt_err *err)
{
	char *end;

	errno = 0;
	*v = strtoull(s, &end, 0);
	if (errno || *end || end == s || s[0] == '-' || *v < lo || *v > hi)
		return pt_err_set(err, PT_USAGE, "invalid %s '%s'", what, s);
	return 0;
}

static int pt_opt_random(const char *s, void *dst, struct pt_err *err)
{
	unsigned long long v;
	int ret = pt_opt_ull(s, "number of scripts", 1, 100000, &v, err);

	if (!ret)
		((struct pt_options *)dst)->random = (long)v;
	return ret;
}

static int pt_opt_seed(const char *s, void *dst, struct pt_err *err)
{
	struct pt_options *o = dst;
	int ret = pt_opt_ull(s, "seed", 0, ULLONG_MAX, &o->seed, err);

	o->has_seed = !ret;
	return ret;
}

/* WHEN is required: `--color auto` and `--color=auto` alike */
static int pt_opt_color(const char *s, void *dst, struct pt_err *err)
{
	if (pt_color_parse(s, &((struct pt_options *)dst)->color) < 0)
		return pt_err_set(err, PT_USAGE, "invalid --color '%s' (auto, always or never)", s);
	return 0;
}

static int pt_opt_sort(const char *s, void *dst, struct pt_err *err)
{
	struct pt_options *o = dst;
	char keys[128];

	o->sort = pt_vmalist_sort_parse(s);
	if (o->sort < 0)
		return pt_err_set(err, PT_USAGE, "invalid --sort '%s' (one of: %s)", s,
				  pt_vmalist_sort_names(keys, sizeof(keys)));
	return 0;
}

/* lab, shell: the version the rows are chosen for: X.Y, or a release */
static int pt_opt_version(const char *s, void *dst, struct pt_err *err)
{
	unsigned int a, b;
	int n = 0;

	if (sscanf(s, "%u.%u%n", &a, &b, &n) != 2 || a > 255 || b > 255 ||
	    (s[n] && s[n] != '.' && s[n] != '-'))
		return pt_err_set(err, PT_USAGE, "unreadable kernel version '%s' (like 6.12)", s);
	((struct pt_options *)dst)->kernel = s;
	return 0;
}

static int pt_opt_topic(const char *s, void *dst, struct pt_err *err)
{
	if (strcmp(s, "synopsis"))
		return pt_err_set(err, PT_USAGE, "help knows 'synopsis', not '%s'", s);
	((struct pt_options *)dst)->topic = s;
	return 0;
}

/* ---- the tables: one per subcommand ---- */

#define F(f) offsetof(struct pt_options, f)
#define OPT_BOOL(s, n, h, f) { PT_OPT_BOOL, s, n, NULL, h, F(f), NULL, 0, 0 }
#define OPT_STR(s, n, a, h, f) { PT_OPT_STRING, s, n, a, h, F(f), NULL, 0, 0 }
#define OPT_CALL(s, n, a, h, fn) { PT_OPT_CALL, s, n, a, h, 0, fn, 0, 0 }
#define OPT_END { PT_OPT_END, 0, NULL, NULL, NULL, 0, NULL, 0, 0 }

#define OPT_PID_REQ { PT_OPT_CALL, 0, "pid", "PID", "the process", 0, pt_opt_pid, PT_OPT_REQUIRED, 0 }
#define OPT_CHILD(h) OPT_CALL(0, "child", "PID", h, pt_opt_child)
#define OPT_JSON(h) OPT_BOOL(0, "json", h, json)
#define OPT_BACKEND OPT_CALL(0, "backend", "auto|kmod|pagemap", \
			     "the source: the module, /proc/PID/pagemap, or the module when loaded", \
			     pt_opt_backend)
#define OPT_TABLE                                                                              \
	OPT_STR('o', "output", "COLS", "the columns (+COLS adds to the default; help lists them)", \
		output),                                                                       \
	OPT_BOOL(0, "noheadings", "no heading line", noheadings),                              \
	OPT_BOOL(0, "raw", "one space between cells, cells escaped", raw_table),               \
	OPT_CALL(0, "color", "auto|always|never", "colour the table (NO_COLOR is honoured)",   \
		 pt_opt_color)
/* with --output help: the columns as mdoc, for the man page */
#define OPT_MAN_HIDDEN { PT_OPT_BOOL, 0, "man", NULL, NULL, F(man), NULL, PT_OPT_HIDDEN, 0 }
#define OPT_EVENTS OPT_STR('e', "events", "EVENTS", "libpfm4 event names, comma separated", events)
#define OPT_RECORD OPT_STR(0, "record", "FILE", "write every step to FILE (replay reads it)", record)

const struct pt_opt pt_opts_dump[] = {
	OPT_PID_REQ,
	{ PT_OPT_STRING, 0, "addr", "ADDR", "one address: hex, or a mapping and an offset (heap+0x1000)",
	  F(addr), NULL, PT_OPT_REQUIRED, 'a' },
	{ PT_OPT_STRING, 0, "range", "START-END|NAME|all", "a range, a mapping, or every mapping, as runs",
	  F(range), NULL, PT_OPT_REQUIRED, 'a' },
	OPT_CHILD("compare the range with this child's"),
	OPT_BOOL(0, "each", "with --range: one entry per page or huge page", each),
	OPT_BOOL(0, "kpageflags", "with --range: read /proc/kpageflags and kpagecount", kpageflags),
	OPT_BOOL(0, "pfn-runs", "with --range: a run's PFNs follow on", pfn_runs),
	OPT_TABLE,
	OPT_JSON("JSON (doc/ptinspect-dump.schema.json)"),
	OPT_BACKEND,
	OPT_MAN_HIDDEN,
	OPT_END,
};

const struct pt_opt pt_opts_maps[] = {
	OPT_PID_REQ,
	OPT_CHILD("also what is shared with and copied by this child"),
	OPT_CALL(0, "sort", "KEY", "start, size, populated, shared or copied", pt_opt_sort),
	OPT_TABLE,
	OPT_JSON("JSON"),
	OPT_BACKEND,
	OPT_MAN_HIDDEN,
	OPT_END,
};

#define OPT_ARCH OPT_STR(0, "arch", "ARCH", "x86_64 or arm64 (default: this machine's)", arch)
#define OPT_KERNEL OPT_STR(0, "kernel", "RELEASE", "the kernel release the bits are named for", kernel)
#define OPT_LEVELS OPT_CALL(0, "levels", "N", "4 or 5 levels of page table", pt_opt_levels)

const struct pt_opt pt_opts_decode[] = {
	OPT_ARCH,
	OPT_KERNEL,
	OPT_LEVELS,
	{ PT_OPT_STRING, 0, "level", "LEVEL", "the entry's level (pgd, p4d, pud, pmd, pte)",
	  F(level), NULL, PT_OPT_REQUIRED, 0 },
	{ PT_OPT_ARG, 0, NULL, "RAW", "the entry, in hex", F(raw), NULL, PT_OPT_REQUIRED, 0 },
	OPT_JSON("JSON"),
	OPT_END,
};

const struct pt_opt pt_opts_bits[] = {
	OPT_ARCH,
	OPT_KERNEL,
	OPT_LEVELS,
	OPT_BOOL(0, "man", "as mdoc, for the man page", man),
	OPT_END,
};

#define OPT_KIND(h) OPT_STR(0, "kind", "KIND", h, kind)
#define OPT_VERSION OPT_CALL(0, "kernel", "X.Y", "choose the rows for this kernel version", \
			     pt_opt_version)
#define F1 PT_OPT_FORM1
#define F2 PT_OPT_FORM2

const struct pt_opt pt_opts_lab[] = {
	OPT_KIND("the kind of mapping (--random: KIND[,KIND...])"),
	{ PT_OPT_STRING, 0, "script", "CMDS", "commands separated by ';'", F(script), NULL, F1, 's' },
	{ PT_OPT_STRING, 0, "batch", "FILE", "a file of commands", F(batch), NULL, F1, 's' },
	{ PT_OPT_STRING, 0, "scenario", "NAME", "a built-in script", F(scenario), NULL, F1, 's' },
	OPT_JSON("each step as a JSON line"),
	{ PT_OPT_STRING, 'e', "events", "EVENTS", "libpfm4 event names, comma separated", F(events),
	  NULL, F1, 0 },
	{ PT_OPT_STRING, 0, "expect", "ROWS", "your own expectations, checked at each step",
	  F(expect), NULL, F1, 0 },
	{ PT_OPT_CALL, 0, "backend", "auto|kmod|pagemap", "the source", 0, pt_opt_backend, F1, 0 },
	{ PT_OPT_STRING, 0, "screen", "FILE", "the script's screens go to FILE", F(screen), NULL,
	  F1, 0 },
	{ PT_OPT_STRING, 0, "record", "FILE", "write every step to FILE (replay reads it)",
	  F(record), NULL, F1, 0 },
	OPT_VERSION,
	{ PT_OPT_CALL, 0, "random", "N", "run N generated scripts", 0, pt_opt_random,
	  F2 | PT_OPT_REQUIRED, 0 },
	{ PT_OPT_CALL, 0, "seed", "S", "the first generated script's seed", 0, pt_opt_seed, F2, 0 },
	OPT_END,
};

const struct pt_opt pt_opts_shell[] = {
	OPT_KIND("the kind of mapping"),
	OPT_EVENTS,
	OPT_BACKEND,
	OPT_RECORD,
	OPT_VERSION,
	{ PT_OPT_BOOL, 0, "json", NULL, NULL, F(json), NULL, PT_OPT_HIDDEN, 0 },
	OPT_END,
};

const struct pt_opt pt_opts_watch[] = {
	OPT_PID_REQ,
	OPT_CHILD("the child shown beside it"),
	OPT_STR(0, "addr", "ADDR", "the address to watch (default: the heap)", addr),
	OPT_CALL(0, "interval", "SECONDS", "between looks (0.05 to 3600)", pt_opt_interval),
	OPT_CALL(0, "count", "N", "without a terminal: looks, 0 until the process exits",
		 pt_opt_count),
	OPT_JSON("each step as a JSON line"),
	OPT_BOOL(0, "no-trace", "poll, do not trace the process", no_trace),
	OPT_RECORD,
	{ PT_OPT_STRING, 'e', "events", "EVENTS", NULL, F(events), NULL, PT_OPT_HIDDEN, 0 },
	{ PT_OPT_CALL, 0, "backend", "auto|kmod|pagemap", NULL, 0, pt_opt_backend, PT_OPT_HIDDEN, 0 },
	OPT_END,
};

const struct pt_opt pt_opts_replay[] = {
	{ PT_OPT_ARG, 0, NULL, "FILE", "the recording", F(file), NULL, PT_OPT_REQUIRED, 0 },
	OPT_JSON("each step as a JSON line"),
	{ PT_OPT_STRING, 0, "script", "CMDS", "commands separated by ';'", F(script), NULL, 0, 's' },
	{ PT_OPT_STRING, 0, "batch", "FILE", "a file of commands", F(batch), NULL, 0, 's' },
	OPT_STR(0, "screen", "FILE", "the script's screens go to FILE", screen),
	OPT_STR(0, "html", "FILE", "every step as one HTML page", html),
	OPT_END,
};

const struct pt_opt pt_opts_learn[] = {
	{ PT_OPT_ARG, 0, NULL, "LESSON", "the lesson (none: list them)", F(lesson), NULL, 0, 0 },
	OPT_STR(0, "answers", "FILE", "your answers, one a line", answers),
	OPT_JSON("JSON"),
	OPT_STR(0, "html", "FILE", "the lesson as a handout", html),
	OPT_RECORD,
	OPT_BACKEND,
	{ PT_OPT_STRING, 'e', "events", "EVENTS", NULL, F(events), NULL, PT_OPT_HIDDEN, 0 },
	/* the lessons as mdoc, for the man page */
	{ PT_OPT_BOOL, 0, "man", NULL, NULL, F(man), NULL, PT_OPT_HIDDEN, 0 },
	OPT_END,
};

const struct pt_opt pt_opts_help[] = {
	{ PT_OPT_ARG, 0, NULL, "synopsis", "the subcommands' synopsis", 0, pt_opt_topic, 0, 0 },
	/* as mdoc, for the man page */
	{ PT_OPT_BOOL, 0, "man", NULL, NULL, F(man), NULL, PT_OPT_HIDDEN, 0 },
	/* the lab's completions, for scripts/gen-completion.sh */
	{ PT_OPT_BOOL, 0, "completion", NULL, NULL, F(completion), NULL, PT_OPT_HIDDEN, 0 },
	OPT_END,
};

const struct pt_opt pt_opts_subject[] = {
	OPT_END,
};

/* ---- what the tables cannot say: each subcommand's check ---- */

static bool pt_tab(const struct pt_options *o)
{
	return o->output || o->noheadings || o->raw_table;
}

static int pt_check_table(const struct pt_options *o, struct pt_err *err)
{
	if (o->json && pt_tab(o))
		return pt_err_set(err, PT_USAGE,
				  "--json prints every column: no --output, --noheadings or --raw");
	return 0;
}

static int pt_check_dump(struct pt_options *o, struct pt_err *err)
{
	struct pt_table t;
	int ret;

	if ((o->each || o->kpageflags || o->pfn_runs) && !o->range)
		return pt_err_set(err, PT_USAGE, "--each, --kpageflags and --pfn-runs go with --range");
	if (o->child && (o->each || o->kpageflags || o->pfn_runs))
		return pt_err_set(err, PT_USAGE,
				  "--child with --range compares runs: no --each, --kpageflags or --pfn-runs");
	o->all = o->range && !strcmp(o->range, "all");
	if ((pt_tab(o) || o->color != PT_COLOR_AUTO) && (!o->range || o->each))
		return pt_err_set(err, PT_USAGE,
				  "--output, --noheadings, --raw and --color are for runs: not with --addr or --each");
	ret = pt_check_table(o, err);
	if (ret < 0 || !o->output)
		return ret;
	/* an unknown column is a usage error before anything is read */
	return o->child ? pt_cmp_table(&t, o->output, err) :
			  pt_run_table(&t, o->output, o->kpageflags, err);
}

static int pt_check_maps(struct pt_options *o, struct pt_err *err)
{
	return pt_check_table(o, err);
}

static int pt_check_lab(struct pt_options *o, struct pt_err *err)
{
	if (o->random && o->screen)
		return pt_err_set(err, PT_USAGE,
				  "--screen goes with ptinspect lab or replay and a script");
	if (o->random && o->record)
		return pt_err_set(err, PT_USAGE,
				  "--record goes with ptinspect lab, shell and --pid (not --random)");
	return 0;
}

static int pt_check_replay(struct pt_options *o, struct pt_err *err)
{
	if (o->html && (o->script || o->batch || o->screen || o->json))
		return pt_err_set(err, PT_USAGE,
				  "--html goes with ptinspect replay alone (no script, screen or JSON), or learn");
	return 0;
}

static int pt_check_learn(struct pt_options *o, struct pt_err *err)
{
	if ((o->answers || o->html) && !o->lesson)
		return pt_err_set(err, PT_USAGE, "--answers and --html go with a lesson: learn LESSON");
	return 0;
}

/* ---- the subcommands' tables, by PT_SUBCMD_TABLE's rows ---- */

static const struct {
	const char *name;
	const struct pt_opt *opts;
	const char *note;
} pt_subcmds[] = {
#define PT_SUBCMD_ROW(id, name, fn, opts, note) [PT_CMD_##id] = { name, opts, note },
	PT_SUBCMD_TABLE(PT_SUBCMD_ROW)
#undef PT_SUBCMD_ROW
};

static int (*const pt_subcmd_checks[PT_CMD_NR])(struct pt_options *, struct pt_err *) = {
	[PT_CMD_DUMP] = pt_check_dump,
	[PT_CMD_MAPS] = pt_check_maps,
	[PT_CMD_LAB] = pt_check_lab,
	[PT_CMD_REPLAY] = pt_check_replay,
	[PT_CMD_LEARN] = pt_check_learn,
};

void pt_subcmd_usage(FILE *f, bool man)
{
	int i;

	for (i = PT_CMD_NONE + 1; i < PT_CMD_NR; i++)
		pt_opts_usage(f, pt_subcmds[i].name, pt_subcmds[i].opts, pt_subcmds[i].note,
			      i == PT_CMD_NONE + 1, man);
	fputs(man ? ".Nm\n.Fl \\-version\n" : "       ptinspect --version\n", f);
}

static void pt_cols_usage(FILE *f, const char *what, const struct pt_col *c,
			  size_t nr)
{
	size_t i;

	fprintf(f, "COLS of %s: ", what);
	for (i = 0; i < nr; i++)
		fprintf(f, "%s%s", i ? "," : "", c[i].name);
	fputc('\n', f);
}

void pt_options_usage(FILE *f)
{
	pt_subcmd_usage(f, false);
	/* the columns, as -o takes them (--output help explains) */
	pt_cols_usage(f, "maps", pt_maps_cols, pt_maps_nr_cols);
	pt_cols_usage(f, "dump --range", pt_run_cols, pt_run_nr_cols);
	pt_cols_usage(f, "dump --range --child", pt_cmp_cols, pt_cmp_nr_cols);
	fputs("  (+COLS adds to the default; --output help explains each)\n", f);
	fputs("ADDR is hex (0x7f0000001000) or a mapping and offset: heap, heap+0x1000,\n"
	      "stack, libc.so.6+4096.  See ptinspect(8).\n",
	      f);
}

void pt_options_version(FILE *f)
{
	fprintf(f, "ptinspect %s\n", PT_VERSION);
}

/* --output help: the columns of the form the rest of the line chose */
static void pt_cols_help(FILE *f, const struct pt_options *o)
{
	const struct pt_col *c = pt_maps_cols;
	size_t nr = pt_maps_nr_cols;
	const char *what = "maps";

	if (o->cmd == PT_CMD_DUMP && o->child) {
		c = pt_cmp_cols;
		nr = pt_cmp_nr_cols;
		what = "dump --range --child";
	} else if (o->cmd == PT_CMD_DUMP) {
		c = pt_run_cols;
		nr = pt_run_nr_cols;
		what = "dump --range";
	}
	if (!o->man)
		fprintf(f, "Columns of ptinspect %s (-o COL,COL or -o +COL adds to the default):\n",
			what);
	pt_table_help(f, c, nr, o->man);
}

int pt_options_answer(const struct pt_options *o, FILE *f)
{
	switch (o->ask) {
	case PT_ASK_USAGE:
		if (o->cmd == PT_CMD_NONE) {
			pt_options_usage(f);
			break;
		}
		pt_opts_usage(f, pt_subcmds[o->cmd].name, pt_subcmds[o->cmd].opts,
			      pt_subcmds[o->cmd].note, true, false);
		pt_opts_describe(f, pt_subcmds[o->cmd].opts);
		break;
	case PT_ASK_VERSION:
		pt_options_version(f);
		break;
	case PT_ASK_COLUMNS:
		pt_cols_help(f, o);
		break;
	case PT_ASK_RUN:
		break;
	}
	return 0;
}

int pt_options_parse(int argc, char **argv, struct pt_options *o,
		     struct pt_err *err)
{
	struct pt_opts_seen seen;
	const char *name;
	int i, first = 2, ret;

	memset(o, 0, sizeof(*o));
	o->events = PT_PMU_DEFAULT;
	o->interval = 1.0;
	if (argc < 2)
		return pt_err_set(err, PT_USAGE, "no command given (try --help)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		o->ask = PT_ASK_USAGE;
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		o->ask = PT_ASK_VERSION;
		return 0;
	}
	for (i = PT_CMD_NONE + 1; i < PT_CMD_NR; i++)
		if (pt_subcmds[i].name && !strcmp(argv[1], pt_subcmds[i].name))
			o->cmd = (enum pt_command)i;
	if (o->cmd == PT_CMD_NONE && argv[1][0] == '-') {
		o->cmd = PT_CMD_WATCH;	/* ptinspect --pid PID ... */
		first = 1;
	}
	if (o->cmd == PT_CMD_NONE)
		return pt_err_set(err, PT_USAGE, "unknown command '%s' (try --help)", argv[1]);
	name = pt_subcmds[o->cmd].name;
	ret = pt_opts_parse(pt_subcmds[o->cmd].opts, name, argc - first, argv + first, o, &seen,
			    err);
	if (ret < 0)
		return ret;
	if (seen.help || seen.version) {
		o->ask = seen.help ? PT_ASK_USAGE : PT_ASK_VERSION;
		return 0;
	}
	if (o->output && !strcmp(o->output, "help")) {
		o->ask = PT_ASK_COLUMNS;
		return 0;
	}
	ret = pt_opts_required(pt_subcmds[o->cmd].opts, name, &seen, err);
	if (ret < 0)
		return ret;
	return pt_subcmd_checks[o->cmd] ? pt_subcmd_checks[o->cmd](o, err) : 0;
}
