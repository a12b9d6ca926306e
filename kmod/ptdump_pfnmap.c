// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump_pfnmap: VM_PFNMAP mappings of memory this module owns, mapped as
 * a driver maps device memory, so that ptinspect's lab can replay fork()
 * of huge pfnmap entries (the pud_wrprotect()/saved-dirty thread).  It is
 * a module of its own, beside the inspection module ptdump_helper, as the
 * kernel keeps lib/test_hmm.c beside mm/hmm.c: the module that reads page
 * tables maps nothing into user space.
 *
 * debugfs ptdump_pfnmap/pfnmap is 2 MiB of RAM (an order-9 block, zeroed,
 * naturally aligned) per open; ptdump_pfnmap/pfnmap_pud is the 1 GiB that
 * the pud_phys parameter names, reserved at boot (memmap=1G$ADDR) and
 * owned by one opener at a time.  Shared mappings are filled on fault: a
 * pmd or pud leaf through huge_fault where the kernel maps huge pfnmaps,
 * ptes otherwise.  A private mapping is filled whole by remap_pfn_range()
 * at mmap time and never faulted: vmf_insert_pfn*() BUG on a COW mapping.
 *
 * A mapping's pages are found from its vm_pgoff, which __split_vma()
 * advances for the tail of a split VMA, so a mapping that mprotect() or
 * munmap() cut in two still maps each page where it was.
 *
 * The region lives as long as the open file; a mapping holds the file
 * (vm_file), and the file holds the module, so neither the memory nor the
 * module goes while anything maps it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitops.h>
#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#ifdef CONFIG_X86
#include <asm/e820/api.h>
#endif

#ifdef PTDH_HAVE_PFN_T
#include <linux/pfn_t.h>
#define ptdp_pfn_arg(pfn) pfn_to_pfn_t(pfn)
#else
/* the pfn itself since pfn_t went (include/linux/huge_mm.h:40 at 7.1) */
#define ptdp_pfn_arg(pfn) (pfn)
#endif

#ifndef PMD_ORDER
/* include/linux/pgtable.h has it from 6.10 on */
#define PMD_ORDER (PMD_SHIFT - PAGE_SHIFT)
#endif

static struct dentry *ptdp_dir;

static unsigned long pud_phys;
/* a hardware address: lockdown refuses it (KERNEL_PARAM_FL_HWPARAM) */
module_param_hw(pud_phys, ulong, iomem, 0400);
MODULE_PARM_DESC(pud_phys,
		 "physical address of 1 GiB reserved at boot (memmap=1G$ADDR), for pfnmap_pud");

/*
 * The pud region mapped write-back in the kernel for as long as the module
 * is loaded.  Besides zeroing, the mapping reserves the region's memory
 * type as WB (memremap() -> ioremap_cache() -> memtype_reserve()), so that
 * lookup_memtype() answers WB for the faults of a shared mapping as
 * remap_pfn_range() reserves WB for a private one: without it, memory that
 * is not System RAM looks up as UC- (arch/x86/mm/pat/memtype.c:675 at
 * 6.12), and the two kinds of mapping would differ in PCD.
 */
static void *pud_virt;
static unsigned long pud_busy;	/* bit 0: the region has an opener */
/*
 * The 2 MiB blocks of the region handed out to user space since they were
 * last zeroed: a new opener zeroes only those (zeroing the whole GiB at
 * each open took seconds under QEMU's TCG).
 */
static DECLARE_BITMAP(pud_used, PUD_SIZE / PMD_SIZE);

struct ptdp_region {
	struct page *pages;	/* the order-9 block, NULL for the pud region */
	unsigned long pfn;	/* the region's first pfn */
	unsigned long size;
};

static unsigned long ptdp_pfn_at(struct vm_area_struct *vma,
				 unsigned long addr)
{
	struct ptdp_region *r = vma->vm_private_data;

	return r->pfn + vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

/* @pages pages of the region from page @first will reach user space */
static void ptdp_use(struct ptdp_region *r, unsigned long first,
		     unsigned long pages)
{
	unsigned long per = PMD_SIZE >> PAGE_SHIFT, b;

	/* set_bit(): faults of the parent and a child may run at once */
	if (!r->pages && pages)
		for (b = first / per; b <= (first + pages - 1) / per; b++)
			set_bit(b, pud_used);
}

static vm_fault_t ptdp_fault(struct vm_fault *vmf)
{
	struct ptdp_region *r = vmf->vma->vm_private_data;
	unsigned long pfn = ptdp_pfn_at(vmf->vma, vmf->address);

	ptdp_use(r, pfn - r->pfn, 1);
	return vmf_insert_pfn(vmf->vma, vmf->address, pfn);
}

#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
static vm_fault_t ptdp_huge_fault(struct vm_fault *vmf, unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	struct ptdp_region *r = vma->vm_private_data;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	unsigned long size = PAGE_SIZE << order;
	unsigned long addr = vmf->address & ~(size - 1);
	unsigned long pfn;

	if (addr < vma->vm_start || addr + size > vma->vm_end)
		return VM_FAULT_FALLBACK;
	pfn = ptdp_pfn_at(vma, addr);
	if (!IS_ALIGNED(pfn, size >> PAGE_SHIFT))
		return VM_FAULT_FALLBACK;
	ptdp_use(r, pfn - r->pfn, size >> PAGE_SHIFT);
	if (order == PMD_ORDER)
		return vmf_insert_pfn_pmd(vmf, ptdp_pfn_arg(pfn), write);
#ifdef CONFIG_ARCH_SUPPORTS_PUD_PFNMAP
	if (order == PUD_ORDER)
		return vmf_insert_pfn_pud(vmf, ptdp_pfn_arg(pfn), write);
#endif
	return VM_FAULT_FALLBACK;
}
#endif

#ifdef CONFIG_ARCH_SUPPORTS_PUD_PFNMAP
/*
 * Before the kernel cuts a shared mapping in two, take down a huge pud
 * that maps a whole GiB of it.  The split itself handles only pmds
 * (vma_adjust_trans_huge(), mm/huge_memory.c:3003 at 6.12), and on the
 * way mm_find_pmd() takes a pud leaf for a pmd table (mm/rmap.c:831):
 * __split_huge_pmd() then locks a "pmd" inside the mapped memory, which
 * oopsed in the test VM on Debian's 6.12.117.  Faults map the parts again,
 * each from its vm_pgoff.
 */
#ifdef PTDH_HAVE_ZAP_SPECIAL_VMA_RANGE
/* zap_vma_ptes() was renamed in 7.1 (mm/memory.c:2269 at 7.1) */
#define ptdp_zap(vma, start, size) zap_special_vma_range(vma, start, size)
#else
#define ptdp_zap(vma, start, size) zap_vma_ptes(vma, start, size)
#endif

static bool split_zaps_pud = true;
module_param(split_zaps_pud, bool, 0444);
MODULE_PARM_DESC(split_zaps_pud,
		 "take a huge pud down before a split cuts its mapping (N: leave it to the kernel, to reproduce doc/pud-split-report.md)");

static int ptdp_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	unsigned long start = ALIGN(vma->vm_start, PUD_SIZE);
	unsigned long end = ALIGN_DOWN(vma->vm_end, PUD_SIZE);

	if (split_zaps_pud && start < end)
		ptdp_zap(vma, start, end - start);
	return 0;
}
#endif

static const struct vm_operations_struct ptdp_shared_ops = {
	.fault = ptdp_fault,
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	.huge_fault = ptdp_huge_fault,
#endif
#ifdef CONFIG_ARCH_SUPPORTS_PUD_PFNMAP
	.may_split = ptdp_may_split,
#endif
};

/* populated whole at mmap time: nothing to fault */
static const struct vm_operations_struct ptdp_private_ops = {
};

static int ptdp_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ptdp_region *r = file->private_data;
	unsigned long pages = r->size >> PAGE_SHIFT;
	vm_flags_t flags = VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP | VM_HUGEPAGE;

	if (vma->vm_pgoff >= pages || vma_pages(vma) > pages - vma->vm_pgoff)
		return -EINVAL;
#ifdef PTDH_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
	vma->vm_private_data = r;
	/*
	 * VM_MAYSHARE, not VM_SHARED: MAP_SHARED of a file opened read-only
	 * has no VM_SHARED (do_mmap() clears it with VM_MAYWRITE) and is
	 * still a shared mapping of the region.
	 */
	if (vma->vm_flags & VM_MAYSHARE) {
		vma->vm_ops = &ptdp_shared_ops;
		return 0;
	}
	vma->vm_ops = &ptdp_private_ops;
	ptdp_use(r, vma->vm_pgoff, vma_pages(vma));
	return remap_pfn_range(vma, vma->vm_start, r->pfn + vma->vm_pgoff,
			       vma->vm_end - vma->vm_start, vma->vm_page_prot);
}

/*
 * Placed so that the region's first page would sit at an address aligned
 * to the region's size, so that one pmd or pud can map it.
 */
static unsigned long ptdp_area(struct file *file, unsigned long addr,
			       unsigned long len, unsigned long pgoff,
			       unsigned long flags)
{
	struct ptdp_region *r = file->private_data;
	unsigned long align = r->size, off, start;

	if (flags & MAP_FIXED)
		return addr;
	if (len > r->size)
		return -EINVAL;
	off = (pgoff << PAGE_SHIFT) & (align - 1);
#if defined(PTDH_MM_GET_UNMAPPED_AREA_NO_MM)
	/* current->mm implied since 7.1 (include/linux/sched/mm.h:192 at 7.1) */
	start = mm_get_unmapped_area(file, 0, len + align, pgoff, flags);
#elif defined(PTDH_HAVE_MM_GET_UNMAPPED_AREA)
	start = mm_get_unmapped_area(current->mm, file, 0, len + align, pgoff, flags);
#else
	start = current->mm->get_unmapped_area(file, 0, len + align, pgoff, flags);
#endif
	if (IS_ERR_VALUE(start))
		return start;
	/* the first address from @start that is @off into an aligned block */
	return start + ((off - start) & (align - 1));
}

static int ptdp_open(struct inode *inode, struct file *file)
{
	struct ptdp_region *r;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	r->pages = alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO, PMD_ORDER);
	if (!r->pages) {
		kfree(r);
		return -ENOMEM;
	}
	r->pfn = page_to_pfn(r->pages);
	r->size = PMD_SIZE;
	file->private_data = r;
	return 0;
}

static int ptdp_pud_open(struct inode *inode, struct file *file)
{
	struct ptdp_region *r;
	unsigned long i;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (!pud_virt)
		return -ENODEV;
	r = kzalloc(sizeof(*r), GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	if (test_and_set_bit_lock(0, &pud_busy)) {
		kfree(r);
		return -EBUSY;
	}
	/*
	 * what the last opener wrote, or the firmware left, is not shown;
	 * up to 1 GiB: a soft lockup under emulation without the resched
	 */
	for_each_set_bit(i, pud_used, PUD_SIZE / PMD_SIZE) {
		memset(pud_virt + i * PMD_SIZE, 0, PMD_SIZE);
		cond_resched();
	}
	bitmap_zero(pud_used, PUD_SIZE / PMD_SIZE);
	r->pfn = PHYS_PFN(pud_phys);
	r->size = PUD_SIZE;
	file->private_data = r;
	return 0;
}

static int ptdp_release(struct inode *inode, struct file *file)
{
	struct ptdp_region *r = file->private_data;

	if (r->pages)
		__free_pages(r->pages, PMD_ORDER);
	else
		clear_bit_unlock(0, &pud_busy);
	kfree(r);
	return 0;
}

static const struct file_operations ptdp_fops = {
	.owner = THIS_MODULE,
	.open = ptdp_open,
	.mmap = ptdp_mmap,
	.get_unmapped_area = ptdp_area,
	.release = ptdp_release,
};

static const struct file_operations ptdp_pud_fops = {
	.owner = THIS_MODULE,
	.open = ptdp_pud_open,
	.mmap = ptdp_mmap,
	.get_unmapped_area = ptdp_area,
	.release = ptdp_release,
};

/*
 * pud_phys must name memory that nothing else uses, or the mapping would
 * hand out, writable, what STRICT_DEVMEM refuses for /dev/mem: no byte of
 * System RAM, and not a device's registers, persistent memory or a range
 * firmware keeps (ACPI tables and NVS, ROM).  What memmap=1G$ADDR gives is
 * an E820_TYPE_RESERVED range, which becomes an iomem resource described
 * IORES_DESC_RESERVED and not busy (do_mark_busy(),
 * arch/x86/kernel/e820.c), with nothing under it.
 *
 * On x86 the e820 table must say that every page of the GiB is reserved
 * and no byte of it anything else: holes (where a PCI window or nothing at
 * all lies), ACPI, NVS, pmem.  Then the GiB is claimed with
 * request_mem_region(), which fails on any busy range (firmware's, a
 * driver's) it meets and on a resource it would straddle (a PCI window),
 * and the resource that took the claim must be a reserved range holding
 * the whole GiB, with the claim its only child.  Only a kernel without PCI
 * has no such range to find: non-busy e820 ranges enter iomem in
 * e820__reserve_resources_late(), which pcibios_resource_survey() calls,
 * and then the claim lands at the top, the e820 table alone vouching for
 * it.  Read without resource_lock (not exported): under a claim that
 * covers the whole GiB nothing else can be requested there until it is
 * released.
 */
static bool ptdp_pud_e820_reserved(void)
{
#ifdef CONFIG_X86
	static const enum e820_type other[] = {
		E820_TYPE_RAM, E820_TYPE_ACPI, E820_TYPE_NVS, E820_TYPE_UNUSABLE,
		E820_TYPE_PMEM, E820_TYPE_PRAM, E820_TYPE_SOFT_RESERVED,
	};
	u64 a;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(other); i++)
		if (e820__mapped_any(pud_phys, pud_phys + PUD_SIZE, other[i]))
			return false;
	for (a = pud_phys; a < pud_phys + PUD_SIZE; a += PAGE_SIZE)
		if (!e820__mapped_any(a, a + PAGE_SIZE, E820_TYPE_RESERVED))
			return false;
	return true;
#else
	/* no e820: the iomem resource alone must show the reserved range */
	return true;
#endif
}

static bool ptdp_pud_reserved(const struct resource *res)
{
	const struct resource *r = res->parent;

	if (r == &iomem_resource)
		return IS_ENABLED(CONFIG_X86) && !IS_ENABLED(CONFIG_PCI);
	return r && r->desc == IORES_DESC_RESERVED &&
	       (r->flags & IORESOURCE_MEM) && !(r->flags & IORESOURCE_BUSY) &&
	       r->start <= res->start && r->end >= res->end &&
	       r->child == res && !res->sibling;
}

static int ptdp_pud_init(void)
{
	struct resource *res;
	int ri;

	if (!pud_phys)
		return 0;
	if (!IS_ALIGNED(pud_phys, PUD_SIZE)) {
		pr_err("pud_phys=%#lx is not 1 GiB aligned\n", pud_phys);
		return -EINVAL;
	}
	ri = region_intersects(pud_phys, PUD_SIZE, IORESOURCE_SYSTEM_RAM,
			       IORES_DESC_NONE);
	if (ri != REGION_DISJOINT) {
		pr_err("pud_phys=%#lx: 1 GiB there is %s System RAM; reserve it at boot with memmap=1G$%#lx\n",
		       pud_phys, ri == REGION_INTERSECTS ? "" : "partly ", pud_phys);
		return -EINVAL;
	}
	if (!ptdp_pud_e820_reserved()) {
		pr_err("pud_phys=%#lx: that GiB is not all reserved in the e820 table; reserve it at boot with memmap=1G$%#lx\n",
		       pud_phys, pud_phys);
		return -EINVAL;
	}
	res = request_mem_region(pud_phys, PUD_SIZE, KBUILD_MODNAME);
	if (!res) {
		pr_err("pud_phys=%#lx: that GiB is device, firmware or claimed memory (see /proc/iomem); reserve free memory at boot with memmap=1G$ADDR\n",
		       pud_phys);
		return -EBUSY;
	}
	if (!ptdp_pud_reserved(res)) {
		pr_err("pud_phys=%#lx: that GiB is not one reserved range with nothing in it (memmap=1G$%#lx gives one)\n",
		       pud_phys, pud_phys);
		release_mem_region(pud_phys, PUD_SIZE);
		return -EINVAL;
	}
	pud_virt = memremap(pud_phys, PUD_SIZE, MEMREMAP_WB);
	if (!pud_virt) {
		pr_err("pud_phys=%#lx: cannot map it write-back\n", pud_phys);
		release_mem_region(pud_phys, PUD_SIZE);
		return -ENOMEM;
	}
	/* whatever was there before the module: zeroed at the first open */
	bitmap_fill(pud_used, PUD_SIZE / PMD_SIZE);
	return 0;
}

static int __init ptdp_init(void)
{
	int ret = ptdp_pud_init();

	if (ret)
		return ret;
	ptdp_dir = debugfs_create_dir("ptdump_pfnmap", NULL);
	/* _unsafe: the proxy of debugfs_create_file() does not pass mmap() on */
	debugfs_create_file_unsafe("pfnmap", 0600, ptdp_dir, NULL, &ptdp_fops);
	debugfs_create_file_unsafe("pfnmap_pud", 0600, ptdp_dir, NULL,
				   &ptdp_pud_fops);
	return 0;
}

static void __exit ptdp_exit(void)
{
	debugfs_remove_recursive(ptdp_dir);
	if (pud_virt) {
		memunmap(pud_virt);
		release_mem_region(pud_phys, PUD_SIZE);
	}
}

module_init(ptdp_init);
module_exit(ptdp_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("VM_PFNMAP mappings, small and huge, for ptinspect's lab");
MODULE_AUTHOR("The ptinspect developers");
