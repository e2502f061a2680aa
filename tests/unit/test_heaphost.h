/*
 * test_heaphost.h - the world test_heap.c runs ntdll's heap in (test_heaphost.c):
 * a PEB, critical sections as a depth counter, NtAllocateVirtualMemory and
 * NtFreeVirtualMemory over mmap with the bytes reserved and committed counted,
 * and RtlRaiseException as a longjmp to the test that expected the raise.
 */
#pragma once

#include <setjmp.h>
#include "../../ntdll/rtl/heapp.h"

extern PEB TestPeb;
extern PVOID TestHeapList[16];          /* the list a kernel gives, after the PEB */
extern int LockDepth;                   /* must be 0 after every call */
extern PRTL_CRITICAL_SECTION LastLock;  /* the section the heap entered last */
extern int LiveSections;                /* sections initialized and not deleted */
extern SIZE_T CommittedBytes, ReservedBytes;
extern BOOLEAN FailAllocations;         /* TRUE: NtAllocateVirtualMemory fails */

extern jmp_buf RaiseJump;
extern BOOLEAN RaiseExpected;
extern EXCEPTION_RECORD Raised;         /* the last record raised */

/* Runs Statement, which must raise Code (non-continuable); the lock is reset after,
   since the heap stops there (still holding it: the process is meant to end). */
#define EXPECT_RAISE(Code, Statement)                                      \
    do {                                                                   \
        RaiseExpected = TRUE;                                              \
        if (setjmp(RaiseJump) == 0) {                                      \
            Statement;                                                     \
            fail_msg("%s did not raise", #Statement);                      \
        }                                                                  \
        assert_int_equal((ULONG)Raised.ExceptionCode, (ULONG)(Code));      \
        assert_int_equal(Raised.ExceptionFlags, EXCEPTION_NONCONTINUABLE); \
        LockDepth = 0;                                                     \
        if (LastLock != NULL)                                              \
            LastLock->LockCount = -1;                                      \
    } while (0)

/* A fresh PEB (NT's heap defaults) and counters: each test's setup. */
int HeapHostSetup(void **State);
