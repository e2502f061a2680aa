/*
 * child.c - the child pstest.exe creates: what it does is chosen by its command
 * line ("child.exe MODE [ARGUMENT]"), and what it returns from its entry point is
 * its exit status.
 *
 *   exit N          return N
 *   report          fill the shared page (IDs, PEB, parameters, stack), print a line
 *   flag            increment the shared page's Ran, return 0
 *   spin            increment Ran, then loop in user mode forever
 *   count           increment Ran forever (a loop whose progress can be watched)
 *   wait            increment Ran, then wait forever on an event nobody sets
 *   read            increment Ran, then read its standard input (the console) forever
 *   selfterm N      NtTerminateProcess(NtCurrentProcess(), N)
 *   termothers N    NtTerminateProcess(NULL, N) (the other threads: none), return N
 *   termthread      return what NtTerminateThread(NULL) says (the last thread cannot)
 *   setevent H      NtSetEvent(H) on an inherited handle, return its status
 *   av div ud2 hlt cli int3 stackoverflow
 *                   fault that way (the exception is unhandled: the process ends
 *                   with its code)
 *   vectored        a vectored handler repairs an access violation; return 0 if it
 *                   ran once with the right code and the faulting load was redone
 *   apcbadstack     a user APC queued to itself, then NtContinue with TestAlert
 *                   onto an ESP nothing is mapped at: the APC's frame cannot go on
 *                   that stack, which must end the process with the fault's code
 *                   (not end the thread alone behind the process's back, leaving a
 *                   process that never ends)
 */
#include "pstest.h"

PST_DEFINE_MEMORY_ROUTINES

static PST_SHARED *ChildShared;

static NTSTATUS ChildMapShared(void)
{
    HANDLE Section;

    if (ChildShared != NULL)
        return STATUS_SUCCESS;
    return PstMapShared(FALSE, &Section, &ChildShared);
}

static ULONG ChildReport(PVOID EntryParameter)
{
    NATIVE_PEB *Peb = NativePeb();
    NATIVE_PROCESS_PARAMETERS *Parameters = Peb->ProcessParameters;
    PROCESS_BASIC_INFORMATION Basic;
    PST_LINE Line = { .Length = 0 };
    NTSTATUS Status;
    ULONG Index;

    Status = ChildMapShared();
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtQueryInformationProcess(NtCurrentProcess(), ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    ChildShared->Pid = __readfsdword(0x20);
    ChildShared->Tid = __readfsdword(0x24);
    ChildShared->ParentPid = (ULONG)Basic.InheritedFromUniqueProcessId;
    ChildShared->Peb = (ULONG)Peb;
    ChildShared->PebFromQuery = (ULONG)Basic.PebBaseAddress;
    ChildShared->ImageBase = (ULONG)Peb->ImageBaseAddress;
    ChildShared->EntryParameter = (ULONG)EntryParameter;
    ChildShared->Parameters = (ULONG)Parameters;
    ChildShared->StackBase = __readfsdword(0x04);
    ChildShared->StackLimit = __readfsdword(0x08);
    if (Parameters != NULL) {
        ChildShared->ParametersFlags = Parameters->Flags;
        ChildShared->StandardOutput = (ULONG)Parameters->StandardOutput;
        ChildShared->CommandLineLength = Parameters->CommandLine.Length / sizeof(WCHAR);
        for (Index = 0; Index < ChildShared->CommandLineLength && Index < 128; Index++)
            ChildShared->CommandLine[Index] = Parameters->CommandLine.Buffer[Index];
        ChildShared->ImagePathLength = Parameters->ImagePathName.Length / sizeof(WCHAR);
        for (Index = 0; Index < ChildShared->ImagePathLength && Index < 64; Index++)
            ChildShared->ImagePath[Index] = Parameters->ImagePathName.Buffer[Index];
    }
    PstAdd(&Line, "child: PID ");
    PstAddDecimal(&Line, ChildShared->Pid);
    PstAdd(&Line, ", parent ");
    PstAddDecimal(&Line, ChildShared->ParentPid);
    PstAdd(&Line, ", PEB ");
    PstAddHex(&Line, ChildShared->Peb);
    PstAdd(&Line, ", image ");
    PstAddHex(&Line, ChildShared->ImageBase);
    PstAdd(&Line, ", command line: ");
    if (Parameters != NULL)
        PstAddWide(&Line, Parameters->CommandLine.Buffer, Parameters->CommandLine.Length / sizeof(WCHAR));
    PstWriteLine(&Line);
    return 0;
}

static ULONG ChildWaitForever(void)
{
    HANDLE Event;
    NTSTATUS Status;

    Status = NtCreateEvent(&Event, EVENT_ALL_ACCESS, NULL, NotificationEvent, FALSE);
    if (!NT_SUCCESS(Status))
        return Status;
    InterlockedIncrement(&ChildShared->Ran);
    Status = NtWaitForSingleObject(Event, FALSE, NULL);
    return 0x0BAD0000 | (Status & 0xFFFF);     /* a wait with no timeout ended: wrong */
}

NTSYSAPI NTSTATUS NTAPI NtReadFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
                                   PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length,
                                   PLARGE_INTEGER ByteOffset, PULONG Key);

/* Blocks reading its standard input (the console, where nobody types in a test):
   a thread being terminated must leave that read, which waits in the kernel. */
static ULONG ChildReadConsole(void)
{
    NATIVE_PROCESS_PARAMETERS *Parameters = NativePeb()->ProcessParameters;
    IO_STATUS_BLOCK Iosb;
    char Buffer[16];
    NTSTATUS Status;

    InterlockedIncrement(&ChildShared->Ran);
    Status = NtReadFile(Parameters->StandardInput, NULL, NULL, NULL, &Iosb, Buffer, sizeof(Buffer), NULL, NULL);
    return 0x0BAD0000 | (Status & 0xFFFF);     /* it returned while nobody typed: wrong */
}

/* Recursion with a frame below a page each (no __chkstk without a C library), until
   the stack's guard pages run out. */
static volatile ULONG ChildDepthLimit = 0xFFFFFFFF;     /* never reached: the stack ends first */

static ULONG ChildRecurse(ULONG Depth)
{
    volatile UCHAR Frame[2048];

    if (Depth == ChildDepthLimit)
        return 0;

    Frame[0] = (UCHAR)Depth;
    Frame[sizeof(Frame) - 1] = (UCHAR)Depth;
    return ChildRecurse(Depth + 1) + Frame[0] + Frame[sizeof(Frame) - 1];
}

static ULONG ChildValid = 0x600DF00D;
static volatile ULONG ChildVectoredCalls, ChildVectoredCode, ChildVectoredAddress;

/* The access violation: a load through EAX = 0. The handler points EAX at valid
   memory and continues, so the load is redone and succeeds. */
static LONG NTAPI ChildVectoredHandler(PEXCEPTION_POINTERS Pointers)
{
    PEXCEPTION_RECORD Record = Pointers->ExceptionRecord;
    PCONTEXT Context = Pointers->ContextRecord;

    ChildVectoredCalls++;
    ChildVectoredCode = Record->ExceptionCode;
    ChildVectoredAddress = Record->NumberParameters >= 2 ? (ULONG)Record->ExceptionInformation[1] : 0xFFFFFFFF;
    if (Record->ExceptionCode == 0xC0000005UL && Context->Eax == 0) {
        Context->Eax = (ULONG)&ChildValid;
        return EXCEPTION_CONTINUE_EXECUTION;
    }
    return EXCEPTION_CONTINUE_SEARCH;
}

static ULONG ChildVectored(void)
{
    ULONG Value;

    if (RtlAddVectoredExceptionHandler(1, ChildVectoredHandler) == NULL)
        return 0x0BAD0001;
    __asm__ volatile("xorl %%eax, %%eax\n\tmovl (%%eax), %%ecx" : "=c"(Value) : : "eax", "memory");
    if (NT_SUCCESS(ChildMapShared())) {
        ChildShared->VectoredCalls = ChildVectoredCalls;
        ChildShared->VectoredCode = ChildVectoredCode;
        ChildShared->VectoredAddress = ChildVectoredAddress;
    }
    if (ChildVectoredCalls != 1)
        return 0x0BAD0002;
    if (ChildVectoredCode != 0xC0000005UL || ChildVectoredAddress != 0)
        return 0x0BAD0003;
    if (Value != ChildValid)
        return 0x0BAD0004;
    return 0;
}

NTSYSAPI NTSTATUS NTAPI NtQueueApcThread(HANDLE Thread, PVOID ApcRoutine, PVOID Argument1, PVOID Argument2,
                                         PVOID Argument3);
NTSYSAPI NTSTATUS NTAPI NtContinue(PCONTEXT Context, BOOLEAN TestAlert);

static VOID NTAPI ChildApcRoutine(PVOID Argument1, PVOID Argument2, PVOID Argument3)
{
    (void)Argument1;
    (void)Argument2;
    (void)Argument3;
}

/* A user APC queued, then NtContinue (TestAlert) onto a stack nothing is mapped at. */
static ULONG ChildApcBadStack(void)
{
    static CONTEXT Context;
    NTSTATUS Status;

    Status = NtQueueApcThread(NtCurrentThread(), (PVOID)ChildApcRoutine, NULL, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return 0x0BAD0030;
    Context.ContextFlags = CONTEXT_FULL;
    Status = NtGetContextThread(NtCurrentThread(), &Context);
    if (!NT_SUCCESS(Status))
        return 0x0BAD0031;
    Context.Esp = 0x10;                             /* the first page: never mapped */
    Status = NtContinue(&Context, TRUE);
    return 0x0BAD0032;                              /* NtContinue returned: wrong */
}

ULONG NTAPI ChildStart(PVOID Parameter)
{
    char Buffer[128], *Words[4];
    ULONG Count = PstSplitCommandLine(Buffer, sizeof(Buffer), Words, 4);
    const char *Mode = Count > 0 ? Words[0] : "";
    ULONG Argument = Count > 1 ? PstParseNumber(Words[1]) : 0;
    NTSTATUS Status;

    if (PstEqual(Mode, "exit"))
        return Argument;
    if (PstEqual(Mode, "report"))
        return ChildReport(Parameter);
    if (PstEqual(Mode, "flag") || PstEqual(Mode, "spin") || PstEqual(Mode, "wait") || PstEqual(Mode, "count") ||
        PstEqual(Mode, "read")) {
        Status = ChildMapShared();
        if (!NT_SUCCESS(Status))
            return Status;
        if (PstEqual(Mode, "wait"))
            return ChildWaitForever();
        if (PstEqual(Mode, "read"))
            return ChildReadConsole();
        if (PstEqual(Mode, "count"))
            for (;;)
                InterlockedIncrement(&ChildShared->Ran);
        InterlockedIncrement(&ChildShared->Ran);
        if (PstEqual(Mode, "flag"))
            return 0;
        for (;;)
            __asm__ volatile("" ::: "memory");
    }
    if (PstEqual(Mode, "selfterm")) {
        NtTerminateProcess(NtCurrentProcess(), (NTSTATUS)Argument);
        return 0x0BAD0010;                      /* it returned: wrong */
    }
    if (PstEqual(Mode, "termothers")) {
        Status = NtTerminateProcess(NULL, (NTSTATUS)Argument);
        return NT_SUCCESS(Status) ? Argument : (ULONG)Status;
    }
    if (PstEqual(Mode, "termthread"))
        return (ULONG)NtTerminateThread(NULL, 0x0BAD0011);
    if (PstEqual(Mode, "setevent"))
        return (ULONG)NtSetEvent((HANDLE)(ULONG_PTR)Argument, NULL);
    if (PstEqual(Mode, "av"))
        *(volatile ULONG *)0 = 1;
    else if (PstEqual(Mode, "div"))
        __asm__ volatile("xorl %%ecx, %%ecx\n\tdivl %%ecx" : : : "eax", "ecx", "edx");
    else if (PstEqual(Mode, "ud2"))
        __asm__ volatile("ud2");
    else if (PstEqual(Mode, "hlt"))
        __asm__ volatile("hlt");
    else if (PstEqual(Mode, "cli"))
        __asm__ volatile("cli");
    else if (PstEqual(Mode, "int3"))
        __asm__ volatile("int3");
    else if (PstEqual(Mode, "stackoverflow"))
        return ChildRecurse(0);
    else if (PstEqual(Mode, "vectored"))
        return ChildVectored();
    else if (PstEqual(Mode, "apcbadstack"))
        return ChildApcBadStack();
    else
        return 0x0BAD00FF;                      /* an unknown mode */
    return 0x0BAD0020;                          /* a fault that did not end the process */
}
