// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the lines of --script and --batch.  The input is a
 * script (';' and newlines separate commands, '#' starts a comment): each
 * command is parsed as ptinspect checks a script before it runs, then the
 * script runs through the interpreter and the line view on a replay of
 * tests/fuzz/replay.rec (no process: events are refused, stepping, dumps,
 * maps and screens run).  Run by tests/fuzz/run.sh (ASan, UBSan).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explain.h"
#include "interp.h"
#include "lab.h"
#include "lang.h"
#include "lineview.h"
#include "record.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the replay, read once; each input starts from its lab as read */
static struct pt_replay pt_fuzz_rp;
static struct pt_lab pt_fuzz_lab0;
static FILE *pt_fuzz_null;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct pt_err err = { 0 };

	(void)argc;
	(void)argv;
	pt_fuzz_null = fopen("/dev/null", "w");
	if (!pt_fuzz_null || pt_explain_init(&err) ||
	    pt_replay_load(PT_FUZZ_REPLAY, &pt_fuzz_rp, &err)) {
		fprintf(stderr, "cannot set up: %s\n", err.msg);
		exit(1);
	}
	pt_fuzz_lab0 = *pt_fuzz_rp.lab;
	return 0;
}

static int pt_fuzz_check(const char *line, void *arg)
{
	struct pt_cmd cmd;

	(void)pt_cmd_parse(line, &cmd, arg);
	return 0;
}

struct pt_fuzz_run {
	struct pt_lab *lab;
	struct pt_cursor at;	/* the lines' view: each input starts on step 1 */
	struct pt_err *err;
};

static int pt_fuzz_line(const char *line, void *arg)
{
	struct pt_fuzz_run *r = arg;
	struct pt_did did;

	if (pt_interp_line(r->lab, &r->at, line, &did, r->err) < 0)
		return 0;
	pt_lineview_react(pt_fuzz_null, r->lab, &r->at, &did, line[0] & 1, r->err);
	return did.flags & PT_DID_QUIT ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pt_lab *lab = pt_fuzz_rp.lab;
	struct pt_err err;
	struct pt_fuzz_run r = { .lab = lab, .err = &err };
	char *script = malloc(size + 1);

	if (!script)
		return 0;
	memcpy(script, data, size);
	script[size] = '\0';
	pt_cmd_foreach(script, pt_fuzz_check, &err);
	pt_cmd_foreach(script, pt_fuzz_line, &r);
	/* the maps list is the view's, the interpreter's to free */
	pt_cursor_close(&r.at);
	if (lab->steps != pt_fuzz_lab0.steps || lab->nr_steps != pt_fuzz_lab0.nr_steps) {
		fprintf(stderr, "a replay's steps changed\n");
		abort();
	}
	*lab = pt_fuzz_lab0;
	free(script);
	return 0;
}
