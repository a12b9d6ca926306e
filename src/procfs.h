/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Reading and parsing /proc/PID/maps and smaps, and turning errno from a
 * /proc file into a status a user can act on.  The parsers take strings
 * so that tests feed them saved or hostile text.
 */
#ifndef PT_PROCFS_H
#define PT_PROCFS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "intern.h"
#include "model.h"
#include "status.h"

struct pt_maps_row {
	uint64_t start, end;
	char *line;		/* owned: the maps line without its newline */
};

/* Owns its rows; free with pt_maps_free(). */
struct pt_maps {
	struct pt_maps_row *rows;
	size_t nr;
};

/* The process exists and is not a zombie: -PT_NO_PID, -PT_EXITED. */
int pt_proc_check(pid_t pid, struct pt_err *err);
/* Maps a failed open or read of /proc/PID/NAME to a status. */
int pt_proc_error(pid_t pid, const char *name, int errnum,
		  struct pt_err *err);
/* Opens /proc/PID/NAME (pid 0: /proc/NAME), mapping errors to status. */
int pt_proc_open(pid_t pid, const char *name, int flags, struct pt_err *err);

int pt_maps_read(pid_t pid, struct pt_maps *m, struct pt_err *err);
int pt_maps_parse(FILE *f, struct pt_maps *m);
void pt_maps_free(struct pt_maps *m);
const struct pt_maps_row *pt_maps_find(const struct pt_maps *m, uint64_t addr);
/* One line naming the mappings either side of @addr, for errors. */
void pt_maps_nearest(const struct pt_maps *m, uint64_t addr, char *buf,
		     size_t len);

/*
 * Parses one maps line into @v; its path (escaped) is interned in @pool,
 * or in the program's pool (intern.h) if @pool is NULL: a walk of one
 * address, whose path a lab step or a view keeps.  A caller that parses a
 * whole maps file passes a pool of its own and frees it after, so the
 * program's pool holds only the paths that were looked at.  -EINVAL: not
 * a maps line; -ENOMEM.
 */
int pt_maps_parse_line(const char *line, struct pt_vma *v, struct pt_intern *pool);
/* Parses a "VmFlags: rd wr mr" line into @v; -EINVAL if it is not one. */
int pt_smaps_parse_vmflags(const char *line, struct pt_vma *v);
/* Reads the smaps block of @v (found by its start) into @v. */
int pt_smaps_read(pid_t pid, struct pt_vma *v, struct pt_err *err);

/*
 * The number after @key ("VmPTE:", "Tgid:") in /proc/@pid/status, in
 * *@val: 0, or -ENOENT when the process or the line is not there.
 */
int pt_proc_status_u64(pid_t pid, const char *key, uint64_t *val);

/* KSM's state now (enum pt_ksm_seen), from /sys/kernel/mm/ksm/full_scans */
int pt_ksm_seen_read(void);

/*
 * smaps read forward once for many VMAs in address order: each block is
 * read once, so a whole-process walk costs one smaps read, not one per
 * VMA (smaps walks the page tables of every VMA it prints).
 */
struct pt_smaps_cursor {
	pid_t pid;
	FILE *f;
	bool failed;
	char *line;		/* the next block's header, once read */
	size_t cap;
	bool pending;
};

void pt_smaps_cursor_init(struct pt_smaps_cursor *c, pid_t pid);
/* Fills @v's VmFlags and KernelPageSize if smaps has its block; 0. */
int pt_smaps_cursor_read(struct pt_smaps_cursor *c, struct pt_vma *v);
void pt_smaps_cursor_close(struct pt_smaps_cursor *c);

#endif
