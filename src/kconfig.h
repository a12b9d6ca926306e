/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the running kernel was built with: its CONFIG_ options, read from
 * /proc/config.gz (CONFIG_IKCONFIG_PROC), or else from
 * /boot/config-RELEASE as distributions install it.  A row that holds
 * only where an option is set (rows.h, config=) asks here.
 */
#ifndef PT_KCONFIG_H
#define PT_KCONFIG_H

/*
 * 1: CONFIG_@name is y or m in kernel @release's config; 0: it is not
 * set; -1: not known, because @release is not the running kernel (a
 * recording of another) or neither file could be read.  Each option is
 * read once.
 */
int pt_kconfig(const char *release, const char *name);

#endif
