/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interned strings: one copy of each distinct text for the whole run.  A
 * lab's steps repeat the same sentences, function names and citations
 * step after step (and a replay reads them from a file a hundred thousand
 * times), so a step keeps pointers, not buffers.
 *
 * Ownership: the pool owns every string and keeps it until the process
 * exits; callers never free what pt_intern() returns.  Not thread-safe
 * (ptinspect runs one thread).
 */
#ifndef PT_INTERN_H
#define PT_INTERN_H

#include <stddef.h>

/* The pool's copy of @s (equal strings, one pointer); NULL: out of memory. */
const char *pt_intern(const char *s);
/* As pt_intern(), of the first @len bytes of @s. */
const char *pt_intern_n(const char *s, size_t len);
/* How many distinct strings and bytes the pool holds (tests, bench). */
void pt_intern_stats(size_t *nr, size_t *bytes);

#endif
