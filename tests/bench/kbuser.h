/*
 * kbuser.h - benchmarks measured in user mode: a test program times its loop with
 * the time-stamp counter (instructions, under QEMU's -icount) and ends with the
 * instructions per iteration as its exit status (heapbench.exe, rtlexec.exe,
 * syncbench.exe in tests/programs).
 */
#pragma once

#include <nt/ntdef.h>

/*
 * Starts ImagePath (an NT path) with CommandLine as a child of the System process,
 * waits for it to end and returns its exit status: the measurement, or 0 when the
 * boot volume or the program is not there.
 */
ULONGLONG KbRunUserBenchmark(PCWSTR ImagePath, PCWSTR CommandLine);
