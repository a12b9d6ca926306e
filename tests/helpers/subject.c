// SPDX-License-Identifier: GPL-2.0
/*
 * A process for tests to inspect: it maps memory of a chosen kind, reads,
 * writes and forks when told on stdin, and answers one line on stdout per
 * command.  "c CMD" runs CMD in the forked child instead.
 *
 *   map anon|thp|shared SIZE -> "addr 0x..."
 *   write ADDR | read ADDR   -> "ok"
 *   fork                     -> "child PID"
 *   pid                      -> "pid PID"
 *   exit                     -> the process (or "c exit": the child) exits
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#define THP_SIZE (2ul << 20)

static int to_child = -1, from_child = -1;
static pid_t child;

static void *map_kind(const char *kind, size_t size)
{
	char *p;

	if (!strcmp(kind, "shared"))
		return mmap(NULL, size, PROT_READ | PROT_WRITE,
			    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!strcmp(kind, "anon")) {
		p = mmap(NULL, size, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p != MAP_FAILED)
			madvise(p, size, MADV_NOHUGEPAGE);
		return p;
	}
	if (!strcmp(kind, "thp")) {
		/* over-map, then trim to a 2 MiB aligned window */
		size = (size + THP_SIZE - 1) & ~(THP_SIZE - 1);
		p = mmap(NULL, size + THP_SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return p;
		char *a = (char *)(((uintptr_t)p + THP_SIZE - 1) & ~(THP_SIZE - 1));

		if (a > p)
			munmap(p, a - p);
		munmap(a + size, p + size + THP_SIZE - (a + size));
		madvise(a, size, MADV_HUGEPAGE);
		return a;
	}
	errno = EINVAL;
	return MAP_FAILED;
}

static void run(char *line, FILE *out)
{
	char cmd[16], arg[32];
	unsigned long long a = 0;
	int n = sscanf(line, "%15s %31s %llx", cmd, arg, &a);

	if (n < 1) {
		fprintf(out, "error empty\n");
	} else if (!strcmp(cmd, "map") && n >= 2) {
		size_t size = strtoull(line + strlen("map ") + strlen(arg) + 1,
				       NULL, 0);
		void *p = map_kind(arg, size ? size : 4096);

		if (p == MAP_FAILED)
			fprintf(out, "error %s\n", strerror(errno));
		else
			fprintf(out, "addr %p\n", p);
	} else if (!strcmp(cmd, "write") && n >= 2) {
		a = strtoull(arg, NULL, 16);
		*(volatile char *)(uintptr_t)a = 1;
		fprintf(out, "ok\n");
	} else if (!strcmp(cmd, "read") && n >= 2) {
		a = strtoull(arg, NULL, 16);
		(void)*(volatile char *)(uintptr_t)a;
		fprintf(out, "ok\n");
	} else if (!strcmp(cmd, "pid")) {
		fprintf(out, "pid %d\n", (int)getpid());
	} else if (!strcmp(cmd, "exit")) {
		exit(0);
	} else {
		fprintf(out, "error unknown command\n");
	}
	fflush(out);
}

static void child_loop(int in, int outfd)
{
	FILE *f = fdopen(in, "r"), *out = fdopen(outfd, "w");
	char line[256];

	/* the child dies with its parent, so tests leave nothing behind */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	while (f && out && fgets(line, sizeof(line), f))
		run(line, out);
	exit(0);
}

static void do_fork(void)
{
	int down[2], up[2];

	if (pipe(down) || pipe(up)) {
		printf("error %s\n", strerror(errno));
		return;
	}
	fflush(stdout);
	child = fork();
	if (child < 0) {
		printf("error %s\n", strerror(errno));
		return;
	}
	if (!child) {
		close(down[1]);
		close(up[0]);
		child_loop(down[0], up[1]);
	}
	close(down[0]);
	close(up[1]);
	to_child = down[1];
	from_child = up[0];
	printf("child %d\n", (int)child);
}

static void to_child_cmd(const char *line)
{
	char buf[256];
	ssize_t n;

	if (to_child < 0) {
		printf("error no child\n");
		return;
	}
	if (write(to_child, line, strlen(line)) < 0) {
		printf("error %s\n", strerror(errno));
		return;
	}
	if (!strncmp(line, "exit", 4)) {
		waitpid(child, NULL, 0);
		close(to_child);
		close(from_child);
		to_child = from_child = -1;
		printf("ok\n");
		return;
	}
	n = read(from_child, buf, sizeof(buf) - 1);
	if (n <= 0) {
		printf("error child gone\n");
		return;
	}
	buf[n] = '\0';
	fputs(buf, stdout);
}

int main(void)
{
	char line[256];

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("ready %d\n", (int)getpid());
	while (fgets(line, sizeof(line), stdin)) {
		if (!strncmp(line, "c ", 2))
			to_child_cmd(line + 2);
		else if (!strncmp(line, "fork", 4))
			do_fork();
		else
			run(line, stdout);
	}
	return 0;
}
