/*
 * ioinit.c - the I/O manager's start-up (NT: IoInitSystem, IopCreateObjectTypes,
 * IopCreateRootDirectories, and the boot-device links of IopCreateArcNames and
 * IoAssignDriveLetters): the Driver, Device and File types, the \Driver directory,
 * the built-in drivers, and the names \??\C: and \SystemRoot for the boot volume.
 */
#include "iop.h"
#include <ramdisk.h>

POBJECT_TYPE IoDriverObjectType;
POBJECT_TYPE IoDeviceObjectType;
POBJECT_TYPE IoFileObjectType;

/* NT's IopFileMapping, used by all three types. */
static const GENERIC_MAPPING IopFileMapping = {
    FILE_GENERIC_READ, FILE_GENERIC_WRITE, FILE_GENERIC_EXECUTE, FILE_ALL_ACCESS
};

static NTSTATUS IopCreateType(PCWSTR Name, BOOLEAN CaseInsensitive, BOOLEAN UseDefaultObject,
                              OB_PARSE_METHOD Parse, OB_CLOSE_METHOD Close, OB_DELETE_METHOD Delete,
                              POBJECT_TYPE *Type)
{
    OBJECT_TYPE_INITIALIZER Initializer;
    UNICODE_STRING TypeName;

    IopInitUnicodeString(&TypeName, Name);
    memset(&Initializer, 0, sizeof(Initializer));
    Initializer.Length = sizeof(Initializer);
    Initializer.CaseInsensitive = CaseInsensitive;
    Initializer.UseDefaultObject = UseDefaultObject;
    Initializer.InvalidAttributes = OBJ_OPENLINK;
    Initializer.GenericMapping = IopFileMapping;
    Initializer.ValidAccessMask = FILE_ALL_ACCESS;
    /* Non-paged: drivers touch these objects at DISPATCH_LEVEL (the events inside). */
    Initializer.PoolType = NonPagedPool;
    Initializer.ParseProcedure = Parse;
    Initializer.CloseProcedure = Close;
    Initializer.DeleteProcedure = Delete;
    return ObCreateObjectType(&TypeName, &Initializer, NULL, Type);
}

NTSTATUS IopCreateObjectTypes(VOID)
{
    NTSTATUS Status;

    /* What a wait on a handle waits for: drivers and devices are no dispatcher
       objects (the default object: at once); a file is its FILE_OBJECT.Event, set
       when a synchronous request on it completes (NT's DefaultObject offset). */
    Status = IopCreateType(u"Driver", TRUE, TRUE, NULL, NULL, IopDeleteDriver, &IoDriverObjectType);
    if (NT_SUCCESS(Status))
        Status = IopCreateType(u"Device", TRUE, TRUE, IopParseDevice, NULL, IopDeleteDevice,
                               &IoDeviceObjectType);
    /* The File type parses too (IopParseFile): a name relative to an open file
       (OBJECT_ATTRIBUTES.RootDirectory a file handle) goes to the file's device. */
    if (NT_SUCCESS(Status))
        Status = IopCreateType(u"File", TRUE, FALSE, IopParseFile, IopCloseFile, IopDeleteFile,
                               &IoFileObjectType);
    if (NT_SUCCESS(Status))
        IoFileObjectType->DefaultObject = (PVOID)FIELD_OFFSET(FILE_OBJECT, Event);
    return Status;
}

static NTSTATUS IopCreatePermanent(PCWSTR Path, PCWSTR Target)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name, TargetName;
    HANDLE Handle;
    NTSTATUS Status;

    IopInitUnicodeString(&Name, Path);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE,
                               NULL, NULL);
    if (Target == NULL) {
        Status = NtCreateDirectoryObject(&Handle, DIRECTORY_ALL_ACCESS, &Attributes);
    } else {
        IopInitUnicodeString(&TargetName, Target);
        Status = NtCreateSymbolicLinkObject(&Handle, SYMBOLIC_LINK_ALL_ACCESS, &Attributes, &TargetName);
    }
    if (NT_SUCCESS(Status))
        NtClose(Handle);
    return Status;
}

static NTSTATUS IopCreateBuiltInDriver(PCWSTR Name, PDRIVER_INITIALIZE Entry)
{
    UNICODE_STRING DriverName;

    IopInitUnicodeString(&DriverName, Name);
    return IoCreateDriver(&DriverName, Entry);
}

VOID IoInitSystem(VOID)
{
    NTSTATUS Status;
    ULONG Step = 0;

    Status = IopCreateObjectTypes();
    if (NT_SUCCESS(Status) && ++Step)
        Status = IopCreatePermanent(u"\\Driver", NULL);
    if (NT_SUCCESS(Status) && ++Step)
        Status = IopCreateBuiltInDriver(u"\\Driver\\Null", IopNullDriverEntry);
    /* NT's file systems live in \FileSystem; fastfat registers itself with iomount.c. */
    if (NT_SUCCESS(Status) && ++Step)
        Status = IopCreatePermanent(u"\\FileSystem", NULL);
    if (NT_SUCCESS(Status) && ++Step)
        Status = IopCreateBuiltInDriver(u"\\FileSystem\\Fastfat", FatFsdDriverEntry);
    if (NT_SUCCESS(Status) && ++Step)
        Status = IopCreateBuiltInDriver(u"\\Driver\\Console", IopConsoleDriverEntry);
    /* The boot volume's driver, its device and its names exist only with a volume. */
    if (NT_SUCCESS(Status) && IoGetBootVolume() != NULL) {
        if (++Step)
            Status = IopCreateBuiltInDriver(u"\\Driver\\RamDisk", IopRamDiskDriverEntry);
        if (NT_SUCCESS(Status) && ++Step)
            Status = IopCreatePermanent(u"\\??\\C:", u"\\Device\\HarddiskVolume1");
        if (NT_SUCCESS(Status) && ++Step)
            Status = IopCreatePermanent(u"\\SystemRoot", u"\\Device\\HarddiskVolume1\\Windows");
        /* Mounted now rather than on its first open (NT): the mount's pool is then
           there before any self-test takes its baseline. Not FAT: it stays raw. */
        if (NT_SUCCESS(Status) && IopBootVolumeDevice != NULL &&
            !NT_SUCCESS(IopMountVolume(IopBootVolumeDevice)))
            DbgPrint("IoInitSystem: no file system recognizes the boot volume\n");
    }
    if (!NT_SUCCESS(Status)) {
        DbgPrint("IoInitSystem: step %lu failed with status 0x%08lX\n", Step, (ULONG)Status);
        KeBugCheckEx(PHASE1_INITIALIZATION_FAILED, (ULONG_PTR)Status, Step, 0, 0);
    }
}
