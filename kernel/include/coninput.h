/*
 * coninput.h - the console's input (kernel/io/console): the keyboard (IRQ 1) and
 * COM1's receiver (IRQ 4) feed one line discipline, and readers wait for what it
 * hands out. The console device of the I/O manager reads through these.
 */
#pragma once

#include <nt/ntdef.h>

/* Connects the keyboard's and the serial port's interrupts to the console input.
   Phase 1, once; later calls do nothing. */
NTSTATUS IoInitializeConsoleInput(VOID);

/* Waits (up to Timeout, NT style: negative is relative, in 100 ns; NULL forever)
   until the console has input, then takes up to Size bytes: in cooked mode at
   most one line, ending "\r\n". STATUS_TIMEOUT with *BytesRead 0 when none came.
   WaitMode is the reader's: a read for user mode waits in user mode, so a thread
   being terminated leaves it (STATUS_USER_APC, nothing read) instead of staying
   until someone types. PASSIVE_LEVEL. */
NTSTATUS IoReadConsoleInput(PUCHAR Buffer, ULONG Size, KPROCESSOR_MODE WaitMode, PLARGE_INTEGER Timeout,
                            PULONG BytesRead);

/* Raw: every byte as it comes, no echo (ENABLE_LINE_INPUT and ENABLE_ECHO_INPUT
   both cleared, in console terms). FALSE: cooked, the default. */
VOID IoSetConsoleInputMode(BOOLEAN Raw);
