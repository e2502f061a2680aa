/*
 * mmpool.c - self-tests: the pool inside the kernel, and running out of memory.
 */
#include "mmtest.h"
#include <rtl.h>

#define KST_POOL_TAG EX_POOL_TAG('K', 's', 't', 'P')

/* Every size class, small and large, in both pools, with the tag's counters. */
static NTSTATUS KstPool(VOID)
{
    enum { Count = 300 };
    static PUCHAR Blocks[Count];
    KST_MM_BASELINE Baseline;
    EX_POOL_TAG_USAGE Before, During, After;
    ULONG Index, Byte;

    KstTakeBaseline(&Baseline);
    if (!NT_SUCCESS(ExQueryPoolTagUsage(KST_POOL_TAG, &Before)))
        memset(&Before, 0, sizeof(Before));

    for (Index = 0; Index < Count; Index++) {
        SIZE_T Size = (Index * 37) % 9000 + 1;
        POOL_TYPE Type = (Index & 1) ? PagedPool : NonPagedPool;

        Blocks[Index] = ExAllocatePoolWithTag(Type, Size, KST_POOL_TAG);
        KST_CHECK(Blocks[Index] != NULL && ((ULONG_PTR)Blocks[Index] & 7) == 0);
        memset(Blocks[Index], (int)Index, Size);
    }
    KST_CHECK(NT_SUCCESS(ExQueryPoolTagUsage(KST_POOL_TAG, &During)));
    KST_CHECK(During.NonPagedAllocs - Before.NonPagedAllocs == Count / 2);
    KST_CHECK(During.PagedAllocs - Before.PagedAllocs == Count / 2);

    /* Free every other one first, then the rest: blocks merge back into pages. */
    for (Index = 0; Index < Count; Index += 2) {
        SIZE_T Size = (Index * 37) % 9000 + 1;
        for (Byte = 0; Byte < Size; Byte += 97)
            KST_CHECK(Blocks[Index][Byte] == (UCHAR)Index);
        ExFreePoolWithTag(Blocks[Index], KST_POOL_TAG);
    }
    for (Index = 1; Index < Count; Index += 2)
        ExFreePoolWithTag(Blocks[Index], KST_POOL_TAG);

    KST_CHECK(NT_SUCCESS(ExQueryPoolTagUsage(KST_POOL_TAG, &After)));
    KST_CHECK(After.NonPagedBytes == Before.NonPagedBytes && After.PagedBytes == Before.PagedBytes);
    KST_CHECK(After.NonPagedFrees - Before.NonPagedFrees == Count / 2);
    return KstCheckBaseline(&Baseline, "after pool");
}
KSELFTEST(MM_POOL, KstPool);

/*
 * Running out of memory: take every page through the pool, then see each kind of
 * allocation fail with a status (and a demand-zero fault in a recovery block fail
 * with STATUS_NO_MEMORY), give the pages back, and find everything as it was.
 */
static NTSTATUS KstOutOfMemory(VOID)
{
    KST_MM_BASELINE Baseline;
    PVOID *Chain = NULL, *Block;
    PMM_ADDRESS_SPACE Space = NULL;
    MM_ATTACH_STATE Attach;
    PUCHAR Base = NULL;
    SIZE_T Size = 64 * PAGE_SIZE;
    ULONG Taken = 0, Released = 0, Touched = 0;
    NTSTATUS Status;

    KstTakeBaseline(&Baseline);
    /* Nearly a page each: every block holds a page of its own. */
    while ((Block = ExAllocatePoolWithTag(NonPagedPool, PAGE_SIZE - 64, KST_POOL_TAG)) != NULL) {
        *Block = Chain;
        Chain = Block;
        Taken++;
    }
    DbgPrint("    the pool took %lu pages before it said no\n", Taken);
    KST_CHECK(Taken > 100);
    KST_CHECK(MmCreateKernelStack() == NULL);
    Status = MmCreateProcessAddressSpace(&Space);
    KST_CHECK(Status == STATUS_NO_MEMORY || Status == STATUS_INSUFFICIENT_RESOURCES);

    /* Give back a few pages: enough for an address space and some of its memory. */
    while (Chain != NULL && Released < 16) {
        Block = Chain;
        Chain = *Block;
        ExFreePoolWithTag(Block, KST_POOL_TAG);
        Released++;
    }
    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Space)));
    MmAttachAddressSpace(Space, &Attach);
    /* Committing is only a promise against the commit limit; pages come at the touch. */
    KST_CHECK(MmAllocateVirtualMemory((PVOID *)&Base, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                      PAGE_READWRITE) == STATUS_SUCCESS);
    while (Touched < 64 && (Status = KstTouch(Base + Touched * PAGE_SIZE, TRUE, 1, NULL)) == STATUS_SUCCESS)
        Touched++;
    DbgPrint("    %lu pages touched, then 0x%08lX\n", Touched, (ULONG)Status);
    KST_CHECK(Status == STATUS_NO_MEMORY && Touched > 0 && Touched < 16);
    MmDetachAddressSpace(&Attach);
    MmDeleteProcessAddressSpace(Space);

    while (Chain != NULL) {
        Block = Chain;
        Chain = *Block;
        ExFreePoolWithTag(Block, KST_POOL_TAG);
    }
    return KstCheckBaseline(&Baseline, "after running out of memory");
}
KSELFTEST(MM_OUT_OF_MEMORY, KstOutOfMemory);
