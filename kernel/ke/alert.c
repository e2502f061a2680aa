/*
 * alert.c - thread alerts (NT: KeAlertThread, KeTestAlertThread, in
 * ke\thredobj.c).
 *
 * An alert is a flag per processor mode, KTHREAD.Alerted[mode]. It ends an
 * alertable wait of that mode (a kernel-mode alert also ends a user-mode one)
 * with STATUS_ALERTED; a thread not in such a wait keeps the flag, and its next
 * alertable wait returns at once.
 */
#include "waitp.h"

BOOLEAN KeAlertThread(PKTHREAD Thread, KPROCESSOR_MODE AlertMode)
{
    KIRQL OldIrql = KiLockDispatcherDatabase();
    BOOLEAN WasAlerted = Thread->Alerted[(UCHAR)AlertMode];

    if (!WasAlerted) {
        if (Thread->State == Waiting && Thread->Alertable && AlertMode <= Thread->WaitMode)
            KiUnwaitThread(Thread, STATUS_ALERTED, ALERT_INCREMENT);
        else
            Thread->Alerted[(UCHAR)AlertMode] = TRUE;
    }
    KiUnlockDispatcherDatabase(OldIrql);
    return WasAlerted;
}

BOOLEAN KeTestAlertThread(KPROCESSOR_MODE AlertMode)
{
    PKTHREAD Thread = KeGetCurrentThread();
    KIRQL OldIrql = KiLockDispatcherDatabase();
    BOOLEAN WasAlerted = Thread->Alerted[(UCHAR)AlertMode];

    if (WasAlerted)
        Thread->Alerted[(UCHAR)AlertMode] = FALSE;
    else if (AlertMode == UserMode && !IsListEmpty(&Thread->ApcState.ApcListHead[UserMode]))
        Thread->ApcState.UserApcPending = TRUE;
    KiUnlockDispatcherDatabase(OldIrql);
    return WasAlerted;
}
