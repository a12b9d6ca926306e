/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Structs as JSON through tables of their fields: one row per member
 * (its key, kind, offset, size, the range it is read back in, the names
 * of an enum, the element table of an array...).  pt_jf_write() walks a
 * table to write a struct with json.c, pt_jf_read() walks the same table
 * to fill the struct from a line parsed by jsonread.c: a row added to a
 * table is written and read.
 *
 * A row's member lives in the struct being walked, or (PT_JF_IN_1,
 * PT_JF_IN_2) in one of two other structs the caller names in struct
 * pt_jf_ctx: a recording's step holds members of the lab beside the
 * step's own.  PT_JF_HOOK rows call the caller's functions for what no
 * kind describes (a count that lives elsewhere, a lookup).
 *
 * The model's tables are here (a walk, its VMA, levels and pagemap
 * word, a decoder layout); the lab's are in record.c.
 */
#ifndef PT_JSONFIELD_H
#define PT_JSONFIELD_H

#include <stddef.h>
#include <stdint.h>

#include "json.h"
#include "model.h"

/* jsonread.h's, for the readers; a writer needs nothing of it */
struct pt_jv;
struct pt_rd;

enum pt_jf_kind {
	PT_JF_END,
	PT_JF_U64,	/* a number; read in [min, max], or any u64 when both are 0 */
	PT_JF_I64,	/* a signed number, read in [min, max] */
	PT_JF_HEX,	/* "0x..." */
	PT_JF_HEX_NULL,	/* "0x..." or null: the bool at aux says which */
	PT_JF_BOOL,
	PT_JF_STR,	/* a char array of size bytes */
	PT_JF_STR_NULL,	/* a char array, null when empty */
	PT_JF_PTR,	/* a const char *: "" for NULL, read back kept (rd->keep) */
	PT_JF_ISTR,	/* a const char *: "" for NULL, read back interned
			 * (rd->intern), cut to max bytes */
	PT_JF_ISTR_NULL,	/* as PT_JF_ISTR, null when NULL or empty */
	PT_JF_SOURCE,	/* a source's name: "kmod" or "pagemap" (static strings) */
	PT_JF_ENUM,	/* an int written as name(value), read as its index */
	PT_JF_OBJ,	/* a nested struct: the rows of sub */
	PT_JF_OBJ_NULL,	/* a nested struct or null: the bool at aux says which */
	PT_JF_ALSO,	/* the rows of sub, at this level (no key) */
	PT_JF_ARR,	/* nr (at aux) elements of elem bytes, the rows of sub;
			 * aux_size 0: always max elements */
	PT_JF_STRS,	/* nr (at aux) char arrays of size bytes, elem apart */
	PT_JF_HEXS,	/* nr (at aux) uint64_t words, as "0x..." */
	PT_JF_HOOK,	/* write() and read() */
};

enum pt_jf_in { PT_JF_IN_SELF, PT_JF_IN_1, PT_JF_IN_2 };

/* Row flags. */
#define PT_JF_OPT 1	/* written when non-zero (objects: the member at aux),
			 * read when present */
#define PT_JF_OLD 2	/* read when present: older files lack it */
#define PT_JF_WONLY 4	/* written only: the reader has it from elsewhere */
#define PT_JF_RONLY 8	/* read only: another row writes it */

struct pt_jf_ctx {
	void *in[3];	/* [PT_JF_IN_1], [PT_JF_IN_2]: the other structs */
};

struct pt_jf {
	const char *key;
	enum pt_jf_kind kind;
	unsigned char in;	/* enum pt_jf_in */
	unsigned char flags;	/* PT_JF_OPT... */
	unsigned char sign;	/* a signed integer */
	size_t off, size;
	int64_t min, max;
	size_t aux, aux_size;	/* the flag or count member */
	size_t elem, max_nr;	/* arrays: stride and most elements */
	const struct pt_jf *sub;
	const char *(*name)(int);	/* PT_JF_ENUM */
	int nr_names;
	const char *what;	/* an element, in errors: "a VmFlag" */
	/* arrays: a read element is whole (else "WHAT N is incomplete") */
	bool (*whole)(const void *elem);
	void (*write)(struct pt_json *j, const struct pt_jf *f, const void *base,
		      const struct pt_jf_ctx *c);
	void (*read)(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *f,
		     void *base, const struct pt_jf_ctx *c);
};

/* Rows for struct @T's member @m. */
#define PT_JF_SIGNED_(T, m) ((__typeof__(((T *)0)->m))-1 < (__typeof__(((T *)0)->m))1)
#define PT_JF_M_(T, m) .off = offsetof(T, m), .size = sizeof(((T *)0)->m)
#define PT_JF_INT(T, k, kd, m, lo, hi) { .key = k, .kind = kd, PT_JF_M_(T, m), \
	.sign = PT_JF_SIGNED_(T, m), .min = lo, .max = hi }
#define PT_JF_U64(T, k, m, lo, hi) PT_JF_INT(T, k, PT_JF_U64, m, lo, hi)
#define PT_JF_I64(T, k, m, lo, hi) PT_JF_INT(T, k, PT_JF_I64, m, lo, hi)
#define PT_JF_HEX(T, k, m) PT_JF_INT(T, k, PT_JF_HEX, m, 0, 0)
#define PT_JF_HEX_NULL(T, k, m, has) { .key = k, .kind = PT_JF_HEX_NULL, PT_JF_M_(T, m), \
	.aux = offsetof(T, has) }
#define PT_JF_BOOL(T, k, m) { .key = k, .kind = PT_JF_BOOL, PT_JF_M_(T, m) }
#define PT_JF_STR(T, k, m) { .key = k, .kind = PT_JF_STR, PT_JF_M_(T, m) }
#define PT_JF_STR_NULL(T, k, m) { .key = k, .kind = PT_JF_STR_NULL, PT_JF_M_(T, m) }
#define PT_JF_PTR(T, k, m) { .key = k, .kind = PT_JF_PTR, PT_JF_M_(T, m) }
/* @cut: the bytes kept, as the buffer it was written from kept them */
#define PT_JF_ISTR(T, k, m, cut) { .key = k, .kind = PT_JF_ISTR, PT_JF_M_(T, m), .max = cut }
#define PT_JF_ISTR_NULL(T, k, m, cut) { .key = k, .kind = PT_JF_ISTR_NULL, PT_JF_M_(T, m), \
	.max = cut }
#define PT_JF_SOURCE(T, k, m) { .key = k, .kind = PT_JF_SOURCE, PT_JF_M_(T, m) }
#define PT_JF_ENUM(T, k, m, fn, nr) { .key = k, .kind = PT_JF_ENUM, PT_JF_M_(T, m), \
	.sign = 1, .name = fn, .nr_names = nr }
#define PT_JF_OBJ(T, k, m, rows) { .key = k, .kind = PT_JF_OBJ, PT_JF_M_(T, m), .sub = rows }
#define PT_JF_OBJ_NULL(T, k, m, rows, has) { .key = k, .kind = PT_JF_OBJ_NULL, \
	PT_JF_M_(T, m), .sub = rows, .aux = offsetof(T, has) }
#define PT_JF_ALSO(rows) { .kind = PT_JF_ALSO, .sub = rows }
#define PT_JF_NR_(T, nr) .aux = offsetof(T, nr), .aux_size = sizeof(((T *)0)->nr)
#define PT_JF_ARR(T, k, m, rows, nr) { .key = k, .kind = PT_JF_ARR, .off = offsetof(T, m), \
	.elem = sizeof(((T *)0)->m[0]), \
	.max_nr = sizeof(((T *)0)->m) / sizeof(((T *)0)->m[0]), .sub = rows, PT_JF_NR_(T, nr) }
#define PT_JF_END_ROW { .kind = PT_JF_END }

/* A walk as a recording holds it (doc/ptinspect-recording.schema.json). */
extern const struct pt_jf pt_jf_walk[];
/* A decoder layout: its rows, values and swap types. */
extern const struct pt_jf pt_jf_layout[];

void pt_jf_write(struct pt_json *j, const struct pt_jf *t, const void *base,
		 const struct pt_jf_ctx *c);
/* @o's members into @base, by @t; a refusal lands in rd->why. */
void pt_jf_read(struct pt_rd *rd, const struct pt_jv *o, const struct pt_jf *t,
		void *base, const struct pt_jf_ctx *c);

/*
 * The pagemap word's flags, one writer for every output that shows them
 * (dump --json, ranges --json, a recording): present, swapped,
 * file_shared, exclusive, soft_dirty, uffd_wp, guard.
 */
void pt_json_pm_flags(struct pt_json *j, const struct pt_pagemap *pm);

#endif
