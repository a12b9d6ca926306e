/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A JSON reader beside json.c's writer: one object per line (JSON
 * lines, as recordings are written) parsed into a tree of struct pt_jv,
 * then read member by member with the pt_rd_*() getters.
 *
 * Input is hostile (a recording comes from anyone): the parser refuses
 * a line longer than PT_JR_MAX_LINE, a container of more than
 * PT_JR_MAX_MEMBERS members and nesting deeper than PT_JR_MAX_DEPTH,
 * each with one reason and the column; strings must be what json.c
 * writes (escaped control characters only, valid UTF-8, nothing that
 * drives a terminal).  Numbers are integers; larger than 2^53 they are
 * written as "0x..." strings, which the getters take as numbers.
 *
 * Ownership: pt_jv_parse_object() fills @v, which the caller frees with
 * pt_jv_free() (also after a failure).  The getters keep the first
 * refusal in rd->why; once it is set, every getter does nothing.
 */
#ifndef PT_JSONREAD_H
#define PT_JSONREAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A line (a recording's step is a few KiB, its header with the
 * module's rows some tens), the members of one object or array (the
 * most json.c's users write is the layout's PT_MAX_ROWS rows), nesting.
 */
#define PT_JR_MAX_LINE 1048576	/* 1 MiB */
#define PT_JR_MAX_MEMBERS 1024
#define PT_JR_MAX_DEPTH 12

enum pt_jt { PT_J_NULL, PT_J_BOOL, PT_J_NUM, PT_J_STR, PT_J_ARR, PT_J_OBJ };

struct pt_jv {
	enum pt_jt t;
	bool b;
	bool neg;
	uint64_t num;		/* the magnitude; integers only */
	char *str;		/* strings */
	char *key;		/* an object member's key */
	struct pt_jv *kids;	/* arrays and objects */
	size_t nr;
};

/* Why a line is not JSON, and the 1-based column where that was seen. */
struct pt_jr_err {
	const char *why;
	size_t col;
};

/* [@p, @end) as one object and nothing after it: 0, or -1 with @e. */
int pt_jv_parse_object(const char *p, const char *end, struct pt_jv *v,
		       struct pt_jr_err *e);
void pt_jv_free(struct pt_jv *v);
/* @o (NULL: none) is an object with a member @key */
bool pt_jv_has(const struct pt_jv *o, const char *key);

/* Reading members: the first missing or mistyped one is the refusal. */
struct pt_rd {
	char why[160];		/* "" while all is well */
	/* a copy of @s for the owner's life (NULL: none; why says so) */
	const char *(*keep)(struct pt_rd *rd, const char *s);
	/* the owner's one copy of the first @n bytes of @s (NULL: none) */
	const char *(*intern)(struct pt_rd *rd, const char *s, size_t n);
	void *owner;		/* keep's and intern's */
};

/* Member @key of object @o if of type @t (or null with @null_ok). */
const struct pt_jv *pt_rd_get(struct pt_rd *rd, const struct pt_jv *o,
			      const char *key, enum pt_jt t, bool null_ok);
/* A number or a "0x..." string (@v NULL: 0) */
uint64_t pt_rd_num(const struct pt_jv *v, struct pt_rd *rd, const char *key);
uint64_t pt_rd_u64(struct pt_rd *rd, const struct pt_jv *o, const char *key);
int64_t pt_rd_i64(struct pt_rd *rd, const struct pt_jv *o, const char *key,
		  int64_t min, int64_t max);
bool pt_rd_bool(struct pt_rd *rd, const struct pt_jv *o, const char *key);
void pt_rd_str(struct pt_rd *rd, const struct pt_jv *o, const char *key,
	       char *buf, size_t len);
/* A string kept by rd->keep; NULL for null. */
const char *pt_rd_kept(struct pt_rd *rd, const struct pt_jv *o, const char *key);
const struct pt_jv *pt_rd_arr(struct pt_rd *rd, const struct pt_jv *o,
			      const char *key, size_t max);
/* The index of a name among @name(0..@nr-1). */
int pt_rd_name(struct pt_rd *rd, const struct pt_jv *o, const char *key,
	       const char *(*name)(int), int nr);

#endif
