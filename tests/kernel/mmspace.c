/*
 * mmspace.c - self-tests: address spaces, kernel stacks, KUSER_SHARED_DATA.
 */
#include "mmtest.h"
#include <nt/kuser.h>
#include <rtl.h>

#define KST_SPACES 200

/* 200 address spaces, each with user memory touched in it, all deleted: every page
   and every byte of pool comes back. */
static NTSTATUS KstAddressSpaces(VOID)
{
    KST_MM_BASELINE Baseline;
    ULONG Index;

    KstTakeBaseline(&Baseline);
    for (Index = 0; Index < KST_SPACES; Index++) {
        PMM_ADDRESS_SPACE Space;
        MM_ATTACH_STATE Attach;
        PVOID Base = NULL;
        SIZE_T Size = 3 * PAGE_SIZE;

        KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Space)));
        KST_CHECK(MmGetDirectoryTableBase(Space) != 0 && (MmGetDirectoryTableBase(Space) & 0xFFF) == 0);
        MmAttachAddressSpace(Space, &Attach);
        KST_CHECK(MmGetCurrentAddressSpace() == Space);
        KST_CHECK(__readcr3() == MmGetDirectoryTableBase(Space));
        /* The kernel half is the same everywhere: the kernel's own data is visible. */
        KST_CHECK(KeGetPcr()->SelfPcr == KeGetPcr());
        KST_CHECK(NT_SUCCESS(MmAllocateVirtualMemory(&Base, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                                     PAGE_READWRITE)));
        KST_CHECK(KstTouch((PUCHAR)Base + PAGE_SIZE, TRUE, (UCHAR)Index, NULL) == STATUS_SUCCESS);
        MmDetachAddressSpace(&Attach);
        KST_CHECK(MmGetCurrentAddressSpace() == MmGetSystemAddressSpace());
        /* Deleted with its memory still allocated: the teardown frees it. */
        MmDeleteProcessAddressSpace(Space);
    }
    return KstCheckBaseline(&Baseline, "after 200 address spaces");
}
KSELFTEST(MM_ADDRESS_SPACES, KstAddressSpaces);

/* Separate address spaces: the same user address holds different data. */
static NTSTATUS KstIsolation(VOID)
{
    PMM_ADDRESS_SPACE First, Second;
    MM_ATTACH_STATE Attach, Nested;
    PVOID Base = (PVOID)0x00400000;
    SIZE_T Size = PAGE_SIZE;
    UCHAR Value = 0;

    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&First)));
    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Second)));
    MmAttachAddressSpace(First, &Attach);
    KST_CHECK(NT_SUCCESS(MmAllocateVirtualMemory(&Base, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)));
    KST_CHECK(KstTouch(Base, TRUE, 0x11, NULL) == STATUS_SUCCESS);
    /* Attaches nest: from First into Second and back. */
    MmAttachAddressSpace(Second, &Nested);
    KST_CHECK(KstTouch(Base, FALSE, 0, NULL) == STATUS_ACCESS_VIOLATION);
    Base = (PVOID)0x00400000;
    Size = PAGE_SIZE;
    KST_CHECK(NT_SUCCESS(MmAllocateVirtualMemory(&Base, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE)));
    KST_CHECK(KstTouch(Base, TRUE, 0x22, NULL) == STATUS_SUCCESS);
    MmDetachAddressSpace(&Nested);
    KST_CHECK(MmGetCurrentAddressSpace() == First);
    KST_CHECK(KstTouch(Base, FALSE, 0, &Value) == STATUS_SUCCESS && Value == 0x11);
    MmDetachAddressSpace(&Attach);
    MmDeleteProcessAddressSpace(First);
    MmDeleteProcessAddressSpace(Second);
    return STATUS_SUCCESS;
}
KSELFTEST(MM_ISOLATION, KstIsolation);

/* KUSER_SHARED_DATA: one page, writable at 0xFFDF0000, read-only at 0x7FFE0000 in
   every address space, kept current by the clock. */
static NTSTATUS KstSharedUserData(VOID)
{
    PMM_ADDRESS_SPACE Space;
    MM_ATTACH_STATE Attach;
    const KUSER_SHARED_DATA *User = (const KUSER_SHARED_DATA *)MM_SHARED_USER_DATA_VA;
    MEMORY_BASIC_INFORMATION Info;
    ULONG Ticks;

    KST_CHECK(SharedUserData->NtMajorVersion == 5 && SharedUserData->NtMinorVersion == 1);
    KST_CHECK(SharedUserData->ImageNumberLow == 0x14C);
    KST_CHECK(SharedUserData->NtSystemRoot[0] == 'C' && SharedUserData->NtSystemRoot[2] == '\\');
    KST_CHECK(SharedUserData->TickCount.LowPart == KeTickCount ||
              SharedUserData->TickCount.LowPart + 1 == KeTickCount);

    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Space)));
    MmAttachAddressSpace(Space, &Attach);
    KST_CHECK(User->NtMajorVersion == 5 && User->NumberOfPhysicalPages != 0);
    KST_CHECK(User->InterruptTime.High1Time == User->InterruptTime.High2Time);
    Ticks = User->TickCount.LowPart;
    __halt();
    __halt();
    KST_CHECK(User->TickCount.LowPart > Ticks);
    /* Read-only even for the kernel (CR0.WP), and queried as NT reports it. */
    KST_CHECK(KstTouch((PVOID)MM_SHARED_USER_DATA_VA, TRUE, 1, NULL) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(NT_SUCCESS(MmQueryVirtualMemory((PVOID)MM_SHARED_USER_DATA_VA, MemoryBasicInformation,
                                              &Info, sizeof(Info), NULL)));
    KST_CHECK(Info.State == MEM_COMMIT && Info.Protect == PAGE_READONLY && Info.RegionSize == PAGE_SIZE);
    MmDetachAddressSpace(&Attach);
    MmDeleteProcessAddressSpace(Space);
    return STATUS_SUCCESS;
}
KSELFTEST(MM_SHARED_DATA, KstSharedUserData);

/* Kernel stacks: mapped pages above an unmapped guard page; all given back. */
static NTSTATUS KstKernelStacks(VOID)
{
    enum { Count = 64 };
    static PVOID Stacks[Count];
    KST_MM_BASELINE Baseline;
    ULONG Index;

    KstTakeBaseline(&Baseline);
    for (Index = 0; Index < Count; Index++) {
        PUCHAR Top = MmCreateKernelStack();
        KST_CHECK(Top != NULL);
        KST_CHECK(MmIsRangeValid((ULONG_PTR)Top - KERNEL_STACK_SIZE, KERNEL_STACK_SIZE));
        KST_CHECK(!MmIsAddressValid(Top - KERNEL_STACK_SIZE - 1));     /* the guard page */
        KST_CHECK(MmIsKernelStackGuardPage((ULONG_PTR)Top - KERNEL_STACK_SIZE - PAGE_SIZE));
        KST_CHECK(*(PULONG)(Top - 4) == 0);                             /* zeroed */
        Stacks[Index] = Top;
    }
    for (Index = 0; Index < Count; Index++)
        MmDeleteKernelStack(Stacks[Index]);
    return KstCheckBaseline(&Baseline, "after kernel stacks");
}
KSELFTEST(MM_KERNEL_STACKS, KstKernelStacks);

/* Recurses until the stack runs out (KstDepth never reaches the limit). */
static volatile ULONG KstDepth;
__attribute__((noinline)) static ULONG KstRecurse(ULONG Level)
{
    volatile UCHAR Frame[256];
    Frame[0] = (UCHAR)Level;
    KstDepth = Level;
    if (KstDepth == 0xFFFFFFFF)
        return 0;
    return KstRecurse(Level + 1) + Frame[0];
}

/* Runs Routine on another stack (the boot stack has no guard page to hit). */

static VOID KstRunOnStack(PVOID StackTop, ULONG (*Routine)(ULONG))
{
    __asm__ volatile(
        "movl %%esp, %%ebx\n\t"
        "movl %0, %%esp\n\t"
        "pushl %%ebx\n\t"
        "pushl $0\n\t"
        "call *%1\n\t"
        "addl $4, %%esp\n\t"
        "popl %%esp\n\t"
        : : "r"(StackTop), "r"(Routine) : "ebx", "eax", "ecx", "edx", "memory");
}

/* A kernel stack overflow runs into the guard page: double fault, bugcheck 0x7F. */
static NTSTATUS KstCrashStackOverflow(VOID)
{
    PVOID Top = MmCreateKernelStack();
    KST_CHECK(Top != NULL);
    KstRunOnStack(Top, KstRecurse);
    return STATUS_UNSUCCESSFUL;     /* not reached */
}
KSELFTEST_ALONE(CRASH_STACKOVERFLOW, KstCrashStackOverflow);
