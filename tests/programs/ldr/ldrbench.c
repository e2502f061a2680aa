/*
 * ldrbench.c - the loader benchmark's programs (tests/bench/ldr.c): the entry point
 * returns the time-stamp counter's low half (instructions under -icount), so the
 * kernel can tell how long the loader took before it. ldrbench0.exe imports one
 * ntdll function; ldrbench3.exe imports ldrq1.dll, which imports ldrq2, which
 * imports ldrq3. The import is only referenced, never called.
 */
#include "ldrtest.h"

#ifdef LDR_CHAIN
ULONG LdrQ1Value(void);
#define LDR_IMPORTED ((PVOID)LdrQ1Value)
#else
#define LDR_IMPORTED ((PVOID)NtYieldExecution)
#endif

ULONG NTAPI LdrBenchStart(PVOID Peb)
{
    ULONG Low, High;

    __asm__ volatile("rdtsc" : "=a"(Low), "=d"(High));
    (void)High;
    /* Never true (the PEB is there): keeps the import without calling it. */
    if (Peb == LDR_IMPORTED)
        return 0;
    return Low;
}
