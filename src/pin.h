/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A long-term pin of one page from user space, as a driver doing DMA
 * would hold it: an io_uring fixed buffer (IORING_REGISTER_BUFFERS), which
 * the kernel takes with pin_user_pages(FOLL_WRITE | FOLL_LONGTERM).  fork()
 * must then copy a pinned anonymous page for the child at once
 * (copy_present_page) instead of sharing it copy-on-write.
 */
#ifndef PT_PIN_H
#define PT_PIN_H

#include <stdint.h>

struct pt_pin {
	int ring;		/* the io_uring holding the pin, -1: none */
};

#define PT_PIN_INIT { .ring = -1 }

/* Pins the page at @addr; -errno (EBUSY: one pin at a time). */
int pt_pin(struct pt_pin *p, uintptr_t addr);
/* Releases the pin; -ENOENT when there is none. */
int pt_unpin(struct pt_pin *p);
/* In a child after fork(): the inherited ring is the parent's pin. */
void pt_pin_forget(struct pt_pin *p);

#endif
