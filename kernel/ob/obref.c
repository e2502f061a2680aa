/*
 * obref.c - references and deletion (NT: ObfReferenceObject, ObfDereferenceObject,
 * ObReferenceObjectByPointer, ObReferenceObjectByHandle, ObpRemoveObjectRoutine,
 * ObpDeferObjectDeletion in ntos\ob\obref.c).
 *
 * PointerCount counts every reference: each handle holds one, each name in a
 * directory holds one, and each ObReferenceObject* gives one to its caller. It is
 * changed with atomic instructions, so references can be taken and dropped at any
 * IRQL. When it reaches zero the object is deleted: its type's delete procedure
 * runs, then its memory goes back to the pool.
 *
 * Deleting runs type code that may touch pageable state or take locks, which is
 * not allowed above APC_LEVEL. A last reference dropped there (say by a DPC) puts
 * the object on a queue instead, linked through the header's NextToFree (its
 * HandleCount is 0 then). NT hands that queue to a worker thread; there are no
 * worker threads yet (the dispatcher issue brings them), so the queue is drained
 * by ObpProcessDeferredDeletes at the next safe point: the next
 * ObDereferenceObject or ObCreateObject at PASSIVE_LEVEL.
 */
#include "obp.h"

static POBJECT_HEADER volatile ObpRemoveObjectList;

LONG_PTR ObfReferenceObject(PVOID Object)
{
    return __atomic_add_fetch(&OBJECT_TO_OBJECT_HEADER(Object)->PointerCount, 1, __ATOMIC_SEQ_CST);
}

BOOLEAN ObReferenceObjectSafe(PVOID Object)
{
    LONG *Count = &OBJECT_TO_OBJECT_HEADER(Object)->PointerCount;
    LONG Old = __atomic_load_n(Count, __ATOMIC_SEQ_CST);

    do {
        if (Old <= 0)
            return FALSE;       /* being deleted: it must not come back */
    } while (!__atomic_compare_exchange_n(Count, &Old, Old + 1, FALSE, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    return TRUE;
}

VOID ObpRemoveObjectRoutine(PVOID Object)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_HEADER_NAME_INFO NameInfo = OBJECT_HEADER_TO_NAME_INFO(Header);
    POBJECT_TYPE Type = Header->Type;

    /* A handle or a name would still hold a reference. */
    ASSERT(Header->HandleCount == 0);
    ASSERT(NameInfo == NULL || NameInfo->Directory == NULL);

    ObpLock();
    Type->TotalNumberOfObjects--;
    ObpUnlock();
    if (Type->TypeInfo.DeleteProcedure != NULL)
        Type->TypeInfo.DeleteProcedure(Object);
    ObpFreeObject(Object);
}

static VOID ObpDeferObjectDeletion(POBJECT_HEADER Header)
{
    ObpLock();
    Header->NextToFree = ObpRemoveObjectList;
    ObpRemoveObjectList = Header;
    ObpUnlock();
}

VOID ObpProcessDeferredDeletes(VOID)
{
    POBJECT_HEADER Header, Next;

    while (ObpRemoveObjectList != NULL) {
        ObpLock();
        Header = ObpRemoveObjectList;
        ObpRemoveObjectList = NULL;
        ObpUnlock();
        for (; Header != NULL; Header = Next) {
            Next = Header->NextToFree;
            Header->HandleCount = 0;        /* the field the link borrowed */
            ObpRemoveObjectRoutine(&Header->Body);
        }
    }
}

LONG_PTR ObfDereferenceObject(PVOID Object)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    LONG Count = __atomic_sub_fetch(&Header->PointerCount, 1, __ATOMIC_SEQ_CST);
    KIRQL Irql;

    if (Count < 0)          /* more dereferences than references: a caller's bug */
        KeBugCheckEx(REFERENCE_BY_POINTER, (ULONG_PTR)Header->Type, (ULONG_PTR)Object,
                     (ULONG_PTR)Count, Header->HandleCount);
    if (Count == 0) {
        Irql = ObpGetCurrentIrql();
        if (Irql > APC_LEVEL) {
            ObpDeferObjectDeletion(Header);
            return 0;
        }
        ObpRemoveObjectRoutine(Object);
    }
    if (ObpRemoveObjectList != NULL && ObpGetCurrentIrql() == PASSIVE_LEVEL)
        ObpProcessDeferredDeletes();
    return Count;
}

/*
 * NT (Vista): ObDereferenceObjectDeferDelete. A last reference dropped here never
 * deletes the object on this stack: it joins the queue of deletions that wait. For a
 * delete procedure that drops a reference to another object of its kind (a file
 * object's RelatedFileObject), which would otherwise recurse once per link of a chain
 * as long as user mode cares to build. The ObfDereferenceObject or
 * ObpProcessDeferredDeletes that runs the delete procedure drains the queue after it,
 * one object at a time.
 */
LONG_PTR ObDereferenceObjectDeferDelete(PVOID Object)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    LONG Count = __atomic_sub_fetch(&Header->PointerCount, 1, __ATOMIC_SEQ_CST);

    if (Count < 0)
        KeBugCheckEx(REFERENCE_BY_POINTER, (ULONG_PTR)Header->Type, (ULONG_PTR)Object,
                     (ULONG_PTR)Count, Header->HandleCount);
    if (Count == 0)
        ObpDeferObjectDeletion(Header);
    return Count;
}

NTSTATUS ObReferenceObjectByPointer(PVOID Object, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                    KPROCESSOR_MODE AccessMode)
{
    /* No handle, so no granted access to check DesiredAccess against (NT neither). */
    UNREFERENCED_PARAMETER(DesiredAccess);
    UNREFERENCED_PARAMETER(AccessMode);
    if (ObjectType != NULL && OBJECT_TO_OBJECT_HEADER(Object)->Type != ObjectType)
        return STATUS_OBJECT_TYPE_MISMATCH;
    ObfReferenceObject(Object);
    return STATUS_SUCCESS;
}

/*
 * NtCurrentProcess() and NtCurrentThread(): the caller's own objects, through the
 * process issue's hooks. They are not in any table; NT grants them all access
 * (PROCESS_ALL_ACCESS, THREAD_ALL_ACCESS): here the type's GENERIC_ALL mapping.
 */
static NTSTATUS ObpReferenceCurrentObject(PVOID (*Current)(VOID), ACCESS_MASK DesiredAccess,
                                          POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                          PVOID *Object, POBJECT_HANDLE_INFORMATION HandleInformation)
{
    PVOID Body = Current != NULL ? Current() : NULL;
    POBJECT_TYPE Type;
    ACCESS_MASK Granted;

    if (Body == NULL)
        return STATUS_INVALID_HANDLE;
    Type = OBJECT_TO_OBJECT_HEADER(Body)->Type;
    if (ObjectType != NULL && ObjectType != Type)
        return STATUS_OBJECT_TYPE_MISMATCH;
    Granted = Type->TypeInfo.GenericMapping.GenericAll;
    if (AccessMode != KernelMode && (DesiredAccess & ~Granted) != 0)
        return STATUS_ACCESS_DENIED;
    ObfReferenceObject(Body);
    if (HandleInformation != NULL) {
        HandleInformation->HandleAttributes = 0;
        HandleInformation->GrantedAccess = Granted;
    }
    *Object = Body;
    return STATUS_SUCCESS;
}

/*
 * The object behind a handle, referenced. As in NT, the desired access is checked
 * against the handle's granted access only for user-mode callers (the kernel is
 * trusted), and is not mapped: callers ask for specific rights. Handles with the
 * high bit are the kernel's and mean nothing to user mode.
 */
NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                   KPROCESSOR_MODE AccessMode, PVOID *Object,
                                   POBJECT_HANDLE_INFORMATION HandleInformation)
{
    PHANDLE_TABLE_ENTRY Entry;
    PHANDLE_TABLE Table;
    POBJECT_HEADER Header;
    ACCESS_MASK Granted;
    ULONG Attributes;

    *Object = NULL;
    if (Handle == NtCurrentProcess())
        return ObpReferenceCurrentObject(ObpCurrentProcessObject, DesiredAccess, ObjectType, AccessMode,
                                         Object, HandleInformation);
    if (Handle == NtCurrentThread())
        return ObpReferenceCurrentObject(ObpCurrentThreadObject, DesiredAccess, ObjectType, AccessMode,
                                         Object, HandleInformation);
    Table = ObpTableOfHandle(&Handle, AccessMode);
    if (Table == NULL)
        return STATUS_INVALID_HANDLE;

    Entry = ExMapHandleToPointer(Table, Handle);
    if (Entry == NULL)
        return STATUS_INVALID_HANDLE;
    Header = (POBJECT_HEADER)(Entry->Value & ~EX_HANDLE_ENTRY_ATTRIBUTES);
    if (ObjectType != NULL && Header->Type != ObjectType) {
        ExUnlockHandleTableEntry(Table, Entry);
        return STATUS_OBJECT_TYPE_MISMATCH;
    }
    Granted = Entry->GrantedAccess & ~ObpAccessProtectCloseBit;
    if (AccessMode != KernelMode && (DesiredAccess & ~Granted) != 0) {
        ExUnlockHandleTableEntry(Table, Entry);
        return STATUS_ACCESS_DENIED;
    }
    Attributes = (ULONG)(Entry->ObAttributes & OBJ_HANDLE_ATTRIBUTES);
    if (Entry->GrantedAccess & ObpAccessProtectCloseBit)
        Attributes |= OBJ_PROTECT_CLOSE;
    ObfReferenceObject(&Header->Body);     /* before the entry can be closed */
    ExUnlockHandleTableEntry(Table, Entry);

    if (HandleInformation != NULL) {
        HandleInformation->HandleAttributes = Attributes;
        HandleInformation->GrantedAccess = Granted;
    }
    *Object = &Header->Body;
    return STATUS_SUCCESS;
}
