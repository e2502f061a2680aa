/*
 * ldr.c - the loader's share of a process's start: instructions from the new
 * thread's way into user mode (PsLastUserStartTime, stamped by
 * PspUserThreadStartup just before it leaves with the APC to LdrInitializeThunk)
 * until the exe's entry point runs (which returns the time-stamp counter:
 * instructions under -icount), for
 *   ldr_entry_ntdll   C:\Tests\ldrbench0.exe, importing one ntdll function
 *   ldr_entry_chain3  C:\Tests\ldrbench3.exe, importing ldrq1.dll -> ldrq2 -> ldrq3
 *   ldr_chain3_cost   the difference: finding, mapping, binding and initializing
 *                     three DLLs
 * What comes before (creating the process, the first switch to the thread, its
 * kernel start) is process_create's and process_run_to_entry's; the APC's
 * delivery, a few hundred instructions, is counted here.
 */
#include <bench.h>
#include <ke.h>
#include <ob.h>
#include <ps.h>
#include <ramdisk.h>
#include <rtl.h>

#define KB_LDR_ITERATIONS 20

typedef struct _KB_LDR_PROGRAM {
    PCWSTR Path, CommandLine;
    BOOLEAN Measured;
    ULONGLONG RunToEntry;               /* 0: could not be measured */
} KB_LDR_PROGRAM;

static KB_LDR_PROGRAM KbLdrNtdll = { u"\\??\\C:\\Tests\\ldrbench0.exe", u"C:\\Tests\\ldrbench0.exe", FALSE, 0 };
static KB_LDR_PROGRAM KbLdrChain = { u"\\??\\C:\\Tests\\ldrbench3.exe", u"C:\\Tests\\ldrbench3.exe", FALSE, 0 };

static ULONGLONG KbLdrMeasure(KB_LDR_PROGRAM *Program)
{
    UNICODE_STRING Image, CommandLine;
    PEPROCESS Process;
    ULONGLONG Started, Total = 0;
    ULONG Entry, Index;

    if (Program->Measured)
        return Program->RunToEntry;
    Program->Measured = TRUE;
    if (IoGetBootVolume() == NULL)
        return 0;
    RtlInitUnicodeString(&Image, Program->Path);
    RtlInitUnicodeString(&CommandLine, Program->CommandLine);
    for (Index = 0; Index < KB_LDR_ITERATIONS; Index++) {
        if (!NT_SUCCESS(PsCreateSystemChildProcess(&Image, &CommandLine, &Process)))
            return 0;
        KeWaitForSingleObject(&Process->Pcb, Executive, KernelMode, FALSE, NULL);
        /* The child's one thread was the last to start: nothing else runs here. */
        Started = PsLastUserStartTime;
        Entry = (ULONG)Process->ExitStatus;
        ObDereferenceObject(Process);
        /* A status of the loader's (0xC...) instead of a counter would show as a
           huge difference: a failed start is no measurement. */
        if ((ULONG)(Entry - (ULONG)Started) > 0x10000000)
            return 0;
        Total += (ULONG)(Entry - (ULONG)Started);
    }
    Program->RunToEntry = Total / KB_LDR_ITERATIONS;
    return Program->RunToEntry;
}

static ULONGLONG KbLdrEntryNtdll(VOID)
{
    return KbLdrMeasure(&KbLdrNtdll);
}
KBENCH(ldr_entry_ntdll, KbLdrEntryNtdll,
       "instructions from the first thread's way into user mode to the entry of an exe importing only ntdll");

static ULONGLONG KbLdrEntryChain(VOID)
{
    return KbLdrMeasure(&KbLdrChain);
}
KBENCH(ldr_entry_chain3, KbLdrEntryChain,
       "the same for an exe importing a chain of three DLLs");

static ULONGLONG KbLdrChainCost(VOID)
{
    ULONGLONG Ntdll = KbLdrMeasure(&KbLdrNtdll), Chain = KbLdrMeasure(&KbLdrChain);

    return Ntdll != 0 && Chain > Ntdll ? Chain - Ntdll : 0;
}
KBENCH(ldr_chain3_cost, KbLdrChainCost, "the loader's instructions for three chained DLLs (chain3 - ntdll)");
