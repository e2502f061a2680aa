/*
 * obname.c - an object's place in the namespace: losing it (NT: ObpDeleteNameCheck,
 * ObMakeTemporaryObject, NtMakeTemporaryObject) and reporting it (ObQueryNameString),
 * from ntos\ob\obdir.c, obref.c and obquery.c.
 *
 * A name holds a reference to its object (the directory entry's) and one to its
 * directory (the name info's). A temporary object loses its name when its last
 * handle is closed; a permanent one keeps it until it is made temporary.
 */
#include "obp.h"

VOID ObpDeleteNameCheck(PVOID Object)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_HEADER_NAME_INFO NameInfo = OBJECT_HEADER_TO_NAME_INFO(Header);
    POBJECT_DIRECTORY_ENTRY Entry;
    POBJECT_DIRECTORY Directory;
    UNICODE_STRING Name;

    ObpLock();
    if (NameInfo == NULL || NameInfo->Directory == NULL || Header->HandleCount != 0 ||
        (Header->Flags & OB_FLAG_PERMANENT_OBJECT)) {
        ObpUnlock();
        return;
    }
    Directory = NameInfo->Directory;
    Entry = ObpDeleteDirectoryEntry(Directory, Object);
    NameInfo->Directory = NULL;
    Name = NameInfo->Name;
    NameInfo->Name.Buffer = NULL;
    NameInfo->Name.Length = NameInfo->Name.MaximumLength = 0;
    ObpUnlock();

    ExFreePoolWithTag(Entry, OB_DIRECTORY_ENTRY_TAG);
    ObpFreeObjectName(&Name);
    ObDereferenceObject(Directory);     /* the name info's */
    ObDereferenceObject(Object);        /* the entry's: may delete the object */
}

VOID ObMakeTemporaryObject(PVOID Object)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);

    ObpLock();
    Header->Flags &= ~OB_FLAG_PERMANENT_OBJECT;
    ObpUnlock();
    ObpDeleteNameCheck(Object);
}

/* NT asks for DELETE access to the object. */
NTSTATUS NtMakeTemporaryObject(HANDLE Handle)
{
    NTSTATUS Status;
    PVOID Object;

    Status = ObReferenceObjectByHandle(Handle, DELETE, NULL, ExGetPreviousMode(), &Object, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    ObMakeTemporaryObject(Object);
    ObDereferenceObject(Object);
    return STATUS_SUCCESS;
}

/* ---- the full name ---- */

static const WCHAR ObpMissingName[] = { '.', '.', '.' };   /* NT's for an unnamed directory */

/*
 * Under the lock: the size in bytes of Object's full name ("\A\B\Name"), 0 when it
 * has none. With Buffer (Length bytes, the size measured before), also writes the
 * name, from the end backwards: each part with the separator before it, up to the
 * root. A directory on the way that has lost its own name shows as "...", as in NT.
 */
static ULONG ObpFullName(PVOID Object, PWCHAR Buffer, ULONG Length)
{
    POBJECT_HEADER_NAME_INFO NameInfo;
    PVOID Current = Object;
    ULONG Used = 0, PartLength;
    PCWSTR Part;

    if (Object == ObpRootDirectoryObject) {
        if (Buffer != NULL)
            Buffer[0] = OBJ_NAME_PATH_SEPARATOR;
        return sizeof(WCHAR);
    }
    NameInfo = OBJECT_HEADER_TO_NAME_INFO(OBJECT_TO_OBJECT_HEADER(Object));
    if (NameInfo == NULL || NameInfo->Directory == NULL)
        return 0;
    for (;;) {
        NameInfo = OBJECT_HEADER_TO_NAME_INFO(OBJECT_TO_OBJECT_HEADER(Current));
        if (NameInfo != NULL && NameInfo->Directory != NULL) {
            Part = NameInfo->Name.Buffer;
            PartLength = NameInfo->Name.Length;
        } else {
            Part = ObpMissingName;
            PartLength = sizeof(ObpMissingName);
        }
        Used += sizeof(WCHAR) + PartLength;
        if (Buffer != NULL) {
            Buffer[(Length - Used) / sizeof(WCHAR)] = OBJ_NAME_PATH_SEPARATOR;
            memcpy((PUCHAR)Buffer + Length - Used + sizeof(WCHAR), Part, PartLength);
        }
        if (NameInfo == NULL || NameInfo->Directory == NULL)
            break;                      /* "..." ends the name */
        Current = NameInfo->Directory;
        if (Current == ObpRootDirectoryObject)
            break;
    }
    return Used;
}

/*
 * Object's full name in a new pool block (OB_QUERY_TAG), or an empty string with
 * no block when it has none. The size is taken under the lock, the block allocated
 * outside it, and the name written under it again; if the name changed meanwhile,
 * once more.
 */
NTSTATUS ObpQueryFullName(PVOID Object, PUNICODE_STRING Name)
{
    ULONG Length, Check;
    PWCHAR Buffer;

    Name->Buffer = NULL;
    Name->Length = Name->MaximumLength = 0;
    for (;;) {
        ObpLock();
        Length = ObpFullName(Object, NULL, 0);
        ObpUnlock();
        if (Length == 0)
            return STATUS_SUCCESS;
        if (Length > 0xFFFF - 1 - sizeof(WCHAR))
            return STATUS_NAME_TOO_LONG;
        Buffer = ExAllocatePoolWithTag(PagedPool, Length + sizeof(WCHAR), OB_QUERY_TAG);
        if (Buffer == NULL)
            return STATUS_INSUFFICIENT_RESOURCES;
        ObpLock();
        Check = ObpFullName(Object, NULL, 0);
        if (Check == Length)
            ObpFullName(Object, Buffer, Length);
        ObpUnlock();
        if (Check == Length)
            break;
        ExFreePoolWithTag(Buffer, OB_QUERY_TAG);
    }
    Buffer[Length / sizeof(WCHAR)] = 0;
    Name->Buffer = Buffer;
    Name->Length = (USHORT)Length;
    Name->MaximumLength = (USHORT)(Length + sizeof(WCHAR));
    return STATUS_SUCCESS;
}

/*
 * OBJECT_NAME_INFORMATION for Object into Output (the caller's buffer, Length bytes;
 * a user buffer when PreviousMode is UserMode). NT's rules: *ReturnLength is the
 * size needed; a buffer shorter than that gives STATUS_INFO_LENGTH_MISMATCH; an
 * unnamed object gives an empty name (no buffer). A type with a QueryName procedure
 * answers for itself.
 */
NTSTATUS ObpQueryNameInformation(PVOID Object, PVOID Output, ULONG Length, PULONG ReturnLength,
                                 KPROCESSOR_MODE PreviousMode)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_HEADER_NAME_INFO NameInfo = OBJECT_HEADER_TO_NAME_INFO(Header);
    POBJECT_NAME_INFORMATION Info;
    UNICODE_STRING Name;
    NTSTATUS Status;
    ULONG Needed;

    if (Header->Type->TypeInfo.QueryNameProcedure != NULL)
        return Header->Type->TypeInfo.QueryNameProcedure(Object, NameInfo != NULL && NameInfo->Directory != NULL,
                                                         Output, Length, ReturnLength, PreviousMode);
    Status = ObpQueryFullName(Object, &Name);
    if (!NT_SUCCESS(Status))
        return Status;
    Needed = sizeof(OBJECT_NAME_INFORMATION) + (Name.Buffer != NULL ? Name.MaximumLength : 0);
    *ReturnLength = Needed;
    if (Length < Needed) {
        Status = STATUS_INFO_LENGTH_MISMATCH;
    } else {
        Info = ExAllocatePoolWithTag(PagedPool, Needed, OB_QUERY_TAG);
        if (Info == NULL) {
            Status = STATUS_INSUFFICIENT_RESOURCES;
        } else {
            Info->Name.Length = Name.Length;
            Info->Name.MaximumLength = Name.MaximumLength;
            Info->Name.Buffer = Name.Buffer != NULL ? (PWSTR)((POBJECT_NAME_INFORMATION)Output + 1) : NULL;
            if (Name.Buffer != NULL)
                memcpy(Info + 1, Name.Buffer, Name.MaximumLength);
            Status = ExCopyToCaller(Output, Info, Needed, PreviousMode);
            ExFreePoolWithTag(Info, OB_QUERY_TAG);
        }
    }
    if (Name.Buffer != NULL)
        ExFreePoolWithTag(Name.Buffer, OB_QUERY_TAG);
    return Status;
}

NTSTATUS ObQueryNameString(PVOID Object, POBJECT_NAME_INFORMATION ObjectNameInfo, ULONG Length,
                           PULONG ReturnLength)
{
    return ObpQueryNameInformation(Object, ObjectNameInfo, Length, ReturnLength, KernelMode);
}
