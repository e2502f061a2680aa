/*
 * iodir.c - NtQueryDirectoryFile (NT: ntos\io\dir.c, BuildQueryDirectoryIrp and
 * NtQueryDirectoryFile).
 *
 * The arguments are checked and captured (the pattern copied to pool), then the
 * file system gets IRP_MJ_DIRECTORY_CONTROL / IRP_MN_QUERY_DIRECTORY with
 * SL_RESTART_SCAN and SL_RETURN_SINGLE_ENTRY as NT sets them. Where the search
 * stands is the file system's (per open, in its CCB), not the I/O manager's.
 * Differences from NT: the transfer is always buffered through a pool copy bounded
 * as reads are (IOP_MAX_BUFFERED_TRANSFER); the request runs synchronously; an APC
 * routine is STATUS_NOT_IMPLEMENTED, as in NtReadFile; only the two classes a file
 * system here answers are passed on (the other directory classes are
 * STATUS_NOT_IMPLEMENTED, every other class STATUS_INVALID_INFO_CLASS).
 */
#include "iop.h"
#include <exobj.h>     /* ExEventObjectType */

NTSTATUS NtQueryDirectoryFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                              PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                              FILE_INFORMATION_CLASS FileInformationClass, BOOLEAN ReturnSingleEntry,
                              PUNICODE_STRING FileName, BOOLEAN RestartScan)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    IO_STATUS_BLOCK IoStatus = { { 0 }, 0 };
    UNICODE_STRING Pattern = { 0, 0, NULL };
    PVOID SystemBuffer = NULL, PatternBuffer = NULL;
    PIO_STACK_LOCATION Stack;
    PFILE_OBJECT FileObject;
    PKEVENT EventObject = NULL;
    ULONG Header;
    NTSTATUS Status;
    PIRP Irp;

    UNREFERENCED_PARAMETER(ApcContext);     /* only for the APC routine */
    if (ApcRoutine != NULL)
        return STATUS_NOT_IMPLEMENTED;      /* user APC completion: not yet */
    if (FileInformationClass == FileDirectoryInformation)
        Header = FIELD_OFFSET(FILE_DIRECTORY_INFORMATION, FileName);
    else if (FileInformationClass == FileBothDirectoryInformation)
        Header = FIELD_OFFSET(FILE_BOTH_DIR_INFORMATION, FileName);
    else if (FileInformationClass == FileFullDirectoryInformation || FileInformationClass == FileNamesInformation)
        return STATUS_NOT_IMPLEMENTED;
    else
        return STATUS_INVALID_INFO_CLASS;
    /* NT: the fixed part of one entry must fit. */
    if (Length < Header)
        return STATUS_INFO_LENGTH_MISMATCH;

    Status = ExProbeUserOutput(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(FileInformation, Length, sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && FileName != NULL) {
        Status = ExCaptureUserData(&Pattern, FileName, sizeof(Pattern), sizeof(ULONG), PreviousMode);
        if (NT_SUCCESS(Status) && (Pattern.Length & 1))
            Status = STATUS_INVALID_PARAMETER;
        if (NT_SUCCESS(Status) && Pattern.Length != 0) {
            PatternBuffer = ExAllocatePoolWithTag(NonPagedPool, Pattern.Length, IOP_NAME_TAG);
            if (PatternBuffer == NULL)
                Status = STATUS_INSUFFICIENT_RESOURCES;
            else
                Status = ExCaptureUserData(PatternBuffer, Pattern.Buffer, Pattern.Length, sizeof(WCHAR),
                                           PreviousMode);
        }
        /* From here on only the kernel's copy is used. */
        Pattern.Buffer = PatternBuffer;
        Pattern.MaximumLength = Pattern.Length;
    }
    if (NT_SUCCESS(Status) && Length > IOP_MAX_BUFFERED_TRANSFER)
        Status = STATUS_INSUFFICIENT_RESOURCES;     /* the quota's stand-in, as in iorw.c */
    if (NT_SUCCESS(Status)) {
        SystemBuffer = ExAllocatePoolWithTag(NonPagedPool, Length, IOP_BUFFER_TAG);
        if (SystemBuffer == NULL)
            Status = STATUS_INSUFFICIENT_RESOURCES;
    }
    if (!NT_SUCCESS(Status))
        goto Done;

    Status = ObReferenceObjectByHandle(FileHandle, FILE_LIST_DIRECTORY, IoFileObjectType, PreviousMode,
                                       (PVOID *)&FileObject, NULL);
    if (!NT_SUCCESS(Status))
        goto Done;
    if (Event != NULL) {
        Status = ObReferenceObjectByHandle(Event, EVENT_MODIFY_STATE, ExEventObjectType, PreviousMode,
                                           (PVOID *)&EventObject, NULL);
        if (!NT_SUCCESS(Status)) {
            ObDereferenceObject(FileObject);
            goto Done;
        }
        KeClearEvent(EventObject);
    }
    Irp = IopBuildIrp(FileObject, IRP_MJ_DIRECTORY_CONTROL, PreviousMode);
    if (Irp == NULL) {
        Status = STATUS_INSUFFICIENT_RESOURCES;
    } else {
        Irp->AssociatedIrp.SystemBuffer = SystemBuffer;
        Stack = IoGetNextIrpStackLocation(Irp);
        Stack->MinorFunction = IRP_MN_QUERY_DIRECTORY;
        Stack->Flags = (RestartScan ? SL_RESTART_SCAN : 0) | (ReturnSingleEntry ? SL_RETURN_SINGLE_ENTRY : 0);
        Stack->Parameters.QueryDirectory.Length = Length;
        Stack->Parameters.QueryDirectory.FileName = PatternBuffer != NULL ? &Pattern : NULL;
        Stack->Parameters.QueryDirectory.FileInformationClass = FileInformationClass;
        Stack->Parameters.QueryDirectory.FileIndex = 0;
        /* One request at a time on a synchronous file, as every other request. */
        Status = IopSerializedCall(FileObject, Irp);
        IoStatus.Information = Irp->IoStatus.Information <= Length ? Irp->IoStatus.Information : Length;
        IoFreeIrp(Irp);
    }
    /* A warning (STATUS_BUFFER_OVERFLOW) still returns what fitted. */
    if (!NT_ERROR(Status) && IoStatus.Information != 0) {
        NTSTATUS CopyStatus = ExCopyToCaller(FileInformation, SystemBuffer, IoStatus.Information, PreviousMode);
        if (!NT_SUCCESS(CopyStatus))
            Status = CopyStatus;
    }
    if (!NT_ERROR(Status)) {
        IoStatus.Status = Status;
        (VOID)ExCopyToCaller(IoStatusBlock, &IoStatus, sizeof(IoStatus), PreviousMode);
        if (EventObject != NULL)
            KeSetEvent(EventObject, 0, FALSE);
    }
    if (EventObject != NULL)
        ObDereferenceObject(EventObject);
    ObDereferenceObject(FileObject);
Done:
    if (SystemBuffer != NULL)
        ExFreePoolWithTag(SystemBuffer, IOP_BUFFER_TAG);
    if (PatternBuffer != NULL)
        ExFreePoolWithTag(PatternBuffer, IOP_NAME_TAG);
    return Status;
}
