// SPDX-License-Identifier: GPL-2.0
/* ptinspect --pid PID: watch a process the user has, in the TUI or as lines. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "addr.h"
#include "follow.h"
#include "lab.h"
#include "lineview.h"
#include "options.h"
#include "procfs.h"
#include "sub_lab.h"
#include "ui.h"

static volatile sig_atomic_t pt_watch_stop;

static void pt_watch_sig(int sig)
{
	(void)sig;
	pt_watch_stop = 1;
}

/* The first child of @pid, from /proc/PID/task/PID/children; 0: none. */
static pid_t pt_first_child(pid_t pid)
{
	char path[64];
	int c = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/children", (int)pid, (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (fscanf(f, "%d", &c) != 1)
		c = 0;
	fclose(f);
	return c;
}

int pt_cmd_watch(const struct pt_options *o, struct pt_err *err)
{
	struct pt_source *src = calloc(1, sizeof(*src));
	struct pt_lab *lab = calloc(1, sizeof(*lab));
	struct pt_follow *f = calloc(1, sizeof(*f));
	struct pt_record *rec = NULL;
	struct pt_maps m;
	uint64_t addr;
	pid_t child;
	long looks = 0;
	int ret;

	if (!src || !lab || !f) {
		ret = pt_err_set(err, PT_NO_MEM, "out of memory");
		goto out_free;
	}
	ret = pt_proc_check(o->pid, err);
	if (ret < 0)
		goto out_free;
	ret = pt_maps_read(o->pid, &m, err);
	if (ret < 0)
		goto out_free;
	/* the first writable private mapping when no address is given */
	ret = o->addr ? pt_addr_parse(o->addr, &m, &addr, err) :
			pt_addr_parse("heap", &m, &addr, err);
	if (ret < 0 && !o->addr && m.nr) {
		addr = m.rows[0].start;
		ret = 0;
	}
	pt_maps_free(&m);
	if (ret < 0)
		goto out_free;
	child = o->child ? o->child : pt_first_child(o->pid);
	ret = pt_source_open(src, o->backend, err);
	if (ret < 0)
		goto out_free;
	/* what a process the user has did is not explained: no rows model it */
	if (o->record) {
		ret = pt_record_open(&rec, o->record, err);
		if (ret == 0)
			ret = pt_lab_observe(lab, pt_record_step, rec, err);
		if (ret < 0)
			goto out_close;
	}
	ret = pt_lab_attach(lab, src, o->pid, child, addr, o->events, err);
	if (ret < 0)
		goto out_close;
	pt_follow_start(f, lab, !o->no_trace, o->interval);
	if (isatty(0) && isatty(1) && !o->json) {
		ret = pt_ui_watch(lab, f, err);
	} else {
		struct sigaction sa = { .sa_handler = pt_watch_sig };

		/* no SA_RESTART: a signal ends the wait for the next event */
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
		if (f->note[0])
			fprintf(stderr, "ptinspect: %s\n", f->note);
		pt_lineview_step(stdout, lab, lab->nr_steps - 1, o->json);
		fflush(stdout);
		ret = 0;
		while (!pt_watch_stop && (!o->count || ++looks < o->count)) {
			size_t before = lab->nr_steps, i;

			ret = pt_follow_tick(f, -1, err);
			if (ret < 0)
				break;
			ret = 0;
			if (lab->nr_steps == before)
				continue;
			/* every new step, a fork's and its child's exit alike */
			for (i = before; i < lab->nr_steps; i++)
				pt_lineview_step(stdout, lab, i, o->json);
			fflush(stdout);
			/* a process that exited is shown once as exited */
			if (!lab->steps[lab->nr_steps - 1].proc[0].walked)
				break;
		}
	}
	/* the process runs on untraced whatever ended the watch */
	pt_follow_stop(f);
	pt_lab_notes(src, lab);
	pt_lab_stop(lab);
out_close:
	pt_source_close(src);
out_free:
	ret = pt_lab_record_close(rec, ret, err);
	free(f);
	free(lab);
	free(src);
	return ret;
}

