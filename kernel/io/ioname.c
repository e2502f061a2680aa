/*
 * ioname.c - the file services that take a name and no handle: NtQueryAttributesFile
 * and NtDeleteFile (NT: ntos\io\iosubs.c and misc.c, through IoCreateFile).
 *
 * Each is, in effect, what NT does: an open (FILE_READ_ATTRIBUTES; DELETE with
 * FILE_DELETE_ON_CLOSE), one request, and the close. NT opens with a query-only or
 * delete-only open packet that never makes a handle; here the open goes through
 * ObOpenObjectByName as NtCreateFile's does, and the handle it makes is closed at
 * once, before the request, with the file object kept by reference. For that
 * instant the handle is in the caller's table (another thread of the caller could
 * close it first: the close then fails and is ignored; the reference stands).
 */
#include "iop.h"

/* Opens ObjectAttributes' file for Access with Options; the file object, referenced. */
static NTSTATUS IopOpenByName(POBJECT_ATTRIBUTES ObjectAttributes, KPROCESSOR_MODE PreviousMode,
                              ACCESS_MASK Access, ULONG Options, PFILE_OBJECT *FileObject)
{
    IOP_OPEN_PACKET Packet;
    HANDLE Handle;
    NTSTATUS Status;

    memset(&Packet, 0, sizeof(Packet));
    Packet.Type = IO_TYPE_OPEN_PACKET;
    Packet.Size = sizeof(Packet);
    Packet.DesiredAccess = Access;
    Packet.ShareAccess = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    Packet.Disposition = FILE_OPEN;
    Packet.CreateOptions = Options;
    Packet.FinalStatus = STATUS_SUCCESS;
    Status = ObOpenObjectByName(ObjectAttributes, IoFileObjectType, PreviousMode, NULL, Access, &Packet,
                                &Handle);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(Handle, 0, IoFileObjectType, KernelMode, (PVOID *)FileObject, NULL);
    (VOID)ObCloseHandle(Handle, PreviousMode);
    return Status;
}

NTSTATUS NtQueryAttributesFile(POBJECT_ATTRIBUTES ObjectAttributes, PFILE_BASIC_INFORMATION FileInformation)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    FILE_BASIC_INFORMATION Basic;
    PFILE_OBJECT FileObject;
    ULONG_PTR Information = 0;
    NTSTATUS Status;

    Status = ExProbeUserOutput(FileInformation, sizeof(*FileInformation), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopOpenByName(ObjectAttributes, PreviousMode, FILE_READ_ATTRIBUTES, 0, &FileObject);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(&Basic, 0, sizeof(Basic));
    Status = IopQueryDriver(FileObject, PreviousMode, FileBasicInformation, &Basic, sizeof(Basic), &Information);
    /* The last reference: the driver's cleanup and close come now. */
    ObDereferenceObject(FileObject);
    if (NT_SUCCESS(Status) && Information != sizeof(Basic))
        Status = STATUS_INVALID_DEVICE_REQUEST;     /* a driver that answered nothing */
    if (NT_SUCCESS(Status))
        Status = ExCopyToCaller(FileInformation, &Basic, sizeof(Basic), PreviousMode);
    return Status;
}

NTSTATUS NtDeleteFile(POBJECT_ATTRIBUTES ObjectAttributes)
{
    PFILE_OBJECT FileObject;
    NTSTATUS Status;

    /* The delete is the file system's, at the cleanup the close of the handle sent. */
    Status = IopOpenByName(ObjectAttributes, ExGetPreviousMode(), DELETE, FILE_DELETE_ON_CLOSE, &FileObject);
    if (NT_SUCCESS(Status))
        ObDereferenceObject(FileObject);
    return Status;
}
