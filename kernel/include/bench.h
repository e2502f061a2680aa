/*
 * bench.h - kernel benchmarks, run by the boot option /BENCH (make bench).
 *
 * Under QEMU with -icount shift=0 the TSC counts executed instructions, so a
 * benchmark reports instructions, exactly and repeatably. A benchmark returns the
 * instructions of one operation; KeBenchLoop measures a loop of operations and
 * subtracts the same loop with an empty body, so loop overhead is not counted.
 * Each result is printed as "BENCH name value" for tools/bench to collect.
 */
#pragma once

#include <nt/ntdef.h>

typedef ULONGLONG (*PKBENCH_ROUTINE)(VOID);

typedef struct _KBENCHMARK {
    PCSTR Name;
    PKBENCH_ROUTINE Routine;
    PCSTR Description;
} KBENCHMARK;

#define KBENCH(Name, Routine, Description) \
    static const KBENCHMARK KbEntry_##Name \
        __attribute__((section(".kbench"), used, aligned(4))) = { #Name, Routine, Description }

typedef VOID (*PKBENCH_OPERATION)(PVOID Context);

/* Instructions per call of Operation, less those of an empty call. */
ULONGLONG KeBenchLoop(PKBENCH_OPERATION Operation, PVOID Context, ULONG Iterations);

/* TSC read just before the banner was printed (init.c). */
extern ULONGLONG KiBannerTsc;

VOID KiRunBenchmarks(VOID);
