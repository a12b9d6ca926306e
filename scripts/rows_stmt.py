# SPDX-License-Identifier: GPL-2.0
"""The statements, read by hand, that a row cites at a version where the
text is not the statement it cites elsewhere (the code changed between
the versions, or the row has no line at another version to compare with).

tests/vm/rows_cite.py checks a row's line against 6.12's (6.18's where it
has none) at every other version; where this table names the row and the
version, the line's text (whitespace normalised) must be the table's
instead.  scripts/rows-cite.py keeps such a line where it is, and finds the
text in the function where it moved.

An entry: (rows file, why, func (6.12's name), EVENT:WHO:WHAT=VALUE as a
shell pattern, {version: the text of the line}).  It applies to every row
of the file with that why and func whose EVENT:WHO:WHAT=VALUE the pattern
matches; each one was read in the tree of that version (6.1: Debian's
linux-source-6.1 6.1.192) and says what the row's why says.
"""
import fnmatch
import re

import ksrc

# 6.1's statements
HUGETLB_REUSE_61 = 'if (page_mapcount(old_page) == 1 && PageAnon(old_page)) {'
PFN_PTE_61 = 'entry = pte_mkspecial(pfn_t_pte(pfn, prot));'
PFN_PTE_WRITE_61 = 'entry = maybe_mkwrite(pte_mkdirty(entry), vma);'
PFN_PTE_SET_61 = 'set_pte_at(mm, addr, pte, entry);'
COPY_PMD_CHILD_61 = 'pmd = pmd_mkold(pmd_wrprotect(pmd));'
PFN_REUSE_61 = 'entry = maybe_mkwrite(pte_mkdirty(entry), vma);'
# 6.18's and 7.1's make_huge_pte() (folio_mk_pte() first, then the bits)
HUGETLB_MKWRITE = 'entry = pte_mkwrite_novma(pte_mkdirty(entry));'
HUGETLB_WRPROTECT = 'entry = pte_wrprotect(entry);'

STMT = [
    # fork write-protects the parent's pte one at a time (6.12: a batch,
    # wrprotect_ptes)
    ('x86_64.rows', 'COPY_PTE', 'copy_present_ptes', 'fork:parent:*',
     {'6.1': 'ptep_set_wrprotect(src_mm, addr, src_pte);'}),
    ('arm64.rows', 'COPY_PTE', 'copy_present_ptes', 'fork:parent:pfn=same',
     {'6.1': 'ptep_set_wrprotect(src_mm, addr, src_pte);'}),
    # the child's THP pmd write-protected and made old in one statement
    # (6.12 write-protects it apart, then pmd_mkold(pmd))
    ('x86_64.rows', 'COPY_PMD', 'copy_huge_pmd', 'fork:child:*', {'6.1': COPY_PMD_CHILD_61}),
    ('x86_64.rows', 'COPY_PMD_RO', 'copy_huge_pmd', 'fork:child:level=pmd', {'6.1': COPY_PMD_CHILD_61}),
    ('x86_64.rows', 'COPY_PMD_RO', 'pmd_mkold', 'fork:child:accessed=0', {'6.1': COPY_PMD_CHILD_61}),
    ('arm64.rows', 'COPY_PMD', 'pmd_mkold', 'fork:child:af=0', {'6.1': COPY_PMD_CHILD_61}),
    ('arm64.rows', 'COPY_PMD_RO', 'copy_huge_pmd', 'fork:child:level=pmd', {'6.1': COPY_PMD_CHILD_61}),
    ('arm64.rows', 'COPY_PMD_RO', 'pmd_mkold', 'fork:child:af=0', {'6.1': COPY_PMD_CHILD_61}),
    # x86 before SavedDirty (until 6.6, 6.1 only): the parent's pmd
    # write-protected keeps Dirty
    ('x86_64.rows', 'COPY_PMD', 'copy_huge_pmd', 'fork:parent:dirty=1',
     {'6.1': 'pmdp_set_wrprotect(src_mm, addr, src_pmd);'}),
    # a hugetlb entry made by make_huge_pte(): writable and dirty, or
    # write-protected (6.1 and 6.12 build it from the page in the same
    # statement; 6.18 makes it from the folio first, then sets the bits)
    ('arm64.rows', 'HUGETLB_READ', 'make_huge_pte', '*', {'6.18': HUGETLB_WRPROTECT, '7.1': HUGETLB_WRPROTECT}),
    ('x86_64.rows', 'HUGETLB_READ', 'make_huge_pte', '*', {'6.18': HUGETLB_WRPROTECT, '7.1': HUGETLB_WRPROTECT}),
    ('arm64.rows', 'HUGETLB_WP', 'make_huge_pte', '*', {'6.18': HUGETLB_MKWRITE, '7.1': HUGETLB_MKWRITE}),
    ('x86_64.rows', 'HUGETLB_WP', 'make_huge_pte', '*', {'6.18': HUGETLB_MKWRITE, '7.1': HUGETLB_MKWRITE}),
    ('arm64.rows', 'HUGETLB_SHARED', 'make_huge_pte', '*', {'6.18': HUGETLB_MKWRITE, '7.1': HUGETLB_MKWRITE}),
    ('x86_64.rows', 'HUGETLB_SHARED', 'make_huge_pte', '*', {'6.18': HUGETLB_MKWRITE, '7.1': HUGETLB_MKWRITE}),
    # a hugetlb write fault reuses the page only where this process
    # alone maps it (6.12 asks of the folio)
    ('arm64.rows', 'HUGETLB_WP', 'hugetlb_wp', '*', {'6.1': HUGETLB_REUSE_61}),
    ('x86_64.rows', 'HUGETLB_WP', 'hugetlb_wp', '*', {'6.1': HUGETLB_REUSE_61}),
    ('arm64.rows', 'HUGETLB_REUSE', 'hugetlb_wp', '*', {'6.1': HUGETLB_REUSE_61}),
    ('x86_64.rows', 'HUGETLB_REUSE', 'hugetlb_wp', '*', {'6.1': HUGETLB_REUSE_61}),
    # fork copies a maybe-pinned huge page for the child where the anon
    # rmap cannot be shared, leaving the parent's entry (6.12 asks of the
    # folio)
    ('common.rows', 'PIN_FORK_HUGETLB', 'copy_hugetlb_page_range', 'fork:parent:write=1',
     {'6.1': '} else if (page_try_dup_anon_rmap(ptepage, true,'}),
    # x86 before SavedDirty: the child's hugetlb entry write-protected
    # keeps Dirty
    ('x86_64.rows', 'COPY_HUGETLB', 'copy_hugetlb_page_range', 'fork:child:dirty=1',
     {'6.1': 'entry = huge_pte_wrprotect(entry);'}),
    # before huge pfnmaps (6.12) the driver's fault maps a special pte,
    # insert_pfn(): the pte from the pfn and vm_page_prot, for a write
    # made dirty and writable, and set
    ('x86_64.rows', 'PFN_PMD_FAULT', 'insert_pfn_pmd', '*:special=1', {'6.1': PFN_PTE_61}),
    ('x86_64.rows', 'PFN_PMD_FAULT', 'insert_pfn_pmd', '*:pfn_same=1', {'6.1': PFN_PTE_61}),
    ('x86_64.rows', 'PFN_PMD_FAULT', 'insert_pfn_pmd', '*:write=1', {'6.1': PFN_PTE_WRITE_61}),
    ('x86_64.rows', 'PFN_PMD_FAULT', 'insert_pfn_pmd', '*:dirty=1', {'6.1': PFN_PTE_WRITE_61}),
    ('x86_64.rows', 'PFN_READ', 'insert_pfn_pmd', '*', {'6.1': PFN_PTE_61}),
    ('x86_64.rows', 'PFN_READ', 'insert_pfn', '*:level=pte', {'6.1': PFN_PTE_SET_61}),
    ('x86_64.rows', 'PFN_PTE_FAULT', 'insert_pfn', '*:level=pte', {'6.1': PFN_PTE_SET_61}),
    ('x86_64.rows', 'SD_READ', 'insert_pfn', '*:level=pte', {'6.1': PFN_PTE_61}),
    ('arm64.rows', 'PFN_PMD_FAULT', 'insert_pfn_pmd', '*:pfn_same=1', {'6.1': PFN_PTE_61}),
    ('arm64.rows', 'PFN_READ', 'insert_pfn_pmd', '*:dirty=0', {'6.1': PFN_PTE_61}),
    ('arm64.rows', 'PFN_READ_RO', 'insert_pfn_pmd', '*:dirty=0', {'6.1': PFN_PTE_61}),
    ('arm64.rows', 'PFN_READ', 'insert_pfn', '*:level=pte', {'6.1': PFN_PTE_61}),
    ('arm64.rows', 'PFN_READ_RO', 'insert_pfn', '*:level=pte', {'6.1': PFN_PTE_61}),
    ('arm64.rows', 'PFN_PTE_FAULT', 'insert_pfn', '*:level=pte', {'6.1': PFN_PTE_61}),
    # a write to a shared pfnmap's read-only pte reuses it, writable and
    # dirty (6.12: the huge pmd's fault again)
    ('x86_64.rows', 'SD_WRITE', 'wp_huge_pmd', '*', {'6.1': 'return wp_pfn_shared(vmf);'}),
    # ... which wp_page_reuse() makes writable and dirty, soft-dirty too
    # (x86's pte_mkdirty(); 6.12: the pud's fault again, pud_mkdirty())
    ('x86_64.rows', 'SD_WRITE', 'maybe_pud_mkwrite', '*:write=1', {'6.1': PFN_REUSE_61}),
    ('x86_64.rows', 'SD_WRITE', 'pud_mkdirty', '*:dirty=1', {'6.1': PFN_REUSE_61}),
    ('x86_64.rows', 'SD_WRITE', 'pud_mkdirty', '*:soft_dirty=1',
     {'6.1': 'return pte_set_flags(pte, _PAGE_DIRTY | _PAGE_SOFT_DIRTY);'}),
    # soft-dirty tracking wants write-notify (6.18 cites
    # vma_set_page_prot(), which asks it)
    ('x86_64.rows', 'SHM_READ_WN', 'vma_set_page_prot', '*',
     {'6.1': 'if (vma_soft_dirty_enabled(vma) && !is_vm_hugetlb_page(vma))'}),
    # fork gives a maybe-pinned page's child its own copy
    ('x86_64.rows', 'PIN_FORK', 'copy_present_page', '*:pfn_same=0',
     {'6.1': 'copy_user_highpage(new_page, page, addr, src_vma);'}),
    ('arm64.rows', 'PIN_FORK', 'copy_present_page', '*:pfn_same=0',
     {'6.1': 'copy_user_highpage(new_page, page, addr, src_vma);'}),
    # clear_refs leaves a maybe-pinned page alone (6.12 asks of the folio)
    ('x86_64.rows', 'CSD_PINNED', 'pte_is_pinned', '*', {'6.1': 'return page_maybe_dma_pinned(page);'}),
    # fault-around maps the window's pages from the page cache
    ('common.rows', 'FAULT_AROUND', 'do_fault_around', '*',
     {'6.1': 'return vmf->vma->vm_ops->map_pages(vmf, start_pgoff, end_pgoff);'}),
    # a hugetlb fault with no entry (6.12 passes a vm_fault)
    ('common.rows', 'HUGETLB_FAULT', 'hugetlb_no_page', '*:level=pmd',
     {'6.1': 'return hugetlb_no_page(mm, vma, mapping, idx, address, ptep,'}),
    ('common.rows', 'HUGETLB_READ', 'hugetlb_no_page', '*:level=pmd',
     {'6.1': 'return hugetlb_no_page(mm, vma, mapping, idx, address, ptep,'}),
    # the split of a pinned THP at fork: the ptes writable as the pmd was
    # (6.12: pte_mkwrite where the pmd was writable)
    ('common.rows', 'PIN_FORK_THP', '__split_huge_pmd_locked', 'fork:parent:write=*',
     {'6.1': 'entry = maybe_mkwrite(entry, vma);'}),
    # 6.1's rows alone (until=6.2 or 6.6): no other version to compare
    # with.  6.1's split makes the ptes from vm_page_prot and never
    # pte_mkdirty(); arm64's pte_mkwrite() leaves PTE_RDONLY set on a
    # clean pte; change_huge_pmd() only pmd_modify()s
    ('common.rows', 'PIN_SPLIT_DIRTY_61', '__split_huge_pmd_locked', 'fork:parent:dirty=0',
     {'6.1': 'entry = mk_pte(page + i, READ_ONCE(vma->vm_page_prot));'}),
    ('arm64.rows', 'PIN_SPLIT_DIRTY_61', 'pte_mkwrite', 'fork:parent:rdonly=1',
     {'6.1': 'if (pte_sw_dirty(pte))'}),
    # arm64 before contpte (6.9): the pte a write fault sets is made from
    # vm_page_prot, or from the old pte, neither with PTE_CONT
    ('arm64.rows', 'CONT_NONE_61', 'wp_page_copy', '*', {'6.1': 'entry = mk_pte(new_page, vma->vm_page_prot);'}),
    ('arm64.rows', 'CONT_NONE_61', 'wp_page_reuse', '*', {'6.1': 'entry = pte_mkyoung(vmf->orig_pte);'}),
    ('common.rows', 'MPROT_RW_THP_61', 'change_huge_pmd', '*',
     {'6.1': 'entry = pmd_modify(oldpmd, newprot);'}),
    ('x86_64.rows', 'MPROT_RW_OLD', 'pte_modify', '*', {'6.1': 'val &= _PAGE_CHG_MASK;'}),
    ('x86_64.rows', 'COPY_PTE', 'copy_present_pte', 'fork:parent:dirty=1',
     {'6.1': 'ptep_set_wrprotect(src_mm, addr, src_pte);'}),
    ('x86_64.rows', 'COPY_PTE', 'copy_present_pte', 'fork:child:dirty=1', {'6.1': 'pte = pte_wrprotect(pte);'}),
    # io_uring's buffers unregistered (and unpinned): 6.1 and 6.12 call
    # __io_sqe_buffers_unregister(), 6.18 frees the buffer table
    ('common.rows', 'UNPIN', 'io_sqe_buffers_unregister', '*',
     {'6.18': 'io_rsrc_data_free(ctx, &ctx->buf_table);', '7.1': 'io_rsrc_data_free(ctx, &ctx->buf_table);'}),
]

_SEL = re.compile(r'^[^: ]*:([^ ]+)')


def entry(rows, row):
    """The index in STMT of the entry for row of rows file (a basename),
    or None."""
    m = _SEL.match(row)
    p = ksrc.parse_row(row)
    w = re.search(r'\bwhy=(\S+)', row)
    if not m or not p or not w:
        return None
    func = ksrc.func_at(p[2], ksrc.BASE)
    for i, (f, why, fn, pat, _) in enumerate(STMT):
        if f == rows and why == w.group(1) and fn == func and fnmatch.fnmatchcase(m.group(1), pat):
            return i
    return None


def text(rows, row, v):
    """The statement read by hand that row cites at v, or None."""
    i = entry(rows, row)
    return None if i is None else STMT[i][4].get(v)
