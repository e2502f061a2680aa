/*
 * ldr.c - the loader's share of a process's start: instructions from the moment
 * the process and its thread exist until the exe's entry point runs (which
 * returns the time-stamp counter: instructions under -icount), for
 *   ldr_entry_ntdll   C:\Tests\ldrbench0.exe, importing one ntdll function
 *   ldr_entry_chain3  C:\Tests\ldrbench3.exe, importing ldrq1.dll -> ldrq2 -> ldrq3
 *   ldr_chain3_cost   the difference: finding, mapping, binding and initializing
 *                     three DLLs
 * The first two include what precedes the first user instruction (the switch to
 * the new thread, its kernel start, the APC into LdrInitializeThunk), the same for
 * every program; process_run_to_entry (empty.exe, no imports) is that plus the
 * loader's fixed work (process heap, PEB->Ldr, the exe's and ntdll's entries).
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
    ULONGLONG Created, Total = 0;
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
        Created = __rdtsc();
        KeWaitForSingleObject(&Process->Pcb, Executive, KernelMode, FALSE, NULL);
        Entry = (ULONG)Process->ExitStatus;
        ObDereferenceObject(Process);
        /* A status of the loader's (0xC...) instead of a counter would show as a
           huge difference: a failed start is no measurement. */
        if ((ULONG)(Entry - (ULONG)Created) > 0x10000000)
            return 0;
        Total += (ULONG)(Entry - (ULONG)Created);
    }
    Program->RunToEntry = Total / KB_LDR_ITERATIONS;
    return Program->RunToEntry;
}

static ULONGLONG KbLdrEntryNtdll(VOID)
{
    return KbLdrMeasure(&KbLdrNtdll);
}
KBENCH(ldr_entry_ntdll, KbLdrEntryNtdll,
       "instructions from process creation to the entry of an exe importing only ntdll");

static ULONGLONG KbLdrEntryChain(VOID)
{
    return KbLdrMeasure(&KbLdrChain);
}
KBENCH(ldr_entry_chain3, KbLdrEntryChain,
       "instructions from process creation to the entry of an exe importing a chain of three DLLs");

static ULONGLONG KbLdrChainCost(VOID)
{
    ULONGLONG Ntdll = KbLdrMeasure(&KbLdrNtdll), Chain = KbLdrMeasure(&KbLdrChain);

    return Ntdll != 0 && Chain > Ntdll ? Chain - Ntdll : 0;
}
KBENCH(ldr_chain3_cost, KbLdrChainCost, "the loader's instructions for three chained DLLs (chain3 - ntdll)");
