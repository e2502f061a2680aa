/*
 * mutant.c - mutant objects, Win32's mutexes (NT: ExpMutantInitialization,
 * ExpDeleteMutant, NtCreateMutant, NtOpenMutant, NtReleaseMutant, NtQueryMutant in
 * ntos\ex\mutant.c). The body is a KMUTANT: it has an owner thread, a recursion
 * depth in its signal state, and is abandoned when its owner ends holding it.
 */
#include "exobjp.h"

POBJECT_TYPE ExMutantObjectType;

/* NT's ExpMutantMapping: there is no right to release; ownership is what counts. */
static const GENERIC_MAPPING ExpMutantMapping = {
    STANDARD_RIGHTS_READ | MUTANT_QUERY_STATE,
    STANDARD_RIGHTS_WRITE,
    STANDARD_RIGHTS_EXECUTE | SYNCHRONIZE,
    MUTANT_ALL_ACCESS
};

/*
 * The last reference is gone while a thread may still own it: release it
 * abandoned, which also takes it off the owner's KTHREAD.MutantListHead (else the
 * owner's end would touch freed memory). Nobody waits on it: a waiter holds a
 * reference. NT: ExpDeleteMutant.
 */
static VOID ExpDeleteMutant(PVOID Object)
{
    KeReleaseMutant(Object, MUTANT_INCREMENT, TRUE, FALSE);
}

NTSTATUS ExpMutantInitialization(VOID)
{
    return ExpCreateObjectType(u"Mutant", sizeof(KMUTANT), &ExpMutantMapping, MUTANT_ALL_ACCESS,
                               ExpDeleteMutant, &ExMutantObjectType);
}

/* InitialOwner TRUE: the calling thread owns it from the start (once). */
NTSTATUS NtCreateMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                        BOOLEAN InitialOwner)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PKMUTANT Mutant;
    NTSTATUS Status;

    Status = ExpCreateObject(PreviousMode, MutantHandle, ExMutantObjectType, ObjectAttributes, sizeof(KMUTANT),
                             (PVOID *)&Mutant);
    if (!NT_SUCCESS(Status))
        return Status;
    KeInitializeMutant(Mutant, InitialOwner != FALSE);
    /* With OBJ_OPENIF and the name taken, this mutant is deleted (ExpDeleteMutant
       gives up the ownership just taken) and the caller gets the existing one,
       not owned: NT's behaviour, which CreateMutex documents. */
    return ExpInsertObject(PreviousMode, Mutant, DesiredAccess, MutantHandle);
}

NTSTATUS NtOpenMutant(PHANDLE MutantHandle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes)
{
    return ExpOpenObject(MutantHandle, DesiredAccess, ObjectAttributes, ExMutantObjectType);
}

/*
 * Gives up one level of ownership. The handle needs no right at all (NT asks for
 * access 0): only the owner may release, and that is checked instead. A thread
 * that does not own it gets STATUS_MUTANT_NOT_OWNED, or STATUS_ABANDONED when it
 * was abandoned and nobody took it since (NT's choice: a success code that
 * released nothing). *PreviousCount gets the signal state before the release.
 */
NTSTATUS NtReleaseMutant(HANDLE MutantHandle, PLONG PreviousCount)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PKMUTANT Mutant;
    NTSTATUS Status;
    LONG Count;

    if (PreviousCount != NULL) {
        Status = ExProbeUserOutput(PreviousCount, sizeof(LONG), sizeof(LONG), PreviousMode);
        if (!NT_SUCCESS(Status))
            return Status;
    }
    Status = ObReferenceObjectByHandle(MutantHandle, 0, ExMutantObjectType, PreviousMode, (PVOID *)&Mutant,
                                       NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = KeReleaseMutantChecked(Mutant, MUTANT_INCREMENT, FALSE, FALSE, &Count);
    ObDereferenceObject(Mutant);
    /* Compared with STATUS_SUCCESS: STATUS_ABANDONED passes NT_SUCCESS. */
    if (Status == STATUS_SUCCESS && PreviousCount != NULL)
        (VOID)ExCopyToCaller(PreviousCount, &Count, sizeof(LONG), PreviousMode);
    return Status;
}

static VOID ExpQueryMutant(PVOID Object, PVOID Information)
{
    PKMUTANT Mutant = Object;
    PMUTANT_BASIC_INFORMATION Basic = Information;

    Basic->CurrentCount = KeReadStateMutant(Mutant);
    Basic->OwnedByCaller = Mutant->OwnerThread == KeGetCurrentThread();
    Basic->AbandonedState = Mutant->Abandoned;
}

NTSTATUS NtQueryMutant(HANDLE MutantHandle, MUTANT_INFORMATION_CLASS MutantInformationClass,
                       PVOID MutantInformation, ULONG MutantInformationLength, PULONG ReturnLength)
{
    return ExpQueryObject(MutantHandle, ExMutantObjectType, MUTANT_QUERY_STATE, MutantInformationClass,
                          MutantInformation, MutantInformationLength, ReturnLength,
                          sizeof(MUTANT_BASIC_INFORMATION), ExpQueryMutant);
}
