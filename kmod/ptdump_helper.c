// SPDX-License-Identifier: GPL-2.0
/*
 * ptdump_helper: the raw page-table entries of any task, for ptinspect.
 *
 * debugfs ptdump_helper/layout describes this kernel's page-table geometry
 * and names its bits with the kernel's own macros; ptdump_helper/walk takes
 * a query ("PID ADDR" or "PID START END") per open file and answers with
 * one line per entry.  The format is in man/ptdump_helper.4.  Raw values
 * and user virtual addresses only: no kernel address is ever printed, and
 * decoding is user space's job.
 *
 * The walk holds a reference on the task's mm and its mmap read lock, and
 * reads each level once, locklessly, with interrupts off as GUP-fast does:
 * page tables can be freed under the mmap read lock (munmap after its lock
 * downgrade, khugepaged collapse, empty-table reclaim), and freeing waits
 * for an IPI or an RCU grace period that an interrupts-off section holds
 * off.  Each level is re-read after the next one to catch a change.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/debugfs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mmap_lock.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pgtable.h>
#include <linux/pfn_t.h>
#include <linux/pid.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/swapops.h>
#include <linux/uaccess.h>
#include <linux/utsname.h>
#include <linux/vmalloc.h>

#ifndef CONFIG_X86_64
#error "ptdump_helper supports x86_64 only so far"
#endif

#define PTDH_VERSION 1
#define PTDH_QUERY_MAX 80		/* bytes of one query */
#define PTDH_RANGE_MAX BIT(36)	/* 64 GiB in one query */
#define PTDH_OUT_MAX (4UL << 20)	/* bytes of one answer */
#define PTDH_RETRIES 16

#ifndef PTDH_HAVE_PMDP_GET_LOCKLESS
/* a 64-bit load is atomic on x86_64 (GUP-fast reads pmds so on 6.1) */
#define pmdp_get_lockless(pmdp) READ_ONCE(*(pmdp))
#endif

static struct dentry *ptdh_dir;

static unsigned long pud_phys;
module_param(pud_phys, ulong, 0400);
MODULE_PARM_DESC(pud_phys,
		 "physical address of 1 GiB reserved at boot (memmap=1G$ADDR), for pfnmap_pud");

/* One open walk file: the answer to its last query. */
struct ptdh_query {
	struct mutex lock;	/* serialises write and read of @buf */
	char *buf;		/* kvmalloc'd answer, or NULL */
	size_t len;
	size_t cap;
	bool overflow;
};

static __printf(2, 3) void ptdh_out(struct ptdh_query *q, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (q->overflow)
		return;
	va_start(ap, fmt);
	n = vsnprintf(q->buf + q->len, q->cap - q->len, fmt, ap);
	va_end(ap);
	if (n < 0 || q->len + n >= q->cap) {
		q->overflow = true;
		return;
	}
	q->len += n;
}

enum ptdh_level { PTDH_PGD, PTDH_P4D, PTDH_PUD, PTDH_PMD, PTDH_PTE, PTDH_NR };

static const char *const ptdh_level_names[PTDH_NR] = {
	"pgd", "p4d", "pud", "pmd", "pte",
};

/* What one lockless walk saw at one address. */
struct ptdh_path {
	u64 raw[PTDH_NR];
	const char *state[PTDH_NR];
	unsigned long va[PTDH_NR];	/* start of what each entry covers */
	int last;			/* deepest level read */
	unsigned long next;		/* first address past the last entry */
};

static void ptdh_set(struct ptdh_path *p, int l, u64 raw, const char *state,
		     unsigned long addr, unsigned long size)
{
	p->raw[l] = raw;
	p->state[l] = state;
	p->va[l] = addr & ~(size - 1);
	p->last = l;
	p->next = p->va[l] + size;
}

/*
 * Reads the entries for @addr once, from the top level down, and stops at
 * an empty, non-present or leaf entry.  Returns -EAGAIN when an upper entry
 * changed while the one below it was read.  Called with interrupts off.
 */
static int ptdh_walk_once(struct mm_struct *mm, unsigned long addr,
			  struct ptdh_path *p)
{
	pgd_t *pgdp, pgd;
	p4d_t *p4dp, p4d;
	pud_t *pudp, pud;
	pmd_t *pmdp, pmd;
	pte_t *ptep, pte;
	int l = PTDH_PGD;

	pgdp = pgd_offset(mm, addr);
	pgd = READ_ONCE(*pgdp);
	ptdh_set(p, l, pgd_val(pgd), "table", addr, PGDIR_SIZE);
	if (pgd_none(pgd) || pgd_bad(pgd)) {
		p->state[l] = pgd_none(pgd) ? "none" : "bad";
		return 0;
	}
	/*
	 * With 4 levels the p4d is the pgd folded: pgd_none() is always
	 * false and p4d_none() tests the pgd entry itself, which is the
	 * one reported.
	 */
	p4dp = p4d_offset(&pgd, addr);
	p4d = READ_ONCE(*p4dp);
	if (pgtable_l5_enabled()) {
		l = PTDH_P4D;
		ptdh_set(p, l, p4d_val(p4d), "table", addr, P4D_SIZE);
	}
	if (p4d_none(p4d) || p4d_bad(p4d)) {
		p->state[l] = p4d_none(p4d) ? "none" : "bad";
		return 0;
	}
	pudp = pud_offset(&p4d, addr);
	pud = READ_ONCE(*pudp);
	ptdh_set(p, PTDH_PUD, pud_val(pud), "table", addr, PUD_SIZE);
	if (pud_none(pud)) {
		p->state[PTDH_PUD] = "none";
		return 0;
	}
	if (!pud_present(pud)) {
		p->state[PTDH_PUD] = "nonpresent";
		return 0;
	}
	if (pud_leaf(pud)) {
		p->state[PTDH_PUD] = "leaf";
		return 0;
	}
	if (pud_bad(pud)) {
		p->state[PTDH_PUD] = "bad";
		return 0;
	}
	pmdp = pmd_offset(&pud, addr);
	pmd = pmdp_get_lockless(pmdp);
	ptdh_set(p, PTDH_PMD, pmd_val(pmd), "table", addr, PMD_SIZE);
	if (pud_val(READ_ONCE(*pudp)) != pud_val(pud))
		return -EAGAIN;
	if (pmd_none(pmd)) {
		p->state[PTDH_PMD] = "none";
		return 0;
	}
	/* pmd_present() is true for a huge pmd being split (PSE, no P) */
	if (!pmd_present(pmd)) {
		p->state[PTDH_PMD] = "nonpresent";
		return 0;
	}
	if (pmd_leaf(pmd)) {
		p->state[PTDH_PMD] = (pmd_flags(pmd) & _PAGE_PRESENT) ?
				     "leaf" : "nonpresent";
		return 0;
	}
	if (pmd_bad(pmd)) {
		p->state[PTDH_PMD] = "bad";
		return 0;
	}
	ptep = pte_offset_kernel(&pmd, addr);
	pte = ptep_get(ptep);
	ptdh_set(p, PTDH_PTE, pte_val(pte), "leaf", addr, PAGE_SIZE);
	/* the pte table may have been freed and reused meanwhile */
	if (pmd_val(pmdp_get_lockless(pmdp)) != pmd_val(pmd))
		return -EAGAIN;
	if (pte_none(pte))
		p->state[PTDH_PTE] = "none";
	else if (!(pte_flags(pte) & _PAGE_PRESENT))
		p->state[PTDH_PTE] = "nonpresent";
	return 0;
}

static int ptdh_walk_addr(struct mm_struct *mm, unsigned long addr,
			  struct ptdh_path *p)
{
	unsigned long flags;
	int i, ret = -EAGAIN;

	for (i = 0; i < PTDH_RETRIES && ret == -EAGAIN; i++) {
		memset(p, 0, sizeof(*p));
		local_irq_save(flags);
		ret = ptdh_walk_once(mm, addr, p);
		local_irq_restore(flags);
		if (ret == -EAGAIN)
			cond_resched();
	}
	return ret;
}

static void ptdh_out_entry(struct ptdh_query *q, const struct ptdh_path *p,
			   int l)
{
	ptdh_out(q, "%s %lx %016llx %s\n", ptdh_level_names[l], p->va[l],
		 (unsigned long long)p->raw[l], p->state[l]);
}

/*
 * Every entry met in [start, end) of one VMA, each once: a table entry
 * when first crossed, every leaf and non-present entry; empty ptes are
 * left out of a range (not of a single address).
 */
static int ptdh_walk_vma(struct ptdh_query *q, struct mm_struct *mm,
			 struct vm_area_struct *vma, unsigned long start,
			 unsigned long end, bool single)
{
	unsigned long seen[PTDH_NR], addr;
	struct ptdh_path p;
	int l, ret;

	memset(seen, 0xff, sizeof(seen));
	ptdh_out(q, "vma %lx %lx %lx\n", vma->vm_start, vma->vm_end,
		 (unsigned long)vma->vm_flags);
	for (addr = max(start, vma->vm_start); addr < min(end, vma->vm_end);) {
		if (fatal_signal_pending(current))
			return -EINTR;
		ret = ptdh_walk_addr(mm, addr, &p);
		if (ret)
			return ret;
		for (l = 0; l <= p.last; l++) {
			if (!p.state[l] || seen[l] == p.va[l])
				continue;
			seen[l] = p.va[l];
			if (!single && l == PTDH_PTE && !p.raw[l])
				continue;
			ptdh_out_entry(q, &p, l);
		}
		if (single || p.next <= addr)
			break;
		addr = p.next;
		if (q->overflow)
			return -EFBIG;
		cond_resched();
	}
	return 0;
}

static int ptdh_walk_task(struct ptdh_query *q, pid_t nr, unsigned long start,
			  unsigned long end, bool single)
{
	struct vm_area_struct *vma;
	struct task_struct *task;
	struct mm_struct *mm;
	struct pid *pid;
	unsigned long addr;
	int ret = 0;

	pid = find_get_pid(nr);
	if (!pid)
		return -ESRCH;
	task = get_pid_task(pid, PIDTYPE_PID);
	put_pid(pid);
	if (!task)
		return -ESRCH;
	if (task->flags & PF_KTHREAD) {
		put_task_struct(task);
		return -EINVAL;
	}
	/* NULL once the task has exited (a zombie) */
	mm = get_task_mm(task);
	put_task_struct(task);
	if (!mm)
		return -ESRCH;
	if (mmap_read_lock_killable(mm)) {
		ret = -EINTR;
		goto out_mmput;
	}
	ptdh_out(q, "query %d %lx %lx\n", nr, start, end);
	vma = find_vma(mm, start);
	if (!vma || vma->vm_start >= end || (single && vma->vm_start > start)) {
		ret = -ENOENT;
		goto out_unlock;
	}
	for (; vma && vma->vm_start < end && !ret; vma = find_vma(mm, addr)) {
		ret = ptdh_walk_vma(q, mm, vma, start, end, single);
		addr = vma->vm_end;
	}
	if (!ret && q->overflow)
		ret = -EFBIG;
out_unlock:
	mmap_read_unlock(mm);
out_mmput:
	mmput(mm);
	return ret;
}

/* "PID ADDR\n" or "PID START END\n": pid decimal, addresses hexadecimal. */
static int ptdh_parse(char *s, pid_t *pid, unsigned long *start,
		      unsigned long *end, bool *single)
{
	char *tok[3], *p = strim(s);
	unsigned long long v;
	int n = 0, ret;
	s32 id;

	while (p && *p && n < 3) {
		tok[n++] = strsep(&p, " \t");
		while (p && (*p == ' ' || *p == '\t'))
			p++;
	}
	if (n < 2 || (p && *p))
		return -EINVAL;
	ret = kstrtos32(tok[0], 10, &id);
	if (ret || id <= 0)
		return ret ? ret : -EINVAL;
	*pid = id;
	ret = kstrtoull(tok[1], 16, &v);
	if (ret)
		return ret;
	*start = v;
	*single = n == 2;
	if (*single) {
		*end = *start + 1;
	} else {
		ret = kstrtoull(tok[2], 16, &v);
		if (ret)
			return ret;
		*end = v;
	}
	/* user addresses only: TASK_SIZE_MAX covers both paging modes */
	if (*start >= *end || *end > TASK_SIZE_MAX)
		return -EINVAL;
	if (*end - *start > PTDH_RANGE_MAX)
		return -E2BIG;
	return 0;
}

static ssize_t ptdh_walk_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct ptdh_query *q = file->private_data;
	char kbuf[PTDH_QUERY_MAX + 1];
	unsigned long start, end;
	bool single;
	pid_t pid;
	int ret;

	if (!count || count > PTDH_QUERY_MAX)
		return -EINVAL;
	if (copy_from_user(kbuf, ubuf, count))
		return -EFAULT;
	kbuf[count] = '\0';
	if (strnlen(kbuf, count + 1) != count)
		return -EINVAL;
	ret = ptdh_parse(kbuf, &pid, &start, &end, &single);
	if (ret)
		return ret;
	mutex_lock(&q->lock);
	if (!q->buf) {
		q->buf = kvmalloc(PTDH_OUT_MAX, GFP_KERNEL);
		if (!q->buf) {
			ret = -ENOMEM;
			goto out_unlock;
		}
		q->cap = PTDH_OUT_MAX;
	}
	q->len = 0;
	q->overflow = false;
	ptdh_out(q, "ptdump_helper %d\n", PTDH_VERSION);
	ret = ptdh_walk_task(q, pid, start, end, single);
	if (!ret)
		ptdh_out(q, "end\n");
	if (ret || q->overflow)
		q->len = 0;
	if (!ret && q->overflow)
		ret = -EFBIG;
	/* the answer is read from its start */
	*ppos = 0;
out_unlock:
	mutex_unlock(&q->lock);
	return ret ? ret : count;
}

static ssize_t ptdh_walk_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct ptdh_query *q = file->private_data;
	ssize_t ret;

	mutex_lock(&q->lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, q->buf, q->len);
	mutex_unlock(&q->lock);
	return ret;
}

static int ptdh_walk_open(struct inode *inode, struct file *file)
{
	struct ptdh_query *q;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	q = kzalloc(sizeof(*q), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	mutex_init(&q->lock);
	file->private_data = q;
	return nonseekable_open(inode, file);
}

static int ptdh_walk_release(struct inode *inode, struct file *file)
{
	struct ptdh_query *q = file->private_data;

	kvfree(q->buf);
	mutex_destroy(&q->lock);
	kfree(q);
	return 0;
}

static const struct file_operations ptdh_walk_fops = {
	.owner = THIS_MODULE,
	.open = ptdh_walk_open,
	.read = ptdh_walk_read,
	.write = ptdh_walk_write,
	.release = ptdh_walk_release,
};

static void ptdh_bit(struct seq_file *m, const char *name, u64 mask)
{
	if (mask)
		seq_printf(m, "bit %s %llx\n", name, (unsigned long long)mask);
}

static void ptdh_vmflag(struct seq_file *m, const char *name, unsigned long mask)
{
	if (mask)
		seq_printf(m, "vmflag %s %lx\n", name, mask);
}

/*
 * vm_flags under smaps' own names (show_smap_vma_flags()): user space
 * names a VMA's flags from the walk's vma line, because reading smaps
 * walks the VMA and splits (for a pfnmap: zaps) a huge pud on the way.
 */
static void ptdh_layout_vmflags(struct seq_file *m)
{
	ptdh_vmflag(m, "rd", VM_READ);
	ptdh_vmflag(m, "wr", VM_WRITE);
	ptdh_vmflag(m, "ex", VM_EXEC);
	ptdh_vmflag(m, "sh", VM_SHARED);
	ptdh_vmflag(m, "mr", VM_MAYREAD);
	ptdh_vmflag(m, "mw", VM_MAYWRITE);
	ptdh_vmflag(m, "me", VM_MAYEXEC);
	ptdh_vmflag(m, "ms", VM_MAYSHARE);
	ptdh_vmflag(m, "gd", VM_GROWSDOWN);
	ptdh_vmflag(m, "pf", VM_PFNMAP);
	ptdh_vmflag(m, "lo", VM_LOCKED);
	ptdh_vmflag(m, "io", VM_IO);
	ptdh_vmflag(m, "sr", VM_SEQ_READ);
	ptdh_vmflag(m, "rr", VM_RAND_READ);
	ptdh_vmflag(m, "dc", VM_DONTCOPY);
	ptdh_vmflag(m, "de", VM_DONTEXPAND);
	ptdh_vmflag(m, "lf", VM_LOCKONFAULT);
	ptdh_vmflag(m, "ac", VM_ACCOUNT);
	ptdh_vmflag(m, "nr", VM_NORESERVE);
	ptdh_vmflag(m, "ht", VM_HUGETLB);
	ptdh_vmflag(m, "sf", VM_SYNC);
	ptdh_vmflag(m, "ar", VM_ARCH_1);
	ptdh_vmflag(m, "wf", VM_WIPEONFORK);
	ptdh_vmflag(m, "dd", VM_DONTDUMP);
	ptdh_vmflag(m, "sd", VM_SOFTDIRTY);
	ptdh_vmflag(m, "mm", VM_MIXEDMAP);
	ptdh_vmflag(m, "hg", VM_HUGEPAGE);
	ptdh_vmflag(m, "nh", VM_NOHUGEPAGE);
	ptdh_vmflag(m, "mg", VM_MERGEABLE);
	ptdh_vmflag(m, "um", VM_UFFD_MISSING);
	ptdh_vmflag(m, "uw", VM_UFFD_WP);
	ptdh_vmflag(m, "ui", VM_UFFD_MINOR);
#ifdef VM_SHADOW_STACK
	ptdh_vmflag(m, "ss", VM_SHADOW_STACK);
#endif
}

static int ptdh_layout_show(struct seq_file *m, void *v)
{
	seq_printf(m, "ptdump_helper %d\n", PTDH_VERSION);
	seq_printf(m, "arch x86_64\nrelease %s\n", utsname()->release);
	seq_printf(m, "levels %d\n", pgtable_l5_enabled() ? 5 : 4);
	seq_printf(m, "shift pgd %d\n", PGDIR_SHIFT);
	if (pgtable_l5_enabled())
		seq_printf(m, "shift p4d %d\n", P4D_SHIFT);
	seq_printf(m, "shift pud %d\nshift pmd %d\nshift pte %d\n", PUD_SHIFT,
		   PMD_SHIFT, PAGE_SHIFT);
	seq_printf(m, "pfn_mask pte %llx\npfn_mask pmd %llx\npfn_mask pud %llx\n",
		   (unsigned long long)PTE_PFN_MASK,
		   (unsigned long long)(PTE_PFN_MASK & PMD_MASK),
		   (unsigned long long)(PTE_PFN_MASK & PUD_MASK));
	ptdh_bit(m, "present", _PAGE_PRESENT);
	ptdh_bit(m, "write", _PAGE_RW);
	ptdh_bit(m, "user", _PAGE_USER);
	ptdh_bit(m, "pwt", _PAGE_PWT);
	ptdh_bit(m, "pcd", _PAGE_PCD);
	ptdh_bit(m, "accessed", _PAGE_ACCESSED);
	ptdh_bit(m, "dirty", _PAGE_DIRTY);
	ptdh_bit(m, "huge", _PAGE_PSE);
	ptdh_bit(m, "pat", _PAGE_PAT);
	ptdh_bit(m, "global", _PAGE_GLOBAL);
	ptdh_bit(m, "prot_none", _PAGE_PROTNONE);
	ptdh_bit(m, "special", _PAGE_SPECIAL);
	ptdh_bit(m, "uffd_wp", _PAGE_UFFD_WP);
	ptdh_bit(m, "soft_dirty", _PAGE_SOFT_DIRTY);
	ptdh_bit(m, "pat_large", _PAGE_PAT_LARGE);
	ptdh_bit(m, "devmap", _PAGE_DEVMAP);
#ifdef _PAGE_SAVED_DIRTY
	ptdh_bit(m, "saved_dirty", _PAGE_SAVED_DIRTY);
#endif
	ptdh_bit(m, "pkey", _PAGE_PKEY_MASK);
	ptdh_bit(m, "nx", _PAGE_NX);
	ptdh_bit(m, "swp_soft_dirty", _PAGE_SWP_SOFT_DIRTY);
	ptdh_bit(m, "swp_uffd_wp", _PAGE_SWP_UFFD_WP);
	ptdh_bit(m, "swp_exclusive", _PAGE_SWP_EXCLUSIVE);
	seq_printf(m, "swp max_swapfiles %d\n", (int)MAX_SWAPFILES);
#ifdef CONFIG_MIGRATION
	seq_printf(m, "swp migration_read %d\n", (int)SWP_MIGRATION_READ);
#endif
#ifdef CONFIG_MEMORY_FAILURE
	seq_printf(m, "swp hwpoison %d\n", (int)SWP_HWPOISON);
#endif
#ifdef CONFIG_DEVICE_PRIVATE
	seq_printf(m, "swp device_first %d\n", (int)SWP_DEVICE_WRITE);
#endif
#ifdef CONFIG_PTE_MARKER
	seq_printf(m, "swp marker %d\n", (int)SWP_PTE_MARKER);
#endif
#ifdef SWP_SWAPIN_ERROR
	seq_printf(m, "swp swapin_error %d\n", (int)SWP_SWAPIN_ERROR);
#endif
	ptdh_layout_vmflags(m);
	seq_puts(m, "end\n");
	return 0;
}

static int ptdh_layout_open(struct inode *inode, struct file *file)
{
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return single_open(file, ptdh_layout_show, NULL);
}

static const struct file_operations ptdh_layout_fops = {
	.owner = THIS_MODULE,
	.open = ptdh_layout_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

/*
 * pfnmap and pfnmap_pud: mmap() gives a VM_PFNMAP mapping of memory the
 * module owns, as a driver maps device memory, so the lab can replay
 * fork() of huge pfnmap entries.  pfnmap is 2 MiB of RAM (an order-9
 * block, naturally aligned), pfnmap_pud 1 GiB reserved at boot.  Shared
 * mappings are filled on fault: a pmd or pud leaf through huge_fault
 * where the kernel supports huge pfnmaps, ptes otherwise.  A private
 * mapping is filled whole by remap_pfn_range() at mmap time and never
 * faulted: vmf_insert_pfn*() BUG on a COW mapping.
 *
 * The region lives as long as the open file; a mapping holds the file
 * (vm_file), and the file holds the module, so neither the memory nor the
 * module goes while anything maps it.
 */
struct ptdh_pfnmap {
	struct page *pages;	/* the order-9 block, NULL for pfnmap_pud */
	unsigned long pfn;	/* the region's first pfn */
	unsigned long size;
};

static unsigned long ptdh_pfn_at(struct vm_area_struct *vma,
				 unsigned long addr)
{
	struct ptdh_pfnmap *map = vma->vm_private_data;

	return map->pfn + ((addr - vma->vm_start) >> PAGE_SHIFT);
}

static vm_fault_t ptdh_pfnmap_fault(struct vm_fault *vmf)
{
	return vmf_insert_pfn(vmf->vma, vmf->address,
			      ptdh_pfn_at(vmf->vma, vmf->address));
}

#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
static vm_fault_t ptdh_pfnmap_huge_fault(struct vm_fault *vmf,
					 unsigned int order)
{
	struct vm_area_struct *vma = vmf->vma;
	bool write = vmf->flags & FAULT_FLAG_WRITE;
	unsigned long size = PAGE_SIZE << order;
	unsigned long addr = vmf->address & ~(size - 1);

	if (addr < vma->vm_start || addr + size > vma->vm_end ||
	    !IS_ALIGNED(ptdh_pfn_at(vma, addr), size >> PAGE_SHIFT))
		return VM_FAULT_FALLBACK;
	if (order == PMD_ORDER)
		return vmf_insert_pfn_pmd(vmf, pfn_to_pfn_t(ptdh_pfn_at(vma, addr)),
					  write);
#ifdef CONFIG_ARCH_SUPPORTS_PUD_PFNMAP
	if (order == PUD_ORDER)
		return vmf_insert_pfn_pud(vmf, pfn_to_pfn_t(ptdh_pfn_at(vma, addr)),
					  write);
#endif
	return VM_FAULT_FALLBACK;
}
#endif

static const struct vm_operations_struct ptdh_pfnmap_shared_ops = {
	.fault = ptdh_pfnmap_fault,
#ifdef CONFIG_ARCH_SUPPORTS_PMD_PFNMAP
	.huge_fault = ptdh_pfnmap_huge_fault,
#endif
};

/* populated whole at mmap time: nothing to fault */
static const struct vm_operations_struct ptdh_pfnmap_private_ops = {
};

static int ptdh_pfnmap_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct ptdh_pfnmap *map = file->private_data;
	unsigned long len = vma->vm_end - vma->vm_start;
	vm_flags_t flags = VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP | VM_HUGEPAGE;

	if (vma->vm_pgoff || len > map->size)
		return -EINVAL;
#ifdef PTDH_HAVE_VM_FLAGS_SET
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
	vma->vm_private_data = map;
	if (vma->vm_flags & VM_SHARED) {
		vma->vm_ops = &ptdh_pfnmap_shared_ops;
		return 0;
	}
	vma->vm_ops = &ptdh_pfnmap_private_ops;
	return remap_pfn_range(vma, vma->vm_start, map->pfn, len,
			       vma->vm_page_prot);
}

/* Aligned to the region's size, so that one pmd or pud can map it. */
static unsigned long ptdh_pfnmap_area(struct file *file, unsigned long addr,
				      unsigned long len, unsigned long pgoff,
				      unsigned long flags)
{
	struct ptdh_pfnmap *map = file->private_data;
	unsigned long align = map->size, start;

	if (len > map->size || (flags & MAP_FIXED))
		return flags & MAP_FIXED ? addr : -EINVAL;
#ifdef PTDH_HAVE_MM_GET_UNMAPPED_AREA
	start = mm_get_unmapped_area(current->mm, file, 0, len + align, pgoff, flags);
#else
	start = current->mm->get_unmapped_area(file, 0, len + align, pgoff, flags);
#endif
	if (IS_ERR_VALUE(start))
		return start;
	return ALIGN(start, align);
}

static int ptdh_pfnmap_open_size(struct inode *inode, struct file *file,
				 bool pud)
{
	struct ptdh_pfnmap *map;

	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	if (pud && !pud_phys)
		return -ENODEV;
	if (pud && !IS_ALIGNED(pud_phys, PUD_SIZE))
		return -EINVAL;
	map = kzalloc(sizeof(*map), GFP_KERNEL);
	if (!map)
		return -ENOMEM;
	if (pud) {
		map->pfn = pud_phys >> PAGE_SHIFT;
		map->size = PUD_SIZE;
	} else {
		map->pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, PMD_SHIFT - PAGE_SHIFT);
		if (!map->pages) {
			kfree(map);
			return -ENOMEM;
		}
		map->pfn = page_to_pfn(map->pages);
		map->size = PMD_SIZE;
	}
	file->private_data = map;
	return 0;
}

static int ptdh_pfnmap_open(struct inode *inode, struct file *file)
{
	return ptdh_pfnmap_open_size(inode, file, false);
}

static int ptdh_pfnmap_pud_open(struct inode *inode, struct file *file)
{
	return ptdh_pfnmap_open_size(inode, file, true);
}

static int ptdh_pfnmap_release(struct inode *inode, struct file *file)
{
	struct ptdh_pfnmap *map = file->private_data;

	if (map->pages)
		__free_pages(map->pages, PMD_SHIFT - PAGE_SHIFT);
	kfree(map);
	return 0;
}

static const struct file_operations ptdh_pfnmap_fops = {
	.owner = THIS_MODULE,
	.open = ptdh_pfnmap_open,
	.mmap = ptdh_pfnmap_mmap,
	.get_unmapped_area = ptdh_pfnmap_area,
	.release = ptdh_pfnmap_release,
};

static const struct file_operations ptdh_pfnmap_pud_fops = {
	.owner = THIS_MODULE,
	.open = ptdh_pfnmap_pud_open,
	.mmap = ptdh_pfnmap_mmap,
	.get_unmapped_area = ptdh_pfnmap_area,
	.release = ptdh_pfnmap_release,
};

static int __init ptdh_init(void)
{
	ptdh_dir = debugfs_create_dir("ptdump_helper", NULL);
	debugfs_create_file("layout", 0400, ptdh_dir, NULL, &ptdh_layout_fops);
	debugfs_create_file("walk", 0600, ptdh_dir, NULL, &ptdh_walk_fops);
	/* _unsafe: the proxy of debugfs_create_file() does not pass mmap() on */
	debugfs_create_file_unsafe("pfnmap", 0600, ptdh_dir, NULL, &ptdh_pfnmap_fops);
	debugfs_create_file_unsafe("pfnmap_pud", 0600, ptdh_dir, NULL,
				   &ptdh_pfnmap_pud_fops);
	return 0;
}

static void __exit ptdh_exit(void)
{
	debugfs_remove_recursive(ptdh_dir);
}

module_init(ptdh_init);
module_exit(ptdh_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Raw page-table entries of any task, through debugfs, for ptinspect");
MODULE_AUTHOR("The ptinspect developers");
