/*
 * irql.c - interrupt request levels on the 8259 (NT: the HAL's KfRaiseIrql,
 * KfLowerIrql, HalRequestSoftwareInterrupt, HalBeginSystemInterrupt and
 * HalEndSystemInterrupt).
 *
 * KPCR.Irql is the current level. Levels above DISPATCH_LEVEL belong to devices:
 * raising to one masks, at the PIC, every line whose level is at or below it, so
 * an interrupt runs with its own line and the less urgent ones held back while
 * more urgent ones may still nest. APC_LEVEL and DISPATCH_LEVEL are software
 * interrupts: a request sets a bit in KPCR.IRR and the work runs when the level
 * drops below it - DPCs, quantum end and preemption at DISPATCH_LEVEL
 * (KiDispatchInterrupt), kernel APCs at APC_LEVEL (KiDeliverApc).
 */
#include <hal.h>
#include "../ke/ki.h"

#define HALP_SOFTWARE_INTERRUPTS ((1UL << APC_LEVEL) | (1UL << DISPATCH_LEVEL))

/* The level of each PIC line: the clock at CLOCK2_LEVEL, then IRQ 1 highest. */
KIRQL HalpIrqToIrql(ULONG Irq)
{
    return Irq == HAL_IRQ_CLOCK ? CLOCK2_LEVEL : (KIRQL)(PROFILE_LEVEL - Irq);
}

/* The lines each IRQL holds back, computed once (an interrupt needs two lookups). */
static ULONG HalpIrqlMaskTable[HIGH_LEVEL + 1];

VOID HalpInitializeIrqlMasks(VOID)
{
    ULONG Irql, Irq;

    for (Irql = DISPATCH_LEVEL + 1; Irql <= HIGH_LEVEL; Irql++) {
        for (Irq = 0; Irq < HAL_IRQ_COUNT; Irq++) {
            if (Irq != HAL_IRQ_CASCADE && HalpIrqToIrql(Irq) <= Irql)
                HalpIrqlMaskTable[Irql] |= 1UL << Irq;
        }
    }
}

/* The lines to hold back at Irql (besides the lines that are disabled). */
ULONG HalpIrqlMask(KIRQL Irql)
{
    return HalpIrqlMaskTable[Irql];
}

KIRQL KfRaiseIrql(KIRQL NewIrql)
{
    PKPCR Pcr = KeGetPcr();
    KIRQL OldIrql = Pcr->Irql;
    BOOLEAN Enabled;

    if (NewIrql < OldIrql)
        KeBugCheckEx(IRQL_NOT_GREATER_OR_EQUAL, OldIrql, NewIrql, 0, 0);
    if (NewIrql > DISPATCH_LEVEL) {
        Enabled = KiDisableInterrupts();
        HalpWritePicMask(Pcr->IDR | HalpIrqlMask(NewIrql));
        Pcr->Irql = NewIrql;
        KiRestoreInterrupts(Enabled);
    } else {
        Pcr->Irql = NewIrql;
    }
    return OldIrql;
}

KIRQL KeRaiseIrqlToDpcLevel(VOID)
{
    return KfRaiseIrql(DISPATCH_LEVEL);
}

VOID HalRequestSoftwareInterrupt(KIRQL RequestIrql)
{
    BOOLEAN Enabled = KiDisableInterrupts();
    KeGetPcr()->IRR |= 1UL << RequestIrql;
    KiRestoreInterrupts(Enabled);
    /* At a lower level already: take it now. */
    if (KeGetCurrentIrql() < RequestIrql)
        KfLowerIrql(KeGetCurrentIrql());
}

/*
 * Runs the software interrupts that NewIrql uncovers. Each runs at its own level
 * with interrupts on (the clock may still come), and a DPC or APC may ask for
 * another, so loop until none is left below the caller's level.
 */
static VOID HalpDispatchSoftwareInterrupts(PKPCR Pcr, KIRQL NewIrql)
{
    BOOLEAN Enabled = KiDisableInterrupts();

    for (;;) {
        if (NewIrql < DISPATCH_LEVEL && (Pcr->IRR & (1UL << DISPATCH_LEVEL))) {
            Pcr->IRR &= ~(1UL << DISPATCH_LEVEL);
            Pcr->Irql = DISPATCH_LEVEL;
            _enable();
            KiDispatchInterrupt();
            _disable();
            Pcr->Irql = NewIrql;
            continue;
        }
        if (NewIrql < APC_LEVEL && (Pcr->IRR & (1UL << APC_LEVEL))) {
            Pcr->IRR &= ~(1UL << APC_LEVEL);
            Pcr->Irql = APC_LEVEL;
            _enable();
            KiDeliverApc(KernelMode, NULL, NULL);
            _disable();
            Pcr->Irql = NewIrql;
            continue;
        }
        break;
    }
    KiRestoreInterrupts(Enabled);
}

VOID KfLowerIrql(KIRQL NewIrql)
{
    PKPCR Pcr = KeGetPcr();
    BOOLEAN Enabled;

    if (NewIrql > Pcr->Irql)
        KeBugCheckEx(IRQL_NOT_LESS_OR_EQUAL, Pcr->Irql, NewIrql, 0, 0);
    Enabled = KiDisableInterrupts();
    if (Pcr->Irql > DISPATCH_LEVEL)
        HalpWritePicMask(Pcr->IDR | HalpIrqlMask(NewIrql));
    Pcr->Irql = NewIrql;
    KiRestoreInterrupts(Enabled);
    if (Pcr->IRR & HALP_SOFTWARE_INTERRUPTS & ~((2UL << NewIrql) - 1))
        HalpDispatchSoftwareInterrupts(Pcr, NewIrql);
}
