// SPDX-License-Identifier: GPL-2.0
/* Following a process's forks as its tracer; see trace.h. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "grow.h"
#include "procfs.h"
#include "trace.h"

/* sys/ptrace.h of older C libraries lacks the seize-era names */
#ifndef PTRACE_EVENT_STOP
#define PTRACE_EVENT_STOP 128
#endif

#define PT_TRACE_OPTS                                                          \
	(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE |      \
	 PTRACE_O_TRACEEXEC | PTRACE_O_TRACEEXIT)

/*
 * A new task's first stop and its creator's fork or clone event come in
 * either order: a task seen before its creator's event is parked (kept
 * stopped) so a fork is still reported with both sides stopped.
 */
enum {
	PT_TR_RUNNING,
	PT_TR_PARKED,		/* first stop seen, creator's event not yet */
	PT_TR_EXPECTED,		/* creator's event seen, first stop not yet */
};

static const char *const pt_trace_names[] = {
	[PT_TRACE_NONE] = "none",   [PT_TRACE_FORK] = "fork",
	[PT_TRACE_VFORK] = "vfork", [PT_TRACE_EXEC] = "exec",
	[PT_TRACE_EXIT] = "exit",   [PT_TRACE_GONE] = "gone",
};

const char *pt_trace_kind_name(enum pt_trace_kind k)
{
	return (unsigned int)k < sizeof(pt_trace_names) / sizeof(pt_trace_names[0]) ?
		       pt_trace_names[k] : "?";
}

static int pt_tr_find(const struct pt_tracer *t, pid_t tid)
{
	size_t i;

	for (i = 0; i < t->nr; i++)
		if (t->t[i].tid == tid)
			return (int)i;
	return -1;
}

/* The thread group of @tid, from /proc; 0 when it is gone. */
static pid_t pt_tr_tgid(pid_t tid)
{
	uint64_t tgid;

	return pt_proc_status_u64(tid, "Tgid:", &tgid) ? 0 : (pid_t)tgid;
}

/* -1: no memory for one more, and the caller lets @tid go */
static int pt_tr_add(struct pt_tracer *t, pid_t tid, pid_t tgid, int state)
{
	if (pt_grow(&t->t, &t->cap, t->nr, sizeof(t->t[0]), 64))
		return -1;
	t->t[t->nr].tid = tid;
	t->t[t->nr].tgid = tgid;
	t->t[t->nr].state = state;
	return (int)t->nr++;
}

static void pt_tr_del(struct pt_tracer *t, int i)
{
	t->t[i] = t->t[--t->nr];
}

/* Whether events of thread group @tgid are reported (root or a child). */
static bool pt_tr_followed(const struct pt_tracer *t, pid_t tgid)
{
	size_t i;

	if (tgid == t->root)
		return true;
	for (i = 0; i < t->nr; i++)
		if (t->t[i].tgid == tgid && t->t[i].tid == tgid)
			return true;
	return false;
}

static void pt_tr_cont(pid_t tid, int sig)
{
	ptrace(PTRACE_CONT, tid, 0, (void *)(long)sig);
}

/* Why PTRACE_SEIZE of @pid was refused, in one line. */
static int pt_tr_refused(pid_t pid, int e, struct pt_err *err)
{
	char path[64], line[128];
	int tracer = 0, scope = -1;
	FILE *f;

	if (e == ESRCH)
		return pt_err_set(err, PT_NO_PID, "cannot trace %d: no such process", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (f) {
		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "TracerPid: %d", &tracer) == 1)
				break;
		fclose(f);
	}
	if (tracer)
		return pt_err_set(err, PT_PERM, "cannot trace %d: already traced by %d",
				  (int)pid, tracer);
	f = fopen("/proc/sys/kernel/yama/ptrace_scope", "r");
	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = -1;
		fclose(f);
	}
	if (scope > 0)
		return pt_err_set(err, PT_PERM,
				  "cannot trace %d: %s (kernel.yama.ptrace_scope is %d)",
				  (int)pid, strerror(e), scope);
	return pt_err_set(err, PT_PERM,
			  "cannot trace %d: %s (another user's process needs CAP_SYS_PTRACE)",
			  (int)pid, strerror(e));
}

/* Seizes the threads of @pid not seized yet; how many were, or -errno. */
static int pt_tr_seize_threads(struct pt_tracer *t, pid_t pid)
{
	char path[64];
	struct dirent *d;
	int n = 0, e = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return -ESRCH;
	while ((d = readdir(dir))) {
		pid_t tid = (pid_t)atoi(d->d_name);

		if (tid <= 0 || pt_tr_find(t, tid) >= 0)
			continue;
		if (ptrace(PTRACE_SEIZE, tid, 0, (void *)(long)PT_TRACE_OPTS)) {
			/* a thread that exited meanwhile is no failure */
			if (errno != ESRCH) {
				e = errno;
				break;
			}
			continue;
		}
		if (pt_tr_add(t, tid, pid, PT_TR_RUNNING) < 0) {
			ptrace(PTRACE_DETACH, tid, 0, 0);
			e = ENOSPC;
			break;
		}
		n++;
	}
	closedir(dir);
	return e ? -e : n;
}

int pt_trace_attach(struct pt_tracer *t, pid_t pid, struct pt_err *err)
{
	sigset_t set;
	int n, tries;

	memset(t, 0, sizeof(*t));
	t->root = pid;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &t->old_mask);
	t->attached = true;
	/* threads made while the list is read are caught by a second pass */
	for (tries = 0; tries < 100; tries++) {
		n = pt_tr_seize_threads(t, pid);
		if (n < 0) {
			int e = -n;

			pt_trace_detach(t);
			if (e == ENOSPC)
				return pt_err_set(err, PT_NO_MEM,
						  "cannot trace %d: out of memory for its threads",
						  (int)pid);
			return pt_tr_refused(pid, e, err);
		}
		if (!n)
			break;
	}
	if (!t->nr) {
		pt_trace_detach(t);
		return pt_err_set(err, PT_NO_PID, "cannot trace %d: no such process", (int)pid);
	}
	return 0;
}

/* Waits for @tid's first stop if it has not come yet; false if it died. */
static bool pt_tr_first_stop(struct pt_tracer *t, pid_t tid)
{
	int i = pt_tr_find(t, tid), st;

	if (i >= 0 && t->t[i].state == PT_TR_PARKED)
		return true;
	for (;;) {
		if (waitpid(tid, &st, __WALL) < 0) {
			if (errno == EINTR)
				continue;
			return false;
		}
		if (WIFSTOPPED(st))
			break;
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (i >= 0)
				pt_tr_del(t, i);
			return false;
		}
	}
	if (i < 0)
		i = pt_tr_add(t, tid, pt_tr_tgid(tid), PT_TR_PARKED);
	if (i < 0) {
		/* not listed, so never resumed: not left in its stop */
		ptrace(PTRACE_DETACH, tid, 0, 0);
		return false;
	}
	t->t[i].state = PT_TR_PARKED;
	return true;
}

/* A fork, vfork or clone event of @tid; 1 when it is reported in @ev. */
static int pt_tr_new(struct pt_tracer *t, int i, int event,
		     struct pt_trace_event *ev)
{
	pid_t tid = t->t[i].tid, tgid = t->t[i].tgid, nw;
	unsigned long msg = 0;
	int j;

	if (ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) || !msg) {
		pt_tr_cont(tid, 0);
		return 0;
	}
	nw = (pid_t)msg;
	j = pt_tr_find(t, nw);
	if (event == PTRACE_EVENT_CLONE && pt_tr_tgid(nw) == tgid) {
		/* a thread: it runs as soon as both sides are known */
		if (j >= 0 && t->t[j].state == PT_TR_PARKED) {
			t->t[j].tgid = tgid;
			t->t[j].state = PT_TR_RUNNING;
			pt_tr_cont(nw, 0);
		} else if (j < 0) {
			pt_tr_add(t, nw, tgid, PT_TR_EXPECTED);
		}
		pt_tr_cont(tid, 0);
		return 0;
	}
	if (!pt_tr_first_stop(t, nw)) {
		pt_tr_cont(tid, 0);
		return 0;
	}
	j = pt_tr_find(t, nw);
	if (tgid != t->root) {
		/* a grandchild: not followed */
		ptrace(PTRACE_DETACH, nw, 0, 0);
		pt_tr_del(t, j);
		pt_tr_cont(tid, 0);
		return 0;
	}
	t->t[j].tgid = nw;
	t->t[j].state = PT_TR_RUNNING;
	t->held[0] = tid;
	t->held[1] = nw;
	ev->kind = event == PTRACE_EVENT_FORK ? PT_TRACE_FORK : PT_TRACE_VFORK;
	ev->pid = tgid;
	ev->tid = tid;
	ev->child = nw;
	return 1;
}

/* One wait status of @tid; 1 when it is an event for the caller. */
static int pt_tr_status(struct pt_tracer *t, pid_t tid, int st,
			struct pt_trace_event *ev)
{
	int i = pt_tr_find(t, tid), event, sig;
	unsigned long msg;
	pid_t tgid;

	if (WIFEXITED(st) || WIFSIGNALED(st)) {
		if (i < 0)
			return 0;
		tgid = t->t[i].tgid;
		pt_tr_del(t, i);
		if (tid != tgid)
			return 0;
		ev->kind = PT_TRACE_GONE;
		ev->pid = tgid;
		ev->tid = tid;
		ev->status = st;
		return 1;
	}
	if (!WIFSTOPPED(st))
		return 0;
	sig = WSTOPSIG(st);
	event = (unsigned int)st >> 16;
	if (i < 0) {
		/* a new task before its creator's event: park it */
		if (pt_tr_add(t, tid, pt_tr_tgid(tid), PT_TR_PARKED) < 0)
			ptrace(PTRACE_DETACH, tid, 0, 0);
		return 0;
	}
	tgid = t->t[i].tgid;
	switch (event) {
	case PTRACE_EVENT_FORK:
	case PTRACE_EVENT_VFORK:
	case PTRACE_EVENT_CLONE:
		return pt_tr_new(t, i, event, ev);
	case PTRACE_EVENT_EXEC:
		/* the thread that exec'd now has the group's id */
		if (!ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) && (pid_t)msg != tid) {
			int f = pt_tr_find(t, (pid_t)msg);

			if (f >= 0)
				pt_tr_del(t, f);
			i = pt_tr_find(t, tid);
		}
		/* fallthrough */
	case PTRACE_EVENT_EXIT:
		if (tid != tgid || !pt_tr_followed(t, tgid)) {
			pt_tr_cont(tid, 0);
			return 0;
		}
		t->held[0] = tid;
		ev->kind = event == PTRACE_EVENT_EXEC ? PT_TRACE_EXEC : PT_TRACE_EXIT;
		ev->pid = tgid;
		ev->tid = tid;
		return 1;
	case PTRACE_EVENT_STOP:
		if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) {
			/* a group stop: stay stopped, as untraced */
			ptrace(PTRACE_LISTEN, tid, 0, 0);
			return 0;
		}
		if (t->t[i].state == PT_TR_EXPECTED)
			t->t[i].state = PT_TR_RUNNING;
		if (t->t[i].state != PT_TR_PARKED)
			pt_tr_cont(tid, 0);
		return 0;
	default:
		/* a signal on its way: delivered as it came */
		pt_tr_cont(tid, sig);
		return 0;
	}
}

static void pt_tr_resume_held(struct pt_tracer *t)
{
	int k;

	for (k = 0; k < 2; k++) {
		if (t->held[k])
			pt_tr_cont(t->held[k], 0);
		t->held[k] = 0;
	}
}

static long pt_ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

int pt_trace_next(struct pt_tracer *t, int timeout_ms,
		  struct pt_trace_event *ev, struct pt_err *err)
{
	struct timespec start, ts;
	sigset_t set;
	long left;
	pid_t tid;
	int st;

	memset(ev, 0, sizeof(*ev));
	if (!t->attached)
		return pt_err_set(err, PT_INTERNAL, "not tracing");
	pt_tr_resume_held(t);
	clock_gettime(CLOCK_MONOTONIC, &start);
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	for (;;) {
		tid = waitpid(-1, &st, __WALL | WNOHANG);
		if (tid > 0) {
			if (pt_tr_status(t, tid, st, ev))
				return 1;
			continue;
		}
		if (tid < 0 && errno == EINTR)
			continue;
		if (!timeout_ms)
			return 0;
		left = timeout_ms < 0 ? 3600000 : timeout_ms - pt_ms_since(&start);
		if (left <= 0)
			return 0;
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
		/* SIGCHLD stays blocked: one that came meanwhile is pending */
		if (sigtimedwait(&set, NULL, &ts) < 0 && errno != EAGAIN)
			return 0;	/* a handled signal: let the caller look */
	}
}

void pt_trace_detach(struct pt_tracer *t)
{
	struct timespec start;
	size_t i;
	pid_t tid;
	int st, k;

	if (!t->attached)
		return;
	for (k = 0; k < 2; k++)
		for (i = 0; t->held[k] && i < t->nr; i++)
			if (t->t[i].tid == t->held[k])
				t->t[i].state = PT_TR_PARKED;
	t->held[0] = t->held[1] = 0;
	/* stopped ones go at once; running ones are stopped first */
	for (i = 0; i < t->nr;) {
		if (t->t[i].state == PT_TR_PARKED) {
			ptrace(PTRACE_DETACH, t->t[i].tid, 0, 0);
			pt_tr_del(t, (int)i);
			continue;
		}
		ptrace(PTRACE_INTERRUPT, t->t[i].tid, 0, 0);
		i++;
	}
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (t->nr && pt_ms_since(&start) < 5000) {
		int j, sig = 0;

		tid = waitpid(-1, &st, __WALL | WNOHANG);
		if (tid <= 0) {
			if (tid < 0 && errno == ECHILD)
				break;
			usleep(1000);
			continue;
		}
		j = pt_tr_find(t, tid);
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (j >= 0)
				pt_tr_del(t, j);
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		if ((unsigned int)st >> 16 == PTRACE_EVENT_FORK ||
		    (unsigned int)st >> 16 == PTRACE_EVENT_VFORK ||
		    (unsigned int)st >> 16 == PTRACE_EVENT_CLONE) {
			unsigned long msg = 0;

			/* made during the detach: let it go at its first stop */
			if (!ptrace(PTRACE_GETEVENTMSG, tid, 0, &msg) && msg &&
			    pt_tr_find(t, (pid_t)msg) < 0)
				pt_tr_add(t, (pid_t)msg, 0, PT_TR_EXPECTED);
		} else if (!((unsigned int)st >> 16)) {
			sig = WSTOPSIG(st);
		}
		ptrace(PTRACE_DETACH, tid, 0, (void *)(long)sig);
		if (j >= 0)
			pt_tr_del(t, j);
	}
	sigprocmask(SIG_SETMASK, &t->old_mask, NULL);
	t->attached = false;
	t->nr = 0;
	free(t->t);
	t->t = NULL;
	t->cap = 0;
}
