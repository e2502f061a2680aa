/*
 * kiexcept.c - self-tests and a benchmark of user-mode exceptions, the NT way end
 * to end: a fault in ring 3 -> KiDispatchException (kernel/ke/i386/exceptn.c) ->
 * ntdll's KiUserExceptionDispatcher -> vectored handlers and the SEH chain ->
 * NtContinue, or NtRaiseException's second chance -> KiEndUserProcess.
 *
 * Processes do not exist yet, so each run builds one by hand, as syscall.c does: a
 * scratch address space with the ring-3 program tests/kernel/user/exctest.asm at
 * 0x00400000, a results page, a stack, a guard page; plus what exceptions need of
 * a process: the real ntdll.dll mapped at its base (from PspSystemDll's section),
 * and a TEB whose NT_TIB names the stack (RtlDispatchException checks SEH records
 * against it) and whose address is KTHREAD.Teb (the context switch points the
 * 0x3B selector there). The harness resolves the ntdll exports the program calls
 * into its import table, as a loader would. A test table (table 3) holds the
 * service the program ends with.
 */
#include "kethread.h"
#include "mmtest.h"
#include <nt/ntexcept.h>
#include <nt/ntmmapi.h>
#include <bench.h>
#include <ps.h>
#include <mm.h>
#include <rtl.h>

extern const UCHAR KxtExcTestBlob[], KxtExcTestBlobEnd[];
VOID KiEnterUserMode(PKTRAP_FRAME TrapFrame);

#define KXT_PROGRAM_BASE   0x00400000
#define KXT_IMPORTS        (KXT_PROGRAM_BASE + 0x10)
#define KXT_RESULTS_BASE   0x00410000
#define KXT_GUARD_PAGE     0x00430000
#define KXT_STACK_BASE     0x00800000
#define KXT_STACK_SIZE     0x10000
#define KXT_TEB            0x7FFDE000
#define KXT_TEST_TABLE     3
#define KXT_TAG            EX_POOL_TAG('K', 'x', 't', 'U')

/* As in exctest.asm */
enum {
    R_DONE = 0, R_STAGE = 1, R_VEH_LOG = 2, R_VEH_COUNT = 10, R_VEH_HANDLE1 = 11,
    R_VEH_HANDLE2 = 12, R_VEH_REMOVE1 = 13, R_VEH_REMOVE2 = 14, R_VEH_REMOVE_AGAIN = 15,
    R_SEH_CALLS = 16, R_BAD_RECORD = 17, R_BAD_CONTEXT = 18, R_TOO_MANY = 19,
    R_BENCH = 24, R_BENCH_EMPTY = 25, ROWS = 32, ROW_SIZE = 10, R_COUNT = ROWS + 14 * ROW_SIZE
};
enum {
    ROW_AT = 0, ROW_ESP, ROW_CODE, ROW_ADDRESS, ROW_NPARAMS, ROW_P0, ROW_P1, ROW_CTX_EIP,
    ROW_CTX_ESP, ROW_CTX_EFLAGS
};
enum { T_FAULTS = 0, T_VECTORED, T_RAISE, T_UNHANDLED, T_BAD_STACK, T_BENCH };

/* The program's imports, in the order of its table. */
static const PCSTR KxtImports[] = {
    "RtlAddVectoredExceptionHandler", "RtlRemoveVectoredExceptionHandler",
    "RtlRaiseException", "NtRaiseException",
};

/* ---- the test service: the program's end ---- */

static volatile NTSTATUS KxtExitStatus;

static NTSTATUS KxtExit(NTSTATUS Status)
{
    KxtExitStatus = Status;
    KeTerminateThread();
}

static ULONG_PTR KxtServiceTable[] = { (ULONG_PTR)KxtExit };
static UCHAR KxtArgumentTable[] = { 4 };

static VOID KxtInstallTestTable(BOOLEAN Install)
{
    PKSERVICE_TABLE_DESCRIPTOR Table = &KeServiceDescriptorTable[KXT_TEST_TABLE];

    Table->Base = Install ? KxtServiceTable : NULL;
    Table->Number = Install ? KxtArgumentTable : NULL;
    Table->Count = NULL;
    Table->Limit = Install ? RTL_NUMBER_OF(KxtServiceTable) : 0;
}

/* ---- running the program ---- */

typedef struct _KXT_RUN {
    PMM_ADDRESS_SPACE Space;
    KPROCESS Process;
    ULONG Test;
    ULONG Results[R_COUNT];
} KXT_RUN;

static VOID KxtUserThread(PVOID Context)
{
    KXT_RUN *Run = Context;
    PKTHREAD Thread = KeGetCurrentThread();
    PKTRAP_FRAME Frame = (PKTRAP_FRAME)((PUCHAR)Thread->TrapStackTop - sizeof(KTRAP_FRAME));

    memset(Frame, 0, sizeof(*Frame));
    Frame->Eip = KXT_PROGRAM_BASE;
    Frame->SegCs = KGDT_R3_CODE | RPL_MASK;
    Frame->EFlags = EFLAGS_IF | 0x2;
    Frame->HardwareEsp = KXT_STACK_BASE + KXT_STACK_SIZE - 16;
    Frame->HardwareSegSs = KGDT_R3_DATA | RPL_MASK;
    Frame->SegDs = Frame->SegEs = KGDT_R3_DATA | RPL_MASK;
    Frame->SegFs = KGDT_R3_TEB | RPL_MASK;
    Frame->Ebx = Run->Test;
    Frame->ErrCode = KI_FRAME_EDITED;
    Frame->ExceptionList = (ULONG)(ULONG_PTR)EXCEPTION_CHAIN_END;
    Frame->PreviousPreviousMode = UserMode;
    KiEnterUserMode(Frame);
}

static NTSTATUS KxtMap(ULONG_PTR Base, SIZE_T Size, ULONG Protect)
{
    PVOID Address = (PVOID)Base;
    return MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE | MEM_COMMIT, Protect);
}

/* The space: program, results, guard page, stack, TEB, ntdll, imports resolved. */
static NTSTATUS KxtBuildSpace(KXT_RUN *Run)
{
    SIZE_T Size = (SIZE_T)(KxtExcTestBlobEnd - KxtExcTestBlob);
    PVOID DllBase = NULL;
    SIZE_T ViewSize = 0;
    MM_ATTACH_STATE Attach;
    ULONG Imports[RTL_NUMBER_OF(KxtImports)];
    ULONG Index, Rva;
    NTSTATUS Status;

    for (Index = 0; Index < RTL_NUMBER_OF(KxtImports); Index++) {
        Status = MmFindSectionExport(PspSystemDll.Section, KxtImports[Index], &Rva);
        if (!NT_SUCCESS(Status)) {
            DbgPrint("    ntdll.dll does not export %s\n", KxtImports[Index]);
            return Status;
        }
        Imports[Index] = (ULONG)(ULONG_PTR)PspSystemDll.DllBase + Rva;
    }
    Status = MmCreateProcessAddressSpace(&Run->Space);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = MmMapViewOfSection(PspSystemDll.Section, Run->Space, &DllBase, 0, NULL, &ViewSize, 0,
                                PAGE_READWRITE);
    if (NT_SUCCESS(Status) && DllBase != PspSystemDll.DllBase)
        Status = STATUS_CONFLICTING_ADDRESSES;

    MmAttachAddressSpace(Run->Space, &Attach);
    if (NT_SUCCESS(Status))
        Status = KxtMap(KXT_PROGRAM_BASE, Size, PAGE_EXECUTE_READWRITE);
    if (NT_SUCCESS(Status))
        Status = KxtMap(KXT_RESULTS_BASE, PAGE_SIZE, PAGE_READWRITE);
    if (NT_SUCCESS(Status))
        Status = KxtMap(KXT_GUARD_PAGE, PAGE_SIZE, PAGE_READWRITE | PAGE_GUARD);
    if (NT_SUCCESS(Status))
        Status = KxtMap(KXT_STACK_BASE, KXT_STACK_SIZE, PAGE_READWRITE);
    if (NT_SUCCESS(Status))
        Status = KxtMap(KXT_TEB, PAGE_SIZE, PAGE_READWRITE);
    if (NT_SUCCESS(Status)) {
        PNT_TIB Tib = (PNT_TIB)KXT_TEB;

        memcpy((PVOID)KXT_PROGRAM_BASE, KxtExcTestBlob, Size);
        memcpy((PVOID)KXT_IMPORTS, Imports, sizeof(Imports));
        Tib->ExceptionList = EXCEPTION_CHAIN_END;
        Tib->StackBase = (PVOID)(KXT_STACK_BASE + KXT_STACK_SIZE);
        Tib->StackLimit = (PVOID)KXT_STACK_BASE;
        Tib->Self = Tib;
        ((PTEB)Tib)->DeallocationStack = (PVOID)KXT_STACK_BASE;    /* the whole stack is committed */
    }
    MmDetachAddressSpace(&Attach);
    if (!NT_SUCCESS(Status))
        MmDeleteProcessAddressSpace(Run->Space);
    return Status;
}

/* Runs test Test of the program in a fresh space and copies its results out. */
static NTSTATUS KxtRun(KXT_RUN *Run, ULONG Test)
{
    MM_ATTACH_STATE Attach;
    PKTHREAD Thread;
    NTSTATUS Status;

    Run->Test = Test;
    KST_CHECK(NT_SUCCESS(KxtBuildSpace(Run)));
    KeInitializeProcess(&Run->Process, 8, Run->Space);
    KxtExitStatus = STATUS_PENDING;
    Thread = ExAllocatePoolWithTag(NonPagedPool, sizeof(KTHREAD), KXT_TAG);
    KST_CHECK(Thread != NULL);
    KxtInstallTestTable(TRUE);
    Status = KeInitThread(Thread, &Run->Process, KxtUserThread, Run, 8);
    if (NT_SUCCESS(Status)) {
        Thread->Teb = (PVOID)KXT_TEB;
        KeStartThread(Thread);
        KeWaitForSingleObject(Thread, Executive, KernelMode, FALSE, NULL);
    }
    KxtInstallTestTable(FALSE);
    ExFreePoolWithTag(Thread, KXT_TAG);
    KST_CHECK(NT_SUCCESS(Status));

    MmAttachAddressSpace(Run->Space, &Attach);
    memcpy(Run->Results, (PVOID)KXT_RESULTS_BASE, sizeof(Run->Results));
    MmDetachAddressSpace(&Attach);
    MmDeleteProcessAddressSpace(Run->Space);
    return STATUS_SUCCESS;
}

static BOOLEAN KxtHaveNtdll(VOID)
{
    if (PspSystemDll.Section != NULL)
        return TRUE;
    DbgPrint("    no ntdll.dll (no boot volume): nothing to test\n");
    return FALSE;
}

/* ---- the tests ---- */

typedef struct _KXT_EXPECTED_ROW {
    PCSTR What;
    NTSTATUS Code;
    ULONG NumberParameters;
    ULONG Parameter0, Parameter1;
    LONG EipOffset;             /* CONTEXT.Eip - the faulting instruction */
    LONG AddressOffset;         /* ExceptionAddress - the faulting instruction */
} KXT_EXPECTED_ROW;

#define KXT_ANY 0xA5A5A5A5

static const KXT_EXPECTED_ROW KxtFaultRows[] = {
    { "read of the null page", STATUS_ACCESS_VIOLATION, 2, EXCEPTION_READ_FAULT, 0x10, 0, 0 },
    { "write to the null page", STATUS_ACCESS_VIOLATION, 2, EXCEPTION_WRITE_FAULT, 0x20, 0, 0 },
    { "divide by zero", STATUS_INTEGER_DIVIDE_BY_ZERO, 0, KXT_ANY, KXT_ANY, 0, 0 },
    { "ud2", STATUS_ILLEGAL_INSTRUCTION, 0, KXT_ANY, KXT_ANY, 0, 0 },
    { "hlt", STATUS_PRIVILEGED_INSTRUCTION, 0, KXT_ANY, KXT_ANY, 0, 0 },
    { "cli", STATUS_PRIVILEGED_INSTRUCTION, 0, KXT_ANY, KXT_ANY, 0, 0 },
    { "int 0x80 (#GP)", STATUS_ACCESS_VIOLATION, 2, EXCEPTION_READ_FAULT, 0xFFFFFFFF, 0, 0 },
    { "int3", STATUS_BREAKPOINT, 1, BREAKPOINT_BREAK, KXT_ANY, 0, 0 },
    { "into", STATUS_INTEGER_OVERFLOW, 0, KXT_ANY, KXT_ANY, 1, 0 },
    { "bound", STATUS_ARRAY_BOUNDS_EXCEEDED, 0, KXT_ANY, KXT_ANY, 0, 0 },
    { "guard page", STATUS_GUARD_PAGE_VIOLATION, 2, EXCEPTION_READ_FAULT, KXT_GUARD_PAGE, 0, 0 },
    { "single step", STATUS_SINGLE_STEP, 0, KXT_ANY, KXT_ANY, 0, 0 },
    { "in al, dx", STATUS_PRIVILEGED_INSTRUCTION, 0, KXT_ANY, KXT_ANY, 0, 0 },
};

static NTSTATUS KxtCheckRow(const KXT_RUN *Run, ULONG Index, const KXT_EXPECTED_ROW *Expected)
{
    const ULONG *Row = &Run->Results[ROWS + Index * ROW_SIZE];

    DbgPrint("    %-24s code %08lX at %08lX, %lu parameters %08lX %08lX, CONTEXT.Eip %08lX\n",
             Expected->What, Row[ROW_CODE], Row[ROW_ADDRESS], Row[ROW_NPARAMS], Row[ROW_P0],
             Row[ROW_P1], Row[ROW_CTX_EIP]);
    KST_CHECK(Row[ROW_CODE] == (ULONG)Expected->Code);
    KST_CHECK(Row[ROW_NPARAMS] == Expected->NumberParameters);
    KST_CHECK(Expected->Parameter0 == KXT_ANY || Row[ROW_P0] == Expected->Parameter0);
    KST_CHECK(Expected->Parameter1 == KXT_ANY || Row[ROW_P1] == Expected->Parameter1);
    KST_CHECK(Row[ROW_ADDRESS] == Row[ROW_AT] + Expected->AddressOffset);
    KST_CHECK(Row[ROW_CTX_EIP] == Row[ROW_AT] + Expected->EipOffset);
    /* The CONTEXT has the registers at the fault: ESP as it was, TF off. */
    KST_CHECK(Row[ROW_CTX_ESP] == Row[ROW_ESP]);
    KST_CHECK((Row[ROW_CTX_EFLAGS] & EFLAGS_TF) == 0);
    return STATUS_SUCCESS;
}

/* Every fault kind reaches an SEH handler with NT's code and parameters, and the
   program goes on where the handler put it. */
static NTSTATUS KxtFaults(VOID)
{
    static KXT_RUN Run;
    KST_MM_BASELINE Baseline;
    ULONG Index;

    if (!KxtHaveNtdll())
        return STATUS_SUCCESS;
    KstTakeBaseline(&Baseline);
    KST_CHECK(NT_SUCCESS(KxtRun(&Run, T_FAULTS)));
    KST_CHECK(KxtExitStatus == STATUS_SUCCESS && Run.Results[R_DONE] == 0x600D);
    for (Index = 0; Index < RTL_NUMBER_OF(KxtFaultRows); Index++)
        if (!NT_SUCCESS(KxtCheckRow(&Run, Index, &KxtFaultRows[Index])))
            return STATUS_UNSUCCESSFUL;
    KST_CHECK(Run.Results[R_SEH_CALLS] == RTL_NUMBER_OF(KxtFaultRows));
    return KstCheckBaseline(&Baseline, "after the faulting program");
}
KSELFTEST(EXCEPTION_FAULTS, KxtFaults);

/* Vectored handlers before the frames, in order; continue-execution; removal. */
static NTSTATUS KxtVectored(VOID)
{
    static KXT_RUN Run;
    ULONG Index;

    if (!KxtHaveNtdll())
        return STATUS_SUCCESS;
    KST_CHECK(NT_SUCCESS(KxtRun(&Run, T_VECTORED)));
    KST_CHECK(KxtExitStatus == STATUS_SUCCESS && Run.Results[R_DONE] == 0x600D);
    KST_CHECK(Run.Results[R_VEH_HANDLE1] != 0 && Run.Results[R_VEH_HANDLE2] != 0);
    /* fault 0: first, second (continues); fault 1: first (the SEH handler takes
       it); fault 2: no vectored handler left */
    KST_CHECK(Run.Results[R_VEH_COUNT] == 3);
    KST_CHECK(Run.Results[R_VEH_LOG + 0] == 1 && Run.Results[R_VEH_LOG + 1] == 2 &&
              Run.Results[R_VEH_LOG + 2] == 1);
    KST_CHECK(Run.Results[R_VEH_REMOVE2] != 0 && Run.Results[R_VEH_REMOVE1] != 0);
    KST_CHECK(Run.Results[R_VEH_REMOVE_AGAIN] == 0);
    KST_CHECK(Run.Results[R_SEH_CALLS] == 2);
    for (Index = 1; Index <= 2; Index++)
        KST_CHECK(Run.Results[ROWS + Index * ROW_SIZE + ROW_CODE] == (ULONG)STATUS_ACCESS_VIOLATION);
    return STATUS_SUCCESS;
}
KSELFTEST(EXCEPTION_VECTORED, KxtVectored);

/* RtlRaiseException -> NtRaiseException -> the handler -> back after the call;
   NtRaiseException's checks of its arguments. */
static NTSTATUS KxtRaise(VOID)
{
    static KXT_RUN Run;
    const ULONG *Row = &Run.Results[ROWS];

    if (!KxtHaveNtdll())
        return STATUS_SUCCESS;
    KST_CHECK(NT_SUCCESS(KxtRun(&Run, T_RAISE)));
    KST_CHECK(KxtExitStatus == STATUS_SUCCESS && Run.Results[R_DONE] == 0x600D);
    KST_CHECK(Row[ROW_CODE] == 0xE0001234 && Row[ROW_NPARAMS] == 2);
    KST_CHECK(Row[ROW_P0] == 0x11 && Row[ROW_P1] == 0x22);
    /* raised at the caller: the return address, the stack as after the call */
    KST_CHECK(Row[ROW_ADDRESS] == Row[ROW_AT] && Row[ROW_CTX_EIP] == Row[ROW_AT]);
    KST_CHECK(Row[ROW_CTX_ESP] == Row[ROW_ESP]);
    KST_CHECK(Run.Results[R_BAD_RECORD] == (ULONG)STATUS_ACCESS_VIOLATION);
    KST_CHECK(Run.Results[R_BAD_CONTEXT] == (ULONG)STATUS_ACCESS_VIOLATION);
    KST_CHECK(Run.Results[R_TOO_MANY] == (ULONG)STATUS_INVALID_PARAMETER);
    return STATUS_SUCCESS;
}
KSELFTEST(EXCEPTION_RAISE, KxtRaise);

/* No handler: the second chance ends the program (KiEndUserProcess; the system
   test reads the code it printed). A stack that cannot take the frame: ended too.
   Either way the kernel goes on, and nothing leaks. */
static NTSTATUS KxtUnhandled(VOID)
{
    static KXT_RUN Run;
    KST_MM_BASELINE Baseline;

    if (!KxtHaveNtdll())
        return STATUS_SUCCESS;
    KstTakeBaseline(&Baseline);
    KST_CHECK(NT_SUCCESS(KxtRun(&Run, T_UNHANDLED)));
    KST_CHECK(KxtExitStatus == STATUS_PENDING && Run.Results[R_STAGE] == 1 && Run.Results[R_DONE] == 0);
    KST_CHECK(NT_SUCCESS(KxtRun(&Run, T_BAD_STACK)));
    KST_CHECK(KxtExitStatus == STATUS_PENDING && Run.Results[R_STAGE] == 1 && Run.Results[R_DONE] == 0);
    return KstCheckBaseline(&Baseline, "after the programs that were ended");
}
KSELFTEST(EXCEPTION_UNHANDLED, KxtUnhandled);

/* ---- benchmark ---- */

static ULONGLONG KbException(VOID)
{
    static KXT_RUN Run;

    if (PspSystemDll.Section == NULL || !NT_SUCCESS(KxtRun(&Run, T_BENCH)))
        return 0;
    if (Run.Results[R_BENCH] <= Run.Results[R_BENCH_EMPTY])
        return 0;
    return (Run.Results[R_BENCH] - Run.Results[R_BENCH_EMPTY]) / 100;
}
KBENCH(exception_int3_handled, KbException,
       "instructions for one INT 3 delivered to an SEH handler and continued (kernel, ntdll, NtContinue)");
