// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/perf_event.h>
#include <perfmon/pfmlib_perf_event.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "pmu.h"

/*
 * libpfm4 is opened when a lab first asks for counters, not linked in:
 * loading it costs every run of ptinspect (a dump, a range) about a
 * millisecond before main(), its 44,000 relative relocations, which is
 * more than reading a GiB of THP takes.  The static builds (the VM
 * guests') link it (PT_PFM_LINKED).
 */
#ifdef PT_PFM_LINKED
#define pt_pfm_initialize pfm_initialize
#define pt_pfm_terminate pfm_terminate
#define pt_pfm_strerror pfm_strerror
#define pt_pfm_get_os_event_encoding pfm_get_os_event_encoding

static int pt_pfm_open(struct pt_err *err)
{
	(void)err;
	return 0;
}
#else
#include <dlfcn.h>

#define PT_PFM_SONAME "libpfm.so.4"

static __typeof__(pfm_initialize) *pt_pfm_initialize;
static __typeof__(pfm_terminate) *pt_pfm_terminate;
static __typeof__(pfm_strerror) *pt_pfm_strerror;
static __typeof__(pfm_get_os_event_encoding) *pt_pfm_get_os_event_encoding;

/* kept open for the program's life: counters may be opened again */
static int pt_pfm_open(struct pt_err *err)
{
	static void *lib;

	if (lib)
		return 0;
	lib = dlopen(PT_PFM_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return pt_err_set(err, PT_USAGE, "counters need libpfm4 (%s): %s",
				  PT_PFM_SONAME, dlerror());
	*(void **)&pt_pfm_initialize = dlsym(lib, "pfm_initialize");
	*(void **)&pt_pfm_terminate = dlsym(lib, "pfm_terminate");
	*(void **)&pt_pfm_strerror = dlsym(lib, "pfm_strerror");
	*(void **)&pt_pfm_get_os_event_encoding = dlsym(lib, "pfm_get_os_event_encoding");
	if (!pt_pfm_initialize || !pt_pfm_terminate || !pt_pfm_strerror ||
	    !pt_pfm_get_os_event_encoding) {
		dlclose(lib);
		lib = NULL;
		return pt_err_set(err, PT_USAGE, "%s lacks the functions ptinspect calls",
				  PT_PFM_SONAME);
	}
	return 0;
}
#endif

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
	ret = pt_pfm_open(err);
	if (ret)
		return ret;
	ret = pt_pfm_initialize();
	if (ret != PFM_SUCCESS)
		return pt_err_set(err, PT_USAGE, "libpfm4: %s", pt_pfm_strerror(ret));
	p->pfm = true;
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
		ret = pt_pfm_get_os_event_encoding(tok, PFM_PLM0 | PFM_PLM3,
						PFM_OS_PERF_EVENT_EXT, &arg);
		if (ret != PFM_SUCCESS)
			return pt_err_set(err, PT_USAGE, "unknown event '%s': %s", tok,
					  pt_pfm_strerror(ret));
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
	if (p->pfm)
		pt_pfm_terminate();
	p->pfm = false;
}
