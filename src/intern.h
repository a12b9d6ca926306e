/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interned strings: one copy of each distinct text in a pool.  A lab's
 * steps repeat the same sentences, function names and citations step
 * after step (and a replay reads them from a file a hundred thousand
 * times), so a step keeps pointers, not buffers.
 *
 * Ownership: a pool owns its strings until pt_intern_free(); callers never
 * free what it returns.  pt_intern() uses the program's pool, kept until
 * exit: the explanations of a live lab, whose strings come from the rows
 * and the user's --expect, a bounded set.  Strings read from a file go to
 * a pool of that file's (a replay's), freed with it.  Not thread-safe
 * (ptinspect runs one thread).
 */
#ifndef PT_INTERN_H
#define PT_INTERN_H

#include <stddef.h>

struct pt_intern {
	char **slot;		/* open addressing, grown at half full */
	size_t cap, nr, bytes;
};

/* @pool's copy of the first @len bytes of @s; NULL: out of memory. */
const char *pt_intern_in(struct pt_intern *pool, const char *s, size_t len);
/* Frees @pool's strings and clears it. */
void pt_intern_free(struct pt_intern *pool);

/* The program's pool's copy of @s (equal strings, one pointer); NULL: out of memory. */
const char *pt_intern(const char *s);
/* How many distinct strings and bytes the program's pool holds. */
void pt_intern_stats(size_t *nr, size_t *bytes);

#endif
