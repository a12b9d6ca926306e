/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event counters per lab step, through libpfm4 and perf_event_open().
 * Only pmu.c includes libpfm4.  Counters are opened on a process (the
 * subject P or its child C); an event this machine cannot count (a
 * hardware event in most virtual machines) is noted and left out, not an
 * error.
 */
#ifndef PT_PMU_H
#define PT_PMU_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "status.h"

#define PT_PMU_MAX 8
#define PT_PMU_DEFAULT "minor-faults,major-faults"

enum { PT_PMU_PARENT, PT_PMU_CHILD, PT_PMU_NR_PROCS };

struct pt_pmu_event {
	char name[48];		/* as the user spelled it */
	uint32_t type;
	uint64_t config, config1, config2;
	bool exclude_kernel;
};

/* Owns its file descriptors: pt_pmu_close(). */
struct pt_pmu {
	int nr;
	struct pt_pmu_event ev[PT_PMU_MAX];
	int fd[PT_PMU_NR_PROCS][PT_PMU_MAX];	/* -1: not counting */
	char note[256];		/* what could not be counted, said once */
	bool pfm;		/* libpfm4 initialised: pt_pmu_close() ends it */
};

/* Resolves a comma-separated list of perf-style event names. */
int pt_pmu_init(struct pt_pmu *p, const char *events, struct pt_err *err);
/* Starts counting on @pid as @who, closing what counted there before. */
void pt_pmu_attach(struct pt_pmu *p, int who, pid_t pid);
void pt_pmu_detach(struct pt_pmu *p, int who);
/* Current counts; @ok[i] false where event i is not counted. */
void pt_pmu_read(const struct pt_pmu *p, int who, uint64_t *vals, bool *ok);
void pt_pmu_close(struct pt_pmu *p);

#endif
