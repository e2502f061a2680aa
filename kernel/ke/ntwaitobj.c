/*
 * ntwaitobj.c - the waits by handle: NtWaitForSingleObject,
 * NtWaitForMultipleObjects, NtSignalAndWaitForSingleObject (NT keeps them in
 * ntos\ob\obwait.c), and NtAlertThread.
 *
 * Each one references its objects by handle for SYNCHRONIZE, finds the dispatcher
 * object to wait on in each (below), and waits in the caller's mode for the reason
 * UserRequest, as NT does. A user-mode caller's timeout and handle array are
 * probed and captured first, so the wait itself never touches user memory.
 */
#include <ke.h>
#include <kewait.h>
#include <ex.h>
#include <ob.h>
#include <exobj.h>
#include <ps.h>
#include <rtl.h>
#include "ntapi.h"      /* the prototypes, from include/nt/sysfuncs.lst */

#define KI_WAIT_BLOCK_TAG EX_POOL_TAG('W', 'a', 'i', 't')  /* NT's tag for the same blocks */


/*
 * What a wait on an object of a type with UseDefaultObject waits on: an event that
 * is always signalled, so the wait succeeds at once (NT: ObpDefaultObject).
 */
static KEVENT KiDefaultObject = {
    .Header = {
        .Type = EventNotificationObject,
        .Size = sizeof(KEVENT) / sizeof(LONG),
        .SignalState = 1,
        .WaitListHead = { &KiDefaultObject.Header.WaitListHead, &KiDefaultObject.Header.WaitListHead },
    },
};

/*
 * The dispatcher object inside Object that a wait waits on, NT's rule first: the
 * type's DefaultObject, when set, is either that object itself (a kernel address,
 * negative as a LONG_PTR) or the offset of a dispatcher object in the body (NT's
 * File type: FILE_OBJECT.Event); UseDefaultObject means KiDefaultObject.
 * Otherwise NT takes the body itself to be a dispatcher object. Here that is
 * believed only of a type that grants SYNCHRONIZE (events, semaphores, mutants,
 * timers, and threads and processes to come): the object manager's own types
 * (Type, Directory, SymbolicLink) set neither UseDefaultObject nor SYNCHRONIZE,
 * and a wait on one is refused (NULL: STATUS_OBJECT_TYPE_MISMATCH) instead of
 * succeeding at once as in NT. From user mode the handle's missing SYNCHRONIZE
 * right refuses it earlier (STATUS_ACCESS_DENIED).
 */
static PVOID KipWaitableObject(PVOID Object)
{
    POBJECT_TYPE Type = OBJECT_TO_OBJECT_HEADER(Object)->Type;
    PVOID DefaultObject = Type->DefaultObject;

    if (DefaultObject != NULL)
        return (LONG_PTR)DefaultObject < 0 ? DefaultObject : (PUCHAR)Object + (ULONG_PTR)DefaultObject;
    if (Type->TypeInfo.UseDefaultObject)
        return &KiDefaultObject;
    if (Type->TypeInfo.ValidAccessMask & SYNCHRONIZE)
        return Object;
    return NULL;
}

/* A caller's optional timeout, read once into Captured (NT: ProbeAndReadLargeInteger). */
static NTSTATUS KipCaptureTimeout(PLARGE_INTEGER *Timeout, PLARGE_INTEGER Captured, KPROCESSOR_MODE PreviousMode)
{
    NTSTATUS Status;

    if (*Timeout == NULL)
        return STATUS_SUCCESS;
    Status = ExCaptureUserData(Captured, *Timeout, sizeof(LARGE_INTEGER), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        *Timeout = Captured;
    return Status;
}

/* Object referenced for SYNCHRONIZE, and what to wait on in it. */
static NTSTATUS KipReferenceWaitObject(HANDLE Handle, KPROCESSOR_MODE PreviousMode, PVOID *Object,
                                       PVOID *WaitObject)
{
    NTSTATUS Status = ObReferenceObjectByHandle(Handle, SYNCHRONIZE, NULL, PreviousMode, Object, NULL);

    if (!NT_SUCCESS(Status))
        return Status;
    *WaitObject = KipWaitableObject(*Object);
    if (*WaitObject == NULL) {
        ObDereferenceObject(*Object);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    return STATUS_SUCCESS;
}

/*
 * The waits raise STATUS_MUTANT_LIMIT_EXCEEDED for a mutant its owner already
 * holds MINLONG deep; NT's services catch that and return it. A fault-recovery
 * block around the wait would also catch a real fault inside the dispatcher (with
 * its lock held), so the services check first instead. The check cannot go stale
 * before the wait: only the owner (this thread) changes the depth of a mutant it
 * owns, and no other thread can make it the owner.
 */
static NTSTATUS KipCheckMutantLimits(ULONG Count, PVOID Objects[])
{
    PKTHREAD Thread = KeGetCurrentThread();
    ULONG Index;

    for (Index = 0; Index < Count; Index++) {
        PKMUTANT Mutant = Objects[Index];

        if (Mutant->Header.Type == MutantObject && Mutant->OwnerThread == Thread &&
            Mutant->Header.SignalState == MINLONG)
            return STATUS_MUTANT_LIMIT_EXCEEDED;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS KipWaitForSingle(PVOID Object, KPROCESSOR_MODE PreviousMode, BOOLEAN Alertable,
                                 PLARGE_INTEGER Timeout)
{
    NTSTATUS Status = KipCheckMutantLimits(1, &Object);

    if (!NT_SUCCESS(Status))
        return Status;
    return KeWaitForSingleObject(Object, UserRequest, PreviousMode, Alertable, Timeout);
}

static NTSTATUS KipWaitForMultiple(ULONG Count, PVOID Objects[], WAIT_TYPE WaitType,
                                   KPROCESSOR_MODE PreviousMode, BOOLEAN Alertable,
                                   PLARGE_INTEGER Timeout, PKWAIT_BLOCK WaitBlockArray)
{
    NTSTATUS Status = KipCheckMutantLimits(Count, Objects);

    if (!NT_SUCCESS(Status))
        return Status;
    return KeWaitForMultipleObjects(Count, Objects, WaitType, UserRequest, PreviousMode, Alertable, Timeout,
                                    WaitBlockArray);
}

NTSTATUS NtWaitForSingleObject(HANDLE Handle, BOOLEAN Alertable, PLARGE_INTEGER Timeout)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    LARGE_INTEGER CapturedTimeout;
    PVOID Object, WaitObject;
    NTSTATUS Status;

    Status = KipCaptureTimeout(&Timeout, &CapturedTimeout, PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = KipReferenceWaitObject(Handle, PreviousMode, &Object, &WaitObject);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = KipWaitForSingle(WaitObject, PreviousMode, Alertable, Timeout);
    ObDereferenceObject(Object);
    return Status;
}

/*
 * Count must be 1 to MAXIMUM_WAIT_OBJECTS (STATUS_INVALID_PARAMETER_1) and WaitType
 * WaitAny or WaitAll (STATUS_INVALID_PARAMETER_3), as NT checks. A WaitAll may not
 * name the same object twice (STATUS_INVALID_PARAMETER_MIX): one thread cannot
 * take it twice in one step. Past the wait blocks every thread has built in
 * (THREAD_WAIT_OBJECTS), the blocks come from the pool for the wait's length.
 */
NTSTATUS NtWaitForMultipleObjects(ULONG Count, PHANDLE Handles, WAIT_TYPE WaitType, BOOLEAN Alertable,
                                  PLARGE_INTEGER Timeout)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    HANDLE CapturedHandles[MAXIMUM_WAIT_OBJECTS];
    PVOID Objects[MAXIMUM_WAIT_OBJECTS], WaitObjects[MAXIMUM_WAIT_OBJECTS];
    PKWAIT_BLOCK WaitBlockArray = NULL;
    LARGE_INTEGER CapturedTimeout;
    ULONG Index, Other, Referenced = 0;
    NTSTATUS Status;

    if (Count == 0 || Count > MAXIMUM_WAIT_OBJECTS)
        return STATUS_INVALID_PARAMETER_1;
    if (WaitType != WaitAny && WaitType != WaitAll)
        return STATUS_INVALID_PARAMETER_3;
    Status = KipCaptureTimeout(&Timeout, &CapturedTimeout, PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ExCaptureUserData(CapturedHandles, Handles, Count * sizeof(HANDLE), sizeof(HANDLE), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;

    if (Count > THREAD_WAIT_OBJECTS) {
        WaitBlockArray = ExAllocatePoolWithTag(NonPagedPool, Count * sizeof(KWAIT_BLOCK), KI_WAIT_BLOCK_TAG);
        if (WaitBlockArray == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
    }
    for (; Referenced < Count; Referenced++) {
        Status = KipReferenceWaitObject(CapturedHandles[Referenced], PreviousMode, &Objects[Referenced],
                                        &WaitObjects[Referenced]);
        if (!NT_SUCCESS(Status))
            goto Done;
    }
    if (WaitType == WaitAll) {
        for (Index = 1; Index < Count; Index++) {
            for (Other = 0; Other < Index; Other++) {
                if (WaitObjects[Index] == WaitObjects[Other]) {
                    Status = STATUS_INVALID_PARAMETER_MIX;
                    goto Done;
                }
            }
        }
    }
    Status = KipWaitForMultiple(Count, WaitObjects, WaitType, PreviousMode, Alertable, Timeout,
                                WaitBlockArray);
Done:
    while (Referenced > 0)
        ObDereferenceObject(Objects[--Referenced]);
    if (WaitBlockArray != NULL)
        ExFreePoolWithTag(WaitBlockArray, KI_WAIT_BLOCK_TAG);
    return Status;
}

/*
 * Signals one object and waits on another as one step: no other thread can see
 * the signal before this one is waiting (the Set/Release with Wait TRUE keeps the
 * dispatcher database for the wait that follows). The signal object is an event
 * (set; the handle needs EVENT_MODIFY_STATE), a semaphore (released by 1;
 * SEMAPHORE_MODIFY_STATE) or a mutant (released; the caller must own it, as for
 * NtReleaseMutant, and no right is needed); anything else is
 * STATUS_OBJECT_TYPE_MISMATCH. The rights are checked for user-mode callers only,
 * as ObReferenceObjectByHandle checks them. A failed release (limit exceeded, not
 * the owner) returns its status without waiting.
 */
NTSTATUS NtSignalAndWaitForSingleObject(HANDLE SignalHandle, HANDLE WaitHandle, BOOLEAN Alertable,
                                        PLARGE_INTEGER Timeout)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    OBJECT_HANDLE_INFORMATION HandleInformation;
    PVOID SignalObject, Object, WaitObject;
    LARGE_INTEGER CapturedTimeout;
    ACCESS_MASK Required;
    POBJECT_TYPE Type;
    NTSTATUS Status;
    LONG Previous;

    Status = KipCaptureTimeout(&Timeout, &CapturedTimeout, PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(SignalHandle, 0, NULL, PreviousMode, &SignalObject, &HandleInformation);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = KipReferenceWaitObject(WaitHandle, PreviousMode, &Object, &WaitObject);
    if (!NT_SUCCESS(Status)) {
        ObDereferenceObject(SignalObject);
        return Status;
    }

    Type = OBJECT_TO_OBJECT_HEADER(SignalObject)->Type;
    if (Type == ExEventObjectType) {
        Required = EVENT_MODIFY_STATE;
    } else if (Type == ExSemaphoreObjectType) {
        Required = SEMAPHORE_MODIFY_STATE;
    } else if (Type == ExMutantObjectType) {
        Required = 0;
    } else {
        Status = STATUS_OBJECT_TYPE_MISMATCH;
        goto Done;
    }
    if (PreviousMode != KernelMode && (Required & ~HandleInformation.GrantedAccess) != 0) {
        Status = STATUS_ACCESS_DENIED;
        goto Done;
    }

    /* From here to the wait, the dispatcher database stays held (or was released
       with the failure). */
    if (Type == ExEventObjectType) {
        KeSetEvent(SignalObject, EVENT_INCREMENT, TRUE);
    } else if (Type == ExSemaphoreObjectType) {
        Status = KeReleaseSemaphoreChecked(SignalObject, SEMAPHORE_INCREMENT, 1, TRUE, &Previous);
    } else {
        Status = KeReleaseMutantChecked(SignalObject, MUTANT_INCREMENT, FALSE, TRUE, &Previous);
    }
    /* STATUS_ABANDONED (mutant not released) passes NT_SUCCESS: compare exactly. */
    if (Status == STATUS_SUCCESS)
        Status = KipWaitForSingle(WaitObject, PreviousMode, Alertable, Timeout);
Done:
    ObDereferenceObject(Object);
    ObDereferenceObject(SignalObject);
    return Status;
}

/*
 * Alerts a thread in the caller's mode: its alertable wait of that mode ends with
 * STATUS_ALERTED, or its next one does (NT: NtAlertThread). The handle needs
 * THREAD_ALERT; NtCurrentThread() needs no handle at all.
 */
NTSTATUS NtAlertThread(HANDLE ThreadHandle)
{
    KPROCESSOR_MODE PreviousMode = KeGetPreviousMode();
    PETHREAD Thread;
    NTSTATUS Status;

    if (ThreadHandle == NtCurrentThread()) {
        KeAlertThread(KeGetCurrentThread(), PreviousMode);
        return STATUS_SUCCESS;
    }
    Status = ObReferenceObjectByHandle(ThreadHandle, THREAD_ALERT, PsThreadType, PreviousMode, (PVOID *)&Thread,
                                       NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    KeAlertThread(&Thread->Tcb, PreviousMode);
    ObDereferenceObject(Thread);
    return STATUS_SUCCESS;
}
