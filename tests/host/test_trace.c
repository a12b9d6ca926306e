// SPDX-License-Identifier: GPL-2.0
/*
 * The fork follower (src/trace.c) on real processes: a target driven
 * through a pipe forks, vforks, forks from a thread, forks grandchildren,
 * takes signals, is stopped and continued and exits, in a random order
 * (PT_SEED picks it; the seed is printed).  Every fork must be reported
 * once, with the child the target saw, while both sides are stopped;
 * every child's exit once; signals must arrive; a grandchild never.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../unit/tap.h"

#include "trace.h"

#define MAX_KIDS 16

/* --- the target --- */

static volatile sig_atomic_t usr1_seen;
static int kid_pid[MAX_KIDS], kid_fd[MAX_KIDS], nr_kids;

static void on_usr1(int sig)
{
	(void)sig;
	usr1_seen++;
}

/* A child that lives until its pipe is written or closed. */
static int make_kid(void)
{
	int p[2];
	pid_t c;
	char b;

	if (pipe(p))
		return -1;
	c = fork();
	if (c == 0) {
		close(p[1]);
		if (read(p[0], &b, 1) < 0)
			_exit(2);
		_exit(0);
	}
	close(p[0]);
	kid_pid[nr_kids] = c;
	kid_fd[nr_kids++] = p[1];
	return c;
}

static void *thread_fork(void *arg)
{
	*(int *)arg = make_kid();
	return NULL;
}

static void answer(int fd, int v)
{
	if (write(fd, &v, sizeof(v)) != sizeof(v))
		_exit(3);
}

static void target(int in, int out)
{
	pthread_t th;
	char op;
	int v, st;
	pid_t c;

	signal(SIGUSR1, on_usr1);
	while (read(in, &op, 1) == 1) {
		switch (op) {
		case 'f':
			answer(out, make_kid());
			break;
		case 't':
			v = -1;
			pthread_create(&th, NULL, thread_fork, &v);
			pthread_join(th, NULL);
			answer(out, v);
			break;
		case 'k':
			v = kid_pid[0];
			if (write(kid_fd[0], "x", 1) != 1)
				_exit(4);
			close(kid_fd[0]);
			waitpid(v, &st, 0);
			memmove(kid_pid, kid_pid + 1, sizeof(int) * (size_t)--nr_kids);
			memmove(kid_fd, kid_fd + 1, sizeof(int) * (size_t)nr_kids);
			answer(out, v);
			break;
		case 'v':
			c = vfork();
			if (c == 0)
				_exit(0);
			waitpid(c, &st, 0);
			answer(out, c);
			break;
		case 'g':
			c = fork();
			if (c == 0) {
				pid_t g = fork();

				if (g == 0)
					_exit(0);
				waitpid(g, &st, 0);
				_exit(0);
			}
			waitpid(c, &st, 0);
			answer(out, c);
			break;
		case 's':
			raise(SIGUSR1);
			answer(out, usr1_seen);
			break;
		case 'p':
			answer(out, 'p');
			break;
		default:
			_exit(0);
		}
	}
	_exit(0);
}

/* --- the test's side --- */

struct run {
	pid_t pid;
	int to, from;
	struct pt_tracer t;
	int forks, vforks, gones, exits, usr1;
	bool root_gone;
	pid_t last_child;
	pid_t live[64];
	int nr_live;
};

static char proc_state(pid_t tid)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return '?';
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return '?';
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] && p[2] ? p[2] : '?';
}

static void start(struct run *r)
{
	int a[2], b[2];

	memset(r, 0, sizeof(*r));
	assert_int_equal(pipe(a), 0);
	assert_int_equal(pipe(b), 0);
	r->pid = fork();
	assert_true(r->pid >= 0);
	if (r->pid == 0) {
		close(a[1]);
		close(b[0]);
		target(a[0], b[1]);
	}
	close(a[0]);
	close(b[1]);
	r->to = a[1];
	r->from = b[0];
	fcntl(r->from, F_SETFL, O_NONBLOCK);
}

/* Checks one event against what the target did. */
static void check_event(struct run *r, const struct pt_trace_event *ev)
{
	int i;

	switch (ev->kind) {
	case PT_TRACE_FORK:
	case PT_TRACE_VFORK:
		assert_int_equal(ev->pid, r->pid);
		/* both sides stopped while the caller looks */
		assert_int_equal(proc_state(ev->tid), 't');
		assert_int_equal(proc_state(ev->child), 't');
		if (ev->kind == PT_TRACE_FORK)
			r->forks++;
		else
			r->vforks++;
		r->last_child = ev->child;
		r->live[r->nr_live++] = ev->child;
		break;
	case PT_TRACE_GONE:
		for (i = 0; i < r->nr_live; i++)
			if (r->live[i] == ev->pid)
				break;
		/* only the target or a child it made is ever reported */
		assert_true(i < r->nr_live || ev->pid == r->pid);
		if (i < r->nr_live)
			r->live[i] = r->live[--r->nr_live];
		if (ev->pid == r->pid)
			r->root_gone = true;
		else
			r->gones++;
		break;
	case PT_TRACE_EXIT:
		assert_int_equal(proc_state(ev->pid), 't');
		r->exits++;
		break;
	default:
		break;
	}
}

/* Sends @op and follows events until the target answers; the answer. */
static int op(struct run *r, char c)
{
	struct pt_trace_event ev;
	struct pt_err err;
	int v, got = 0, spins = 0;
	ssize_t n;

	assert_int_equal(write(r->to, &c, 1), 1);
	while (!got) {
		int ret = pt_trace_next(&r->t, 20, &ev, &err);

		assert_true(ret >= 0);
		if (ret > 0)
			check_event(r, &ev);
		n = read(r->from, &v, sizeof(v));
		if (n == sizeof(v))
			got = 1;
		assert_true(++spins < 1000);	/* 20 s */
	}
	return v;
}

/* Follows events for @ms, for what comes after an answer (a kid's exit). */
static void settle(struct run *r, int ms)
{
	struct pt_trace_event ev;
	struct pt_err err;
	int ret;

	while ((ret = pt_trace_next(&r->t, ms, &ev, &err)) > 0)
		check_event(r, &ev);
	assert_int_equal(ret, 0);
}

static void random_sequences_report_every_fork_once(void **state)
{
	unsigned int seed = getenv("PT_SEED") ? (unsigned int)atoi(getenv("PT_SEED")) :
						(unsigned int)time(NULL);
	int kids = 0, forks = 0, vforks = 0, gones = 0, usr1 = 0, i, v;
	struct pt_err err;
	struct run r;

	(void)state;
	printf("# PT_SEED=%u\n", seed);
	srand(seed);
	start(&r);
	assert_int_equal(pt_trace_attach(&r.t, r.pid, &err), 0);
	for (i = 0; i < 80; i++) {
		int pick = rand() % 8;

		if (pick <= 1 && kids < MAX_KIDS) {
			v = op(&r, pick ? 't' : 'f');
			kids++;
			forks++;
			assert_int_equal(v, r.last_child);
		} else if (pick == 2 && kids) {
			op(&r, 'k');
			kids--;
			gones++;
		} else if (pick == 3) {
			v = op(&r, 'v');
			vforks++;
			gones++;
			assert_int_equal(v, r.last_child);
		} else if (pick == 4) {
			/* the grandchild is let go: only the child is seen */
			v = op(&r, 'g');
			forks++;
			gones++;
			assert_int_equal(v, r.last_child);
		} else if (pick == 5) {
			v = op(&r, 's');
			assert_int_equal(v, ++usr1);
		} else if (pick == 6) {
			/* a group stop is kept, and SIGCONT ends it */
			kill(r.pid, SIGSTOP);
			settle(&r, 30);
			kill(r.pid, SIGCONT);
			assert_int_equal(op(&r, 'p'), 'p');
		} else {
			assert_int_equal(op(&r, 'p'), 'p');
		}
	}
	settle(&r, 50);
	assert_int_equal(r.forks, forks);
	assert_int_equal(r.vforks, vforks);
	assert_int_equal(r.gones, gones);
	assert_int_equal(r.nr_live, kids);
	/* the end: the target's exit is seen before it is gone */
	close(r.to);
	for (i = 0; i < 500 && !r.root_gone; i++)
		settle(&r, 20);
	assert_true(r.root_gone);
	assert_true(r.exits >= 1);
	pt_trace_detach(&r.t);
	/* the target reaped; its kids, orphaned, died with their pipes */
	assert_int_equal(waitpid(r.pid, NULL, WNOHANG), -1);
}

static int tracer_pid(pid_t pid)
{
	char path[64], line[128];
	int tp = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "TracerPid: %d", &tp) == 1)
			break;
	fclose(f);
	return tp;
}

static void detach_lets_target_and_children_run(void **state)
{
	struct pt_err err;
	struct run r;
	pid_t k1, k2;

	(void)state;
	start(&r);
	assert_int_equal(pt_trace_attach(&r.t, r.pid, &err), 0);
	assert_int_equal(tracer_pid(r.pid), getpid());
	k1 = op(&r, 'f');
	k2 = op(&r, 't');
	assert_int_equal(tracer_pid(k1), getpid());
	assert_int_equal(tracer_pid(k2), getpid());
	pt_trace_detach(&r.t);
	assert_int_equal(tracer_pid(r.pid), 0);
	assert_int_equal(tracer_pid(k1), 0);
	assert_int_equal(tracer_pid(k2), 0);
	/* untraced, it still answers and forks */
	fcntl(r.from, F_SETFL, 0);
	{
		char c = 'f';
		int v;

		assert_int_equal(write(r.to, &c, 1), 1);
		assert_int_equal(read(r.from, &v, sizeof(v)), (ssize_t)sizeof(v));
		assert_true(v > 0);
		assert_int_equal(tracer_pid(v), 0);
	}
	close(r.to);
	assert_int_equal(waitpid(r.pid, NULL, 0), r.pid);
}

static void a_traced_process_is_refused_in_one_line(void **state)
{
	struct pt_tracer t2;
	struct pt_err err = { PT_OK, "" };
	struct run r;
	int p[2];
	pid_t other;
	char b;

	(void)state;
	start(&r);
	assert_int_equal(pipe(p), 0);
	other = fork();
	if (other == 0) {
		if (ptrace(PTRACE_SEIZE, r.pid, 0, 0))
			_exit(1);
		if (write(p[1], "s", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(p[0], &b, 1), 1);
	assert_int_equal(pt_trace_attach(&t2, r.pid, &err), -PT_PERM);
	assert_non_null(strstr(err.msg, "already traced by"));
	assert_null(strchr(err.msg, '\n'));
	/* nothing stays behind: SIGCHLD is unblocked again */
	{
		sigset_t cur;

		sigprocmask(SIG_BLOCK, NULL, &cur);
		assert_false(sigismember(&cur, SIGCHLD));
	}
	kill(other, SIGKILL);
	waitpid(other, NULL, 0);
	close(r.to);
	waitpid(r.pid, NULL, 0);
	assert_int_equal(pt_trace_attach(&t2, 999999999, &err), -PT_NO_PID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_sequences_report_every_fork_once),
		cmocka_unit_test(detach_lets_target_and_children_run),
		cmocka_unit_test(a_traced_process_is_refused_in_one_line),
	};

	PT_RUN_TESTS("trace", tests);
}
