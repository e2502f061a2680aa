/*
 * thread.c - user threads made by user mode (NT: ntdll\rtl\rtlexec.c's
 * RtlCreateUserThread and its helpers). NT 5's mechanics: the creator reserves and
 * commits the new thread's stack in the target process itself, with a guard page
 * below the committed part, describes it in an INITIAL_TEB, builds the thread's
 * first CONTEXT (RtlInitializeContext) and hands both to NtCreateThread. The
 * kernel makes the TEB and the kernel stack; the thread then starts like any
 * other, in LdrInitializeThunk, which NtContinue's into that CONTEXT.
 *
 * NT 6's start: the CONTEXT enters ntdll's RtlUserThreadStart with EAX = the start
 * routine and EBX = its parameter, as the kernel starts the threads it makes
 * itself, so a routine that returns ends its thread with its result (NT 5 entered
 * the routine directly, with a return address of 0 under its argument). Windows 7
 * and later get the same from RtlCreateUserThread through NtCreateThreadEx.
 *
 * Used for threads in the caller's own process and in others (RtlCreateUserProcess
 * starts a new process's first thread this way, at the image's entry point with
 * the PEB: an entry point that returns ends the process with its result, the
 * process's last thread having ended). ntdll is at the same address in every
 * process, so RtlUserThreadStart's address is good in the target too.
 */
#include "rtlps.h"

#define RTLP_PAGE_SIZE      0x1000
/* Stacks whose commit would fill the reservation get a reservation rounded to this
   (NT's: the stack can still grow past what was committed). */
#define RTLP_STACK_ROUND    0x100000

/* User-mode selectors (NT's i386 GDT, ../shared/DESIGN.md: KGDT_R3_CODE,
   KGDT_R3_DATA, KGDT_R3_TEB, each with RPL 3). */
#define RTLP_USER_CS        0x1B
#define RTLP_USER_DS        0x23
#define RTLP_USER_TEB       0x3B
#define RTLP_EFLAGS_IF      0x00000200
#define RTLP_EFLAGS_ALWAYS  0x00000002      /* bit 1 reads as 1 */

#define RTLP_ROUND_UP(Value, Unit) (((Value) + (Unit) - 1) & ~(SIZE_T)((Unit) - 1))

/*
 * Sizes of 0 are the caller's own image's (NT reads its own exe's headers, not the
 * target's: RtlCreateUserProcess passes the target image's sizes explicitly).
 */
static VOID RtlpDefaultStackSizes(PSIZE_T Reserve, PSIZE_T Commit)
{
    PUCHAR Image = RtlpCurrentPeb()->ImageBaseAddress;
    PIMAGE_NT_HEADERS32 Headers;

    if (Image == NULL || (*Reserve != 0 && *Commit != 0))
        return;
    Headers = (PIMAGE_NT_HEADERS32)(Image + ((PIMAGE_DOS_HEADER)Image)->e_lfanew);
    if (*Reserve == 0)
        *Reserve = Headers->OptionalHeader.SizeOfStackReserve;
    if (*Commit == 0)
        *Commit = Headers->OptionalHeader.SizeOfStackCommit;
}

/*
 * Whether Value rounds up to a multiple of Unit without passing 4 GB: a commit or
 * reservation that close to the top would wrap to a small number (0 for a commit
 * within a page of 4 GB) and the thread would get a stack of nothing, its guard
 * page at its base. Such sizes are refused with STATUS_INVALID_PARAMETER, the
 * status NT gives a size it cannot honour before asking Mm for it (NT 5's
 * RtlpCreateStack rounds unchecked; the service would have refused the unwrapped
 * size anyway, with no status of its own to pass on).
 */
static BOOLEAN RtlpRoundUpFits(SIZE_T Value, SIZE_T Unit)
{
    return Value <= ~(SIZE_T)0 - (Unit - 1);
}

/*
 * NT's RtlpCreateStack: Reserve bytes reserved (allocation granularity), the top
 * Commit bytes committed (pages) and, when there is room, one more page below them
 * made a guard page, so the stack grows on demand (the kernel turns a touch of the
 * guard into more stack, MiCheckForUserStackOverflow).
 */
static NTSTATUS RtlpCreateStack(HANDLE Process, SIZE_T Reserve, SIZE_T Commit, ULONG_PTR ZeroBits,
                                PINITIAL_TEB InitialTeb)
{
    PVOID Stack = NULL, Bottom;
    SIZE_T Size;
    ULONG OldProtect;
    BOOLEAN Guard = FALSE;
    NTSTATUS Status;

    RtlpDefaultStackSizes(&Reserve, &Commit);
    if (Commit == 0)
        Commit = RTLP_PAGE_SIZE;
    if (!RtlpRoundUpFits(Commit, RTLP_PAGE_SIZE))
        return STATUS_INVALID_PARAMETER;
    Commit = RTLP_ROUND_UP(Commit, RTLP_PAGE_SIZE);
    if (Commit >= Reserve) {
        if (!RtlpRoundUpFits(Commit, RTLP_STACK_ROUND))
            return STATUS_INVALID_PARAMETER;
        Reserve = RTLP_ROUND_UP(Commit, RTLP_STACK_ROUND);
    }
    if (!RtlpRoundUpFits(Reserve, MM_ALLOCATION_GRANULARITY))
        return STATUS_INVALID_PARAMETER;
    Reserve = RTLP_ROUND_UP(Reserve, MM_ALLOCATION_GRANULARITY);

    Size = Reserve;
    Status = NtAllocateVirtualMemory(Process, &Stack, ZeroBits, &Size, MEM_RESERVE, PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;

    InitialTeb->OldStackBase = NULL;
    InitialTeb->OldStackLimit = NULL;
    InitialTeb->StackAllocationBase = Stack;
    InitialTeb->StackBase = (PUCHAR)Stack + Reserve;

    /* The committed part, and the guard page under it. */
    Bottom = (PUCHAR)InitialTeb->StackBase - Commit;
    if (Reserve > Commit) {
        Bottom = (PUCHAR)Bottom - RTLP_PAGE_SIZE;
        Commit += RTLP_PAGE_SIZE;
        Guard = TRUE;
    }
    Size = Commit;
    Status = NtAllocateVirtualMemory(Process, &Bottom, 0, &Size, MEM_COMMIT, PAGE_READWRITE);
    InitialTeb->StackLimit = Bottom;
    if (NT_SUCCESS(Status) && Guard) {
        Size = RTLP_PAGE_SIZE;
        Status = NtProtectVirtualMemory(Process, &Bottom, &Size, PAGE_READWRITE | PAGE_GUARD, &OldProtect);
        InitialTeb->StackLimit = (PUCHAR)InitialTeb->StackLimit + RTLP_PAGE_SIZE;
    }
    if (!NT_SUCCESS(Status)) {
        Size = 0;
        NtFreeVirtualMemory(Process, &Stack, &Size, MEM_RELEASE);
    }
    return Status;
}

/* The whole reservation (NT's RtlpFreeStack). */
static VOID RtlpFreeStack(HANDLE Process, PINITIAL_TEB InitialTeb)
{
    PVOID Base = InitialTeb->StackAllocationBase;
    SIZE_T Size = 0;

    NtFreeVirtualMemory(Process, &Base, &Size, MEM_RELEASE);
}

/*
 * NT's i386 RtlInitializeContext: a thread's first CONTEXT. EIP is InitialPc, the
 * segment registers are user mode's, interrupts are on; Parameter is pushed on the
 * new stack (in Process, written with NtWriteVirtualMemory) under a return address
 * of 0, so InitialPc is entered as a stdcall function of one argument that has
 * nowhere to return to. XP's returned nothing and raised when the write failed;
 * this one returns the status (a caller that ignores it loses nothing).
 */
NTSTATUS NTAPI RtlInitializeContext(HANDLE Process, PCONTEXT Context, PVOID Parameter, PVOID InitialPc,
                                    PVOID InitialSp)
{
    ULONG Frame[2];                     /* [0] the return address, [1] Parameter */

    if (((ULONG_PTR)InitialSp & (sizeof(ULONG) - 1)) != 0)
        return STATUS_BAD_INITIAL_STACK;
    memset(Context, 0, sizeof(*Context));
    Context->ContextFlags = CONTEXT_FULL;
    Context->SegCs = RTLP_USER_CS;
    Context->SegDs = Context->SegEs = Context->SegSs = RTLP_USER_DS;
    Context->SegFs = RTLP_USER_TEB;
    Context->SegGs = 0;
    Context->EFlags = RTLP_EFLAGS_IF | RTLP_EFLAGS_ALWAYS;
    Context->Eip = (ULONG)(ULONG_PTR)InitialPc;
    Context->Esp = (ULONG)(ULONG_PTR)InitialSp - sizeof(Frame);

    Frame[0] = 0;
    Frame[1] = (ULONG)(ULONG_PTR)Parameter;
    return NtWriteVirtualMemory(Process, (PVOID)(ULONG_PTR)Context->Esp, Frame, sizeof(Frame), NULL);
}

NTSTATUS NTAPI RtlCreateUserThread(HANDLE Process, PSECURITY_DESCRIPTOR ThreadSecurityDescriptor,
                                   BOOLEAN CreateSuspended, ULONG_PTR StackZeroBits, SIZE_T StackReserve,
                                   SIZE_T StackCommit, PUSER_THREAD_START_ROUTINE StartAddress, PVOID Parameter,
                                   PHANDLE Thread, PCLIENT_ID ClientId)
{
    OBJECT_ATTRIBUTES Attributes;
    INITIAL_TEB InitialTeb;
    CONTEXT Context;
    CLIENT_ID Cid;
    HANDLE Handle;
    NTSTATUS Status;

    Status = RtlpCreateStack(Process, StackReserve, StackCommit, StackZeroBits, &InitialTeb);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = RtlInitializeContext(Process, &Context, Parameter, (PVOID)RtlUserThreadStart, InitialTeb.StackBase);
    if (NT_SUCCESS(Status)) {
        Context.Eax = (ULONG)(ULONG_PTR)StartAddress;
        Context.Ebx = (ULONG)(ULONG_PTR)Parameter;
        InitializeObjectAttributes(&Attributes, NULL, 0, NULL, ThreadSecurityDescriptor);
        Status = NtCreateThread(&Handle, THREAD_ALL_ACCESS, &Attributes, Process, &Cid, &Context, &InitialTeb,
                                CreateSuspended);
    }
    if (!NT_SUCCESS(Status)) {
        RtlpFreeStack(Process, &InitialTeb);
        return Status;
    }
    if (ClientId != NULL)
        *ClientId = Cid;
    if (Thread != NULL)
        *Thread = Handle;
    else
        NtClose(Handle);
    return STATUS_SUCCESS;
}

/*
 * The stack of a thread that has not ended, whoever made it: TEB->DeallocationStack
 * says where its reservation starts (NT's RtlFreeUserThreadStack, for a creator
 * undoing a thread it made suspended and ended before it ran). The TEB's field is
 * cleared so that nothing frees the stack twice.
 */
NTSTATUS NTAPI RtlFreeUserThreadStack(HANDLE Process, HANDLE Thread)
{
    THREAD_BASIC_INFORMATION Basic;
    PVOID *Field, Stack = NULL;
    SIZE_T Size = 0;
    NTSTATUS Status;

    Status = NtQueryInformationThread(Thread, ThreadBasicInformation, &Basic, sizeof(Basic), NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Basic.TebBaseAddress == NULL)
        return STATUS_INVALID_PARAMETER;
    Field = &Basic.TebBaseAddress->DeallocationStack;
    Status = NtReadVirtualMemory(Process, Field, &Stack, sizeof(Stack), NULL);
    if (!NT_SUCCESS(Status) || Stack == NULL)
        return Status;
    Status = NtFreeVirtualMemory(Process, &Stack, &Size, MEM_RELEASE);
    if (NT_SUCCESS(Status)) {
        Stack = NULL;
        NtWriteVirtualMemory(Process, Field, &Stack, sizeof(Stack), NULL);
    }
    return Status;
}
