/*
 * iofile.c - opening a device and the life of a file object (NT: IopParseDevice,
 * IopCloseFile, IopDeleteFile in ntos\io\parse.c and objsup.c).
 *
 * A lookup that reaches a device object (\Device\Null, or \??\C: through its link)
 * calls IopParseDevice with what is left of the name. It makes the file object for
 * this open and asks the driver with IRP_MJ_CREATE; the object manager then makes
 * the handle. Closing the last handle sends IRP_MJ_CLEANUP, the last reference
 * IRP_MJ_CLOSE.
 *
 * A name relative to an open file (OBJECT_ATTRIBUTES.RootDirectory a file handle)
 * reaches IopParseFile, the File type's parse procedure, with the whole relative
 * name: as in NT it opens through the same IopParseDevice, on the file's device, with
 * the file as the new file object's RelatedFileObject and the name ("a\b.txt", no
 * leading '\') as its FileName. The related file's VPB says who gets the create: its
 * file system, which resolves the name from that file's directory, or, for a file
 * opened straight on a device (\Device\Null, the console), that device's driver.
 */
#include "iop.h"

/* What an open asked for and lets others do, as NT records it in the file object. */
static VOID IopSetAccess(PFILE_OBJECT FileObject, PIOP_OPEN_PACKET Packet)
{
    ACCESS_MASK Access = Packet->DesiredAccess;

    RtlMapGenericMask(&Access, &IoFileObjectType->TypeInfo.GenericMapping);
    if (Access & MAXIMUM_ALLOWED)
        Access |= FILE_ALL_ACCESS;
    FileObject->ReadAccess = (Access & (FILE_READ_DATA | FILE_EXECUTE)) != 0;
    FileObject->WriteAccess = (Access & (FILE_WRITE_DATA | FILE_APPEND_DATA)) != 0;
    FileObject->DeleteAccess = (Access & DELETE) != 0;
    FileObject->SharedRead = (Packet->ShareAccess & FILE_SHARE_READ) != 0;
    FileObject->SharedWrite = (Packet->ShareAccess & FILE_SHARE_WRITE) != 0;
    FileObject->SharedDelete = (Packet->ShareAccess & FILE_SHARE_DELETE) != 0;
}

static NTSTATUS IopSendCreate(PFILE_OBJECT FileObject, PIOP_OPEN_PACKET Packet, KPROCESSOR_MODE AccessMode,
                              PSECURITY_QUALITY_OF_SERVICE SecurityQos)
{
    IO_SECURITY_CONTEXT SecurityContext;
    PIO_STACK_LOCATION Stack;
    NTSTATUS Status;
    PIRP Irp;

    Irp = IopBuildIrp(FileObject, IRP_MJ_CREATE, AccessMode);
    if (Irp == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    SecurityContext.SecurityQos = SecurityQos;
    SecurityContext.AccessState = NULL;
    SecurityContext.DesiredAccess = Packet->DesiredAccess;
    SecurityContext.FullCreateOptions = Packet->CreateOptions;
    Stack = IoGetNextIrpStackLocation(Irp);
    Stack->Parameters.Create.SecurityContext = &SecurityContext;
    Stack->Parameters.Create.Options = (Packet->Disposition << 24) | (Packet->CreateOptions & 0x00FFFFFF);
    Stack->Parameters.Create.FileAttributes = (USHORT)Packet->FileAttributes;
    Stack->Parameters.Create.ShareAccess = (USHORT)Packet->ShareAccess;
    Stack->Parameters.Create.EaLength = 0;
    Status = IopSynchronousCall(FileObject, Irp);
    Packet->Information = Irp->IoStatus.Information;
    IoFreeIrp(Irp);
    return Status;
}

NTSTATUS IopParseDevice(PVOID ParseObject, PVOID ObjectType, PACCESS_STATE AccessState,
                        KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                        PUNICODE_STRING RemainingName, PVOID Context,
                        PSECURITY_QUALITY_OF_SERVICE SecurityQos, PVOID *Object)
{
    PIOP_OPEN_PACKET Packet = Context;
    PDEVICE_OBJECT Device = ParseObject;
    PFILE_OBJECT FileObject, Related;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(ObjectType);
    UNREFERENCED_PARAMETER(AccessState);
    UNREFERENCED_PARAMETER(Attributes);
    UNREFERENCED_PARAMETER(CompleteName);
    *Object = NULL;
    /* Only IoCreateFile opens files: any other lookup of a device name fails, as in NT. */
    if (Packet == NULL || Packet->Type != IO_TYPE_OPEN_PACKET || Packet->Size != sizeof(*Packet))
        return STATUS_OBJECT_TYPE_MISMATCH;
    Packet->ParseReached = TRUE;
    /* Taken from the packet, so that a later pass of the same lookup (a reparse to a
       device by name) is never mistaken for a relative open. */
    Related = Packet->RelatedFileObject;
    Packet->RelatedFileObject = NULL;
    if (Device->Flags & DO_DEVICE_DELETE_PENDING)
        return STATUS_DELETE_PENDING;
    if (Related != NULL) {
        /* Below a raw open of a disk volume there are no names: NT's volume opens are
           the file system's, and fastfat answers a name relative to one with
           STATUS_OBJECT_PATH_NOT_FOUND; here the volume's own driver holds it. */
        if (Related->Vpb == NULL && Device->Vpb != NULL && RemainingName->Length != 0)
            return STATUS_OBJECT_PATH_NOT_FOUND;
    } else if (Device->Vpb != NULL && RemainingName->Length != 0 && !(Device->Vpb->Flags & VPB_MOUNTED)) {
        /*
         * A name inside a disk volume is the business of the file system that mounted
         * it (iomount.c; the boot volume is mounted at start-up, where NT's
         * IopMountVolume would mount it here, on its first open). A volume nobody
         * mounted has no names. The volume itself (no name after it) is opened raw, by
         * its own driver, even when mounted: NT would send that open to the file system
         * too (a volume open); here the file system does not take volume opens.
         */
        return STATUS_UNRECOGNIZED_VOLUME;
    }

    Status = ObCreateObject(KernelMode, IoFileObjectType, NULL, KernelMode, NULL, sizeof(FILE_OBJECT), 0, 0,
                            (PVOID *)&FileObject);
    if (!NT_SUCCESS(Status))
        return Status;
    FileObject->Type = IO_TYPE_FILE;
    FileObject->Size = sizeof(FILE_OBJECT);
    KeInitializeEvent(&FileObject->Lock, SynchronizationEvent, TRUE);
    KeInitializeEvent(&FileObject->Event, NotificationEvent, FALSE);
    if (Packet->CreateOptions & (FILE_SYNCHRONOUS_IO_ALERT | FILE_SYNCHRONOUS_IO_NONALERT))
        FileObject->Flags |= FO_SYNCHRONOUS_IO;
    if (Packet->CreateOptions & FILE_SYNCHRONOUS_IO_ALERT)
        FileObject->Flags |= FO_ALERTABLE_IO;
    IopSetAccess(FileObject, Packet);
    if (RemainingName->Length != 0) {
        FileObject->FileName.Buffer = ExAllocatePoolWithTag(PagedPool, RemainingName->Length + sizeof(WCHAR),
                                                            IOP_NAME_TAG);
        if (FileObject->FileName.Buffer == NULL) {
            ObDereferenceObject(FileObject);
            return STATUS_INSUFFICIENT_RESOURCES;
        }
        memcpy(FileObject->FileName.Buffer, RemainingName->Buffer, RemainingName->Length);
        FileObject->FileName.Buffer[RemainingName->Length / sizeof(WCHAR)] = 0;
        FileObject->FileName.Length = RemainingName->Length;
        FileObject->FileName.MaximumLength = (USHORT)(RemainingName->Length + sizeof(WCHAR));
    }
    /* Unnamed: inserting only ends its creation; the reference stays ours. */
    Status = ObInsertObject(FileObject, NULL, 0, 0, NULL, NULL);
    if (!NT_SUCCESS(Status))
        return Status;

    ObReferenceObject(Device);
    __atomic_add_fetch(&Device->ReferenceCount, 1, __ATOMIC_SEQ_CST);
    FileObject->DeviceObject = Device;
    /* Through the VPB, IoGetRelatedDeviceObject sends its requests to the file system.
       A relative open goes where its related file's requests go, even with no name
       (it reopens that file). The related file is referenced for as long as this one
       lives: NT promises drivers the pointer during the create only, but a file
       system that looks at it later then finds it still there. */
    if (Related != NULL) {
        ObReferenceObject(Related);
        FileObject->RelatedFileObject = Related;
        FileObject->Vpb = Related->Vpb;
    } else {
        FileObject->Vpb = RemainingName->Length != 0 ? Device->Vpb : NULL;
    }
    Status = IopSendCreate(FileObject, Packet, AccessMode, SecurityQos);
    Packet->FinalStatus = Status;
    if (!NT_SUCCESS(Status)) {
        /* The driver never opened it: no CLEANUP or CLOSE for it. */
        FileObject->DeviceObject = NULL;
        __atomic_sub_fetch(&Device->ReferenceCount, 1, __ATOMIC_SEQ_CST);
        ObDereferenceObject(Device);
        ObDereferenceObject(FileObject);
        return Status;
    }
    *Object = FileObject;
    /* Informational statuses (STATUS_OBJECT_NAME_EXISTS...) are the driver's to give;
       the object manager wants success. */
    return STATUS_SUCCESS;
}

/*
 * NT: IopParseFile. The object manager's lookup came to an open file (the
 * RootDirectory of the caller's OBJECT_ATTRIBUTES) with RemainingName, the whole name
 * relative to it: the open goes to the file's device as a relative one. The root
 * handle needs no access of its own (NT checks traverse rights only, and there are no
 * security descriptors here).
 */
NTSTATUS IopParseFile(PVOID ParseObject, PVOID ObjectType, PACCESS_STATE AccessState,
                      KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                      PUNICODE_STRING RemainingName, PVOID Context,
                      PSECURITY_QUALITY_OF_SERVICE SecurityQos, PVOID *Object)
{
    PIOP_OPEN_PACKET Packet = Context;
    PFILE_OBJECT Related = ParseObject;

    *Object = NULL;
    if (Packet == NULL || Packet->Type != IO_TYPE_OPEN_PACKET || Packet->Size != sizeof(*Packet))
        return STATUS_OBJECT_TYPE_MISMATCH;
    /* Only a file object whose open failed has none, and such a one has no handle. */
    if (Related->DeviceObject == NULL)
        return STATUS_INVALID_HANDLE;
    Packet->RelatedFileObject = Related;
    return IopParseDevice(Related->DeviceObject, ObjectType, AccessState, AccessMode, Attributes, CompleteName,
                          RemainingName, Context, SecurityQos, Object);
}

/*
 * Walks the chain of related files from FileObject up, twice: once to count, once to
 * fill Buffer from its end (no recursion: a caller may chain relative opens as deep
 * as it likes). A separator goes between two names unless the outer one ends in '\'
 * ("\" opened as a volume's root) or the inner one is empty (a reopen).
 */
ULONG IoGetFileObjectPath(PFILE_OBJECT FileObject, PWCHAR Buffer, ULONG BufferSize)
{
    PFILE_OBJECT File, Outer;
    ULONG Needed = 0, End;
    BOOLEAN Separator;
    PUNICODE_STRING Name;

    for (File = FileObject; File != NULL; File = File->RelatedFileObject) {
        Needed += File->FileName.Length;
        for (Outer = File->RelatedFileObject; Outer != NULL && Outer->FileName.Length == 0;
             Outer = Outer->RelatedFileObject)
            ;
        if (File->FileName.Length != 0 && Outer != NULL &&
            Outer->FileName.Buffer[Outer->FileName.Length / sizeof(WCHAR) - 1] != OBJ_NAME_PATH_SEPARATOR)
            Needed += sizeof(WCHAR);
    }
    if (Buffer == NULL || BufferSize < Needed)
        return Needed;
    End = Needed / sizeof(WCHAR);
    for (File = FileObject; File != NULL; File = File->RelatedFileObject) {
        Name = &File->FileName;
        End -= Name->Length / sizeof(WCHAR);
        memcpy(Buffer + End, Name->Buffer, Name->Length);
        for (Outer = File->RelatedFileObject; Outer != NULL && Outer->FileName.Length == 0;
             Outer = Outer->RelatedFileObject)
            ;
        Separator = Name->Length != 0 && Outer != NULL &&
                    Outer->FileName.Buffer[Outer->FileName.Length / sizeof(WCHAR) - 1] != OBJ_NAME_PATH_SEPARATOR;
        if (Separator)
            Buffer[--End] = OBJ_NAME_PATH_SEPARATOR;
    }
    return Needed;
}

static VOID IopSendCleanupOrClose(PFILE_OBJECT FileObject, UCHAR MajorFunction)
{
    PIRP Irp = IopBuildIrp(FileObject, MajorFunction, KernelMode);

    if (Irp == NULL) {
        /* NT waits for memory here; with no worker threads yet the driver is told
           nothing. The drivers here keep no state per open, so nothing leaks. */
        DbgPrint("I/O: no memory for IRP_MJ_%s of file object %p\n",
                 MajorFunction == IRP_MJ_CLOSE ? "CLOSE" : "CLEANUP", FileObject);
        return;
    }
    (VOID)IopSynchronousCall(FileObject, Irp);
    IoFreeIrp(Irp);
}

VOID IopCloseFile(PEPROCESS Process, PVOID Object, ACCESS_MASK GrantedAccess, ULONG ProcessHandleCount,
                  ULONG SystemHandleCount)
{
    PFILE_OBJECT FileObject = Object;

    UNREFERENCED_PARAMETER(Process);
    UNREFERENCED_PARAMETER(GrantedAccess);
    UNREFERENCED_PARAMETER(ProcessHandleCount);
    /* The last handle: the driver may drop what it keeps for handles (locks, sharing). */
    if (SystemHandleCount != 1 || FileObject->DeviceObject == NULL ||
        (FileObject->Flags & FO_CLEANUP_COMPLETE))
        return;
    IopSendCleanupOrClose(FileObject, IRP_MJ_CLEANUP);
    FileObject->Flags |= FO_CLEANUP_COMPLETE;
}

VOID IopDeleteFile(PVOID Object)
{
    PFILE_OBJECT FileObject = Object;
    PDEVICE_OBJECT Device = FileObject->DeviceObject;

    if (Device != NULL) {
        /* A file object that never had a handle (its open failed after the parse)
           still gets its cleanup first, so the driver sees both, as for any other. */
        if (!(FileObject->Flags & FO_CLEANUP_COMPLETE)) {
            IopSendCleanupOrClose(FileObject, IRP_MJ_CLEANUP);
            FileObject->Flags |= FO_CLEANUP_COMPLETE;
        }
        IopSendCleanupOrClose(FileObject, IRP_MJ_CLOSE);
        __atomic_sub_fetch(&Device->ReferenceCount, 1, __ATOMIC_SEQ_CST);
        ObDereferenceObject(Device);
    }
    /* Deferred: the related file may be the last link of a long chain of relative
       opens, and releasing it here would recurse once per link on the kernel stack. */
    if (FileObject->RelatedFileObject != NULL)
        ObDereferenceObjectDeferDelete(FileObject->RelatedFileObject);
    if (FileObject->FileName.Buffer != NULL)
        ExFreePoolWithTag(FileObject->FileName.Buffer, IOP_NAME_TAG);
}
