/*
 * pscycles.c - processes leave nothing behind: 500 times, a real user process
 * (C:\Tests\child.exe "exit N", the MinGW-built child of pstest.exe) is created
 * through ZwCreateUserProcess, runs to its end, is waited for, its exit status read,
 * and its handles closed; then the free pages, the committed pages, the system PTEs
 * and the pool's pages must be back where they were (issue 8: "500
 * create/exit/wait/close cycles return free pages and pool usage to their
 * baseline"). User mode has no service that reports those counters yet, so the
 * check lives here; pstest.exe's "cycles" runs the same cycles from user mode.
 *
 * The creator is the System process (a self-test runs in a system thread): the
 * children's parent ID is 4, and they get no standard handles (they print nothing).
 */
#include <selftest.h>
#include <ke.h>
#include <ex.h>
#include <mm.h>
#include <ps.h>
#include <rtl.h>
#include <nt/ntpsapi.h>
#include "mmtest.h"
#include "zwapi.h"

#define KST_PS_CYCLES   500
#define KST_PS_WARMUP   3
#define KST_PS_IMAGES   4       /* child.exe and the DLLs it loads, with room to spare */
#define KST_CHILD_NT    u"\\??\\C:\\Tests\\child.exe"
#define KST_CHILD_DOS   u"C:\\Tests\\child.exe"

/* One cycle: create "child.exe exit Code", wait, read the status, close. */
static NTSTATUS KstPsCycle(ULONG Code)
{
    static const WCHAR ImageName[] = KST_CHILD_NT;
    RTL_USER_PROCESS_PARAMETERS Parameters;
    PROCESS_BASIC_INFORMATION Basic;
    PS_CREATE_INFO CreateInfo;
    struct {
        SIZE_T TotalLength;
        PS_ATTRIBUTE Attributes[1];
    } List;
    WCHAR CommandLine[48];
    LARGE_INTEGER Timeout;
    HANDLE Process, Thread;
    ULONG Length = 0, Digits = 0, Value = Code;
    WCHAR Reverse[10];
    NTSTATUS Status;

    /* "C:\Tests\child.exe exit <Code>" */
    while (KST_CHILD_DOS[Length] != 0) {
        CommandLine[Length] = KST_CHILD_DOS[Length];
        Length++;
    }
    memcpy(&CommandLine[Length], u" exit ", 6 * sizeof(WCHAR));
    Length += 6;
    do {
        Reverse[Digits++] = (WCHAR)(u'0' + Value % 10);
        Value /= 10;
    } while (Value != 0);
    while (Digits > 0)
        CommandLine[Length++] = Reverse[--Digits];
    CommandLine[Length] = 0;

    memset(&Parameters, 0, sizeof(Parameters));
    Parameters.Length = Parameters.MaximumLength = sizeof(Parameters);
    Parameters.Flags = RTL_USER_PROC_PARAMS_NORMALIZED;
    RtlInitUnicodeString(&Parameters.ImagePathName, KST_CHILD_DOS);
    Parameters.CommandLine.Buffer = CommandLine;
    Parameters.CommandLine.Length = (USHORT)(Length * sizeof(WCHAR));
    Parameters.CommandLine.MaximumLength = (USHORT)(Parameters.CommandLine.Length + sizeof(WCHAR));

    memset(&List, 0, sizeof(List));
    List.TotalLength = sizeof(List);
    List.Attributes[0].Attribute = PS_ATTRIBUTE_IMAGE_NAME;
    List.Attributes[0].Size = sizeof(ImageName) - sizeof(WCHAR);
    List.Attributes[0].ValuePtr = (PVOID)ImageName;
    memset(&CreateInfo, 0, sizeof(CreateInfo));
    CreateInfo.Size = sizeof(CreateInfo);

    Status = ZwCreateUserProcess(&Process, &Thread, PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS, NULL, NULL, 0, 0,
                                 &Parameters, &CreateInfo, (PPS_ATTRIBUTE_LIST)&List);
    if (!NT_SUCCESS(Status))
        return Status;
    Timeout.QuadPart = -10LL * 1000 * 10000;        /* 10 s */
    Status = ZwWaitForSingleObject(Process, FALSE, &Timeout);
    if (Status == STATUS_SUCCESS)
        Status = ZwQueryInformationProcess(Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    else if (NT_SUCCESS(Status))
        Status = STATUS_UNSUCCESSFUL;               /* STATUS_TIMEOUT: it never ended */
    if (NT_SUCCESS(Status) &&
        (Basic.ExitStatus != (NTSTATUS)Code ||
         Basic.InheritedFromUniqueProcessId != (ULONG_PTR)PsInitialSystemProcess->UniqueProcessId)) {
        DbgPrint("    cycle %lu: exit status 0x%08lX, parent %lu\n", Code, (ULONG)Basic.ExitStatus,
                 (ULONG)Basic.InheritedFromUniqueProcessId);
        Status = STATUS_UNSUCCESSFUL;
    }
    if (!NT_SUCCESS(Status))
        ZwTerminateProcess(Process, Status);
    ZwClose(Thread);
    ZwClose(Process);
    return Status;
}

/* Long enough for the reaper to free the last thread's kernel stack (and with it
   the last references to the thread and process objects). */
static VOID KstPsSettle(VOID)
{
    LARGE_INTEGER Interval;

    Interval.QuadPart = -50 * 10000;                /* 50 ms */
    KeDelayExecutionThread(KernelMode, FALSE, &Interval);
}

static NTSTATUS KstPsCycles(VOID)
{
    KST_MM_BASELINE Baseline;
    MM_SEGMENT_CACHE_INFORMATION CacheBefore, CacheAfter;
    LARGE_INTEGER Start, End;
    ULONG Index;
    NTSTATUS Status;

    /* The first processes grow what stays grown (the CID and handle tables' pages,
       the pool's free lists): the baseline is taken after them. */
    for (Index = 0; Index < KST_PS_WARMUP; Index++) {
        Status = KstPsCycle(Index);
        /* Booted without the volume (--mem 16): no C:, no ntdll, nothing to run. */
        if (Index == 0 && (Status == STATUS_OBJECT_PATH_NOT_FOUND || Status == STATUS_OBJECT_NAME_NOT_FOUND ||
                           Status == STATUS_DLL_NOT_FOUND)) {
            DbgPrint("    C:\\Tests\\child.exe cannot run (0x%08lX): nothing to do\n", (ULONG)Status);
            return STATUS_SUCCESS;
        }
        if (!NT_SUCCESS(Status)) {
            DbgPrint("    warm-up cycle %lu: 0x%08lX\n", Index, (ULONG)Status);
            return Status;
        }
    }
    KstPsSettle();
    KstTakeBaseline(&Baseline);
    MmQuerySegmentCache(&CacheBefore);
    KeQuerySystemTime(&Start);
    for (Index = 0; Index < KST_PS_CYCLES; Index++) {
        Status = KstPsCycle(Index);
        if (!NT_SUCCESS(Status)) {
            DbgPrint("    cycle %lu: 0x%08lX\n", Index, (ULONG)Status);
            return Status;
        }
    }
    KeQuerySystemTime(&End);
    MmQuerySegmentCache(&CacheAfter);
    KstPsSettle();
    /* The images are read once (the baseline emptied the cache), not once a cycle. */
    if (CacheAfter.ImageFileReads - CacheBefore.ImageFileReads > KST_PS_IMAGES) {
        DbgPrint("    %lu image files read in the cycles\n", CacheAfter.ImageFileReads - CacheBefore.ImageFileReads);
        return STATUS_UNSUCCESSFUL;
    }
    DbgPrint("    %u create/exit/wait/close cycles in %lu ms\n", KST_PS_CYCLES,
             (ULONG)(End.QuadPart - Start.QuadPart) / 10000);      /* below 429 s */
    return KstCheckBaseline(&Baseline, "after the cycles");
}
KSELFTEST(PS_CYCLES, KstPsCycles);
