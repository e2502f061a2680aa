/*
 * obquery.c - what a handle can tell about its object, and the handle's own flags
 * (NT: NtQueryObject, ObQueryTypeInfo, NtSetInformationObject in ntos\ob\obquery.c).
 *
 * NT's length rules, followed here:
 *   ObjectBasicInformation       the length must be exactly sizeof(OBJECT_BASIC_INFORMATION)
 *   ObjectNameInformation        at least what ReturnLength says (the name with its NUL)
 *   ObjectTypeInformation        at least the structure plus the type name, rounded to 4
 *   ObjectTypesInformation       the count, then every type's record, each so rounded
 *   ObjectHandleFlagInformation  at least its 2 bytes
 * and a short buffer gives STATUS_INFO_LENGTH_MISMATCH with ReturnLength the size
 * needed. Types whose QueryName procedure answers may use STATUS_BUFFER_OVERFLOW
 * for a partial name (the I/O manager's files do, in NT). The pointers inside the
 * returned structures point into the caller's buffer.
 */
#include "obp.h"

#define ALIGN_UP_ULONG(Size) (((Size) + sizeof(ULONG) - 1) & ~(ULONG)(sizeof(ULONG) - 1))

/* One OBJECT_TYPE_INFORMATION at Base + *ReturnLength, which grows by its size. */
static NTSTATUS ObpQueryTypeInformation(POBJECT_TYPE Type, PUCHAR Base, ULONG Length, PULONG ReturnLength,
                                        KPROCESSOR_MODE PreviousMode)
{
    ULONG Offset = *ReturnLength, NameSize = Type->Name.Length + sizeof(WCHAR);
    POBJECT_TYPE_INFORMATION Info;
    NTSTATUS Status;

    *ReturnLength += sizeof(OBJECT_TYPE_INFORMATION) + ALIGN_UP_ULONG(NameSize);
    if (Length < *ReturnLength)
        return STATUS_INFO_LENGTH_MISMATCH;
    Info = ExAllocatePoolWithTag(PagedPool, sizeof(*Info) + NameSize, OB_QUERY_TAG);
    if (Info == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(Info, 0, sizeof(*Info));
    Info->TypeName.Length = Type->Name.Length;
    Info->TypeName.MaximumLength = (USHORT)NameSize;
    Info->TypeName.Buffer = (PWSTR)(Base + Offset + sizeof(*Info));
    ObpLock();
    Info->TotalNumberOfObjects = Type->TotalNumberOfObjects;
    Info->TotalNumberOfHandles = Type->TotalNumberOfHandles;
    Info->HighWaterNumberOfObjects = Type->HighWaterNumberOfObjects;
    Info->HighWaterNumberOfHandles = Type->HighWaterNumberOfHandles;
    ObpUnlock();
    Info->InvalidAttributes = Type->TypeInfo.InvalidAttributes;
    Info->GenericMapping = Type->TypeInfo.GenericMapping;
    Info->ValidAccessMask = Type->TypeInfo.ValidAccessMask;
    Info->SecurityRequired = Type->TypeInfo.SecurityRequired;
    Info->MaintainHandleCount = Type->TypeInfo.MaintainHandleCount;
    Info->PoolType = Type->TypeInfo.PoolType;
    Info->DefaultPagedPoolCharge = Type->TypeInfo.DefaultPagedPoolCharge;
    Info->DefaultNonPagedPoolCharge = Type->TypeInfo.DefaultNonPagedPoolCharge;
    memcpy(Info + 1, Type->Name.Buffer, Type->Name.Length);
    ((PWCHAR)(Info + 1))[Type->Name.Length / sizeof(WCHAR)] = 0;
    Status = ExCopyToCaller(Base + Offset, Info, sizeof(*Info) + NameSize, PreviousMode);
    ExFreePoolWithTag(Info, OB_QUERY_TAG);
    return Status;
}

static NTSTATUS ObpQueryTypesInformation(PUCHAR Base, ULONG Length, PULONG ReturnLength,
                                         KPROCESSOR_MODE PreviousMode)
{
    OBJECT_TYPES_INFORMATION Types = { 0 };
    NTSTATUS Status = STATUS_SUCCESS;
    ULONG Index;

    *ReturnLength = sizeof(Types);
    for (Index = 0; Index < OBP_MAX_DEFINED_OBJECT_TYPES; Index++)
        Types.NumberOfTypes += ObpObjectTypes[Index] != NULL;
    if (Length < sizeof(Types))
        Status = STATUS_INFO_LENGTH_MISMATCH;
    else
        Status = ExCopyToCaller(Base, &Types, sizeof(Types), PreviousMode);
    /* Every record is measured, so that ReturnLength says what the whole list needs. */
    for (Index = 0; Index < OBP_MAX_DEFINED_OBJECT_TYPES; Index++) {
        if (ObpObjectTypes[Index] != NULL)
            Status = ObpQueryTypeInformation(ObpObjectTypes[Index], Base, Length, ReturnLength, PreviousMode);
    }
    return Status;
}

static NTSTATUS ObpQueryBasicInformation(PVOID Object, POBJECT_HANDLE_INFORMATION HandleInformation,
                                         PVOID Output, KPROCESSOR_MODE PreviousMode)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    OBJECT_BASIC_INFORMATION Basic;
    UNICODE_STRING Name;
    NTSTATUS Status;

    memset(&Basic, 0, sizeof(Basic));
    Basic.Attributes = HandleInformation->HandleAttributes;
    Basic.GrantedAccess = HandleInformation->GrantedAccess;
    ObpLock();
    if (Header->Flags & OB_FLAG_PERMANENT_OBJECT)
        Basic.Attributes |= OBJ_PERMANENT;
    if (Header->Flags & OB_FLAG_EXCLUSIVE_OBJECT)
        Basic.Attributes |= OBJ_EXCLUSIVE;
    Basic.HandleCount = (ULONG)Header->HandleCount;
    Basic.PointerCount = (ULONG)Header->PointerCount;   /* the query's reference included, as NT */
    ObpUnlock();
    /* No quotas are charged, so the charges are 0; no security descriptors either. */
    if (Header->Type == ObpSymbolicLinkObjectType)
        Basic.CreationTime = ((POBJECT_SYMBOLIC_LINK)Object)->CreationTime;
    Status = ObpQueryFullName(Object, &Name);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Name.Buffer != NULL) {
        Basic.NameInfoSize = sizeof(OBJECT_NAME_INFORMATION) + Name.MaximumLength;
        ExFreePoolWithTag(Name.Buffer, OB_QUERY_TAG);
    }
    Basic.TypeInfoSize = sizeof(OBJECT_TYPE_INFORMATION) + Header->Type->Name.Length + sizeof(WCHAR);
    return ExCopyToCaller(Output, &Basic, sizeof(Basic), PreviousMode);
}

NTSTATUS NtQueryObject(HANDLE Handle, OBJECT_INFORMATION_CLASS ObjectInformationClass,
                       PVOID ObjectInformation, ULONG ObjectInformationLength, PULONG ReturnLength)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    OBJECT_HANDLE_INFORMATION HandleInformation;
    OBJECT_HANDLE_FLAG_INFORMATION Flags;
    ULONG Returned = 0;
    PVOID Object = NULL;
    NTSTATUS Status;

    Status = ExProbeUserOutput(ObjectInformation, ObjectInformationLength,
                              ObjectInformationClass == ObjectHandleFlagInformation ? 1 : sizeof(ULONG),
                              PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExProbeUserOutput(ReturnLength, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;

    /* Every class but the list of types is about the object behind the handle. */
    if (ObjectInformationClass != ObjectTypesInformation) {
        Status = ObReferenceObjectByHandle(Handle, 0, NULL, PreviousMode, &Object, &HandleInformation);
        if (!NT_SUCCESS(Status))
            return Status;
    }

    switch (ObjectInformationClass) {
    case ObjectBasicInformation:
        if (ObjectInformationLength != sizeof(OBJECT_BASIC_INFORMATION)) {
            ObDereferenceObject(Object);
            return STATUS_INFO_LENGTH_MISMATCH;
        }
        Status = ObpQueryBasicInformation(Object, &HandleInformation, ObjectInformation, PreviousMode);
        Returned = sizeof(OBJECT_BASIC_INFORMATION);
        break;
    case ObjectNameInformation:
        Status = ObpQueryNameInformation(Object, ObjectInformation, ObjectInformationLength, &Returned,
                                         PreviousMode);
        break;
    case ObjectTypeInformation:
        Status = ObpQueryTypeInformation(OBJECT_TO_OBJECT_HEADER(Object)->Type, ObjectInformation,
                                         ObjectInformationLength, &Returned, PreviousMode);
        break;
    case ObjectTypesInformation:
        Status = ObpQueryTypesInformation(ObjectInformation, ObjectInformationLength, &Returned, PreviousMode);
        break;
    case ObjectHandleFlagInformation:
        Returned = sizeof(Flags);
        if (ObjectInformationLength < sizeof(Flags)) {
            Status = STATUS_INFO_LENGTH_MISMATCH;
            break;
        }
        Flags.Inherit = (HandleInformation.HandleAttributes & OBJ_INHERIT) != 0;
        Flags.ProtectFromClose = (HandleInformation.HandleAttributes & OBJ_PROTECT_CLOSE) != 0;
        Status = ExCopyToCaller(ObjectInformation, &Flags, sizeof(Flags), PreviousMode);
        break;
    default:
        ObDereferenceObject(Object);
        return STATUS_INVALID_INFO_CLASS;
    }

    if (ReturnLength != NULL)
        ExCopyToCaller(ReturnLength, &Returned, sizeof(Returned), PreviousMode);
    if (Object != NULL)
        ObDereferenceObject(Object);
    return Status;
}

/* ---- NtSetInformationObject ---- */

typedef struct _OBP_SET_HANDLE_ATTRIBUTES {
    OBJECT_HANDLE_FLAG_INFORMATION Flags;
    BOOLEAN Refused;
} OBP_SET_HANDLE_ATTRIBUTES, *POBP_SET_HANDLE_ATTRIBUTES;

/* Under the table's lock (ExChangeHandle). A type may forbid inheritance. */
static BOOLEAN ObpSetHandleAttributes(PHANDLE_TABLE_ENTRY Entry, ULONG_PTR Parameter)
{
    POBP_SET_HANDLE_ATTRIBUTES Set = (POBP_SET_HANDLE_ATTRIBUTES)Parameter;
    POBJECT_HEADER Header = (POBJECT_HEADER)(Entry->Value & ~EX_HANDLE_ENTRY_ATTRIBUTES);

    if (Set->Flags.Inherit && (Header->Type->TypeInfo.InvalidAttributes & OBJ_INHERIT)) {
        Set->Refused = TRUE;
        return FALSE;
    }
    if (Set->Flags.Inherit)
        Entry->ObAttributes |= OBJ_INHERIT;
    else
        Entry->ObAttributes &= ~(ULONG_PTR)OBJ_INHERIT;
    if (Set->Flags.ProtectFromClose)
        Entry->GrantedAccess |= ObpAccessProtectCloseBit;
    else
        Entry->GrantedAccess &= ~ObpAccessProtectCloseBit;
    return TRUE;
}

NTSTATUS NtSetInformationObject(HANDLE Handle, OBJECT_INFORMATION_CLASS ObjectInformationClass,
                                PVOID ObjectInformation, ULONG ObjectInformationLength)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    OBP_SET_HANDLE_ATTRIBUTES Set;
    PHANDLE_TABLE Table;
    NTSTATUS Status;

    if (ObjectInformationClass != ObjectHandleFlagInformation)
        return STATUS_INVALID_INFO_CLASS;
    if (ObjectInformationLength != sizeof(OBJECT_HANDLE_FLAG_INFORMATION))
        return STATUS_INFO_LENGTH_MISMATCH;
    Status = ExCaptureUserData(&Set.Flags, ObjectInformation, sizeof(Set.Flags), sizeof(BOOLEAN), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Set.Refused = FALSE;

    /* The pseudo-handles are in no table: the lookup below finds nothing for them. */
    Table = ObpTableOfHandle(&Handle, PreviousMode);
    if (Table == NULL)
        return STATUS_INVALID_HANDLE;
    if (ExChangeHandle(Table, Handle, ObpSetHandleAttributes, (ULONG_PTR)&Set))
        return STATUS_SUCCESS;
    return Set.Refused ? STATUS_ACCESS_DENIED : STATUS_INVALID_HANDLE;
}
