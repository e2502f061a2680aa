/*
 * ldrlast.c - who is the last thread (tests/system/ldr-threads.test). ntdll's
 * RtlExitUserThread ends the process, with the DLLs' DLL_PROCESS_DETACH, only
 * when the kernel says the caller is its process's last thread
 * (ThreadAmILastThread). Imports ldra.dll, whose DllMain prints each call.
 *
 * The entry point: alone, it is last; with a thread created suspended (never
 * started, so the loader never saw it) it is not; a thread started and then
 * ended from outside does not count. Then it leaves by RtlExitUserThread while
 * the suspended thread still exists: only the thread must end. A helper thread
 * waits for it and resumes the suspended one, which finds itself last, and its
 * return ends the process with the DLLs' detach and its status, 0x2A.
 */
#include "ldrtest.h"


#define LDR_THREAD_AM_I_LAST_THREAD 12
#define LDR_LAST_STATUS             0x2A

ULONG LdrAValue(void);

static HANDLE Main, Sleeper, HelperThread;
static volatile LONG KilledStarted;

static ULONG AmILast(void)
{
    ULONG Last = 0xFFFF;
    NTSTATUS Status = NtQueryInformationThread(NtCurrentThread(), LDR_THREAD_AM_I_LAST_THREAD, &Last, sizeof(Last),
                                               NULL);

    return NT_SUCCESS(Status) ? Last : (ULONG)Status;
}

static void Say(const char *Text, ULONG Value)
{
    char Line[96], *Out = Line;

    while (*Text != 0)
        *Out++ = *Text++;
    Out = NativeFormatHex(Out, Value);
    *Out++ = '\r';
    *Out++ = '\n';
    *Out = 0;
    NativeWrite(Line);
}

static ULONG NTAPI Killed(PVOID Parameter)
{
    LARGE_INTEGER Forever = { .QuadPart = -100LL * 1000 * 10000 };

    (void)Parameter;
    KilledStarted = 1;
    NtDelayExecution(FALSE, &Forever);
    return 0;
}

static ULONG NTAPI Resumed(PVOID Parameter)
{
    (void)Parameter;
    /* The helper that resumed us may still be on its way out: last only once it is gone. */
    NtWaitForSingleObject(HelperThread, FALSE, NULL);
    Say("ldrlast: the suspended thread ran, last ", AmILast());
    return LDR_LAST_STATUS;
}

static ULONG NTAPI Helper(PVOID Parameter)
{
    (void)Parameter;
    NtWaitForSingleObject(Main, FALSE, NULL);
    NativeWrite("ldrlast: the first thread ended alone\r\n");
    NtResumeThread(Sleeper, NULL);
    return 0;
}

ULONG NTAPI LdrLastStart(PVOID Peb)
{
    HANDLE Killer;

    (void)Peb;
    Say("ldrlast: alone, last ", AmILast());
    Sleeper = LdrTestStartThread(Resumed, NULL, TRUE);
    Say("ldrlast: with a thread not yet started, last ", AmILast());
    Killer = LdrTestStartThread(Killed, NULL, FALSE);
    while (!KilledStarted)
        NtYieldExecution();
    NtTerminateThread(Killer, 0);
    NtWaitForSingleObject(Killer, FALSE, NULL);
    NtClose(Killer);
    Say("ldrlast: a thread ended from outside, the unstarted one left, last ", AmILast());
    NtDuplicateObject(NtCurrentProcess(), NtCurrentThread(), NtCurrentProcess(), &Main, 0, 0, DUPLICATE_SAME_ACCESS);
    HelperThread = LdrTestStartThread(Helper, NULL, FALSE);
    Say("ldrlast: ldra says ", LdrAValue());
    RtlExitUserThread(0x11);
    return 0x99;                        /* not reached */
}
