/*
 * idt.c - the interrupt descriptor table (NT: KiInitializeIdt / the IDT in the PCR).
 *
 * Every vector gets an interrupt gate to its stub in trap.asm (KiTrapStubTable), so
 * nothing can arrive at an empty entry. Interrupt gates, not trap gates, as in NT:
 * interrupts are off when a handler starts, and it decides when to turn them on.
 * The breakpoint (3) and overflow (4) vectors are DPL 3, so INT 3 and INTO work in
 * user mode; every other vector raised by INT n from ring 3 is a #GP instead.
 * The double fault (8) is a task gate to KGDT_DF_TSS (see gdt.c).
 */
#include <ke.h>

extern const ULONG KiTrapStubTable[MAXIMUM_IDTVECTOR + 1];

static KIDTENTRY KiIdt[MAXIMUM_IDTVECTOR + 1] __attribute__((aligned(8)));

#define KI_VECTOR_DOUBLE_FAULT 8

static VOID KipSetGate(ULONG Vector, ULONG Handler, USHORT Selector, USHORT Access)
{
    KiIdt[Vector].Offset = (USHORT)(Handler & 0xFFFF);
    KiIdt[Vector].ExtendedOffset = (USHORT)(Handler >> 16);
    KiIdt[Vector].Selector = Selector;
    KiIdt[Vector].Access = Access;
}

/* Lets a later part of the kernel (system-service entry, ...) own a vector. */
VOID KeSetIdtGate(ULONG Vector, PVOID Handler, BOOLEAN UserAccessible)
{
    KipSetGate(Vector, (ULONG)(ULONG_PTR)Handler, KGDT_R0_CODE,
               KIDT_ACCESS_INTERRUPT_GATE | (UserAccessible ? KIDT_ACCESS_DPL3 : 0));
}

VOID KiInitializeIdt(VOID)
{
    struct __attribute__((packed)) { USHORT Limit; ULONG Base; } Idtr;
    ULONG Vector;

    for (Vector = 0; Vector <= MAXIMUM_IDTVECTOR; Vector++)
        KipSetGate(Vector, KiTrapStubTable[Vector], KGDT_R0_CODE, KIDT_ACCESS_INTERRUPT_GATE);

    KiIdt[3].Access |= KIDT_ACCESS_DPL3;    /* INT 3 */
    KiIdt[4].Access |= KIDT_ACCESS_DPL3;    /* INTO */
    KipSetGate(KI_VECTOR_DOUBLE_FAULT, 0, KGDT_DF_TSS, KIDT_ACCESS_TASK_GATE);

    KeGetPcr()->IDT = KiIdt;
    Idtr.Limit = sizeof(KiIdt) - 1;
    Idtr.Base = (ULONG)(ULONG_PTR)KiIdt;
    __asm__ volatile("lidt %0" : : "m"(Idtr));
}
