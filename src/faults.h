/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The page faults of a watched process and of its shown child, with their
 * addresses, recorded by perf into one ring buffer per process, so that a
 * step of ptinspect --pid can name the event that made it ("write fault at
 * 0x7f... in child 4242") instead of "refresh".
 *
 * Two ways, the first that opens is used:
 *   x86's tracepoint exceptions:page_fault_user (address and error code:
 *   bit 1 tells a write from a read), through perf; its id is read from
 *   tracefs, or from a tracefs mounted in a private mount namespace of a
 *   short-lived child when none is mounted (root only);
 *   the software event PERF_COUNT_SW_PAGE_FAULTS with PERF_SAMPLE_ADDR,
 *   which has the address but not the kind of access.
 * The events follow a process's main thread only (the thread its pid
 * names): the kernel maps no ring of an inherited per-task event, and
 * one ring per thread is not worth it for a label.  Raw perf_event_open:
 * libpfm4 stays in pmu.c.
 */
#ifndef PT_FAULTS_H
#define PT_FAULTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum pt_faults_mode {
	PT_FAULTS_OFF,		/* perf refused: see the note */
	PT_FAULTS_TP,		/* exceptions:page_fault_user: write or read */
	PT_FAULTS_SW,		/* software page faults: address only */
};

struct pt_faults_ring {
	int fd;			/* -1: none */
	pid_t pid;
	void *base;
	size_t len;
};

/* Faults in the watched range drained since the last step (the lab's
 * counters count them all, per process). */
struct pt_faults_sum {
	unsigned int here[2];	/* [0] parent, [1] child */
	bool has_first;
	int first_who;
	uint64_t first_addr, first_time;
	int first_write;	/* 1 write, 0 read, -1 not told */
	uint64_t lost;		/* samples the kernel dropped (ring full) */
};

struct pt_faults {
	enum pt_faults_mode mode;
	int tp_id;
	struct pt_faults_ring ring[2];	/* [0] parent, [1] shown child */
	char note[200];			/* why faults are not recorded */
};

/*
 * Picks the way and opens it on @parent; PT_FAULTS_OFF with a note when
 * perf refuses both (perf_event_paranoid, permissions).  Call it before
 * tracing starts: it may wait for a child of its own.
 */
void pt_faults_open(struct pt_faults *f, pid_t parent);
/* Records @pid's faults as process @who (1: the child) from now on;
 * 0 stops.  For a new child call it while the child is held at its fork. */
void pt_faults_attach(struct pt_faults *f, int who, pid_t pid);
/* Empties both rings of the faults taken up to @until (pt_faults_now());
 * adds those in [@lo, @hi) to @sum. */
void pt_faults_drain(struct pt_faults *f, uint64_t lo, uint64_t hi, uint64_t until,
		     struct pt_faults_sum *sum);
/* CLOCK_MONOTONIC in ns, the clock of the samples. */
uint64_t pt_faults_now(void);
/* The step's label from @sum ("write fault at 0x... in child 42 (+1
 * more)"; "refresh (N fault samples lost)" when perf dropped some and none
 * is in the range); false when there is nothing to say. */
bool pt_faults_label(const struct pt_faults_sum *sum, const pid_t pid[2],
		     char *buf, size_t len);
void pt_faults_close(struct pt_faults *f);

#endif
