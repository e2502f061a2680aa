/*
 * bugcheck.c - the end of the road: KeBugCheckEx and the blue screen.
 *
 * Shows, on the VGA screen (white on blue) and on COM1, what NT shows: the stop
 * code with its name and four parameters, then what a developer needs next: the
 * registers of the trap that led here (when there was one) and a backtrace with
 * symbol names from the table embedded in the kernel. In test mode the machine
 * then leaves QEMU with the "bugcheck" status, so a test sees a crash at once
 * instead of waiting for its timeout.
 */
#include <ke.h>
#include <hal.h>
#include <kd.h>
#include <mm.h>
#include <rtl.h>

#define KI_BUGCHECK_MAX_FRAMES 24

extern BOOLEAN KdTestMode;
static volatile BOOLEAN KiBugCheckActive;

static const struct {
    ULONG Code;
    PCSTR Name;
} KiBugCheckNames[] = {
#define BUGCODE(Name, Value) { Value, #Name },
#include <nt/bugcodes.def>
#undef BUGCODE
};

static PCSTR KipBugCheckName(ULONG Code)
{
    ULONG Index;

    for (Index = 0; Index < RTL_NUMBER_OF(KiBugCheckNames); Index++) {
        if (KiBugCheckNames[Index].Code == Code)
            return KiBugCheckNames[Index].Name;
    }
    return "UNKNOWN_BUGCHECK_CODE";
}

/* Everything on the screen goes to COM1 too. */
static VOID KipPrint(PCSTR Format, ...) __attribute__((format(printf, 1, 2)));
static VOID KipPrint(PCSTR Format, ...)
{
    CHAR Buffer[256];
    va_list Args;

    va_start(Args, Format);
    RtlStringVPrintf(Buffer, sizeof(Buffer), Format, Args);
    va_end(Args);
    KdpSerialWriteString(Buffer);
    HalDisplayString(Buffer);
}

static BOOLEAN KipIsReadable(ULONG Address, ULONG Length)
{
    return Address >= KSEG0_BASE && MmIsRangeValid(Address, Length);
}

typedef struct _KI_BACKTRACE { ULONG Index; } KI_BACKTRACE;

static VOID KipPrintFrame(PVOID Context, ULONG Address)
{
    KI_BACKTRACE *Trace = Context;
    /* A return address points after the call; look up the call itself, so a call
       that ends a function (to a noreturn routine) is not put in the next one. */
    ULONG Lookup = Trace->Index ? Address - 1 : Address;
    ULONG Offset;
    PCSTR Name = KdLookupSymbol(Lookup, &Offset);

    if (Name)
        KipPrint("  #%-2lu %08lX %s+0x%lX\n", Trace->Index, Address, Name,
                 Offset + (Lookup != Address));
    else
        KipPrint("  #%-2lu %08lX\n", Trace->Index, Address);
    Trace->Index++;
}

static VOID KipPrintRegisters(const KTRAP_FRAME *Frame, ULONG Esp, ULONG Vector)
{
    KipPrint("Trap: %s (vector 0x%02lX), error code 0x%08lX\n",
                 KiTrapName(Vector), Vector, Frame->ErrCode);
    KipPrint("EAX=%08lX EBX=%08lX ECX=%08lX EDX=%08lX ESI=%08lX EDI=%08lX\n",
             Frame->Eax, Frame->Ebx, Frame->Ecx, Frame->Edx, Frame->Esi, Frame->Edi);
    KipPrint("EIP=%08lX ESP=%08lX EBP=%08lX EFL=%08lX CS=%04lX DS=%04lX ES=%04lX FS=%04lX\n",
             Frame->Eip, Esp, Frame->Ebp, Frame->EFlags, Frame->SegCs & 0xFFFF,
             Frame->SegDs & 0xFFFF, Frame->SegEs & 0xFFFF, Frame->SegFs & 0xFFFF);
}

__attribute__((noreturn))
static VOID KipBugCheck(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4,
                        const KTRAP_FRAME *Frame, ULONG Vector, ULONG Esp, ULONG Eip,
                        ULONG Ebp)
{
    KI_BACKTRACE Trace = { 0 };

    _disable();
    if (KiBugCheckActive) {
        /* A fault while painting the screen: say so on the wire and stop. */
        KdpSerialWriteString("\n*** recursive bugcheck ***\n");
        if (KdTestMode)
            HalpTestExit(HAL_TEST_EXIT_BUGCHECK);
        HalHaltSystem();
    }
    KiBugCheckActive = TRUE;

    HalClearDisplay(VGA_ATTRIBUTE(VGA_COLOR_WHITE, VGA_COLOR_BLUE));
    KdpSerialWriteString("\n");
    KipPrint("*** A problem has been detected and the kernel has been stopped.\n\n");
    KipPrint("%s\n\n", KipBugCheckName(Code));
    KipPrint("*** STOP: 0x%08lX (0x%08lX, 0x%08lX, 0x%08lX, 0x%08lX)\n\n",
             Code, (ULONG)P1, (ULONG)P2, (ULONG)P3, (ULONG)P4);

    if (Frame)
        KipPrintRegisters(Frame, Esp, Vector);
    KipPrint("CR0=%08lX CR2=%08lX CR3=%08lX CR4=%08lX TickCount=%lu\n\n",
             __readcr0(), __readcr2(), __readcr3(), __readcr4(), KeTickCount);

    KipPrint("Backtrace:\n");
    KdpWalkFrames(Eip, Ebp, KI_BUGCHECK_MAX_FRAMES, KipIsReadable, KipPrintFrame, &Trace);
    KipPrint("\n");

    if (KdTestMode) {
        KdpSerialWriteString("*** bugcheck: leaving QEMU (test mode)\n");
        HalpTestExit(HAL_TEST_EXIT_BUGCHECK);
    }
    KipPrint("System halted.\n");
    HalHaltSystem();
}

VOID KiBugCheckWithRegisters(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4,
                             const KTRAP_FRAME *TrapFrame, ULONG Vector, ULONG Esp)
{
    /* The walk starts at the trapping instruction and its frame. */
    KipBugCheck(Code, P1, P2, P3, P4, TrapFrame, Vector, Esp, TrapFrame->Eip, TrapFrame->Ebp);
}

VOID KiBugCheckWithTrapFrame(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4,
                             const KTRAP_FRAME *TrapFrame, ULONG Vector)
{
    KiBugCheckWithRegisters(Code, P1, P2, P3, P4, TrapFrame, Vector, KiTrapFrameEsp(TrapFrame));
}

VOID KeBugCheckEx(ULONG Code, ULONG_PTR P1, ULONG_PTR P2, ULONG_PTR P3, ULONG_PTR P4)
{
    /* No trap: the backtrace starts at our caller. */
    ULONG Ebp = (ULONG)(ULONG_PTR)__builtin_frame_address(0);
    const ULONG *Frame = (const ULONG *)(ULONG_PTR)Ebp;

    KipBugCheck(Code, P1, P2, P3, P4, NULL, 0, 0, Frame[1], Frame[0]);
}

VOID KeBugCheck(ULONG Code)
{
    KeBugCheckEx(Code, 0, 0, 0, 0);
}

VOID KiAssertFailed(PCSTR Expression, PCSTR File, ULONG Line)
{
    DbgPrint("*** Assertion failed: %s\n***   at %s:%lu\n", Expression, File, Line);
    /* What NT_ASSERT amounts to when no debugger catches it. */
    KeBugCheckEx(KERNEL_MODE_EXCEPTION_NOT_HANDLED, (ULONG)STATUS_ASSERTION_FAILURE,
                 (ULONG_PTR)__builtin_return_address(0), (ULONG_PTR)File, Line);
}
