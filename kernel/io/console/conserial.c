/*
 * conserial.c - COM1's receiver as console input: its interrupt, IRQ 4, hands
 * every byte that came to the console input (NT: the receive side of
 * serial.sys; kernel/hal/serial.c keeps the polled transmit side).
 *
 * serial.c programs the UART and leaves its interrupts off (IER = 0) with OUT2
 * set, which is what routes the UART's interrupt to the PIC on a PC. Here only
 * "received data available" is switched on; the transmitter stays polled.
 */
#include "con.h"
#include <hal.h>

#define COM1_BASE           0x3F8
#define UART_INTERRUPT_ENABLE 1
#define UART_INTERRUPT_ID   2       /* read */
#define UART_LINE_STATUS    5

#define IER_RECEIVED_DATA   0x01
#define IIR_NONE_PENDING    0x01
#define UART_DRAIN_LIMIT    64      /* the 16550's FIFO is 16; a few more arrive meanwhile */

static BOOLEAN IopConSerialInterrupt(PKTRAP_FRAME TrapFrame, PVOID Context)
{
    ULONG Count;
    UCHAR Byte;

    (void)TrapFrame;
    (void)Context;
    if (READ_PORT_UCHAR(COM1_BASE + UART_INTERRUPT_ID) & IIR_NONE_PENDING)
        return FALSE;
    /* Empty the FIFO: the UART raises its line again while data remains. */
    for (Count = 0; Count < UART_DRAIN_LIMIT && HalSerialGetByte(&Byte); Count++)
        IopConQueueInput(Byte);
    return TRUE;
}

NTSTATUS IopConInitializeSerialInput(VOID)
{
    NTSTATUS Status;
    ULONG Count;
    UCHAR Byte;

    /* No UART (the line status floats to 0xFF): nothing to connect. */
    if (READ_PORT_UCHAR(COM1_BASE + UART_LINE_STATUS) == 0xFF)
        return STATUS_NO_SUCH_DEVICE;
    Status = HalConnectInterrupt(HAL_IRQ_COM1, IopConSerialInterrupt, NULL);
    if (!NT_SUCCESS(Status))
        return Status;
    /* Bytes that came before anyone listened are still input. */
    for (Count = 0; Count < UART_DRAIN_LIMIT && HalSerialGetByte(&Byte); Count++)
        IopConQueueInput(Byte);
    WRITE_PORT_UCHAR(COM1_BASE + UART_INTERRUPT_ENABLE, IER_RECEIVED_DATA);
    return STATUS_SUCCESS;
}
