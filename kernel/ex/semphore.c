/*
 * semphore.c - semaphore objects (NT: ExpSemaphoreInitialization, NtCreateSemaphore,
 * NtOpenSemaphore, NtReleaseSemaphore, NtQuerySemaphore in ntos\ex\semphore.c).
 * The body is a KSEMAPHORE: its signal state is the count, Limit its maximum.
 */
#include "exobjp.h"

POBJECT_TYPE ExSemaphoreObjectType;

/* NT's ExpSemaphoreMapping. */
static const GENERIC_MAPPING ExpSemaphoreMapping = {
    STANDARD_RIGHTS_READ | SEMAPHORE_QUERY_STATE,
    STANDARD_RIGHTS_WRITE | SEMAPHORE_MODIFY_STATE,
    STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
    SEMAPHORE_ALL_ACCESS
};

NTSTATUS ExpSemaphoreInitialization(VOID)
{
    return ExpCreateObjectType(u"Semaphore", sizeof(KSEMAPHORE), &ExpSemaphoreMapping, SEMAPHORE_ALL_ACCESS,
                               NULL, &ExSemaphoreObjectType);
}

NTSTATUS NtCreateSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                           LONG InitialCount, LONG MaximumCount)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PKSEMAPHORE Semaphore;
    NTSTATUS Status;

    if (MaximumCount <= 0 || InitialCount < 0 || InitialCount > MaximumCount)
        return STATUS_INVALID_PARAMETER;
    Status = ExpCreateObject(PreviousMode, SemaphoreHandle, ExSemaphoreObjectType, ObjectAttributes,
                             sizeof(KSEMAPHORE), (PVOID *)&Semaphore);
    if (!NT_SUCCESS(Status))
        return Status;
    KeInitializeSemaphore(Semaphore, InitialCount, MaximumCount);
    return ExpInsertObject(PreviousMode, Semaphore, DesiredAccess, SemaphoreHandle);
}

NTSTATUS NtOpenSemaphore(PHANDLE SemaphoreHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ExpOpenObject(SemaphoreHandle, DesiredAccess, ObjectAttributes, ExSemaphoreObjectType);
}

/*
 * Adds ReleaseCount (at least 1) to the count, waking as many waiters. A count
 * that would pass the maximum changes nothing: STATUS_SEMAPHORE_LIMIT_EXCEEDED,
 * and *PreviousCount is left alone.
 */
NTSTATUS NtReleaseSemaphore(HANDLE SemaphoreHandle, LONG ReleaseCount, PLONG PreviousCount)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PKSEMAPHORE Semaphore;
    NTSTATUS Status;
    LONG Count;

    if (ReleaseCount <= 0)
        return STATUS_INVALID_PARAMETER;
    if (PreviousCount != NULL) {
        Status = ExProbeUserOutput(PreviousCount, sizeof(LONG), sizeof(LONG), PreviousMode);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = ObReferenceObjectByHandle(SemaphoreHandle, SEMAPHORE_MODIFY_STATE, ExSemaphoreObjectType,
                                       PreviousMode, (PVOID *)&Semaphore, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = KeReleaseSemaphoreChecked(Semaphore, SEMAPHORE_INCREMENT, ReleaseCount, FALSE, &Count);
    ObDereferenceObject(Semaphore);
    /* A fault while storing the count is ignored, as NT does: the release happened. */
    if (NT_SUCCESS(Status) && PreviousCount != NULL)
        (VOID)ExCopyToCaller(PreviousCount, &Count, sizeof(LONG), PreviousMode);
    return Status;
}

static VOID ExpQuerySemaphore(PVOID Object, PVOID Information)
{
    PKSEMAPHORE Semaphore = Object;
    PSEMAPHORE_BASIC_INFORMATION Basic = Information;

    Basic->CurrentCount = KeReadStateSemaphore(Semaphore);
    Basic->MaximumCount = Semaphore->Limit;
}

NTSTATUS NtQuerySemaphore(HANDLE SemaphoreHandle, SEMAPHORE_INFORMATION_CLASS SemaphoreInformationClass,
                          PVOID SemaphoreInformation, ULONG SemaphoreInformationLength, PULONG ReturnLength)
{
    return ExpQueryObject(SemaphoreHandle, ExSemaphoreObjectType, SEMAPHORE_QUERY_STATE,
                          SemaphoreInformationClass, SemaphoreInformation, SemaphoreInformationLength,
                          ReturnLength, sizeof(SEMAPHORE_BASIC_INFORMATION), ExpQuerySemaphore);
}
