/*
 * rtlexec.c - ntdll's process and thread creation and the SEH unwind from ring 3
 * (issue 9), linked with MinGW's own libntdll.a:
 *
 *   process-*  RtlCreateUserProcess starts this same program as a child with
 *              parameters and an environment of the parent's making; the child
 *              ("rtlexec.exe child check") checks what it sees and ends with a code
 *              saying so; the parent resumes it, waits and checks that code; a
 *              missing image and a file that is no image are refused;
 *   thread-*   RtlCreateUserThread in this process (explicit and default stack
 *              sizes, suspended then freed with RtlFreeUserThreadStack) and in a
 *              child; exit codes through ThreadBasicInformation;
 *   unwind-*   RtlUnwind over hand-made SEH frames (EXCEPTION_REGISTRATION_RECORDs
 *              pushed on fs:[0], as a compiler's __try does): handlers called in
 *              order with the unwinding flags, the target's registers and return
 *              value, a bad target raising STATUS_INVALID_UNWIND_TARGET, and in
 *              children a record off the stack (STATUS_BAD_STACK) and an exit
 *              unwind (EXCEPTION_EXIT_UNWIND).
 *
 * Prints "PASS name" or "FAIL name (value)" per check with DbgPrint, then
 * "rtlexec: N failed"; the exit status is the number of failures.
 *
 * A thread started by RtlCreateUserThread, and so a process started by
 * RtlCreateUserProcess, begins in ntdll's RtlUserThreadStart (NT 6): a routine
 * that returns ends its thread with what it returns (thread-returns), and an
 * entry point that returns ends its process.
 */
#include "pstest.h"

PST_DEFINE_MEMORY_ROUTINES

NTSYSAPI ULONG __cdecl DbgPrint(PCSTR Format, ...);
NTSYSAPI NTSTATUS NTAPI RtlCreateEnvironment(BOOLEAN Clone, PVOID *Environment);
NTSYSAPI NTSTATUS NTAPI RtlDestroyEnvironment(PVOID Environment);
NTSYSAPI NTSTATUS NTAPI RtlSetEnvironmentVariable(PVOID *Environment, PUNICODE_STRING Name, PUNICODE_STRING Value);
NTSYSAPI NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(PVOID Environment, PUNICODE_STRING Name,
                                                      PUNICODE_STRING Value);
NTSYSAPI NTSTATUS NTAPI RtlCreateProcessParameters(NATIVE_PROCESS_PARAMETERS **Parameters, PUNICODE_STRING Image,
                                                   PUNICODE_STRING DllPath, PUNICODE_STRING CurrentDirectory,
                                                   PUNICODE_STRING CommandLine, PVOID Environment,
                                                   PUNICODE_STRING WindowTitle, PUNICODE_STRING DesktopInfo,
                                                   PUNICODE_STRING ShellInfo, PUNICODE_STRING RuntimeData);
NTSYSAPI NTSTATUS NTAPI RtlDestroyProcessParameters(NATIVE_PROCESS_PARAMETERS *Parameters);
NTSYSAPI NTSTATUS NTAPI NtFreeVirtualMemory(HANDLE Process, PVOID *Base, PSIZE_T Size, ULONG FreeType);
NTSYSAPI NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE Process, PVOID Address, ULONG Class, PVOID Buffer,
                                             SIZE_T Length, PSIZE_T ReturnLength);

/* NT's, which MinGW's headers do not declare. */
typedef NTSTATUS (NTAPI *PUSER_THREAD_START_ROUTINE)(PVOID Parameter);

typedef struct _RTL_USER_PROCESS_INFORMATION {
    ULONG Length;
    HANDLE Process;
    HANDLE Thread;
    NATIVE_CLIENT_ID ClientId;
    NATIVE_SECTION_IMAGE_INFORMATION ImageInformation;
} RTL_USER_PROCESS_INFORMATION;
_Static_assert(sizeof(RTL_USER_PROCESS_INFORMATION) == 0x44, "RTL_USER_PROCESS_INFORMATION");

NTSYSAPI NTSTATUS NTAPI RtlCreateUserProcess(PUNICODE_STRING NtImagePathName, ULONG Attributes,
    NATIVE_PROCESS_PARAMETERS *ProcessParameters, PVOID ProcessSecurityDescriptor,
    PVOID ThreadSecurityDescriptor, HANDLE ParentProcess, BOOLEAN InheritHandles, HANDLE DebugPort,
    HANDLE ExceptionPort, RTL_USER_PROCESS_INFORMATION *ProcessInformation);
NTSYSAPI NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PVOID ThreadSecurityDescriptor,
    BOOLEAN CreateSuspended, ULONG_PTR StackZeroBits, SIZE_T StackReserve, SIZE_T StackCommit,
    PUSER_THREAD_START_ROUTINE StartAddress, PVOID Parameter, PHANDLE Thread, NATIVE_CLIENT_ID *ClientId);
NTSYSAPI NTSTATUS NTAPI RtlFreeUserThreadStack(HANDLE Process, HANDLE Thread);
NTSYSAPI VOID NTAPI RtlRaiseException(PEXCEPTION_RECORD Record);

#define STATUS_OBJECT_NAME_NOT_FOUND_NT ((NTSTATUS)0xC0000034L)
#define STATUS_INVALID_IMAGE_NOT_MZ_NT  ((NTSTATUS)0xC000012FL)
#define STATUS_UNWIND_NT                ((NTSTATUS)0xC0000027L)
#define STATUS_BAD_STACK_NT             ((NTSTATUS)0xC0000028L)
#define STATUS_INVALID_UNWIND_TARGET_NT ((NTSTATUS)0xC0000029L)
#define STATUS_IO_TIMEOUT_NT            ((NTSTATUS)0xC00000B5L)
#define STATUS_INVALID_PARAMETER_NT     ((NTSTATUS)0xC000000DL)

#define EXCEPTION_UNWINDING_NT   0x02
#define EXCEPTION_EXIT_UNWIND_NT 0x04
#define EXCEPTION_UNWIND_NT      (EXCEPTION_UNWINDING_NT | EXCEPTION_EXIT_UNWIND_NT)
#define EXCEPTION_CHAIN_END_NT   ((PVOID)(LONG_PTR)-1)

#define RX_IMAGE_NT      L"\\??\\C:\\Tests\\rtlexec.exe"
#define RX_IMAGE_DOS     L"C:\\Tests\\rtlexec.exe"
#define RX_CHILD_OK      0x00C0FFEE      /* "child check": everything seen was right */
#define RX_EXIT_UNWOUND  0x0000E417      /* "child exitunwind": the handler saw EXIT_UNWIND */
#define RX_THREAD_BASE   0x00005150

static ULONG Failures;

static void Check(const char *Name, BOOL Passed, ULONG Value)
{
    if (Passed) {
        DbgPrint("PASS %s\r\n", Name);
    } else {
        DbgPrint("FAIL %s (%08lX)\r\n", Name, Value);
        Failures++;
    }
}

static BOOL SameString(const UNICODE_STRING *String, PCWSTR Text)
{
    ULONG Index, Count = String->Length / sizeof(WCHAR);

    for (Index = 0; Index < Count; Index++) {
        if (Text[Index] != String->Buffer[Index])
            return FALSE;
    }
    return Text[Count] == 0;
}

/* Waits (10 s at most) for a process or thread; its exit status, or why not. */
static NTSTATUS WaitExit(HANDLE Handle, BOOL IsThread, NTSTATUS *ExitStatus)
{
    NATIVE_THREAD_BASIC_INFORMATION ThreadBasic;
    PROCESS_BASIC_INFORMATION Basic;
    LARGE_INTEGER Timeout;
    NTSTATUS Status;

    Timeout.QuadPart = -10000LL * 10000;
    Status = NtWaitForSingleObject(Handle, FALSE, &Timeout);
    if (Status != STATUS_SUCCESS)
        return Status == STATUS_TIMEOUT ? STATUS_IO_TIMEOUT_NT : Status;
    if (IsThread) {
        Status = NtQueryInformationThread(Handle, (THREADINFOCLASS)0 /* ThreadBasicInformation */, &ThreadBasic,
                                          sizeof(ThreadBasic), NULL);
        *ExitStatus = ThreadBasic.ExitStatus;
    } else {
        Status = NtQueryInformationProcess(Handle, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
        *ExitStatus = Basic.ExitStatus;
    }
    return Status;
}

/* ---- hand-made SEH frames ---- */

/* A jump buffer: the registers a C function keeps, and where to go. */
typedef struct _RX_JUMP {
    ULONG Ebx, Esi, Edi, Ebp, Esp, Eip;
} RX_JUMP;

/* An EXCEPTION_REGISTRATION_RECORD (first: fs:[0] points here) and what the
   tests keep with it. */
typedef struct _RX_FRAME {
    PVOID Next;
    PVOID Handler;
    ULONG Id;
    RX_JUMP Jump;                   /* where the catching handler resumes */
    NTSTATUS Caught;                /* the code it caught */
    NTSTATUS Nested;                /* the code of the record it was raised for */
    ULONG UnwindResult;             /* EAX where the unwind resumed */
    PVOID ListAfterUnwind;          /* fs:[0] there */
} RX_FRAME;

int __attribute__((returns_twice)) RxSetJump(RX_JUMP *Jump);
void __attribute__((noreturn)) RxLongJump(RX_JUMP *Jump, int Value);
/* RtlUnwind(Frame, Record, Value) from a caller whose EBX, ESI and EDI hold known
   values: returns EAX where it went on, or -2 if those registers were lost.
   ...ToLabel passes TargetIp = a label past "mov eax, -1"; ...Return passes NULL. */
ULONG RxUnwindToLabel(PVOID Frame, PEXCEPTION_RECORD Record, ULONG Value);
ULONG RxUnwindReturn(PVOID Frame, PEXCEPTION_RECORD Record, ULONG Value);

__asm__(
    ".text\n"
    ".globl _RxSetJump\n"
    "_RxSetJump:\n"
    "    movl 4(%esp), %eax\n"
    "    movl %ebx, 0(%eax)\n"
    "    movl %esi, 4(%eax)\n"
    "    movl %edi, 8(%eax)\n"
    "    movl %ebp, 12(%eax)\n"
    "    leal 4(%esp), %ecx\n"
    "    movl %ecx, 16(%eax)\n"
    "    movl (%esp), %ecx\n"
    "    movl %ecx, 20(%eax)\n"
    "    xorl %eax, %eax\n"
    "    ret\n"
    ".globl _RxLongJump\n"
    "_RxLongJump:\n"
    "    movl 4(%esp), %edx\n"
    "    movl 8(%esp), %eax\n"
    "    movl 0(%edx), %ebx\n"
    "    movl 4(%edx), %esi\n"
    "    movl 8(%edx), %edi\n"
    "    movl 12(%edx), %ebp\n"
    "    movl 16(%edx), %esp\n"
    "    jmp *20(%edx)\n"
    /* The unwind helpers: a frame, known EBX/ESI/EDI, RtlUnwind's four
       arguments; then the same registers checked where it went on. */
    ".globl _RxUnwindToLabel\n"
    "_RxUnwindToLabel:\n"
    "    pushl %ebp\n"
    "    movl %esp, %ebp\n"
    "    pushl %ebx\n"
    "    pushl %esi\n"
    "    pushl %edi\n"
    "    movl $0x11111111, %ebx\n"
    "    movl $0x22222222, %esi\n"
    "    movl $0x33333333, %edi\n"
    "    pushl 16(%ebp)\n"         /* ReturnValue */
    "    pushl 12(%ebp)\n"         /* ExceptionRecord */
    "    pushl $1f\n"              /* TargetIp: past the next instruction */
    "    pushl 8(%ebp)\n"          /* TargetFrame */
    "    call _RtlUnwind@16\n"
    "    movl $-1, %eax\n"         /* only if TargetIp was not honoured */
    "1:  jmp 2f\n"
    ".globl _RxUnwindReturn\n"
    "_RxUnwindReturn:\n"
    "    pushl %ebp\n"
    "    movl %esp, %ebp\n"
    "    pushl %ebx\n"
    "    pushl %esi\n"
    "    pushl %edi\n"
    "    movl $0x11111111, %ebx\n"
    "    movl $0x22222222, %esi\n"
    "    movl $0x33333333, %edi\n"
    "    pushl 16(%ebp)\n"
    "    pushl 12(%ebp)\n"
    "    pushl $0\n"
    "    pushl 8(%ebp)\n"
    "    call _RtlUnwind@16\n"
    "2:  cmpl $0x11111111, %ebx\n"
    "    jne 3f\n"
    "    cmpl $0x22222222, %esi\n"
    "    jne 3f\n"
    "    cmpl $0x33333333, %edi\n"
    "    je 4f\n"
    "3:  movl $-2, %eax\n"
    "4:  popl %edi\n"
    "    popl %esi\n"
    "    popl %ebx\n"
    "    popl %ebp\n"
    "    ret\n");

static void PushFrame(RX_FRAME *Frame, PVOID Handler, ULONG Id)
{
    Frame->Next = (PVOID)__readfsdword(0);
    Frame->Handler = Handler;
    Frame->Id = Id;
    Frame->Caught = Frame->Nested = 0;
    Frame->UnwindResult = 0;
    Frame->ListAfterUnwind = NULL;
    __writefsdword(0, (ULONG)(ULONG_PTR)Frame);
}

static void PopFrame(RX_FRAME *Frame)
{
    __writefsdword(0, (ULONG)(ULONG_PTR)Frame->Next);
}

/* Every handler call, in order: Id << 8 | the unwind flags. */
static ULONG Log[16], LogCount;
static NTSTATUS LastUnwindCode;

static void LogCall(ULONG Id, ULONG Flags)
{
    if (LogCount < 16)
        Log[LogCount++] = Id << 8 | (Flags & EXCEPTION_UNWIND_NT);
}

/* A frame with cleanup only: logs, never handles. */
static EXCEPTION_DISPOSITION __cdecl PassHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                                 PVOID Dispatcher)
{
    (void)Context;
    (void)Dispatcher;
    LogCall(((RX_FRAME *)Frame)->Id, Record->ExceptionFlags);
    if (Record->ExceptionFlags & EXCEPTION_UNWIND_NT)
        LastUnwindCode = Record->ExceptionCode;
    return ExceptionContinueSearch;
}

/* A __try/__except that takes everything: unwind to its frame, resume there. */
static EXCEPTION_DISPOSITION __cdecl CatchHandler(PEXCEPTION_RECORD Record, PVOID Establisher, PCONTEXT Context,
                                                  PVOID Dispatcher)
{
    RX_FRAME *Frame = Establisher;

    (void)Context;
    (void)Dispatcher;
    LogCall(Frame->Id, Record->ExceptionFlags);
    if (Record->ExceptionFlags & EXCEPTION_UNWIND_NT)
        return ExceptionContinueSearch;         /* (an unwind past it: not here) */
    Frame->Caught = Record->ExceptionCode;
    Frame->Nested = Record->ExceptionRecord != NULL ? Record->ExceptionRecord->ExceptionCode : 0;
    Frame->UnwindResult = RxUnwindToLabel(Frame, Record, 0x600D);
    Frame->ListAfterUnwind = (PVOID)__readfsdword(0);
    RxLongJump(&Frame->Jump, 1);
}

/* Depth + 1 nested cleanup frames (ids 10 + Depth ... 10), then a raise. */
static void __attribute__((noinline)) RaiseInside(ULONG Depth)
{
    EXCEPTION_RECORD Record;
    RX_FRAME Frame;

    PushFrame(&Frame, PassHandler, 10 + Depth);
    if (Depth > 0) {
        RaiseInside(Depth - 1);
    } else {
        memset(&Record, 0, sizeof(Record));
        Record.ExceptionCode = 0xE0001234;
        RtlRaiseException(&Record);
    }
    PopFrame(&Frame);
}

static void TestUnwindOrder(void)
{
    RX_FRAME Outer;
    BOOL Order;

    LogCount = 0;
    PushFrame(&Outer, CatchHandler, 1);
    if (RxSetJump(&Outer.Jump) == 0)
        RaiseInside(1);
    PopFrame(&Outer);
    /* The dispatch: 10, 11, the catcher; the unwind: 10, 11 with UNWINDING, never
       the target itself. */
    Order = LogCount == 5 && Log[0] == (10 << 8) && Log[1] == (11 << 8) && Log[2] == (1 << 8) &&
            Log[3] == (10 << 8 | EXCEPTION_UNWINDING_NT) && Log[4] == (11 << 8 | EXCEPTION_UNWINDING_NT);
    Check("unwind-order", Order, LogCount > 3 ? Log[3] : LogCount);
    Check("unwind-caught", Outer.Caught == (NTSTATUS)0xE0001234, Outer.Caught);
    Check("unwind-target-ip", Outer.UnwindResult == 0x600D, Outer.UnwindResult);
    Check("unwind-chain", Outer.ListAfterUnwind == &Outer, (ULONG)Outer.ListAfterUnwind);
}

/* No exception: RtlUnwind(frame, NULL, NULL, value) runs the cleanups in between
   (STATUS_UNWIND is their code) and returns to its caller with EAX = value. The
   inner record is a deeper function's, as a chain's records always are (NT's
   checks rely on the order: outer records at higher addresses). */
static ULONG __attribute__((noinline)) UnwindFromInside(RX_FRAME *Target)
{
    RX_FRAME Inner;

    PushFrame(&Inner, PassHandler, 2);
    return RxUnwindReturn(Target, NULL, 0x1234);    /* (Inner is unlinked by then) */
}

static void TestUnwindReturn(void)
{
    RX_FRAME Target;
    ULONG Result;

    LogCount = 0;
    LastUnwindCode = 0;
    PushFrame(&Target, CatchHandler, 1);
    Result = UnwindFromInside(&Target);
    Check("unwind-return", Result == 0x1234, Result);
    Check("unwind-return-chain", (PVOID)__readfsdword(0) == &Target && LogCount == 1 &&
                                     Log[0] == (2 << 8 | EXCEPTION_UNWINDING_NT) && LastUnwindCode == STATUS_UNWIND_NT,
          LogCount == 1 ? (ULONG)LastUnwindCode : LogCount);
    PopFrame(&Target);
}

/* A target below the top record cannot be in the chain: raised, and the record
   it was raised for is the unwind's. */
static void __attribute__((noinline)) UnwindToBogus(void)
{
    RX_FRAME Bogus;             /* deeper than every linked record, never linked */

    RxUnwindReturn(&Bogus, NULL, 0);
}

static void TestUnwindBadTarget(void)
{
    RX_FRAME Outer;

    LogCount = 0;
    PushFrame(&Outer, CatchHandler, 1);
    if (RxSetJump(&Outer.Jump) == 0)
        UnwindToBogus();
    PopFrame(&Outer);
    Check("unwind-bad-target", Outer.Caught == STATUS_INVALID_UNWIND_TARGET_NT && Outer.Nested == STATUS_UNWIND_NT,
          Outer.Caught);
}

/* ---- the child's side ---- */

/* "child check": what RtlCreateUserProcess gave it. */
static ULONG ChildCheck(PVOID EntryParameter)
{
    NATIVE_PROCESS_PARAMETERS *Parameters = NativePeb()->ProcessParameters;
    UNICODE_STRING Name, Value;
    WCHAR Buffer[32];
    ULONG Bad = 0;

    if (EntryParameter != NativePeb())
        Bad |= 0x01;
    if (Parameters == NULL)
        return 0xBAD00000;
    if (!(Parameters->Flags & RTL_USER_PROC_PARAMS_NORMALIZED))
        Bad |= 0x02;
    if (!SameString(&Parameters->CommandLine, RX_IMAGE_DOS L" child check"))
        Bad |= 0x04;
    if (!SameString(&Parameters->CurrentDirectoryPath, L"C:\\Windows\\"))
        Bad |= 0x08;
    if (!SameString(&Parameters->ImagePathName, RX_IMAGE_DOS))
        Bad |= 0x10;
    RtlInitUnicodeString(&Name, L"RTLEXEC");
    Value.Buffer = Buffer;
    Value.Length = 0;
    Value.MaximumLength = sizeof(Buffer);
    if (!NT_SUCCESS(RtlQueryEnvironmentVariable_U(NULL, &Name, &Value)) || !SameString(&Value, L"from-parent"))
        Bad |= 0x20;
    /* The stack RtlCreateUserThread made: committed below its base, with the
       reservation recorded in the TEB. */
    if (__readfsdword(0x08) >= __readfsdword(0x04) || __readfsdword(0xE0C) == 0 ||
        __readfsdword(0xE0C) >= __readfsdword(0x08))
        Bad |= 0x40;
    return Bad != 0 ? 0xBAD00000 | Bad : RX_CHILD_OK;
}

/* "child badstack": a record off the stack in the chain; RtlUnwind raises
   STATUS_BAD_STACK, which nothing can handle (dispatch stops at the same record). */
static RX_FRAME OffStack;

static ULONG ChildBadStack(void)
{
    PushFrame(&OffStack, PassHandler, 1);
    RxUnwindReturn(EXCEPTION_CHAIN_END_NT, NULL, 0);
    return 1;
}

/* "child exitunwind": RtlUnwind(NULL...) calls the handler with EXIT_UNWIND. */
static EXCEPTION_DISPOSITION __cdecl ExitUnwindHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                                       PVOID Dispatcher)
{
    (void)Frame;
    (void)Context;
    (void)Dispatcher;
    if ((Record->ExceptionFlags & EXCEPTION_UNWIND_NT) == EXCEPTION_UNWIND_NT)
        NtTerminateProcess(NtCurrentProcess(), RX_EXIT_UNWOUND);
    return ExceptionContinueSearch;
}

static ULONG ChildExitUnwind(void)
{
    RX_FRAME Frame;

    PushFrame(&Frame, ExitUnwindHandler, 1);
    RxUnwindReturn(NULL, NULL, 0);
    return 2;
}

/* A thread of RtlCreateUserThread's, in this process or a child: ends with its
   parameter + 1, and notes its stack for the parent (in its own process). */
static volatile ULONG SeenBase, SeenLimit, SeenReservation, SeenLocal;

static NTSTATUS NTAPI ThreadRoutine(PVOID Parameter)
{
    volatile ULONG Local = 0;

    SeenBase = __readfsdword(0x04);
    SeenLimit = __readfsdword(0x08);
    SeenReservation = __readfsdword(0xE0C);
    SeenLocal = (ULONG)(ULONG_PTR)&Local;
    RtlExitUserThread((NTSTATUS)((ULONG_PTR)Parameter + 1));
    return 0;
}

/* The same, ended by returning: RtlUserThreadStart makes the result the exit status. */
static NTSTATUS NTAPI ReturningRoutine(PVOID Parameter)
{
    return (NTSTATUS)((ULONG_PTR)Parameter + 1);
}

/* ---- the parent's side ---- */

/* Starts "rtlexec.exe child MODE" with RtlCreateUserProcess (suspended). */
static NTSTATUS StartChild(PCWSTR CommandLine, RTL_USER_PROCESS_INFORMATION *Info)
{
    UNICODE_STRING Image, DosImage, Command, Directory, Name, Value;
    NATIVE_PROCESS_PARAMETERS *Parameters;
    PVOID Environment = NULL;
    NTSTATUS Status;

    RtlInitUnicodeString(&Image, RX_IMAGE_NT);
    RtlInitUnicodeString(&DosImage, RX_IMAGE_DOS);
    RtlInitUnicodeString(&Command, CommandLine);
    RtlInitUnicodeString(&Directory, L"C:\\Windows");
    RtlInitUnicodeString(&Name, L"RTLEXEC");
    RtlInitUnicodeString(&Value, L"from-parent");
    Status = RtlCreateEnvironment(FALSE, &Environment);
    if (NT_SUCCESS(Status))
        Status = RtlSetEnvironmentVariable(&Environment, &Name, &Value);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = RtlCreateProcessParameters(&Parameters, &DosImage, NULL, &Directory, &Command, Environment, NULL,
                                        NULL, NULL, NULL);
    if (NT_SUCCESS(Status)) {
        Status = RtlCreateUserProcess(&Image, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL, NULL, FALSE, NULL,
                                      NULL, Info);
        RtlDestroyProcessParameters(Parameters);
    }
    RtlDestroyEnvironment(Environment);
    return Status;
}

/* Runs a child to its end: its exit status, or why not. */
static NTSTATUS RunChild(PCWSTR CommandLine, NTSTATUS *ExitStatus)
{
    RTL_USER_PROCESS_INFORMATION Info;
    NTSTATUS Status;

    Status = StartChild(CommandLine, &Info);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtResumeThread(Info.Thread, NULL);
    if (NT_SUCCESS(Status))
        Status = WaitExit(Info.Process, FALSE, ExitStatus);
    if (!NT_SUCCESS(Status))
        NtTerminateProcess(Info.Process, 1);
    NtClose(Info.Thread);
    NtClose(Info.Process);
    return Status;
}

static void TestProcess(void)
{
    PROCESS_BASIC_INFORMATION Basic;
    RTL_USER_PROCESS_INFORMATION Info;
    LARGE_INTEGER Zero;
    NTSTATUS Status, ExitStatus = 0;
    BOOL Suspended;

    Status = StartChild(RX_IMAGE_DOS L" child check", &Info);
    Check("process-create", NT_SUCCESS(Status), Status);
    if (!NT_SUCCESS(Status))
        return;
    Status = NtQueryInformationProcess(Info.Process, ProcessBasicInformation, &Basic, sizeof(Basic), NULL);
    Check("process-information", NT_SUCCESS(Status) && Info.Length == sizeof(Info) &&
                                     Basic.UniqueProcessId == (ULONG_PTR)Info.ClientId.UniqueProcess &&
                                     Info.ClientId.UniqueThread != NULL &&
                                     Info.ImageInformation.TransferAddress != NULL,
          Status);
    /* NT's RtlCreateUserProcess leaves the thread suspended. */
    Zero.QuadPart = 0;
    Suspended = NtWaitForSingleObject(Info.Process, FALSE, &Zero) == STATUS_TIMEOUT;
    Status = NtResumeThread(Info.Thread, NULL);
    Check("process-suspended", Suspended && NT_SUCCESS(Status), Status);
    Status = WaitExit(Info.Process, FALSE, &ExitStatus);
    if (!NT_SUCCESS(Status))
        NtTerminateProcess(Info.Process, 1);
    Check("process-parameters", NT_SUCCESS(Status) && ExitStatus == RX_CHILD_OK,
          NT_SUCCESS(Status) ? (ULONG)ExitStatus : (ULONG)Status);
    NtClose(Info.Thread);
    NtClose(Info.Process);
}

static void TestProcessBadImages(void)
{
    RTL_USER_PROCESS_INFORMATION Info;
    NATIVE_PROCESS_PARAMETERS *Parameters;
    UNICODE_STRING Image;
    NTSTATUS Status;

    RtlInitUnicodeString(&Image, L"C:\\Tests\\nosuch.exe");
    Status = RtlCreateProcessParameters(&Parameters, &Image, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
    if (!NT_SUCCESS(Status)) {
        Check("process-parameters-for-bad-images", FALSE, Status);
        return;
    }
    RtlInitUnicodeString(&Image, L"\\??\\C:\\Tests\\nosuch.exe");
    Status = RtlCreateUserProcess(&Image, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL, NULL, FALSE, NULL, NULL,
                                  &Info);
    Check("process-missing-image", Status == STATUS_OBJECT_NAME_NOT_FOUND_NT && Info.Process == NULL, Status);
    RtlInitUnicodeString(&Image, L"\\??\\C:\\Windows\\System32\\readme.txt");
    Status = RtlCreateUserProcess(&Image, OBJ_CASE_INSENSITIVE, Parameters, NULL, NULL, NULL, FALSE, NULL, NULL,
                                  &Info);
    Check("process-not-an-image", Status == STATUS_INVALID_IMAGE_NOT_MZ_NT && Info.Process == NULL, Status);
    RtlDestroyProcessParameters(Parameters);
}

/* In this process: the stack sizes asked for, the parameter, the exit code. */
static void TestThreadLocal(void)
{
    NATIVE_CLIENT_ID Cid;
    HANDLE Thread;
    NTSTATUS Status, ExitStatus = 0;

    SeenBase = SeenLimit = SeenReservation = SeenLocal = 0;
    Status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0x20000, 0x3000, ThreadRoutine,
                                 (PVOID)RX_THREAD_BASE, &Thread, &Cid);
    Check("thread-create", NT_SUCCESS(Status) && Cid.UniqueThread != NULL &&
                               Cid.UniqueProcess == (HANDLE)(ULONG_PTR)__readfsdword(0x20),
          Status);
    if (!NT_SUCCESS(Status))
        return;
    Status = WaitExit(Thread, TRUE, &ExitStatus);
    NtClose(Thread);
    Check("thread-exit-code", NT_SUCCESS(Status) && ExitStatus == RX_THREAD_BASE + 1,
          NT_SUCCESS(Status) ? (ULONG)ExitStatus : (ULONG)Status);
    /* 128 KB reserved, 12 KB committed under the base, a guard page below. */
    Check("thread-stack", SeenBase - SeenReservation == 0x20000 && SeenBase - SeenLimit == 0x3000 &&
                              SeenLocal < SeenBase && SeenLocal >= SeenLimit,
          SeenBase - SeenLimit);
}

/* Sizes of 0: this image's (MinGW: 2 MB reserved, 4 KB committed). */
static void TestThreadDefaults(void)
{
    HANDLE Thread;
    NTSTATUS Status, ExitStatus = 0;

    SeenBase = SeenLimit = SeenReservation = 0;
    Status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, ThreadRoutine, (PVOID)7, &Thread, NULL);
    if (NT_SUCCESS(Status)) {
        Status = WaitExit(Thread, TRUE, &ExitStatus);
        NtClose(Thread);
    }
    Check("thread-default-stack", NT_SUCCESS(Status) && ExitStatus == 8 &&
                                      SeenBase - SeenReservation == 0x200000 && SeenBase - SeenLimit == 0x1000,
          SeenBase - SeenReservation);

    Status = RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0, 0, ReturningRoutine, (PVOID)0x30, &Thread,
                                 NULL);
    if (NT_SUCCESS(Status)) {
        Status = WaitExit(Thread, TRUE, &ExitStatus);
        NtClose(Thread);
    }
    Check("thread-returns", NT_SUCCESS(Status) && ExitStatus == 0x31, ExitStatus);
}

/* Made suspended, its stack freed, then ended before it ever ran. */
static void TestThreadFreeStack(void)
{
    MEMORY_BASIC_INFORMATION Memory;
    NATIVE_THREAD_BASIC_INFORMATION Basic;
    HANDLE Thread;
    PVOID Stack = NULL;
    NTSTATUS Status, ExitStatus = 0;

    Status = RtlCreateUserThread(NtCurrentProcess(), NULL, TRUE, 0, 0x10000, 0x1000, ThreadRoutine, NULL, &Thread,
                                 NULL);
    if (!NT_SUCCESS(Status)) {
        Check("thread-free-stack", FALSE, Status);
        return;
    }
    Status = NtQueryInformationThread(Thread, (THREADINFOCLASS)0, &Basic, sizeof(Basic), NULL);
    if (NT_SUCCESS(Status))
        Stack = *(PVOID *)((PUCHAR)Basic.TebBaseAddress + 0xE0C);      /* TEB.DeallocationStack */
    if (NT_SUCCESS(Status))
        Status = RtlFreeUserThreadStack(NtCurrentProcess(), Thread);
    if (NT_SUCCESS(Status))
        Status = NtQueryVirtualMemory(NtCurrentProcess(), Stack, 0 /* MemoryBasicInformation */, &Memory,
                                      sizeof(Memory), NULL);
    Check("thread-free-stack", NT_SUCCESS(Status) && Stack != NULL && Memory.State == MEM_FREE &&
                                   *(PVOID *)((PUCHAR)Basic.TebBaseAddress + 0xE0C) == NULL,
          NT_SUCCESS(Status) ? Memory.State : (ULONG)Status);
    NtTerminateThread(Thread, 0x77);
    Status = WaitExit(Thread, TRUE, &ExitStatus);
    Check("thread-terminated-suspended", NT_SUCCESS(Status) && ExitStatus == 0x77, ExitStatus);
    NtClose(Thread);
}

/* In a child whose own first thread never runs: this one is its first. */
static void TestThreadRemote(void)
{
    RTL_USER_PROCESS_INFORMATION Info;
    HANDLE Thread;
    NTSTATUS Status, ExitStatus = 0;

    Status = StartChild(RX_IMAGE_DOS L" child idle", &Info);
    if (!NT_SUCCESS(Status)) {
        Check("thread-remote", FALSE, Status);
        return;
    }
    /* The same image at the same base: ThreadRoutine's address is the child's too. */
    Status = RtlCreateUserThread(Info.Process, NULL, FALSE, 0, 0, 0, ThreadRoutine, (PVOID)0x41, &Thread, NULL);
    if (NT_SUCCESS(Status)) {
        Status = WaitExit(Thread, TRUE, &ExitStatus);
        NtClose(Thread);
    }
    Check("thread-remote", NT_SUCCESS(Status) && ExitStatus == 0x42,
          NT_SUCCESS(Status) ? (ULONG)ExitStatus : (ULONG)Status);
    NtTerminateProcess(Info.Process, 0);
    Status = WaitExit(Info.Process, FALSE, &ExitStatus);
    NtClose(Info.Thread);
    NtClose(Info.Process);
}

static void TestThreadBadInputs(void)
{
    HANDLE Thread = NULL;
    NTSTATUS Status;

    Status = RtlCreateUserThread((HANDLE)(ULONG_PTR)0x7FFC, NULL, FALSE, 0, 0, 0, ThreadRoutine, NULL, &Thread,
                                 NULL);
    Check("thread-bad-process", Status == (NTSTATUS)0xC0000008L && Thread == NULL, Status);
}

/* Sizes whose rounding would pass 4 GB: refused, not wrapped to a stack of nothing. */
static void TestThreadHugeStack(void)
{
    static const struct {
        SIZE_T Reserve, Commit;
    } Cases[] = {
        { 0x10000, 0xFFFFF001 },        /* the commit rounded to pages */
        { 0, 0xFFF00001 },              /* the reservation made from it, rounded to 1 MB */
        { 0xFFFF8000, 0x1000 },         /* the reservation rounded to 64 KB */
    };
    HANDLE Thread;
    NTSTATUS Status;
    ULONG Index;

    for (Index = 0; Index < sizeof(Cases) / sizeof(Cases[0]); Index++) {
        Thread = NULL;
        Status = RtlCreateUserThread(NtCurrentProcess(), NULL, TRUE, 0, Cases[Index].Reserve, Cases[Index].Commit,
                                     ThreadRoutine, NULL, &Thread, NULL);
        if (Thread != NULL) {
            NtTerminateThread(Thread, 0);
            NtClose(Thread);
        }
        if (Status != STATUS_INVALID_PARAMETER_NT) {
            Check("thread-huge-stack", FALSE, Index << 28 | ((ULONG)Status & 0x0FFFFFFF));
            return;
        }
    }
    Check("thread-huge-stack", TRUE, 0);
}

static void TestUnwindChildren(void)
{
    NTSTATUS Status, ExitStatus = 0;

    Status = RunChild(RX_IMAGE_DOS L" child badstack", &ExitStatus);
    Check("unwind-bad-stack", NT_SUCCESS(Status) && ExitStatus == STATUS_BAD_STACK_NT,
          NT_SUCCESS(Status) ? (ULONG)ExitStatus : (ULONG)Status);
    Status = RunChild(RX_IMAGE_DOS L" child exitunwind", &ExitStatus);
    Check("unwind-exit", NT_SUCCESS(Status) && ExitStatus == RX_EXIT_UNWOUND,
          NT_SUCCESS(Status) ? (ULONG)ExitStatus : (ULONG)Status);
}

/* ---- benchmarks (tests/bench/rtlexec.c runs "rtlexec.exe bench WHAT") ---- */

#define RX_BENCH_ITERATIONS 10

/* Instructions (under QEMU -icount the TSC counts them) per RtlCreateUserProcess
   of "child idle" + NtResumeThread + its end + the wait + the handles closed. */
static ULONG BenchProcess(void)
{
    ULONGLONG Start, Total = 0;
    NTSTATUS ExitStatus;

    for (ULONG Index = 0; Index < RX_BENCH_ITERATIONS; Index++) {
        Start = __builtin_ia32_rdtsc();
        if (!NT_SUCCESS(RunChild(RX_IMAGE_DOS L" child idle", &ExitStatus)) || ExitStatus != 0)
            return 0;
        Total += __builtin_ia32_rdtsc() - Start;
    }
    return (ULONG)(Total / RX_BENCH_ITERATIONS);
}

/* ... per RtlCreateUserThread in this process + run (RtlExitUserThread) + the
   wait + the handle closed + its stack freed. */
static ULONG BenchThread(void)
{
    ULONGLONG Start, Total = 0;
    NTSTATUS ExitStatus;
    HANDLE Thread;
    PVOID Stack;
    SIZE_T Size;

    for (ULONG Index = 0; Index < RX_BENCH_ITERATIONS; Index++) {
        Start = __builtin_ia32_rdtsc();
        if (!NT_SUCCESS(RtlCreateUserThread(NtCurrentProcess(), NULL, FALSE, 0, 0x10000, 0x1000, ThreadRoutine,
                                            NULL, &Thread, NULL)))
            return 0;
        if (!NT_SUCCESS(WaitExit(Thread, TRUE, &ExitStatus)) || ExitStatus != 1)
            return 0;
        NtClose(Thread);
        Stack = (PVOID)(ULONG_PTR)SeenReservation;
        Size = 0;
        NtFreeVirtualMemory(NtCurrentProcess(), &Stack, &Size, MEM_RELEASE);
        Total += __builtin_ia32_rdtsc() - Start;
    }
    return (ULONG)(Total / RX_BENCH_ITERATIONS);
}

ULONG NTAPI RtlExecStart(PVOID Peb)
{
    char Buffer[128];
    char *Words[4];
    ULONG Count = PstSplitCommandLine(Buffer, sizeof(Buffer), Words, 4);

    /* A child started by RtlCreateUserProcess has nowhere to return to. */
    if (Count == 2 && PstEqual(Words[0], "child")) {
        ULONG Code = 0xBAD0FFFF;

        if (PstEqual(Words[1], "check"))
            Code = ChildCheck(Peb);
        else if (PstEqual(Words[1], "badstack"))
            Code = ChildBadStack();
        else if (PstEqual(Words[1], "exitunwind"))
            Code = ChildExitUnwind();
        else if (PstEqual(Words[1], "idle"))
            Code = 0;
        NtTerminateProcess(NtCurrentProcess(), Code);
    }
    /* A benchmark's result is the exit status (0: it failed). */
    if (Count == 2 && PstEqual(Words[0], "bench"))
        NtTerminateProcess(NtCurrentProcess(), PstEqual(Words[1], "process") ? BenchProcess()
                                               : PstEqual(Words[1], "thread")  ? BenchThread()
                                                                               : 0);

    TestUnwindOrder();
    TestUnwindReturn();
    TestUnwindBadTarget();
    TestProcess();
    TestProcessBadImages();
    TestThreadLocal();
    TestThreadDefaults();
    TestThreadFreeStack();
    TestThreadRemote();
    TestThreadBadInputs();
    TestThreadHugeStack();
    TestUnwindChildren();
    DbgPrint("rtlexec: %lu failed\r\n", Failures);
    return Failures;
}
