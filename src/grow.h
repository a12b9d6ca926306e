/* SPDX-License-Identifier: GPL-2.0 */
/* Growing an array by doubling, shared by the parsers. */
#ifndef PT_GROW_H
#define PT_GROW_H

#include <errno.h>
#include <stdlib.h>

/*
 * Makes room in *@arr (of *@cap elements of @size bytes) for element @n,
 * doubling from @first; 0 or -ENOMEM, *@arr unchanged on failure.
 */
static inline int pt_grow(void *arr, size_t *cap, size_t n, size_t size,
			  size_t first)
{
	void **p = arr, *more;
	size_t c;

	if (n < *cap)
		return 0;
	c = *cap ? *cap * 2 : first;
	more = realloc(*p, c * size);
	if (!more)
		return -ENOMEM;
	*p = more;
	*cap = c;
	return 0;
}

#endif
