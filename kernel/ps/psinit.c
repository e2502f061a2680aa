/*
 * psinit.c - the process manager's start (NT: PspInitPhase0 in ntos\ps\psinit.c),
 * the Process and Thread object types, the System process, the client-ID table,
 * and who the caller is (PsGetCurrentProcess, PsGetCurrentThread).
 *
 * The System process (ID 4) is an EPROCESS made before any thread but the idle
 * one exists: KeInitSystem makes its Pcb the process of every kernel thread. Its
 * handle table is the kernel's. Kernel threads are bare KTHREADs (made with
 * KeInitThread); user threads are ETHREADs, whose Tcb points back at them.
 */
#include "psp.h"

POBJECT_TYPE PsProcessType;
POBJECT_TYPE PsThreadType;
PEPROCESS PsInitialSystemProcess;
LIST_ENTRY PsActiveProcessHead;
static KEVENT PspActiveProcessLock;

/* NT's PspProcessMapping and PspThreadMapping. */
static const GENERIC_MAPPING PspProcessMapping = {
    STANDARD_RIGHTS_READ | PROCESS_VM_READ | PROCESS_QUERY_INFORMATION,
    STANDARD_RIGHTS_WRITE | PROCESS_CREATE_PROCESS | PROCESS_CREATE_THREAD | PROCESS_VM_OPERATION |
        PROCESS_VM_WRITE | PROCESS_DUP_HANDLE | PROCESS_TERMINATE | PROCESS_SET_QUOTA |
        PROCESS_SET_INFORMATION | PROCESS_SET_SESSIONID,
    STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
    PROCESS_ALL_ACCESS
};

static const GENERIC_MAPPING PspThreadMapping = {
    STANDARD_RIGHTS_READ | THREAD_GET_CONTEXT | THREAD_QUERY_INFORMATION,
    STANDARD_RIGHTS_WRITE | THREAD_TERMINATE | THREAD_SUSPEND_RESUME | THREAD_ALERT | THREAD_SET_CONTEXT |
        THREAD_SET_INFORMATION,
    STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
    THREAD_ALL_ACCESS
};

PETHREAD PsGetCurrentThread(VOID)
{
    return KeGetCurrentThread()->ExecutiveThread;
}

PEPROCESS PsGetCurrentProcess(VOID)
{
    PKTHREAD Thread = KeGetCurrentThread();

    if (Thread->ExecutiveThread != NULL)
        return Thread->ExecutiveThread->ThreadsProcess;
    /* A kernel thread: the System process's (the idle thread has none). */
    if (PsInitialSystemProcess != NULL && Thread->ApcState.Process == &PsInitialSystemProcess->Pcb)
        return PsInitialSystemProcess;
    return NULL;
}

/*
 * The locks are held inside a critical region, as NT holds its push locks and
 * fast mutexes: a suspend request (a normal kernel APC) waits until the holder
 * has let go, so no thread is ever stopped holding one.
 */
VOID PspLockProcess(PEPROCESS Process)
{
    KeEnterCriticalRegion();
    KeWaitForSingleObject(&Process->ProcessLock, Executive, KernelMode, FALSE, NULL);
}

VOID PspUnlockProcess(PEPROCESS Process)
{
    KeSetEvent(&Process->ProcessLock, 0, FALSE);
    KeLeaveCriticalRegion();
}

VOID PspLockActiveProcessList(VOID)
{
    KeEnterCriticalRegion();
    KeWaitForSingleObject(&PspActiveProcessLock, Executive, KernelMode, FALSE, NULL);
}

VOID PspUnlockActiveProcessList(VOID)
{
    KeSetEvent(&PspActiveProcessLock, 0, FALSE);
    KeLeaveCriticalRegion();
}

/* ---- exit synchronization (NT: the process's rundown protection) ---- */

#define PSP_RUNDOWN_ACTIVE 0x80000000

BOOLEAN PsAcquireProcessExitSynchronization(PEPROCESS Process)
{
    LONG Old = __atomic_load_n(&Process->RundownProtect, __ATOMIC_SEQ_CST);

    do {
        if (Old & PSP_RUNDOWN_ACTIVE)
            return FALSE;
    } while (!__atomic_compare_exchange_n(&Process->RundownProtect, &Old, Old + 1, FALSE, __ATOMIC_SEQ_CST,
                                          __ATOMIC_SEQ_CST));
    return TRUE;
}

VOID PsReleaseProcessExitSynchronization(PEPROCESS Process)
{
    if (__atomic_sub_fetch(&Process->RundownProtect, 1, __ATOMIC_SEQ_CST) == (LONG)PSP_RUNDOWN_ACTIVE)
        KeSetEvent(&Process->RundownDone, 0, FALSE);
}

VOID PspWaitForProcessRundown(PEPROCESS Process)
{
    if (__atomic_fetch_or(&Process->RundownProtect, PSP_RUNDOWN_ACTIVE, __ATOMIC_SEQ_CST) != 0)
        KeWaitForSingleObject(&Process->RundownDone, Executive, KernelMode, FALSE, NULL);
}

/* IDs are handles of PspCidTable: multiples of 4 from 4, the lowest free first. */
HANDLE PspCreateCid(PVOID Object)
{
    HANDLE_TABLE_ENTRY Entry;

    Entry.Object = Object;
    Entry.GrantedAccess = 0;
    return ExCreateHandle(PspCidTable, &Entry);
}

VOID PspDeleteCid(HANDLE Id)
{
    if (Id != NULL)
        ExDestroyHandle(PspCidTable, Id, NULL, NULL);
}

/* ---- the object manager's hooks ---- */

static PVOID PspCurrentProcessObject(VOID)
{
    return PsGetCurrentProcess();
}

static PVOID PspCurrentThreadObject(VOID)
{
    return PsGetCurrentThread();
}

static PHANDLE_TABLE PspProcessObjectTable(PVOID Object)
{
    if (Object == NULL || OBJECT_TO_OBJECT_HEADER(Object)->Type != PsProcessType)
        return NULL;
    return ((PEPROCESS)Object)->ObjectTable;
}

/* The reaper has freed an ended ETHREAD's kernel stack: its own reference goes. */
static VOID PspThreadReaped(PKTHREAD Thread)
{
    if (Thread->ExecutiveThread != NULL)
        ObDereferenceObject(Thread->ExecutiveThread);   /* deferred: interrupts are off */
}

static NTSTATUS PspCreateType(PCWSTR Name, ULONG BodySize, const GENERIC_MAPPING *Mapping,
                              OB_DELETE_METHOD DeleteProcedure, POBJECT_TYPE *Type)
{
    OBJECT_TYPE_INITIALIZER Initializer;
    UNICODE_STRING TypeName;

    RtlInitUnicodeString(&TypeName, Name);
    memset(&Initializer, 0, sizeof(Initializer));
    Initializer.Length = sizeof(Initializer);
    /* NT's rule for both types: a process or thread is always a new object, so a
       name may not open one that exists (OBJ_OPENIF: ObInsertObject would hand back
       that one and drop the new object its creator goes on to start), nor be
       exclusive or permanent. */
    Initializer.InvalidAttributes = OBJ_OPENLINK | OBJ_PERMANENT | OBJ_EXCLUSIVE | OBJ_OPENIF;
    Initializer.GenericMapping = *Mapping;
    Initializer.ValidAccessMask = Mapping->GenericAll;     /* SYNCHRONIZE: waitable */
    Initializer.PoolType = NonPagedPool;
    Initializer.DefaultNonPagedPoolCharge = BodySize;
    Initializer.DeleteProcedure = DeleteProcedure;
    return ObCreateObjectType(&TypeName, &Initializer, NULL, Type);
}

static VOID PspInitFailed(NTSTATUS Status, ULONG Step)
{
    DbgPrint("PsInitSystem: step %lu failed with status 0x%08lX\n", Step, (ULONG)Status);
    KeBugCheckEx(PROCESS_INITIALIZATION_FAILED, (ULONG_PTR)Status, Step, 0, 0);
}

VOID PsInitSystem(VOID)
{
    PEPROCESS System;
    NTSTATUS Status;

    InitializeListHead(&PsActiveProcessHead);
    KeInitializeEvent(&PspActiveProcessLock, SynchronizationEvent, TRUE);
    Status = PspCreateType(u"Process", sizeof(EPROCESS), &PspProcessMapping, PspDeleteProcess, &PsProcessType);
    if (!NT_SUCCESS(Status))
        PspInitFailed(Status, 1);
    Status = PspCreateType(u"Thread", sizeof(ETHREAD), &PspThreadMapping, PspDeleteThread, &PsThreadType);
    if (!NT_SUCCESS(Status))
        PspInitFailed(Status, 2);

    /* The System process: its KPROCESS is initialized by KeInitSystem next. */
    Status = ObCreateObject(KernelMode, PsProcessType, NULL, KernelMode, NULL, sizeof(EPROCESS), 0, 0,
                            (PVOID *)&System);
    if (!NT_SUCCESS(Status))
        PspInitFailed(Status, 3);
    KeInitializeEvent(&System->ProcessLock, SynchronizationEvent, TRUE);
    KeInitializeEvent(&System->RundownDone, NotificationEvent, FALSE);
    InitializeListHead(&System->ThreadListHead);
    KeQuerySystemTime(&System->CreateTime);
    System->ExitStatus = STATUS_PENDING;
    System->ObjectTable = ObpKernelHandleTable;
    System->PriorityClass = PROCESS_PRIORITY_CLASS_NORMAL;
    memcpy(System->ImageFileName, "System", sizeof("System"));
    System->UniqueProcessId = PspCreateCid(System);
    if (System->UniqueProcessId == NULL)
        PspInitFailed(STATUS_INSUFFICIENT_RESOURCES, 4);
    InsertTailList(&PsActiveProcessHead, &System->ActiveProcessLinks);
    PsInitialSystemProcess = System;

    ObpProcessObjectTable = PspProcessObjectTable;
    ObpCurrentThreadObject = PspCurrentThreadObject;
    ObpCurrentProcessObject = PspCurrentProcessObject;
    KeThreadReapedRoutine = PspThreadReaped;
}
