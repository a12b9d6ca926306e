/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Watching a process the user already has (ptinspect --pid): a step at
 * each fork, exec and exit while tracing it (trace.h), and a look every
 * interval; children made after the start are followed, one of them shown
 * in the lab's child column (the newest, until `child` picks another;
 * the living children are lab->kids).
 * Without tracing (refused, or --no-trace) children are found by polling.
 * A look whose step a page fault in the watched page explains is labelled
 * with it ("write fault at 0x... in child 42"), else it stays "refresh".
 */
#ifndef PT_FOLLOW_H
#define PT_FOLLOW_H

#include <stdbool.h>
#include <time.h>

#include "faults.h"
#include "lab.h"
#include "trace.h"

struct pt_follow {
	struct pt_lab *lab;	/* borrowed, attached */
	struct pt_tracer tr;
	bool tracing;
	char note[512];		/* why it polls when tracing was asked for,
				 * why faults are not recorded */
	struct pt_faults faults;	/* label refresh steps (faults.h) */
	struct pt_faults_sum pending;	/* faults since the last step */
	int pending_looks;	/* looks since a watched-page fault, no step */
	int interval_ms;
	struct timespec next_look;
};

/*
 * @lab attached to its process (pt_lab_attach); @trace: try tracing.  It
 * cannot fail: what it cannot do (trace, record faults) it says in
 * f->note, and the watch falls back to polling.
 */
void pt_follow_start(struct pt_follow *f, struct pt_lab *lab, bool trace, double interval);
/* Waits up to @timeout_ms; 1: steps were added, 0: none, negative: error. */
int pt_follow_tick(struct pt_follow *f, int timeout_ms, struct pt_err *err);
void pt_follow_stop(struct pt_follow *f);

#endif
