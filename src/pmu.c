// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pmu.h"

static void pt_pmu_note(struct pt_pmu *p, const char *name, const char *why)
{
	size_t n = strlen(p->note);

	if (strstr(p->note, name))
		return;
	snprintf(p->note + n, sizeof(p->note) - n, "%s%s: %s", n ? "; " : "",
		 name, why);
}

int pt_pmu_init(struct pt_pmu *p, const char *events, struct pt_err *err)
{
	char list[256], *tok, *save = NULL;
	int ret, w, i;

	memset(p, 0, sizeof(*p));
	for (w = 0; w < PT_PMU_NR_PROCS; w++)
		for (i = 0; i < PT_PMU_MAX; i++)
			p->fd[w][i] = -1;
	ret = pfm_initialize();
	if (ret != PFM_SUCCESS)
		return pt_err_set(err, PT_USAGE, "libpfm4: %s", pfm_strerror(ret));
	snprintf(list, sizeof(list), "%s", events);
	for (tok = strtok_r(list, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		struct perf_event_attr attr;
		pfm_perf_encode_arg_t arg;
		struct pt_pmu_event *e;

		if (p->nr == PT_PMU_MAX)
			return pt_err_set(err, PT_USAGE, "at most %d events", PT_PMU_MAX);
		memset(&attr, 0, sizeof(attr));
		memset(&arg, 0, sizeof(arg));
		arg.attr = &attr;
		arg.size = sizeof(arg);
		/* user and kernel: a fault taken inside a syscall counts too */
		ret = pfm_get_os_event_encoding(tok, PFM_PLM0 | PFM_PLM3,
						PFM_OS_PERF_EVENT_EXT, &arg);
		if (ret != PFM_SUCCESS)
			return pt_err_set(err, PT_USAGE, "unknown event '%s': %s", tok,
					  pfm_strerror(ret));
		e = &p->ev[p->nr++];
		snprintf(e->name, sizeof(e->name), "%s", tok);
		e->type = attr.type;
		e->config = attr.config;
		e->config1 = attr.config1;
		e->config2 = attr.config2;
	}
	return 0;
}

static int pt_perf_open(const struct pt_pmu_event *e, pid_t pid, bool user_only)
{
	struct perf_event_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = e->type;
	attr.config = e->config;
	attr.config1 = e->config1;
	attr.config2 = e->config2;
	attr.exclude_kernel = user_only;
	attr.exclude_hv = 1;
	return (int)syscall(SYS_perf_event_open, &attr, pid, -1, -1,
			    PERF_FLAG_FD_CLOEXEC);
}

void pt_pmu_detach(struct pt_pmu *p, int who)
{
	int i;

	for (i = 0; i < PT_PMU_MAX; i++) {
		if (p->fd[who][i] >= 0)
			close(p->fd[who][i]);
		p->fd[who][i] = -1;
	}
}

void pt_pmu_attach(struct pt_pmu *p, int who, pid_t pid)
{
	int i, fd;

	pt_pmu_detach(p, who);
	for (i = 0; i < p->nr; i++) {
		fd = pt_perf_open(&p->ev[i], pid, false);
		if (fd < 0 && (errno == EACCES || errno == EPERM))
			fd = pt_perf_open(&p->ev[i], pid, true);
		if (fd < 0) {
			pt_pmu_note(p, p->ev[i].name,
				    errno == ENOENT || errno == EOPNOTSUPP ?
					    "not countable on this machine (a virtual machine?)" :
					    strerror(errno));
			continue;
		}
		p->fd[who][i] = fd;
	}
}

void pt_pmu_read(const struct pt_pmu *p, int who, uint64_t *vals, bool *ok)
{
	int i;

	for (i = 0; i < p->nr; i++) {
		ok[i] = p->fd[who][i] >= 0 &&
			read(p->fd[who][i], &vals[i], sizeof(vals[i])) == sizeof(vals[i]);
		if (!ok[i])
			vals[i] = 0;
	}
}

void pt_pmu_close(struct pt_pmu *p)
{
	int w;

	for (w = 0; w < PT_PMU_NR_PROCS; w++)
		pt_pmu_detach(p, w);
	pfm_terminate();
}
