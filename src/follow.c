// SPDX-License-Identifier: GPL-2.0
/* Watching a process and the children it makes; see follow.h. */
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "follow.h"

static long pt_ms_until(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (t->tv_sec - now.tv_sec) * 1000 + (t->tv_nsec - now.tv_nsec) / 1000000;
}

static void pt_follow_schedule(struct pt_follow *f)
{
	clock_gettime(CLOCK_MONOTONIC, &f->next_look);
	f->next_look.tv_sec += f->interval_ms / 1000;
	f->next_look.tv_nsec += (long)(f->interval_ms % 1000) * 1000000;
	if (f->next_look.tv_nsec >= 1000000000) {
		f->next_look.tv_sec++;
		f->next_look.tv_nsec -= 1000000000;
	}
}

static int pt_kid_index(const struct pt_lab *lab, pid_t pid)
{
	size_t i;

	for (i = 0; i < lab->nr_kids; i++)
		if (lab->kids[i] == pid)
			return (int)i;
	return -1;
}

static void pt_kid_add(struct pt_lab *lab, pid_t pid)
{
	if (pt_kid_index(lab, pid) >= 0)
		return;
	/* the oldest makes room */
	if (lab->nr_kids == PT_LAB_MAX_KIDS)
		memmove(lab->kids, lab->kids + 1, sizeof(lab->kids[0]) * --lab->nr_kids);
	lab->kids[lab->nr_kids++] = pid;
}

static void pt_kid_del(struct pt_lab *lab, pid_t pid)
{
	int i = pt_kid_index(lab, pid);

	if (i < 0)
		return;
	memmove(lab->kids + i, lab->kids + i + 1,
		sizeof(lab->kids[0]) * (lab->nr_kids - (size_t)i - 1));
	lab->nr_kids--;
}

/* The watched page, or the huge page holding it when either side maps it
 * so at the last step: a fault anywhere in it can change the entry. */
static void pt_follow_range(const struct pt_lab *lab, uint64_t *lo, uint64_t *hi)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), size = page;
	const struct pt_walk *w;
	int i;

	for (i = 0; lab->nr_steps && i < 2; i++) {
		w = &lab->steps[lab->nr_steps - 1].proc[i].walk;
		if (!lab->steps[lab->nr_steps - 1].proc[i].walked)
			continue;
		if (w->vma.kernel_page_size > size)
			size = w->vma.kernel_page_size;	/* hugetlb */
		else if (w->pm.scan_huge == 1 && page * (page / 8) > size)
			size = page * (page / 8);	/* a pmd's worth */
	}
	*lo = lab->addr & ~(size - 1);
	*hi = *lo + size;
}

/* how long a fault waits for the change it makes before it is let go */
#define PT_FOLLOW_FAULT_WAIT_NS 1000000000ull

/*
 * pt_lab_watch() with the faults since the last look: a step @label may
 * take is named after the first fault in the watched page.  A fault is
 * recorded on entry and its entry changes after, so one without a step
 * yet waits for its change.  Those taken before the look began are the
 * step's.  When none was, a fault taken while the look ran may have
 * changed the entry before the look read it: the step is named after the
 * first fault taken before the look ended.  A fault after that is the
 * next look's.
 */
static int pt_follow_watch(struct pt_follow *f, const char *event, bool force, bool label,
			   struct pt_err *err)
{
	struct pt_faults_sum *p = &f->pending;
	struct pt_lab *lab = f->lab;
	char text[sizeof(lab->steps[0].event)];
	uint64_t lo, hi, t0;
	int ret;

	/* a new child is held at its fork here: none of its faults is missed */
	pt_faults_attach(&f->faults, 1, lab->pid[1]);
	pt_follow_range(lab, &lo, &hi);
	t0 = pt_faults_now();
	snprintf(text, sizeof(text), "%s", event);
	if (f->faults.mode != PT_FAULTS_OFF)
		pt_faults_drain(&f->faults, lo, hi, t0, p);
	ret = pt_lab_look(lab, force, err);
	if (ret < 0)
		return ret;
	if (f->faults.mode == PT_FAULTS_OFF) {
		if (ret > 0)
			pt_lab_keep(lab, text);
		return ret;
	}
	if (ret > 0) {
		if (label && !p->has_first)
			pt_faults_drain(&f->faults, lo, hi, pt_faults_now(), p);
		/* named before it is kept: a recording gets it whole */
		if (label)
			pt_faults_label(p, lab->pid, text, sizeof(text));
		pt_lab_keep(lab, text);
		memset(p, 0, sizeof(*p));
		f->pending_looks = 0;
	} else if (p->has_first && f->pending_looks++ &&
		   t0 - p->first_time > PT_FOLLOW_FAULT_WAIT_NS) {
		/*
		 * it changed nothing it could show: it explains no later
		 * step.  Two looks and a second: a guest under emulation
		 * took over 0.4 s from a fault's entry to its pte once
		 */
		p->has_first = false;
		p->here[0] = p->here[1] = 0;
		f->pending_looks = 0;
	}
	return ret;
}

/* The children of every thread of @pid as /proc lists them; how many. */
static size_t pt_children(pid_t pid, pid_t *out, size_t max)
{
	char path[96];
	struct dirent *d;
	size_t n = 0;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir)) && n < max) {
		FILE *fp;
		int c;

		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/children", (int)pid, d->d_name);
		fp = fopen(path, "r");
		if (!fp)
			continue;
		while (n < max && fscanf(fp, "%d", &c) == 1)
			out[n++] = c;
		fclose(fp);
	}
	closedir(dir);
	return n;
}

/* Polling: children that appeared or went since the last look. */
static int pt_follow_poll_kids(struct pt_follow *f, struct pt_err *err)
{
	pid_t now[PT_LAB_MAX_KIDS], shown = f->lab->pid[1];
	size_t n = pt_children(f->lab->pid[0], now, PT_LAB_MAX_KIDS), i, k;
	char ev[128];
	int added = 0, ret;

	for (i = 0; i < f->lab->nr_kids;) {
		for (k = 0; k < n && now[k] != f->lab->kids[i]; k++)
			;
		if (k == n)
			pt_kid_del(f->lab, f->lab->kids[i]);
		else
			i++;
	}
	for (k = 0; k < n; k++) {
		if (pt_kid_index(f->lab, now[k]) >= 0)
			continue;
		pt_kid_add(f->lab, now[k]);
		if (shown && pt_kid_index(f->lab, shown) >= 0)
			continue;
		/* nothing living is shown: the newcomer is */
		shown = now[k];
		pt_lab_set_child(f->lab, shown);
		snprintf(ev, sizeof(ev), "child %d appeared", (int)shown);
		ret = pt_follow_watch(f, ev, true, false, err);
		if (ret < 0)
			return ret;
		added = 1;
	}
	return added;
}

void pt_follow_start(struct pt_follow *f, struct pt_lab *lab, bool trace, double interval)
{
	pid_t now[PT_LAB_MAX_KIDS];
	struct pt_err terr = { PT_OK, "" };
	size_t n, i;

	memset(f, 0, sizeof(*f));
	f->lab = lab;
	f->interval_ms = interval > 0 ? (int)(interval * 1000) : 1000;
	if (f->interval_ms < 1)
		f->interval_ms = 1;
	/* children made before the start are polled as before */
	n = pt_children(lab->pid[0], now, PT_LAB_MAX_KIDS);
	for (i = 0; i < n; i++)
		pt_kid_add(f->lab, now[i]);
	if (lab->pid[1])
		pt_kid_add(f->lab, lab->pid[1]);
	/* before tracing: it may wait for a child of its own */
	pt_faults_open(&f->faults, lab->pid[0]);
	if (trace) {
		if (pt_trace_attach(&f->tr, lab->pid[0], &terr) < 0)
			snprintf(f->note, sizeof(f->note), "%.480s; watching by polling", terr.msg);
		else
			f->tracing = true;
	}
	if (f->faults.note[0]) {
		size_t l = strlen(f->note);

		snprintf(f->note + l, sizeof(f->note) - l, "%s%s", l ? "; " : "", f->faults.note);
	}
	pt_follow_schedule(f);
}

static bool pt_follow_shows(const struct pt_follow *f, pid_t pid)
{
	return pid == f->lab->pid[0] || (pid && pid == f->lab->pid[1]);
}

/* One traced event into a step; 1 when a step was added. */
static int pt_follow_event(struct pt_follow *f, const struct pt_trace_event *ev,
			   struct pt_err *err)
{
	struct pt_lab *lab = f->lab;
	pid_t shown = lab->pid[1];
	const char *who = ev->pid == lab->pid[0] ? "parent" : "child";
	char text[128];

	switch (ev->kind) {
	case PT_TRACE_FORK:
	case PT_TRACE_VFORK:
		pt_kid_add(f->lab, ev->child);
		if (!shown || pt_kid_index(f->lab, shown) < 0) {
			pt_lab_set_child(lab, ev->child);
			snprintf(text, sizeof(text), "%s: child %d", pt_trace_kind_name(ev->kind),
				 (int)ev->child);
		} else {
			snprintf(text, sizeof(text), "%s: child %d (shown: %d; \"child %d\" shows it)",
				 pt_trace_kind_name(ev->kind), (int)ev->child, (int)shown,
				 (int)ev->child);
		}
		if (ev->tid != ev->pid) {
			size_t l = strlen(text);

			snprintf(text + l, sizeof(text) - l, " from thread %d", (int)ev->tid);
		}
		break;
	case PT_TRACE_EXEC:
	case PT_TRACE_EXIT:
		if (!pt_follow_shows(f, ev->pid))
			return 0;
		snprintf(text, sizeof(text), "%s in %s %d", pt_trace_kind_name(ev->kind), who,
			 (int)ev->pid);
		break;
	case PT_TRACE_GONE:
		pt_kid_del(f->lab, ev->pid);
		if (!pt_follow_shows(f, ev->pid))
			return 0;
		if (WIFSIGNALED(ev->status))
			snprintf(text, sizeof(text), "%s %d killed by signal %d", who,
				 (int)ev->pid, WTERMSIG(ev->status));
		else
			snprintf(text, sizeof(text), "%s %d exited with %d", who, (int)ev->pid,
				 WEXITSTATUS(ev->status));
		break;
	default:
		return 0;
	}
	return pt_follow_watch(f, text, true, false, err);
}

int pt_follow_tick(struct pt_follow *f, int timeout_ms, struct pt_err *err)
{
	struct pt_trace_event ev;
	long wait = pt_ms_until(&f->next_look);
	int ret, added = 0;

	if (wait < 0)
		wait = 0;
	if (timeout_ms >= 0 && wait > timeout_ms)
		wait = timeout_ms;
	if (f->tracing) {
		ret = pt_trace_next(&f->tr, (int)wait, &ev, err);
		if (ret < 0)
			return ret;
		if (ret > 0)
			return pt_follow_event(f, &ev, err);
	} else if (wait > 0) {
		struct timespec ts = { wait / 1000, (wait % 1000) * 1000000 };

		nanosleep(&ts, NULL);
	}
	if (pt_ms_until(&f->next_look) > 0)
		return 0;
	pt_follow_schedule(f);
	if (!f->tracing) {
		ret = pt_follow_poll_kids(f, err);
		if (ret < 0)
			return ret;
		added = ret;
	}
	ret = pt_follow_watch(f, "refresh", false, true, err);
	if (ret < 0)
		return ret;
	return added || ret > 0;
}

void pt_follow_stop(struct pt_follow *f)
{
	if (f->tracing)
		pt_trace_detach(&f->tr);
	f->tracing = false;
	pt_faults_close(&f->faults);
}
