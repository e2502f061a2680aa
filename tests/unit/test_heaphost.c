/*
 * test_heaphost.c - the world around ntdll's heap for test_heap.c (see
 * test_heaphost.h). The heap calls these by their ntdll names; the host test
 * links them in place of the system services, critical sections and the raise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <cmocka.h>

#include "test_heaphost.h"

/* ---- the fake process ---- */

PEB TestPeb;
PVOID TestHeapList[16];

PPEB RtlpHeapTestPeb(VOID)
{
    return &TestPeb;
}

int LockDepth;

/* Critical sections as a depth count: one thread, so only the pairing matters.
   LastLock is the section the heap took last (its own, or its creator's). */
PRTL_CRITICAL_SECTION LastLock;
int LiveSections;                       /* initialized and not yet deleted */

NTSTATUS NTAPI RtlInitializeCriticalSection(PRTL_CRITICAL_SECTION Section)
{
    memset(Section, 0, sizeof(*Section));
    Section->LockCount = -1;
    LiveSections++;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlDeleteCriticalSection(PRTL_CRITICAL_SECTION Section)
{
    assert_int_equal(Section->LockCount, -1);
    LiveSections--;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlEnterCriticalSection(PRTL_CRITICAL_SECTION Section)
{
    Section->LockCount++;
    LastLock = Section;
    LockDepth++;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlLeaveCriticalSection(PRTL_CRITICAL_SECTION Section)
{
    assert_true(LockDepth > 0 && Section->LockCount >= 0);
    Section->LockCount--;
    LockDepth--;
    return STATUS_SUCCESS;
}

/* ---- the fake memory manager ---- */

#define PAGE 0x1000
#define MAX_REGIONS 2048

typedef struct {
    PUCHAR Base;
    SIZE_T Size;
    PUCHAR Committed;           /* one byte per page */
} TEST_REGION;

static TEST_REGION Regions[MAX_REGIONS];
SIZE_T CommittedBytes, ReservedBytes;
BOOLEAN FailAllocations;

static TEST_REGION *FindRegion(PUCHAR Address)
{
    for (int i = 0; i < MAX_REGIONS; i++)
        if (Regions[i].Base != NULL && Address >= Regions[i].Base && Address < Regions[i].Base + Regions[i].Size)
            return &Regions[i];
    return NULL;
}

NTSTATUS NTAPI NtAllocateVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, ULONG_PTR ZeroBits,
                                       PSIZE_T RegionSize, ULONG AllocationType, ULONG Protect)
{
    TEST_REGION *Region;
    PUCHAR Start;
    SIZE_T Size, Page;

    assert_ptr_equal(ProcessHandle, NtCurrentProcess());
    assert_int_equal(ZeroBits, 0);
    assert_int_equal(Protect, PAGE_READWRITE);
    if (FailAllocations)
        return STATUS_NO_MEMORY;
    Size = (*RegionSize + PAGE - 1) & ~(SIZE_T)(PAGE - 1);
    if (AllocationType & MEM_RESERVE) {
        assert_null(*BaseAddress);
        Region = FindRegion(NULL);
        for (int i = 0; i < MAX_REGIONS; i++)
            if (Regions[i].Base == NULL) {
                Region = &Regions[i];
                break;
            }
        assert_non_null(Region);
        Region->Base = mmap(NULL, Size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assert_true(Region->Base != MAP_FAILED);
        Region->Size = Size;
        Region->Committed = calloc(Size / PAGE, 1);
        ReservedBytes += Size;
        *BaseAddress = Region->Base;
        *RegionSize = Size;
    }
    if (AllocationType & MEM_COMMIT) {
        Start = *BaseAddress;
        assert_int_equal((ULONG_PTR)Start % PAGE, 0);
        Region = FindRegion(Start);
        assert_non_null(Region);
        assert_true(Start + Size <= Region->Base + Region->Size);
        assert_int_equal(mprotect(Start, Size, PROT_READ | PROT_WRITE), 0);
        for (Page = (SIZE_T)(Start - Region->Base) / PAGE; Page < (SIZE_T)(Start + Size - Region->Base) / PAGE; Page++)
            if (!Region->Committed[Page]) {
                Region->Committed[Page] = 1;
                CommittedBytes += PAGE;
            }
        *RegionSize = Size;
    }
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize, ULONG FreeType)
{
    PUCHAR Start = *BaseAddress;
    TEST_REGION *Region = FindRegion(Start);
    SIZE_T Page, First, End;

    assert_ptr_equal(ProcessHandle, NtCurrentProcess());
    assert_non_null(Region);
    if (FreeType == MEM_RELEASE) {
        assert_ptr_equal(Start, Region->Base);          /* NT's rule: the whole reservation */
        assert_int_equal(*RegionSize, 0);
        First = 0;
        End = Region->Size / PAGE;
    } else {
        assert_int_equal(FreeType, MEM_DECOMMIT);
        assert_int_equal((ULONG_PTR)Start % PAGE, 0);
        assert_int_equal(*RegionSize % PAGE, 0);
        First = (SIZE_T)(Start - Region->Base) / PAGE;
        End = First + *RegionSize / PAGE;
        assert_true(End <= Region->Size / PAGE);
    }
    for (Page = First; Page < End; Page++)
        if (Region->Committed[Page]) {
            Region->Committed[Page] = 0;
            CommittedBytes -= PAGE;
        }
    if (FreeType == MEM_RELEASE) {
        munmap(Region->Base, Region->Size);
        free(Region->Committed);
        ReservedBytes -= Region->Size;
        memset(Region, 0, sizeof(*Region));
    } else {
        /* Gone for real: recommitted pages come back zero, a touch meanwhile faults. */
        assert_int_equal(mmap(Start, *RegionSize, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), Start);
    }
    return STATUS_SUCCESS;
}

/* ---- raising ---- */

jmp_buf RaiseJump;
BOOLEAN RaiseExpected;
EXCEPTION_RECORD Raised;

VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD ExceptionRecord)
{
    if (!RaiseExpected)
        fail_msg("unexpected raise of %08lX", (unsigned long)ExceptionRecord->ExceptionCode);
    Raised = *ExceptionRecord;
    RaiseExpected = FALSE;
    longjmp(RaiseJump, 1);
}

/* ---- each test's start ---- */

int HeapHostSetup(void **State)
{
    (void)State;
    memset(&TestPeb, 0, sizeof(TestPeb));
    TestPeb.HeapSegmentReserve = 0x100000;
    TestPeb.HeapSegmentCommit = 0x2000;
    TestPeb.HeapDeCommitTotalFreeThreshold = 0x10000;
    TestPeb.HeapDeCommitFreeBlockThreshold = 0x1000;
    TestPeb.MaximumNumberOfHeaps = RTL_NUMBER_OF(TestHeapList);
    TestPeb.ProcessHeaps = TestHeapList;
    LockDepth = 0;
    FailAllocations = FALSE;
    return 0;
}
