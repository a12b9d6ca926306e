# SPDX-License-Identifier: GPL-2.0
"""What in a kernel log fails a VM run: the headline of every report the
debug kernel's checkers print, and of the generic BUG/WARN/Oops paths.
Shared by check.py and its own test, tests/vm/test_klog.py."""
import re

# Each alternative is the fixed part of a kernel format string (6.12):
BAD = re.compile("|".join([
    r"\bBUG\b",                     # BUG: KASAN:, kernel BUG at, BUG: soft lockup, BUG: sleeping function...
    r"\bWARNING\b",                 # WARN*(), and lockdep: "WARNING: possible circular locking ..."
    r"\bOops\b",                    # arch/x86/kernel/dumpstack.c __die_header()
    r"KASAN",                       # mm/kasan/report.c
    r"circular locking|recursive locking|inconsistent lock state|lock inversion",  # kernel/locking/lockdep.c
    r"bad unlock balance|held lock freed|lock held when returning|possible deadlock",
    r"suspicious RCU usage|suspicious rcu_dereference",  # lockdep_rcu_suspicious()
    r"sleeping function called from invalid context|scheduling while atomic",  # kernel/sched/core.c
    r"soft lockup|hard LOCKUP",     # kernel/watchdog.c
    r"blocked for more than",       # kernel/hung_task.c
    r"\bstalls?\b",                 # kernel/rcu/tree_stall.h
    r"page_table_check",            # mm/page_table_check.c (BUG_ON and WARN_ON_ONCE name the file)
    r"Bad page|Bad rss-counter|bad pmd|bad pud|bad p4d|bad pgd",  # mm/page_alloc.c, mm/memory.c, fork.c
    r"page dumped because",         # dump_page() of VM_BUG_ON_PAGE and bad pages
    r"Call Trace|general protection|RIP:|Kernel panic|unable to handle",
]))


def bad_lines(text):
    """The lines of @text that report a kernel problem."""
    return [l for l in text.splitlines() if BAD.search(l)]
