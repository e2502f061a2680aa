/*
 * syspte.c - system PTEs, and what is built on them: multi-page pool and kernel
 * stacks (NT: MiReserveSystemPtes, MiReleaseSystemPtes, MmCreateKernelStack).
 *
 * The region MM_SYSTEM_PTE_BASE..END has its page tables from boot (mminit.c); a
 * bitmap says which of its PTEs are taken. One page of pool comes straight from
 * KSEG0 (no PTE needed); a run of pages must be virtually contiguous, so it gets
 * system PTEs. A kernel stack is KERNEL_STACK_SIZE of pages above one PTE that is
 * never mapped: overflowing the stack faults on that guard page, and since the
 * fault cannot push its frame there either, the processor raises a double fault,
 * which arrives on its own stack through the task gate: a clear bugcheck.
 */
#include "mi.h"
#include <kd.h>
#include <rtl.h>

#define MI_SYSTEM_PTES        (MM_SYSTEM_PTE_SIZE >> PAGE_SHIFT)
#define MI_KERNEL_STACK_PAGES (KERNEL_STACK_SIZE >> PAGE_SHIFT)
/* A not-present PTE (bit 0 clear) that marks a kernel stack's guard page. */
#define MI_GUARD_PTE          ((MMPTE)0x4B535400)
_Static_assert((MI_GUARD_PTE & PTE_PRESENT) == 0, "a guard PTE must not be present");

static ULONG MiSystemPteBitmap[MI_SYSTEM_PTES / 32];
static ULONG MiSystemPtesInUse;

static BOOLEAN MipPteTaken(ULONG Index)
{
    return (MiSystemPteBitmap[Index >> 5] >> (Index & 31)) & 1;
}

static VOID MipMarkPtes(ULONG First, ULONG Count, BOOLEAN Taken)
{
    ULONG Index;

    for (Index = First; Index < First + Count; Index++) {
        if (Taken)
            MiSystemPteBitmap[Index >> 5] |= 1UL << (Index & 31);
        else
            MiSystemPteBitmap[Index >> 5] &= ~(1UL << (Index & 31));
    }
}

VOID MiInitializeSystemPtes(VOID)
{
    memset(MiSystemPteBitmap, 0, sizeof(MiSystemPteBitmap));
    MiSystemPtesInUse = 0;
}

/* First fit; returns the virtual address of Count consecutive free PTEs, or NULL. */
PVOID MiReserveSystemPtes(ULONG Count)
{
    ULONG Start = 0, Run = 0, Index;
    BOOLEAN Enabled;
    PVOID Result = NULL;

    if (Count == 0 || Count > MI_SYSTEM_PTES)
        return NULL;
    Enabled = KiDisableInterrupts();
    for (Index = 0; Index < MI_SYSTEM_PTES; Index++) {
        if (MipPteTaken(Index)) {
            Run = 0;
            continue;
        }
        if (Run++ == 0)
            Start = Index;
        if (Run == Count) {
            MipMarkPtes(Start, Count, TRUE);
            MiSystemPtesInUse += Count;
            Result = (PVOID)(MM_SYSTEM_PTE_BASE + ((ULONG_PTR)Start << PAGE_SHIFT));
            break;
        }
    }
    KiRestoreInterrupts(Enabled);
    return Result;
}

/* Bugchecks unless [BaseAddress, + Count pages) are system PTEs that are taken. */
VOID MiCheckSystemPtesTaken(PVOID BaseAddress, ULONG Count)
{
    ULONG First = (ULONG)(((ULONG_PTR)BaseAddress - MM_SYSTEM_PTE_BASE) >> PAGE_SHIFT);
    ULONG Index;

    if ((ULONG_PTR)BaseAddress < MM_SYSTEM_PTE_BASE || First + Count > MI_SYSTEM_PTES)
        KeBugCheckEx(NO_MORE_SYSTEM_PTES, (ULONG_PTR)BaseAddress, Count, 1, 0);
    for (Index = First; Index < First + Count; Index++) {
        if (!MipPteTaken(Index))
            KeBugCheckEx(NO_MORE_SYSTEM_PTES, (ULONG_PTR)BaseAddress, Count, 2, Index);
    }
}

VOID MiReleaseSystemPtes(PVOID BaseAddress, ULONG Count)
{
    ULONG First = (ULONG)(((ULONG_PTR)BaseAddress - MM_SYSTEM_PTE_BASE) >> PAGE_SHIFT);
    BOOLEAN Enabled = KiDisableInterrupts();

    MiCheckSystemPtesTaken(BaseAddress, Count);
    MipMarkPtes(First, Count, FALSE);
    MiSystemPtesInUse -= Count;
    KiRestoreInterrupts(Enabled);
}

ULONG MiFreeSystemPteCount(VOID)
{
    return MI_SYSTEM_PTES - MiSystemPtesInUse;
}

VOID MiFlushTb(PVOID Va)
{
    __asm__ volatile("invlpg (%0)" : : "r"(Va) : "memory");
}

/* Unmaps Count pages from Va on and gives their physical pages back. */
static VOID MipUnmapSystemPages(ULONG_PTR Va, ULONG Count)
{
    ULONG Index;

    for (Index = 0; Index < Count; Index++, Va += PAGE_SIZE) {
        PMMPTE Pte = MiAddressToPte(Va);
        if (*Pte & PTE_PRESENT) {
            PFN_NUMBER Page = MI_PTE_PAGE(*Pte);
            *Pte = 0;
            MiFlushTb((PVOID)Va);
            MiDereferencePage(Page);
        } else {
            *Pte = 0;
        }
    }
}

/* Maps Count fresh pages at Va (zeroed when asked); on failure nothing stays mapped. */
static BOOLEAN MipMapSystemPages(ULONG_PTR Va, ULONG Count, BOOLEAN Zeroed)
{
    ULONG Index;

    for (Index = 0; Index < Count; Index++) {
        PFN_NUMBER Page = Zeroed ? MiRemoveZeroPage() : MiRemoveAnyPage();
        if (Page == 0) {
            MipUnmapSystemPages(Va, Index);
            return FALSE;
        }
        *MiAddressToPte(Va + ((ULONG_PTR)Index << PAGE_SHIFT)) =
            MI_MAKE_PTE(Page, PTE_PRESENT | PTE_WRITE);
    }
    return TRUE;
}

/* ---- pages someone else owns, seen contiguously for a while ---- */

PVOID MiMapPagesInSystemSpace(const PFN_NUMBER *Pages, ULONG Count)
{
    ULONG_PTR Va = (ULONG_PTR)MiReserveSystemPtes(Count);
    ULONG Index;

    if (Va == 0)
        return NULL;
    for (Index = 0; Index < Count; Index++)
        *MiAddressToPte(Va + ((ULONG_PTR)Index << PAGE_SHIFT)) =
            MI_MAKE_PTE(Pages[Index], PTE_PRESENT | PTE_WRITE);
    return (PVOID)Va;
}

/* The pages stay their owner's: only the PTEs go. */
VOID MiUnmapPagesInSystemSpace(PVOID BaseAddress, ULONG Count)
{
    ULONG_PTR Va = (ULONG_PTR)BaseAddress;
    ULONG Index;

    MiCheckSystemPtesTaken(BaseAddress, Count);
    for (Index = 0; Index < Count; Index++, Va += PAGE_SIZE) {
        *MiAddressToPte(Va) = 0;
        MiFlushTb((PVOID)Va);
    }
    MiReleaseSystemPtes(BaseAddress, Count);
}

/* ---- the pool's page provider (ex.h) ---- */

PVOID MiAllocatePoolPages(POOL_TYPE PoolType, ULONG PageCount)
{
    PVOID Va;
    UNREFERENCED_PARAMETER(PoolType);   /* nothing is paged out: both pools are resident */

    if (PageCount == 1) {
        PFN_NUMBER Page = MiRemoveAnyPage();
        return Page ? MI_PFN_TO_KSEG0(Page) : NULL;
    }
    Va = MiReserveSystemPtes(PageCount);
    if (Va == NULL)
        return NULL;
    if (!MipMapSystemPages((ULONG_PTR)Va, PageCount, FALSE)) {
        MiReleaseSystemPtes(Va, PageCount);
        return NULL;
    }
    return Va;
}

VOID MiFreePoolPages(PVOID BaseAddress, ULONG PageCount)
{
    if (MI_IS_KSEG0(BaseAddress)) {
        if (PageCount != 1)
            KeBugCheckEx(BAD_POOL_CALLER, 0x50, (ULONG_PTR)BaseAddress, PageCount, 0);
        MiDereferencePage(MI_KSEG0_TO_PFN(BaseAddress));
        return;
    }
    /* Check the range is ours before touching a PTE of it. */
    if ((ULONG_PTR)BaseAddress < MM_SYSTEM_PTE_BASE ||
        PageCount > (MM_SYSTEM_PTE_END - (ULONG_PTR)BaseAddress) >> PAGE_SHIFT)
        KeBugCheckEx(BAD_POOL_CALLER, 0x51, (ULONG_PTR)BaseAddress, PageCount, 0);
    MiCheckSystemPtesTaken(BaseAddress, PageCount);
    MipUnmapSystemPages((ULONG_PTR)BaseAddress, PageCount);
    MiReleaseSystemPtes(BaseAddress, PageCount);
}

/* ---- kernel stacks ---- */

PVOID MmCreateKernelStack(VOID)
{
    ULONG_PTR Base = (ULONG_PTR)MiReserveSystemPtes(MI_KERNEL_STACK_PAGES + 1);

    if (Base == 0)
        return NULL;
    *MiAddressToPte(Base) = MI_GUARD_PTE;
    if (!MipMapSystemPages(Base + PAGE_SIZE, MI_KERNEL_STACK_PAGES, TRUE)) {
        *MiAddressToPte(Base) = 0;
        MiReleaseSystemPtes((PVOID)Base, MI_KERNEL_STACK_PAGES + 1);
        return NULL;
    }
    return (PVOID)(Base + PAGE_SIZE + KERNEL_STACK_SIZE);     /* the stack grows down from here */
}

VOID MmDeleteKernelStack(PVOID StackBase)
{
    ULONG_PTR Base = (ULONG_PTR)StackBase - KERNEL_STACK_SIZE - PAGE_SIZE;

    if (Base < MM_SYSTEM_PTE_BASE || Base >= MM_SYSTEM_PTE_END || *MiAddressToPte(Base) != MI_GUARD_PTE)
        KeBugCheckEx(INVALID_KERNEL_STACK_ADDRESS, (ULONG_PTR)StackBase, *MiAddressToPte(Base), 0, 0);
    *MiAddressToPte(Base) = 0;
    MipUnmapSystemPages(Base + PAGE_SIZE, MI_KERNEL_STACK_PAGES);
    MiReleaseSystemPtes((PVOID)Base, MI_KERNEL_STACK_PAGES + 1);
}

/* Is Va a kernel stack's guard page? (The bugcheck screen says so.) */
BOOLEAN MmIsKernelStackGuardPage(ULONG_PTR Va)
{
    return Va >= MM_SYSTEM_PTE_BASE && Va < MM_SYSTEM_PTE_END &&
           *MiAddressToPte(Va) == MI_GUARD_PTE;
}
