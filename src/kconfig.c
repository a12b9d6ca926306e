// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kconfig.h"

extern char **environ;

/* the options asked about so far: the rows name a handful */
static struct {
	char name[32];
	int value;
} pt_kconfig_seen[8];
static size_t pt_kconfig_nr;

/* 1 set, 0 not, from the config text on @f; -1 when @f has no config */
static int pt_kconfig_scan(FILE *f, const char *name)
{
	char line[512], want[48];
	size_t n = (size_t)snprintf(want, sizeof(want), "CONFIG_%s=", name);
	bool any = false;
	int found = 0;

	while (fgets(line, sizeof(line), f)) {
		any |= !strncmp(line, "CONFIG_", 7) || !strncmp(line, "# CONFIG_", 9);
		if (!strncmp(line, want, n))
			found = line[n] == 'y' || line[n] == 'm';
	}
	return any ? found : -1;
}

/*
 * /proc/config.gz through gzip -dc: the library links no zlib, and gzip
 * is on every system that has the file.  By its path, never $PATH's: the
 * program runs as root.
 */
static int pt_kconfig_proc(const char *name)
{
	static const char *const gzip[] = { "/usr/bin/gzip", "/bin/gzip" };
	char *argv[] = { "gzip", "-dc", "/proc/config.gz", NULL };
	size_t i;
	posix_spawn_file_actions_t fa;
	int fd[2], st, ret = -1;
	pid_t pid;
	FILE *f;

	if (access("/proc/config.gz", R_OK) || pipe2(fd, O_CLOEXEC))
		return -1;
	if (posix_spawn_file_actions_init(&fa)) {
		close(fd[0]);
		close(fd[1]);
		return -1;
	}
	posix_spawn_file_actions_adddup2(&fa, fd[1], STDOUT_FILENO);
	posix_spawn_file_actions_addopen(&fa, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
	st = ENOENT;
	for (i = 0; i < sizeof(gzip) / sizeof(gzip[0]) && st; i++)
		st = posix_spawn(&pid, gzip[i], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[1]);
	if (st) {
		close(fd[0]);
		return -1;
	}
	f = fdopen(fd[0], "r");
	if (f) {
		ret = pt_kconfig_scan(f, name);
		fclose(f);
	} else {
		close(fd[0]);
	}
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && !WEXITSTATUS(st) ? ret : -1;
}

static int pt_kconfig_read(const char *release, const char *name)
{
	char path[128];
	FILE *f;
	int ret = pt_kconfig_proc(name);

	if (ret >= 0)
		return ret;
	snprintf(path, sizeof(path), "/boot/config-%s", release);
	f = fopen(path, "re");
	if (!f)
		return -1;
	ret = pt_kconfig_scan(f, name);
	fclose(f);
	return ret;
}

int pt_kconfig(const char *release, const char *name)
{
	struct utsname u;
	size_t i;
	int v;

	if (!release || uname(&u) || strcmp(release, u.release))
		return -1;
	for (i = 0; i < pt_kconfig_nr; i++)
		if (!strcmp(pt_kconfig_seen[i].name, name))
			return pt_kconfig_seen[i].value;
	v = pt_kconfig_read(u.release, name);
	if (pt_kconfig_nr < sizeof(pt_kconfig_seen) / sizeof(pt_kconfig_seen[0])) {
		snprintf(pt_kconfig_seen[pt_kconfig_nr].name, sizeof(pt_kconfig_seen[0].name), "%s",
			 name);
		pt_kconfig_seen[pt_kconfig_nr++].value = v;
	}
	return v;
}
