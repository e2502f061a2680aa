/*
 * test_ntdllrun.c - runs code of the built build/ntdll/ntdll.dll on the host: the
 * kernel's own mapper (MiMapImage) lays it out in executable memory at the address
 * it occupies (its one base relocation applied), and the test enters it as the
 * kernel will enter it from ring 0 - with the frames the kernel builds:
 *   - RtlDispatchException (ntdll/rtl/exception.c) with the guard of
 *     ntdll/i386/exchandl.asm: the SEH chain walk, stack checks, nested exceptions;
 *   - KiUserApcDispatcher with KiInitializeUserApc's frame (kernel/ke/i386/syscall.c),
 *     for an APC routine and for LdrInitializeThunk (which creates the process heap,
 *     its memory from TestService), up to its NtContinue;
 *   - KiUserCallbackDispatcher with KeUserModeCallback's frame
 *     (kernel/ke/i386/usercall.c), up to its NtCallbackReturn;
 *   - the vectored handlers (ntdll/rtl/vectored.c): RtlAddVectoredExceptionHandler,
 *     RtlRemoveVectoredExceptionHandler, and RtlDispatchException calling them
 *     before the SEH chain. Their entries come from NtAllocateVirtualMemory: for
 *     those tests the door plays the kernel (TestService) and returns to the stub.
 *
 * User mode finds its TEB through fs (fs:[18h] = the TEB's address, fs:[0] the SEH
 * chain). Linux gives a 32-bit process a TLS segment of its own through
 * set_thread_area: the test makes one whose base is a fake TEB and loads fs with it
 * (glibc's i386 TLS is in gs, so nothing else notices). The system-call door is
 * SharedUserData->SystemCall at 0x7FFE0300, as in NTLab: the test maps a page
 * there and points it at TestDoor, which records the service and its arguments and
 * returns to the test, as if the kernel had switched away.
 *
 * RtlDispatchException is not exported (as in NT): the test finds it as the target
 * of the call in KiUserExceptionDispatcher (cld / mov ecx,[esp+4] / mov ebx,[esp] /
 * push ecx / push ebx / call RtlDispatchException, checked by test_ntdll).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <asm/ldt.h>
#include <cmocka.h>

#include "../../kernel/mm/image.h"
#include "../../ntdll/ntdllp.h"
#include <nt/ntmmapi.h>
#include <nt/ntldr.h>

#ifndef TEST_NTDLL_PATH
#error "TEST_NTDLL_PATH comes from mk/ntdll.mk (ntdllrun_CFLAGS)"
#endif

typedef BOOLEAN (NTAPI *PRTL_DISPATCH_EXCEPTION)(PEXCEPTION_RECORD, PCONTEXT);

#define SHARED_USER_DATA    0x7FFE0000
#define SHARED_SYSCALL      0x7FFE0300  /* SharedUserData->SystemCall */
#define TEB_PEB             0x30        /* TEB.ProcessEnvironmentBlock */
#define PEB_IMAGE_BASE      0x08        /* PEB.ImageBaseAddress */
#define PEB_LDR             0x0C        /* PEB.Ldr */
#define PEB_CALLBACK_TABLE  0x2C        /* PEB.KernelCallbackTable */
#define PEB_PROCESS_HEAP    0x18        /* PEB.ProcessHeap */
#define PEB_NUMBER_OF_HEAPS 0x88        /* PEB.NumberOfHeaps */
#define PEB_SIZE            0x210       /* sizeof(PEB): the heap reads and writes its fields */

static PUCHAR View;                     /* ntdll, mapped where it runs */
static ULONG ViewSize;
static PRTL_DISPATCH_EXCEPTION Dispatch;
static USHORT SavedFs;

/* The fake TEB fs points at (its head is the NT_TIB), and a PEB. */
static union {
    NT_TIB Tib;
    UCHAR Bytes[0x40];
} Teb;
static UCHAR Peb[PEB_SIZE];
#define Tib (Teb.Tib)

/* The door page at SharedUserData, when the host let the test map it. */
static PVOID SharedPage = MAP_FAILED;

/* ---- entering ntdll on a stack of its own, and the fake door ---- */

/* What TestDoor saw: EAX (the service), the door's ESP and EBP, the arguments. */
ULONG DoorService, DoorEbp, DoorArguments[4];
PULONG DoorEsp;
/* RunOnStack's registers, for TestDoor to return with. */
ULONG RunSavedEsp;
/* Nonzero: TestDoor plays the kernel instead (TestService) and returns to the stub,
   except for DoorStopService, which it records as above. */
ULONG DoorEmulate, DoorStopService = 0xFFFFFFFF;
ULONG TestService(ULONG Service, PULONG Arguments);
static ULONG AllocateService, YieldService, Allocations;
/* NtCreateEvent, when a test wants it to fail (critical sections). */
static ULONG CreateEventService = 0xFFFFFFFF;
/* NtWaitForKeyedEvent, when a test plays the other threads around it (condition
   variables): KeyedWaitScript decides what each wait saw. */
static ULONG KeyedWaitService = 0xFFFFFFFF;
static NTSTATUS (*KeyedWaitScript)(PULONG Arguments);

void RunOnStack(PVOID Esp, PVOID Eip);  /* cdecl: jumps to Eip with ESP = Esp */
void TestDoor(void);                    /* what SharedUserData->SystemCall points at */

/*
 * RunOnStack saves the callee-saved registers and its ESP, and jumps into ntdll.
 * The stub (mov eax, N / mov edx, 7FFE0300h / call [edx]) calls TestDoor, which
 * finds, as KiFastSystemCall does: [esp] the stub's return, [esp+4] its caller's,
 * [esp+8] the arguments. It records them and returns from RunOnStack.
 */
__asm__(
    ".text\n"
    ".globl RunOnStack\n"
    "RunOnStack:\n"
    "    pushl %ebx\n"
    "    pushl %esi\n"
    "    pushl %edi\n"
    "    pushl %ebp\n"
    "    movl %esp, RunSavedEsp\n"
    "    movl 20(%esp), %eax\n"        /* Esp */
    "    movl 24(%esp), %ecx\n"        /* Eip */
    "    movl %eax, %esp\n"
    "    jmp *%ecx\n"
    ".globl TestDoor\n"
    "TestDoor:\n"
    "    cmpl $0, DoorEmulate\n"
    "    je 2f\n"
    "    cmpl DoorStopService, %eax\n"
    "    jne 1f\n"
    "2:  movl %eax, DoorService\n"
    "    movl %esp, DoorEsp\n"
    "    movl %ebp, DoorEbp\n"
    "    movl 8(%esp), %eax\n"
    "    movl %eax, DoorArguments\n"
    "    movl 12(%esp), %eax\n"
    "    movl %eax, DoorArguments+4\n"
    "    movl 16(%esp), %eax\n"
    "    movl %eax, DoorArguments+8\n"
    "    movl 20(%esp), %eax\n"
    "    movl %eax, DoorArguments+12\n"
    "    movl RunSavedEsp, %esp\n"
    "    popl %ebp\n"
    "    popl %edi\n"
    "    popl %esi\n"
    "    popl %ebx\n"
    "    ret\n"
    "1:  leal 8(%esp), %ecx\n"        /* the stub's caller's arguments */
    "    pushl %ecx\n"
    "    pushl %eax\n"
    "    call TestService\n"
    "    addl $8, %esp\n"
    "    ret\n");

/* ---- what the handlers saw ---- */

typedef struct _TEST_CALL {
    int Handler;                        /* which handler */
    NTSTATUS Code;                      /* the record's code */
    ULONG Flags;                        /* its flags at the call */
    PVOID EstablisherFrame;
    PCONTEXT Context;
} TEST_CALL;

static TEST_CALL Calls[16];
static int CallCount;

static void Log(int Handler, PEXCEPTION_RECORD Record, PVOID Frame, PCONTEXT Context)
{
    assert_true(CallCount < (int)RTL_NUMBER_OF(Calls));
    Calls[CallCount].Handler = Handler;
    Calls[CallCount].Code = Record->ExceptionCode;
    Calls[CallCount].Flags = Record->ExceptionFlags;
    Calls[CallCount].EstablisherFrame = Frame;
    Calls[CallCount].Context = Context;
    CallCount++;
}

/* ---- loading the DLL and the TIB ---- */

static int Setup(void **State)
{
    MI_IMAGE_INFO *Info = malloc(sizeof(*Info));
    FILE *Stream;
    PUCHAR File;
    long Size;
    ULONG Rva = 0;
    PCSTR Forwarder;
    struct user_desc Descriptor;

    (void)State;
    assert_non_null(Info);
    Stream = fopen(TEST_NTDLL_PATH, "rb");
    if (Stream == NULL)
        fail_msg("cannot open %s (built by mk/ntdll.mk)", TEST_NTDLL_PATH);
    fseek(Stream, 0, SEEK_END);
    Size = ftell(Stream);
    fseek(Stream, 0, SEEK_SET);
    File = malloc((size_t)Size);
    assert_non_null(File);
    assert_int_equal(fread(File, 1, (size_t)Size, Stream), (size_t)Size);
    fclose(Stream);

    assert_int_equal(MiVerifyImageHeader(File, (SIZE_T)Size, Info), STATUS_SUCCESS);
    ViewSize = Info->ViewSize;
    View = mmap(NULL, ViewSize, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(View != MAP_FAILED);
    assert_int_equal(MiMapImage(File, (SIZE_T)Size, Info, View, (ULONG_PTR)View), STATUS_SUCCESS);
    free(File);
    free(Info);

    /* RtlDispatchException: the call at KiUserExceptionDispatcher + 10. */
    assert_int_equal(MiFindExportByName(View, ViewSize, "KiUserExceptionDispatcher", MI_NO_EXPORT_HINT,
                                        &Rva, &Forwarder), STATUS_SUCCESS);
    assert_int_equal(View[Rva + 10], 0xE8);
    {
        LONG Displacement;
        memcpy(&Displacement, View + Rva + 11, 4);
        Dispatch = (PRTL_DISPATCH_EXCEPTION)(View + Rva + 15 + Displacement);
    }

    /* fs -> Teb: a new TLS entry in the GDT (32-bit data, byte granular). */
    Tib.Self = &Tib;
    Tib.ExceptionList = EXCEPTION_CHAIN_END;
    *(PVOID *)(Teb.Bytes + TEB_PEB) = Peb;
    memset(&Descriptor, 0, sizeof(Descriptor));
    Descriptor.entry_number = (unsigned)-1;
    Descriptor.base_addr = (unsigned)(uintptr_t)&Teb;
    Descriptor.limit = sizeof(Teb) - 1;
    Descriptor.seg_32bit = 1;
    Descriptor.useable = 1;
    if (syscall(SYS_set_thread_area, &Descriptor) != 0)
        fail_msg("set_thread_area failed: the host cannot give fs a base");
    __asm__ volatile ("movw %%fs, %0" : "=r"(SavedFs));
    __asm__ volatile ("movw %0, %%fs" : : "r"((USHORT)(Descriptor.entry_number * 8 + 3)));

    /* SharedUserData->SystemCall -> TestDoor, if that page is free on this host. */
    SharedPage = mmap((PVOID)SHARED_USER_DATA, 0x1000, PROT_READ | PROT_WRITE,
                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (SharedPage != MAP_FAILED && SharedPage != (PVOID)SHARED_USER_DATA) {
        munmap(SharedPage, 0x1000);     /* an old kernel took the address as a hint */
        SharedPage = MAP_FAILED;
    }
    if (SharedPage != MAP_FAILED)
        *(PVOID *)SHARED_SYSCALL = (PVOID)TestDoor;
    return 0;
}

static int Teardown(void **State)
{
    (void)State;
    __asm__ volatile ("movw %0, %%fs" : : "r"(SavedFs));
    if (SharedPage != MAP_FAILED)
        munmap(SharedPage, 0x1000);
    munmap(View, ViewSize);
    return 0;
}

static ULONG ExportRva(PCSTR Name)
{
    ULONG Rva = 0;
    PCSTR Forwarder;

    assert_int_equal(MiFindExportByName(View, ViewSize, Name, MI_NO_EXPORT_HINT, &Rva, &Forwarder),
                     STATUS_SUCCESS);
    return Rva;
}

/* The service number a stub loads (mov eax, N: B8 followed by N). */
static ULONG ServiceNumber(PCSTR Name)
{
    ULONG Rva = ExportRva(Name), Number;

    assert_int_equal(View[Rva], 0xB8);
    memcpy(&Number, View + Rva + 1, 4);
    return Number;
}

/* Each test: an empty log, the stack as this thread's whole stack. */
static int Reset(void **State)
{
    UCHAR Here;

    (void)State;
    CallCount = 0;
    /* The records live in the test functions' frames, below this one: the stack
       is [a megabyte below here, a page above here). */
    Tib.StackBase = &Here + 0x1000;
    Tib.StackLimit = &Here - 0x100000;
    Tib.ExceptionList = EXCEPTION_CHAIN_END;
    return 0;
}

static void NewRecord(PEXCEPTION_RECORD Record, NTSTATUS Code, ULONG Flags)
{
    memset(Record, 0, sizeof(*Record));
    Record->ExceptionCode = Code;
    Record->ExceptionFlags = Flags;
}

/* A user stack for one run: 64 KB, the frame at its top. */
#define RUN_STACK_SIZE 0x10000
static PULONG RunStack;
static int ResetRun(void **State);
static int FreeRun(void **State);

/* A test that runs ntdll on RunStack up to its first system call. */
static int ResetRaise(void **State)
{
    ResetRun(State);
    return Reset(State);
}

/* ---- handlers ---- */

static EXCEPTION_DISPOSITION NTAPI SearchHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                                 PCONTEXT Context, PVOID DispatcherContext)
{
    (void)DispatcherContext;
    Log(1, Record, Frame, Context);
    return ExceptionContinueSearch;
}

static EXCEPTION_DISPOSITION NTAPI ContinueHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                                   PCONTEXT Context, PVOID DispatcherContext)
{
    (void)DispatcherContext;
    Log(2, Record, Frame, Context);
    Context->Eax = 0x600D;              /* what a fix-up does: edit the CONTEXT */
    return ExceptionContinueExecution;
}

/* cdecl, as compilers' frame handlers often are: the dispatcher must not care. */
static EXCEPTION_DISPOSITION __attribute__((cdecl)) CdeclHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                                                 PCONTEXT Context, PVOID DispatcherContext)
{
    (void)DispatcherContext;
    Log(3, Record, Frame, Context);
    return ExceptionContinueSearch;
}

static EXCEPTION_DISPOSITION NTAPI BadHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                              PCONTEXT Context, PVOID DispatcherContext)
{
    (void)DispatcherContext;
    Log(4, Record, Frame, Context);
    return (EXCEPTION_DISPOSITION)7;
}

/* The first time, an exception is "raised" inside it: a nested dispatch. */
static EXCEPTION_DISPOSITION NTAPI NestingHandler(PEXCEPTION_RECORD Record, PVOID Frame,
                                                  PCONTEXT Context, PVOID DispatcherContext)
{
    (void)DispatcherContext;
    Log(5, Record, Frame, Context);
    if (Record->ExceptionCode == (NTSTATUS)0xC0000001) {
        EXCEPTION_RECORD Nested;
        CONTEXT NestedContext;

        NewRecord(&Nested, (NTSTATUS)0xC0000002, 0);
        memset(&NestedContext, 0, sizeof(NestedContext));
        assert_true(Dispatch(&Nested, &NestedContext));
        return ExceptionContinueExecution;
    }
    return ExceptionContinueSearch;
}

/* ---- the tests ---- */

/* No handler at all: unhandled. */
static void test_empty_chain(void **State)
{
    EXCEPTION_RECORD Record;
    CONTEXT Context;

    (void)State;
    NewRecord(&Record, (NTSTATUS)0xC0000005, 0);
    assert_false(Dispatch(&Record, &Context));
    assert_int_equal(CallCount, 0);
    assert_int_equal(Record.ExceptionFlags, 0);
}

/* Innermost first; each with NT's arguments; the first to continue ends the walk. */
static void test_handlers_in_order(void **State)
{
    EXCEPTION_REGISTRATION_RECORD Inner, Middle, Outer, Outermost;
    EXCEPTION_RECORD Record;
    CONTEXT Context;

    (void)State;
    Inner = (EXCEPTION_REGISTRATION_RECORD){ &Middle, SearchHandler };
    Middle = (EXCEPTION_REGISTRATION_RECORD){ &Outer, (PEXCEPTION_ROUTINE)CdeclHandler };
    Outer = (EXCEPTION_REGISTRATION_RECORD){ &Outermost, ContinueHandler };
    Outermost = (EXCEPTION_REGISTRATION_RECORD){ EXCEPTION_CHAIN_END, SearchHandler };
    Tib.ExceptionList = &Inner;
    NewRecord(&Record, (NTSTATUS)0xC0000005, 0);
    memset(&Context, 0, sizeof(Context));

    assert_true(Dispatch(&Record, &Context));
    assert_int_equal(CallCount, 3);
    assert_int_equal(Calls[0].Handler, 1);
    assert_ptr_equal(Calls[0].EstablisherFrame, &Inner);
    assert_ptr_equal(Calls[0].Context, &Context);
    assert_int_equal(Calls[1].Handler, 3);
    assert_ptr_equal(Calls[1].EstablisherFrame, &Middle);
    assert_int_equal(Calls[2].Handler, 2);
    assert_ptr_equal(Calls[2].EstablisherFrame, &Outer);
    assert_int_equal(Context.Eax, 0x600D);
    /* The dispatcher's guard is gone again: the chain is as it was. */
    assert_ptr_equal(Tib.ExceptionList, &Inner);
}

/* Everyone searches on: unhandled. */
static void test_nobody_handles(void **State)
{
    EXCEPTION_REGISTRATION_RECORD Inner, Outer;
    EXCEPTION_RECORD Record;
    CONTEXT Context;

    (void)State;
    Inner = (EXCEPTION_REGISTRATION_RECORD){ &Outer, SearchHandler };
    Outer = (EXCEPTION_REGISTRATION_RECORD){ EXCEPTION_CHAIN_END, SearchHandler };
    Tib.ExceptionList = &Inner;
    NewRecord(&Record, (NTSTATUS)0xC0000005, 0);
    assert_false(Dispatch(&Record, &Context));
    assert_int_equal(CallCount, 2);
    assert_int_equal(Record.ExceptionFlags & EXCEPTION_STACK_INVALID, 0);
}

/* A record off the stack, or misaligned, stops the walk: EXCEPTION_STACK_INVALID. */
static void test_record_off_the_stack(void **State)
{
    static EXCEPTION_REGISTRATION_RECORD NotOnStack;
    EXCEPTION_REGISTRATION_RECORD Inner;
    EXCEPTION_RECORD Record;
    CONTEXT Context;

    (void)State;
    NotOnStack = (EXCEPTION_REGISTRATION_RECORD){ EXCEPTION_CHAIN_END, ContinueHandler };
    Inner = (EXCEPTION_REGISTRATION_RECORD){ &NotOnStack, SearchHandler };
    Tib.ExceptionList = &Inner;
    NewRecord(&Record, (NTSTATUS)0xC0000005, 0);
    assert_false(Dispatch(&Record, &Context));
    assert_int_equal(CallCount, 1);             /* Inner's handler only */
    assert_true(Record.ExceptionFlags & EXCEPTION_STACK_INVALID);
}

static void test_record_misaligned(void **State)
{
    ULONG Storage[4];
    PEXCEPTION_REGISTRATION_RECORD Odd = (PEXCEPTION_REGISTRATION_RECORD)((PUCHAR)Storage + 2);
    EXCEPTION_RECORD Record;
    CONTEXT Context;
    EXCEPTION_REGISTRATION_RECORD Value = { EXCEPTION_CHAIN_END, ContinueHandler };

    (void)State;
    memcpy(Odd, &Value, sizeof(Value));
    Tib.ExceptionList = Odd;
    NewRecord(&Record, (NTSTATUS)0xC0000005, 0);
    assert_false(Dispatch(&Record, &Context));
    assert_int_equal(CallCount, 0);
    assert_true(Record.ExceptionFlags & EXCEPTION_STACK_INVALID);
}

/*
 * RtlDispatchException on RunStack, up to the first system call it makes (the
 * door stops there): the follow-up exception a misbehaving handler gets goes out
 * through RtlRaiseException's NtRaiseException, first chance. Returns its record.
 */
static PEXCEPTION_RECORD DispatchUntilRaise(PEXCEPTION_RECORD Record, PCONTEXT Context)
{
    PULONG Frame = (PULONG)((PUCHAR)RunStack + RUN_STACK_SIZE - 64);

    Frame[0] = 0xDEADC0DE;              /* the return address: never used */
    Frame[1] = (ULONG)(uintptr_t)Record;
    Frame[2] = (ULONG)(uintptr_t)Context;
    RunOnStack(Frame, (PVOID)Dispatch);
    assert_int_equal(DoorService, ServiceNumber("NtRaiseException"));
    assert_int_equal(DoorArguments[2], TRUE);
    return (PEXCEPTION_RECORD)(uintptr_t)DoorArguments[0];
}

/* Continuing a non-continuable exception is not handling it: NT raises
   STATUS_NONCONTINUABLE_EXCEPTION, non-continuable, pointing at the original. */
static void test_noncontinuable(void **State)
{
    EXCEPTION_REGISTRATION_RECORD Only;
    EXCEPTION_RECORD Record;
    PEXCEPTION_RECORD Raised;
    CONTEXT Context;

    (void)State;
    Only = (EXCEPTION_REGISTRATION_RECORD){ EXCEPTION_CHAIN_END, ContinueHandler };
    Tib.ExceptionList = &Only;
    NewRecord(&Record, (NTSTATUS)0xC0000005, EXCEPTION_NONCONTINUABLE);
    Raised = DispatchUntilRaise(&Record, &Context);
    assert_int_equal(CallCount, 1);
    assert_int_equal(Raised->ExceptionCode, STATUS_NONCONTINUABLE_EXCEPTION);
    assert_int_equal(Raised->ExceptionFlags, EXCEPTION_NONCONTINUABLE);
    assert_ptr_equal(Raised->ExceptionRecord, &Record);
}

/* A disposition that is none of NT's: STATUS_INVALID_DISPOSITION is raised, and the
   frames after the bad one are not asked about the original. */
static void test_invalid_disposition(void **State)
{
    EXCEPTION_REGISTRATION_RECORD Inner, Outer;
    EXCEPTION_RECORD Record;
    PEXCEPTION_RECORD Raised;
    CONTEXT Context;

    (void)State;
    Inner = (EXCEPTION_REGISTRATION_RECORD){ &Outer, BadHandler };
    Outer = (EXCEPTION_REGISTRATION_RECORD){ EXCEPTION_CHAIN_END, ContinueHandler };
    Tib.ExceptionList = &Inner;
    NewRecord(&Record, (NTSTATUS)0xC0000005, 0);
    Raised = DispatchUntilRaise(&Record, &Context);
    assert_int_equal(CallCount, 1);
    assert_int_equal(Raised->ExceptionCode, STATUS_INVALID_DISPOSITION);
    assert_int_equal(Raised->ExceptionFlags, EXCEPTION_NONCONTINUABLE);
    assert_ptr_equal(Raised->ExceptionRecord, &Record);
}

/*
 * An exception raised inside a handler: the nested dispatch meets the dispatcher's
 * guard first, so the handlers from the innermost up to the one that was running
 * see EXCEPTION_NESTED_CALL, and the ones beyond it do not.
 */
static void test_nested_exception(void **State)
{
    EXCEPTION_REGISTRATION_RECORD Inner, Outer;
    EXCEPTION_RECORD Record;
    CONTEXT Context;

    (void)State;
    Inner = (EXCEPTION_REGISTRATION_RECORD){ &Outer, NestingHandler };
    Outer = (EXCEPTION_REGISTRATION_RECORD){ EXCEPTION_CHAIN_END, ContinueHandler };
    Tib.ExceptionList = &Inner;
    NewRecord(&Record, (NTSTATUS)0xC0000001, 0);
    memset(&Context, 0, sizeof(Context));

    assert_true(Dispatch(&Record, &Context));
    assert_int_equal(CallCount, 3);
    /* the first exception, at Inner: it raises the second inside itself */
    assert_int_equal(Calls[0].Handler, 5);
    assert_int_equal(Calls[0].Code, (NTSTATUS)0xC0000001);
    assert_int_equal(Calls[0].Flags, 0);
    /* the second, at Inner again: nested */
    assert_int_equal(Calls[1].Handler, 5);
    assert_int_equal(Calls[1].Code, (NTSTATUS)0xC0000002);
    assert_int_equal(Calls[1].Flags, EXCEPTION_NESTED_CALL);
    assert_ptr_equal(Calls[1].EstablisherFrame, &Inner);
    /* the second, at Outer: past the frame it was nested in */
    assert_int_equal(Calls[2].Handler, 2);
    assert_int_equal(Calls[2].Code, (NTSTATUS)0xC0000002);
    assert_int_equal(Calls[2].Flags, 0);
    assert_ptr_equal(Tib.ExceptionList, &Inner);
}

/* ---- the dispatchers the kernel sends threads to ---- */


static int ResetRun(void **State)
{
    (void)State;
    if (SharedPage == MAP_FAILED)
        skip();                         /* 0x7FFE0000 is taken on this host */
    RunStack = malloc(RUN_STACK_SIZE);
    assert_non_null(RunStack);
    memset(DoorArguments, 0xCC, sizeof(DoorArguments));
    DoorService = 0xFFFFFFFF;
    DoorEbp = 0xFFFFFFFF;
    CallCount = 0;
    return 0;
}

static int FreeRun(void **State)
{
    (void)State;
    free(RunStack);
    return 0;
}

/*
 * The frame KiInitializeUserApc (kernel/ke/i386/syscall.c) leaves at the user ESP:
 * [0] NormalRoutine, [1] NormalContext, [2] SystemArgument1, [3] SystemArgument2,
 * [4...] the CONTEXT. Returns ESP, the frame's address.
 */
static PULONG BuildApcFrame(PVOID Routine, ULONG NormalContext, ULONG Argument1, ULONG Argument2)
{
    PULONG Frame = (PULONG)((PUCHAR)RunStack + RUN_STACK_SIZE - 64 - sizeof(CONTEXT) - 16);
    PCONTEXT Context = (PCONTEXT)&Frame[4];

    Frame[0] = (ULONG)(uintptr_t)Routine;
    Frame[1] = NormalContext;
    Frame[2] = Argument1;
    Frame[3] = Argument2;
    memset(Context, 0, sizeof(*Context));
    Context->ContextFlags = CONTEXT_FULL;
    Context->Eip = 0x00401000;          /* where the thread would go on */
    return Frame;
}

static ULONG ApcArguments[3];
static PVOID ApcEsp;

static VOID NTAPI ApcRoutine(PVOID NormalContext, PVOID Argument1, PVOID Argument2)
{
    ApcArguments[0] = (ULONG)(uintptr_t)NormalContext;
    ApcArguments[1] = (ULONG)(uintptr_t)Argument1;
    ApcArguments[2] = (ULONG)(uintptr_t)Argument2;
    ApcEsp = __builtin_frame_address(0);
}

/* The routine gets its three arguments, then NtContinue(Context, TRUE). */
static void test_apc_dispatcher_runs(void **State)
{
    PULONG Frame = BuildApcFrame((PVOID)ApcRoutine, 0x11, 0x22, 0x33);

    (void)State;
    memset(ApcArguments, 0, sizeof(ApcArguments));
    RunOnStack(Frame, View + ExportRva("KiUserApcDispatcher"));
    assert_int_equal(ApcArguments[0], 0x11);
    assert_int_equal(ApcArguments[1], 0x22);
    assert_int_equal(ApcArguments[2], 0x33);
    assert_int_equal(DoorService, ServiceNumber("NtContinue"));
    assert_int_equal(DoorArguments[0], (ULONG)(uintptr_t)&Frame[4]);   /* the CONTEXT */
    assert_int_equal(DoorArguments[1], 1);                             /* TestAlert */
    /* At the door: the stub's and the dispatcher's return addresses, then the two
       arguments, the whole frame's first four slots reused. */
    assert_ptr_equal(DoorEsp + 2, &Frame[2]);
}

/*
 * A new thread: the APC's routine is LdrInitializeThunk (NormalContext NULL,
 * SystemArgument1 ntdll's base). It hands LdrpInitialize the CONTEXT (its offset,
 * lea eax, [esp+10h], is checked byte for byte by test_ntdll), LdrpInitialize pops
 * its three arguments, and the dispatcher continues the thread at the CONTEXT -
 * the stack balanced, EBP zeroed.
 *
 * PEB->Ldr set says the process is already initialized: this is a later thread
 * (LdrpInitializeThread), which, in a process whose module lists are empty and
 * that has no static TLS, takes the free loader lock, has no DLL to call and
 * makes no system call before NtContinue.
 */
static void test_loader_thunk_runs(void **State)
{
    PULONG Frame = BuildApcFrame(View + ExportRva("LdrInitializeThunk"), 0,
                                 (ULONG)(uintptr_t)View, 0);
    static ULONG Ldr[12];               /* PEB_LDR_DATA: Length, Initialized, SsHandle, 3 lists, ... */

    (void)State;
    Ldr[0] = sizeof(Ldr);
    Ldr[1] = TRUE;
    for (int List = 0; List < 3; List++)
        Ldr[3 + 2 * List] = Ldr[4 + 2 * List] = (ULONG)(uintptr_t)&Ldr[3 + 2 * List];
    *(PVOID *)(Peb + PEB_IMAGE_BASE) = View;
    *(PVOID *)(Peb + PEB_LDR) = Ldr;
    RunOnStack(Frame, View + ExportRva("KiUserApcDispatcher"));
    *(PVOID *)(Peb + PEB_LDR) = NULL;
    assert_int_equal(DoorService, ServiceNumber("NtContinue"));
    assert_int_equal(DoorArguments[0], (ULONG)(uintptr_t)&Frame[4]);
    assert_int_equal(DoorArguments[1], 1);
    assert_int_equal(DoorEbp, 0);
    /* (Frame[1], where the thunk put the CONTEXT's address for LdrpInitialize, has
       since held the return address of the dispatcher's call to NtContinue.) */
}

static ULONG CallbackInput[2] = { 0x12345678, 0x9ABCDEF0 };
static PVOID CallbackBuffer;
static ULONG CallbackLength;

static NTSTATUS NTAPI CallbackZero(PVOID Buffer, ULONG Length)
{
    (void)Buffer;
    (void)Length;
    return -1;
}

static NTSTATUS NTAPI CallbackOne(PVOID Buffer, ULONG Length)
{
    CallbackBuffer = Buffer;
    CallbackLength = Length;
    return (NTSTATUS)0x00000123;
}

/*
 * KeUserModeCallback's frame (kernel/ke/i386/usercall.c): [0] InputBuffer,
 * [1] InputLength, [2] ApiNumber, the input just above. The dispatcher calls
 * PEB->KernelCallbackTable[ApiNumber](InputBuffer, InputLength), then
 * NtCallbackReturn(NULL, 0, Status).
 */
static void test_callback_dispatcher_runs(void **State)
{
    PVOID Table[2] = { (PVOID)CallbackZero, (PVOID)CallbackOne };
    PULONG Input = (PULONG)((PUCHAR)RunStack + RUN_STACK_SIZE - 64);
    PULONG Frame = Input - 3;

    (void)State;
    memcpy(Input, CallbackInput, sizeof(CallbackInput));
    Frame[0] = (ULONG)(uintptr_t)Input;
    Frame[1] = sizeof(CallbackInput);
    Frame[2] = 1;
    *(PVOID *)(Peb + PEB_CALLBACK_TABLE) = Table;
    CallbackBuffer = NULL;
    CallbackLength = 0;
    RunOnStack(Frame, View + ExportRva("KiUserCallbackDispatcher"));
    *(PVOID *)(Peb + PEB_CALLBACK_TABLE) = NULL;
    assert_ptr_equal(CallbackBuffer, Input);
    assert_int_equal(CallbackLength, sizeof(CallbackInput));
    assert_int_equal(DoorService, ServiceNumber("NtCallbackReturn"));
    assert_int_equal(DoorArguments[0], 0);          /* OutputBuffer */
    assert_int_equal(DoorArguments[1], 0);          /* OutputLength */
    assert_int_equal(DoorArguments[2], 0x123);      /* Status */
}

/* ---- vectored exception handlers ---- */

typedef PVOID (NTAPI *PRTL_ADD_VECTORED)(ULONG, PVECTORED_EXCEPTION_HANDLER);
typedef ULONG (NTAPI *PRTL_REMOVE_VECTORED)(PVOID);

static PRTL_ADD_VECTORED AddVectored;
static PRTL_REMOVE_VECTORED RemoveVectored;
/* The kernel, for the services vectored.c calls: memory and a yield. */
ULONG TestService(ULONG Service, PULONG Arguments)
{
    if (Service == AllocateService) {
        PVOID *Base = (PVOID *)(uintptr_t)Arguments[1];
        PSIZE_T Size = (PSIZE_T)(uintptr_t)Arguments[3];
        PVOID Memory;

        assert_int_equal(Arguments[0], (ULONG)-1);          /* NtCurrentProcess() */
        assert_int_equal(Arguments[5], PAGE_READWRITE);
        if (Arguments[4] == MEM_COMMIT) {
            /* In a reservation made here (the heap's), already read-write. */
            assert_non_null(*Base);
            return STATUS_SUCCESS;
        }
        assert_null(*Base);
        assert_true(Arguments[4] == (MEM_RESERVE | MEM_COMMIT) || Arguments[4] == MEM_RESERVE);
        if (Arguments[4] == (MEM_RESERVE | MEM_COMMIT))
            assert_int_equal(*Size, 0x1000);                /* a page of entries (or of heaps) */
        *Size = (*Size + 0xFFF) & ~(SIZE_T)0xFFF;
        Memory = mmap(NULL, *Size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        assert_true(Memory != MAP_FAILED);
        memset(Memory, 0xCC, *Size);        /* not zeroed: nothing may rely on it */
        *Base = Memory;
        Allocations++;
        return STATUS_SUCCESS;
    }
    if (Service == YieldService)
        return STATUS_SUCCESS;
    if (Service == CreateEventService)
        return STATUS_INSUFFICIENT_RESOURCES;
    if (Service == KeyedWaitService)
        return (ULONG)KeyedWaitScript(Arguments);
    fail_msg("unexpected service %lu through the door", (unsigned long)Service);
    return STATUS_NOT_IMPLEMENTED;
}

static PEXCEPTION_POINTERS SeenPointers;

static LONG NTAPI VectoredA(PEXCEPTION_POINTERS Pointers)
{
    Log(10, Pointers->ExceptionRecord, NULL, Pointers->ContextRecord);
    SeenPointers = Pointers;
    return EXCEPTION_CONTINUE_SEARCH;
}

static LONG NTAPI VectoredB(PEXCEPTION_POINTERS Pointers)
{
    Log(11, Pointers->ExceptionRecord, NULL, Pointers->ContextRecord);
    return EXCEPTION_CONTINUE_SEARCH;
}

static LONG NTAPI VectoredC(PEXCEPTION_POINTERS Pointers)
{
    Log(12, Pointers->ExceptionRecord, NULL, Pointers->ContextRecord);
    return EXCEPTION_CONTINUE_SEARCH;
}

/* Fixes the exception the way a handler does: edits the CONTEXT, continues. */
static LONG NTAPI VectoredFix(PEXCEPTION_POINTERS Pointers)
{
    Log(13, Pointers->ExceptionRecord, NULL, Pointers->ContextRecord);
    Pointers->ContextRecord->Eip += 2;
    Pointers->ContextRecord->Eax = 0xF1C5;
    return EXCEPTION_CONTINUE_EXECUTION;
}

static int ResetVectored(void **State)
{
    if (SharedPage == MAP_FAILED)
        skip();                         /* 0x7FFE0000 is taken on this host */
    AddVectored = (PRTL_ADD_VECTORED)(View + ExportRva("RtlAddVectoredExceptionHandler"));
    RemoveVectored = (PRTL_REMOVE_VECTORED)(View + ExportRva("RtlRemoveVectoredExceptionHandler"));
    AllocateService = ServiceNumber("NtAllocateVirtualMemory");
    YieldService = ServiceNumber("NtYieldExecution");
    SeenPointers = NULL;
    DoorEmulate = 1;
    return Reset(State);
}

static int EndVectored(void **State)
{
    (void)State;
    DoorEmulate = 0;
    return 0;
}

/* Head or tail as asked, all before the frames, each with the EXCEPTION_POINTERS
   of this exception; none continuing: on to the SEH chain. */
static void test_vectored_order(void **State)
{
    EXCEPTION_REGISTRATION_RECORD Only;
    EXCEPTION_RECORD Record;
    CONTEXT Context;
    PVOID A, B, C;

    (void)State;
    A = AddVectored(0, VectoredA);
    B = AddVectored(1, VectoredB);      /* FirstHandler: before A */
    C = AddVectored(0, VectoredC);
    assert_non_null(A);
    assert_non_null(B);
    assert_non_null(C);
    assert_true(A != B && B != C && A != C);
    Only = (EXCEPTION_REGISTRATION_RECORD){ EXCEPTION_CHAIN_END, SearchHandler };
    Tib.ExceptionList = &Only;
    NewRecord(&Record, (NTSTATUS)0xC0000005, 0);
    memset(&Context, 0, sizeof(Context));

    assert_false(Dispatch(&Record, &Context));
    assert_int_equal(CallCount, 4);
    assert_int_equal(Calls[0].Handler, 11);
    assert_int_equal(Calls[1].Handler, 10);
    assert_int_equal(Calls[2].Handler, 12);
    assert_int_equal(Calls[3].Handler, 1);          /* then the frame */
    assert_ptr_equal(Calls[0].Context, &Context);
    assert_non_null(SeenPointers);
    assert_int_equal(Calls[1].Code, (NTSTATUS)0xC0000005);

    assert_true(RemoveVectored(A));
    assert_true(RemoveVectored(B));
    assert_true(RemoveVectored(C));
    /* one page of entries served all three */
    assert_int_equal(Allocations, 1);
}

/* EXCEPTION_CONTINUE_EXECUTION: handled, with the CONTEXT as the handler left it;
   the handlers after it and the frames are not asked. */
static void test_vectored_continue(void **State)
{
    EXCEPTION_REGISTRATION_RECORD Only;
    EXCEPTION_RECORD Record;
    CONTEXT Context;
    PVOID A, Fix, C;

    (void)State;
    A = AddVectored(0, VectoredA);
    Fix = AddVectored(0, VectoredFix);
    C = AddVectored(0, VectoredC);
    Only = (EXCEPTION_REGISTRATION_RECORD){ EXCEPTION_CHAIN_END, ContinueHandler };
    Tib.ExceptionList = &Only;
    NewRecord(&Record, (NTSTATUS)0xC0000094, 0);
    memset(&Context, 0, sizeof(Context));
    Context.Eip = 0x00401000;

    assert_true(Dispatch(&Record, &Context));
    assert_int_equal(CallCount, 2);
    assert_int_equal(Calls[0].Handler, 10);
    assert_int_equal(Calls[1].Handler, 13);
    assert_int_equal(Context.Eip, 0x00401002);
    assert_int_equal(Context.Eax, 0xF1C5);

    /* What may not be continued is not handled by continuing (as for frames). */
    CallCount = 0;
    NewRecord(&Record, (NTSTATUS)0xC0000094, EXCEPTION_NONCONTINUABLE);
    assert_false(Dispatch(&Record, &Context));

    assert_true(RemoveVectored(A));
    assert_true(RemoveVectored(Fix));
    assert_true(RemoveVectored(C));
}

/* Removed handlers are not called; a handle is removed once; unknown handles are
   refused; freed entries are reused (no new page). */
static void test_vectored_removal(void **State)
{
    EXCEPTION_RECORD Record;
    CONTEXT Context;
    PVOID A, B, Again;
    ULONG Before = Allocations;

    (void)State;
    A = AddVectored(0, VectoredA);
    B = AddVectored(0, VectoredB);
    assert_true(RemoveVectored(A));
    assert_false(RemoveVectored(A));
    assert_false(RemoveVectored((PVOID)&Record));
    assert_false(RemoveVectored(NULL));

    NewRecord(&Record, (NTSTATUS)0xC0000005, 0);
    assert_false(Dispatch(&Record, &Context));
    assert_int_equal(CallCount, 1);
    assert_int_equal(Calls[0].Handler, 11);

    Again = AddVectored(1, VectoredA);
    assert_non_null(Again);
    assert_true(RemoveVectored(Again));
    assert_true(RemoveVectored(B));
    assert_int_equal(Allocations, Before);

    /* none left: the dispatch goes straight to the (empty) chain */
    CallCount = 0;
    assert_false(Dispatch(&Record, &Context));
    assert_int_equal(CallCount, 0);
}

/* ---- critical sections (ntdll/rtl/critsect.c) ---- */

static int ResetSection(void **State)
{
    ResetRun(State);
    CreateEventService = ServiceNumber("NtCreateEvent");
    DoorStopService = ServiceNumber("NtWaitForKeyedEvent");
    DoorEmulate = 1;
    return 0;
}

static int EndSection(void **State)
{
    DoorEmulate = 0;
    DoorStopService = 0xFFFFFFFF;
    CreateEventService = 0xFFFFFFFF;
    return FreeRun(State);
}

/*
 * A section another thread owns, and no event to wait on that can be made: Enter
 * falls back to the system's keyed event (XP's CritSecOutOfMemoryEvent) instead
 * of failing. It marks the section so (LockSemaphore 1, not a handle), counts
 * itself in, and sleeps with NtWaitForKeyedEvent(NULL, the section's address),
 * where the owner's Leave will release it.
 */
static void test_critical_section_event_fails(void **State)
{
    RTL_CRITICAL_SECTION Section = { NULL, 0, 1, (HANDLE)0x99, NULL, 0 };
    PULONG Frame = (PULONG)((PUCHAR)RunStack + RUN_STACK_SIZE - 64);

    (void)State;
    Frame[0] = 0xDEADC0DE;              /* the return address: never used */
    Frame[1] = (ULONG)(uintptr_t)&Section;
    RunOnStack(Frame, View + ExportRva("RtlEnterCriticalSection"));
    assert_int_equal(DoorService, DoorStopService);
    assert_int_equal(DoorArguments[0], 0);                            /* the system's keyed event */
    assert_int_equal(DoorArguments[1], (ULONG)(uintptr_t)&Section);   /* the key */
    assert_int_equal(DoorArguments[2] & 0xFF, FALSE);                 /* not alertable */
    assert_int_equal(DoorArguments[3], 0);                            /* no timeout */
    assert_int_equal(Section.LockCount, 1);                           /* counted in */
    assert_int_equal(Section.RecursionCount, 1);
    assert_ptr_equal(Section.OwningThread, (HANDLE)0x99);
    assert_ptr_equal(Section.LockSemaphore, (HANDLE)1);
}

/* The owner of such a section leaves with a waiter counted in: it releases the
   section's key on the system's keyed event (the waiter's NtWaitForKeyedEvent). */
static void test_critical_section_keyed_leave(void **State)
{
    RTL_CRITICAL_SECTION Section = { NULL, 1, 1, (HANDLE)0x99, (HANDLE)1, 0 };
    PULONG Frame = (PULONG)((PUCHAR)RunStack + RUN_STACK_SIZE - 64);

    (void)State;
    DoorStopService = ServiceNumber("NtReleaseKeyedEvent");
    Frame[0] = 0xDEADC0DE;
    Frame[1] = (ULONG)(uintptr_t)&Section;
    RunOnStack(Frame, View + ExportRva("RtlLeaveCriticalSection"));
    assert_int_equal(DoorService, DoorStopService);
    assert_int_equal(DoorArguments[0], 0);
    assert_int_equal(DoorArguments[1], (ULONG)(uintptr_t)&Section);
    assert_int_equal(Section.LockCount, 0);                           /* the waiter's now */
    assert_null(Section.OwningThread);
}

/* ---- condition variables (ntdll/rtl/condvar.c) ---- */

/* RTL_CONDITION_VARIABLE and RTL_SRWLOCK: one pointer-sized word each. */
typedef struct _TEST_SYNC_WORD {
    PVOID Ptr;
} TEST_SYNC_WORD;
typedef NTSTATUS (NTAPI *PSLEEP_SRW)(TEST_SYNC_WORD *, TEST_SYNC_WORD *, PLARGE_INTEGER, ULONG);

static TEST_SYNC_WORD Condition;
static ULONG KeyedWaits;

static int ResetCondition(void **State)
{
    if (SharedPage == MAP_FAILED)
        skip();                         /* 0x7FFE0000 is taken on this host */
    KeyedWaitService = ServiceNumber("NtWaitForKeyedEvent");
    Condition.Ptr = NULL;
    KeyedWaits = 0;
    DoorEmulate = 1;
    return Reset(State);
}

static int EndCondition(void **State)
{
    (void)State;
    DoorEmulate = 0;
    KeyedWaitService = 0xFFFFFFFF;
    KeyedWaitScript = NULL;
    return 0;
}

/*
 * The interleaving: sleeper A's timeout passes just as a waker W claims it (W has
 * counted it out, and is on its way to release the variable's key); A finds the
 * count at 0 and waits for that release. But before A is back in the kernel, a
 * new sleeper C counts itself in and gets there first: W's release meets C. A is
 * left waiting for a release nobody owes it, and C's count is still there. A must
 * not sleep on until some later wake (perhaps never): its timeout has passed, so
 * it takes C's count (C is woken and counted out all the same) and times out.
 */
static NTSTATUS TimeoutStolenWait(PULONG Arguments)
{
    volatile ULONG *Count = (volatile ULONG *)&Condition.Ptr;

    assert_int_equal(Arguments[0], 0);                                /* the system's keyed event */
    assert_int_equal(Arguments[1], (ULONG)(uintptr_t)&Condition);     /* keyed by the variable */
    switch (++KeyedWaits) {
    case 1:
        assert_int_equal(*Count, 1);
        assert_int_not_equal(Arguments[3], 0);
        *Count = 0;                     /* W claims A */
        return STATUS_TIMEOUT;          /* and A's timeout passes before W's release */
    case 2:
        *Count = 1;                     /* C counted in, met W's release in the kernel */
        if (Arguments[3] == 0)
            fail_msg("a sleeper whose timeout passed waits with no timeout for a release another took");
        return STATUS_TIMEOUT;          /* nothing more comes for A */
    default:
        fail_msg("a third wait for one sleep");
        return STATUS_UNSUCCESSFUL;
    }
}

static void test_condition_timeout_stolen(void **State)
{
    PSLEEP_SRW Sleep = (PSLEEP_SRW)(View + ExportRva("RtlSleepConditionVariableSRW"));
    TEST_SYNC_WORD Lock = { (PVOID)1 };    /* held exclusive, nobody else wants it */
    LARGE_INTEGER Timeout;

    (void)State;
    KeyedWaitScript = TimeoutStolenWait;
    Timeout.QuadPart = -10000;
    assert_int_equal(Sleep(&Condition, &Lock, &Timeout, 0), STATUS_TIMEOUT);
    assert_int_equal(KeyedWaits, 2);
    assert_null(Condition.Ptr);         /* C woken, nobody counted */
    assert_ptr_equal(Lock.Ptr, (PVOID)1);
}

/* The same, but W's release does come for A: it reports the wake, counts nothing. */
static NTSTATUS TimeoutClaimedWait(PULONG Arguments)
{
    volatile ULONG *Count = (volatile ULONG *)&Condition.Ptr;

    (void)Arguments;
    switch (++KeyedWaits) {
    case 1:
        *Count = 0;
        return STATUS_TIMEOUT;
    case 2:
        assert_int_equal(*Count, 0);
        return STATUS_SUCCESS;          /* W's release */
    default:
        fail_msg("a third wait for one sleep");
        return STATUS_UNSUCCESSFUL;
    }
}

static void test_condition_timeout_claimed(void **State)
{
    PSLEEP_SRW Sleep = (PSLEEP_SRW)(View + ExportRva("RtlSleepConditionVariableSRW"));
    TEST_SYNC_WORD Lock = { (PVOID)1 };
    LARGE_INTEGER Timeout;

    (void)State;
    KeyedWaitScript = TimeoutClaimedWait;
    Timeout.QuadPart = -10000;
    assert_int_equal(Sleep(&Condition, &Lock, &Timeout, 0), STATUS_SUCCESS);
    assert_int_equal(KeyedWaits, 2);
    assert_null(Condition.Ptr);
}

/* The interlocked lists (i386/slist.asm): LIFO order, Depth and Sequence counted
   in the 8-byte header, flush takes the chain whole. */
typedef struct _TEST_SLIST_ENTRY {
    struct _TEST_SLIST_ENTRY *Next;
} TEST_SLIST_ENTRY;

static void test_slist(void **State)
{
    typedef VOID (NTAPI *INIT)(ULONGLONG *);
    typedef TEST_SLIST_ENTRY *(NTAPI *PUSH)(ULONGLONG *, TEST_SLIST_ENTRY *);
    typedef TEST_SLIST_ENTRY *(NTAPI *ONE)(ULONGLONG *);
    typedef USHORT (NTAPI *DEPTH)(ULONGLONG *);
    INIT Initialize = (INIT)(View + ExportRva("RtlInitializeSListHead"));
    PUSH Push = (PUSH)(View + ExportRva("RtlInterlockedPushEntrySList"));
    ONE Pop = (ONE)(View + ExportRva("RtlInterlockedPopEntrySList"));
    ONE Flush = (ONE)(View + ExportRva("RtlInterlockedFlushSList"));
    ONE First = (ONE)(View + ExportRva("RtlFirstEntrySList"));
    DEPTH Depth = (DEPTH)(View + ExportRva("RtlQueryDepthSList"));
    ULONGLONG Header = ~0ULL;
    TEST_SLIST_ENTRY Entries[3];

    (void)State;
    Initialize(&Header);
    assert_true(Header == 0);
    assert_null(Pop(&Header));
    assert_null(Push(&Header, &Entries[0]));
    assert_ptr_equal(Push(&Header, &Entries[1]), &Entries[0]);
    assert_ptr_equal(Push(&Header, &Entries[2]), &Entries[1]);
    assert_int_equal(Depth(&Header), 3);
    assert_int_equal((ULONG)(Header >> 48), 3);          /* Sequence: three pushes */
    assert_ptr_equal(First(&Header), &Entries[2]);
    assert_ptr_equal(Pop(&Header), &Entries[2]);
    assert_int_equal(Depth(&Header), 2);
    assert_int_equal((ULONG)(Header >> 48), 3);
    assert_ptr_equal(Flush(&Header), &Entries[1]);
    assert_ptr_equal(Entries[1].Next, &Entries[0]);
    assert_null(Entries[0].Next);
    assert_int_equal(Depth(&Header), 0);
    assert_null(First(&Header));
    assert_int_equal((ULONG)(Header >> 48), 3);
    assert_null(Flush(&Header));
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test_setup(test_empty_chain, Reset),
        cmocka_unit_test_setup(test_handlers_in_order, Reset),
        cmocka_unit_test_setup(test_nobody_handles, Reset),
        cmocka_unit_test_setup(test_record_off_the_stack, Reset),
        cmocka_unit_test_setup(test_record_misaligned, Reset),
        cmocka_unit_test_setup_teardown(test_noncontinuable, ResetRaise, FreeRun),
        cmocka_unit_test_setup_teardown(test_invalid_disposition, ResetRaise, FreeRun),
        cmocka_unit_test_setup(test_nested_exception, Reset),
        cmocka_unit_test_setup_teardown(test_apc_dispatcher_runs, ResetRun, FreeRun),
        cmocka_unit_test_setup_teardown(test_loader_thunk_runs, ResetRun, FreeRun),
        cmocka_unit_test_setup_teardown(test_callback_dispatcher_runs, ResetRun, FreeRun),
        cmocka_unit_test_setup_teardown(test_vectored_order, ResetVectored, EndVectored),
        cmocka_unit_test_setup_teardown(test_vectored_continue, ResetVectored, EndVectored),
        cmocka_unit_test_setup_teardown(test_vectored_removal, ResetVectored, EndVectored),
        cmocka_unit_test_setup_teardown(test_critical_section_event_fails, ResetSection, EndSection),
        cmocka_unit_test_setup_teardown(test_critical_section_keyed_leave, ResetSection, EndSection),
        cmocka_unit_test_setup_teardown(test_condition_timeout_stolen, ResetCondition, EndCondition),
        cmocka_unit_test_setup_teardown(test_condition_timeout_claimed, ResetCondition, EndCondition),
        cmocka_unit_test(test_slist),
    };
    return cmocka_run_group_tests(Tests, Setup, Teardown);
}
