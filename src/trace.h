/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Following a process the user already has (ptinspect --pid) as its
 * tracer.  Every thread is seized (PTRACE_SEIZE) with TRACEFORK, VFORK,
 * CLONE, EXEC and EXIT, so that a fork is reported while the parent and
 * its new child are both stopped: the one moment both sides' page tables
 * can be read as fork() left them.  The caller reads them, then asks for
 * the next event, which first lets the held processes run again.
 *
 * Only the process named and its direct children are followed; a child's
 * own children are let go at their first stop.  Signals are passed on
 * as they came, group stops are listened through (PTRACE_LISTEN), so the
 * target behaves as it would untraced, only slower at fork, exec and exit.
 *
 * SIGCHLD is blocked in the calling thread between pt_trace_attach() and
 * pt_trace_detach(): it is what pt_trace_next() sleeps on.
 */
#ifndef PT_TRACE_H
#define PT_TRACE_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "status.h"

enum pt_trace_kind {
	PT_TRACE_NONE,		/* the wait timed out */
	PT_TRACE_FORK,		/* @pid forked @child: both stopped */
	PT_TRACE_VFORK,		/* as FORK; the child borrows the parent's mm */
	PT_TRACE_EXEC,		/* @pid has a new mm: stopped */
	PT_TRACE_EXIT,		/* @pid is exiting, its mm still there: stopped */
	PT_TRACE_GONE,		/* @pid has exited (@status, a wait status) */
};

struct pt_trace_event {
	enum pt_trace_kind kind;
	pid_t pid;		/* the process (thread group) */
	pid_t tid;		/* its thread that did it */
	pid_t child;		/* FORK, VFORK: the new process */
	int status;		/* GONE */
};

struct pt_tracee {
	pid_t tid, tgid;
	int state;		/* running, parked, expected (trace.c) */
};

struct pt_tracer {
	pid_t root;		/* the process named */
	/* every thread of the root and of its children: no fixed number */
	struct pt_tracee *t;
	size_t nr, cap;
	pid_t held[2];		/* stopped for the last event, to resume */
	sigset_t old_mask;
	bool attached;
};

/* Human name of an event kind ("fork", "exit"...). */
const char *pt_trace_kind_name(enum pt_trace_kind k);

/*
 * Seizes every thread of @pid.  On refusal, a negative status with a line
 * that says why (ptrace_scope, another tracer, permissions); nothing stays
 * attached then.
 */
int pt_trace_attach(struct pt_tracer *t, pid_t pid, struct pt_err *err);
/*
 * Resumes what the last event held, then waits up to @timeout_ms (0: do
 * not wait, -1: forever) for the next event of the root or of one of its
 * children.  1: @ev is an event; 0: none came; negative: tracing failed.
 */
int pt_trace_next(struct pt_tracer *t, int timeout_ms,
		  struct pt_trace_event *ev, struct pt_err *err);
/* Lets every tracee go, running; unblocks SIGCHLD; frees the list. */
void pt_trace_detach(struct pt_tracer *t);

#endif
