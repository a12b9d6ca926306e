/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Status codes with one message table.  Lower layers return a negative
 * status (or -errno, which pt_status_from_errno() maps); only main and the
 * UI turn one into a message and an exit code.  The exit codes are
 * documented in man/ptinspect.8 (EXIT STATUS), generated from this table.
 */
#ifndef PT_STATUS_H
#define PT_STATUS_H

/* name, exit code, message */
#define PT_STATUS_TABLE(X)                                                     \
	X(OK, 0, "success")                                                    \
	X(INTERNAL, 1, "internal error")                                       \
	X(USAGE, 2, "invalid command line")                                    \
	X(BAD_ADDR, 2, "malformed address or range")                           \
	X(NO_PID, 3, "no such process")                                        \
	X(EXITED, 4, "the process exited while it was inspected")              \
	X(NOT_MAPPED, 5, "address not mapped")                                 \
	X(PERM, 6, "permission denied")                                        \
	X(PROC_IO, 7, "cannot read a /proc file")                              \
	X(NO_KMOD, 8, "the ptdump_helper module is not available")            \
	X(KMOD_PROTO, 9, "unexpected answer from the ptdump_helper module")    \
	X(NO_MEM, 10, "out of memory")                                        \
	X(CHANGED, 11, "the mapping changed while it was inspected")         \
	X(BAD_RECORDING, 12, "truncated, corrupt or newer recording")

enum pt_status {
#define PT_STATUS_ENUM(name, code, msg) PT_##name,
	PT_STATUS_TABLE(PT_STATUS_ENUM)
#undef PT_STATUS_ENUM
	PT_STATUS_NR
};

const char *pt_status_msg(enum pt_status st);
int pt_status_exit_code(enum pt_status st);
const char *pt_status_name(enum pt_status st);

/*
 * The detail of a failure: its status and one line naming what failed
 * ("no mapping at 0x1000; nearest: 0x400000-0x401000 r-xp /bin/true").
 * Filled by the layer that saw it, printed only by main or the UI.
 */
struct pt_err {
	enum pt_status status;
	char msg[512];
};

/* Sets @err (when not NULL) and returns -@st, so "return pt_err_set(...)". */
int pt_err_set(struct pt_err *err, enum pt_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
