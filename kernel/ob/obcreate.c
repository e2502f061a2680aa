/*
 * obcreate.c - making objects (NT: ObCreateObject, ObpCaptureObjectCreateInformation,
 * ObpCaptureObjectName, ObpAllocateObject, ObpFreeObject in ntos\ob\obcreate.c).
 *
 * ObCreateObject captures the caller's OBJECT_ATTRIBUTES (probing them when they
 * come from user mode) into an OBJECT_CREATE_INFORMATION that stays with the new
 * object until ObInsertObject, and the name into a pool block that the name info
 * holds until ObInsertObject knows where the object goes. The object is one pool
 * block from its type's pool, tagged with the type's Key:
 *
 *     [OBJECT_HEADER_NAME_INFO]  OBJECT_HEADER (0x18 bytes)  body
 *                                              ^ the pointer every Ob* function takes
 *
 * The body is zeroed (NT leaves that to the caller; a zeroed body makes a delete
 * procedure safe on an object whose creator gave up half way).
 */
#include "obp.h"

/* The tag of the "Type" type's objects, needed before that type exists. */
#define OB_TYPE_OBJECT_KEY EX_POOL_TAG('T', 'y', 'p', 'e')

/* The longest name a UNICODE_STRING can hold with its NUL. */
#define OB_MAX_NAME_LENGTH (0xFFFF - 1 - sizeof(WCHAR))

NTSTATUS ObpCaptureObjectName(KPROCESSOR_MODE ProbeMode, PUNICODE_STRING ObjectName,
                              PUNICODE_STRING CapturedName)
{
    UNICODE_STRING Name;
    NTSTATUS Status;
    PWSTR Buffer;

    CapturedName->Length = CapturedName->MaximumLength = 0;
    CapturedName->Buffer = NULL;
    Status = ExCaptureUserData(&Name, ObjectName, sizeof(Name), sizeof(ULONG), ProbeMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Name.Length == 0)
        return STATUS_SUCCESS;
    if (Name.Length % sizeof(WCHAR) != 0 || Name.Length > OB_MAX_NAME_LENGTH || Name.Buffer == NULL)
        return STATUS_OBJECT_NAME_INVALID;

    Buffer = ExAllocatePoolWithTag(PagedPool, Name.Length + sizeof(WCHAR), OB_NAME_TAG);
    if (Buffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = ExCaptureUserData(Buffer, Name.Buffer, Name.Length, sizeof(WCHAR), ProbeMode);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Buffer, OB_NAME_TAG);
        return Status;
    }
    Buffer[Name.Length / sizeof(WCHAR)] = 0;
    CapturedName->Buffer = Buffer;
    CapturedName->Length = Name.Length;
    CapturedName->MaximumLength = (USHORT)(Name.Length + sizeof(WCHAR));
    return STATUS_SUCCESS;
}

VOID ObpFreeObjectName(PUNICODE_STRING CapturedName)
{
    if (CapturedName->Buffer != NULL)
        ExFreePoolWithTag(CapturedName->Buffer, OB_NAME_TAG);
    CapturedName->Buffer = NULL;
    CapturedName->Length = CapturedName->MaximumLength = 0;
}

NTSTATUS ObpCaptureObjectCreateInformation(KPROCESSOR_MODE ProbeMode, POBJECT_ATTRIBUTES ObjectAttributes,
                                           POBJECT_CREATE_INFORMATION CreateInfo,
                                           PUNICODE_STRING CapturedName)
{
    OBJECT_ATTRIBUTES Attributes;
    NTSTATUS Status;

    memset(CreateInfo, 0, sizeof(*CreateInfo));
    CreateInfo->ProbeMode = ProbeMode;
    CapturedName->Length = CapturedName->MaximumLength = 0;
    CapturedName->Buffer = NULL;
    if (ObjectAttributes == NULL)
        return STATUS_SUCCESS;

    Status = ExCaptureUserData(&Attributes, ObjectAttributes, sizeof(Attributes), sizeof(ULONG), ProbeMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (Attributes.Length != sizeof(OBJECT_ATTRIBUTES) || (Attributes.Attributes & ~OBJ_VALID_ATTRIBUTES) != 0)
        return STATUS_INVALID_PARAMETER;
    /* Exclusive objects need per-process handle records, which do not exist yet. */
    if (Attributes.Attributes & OBJ_EXCLUSIVE)
        return STATUS_NOT_IMPLEMENTED;
    /* A user-mode caller cannot ask for a kernel handle: the bit is dropped, as NT does. */
    if (ProbeMode != KernelMode)
        Attributes.Attributes &= ~OBJ_KERNEL_HANDLE;

    CreateInfo->Attributes = Attributes.Attributes;
    CreateInfo->RootDirectory = Attributes.RootDirectory;
    /* Kept but not read: there is no security reference monitor yet. */
    CreateInfo->SecurityDescriptor = Attributes.SecurityDescriptor;
    CreateInfo->SecurityQos = Attributes.SecurityQualityOfService;
    if (Attributes.ObjectName != NULL)
        return ObpCaptureObjectName(ProbeMode, Attributes.ObjectName, CapturedName);
    return STATUS_SUCCESS;
}

NTSTATUS ObpAllocateObject(POBJECT_CREATE_INFORMATION CreateInfo, KPROCESSOR_MODE OwnershipMode,
                           POBJECT_TYPE ObjectType, PUNICODE_STRING ObjectName, ULONG ObjectBodySize,
                           PVOID *Object)
{
    ULONG NameInfoSize = (ObjectName != NULL && ObjectName->Length != 0) ? sizeof(OBJECT_HEADER_NAME_INFO) : 0;
    ULONG HeaderSize = FIELD_OFFSET(OBJECT_HEADER, Body);
    POOL_TYPE PoolType = ObjectType != NULL ? ObjectType->TypeInfo.PoolType : NonPagedPool;
    ULONG Tag = (ObjectType != NULL ? ObjectType->Key : OB_TYPE_OBJECT_KEY) | PROTECTED_POOL;
    POBJECT_HEADER_NAME_INFO NameInfo;
    POBJECT_HEADER Header;
    PUCHAR Block;

    if (ObjectBodySize > ~0UL - NameInfoSize - HeaderSize)
        return STATUS_INSUFFICIENT_RESOURCES;
    Block = ExAllocatePoolWithTag(PoolType, NameInfoSize + HeaderSize + ObjectBodySize, Tag);
    if (Block == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;

    if (NameInfoSize != 0) {
        NameInfo = (POBJECT_HEADER_NAME_INFO)Block;
        NameInfo->Directory = NULL;
        NameInfo->Name = *ObjectName;       /* the captured name, until ObInsertObject */
        NameInfo->QueryReferences = 0;
    }
    Header = (POBJECT_HEADER)(Block + NameInfoSize);
    Header->PointerCount = 1;
    Header->HandleCount = 0;
    Header->Type = ObjectType;
    Header->NameInfoOffset = (UCHAR)NameInfoSize;
    Header->HandleInfoOffset = 0;
    Header->QuotaInfoOffset = 0;
    Header->Flags = 0;
    if (CreateInfo != NULL) {
        Header->Flags |= OB_FLAG_NEW_OBJECT;
        if (CreateInfo->Attributes & OBJ_PERMANENT)
            Header->Flags |= OB_FLAG_PERMANENT_OBJECT;
    }
    if (OwnershipMode == KernelMode)
        Header->Flags |= OB_FLAG_KERNEL_OBJECT;
    Header->ObjectCreateInfo = CreateInfo;
    Header->SecurityDescriptor = NULL;
    memset(&Header->Body, 0, ObjectBodySize);

    if (ObjectType != NULL) {
        ObpLock();
        ObjectType->TotalNumberOfObjects++;
        if (ObjectType->TotalNumberOfObjects > ObjectType->HighWaterNumberOfObjects)
            ObjectType->HighWaterNumberOfObjects = ObjectType->TotalNumberOfObjects;
        ObpUnlock();
    }
    *Object = &Header->Body;
    return STATUS_SUCCESS;
}

VOID ObpFreeObject(PVOID Object)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_HEADER_NAME_INFO NameInfo = OBJECT_HEADER_TO_NAME_INFO(Header);

    if (NameInfo != NULL)
        ObpFreeObjectName(&NameInfo->Name);
    if ((Header->Flags & OB_FLAG_NEW_OBJECT) && Header->ObjectCreateInfo != NULL)
        ExFreePoolWithTag(Header->ObjectCreateInfo, OB_CREATE_INFO_TAG);
    ExFreePoolWithTag(NameInfo != NULL ? (PVOID)NameInfo : (PVOID)Header, Header->Type->Key | PROTECTED_POOL);
}

NTSTATUS ObCreateObject(KPROCESSOR_MODE ProbeMode, POBJECT_TYPE ObjectType,
                        POBJECT_ATTRIBUTES ObjectAttributes, KPROCESSOR_MODE OwnershipMode,
                        PVOID ParseContext, ULONG ObjectBodySize, ULONG PagedPoolCharge,
                        ULONG NonPagedPoolCharge, PVOID *Object)
{
    POBJECT_CREATE_INFORMATION CreateInfo;
    UNICODE_STRING Name;
    NTSTATUS Status;

    /* A safe point for deletions that had to wait (see obref.c). */
    if (ObpGetCurrentIrql() == PASSIVE_LEVEL)
        ObpProcessDeferredDeletes();

    CreateInfo = ExAllocatePoolWithTag(NonPagedPool, sizeof(*CreateInfo), OB_CREATE_INFO_TAG);
    if (CreateInfo == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    Status = ObpCaptureObjectCreateInformation(ProbeMode, ObjectAttributes, CreateInfo, &Name);
    if (NT_SUCCESS(Status)) {
        if (CreateInfo->Attributes & ObjectType->TypeInfo.InvalidAttributes)
            Status = STATUS_INVALID_PARAMETER;
        /* NT: SeCreatePermanentPrivilege, which no user-mode caller holds yet. */
        else if ((CreateInfo->Attributes & OBJ_PERMANENT) && ProbeMode != KernelMode)
            Status = STATUS_PRIVILEGE_NOT_HELD;
    }
    if (NT_SUCCESS(Status)) {
        CreateInfo->ParseContext = ParseContext;
        /* Recorded, not charged: there are no quotas yet. */
        CreateInfo->PagedPoolCharge = PagedPoolCharge;
        CreateInfo->NonPagedPoolCharge = NonPagedPoolCharge;
        Status = ObpAllocateObject(CreateInfo, OwnershipMode, ObjectType, &Name, ObjectBodySize, Object);
        if (NT_SUCCESS(Status))
            return STATUS_SUCCESS;
    }
    ObpFreeObjectName(&Name);
    ExFreePoolWithTag(CreateInfo, OB_CREATE_INFO_TAG);
    return Status;
}
