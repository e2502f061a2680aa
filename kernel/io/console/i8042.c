/*
 * i8042.c - the PS/2 keyboard controller (NT: i8042prt): its interrupt, IRQ 1,
 * reads the scan code from the data port and hands it to the console input.
 *
 * The 8042 translates the keyboard's scan code set 2 into set 1, which is what
 * kbdmap.c reads; the BIOS leaves translation on, and initialization makes sure
 * of it along with the keyboard's interrupt. The mouse (the auxiliary port,
 * IRQ 12) is left alone, but its bytes can share the output buffer, so the
 * status register's AUX bit tells them apart.
 */
#include "con.h"
#include <hal.h>

#define I8042_DATA_PORT       0x60
#define I8042_STATUS_PORT     0x64  /* read */
#define I8042_COMMAND_PORT    0x64  /* write */

#define I8042_OUTPUT_FULL     0x01  /* a byte waits in the data port */
#define I8042_INPUT_FULL      0x02  /* the controller has not taken our last byte */
#define I8042_AUX_DATA        0x20  /* the waiting byte is the mouse's */

#define I8042_READ_CONFIG     0x20
#define I8042_WRITE_CONFIG    0x60
#define I8042_CONFIG_KBD_IRQ  0x01  /* interrupt on IRQ 1 when a key byte arrives */
#define I8042_CONFIG_TRANSLATE 0x40 /* set 2 -> set 1 */

#define HAL_IRQ_KEYBOARD      1
#define I8042_SPINS           100000 /* a missing or stuck controller must not hang boot */
#define I8042_FLUSH_LIMIT     32

static BOOLEAN IopI8042WaitInputEmpty(VOID)
{
    ULONG Spins;

    for (Spins = 0; Spins < I8042_SPINS; Spins++) {
        if (!(READ_PORT_UCHAR(I8042_STATUS_PORT) & I8042_INPUT_FULL))
            return TRUE;
    }
    return FALSE;
}

static BOOLEAN IopI8042WaitOutputFull(VOID)
{
    ULONG Spins;

    for (Spins = 0; Spins < I8042_SPINS; Spins++) {
        if (READ_PORT_UCHAR(I8042_STATUS_PORT) & I8042_OUTPUT_FULL)
            return TRUE;
    }
    return FALSE;
}

static BOOLEAN IopI8042Interrupt(PKTRAP_FRAME TrapFrame, PVOID Context)
{
    UCHAR Status = READ_PORT_UCHAR(I8042_STATUS_PORT);
    UCHAR Byte;

    (void)TrapFrame;
    (void)Context;
    if (!(Status & I8042_OUTPUT_FULL))
        return FALSE;
    Byte = READ_PORT_UCHAR(I8042_DATA_PORT);    /* reading it is what clears the line */
    if (!(Status & I8042_AUX_DATA))
        IopConKeyboardInput(Byte);
    return TRUE;
}

NTSTATUS IopConInitializeKeyboardPort(VOID)
{
    ULONG Flushed;
    UCHAR Config;

    /* With no controller the status port floats to 0xFF. */
    if (READ_PORT_UCHAR(I8042_STATUS_PORT) == 0xFF)
        return STATUS_NO_SUCH_DEVICE;

    /* Bytes left over from the firmware would be read as keys: drop them. The
       line is still masked, so nothing else reads the port now. */
    for (Flushed = 0; Flushed < I8042_FLUSH_LIMIT; Flushed++) {
        if (!(READ_PORT_UCHAR(I8042_STATUS_PORT) & I8042_OUTPUT_FULL))
            break;
        (void)READ_PORT_UCHAR(I8042_DATA_PORT);
    }

    if (!IopI8042WaitInputEmpty())
        return STATUS_DEVICE_BUSY;
    WRITE_PORT_UCHAR(I8042_COMMAND_PORT, I8042_READ_CONFIG);
    if (!IopI8042WaitOutputFull())
        return STATUS_DEVICE_BUSY;
    Config = READ_PORT_UCHAR(I8042_DATA_PORT);
    if ((Config & (I8042_CONFIG_KBD_IRQ | I8042_CONFIG_TRANSLATE)) !=
        (I8042_CONFIG_KBD_IRQ | I8042_CONFIG_TRANSLATE)) {
        Config |= I8042_CONFIG_KBD_IRQ | I8042_CONFIG_TRANSLATE;
        if (!IopI8042WaitInputEmpty())
            return STATUS_DEVICE_BUSY;
        WRITE_PORT_UCHAR(I8042_COMMAND_PORT, I8042_WRITE_CONFIG);
        if (!IopI8042WaitInputEmpty())
            return STATUS_DEVICE_BUSY;
        WRITE_PORT_UCHAR(I8042_DATA_PORT, Config);
    }
    return HalConnectInterrupt(HAL_IRQ_KEYBOARD, IopI8042Interrupt, NULL);
}
