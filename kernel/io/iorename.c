/*
 * iorename.c - NtSetInformationFile's FileRenameInformation (NT: qsinfo.c with
 * IopOpenLinkOrRenameTarget).
 *
 * The block is captured whole (its name included) to pool. Then, as NT does, the
 * target is made relative before the file system sees it:
 *   - RootDirectory given: the name is relative to that open directory, which goes
 *     to the driver as IO_STACK_LOCATION.Parameters.SetFile.FileObject (NT's
 *     TargetFileObject). NT opens the target's parent relative to the handle;
 *     relative opens do not exist here yet, so the directory itself is the target
 *     and the file system resolves any '\' in the rest (FatRename does).
 *   - A name from '\' (e.g. \??\C:\dir\new.txt): its parent is opened by name, and
 *     the driver gets that directory and the last component alone.
 *   - Otherwise a bare name (no '\'): a new name in the same directory.
 * A target on another volume device is STATUS_NOT_SAME_DEVICE, as in NT.
 */
#include "iop.h"

/* Opens the directory Path names (the kernel's string), by reference. */
static NTSTATUS IopOpenRenameParent(PUNICODE_STRING Path, PFILE_OBJECT *Directory)
{
    OBJECT_ATTRIBUTES Attributes;
    IOP_OPEN_PACKET Packet;
    HANDLE Handle;
    NTSTATUS Status;

    memset(&Packet, 0, sizeof(Packet));
    Packet.Type = IO_TYPE_OPEN_PACKET;
    Packet.Size = sizeof(Packet);
    Packet.DesiredAccess = FILE_ADD_FILE | FILE_ADD_SUBDIRECTORY;
    Packet.ShareAccess = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    Packet.Disposition = FILE_OPEN;
    Packet.CreateOptions = FILE_DIRECTORY_FILE;
    Packet.FinalStatus = STATUS_SUCCESS;
    InitializeObjectAttributes(&Attributes, Path, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    Status = ObOpenObjectByName(&Attributes, IoFileObjectType, KernelMode, NULL, Packet.DesiredAccess, &Packet,
                                &Handle);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObReferenceObjectByHandle(Handle, 0, IoFileObjectType, KernelMode, (PVOID *)Directory, NULL);
    (VOID)ObCloseHandle(Handle, KernelMode);
    return Status;
}

/* Rewrites Rename (the pool copy) to be relative to *Target, opened here when needed. */
static NTSTATUS IopRenameTarget(PFILE_RENAME_INFORMATION Rename, KPROCESSOR_MODE PreviousMode,
                                PFILE_OBJECT *Target)
{
    ULONG Count = Rename->FileNameLength / sizeof(WCHAR), Last;
    UNICODE_STRING Parent;
    NTSTATUS Status;

    *Target = NULL;
    if (Rename->RootDirectory != NULL)
        return ObReferenceObjectByHandle(Rename->RootDirectory, FILE_ADD_FILE, IoFileObjectType, PreviousMode,
                                         (PVOID *)Target, NULL);
    for (Last = Count; Last > 0 && Rename->FileName[Last - 1] != L'\\'; Last--)
        ;
    if (Last == 0)
        return STATUS_SUCCESS;                  /* a bare name */
    if (Rename->FileName[0] != L'\\' || Last == Count)
        return STATUS_OBJECT_NAME_INVALID;      /* "a\b", or a name ending in '\' */
    Parent.Buffer = Rename->FileName;
    Parent.Length = Parent.MaximumLength = (USHORT)((Last - 1) * sizeof(WCHAR));
    if (Parent.Length == 0)
        return STATUS_OBJECT_NAME_INVALID;      /* "\x": the namespace's root is no directory of a volume */
    Status = IopOpenRenameParent(&Parent, Target);
    if (!NT_SUCCESS(Status))
        return Status;
    memmove(Rename->FileName, Rename->FileName + Last, (Count - Last) * sizeof(WCHAR));
    Rename->FileNameLength = (Count - Last) * sizeof(WCHAR);
    return STATUS_SUCCESS;
}

NTSTATUS IopSetRename(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                      KPROCESSOR_MODE PreviousMode)
{
    ULONG Header = FIELD_OFFSET(FILE_RENAME_INFORMATION, FileName);
    PFILE_RENAME_INFORMATION Rename;
    IO_STATUS_BLOCK IoStatus = { { 0 }, 0 };
    PFILE_OBJECT FileObject, Target = NULL;
    PIO_STACK_LOCATION Stack;
    NTSTATUS Status;
    PIRP Irp;

    if (Length < Header)
        return STATUS_INFO_LENGTH_MISMATCH;
    if (Length > Header + 0xFFFE)
        return STATUS_INVALID_PARAMETER;        /* longer than any name (NT: the same bound) */
    Status = ExProbeUserOutput(IoStatusBlock, sizeof(IO_STATUS_BLOCK), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Rename = ExAllocatePoolWithTag(NonPagedPool, Length, IOP_BUFFER_TAG);
    if (Rename == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = ExCaptureUserData(Rename, FileInformation, Length, sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && (Rename->FileNameLength > Length - Header || Rename->FileNameLength == 0 ||
                               (Rename->FileNameLength & 1)))
        Status = STATUS_INVALID_PARAMETER;
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Rename, IOP_BUFFER_TAG);
        return Status;
    }
    Status = ObReferenceObjectByHandle(FileHandle, DELETE, IoFileObjectType, PreviousMode, (PVOID *)&FileObject,
                                       NULL);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Rename, IOP_BUFFER_TAG);
        return Status;
    }
    Status = IopRenameTarget(Rename, PreviousMode, &Target);
    if (NT_SUCCESS(Status) && Target != NULL && Target->DeviceObject != FileObject->DeviceObject)
        Status = STATUS_NOT_SAME_DEVICE;
    Irp = NT_SUCCESS(Status) ? IopBuildIrp(FileObject, IRP_MJ_SET_INFORMATION, PreviousMode) : NULL;
    if (NT_SUCCESS(Status) && Irp == NULL)
        Status = STATUS_INSUFFICIENT_RESOURCES;
    if (Irp != NULL) {
        Irp->AssociatedIrp.SystemBuffer = Rename;
        Stack = IoGetNextIrpStackLocation(Irp);
        Stack->Parameters.SetFile.Length = Header + Rename->FileNameLength;
        Stack->Parameters.SetFile.FileInformationClass = FileRenameInformation;
        Stack->Parameters.SetFile.FileObject = Target;
        if (FileObject->Flags & FO_SYNCHRONOUS_IO)
            KeWaitForSingleObject(&FileObject->Lock, Executive, KernelMode, FALSE, NULL);
        Status = IopSynchronousCall(FileObject, Irp);
        if (FileObject->Flags & FO_SYNCHRONOUS_IO)
            KeSetEvent(&FileObject->Lock, 0, FALSE);
        IoFreeIrp(Irp);
        if (!NT_ERROR(Status)) {
            IoStatus.Status = Status;
            (VOID)ExCopyToCaller(IoStatusBlock, &IoStatus, sizeof(IoStatus), PreviousMode);
        }
    }
    if (Target != NULL)
        ObDereferenceObject(Target);
    ObDereferenceObject(FileObject);
    ExFreePoolWithTag(Rename, IOP_BUFFER_TAG);
    return Status;
}
