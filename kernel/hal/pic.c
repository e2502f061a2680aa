/*
 * pic.c - the two 8259 interrupt controllers and the dispatch of their 16 lines
 * (NT: the PIC half of halx86, HalEnableSystemInterrupt, the IRQ stubs).
 *
 * The controllers are remapped so IRQ n arrives at vector PRIMARY_VECTOR_BASE + n
 * (0x30..0x3F, NT's layout), clear of the processor's 32 exception vectors and of
 * the system-service vectors 0x2A..0x2E. Every line starts masked; connecting a
 * routine unmasks it. KPCR.IDR mirrors the mask, as in NT.
 */
#include <hal.h>
#include <ke.h>
#include <kd.h>


#define PIC1_COMMAND 0x20
#define PIC1_DATA    0x21
#define PIC2_COMMAND 0xA0
#define PIC2_DATA    0xA1

#define ICW1_INIT    0x10
#define ICW1_ICW4    0x01
#define ICW4_8086    0x01
#define OCW2_EOI     0x20    /* non-specific end of interrupt */
#define OCW3_READ_ISR 0x0B

typedef struct _HAL_INTERRUPT {
    PHAL_INTERRUPT_ROUTINE Routine;
    PVOID Context;
} HAL_INTERRUPT;

static HAL_INTERRUPT HalpInterrupts[HAL_IRQ_COUNT];
volatile ULONG HalpSpuriousInterruptCount;

/* Programs the PIC's mask registers (lines set are held back). */
VOID HalpWritePicMask(ULONG Mask)
{
    WRITE_PORT_UCHAR(PIC1_DATA, (UCHAR)(Mask & 0xFF));
    WRITE_PORT_UCHAR(PIC2_DATA, (UCHAR)(Mask >> 8));
}

/* The disabled lines (KPCR.IDR), plus what the current IRQL holds back. */
static VOID HalpWriteMask(ULONG Mask)
{
    KeGetPcr()->IDR = Mask;
    HalpWritePicMask(Mask | HalpIrqlMask(KeGetCurrentIrql()));
}

VOID HalpInitializePic(VOID)
{
    HalpInitializeIrqlMasks();
    /* ICW1..ICW4: edge triggered, cascaded, vectors at 0x30/0x38, slave on IRQ 2. */
    WRITE_PORT_UCHAR(PIC1_COMMAND, ICW1_INIT | ICW1_ICW4);
    WRITE_PORT_UCHAR(PIC2_COMMAND, ICW1_INIT | ICW1_ICW4);
    WRITE_PORT_UCHAR(PIC1_DATA, PRIMARY_VECTOR_BASE);
    WRITE_PORT_UCHAR(PIC2_DATA, PRIMARY_VECTOR_BASE + 8);
    WRITE_PORT_UCHAR(PIC1_DATA, 1 << HAL_IRQ_CASCADE);
    WRITE_PORT_UCHAR(PIC2_DATA, HAL_IRQ_CASCADE);
    WRITE_PORT_UCHAR(PIC1_DATA, ICW4_8086);
    WRITE_PORT_UCHAR(PIC2_DATA, ICW4_8086);

    /* Everything masked but the cascade line, which the slave needs. */
    HalpWriteMask(0xFFFF & ~(1UL << HAL_IRQ_CASCADE));
}

VOID HalEnableSystemInterrupt(ULONG Irq)
{
    BOOLEAN Enabled = KiDisableInterrupts();
    HalpWriteMask(KeGetPcr()->IDR & ~(1UL << Irq));
    KiRestoreInterrupts(Enabled);
}

VOID HalDisableSystemInterrupt(ULONG Irq)
{
    BOOLEAN Enabled = KiDisableInterrupts();
    HalpWriteMask(KeGetPcr()->IDR | (1UL << Irq));
    KiRestoreInterrupts(Enabled);
}

NTSTATUS HalConnectInterrupt(ULONG Irq, PHAL_INTERRUPT_ROUTINE Routine, PVOID Context)
{
    if (Irq >= HAL_IRQ_COUNT || Irq == HAL_IRQ_CASCADE || Routine == NULL)
        return STATUS_INVALID_PARAMETER;
    if (HalpInterrupts[Irq].Routine != NULL)
        return STATUS_OBJECT_NAME_COLLISION;    /* one routine per line: no sharing */

    HalpInterrupts[Irq].Context = Context;
    HalpInterrupts[Irq].Routine = Routine;
    HalEnableSystemInterrupt(Irq);
    return STATUS_SUCCESS;
}

/* Lines 7 and 15 can fire without a request behind them (the 8259's "spurious"
   interrupt); the in-service register tells. A spurious one gets no EOI from its
   own controller. */
static BOOLEAN HalpIsSpurious(ULONG Irq)
{
    if (Irq == HAL_IRQ_SPURIOUS_MASTER) {
        WRITE_PORT_UCHAR(PIC1_COMMAND, OCW3_READ_ISR);
        return (READ_PORT_UCHAR(PIC1_COMMAND) & 0x80) == 0;
    }
    if (Irq == HAL_IRQ_SPURIOUS_SLAVE) {
        WRITE_PORT_UCHAR(PIC2_COMMAND, OCW3_READ_ISR);
        if ((READ_PORT_UCHAR(PIC2_COMMAND) & 0x80) == 0) {
            WRITE_PORT_UCHAR(PIC1_COMMAND, OCW2_EOI);   /* the master did see the cascade */
            return TRUE;
        }
    }
    return FALSE;
}

static VOID HalpEndOfInterrupt(ULONG Irq)
{
    if (Irq >= 8)
        WRITE_PORT_UCHAR(PIC2_COMMAND, OCW2_EOI);
    WRITE_PORT_UCHAR(PIC1_COMMAND, OCW2_EOI);
}

/*
 * One interrupt (NT: HalBeginSystemInterrupt, the ISR, HalEndSystemInterrupt):
 * raise to the line's level (which masks it and every less urgent line), say EOI,
 * run the routine with interrupts on so that more urgent lines can nest, then
 * lower back - which is where queued DPCs, a quantum end or a preemption run, on
 * the way out of the interrupt.
 */
VOID HalpDispatchInterrupt(PKTRAP_FRAME TrapFrame, ULONG Irq)
{
    HAL_INTERRUPT *Interrupt = &HalpInterrupts[Irq];
    KIRQL OldIrql;
    BOOLEAN Handled;

    if (HalpIsSpurious(Irq)) {
        HalpSpuriousInterruptCount++;
        return;
    }
    OldIrql = KfRaiseIrql(HalpIrqToIrql(Irq));
    HalpEndOfInterrupt(Irq);
    _enable();
    Handled = Interrupt->Routine != NULL && Interrupt->Routine(TrapFrame, Interrupt->Context);
    _disable();
    if (!Handled)
        HalpSpuriousInterruptCount++;
    KfLowerIrql(OldIrql);
}
