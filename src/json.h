/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A streaming JSON writer: the caller opens and closes objects and arrays
 * in order; the writer places commas, indentation and escapes.  @key is
 * NULL inside arrays and at the top.  Output goes to a FILE the caller owns.
 * Every document (the outermost object, or each object of an outermost
 * array) starts with "version": the ptinspect that wrote it (VERSION).
 */
#ifndef PT_JSON_H
#define PT_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PT_JSON_MAX_DEPTH 16

struct pt_json {
	FILE *f;
	bool pretty;
	int depth;
	bool first[PT_JSON_MAX_DEPTH];
	bool overflow;		/* nesting too deep: output is not valid */
	bool top_array;		/* the outermost value is an array */
};

void pt_json_init(struct pt_json *j, FILE *f, bool pretty);
void pt_json_obj_begin(struct pt_json *j, const char *key);
void pt_json_obj_end(struct pt_json *j);
void pt_json_arr_begin(struct pt_json *j, const char *key);
void pt_json_arr_end(struct pt_json *j);
void pt_json_str(struct pt_json *j, const char *key, const char *val);
void pt_json_u64(struct pt_json *j, const char *key, uint64_t val);
void pt_json_i64(struct pt_json *j, const char *key, int64_t val);
/* A number as a "0x..." string: JSON numbers lose bits above 2^53. */
void pt_json_hex(struct pt_json *j, const char *key, uint64_t val);
void pt_json_bool(struct pt_json *j, const char *key, bool val);
void pt_json_null(struct pt_json *j, const char *key);
/* Ends the document with a newline. */
void pt_json_end(struct pt_json *j);

#endif
