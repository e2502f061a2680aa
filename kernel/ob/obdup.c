/*
 * obdup.c - duplicating handles, within a process or between two (NT: NtDuplicateObject,
 * ObDuplicateObject in ntos\ob\obhandle.c).
 *
 * The copy refers to the same object with the access asked for (or the source's,
 * DUPLICATE_SAME_ACCESS) and the attributes asked for (or the source's,
 * DUPLICATE_SAME_ATTRIBUTES); DUPLICATE_CLOSE_SOURCE then closes the source, even
 * when the copy failed, as in NT.
 *
 * Asking for more access than the source handle has: NT checks the object's
 * security descriptor then. There are no security descriptors yet, so a kernel-mode
 * caller (trusted) gets it and a user-mode caller gets STATUS_ACCESS_DENIED: a
 * duplicate never widens a user's access.
 */
#include "obp.h"

/* NT's process right for reading another process's handles (the process issue's
   header will define it too; the definitions agree). */
#ifndef PROCESS_DUP_HANDLE
#define PROCESS_DUP_HANDLE 0x0040
#endif

#define DUPLICATE_VALID_OPTIONS (DUPLICATE_CLOSE_SOURCE | DUPLICATE_SAME_ACCESS | DUPLICATE_SAME_ATTRIBUTES)

/* The source: the object referenced, with the source handle's access and attributes. */
static NTSTATUS ObpReferenceSource(PHANDLE_TABLE SourceTable, HANDLE *SourceHandle, KPROCESSOR_MODE PreviousMode,
                                   PVOID *Object, PACCESS_MASK Granted, PULONG Attributes)
{
    OBJECT_HANDLE_INFORMATION Information;
    PHANDLE_TABLE_ENTRY Entry;
    POBJECT_HEADER Header;
    NTSTATUS Status;

    /* The pseudo-handles mean the caller's process or thread: only in its own table. */
    if (*SourceHandle == NtCurrentProcess() || *SourceHandle == NtCurrentThread()) {
        if (SourceTable != ObpGetObjectTable())
            return STATUS_INVALID_HANDLE;
        Status = ObReferenceObjectByHandle(*SourceHandle, 0, NULL, KernelMode, Object, &Information);
        if (NT_SUCCESS(Status)) {
            *Granted = Information.GrantedAccess;
            *Attributes = Information.HandleAttributes;
        }
        return Status;
    }
    if ((ULONG_PTR)*SourceHandle & KERNEL_HANDLE_MASK) {
        if (PreviousMode != KernelMode || SourceTable != ObpKernelHandleTable)
            return STATUS_INVALID_HANDLE;
        *SourceHandle = ObpDecodeKernelHandle(*SourceHandle);
    }
    Entry = ExMapHandleToPointer(SourceTable, *SourceHandle);
    if (Entry == NULL)
        return STATUS_INVALID_HANDLE;
    Header = (POBJECT_HEADER)(Entry->Value & ~EX_HANDLE_ENTRY_ATTRIBUTES);
    *Granted = Entry->GrantedAccess & ~ObpAccessProtectCloseBit;
    *Attributes = (ULONG)(Entry->ObAttributes & OBJ_HANDLE_ATTRIBUTES);
    if (Entry->GrantedAccess & ObpAccessProtectCloseBit)
        *Attributes |= OBJ_PROTECT_CLOSE;
    ObfReferenceObject(&Header->Body);
    ExUnlockHandleTableEntry(SourceTable, Entry);
    *Object = &Header->Body;
    return STATUS_SUCCESS;
}

NTSTATUS ObDuplicateObject(PHANDLE_TABLE SourceTable, HANDLE SourceHandle, PHANDLE_TABLE TargetTable,
                           PHANDLE TargetHandle, ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                           ULONG Options, KPROCESSOR_MODE PreviousMode)
{
    ACCESS_MASK SourceGranted, Granted;
    ULONG SourceAttributes, Attributes;
    HANDLE NewHandle = NULL;
    NTSTATUS Status;
    PVOID Object;

    if (TargetHandle != NULL)
        *TargetHandle = NULL;
    if ((Options & ~DUPLICATE_VALID_OPTIONS) != 0 || (HandleAttributes & ~OBJ_VALID_ATTRIBUTES) != 0)
        return STATUS_INVALID_PARAMETER;
    if (PreviousMode != KernelMode)
        HandleAttributes &= ~OBJ_KERNEL_HANDLE;

    Status = ObpReferenceSource(SourceTable, &SourceHandle, PreviousMode, &Object, &SourceGranted,
                                &SourceAttributes);
    if (!NT_SUCCESS(Status))
        return Status;

    if (TargetTable == NULL) {
        /* No target: the call only closes the source (NT allows exactly that). */
        ObDereferenceObject(Object);
        if (Options & DUPLICATE_CLOSE_SOURCE)
            return ObpCloseHandle(SourceTable, SourceHandle, PreviousMode, FALSE);
        return STATUS_SUCCESS;
    }

    if (Options & DUPLICATE_SAME_ACCESS) {
        Granted = SourceGranted;
    } else {
        Status = ObpGrantAccess(OBJECT_TO_OBJECT_HEADER(Object)->Type, DesiredAccess, PreviousMode, &Granted);
        if (NT_SUCCESS(Status) && (Granted & ~SourceGranted) != 0 && PreviousMode != KernelMode)
            Status = STATUS_ACCESS_DENIED;
    }
    if (Options & DUPLICATE_SAME_ATTRIBUTES)
        Attributes = SourceAttributes;
    else
        Attributes = HandleAttributes & OBJ_INHERIT;

    if (NT_SUCCESS(Status)) {
        /* A kernel handle asked for from kernel mode goes to the kernel's table. */
        if (HandleAttributes & OBJ_KERNEL_HANDLE) {
            TargetTable = ObpKernelHandleTable;
            Attributes |= OBJ_KERNEL_HANDLE;
        }
        Status = ObpCreateHandle(ObDuplicateHandle, Object, TargetTable, Granted, Attributes, PreviousMode,
                                 &NewHandle);
    }
    if (!NT_SUCCESS(Status))
        ObDereferenceObject(Object);    /* else the new handle holds it */

    if (Options & DUPLICATE_CLOSE_SOURCE)
        ObpCloseHandle(SourceTable, SourceHandle, PreviousMode, FALSE);
    if (NT_SUCCESS(Status) && TargetHandle != NULL)
        *TargetHandle = NewHandle;
    return Status;
}

/*
 * The handle table of a process handle, and the process object (referenced) when
 * there is one to release. Until processes exist, NtCurrentProcess() stands for the
 * current table, which is all it can mean then.
 */
static NTSTATUS ObpReferenceProcessTable(HANDLE ProcessHandle, KPROCESSOR_MODE PreviousMode,
                                         PVOID *Process, PHANDLE_TABLE *Table)
{
    PVOID Current;
    NTSTATUS Status;

    *Process = NULL;
    if (ProcessHandle == NtCurrentProcess() && ObpCurrentProcessObject == NULL) {
        *Table = ObpGetObjectTable();
        return *Table != NULL ? STATUS_SUCCESS : STATUS_PROCESS_IS_TERMINATING;
    }
    Status = ObReferenceObjectByHandle(ProcessHandle, PROCESS_DUP_HANDLE, NULL, PreviousMode, Process, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    *Table = ObpProcessObjectTable != NULL ? ObpProcessObjectTable(*Process) : NULL;
    if (*Table != NULL)
        return STATUS_SUCCESS;
    /* Not a process, or one whose table is gone because it is exiting. */
    Current = ObpCurrentProcessObject != NULL ? ObpCurrentProcessObject() : NULL;
    Status = (Current != NULL &&
              OBJECT_TO_OBJECT_HEADER(Current)->Type == OBJECT_TO_OBJECT_HEADER(*Process)->Type)
                 ? STATUS_PROCESS_IS_TERMINATING
                 : STATUS_OBJECT_TYPE_MISMATCH;
    ObDereferenceObject(*Process);
    *Process = NULL;
    return Status;
}

NTSTATUS NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle, HANDLE TargetProcessHandle,
                           PHANDLE TargetHandle, ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                           ULONG Options)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PHANDLE_TABLE SourceTable, TargetTable = NULL;
    PVOID SourceProcess, TargetProcess = NULL;
    HANDLE NewHandle = NULL;
    NTSTATUS Status;

    if (TargetHandle != NULL) {
        Status = ExProbeUserOutput(TargetHandle, sizeof(HANDLE), sizeof(ULONG), PreviousMode);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = ObpReferenceProcessTable(SourceProcessHandle, PreviousMode, &SourceProcess, &SourceTable);
    if (!NT_SUCCESS(Status))
        return Status;
    if (TargetProcessHandle != NULL) {
        Status = ObpReferenceProcessTable(TargetProcessHandle, PreviousMode, &TargetProcess, &TargetTable);
        if (!NT_SUCCESS(Status)) {
            if (SourceProcess != NULL)
                ObDereferenceObject(SourceProcess);
            return Status;
        }
    }

    Status = ObDuplicateObject(SourceTable, SourceHandle, TargetTable, TargetProcessHandle ? &NewHandle : NULL,
                               DesiredAccess, HandleAttributes, Options, PreviousMode);
    if (TargetHandle != NULL)
        ObpWriteHandle(TargetHandle, NewHandle, PreviousMode);     /* NULL on failure, as NT */

    if (TargetProcess != NULL)
        ObDereferenceObject(TargetProcess);
    if (SourceProcess != NULL)
        ObDereferenceObject(SourceProcess);
    return Status;
}
