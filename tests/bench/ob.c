/*
 * ob.c - object-manager benchmarks: using a handle, making and dropping an object,
 * finding a name through a symbolic link.
 */
#include <bench.h>
#include <ke.h>
#include <ex.h>
#include <ob.h>

#define KB_ITERATIONS 1000

static VOID KbInitString(PUNICODE_STRING String, PWSTR Buffer, PCSTR Ascii)
{
    ULONG Index;

    for (Index = 0; Ascii[Index] != 0; Index++)
        Buffer[Index] = (UCHAR)Ascii[Index];
    Buffer[Index] = 0;
    String->Buffer = Buffer;
    String->Length = (USHORT)(Index * sizeof(WCHAR));
    String->MaximumLength = (USHORT)(String->Length + sizeof(WCHAR));
}

/* ---- a handle lookup: ObReferenceObjectByHandle + ObDereferenceObject ---- */

static VOID KbReferenceByHandle(PVOID Context)
{
    PVOID Object;

    if (NT_SUCCESS(ObReferenceObjectByHandle((HANDLE)Context, DIRECTORY_QUERY, ObpDirectoryObjectType, UserMode,
                                             &Object, NULL)))
        ObDereferenceObject(Object);
}

static ULONGLONG KbHandleLookup(VOID)
{
    ULONGLONG Result;
    HANDLE Handle;

    if (!NT_SUCCESS(ObOpenObjectByPointer(ObpRootDirectoryObject, 0, NULL, DIRECTORY_QUERY, NULL, KernelMode,
                                          &Handle)))
        return 0;
    Result = KeBenchLoop(KbReferenceByHandle, Handle, KB_ITERATIONS);
    NtClose(Handle);
    return Result;
}
KBENCH(ob_reference_by_handle, KbHandleLookup,
       "instructions per ObReferenceObjectByHandle (type and access checked) + ObDereferenceObject");

/* ---- an unnamed object's life: ObCreateObject + ObInsertObject + NtClose ---- */

static VOID KbCreateInsertClose(PVOID Context)
{
    HANDLE Handle;
    PVOID Object;

    UNREFERENCED_PARAMETER(Context);
    if (!NT_SUCCESS(ObCreateObject(KernelMode, ObpDirectoryObjectType, NULL, KernelMode, NULL,
                                   sizeof(OBJECT_DIRECTORY), 0, 0, &Object)))
        return;
    if (NT_SUCCESS(ObInsertObject(Object, NULL, DIRECTORY_ALL_ACCESS, 0, NULL, &Handle)))
        NtClose(Handle);
}

static ULONGLONG KbObjectLife(VOID)
{
    return KeBenchLoop(KbCreateInsertClose, NULL, KB_ITERATIONS);
}
KBENCH(ob_create_insert_close, KbObjectLife,
       "instructions per ObCreateObject + ObInsertObject (handle) + NtClose of an unnamed directory");

/* ---- a lookup through one symbolic link ---- */

static VOID KbLookupThroughLink(PVOID Context)
{
    PVOID Object;

    if (NT_SUCCESS(ObReferenceObjectByName(Context, OBJ_CASE_INSENSITIVE, NULL, 0, ObpDirectoryObjectType,
                                           KernelMode, NULL, &Object)))
        ObDereferenceObject(Object);
}

static ULONGLONG KbLinkLookup(VOID)
{
    WCHAR DirBuffer[48], LinkBuffer[48], TargetBuffer[48];
    UNICODE_STRING DirName, LinkName, Target;
    OBJECT_ATTRIBUTES Attributes;
    HANDLE Directory, Link;
    ULONGLONG Result = 0;

    KbInitString(&DirName, DirBuffer, "\\KernelObjects\\BenchDir");
    KbInitString(&LinkName, LinkBuffer, "\\KernelObjects\\BenchLink");
    KbInitString(&Target, TargetBuffer, "\\KernelObjects\\BenchDir");
    InitializeObjectAttributes(&Attributes, &DirName, 0, NULL, NULL);
    if (!NT_SUCCESS(NtCreateDirectoryObject(&Directory, DIRECTORY_ALL_ACCESS, &Attributes)))
        return 0;
    InitializeObjectAttributes(&Attributes, &LinkName, 0, NULL, NULL);
    if (NT_SUCCESS(NtCreateSymbolicLinkObject(&Link, SYMBOLIC_LINK_ALL_ACCESS, &Attributes, &Target))) {
        Result = KeBenchLoop(KbLookupThroughLink, &LinkName, KB_ITERATIONS);
        NtClose(Link);
    }
    NtClose(Directory);
    return Result;
}
KBENCH(ob_lookup_through_link, KbLinkLookup,
       "instructions per ObReferenceObjectByName of \\KernelObjects\\BenchLink (-> a directory) + dereference");
