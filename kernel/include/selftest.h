/*
 * selftest.h - kernel self-tests: code that runs inside the booted kernel when the
 * boot option /SELFTEST=NAME[,NAME...] (or /SELFTEST=ALL) asks for it.
 *
 * A test is a function returning an NTSTATUS, registered with KSELFTEST in a linker
 * section (.ktests), so adding one is one file under tests/kernel/ and no table.
 * Tests whose purpose is to crash the kernel (to check the bugcheck screen) are
 * marked KSELFTEST_CRASH (so is HANG, which never returns): ALL does not run them.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <kd.h>

typedef NTSTATUS (*PKSELFTEST_ROUTINE)(VOID);

typedef struct _KSELFTEST {
    PCSTR Name;
    PKSELFTEST_ROUTINE Routine;
    BOOLEAN Crashes;        /* ends in a bugcheck on purpose */
} KSELFTEST, *PKSELFTEST;

#define KSELFTEST_REGISTER(Name, Routine, Crashes) \
    static const KSELFTEST KstEntry_##Name \
        __attribute__((section(".ktests"), used, aligned(4))) = { #Name, Routine, Crashes }
#define KSELFTEST(Name, Routine)       KSELFTEST_REGISTER(Name, Routine, FALSE)
#define KSELFTEST_CRASH(Name, Routine) KSELFTEST_REGISTER(Name, Routine, TRUE)

/* In a test: fail with a message naming the condition and the line. */
#define KST_CHECK(Condition)                                                     \
    do {                                                                         \
        if (!(Condition)) {                                                      \
            DbgPrint("    check failed: %s (%s:%d)\n", #Condition, __FILE__, __LINE__); \
            return STATUS_UNSUCCESSFUL;                                          \
        }                                                                        \
    } while (0)

/* Runs the tests /SELFTEST names; returns the first failure's status, or success. */
NTSTATUS KiRunSelfTests(PCSTR Selection);
