/*
 * iorw.c - NtReadFile and NtWriteFile (NT: ntos\io\read.c, write.c).
 *
 * Transfers are buffered, as for a DO_BUFFERED_IO device in NT: the I/O manager
 * moves the caller's bytes through a non-paged copy (SystemBuffer), so drivers
 * never touch user memory (there are no MDLs for direct I/O yet). A synchronous
 * file (opened with FILE_SYNCHRONOUS_IO_*) takes one request at a time and keeps
 * its position, which a request without ByteOffset (or with
 * FILE_USE_FILE_POINTER_POSITION) starts from and advances.
 *
 * As in NT, the I/O status block is written and the event set only when the
 * request did not fail (an error status that a driver returns at once leaves both
 * alone). An APC routine (asynchronous completion) is not implemented yet:
 * STATUS_NOT_IMPLEMENTED.
 */
#include "iop.h"
#include <exobj.h>

typedef struct _IOP_TRANSFER {
    KPROCESSOR_MODE PreviousMode;
    PFILE_OBJECT FileObject;
    PKEVENT Event;
    PVOID SystemBuffer;
    LARGE_INTEGER Offset;
    ULONG Key;
} IOP_TRANSFER, *PIOP_TRANSFER;

static NTSTATUS IopSendTransfer(PIOP_TRANSFER Transfer, UCHAR MajorFunction, PVOID Buffer, ULONG Length,
                                PULONG_PTR Information)
{
    PFILE_OBJECT FileObject = Transfer->FileObject;
    PIO_STACK_LOCATION Stack;
    NTSTATUS Status;
    PIRP Irp;

    Irp = IopBuildIrp(FileObject, MajorFunction, Transfer->PreviousMode);
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Irp->AssociatedIrp.SystemBuffer = Transfer->SystemBuffer;
    Irp->UserBuffer = Buffer;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->Parameters.Read.Length = Length;
    Stack->Parameters.Read.Key = Transfer->Key;
    Stack->Parameters.Read.ByteOffset = Transfer->Offset;
    Status = IopSynchronousCall(FileObject, Irp);
    /* A driver cannot claim more than it was given. */
    *Information = Irp->IoStatus.Information <= Length ? Irp->IoStatus.Information : Length;
    IoFreeIrp(Irp);
    return Status;
}

static NTSTATUS IopReadWrite(UCHAR MajorFunction, HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine,
                             PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length,
                             PLARGE_INTEGER ByteOffset, PULONG Key)
{
    BOOLEAN Read = MajorFunction == IRP_MJ_READ, Synchronous;
    IO_STATUS_BLOCK IoStatus = { { 0 }, 0 };
    IOP_TRANSFER Transfer;
    NTSTATUS Status;

    memset(&Transfer, 0, sizeof(Transfer));
    Transfer.PreviousMode = ExGetPreviousMode();
    if (ApcRoutine != NULL)
        return STATUS_NOT_IMPLEMENTED;      /* user APC completion: not yet */

    /* Every user pointer first, before anything changes. */
    Status = ExProbeUserOutput(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG), Transfer.PreviousMode);
    if (NT_SUCCESS(Status))
        Status = Read ? ExProbeUserOutput(Buffer, Length, 1, Transfer.PreviousMode)
                      : ExProbeUserInput(Buffer, Length, 1, Transfer.PreviousMode);
    if (NT_SUCCESS(Status) && ByteOffset != NULL)
        Status = ExCaptureUserData(&Transfer.Offset, ByteOffset, sizeof(LARGE_INTEGER), sizeof(ULONG),
                                   Transfer.PreviousMode);
    if (NT_SUCCESS(Status) && Key != NULL)
        Status = ExCaptureUserData(&Transfer.Key, Key, sizeof(ULONG), sizeof(ULONG), Transfer.PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;

    Status = ObReferenceObjectByHandle(FileHandle, Read ? FILE_READ_DATA : FILE_WRITE_DATA, IoFileObjectType,
                                       Transfer.PreviousMode, (PVOID *)&Transfer.FileObject, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Synchronous = (Transfer.FileObject->Flags & FO_SYNCHRONOUS_IO) != 0;
    if (!Synchronous && ByteOffset == NULL) {
        /* Only a synchronous file has a position to go on from. */
        ObDereferenceObject(Transfer.FileObject);
        return STATUS_INVALID_PARAMETER;
    }
    if (Event != NULL)
        Status = ObReferenceObjectByHandle(Event, EVENT_MODIFY_STATE, ExEventObjectType, Transfer.PreviousMode,
                                           (PVOID *)&Transfer.Event, NULL);
    /* The caller's bytes are copied before the event changes. The copy is as large
       as the request, from non-paged pool: NT charges it to the caller's pool quota,
       which does not exist here yet, so a bound stands in for the quota (NT's answer
       to an exceeded quota is the same status). */
    if (NT_SUCCESS(Status) && Length > IOP_MAX_BUFFERED_TRANSFER)
        Status = STATUS_INSUFFICIENT_RESOURCES;
    if (NT_SUCCESS(Status) && Length != 0) {
        Transfer.SystemBuffer = ExAllocatePoolWithTag(NonPagedPool, Length, IOP_BUFFER_TAG);
        if (Transfer.SystemBuffer == NULL)
            Status = STATUS_INSUFFICIENT_RESOURCES;
        else if (!Read)
            Status = ExCaptureUserData(Transfer.SystemBuffer, Buffer, Length, 1, Transfer.PreviousMode);
    }
    if (NT_SUCCESS(Status)) {
        if (Transfer.Event != NULL)
            KeClearEvent(Transfer.Event);
        if (Synchronous) {
            /* A thread being terminated while it queues here leaves without the lock. */
            Status = IopAcquireFileObjectLock(Transfer.FileObject, Transfer.PreviousMode);
            if (Status == STATUS_SUCCESS &&
                (ByteOffset == NULL || (Transfer.Offset.LowPart == FILE_USE_FILE_POINTER_POSITION &&
                                        Transfer.Offset.HighPart == -1)))
                Transfer.Offset = Transfer.FileObject->CurrentByteOffset;
        }
        if (!Synchronous || Status == STATUS_SUCCESS) {
            Status = IopSendTransfer(&Transfer, MajorFunction, Buffer, Length, &IoStatus.Information);
            if (Synchronous) {
                if (!NT_ERROR(Status))
                    Transfer.FileObject->CurrentByteOffset.QuadPart = Transfer.Offset.QuadPart +
                                                                      IoStatus.Information;
                IopReleaseFileObjectLock(Transfer.FileObject);
            }
        }
        /* The caller's buffer may have gone since the probe: that fault is the answer. */
        if (Read && !NT_ERROR(Status) && IoStatus.Information != 0) {
            NTSTATUS CopyStatus = ExCopyToCaller(Buffer, Transfer.SystemBuffer, IoStatus.Information,
                                                 Transfer.PreviousMode);
            if (!NT_SUCCESS(CopyStatus))
                Status = CopyStatus;
        }
    }
    if (!NT_ERROR(Status)) {
        IoStatus.Status = Status;
        (VOID)ExCopyToCaller(IoStatusBlock, &IoStatus, sizeof(IoStatus), Transfer.PreviousMode);
        if (Transfer.Event != NULL)
            KeSetEvent(Transfer.Event, 0, FALSE);
    }
    if (Transfer.SystemBuffer != NULL)
        ExFreePoolWithTag(Transfer.SystemBuffer, IOP_BUFFER_TAG);
    if (Transfer.Event != NULL)
        ObDereferenceObject(Transfer.Event);
    ObDereferenceObject(Transfer.FileObject);
    return Status;
}

NTSTATUS NtReadFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                    PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                    PULONG Key)
{
    UNREFERENCED_PARAMETER(ApcContext);     /* only for the APC routine */
    return IopReadWrite(IRP_MJ_READ, FileHandle, Event, ApcRoutine, IoStatusBlock, Buffer, Length, ByteOffset,
                        Key);
}

NTSTATUS NtWriteFile(HANDLE FileHandle, HANDLE Event, PIO_APC_ROUTINE ApcRoutine, PVOID ApcContext,
                     PIO_STATUS_BLOCK IoStatusBlock, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                     PULONG Key)
{
    UNREFERENCED_PARAMETER(ApcContext);
    return IopReadWrite(IRP_MJ_WRITE, FileHandle, Event, ApcRoutine, IoStatusBlock, Buffer, Length, ByteOffset,
                        Key);
}
