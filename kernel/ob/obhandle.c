/*
 * obhandle.c - handles to objects (NT: ObpCreateHandle, ObpIncrementHandleCount,
 * ObpDecrementHandleCount in ntos\ob\obhandle.c; NtClose, ObpCloseHandle in
 * obclose.c; ObInitProcess, ObKillProcess in obinit.c).
 *
 * A handle is an entry of a handle table (ex/handle.c) holding the object's header
 * with OBJ_INHERIT and OBJ_AUDIT_OBJECT_CLOSE in its low bits, and the access granted
 * with OBJ_PROTECT_CLOSE kept in the MAXIMUM_ALLOWED bit, as NT XP does. Each handle
 * holds one reference and counts once in HandleCount; the type's open and close
 * procedures are told about every handle made and closed. When the last handle of a
 * temporary object goes, so does its name (ObpDeleteNameCheck).
 */
#include "obp.h"

PHANDLE_TABLE ObpTableOfHandle(HANDLE *Handle, KPROCESSOR_MODE AccessMode)
{
    if (ObpIsKernelHandle(*Handle, AccessMode)) {
        *Handle = ObpDecodeKernelHandle(*Handle);
        return ObpKernelHandleTable;
    }
    return ObpGetObjectTable();
}

NTSTATUS ObpIncrementHandleCount(OB_OPEN_REASON OpenReason, PEPROCESS Process, PVOID Object,
                                 ACCESS_MASK GrantedAccess)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_TYPE Type = Header->Type;
    NTSTATUS Status;
    ULONG Count;

    ObpLock();
    Count = (ULONG)++Header->HandleCount;
    Type->TotalNumberOfHandles++;
    if (Type->TotalNumberOfHandles > Type->HighWaterNumberOfHandles)
        Type->HighWaterNumberOfHandles = Type->TotalNumberOfHandles;
    ObpUnlock();

    if (Type->TypeInfo.OpenProcedure == NULL)
        return STATUS_SUCCESS;
    Status = Type->TypeInfo.OpenProcedure(OpenReason, Process, Object, GrantedAccess, Count);
    if (!NT_SUCCESS(Status)) {
        /* The type said no: the handle never existed (no close procedure call). */
        ObpLock();
        Header->HandleCount--;
        Type->TotalNumberOfHandles--;
        ObpUnlock();
        ObpDeleteNameCheck(Object);
    }
    return Status;
}

VOID ObpDecrementHandleCount(PEPROCESS Process, PVOID Object, ACCESS_MASK GrantedAccess)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_TYPE Type = Header->Type;
    ULONG SystemHandleCount;

    ObpLock();
    SystemHandleCount = (ULONG)Header->HandleCount--;
    Type->TotalNumberOfHandles--;
    ObpUnlock();

    if (Type->TypeInfo.CloseProcedure != NULL)
        Type->TypeInfo.CloseProcedure(Process, Object, GrantedAccess, 0, SystemHandleCount);
    if (SystemHandleCount == 1)
        ObpDeleteNameCheck(Object);
}

NTSTATUS ObpCreateHandle(OB_OPEN_REASON OpenReason, PVOID Object, PHANDLE_TABLE Table,
                         ACCESS_MASK GrantedAccess, ULONG HandleAttributes, KPROCESSOR_MODE AccessMode,
                         PHANDLE Handle)
{
    HANDLE_TABLE_ENTRY Entry;
    PEPROCESS Process;
    BOOLEAN KernelHandle;
    NTSTATUS Status;
    HANDLE NewHandle;

    if (Table == NULL) {
        if ((HandleAttributes & OBJ_KERNEL_HANDLE) && AccessMode == KernelMode)
            Table = ObpKernelHandleTable;
        else
            Table = ObpGetObjectTable();
        if (Table == NULL)
            return STATUS_PROCESS_IS_TERMINATING;
    }
    KernelHandle = Table == ObpKernelHandleTable && (HandleAttributes & OBJ_KERNEL_HANDLE) != 0;
    Process = Table->QuotaProcess;

    Status = ObpIncrementHandleCount(OpenReason, Process, Object, GrantedAccess);
    if (!NT_SUCCESS(Status))
        return Status;
    Entry.Object = (PVOID)((ULONG_PTR)OBJECT_TO_OBJECT_HEADER(Object) | (HandleAttributes & OBJ_HANDLE_ATTRIBUTES));
    Entry.GrantedAccess = GrantedAccess;
    if (HandleAttributes & OBJ_PROTECT_CLOSE)
        Entry.GrantedAccess |= ObpAccessProtectCloseBit;
    NewHandle = ExCreateHandle(Table, &Entry);
    if (NewHandle == NULL) {
        ObpDecrementHandleCount(Process, Object, GrantedAccess);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    *Handle = KernelHandle ? ObpEncodeKernelHandle(NewHandle) : NewHandle;
    return STATUS_SUCCESS;
}

/*
 * Protected handles stay open (STATUS_HANDLE_NOT_CLOSABLE), and so do handles whose
 * type's OkayToClose procedure says no; a process's exit ignores both. The
 * procedure runs without the table lock, holding a reference; if the handle
 * changed meanwhile (closed by another thread) the close is reported as invalid.
 */
NTSTATUS ObpCloseHandle(PHANDLE_TABLE Table, HANDLE Handle, KPROCESSOR_MODE PreviousMode,
                        BOOLEAN IgnoreProtection)
{
    PHANDLE_TABLE_ENTRY Entry;
    POBJECT_HEADER Header;
    PVOID Object;
    ULONG_PTR Value;
    ACCESS_MASK Granted;

    Entry = ExMapHandleToPointer(Table, Handle);
    if (Entry == NULL)
        return STATUS_INVALID_HANDLE;
    Value = Entry->Value;
    Header = (POBJECT_HEADER)(Value & ~EX_HANDLE_ENTRY_ATTRIBUTES);
    Object = &Header->Body;

    if (!IgnoreProtection) {
        if (Entry->GrantedAccess & ObpAccessProtectCloseBit) {
            ExUnlockHandleTableEntry(Table, Entry);
            return STATUS_HANDLE_NOT_CLOSABLE;
        }
        if (Header->Type->TypeInfo.OkayToCloseProcedure != NULL) {
            BOOLEAN Okay;

            ObfReferenceObject(Object);
            ExUnlockHandleTableEntry(Table, Entry);
            Okay = Header->Type->TypeInfo.OkayToCloseProcedure(Table->QuotaProcess, Object, Handle,
                                                               PreviousMode);
            ObDereferenceObject(Object);
            if (!Okay)
                return STATUS_HANDLE_NOT_CLOSABLE;
            Entry = ExMapHandleToPointer(Table, Handle);
            if (Entry == NULL)
                return STATUS_INVALID_HANDLE;
            if (Entry->Value != Value || (Entry->GrantedAccess & ObpAccessProtectCloseBit)) {
                ExUnlockHandleTableEntry(Table, Entry);
                return STATUS_INVALID_HANDLE;
            }
        }
    }
    Granted = Entry->GrantedAccess & ~ObpAccessProtectCloseBit;
    ExDestroyHandle(Table, Handle, Entry, NULL);

    /* The handle is gone; now its count and its reference. */
    ObpDecrementHandleCount(Table->QuotaProcess, Object, Granted);
    ObDereferenceObject(Object);
    return STATUS_SUCCESS;
}

NTSTATUS ObCloseHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode)
{
    PHANDLE_TABLE Table = ObpTableOfHandle(&Handle, PreviousMode);

    if (Table == NULL)
        return STATUS_INVALID_HANDLE;
    return ObpCloseHandle(Table, Handle, PreviousMode, FALSE);
}

/* NT: NtClose. No user pointer to probe: the handle value is the whole argument. */
NTSTATUS NtClose(HANDLE Handle)
{
    return ObCloseHandle(Handle, ExGetPreviousMode());
}

/* ---- whole tables: a process's birth and death ---- */

/* Called with the parent's table locked: only takes the reference the copy holds. */
static BOOLEAN ObpDuplicateHandleProcedure(PEPROCESS Process, PHANDLE_TABLE OldHandleTable,
                                           PHANDLE_TABLE_ENTRY OldEntry, PHANDLE_TABLE_ENTRY NewEntry)
{
    UNREFERENCED_PARAMETER(Process);
    UNREFERENCED_PARAMETER(OldHandleTable);
    UNREFERENCED_PARAMETER(NewEntry);
    ObfReferenceObject(&((POBJECT_HEADER)(OldEntry->Value & ~EX_HANDLE_ENTRY_ATTRIBUTES))->Body);
    return TRUE;
}

typedef struct _OBP_INHERIT_CONTEXT {
    PHANDLE_TABLE Table;
    PEPROCESS Process;
} OBP_INHERIT_CONTEXT, *POBP_INHERIT_CONTEXT;

/* Outside any lock: counts an inherited handle and tells its type; a refusal
   removes the handle from the child. */
static BOOLEAN ObpInheritHandleProcedure(PHANDLE_TABLE_ENTRY Entry, HANDLE Handle, PVOID Parameter)
{
    POBP_INHERIT_CONTEXT Context = Parameter;
    PVOID Object = &((POBJECT_HEADER)(Entry->Value & ~EX_HANDLE_ENTRY_ATTRIBUTES))->Body;
    ACCESS_MASK Granted = Entry->GrantedAccess & ~ObpAccessProtectCloseBit;

    if (!NT_SUCCESS(ObpIncrementHandleCount(ObInheritHandle, Context->Process, Object, Granted))) {
        ExDestroyHandle(Context->Table, Handle, NULL, NULL);
        ObDereferenceObject(Object);
    }
    return FALSE;   /* on to the next handle */
}

NTSTATUS ObInitProcess(PHANDLE_TABLE ParentTable, BOOLEAN InheritHandles, PEPROCESS NewProcess,
                       PHANDLE_TABLE *NewTable)
{
    OBP_INHERIT_CONTEXT Context;
    PHANDLE_TABLE Table;

    if (ParentTable != NULL && InheritHandles) {
        /* First the copy, under the parent's lock, taking a reference per handle;
           then, with no lock held, the counts and the open procedures. */
        Table = ExDupHandleTable(NewProcess, ParentTable, ObpDuplicateHandleProcedure, OBJ_INHERIT);
        if (Table == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        Context.Table = Table;
        Context.Process = NewProcess;
        ExEnumHandleTable(Table, ObpInheritHandleProcedure, &Context, NULL);
    } else {
        Table = ExCreateHandleTable(NewProcess);
        if (Table == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
    }
    *NewTable = Table;
    return STATUS_SUCCESS;
}

/* Each swept handle: already out of the table; now its count and its reference. */
static VOID ObpCloseHandleProcedure(PHANDLE_TABLE_ENTRY Entry, HANDLE Handle, PVOID Context)
{
    PVOID Object = &((POBJECT_HEADER)(Entry->Value & ~EX_HANDLE_ENTRY_ATTRIBUTES))->Body;

    UNREFERENCED_PARAMETER(Handle);
    ObpDecrementHandleCount((PEPROCESS)Context, Object, Entry->GrantedAccess & ~ObpAccessProtectCloseBit);
    ObDereferenceObject(Object);
}

VOID ObKillProcess(PHANDLE_TABLE Table)
{
    ExDestroyHandleTable(Table, ObpCloseHandleProcedure, Table->QuotaProcess);
}
