// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>

#include "termsize.h"

int pt_screen_size_parse(const char *s, int *cols, int *rows)
{
	char *end;
	long c, r;

	errno = 0;
	c = strtol(s, &end, 10);
	if (errno || end == s || *end != 'x')
		return -EINVAL;
	s = end + 1;
	r = strtol(s, &end, 10);
	if (errno || end == s || *end)
		return -EINVAL;
	/* a terminal's sizes, with room for the boxes */
	if (c < 40 || c > 1000 || r < 12 || r > 1000)
		return -ERANGE;
	*cols = (int)c;
	*rows = (int)r;
	return 0;
}
