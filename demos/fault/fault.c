/*
 * fault.c - fault.exe: the same bad read twice, to show NT's user-mode exception
 * path (Windows Internals, "Exception dispatching").
 *
 * The read is `mov eax, [eax]` with EAX = 0, in FaultReadNull below. The page at 0
 * is never mapped, so the processor raises a page fault; the kernel
 * (KiTrap0E -> KiDispatchException) finds no way to resolve it, builds an
 * EXCEPTION_RECORD (STATUS_ACCESS_VIOLATION, the address read) and a CONTEXT on
 * the user stack, and sends the thread to ntdll's KiUserExceptionDispatcher, which
 * walks the thread's SEH frames (the list at fs:[0], the TEB's first field):
 *
 *   1. Guarded: main pushes a frame (what a compiler's __try does; MinGW's C has
 *      no __try, so it is done by hand here). Its handler sees the access
 *      violation, moves the CONTEXT's EIP past the faulting instruction and
 *      returns ExceptionContinueExecution: ntdll's NtContinue resumes there.
 *   2. Unguarded: no frame. Nothing handles it, so ntdll raises it again as a
 *      second chance (NtRaiseException, FirstChance = FALSE), and the kernel ends
 *      the process with the exception's code as its exit status, 0xC0000005 -
 *      which the shell prints as "[exit 0xC0000005 STATUS_ACCESS_VIOLATION]".
 */
#include <windows.h>
#include <winternl.h>
#include <stdarg.h>

NTSYSAPI NTSTATUS NTAPI NtWriteFile(HANDLE FileHandle, HANDLE Event, PVOID ApcRoutine, PVOID ApcContext,
    PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset, PULONG Key);
NTSYSAPI int __cdecl _vsnprintf(char *Buffer, size_t Count, const char *Format, va_list Args);

/* ULONG FaultReadNull(void): reads address 0; returns 0 if a handler skipped the read. */
ULONG FaultReadNull(void);
extern const char FaultRead[], FaultResume[];
__asm__(".text\n"
        ".globl _FaultReadNull, _FaultRead, _FaultResume\n"
        "_FaultReadNull:\n"
        "    xorl %eax, %eax\n"
        "_FaultRead:\n"
        "    movl (%eax), %eax\n"       /* faults: nothing is mapped at 0 */
        "_FaultResume:\n"
        "    ret\n");

/* An SEH frame, NT's EXCEPTION_REGISTRATION_RECORD: on the stack, linked at fs:[0]. */
typedef struct _FAULT_FRAME {
    struct _FAULT_FRAME *Next;
    PVOID Handler;
} FAULT_FRAME;

static void FaultPrint(const char *Format, ...)
{
    /* PEB->ProcessParameters->StandardOutput is at offset 0x1C of the parameters. */
    PBYTE Parameters = (PBYTE)NtCurrentTeb()->ProcessEnvironmentBlock->ProcessParameters;
    char Buffer[256];
    IO_STATUS_BLOCK Iosb;
    va_list Args;
    int Length;

    va_start(Args, Format);
    Length = _vsnprintf(Buffer, sizeof(Buffer), Format, Args);
    va_end(Args);
    if (Length < 0 || Length > (int)sizeof(Buffer))
        Length = sizeof(Buffer);
    NtWriteFile(*(HANDLE *)(Parameters + 0x1C), NULL, NULL, NULL, &Iosb, Buffer, (ULONG)Length, NULL, NULL);
}

/* The frame's handler, called by ntdll's RtlDispatchException (cdecl, as NT's). */
static EXCEPTION_DISPOSITION __cdecl FaultHandler(PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context,
                                                 PVOID DispatcherContext)
{
    (void)Frame;
    (void)DispatcherContext;
    /* Called again while an exception unwinds the stack: nothing to undo here. */
    if (Record->ExceptionFlags & (EXCEPTION_UNWINDING | EXCEPTION_EXIT_UNWIND))
        return ExceptionContinueSearch;
    if (Record->ExceptionCode != EXCEPTION_ACCESS_VIOLATION || Record->ExceptionAddress != (PVOID)FaultRead)
        return ExceptionContinueSearch;
    /* ExceptionInformation: [0] 0 = a read (1 a write), [1] the address. */
    FaultPrint("fault: handler: exception 0x%08lX at EIP %p, %s of address 0x%08lX; resuming past it\r\n",
               Record->ExceptionCode, Record->ExceptionAddress,
               Record->ExceptionInformation[0] ? "write" : "read", (ULONG)Record->ExceptionInformation[1]);
    Context->Eip = (ULONG)(ULONG_PTR)FaultResume;
    return ExceptionContinueExecution;
}

/* The entry point (-e). */
ULONG NTAPI FaultStart(PVOID Peb)
{
    FAULT_FRAME Frame;

    (void)Peb;
    FaultPrint("fault: 1. reading address 0 inside an SEH frame\r\n");
    Frame.Next = (FAULT_FRAME *)__readfsdword(0);
    Frame.Handler = (PVOID)FaultHandler;
    __asm__ __volatile__("" : : : "memory");   /* the frame is in memory before it is linked */
    __writefsdword(0, (ULONG)(ULONG_PTR)&Frame);
    FaultReadNull();
    __writefsdword(0, (ULONG)(ULONG_PTR)Frame.Next);
    FaultPrint("fault: the program goes on after the guarded read\r\n");

    FaultPrint("fault: 2. the same read with no frame: the process ends with the exception\r\n");
    FaultReadNull();
    FaultPrint("fault: not reached\r\n");
    return 1;
}
