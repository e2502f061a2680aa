/*
 * iorename.c - NtSetInformationFile's FileRenameInformation (NT: qsinfo.c with
 * IopOpenLinkOrRenameTarget).
 *
 * The block is captured whole (its name included) to pool. Then, as NT does, the
 * target's directory is opened and the file system gets that directory (IO_STACK_
 * LOCATION.Parameters.SetFile.FileObject, NT's TargetFileObject) and the last
 * component alone:
 *   - RootDirectory given: the name is relative to that open directory ("new.txt",
 *     "sub\new.txt"); its directory part is opened relative to the handle, as any
 *     relative open is (IopParseFile), and a bare name's directory is the handle's
 *     own file. The handle needs no access of its own, as in NT. A name from '\' is
 *     STATUS_OBJECT_NAME_INVALID, as a relative open of one is.
 *   - A name from '\' (e.g. \??\C:\dir\new.txt): its parent is opened by name.
 *   - Otherwise a bare name (no '\'): a new name in the same directory.
 * A target on another volume device is STATUS_NOT_SAME_DEVICE, as in NT.
 */
#include "iop.h"

/*
 * Opens the directory Path names (the kernel's string), relative to Root when there is
 * one, by reference. Root goes to the lookup as a kernel handle of its own: the
 * caller's handle was checked once, in the caller's mode, and is not looked up again.
 */
static NTSTATUS IopOpenRenameParent(PFILE_OBJECT Root, PUNICODE_STRING Path, PFILE_OBJECT *Directory)
{
    OBJECT_ATTRIBUTES Attributes;
    IOP_OPEN_PACKET Packet;
    HANDLE Handle, RootHandle = NULL;
    NTSTATUS Status;

    if (Root != NULL) {
        Status = ObOpenObjectByPointer(Root, OBJ_KERNEL_HANDLE, NULL, 0, IoFileObjectType, KernelMode,
                                       &RootHandle);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    memset(&Packet, 0, sizeof(Packet));
    Packet.Type = IO_TYPE_OPEN_PACKET;
    Packet.Size = sizeof(Packet);
    Packet.DesiredAccess = FILE_ADD_FILE | FILE_ADD_SUBDIRECTORY;
    Packet.ShareAccess = FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE;
    Packet.Disposition = FILE_OPEN;
    Packet.CreateOptions = FILE_DIRECTORY_FILE;
    Packet.FinalStatus = STATUS_SUCCESS;
    InitializeObjectAttributes(&Attributes, Path, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, RootHandle, NULL);
    Status = ObOpenObjectByName(&Attributes, IoFileObjectType, KernelMode, NULL, Packet.DesiredAccess, &Packet,
                                &Handle);
    if (RootHandle != NULL)
        (VOID)ObCloseHandle(RootHandle, KernelMode);
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
    PFILE_OBJECT Root = NULL;
    NTSTATUS Status;

    *Target = NULL;
    for (Last = Count; Last > 0 && Rename->FileName[Last - 1] != L'\\'; Last--)
        ;
    if (Last == Count)
        return STATUS_OBJECT_NAME_INVALID;      /* a name ending in '\' */
    if (Rename->RootDirectory != NULL) {
        if (Rename->FileName[0] == L'\\')
            return STATUS_OBJECT_NAME_INVALID;  /* relative names do not start at a root */
        Status = ObReferenceObjectByHandle(Rename->RootDirectory, 0, IoFileObjectType, PreviousMode,
                                           (PVOID *)&Root, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
        if (Last == 0) {
            *Target = Root;                     /* a bare name: into the handle's directory */
            return STATUS_SUCCESS;
        }
    } else {
        if (Last == 0)
            return STATUS_SUCCESS;              /* a bare name */
        if (Rename->FileName[0] != L'\\')
            return STATUS_OBJECT_NAME_INVALID;  /* "a\b" with nothing to be relative to */
        if (Last == 1)
            return STATUS_OBJECT_NAME_INVALID;  /* "\x": the namespace's root is no directory of a volume */
    }
    Parent.Buffer = Rename->FileName;
    Parent.Length = Parent.MaximumLength = (USHORT)((Last - 1) * sizeof(WCHAR));
    Status = IopOpenRenameParent(Root, &Parent, Target);
    if (Root != NULL)
        ObDereferenceObject(Root);
    /* The parent is a path of the target's name, not the name itself: NT's open of the
       target directory answers for a missing one, or a file, as for any path. */
    if (Status == STATUS_OBJECT_NAME_NOT_FOUND || Status == STATUS_NOT_A_DIRECTORY)
        Status = STATUS_OBJECT_PATH_NOT_FOUND;
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
        /* One request at a time on a synchronous file, as every other request. */
        Status = IopSerializedCall(FileObject, Irp);
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
