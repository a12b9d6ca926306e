/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The version lives in the VERSION file alone: the Makefile passes it as
 * PT_VERSION.  A build outside the Makefile (the fuzzer, a syntax check)
 * gets a version that says so rather than failing.
 */
#ifndef PT_VERSION_H
#define PT_VERSION_H

#ifndef PT_VERSION
#define PT_VERSION "0.0.0-unversioned"
#endif

#endif
