/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The lab's subject processes.  ptinspect forks the parent subject P,
 * which runs pt_subject_run() and never returns; P forks the child C on
 * command, and C runs the same loop.  The protocol is one line each way:
 * the lab sends an event's line, made from its row's template in
 * PT_CMD_TABLE (lang.h), or "map KIND" when it starts; the answer is
 * "ok ..." or "err MESSAGE".  A line "c LINE" is for the child.
 * subject.c lists the lines it answers.
 */
#ifndef PT_SUBJECT_H
#define PT_SUBJECT_H

#include <stddef.h>

/* The subject processes: P, its child C, or (default) as the command says */
enum pt_who { PT_WHO_DEFAULT, PT_WHO_PARENT, PT_WHO_CHILD };

/* The kinds of mapping the lab makes, by their command-line names. */
#define PT_LAB_KINDS(X)                                                        \
	X(ANON, "anon", "private anonymous 4K (MADV_NOHUGEPAGE)")              \
	X(THP, "thp", "private anonymous, 2 MiB aligned, MADV_HUGEPAGE")       \
	X(SHARED, "shared", "MAP_SHARED anonymous")                            \
	X(FILE_PRIVATE, "file-private", "MAP_PRIVATE of a file on tmpfs")      \
	X(FILE_SHARED, "file-shared", "MAP_SHARED of a file on tmpfs")         \
	X(MEMFD, "memfd", "MAP_SHARED of a memfd")                             \
	X(HUGETLB, "hugetlb", "MAP_PRIVATE|MAP_HUGETLB, 2 MiB")                \
	X(HUGETLB_SHARED, "hugetlb-shared", "MAP_SHARED|MAP_HUGETLB, 2 MiB")   \
	X(PFNMAP, "pfnmap", "MAP_SHARED of ptdump_pfnmap's pfnmap, 2 MiB")     \
	X(PFNMAP_PUD, "pfnmap-pud", "MAP_SHARED of ptdump_pfnmap's pfnmap_pud, 1 GiB") \
	X(PFNMAP_PRIVATE, "pfnmap-private", "MAP_PRIVATE of ptdump_pfnmap's pfnmap, 2 MiB")

enum pt_lab_kind {
#define PT_LAB_KIND_ENUM(id, name, desc) PT_LAB_##id,
	PT_LAB_KINDS(PT_LAB_KIND_ENUM)
#undef PT_LAB_KIND_ENUM
	PT_LAB_NR_KINDS
};

/*
 * The advices `madvise` takes, by the names the command and the subject's
 * protocol use (subject.c maps each to its MADV_ value).  The first five
 * are in the order of explain.c's madvise events.
 */
#define PT_LAB_ADVICES(X)                                                      \
	X(DONTNEED, "dontneed") X(COLLAPSE, "collapse") X(PAGEOUT, "pageout")  \
	X(HUGEPAGE, "hugepage") X(NOHUGEPAGE, "nohugepage")                    \
	X(MERGEABLE, "mergeable")

enum pt_lab_advice {
#define PT_LAB_ADVICE_ENUM(id, name) PT_ADV_##id,
	PT_LAB_ADVICES(PT_LAB_ADVICE_ENUM)
#undef PT_LAB_ADVICE_ENUM
	PT_LAB_NR_ADVICES
};

const char *pt_lab_advice_name(enum pt_lab_advice a);

const char *pt_lab_kind_name(enum pt_lab_kind k);
const char *pt_lab_kind_desc(enum pt_lab_kind k);
int pt_lab_kind_parse(const char *s, enum pt_lab_kind *k);

/* Runs the command loop on @in/@out; exits the process at end of input. */
void pt_subject_run(int in, int out) __attribute__((noreturn));

/* Reads one line (without its newline) from @fd; -1 at end of file. */
int pt_read_line(int fd, char *buf, size_t len);

#endif
