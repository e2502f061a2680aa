/*
 * exobtype.c - the executive's synchronization objects as NT objects: their types
 * made at boot (NT: ExpEventInitialization and friends, called from ExInitSystem)
 * and the steps their services share (NT repeats them in each of NtCreateEvent,
 * NtCreateSemaphore, ...; here they are written once).
 *
 * Every service follows NT's order: probe each user pointer first, inside a
 * fault-recovery block when the caller came from user mode, so that a bad
 * pointer fails the call before anything changes; do the work on kernel copies;
 * store the results last.
 */
#include "exobjp.h"

VOID ExInitializeObjectTypes(VOID)
{
    static NTSTATUS (*const Initializations[])(VOID) = {
        ExpEventInitialization, ExpSemaphoreInitialization, ExpMutantInitialization,
        ExpTimerInitialization, ExpKeyedEventInitialization,
    };
    NTSTATUS Status;
    ULONG Index;

    for (Index = 0; Index < RTL_NUMBER_OF(Initializations); Index++) {
        Status = Initializations[Index]();
        if (!NT_SUCCESS(Status)) {
            DbgPrint("ExInitializeObjectTypes: type %lu failed with status 0x%08lX\n", Index,
                     (ULONG)Status);
            KeBugCheckEx(PHASE0_INITIALIZATION_FAILED, (ULONG_PTR)Status, Index, 0, 0);
        }
    }
}

NTSTATUS ExpCreateObjectType(PCWSTR Name, ULONG BodySize, const GENERIC_MAPPING *GenericMapping,
                             ACCESS_MASK ValidAccessMask, OB_DELETE_METHOD DeleteProcedure,
                             POBJECT_TYPE *ObjectType)
{
    OBJECT_TYPE_INITIALIZER Initializer;
    UNICODE_STRING TypeName;
    ULONG Length = 0;

    while (Name[Length] != 0)
        Length++;
    TypeName.Buffer = (PWSTR)Name;
    TypeName.Length = (USHORT)(Length * sizeof(WCHAR));
    TypeName.MaximumLength = (USHORT)(TypeName.Length + sizeof(WCHAR));

    memset(&Initializer, 0, sizeof(Initializer));
    Initializer.Length = sizeof(Initializer);
    Initializer.InvalidAttributes = OBJ_OPENLINK;
    Initializer.GenericMapping = *GenericMapping;
    Initializer.ValidAccessMask = ValidAccessMask;
    Initializer.PoolType = NonPagedPool;
    Initializer.DefaultNonPagedPoolCharge = BodySize;
    Initializer.DeleteProcedure = DeleteProcedure;
    return ObCreateObjectType(&TypeName, &Initializer, NULL, ObjectType);
}

/* ---- create, open, query ---- */

NTSTATUS ExpCreateObject(KPROCESSOR_MODE PreviousMode, PHANDLE Handle, POBJECT_TYPE ObjectType,
                         POBJECT_ATTRIBUTES ObjectAttributes, ULONG BodySize, PVOID *Body)
{
    NTSTATUS Status;

    Status = ExProbeUserOutput(Handle, sizeof(HANDLE), sizeof(HANDLE), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    /* ObCreateObject probes and captures ObjectAttributes itself. */
    return ObCreateObject(PreviousMode, ObjectType, ObjectAttributes, PreviousMode, NULL, BodySize, 0, 0,
                          Body);
}

NTSTATUS ExpInsertObject(KPROCESSOR_MODE PreviousMode, PVOID Body, ACCESS_MASK DesiredAccess,
                         PHANDLE Handle)
{
    HANDLE NewHandle;
    NTSTATUS Status;

    Status = ObInsertObject(Body, NULL, DesiredAccess, 0, NULL, &NewHandle);
    /* A fault now (the caller unmapped the variable meanwhile) leaves the handle
       open and the status as it is, as in NT. */
    if (NT_SUCCESS(Status))
        (VOID)ExCopyToCaller(Handle, &NewHandle, sizeof(HANDLE), PreviousMode);
    return Status;
}

NTSTATUS ExpOpenObject(PHANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                       POBJECT_TYPE ObjectType)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    HANDLE NewHandle;
    NTSTATUS Status;

    Status = ExProbeUserOutput(Handle, sizeof(HANDLE), sizeof(HANDLE), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObOpenObjectByName(ObjectAttributes, ObjectType, PreviousMode, NULL, DesiredAccess, NULL,
                                &NewHandle);
    if (NT_SUCCESS(Status))
        (VOID)ExCopyToCaller(Handle, &NewHandle, sizeof(HANDLE), PreviousMode);
    return Status;
}

NTSTATUS ExpQueryObject(HANDLE Handle, POBJECT_TYPE ObjectType, ACCESS_MASK DesiredAccess,
                        ULONG InformationClass, PVOID Information, ULONG InformationLength,
                        PULONG ReturnLength, ULONG Length, PEXP_QUERY_ROUTINE Fill)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    UCHAR Buffer[16] __attribute__((aligned(8)));      /* the largest class: TIMER_BASIC_INFORMATION */
    PVOID Object;
    NTSTATUS Status;

    ASSERT(Length <= sizeof(Buffer));
    Status = ExProbeUserOutput(Information, InformationLength, sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExProbeUserOutput(ReturnLength, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Every one of these types has a single class, number 0 (XxxBasicInformation). */
    if (InformationClass != 0)
        return STATUS_INVALID_INFO_CLASS;
    if (InformationLength != Length)
        return STATUS_INFO_LENGTH_MISMATCH;

    Status = ObReferenceObjectByHandle(Handle, DesiredAccess, ObjectType, PreviousMode, &Object, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    memset(Buffer, 0, sizeof(Buffer));
    Fill(Object, Buffer);
    ObDereferenceObject(Object);

    Status = ExCopyToCaller(Information, Buffer, Length, PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExCopyToCaller(ReturnLength, &Length, sizeof(ULONG), PreviousMode);
    return Status;
}
