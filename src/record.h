/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Recordings: every step of a lab or --pid session, as JSON lines, so a
 * session can be replayed anywhere (ptinspect replay) with no root, no
 * module and no subject.
 *
 * A recording is one header line ("recording": the format's version,
 * "version": ptinspect's, the kernel, the architecture, the source, the
 * decoder layout in force), one line per step (the raw entries of both
 * processes, the pagemap words, counters, changes, explanation and
 * checks, the event and its error), and one "end" line.  man/ptinspect.8
 * (RECORDINGS) describes it; doc/ptinspect-recording.schema.json checks it.
 *
 * The writer writes to a temporary file in the destination's directory,
 * one write(2) per line, and renames it into place when the session ends,
 * or from the SIGINT/SIGTERM handler it installs where nothing else
 * handles those signals: the file named by the user is always whole.
 *
 * The reader refuses a truncated, corrupt or newer recording with
 * -PT_BAD_RECORDING and one line in err->msg.
 */
#ifndef PT_RECORD_H
#define PT_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "intern.h"
#include "jsonread.h"
#include "status.h"

/* The format's version: a reader refuses a larger one. */
#define PT_RECORDING_VERSION 1

struct pt_lab;
struct pt_lab_step;
struct pt_source;
struct pt_record;

/* Opens @path's temporary file; the lab then writes each step (lab.c). */
int pt_record_open(struct pt_record **r, const char *path, struct pt_err *err);
/*
 * Appends step @i of @lab (the header first) to the recording @rec (a
 * struct pt_record): the lab's observer (lab.h), registered after the
 * explainer, whose explanation it writes.  Errors are kept for close.
 */
void pt_record_step(void *rec, struct pt_lab *lab, size_t i);
/* Writes the end line and renames the file into place; frees @r. */
int pt_record_close(struct pt_record *r, struct pt_err *err);

/*
 * A recording read back: a lab whose steps were appended from the file
 * (pt_lab_append(), as a live lab's), the recorded source (its layout,
 * release and name; no ops: it reads no process), and the strings the
 * steps point to.
 */
struct pt_replay {
	struct pt_source *src;
	struct pt_lab *lab;
	char mode[8];		/* "lab" or "pid" */
	char recorded_version[32];	/* ptinspect's that wrote it */
	char **strs;		/* owned strings (layout names) */
	size_t nr_strs, cap_strs;
	/* the explanations' strings, one copy each however many steps say it */
	struct pt_intern pool;
};

/*
 * One line of a recording, through the field tables of record.c: the
 * header and a step written with json.c (the line's newline included),
 * and read back from a parsed line (jsonread.h) into @rp, or into @lab
 * and @s; a refusal lands in rd->why.  A step's line holds the lab as
 * it stood (its kind, address, pids), which pt_rd_step() sets in @lab.
 */
struct pt_json;
void pt_rec_header(struct pt_json *j, const struct pt_lab *lab);
void pt_rec_step(struct pt_json *j, const struct pt_lab *lab,
		 const struct pt_lab_step *s);
void pt_rd_header(struct pt_rd *rd, const struct pt_jv *o, struct pt_replay *rp);
void pt_rd_step(struct pt_rd *rd, const struct pt_jv *o, struct pt_lab *lab,
		struct pt_lab_step *s);

/*
 * The reader's limits, each refused as a bad recording: a line and the
 * members of one object or array are the JSON reader's (jsonread.h);
 * the steps of a file (each step takes sizeof(struct pt_lab_step) of
 * memory, 4,288 bytes on x86_64, a third of it the changes, plus its
 * checked rows: 100,000 steps peak at 435 MB; record.sh bounds it at
 * 6 KiB a step).
 */
#define PT_REPLAY_MAX_LINE PT_JR_MAX_LINE
#define PT_REPLAY_MAX_MEMBERS PT_JR_MAX_MEMBERS
#define PT_REPLAY_MAX_STEPS 100000

/* Parses @len bytes of @text (not NUL-terminated) into @rp. */
int pt_replay_parse(const char *text, size_t len, struct pt_replay *rp,
		    struct pt_err *err);
/* The file at @path, read a line at a time (-PT_USAGE: not readable). */
int pt_replay_load(const char *path, struct pt_replay *rp, struct pt_err *err);
void pt_replay_free(struct pt_replay *rp);

#endif
