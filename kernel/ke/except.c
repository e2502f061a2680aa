/*
 * except.c - the C half of kernel fault recovery (see KFAULT_RECOVERY in ketypes.h):
 * what NT's exception dispatcher does for kernel __try/__except blocks, reduced
 * to the one handler kind this kernel uses (execute the except block).
 */
#include <ke.h>
#include <kd.h>

PKFAULT_RECOVERY KiCurrentFaultRecovery(VOID)
{
    PVOID Head = KeGetPcr()->NtTib.ExceptionList;
    return Head == EXCEPTION_CHAIN_END ? NULL : (PKFAULT_RECOVERY)Head;
}

VOID KiClearFaultRecovery(PKFAULT_RECOVERY Recovery)
{
    PKPCR Pcr = KeGetPcr();

    /* Blocks end innermost first; anything else means the chain is corrupt. */
    if ((PVOID)Pcr->NtTib.ExceptionList != Recovery)
        KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG)STATUS_INVALID_UNWIND_TARGET,
                     (ULONG_PTR)Recovery, (ULONG_PTR)Pcr->NtTib.ExceptionList, 0);
    Pcr->NtTib.ExceptionList = (PEXCEPTION_REGISTRATION_RECORD)Recovery->Next;
}

VOID KiRaiseToFaultRecovery(NTSTATUS Status, ULONG_PTR Address)
{
    PKFAULT_RECOVERY Recovery = KiCurrentFaultRecovery();

    if (Recovery == NULL)
        KeBugCheckEx(KMODE_EXCEPTION_NOT_HANDLED, (ULONG)Status, Address, 0, 0);
    Recovery->ExceptionCode = Status;
    Recovery->ExceptionAddress = Address;
    KiResumeFaultRecovery(Recovery);
}
