/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A terminal's size as the `screen` command takes it, "COLSxROWS": parsed
 * where the line is parsed (lang.c) and where the screen is laid out
 * (screen.c), with nothing of either, so the language needs no view.
 */
#ifndef PT_TERMSIZE_H
#define PT_TERMSIZE_H

/* 0, -EINVAL (not COLSxROWS) or -ERANGE (no room for the screen's boxes). */
int pt_screen_size_parse(const char *s, int *cols, int *rows);

#endif
