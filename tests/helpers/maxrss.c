// SPDX-License-Identifier: GPL-2.0
/*
 * maxrss COMMAND [ARG]...: runs the command (its output as it is) and
 * prints its peak resident set, in KiB, from getrusage(RUSAGE_CHILDREN)
 * after it exits, on stderr as "maxrss KIB".  Exits with the command's
 * status (126 when it cannot run it).  A memory test measures with it,
 * never with time.
 */
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct rusage ru;
	pid_t pid;
	int st;

	if (argc < 2) {
		fprintf(stderr, "usage: maxrss COMMAND [ARG]...\n");
		return 126;
	}
	pid = fork();
	if (pid < 0) {
		perror("maxrss: fork");
		return 126;
	}
	if (!pid) {
		execvp(argv[1], argv + 1);
		perror("maxrss: exec");
		_exit(126);
	}
	if (waitpid(pid, &st, 0) < 0 || getrusage(RUSAGE_CHILDREN, &ru) < 0) {
		perror("maxrss");
		return 126;
	}
	fprintf(stderr, "maxrss %ld\n", ru.ru_maxrss);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
