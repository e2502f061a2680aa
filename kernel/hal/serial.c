/*
 * serial.c - COM1, the 16550 UART: the debug output and, under QEMU, the console
 * a terminal sees (NT: the kdcom transport, without its debugger protocol).
 *
 * 115200 baud, 8 data bits, no parity, one stop bit, FIFOs on. Output polls the
 * transmitter; there is no interrupt-driven path, so it works from anywhere,
 * the bugcheck screen included.
 */
#include <hal.h>

#define COM1_BASE         0x3F8
#define UART_DATA         0     /* with DLAB: divisor low byte */
#define UART_INTERRUPT    1     /* with DLAB: divisor high byte */
#define UART_FIFO_CONTROL 2
#define UART_LINE_CONTROL 3
#define UART_MODEM_CONTROL 4
#define UART_LINE_STATUS  5

#define LCR_8N1           0x03
#define LCR_DLAB          0x80
#define FCR_ENABLE_CLEAR  0x07  /* enable FIFOs, clear both */
#define MCR_DTR_RTS_OUT2  0x0B
#define LSR_DATA_READY    0x01
#define LSR_THR_EMPTY     0x20

#define UART_CLOCK        115200
#define SERIAL_BAUD       115200

static BOOLEAN HalpSerialPresent;

VOID HalpInitializeSerial(VOID)
{
    USHORT Divisor = UART_CLOCK / SERIAL_BAUD;

    WRITE_PORT_UCHAR(COM1_BASE + UART_INTERRUPT, 0x00);
    WRITE_PORT_UCHAR(COM1_BASE + UART_LINE_CONTROL, LCR_DLAB);
    WRITE_PORT_UCHAR(COM1_BASE + UART_DATA, (UCHAR)(Divisor & 0xFF));
    WRITE_PORT_UCHAR(COM1_BASE + UART_INTERRUPT, (UCHAR)(Divisor >> 8));
    WRITE_PORT_UCHAR(COM1_BASE + UART_LINE_CONTROL, LCR_8N1);
    WRITE_PORT_UCHAR(COM1_BASE + UART_FIFO_CONTROL, FCR_ENABLE_CLEAR);
    WRITE_PORT_UCHAR(COM1_BASE + UART_MODEM_CONTROL, MCR_DTR_RTS_OUT2);

    /* A missing UART reads back 0xFF everywhere; never wait on one. */
    HalpSerialPresent = READ_PORT_UCHAR(COM1_BASE + UART_LINE_STATUS) != 0xFF;
}

VOID HalSerialPutByte(UCHAR Byte)
{
    ULONG Spins = 0;

    if (!HalpSerialPresent)
        return;
    while (!(READ_PORT_UCHAR(COM1_BASE + UART_LINE_STATUS) & LSR_THR_EMPTY)) {
        if (++Spins > 100000)
            return;             /* a stuck transmitter must not hang the kernel */
    }
    WRITE_PORT_UCHAR(COM1_BASE + UART_DATA, Byte);
}

BOOLEAN HalSerialGetByte(PUCHAR Byte)
{
    if (!HalpSerialPresent || !(READ_PORT_UCHAR(COM1_BASE + UART_LINE_STATUS) & LSR_DATA_READY))
        return FALSE;
    *Byte = READ_PORT_UCHAR(COM1_BASE + UART_DATA);
    return TRUE;
}
