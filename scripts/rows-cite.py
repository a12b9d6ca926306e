#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Re-cites rows files' src= lines at one statement across kernel trees.

Usage: rows-cite.py TREE-6.12.118 TREE-6.12-OLD TREE-6.18 TREE-7.1 [6.1=TREE] ROWS...
(rewrites each ROWS in place; what it could not find goes to stderr)

A row's src=FILE:LINE(6.1:N)(6.18:N)(7.1:N) cites 6.12 bare.  Its 6.12
line was read from a 6.12 other than Debian's 6.12.118 that the tests run
(most from 6.12.118, some from about 6.12.0), so first the 6.12 line is
re-based: where the line already lies in the function func= names (or
calls it, or defines it) in 6.12.118 it stays; else the
line of TREE-6.12-OLD near it that does (the line itself, else the nearest
within 8 lines that calls the function, else that lies in its body) gives
the statement's text, found inside the same function of 6.12.118.

Then the statement at 6.12.118 (its text, and the function that holds it)
is found in the same function of the 6.18 and 7.1 trees (by its name
there: func=NAME(6.18:NEW) where it was renamed), exactly, else with
whitespace normalised, else as the most similar line; a citation of a
definition line stays one.  A version where it cannot be found is said on
stderr and keeps a line only where one was read by hand (inside the
function, not its definition); no line is made up.  With a 6.1 tree
(Debian's 6.1.192), a row's 6.1 line stays where it lies in the function
(by its 6.1 name) and is 6.12's statement, else becomes that statement
found in 6.1's function, else stays as it was.  A 6.1 line is added only
for a statement read by hand (HAND_WHY) that 6.1's function has (NO61:
not where 6.1 maps otherwise).  Where scripts/rows_stmt.py holds the
statement a row cites at a version (read by hand there), the line is that
text, found in the function (or the one holding the row's line there)
nearest the line cited before.
"""
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ksrc  # noqa: E402
import rows_stmt  # noqa: E402


def qualifies(tree, path, func, line):
    """Whether line of path in tree cites func: in its body or a call."""
    lines = ksrc.lines_of(tree, path)
    if lines is None or not 1 <= line <= len(lines):
        return False
    # in its body, its definition, a call, a helper named after it, or a
    # constant it uses (arm64's PAGE_SHARED for vma_set_page_prot)
    return ksrc.is_stmt(lines[line - 1]) and ksrc.cites_func(tree, path, func, line) is None


def rebase_612(t612, told, path, func, old, why=None, what=None):
    """(6.12.118 line, how) for the old 6.12 line, or (None, why)."""
    keys = [(func, old, why, w) for w in what or ()] + [(func, old, why)]
    key = next((k for k in keys if k in HAND_WHY), None)
    if key:
        scope, text = HAND_WHY[key]
        n, how = ksrc.find_stmt(t612, path, scope, text)
        return n, 'read by hand' if n else 'the statement read by hand: ' + how
    if (func, old) in HAND:
        scope, text = HAND[(func, old)]
        n, how = ksrc.find_stmt(t612, path, scope, text)
        return n, 'read by hand' if n else 'the statement read by hand: ' + how
    if qualifies(t612, path, func, old):
        return old, 'kept'
    lines = ksrc.lines_of(told, path)
    if lines is None:
        return None, 'no %s in the old 6.12 tree' % path
    def wide(r):
        return [x for x in range(old - r, old + r + 1) if 1 <= x <= len(lines)]

    def helper(x):
        # a statement of a helper named after the function
        # (__copy_present_ptes for copy_present_ptes)
        sc = ksrc.enclosing(told, path, x)
        return (ksrc.is_stmt(lines[x - 1]) and sc is not None and sc[1] != x and
                func in sc[0] and sc[0] != func)
    pick = None
    if qualifies(told, path, func, old) or helper(old):
        pick = old
    else:
        for test, r in ((lambda x: ksrc.is_stmt(lines[x - 1]) and ksrc.calls(lines[x - 1], func), 8),
                        (lambda x: qualifies(told, path, func, x), 8),
                        (lambda x: ksrc.is_stmt(lines[x - 1]) and ksrc.calls(lines[x - 1], func), 40)):
            ok = [x for x in wide(r) if test(x)]
            if ok:
                pick = min(ok, key=lambda x: (abs(x - old), x))
                break
    if pick is None:
        return None, 'old 6.12 line %d is neither in %s() nor a call of it near' % (old, func)
    text = lines[pick - 1]
    scope = ksrc.enclosing(told, path, pick)
    name = scope[0] if scope else func
    # the line's place in 6.12.118: shifted as the function's start moved
    near = pick
    if scope:
        d = ksrc.definitions(t612, path, name)
        if d:
            near = d[0][0] + (pick - scope[1])
    n, how = ksrc.find_stmt(t612, path, name, text, near)
    if n is None:
        return None, how
    return n, 'rebased %d->%d (%s)' % (old, n, how)


RENAMED = {}
# The statement, read by hand in 6.12.118, of an old 6.12 line that lies in
# no function it names (read from another 6.12):
# (func, old line): (the function that holds it, its text).
HAND = {
    # the zero page mapped read-only and special on a read fault
    ('do_anonymous_page', 4700): ('do_anonymous_page', 'entry = pte_mkspecial(pfn_pte(my_zero_pfn(vmf->address),'),
    # a write fault: the new page's pte writable and dirty
    ('do_anonymous_page', 4736): ('do_anonymous_page', 'entry = pte_mkwrite(pte_mkdirty(entry), vma);'),
    # the copy mapped writable and dirty
    ('wp_page_copy', 3332): ('wp_page_copy', 'entry = maybe_mkwrite(pte_mkdirty(entry), vma);'),
    # the child's copy of a private hugetlb entry write-protected
    ('huge_pte_wrprotect', 5418): ('copy_hugetlb_page_range', 'entry = huge_pte_wrprotect(entry);'),
    ('huge_pte_wrprotect', 5419): ('copy_hugetlb_page_range', 'entry = huge_pte_wrprotect(entry);'),
    ('copy_hugetlb_page_range', 5419): ('copy_hugetlb_page_range', 'entry = huge_pte_wrprotect(entry);'),
    # a hugetlb write fault: the entry made writable and dirty
    ('set_huge_ptep_writable', 5203): ('set_huge_ptep_writable',
                                       'entry = huge_pte_mkwrite(huge_pte_mkdirty(huge_ptep_get(vma->vm_mm, address, ptep)));'),
    ('set_huge_ptep_writable', 5208): ('set_huge_ptep_writable',
                                       'entry = huge_pte_mkwrite(huge_pte_mkdirty(huge_ptep_get(vma->vm_mm, address, ptep)));'),
    # a shared page's write fault reuses the page
    ('wp_page_shared', 3450): ('wp_page_shared', 'wp_page_reuse(vmf, folio);'),
    # a shared write fault maps the page-cache page writable
    ('do_shared_fault', 5015): ('do_shared_fault', 'ret |= finish_fault(vmf);'),
    # soft-dirty tracking wants write-notify
    ('vma_wants_writenotify', 1930): ('vma_wants_writenotify',
                                      'if (vma_soft_dirty_enabled(vma) && !is_vm_hugetlb_page(vma))'),
    # the special ptes of a private pfnmap, made at mmap
    ('remap_pfn_range', 2490): ('remap_pfn_range', 'err = remap_pfn_range_notrack(vma, addr, pfn, size, prot);'),
    # the long-term pin (a declaration was cited)
    ('io_sqe_buffer_register', 974): ('io_sqe_buffer_register',
                                      'pages = io_pin_pages((unsigned long) iov->iov_base, iov->iov_len,'),
    # MADV_DONTNEED refuses a VM_PFNMAP VMA (not the hugetlb test's
    # "return false;" that a text search lands on)
    ('madvise_dontneed_free_valid_vma', 865): ('madvise_dontneed_free_valid_vma',
                                               'unsigned int forbidden = VM_PFNMAP;'),
    # the child's own copy of a pinned hugetlb page
    ('hugetlb_install_folio', 5403): ('hugetlb_install_folio', 'set_huge_pte_at(vma->vm_mm, addr, ptep, newpte, sz);'),
}
# Rows that cited a function's definition (or a statement that is not what
# their why says), given the statement that does: (func, 6.12 line, why[,
# EVENT:WHO:WHAT, EVENT:WHAT or WHAT]): (function, text); the key with the
# row's EVENT:WHO:WHAT, else EVENT:WHAT, else WHAT, else none.
PMD_PFN = ('insert_pfn_pmd', 'entry = pmd_mkhuge(pfn_t_pmd(pfn, prot));')
PUD_PFN = ('insert_pfn_pud', 'entry = pud_mkhuge(pfn_t_pud(pfn, prot));')
COPY_SET = ('__copy_present_ptes', 'set_ptes(dst_vma->vm_mm, addr, dst_pte, pte, nr);')
COPY_OLD = ('__copy_present_ptes', 'pte = pte_mkold(pte);')
COPY_COW = ('__copy_present_ptes', 'if (is_cow_mapping(src_vma->vm_flags) && pte_write(pte)) {')
COPY_WP = ('__copy_present_ptes', 'wrprotect_ptes(src_mm, addr, src_pte, nr);')
HAND_WHY = {
    # a pfn pmd made from the pfn and vm_page_prot; for a write, dirty
    # and writable
    ('insert_pfn_pmd', 1389, 'PFN_PMD_FAULT'): PMD_PFN,
    ('insert_pfn_pmd', 1389, 'PFN_PMD_FAULT', 'write'): ('insert_pfn_pmd', 'entry = maybe_pmd_mkwrite(entry, vma);'),
    ('insert_pfn_pmd', 1389, 'PFN_PMD_FAULT', 'dirty'): ('insert_pfn_pmd', 'entry = pmd_mkyoung(pmd_mkdirty(entry));'),
    ('insert_pfn_pmd', 1389, 'PFN_READ'): PMD_PFN,
    ('insert_pfn_pmd', 1389, 'SD_READ'): PMD_PFN,
    ('insert_pfn_pud', 1490, 'PFN_PUD_FAULT'): PUD_PFN,
    ('insert_pfn_pud', 1490, 'PFN_READ'): PUD_PFN,
    # fork's copy of a pte: the child's set from the parent's (the same
    # page), made old, clean for a shared mapping, write-protected only
    # for copy-on-write
    ('copy_present_ptes', 981, 'COPY_PTE', 'pfn_same'): COPY_SET,
    ('copy_present_ptes', 981, 'COPY_PTE', 'accessed'): COPY_OLD,
    ('copy_present_ptes', 981, 'PFN_PRIVATE_FORK', 'special'): ('copy_present_ptes',
                                                                'page = vm_normal_page(src_vma, addr, pte);'),
    ('copy_present_ptes', 981, 'PFN_PRIVATE_FORK', 'pfn_same'): COPY_SET,
    ('copy_present_ptes', 981, 'COPY_PFN_PTE', 'level'): COPY_SET,
    ('copy_present_ptes', 981, 'COPY_PFN_PTE', 'unchanged'): COPY_COW,
    ('copy_present_ptes', 981, 'COPY_PFN_PTE', 'write'): COPY_COW,
    ('copy_present_ptes', 981, 'COPY_PFN_PTE', 'dirty'): ('__copy_present_ptes', 'pte = pte_mkclean(pte);'),
    ('copy_present_ptes', 981, 'COPY_PFN_PTE', 'accessed'): COPY_OLD,
    # the same, where a row cited the definition's second line, or
    # write-protecting for an entry that is not (the parent's is
    # wrprotect_ptes, the child's pte_wrprotect; a read-only or shared
    # entry is copied as it is)
    ('copy_present_ptes', 951, 'COPY_PFN_PTE', 'level'): COPY_SET,
    ('copy_present_ptes', 958, 'COPY_PFN_PTE', 'unchanged'): COPY_COW,
    ('copy_present_ptes', 958, 'COPY_PFN_PTE', 'write'): COPY_COW,
    ('copy_present_ptes', 959, 'COPY_PTE', 'fork:parent:pfn'): COPY_WP,
    ('copy_present_ptes', 959, 'COPY_PTE', 'fork:parent:write'): COPY_WP,
    ('copy_present_ptes', 959, 'COPY_RO', 'unchanged'): COPY_COW,
    ('copy_present_ptes', 959, 'COPY_RO', 'write'): COPY_SET,
    ('copy_present_ptes', 959, 'PFN_PRIVATE_COPY'): COPY_SET,
    ('copy_present_ptes', 959, 'PFN_PRIVATE_COPY', 'unchanged'): COPY_COW,
    # a THP write fault: a THP, not the huge zero page, mapped writable
    # and dirty (from 6.18 in map_anon_folio_pmd(), the rows' func= says)
    ('do_huge_pmd_anonymous_page', 1324, 'THP_FAULT'): ('do_huge_pmd_anonymous_page',
                                                        'return __do_huge_pmd_anonymous_page(vmf, &folio->page, gfp);'),
    ('__do_huge_pmd_anonymous_page', 1192, 'THP_FAULT'): ('__do_huge_pmd_anonymous_page',
                                                          'entry = maybe_pmd_mkwrite(pmd_mkdirty(entry), vma);'),
    # the huge zero pmd split: ptes of the zero page, special
    ('__split_huge_zero_page_pmd', 2675, 'THP_SPLIT_OTHER'): ('__split_huge_zero_page_pmd',
                                                              'entry = pfn_pte(my_zero_pfn(addr), vma->vm_page_prot);'),
    ('__split_huge_zero_page_pmd', 2675, 'THP_SPLIT_OTHER', 'special'): ('__split_huge_zero_page_pmd',
                                                                         'entry = pte_mkspecial(entry);'),
    # a THP pmd reused on a write fault
    ('do_huge_pmd_wp_page', 1818, 'THP_WP'): ('do_huge_pmd_wp_page', 'entry = maybe_pmd_mkwrite(pmd_mkdirty(entry), vma);'),
    # write-protecting: arm64's pmd is a pte; x86 moves Dirty into
    # SavedDirty (pte_mksaveddirty) and does not move it back on mkwrite
    ('pmdp_set_wrprotect', 1408, 'COPY_PMD'): ('pmdp_set_wrprotect', '__ptep_set_wrprotect(mm, address, (pte_t *)pmdp);'),
    ('pmdp_set_wrprotect', 1407, 'COPY_PMD'): ('pmdp_set_wrprotect', 'new_pmd = pmd_wrprotect(old_pmd);'),
    ('huge_ptep_set_wrprotect', 455, 'COPY_HUGETLB'): ('huge_ptep_set_wrprotect', '__ptep_set_wrprotect(mm, addr, ptep);'),
    ('pte_wrprotect', 440, 'COPY_PTE'): ('pte_wrprotect', 'return pte_mksaveddirty(pte);'),
    ('pte_wrprotect', 440, 'CSD'): ('pte_wrprotect', 'return pte_mksaveddirty(pte);'),
    ('huge_pte_mkwrite', 23, 'HUGETLB_FAULT'): ('huge_pte_mkwrite', 'return pte_mkwrite_novma(pte);'),
    ('pte_mkwrite_novma', 210, 'ANON_FAULT'): ('pte_mkwrite_novma', 'pte = set_pte_bit(pte, __pgprot(PTE_WRITE));'),
    # the contiguous run unfolded: the pte without PTE_CONT, all 16
    # rewritten
    ('__contpte_try_unfold', 140, 'CONT_UNFOLD'): ('__contpte_try_unfold', 'contpte_convert(mm, addr, ptep, pte);'),
    ('__contpte_try_unfold', 140, 'CONT_UNFOLD', 'cont'): ('__contpte_try_unfold', 'pte = pte_mknoncont(pte);'),
    # the huge zero pmd, not made special before 6.18
    ('set_huge_zero_folio', 1310, 'HUGE_ZERO_READ'): ('set_huge_zero_folio', 'entry = pmd_mkhuge(entry);'),
    # no page tables copied for a shared VMA without anon pages
    ('vma_needs_copy', 1330, 'NEEDS_COPY'): ('vma_needs_copy', 'return false;'),
    # GUP takes the page from the pte
    ('follow_page_pte', 839, 'PIN_RW'): ('follow_page_pte', 'page = vm_normal_page(vma, address, pte);'),
    # only the VMA's flags change
    ('hugepage_madvise', 357, 'HUGEPAGE_ADVICE', 'madvise-hugepage:unchanged'): ('hugepage_madvise',
                                                                                '*vm_flags |= VM_HUGEPAGE;'),
    ('hugepage_madvise', 357, 'HUGEPAGE_ADVICE', 'madvise-nohugepage:unchanged'): ('hugepage_madvise',
                                                                                  '*vm_flags |= VM_NOHUGEPAGE;'),
    # an empty pte is skipped
    ('madvise_cold_or_pageout_pte_range', 343, 'PAGEOUT_EMPTY'): ('madvise_cold_or_pageout_pte_range',
                                                                  'if (pte_none(ptent))'),
    # an advice not known before 6.13
    ('madvise_behavior_valid', 1197, 'GUARD_REFUSED'): ('madvise_behavior_valid', 'return false;'),
    # a maybe-pinned page of a COW mapping is left alone
    ('pte_is_pinned', 1389, 'CSD_PINNED'): ('pte_is_pinned', 'return folio_maybe_dma_pinned(folio);'),
    ('clear_soft_dirty', 1405, 'CSD'): ('clear_soft_dirty', 'ptent = pte_clear_soft_dirty(ptent);'),
    ('copy_huge_pmd', 1618, 'COPY_PMD'): ('copy_huge_pmd', 'pmdp_set_wrprotect(src_mm, addr, src_pmd);'),
    ('copy_huge_pmd', 1618, 'COPY_PMD_RO'): ('copy_huge_pmd', 'pmd = pmd_mkold(pmd);'),
    ('copy_huge_pmd', 1618, 'COPY_HUGE_ZERO'): ('copy_huge_pmd', 'mm_get_huge_zero_folio(dst_mm);'),
}
BACK = {}      # a 6.12 name: the 6.1 name
# The same for old 6.1 lines that lie in no function they name in Debian's
# 6.1.192, read there by hand: (func, old 6.1 line): (function, text).
HAND61 = {
    # a maybe-pinned page is left alone (6.12 asks of the folio)
    ('pte_is_pinned', 1083): ('pte_is_pinned', 'return page_maybe_dma_pinned(page);'),
    # a pfn fault's pte (the old line was a comment of vm_map_pages)
    ('insert_pfn', 2106): ('insert_pfn', 'set_pte_at(mm, addr, pte, entry);'),
    # a hugetlb write fault reuses a page only this process maps
    ('hugetlb_wp', 5514): ('hugetlb_wp', 'if (page_mapcount(old_page) == 1 && PageAnon(old_page)) {'),
    # a hugetlb fault with no entry
    ('hugetlb_no_page', 5658): ('hugetlb_fault', 'return hugetlb_no_page(mm, vma, mapping, idx, address, ptep,'),
    # a read-only THP pmd copied made old (6.12's pmd_mkold(pmd), the
    # definition before): 6.1 write-protects and ages in one statement
    ('copy_huge_pmd', 1094): ('copy_huge_pmd', 'pmd = pmd_mkold(pmd_wrprotect(pmd));'),
    # fault-around maps the page cache's pages of the window
    ('do_fault_around', 4453): ('do_fault_around',
                                'return vmf->vma->vm_ops->map_pages(vmf, start_pgoff, end_pgoff);'),
}
TREES = {}
# Functions whose statement 6.1 has but does not run for the row: a pfnmap
# is not mapped by huge_fault before 6.12 (CONFIG_ARCH_SUPPORTS_PMD_PFNMAP),
# its ptes come from insert_pfn()
NO61 = {'insert_pfn_pmd', 'insert_pfn_pud'}


def renamed(name, v):
    """name at version v, from the renames the rows' func= fields say."""
    if v == '6.1':
        return BACK.get(name, name)
    return ksrc.func_at((name, RENAMED.get(name, [])), v)


def follow(t612, path, line, tree, vpath, func, fv):
    """The line in tree (vpath) of the statement at path:line of 6.12.118."""
    text = ksrc.lines_of(t612, path)[line - 1]
    scope = ksrc.enclosing(t612, path, line)
    v = next(k for k, t in TREES.items() if t == tree)
    if scope and scope[0] != func:
        scope = (renamed(scope[0], v),) + scope[1:]
    if scope and scope[1] == line:
        # a definition cited as such: the definition there
        name = fv if scope[0] == func else scope[0]
        d = ksrc.definitions(tree, vpath, name)
        if not d:
            return None, 'no %s in %s' % (name, vpath)
        return d[0][0], 'definition'
    names = []
    if scope:
        names.append(fv if scope[0] == func else scope[0])
        if scope[0] not in names:
            names.append(scope[0])
    else:
        names.append(fv)
    if fv not in names:
        # a helper of 6.12 (__copy_present_ptes) that 6.1 does not have:
        # the statement in the row's function there
        names.append(fv)
    why = ''
    for name in names:
        d = ksrc.definitions(tree, vpath, name)
        if not d:
            why = why or 'no %s() in %s' % (name, vpath)
            continue
        # where it would be, shifted as the function moved
        near = d[0][0] + (line - scope[1]) if scope else None
        n, how = ksrc.find_stmt(tree, vpath, name, text, near)
        if n is None and fv != func and ksrc.calls(text, func):
            # the call under the function's new name, else the one call
            # of it there whatever its arguments
            n, how = ksrc.find_stmt(tree, vpath, name, text.replace(func + '(', fv + '('), near)
            lines = ksrc.lines_of(tree, vpath)
            ns = [x for a, b in d for x in range(a, b + 1) if ksrc.calls(lines[x - 1], fv)]
            if n is None and len(ns) == 1:
                n, how = ns[0], 'the call of %s()' % fv
        if n:
            return n, how
        why = how
    return None, why


def handread(tree, vpath, func, line):
    """An existing line read by hand: in func's body, not its definition."""
    sc = ksrc.inside(tree, vpath, func, line)
    return bool(sc) and sc[0] != line


def by_table(row, where, v, tree, cites, path, fv):
    """(path, line) of the statement rows_stmt.py holds for row at v, or
    None where it holds none or it is not found (said on stderr)."""
    text = rows_stmt.text(os.path.basename(where.rsplit(':', 1)[0]), row, v)
    if text is None:
        return None
    vpath, had = cites.get(v, (path, None))
    scopes = [fv]
    sc = ksrc.enclosing(tree, vpath, had) if had else None
    if sc and sc[0] not in scopes:
        scopes.append(sc[0])
    for s in scopes:
        m, how = ksrc.find_stmt(tree, vpath, s, text, had)
        if m and how in ('exact', 'normalised'):
            if m != had:
                print('%s: %s at %s: :%s -> :%d (rows_stmt.py)' % (where, fv, v, had, m), file=sys.stderr)
            return vpath, m
    print('%s: %s at %s: no %r (rows_stmt.py); left as it was' % (where, fv, v, text), file=sys.stderr)
    return None


def cite_row(row, trees, where):
    t612, told, vtrees = trees
    p = ksrc.parse_row(row)
    if not p:
        return row
    src, cites, funcs = p
    path, old = cites[ksrc.BASE]
    func = ksrc.func_at(funcs, '6.12')
    if not path.startswith(('mm/', 'arch/', 'fs/', 'io_uring/', 'include/', 'kernel/')):
        return row
    if old is None:
        if TREES.get('6.1') and cites.get('6.1', (None, None))[1]:
            new = dict(cites)
            f1 = ksrc.func_at(funcs, '6.1')
            new['6.1'] = (by_table(row, where, '6.1', TREES['6.1'], cites, path, f1) or
                          hand_61(TREES['6.1'], cites['6.1'], f1, where))
            return row.replace('src=' + src, 'src=' + ksrc.join_src(new), 1)
        return row
    new = dict(cites)
    mw = re.search(r'\bwhy=(\S+)', row)
    mh = re.match(r'[^: ]*:([^: ]*):([^: ]*):([^= ]+)=', row)
    what = ('%s:%s:%s' % mh.groups(), '%s:%s' % (mh.group(1), mh.group(3)), mh.group(3)) if mh else None
    n, how = rebase_612(t612, told, path, func, old, mw.group(1) if mw else None, what)
    if n is None:
        d = ksrc.definitions(t612, path, func)
        if not d:
            print('%s: %s 6.12 :%d: %s; left as it was' % (where, func, old, how), file=sys.stderr)
            return row
        # no statement to follow: the function the row names, where it is
        # defined (read the statement by hand to do better)
        print('%s: %s 6.12 :%d: %s; cited at its definition, %d' % (where, func, old, how, d[0][0]),
              file=sys.stderr)
        n = d[0][0]
    new[ksrc.BASE] = by_table(row, where, ksrc.BASE, t612, {ksrc.BASE: (path, n)}, path, func) or (path, n)
    n = new[ksrc.BASE][1]
    hand = how == 'read by hand'
    for v, tree in vtrees:
        if not ksrc.holds(row, v):
            continue
        fv = ksrc.func_at(funcs, v)
        got = by_table(row, where, v, tree, cites, path, fv)
        if got:
            new[v] = got
            continue
        vpath = cites.get(v, (path, None))[0]
        m, how = follow(t612, path, n, tree, vpath, func, fv)
        if m is None and vpath != path:
            m, how = follow(t612, path, n, tree, path, func, fv)
            vpath = path if m else vpath
        if m is None and fv != func:
            # the row names another function here: where that is defined
            for f in (vpath, path):
                d = ksrc.definitions(tree, f, fv)
                if d:
                    print('%s: %s at %s: %s; cited at the definition of %s, %s:%d' %
                          (where, fv, v, how, fv, f, d[0][0]), file=sys.stderr)
                    new[v] = (f, d[0][0])
                    break
            if d:
                continue
        if m is None:
            had = cites.get(v, (None, None))[1]
            if had and handread(tree, vpath, fv, had):
                print('%s: %s at %s: %s; keeps :%d read by hand' % (where, fv, v, how, had), file=sys.stderr)
                continue
            print('%s: %s at %s: %s; not cited at %s' % (where, fv, v, how, v), file=sys.stderr)
            new.pop(v, None)
            continue
        if not how.startswith(('exact', 'definition')):
            print('%s: %s at %s: %s -> %s:%d' % (where, fv, v, how, vpath, m), file=sys.stderr)
        new[v] = (vpath, m)
    t61 = TREES.get('6.1')
    got = t61 and cites.get('6.1', (None, None))[1] and by_table(row, where, '6.1', t61, cites, path,
                                                                   ksrc.func_at(funcs, '6.1'))
    if got:
        new['6.1'] = got
    elif t61 and ksrc.holds(row, '6.1') and cites.get('6.1', (None, None))[1]:
        new['6.1'] = rebase_61(t612, path, n, t61, cites['6.1'], func, ksrc.func_at(funcs, '6.1'), where)
    elif t61 and ksrc.holds(row, '6.1') and hand and '6.1' not in cites and func not in NO61:
        # a statement read by hand: 6.1's too where 6.1 has it
        f1 = ksrc.func_at(funcs, '6.1')
        m, how61 = follow(t612, path, n, t61, path, func, f1)
        if m:
            print('%s: %s at 6.1: :%d added (%s)' % (where, f1, m, how61), file=sys.stderr)
            new['6.1'] = (path, m)
    return row.replace('src=' + src, 'src=' + ksrc.join_src(new), 1)


def hand_61(t61, cite, f1, where):
    """The 6.1 line read by hand for a row's old 6.1 line, if any."""
    f61, had = cite
    if (f1, had) not in HAND61:
        return cite
    scope, text = HAND61[(f1, had)]
    m, how = ksrc.find_stmt(t61, f61, scope, text)
    if m is None:
        print('%s: %s at 6.1 :%d: the statement read by hand: %s' % (where, f1, had, how), file=sys.stderr)
        return cite
    print('%s: %s at 6.1: :%d -> :%d (read by hand)' % (where, f1, had, m), file=sys.stderr)
    return (f61, m)


def rebase_61(t612, path, n, t61, cite, func, f1, where):
    """The 6.1 citation: kept where it lies in the function at 6.1 and is
    6.12's statement; else 6.12's statement found in 6.1, if it is."""
    f61, had = cite
    if (f1, had) in HAND61:
        return hand_61(t61, cite, f1, where)
    why = ksrc.cites_func(t61, f61, f1, had)
    # a definition is not the statement 6.12 cites inside a function
    defonly = ksrc._is_def(t61, f61, had) and not ksrc._is_def(t612, path, n)
    if not why and not defonly and ksrc.same_stmt(t612, path, n, func, t61, f61, had, f1):
        return cite
    m, how = follow(t612, path, n, t61, f61, func, f1)
    if m is None:
        print('%s: %s at 6.1 :%d: %s; %s; left as it was' %
              (where, f1, had, why or 'not 6.12\'s statement', how), file=sys.stderr)
        return cite
    print('%s: %s at 6.1: :%d -> :%d (%s)' % (where, f1, had, m, how), file=sys.stderr)
    return (f61, m)


def main():
    if len(sys.argv) < 6:
        print('usage: rows-cite.py TREE-6.12.118 TREE-6.12-OLD TREE-6.18 TREE-7.1 ROWS...', file=sys.stderr)
        sys.exit(2)
    t612, told, t618, t71 = sys.argv[1:5]
    TREES.update({'6.18': t618, '7.1': t71})
    if sys.argv[5].startswith('6.1='):
        TREES['6.1'] = sys.argv.pop(5)[4:]
    for rows in sys.argv[5:]:
        with open(rows, encoding='utf-8') as f:
            for r in f:
                p = ksrc.parse_row(r)
                if p:
                    for fv, fn in p[2][1]:
                        if fv == '6.12':
                            BACK[fn] = p[2][0]
                        elif fv == '6.1':
                            BACK[p[2][0]] = fn
                if p and p[2][1]:
                    RENAMED.setdefault(ksrc.func_at(p[2], '6.12'),
                                       [x for x in p[2][1] if ksrc.kv(x[0]) > ksrc.kv('6.12')])
    trees = (t612, told, (('6.18', t618), ('7.1', t71)))
    for rows in sys.argv[5:]:
        with open(rows, encoding='utf-8') as f:
            text = f.read().split('\n')
        out = [cite_row(r, trees, '%s:%d' % (rows, i + 1)) for i, r in enumerate(text)]
        with open(rows, 'w', encoding='utf-8') as f:
            f.write('\n'.join(out))


if __name__ == '__main__':
    main()
