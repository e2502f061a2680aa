/*
 * obtest.c - self-tests of the object manager inside the kernel: the namespace made
 * at boot, objects created, named, looked up (through a symbolic link), duplicated
 * and closed, many handles, a process's handle table inherited and swept, and a
 * deletion deferred from DISPATCH_LEVEL; each ends with the pool exactly as it began.
 */
#include <selftest.h>
#include <ke.h>
#include <ex.h>
#include <ob.h>
#include <rtl.h>

/* The tags of everything the object manager allocates (ob.h, obp.h, handle.c). */
static const ULONG KstObTags[] = {
    EX_POOL_TAG('D', 'i', 'r', 'e'), EX_POOL_TAG('S', 'y', 'm', 'b'), EX_POOL_TAG('O', 'b', 'N', 'm'),
    EX_POOL_TAG('O', 'b', 'D', 'i'), EX_POOL_TAG('O', 'b', 'C', 'i'), EX_POOL_TAG('O', 'b', 'Q', 'r'),
    EX_POOL_TAG('O', 'b', 'S', 'l'), EX_POOL_TAG('O', 'b', 't', 'b'),
};
#define KST_HANDLE_TABLE_TAG_INDEX 7

typedef struct _KST_OB_BASELINE {
    SIZE_T Bytes[RTL_NUMBER_OF(KstObTags)];
    ULONG BlocksInUse;
} KST_OB_BASELINE;

static VOID KstObTakeBaseline(KST_OB_BASELINE *Baseline)
{
    EX_POOL_TAG_USAGE Tag;
    EX_POOL_USAGE Pool;
    ULONG Index;

    for (Index = 0; Index < RTL_NUMBER_OF(KstObTags); Index++) {
        Baseline->Bytes[Index] = 0;
        if (NT_SUCCESS(ExQueryPoolTagUsage(KstObTags[Index], &Tag)))
            Baseline->Bytes[Index] = Tag.NonPagedBytes + Tag.PagedBytes;
    }
    ExQueryPoolUsage(&Pool);
    Baseline->BlocksInUse = Pool.Pool[NonPagedPool].BlocksInUse + Pool.Pool[PagedPool].BlocksInUse;
}

/* Everything back, handle-table pages too unless a table was allowed to grow. */
static NTSTATUS KstObCheckBaseline(const KST_OB_BASELINE *Baseline, BOOLEAN TableGrew, PCSTR Where)
{
    KST_OB_BASELINE Now;
    ULONG Index;

    KstObTakeBaseline(&Now);
    for (Index = 0; Index < RTL_NUMBER_OF(KstObTags); Index++) {
        if (TableGrew && Index == KST_HANDLE_TABLE_TAG_INDEX)
            continue;
        if (Now.Bytes[Index] != Baseline->Bytes[Index]) {
            DbgPrint("    %s: tag %.4s holds %lu bytes, was %lu\n", Where, (PCSTR)&KstObTags[Index],
                     (ULONG)Now.Bytes[Index], (ULONG)Baseline->Bytes[Index]);
            return STATUS_UNSUCCESSFUL;
        }
    }
    if (!TableGrew && Now.BlocksInUse != Baseline->BlocksInUse) {
        DbgPrint("    %s: %lu pool blocks in use, was %lu\n", Where, Now.BlocksInUse, Baseline->BlocksInUse);
        return STATUS_UNSUCCESSFUL;
    }
    return STATUS_SUCCESS;
}

static VOID KstInitString(PUNICODE_STRING String, PWSTR Buffer, PCSTR Ascii)
{
    ULONG Index;

    for (Index = 0; Ascii[Index] != 0; Index++)
        Buffer[Index] = (UCHAR)Ascii[Index];
    Buffer[Index] = 0;
    String->Buffer = Buffer;
    String->Length = (USHORT)(Index * sizeof(WCHAR));
    String->MaximumLength = (USHORT)(String->Length + sizeof(WCHAR));
}

static BOOLEAN KstEquals(PCUNICODE_STRING String, PCSTR Ascii)
{
    ULONG Index, Length = (ULONG)strlen(Ascii);

    if (String->Length != Length * sizeof(WCHAR))
        return FALSE;
    for (Index = 0; Index < Length; Index++) {
        if (String->Buffer[Index] != (UCHAR)Ascii[Index])
            return FALSE;
    }
    return TRUE;
}

static VOID KstToAscii(PCUNICODE_STRING String, PCHAR Ascii, ULONG Size)
{
    ULONG Index;

    for (Index = 0; Index < String->Length / sizeof(WCHAR) && Index < Size - 1; Index++)
        Ascii[Index] = (CHAR)String->Buffer[Index];
    Ascii[Index] = 0;
}

static NTSTATUS KstOpenDirectory(PCSTR Path, HANDLE Root, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    WCHAR Buffer[128];

    KstInitString(&Name, Buffer, Path);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, Root, NULL);
    return NtOpenDirectoryObject(Handle, DIRECTORY_QUERY | DIRECTORY_TRAVERSE, &Attributes);
}

static NTSTATUS KstCreateDirectory(PCSTR Path, HANDLE Root, ULONG Attributes, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING Name;
    WCHAR Buffer[128];

    KstInitString(&Name, Buffer, Path);
    InitializeObjectAttributes(&ObjectAttributes, &Name, Attributes, Root, NULL);
    return NtCreateDirectoryObject(Handle, DIRECTORY_ALL_ACCESS, &ObjectAttributes);
}

static PVOID KstObjectOf(HANDLE Handle)
{
    PVOID Object;

    if (!NT_SUCCESS(ObReferenceObjectByHandle(Handle, 0, NULL, KernelMode, &Object, NULL)))
        return NULL;
    ObDereferenceObject(Object);
    return Object;
}

/* Lists Directory, printing each entry, and checks that it holds Name of Type. */
static NTSTATUS KstListDirectory(HANDLE Directory, PCSTR const *Names, PCSTR const *Types, ULONG Count)
{
    static UCHAR Buffer[2048];
    POBJECT_DIRECTORY_INFORMATION Info = (POBJECT_DIRECTORY_INFORMATION)Buffer;
    ULONG Context, Returned, Entry, Wanted;
    BOOLEAN Found;

    KST_CHECK(NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), FALSE, TRUE, &Context, &Returned) ==
              STATUS_SUCCESS);
    for (Entry = 0; Info[Entry].Name.Buffer != NULL; Entry++) {
        CHAR Name[64], Type[32];

        KstToAscii(&Info[Entry].Name, Name, sizeof(Name));
        KstToAscii(&Info[Entry].TypeName, Type, sizeof(Type));
        DbgPrint("    %s (%s)\n", Name, Type);
    }
    KST_CHECK(Entry == Context);
    for (Wanted = 0; Wanted < Count; Wanted++) {
        Found = FALSE;
        for (Entry = 0; Info[Entry].Name.Buffer != NULL; Entry++) {
            if (KstEquals(&Info[Entry].Name, Names[Wanted]) && KstEquals(&Info[Entry].TypeName, Types[Wanted]))
                Found = TRUE;
        }
        if (!Found)
            DbgPrint("    missing: %s (%s)\n", Names[Wanted], Types[Wanted]);
        KST_CHECK(Found);
    }
    KST_CHECK(NtQueryDirectoryObject(Directory, Buffer, sizeof(Buffer), FALSE, FALSE, &Context, &Returned) ==
              STATUS_NO_MORE_ENTRIES);
    return STATUS_SUCCESS;
}

/* \ and \ObjectTypes, as ObInitSystem made them; \DosDevices -> \??. */
static NTSTATUS KstObNamespace(VOID)
{
    static PCSTR const RootNames[] = { "Device", "??", "BaseNamedObjects", "Windows", "KernelObjects",
                                       "ObjectTypes", "DosDevices" };
    static PCSTR const RootTypes[] = { "Directory", "Directory", "Directory", "Directory", "Directory",
                                       "Directory", "SymbolicLink" };
    static PCSTR const TypeNames[] = { "Type", "Directory", "SymbolicLink" };
    static PCSTR const TypeTypes[] = { "Type", "Type", "Type" };
    UCHAR Buffer[128];
    POBJECT_NAME_INFORMATION NameInfo = (POBJECT_NAME_INFORMATION)Buffer;
    KST_OB_BASELINE Baseline;
    HANDLE Root, Types, Link, Dos;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name, Target;
    WCHAR NameBuffer[32], TargetBuffer[32];
    ULONG Returned;
    NTSTATUS Status;

    KstObTakeBaseline(&Baseline);
    KST_CHECK(KstOpenDirectory("\\", NULL, &Root) == STATUS_SUCCESS);
    DbgPrint("    \\:\n");
    Status = KstListDirectory(Root, RootNames, RootTypes, RTL_NUMBER_OF(RootNames));
    if (!NT_SUCCESS(Status))
        return Status;
    KST_CHECK(KstOpenDirectory("ObjectTypes", Root, &Types) == STATUS_SUCCESS);
    DbgPrint("    \\ObjectTypes:\n");
    Status = KstListDirectory(Types, TypeNames, TypeTypes, RTL_NUMBER_OF(TypeNames));
    if (!NT_SUCCESS(Status))
        return Status;
    KST_CHECK(NtQueryObject(Types, ObjectNameInformation, Buffer, sizeof(Buffer), &Returned) == STATUS_SUCCESS);
    KST_CHECK(KstEquals(&NameInfo->Name, "\\ObjectTypes"));

    /* The link itself, its target, and where it leads. */
    KstInitString(&Name, NameBuffer, "\\DosDevices");
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE, NULL, NULL);
    KST_CHECK(NtOpenSymbolicLinkObject(&Link, SYMBOLIC_LINK_QUERY, &Attributes) == STATUS_SUCCESS);
    Target.Buffer = TargetBuffer;
    Target.Length = 0;
    Target.MaximumLength = sizeof(TargetBuffer);
    KST_CHECK(NtQuerySymbolicLinkObject(Link, &Target, &Returned) == STATUS_SUCCESS);
    KST_CHECK(KstEquals(&Target, "\\??") && Returned == 4 * sizeof(WCHAR));
    KST_CHECK(KstOpenDirectory("\\DosDevices", NULL, &Dos) == STATUS_SUCCESS);
    KST_CHECK(NtQueryObject(Dos, ObjectNameInformation, Buffer, sizeof(Buffer), &Returned) == STATUS_SUCCESS);
    KST_CHECK(KstEquals(&NameInfo->Name, "\\??"));

    KST_CHECK(NtClose(Dos) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Link) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Types) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Root) == STATUS_SUCCESS);
    return KstObCheckBaseline(&Baseline, FALSE, "after the namespace");
}
KSELFTEST(OB_NAMESPACE, KstObNamespace);

/* Create, name, look up (also through a link), duplicate, close: all gone after. */
static NTSTATUS KstObObjects(VOID)
{
    UCHAR Buffer[128];
    POBJECT_NAME_INFORMATION NameInfo = (POBJECT_NAME_INFORMATION)Buffer;
    OBJECT_BASIC_INFORMATION Basic;
    KST_OB_BASELINE Baseline;
    HANDLE Dir, Sub, Link, Through, Copy, Again;
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name, Target;
    WCHAR NameBuffer[64], TargetBuffer[64];
    ULONG Returned;

    KstObTakeBaseline(&Baseline);
    KST_CHECK(KstCreateDirectory("\\KernelObjects\\KstDir", NULL, 0, &Dir) == STATUS_SUCCESS);
    KST_CHECK(KstCreateDirectory("Sub", Dir, 0, &Sub) == STATUS_SUCCESS);
    KST_CHECK(KstCreateDirectory("\\KernelObjects\\KstDir", NULL, 0, &Again) == STATUS_OBJECT_NAME_COLLISION);
    KST_CHECK(KstCreateDirectory("\\KernelObjects\\KstDir", NULL, OBJ_OPENIF, &Again) == STATUS_OBJECT_NAME_EXISTS);
    KST_CHECK(KstObjectOf(Again) == KstObjectOf(Dir));
    KST_CHECK(NtClose(Again) == STATUS_SUCCESS);

    KstInitString(&Name, NameBuffer, "\\KernelObjects\\KstLink");
    KstInitString(&Target, TargetBuffer, "\\KernelObjects\\KstDir");
    InitializeObjectAttributes(&Attributes, &Name, 0, NULL, NULL);
    KST_CHECK(NtCreateSymbolicLinkObject(&Link, SYMBOLIC_LINK_ALL_ACCESS, &Attributes, &Target) == STATUS_SUCCESS);
    KST_CHECK(KstOpenDirectory("\\KernelObjects\\KstLink\\Sub", NULL, &Through) == STATUS_SUCCESS);
    KST_CHECK(KstObjectOf(Through) == KstObjectOf(Sub));
    KST_CHECK(NtQueryObject(Through, ObjectNameInformation, Buffer, sizeof(Buffer), &Returned) == STATUS_SUCCESS);
    KST_CHECK(KstEquals(&NameInfo->Name, "\\KernelObjects\\KstDir\\Sub"));

    KST_CHECK(NtDuplicateObject(NtCurrentProcess(), Through, NtCurrentProcess(), &Copy, 0, 0,
                                DUPLICATE_SAME_ACCESS) == STATUS_SUCCESS);
    KST_CHECK(NtQueryObject(Copy, ObjectBasicInformation, &Basic, sizeof(Basic), NULL) == STATUS_SUCCESS);
    KST_CHECK(Basic.HandleCount == 3 && Basic.PointerCount == 5);  /* 3 handles, name, query */
    KST_CHECK(Basic.GrantedAccess == (DIRECTORY_QUERY | DIRECTORY_TRAVERSE));

    KST_CHECK(NtClose(Copy) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Copy) == STATUS_INVALID_HANDLE);
    KST_CHECK(NtClose(Through) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Link) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Sub) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Dir) == STATUS_SUCCESS);
    /* Temporary: their names went with their last handles. */
    KST_CHECK(KstOpenDirectory("\\KernelObjects\\KstDir", NULL, &Again) == STATUS_OBJECT_NAME_NOT_FOUND);
    KST_CHECK(KstOpenDirectory("\\KernelObjects\\KstLink", NULL, &Again) == STATUS_OBJECT_NAME_NOT_FOUND);
    return KstObCheckBaseline(&Baseline, FALSE, "after the objects");
}
KSELFTEST(OB_OBJECTS, KstObObjects);

/* Thousands of handles; a child table inheriting some; protection; the sweep. */
static NTSTATUS KstObHandles(VOID)
{
    enum { Count = 2000 };
    static HANDLE Handles[Count];
    OBJECT_HANDLE_FLAG_INFORMATION Flags = { TRUE, TRUE };
    KST_OB_BASELINE Baseline;
    PHANDLE_TABLE_ENTRY Entry;
    PHANDLE_TABLE Child;
    HANDLE Dir, Kernel;
    PVOID Object;
    ULONG Index;

    KstObTakeBaseline(&Baseline);
    KST_CHECK(KstCreateDirectory("\\KernelObjects\\KstMany", NULL, 0, &Dir) == STATUS_SUCCESS);
    Object = KstObjectOf(Dir);
    for (Index = 0; Index < Count; Index++) {
        KST_CHECK(ObOpenObjectByPointer(Object, (Index % 4 == 0) ? OBJ_INHERIT : 0, NULL, DIRECTORY_QUERY, NULL,
                                        KernelMode, &Handles[Index]) == STATUS_SUCCESS);
        KST_CHECK(((ULONG_PTR)Handles[Index] & 3) == 0 && ((ULONG_PTR)Handles[Index] & 0x7FF) != 0);
    }
    KST_CHECK(OBJECT_TO_OBJECT_HEADER(Object)->HandleCount == Count + 1);
    KST_CHECK(ObOpenObjectByPointer(Object, OBJ_KERNEL_HANDLE, NULL, 0, NULL, KernelMode, &Kernel) == STATUS_SUCCESS);
    KST_CHECK(((ULONG_PTR)Kernel & 0x80000000) != 0 && KstObjectOf(Kernel) == Object);

    /* A child table gets the inheritable quarter, at the same values. */
    KST_CHECK(ObInitProcess(ObpKernelHandleTable, TRUE, NULL, &Child) == STATUS_SUCCESS);
    KST_CHECK(Child->HandleCount == Count / 4);
    KST_CHECK(OBJECT_TO_OBJECT_HEADER(Object)->HandleCount == Count + 2 + Count / 4);
    Entry = ExMapHandleToPointer(Child, Handles[4]);
    if (Entry != NULL)
        ExUnlockHandleTableEntry(Child, Entry);     /* before any check can return */
    KST_CHECK(Entry != NULL);
    KST_CHECK(ExMapHandleToPointer(Child, Handles[5]) == NULL);

    /* Protected from close here, yet the child's exit closes all of its handles. */
    KST_CHECK(NtSetInformationObject(Handles[0], ObjectHandleFlagInformation, &Flags, sizeof(Flags)) ==
              STATUS_SUCCESS);
    KST_CHECK(NtClose(Handles[0]) == STATUS_HANDLE_NOT_CLOSABLE);
    Flags.ProtectFromClose = FALSE;
    KST_CHECK(NtSetInformationObject(Handles[0], ObjectHandleFlagInformation, &Flags, sizeof(Flags)) ==
              STATUS_SUCCESS);
    ObKillProcess(Child);
    KST_CHECK(OBJECT_TO_OBJECT_HEADER(Object)->HandleCount == Count + 2);

    for (Index = 0; Index < Count; Index++)
        KST_CHECK(NtClose(Handles[Index]) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Kernel) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Dir) == STATUS_SUCCESS);
    /* The kernel table keeps the pages it grew, as NT's does. */
    return KstObCheckBaseline(&Baseline, TRUE, "after the handles");
}
KSELFTEST(OB_HANDLES, KstObHandles);

/* The last reference dropped at DISPATCH_LEVEL: the deletion waits for PASSIVE_LEVEL. */
static NTSTATUS KstObDeferredDelete(VOID)
{
    ULONG DirectoryTag = EX_POOL_TAG('D', 'i', 'r', 'e');
    EX_POOL_TAG_USAGE Before, During, After;
    KST_OB_BASELINE Baseline;
    PVOID Object, Other;
    KIRQL OldIrql;

    KstObTakeBaseline(&Baseline);
    KST_CHECK(NT_SUCCESS(ExQueryPoolTagUsage(DirectoryTag, &Before)));
    KST_CHECK(ObCreateObject(KernelMode, ObpDirectoryObjectType, NULL, KernelMode, NULL, sizeof(OBJECT_DIRECTORY),
                             0, 0, &Object) == STATUS_SUCCESS);
    KST_CHECK(ObInsertObject(Object, NULL, 0, 0, NULL, NULL) == STATUS_SUCCESS);
    KeRaiseIrql(DISPATCH_LEVEL, &OldIrql);
    ObDereferenceObject(Object);
    KeLowerIrql(OldIrql);
    KST_CHECK(NT_SUCCESS(ExQueryPoolTagUsage(DirectoryTag, &During)));
    KST_CHECK(During.NonPagedAllocs - During.NonPagedFrees == Before.NonPagedAllocs - Before.NonPagedFrees + 1);

    /* The next dereference at PASSIVE_LEVEL is the safe point. */
    Other = ObpRootDirectoryObject;
    ObReferenceObject(Other);
    ObDereferenceObject(Other);
    KST_CHECK(NT_SUCCESS(ExQueryPoolTagUsage(DirectoryTag, &After)));
    KST_CHECK(After.NonPagedBytes == Before.NonPagedBytes);
    return KstObCheckBaseline(&Baseline, FALSE, "after the deferred deletion");
}
KSELFTEST(OB_DEFERRED_DELETE, KstObDeferredDelete);
