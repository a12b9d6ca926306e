// SPDX-License-Identifier: GPL-2.0
/*
 * The command line: each subcommand's table of options, the parser that
 * returns a one-line error instead of exiting (so it can run twice in one
 * process), and the usage printed from the same tables.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"

#include "options.h"
#include "parseopt.h"

/* parses "ptinspect WORDS..." (space separated, no quoting) */
static int parse(const char *line, struct pt_options *o, struct pt_err *err)
{
	static char buf[512];
	char *argv[32];
	int argc = 0;
	char *p;

	snprintf(buf, sizeof(buf), "ptinspect %s", line);
	for (p = strtok(buf, " "); p && argc < 31; p = strtok(NULL, " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	memset(err, 0, sizeof(*err));
	return pt_options_parse(argc, argv, o, err);
}

/* refused with PT_USAGE and one line containing @want */
static void refused(const char *line, const char *want)
{
	struct pt_options o;
	struct pt_err err;

	if (parse(line, &o, &err) != -PT_USAGE)
		fail_msg("'%s' accepted", line);
	assert_int_equal(err.status, PT_USAGE);
	assert_null(strchr(err.msg, '\n'));
	if (!strstr(err.msg, want))
		fail_msg("'%s': '%s' has no '%s'", line, err.msg, want);
}

static void errors_return_and_the_parser_runs_again(void **state)
{
	struct pt_options o;
	struct pt_err err;

	(void)state;
	/* twice in one process: an exit() would end this test */
	assert_int_equal(parse("dump --pid", &o, &err), -PT_USAGE);
	assert_string_equal(err.msg, "unknown or incomplete option '--pid'");
	assert_int_equal(parse("dump --pid 0 --addr heap", &o, &err), -PT_USAGE);
	assert_string_equal(err.msg, "invalid pid '0'");
	assert_int_equal(parse("dump --pid 12 --addr heap --json", &o, &err), 0);
	assert_int_equal(o.cmd, PT_CMD_DUMP);
	assert_int_equal(o.pid, 12);
	assert_string_equal(o.addr, "heap");
	assert_true(o.json);
	/* a second good parse starts from nothing */
	assert_int_equal(parse("maps --pid 7 --sort=copied -o start,end", &o, &err), 0);
	assert_int_equal(o.cmd, PT_CMD_MAPS);
	assert_int_equal(o.pid, 7);
	assert_false(o.json);
	assert_null(o.addr);
	assert_string_equal(o.output, "start,end");
	assert_int_equal(pt_status_exit_code(PT_USAGE), 2);
}

static void each_subcommand_takes_only_its_options(void **state)
{
	struct pt_options o;
	struct pt_err err;

	(void)state;
	refused("", "");
	refused("frobnicate", "unknown command 'frobnicate' (try --help)");
	refused("dump --pid 1", "dump needs one of --addr ADDR or --range");
	refused("dump --addr heap", "dump needs --pid PID");
	refused("dump --pid 1 --addr heap --sort size", "unknown or incomplete option '--sort'");
	refused("dump --pid 1 --addr heap --record x", "unknown or incomplete option '--record'");
	refused("dump --pid 1 --addr heap --each", "--each, --kpageflags and --pfn-runs go with --range");
	refused("dump --pid 1 --range all -o nosuch", "nosuch");
	refused("dump --pid 1 --range all --json --raw", "--json prints every column");
	refused("maps", "maps needs --pid PID");
	refused("maps --pid 1 --sort nosuch", "invalid --sort 'nosuch'");
	refused("maps --pid 1 --color sometimes", "invalid --color 'sometimes'");
	refused("maps --pid 1 --json=yes", "unknown or incomplete option '--json=yes'");
	refused("decode --level pte", "decode needs RAW");
	refused("decode 0x1", "decode needs --level LEVEL");
	refused("decode --levels 3 --level pte 0x1", "invalid --levels '3' (4 or 5)");
	refused("decode --level pte 0x1 0x2", "unexpected argument '0x2'");
	refused("lab --script fork --scenario thread",
		"--script, --batch and --scenario exclude each other");
	refused("lab --kernel six", "unreadable kernel version 'six'");
	refused("lab --random 0", "invalid number of scripts '0'");
	refused("lab --random 3 --record x", "--record goes with");
	refused("shell --screen x", "unknown or incomplete option '--screen'");
	refused("--interval 9", "--pid PID is needed (try --help)");
	refused("--pid 1 --interval 0.001", "invalid interval '0.001'");
	refused("replay", "replay needs FILE");
	refused("replay a.rec --html x.html --json", "--html goes with ptinspect replay alone");
	refused("learn --answers a", "--answers and --html go with a lesson");
	refused("help nosuchtopic", "help knows 'synopsis', not 'nosuchtopic'");
	refused("subject --json", "unknown or incomplete option '--json'");

	assert_int_equal(parse("decode --arch arm64 --level pte 0x1 --json", &o, &err), 0);
	assert_string_equal(o.raw, "0x1");
	assert_string_equal(o.arch, "arm64");
	assert_int_equal(parse("lab --kind thp -e minor-faults --script fork;exit --kernel 6.12",
			       &o, &err), 0);
	assert_string_equal(o.events, "minor-faults");
	assert_string_equal(o.kernel, "6.12");
	assert_int_equal(parse("lab --random 5 --seed 0x10 --kind anon,thp", &o, &err), 0);
	assert_int_equal(o.random, 5);
	assert_true(o.has_seed);
	assert_int_equal(o.seed, 16);
	assert_int_equal(parse("--pid 3 --count 2 --interval 0.5 --no-trace", &o, &err), 0);
	assert_int_equal(o.cmd, PT_CMD_WATCH);
	assert_int_equal(o.count, 2);
	assert_true(o.no_trace);
	assert_int_equal(parse("replay x.rec --screen s --script step", &o, &err), 0);
	assert_string_equal(o.file, "x.rec");
	assert_int_equal(parse("learn cow --json", &o, &err), 0);
	assert_string_equal(o.lesson, "cow");
	assert_int_equal(parse("help synopsis --man", &o, &err), 0);
	assert_string_equal(o.topic, "synopsis");
	assert_true(o.man);
	assert_int_equal(parse("dump --pid 1 -- --odd-name", &o, &err), -PT_USAGE);
}

/* --help, --version and --output help are asked, not done, by the parser */
static void help_is_an_answer_not_an_exit(void **state)
{
	struct pt_options o;
	struct pt_err err;

	(void)state;
	assert_int_equal(parse("--help", &o, &err), 0);
	assert_int_equal(o.ask, PT_ASK_USAGE);
	assert_int_equal(parse("dump --help", &o, &err), 0);
	assert_int_equal(o.ask, PT_ASK_USAGE);
	assert_int_equal(o.cmd, PT_CMD_DUMP);
	assert_int_equal(parse("-V", &o, &err), 0);
	assert_int_equal(o.ask, PT_ASK_VERSION);
	/* before --pid is missed: gen-man.sh asks it so */
	assert_int_equal(parse("dump --child 1 --output help --man", &o, &err), 0);
	assert_int_equal(o.ask, PT_ASK_COLUMNS);
	assert_int_equal(o.child, 1);
	assert_int_equal(parse("lab --help", &o, &err), 0);
	assert_int_equal(o.ask, PT_ASK_USAGE);
}

static char *printed(void (*fn)(FILE *, const struct pt_options *), const struct pt_options *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	fn(f, o);
	fclose(f);
	return buf;
}

static void answer(FILE *f, const struct pt_options *o)
{
	pt_options_answer(o, f);
}

static void synopsis(FILE *f, const struct pt_options *o)
{
	pt_subcmd_usage(f, o->man);
}

/* every shown option of a subcommand is in its usage, its --help and the man synopsis */
static void usage_and_synopsis_come_from_the_tables(void **state)
{
	static const struct {
		const char *line;
		const struct pt_opt *opts;
	} subs[] = {
		{ "dump --help", pt_opts_dump }, { "maps --help", pt_opts_maps },
		{ "decode --help", pt_opts_decode }, { "bits --help", pt_opts_bits },
		{ "lab --help", pt_opts_lab }, { "shell --help", pt_opts_shell },
		{ "--pid 1 --help", pt_opts_watch }, { "replay --help", pt_opts_replay },
		{ "learn --help", pt_opts_learn },
	};
	struct pt_options o, man = { .man = true };
	struct pt_err err;
	char *syn = printed(synopsis, &man), want[128];
	const char *p;
	size_t i, k;

	(void)state;
	for (i = 0; i < sizeof(subs) / sizeof(subs[0]); i++) {
		char *out;

		assert_int_equal(parse(subs[i].line, &o, &err), 0);
		out = printed(answer, &o);
		assert_true(!strncmp(out, "usage: ptinspect", 16));
		for (k = 0; subs[i].opts[k].kind != PT_OPT_END; k++) {
			const struct pt_opt *r = &subs[i].opts[k];

			if (r->flags & PT_OPT_HIDDEN) {
				snprintf(want, sizeof(want), "--%s", r->name);
				assert_null(strstr(out, want));
				continue;
			}
			if (r->kind == PT_OPT_ARG) {
				assert_non_null(strstr(out, r->arg));
				continue;
			}
			snprintf(want, sizeof(want), "--%s", r->name);
			if (!strstr(out, want))
				fail_msg("%s: no %s in\n%s", subs[i].line, want, out);
			/* the option's help line */
			if (r->help && !strstr(out, r->help))
				fail_msg("%s: no help for %s", subs[i].line, want);
			/* mdoc: dashes escaped */
			snprintf(want, sizeof(want), "\\-");
			for (p = r->name; *p; p++)
				snprintf(want + strlen(want), sizeof(want) - strlen(want),
					 *p == '-' ? "\\-" : "%c", *p);
			if (!strstr(syn, want))
				fail_msg("synopsis has no %s", want);
		}
		free(out);
	}
	free(syn);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(errors_return_and_the_parser_runs_again),
		cmocka_unit_test(each_subcommand_takes_only_its_options),
		cmocka_unit_test(help_is_an_answer_not_an_exit),
		cmocka_unit_test(usage_and_synopsis_come_from_the_tables),
	};

	PT_RUN_TESTS("options", tests);
}
