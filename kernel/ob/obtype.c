/*
 * obtype.c - object types and access masks (NT: ObCreateObjectType in
 * ntos\ob\obtype.c, RtlMapGenericMask in ntos\rtl).
 *
 * A type is an object of the type "Type", named in \ObjectTypes. The first type
 * created, "Type" itself, has no type to be made from yet: it becomes its own.
 * Types are permanent and never deleted. ObpObjectTypes lists them in creation order
 * (OBJECT_TYPE.Index is the position + 1), which NtQueryObject(ObjectTypesInformation)
 * reports.
 */
#include "obp.h"

POBJECT_TYPE ObpTypeObjectType;
POBJECT_TYPE ObpDirectoryObjectType;
POBJECT_TYPE ObpSymbolicLinkObjectType;
POBJECT_TYPE ObpObjectTypes[OBP_MAX_DEFINED_OBJECT_TYPES];

VOID RtlMapGenericMask(PACCESS_MASK AccessMask, const GENERIC_MAPPING *GenericMapping)
{
    if (*AccessMask & GENERIC_READ)
        *AccessMask |= GenericMapping->GenericRead;
    if (*AccessMask & GENERIC_WRITE)
        *AccessMask |= GenericMapping->GenericWrite;
    if (*AccessMask & GENERIC_EXECUTE)
        *AccessMask |= GenericMapping->GenericExecute;
    if (*AccessMask & GENERIC_ALL)
        *AccessMask |= GenericMapping->GenericAll;
    *AccessMask &= ~(GENERIC_READ | GENERIC_WRITE | GENERIC_EXECUTE | GENERIC_ALL);
}

NTSTATUS ObpGrantAccess(POBJECT_TYPE ObjectType, ACCESS_MASK DesiredAccess, KPROCESSOR_MODE AccessMode,
                        PACCESS_MASK GrantedAccess)
{
    ACCESS_MASK Access = DesiredAccess;

    RtlMapGenericMask(&Access, &ObjectType->TypeInfo.GenericMapping);
    if (Access & MAXIMUM_ALLOWED)
        Access = (Access & ~MAXIMUM_ALLOWED) | ObjectType->TypeInfo.GenericMapping.GenericAll;
    /* NT: SeSecurityPrivilege. Nobody in user mode holds privileges yet. */
    if ((Access & ACCESS_SYSTEM_SECURITY) && AccessMode != KernelMode)
        return STATUS_PRIVILEGE_NOT_HELD;
    *GrantedAccess = Access & (ObjectType->TypeInfo.ValidAccessMask | ACCESS_SYSTEM_SECURITY);
    return STATUS_SUCCESS;
}

/* The pool tag of a type's objects: its name's first four characters (NT's Key). */
static ULONG ObpTypeKey(PCUNICODE_STRING TypeName)
{
    UCHAR Chars[4] = { ' ', ' ', ' ', ' ' };
    ULONG Index;

    for (Index = 0; Index < 4 && Index < TypeName->Length / sizeof(WCHAR); Index++)
        Chars[Index] = (UCHAR)TypeName->Buffer[Index];
    return EX_POOL_TAG(Chars[0], Chars[1], Chars[2], Chars[3]);
}

/* Names Type in \ObjectTypes: the name holds a reference, as every name does. */
static NTSTATUS ObpInsertTypeName(POBJECT_TYPE Type)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Type);
    POBJECT_HEADER_NAME_INFO NameInfo = OBJECT_HEADER_TO_NAME_INFO(Header);
    POBJECT_DIRECTORY_ENTRY Entry;

    Entry = ExAllocatePoolWithTag(PagedPool, sizeof(*Entry), OB_DIRECTORY_ENTRY_TAG);
    if (Entry == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    ObpLock();
    if (ObpLookupDirectoryEntry(ObpTypeDirectoryObject, &NameInfo->Name, OBJ_CASE_INSENSITIVE) != NULL) {
        ObpUnlock();
        ExFreePoolWithTag(Entry, OB_DIRECTORY_ENTRY_TAG);
        return STATUS_OBJECT_NAME_COLLISION;
    }
    NameInfo->Directory = ObpTypeDirectoryObject;
    ObpInsertDirectoryEntry(ObpTypeDirectoryObject, Entry, Type);
    ObfReferenceObject(ObpTypeDirectoryObject);
    ObfReferenceObject(Type);
    ObpUnlock();
    return STATUS_SUCCESS;
}

NTSTATUS ObpInsertTypesInDirectory(VOID)
{
    POBJECT_HEADER_NAME_INFO NameInfo;
    NTSTATUS Status;
    ULONG Index;

    for (Index = 0; Index < OBP_MAX_DEFINED_OBJECT_TYPES; Index++) {
        if (ObpObjectTypes[Index] == NULL)
            continue;
        NameInfo = OBJECT_HEADER_TO_NAME_INFO(OBJECT_TO_OBJECT_HEADER(ObpObjectTypes[Index]));
        if (NameInfo->Directory != NULL)
            continue;
        Status = ObpInsertTypeName(ObpObjectTypes[Index]);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS ObpCheckTypeInitializer(PUNICODE_STRING TypeName, POBJECT_TYPE_INITIALIZER Initializer)
{
    ULONG Index;

    if (TypeName == NULL || TypeName->Length == 0 || TypeName->Length % sizeof(WCHAR) != 0 ||
        TypeName->Buffer == NULL || Initializer == NULL || Initializer->Length != sizeof(*Initializer) ||
        (Initializer->InvalidAttributes & ~OBJ_VALID_ATTRIBUTES) != 0 ||
        (Initializer->PoolType != NonPagedPool && Initializer->PoolType != PagedPool))
        return STATUS_INVALID_PARAMETER;
    for (Index = 0; Index < TypeName->Length / sizeof(WCHAR); Index++) {
        if (TypeName->Buffer[Index] == OBJ_NAME_PATH_SEPARATOR)
            return STATUS_OBJECT_NAME_INVALID;
    }
    /* Per-process handle counts (OBJECT_HEADER_HANDLE_INFO) and per-type object lists
       (OBJECT_HEADER_CREATOR_INFO) are not implemented: say so rather than ignore. */
    if (Initializer->MaintainHandleCount || Initializer->MaintainTypeList)
        return STATUS_NOT_IMPLEMENTED;
    return STATUS_SUCCESS;
}

/* Lists Type in ObpObjectTypes unless a type has its name already, under the lock. */
static NTSTATUS ObpRegisterType(POBJECT_TYPE Type)
{
    NTSTATUS Status = STATUS_INSUFFICIENT_RESOURCES;
    ULONG Index, Free = OBP_MAX_DEFINED_OBJECT_TYPES;

    ObpLock();
    for (Index = 0; Index < OBP_MAX_DEFINED_OBJECT_TYPES; Index++) {
        if (ObpObjectTypes[Index] == NULL) {
            if (Free == OBP_MAX_DEFINED_OBJECT_TYPES)
                Free = Index;
        } else if (ObpEqualName(&ObpObjectTypes[Index]->Name, &Type->Name, TRUE)) {
            Free = OBP_MAX_DEFINED_OBJECT_TYPES;
            Status = STATUS_OBJECT_NAME_COLLISION;
            break;
        }
    }
    if (Free < OBP_MAX_DEFINED_OBJECT_TYPES) {
        ObpObjectTypes[Free] = Type;
        Type->Index = Free + 1;
        Status = STATUS_SUCCESS;
    }
    ObpUnlock();
    return Status;
}

NTSTATUS ObCreateObjectType(PUNICODE_STRING TypeName, POBJECT_TYPE_INITIALIZER ObjectTypeInitializer,
                            PSECURITY_DESCRIPTOR SecurityDescriptor, POBJECT_TYPE *ObjectType)
{
    UNICODE_STRING CapturedName;
    POBJECT_HEADER Header;
    POBJECT_TYPE Type;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(SecurityDescriptor);     /* no security reference monitor yet */
    Status = ObpCheckTypeInitializer(TypeName, ObjectTypeInitializer);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObpCaptureObjectName(KernelMode, TypeName, &CapturedName);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Made of ObpTypeObjectType, or, for "Type" itself, of nothing yet. */
    Status = ObpAllocateObject(NULL, KernelMode, ObpTypeObjectType, &CapturedName, sizeof(OBJECT_TYPE),
                               (PVOID *)&Type);
    if (!NT_SUCCESS(Status)) {
        ObpFreeObjectName(&CapturedName);
        return Status;
    }

    Header = OBJECT_TO_OBJECT_HEADER(Type);
    Header->Flags |= OB_FLAG_PERMANENT_OBJECT;
    Type->Name = OBJECT_HEADER_TO_NAME_INFO(Header)->Name;     /* shares the name's buffer */
    Type->TypeInfo = *ObjectTypeInitializer;
    Type->Key = ObpTypeKey(TypeName);
    if (ObpTypeObjectType == NULL) {
        ObpTypeObjectType = Type;
        Header->Type = Type;
        Type->TotalNumberOfObjects = Type->HighWaterNumberOfObjects = 1;
    }

    Status = ObpRegisterType(Type);
    /* Named in \ObjectTypes now, or by ObInitSystem once that directory exists. */
    if (NT_SUCCESS(Status) && ObpTypeDirectoryObject != NULL) {
        Status = ObpInsertTypeName(Type);
        if (!NT_SUCCESS(Status)) {
            ObpLock();
            ObpObjectTypes[Type->Index - 1] = NULL;
            ObpUnlock();
        }
    }
    if (!NT_SUCCESS(Status)) {
        ObDereferenceObject(Type);
        return Status;
    }
    *ObjectType = Type;
    return STATUS_SUCCESS;
}
