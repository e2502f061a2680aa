/*
 * mm.c - memory-manager benchmarks: pool, demand-zero faults, address spaces.
 */
#include <bench.h>
#include <ke.h>
#include <ex.h>
#include <mm.h>
#include <rtl.h>

#define KB_TAG EX_POOL_TAG('K', 'b', 'P', 'l')
#define KB_ITERATIONS 1000

static VOID KbPoolAllocFree(PVOID Context)
{
    UNREFERENCED_PARAMETER(Context);
    ExFreePoolWithTag(ExAllocatePoolWithTag(NonPagedPool, 64, KB_TAG), KB_TAG);
}

static ULONGLONG KbPool64(VOID)
{
    return KeBenchLoop(KbPoolAllocFree, NULL, KB_ITERATIONS);
}
KBENCH(pool_alloc_free_64, KbPool64, "instructions per ExAllocatePoolWithTag + ExFreePoolWithTag of 64 bytes");

static VOID KbSpaceCreateDelete(PVOID Context)
{
    PMM_ADDRESS_SPACE Space;
    UNREFERENCED_PARAMETER(Context);
    if (NT_SUCCESS(MmCreateProcessAddressSpace(&Space)))
        MmDeleteProcessAddressSpace(Space);
}

static ULONGLONG KbAddressSpace(VOID)
{
    return KeBenchLoop(KbSpaceCreateDelete, NULL, 200);
}
KBENCH(address_space_create_delete, KbAddressSpace,
       "instructions per MmCreateProcessAddressSpace + MmDeleteProcessAddressSpace");

/*
 * A demand-zero fault: the first write to each page of a committed region, less
 * the same writes once the pages are there. Both loops run the same instructions
 * apart from the faults, so the difference is what the faults cost (trap, VAD
 * lookup, a zeroed page, the PTE, and the return).
 */
#define KB_FAULT_PAGES 256

__attribute__((noinline)) static ULONGLONG KbTouchPages(PUCHAR Base)
{
    ULONGLONG Start = __rdtsc();
    ULONG Index;

    for (Index = 0; Index < KB_FAULT_PAGES; Index++)
        *(volatile UCHAR *)(Base + Index * PAGE_SIZE) = 1;
    return __rdtsc() - Start;
}

static ULONGLONG KbDemandZeroFault(VOID)
{
    PMM_ADDRESS_SPACE Space;
    MM_ATTACH_STATE Attach;
    PUCHAR Base = NULL;
    SIZE_T Size = KB_FAULT_PAGES * PAGE_SIZE;
    ULONGLONG First, Second = 0;

    if (!NT_SUCCESS(MmCreateProcessAddressSpace(&Space)))
        return 0;
    MmAttachAddressSpace(Space, &Attach);
    if (NT_SUCCESS(MmAllocateVirtualMemory((PVOID *)&Base, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                           PAGE_READWRITE))) {
        First = KbTouchPages(Base);
        Second = KbTouchPages(Base);
        Second = First > Second ? RtlpDivide64By32(First - Second, KB_FAULT_PAGES, NULL) : 0;
    }
    MmDetachAddressSpace(&Attach);
    MmDeleteProcessAddressSpace(Space);
    return Second;
}
KBENCH(demand_zero_fault, KbDemandZeroFault, "instructions per demand-zero page fault (user page, kernel access)");
