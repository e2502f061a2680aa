/*
 * empty.c - a program that does nothing but say when it started: its entry point
 * returns the low half of the time-stamp counter, which under QEMU's -icount counts
 * instructions, so the process-creation benchmark (tests/bench/process.c) can split
 * a whole create-run-exit cycle at the moment the entry point ran. It imports
 * nothing, so the loader has nothing to bind.
 */
#include <windows.h>

ULONG NTAPI EmptyStart(PVOID Peb)
{
    ULONG Low, High;

    (void)Peb;
    __asm__ volatile("rdtsc" : "=a"(Low), "=d"(High));
    (void)High;
    return Low;
}
