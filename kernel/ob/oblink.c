/*
 * oblink.c - symbolic links (NT: NtCreateSymbolicLinkObject, NtOpenSymbolicLinkObject,
 * NtQuerySymbolicLinkObject, ObpParseSymbolicLink, ObpDeleteSymbolicLink in
 * ntos\ob\oblink.c).
 *
 * A link holds a target name. It is resolved by its type's parse procedure: when a
 * lookup reaches the link, the rest of the name is appended to the target and the
 * lookup starts again (STATUS_REPARSE), so "\DosDevices\C:" with \DosDevices -> \??
 * becomes "\??\C:". A lookup that asks for a link (the SymbolicLink type) and ends
 * on one gets the link itself. NT's drive-letter snapping (LinkTargetObject,
 * DosDeviceDriveIndex) is left out: links are always resolved by name.
 */
#include "obp.h"

#define OB_LINK_TARGET_TAG EX_POOL_TAG('O', 'b', 'S', 'l')

NTSTATUS ObpParseSymbolicLink(PVOID ParseObject, PVOID ObjectType, PACCESS_STATE AccessState,
                              KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                              PUNICODE_STRING RemainingName, PVOID Context,
                              PSECURITY_QUALITY_OF_SERVICE SecurityQos, PVOID *Object)
{
    POBJECT_SYMBOLIC_LINK Link = ParseObject;
    ULONG NewLength;
    NTSTATUS Status;
    PWSTR Buffer;

    UNREFERENCED_PARAMETER(AccessState);
    UNREFERENCED_PARAMETER(Attributes);
    UNREFERENCED_PARAMETER(Context);
    UNREFERENCED_PARAMETER(SecurityQos);
    *Object = NULL;

    /* The link itself, when it ends the name and the caller wants that type. */
    if (RemainingName->Length == 0 && ObjectType != NULL) {
        Status = ObReferenceObjectByPointer(ParseObject, 0, ObjectType, AccessMode);
        if (NT_SUCCESS(Status)) {
            *Object = ParseObject;
            return Status;
        }
        if (Status != STATUS_OBJECT_TYPE_MISMATCH)
            return Status;
    }

    /* Else the target followed by the rest of the name, looked up again. The rest
       lives in the old name's block, which the lookup frees after we return. */
    NewLength = (ULONG)Link->LinkTarget.Length + RemainingName->Length;
    if (NewLength > 0xFFFF - 1 - sizeof(WCHAR))
        return STATUS_NAME_TOO_LONG;
    Buffer = ExAllocatePoolWithTag(PagedPool, NewLength + sizeof(WCHAR), OB_NAME_TAG);
    if (Buffer == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memcpy(Buffer, Link->LinkTarget.Buffer, Link->LinkTarget.Length);
    memcpy((PUCHAR)Buffer + Link->LinkTarget.Length, RemainingName->Buffer, RemainingName->Length);
    Buffer[NewLength / sizeof(WCHAR)] = 0;
    CompleteName->Buffer = Buffer;
    CompleteName->Length = (USHORT)NewLength;
    CompleteName->MaximumLength = (USHORT)(NewLength + sizeof(WCHAR));
    RemainingName->Length = 0;
    return STATUS_REPARSE;
}

VOID ObpDeleteSymbolicLink(PVOID Object)
{
    POBJECT_SYMBOLIC_LINK Link = Object;

    if (Link->LinkTarget.Buffer != NULL)
        ExFreePoolWithTag(Link->LinkTarget.Buffer, OB_LINK_TARGET_TAG);
}

NTSTATUS NtCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                    POBJECT_ATTRIBUTES ObjectAttributes, PUNICODE_STRING LinkTarget)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    POBJECT_SYMBOLIC_LINK Link;
    UNICODE_STRING Target;
    NTSTATUS Status;
    HANDLE Handle;

    Status = ExProbeUserOutput(LinkHandle, sizeof(HANDLE), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExCaptureUserData(&Target, LinkTarget, sizeof(Target), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    /* NT's checks of the counted string. */
    if (Target.Length % sizeof(WCHAR) != 0 || Target.MaximumLength % sizeof(WCHAR) != 0 ||
        Target.Length > Target.MaximumLength || Target.MaximumLength == 0 ||
        Target.Length > 0xFFFF - 1 - sizeof(WCHAR) || (Target.Length != 0 && Target.Buffer == NULL))
        return STATUS_INVALID_PARAMETER;

    Status = ObCreateObject(PreviousMode, ObpSymbolicLinkObjectType, ObjectAttributes, PreviousMode, NULL,
                            sizeof(OBJECT_SYMBOLIC_LINK), 0, 0, (PVOID *)&Link);
    if (!NT_SUCCESS(Status))
        return Status;
    Link->LinkTarget.Buffer = ExAllocatePoolWithTag(PagedPool, Target.Length + sizeof(WCHAR), OB_LINK_TARGET_TAG);
    if (Link->LinkTarget.Buffer == NULL) {
        ObDereferenceObject(Link);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    Status = ExCaptureUserData(Link->LinkTarget.Buffer, Target.Buffer, Target.Length, sizeof(WCHAR), PreviousMode);
    if (!NT_SUCCESS(Status)) {
        ObDereferenceObject(Link);      /* the delete procedure frees the target */
        return Status;
    }
    Link->LinkTarget.Buffer[Target.Length / sizeof(WCHAR)] = 0;
    Link->LinkTarget.Length = Target.Length;
    Link->LinkTarget.MaximumLength = (USHORT)(Target.Length + sizeof(WCHAR));
    KeQuerySystemTime(&Link->CreationTime);

    Status = ObInsertObject(Link, NULL, DesiredAccess, 0, NULL, &Handle);
    if (NT_SUCCESS(Status))
        ObpWriteHandle(LinkHandle, Handle, PreviousMode);
    return Status;
}

NTSTATUS NtOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                  POBJECT_ATTRIBUTES ObjectAttributes)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    NTSTATUS Status;
    HANDLE Handle;

    Status = ExProbeUserOutput(LinkHandle, sizeof(HANDLE), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObOpenObjectByName(ObjectAttributes, ObpSymbolicLinkObjectType, PreviousMode, NULL, DesiredAccess,
                                NULL, &Handle);
    if (NT_SUCCESS(Status))
        ObpWriteHandle(LinkHandle, Handle, PreviousMode);
    return Status;
}

/*
 * NT's rule for the caller's buffer (LinkTarget->MaximumLength bytes at
 * LinkTarget->Buffer): with ReturnedLength, the target and its NUL must fit and are
 * copied, and *ReturnedLength gets their size; without it, the target alone must
 * fit. Otherwise STATUS_BUFFER_TOO_SMALL (and *ReturnedLength the size needed).
 */
NTSTATUS NtQuerySymbolicLinkObject(HANDLE LinkHandle, PUNICODE_STRING LinkTarget, PULONG ReturnedLength)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    POBJECT_SYMBOLIC_LINK Link;
    UNICODE_STRING Captured;
    ULONG Needed, Copy;
    NTSTATUS Status;

    Status = ExCaptureUserData(&Captured, LinkTarget, sizeof(Captured), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(LinkTarget, sizeof(*LinkTarget), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(Captured.Buffer, Captured.MaximumLength, sizeof(WCHAR), PreviousMode);
    if (NT_SUCCESS(Status) && ReturnedLength != NULL)
        Status = ExProbeUserOutput(ReturnedLength, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;

    Status = ObReferenceObjectByHandle(LinkHandle, SYMBOLIC_LINK_QUERY, ObpSymbolicLinkObjectType, PreviousMode,
                                       (PVOID *)&Link, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The target never changes after creation: no lock needed to read it. */
    Needed = Link->LinkTarget.MaximumLength;
    Copy = ReturnedLength != NULL ? Link->LinkTarget.MaximumLength : Link->LinkTarget.Length;
    if (Copy <= Captured.MaximumLength) {
        ExCopyToCaller(Captured.Buffer, Link->LinkTarget.Buffer, Copy, PreviousMode);
        ExCopyToCaller(&LinkTarget->Length, &Link->LinkTarget.Length, sizeof(USHORT), PreviousMode);
    } else {
        Status = STATUS_BUFFER_TOO_SMALL;
    }
    if (ReturnedLength != NULL)
        ExCopyToCaller(ReturnedLength, &Needed, sizeof(ULONG), PreviousMode);
    ObDereferenceObject(Link);
    return Status;
}
