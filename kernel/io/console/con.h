/*
 * con.h - the console input's private routines: the keyboard
 * (IRQ 1) and COM1's receiver (IRQ 4) feed one line discipline, and readers
 * wait for what it hands out (coninput.c, i8042.c, conserial.c).
 *
 * The routines the rest of the kernel calls are in kernel/include/coninput.h;
 * these are the console's own.
 */
#pragma once

#include <coninput.h>

/* The input routines the interrupts call (and the self-test, to type without
   hardware): a byte that is a character already (serial), and a keyboard scan
   code. Any IRQL. */
VOID IopConQueueInput(UCHAR Byte);
VOID IopConKeyboardInput(UCHAR ScanCode);

/* The hardware halves (i8042.c, conserial.c), called by IoInitializeConsoleInput. */
NTSTATUS IopConInitializeKeyboardPort(VOID);
NTSTATUS IopConInitializeSerialInput(VOID);
