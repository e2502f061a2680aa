/*
 * mmvirtual.c - self-tests: virtual memory in a scratch address space, with NT's
 * semantics and status codes, page faults, probes and cross-process copies.
 */
#include "mmtest.h"
#include <rtl.h>

/* Runs Test attached to a fresh address space, deletes it, and checks the baseline. */
static NTSTATUS KstInScratchSpace(NTSTATUS (*Test)(VOID), PCSTR Name)
{
    KST_MM_BASELINE Baseline;
    PMM_ADDRESS_SPACE Space;
    MM_ATTACH_STATE Attach;
    NTSTATUS Status;

    KstTakeBaseline(&Baseline);
    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Space)));
    MmAttachAddressSpace(Space, &Attach);
    Status = Test();
    MmDetachAddressSpace(&Attach);
    MmDeleteProcessAddressSpace(Space);
    if (!NT_SUCCESS(Status))
        return Status;
    return KstCheckBaseline(&Baseline, Name);
}

static NTSTATUS KstQuery(PVOID Address, MEMORY_BASIC_INFORMATION *Info)
{
    return MmQueryVirtualMemory(Address, MemoryBasicInformation, Info, sizeof(*Info), NULL);
}

/* Reserve, commit, touch, protect, decommit, release: every page comes back. */
static NTSTATUS KstVirtualLifecycle(VOID)
{
    KST_MM_BASELINE Start, Touched;
    MEMORY_BASIC_INFORMATION Info;
    PUCHAR Base = NULL;
    PVOID Address;
    SIZE_T Size = 0x100000;
    ULONG OldProtect = 0;
    UCHAR Value = 0xFF;

    KstTakeBaseline(&Start);
    KST_CHECK(MmAllocateVirtualMemory((PVOID *)&Base, 0, &Size, MEM_RESERVE, PAGE_READWRITE) == STATUS_SUCCESS);
    KST_CHECK(Base != NULL && ((ULONG_PTR)Base & 0xFFFF) == 0 && Size == 0x100000);
    KST_CHECK(NT_SUCCESS(KstQuery(Base, &Info)));
    KST_CHECK(Info.State == MEM_RESERVE && Info.AllocationBase == Base && Info.RegionSize == 0x100000 &&
              Info.AllocationProtect == PAGE_READWRITE && Info.Type == MEM_PRIVATE);
    /* Reserved only: no access, no pages used. */
    KST_CHECK(KstTouch(Base, FALSE, 0, NULL) == STATUS_ACCESS_VIOLATION);

    /* Commit three pages from inside the second one: rounded to whole pages. */
    Address = Base + PAGE_SIZE + 0x10;
    Size = 2 * PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_COMMIT, PAGE_READWRITE) == STATUS_SUCCESS);
    KST_CHECK(Address == Base + PAGE_SIZE && Size == 3 * PAGE_SIZE);
    KST_CHECK(NT_SUCCESS(KstQuery(Base + PAGE_SIZE, &Info)));
    KST_CHECK(Info.State == MEM_COMMIT && Info.Protect == PAGE_READWRITE && Info.RegionSize == 3 * PAGE_SIZE);

    /* Demand zero: a committed page reads as zero and takes a page only when touched. */
    KST_CHECK(KstTouch(Base + PAGE_SIZE, FALSE, 0, &Value) == STATUS_SUCCESS && Value == 0);
    KST_CHECK(KstTouch(Base + 2 * PAGE_SIZE, TRUE, 0x5A, NULL) == STATUS_SUCCESS);
    KstTakeBaseline(&Touched);
    KST_CHECK(Touched.CommittedPages == Start.CommittedPages + 3);
    /* two data pages and one page table */
    KST_CHECK(Touched.AvailablePages + 3 == Start.AvailablePages);

    /* Read-only: the old protection comes back, writes fault, contents stay. */
    Address = Base + 2 * PAGE_SIZE;
    Size = 1;
    KST_CHECK(MmProtectVirtualMemory(&Address, &Size, PAGE_READONLY, &OldProtect) == STATUS_SUCCESS);
    KST_CHECK(OldProtect == PAGE_READWRITE && Size == PAGE_SIZE);
    KST_CHECK(KstTouch(Base + 2 * PAGE_SIZE, TRUE, 1, NULL) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KstTouch(Base + 2 * PAGE_SIZE, FALSE, 0, &Value) == STATUS_SUCCESS && Value == 0x5A);
    /* No access: even reads fault, yet the page survives for later. */
    KST_CHECK(MmProtectVirtualMemory(&Address, &Size, PAGE_NOACCESS, &OldProtect) == STATUS_SUCCESS);
    KST_CHECK(OldProtect == PAGE_READONLY);
    KST_CHECK(KstTouch(Base + 2 * PAGE_SIZE, FALSE, 0, NULL) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(MmProtectVirtualMemory(&Address, &Size, PAGE_READWRITE, &OldProtect) == STATUS_SUCCESS);
    KST_CHECK(OldProtect == PAGE_NOACCESS);
    KST_CHECK(KstTouch(Base + 2 * PAGE_SIZE, FALSE, 0, &Value) == STATUS_SUCCESS && Value == 0x5A);

    /* Protecting reserved memory is NT's STATUS_NOT_COMMITTED. */
    Address = Base;
    Size = 2 * PAGE_SIZE;
    KST_CHECK(MmProtectVirtualMemory(&Address, &Size, PAGE_READONLY, &OldProtect) == STATUS_NOT_COMMITTED);

    /* Decommit the touched page: its page goes back, and it faults again. */
    Address = Base + 2 * PAGE_SIZE;
    Size = PAGE_SIZE;
    KST_CHECK(MmFreeVirtualMemory(&Address, &Size, MEM_DECOMMIT) == STATUS_SUCCESS);
    KST_CHECK(KstTouch(Base + 2 * PAGE_SIZE, FALSE, 0, NULL) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(NT_SUCCESS(KstQuery(Base + 2 * PAGE_SIZE, &Info)) && Info.State == MEM_RESERVE);

    /* Release all of it: size 0 and the allocation base. */
    Address = Base;
    Size = 0;
    KST_CHECK(MmFreeVirtualMemory(&Address, &Size, MEM_RELEASE) == STATUS_SUCCESS);
    KST_CHECK(Address == Base && Size == 0x100000);
    KST_CHECK(NT_SUCCESS(KstQuery(Base, &Info)) && Info.State == MEM_FREE);
    return KstCheckBaseline(&Start, "after release");
}

/* NT's status codes for what callers get wrong. */
static NTSTATUS KstVirtualErrors(VOID)
{
    PVOID Base = NULL, Address;
    SIZE_T Size = 0x20000;
    ULONG Old;
    MM_MEMORY_COUNTERS Counters;
    MEMORY_BASIC_INFORMATION Info;

    KST_CHECK(MmAllocateVirtualMemory(&Base, 0, &Size, MEM_RESERVE, PAGE_READWRITE) == STATUS_SUCCESS);

    Address = NULL; Size = PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE, 0x3) == STATUS_INVALID_PAGE_PROTECTION);
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE, PAGE_WRITECOPY) == STATUS_INVALID_PAGE_PROTECTION);
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, 0, PAGE_READWRITE) == STATUS_INVALID_PARAMETER);
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE | 0x40000000, PAGE_READWRITE) == STATUS_INVALID_PARAMETER);
    KST_CHECK(MmAllocateVirtualMemory(&Address, 22, &Size, MEM_RESERVE, PAGE_READWRITE) == STATUS_INVALID_PARAMETER);
    Size = 0;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE, PAGE_READWRITE) == STATUS_INVALID_PARAMETER);

    /* Over an existing reservation, and committing outside any. */
    Address = Base; Size = PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE, PAGE_READWRITE) == STATUS_CONFLICTING_ADDRESSES);
    Address = (PUCHAR)Base + 0x20000; Size = PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_COMMIT, PAGE_READWRITE) == STATUS_CONFLICTING_ADDRESSES);
    Address = (PUCHAR)Base + 0x1F000; Size = 2 * PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_COMMIT, PAGE_READWRITE) == STATUS_CONFLICTING_ADDRESSES);
    /* Kernel space and the null page are not user memory. */
    Address = (PVOID)0x80000000; Size = PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE, PAGE_READWRITE) == STATUS_INVALID_PARAMETER);
    Address = (PVOID)0x1000; Size = PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE, PAGE_READWRITE) == STATUS_INVALID_PARAMETER);

    /* Freeing: bad type, nothing there, not at the base. */
    Address = Base; Size = 0;
    KST_CHECK(MmFreeVirtualMemory(&Address, &Size, MEM_RELEASE | MEM_DECOMMIT) == STATUS_INVALID_PARAMETER);
    Address = (PVOID)0x10000000; Size = 0;
    KST_CHECK(MmFreeVirtualMemory(&Address, &Size, MEM_RELEASE) == STATUS_MEMORY_NOT_ALLOCATED);
    Address = (PUCHAR)Base + PAGE_SIZE; Size = 0;
    KST_CHECK(MmFreeVirtualMemory(&Address, &Size, MEM_RELEASE) == STATUS_FREE_VM_NOT_AT_BASE);
    Address = (PUCHAR)Base + 0x1F000; Size = 2 * PAGE_SIZE;
    KST_CHECK(MmFreeVirtualMemory(&Address, &Size, MEM_DECOMMIT) == STATUS_UNABLE_TO_FREE_VM);
    Address = Base; Size = PAGE_SIZE;
    KST_CHECK(MmProtectVirtualMemory(&Address, &Size, 0x3, &Old) == STATUS_INVALID_PAGE_PROTECTION);

    /* More commit than there is memory: NT's STATUS_COMMITMENT_LIMIT, nothing changes. */
    MmQueryMemoryCounters(&Counters);
    Address = NULL;
    Size = (SIZE_T)(Counters.CommitLimit - Counters.CommittedPages + 1) * PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) == STATUS_COMMITMENT_LIMIT);
    KST_CHECK(Address == NULL);

    /* Queries */
    KST_CHECK(MmQueryVirtualMemory(Base, 5, &Info, sizeof(Info), NULL) == STATUS_INVALID_INFO_CLASS);
    KST_CHECK(MmQueryVirtualMemory(Base, MemoryBasicInformation, &Info, sizeof(Info) - 1, NULL) == STATUS_INFO_LENGTH_MISMATCH);
    KST_CHECK(MmQueryVirtualMemory((PVOID)0x80000000, MemoryBasicInformation, &Info, sizeof(Info), NULL) == STATUS_INVALID_PARAMETER);

    /* MEM_TOP_DOWN places a reservation high. */
    Address = NULL; Size = PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE) == STATUS_SUCCESS);
    KST_CHECK((ULONG_PTR)Address >= 0x7FF00000);
    Size = 0;
    KST_CHECK(MmFreeVirtualMemory(&Address, &Size, MEM_RELEASE) == STATUS_SUCCESS);
    /* ZeroBits keeps the address below 2^(32 - ZeroBits). */
    Address = NULL; Size = PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory(&Address, 12, &Size, MEM_RESERVE | MEM_TOP_DOWN, PAGE_READWRITE) == STATUS_SUCCESS);
    KST_CHECK((ULONG_PTR)Address < 0x00100000);
    Size = 0;
    KST_CHECK(MmFreeVirtualMemory(&Address, &Size, MEM_RELEASE) == STATUS_SUCCESS);

    /* A partial release in the middle splits the reservation in two. */
    Address = (PUCHAR)Base + 0x8000; Size = 0x8000;
    KST_CHECK(MmFreeVirtualMemory(&Address, &Size, MEM_RELEASE) == STATUS_SUCCESS);
    KST_CHECK(NT_SUCCESS(KstQuery((PUCHAR)Base + 0x8000, &Info)) && Info.State == MEM_FREE &&
              Info.RegionSize == 0x8000);
    /* The upper half is a VAD of its own now, and says so in AllocationBase. */
    KST_CHECK(NT_SUCCESS(KstQuery((PUCHAR)Base + 0x10000, &Info)) && Info.State == MEM_RESERVE &&
              Info.AllocationBase == (PUCHAR)Base + 0x10000);
    KST_CHECK(NT_SUCCESS(KstQuery((PUCHAR)Base + 0x4000, &Info)) && Info.State == MEM_RESERVE &&
              Info.AllocationBase == Base && Info.RegionSize == 0x4000);
    return STATUS_SUCCESS;      /* the rest goes with the address space */
}

/* A guard page faults once with STATUS_GUARD_PAGE_VIOLATION, then is ordinary. */
static NTSTATUS KstGuardPage(VOID)
{
    PUCHAR Base = NULL;
    SIZE_T Size = 2 * PAGE_SIZE;
    MEMORY_BASIC_INFORMATION Info;
    PVOID Address;
    ULONG Old;
    UCHAR Value = 1;

    KST_CHECK(MmAllocateVirtualMemory((PVOID *)&Base, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                      PAGE_READWRITE | PAGE_GUARD) == STATUS_SUCCESS);
    KST_CHECK(KstTouch(Base, FALSE, 0, NULL) == STATUS_GUARD_PAGE_VIOLATION);
    KST_CHECK(KstTouch(Base, FALSE, 0, &Value) == STATUS_SUCCESS && Value == 0);
    KST_CHECK(NT_SUCCESS(KstQuery(Base, &Info)) && Info.Protect == PAGE_READWRITE && Info.RegionSize == PAGE_SIZE);
    KST_CHECK(NT_SUCCESS(KstQuery(Base + PAGE_SIZE, &Info)) && Info.Protect == (PAGE_READWRITE | PAGE_GUARD));
    /* The second page: a write hits its guard first too. */
    KST_CHECK(KstTouch(Base + PAGE_SIZE, TRUE, 7, NULL) == STATUS_GUARD_PAGE_VIOLATION);
    KST_CHECK(KstTouch(Base + PAGE_SIZE, TRUE, 7, NULL) == STATUS_SUCCESS);
    /* A guard put on a page that has contents keeps them. */
    Address = Base + PAGE_SIZE; Size = PAGE_SIZE;
    KST_CHECK(MmProtectVirtualMemory(&Address, &Size, PAGE_READONLY | PAGE_GUARD, &Old) == STATUS_SUCCESS);
    KST_CHECK(KstTouch(Base + PAGE_SIZE, FALSE, 0, NULL) == STATUS_GUARD_PAGE_VIOLATION);
    KST_CHECK(KstTouch(Base + PAGE_SIZE, FALSE, 0, &Value) == STATUS_SUCCESS && Value == 7);
    KST_CHECK(KstTouch(Base + PAGE_SIZE, TRUE, 8, NULL) == STATUS_ACCESS_VIOLATION);
    return STATUS_SUCCESS;
}

/* An address below any allocation (the null-guard area); read through a pointer
   the compiler cannot see through. */
#define KST_BAD_ADDRESS 0x20
__attribute__((noinline)) static VOID KstReadByte(ULONG_PTR Address)
{
    volatile UCHAR *Pointer;
    __asm__("" : "=r"(Pointer) : "0"(Address));
    (void)*Pointer;
}

/* Probes: NT's rules, raised into the caller's recovery block. */
static NTSTATUS KstProbeRaise(PVOID Address, SIZE_T Length, ULONG Alignment, BOOLEAN Write)
{
    KFAULT_RECOVERY Recovery;

    if (KiSetFaultRecovery(&Recovery) == 0) {
        if (Write)
            ProbeForWrite(Address, Length, Alignment);
        else
            ProbeForRead(Address, Length, Alignment);
        KiClearFaultRecovery(&Recovery);
        return STATUS_SUCCESS;
    }
    return Recovery.ExceptionCode;
}

static NTSTATUS KstProbes(VOID)
{
    PUCHAR Base = NULL;
    SIZE_T Size = 2 * PAGE_SIZE;
    PVOID Address;
    ULONG Old;
    KFAULT_RECOVERY Outer, Inner;
    volatile ULONG Reached = 0;

    KST_CHECK(MmAllocateVirtualMemory((PVOID *)&Base, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) == STATUS_SUCCESS);
    KST_CHECK(KstProbeRaise(Base, 2 * PAGE_SIZE, 4, FALSE) == STATUS_SUCCESS);
    KST_CHECK(KstProbeRaise(Base, 2 * PAGE_SIZE, 4, TRUE) == STATUS_SUCCESS);
    KST_CHECK(KstProbeRaise((PVOID)0x80000000, 4, 4, FALSE) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KstProbeRaise((PVOID)0x7FFEFFFC, 8, 4, FALSE) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KstProbeRaise((PVOID)0xFFFFFFF0, 0x20, 1, FALSE) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KstProbeRaise(Base + 2, 4, 4, FALSE) == STATUS_DATATYPE_MISALIGNMENT);
    KST_CHECK(KstProbeRaise((PVOID)0x80000000, 0, 4, FALSE) == STATUS_SUCCESS);     /* empty */
    /* ProbeForWrite touches the pages: a read-only one, or one never committed. */
    Address = Base + PAGE_SIZE; Size = PAGE_SIZE;
    KST_CHECK(MmProtectVirtualMemory(&Address, &Size, PAGE_READONLY, &Old) == STATUS_SUCCESS);
    KST_CHECK(KstProbeRaise(Base, 2 * PAGE_SIZE, 1, TRUE) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KstProbeRaise(Base + 2 * PAGE_SIZE, 1, 1, TRUE) == STATUS_ACCESS_VIOLATION);
    /* A kernel read of a bad user address in a block, e.g. NULL. */
    KST_CHECK(KstTouch(NULL, FALSE, 0, NULL) == STATUS_ACCESS_VIOLATION);

    /* Blocks nest: the inner one catches, the outer one stays armed. */
    if (KiSetFaultRecovery(&Outer) == 0) {
        if (KiSetFaultRecovery(&Inner) == 0) {
            ExRaiseStatus(STATUS_INTEGER_OVERFLOW);
        } else {
            KST_CHECK(Inner.ExceptionCode == STATUS_INTEGER_OVERFLOW);
            Reached = 1;
        }
        KST_CHECK(KiCurrentFaultRecovery() == &Outer);
        KstReadByte(KST_BAD_ADDRESS);
        Reached = 2;
    } else {
        KST_CHECK(Outer.ExceptionCode == STATUS_ACCESS_VIOLATION && Outer.ExceptionAddress == KST_BAD_ADDRESS);
    }
    KST_CHECK(Reached == 1 && KiCurrentFaultRecovery() == NULL);
    return STATUS_SUCCESS;
}

/* MmCopyVirtualMemory between two address spaces (NtRead/WriteVirtualMemory). */
static NTSTATUS KstCopy(VOID)
{
    PMM_ADDRESS_SPACE Self = MmGetCurrentAddressSpace(), Other;
    MM_ATTACH_STATE Attach;
    PUCHAR Mine = NULL, Theirs = NULL;
    SIZE_T Size = 3 * PAGE_SIZE, Copied = 0;
    ULONG Index;

    KST_CHECK(MmAllocateVirtualMemory((PVOID *)&Mine, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) == STATUS_SUCCESS);
    for (Index = 0; Index < 3 * PAGE_SIZE; Index++)
        Mine[Index] = (UCHAR)(Index * 7);
    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Other)));
    MmAttachAddressSpace(Other, &Attach);
    Size = 4 * PAGE_SIZE;
    KST_CHECK(MmAllocateVirtualMemory((PVOID *)&Theirs, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) == STATUS_SUCCESS);
    MmDetachAddressSpace(&Attach);

    /* Write to the other process, unaligned, across pages. */
    KST_CHECK(MmCopyVirtualMemory(Self, Mine + 1, Other, Theirs + 3, 3 * PAGE_SIZE - 1, &Copied) == STATUS_SUCCESS);
    KST_CHECK(Copied == 3 * PAGE_SIZE - 1);
    memset(Mine, 0, 3 * PAGE_SIZE);
    /* And read it back. */
    KST_CHECK(MmCopyVirtualMemory(Other, Theirs + 3, Self, Mine, 3 * PAGE_SIZE - 1, &Copied) == STATUS_SUCCESS);
    for (Index = 0; Index < 3 * PAGE_SIZE - 1; Index++)
        KST_CHECK(Mine[Index] == (UCHAR)((Index + 1) * 7));

    /* Faults: in the other process, a partial copy; in the caller's buffer, an access violation. */
    KST_CHECK(MmCopyVirtualMemory(Other, Theirs + 3 * PAGE_SIZE, Self, Mine, 2 * PAGE_SIZE, &Copied) == STATUS_PARTIAL_COPY);
    KST_CHECK(Copied == PAGE_SIZE);             /* exact: up to the page that faulted */
    KST_CHECK(MmCopyVirtualMemory(Other, Theirs, Self, (PVOID)0x7F000000, 16, &Copied) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(Copied == 0);
    KST_CHECK(MmCopyVirtualMemory(Other, Theirs, Self, (PVOID)0x80000000, 16, &Copied) == STATUS_ACCESS_VIOLATION);
    MmDeleteProcessAddressSpace(Other);
    return STATUS_SUCCESS;
}

static NTSTATUS KstMmVirtual(VOID)   { return KstInScratchSpace(KstVirtualLifecycle, "virtual"); }
static NTSTATUS KstMmErrors(VOID)    { return KstInScratchSpace(KstVirtualErrors, "errors"); }
static NTSTATUS KstMmGuard(VOID)     { return KstInScratchSpace(KstGuardPage, "guard"); }
static NTSTATUS KstMmProbe(VOID)     { return KstInScratchSpace(KstProbes, "probe"); }
static NTSTATUS KstMmCopy(VOID)      { return KstInScratchSpace(KstCopy, "copy"); }
KSELFTEST(MM_VIRTUAL, KstMmVirtual);
KSELFTEST(MM_ERRORS, KstMmErrors);
KSELFTEST(MM_GUARD_PAGE, KstMmGuard);
KSELFTEST(MM_PROBE, KstMmProbe);
KSELFTEST(MM_COPY, KstMmCopy);
