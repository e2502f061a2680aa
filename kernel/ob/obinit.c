/*
 * obinit.c - the object manager's start-up and its global state (NT: ObInitSystem,
 * ObpGetObjectTable in ntos\ob\obinit.c).
 *
 * ObInitSystem builds, in this order: the kernel handle table (also the System
 * process's) and the client-ID table; the types Type, Directory and SymbolicLink;
 * the root directory "\"; \ObjectTypes, with the three types named in it; and the
 * standard directories \Device, \?? (the DOS device names), \BaseNamedObjects,
 * \Windows and \KernelObjects, plus NT's link \DosDevices -> \??. Every directory is
 * permanent: it stays named with no handle open. The handles made on the way are
 * closed, so the kernel table starts empty and its first handle is 4.
 */
#include "obp.h"

PHANDLE_TABLE ObpKernelHandleTable;
PHANDLE_TABLE PspCidTable;
POBJECT_DIRECTORY ObpRootDirectoryObject;
POBJECT_DIRECTORY ObpTypeDirectoryObject;
BOOLEAN ObpCaseInsensitive = TRUE;

PVOID (*ObpCurrentProcessObject)(VOID);
PVOID (*ObpCurrentThreadObject)(VOID);
PHANDLE_TABLE (*ObpProcessObjectTable)(PVOID Object);

/* ---- the lock (see obp.h) ---- */

#define OBP_LOCK_HELD               1UL
#define OBP_LOCK_INTERRUPTS_WERE_ON 2UL

static volatile ULONG ObpLockState;

VOID ObpLock(VOID)
{
#ifdef NT_HOST_TEST
    BOOLEAN Enabled = FALSE;
#else
    BOOLEAN Enabled = KiDisableInterrupts();
#endif
    ASSERT(ObpLockState == 0);
    ObpLockState = OBP_LOCK_HELD | (Enabled ? OBP_LOCK_INTERRUPTS_WERE_ON : 0);
}

VOID ObpUnlock(VOID)
{
    BOOLEAN Enabled = (ObpLockState & OBP_LOCK_INTERRUPTS_WERE_ON) != 0;

    ASSERT(ObpLockState & OBP_LOCK_HELD);
    ObpLockState = 0;
#ifdef NT_HOST_TEST
    UNREFERENCED_PARAMETER(Enabled);
#else
    KiRestoreInterrupts(Enabled);
#endif
}

/* ---- small helpers the other files share ---- */

/*
 * The current process's table (NT: ObpGetObjectTable, PsGetCurrentProcess()->ObjectTable).
 * Until the process issue sets the hooks, every caller is the System process, whose
 * table is the kernel's; so is a thread that belongs to no process yet.
 */
PHANDLE_TABLE ObpGetObjectTable(VOID)
{
    PVOID Process;

    if (ObpCurrentProcessObject == NULL || ObpProcessObjectTable == NULL)
        return ObpKernelHandleTable;
    Process = ObpCurrentProcessObject();
    return Process != NULL ? ObpProcessObjectTable(Process) : ObpKernelHandleTable;
}

VOID ObpInitUnicodeString(PUNICODE_STRING String, PCWSTR Source)
{
    SIZE_T Length = 0;

    while (Source[Length] != 0)
        Length++;
    String->Buffer = (PWSTR)Source;
    String->Length = (USHORT)(Length * sizeof(WCHAR));
    String->MaximumLength = (USHORT)(String->Length + sizeof(WCHAR));
}

VOID ObpWriteHandle(PHANDLE Destination, HANDLE Handle, KPROCESSOR_MODE PreviousMode)
{
    /* The pointer was probed before the work was done; a fault now (the caller
       unmapped it meanwhile) leaves the handle open, as in NT. */
    (VOID)ExCopyToCaller(Destination, &Handle, sizeof(Handle), PreviousMode);
}

/* ---- start-up ---- */

/* The steps of ObInitSystem, for the bugcheck's second parameter. */
enum {
    ObpInitHandleTables = 1,
    ObpInitTypes,
    ObpInitRoot,
    ObpInitTypeDirectory,
    ObpInitDirectories,
    ObpInitLinks,
};

static VOID ObpInitFailed(NTSTATUS Status, ULONG Step)
{
    DbgPrint("ObInitSystem: step %lu failed with status 0x%08lX\n", Step, (ULONG)Status);
    KeBugCheckEx(OBJECT_INITIALIZATION_FAILED, (ULONG_PTR)Status, Step, 0, 0);
}

static NTSTATUS ObpCreateType(PCWSTR Name, ULONG ValidAccessMask, ACCESS_MASK GenericRead,
                              ACCESS_MASK GenericWrite, ACCESS_MASK GenericExecute,
                              OB_PARSE_METHOD Parse, OB_DELETE_METHOD Delete, POBJECT_TYPE *Type)
{
    OBJECT_TYPE_INITIALIZER Initializer;
    UNICODE_STRING TypeName;

    memset(&Initializer, 0, sizeof(Initializer));
    Initializer.Length = sizeof(Initializer);
    Initializer.CaseInsensitive = TRUE;
    Initializer.PoolType = NonPagedPool;
    Initializer.ValidAccessMask = ValidAccessMask;
    Initializer.GenericMapping.GenericRead = GenericRead;
    Initializer.GenericMapping.GenericWrite = GenericWrite;
    Initializer.GenericMapping.GenericExecute = GenericExecute;
    Initializer.GenericMapping.GenericAll = ValidAccessMask;
    Initializer.ParseProcedure = Parse;
    Initializer.DeleteProcedure = Delete;
    ObpInitUnicodeString(&TypeName, Name);
    return ObCreateObjectType(&TypeName, &Initializer, NULL, Type);
}

/* A permanent directory; *Directory (optional) gets a reference of its own. */
static NTSTATUS ObpCreatePermanentDirectory(PCWSTR Path, POBJECT_DIRECTORY *Directory)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    HANDLE Handle;
    NTSTATUS Status;

    ObpInitUnicodeString(&Name, Path);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtCreateDirectoryObject(&Handle, DIRECTORY_ALL_ACCESS, &Attributes);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Directory != NULL)
        Status = ObReferenceObjectByHandle(Handle, 0, ObpDirectoryObjectType, KernelMode,
                                           (PVOID *)Directory, NULL);
    NtClose(Handle);
    return Status;
}

static NTSTATUS ObpCreatePermanentLink(PCWSTR Path, PCWSTR Target)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name, TargetName;
    HANDLE Handle;
    NTSTATUS Status;

    ObpInitUnicodeString(&Name, Path);
    ObpInitUnicodeString(&TargetName, Target);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_PERMANENT | OBJ_CASE_INSENSITIVE, NULL, NULL);
    Status = NtCreateSymbolicLinkObject(&Handle, SYMBOLIC_LINK_ALL_ACCESS, &Attributes, &TargetName);
    if (NT_SUCCESS(Status))
        NtClose(Handle);
    return Status;
}

VOID ObInitSystem(VOID)
{
    static const PCWSTR StandardDirectories[] = {
        u"\\Device", u"\\??", u"\\BaseNamedObjects", u"\\Windows", u"\\KernelObjects",
    };
    NTSTATUS Status;
    ULONG Index;

    ObpKernelHandleTable = ExCreateHandleTable(NULL);
    PspCidTable = ExCreateHandleTable(NULL);
    if (ObpKernelHandleTable == NULL || PspCidTable == NULL)
        ObpInitFailed(STATUS_INSUFFICIENT_RESOURCES, ObpInitHandleTables);

    /* The type of types first: ObCreateObjectType makes it its own type. */
    Status = ObpCreateType(u"Type", OBJECT_TYPE_ALL_ACCESS, STANDARD_RIGHTS_READ, STANDARD_RIGHTS_WRITE,
                           STANDARD_RIGHTS_EXECUTE, NULL, NULL, &ObpTypeObjectType);
    if (NT_SUCCESS(Status))
        Status = ObpCreateType(u"Directory", DIRECTORY_ALL_ACCESS,
                               STANDARD_RIGHTS_READ | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
                               STANDARD_RIGHTS_WRITE | DIRECTORY_CREATE_OBJECT | DIRECTORY_CREATE_SUBDIRECTORY,
                               STANDARD_RIGHTS_EXECUTE | DIRECTORY_QUERY | DIRECTORY_TRAVERSE,
                               NULL, NULL, &ObpDirectoryObjectType);
    if (NT_SUCCESS(Status))
        Status = ObpCreateType(u"SymbolicLink", SYMBOLIC_LINK_ALL_ACCESS,
                               STANDARD_RIGHTS_READ | SYMBOLIC_LINK_QUERY, STANDARD_RIGHTS_WRITE,
                               STANDARD_RIGHTS_EXECUTE | SYMBOLIC_LINK_QUERY,
                               ObpParseSymbolicLink, ObpDeleteSymbolicLink, &ObpSymbolicLinkObjectType);
    if (!NT_SUCCESS(Status))
        ObpInitFailed(Status, ObpInitTypes);

    /* "\": the lookup of "\" with no root yet names the directory being inserted. */
    Status = ObpCreatePermanentDirectory(u"\\", &ObpRootDirectoryObject);
    if (!NT_SUCCESS(Status))
        ObpInitFailed(Status, ObpInitRoot);

    Status = ObpCreatePermanentDirectory(u"\\ObjectTypes", &ObpTypeDirectoryObject);
    if (NT_SUCCESS(Status))
        Status = ObpInsertTypesInDirectory();
    if (!NT_SUCCESS(Status))
        ObpInitFailed(Status, ObpInitTypeDirectory);

    for (Index = 0; Index < RTL_NUMBER_OF(StandardDirectories); Index++) {
        Status = ObpCreatePermanentDirectory(StandardDirectories[Index], NULL);
        if (!NT_SUCCESS(Status))
            ObpInitFailed(Status, ObpInitDirectories);
    }

    Status = ObpCreatePermanentLink(u"\\DosDevices", u"\\??");
    if (!NT_SUCCESS(Status))
        ObpInitFailed(Status, ObpInitLinks);
}
