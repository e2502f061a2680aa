/*
 * selftest.h - kernel self-tests: code that runs inside the booted kernel when the
 * boot option /SELFTEST=NAME[,NAME...] (or /SELFTEST=ALL) asks for it.
 *
 * A test is a function returning an NTSTATUS, registered with KSELFTEST in a linker
 * section (.ktests), so adding one is one file under tests/kernel/ and no table.
 * Tests that run only when named, never under ALL, are marked KSELFTEST_ALONE:
 * those whose purpose is to crash the kernel (to check the bugcheck screen), HANG
 * (which never returns), and those that need input from outside the machine (the
 * serial console test, which tools/qemu-run --input feeds).
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <kd.h>

typedef NTSTATUS (*PKSELFTEST_ROUTINE)(VOID);

typedef struct _KSELFTEST {
    PCSTR Name;
    PKSELFTEST_ROUTINE Routine;
    BOOLEAN Alone;          /* only when named: crashes, hangs or needs outside input */
} KSELFTEST, *PKSELFTEST;

#define KSELFTEST_REGISTER(Name, Routine, Alone) \
    static const KSELFTEST KstEntry_##Name \
        __attribute__((section(".ktests"), used, aligned(4))) = { #Name, Routine, Alone }
#define KSELFTEST(Name, Routine)       KSELFTEST_REGISTER(Name, Routine, FALSE)
#define KSELFTEST_ALONE(Name, Routine) KSELFTEST_REGISTER(Name, Routine, TRUE)

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
