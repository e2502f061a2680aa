/*
 * iocon.c - self-test: the console's input path inside the kernel. Bytes enter
 * where the interrupts put them (IopConQueueInput for COM1's receiver,
 * IopConKeyboardInput for the keyboard's scan codes), go through the ring, the
 * DPC and the line discipline, and a reader waiting with a timeout gets them.
 *
 * The test types for itself: tools/qemu-run gives QEMU's serial port no input
 * in a test run, so the serial line is "typed" by a timer DPC, at DISPATCH_LEVEL
 * while this thread waits, through the same entry the IRQ 4 routine uses.
 */
#include <selftest.h>
#include <ke.h>
#include <kewait.h>
#include <rtl.h>
#include "../../kernel/io/console/con.h"     /* white box: types through IopConQueueInput */

#define KST_MS(Ms)  (-(LONGLONG)(Ms) * 10000)   /* relative, in 100 ns units */

static const char KstConTyped[] = "hello\r";
static KTIMER KstConTimer;
static KDPC KstConTypeDpc;

static VOID KstConTypeLine(PKDPC Dpc, PVOID Context, PVOID Argument1, PVOID Argument2)
{
    ULONG Index;

    (void)Dpc;
    (void)Context;
    (void)Argument1;
    (void)Argument2;
    for (Index = 0; KstConTyped[Index] != '\0'; Index++)
        IopConQueueInput((UCHAR)KstConTyped[Index]);
}

/* Reads with a timeout into a NUL-terminated buffer. */
static NTSTATUS KstConRead(char *Buffer, ULONG Size, LONGLONG Timeout, PULONG Count)
{
    LARGE_INTEGER Due;
    NTSTATUS Status;

    Due.QuadPart = Timeout;
    Status = IoReadConsoleInput((PUCHAR)Buffer, Size, KernelMode, &Due, Count);
    Buffer[*Count] = '\0';
    return Status;
}

static NTSTATUS KstConsoleRead(VOID)
{
    static const UCHAR ShiftHiEnter[] = { 0x2A, 0x23, 0xAA, 0x17, 0x97, 0x1C, 0x9C };
    char Buffer[32];
    LARGE_INTEGER Due;
    ULONG Count, Index;
    ULONG StartTicks;
    BOOLEAN Enabled;
    NTSTATUS Status;

    KST_CHECK(NT_SUCCESS(IoInitializeConsoleInput()));
    KST_CHECK(NT_SUCCESS(IoInitializeConsoleInput()));     /* a second call does nothing */

    /* Nothing typed: the read waits out its timeout and takes nothing. */
    StartTicks = KeTickCount;
    Status = KstConRead(Buffer, sizeof(Buffer) - 1, KST_MS(50), &Count);
    KST_CHECK(Status == STATUS_TIMEOUT);
    KST_CHECK(Count == 0);
    KST_CHECK(KeTickCount - StartTicks >= 4);

    /* A line "typed" on the serial port 30 ms from now; the reader is already
       waiting. It asks for 3 bytes, then gets the rest of the line. */
    KeInitializeTimer(&KstConTimer);
    KeInitializeDpc(&KstConTypeDpc, KstConTypeLine, NULL);
    Due.QuadPart = KST_MS(30);
    KeSetTimer(&KstConTimer, Due, &KstConTypeDpc);
    Status = KstConRead(Buffer, 3, KST_MS(2000), &Count);
    KeCancelTimer(&KstConTimer);
    KST_CHECK(Status == STATUS_SUCCESS);
    KST_CHECK(Count == 3 && strcmp(Buffer, "hel") == 0);
    Status = KstConRead(Buffer, sizeof(Buffer) - 1, KST_MS(100), &Count);
    KST_CHECK(Status == STATUS_SUCCESS);
    KST_CHECK(Count == 4 && strcmp(Buffer, "lo\r\n") == 0);

    /* The keyboard: Shift+H, I, Enter as scan codes, as IRQ 1 would deliver them
       (with interrupts off, as in the interrupt, since the keyboard state is its). */
    Enabled = KiDisableInterrupts();
    for (Index = 0; Index < sizeof(ShiftHiEnter); Index++)
        IopConKeyboardInput(ShiftHiEnter[Index]);
    KiRestoreInterrupts(Enabled);
    Status = KstConRead(Buffer, sizeof(Buffer) - 1, KST_MS(1000), &Count);
    KST_CHECK(Status == STATUS_SUCCESS);
    KST_CHECK(strcmp(Buffer, "Hi\r\n") == 0);

    /* Raw: a byte is readable as soon as it comes, with no Enter. */
    IoSetConsoleInputMode(TRUE);
    IopConQueueInput('x');
    Status = KstConRead(Buffer, sizeof(Buffer) - 1, KST_MS(1000), &Count);
    IoSetConsoleInputMode(FALSE);
    KST_CHECK(Status == STATUS_SUCCESS);
    KST_CHECK(strcmp(Buffer, "x") == 0);

    /* Nothing left behind for whoever reads next. */
    Status = KstConRead(Buffer, sizeof(Buffer) - 1, KST_MS(20), &Count);
    KST_CHECK(Status == STATUS_TIMEOUT);
    return STATUS_SUCCESS;
}
KSELFTEST(IO_CONSOLE_READ, KstConsoleRead);

/*
 * The same through the hardware: waits up to 10 s for "hello" and Enter typed on
 * COM1 for real, so through IRQ 4 and the UART's FIFO. It needs a run whose
 * serial port has input (tools/qemu-run --input types it at the prompt below), so
 * it runs only when named.
 */
static NTSTATUS KstConsoleSerial(VOID)
{
    char Buffer[32];
    ULONG Count;
    NTSTATUS Status;

    KST_CHECK(NT_SUCCESS(IoInitializeConsoleInput()));
    DbgPrint("    type a line on COM1 (10 s): waiting for serial input\n");
    Status = KstConRead(Buffer, sizeof(Buffer) - 1, KST_MS(10000), &Count);
    KST_CHECK(Status == STATUS_SUCCESS);
    KST_CHECK(strcmp(Buffer, "hello\r\n") == 0);
    return STATUS_SUCCESS;
}
KSELFTEST_ALONE(IO_CONSOLE_SERIAL, KstConsoleSerial);
