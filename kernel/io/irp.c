/*
 * irp.c - I/O request packets: allocating and freeing them, sending one to a
 * driver, and completing it (NT: IoAllocateIrp, IoFreeIrp, IofCallDriver,
 * IofCompleteRequest in ntos\io\iosubs.c).
 *
 * The stack locations follow the IRP in one non-paged block, as in NT; the current
 * location starts one past the last, so that IoGetNextIrpStackLocation is the first
 * driver's, and IoCallDriver moves down one for each driver it calls.
 */
#include "iop.h"

PIRP IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota)
{
    ULONG Size;
    PIRP Irp;

    UNREFERENCED_PARAMETER(ChargeQuota);    /* no quotas yet */
    if (StackSize < 1)
        return NULL;
    Size = sizeof(IRP) + StackSize * sizeof(IO_STACK_LOCATION);
    Irp = ExAllocatePoolWithTag(NonPagedPool, Size, IOP_IRP_TAG);
    if (Irp == NULL)
        return NULL;
    memset(Irp, 0, Size);
    Irp->Type = IO_TYPE_IRP;
    Irp->Size = (USHORT)Size;
    Irp->StackCount = StackSize;
    Irp->CurrentLocation = (CHAR)(StackSize + 1);
    Irp->Overlay.CurrentStackLocation = (PIO_STACK_LOCATION)(Irp + 1) + StackSize;
    return Irp;
}

VOID IoFreeIrp(PIRP Irp)
{
    ASSERT(Irp->Type == IO_TYPE_IRP);
    ExFreePoolWithTag(Irp, IOP_IRP_TAG);
}

NTSTATUS IoCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp)
{
    PIO_STACK_LOCATION Stack;

    /* A driver that passes an IRP on without a location left is a kernel bug:
       NT stops with NO_MORE_IRP_STACK_LOCATIONS (0x35), so does this. */
    if (Irp->CurrentLocation <= 1)
        KeBugCheckEx(0x35, (ULONG_PTR)Irp, 0, 0, 0);
    Irp->CurrentLocation--;
    Stack = --Irp->Overlay.CurrentStackLocation;
    Stack->DeviceObject = DeviceObject;
    return DeviceObject->DriverObject->MajorFunction[Stack->MajorFunction](DeviceObject, Irp);
}

VOID IoSetCompletionRoutine(PIRP Irp, PIO_COMPLETION_ROUTINE Routine, PVOID Context,
                            BOOLEAN InvokeOnSuccess, BOOLEAN InvokeOnError, BOOLEAN InvokeOnCancel)
{
    PIO_STACK_LOCATION Next = IoGetNextIrpStackLocation(Irp);

    Next->CompletionRoutine = Routine;
    Next->Context = Context;
    Next->Control = (UCHAR)((InvokeOnSuccess ? SL_INVOKE_ON_SUCCESS : 0) |
                            (InvokeOnError ? SL_INVOKE_ON_ERROR : 0) |
                            (InvokeOnCancel ? SL_INVOKE_ON_CANCEL : 0));
}

/*
 * Walks back up the stack: each location's completion routine (set by the driver
 * above it) runs as NT's does, and STATUS_MORE_PROCESSING_REQUIRED stops the walk
 * (that driver keeps the IRP). Then the requester's event is set. What NT does next
 * in the requester's thread by an APC (copy the status out, set the user's event,
 * free the IRP) the requester does itself here once it is woken (iosync.c), so a
 * driver may complete from any thread at IRQL <= DISPATCH_LEVEL. The priority boost
 * is not given (KeSetEvent's increment is EVENT_INCREMENT's 0 here).
 */
VOID IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost)
{
    PIO_STACK_LOCATION Stack;
    NTSTATUS Status;
    UCHAR Invoke;

    UNREFERENCED_PARAMETER(PriorityBoost);
    ASSERT(Irp->IoStatus.Status != STATUS_PENDING);
    while (Irp->CurrentLocation <= Irp->StackCount) {
        Stack = Irp->Overlay.CurrentStackLocation;
        Irp->CurrentLocation++;
        Irp->Overlay.CurrentStackLocation++;
        Invoke = NT_SUCCESS(Irp->IoStatus.Status) ? SL_INVOKE_ON_SUCCESS : SL_INVOKE_ON_ERROR;
        if (Stack->CompletionRoutine != NULL && (Stack->Control & Invoke)) {
            Status = Stack->CompletionRoutine(
                Irp->CurrentLocation <= Irp->StackCount ? Irp->Overlay.CurrentStackLocation->DeviceObject
                                                        : NULL,
                Irp, Stack->Context);
            if (Status == STATUS_MORE_PROCESSING_REQUIRED)
                return;
        }
    }
    if (Irp->UserEvent != NULL)
        KeSetEvent(Irp->UserEvent, 0, FALSE);
}
