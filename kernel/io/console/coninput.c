/*
 * coninput.c - the console's input in the kernel: interrupts to the line
 * discipline to a reader (NT: the part of i8042prt/kbdclass and serial.sys that
 * queues input, and the console's wait for it).
 *
 * The interrupt routines run at device IRQL, where the line discipline (which
 * echoes, so prints) has no business: they only put bytes in a small ring and
 * queue a DPC. The DPC, at DISPATCH_LEVEL, feeds the ring to the line
 * discipline and signals the event readers wait on when a line (or, raw, a
 * byte) is ready. Readers take from the line at DISPATCH_LEVEL, which on this
 * uniprocessor kernel is what keeps the DPC out meanwhile.
 */
#include "con.h"
#include "conp.h"
#include <hal.h>
#include <ke.h>
#include <kewait.h>
#include <kd.h>
#include <rtl.h>

/* Interrupts fill it, the DPC empties it; 64 bytes is a pasted line's worth at
   115200 baud before the DPC runs, which it does as soon as IRQL drops. */
#define CON_RING_SIZE 64
#define CON_ECHO_CHUNK 16
#define CON_RING_KEYBOARD 0x100     /* entry flag: a keyboard character, not a terminal byte */

typedef struct _CON_INPUT {
    CON_LINE Line;
    CON_KEYBOARD Keyboard;          /* touched only by the keyboard interrupt */
    USHORT Ring[CON_RING_SIZE];     /* a byte, | CON_RING_KEYBOARD for the keyboard's */
    ULONG RingHead;                 /* bytes ever put in (interrupts off) */
    ULONG RingTail;                 /* bytes ever taken out (by the DPC) */
    ULONG Dropped;                  /* the ring was full: a typist outran the DPC */
    KDPC Dpc;
    KEVENT Readable;                /* notification: set while a read would succeed */
    BOOLEAN Initialized;
} CON_INPUT;

static CON_INPUT IopConInput;

/* The echo goes where the console prints: COM1 and the screen, as DbgPrint's
   output does, but byte for byte: the line discipline's "\r\n" is already what a
   terminal wants, and KdpWriteString would make it "\r\r\n". */
static VOID IopConEchoToConsole(PVOID Context, PCSTR Bytes, ULONG Length)
{
    CHAR Chunk[CON_ECHO_CHUNK + 1];

    (void)Context;
    while (Length != 0) {
        ULONG Count = Length < CON_ECHO_CHUNK ? Length : CON_ECHO_CHUNK;
        BOOLEAN Enabled;
        ULONG Index;

        memcpy(Chunk, Bytes, Count);
        Chunk[Count] = '\0';
        Enabled = KiDisableInterrupts();    /* not inside another message */
        for (Index = 0; Index < Count; Index++)
            HalSerialPutByte((UCHAR)Chunk[Index]);
        HalDisplayString(Chunk);
        KiRestoreInterrupts(Enabled);
        Bytes += Count;
        Length -= Count;
    }
}

static VOID IopConQueue(USHORT Entry)
{
    BOOLEAN Enabled;

    if (!IopConInput.Initialized)
        return;                                 /* no DPC to run yet */
    Enabled = KiDisableInterrupts();            /* the two interrupts nest */
    if (IopConInput.RingHead - IopConInput.RingTail < CON_RING_SIZE) {
        IopConInput.Ring[IopConInput.RingHead % CON_RING_SIZE] = Entry;
        IopConInput.RingHead++;
    } else {
        IopConInput.Dropped++;
    }
    KiRestoreInterrupts(Enabled);
    KeInsertQueueDpc(&IopConInput.Dpc, NULL, NULL);
}

VOID IopConQueueInput(UCHAR Byte)
{
    IopConQueue(Byte);
}

VOID IopConKeyboardInput(UCHAR ScanCode)
{
    UCHAR Character;

    if (IopConTranslateScanCode(&IopConInput.Keyboard, ScanCode, &Character))
        IopConQueue(CON_RING_KEYBOARD | Character);
}

static VOID IopConInputDpc(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    (void)Dpc;
    (void)Context;
    (void)Argument1;
    (void)Argument2;

    for (;;) {
        BOOLEAN Enabled = KiDisableInterrupts();
        BOOLEAN Empty = IopConInput.RingTail == IopConInput.RingHead;
        USHORT Entry = IopConInput.Ring[IopConInput.RingTail % CON_RING_SIZE];

        if (!Empty)
            IopConInput.RingTail++;
        KiRestoreInterrupts(Enabled);
        if (Empty)
            break;
        /* A refused byte (full line) is dropped, as a console beeps and drops it. */
        if (Entry & CON_RING_KEYBOARD)
            IopConLineInputKey(&IopConInput.Line, (UCHAR)Entry);
        else
            IopConLineInput(&IopConInput.Line, (UCHAR)Entry);
    }
    if (IopConLineReadable(&IopConInput.Line))
        KeSetEvent(&IopConInput.Readable, 0, FALSE);
}

NTSTATUS IoInitializeConsoleInput(VOID)
{
    NTSTATUS Status;

    if (IopConInput.Initialized)
        return STATUS_SUCCESS;
    IopConInitializeLine(&IopConInput.Line, IopConEchoToConsole, NULL);
    IopConInitializeKeyboard(&IopConInput.Keyboard);
    KeInitializeDpc(&IopConInput.Dpc, IopConInputDpc, NULL);
    KeInitializeEvent(&IopConInput.Readable, NotificationEvent, FALSE);
    IopConInput.Initialized = TRUE;

    /* Either source alone makes a console: a machine without a PS/2 controller
       still has the serial line, and the reverse. */
    Status = IopConInitializeSerialInput();
    if (!NT_SUCCESS(Status))
        DbgPrint("Console: no serial input (%08lx)\n", (ULONG)Status);
    Status = IopConInitializeKeyboardPort();
    if (!NT_SUCCESS(Status))
        DbgPrint("Console: no keyboard input (%08lx)\n", (ULONG)Status);
    return STATUS_SUCCESS;
}

VOID IoSetConsoleInputMode(BOOLEAN Raw)
{
    KIRQL OldIrql;

    if (!IopConInput.Initialized)
        return;
    OldIrql = KeRaiseIrqlToDpcLevel();
    IopConSetLineMode(&IopConInput.Line, Raw);
    if (IopConLineReadable(&IopConInput.Line))
        KeSetEvent(&IopConInput.Readable, 0, FALSE);
    KeLowerIrql(OldIrql);
}

NTSTATUS IoReadConsoleInput(PUCHAR Buffer, ULONG Size, KPROCESSOR_MODE WaitMode, PLARGE_INTEGER Timeout,
                            PULONG BytesRead)
{
    *BytesRead = 0;
    if (!IopConInput.Initialized)
        return STATUS_NO_SUCH_DEVICE;      /* not connected yet */
    if (Size == 0)
        return STATUS_SUCCESS;

    for (;;) {
        KIRQL OldIrql = KeRaiseIrqlToDpcLevel();
        ULONG Count = IopConLineRead(&IopConInput.Line, Buffer, Size);
        NTSTATUS Status;

        /* Cleared while the DPC is held off, so a line that arrives after this
           sets it again and the wait below cannot miss it. */
        if (!IopConLineReadable(&IopConInput.Line))
            KeClearEvent(&IopConInput.Readable);
        KeLowerIrql(OldIrql);
        if (Count != 0) {
            *BytesRead = Count;
            return STATUS_SUCCESS;
        }
        /* Only readers take input, so a wake with nothing to read means another
           reader was first; the timeout then starts again (a known imprecision). */
        Status = KeWaitForSingleObject(&IopConInput.Readable, WaitMode == UserMode ? UserRequest : Executive,
                                       WaitMode, FALSE, Timeout);
        /* A user-mode wait that is not alertable ends early only for a thread that
           must run its user APCs: one being terminated (NT cancels its I/O). */
        if (Status == STATUS_TIMEOUT || Status == STATUS_USER_APC)
            return Status;
        if (!NT_SUCCESS(Status))
            return Status;
    }
}
