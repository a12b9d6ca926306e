// SPDX-License-Identifier: GPL-2.0
/*
 * ptinspect replay FILE: a recording (record.h) as a lab whose steps come
 * from the file: the TUI on a terminal, else every step as text or JSON,
 * or a script's lines through the interpreter.  No process is read, so no
 * root and no module; the recorded layout decodes the entries.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "htmlview.h"
#include "lineview.h"
#include "options.h"
#include "record.h"
#include "sub_lab.h"

/* --html OUT: the page, or no file at all when it cannot be written whole */
static int pt_replay_html(const struct pt_options *o, struct pt_lab *lab, struct pt_err *err)
{
	const char *name = strrchr(o->file, '/');
	struct stat in, out;
	FILE *f;
	int ret;

	/* the recording is already read, but a typo must not overwrite it */
	if (!stat(o->file, &in) && !stat(o->html, &out) && in.st_dev == out.st_dev &&
	    in.st_ino == out.st_ino)
		return pt_err_set(err, PT_USAGE, "--html %s would overwrite the recording", o->html);
	f = fopen(o->html, "we");
	if (!f)
		return pt_err_set(err, PT_USAGE, "cannot write %s: %s", o->html, strerror(errno));
	ret = pt_html_write(f, lab, name && name[1] ? name + 1 : o->file, err);
	if (ferror(f) && ret == 0)
		ret = pt_err_set(err, PT_USAGE, "cannot write %s: %s", o->html, strerror(errno));
	if (fclose(f) && ret == 0)
		ret = pt_err_set(err, PT_USAGE, "cannot write %s: %s", o->html, strerror(errno));
	if (ret < 0)
		unlink(o->html);
	return ret;
}

int pt_cmd_replay(const struct pt_options *o, struct pt_err *err)
{
	struct pt_replay rp;
	struct pt_lab_script sc = { .json = o->json, .err = err };
	char *script = NULL;
	size_t i;
	int ret;

	if (o->batch) {
		script = pt_slurp(o->batch, err);
		if (!script)
			return -err->status;
	}
	ret = pt_replay_load(o->file, &rp, err);
	if (ret < 0 && err->status != PT_BAD_RECORDING) {
		free(script);
		return ret;
	}
	if (ret < 0) {
		/* one line that names the file */
		char why[sizeof(err->msg) - 64];

		snprintf(why, sizeof(why), "%.300s", err->msg);
		pt_err_set(err, PT_BAD_RECORDING, "%.200s: %s", o->file, why);
		free(script);
		return ret;
	}
	sc.lab = rp.lab;
	if (o->html) {
		ret = pt_replay_html(o, rp.lab, err);
		goto out_free;
	}
	if (o->screen) {
		sc.screen = fopen(o->screen, "w");
		if (!sc.screen) {
			ret = pt_err_set(err, PT_USAGE, "cannot write %s: %s", o->screen,
					 strerror(errno));
			goto out_free;
		}
	}
	if (script || o->script || sc.screen || (isatty(0) && isatty(1) && !o->json)) {
		ret = pt_lab_play(rp.lab, script ? script : o->script ? o->script : "", o->json,
				  &sc);
	} else {
		/* as the live session printed them: every step in order */
		for (i = 0; i < rp.lab->nr_steps; i++)
			pt_lineview_step(stdout, rp.lab, i, o->json);
		fflush(stdout);
		ret = 0;
	}
	if (sc.screen && fclose(sc.screen) && ret == 0)
		ret = pt_err_set(err, PT_USAGE, "cannot write %s: %s", o->screen, strerror(errno));
out_free:
	pt_replay_free(&rp);
	free(script);
	return ret;
}
