/*
 * iocreate.c - NtCreateFile and NtOpenFile (NT: IoCreateFile in ntos\io\iosubs.c,
 * NtCreateFile and NtOpenFile in create.c and open.c).
 *
 * The arguments are checked as NT checks them, then the object manager looks the
 * name up with an open packet as the parse context: the device the name leads to
 * (IopParseDevice) makes the file object and asks its driver. What the driver
 * answered comes back in the packet.
 */
#include "iop.h"

static NTSTATUS IopCheckCreateParameters(ACCESS_MASK DesiredAccess, ULONG FileAttributes, ULONG ShareAccess,
                                         ULONG Disposition, ULONG CreateOptions)
{
    if ((FileAttributes & ~FILE_ATTRIBUTE_VALID_FLAGS) || (ShareAccess & ~FILE_SHARE_VALID_FLAGS) ||
        Disposition > FILE_MAXIMUM_DISPOSITION || (CreateOptions & ~FILE_VALID_OPTION_FLAGS))
        return STATUS_INVALID_PARAMETER;
    /* Synchronous I/O is waited on through the handle: it needs SYNCHRONIZE, and
       cannot be both alertable and not. */
    if ((CreateOptions & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT)) &&
        !(DesiredAccess & (SYNCHRONIZE | GENERIC_ALL | MAXIMUM_ALLOWED)))
        return STATUS_INVALID_PARAMETER;
    if ((CreateOptions & FILE_SYNCHRONOUS_IO_ALERT) && (CreateOptions & FILE_SYNCHRONOUS_IO_NONALERT))
        return STATUS_INVALID_PARAMETER;
    if ((CreateOptions & FILE_DIRECTORY_FILE) && (CreateOptions & FILE_NON_DIRECTORY_FILE))
        return STATUS_INVALID_PARAMETER;
    /* A directory can only be opened or created, never overwritten. */
    if ((CreateOptions & FILE_DIRECTORY_FILE) && Disposition != FILE_CREATE && Disposition != FILE_OPEN &&
        Disposition != FILE_OPEN_IF)
        return STATUS_INVALID_PARAMETER;
    return STATUS_SUCCESS;
}

NTSTATUS NtCreateFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                      PIO_STATUS_BLOCK IoStatusBlock, PLARGE_INTEGER AllocationSize, ULONG FileAttributes,
                      ULONG ShareAccess, ULONG CreateDisposition, ULONG CreateOptions, PVOID EaBuffer,
                      ULONG EaLength)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    IOP_OPEN_PACKET Packet;
    IO_STATUS_BLOCK IoStatus;
    LARGE_INTEGER Allocation;
    HANDLE Handle;
    NTSTATUS Status;

    Status = ExProbeUserOutput(FileHandle, sizeof(HANDLE), sizeof(HANDLE), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG), PreviousMode);
    /* Captured to be checked; no file system creates files yet, so nothing uses it. */
    if (NT_SUCCESS(Status) && AllocationSize != NULL)
        Status = ExCaptureUserData(&Allocation, AllocationSize, sizeof(Allocation), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = IopCheckCreateParameters(DesiredAccess, FileAttributes, ShareAccess, CreateDisposition,
                                      CreateOptions);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Extended attributes belong to a file system; there is none yet. */
    if (EaBuffer != NULL && EaLength != 0)
        return STATUS_NOT_IMPLEMENTED;

    memset(&Packet, 0, sizeof(Packet));
    Packet.Type = IO_TYPE_OPEN_PACKET;
    Packet.Size = sizeof(Packet);
    Packet.DesiredAccess = DesiredAccess;
    Packet.FileAttributes = FileAttributes;
    Packet.ShareAccess = ShareAccess;
    Packet.Disposition = CreateDisposition;
    Packet.CreateOptions = CreateOptions;
    Packet.FinalStatus = STATUS_SUCCESS;
    /* The type says only file objects may come back: a name that ends at a
       directory or another object gives STATUS_OBJECT_TYPE_MISMATCH. */
    Status = ObOpenObjectByName(ObjectAttributes, IoFileObjectType, PreviousMode, NULL, DesiredAccess, &Packet,
                                &Handle);
    if (!NT_SUCCESS(Status))
        return Status;

    /* A fault now leaves the handle open, as in NT. */
    IoStatus.Status = Packet.FinalStatus;
    IoStatus.Information = Packet.Information;
    (VOID)ExCopyToCaller(FileHandle, &Handle, sizeof(HANDLE), PreviousMode);
    (VOID)ExCopyToCaller(IoStatusBlock, &IoStatus, sizeof(IoStatus), PreviousMode);
    return Packet.FinalStatus;
}

NTSTATUS NtOpenFile(PHANDLE FileHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                    PIO_STATUS_BLOCK IoStatusBlock, ULONG ShareAccess, ULONG OpenOptions)
{
    return NtCreateFile(FileHandle, DesiredAccess, ObjectAttributes, IoStatusBlock, NULL, 0, ShareAccess,
                        FILE_OPEN, OpenOptions, NULL, 0);
}
