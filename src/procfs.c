// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "escape.h"
#include "grow.h"
#include "procfs.h"

int pt_proc_check(pid_t pid, struct pt_err *err)
{
	char path[64], buf[512], *p;
	ssize_t n;
	int fd;

	if (pid <= 0)
		return pt_err_set(err, PT_NO_PID, "no such process: %d", (int)pid);
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pt_err_set(err, PT_NO_PID, "no such process: %d", (int)pid);
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return pt_err_set(err, PT_EXITED, "process %d exited", (int)pid);
	buf[n] = '\0';
	/* the state follows the last ')' of the command name */
	p = strrchr(buf, ')');
	if (p && (p[2] == 'Z' || p[2] == 'X'))
		return pt_err_set(err, PT_EXITED,
				  "process %d exited (zombie, not yet reaped)",
				  (int)pid);
	/*
	 * past exit_mm() but not yet a zombie (a tracer holds it at another
	 * thread's exit, say): PF_EXITING (include/linux/sched.h), field 9
	 */
	if (p) {
		unsigned long flags;
		int ppid, pgrp, session, tty, tpgid;
		char state;

		if (sscanf(p + 1, " %c %d %d %d %d %d %lu", &state, &ppid, &pgrp, &session, &tty,
			   &tpgid, &flags) == 7 && (flags & 0x4))
			return pt_err_set(err, PT_EXITED, "process %d exited (exiting)", (int)pid);
	}
	return 0;
}

int pt_proc_error(pid_t pid, const char *name, int errnum,
		  struct pt_err *err)
{
	switch (errnum) {
	case ENOENT:
	case ESRCH:
		if (pid && pt_proc_check(pid, NULL) < 0)
			return pt_err_set(err, PT_EXITED,
					  "process %d exited while it was inspected",
					  (int)pid);
		break;
	case EACCES:
	case EPERM:
		if (pid)
			return pt_err_set(err, PT_PERM,
					  "cannot read /proc/%d/%s: permission denied; run ptinspect as root (sudo) or as the process's owner",
					  (int)pid, name);
		return pt_err_set(err, PT_PERM,
				  "cannot read /proc/%s: permission denied; run ptinspect as root (sudo)",
				  name);
	default:
		break;
	}
	if (pid)
		return pt_err_set(err, PT_PROC_IO, "cannot read /proc/%d/%s: %s",
				  (int)pid, name, strerror(errnum));
	return pt_err_set(err, PT_PROC_IO, "cannot read /proc/%s: %s", name,
			  strerror(errnum));
}

int pt_proc_open(pid_t pid, const char *name, int flags, struct pt_err *err)
{
	char path[PATH_MAX];
	int fd;

	if (pid)
		snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	else
		snprintf(path, sizeof(path), "/proc/%s", name);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return pt_proc_error(pid, name, errno, err);
	return fd;
}

/* @v from @line, its path escaped into @path (PATH_MAX bytes) */
static int pt_maps_fields(const char *line, struct pt_vma *v, char *path)
{
	unsigned long long start, end, off, ino;
	unsigned int maj, min;
	int n = 0;
	const char *p;

	memset(v, 0, sizeof(*v));
	v->path = "";
	if (sscanf(line, "%llx-%llx %4s %llx %x:%x %llu%n", &start, &end,
		   v->perms, &off, &maj, &min, &ino, &n) != 7 || start >= end ||
	    strlen(v->perms) != 4)
		return -EINVAL;
	v->start = start;
	v->end = end;
	v->pgoff = off;
	v->dev_major = maj;
	v->dev_minor = min;
	v->inode = ino;
	for (p = line + n; *p == ' ' || *p == '\t'; p++)
		;
	/*
	 * a file name is the process's to choose: escaped here, once, so no
	 * view, recording or error line carries its control characters
	 */
	pt_escape(path, PATH_MAX, p, 0);
	v->path = path;
	v->kind = pt_vma_classify(v);
	return 0;
}

int pt_maps_parse_line(const char *line, struct pt_vma *v, struct pt_intern *pool)
{
	char path[PATH_MAX];
	const char *k;
	int ret;

	ret = pt_maps_fields(line, v, path);
	if (ret < 0) {
		v->path = "";
		return ret;
	}
	k = pool ? pt_intern_in(pool, path, strlen(path)) : pt_intern(path);
	v->path = k ? k : "";
	return k ? 0 : -ENOMEM;
}

void pt_maps_free(struct pt_maps *m)
{
	size_t i;

	for (i = 0; i < m->nr; i++)
		free(m->rows[i].line);
	free(m->rows);
	m->rows = NULL;
	m->nr = 0;
}

int pt_maps_parse(FILE *f, struct pt_maps *m)
{
	size_t cap = 0, linecap = 0;
	struct pt_vma v;
	char *line = NULL, *path;
	ssize_t len;
	int ret = 0;

	m->rows = NULL;
	m->nr = 0;
	/* the lines are checked, not kept: no path goes to any pool */
	path = malloc(PATH_MAX);
	if (!path)
		return -ENOMEM;
	while ((len = getline(&line, &linecap, f)) > 0) {
		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (pt_maps_fields(line, &v, path) < 0) {
			ret = -EINVAL;
			goto out_free;
		}
		ret = pt_grow(&m->rows, &cap, m->nr, sizeof(*m->rows), 64);
		if (ret < 0)
			goto out_free;
		m->rows[m->nr].start = v.start;
		m->rows[m->nr].end = v.end;
		m->rows[m->nr].line = strdup(line);
		if (!m->rows[m->nr].line) {
			ret = -ENOMEM;
			goto out_free;
		}
		m->nr++;
	}
	if (ferror(f))
		ret = -EIO;
out_free:
	if (ret < 0)
		pt_maps_free(m);
	free(line);
	free(path);
	return ret;
}

int pt_maps_read(pid_t pid, struct pt_maps *m, struct pt_err *err)
{
	FILE *f;
	int fd, ret;

	fd = pt_proc_open(pid, "maps", O_RDONLY, err);
	if (fd < 0)
		return fd;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	}
	errno = 0;
	ret = pt_maps_parse(f, m);
	fclose(f);
	if (ret == -ENOMEM)
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	if (ret == -EINVAL)
		return pt_err_set(err, PT_PROC_IO,
				  "cannot parse /proc/%d/maps", (int)pid);
	if (ret < 0)
		return pt_proc_error(pid, "maps", errno ? errno : EIO, err);
	/* an exited process reads as an empty maps file */
	if (!m->nr && pt_proc_check(pid, NULL) < 0)
		return pt_err_set(err, PT_EXITED,
				  "process %d exited while it was inspected",
				  (int)pid);
	return 0;
}

const struct pt_maps_row *pt_maps_find(const struct pt_maps *m, uint64_t addr)
{
	size_t lo = 0, hi = m->nr;

	/* maps is sorted by address */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (addr < m->rows[mid].start)
			hi = mid;
		else if (addr >= m->rows[mid].end)
			lo = mid + 1;
		else
			return &m->rows[mid];
	}
	return NULL;
}

static size_t pt_maps_describe(const struct pt_maps_row *r, char *buf,
			       size_t len)
{
	const char *p = r->line;
	char safe[PATH_MAX];
	int field;

	/* address range and perms, then the path if any */
	for (field = 0; field < 5 && *p; field++) {
		p = strchr(p, ' ');
		if (!p)
			break;
		while (*p == ' ')
			p++;
	}
	pt_escape(safe, sizeof(safe), p ? p : "", 0);
	return snprintf(buf, len, "0x%" PRIx64 "-0x%" PRIx64 " %.4s%s%s",
			r->start, r->end, strchr(r->line, ' ') + 1,
			safe[0] ? " " : "", safe);
}

void pt_maps_nearest(const struct pt_maps *m, uint64_t addr, char *buf,
		     size_t len)
{
	const struct pt_maps_row *below = NULL, *above = NULL;
	size_t i, n = 0;

	for (i = 0; i < m->nr; i++) {
		if (m->rows[i].end <= addr)
			below = &m->rows[i];
		else if (m->rows[i].start > addr && !above)
			above = &m->rows[i];
	}
	buf[0] = '\0';
	if (below) {
		n += snprintf(buf + n, len - n, "below: ");
		if (n < len)
			n += pt_maps_describe(below, buf + n, len - n);
	}
	if (above && n < len) {
		n += snprintf(buf + n, len - n, "%sabove: ", below ? "; " : "");
		if (n < len)
			pt_maps_describe(above, buf + n, len - n);
	}
	if (!below && !above)
		snprintf(buf, len, "it has no user mappings (a kernel thread?)");
}

int pt_smaps_parse_vmflags(const char *line, struct pt_vma *v)
{
	const char *p;

	if (strncmp(line, "VmFlags:", 8))
		return -EINVAL;
	v->nr_flags = 0;
	v->has_flags = true;
	for (p = line + 8; *p;) {
		size_t n;

		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		n = strcspn(p, " \t\n");
		if (!n)
			break;
		/* every flag is two letters (show_smap_vma_flags()) */
		if (n == 2 && v->nr_flags < PT_MAX_VMFLAGS) {
			memcpy(v->flags[v->nr_flags], p, 2);
			v->flags[v->nr_flags][2] = '\0';
			v->nr_flags++;
		}
		p += n;
	}
	v->kind = pt_vma_classify(v);
	return 0;
}

int pt_smaps_read(pid_t pid, struct pt_vma *v, struct pt_err *err)
{
	unsigned long long start, end, kps;
	size_t linecap = 0;
	char *line = NULL;
	bool in = false;
	FILE *f;
	int fd;

	fd = pt_proc_open(pid, "smaps", O_RDONLY, err);
	if (fd < 0)
		return fd;
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return pt_err_set(err, PT_NO_MEM, "out of memory");
	}
	while (getline(&line, &linecap, f) > 0) {
		if (sscanf(line, "%llx-%llx ", &start, &end) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			if (in)
				break;
			in = start == v->start;
			continue;
		}
		if (!in)
			continue;
		if (sscanf(line, "KernelPageSize: %llu kB", &kps) == 1)
			v->kernel_page_size = kps * 1024;
		else
			pt_smaps_parse_vmflags(line, v);
	}
	free(line);
	fclose(f);
	return 0;
}

void pt_smaps_cursor_init(struct pt_smaps_cursor *c, pid_t pid)
{
	memset(c, 0, sizeof(*c));
	c->pid = pid;
}

void pt_smaps_cursor_close(struct pt_smaps_cursor *c)
{
	if (c->f)
		fclose(c->f);
	free(c->line);
	memset(c, 0, sizeof(*c));
}

static bool pt_smaps_header(const char *line, unsigned long long *start)
{
	unsigned long long end;

	return sscanf(line, "%llx-%llx ", start, &end) == 2 &&
	       strchr(line, '-') < strchr(line, ' ');
}

int pt_smaps_cursor_read(struct pt_smaps_cursor *c, struct pt_vma *v)
{
	unsigned long long start, kps;
	bool in = false;
	int fd;

	if (!c->f && !c->failed) {
		fd = pt_proc_open(c->pid, "smaps", O_RDONLY, NULL);
		c->f = fd < 0 ? NULL : fdopen(fd, "r");
		if (!c->f) {
			if (fd >= 0)
				close(fd);
			c->failed = true;
		}
	}
	if (!c->f)
		return 0;
	for (;;) {
		if (!c->pending && getline(&c->line, &c->cap, c->f) <= 0)
			break;
		c->pending = false;
		if (pt_smaps_header(c->line, &start)) {
			if (in || start > v->start) {
				/* the next VMA's: keep it for the next call */
				c->pending = true;
				break;
			}
			in = start == v->start;
			continue;
		}
		if (!in)
			continue;
		if (sscanf(c->line, "KernelPageSize: %llu kB", &kps) == 1)
			v->kernel_page_size = kps * 1024;
		else
			pt_smaps_parse_vmflags(c->line, v);
	}
	return 0;
}

int pt_ksm_seen_read(void)
{
	FILE *f = fopen("/sys/kernel/mm/ksm/full_scans", "re");
	long scans;
	int ret;

	if (!f)
		return PT_KSM_UNREADABLE;
	ret = fscanf(f, "%ld", &scans);
	fclose(f);
	if (ret != 1 || scans < 0)
		return PT_KSM_UNREADABLE;
	return scans ? PT_KSM_HAS_RUN : PT_KSM_NEVER_RAN;
}

int pt_proc_status_u64(pid_t pid, const char *key, uint64_t *val)
{
	char path[40], line[256];
	size_t n = strlen(key);
	int ret = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return -ENOENT;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, key, n))
			continue;
		if (sscanf(line + n, "%" SCNu64, val) == 1)
			ret = 0;
		break;
	}
	fclose(f);
	return ret;
}
