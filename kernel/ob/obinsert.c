/*
 * obinsert.c - making a new object visible: named in the namespace and/or reachable
 * through a handle (NT: ObInsertObject in ntos\ob\obinsert.c).
 *
 * References: the creation reference (ObCreateObject's) becomes the new handle's,
 * and ObjectPointerBias more are the caller's; with no handle asked for, the creation
 * reference stays the caller's. A name is one more reference, the directory entry's.
 * On failure the new object is deleted (its creator gives it up with the call).
 *
 * An insert without a handle is meant for unnamed objects (NT asserts that) and for
 * permanent named ones. A temporary object named that way keeps its name until
 * ObMakeTemporaryObject: only a last handle closing takes a temporary name away, and
 * it never had one.
 */
#include "obp.h"

NTSTATUS ObInsertObject(PVOID Object, PACCESS_STATE PassedAccessState, ACCESS_MASK DesiredAccess,
                        ULONG ObjectPointerBias, PVOID *NewObject, PHANDLE Handle)
{
    POBJECT_HEADER Header = OBJECT_TO_OBJECT_HEADER(Object);
    POBJECT_HEADER_NAME_INFO NameInfo = OBJECT_HEADER_TO_NAME_INFO(Header);
    POBJECT_CREATE_INFORMATION CreateInfo = Header->ObjectCreateInfo;
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    OB_OPEN_REASON OpenReason = ObCreateHandle;
    NTSTATUS Status = STATUS_SUCCESS, ReturnStatus;
    UNICODE_STRING LookupName;
    ACCESS_MASK Granted = 0;
    HANDLE NewHandle = NULL;
    PVOID Found = Object;
    BOOLEAN LookedUp = FALSE;
    ULONG Attributes, Bias;

    UNREFERENCED_PARAMETER(PassedAccessState);      /* no security reference monitor yet */
    if (NewObject != NULL)
        *NewObject = NULL;
    if (Handle != NULL)
        *Handle = NULL;
    if (!(Header->Flags & OB_FLAG_NEW_OBJECT) || CreateInfo == NULL)
        return STATUS_INVALID_PARAMETER;            /* inserted already: the caller's bug */
    Attributes = CreateInfo->Attributes;

    /* A name: look it up, taking it if it is free (see ObpLookupObjectName). The name
       info gets the last component; the full captured name goes. */
    if (NameInfo != NULL && NameInfo->Name.Buffer != NULL) {
        LookupName = NameInfo->Name;
        NameInfo->Name.Buffer = NULL;
        NameInfo->Name.Length = NameInfo->Name.MaximumLength = 0;
        Status = ObpLookupObjectName(CreateInfo->RootDirectory, &LookupName, Attributes, Header->Type,
                                     (Header->Flags & OB_FLAG_KERNEL_OBJECT) ? KernelMode : UserMode,
                                     CreateInfo->ParseContext, CreateInfo->SecurityQos, Object, &Found);
        ObpFreeObjectName(&LookupName);
        LookedUp = TRUE;
        if (NT_SUCCESS(Status) && Found != Object) {
            /* Taken. OBJ_OPENIF opens the one there if it is of the same type. */
            OpenReason = ObOpenHandle;
            if (!(Attributes & OBJ_OPENIF))
                Status = STATUS_OBJECT_NAME_COLLISION;
            else if (OBJECT_TO_OBJECT_HEADER(Found)->Type != Header->Type)
                Status = STATUS_OBJECT_TYPE_MISMATCH;
            else
                Status = STATUS_OBJECT_NAME_EXISTS;
            if (!NT_SUCCESS(Status))
                ObDereferenceObject(Found);
        }
        if (!NT_SUCCESS(Status)) {
            ObDereferenceObject(Object);
            return Status;
        }
    }
    ReturnStatus = Status;

    if (Found == Object) {
        if (LookedUp)
            ObDereferenceObject(Object);    /* the lookup's; a directory entry keeps its own */
        ObpLock();
        Header->Flags &= ~OB_FLAG_NEW_OBJECT;
        Header->ObjectCreateInfo = NULL;
        ObpUnlock();
        ExFreePoolWithTag(CreateInfo, OB_CREATE_INFO_TAG);
    } else {
        ObDereferenceObject(Object);        /* the new one goes; Found has the lookup's reference */
    }

    /* The caller's extra references, before a handle makes the object reachable. */
    for (Bias = 0; Bias < ObjectPointerBias; Bias++)
        ObfReferenceObject(Found);
    if (Handle != NULL) {
        Status = ObpGrantAccess(OBJECT_TO_OBJECT_HEADER(Found)->Type, DesiredAccess, PreviousMode, &Granted);
        if (NT_SUCCESS(Status))
            Status = ObpCreateHandle(OpenReason, Found, NULL, Granted, Attributes, PreviousMode, &NewHandle);
        if (!NT_SUCCESS(Status)) {
            for (Bias = 0; Bias < ObjectPointerBias; Bias++)
                ObDereferenceObject(Found);
            if (Found == Object)
                ObpDeleteNameCheck(Object);     /* a new object loses the name it just got */
            ObDereferenceObject(Found);
            return Status;
        }
        *Handle = NewHandle;
    }
    if (NewObject != NULL)
        *NewObject = Found;
    return ReturnStatus;
}
