// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "mapsview.h"
#include "pmu.h"
#include "rangedump.h"
#include "version.h"

static const char *const pt_subcmd_names[] = {
#define PT_SUBCMD_NAME(id, name, fn, usage, synopsis) [PT_CMD_##id] = name,
	PT_SUBCMD_TABLE(PT_SUBCMD_NAME)
#undef PT_SUBCMD_NAME
};

static const struct {
	const char *name, *usage, *synopsis;
} pt_subcmds[] = {
#define PT_SUBCMD_ROW(id, name, fn, usage, synopsis) [PT_CMD_##id] = { name, usage, synopsis },
	PT_SUBCMD_TABLE(PT_SUBCMD_ROW)
#undef PT_SUBCMD_ROW
};

static void pt_usage_form(FILE *f, bool first, const char *name, const char *form, int len)
{
	fprintf(f, "%s ptinspect %s%s%.*s\n", first ? "usage:" : "      ", name ? name : "",
		name ? " " : "", len, form);
}

void pt_subcmd_usage(FILE *f, bool man)
{
	bool first = true;
	const char *p, *name;
	int i, len;

	for (i = PT_CMD_NONE + 1; i < PT_CMD_NR; i++) {
		name = pt_subcmds[i].name;
		p = man ? pt_subcmds[i].synopsis : pt_subcmds[i].usage;
		if (man) {
			fprintf(f, ".Nm\n");
			if (name)
				fprintf(f, ".Cm %s\n", name);
		}
		while (*p) {
			len = (int)strcspn(p, "\n");
			if (man && len == 1 && *p == '+')
				fprintf(f, ".Nm\n.Cm %s\n", name);
			else if (man)
				fprintf(f, "%.*s\n", len, p);
			else if (*p == '\t')
				/* under the form's first option */
				fprintf(f, "%*s%.*s\n", 17 + (name ? (int)strlen(name) + 1 : 0), "",
					len - 1, p + 1);
			else
				pt_usage_form(f, first, name, p, len);
			first = false;
			p += len + (p[len] == '\n');
		}
	}
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

/* --output help: the columns of the form the rest of the line chose */
static void pt_cols_help(const struct pt_options *o)
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
		printf("Columns of ptinspect %s (-o COL,COL or -o +COL adds to the default):\n",
		       what);
	pt_table_help(stdout, c, nr, o->man);
	exit(0);
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

int pt_options_parse(int argc, char **argv, struct pt_options *o,
		     struct pt_err *err)
{
	static const struct option longopts[] = {
		{ "pid", required_argument, NULL, 'p' },
		{ "child", required_argument, NULL, 'c' },
		{ "addr", required_argument, NULL, 'a' },
		{ "range", required_argument, NULL, 'r' },
		{ "json", no_argument, NULL, 'j' },
		{ "each", no_argument, NULL, 'E' },
		{ "kpageflags", no_argument, NULL, 'F' },
		{ "pfn-runs", no_argument, NULL, 'P' },
		{ "backend", required_argument, NULL, 'b' },
		{ "arch", required_argument, NULL, 'A' },
		{ "kernel", required_argument, NULL, 'k' },
		{ "level", required_argument, NULL, 'l' },
		{ "levels", required_argument, NULL, 'L' },
		{ "man", no_argument, NULL, 'm' },
		{ "kind", required_argument, NULL, 'K' },
		{ "script", required_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'B' },
		{ "screen", required_argument, NULL, 'T' },
		{ "html", required_argument, NULL, 'H' },
		{ "events", required_argument, NULL, 'e' },
		{ "interval", required_argument, NULL, 'i' },
		{ "count", required_argument, NULL, 'n' },
		{ "no-trace", no_argument, NULL, 'N' },
		{ "expect", required_argument, NULL, 'X' },
		{ "scenario", required_argument, NULL, 'S' },
		{ "random", required_argument, NULL, 'R' },
		{ "seed", required_argument, NULL, 'D' },
		{ "record", required_argument, NULL, 'W' },
		{ "answers", required_argument, NULL, 'Q' },
		{ "output", required_argument, NULL, 'o' },
		{ "noheadings", no_argument, NULL, 'Z' },
		{ "raw", no_argument, NULL, 'w' },
		{ "color", required_argument, NULL, 'C' },
		{ "sort", required_argument, NULL, 'O' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int i;
	int c, ret;
	bool tab;

	memset(o, 0, sizeof(*o));
	if (argc < 2)
		return pt_err_set(err, PT_USAGE, "no command given (try --help)");
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		pt_options_usage(stdout);
		exit(0);
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		pt_options_version(stdout);
		exit(0);
	}
	o->events = PT_PMU_DEFAULT;
	o->interval = 1.0;
	for (i = PT_CMD_NONE + 1; i < PT_CMD_NR; i++)
		if (pt_subcmd_names[i] && !strcmp(argv[1], pt_subcmd_names[i]))
			o->cmd = (enum pt_command)i;
	optind = 2;
	if (o->cmd == PT_CMD_NONE && argv[1][0] == '-') {
		o->cmd = PT_CMD_WATCH;	/* ptinspect --pid PID ... */
		optind = 1;
	}
	if (o->cmd == PT_CMD_NONE)
		return pt_err_set(err, PT_USAGE, "unknown command '%s' (try --help)",
				  argv[1]);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "p:c:a:r:jb:A:k:l:L:mhVK:s:B:T:e:i:n:X:S:W:EFPNo:", longopts,
				NULL)) != -1) {
		switch (c) {
		case 'p':
			ret = pt_pid_parse(optarg, &o->pid, err);
			if (ret < 0)
				return ret;
			break;
		case 'c':
			ret = pt_pid_parse(optarg, &o->child, err);
			if (ret < 0)
				return ret;
			break;
		case 'a':
			o->addr = optarg;
			break;
		case 'r':
			o->range = optarg;
			break;
		case 'j':
			o->json = true;
			break;
		case 'E':
			o->each = true;
			break;
		case 'F':
			o->kpageflags = true;
			break;
		case 'P':
			o->pfn_runs = true;
			break;
		case 'b':
			if (pt_backend_parse(optarg, &o->backend) < 0)
				return pt_err_set(err, PT_USAGE,
						  "unknown backend '%s' (auto, kmod or pagemap)",
						  optarg);
			break;
		case 'A':
			o->arch = optarg;
			break;
		case 'k':
			o->kernel = optarg;
			break;
		case 'l':
			o->level = optarg;
			break;
		case 'L':
			/* the running kernel's level count, as the module says it */
			if (strcmp(optarg, "4") && strcmp(optarg, "5"))
				return pt_err_set(err, PT_USAGE,
						  "invalid --levels '%s' (4 or 5)", optarg);
			o->levels = optarg[0] - '0';
			break;
		case 'm':
			o->man = true;
			break;
		case 'K':
			o->kind = optarg;
			break;
		case 's':
			o->script = optarg;
			break;
		case 'B':
			o->batch = optarg;
			break;
		case 'W':
			o->record = optarg;
			break;
		case 'T':
			o->screen = optarg;
			break;
		case 'Q':
			o->answers = optarg;
			break;
		case 'H':
			o->html = optarg;
			break;
		case 'e':
			o->events = optarg;
			break;
		case 'i': {
			char *end;

			o->interval = strtod(optarg, &end);
			if (*end || !(o->interval >= 0.05 && o->interval <= 3600))
				return pt_err_set(err, PT_USAGE,
						  "invalid interval '%s' (seconds, 0.05 to 3600)",
						  optarg);
			break;
		}
		case 'n': {
			char *end;

			o->count = strtol(optarg, &end, 10);
			if (*end || o->count < 0)
				return pt_err_set(err, PT_USAGE, "invalid count '%s'", optarg);
			break;
		}
		case 'N':
			o->no_trace = true;
			break;
		case 'X':
			o->expect = optarg;
			break;
		case 'S':
			o->scenario = optarg;
			break;
		case 'R':
		case 'D': {
			char *end;
			unsigned long long v;

			errno = 0;
			v = strtoull(optarg, &end, 0);
			if (errno || *end || end == optarg || optarg[0] == '-' ||
			    (c == 'R' && (v < 1 || v > 100000)))
				return pt_err_set(err, PT_USAGE, "invalid %s '%s'",
						  c == 'R' ? "number of scripts" : "seed", optarg);
			if (c == 'R')
				o->random = (long)v;
			else
				o->seed = v, o->has_seed = true;
			break;
		}
		case 'o':
			o->output = optarg;
			break;
		case 'Z':
			o->noheadings = true;
			break;
		case 'w':
			o->raw_table = true;
			break;
		case 'C':
			/* WHEN is required: `--color auto` and `--color=auto` alike */
			if (pt_color_parse(optarg, &o->color) < 0)
				return pt_err_set(err, PT_USAGE,
						  "invalid --color '%s' (auto, always or never)",
						  optarg);
			break;
		case 'O': {
			char keys[128];

			o->sort = pt_vmalist_sort_parse(optarg);
			if (o->sort < 0)
				return pt_err_set(err, PT_USAGE,
						  "invalid --sort '%s' (one of: %s)", optarg,
						  pt_vmalist_sort_names(keys, sizeof(keys)));
			if (o->cmd != PT_CMD_MAPS)
				return pt_err_set(err, PT_USAGE, "--sort goes with maps");
			break;
		}
		case 'h':
			pt_options_usage(stdout);
			exit(0);
		case 'V':
			pt_options_version(stdout);
			exit(0);
		default:
			return pt_err_set(err, PT_USAGE, "unknown or incomplete option '%s'",
					  argv[optind - 1]);
		}
	}
	if (o->cmd == PT_CMD_DECODE) {
		if (optind != argc - 1 || !o->level)
			return pt_err_set(err, PT_USAGE,
					  "decode takes --level LEVEL and one raw entry");
		o->raw = argv[optind];
		return 0;
	}
	if (o->cmd == PT_CMD_REPLAY) {
		if (optind != argc - 1)
			return pt_err_set(err, PT_USAGE, "replay takes one recording");
		o->file = argv[optind++];
	}
	if (o->cmd == PT_CMD_LEARN && optind == argc - 1)
		o->lesson = argv[optind++];
	if (o->cmd == PT_CMD_HELP && optind == argc - 1) {
		if (strcmp(argv[optind], "synopsis"))
			return pt_err_set(err, PT_USAGE, "help knows 'synopsis', not '%s'",
					  argv[optind]);
		o->topic = argv[optind++];
	}
	if (optind != argc)
		return pt_err_set(err, PT_USAGE, "unexpected argument '%s'",
				  argv[optind]);
	if (o->kernel && (o->cmd == PT_CMD_LAB || o->cmd == PT_CMD_SHELL)) {
		unsigned int a, b;
		int n = 0;

		/* the version the rows are chosen for: X.Y, or a release */
		if (sscanf(o->kernel, "%u.%u%n", &a, &b, &n) != 2 || a > 255 || b > 255 ||
		    (o->kernel[n] && o->kernel[n] != '.' && o->kernel[n] != '-'))
			return pt_err_set(err, PT_USAGE,
					  "unreadable kernel version '%s' (like 6.12)", o->kernel);
	}
	if (o->kernel && o->cmd != PT_CMD_LAB && o->cmd != PT_CMD_SHELL &&
	    o->cmd != PT_CMD_DECODE && o->cmd != PT_CMD_BITS)
		return pt_err_set(err, PT_USAGE, "--kernel goes with decode, bits, lab and shell");
	if (o->cmd == PT_CMD_WATCH && !o->pid)
		return pt_err_set(err, PT_USAGE, "--pid PID is needed (try --help)");
	if (o->screen && ((o->cmd != PT_CMD_LAB && o->cmd != PT_CMD_REPLAY) || o->random))
		return pt_err_set(err, PT_USAGE,
				  "--screen goes with ptinspect lab or replay and a script");
	if (o->html && o->cmd != PT_CMD_LEARN &&
	    (o->cmd != PT_CMD_REPLAY || o->script || o->batch || o->screen || o->json))
		return pt_err_set(err, PT_USAGE,
				  "--html goes with ptinspect replay alone (no script, screen or JSON), or learn");
	if ((o->answers || o->html) && o->cmd == PT_CMD_LEARN && !o->lesson)
		return pt_err_set(err, PT_USAGE, "--answers and --html go with a lesson: learn LESSON");
	if (o->answers && o->cmd != PT_CMD_LEARN)
		return pt_err_set(err, PT_USAGE, "--answers goes with ptinspect learn LESSON");
	if (o->record && ((o->cmd != PT_CMD_LAB && o->cmd != PT_CMD_SHELL &&
			   o->cmd != PT_CMD_WATCH && o->cmd != PT_CMD_LEARN) || o->random))
		return pt_err_set(err, PT_USAGE,
				  "--record goes with ptinspect lab, shell and --pid (not --random)");
	if (!!o->script + !!o->batch + !!o->scenario > 1)
		return pt_err_set(err, PT_USAGE,
				  "--script, --batch and --scenario exclude each other");
	tab = o->output || o->noheadings || o->raw_table;
	if ((tab || o->color != PT_COLOR_AUTO) && o->cmd != PT_CMD_MAPS &&
	    o->cmd != PT_CMD_DUMP)
		return pt_err_set(err, PT_USAGE,
				  "--output, --noheadings, --raw and --color go with maps and dump --range");
	if ((o->cmd == PT_CMD_MAPS || o->cmd == PT_CMD_DUMP) && o->output &&
	    !strcmp(o->output, "help"))
		pt_cols_help(o);
	if (o->json && tab && (o->cmd == PT_CMD_MAPS || o->cmd == PT_CMD_DUMP))
		return pt_err_set(err, PT_USAGE,
				  "--json prints every column: no --output, --noheadings or --raw");
	if (o->cmd == PT_CMD_MAPS && !o->pid)
		return pt_err_set(err, PT_USAGE, "maps needs --pid PID");
	if (o->cmd == PT_CMD_DUMP) {
		if (!o->pid)
			return pt_err_set(err, PT_USAGE, "dump needs --pid PID");
		if (!o->addr == !o->range)
			return pt_err_set(err, PT_USAGE,
					  "dump needs one of --addr ADDR or --range START-END");
		if ((o->each || o->kpageflags || o->pfn_runs) && !o->range)
			return pt_err_set(err, PT_USAGE,
					  "--each, --kpageflags and --pfn-runs go with --range");
		if (o->child && (o->each || o->kpageflags || o->pfn_runs))
			return pt_err_set(err, PT_USAGE,
					  "--child with --range compares runs: no --each, --kpageflags or --pfn-runs");
		o->all = o->range && !strcmp(o->range, "all");
		if ((tab || o->color != PT_COLOR_AUTO) && (!o->range || o->each))
			return pt_err_set(err, PT_USAGE,
					  "--output, --noheadings, --raw and --color are for runs: not with --addr or --each");
		/* an unknown column is a usage error before anything is read */
		if (o->output) {
			struct pt_table t;

			ret = o->child ? pt_cmp_table(&t, o->output, err) :
					 pt_run_table(&t, o->output, o->kpageflags, err);
			if (ret < 0)
				return ret;
		}
	}
	return 0;
}
