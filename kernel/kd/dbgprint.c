/*
 * dbgprint.c - DbgPrint: formatted debug output to COM1 and the screen.
 *
 * Serial output turns "\n" into "\r\n" so a plain terminal shows it right. A
 * message is written with interrupts off, so an interrupt handler that prints
 * cannot cut another message in half.
 */
#include <kd.h>
#include <hal.h>
#include <ke.h>
#include <rtl.h>

#define KD_PRINT_BUFFER 512

VOID KdpSerialWriteString(PCSTR String)
{
    for (; *String; String++) {
        if (*String == '\n')
            HalSerialPutByte('\r');
        HalSerialPutByte((UCHAR)*String);
    }
}

VOID KdpWriteString(PCSTR String)
{
    BOOLEAN Enabled = KiDisableInterrupts();
    KdpSerialWriteString(String);
    HalDisplayString(String);
    KiRestoreInterrupts(Enabled);
}

ULONG vDbgPrint(PCSTR Format, va_list Args)
{
    CHAR Buffer[KD_PRINT_BUFFER];
    int Length = RtlStringVPrintf(Buffer, sizeof(Buffer), Format, Args);

    KdpWriteString(Buffer);
    if (Length >= (int)sizeof(Buffer))
        KdpWriteString("...[truncated]\n");
    return STATUS_SUCCESS;
}

ULONG DbgPrint(PCSTR Format, ...)
{
    va_list Args;
    ULONG Status;

    va_start(Args, Format);
    Status = vDbgPrint(Format, Args);
    va_end(Args);
    return Status;
}
