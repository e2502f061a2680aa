/*
 * syscall.c - self-tests and benchmarks of the system-service path, from ring 3.
 *
 * Processes do not exist yet (issue 8), so each test builds what one needs by
 * hand: a scratch address space holding the ring-3 program tests/kernel/user/
 * svctest.asm at 0x00400000, a page for its results at 0x00410000 and a stack; a
 * KPROCESS around the space; a kernel thread that enters user mode there through a
 * hand-made trap frame. The program calls services through either door (INT 2E or
 * SYSENTER, as SharedUserData->SystemCall says) and ends through the test service
 * KstExit. A small service table (table 3, bits 12-13 of the service number) holds
 * the test services while the tests run, and is removed after.
 */
#include "kethread.h"
#include "mmtest.h"
#include <nt/kuser.h>
#include <bench.h>
#include <rtl.h>

extern const UCHAR KstSvcTestBlob[], KstSvcTestBlobEnd[];

#define KST_PROGRAM_BASE   0x00400000
#define KST_RESULTS_BASE   0x00410000
#define KST_STACK_BASE     0x00800000
#define KST_STACK_SIZE     0x10000
#define KST_DISPATCH_TABLE (KST_PROGRAM_BASE + 0x10)
#define KST_TEST_TABLE     3

/* Result slots: as R_* in svctest.asm. */
enum {
    R_ARGS = 0, R_REGS = 8, R_UNKNOWN = 9, R_NOTABLE = 10, R_BADARGS_INT = 11,
    R_BADARGS_COPY = 12, R_TIME_NULL = 13, R_TIME_MISALIGNED = 14, R_TIME_UNMAPPED = 15,
    R_TIME_OK = 16, R_TIME_HIGH = 17, R_APC_STATUS = 18, R_APC_RAN = 19, R_APC_AFTER = 20,
    R_CB_SIMPLE = 21, R_CB_NESTED = 22, R_CB_FAULT = 23, R_BENCH_NULL = 24,
    R_BENCH_EMPTY = 25, R_BENCH_ARGS4 = 26, R_DONE = 27, R_FRAME_BAD = 28, R_FRAME_SEEN = 29,
    R_FRAME_SEEN_ES = 30, R_FRAME_APC = 31, R_FRAME_CALLBACKS = 32, R_COUNT = 33
};

/* svctest.asm's test 6: the callbacks it makes (FRAME_CALLBACK_LOOPS), and the
   ApiNumber of the one that makes system calls and checks its segments. */
#define KST_FRAME_CALLBACK_LOOPS 2000
#define KST_CALLBACK_FRAMES      3
#define KST_TEST_FRAMES          6

/* The doors and dispatchers, in the order of svctest.asm's dispatch_table. */
enum { D_FAST = 0, D_FAST_RET, D_INT, D_APC, D_CALLBACK, D_EXCEPTION, D_COUNT };

/* ---- the test services (table 3) ---- */

static volatile ULONG KstNullCalls;
static volatile NTSTATUS KstExitStatus;

static NTSTATUS KstNull(VOID)
{
    KstNullCalls++;
    return STATUS_SUCCESS;
}

static NTSTATUS KstExit(NTSTATUS Status)
{
    KstExitStatus = Status;
    KeTerminateThread();
}

/*
 * Fills a kilobyte of the kernel stack below the caller with a ring-3 data
 * selector the program never loads (KGDT_R3_TEB | 3), as deep kernel calls leave
 * their frames behind: a trap frame later built there whose slots the entry did
 * not write shows it to the program, instead of passing by luck (or loading a
 * stack address as a selector, which is how it was found). noinline and volatile:
 * the frame must really be below the caller, and the stores must really happen.
 */
static __attribute__((noinline)) VOID KstScribbleStack(VOID)
{
    volatile ULONG Area[256];
    ULONG Index;

    for (Index = 0; Index < RTL_NUMBER_OF(Area); Index++)
        Area[Index] = KGDT_R3_TEB | RPL_MASK;
}

/* A service that calls back into user mode (no native service does yet). */
static NTSTATUS KstCallback(ULONG ApiNumber, PVOID Input, ULONG Length)
{
    ULONG Copy[4], Output = 0;
    PVOID OutputBuffer = NULL;
    ULONG OutputLength = 0;
    KFAULT_RECOVERY Recovery;
    NTSTATUS Status;

    if (Length > sizeof(Copy))
        return STATUS_INVALID_PARAMETER;
    if (KiSetFaultRecovery(&Recovery) == 0) {
        ProbeForRead(Input, Length, 1);
        memcpy(Copy, Input, Length);
        KiClearFaultRecovery(&Recovery);
    } else {
        return Recovery.ExceptionCode;
    }
    if (ApiNumber == KST_CALLBACK_FRAMES)
        KstScribbleStack();
    Status = KeUserModeCallback(ApiNumber, Copy, Length, &OutputBuffer, &OutputLength);
    if (!NT_SUCCESS(Status))
        return Status;
    if (OutputLength != sizeof(ULONG))
        return STATUS_INFO_LENGTH_MISMATCH;
    if (KiSetFaultRecovery(&Recovery) == 0) {
        ProbeForRead(OutputBuffer, sizeof(ULONG), sizeof(ULONG));
        Output = *(PULONG)OutputBuffer;
        KiClearFaultRecovery(&Recovery);
    } else {
        return Recovery.ExceptionCode;
    }
    return (NTSTATUS)((ULONG)Status ^ Output);
}

/* Argument checksums: sum of (i + 1) * argument i, plus the count in the top bits. */
static NTSTATUS KstArgs0(VOID) { return (NTSTATUS)0x00000000; }
static NTSTATUS KstArgs1(ULONG a) { return (NTSTATUS)(0x01000000 + a); }
static NTSTATUS KstArgs2(ULONG a, ULONG b) { return (NTSTATUS)(0x02000000 + a + 2 * b); }
static NTSTATUS KstArgs3(ULONG a, ULONG b, ULONG c) { return (NTSTATUS)(0x03000000 + a + 2 * b + 3 * c); }
static NTSTATUS KstArgs4(ULONG a, ULONG b, ULONG c, ULONG d)
{
    return (NTSTATUS)(0x04000000 + a + 2 * b + 3 * c + 4 * d);
}
static NTSTATUS KstArgs8(ULONG a1, ULONG a2, ULONG a3, ULONG a4, ULONG a5, ULONG a6, ULONG a7,
                         ULONG a8)
{
    return (NTSTATUS)(0x08000000 + a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 + 8 * a8);
}
static NTSTATUS KstArgs12(ULONG a1, ULONG a2, ULONG a3, ULONG a4, ULONG a5, ULONG a6, ULONG a7,
                          ULONG a8, ULONG a9, ULONG a10, ULONG a11, ULONG a12)
{
    return (NTSTATUS)(0x0C000000 + a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 +
                      8 * a8 + 9 * a9 + 10 * a10 + 11 * a11 + 12 * a12);
}
static NTSTATUS KstArgs16(ULONG a1, ULONG a2, ULONG a3, ULONG a4, ULONG a5, ULONG a6, ULONG a7,
                          ULONG a8, ULONG a9, ULONG a10, ULONG a11, ULONG a12, ULONG a13,
                          ULONG a14, ULONG a15, ULONG a16)
{
    return (NTSTATUS)(0x10000000 + a1 + 2 * a2 + 3 * a3 + 4 * a4 + 5 * a5 + 6 * a6 + 7 * a7 +
                      8 * a8 + 9 * a9 + 10 * a10 + 11 * a11 + 12 * a12 + 13 * a13 + 14 * a14 +
                      15 * a15 + 16 * a16);
}

static ULONG_PTR KstServiceTable[] = {
    (ULONG_PTR)KstNull, (ULONG_PTR)KstExit, (ULONG_PTR)KstCallback,
    (ULONG_PTR)KstArgs0, (ULONG_PTR)KstArgs1, (ULONG_PTR)KstArgs2, (ULONG_PTR)KstArgs3,
    (ULONG_PTR)KstArgs4, (ULONG_PTR)KstArgs8, (ULONG_PTR)KstArgs12, (ULONG_PTR)KstArgs16,
};
static UCHAR KstArgumentTable[] = { 0, 4, 12, 0, 4, 8, 12, 16, 32, 48, 64 };
static const ULONG KstArgCounts[8] = { 0, 1, 2, 3, 4, 8, 12, 16 };

/* What the program's CALL_ARGS pushes: argument i (1-based) of n is 0x11111111 * i + n. */
static ULONG KstExpectedChecksum(ULONG Count)
{
    ULONG Sum = Count << 24, Index;

    for (Index = 1; Index <= Count; Index++)
        Sum += Index * (0x11111111 * Index + Count);
    return Sum;
}

/* ---- running the program ---- */

typedef struct _KST_USER_RUN {
    PMM_ADDRESS_SPACE Space;
    KPROCESS Process;
    ULONG Test;
    ULONG Results[R_COUNT];
    ULONG Dispatch[D_COUNT];
} KST_USER_RUN;

static VOID KstUserThread(PVOID Context)
{
    KST_USER_RUN *Run = Context;
    PKTHREAD Thread = KeGetCurrentThread();
    /* A frame that, restored, is the program's first instruction in ring 3. */
    PKTRAP_FRAME Frame = (PKTRAP_FRAME)((PUCHAR)Thread->TrapStackTop - sizeof(KTRAP_FRAME));

    memset(Frame, 0, sizeof(*Frame));
    Frame->Eip = KST_PROGRAM_BASE;
    Frame->SegCs = KGDT_R3_CODE | RPL_MASK;
    Frame->EFlags = EFLAGS_IF | 0x2;
    Frame->HardwareEsp = KST_STACK_BASE + KST_STACK_SIZE - 16;
    Frame->HardwareSegSs = KGDT_R3_DATA | RPL_MASK;
    Frame->SegDs = Frame->SegEs = KGDT_R3_DATA | RPL_MASK;
    Frame->SegFs = KGDT_R3_TEB | RPL_MASK;
    Frame->Ebx = Run->Test;
    Frame->ErrCode = KI_FRAME_EDITED;
    Frame->ExceptionList = (ULONG)(ULONG_PTR)EXCEPTION_CHAIN_END;
    Frame->PreviousPreviousMode = UserMode;
    if (Run->Test == KST_TEST_FRAMES) {
        /* Where the system calls' frames will lie: selectors the program does
           not use (it loads its own first), so a slot an entry leaves unwritten
           comes back to it visibly. */
        Frame->SegDs = Frame->SegEs = Frame->SegGs = KGDT_R3_TEB | RPL_MASK;
    }
    KiEnterUserMode(Frame);
}

static NTSTATUS KstMap(PVOID Base, SIZE_T Size, ULONG Protect)
{
    PVOID Address = Base;
    return MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE | MEM_COMMIT, Protect);
}

/*
 * Runs test Test of the program in a fresh address space through the door the
 * kernel chose (or INT 2E when ForceInt), and copies its results out.
 */
static NTSTATUS KstRunUserTest(KST_USER_RUN *Run, ULONG Test, BOOLEAN ForceInt)
{
    MM_ATTACH_STATE Attach;
    PKTHREAD Thread;
    SIZE_T Size = (SIZE_T)(KstSvcTestBlobEnd - KstSvcTestBlob);
    ULONG_PTR Saved[5];
    NTSTATUS Status;

    Run->Test = Test;
    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Run->Space)));
    MmAttachAddressSpace(Run->Space, &Attach);
    Status = KstMap((PVOID)KST_PROGRAM_BASE, Size, PAGE_EXECUTE_READWRITE);
    if (NT_SUCCESS(Status))
        Status = KstMap((PVOID)KST_RESULTS_BASE, PAGE_SIZE, PAGE_READWRITE);
    if (NT_SUCCESS(Status))
        Status = KstMap((PVOID)KST_STACK_BASE, KST_STACK_SIZE, PAGE_READWRITE);
    if (NT_SUCCESS(Status)) {
        memcpy((PVOID)KST_PROGRAM_BASE, KstSvcTestBlob, Size);
        memcpy(Run->Dispatch, (PVOID)KST_DISPATCH_TABLE, sizeof(Run->Dispatch));
    }
    MmDetachAddressSpace(&Attach);
    KST_CHECK(NT_SUCCESS(Status));

    /* ntdll's part, done by hand: the doors and the dispatchers (the real ntdll's,
       found at boot, are put back when the program has ended). */
    Saved[0] = SharedUserData->SystemCall;
    Saved[1] = SharedUserData->SystemCallReturn;
    Saved[2] = KeUserApcDispatcher;
    Saved[3] = KeUserCallbackDispatcher;
    Saved[4] = KeUserExceptionDispatcher;
    SharedUserData->SystemCall = (KeFastSystemCallEnabled() && !ForceInt) ?
                                 Run->Dispatch[D_FAST] : Run->Dispatch[D_INT];
    SharedUserData->SystemCallReturn = Run->Dispatch[D_FAST_RET];
    KeUserApcDispatcher = Run->Dispatch[D_APC];
    KeUserCallbackDispatcher = Run->Dispatch[D_CALLBACK];
    KeUserExceptionDispatcher = Run->Dispatch[D_EXCEPTION];

    KeInitializeProcess(&Run->Process, 8, Run->Space);
    KstExitStatus = STATUS_PENDING;
    Thread = ExAllocatePoolWithTag(NonPagedPool, sizeof(KTHREAD), EX_POOL_TAG('K', 's', 't', 'U'));
    KST_CHECK(Thread != NULL);
    Status = KeInitThread(Thread, &Run->Process, KstUserThread, Run, 8);
    if (NT_SUCCESS(Status)) {
        KeStartThread(Thread);
        KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL);
    }
    ExFreePoolWithTag(Thread, EX_POOL_TAG('K', 's', 't', 'U'));
    SharedUserData->SystemCall = Saved[0];
    SharedUserData->SystemCallReturn = Saved[1];
    KeUserApcDispatcher = Saved[2];
    KeUserCallbackDispatcher = Saved[3];
    KeUserExceptionDispatcher = Saved[4];
    KST_CHECK(NT_SUCCESS(Status));

    MmAttachAddressSpace(Run->Space, &Attach);
    memcpy(Run->Results, (PVOID)KST_RESULTS_BASE, sizeof(Run->Results));
    MmDetachAddressSpace(&Attach);
    MmDeleteProcessAddressSpace(Run->Space);
    return STATUS_SUCCESS;
}

static VOID KstInstallTestTable(BOOLEAN Install)
{
    PKSERVICE_TABLE_DESCRIPTOR Table = &KeServiceDescriptorTable[KST_TEST_TABLE];

    Table->Base = Install ? KstServiceTable : NULL;
    Table->Number = Install ? KstArgumentTable : NULL;
    Table->Count = NULL;
    Table->Limit = Install ? RTL_NUMBER_OF(KstServiceTable) : 0;
}

/* Runs Check on every door this machine has: SYSENTER (when it is on) and INT 2E. */
static NTSTATUS KstOnBothDoors(NTSTATUS (*Check)(BOOLEAN ForceInt))
{
    NTSTATUS Status;

    KstInstallTestTable(TRUE);
    Status = Check(TRUE);
    if (NT_SUCCESS(Status) && KeFastSystemCallEnabled())
        Status = Check(FALSE);
    KstInstallTestTable(FALSE);
    return Status;
}

/* ---- the tests ---- */

static NTSTATUS KstCheckServices(BOOLEAN ForceInt)
{
    static KST_USER_RUN Run;
    ULONG Index;

    KST_CHECK(NT_SUCCESS(KstRunUserTest(&Run, 0, ForceInt)));
    DbgPrint("    %s: exit 0x%08lX, done 0x%lX\n", ForceInt ? "INT 2E" : "SYSENTER",
             (ULONG)KstExitStatus, Run.Results[R_DONE]);
    KST_CHECK(KstExitStatus == STATUS_SUCCESS && Run.Results[R_DONE] == 0x600D);
    for (Index = 0; Index < 8; Index++)
        KST_CHECK(Run.Results[R_ARGS + Index] == KstExpectedChecksum(KstArgCounts[Index]));
    KST_CHECK(Run.Results[R_REGS] == 1);
    return STATUS_SUCCESS;
}

static NTSTATUS KstServices(VOID)
{
    KST_MM_BASELINE Baseline;
    NTSTATUS Status;

    KstTakeBaseline(&Baseline);
    Status = KstOnBothDoors(KstCheckServices);
    if (!NT_SUCCESS(Status))
        return Status;
    return KstCheckBaseline(&Baseline, "after the ring-3 runs");
}
KSELFTEST(SYSCALL_ARGUMENTS, KstServices);

static NTSTATUS KstCheckErrors(BOOLEAN ForceInt)
{
    static KST_USER_RUN Run;

    KST_CHECK(NT_SUCCESS(KstRunUserTest(&Run, 1, ForceInt)));
    KST_CHECK(KstExitStatus == STATUS_SUCCESS && Run.Results[R_DONE] == 0x600D);
    KST_CHECK(Run.Results[R_UNKNOWN] == (ULONG)STATUS_INVALID_SYSTEM_SERVICE);
    KST_CHECK(Run.Results[R_NOTABLE] == (ULONG)STATUS_INVALID_SYSTEM_SERVICE);
    KST_CHECK(Run.Results[R_BADARGS_INT] == (ULONG)STATUS_ACCESS_VIOLATION);
    KST_CHECK(Run.Results[R_BADARGS_COPY] == (ULONG)STATUS_ACCESS_VIOLATION);
    KST_CHECK(Run.Results[R_TIME_NULL] == (ULONG)STATUS_ACCESS_VIOLATION);
    KST_CHECK(Run.Results[R_TIME_MISALIGNED] == (ULONG)STATUS_DATATYPE_MISALIGNMENT);
    KST_CHECK(Run.Results[R_TIME_UNMAPPED] == (ULONG)STATUS_ACCESS_VIOLATION);
    KST_CHECK(Run.Results[R_TIME_OK] == STATUS_SUCCESS && Run.Results[R_TIME_HIGH] != 0);
    return STATUS_SUCCESS;
}

static NTSTATUS KstErrors(VOID) { return KstOnBothDoors(KstCheckErrors); }
KSELFTEST(SYSCALL_ERRORS, KstErrors);

static NTSTATUS KstCheckApc(BOOLEAN ForceInt)
{
    static KST_USER_RUN Run;

    KST_CHECK(NT_SUCCESS(KstRunUserTest(&Run, 2, ForceInt)));
    KST_CHECK(KstExitStatus == STATUS_SUCCESS && Run.Results[R_DONE] == 0x600D);
    KST_CHECK(Run.Results[R_APC_STATUS] == STATUS_SUCCESS);
    KST_CHECK(Run.Results[R_APC_RAN] == 0x11 + 0x22 + 0x33);
    /* NtContinue put back the EAX NtTestAlert had returned. */
    KST_CHECK(Run.Results[R_APC_AFTER] == STATUS_SUCCESS || Run.Results[R_APC_AFTER] == STATUS_ALERTED);
    return STATUS_SUCCESS;
}

static NTSTATUS KstUserApc(VOID) { return KstOnBothDoors(KstCheckApc); }
KSELFTEST(SYSCALL_USER_APC, KstUserApc);

static NTSTATUS KstCheckCallbacks(BOOLEAN ForceInt)
{
    static KST_USER_RUN Run;

    KST_CHECK(NT_SUCCESS(KstRunUserTest(&Run, 3, ForceInt)));
    KST_CHECK(KstExitStatus == STATUS_SUCCESS && Run.Results[R_DONE] == 0x600D);
    KST_CHECK(Run.Results[R_CB_SIMPLE] == 0x12345678);
    KST_CHECK(Run.Results[R_CB_NESTED] == 0x12345679);
    KST_CHECK(Run.Results[R_CB_FAULT] == (ULONG)STATUS_ACCESS_VIOLATION);
    return STATUS_SUCCESS;
}

static NTSTATUS KstCallbacks(VOID) { return KstOnBothDoors(KstCheckCallbacks); }
KSELFTEST(SYSCALL_CALLBACKS, KstCallbacks);

/*
 * The data segments survive every kind of system-call exit (svctest.asm test 6):
 * an exit through IRETD restores the frame whole, so the entry must have filled
 * it whole. Before the fix, /NOSYSENTER (every exit IRETD) and user APCs (edited
 * frames) returned with whatever the kernel stack held in the SegGs/SegDs/SegEs
 * slots, and SYSCALL_CALLBACKS sometimes bugchecked on the exit's POP GS.
 */
static NTSTATUS KstCheckFrames(BOOLEAN ForceInt)
{
    static KST_USER_RUN Run;

    KST_CHECK(NT_SUCCESS(KstRunUserTest(&Run, KST_TEST_FRAMES, ForceInt)));
    DbgPrint("    %s: %lu bad segments (first DS %04lX ES %04lX GS %04lX), APC %lu, "
             "callbacks %lu\n", ForceInt ? "INT 2E" : "SYSENTER", Run.Results[R_FRAME_BAD],
             Run.Results[R_FRAME_SEEN] & 0xFFFF, Run.Results[R_FRAME_SEEN_ES],
             Run.Results[R_FRAME_SEEN] >> 16, Run.Results[R_FRAME_APC],
             Run.Results[R_FRAME_CALLBACKS]);
    KST_CHECK(KstExitStatus == STATUS_SUCCESS && Run.Results[R_DONE] == 0x600D);
    KST_CHECK(Run.Results[R_FRAME_BAD] == 0);
    KST_CHECK(Run.Results[R_FRAME_APC] == 1 + KST_FRAME_CALLBACK_LOOPS);
    KST_CHECK(Run.Results[R_FRAME_CALLBACKS] == KST_FRAME_CALLBACK_LOOPS);
    return STATUS_SUCCESS;
}

static NTSTATUS KstFrames(VOID) { return KstOnBothDoors(KstCheckFrames); }
KSELFTEST(SYSCALL_FRAMES, KstFrames);

/* SYSENTER with TF set: the service runs, the kernel goes on; the program then
   ends on its own single step (STATUS_SINGLE_STEP, which its exception dispatcher
   does not handle). */
static NTSTATUS KstSingleStep(VOID)
{
    static KST_USER_RUN Run;
    ULONG Before = KstNullCalls;

    if (!KeFastSystemCallEnabled()) {
        DbgPrint("    no SYSENTER on this processor: nothing to test\n");
        return STATUS_SUCCESS;
    }
    KstInstallTestTable(TRUE);
    KST_CHECK(NT_SUCCESS(KstRunUserTest(&Run, 4, FALSE)));
    KstInstallTestTable(FALSE);
    KST_CHECK(KstNullCalls == Before + 1);
    KST_CHECK(KstExitStatus == STATUS_PENDING && Run.Results[R_DONE] == 0);
    return STATUS_SUCCESS;
}
KSELFTEST(SYSCALL_SINGLE_STEP, KstSingleStep);

/* ---- benchmarks ---- */

static ULONG KstBenchResult(ULONG Work, ULONG Empty)
{
    return Work > Empty ? (Work - Empty) / 1000 : 0;
}

static KST_USER_RUN KstBenchRun;

static ULONGLONG KbSyscall(BOOLEAN ForceInt, ULONG Slot)
{
    KstInstallTestTable(TRUE);
    KstRunUserTest(&KstBenchRun, 5, ForceInt);
    KstInstallTestTable(FALSE);
    return KstBenchResult(KstBenchRun.Results[Slot], KstBenchRun.Results[R_BENCH_EMPTY]);
}

static ULONGLONG KbInt2E(VOID)     { return KbSyscall(TRUE, R_BENCH_NULL); }
static ULONGLONG KbInt2EArgs(VOID) { return KbSyscall(TRUE, R_BENCH_ARGS4); }
static ULONGLONG KbSysenter(VOID)
{
    return KeFastSystemCallEnabled() ? KbSyscall(FALSE, R_BENCH_NULL) : 0;
}
static ULONGLONG KbSysenterArgs(VOID)
{
    return KeFastSystemCallEnabled() ? KbSyscall(FALSE, R_BENCH_ARGS4) : 0;
}
KBENCH(syscall_int2e_null, KbInt2E, "instructions per round trip of a service that does nothing, INT 2E");
KBENCH(syscall_sysenter_null, KbSysenter, "the same through SYSENTER");
KBENCH(syscall_int2e_4args, KbInt2EArgs, "a service with 4 arguments, INT 2E");
KBENCH(syscall_sysenter_4args, KbSysenterArgs, "a service with 4 arguments, SYSENTER");
