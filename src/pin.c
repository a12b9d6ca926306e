// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <linux/io_uring.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "pin.h"

/* glibc has no wrappers and Debian 12 has no liburing in the base system */
static int pt_uring_setup(void)
{
	struct io_uring_params par;

	memset(&par, 0, sizeof(par));
	return (int)syscall(__NR_io_uring_setup, 1, &par);
}

int pt_pin(struct pt_pin *p, uintptr_t addr)
{
	struct iovec iov = { (void *)(addr & ~(uintptr_t)4095), 4096 };
	int ring, err;

	if (p->ring >= 0)
		return -EBUSY;
	ring = pt_uring_setup();
	if (ring < 0)
		return -errno;
	if (syscall(__NR_io_uring_register, ring, IORING_REGISTER_BUFFERS, &iov, 1)) {
		err = -errno;
		close(ring);
		return err;
	}
	p->ring = ring;
	return 0;
}

int pt_unpin(struct pt_pin *p)
{
	int err = 0;

	if (p->ring < 0)
		return -ENOENT;
	/* unpins now; the ring's own teardown at close runs in a worker, later */
	if (syscall(__NR_io_uring_register, p->ring, IORING_UNREGISTER_BUFFERS, NULL, 0))
		err = -errno;
	close(p->ring);
	p->ring = -1;
	return err;
}

void pt_pin_forget(struct pt_pin *p)
{
	if (p->ring >= 0)
		close(p->ring);
	p->ring = -1;
}
