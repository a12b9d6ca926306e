// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "explain.h"
#include "lab.h"

#define PT_EV_MAP PT_C_NR	/* the "map KIND" step that starts a lab */
#define PT_EV_NONE (PT_C_NR + 1)	/* nothing to expect */
#define PT_EV_MPROTECT_RO (PT_C_NR + 2)	/* mprotect's two directions differ */
#define PT_EV_MPROTECT_RW (PT_C_NR + 3)

/* phases of a lab: before fork, forked, the child has written */
#define P0 1u
#define P1 2u
#define P2 4u
#define PANY (P0 | P1 | P2)
/* the parent's page pinned (pin parent) before fork, and forked so */
#define P0P 8u
#define P1P 16u
/* a state the table does not model (a pin after fork): no expectations */
#define PX 32u
/* clear-soft-dirty before fork: shared mappings are write-notified */
#define P0W 64u
#define PALL (PANY | P0P | P1P | PX | P0W)

#define KB(k) (1u << PT_LAB_##k)
#define K_COW (KB(ANON) | KB(FILE_PRIVATE))
#define K_SHM (KB(SHARED) | KB(FILE_SHARED) | KB(MEMFD))
#define K_ALL ((1u << PT_LAB_NR_KINDS) - 1)
#define K_PFN (KB(PFNMAP) | KB(PFNMAP_PUD))	/* the shared ones */

#define SD PT_KV(6, 6)		/* saved-dirty: x86 pxx_wrprotect() moves Dirty */
#define HP PT_KV(6, 12)		/* huge pfnmaps: CONFIG_ARCH_SUPPORTS_PMD/PUD_PFNMAP */

#define PAR PT_WHO_PARENT
#define CHI PT_WHO_CHILD
#define ANY PT_WHO_DEFAULT

/* "level" is the leaf's level, "pfn_same" parent's leaf PFN == child's,
 * "empty" no entry maps the page, "error" the event failed */
struct pt_expect {
	unsigned int since, until;
	unsigned int kinds;
	unsigned int event;	/* enum pt_cmd_id, or PT_EV_* */
	enum pt_who by;		/* who the event is about (ANY: either) */
	unsigned int phases;
	enum pt_who who;	/* whose entry */
	const char *what;
	long value;
	const char *func;
	const char *source;	/* file:line at 6.12 (and 6.1 where it differs) */
	const char *why;
};

static const char W_ANON_FAULT[] =
	"a write fault maps a new page writable and dirty (maybe_mkwrite(pte_mkdirty(entry)))";
static const char W_COPY_PTE[] =
	"fork copies the page tables of a private mapping; the page is copy-on-write, so the pte is write-protected in the parent and the child, and the child's is made old (pte_mkold); from 6.6 x86 write-protecting moves Dirty into SavedDirty (pte_wrprotect -> pte_mksaveddirty) so that Write=0,Dirty=1 never reads as shadow stack";
static const char W_WP_COPY[] =
	"a write to a copy-on-write page that another process still maps copies it: the writer gets a new page, writable and dirty (pte_mkwrite clears SavedDirty back into Dirty)";
static const char W_WP_REUSE[] =
	"a write to a copy-on-write page now mapped by this process alone reuses it (wp_can_reuse_anon_folio): the same page made writable and dirty";
static const char W_THP_FAULT[] =
	"a write fault in a MADV_HUGEPAGE region maps a whole 2 MiB THP with one pmd, writable and dirty";
static const char W_COPY_PMD[] =
	"fork copies a private THP's pmd: pmdp_set_wrprotect() in the parent, pmd_mkold(pmd_wrprotect()) for the child, one 2 MiB page mapped by both; from 6.6 pmd_wrprotect moves Dirty into SavedDirty";
static const char W_THP_WP[] =
	"a write to a THP mapped by more than one process splits that process's pmd (__split_huge_pmd) and retries as a pte fault, which copies one 4 KiB page";
static const char W_NEEDS_COPY[] =
	"fork copies no page tables of a shared mapping without anon pages (vma_needs_copy() is false): the child's entry is empty until it faults";
static const char W_SHM_READ[] =
	"a read fault in a shared writable shmem mapping maps the page-cache page writable (no write-notify), clean";
static const char W_SHM_WRITE[] =
	"a write to a shared mapping dirties the one page both processes map: no copy";
static const char W_HUGETLB_FAULT[] =
	"a write fault in a private hugetlb mapping maps the huge page via make_huge_pte() and hugetlb_wp() -> set_huge_ptep_writable(): huge_pte_mkdirty() runs while the entry is still read-only, so from 6.6 it moves Dirty into SavedDirty, and huge_pte_mkwrite() (pte_mkwrite_novma) does not move it back: a writable entry with SavedDirty set";
static const char W_COPY_HUGETLB[] =
	"fork copies a private hugetlb entry write-protected in both (huge_ptep_set_wrprotect, huge_pte_wrprotect) and does not make it old; from 6.6 wrprotect moves Dirty into SavedDirty";
static const char W_HUGETLB_WP[] =
	"a write to a shared private huge page copies all 2 MiB: the writer's new entry is made by make_huge_pte(writable), which dirties it read-only first";
static const char W_HUGETLB_SHARED[] =
	"a shared hugetlb mapping gets make_huge_pte(writable): dirty and writable even on a read fault";
static const char W_PFN_PMD_FAULT[] =
	"huge_fault maps the driver's memory with one special pmd (vmf_insert_pfn_pmd -> insert_pfn_pmd: pmd_mkspecial, and for a write pmd_mkdirty and maybe_pmd_mkwrite)";
static const char W_PFN_PUD_FAULT[] =
	"huge_fault maps 1 GiB of the driver's memory with one special pud (vmf_insert_pfn_pud -> insert_pfn_pud)";
static const char W_PFN_PTE_FAULT[] =
	"without huge pfnmap support the driver's fault maps one special pte (vmf_insert_pfn)";
static const char W_COPY_PFN_PMD[] =
	"fork copies a special pmd of a VM_SHARED pfnmap as it is, only made old (copy_huge_pmd -> set_pmd): a shared pfnmap keeps its write bit, the behaviour the huge pfnmap series introduced (vma_needs_copy() is true for VM_PFNMAP)";
static const char W_COPY_PFN_PUD[] =
	"fork copies a pud of a VM_SHARED pfnmap: copy_huge_pud() write-protects only a COW mapping (is_cow_mapping() && pud_write()), so the shared pud keeps Write; pud_mkold for the child";
static const char W_COPY_PFN_PTE[] =
	"fork copies the special ptes of a VM_SHARED pfnmap (vma_needs_copy() is true for VM_PFNMAP): not copy-on-write, so Write stays, but copy_present_pte() makes the child's clean (pte_mkclean for VM_SHARED) and old";
static const char W_PFN_PRIVATE_MAP[] =
	"a private pfnmap is filled whole at mmap by remap_pfn_range(), with the read-only copy-on-write protection";
static const char W_PFN_PRIVATE_WP[] =
	"a write to a special pte of a private pfnmap copies it into a new anonymous page (do_wp_page: no struct page to reuse -> wp_page_copy)";
static const char W_PFN_PRIVATE_FORK[] =
	"fork of a COW pfnmap whose first page was replaced by an anonymous page fails: track_pfn_copy() -> get_pat_info() cannot find the PFN and cache mode of the VMA's start any more (follow_phys fails) and returns -EINVAL, and fork() reports ENOMEM";
static const char W_PIN[] =
	"a long-term pin with FOLL_WRITE (io_uring fixed buffer -> pin_user_pages) first faults the page in writable, as a write would; the pin itself only raises the folio's pin count and changes no entry";
static const char W_PIN_FORK[] =
	"fork must not share a maybe-pinned anonymous page copy-on-write (a write fault would replace it under the device): the rmap refuses to duplicate it (folio_try_dup_anon_rmap_pte) and copy_present_page() gives the child its own copy, writable and dirty, leaving the parent's entry as it was";
static const char W_PIN_FORK_THP[] =
	"copy_huge_pmd() cannot duplicate a maybe-pinned THP's pmd: it splits the parent's pmd into ptes, which keep Write, and retries at pte level";
static const char W_PIN_SPLIT_DIRTY_61[] =
	"6.1's split leaves the ptes clean (the page is marked dirty instead)";
static const char W_PIN_SPLIT_DIRTY[] =
	"the split carries Dirty into the ptes";
static const char W_PIN_OWN[] =
	"after a pinned fork each process has its own page, already writable and dirty: the access needs no fault and changes nothing";
static const char W_UNPIN[] =
	"unpinning (IORING_UNREGISTER_BUFFERS -> unpin_user_pages) drops the pin count and touches no page table";
static const char W_MPROT_RO[] =
	"mprotect(PROT_READ) rewrites the leaf with pxx_modify(): Write is cleared, and as the old entry was writable x86 moves Dirty into SavedDirty (pxx_mksaveddirty) rather than leave a Write=0,Dirty=1 (shadow stack) entry";
static const char W_MPROT_RO_OLD[] =
	"mprotect(PROT_READ) clears Write with pxx_modify(); before saved-dirty (6.6) Dirty stays";
static const char W_MPROT_RW[] =
	"mprotect(PROT_READ|PROT_WRITE) of a shared pfnmap (no write-notify) takes Write from the new protection, and pxx_modify() of the read-only entry moves SavedDirty back into Dirty: pxx_clear_saveddirty() restores Dirty only where Write is set, the point made in the thread";
static const char W_MPROT_RW_OLD[] =
	"mprotect(PROT_READ|PROT_WRITE) of a shared pfnmap takes Write from the new protection (pte_modify)";
static const char W_MPROT_RW_THP[] =
	"a private THP's new protection has no Write (copy-on-write), but change_huge_pmd() makes an exclusive anonymous pmd writable at once (can_change_pmd_writable) with pmd_mkwrite(), which moves SavedDirty back into Dirty";
static const char W_MPROT_RW_THP_61[] =
	"6.1's change_huge_pmd() does not try to make the pmd writable: Write comes back with the next write fault";
static const char W_SD_READ[] =
	"clear_refs cleared VM_SOFTDIRTY and vma_set_page_prot() write-protected the shared pfnmap's vm_page_prot (vma_wants_writenotify(): soft-dirty tracking needs write faults), so a read fault maps the driver's memory read-only, clean and not soft-dirty";
static const char W_SD_WRITE[] =
	"the write faults on the read-only entry: wp_huge_pud() / wp_huge_pmd() call the driver's huge_fault() again, and vmf_insert_pfn_pud/pmd() on the existing entry sets Dirty and soft-dirty (pxx_mkdirty) and Write (maybe_pxx_mkwrite, which takes SavedDirty back into Dirty); before huge pfnmaps, wp_pfn_shared() reuses the pte, writable and dirty";
static const char W_FORK_OK[] = "fork succeeds";
static const char W_READ_COW[] =
	"a read of a copy-on-write page needs no fault: the entry stays write-protected";
static const char W_EXIT[] = "the child's exit changes nothing in the parent's entries";

static const struct pt_expect pt_expects[] = {
	/* anonymous 4K and private files: copy-on-write at pte level */
	{ 0, 0, K_COW, PT_C_WRITE, PAR, P0, PAR, "level", PT_PTE, "do_anonymous_page", "mm/memory.c:4736", W_ANON_FAULT },
	{ 0, 0, K_COW, PT_C_WRITE, PAR, P0, PAR, "write", 1, "do_anonymous_page", "mm/memory.c:4736", W_ANON_FAULT },
	{ 0, 0, K_COW, PT_C_WRITE, PAR, P0, PAR, "dirty", 1, "do_anonymous_page", "mm/memory.c:4736", W_ANON_FAULT },
	{ 0, 0, K_COW, PT_C_WRITE, PAR, P0, PAR, "saved_dirty", 0, "do_anonymous_page", "mm/memory.c:4736", W_ANON_FAULT },
	{ 0, 0, K_COW, PT_C_FORK, ANY, P0, PAR, "write", 0, "copy_present_ptes", "mm/memory.c:958 (6.1: 984)", W_COPY_PTE },
	{ 0, 0, K_COW, PT_C_FORK, ANY, P0, CHI, "write", 0, "copy_present_ptes", "mm/memory.c:958 (6.1: 984)", W_COPY_PTE },
	{ 0, 0, K_COW, PT_C_FORK, ANY, P0, CHI, "accessed", 0, "copy_present_ptes", "mm/memory.c:965 (6.1: 995)", W_COPY_PTE },
	{ 0, 0, K_COW, PT_C_FORK, ANY, P0, ANY, "pfn_same", 1, "copy_present_ptes", "mm/memory.c:981", W_COPY_PTE },
	{ SD, 0, K_COW, PT_C_FORK, ANY, P0, PAR, "dirty", 0, "pte_wrprotect", "arch/x86/include/asm/pgtable.h:440", W_COPY_PTE },
	{ SD, 0, K_COW, PT_C_FORK, ANY, P0, PAR, "saved_dirty", 1, "pte_wrprotect", "arch/x86/include/asm/pgtable.h:440", W_COPY_PTE },
	{ SD, 0, K_COW, PT_C_FORK, ANY, P0, CHI, "dirty", 0, "pte_wrprotect", "arch/x86/include/asm/pgtable.h:440", W_COPY_PTE },
	{ SD, 0, K_COW, PT_C_FORK, ANY, P0, CHI, "saved_dirty", 1, "pte_wrprotect", "arch/x86/include/asm/pgtable.h:440", W_COPY_PTE },
	{ 0, SD, K_COW, PT_C_FORK, ANY, P0, PAR, "dirty", 1, "copy_present_pte", "mm/memory.c (6.1: 984)", W_COPY_PTE },
	{ 0, SD, K_COW, PT_C_FORK, ANY, P0, CHI, "dirty", 1, "copy_present_pte", "mm/memory.c (6.1: 984)", W_COPY_PTE },
	{ 0, 0, K_COW, PT_C_READ, CHI, P1, CHI, "write", 0, "(no fault)", "-", W_READ_COW },
	{ 0, 0, K_COW, PT_C_READ, CHI, P1, ANY, "pfn_same", 1, "(no fault)", "-", W_READ_COW },
	{ 0, 0, K_COW, PT_C_WRITE, CHI, P1, CHI, "write", 1, "wp_page_copy", "mm/memory.c:3332", W_WP_COPY },
	{ 0, 0, K_COW, PT_C_WRITE, CHI, P1, CHI, "dirty", 1, "wp_page_copy", "mm/memory.c:3332", W_WP_COPY },
	{ 0, 0, K_COW, PT_C_WRITE, CHI, P1, CHI, "saved_dirty", 0, "wp_page_copy", "mm/memory.c:3332", W_WP_COPY },
	{ 0, 0, K_COW, PT_C_WRITE, CHI, P1, ANY, "pfn_same", 0, "wp_page_copy", "mm/memory.c:3332", W_WP_COPY },
	{ 0, 0, K_COW, PT_C_WRITE, CHI, P1, PAR, "write", 0, "wp_page_copy", "mm/memory.c:3332", W_WP_COPY },
	{ 0, 0, K_COW, PT_C_WRITE, PAR, P2, PAR, "write", 1, "do_wp_page", "mm/memory.c:3656", W_WP_REUSE },
	{ 0, 0, K_COW, PT_C_WRITE, PAR, P2, PAR, "dirty", 1, "do_wp_page", "mm/memory.c:3656", W_WP_REUSE },
	{ 0, 0, K_COW, PT_C_WRITE, PAR, P2, PAR, "saved_dirty", 0, "do_wp_page", "mm/memory.c:3656", W_WP_REUSE },

	/* private anonymous THP */
	{ 0, 0, KB(THP), PT_C_WRITE, PAR, P0, PAR, "level", PT_PMD, "do_huge_pmd_anonymous_page", "mm/huge_memory.c:1324", W_THP_FAULT },
	{ 0, 0, KB(THP), PT_C_WRITE, PAR, P0, PAR, "huge", 1, "do_huge_pmd_anonymous_page", "mm/huge_memory.c:1324", W_THP_FAULT },
	{ 0, 0, KB(THP), PT_C_WRITE, PAR, P0, PAR, "write", 1, "__do_huge_pmd_anonymous_page", "mm/huge_memory.c:1192", W_THP_FAULT },
	{ 0, 0, KB(THP), PT_C_WRITE, PAR, P0, PAR, "dirty", 1, "__do_huge_pmd_anonymous_page", "mm/huge_memory.c:1192", W_THP_FAULT },
	{ 0, 0, KB(THP), PT_C_WRITE, PAR, P0, PAR, "saved_dirty", 0, "__do_huge_pmd_anonymous_page", "mm/huge_memory.c:1192", W_THP_FAULT },
	{ 0, 0, KB(THP), PT_C_FORK, ANY, P0, PAR, "level", PT_PMD, "copy_huge_pmd", "mm/huge_memory.c:1618 (6.1: 1094)", W_COPY_PMD },
	{ 0, 0, KB(THP), PT_C_FORK, ANY, P0, CHI, "level", PT_PMD, "copy_huge_pmd", "mm/huge_memory.c:1618 (6.1: 1094)", W_COPY_PMD },
	{ 0, 0, KB(THP), PT_C_FORK, ANY, P0, PAR, "write", 0, "copy_huge_pmd", "mm/huge_memory.c:1725 (6.1: 1181)", W_COPY_PMD },
	{ 0, 0, KB(THP), PT_C_FORK, ANY, P0, CHI, "write", 0, "copy_huge_pmd", "mm/huge_memory.c:1728 (6.1: 1184)", W_COPY_PMD },
	{ 0, 0, KB(THP), PT_C_FORK, ANY, P0, CHI, "accessed", 0, "copy_huge_pmd", "mm/huge_memory.c:1730 (6.1: 1184)", W_COPY_PMD },
	{ 0, 0, KB(THP), PT_C_FORK, ANY, P0, ANY, "pfn_same", 1, "copy_huge_pmd", "mm/huge_memory.c:1618", W_COPY_PMD },
	{ SD, 0, KB(THP), PT_C_FORK, ANY, P0, PAR, "dirty", 0, "pmdp_set_wrprotect", "arch/x86/include/asm/pgtable.h:1407", W_COPY_PMD },
	{ SD, 0, KB(THP), PT_C_FORK, ANY, P0, PAR, "saved_dirty", 1, "pmdp_set_wrprotect", "arch/x86/include/asm/pgtable.h:1407", W_COPY_PMD },
	{ SD, 0, KB(THP), PT_C_FORK, ANY, P0, CHI, "dirty", 0, "pmd_wrprotect", "mm/huge_memory.c:1728", W_COPY_PMD },
	{ SD, 0, KB(THP), PT_C_FORK, ANY, P0, CHI, "saved_dirty", 1, "pmd_wrprotect", "mm/huge_memory.c:1728", W_COPY_PMD },
	{ 0, SD, KB(THP), PT_C_FORK, ANY, P0, PAR, "dirty", 1, "copy_huge_pmd", "mm/huge_memory.c (6.1: 1181)", W_COPY_PMD },
	{ 0, SD, KB(THP), PT_C_FORK, ANY, P0, CHI, "dirty", 1, "copy_huge_pmd", "mm/huge_memory.c (6.1: 1184)", W_COPY_PMD },
	{ 0, 0, KB(THP), PT_C_READ, CHI, P1, CHI, "level", PT_PMD, "(no fault)", "-", W_READ_COW },
	{ 0, 0, KB(THP), PT_C_READ, CHI, P1, CHI, "write", 0, "(no fault)", "-", W_READ_COW },
	{ 0, 0, KB(THP), PT_C_WRITE, CHI, P1, CHI, "level", PT_PTE, "do_huge_pmd_wp_page", "mm/huge_memory.c:1818", W_THP_WP },
	{ 0, 0, KB(THP), PT_C_WRITE, CHI, P1, CHI, "write", 1, "wp_page_copy", "mm/memory.c:3332", W_THP_WP },
	{ 0, 0, KB(THP), PT_C_WRITE, CHI, P1, CHI, "dirty", 1, "wp_page_copy", "mm/memory.c:3332", W_THP_WP },
	{ 0, 0, KB(THP), PT_C_WRITE, CHI, P1, ANY, "pfn_same", 0, "wp_page_copy", "mm/memory.c:3332", W_THP_WP },
	{ 0, 0, KB(THP), PT_C_WRITE, CHI, P1, PAR, "level", PT_PMD, "do_huge_pmd_wp_page", "mm/huge_memory.c:1818", W_THP_WP },
	{ 0, 0, KB(THP), PT_C_WRITE, CHI, P1, PAR, "write", 0, "do_huge_pmd_wp_page", "mm/huge_memory.c:1818", W_THP_WP },
	{ 0, 0, KB(THP), PT_C_WRITE, PAR, P2, PAR, "level", PT_PTE, "do_huge_pmd_wp_page", "mm/huge_memory.c:1818", W_THP_WP },
	{ 0, 0, KB(THP), PT_C_WRITE, PAR, P2, PAR, "write", 1, "do_wp_page", "mm/memory.c:3656", W_THP_WP },
	{ 0, 0, KB(THP), PT_C_WRITE, PAR, P2, PAR, "dirty", 1, "do_wp_page", "mm/memory.c:3656", W_THP_WP },
	{ 0, 0, KB(THP), PT_C_WRITE, PAR, P2, PAR, "saved_dirty", 0, "do_wp_page", "mm/memory.c:3656", W_THP_WP },

	/* shared anonymous, shared files, memfd: no copy at fork, one page */
	{ 0, 0, K_SHM, PT_C_WRITE, PAR, P0, PAR, "write", 1, "do_shared_fault", "mm/memory.c:5015", W_SHM_WRITE },
	{ 0, 0, K_SHM, PT_C_WRITE, PAR, P0, PAR, "dirty", 1, "do_shared_fault", "mm/memory.c:5015", W_SHM_WRITE },
	{ 0, 0, K_SHM, PT_C_FORK, ANY, P0, CHI, "empty", 1, "vma_needs_copy", "mm/memory.c:1330", W_NEEDS_COPY },
	{ 0, 0, K_SHM, PT_C_FORK, ANY, P0, PAR, "write", 1, "vma_needs_copy", "mm/memory.c:1330", W_NEEDS_COPY },
	{ 0, 0, K_SHM, PT_C_READ, CHI, P1, CHI, "write", 1, "do_read_fault", "mm/memory.c:5301", W_SHM_READ },
	{ 0, 0, K_SHM, PT_C_READ, CHI, P1, CHI, "dirty", 0, "do_read_fault", "mm/memory.c:5301", W_SHM_READ },
	{ 0, 0, K_SHM, PT_C_READ, CHI, P1, ANY, "pfn_same", 1, "do_read_fault", "mm/memory.c:5301", W_SHM_READ },
	{ 0, 0, K_SHM, PT_C_WRITE, CHI, P1, CHI, "dirty", 1, "(hardware)", "-", W_SHM_WRITE },
	{ 0, 0, K_SHM, PT_C_WRITE, CHI, P1, ANY, "pfn_same", 1, "(no copy)", "-", W_SHM_WRITE },
	{ 0, 0, K_SHM, PT_C_WRITE, PAR, P2, ANY, "pfn_same", 1, "(no copy)", "-", W_SHM_WRITE },

	/* private hugetlb */
	{ 0, 0, KB(HUGETLB), PT_C_WRITE, PAR, P0, PAR, "level", PT_PMD, "hugetlb_no_page", "mm/hugetlb.c:5184", W_HUGETLB_FAULT },
	{ 0, 0, KB(HUGETLB), PT_C_WRITE, PAR, P0, PAR, "write", 1, "set_huge_ptep_writable", "mm/hugetlb.c:5203", W_HUGETLB_FAULT },
	{ 0, 0, KB(HUGETLB), PT_C_WRITE, PAR, P0, PAR, "dirty", 1, "(hardware)", "-", W_HUGETLB_FAULT },
	{ SD, 0, KB(HUGETLB), PT_C_WRITE, PAR, P0, PAR, "saved_dirty", 1, "huge_pte_mkwrite", "include/asm-generic/hugetlb.h:23", W_HUGETLB_FAULT },
	{ 0, 0, KB(HUGETLB), PT_C_FORK, ANY, P0, PAR, "write", 0, "copy_hugetlb_page_range", "mm/hugetlb.c:5418 (6.1: 5188)", W_COPY_HUGETLB },
	{ 0, 0, KB(HUGETLB), PT_C_FORK, ANY, P0, CHI, "write", 0, "copy_hugetlb_page_range", "mm/hugetlb.c:5418 (6.1: 5188)", W_COPY_HUGETLB },
	{ 0, 0, KB(HUGETLB), PT_C_FORK, ANY, P0, CHI, "accessed", 1, "copy_hugetlb_page_range", "mm/hugetlb.c:5254", W_COPY_HUGETLB },
	{ 0, 0, KB(HUGETLB), PT_C_FORK, ANY, P0, ANY, "pfn_same", 1, "copy_hugetlb_page_range", "mm/hugetlb.c:5254", W_COPY_HUGETLB },
	{ SD, 0, KB(HUGETLB), PT_C_FORK, ANY, P0, CHI, "dirty", 0, "huge_pte_wrprotect", "mm/hugetlb.c:5418", W_COPY_HUGETLB },
	{ SD, 0, KB(HUGETLB), PT_C_FORK, ANY, P0, CHI, "saved_dirty", 1, "huge_pte_wrprotect", "mm/hugetlb.c:5418", W_COPY_HUGETLB },
	{ 0, SD, KB(HUGETLB), PT_C_FORK, ANY, P0, CHI, "dirty", 1, "copy_hugetlb_page_range", "mm/hugetlb.c (6.1: 5188)", W_COPY_HUGETLB },
	{ 0, 0, KB(HUGETLB), PT_C_WRITE, CHI, P1, CHI, "write", 1, "hugetlb_wp", "mm/hugetlb.c:5827", W_HUGETLB_WP },
	{ 0, 0, KB(HUGETLB), PT_C_WRITE, CHI, P1, ANY, "pfn_same", 0, "hugetlb_wp", "mm/hugetlb.c:5827", W_HUGETLB_WP },
	{ SD, 0, KB(HUGETLB), PT_C_WRITE, CHI, P1, CHI, "saved_dirty", 1, "make_huge_pte", "mm/hugetlb.c:5184", W_HUGETLB_WP },
	{ 0, 0, KB(HUGETLB), PT_C_WRITE, PAR, P2, PAR, "write", 1, "hugetlb_wp", "mm/hugetlb.c:5860", W_HUGETLB_WP },

	/* shared hugetlb */
	{ 0, 0, KB(HUGETLB_SHARED), PT_C_WRITE, PAR, P0, PAR, "level", PT_PMD, "make_huge_pte", "mm/hugetlb.c:5184", W_HUGETLB_SHARED },
	{ 0, 0, KB(HUGETLB_SHARED), PT_C_WRITE, PAR, P0, PAR, "write", 1, "make_huge_pte", "mm/hugetlb.c:5184", W_HUGETLB_SHARED },
	{ 0, 0, KB(HUGETLB_SHARED), PT_C_WRITE, PAR, P0, PAR, "saved_dirty", 0, "make_huge_pte", "mm/hugetlb.c:5184", W_HUGETLB_SHARED },
	{ 0, 0, KB(HUGETLB_SHARED), PT_C_FORK, ANY, P0, CHI, "empty", 1, "vma_needs_copy", "mm/memory.c:1330", W_NEEDS_COPY },
	{ 0, 0, KB(HUGETLB_SHARED), PT_C_READ, CHI, P1, CHI, "write", 1, "make_huge_pte", "mm/hugetlb.c:5184", W_HUGETLB_SHARED },
	{ 0, 0, KB(HUGETLB_SHARED), PT_C_READ, CHI, P1, CHI, "dirty", 1, "make_huge_pte", "mm/hugetlb.c:5184", W_HUGETLB_SHARED },
	{ 0, 0, KB(HUGETLB_SHARED), PT_C_READ, CHI, P1, ANY, "pfn_same", 1, "make_huge_pte", "mm/hugetlb.c:5184", W_HUGETLB_SHARED },

	/* shared pfnmap, 2 MiB: one special pmd from 6.12, ptes before */
	{ HP, 0, KB(PFNMAP), PT_C_WRITE, PAR, P0, PAR, "level", PT_PMD, "insert_pfn_pmd", "mm/huge_memory.c:1389", W_PFN_PMD_FAULT },
	{ 0, HP, KB(PFNMAP), PT_C_WRITE, PAR, P0, PAR, "level", PT_PTE, "insert_pfn", "mm/memory.c:2315", W_PFN_PTE_FAULT },
	{ 0, 0, KB(PFNMAP), PT_C_WRITE, PAR, P0, PAR, "special", 1, "insert_pfn_pmd", "mm/huge_memory.c:1417", W_PFN_PMD_FAULT },
	{ 0, 0, KB(PFNMAP), PT_C_WRITE, PAR, P0, PAR, "write", 1, "insert_pfn_pmd", "mm/huge_memory.c:1389", W_PFN_PMD_FAULT },
	{ 0, 0, KB(PFNMAP), PT_C_WRITE, PAR, P0, PAR, "dirty", 1, "insert_pfn_pmd", "mm/huge_memory.c:1389", W_PFN_PMD_FAULT },
	{ HP, 0, KB(PFNMAP), PT_C_FORK, ANY, P0, CHI, "level", PT_PMD, "copy_huge_pmd", "mm/huge_memory.c:1630", W_COPY_PFN_PMD },
	{ HP, 0, KB(PFNMAP), PT_C_FORK, ANY, P0, PAR, "write", 1, "copy_huge_pmd", "mm/huge_memory.c:1643", W_COPY_PFN_PMD },
	{ HP, 0, KB(PFNMAP), PT_C_FORK, ANY, P0, CHI, "write", 1, "copy_huge_pmd", "mm/huge_memory.c:1644", W_COPY_PFN_PMD },
	{ HP, 0, KB(PFNMAP), PT_C_FORK, ANY, P0, CHI, "dirty", 1, "copy_huge_pmd", "mm/huge_memory.c:1730", W_COPY_PFN_PMD },
	{ HP, 0, KB(PFNMAP), PT_C_FORK, ANY, P0, CHI, "saved_dirty", 0, "copy_huge_pmd", "mm/huge_memory.c:1730", W_COPY_PFN_PMD },
	{ HP, 0, KB(PFNMAP), PT_C_FORK, ANY, P0, CHI, "accessed", 0, "copy_huge_pmd", "mm/huge_memory.c:1730", W_COPY_PFN_PMD },
	{ 0, HP, KB(PFNMAP) | KB(PFNMAP_PUD), PT_C_FORK, ANY, P0, CHI, "level", PT_PTE, "copy_present_pte", "mm/memory.c (6.1: 948)", W_COPY_PFN_PTE },
	{ 0, HP, KB(PFNMAP) | KB(PFNMAP_PUD), PT_C_FORK, ANY, P0, PAR, "write", 1, "copy_present_pte", "mm/memory.c (6.1: 984)", W_COPY_PFN_PTE },
	{ 0, HP, KB(PFNMAP) | KB(PFNMAP_PUD), PT_C_FORK, ANY, P0, CHI, "write", 1, "copy_present_pte", "mm/memory.c (6.1: 984)", W_COPY_PFN_PTE },
	{ 0, HP, KB(PFNMAP) | KB(PFNMAP_PUD), PT_C_FORK, ANY, P0, CHI, "dirty", 0, "copy_present_pte", "mm/memory.c (6.1: 994)", W_COPY_PFN_PTE },
	{ 0, HP, KB(PFNMAP) | KB(PFNMAP_PUD), PT_C_FORK, ANY, P0, CHI, "accessed", 0, "copy_present_pte", "mm/memory.c (6.1: 995)", W_COPY_PFN_PTE },
	{ 0, 0, KB(PFNMAP) | KB(PFNMAP_PUD), PT_C_FORK, ANY, P0, ANY, "pfn_same", 1, "vma_needs_copy", "mm/memory.c:1341", W_COPY_PFN_PMD },
	{ 0, 0, KB(PFNMAP) | KB(PFNMAP_PUD), PT_C_WRITE, CHI, P1, CHI, "write", 1, "(no fault)", "-", W_SHM_WRITE },
	{ 0, 0, KB(PFNMAP) | KB(PFNMAP_PUD), PT_C_WRITE, CHI, P1, ANY, "pfn_same", 1, "(no copy)", "-", W_SHM_WRITE },

	/* shared pfnmap, 1 GiB: one special pud from 6.12 */
	{ HP, 0, KB(PFNMAP_PUD), PT_C_WRITE, PAR, P0, PAR, "level", PT_PUD, "insert_pfn_pud", "mm/huge_memory.c:1490", W_PFN_PUD_FAULT },
	{ 0, HP, KB(PFNMAP_PUD), PT_C_WRITE, PAR, P0, PAR, "level", PT_PTE, "insert_pfn", "mm/memory.c:2315", W_PFN_PTE_FAULT },
	{ 0, 0, KB(PFNMAP_PUD), PT_C_WRITE, PAR, P0, PAR, "special", 1, "insert_pfn_pud", "mm/huge_memory.c:1515", W_PFN_PUD_FAULT },
	{ 0, 0, KB(PFNMAP_PUD), PT_C_WRITE, PAR, P0, PAR, "write", 1, "insert_pfn_pud", "mm/huge_memory.c:1490", W_PFN_PUD_FAULT },
	{ HP, 0, KB(PFNMAP_PUD), PT_C_FORK, ANY, P0, CHI, "level", PT_PUD, "copy_huge_pud", "mm/huge_memory.c:1776", W_COPY_PFN_PUD },
	{ HP, 0, KB(PFNMAP_PUD), PT_C_FORK, ANY, P0, PAR, "write", 1, "copy_huge_pud", "mm/huge_memory.c:1776", W_COPY_PFN_PUD },
	{ HP, 0, KB(PFNMAP_PUD), PT_C_FORK, ANY, P0, CHI, "write", 1, "copy_huge_pud", "mm/huge_memory.c:1776", W_COPY_PFN_PUD },
	{ HP, 0, KB(PFNMAP_PUD), PT_C_FORK, ANY, P0, CHI, "accessed", 0, "copy_huge_pud", "mm/huge_memory.c:1780", W_COPY_PFN_PUD },

	/* private pfnmap: remap_pfn_range at mmap, COW on write */
	{ 0, 0, KB(PFNMAP_PRIVATE), PT_EV_MAP, ANY, P0, PAR, "level", PT_PTE, "remap_pfn_range", "mm/memory.c", W_PFN_PRIVATE_MAP },
	{ 0, 0, KB(PFNMAP_PRIVATE), PT_EV_MAP, ANY, P0, PAR, "special", 1, "remap_pfn_range", "mm/memory.c", W_PFN_PRIVATE_MAP },
	{ 0, 0, KB(PFNMAP_PRIVATE), PT_EV_MAP, ANY, P0, PAR, "write", 0, "remap_pfn_range", "mm/memory.c", W_PFN_PRIVATE_MAP },
	{ 0, 0, KB(PFNMAP_PRIVATE), PT_C_WRITE, PAR, P0, PAR, "special", 0, "wp_page_copy", "mm/memory.c:3332", W_PFN_PRIVATE_WP },
	{ 0, 0, KB(PFNMAP_PRIVATE), PT_C_WRITE, PAR, P0, PAR, "write", 1, "wp_page_copy", "mm/memory.c:3332", W_PFN_PRIVATE_WP },
	{ 0, 0, KB(PFNMAP_PRIVATE), PT_C_WRITE, PAR, P0, PAR, "dirty", 1, "wp_page_copy", "mm/memory.c:3332", W_PFN_PRIVATE_WP },
	{ 0, 0, KB(PFNMAP_PRIVATE), PT_C_FORK, ANY, P0, ANY, "error", 1, "get_pat_info", "arch/x86/mm/pat/memtype.c:977 (6.1: 1022)", W_PFN_PRIVATE_FORK },

	/* a page pinned long-term before fork is copied for the child at once */
	{ 0, 0, KB(ANON), PT_C_PIN, PAR, P0, PAR, "level", PT_PTE, "io_sqe_buffer_register", "io_uring/rsrc.c:974 (6.1: 1006)", W_PIN },
	{ 0, 0, KB(THP), PT_C_PIN, PAR, P0, PAR, "level", PT_PMD, "io_sqe_buffer_register", "io_uring/rsrc.c:974 (6.1: 1006)", W_PIN },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_PIN, PAR, P0, PAR, "write", 1, "io_sqe_buffer_register", "io_uring/rsrc.c:974 (6.1: 1006)", W_PIN },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_PIN, PAR, P0, PAR, "dirty", 1, "io_sqe_buffer_register", "io_uring/rsrc.c:974 (6.1: 1006)", W_PIN },
	{ 0, 0, KB(ANON), PT_C_FORK, ANY, P0P, PAR, "unchanged", 1, "copy_present_ptes", "mm/memory.c:1038 (6.1: 966)", W_PIN_FORK },
	{ 0, 0, KB(ANON), PT_C_FORK, ANY, P0P, PAR, "write", 1, "copy_present_ptes", "mm/memory.c:1038 (6.1: 966)", W_PIN_FORK },
	{ 0, 0, KB(THP), PT_C_FORK, ANY, P0P, PAR, "write", 1, "__split_huge_pmd_locked", "mm/huge_memory.c:2911 (6.1: 2247)", W_PIN_FORK_THP },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_FORK, ANY, P0P, CHI, "level", PT_PTE, "copy_present_page", "mm/memory.c:941 (6.1: 934)", W_PIN_FORK },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_FORK, ANY, P0P, CHI, "write", 1, "copy_present_page", "mm/memory.c:942 (6.1: 935)", W_PIN_FORK },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_FORK, ANY, P0P, CHI, "dirty", 1, "copy_present_page", "mm/memory.c:942 (6.1: 935)", W_PIN_FORK },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_FORK, ANY, P0P, CHI, "saved_dirty", 0, "copy_present_page", "mm/memory.c:942 (6.1: 935)", W_PIN_FORK },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_FORK, ANY, P0P, ANY, "pfn_same", 0, "copy_present_page", "mm/memory.c:931 (6.1: 927)", W_PIN_FORK },
	{ 0, 0, KB(THP), PT_C_FORK, ANY, P0P, PAR, "level", PT_PTE, "copy_huge_pmd", "mm/huge_memory.c:1718 (6.1: 1174)", W_PIN_FORK_THP },
	/* read at 6.1 and 6.12 only: the change between them is not dated here */
	{ 0, PT_KV(6, 2), KB(THP), PT_C_FORK, ANY, P0P, PAR, "dirty", 0, "__split_huge_pmd_locked", "mm/huge_memory.c (6.1: 2255)", W_PIN_SPLIT_DIRTY_61 },
	{ PT_KV(6, 12), 0, KB(THP), PT_C_FORK, ANY, P0P, PAR, "dirty", 1, "__split_huge_pmd_locked", "mm/huge_memory.c:2916", W_PIN_SPLIT_DIRTY },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_READ, CHI, P1P, CHI, "unchanged", 1, "(no fault)", "-", W_PIN_OWN },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_WRITE, CHI, P1P, CHI, "unchanged", 1, "(no fault)", "-", W_PIN_OWN },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_WRITE, PAR, P1P, PAR, "unchanged", 1, "(no fault)", "-", W_PIN_OWN },
	{ 0, 0, KB(ANON) | KB(THP), PT_C_UNPIN, PAR, PALL, PAR, "unchanged", 1, "io_sqe_buffers_unregister", "io_uring/rsrc.c:758", W_UNPIN },

	/* mprotect of a written huge entry: saved-dirty at every level */
#define MPRO PT_EV_MPROTECT_RO
#define MPRW PT_EV_MPROTECT_RW
	{ HP, 0, KB(PFNMAP), MPRO, PAR, P0, PAR, "level", PT_PMD, "change_huge_pmd", "mm/huge_memory.c:2365", W_MPROT_RO },
	{ HP, 0, KB(PFNMAP_PUD), MPRO, PAR, P0, PAR, "level", PT_PUD, "change_huge_pud", "mm/huge_memory.c:2429", W_MPROT_RO },
	{ 0, 0, K_PFN, MPRO, PAR, P0, PAR, "special", 1, "pte/pmd/pud_modify", "arch/x86/include/asm/pgtable_types.h:153 (_PAGE_CHG_MASK)", W_MPROT_RO },
	{ 0, HP, K_PFN, MPRO, PAR, P0, PAR, "level", PT_PTE, "change_pte_range", "mm/mprotect.c (6.1: 171)", W_MPROT_RO_OLD },
	{ SD, HP, K_PFN, MPRO, PAR, P0, PAR, "level", PT_PTE, "change_pte_range", "mm/mprotect.c:170", W_MPROT_RO },
	{ 0, 0, K_PFN | KB(THP), MPRO, PAR, P0, PAR, "write", 0, "pte/pmd/pud_modify", "arch/x86/include/asm/pgtable.h:832 (pmd 861, pud 884)", W_MPROT_RO },
	{ SD, 0, K_PFN | KB(THP), MPRO, PAR, P0, PAR, "dirty", 0, "pmd_mksaveddirty", "arch/x86/include/asm/pgtable.h:871 (pud 894, pte 848)", W_MPROT_RO },
	{ SD, 0, K_PFN | KB(THP), MPRO, PAR, P0, PAR, "saved_dirty", 1, "pmd_mksaveddirty", "arch/x86/include/asm/pgtable.h:871 (pud 894, pte 848)", W_MPROT_RO },
	{ 0, SD, K_PFN | KB(THP), MPRO, PAR, P0, PAR, "dirty", 1, "pte/pmd/pud_modify", "arch/x86/include/asm/pgtable.h (6.1)", W_MPROT_RO_OLD },
	{ SD, 0, K_PFN, MPRW, PAR, P0, PAR, "write", 1, "pte/pmd/pud_modify", "arch/x86/include/asm/pgtable.h:873 (pud 896, pte 850)", W_MPROT_RW },
	{ SD, 0, K_PFN, MPRW, PAR, P0, PAR, "dirty", 1, "pmd_clear_saveddirty", "arch/x86/include/asm/pgtable.h:873 (pud 896, pte 850)", W_MPROT_RW },
	{ SD, 0, K_PFN, MPRW, PAR, P0, PAR, "saved_dirty", 0, "pmd_clear_saveddirty", "arch/x86/include/asm/pgtable.h:873 (pud 896, pte 850)", W_MPROT_RW },
	{ 0, SD, K_PFN, MPRW, PAR, P0, PAR, "write", 1, "change_pte_range", "mm/mprotect.c (6.1: 171)", W_MPROT_RW_OLD },
	{ 0, SD, K_PFN, MPRW, PAR, P0, PAR, "dirty", 1, "change_pte_range", "mm/mprotect.c (6.1: 171)", W_MPROT_RW_OLD },
	/* read at 6.1 and 6.12 only */
	{ PT_KV(6, 12), 0, KB(THP), MPRW, PAR, P0, PAR, "write", 1, "change_huge_pmd", "mm/huge_memory.c:2379", W_MPROT_RW_THP },
	{ PT_KV(6, 12), 0, KB(THP), MPRW, PAR, P0, PAR, "dirty", 1, "pmd_mkwrite", "mm/huge_memory.c:2379", W_MPROT_RW_THP },
	{ PT_KV(6, 12), 0, KB(THP), MPRW, PAR, P0, PAR, "saved_dirty", 0, "pmd_mkwrite", "mm/huge_memory.c:2379", W_MPROT_RW_THP },
	{ 0, PT_KV(6, 2), KB(THP), MPRW, PAR, P0, PAR, "write", 0, "change_huge_pmd", "mm/huge_memory.c (6.1: 1920)", W_MPROT_RW_THP_61 },
	{ 0, PT_KV(6, 2), KB(THP), MPRW, PAR, P0, PAR, "dirty", 1, "change_huge_pmd", "mm/huge_memory.c (6.1: 1920)", W_MPROT_RW_THP_61 },
#undef MPRO
#undef MPRW

	/* soft-dirty tracking write-protects a shared pfnmap: the write path */
	{ HP, 0, KB(PFNMAP), PT_C_READ, PAR, P0W, PAR, "level", PT_PMD, "insert_pfn_pmd", "mm/huge_memory.c:1389", W_SD_READ },
	{ HP, 0, KB(PFNMAP_PUD), PT_C_READ, PAR, P0W, PAR, "level", PT_PUD, "insert_pfn_pud", "mm/huge_memory.c:1511", W_SD_READ },
	{ 0, HP, K_PFN, PT_C_READ, PAR, P0W, PAR, "level", PT_PTE, "insert_pfn", "mm/memory.c (6.1: 2181)", W_SD_READ },
	{ 0, 0, K_PFN, PT_C_READ, PAR, P0W, PAR, "write", 0, "vma_wants_writenotify", "mm/vma.c:1930 (6.1: mm/mmap.c:1557), fs/proc/task_mmu.c:1606", W_SD_READ },
	{ 0, 0, K_PFN, PT_C_READ, PAR, P0W, PAR, "dirty", 0, "vma_wants_writenotify", "mm/vma.c:1930 (6.1: mm/mmap.c:1557)", W_SD_READ },
	{ 0, 0, K_PFN, PT_C_READ, PAR, P0W, PAR, "soft_dirty", 0, "clear_refs_write", "fs/proc/task_mmu.c:1606 (6.1: 1299)", W_SD_READ },
	{ 0, 0, K_PFN, PT_C_READ, PAR, P0W, PAR, "special", 1, "vmf_insert_pfn", "mm/huge_memory.c:1515", W_SD_READ },
	{ HP, 0, KB(PFNMAP), PT_C_WRITE, PAR, P0W, PAR, "level", PT_PMD, "wp_huge_pmd", "mm/memory.c:5690", W_SD_WRITE },
	{ HP, 0, KB(PFNMAP_PUD), PT_C_WRITE, PAR, P0W, PAR, "level", PT_PUD, "wp_huge_pud", "mm/memory.c:5729", W_SD_WRITE },
	{ 0, HP, K_PFN, PT_C_WRITE, PAR, P0W, PAR, "level", PT_PTE, "wp_pfn_shared", "mm/memory.c (6.1: 3445)", W_SD_WRITE },
	{ 0, 0, K_PFN, PT_C_WRITE, PAR, P0W, PAR, "write", 1, "maybe_pud_mkwrite", "mm/huge_memory.c:1504 (pmd 1405)", W_SD_WRITE },
	{ 0, 0, K_PFN, PT_C_WRITE, PAR, P0W, PAR, "dirty", 1, "pud_mkdirty", "mm/huge_memory.c:1504 (pmd 1405)", W_SD_WRITE },
	{ 0, 0, K_PFN, PT_C_WRITE, PAR, P0W, PAR, "saved_dirty", 0, "pud_mkwrite", "arch/x86/include/asm/pgtable.h:702", W_SD_WRITE },
	{ 0, 0, K_PFN, PT_C_WRITE, PAR, P0W, PAR, "soft_dirty", 1, "pud_mkdirty", "arch/x86/include/asm/pgtable.h:678", W_SD_WRITE },

	/* fork works for every other kind; exit leaves the parent alone */
	{ 0, 0, K_ALL & ~KB(PFNMAP_PRIVATE), PT_C_FORK, ANY, P0 | P0P | P0W, ANY, "error", 0, "copy_page_range", "mm/memory.c:1357", W_FORK_OK },
	{ 0, 0, K_ALL, PT_C_EXIT, CHI, PALL, PAR, "unchanged", 1, "do_exit", "kernel/exit.c", W_EXIT },
};

/* The user's own rows (--expect), appended to the table. */
static struct pt_expect *pt_user_expects;
static size_t pt_nr_user_expects;

static unsigned int pt_phase(const struct pt_lab *lab, size_t i, struct pt_cmd *cmd)
{
	unsigned int phase = P0;
	bool pinned = false;
	struct pt_cmd c;
	size_t j;

	/* from the last "map" (a kind change restarts the subjects) */
	for (j = 0; j < i; j++) {
		if (!strncmp(lab->steps[j].event, "map ", 4) ||
		    !strncmp(lab->steps[j].event, "kind ", 5)) {
			phase = P0;
			pinned = false;
			continue;
		}
		if (lab->steps[j].err[0] || pt_cmd_parse(lab->steps[j].event, &c, NULL))
			continue;
		if (c.id == PT_C_FORK)
			phase = phase == P0P ? P1P : P1;
		else if (c.id == PT_C_WRITE && c.who == PT_WHO_CHILD && phase == P1)
			phase = P2;
		else if (c.id == PT_C_EXIT)
			phase = pinned ? P0P : P0;
		else if (c.id == PT_C_CLEAR_SOFT_DIRTY && c.who != PT_WHO_CHILD && phase == P0)
			phase = P0W;
		else if (c.id == PT_C_PIN)
			phase = phase == P0 && c.who != PT_WHO_CHILD ? P0P : PX;
		else if (c.id == PT_C_UNPIN && phase == P0P)
			phase = P0;
		if ((c.id == PT_C_PIN || c.id == PT_C_UNPIN) && c.who != PT_WHO_CHILD)
			pinned = c.id == PT_C_PIN;
	}
	if (!strncmp(lab->steps[i].event, "map ", 4) || !strncmp(lab->steps[i].event, "kind ", 5))
		cmd->id = PT_EV_MAP;
	else if (pt_cmd_parse(lab->steps[i].event, cmd, NULL))
		cmd->id = PT_EV_NONE;
	else if (cmd->id == PT_C_MPROTECT)
		cmd->id = strcmp(cmd->arg, "ro") ? PT_EV_MPROTECT_RW : PT_EV_MPROTECT_RO;
	return phase;
}

/* pagemap saw a present page and was allowed to show its PFN */
static bool pt_pm_pfn(const struct pt_pagemap *pm)
{
	return pm->valid && pm->present && pm->pfn;	/* 0: hidden */
}

/* The value of @what in @who's entry at step @s; -1 if it cannot be seen. */
static long pt_observe(const struct pt_lab *lab, const struct pt_lab_step *s,
		       const struct pt_lab_step *prev, enum pt_who who,
		       const char *what)
{
	const struct pt_layout *ly = &lab->src->layout;
	const struct pt_walk *w[2] = { NULL, NULL };
	const struct pt_bit *r;
	struct pt_decoded d[2];
	int l[2], i;

	for (i = 0; i < 2; i++) {
		if (s->proc[i].walked)
			w[i] = &s->proc[i].walk;
		l[i] = w[i] ? pt_walk_leaf(w[i]) : -1;
		if (l[i] >= 0 && w[i]->level[l[i]].has_raw)
			pt_decode(ly, l[i], w[i]->level[l[i]].raw, &d[i]);
	}
	if (!strcmp(what, "error"))
		return !!s->err[0];
	if (!strcmp(what, "pfn_same")) {
		if (!w[0] || !w[1] || l[0] < 0 || l[1] < 0)
			return -1;
		/* without raw entries pagemap's PFNs (of the very page) will do */
		if (!w[0]->level[l[0]].has_raw || !w[1]->level[l[1]].has_raw)
			return pt_pm_pfn(&w[0]->pm) && pt_pm_pfn(&w[1]->pm) ?
				       w[0]->pm.pfn == w[1]->pm.pfn : -1;
		/* the PFN of the page at the address, whatever the level */
		return d[0].pfn + ((lab->addr - w[0]->level[l[0]].va) >> 12) ==
		       d[1].pfn + ((lab->addr - w[1]->level[l[1]].va) >> 12);
	}
	i = who == PT_WHO_CHILD;
	if (!strcmp(what, "unchanged")) {
		if (!prev || !prev->proc[i].walked || !w[i])
			return -1;
		return !memcmp(prev->proc[i].walk.level, w[i]->level, sizeof(w[i]->level));
	}
	if (!w[i] || l[i] < 0)
		return -1;
	if (!w[i]->level[l[i]].has_raw)
		return -1;	/* derived from /proc: no bits to compare */
	if (!strcmp(what, "empty"))
		return d[i].state == PT_STATE_NONE;
	/* a row about a leaf that is not there is a difference, not a skip */
	if (d[i].state == PT_STATE_NONE)
		return PT_SEEN_NO_ENTRY;
	if (d[i].state != PT_STATE_LEAF)
		return !strcmp(what, "level") ? l[i] : -1;
	if (!strcmp(what, "level"))
		return l[i];
	r = pt_layout_row(ly, what);
	/* a bit this kernel does not have is clear */
	return r && pt_row_applies(r, l[i], d[i].state) ?
		       (long)pt_row_value(r, w[i]->level[l[i]].raw) : 0;
}

static bool pt_row_matches(const struct pt_expect *x, const struct pt_lab *lab,
			   const struct pt_cmd *cmd, unsigned int phase)
{
	unsigned int kver = lab->src->layout.kver;

	if (!lab->owned || !(x->kinds & (1u << lab->kind)) || x->event != cmd->id ||
	    !(x->phases & phase))
		return false;
	if (x->by != PT_WHO_DEFAULT && x->by != (cmd->who ? cmd->who : PT_WHO_PARENT))
		return false;
	if (x->since && kver < x->since)
		return false;
	return !(x->until && kver >= x->until);
}

static void pt_explain_row(const struct pt_expect *x, const struct pt_lab *lab,
			   size_t i, struct pt_explain *e)
{
	const struct pt_lab_step *s = &lab->steps[i];
	long seen = pt_observe(lab, s, i ? &lab->steps[i - 1] : NULL, x->who, x->what);
	size_t n;

	/* one sentence per function, in the table's order */
	if (x->why && !strstr(e->text, x->why)) {
		n = strlen(e->text);
		snprintf(e->text + n, sizeof(e->text) - n, "%s%s.", n ? " " : "", x->why);
	}
	if (x->func && !strstr(e->funcs, x->func) && x->func[0] != '(') {
		n = strlen(e->funcs);
		snprintf(e->funcs + n, sizeof(e->funcs) - n, "%s%s", n ? ", " : "", x->func);
	}
	if (seen == -1) {
		e->skipped++;
		return;
	}
	e->checked++;
	if (seen == x->value || e->nr_unexpected >= PT_EXPLAIN_MAX)
		return;
	e->unexpected[e->nr_unexpected++] = (struct pt_unexpected){
		x->who, "", x->value, seen, x->func, x->source,
	};
	snprintf(e->unexpected[e->nr_unexpected - 1].what,
		 sizeof(e->unexpected[0].what), "%s", x->what);
}

void pt_explain_step(const struct pt_lab *lab, size_t i, struct pt_explain *e)
{
	unsigned int phase;
	struct pt_cmd cmd;
	size_t k;

	memset(e, 0, sizeof(*e));
	if (i >= lab->nr_steps)
		return;
	phase = pt_phase(lab, i, &cmd);
	for (k = 0; k < sizeof(pt_expects) / sizeof(pt_expects[0]); k++)
		if (pt_row_matches(&pt_expects[k], lab, &cmd, phase))
			pt_explain_row(&pt_expects[k], lab, i, e);
	for (k = 0; k < pt_nr_user_expects; k++)
		if (pt_row_matches(&pt_user_expects[k], lab, &cmd, phase))
			pt_explain_row(&pt_user_expects[k], lab, i, e);
}

const char *pt_explain_value(const char *what, long v, char *buf, size_t len)
{
	if (v == PT_SEEN_NO_ENTRY)
		return "no entry";
	if (!strcmp(what, "level") && v >= 0 && v < PT_NR_LEVELS)
		return pt_level_name(v);
	snprintf(buf, len, "%ld", v);
	return buf;
}

static const char *pt_strdup_static(const char *s, size_t n)
{
	char *p = strndup(s, n);

	return p ? p : "";
}

int pt_explain_add(const char *spec, struct pt_err *err)
{
	const char *p = spec;
	char kind[32], ev[32], who[16], what[32];
	struct pt_expect *x, *rows;
	enum pt_lab_kind k;
	struct pt_cmd c;
	long val;
	int n;

	while (*p) {
		size_t len = strcspn(p, ";");
		char one[160];

		snprintf(one, sizeof(one), "%.*s", (int)(len < sizeof(one) ? len : sizeof(one) - 1), p);
		p += len;
		if (*p)
			p++;
		if (strspn(one, " ") == strlen(one))
			continue;
		if (sscanf(one, " %31[^:]:%31[^:]:%15[^:]:%31[^=]=%ld %n", kind, ev, who, what, &val, &n) != 5 ||
		    one[n] || pt_lab_kind_parse(kind, &k) ||
		    (strcmp(who, "parent") && strcmp(who, "child")))
			return pt_err_set(err, PT_USAGE,
					  "bad expectation '%s' (KIND:EVENT:parent|child:BIT=VALUE)", one);
		if (!strcmp(ev, "map")) {
			c.id = PT_EV_MAP;
		} else if (!strcmp(ev, "mprotect-ro") || !strcmp(ev, "mprotect-rw")) {
			c.id = ev[10] == 'o' ? PT_EV_MPROTECT_RO : PT_EV_MPROTECT_RW;
		} else {
			char line[64];

			snprintf(line, sizeof(line), "%s%s", ev,
				 !strcmp(ev, "write") || !strcmp(ev, "read") ? " parent" :
				 !strcmp(ev, "exit") ? " child" : "");
			if (pt_cmd_parse(line, &c, NULL))
				return pt_err_set(err, PT_USAGE, "bad event '%s' in '%s'", ev, one);
		}
		rows = realloc(pt_user_expects, (pt_nr_user_expects + 1) * sizeof(*rows));
		if (!rows)
			return pt_err_set(err, PT_NO_MEM, "out of memory");
		pt_user_expects = rows;
		x = &rows[pt_nr_user_expects++];
		memset(x, 0, sizeof(*x));
		x->kinds = 1u << k;
		x->event = c.id;
		x->by = PT_WHO_DEFAULT;
		x->phases = PANY;
		x->who = !strcmp(who, "child") ? PT_WHO_CHILD : PT_WHO_PARENT;
		x->what = pt_strdup_static(what, strlen(what));
		x->value = val;
		x->func = "(--expect)";
		x->source = "the command line";
		x->why = NULL;
	}
	return 0;
}
