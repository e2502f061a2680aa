/*
 * psrace.c - ending threads at awkward moments, and the registers of a thread that
 * has not run yet (regressions from a review of the process manager):
 *   - a worker that loops on a service holding a kernel lock (the task list, the
 *     address-space lock, another process's address space) is terminated many
 *     times: it must end every time (a terminated thread ends on its way back to
 *     user mode, never inside the service), and the locks must be free after;
 *   - NtGetContextThread on a thread created suspended shows its start, and
 *     NtSetContextThread on it changes where it starts.
 * Prints PASS/FAIL lines; exits 0 only if all passed.
 */
#include "native.h"

NTSYSAPI NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE ProcessHandle, PVOID *BaseAddress, PSIZE_T RegionSize,
    ULONG FreeType);

#define RACE_ITERATIONS 60

/* NT's THREAD_BASIC_INFORMATION (MinGW's headers leave it out). */
typedef struct _RACE_THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;
    PVOID TebBaseAddress;
    NATIVE_CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority;
    LONG BasePriority;
} RACE_THREAD_BASIC_INFORMATION;

static UCHAR Buffer[64 * 1024], Copy[64 * 1024];
static volatile ULONG Mode;
static HANDLE Self;
static ULONG Failures;

static void Report(const char *Name, BOOLEAN Passed, ULONG Value)
{
    char Line[128], *Out = Line;
    const char *Text = Passed ? "PASS " : "FAIL ";

    while (*Text)
        *Out++ = *Text++;
    while (*Name)
        *Out++ = *Name++;
    if (!Passed) {
        *Out++ = ' ';
        Out = NativeFormatHex(Out, Value);
        Failures++;
    }
    *Out++ = '\r';
    *Out++ = '\n';
    *Out = 0;
    NativeWrite(Line);
}

static void NTAPI Worker(PVOID Parameter)
{
    ULONG Needed;
    SIZE_T Done;

    (void)Parameter;
    for (;;) {
        if (Mode == 0) {
            NtQuerySystemInformation(SystemProcessInformation, Buffer, sizeof(Buffer), &Needed);
        } else if (Mode == 1) {
            PVOID Base = NULL;
            SIZE_T Size = 0x10000;
            NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
            Size = 0;
            NtFreeVirtualMemory(NtCurrentProcess(), &Base, &Size, MEM_RELEASE);
        } else {
            NtReadVirtualMemory(Self, Buffer, Copy, sizeof(Buffer), &Done);
        }
    }
}

/* A thread of this process at Start(Parameter) through RtlUserThreadStart, on its own stack. */
static NTSTATUS StartThread(PVOID Start, BOOLEAN Suspended, PHANDLE Thread, NATIVE_INITIAL_TEB *Teb)
{
    CONTEXT Context;
    PVOID Base = NULL;
    SIZE_T Size = 0x10000;
    NTSTATUS Status;

    Status = NtAllocateVirtualMemory(NtCurrentProcess(), &Base, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    __builtin_memset(Teb, 0, sizeof(*Teb));
    Teb->StackBase = (PUCHAR)Base + Size;
    Teb->StackLimit = Base;
    Teb->StackAllocationBase = Base;
    __builtin_memset(&Context, 0, sizeof(Context));
    Context.ContextFlags = CONTEXT_FULL;
    Context.Eip = (ULONG)(ULONG_PTR)RtlUserThreadStart;
    Context.Eax = (ULONG)(ULONG_PTR)Start;
    Context.Esp = (ULONG)(ULONG_PTR)Teb->StackBase - 16;
    Context.EFlags = 0x202;
    return NtCreateThread(Thread, THREAD_ALL_ACCESS, NULL, NtCurrentProcess(), NULL, &Context, Teb, Suspended);
}

static void TerminateInsideServices(void)
{
    static const char *const Names[] = { "terminate-in-task-list", "terminate-in-address-space",
                                         "terminate-in-read-memory" };
    NATIVE_INITIAL_TEB Teb;
    LARGE_INTEGER Delay, Timeout;
    HANDLE Thread;
    ULONG Iteration, Needed;
    SIZE_T Size;
    NTSTATUS Status = 0;

    for (Mode = 0; Mode < 3; Mode++) {
        for (Iteration = 0; Iteration < RACE_ITERATIONS && NT_SUCCESS(Status); Iteration++) {
            Status = StartThread((PVOID)Worker, FALSE, &Thread, &Teb);
            if (!NT_SUCCESS(Status))
                break;
            Delay.QuadPart = -(LONGLONG)(10000 * (1 + Iteration % 5));
            NtDelayExecution(FALSE, &Delay);
            NtTerminateThread(Thread, 0x77);
            Timeout.QuadPart = -20000000LL;     /* 2 s */
            Status = NtWaitForSingleObject(Thread, FALSE, &Timeout);
            NtClose(Thread);
            Size = 0;
            NtFreeVirtualMemory(NtCurrentProcess(), &Teb.StackAllocationBase, &Size, MEM_RELEASE);
        }
        /* The lock the worker used must be free: the same service from here. */
        if (NT_SUCCESS(Status))
            Status = NtQuerySystemInformation(SystemProcessInformation, Buffer, sizeof(Buffer), &Needed);
        Report(Names[Mode], Status == 0, Status);
    }
}

static void NTAPI Original(PVOID Parameter)
{
    (void)Parameter;
    NtTerminateThread(NtCurrentThread(), 1);
}

static void NTAPI Replaced(PVOID Parameter)
{
    (void)Parameter;
    NtTerminateThread(NtCurrentThread(), 2);
}

static void ContextBeforeStart(void)
{
    NATIVE_INITIAL_TEB Teb;
    RACE_THREAD_BASIC_INFORMATION Basic;
    CONTEXT Context;
    HANDLE Thread;
    NTSTATUS Status;

    Status = StartThread((PVOID)Original, TRUE, &Thread, &Teb);
    if (!NT_SUCCESS(Status)) {
        Report("context-before-start", FALSE, Status);
        return;
    }
    __builtin_memset(&Context, 0, sizeof(Context));
    Context.ContextFlags = CONTEXT_FULL;
    Status = NtGetContextThread(Thread, &Context);
    Report("get-context-before-start", NT_SUCCESS(Status) && Context.Eax == (ULONG)(ULONG_PTR)Original &&
           Context.SegCs == 0x1B && Context.Esp == (ULONG)(ULONG_PTR)Teb.StackBase - 16, Context.Eax);
    Context.ContextFlags = CONTEXT_FULL;
    Context.Eax = (ULONG)(ULONG_PTR)Replaced;
    Status = NtSetContextThread(Thread, &Context);
    NtResumeThread(Thread, NULL);
    NtWaitForSingleObject(Thread, FALSE, NULL);
    NtQueryInformationThread(Thread, (THREADINFOCLASS)0, &Basic, sizeof(Basic), NULL);
    Report("set-context-before-start", NT_SUCCESS(Status) && Basic.ExitStatus == 2, Basic.ExitStatus);
    NtClose(Thread);
}

ULONG NTAPI PsRaceStart(PVOID Peb)
{
    OBJECT_ATTRIBUTES Attributes;
    NATIVE_CLIENT_ID Cid;

    (void)Peb;
    InitializeObjectAttributes(&Attributes, NULL, 0, NULL, NULL);
    Cid.UniqueProcess = (HANDLE)(ULONG_PTR)__readfsdword(0x20);
    Cid.UniqueThread = NULL;
    if (!NT_SUCCESS(NtOpenProcess(&Self, PROCESS_ALL_ACCESS, &Attributes, &Cid)))
        return 1;
    TerminateInsideServices();
    ContextBeforeStart();
    NativeWrite(Failures == 0 ? "psrace: all passed\r\n" : "psrace: FAILED\r\n");
    return Failures;
}
