/*
 * hal.h - the hardware abstraction layer: the PC's 8259 PIC, 8253 PIT, CMOS clock,
 * COM1, the VGA text screen, and QEMU's debug-exit port. Everything else in the
 * kernel reaches hardware through these functions, which keeps the rest testable.
 */
#pragma once

#include <nt/ntdef.h>
#include <i386/ketypes.h>
#include <rtl.h>

/* ---- port I/O, NT's names ---- */

static inline UCHAR READ_PORT_UCHAR(USHORT Port)
{
    UCHAR Value;
    __asm__ volatile("inb %1, %0" : "=a"(Value) : "Nd"(Port));
    return Value;
}

static inline void WRITE_PORT_UCHAR(USHORT Port, UCHAR Value)
{
    __asm__ volatile("outb %0, %1" : : "a"(Value), "Nd"(Port));
}

/* ---- interrupts: the PIC's 16 lines arrive at vectors 0x30..0x3F, as in NT ---- */

#define PRIMARY_VECTOR_BASE 0x30
#define HAL_IRQ_COUNT       16
#define HAL_IRQ_CLOCK       0       /* PIT channel 0 */
#define HAL_IRQ_CASCADE     2
#define HAL_IRQ_COM1        4
#define HAL_IRQ_SPURIOUS_MASTER 7
#define HAL_IRQ_SPURIOUS_SLAVE  15

/* Returns TRUE when the interrupt was the device's (FALSE: not ours). */
typedef BOOLEAN (*PHAL_INTERRUPT_ROUTINE)(PKTRAP_FRAME TrapFrame, PVOID Context);

VOID HalpInitializePic(VOID);
NTSTATUS HalConnectInterrupt(ULONG Irq, PHAL_INTERRUPT_ROUTINE Routine, PVOID Context);
VOID HalEnableSystemInterrupt(ULONG Irq);
VOID HalDisableSystemInterrupt(ULONG Irq);
VOID HalpDispatchInterrupt(PKTRAP_FRAME TrapFrame, ULONG Irq);
VOID HalpWritePicMask(ULONG Mask);
KIRQL HalpIrqToIrql(ULONG Irq);          /* the IRQL of a PIC line (irql.c) */
ULONG HalpIrqlMask(KIRQL Irql);          /* the lines an IRQL holds back */
VOID HalpInitializeIrqlMasks(VOID);
extern volatile ULONG HalpSpuriousInterruptCount;

/* ---- clock (PIT channel 0) ---- */

#define HAL_CLOCK_HZ 100                /* ticks per second */
VOID HalpInitializeClock(VOID);         /* programs the PIT, connects KeUpdateSystemTime */

/* ---- the real-time clock (CMOS) ---- */

BOOLEAN HalQueryRealTimeClock(PTIME_FIELDS Time);

/* ---- COM1 ---- */

VOID HalpInitializeSerial(VOID);
VOID HalSerialPutByte(UCHAR Byte);
BOOLEAN HalSerialGetByte(PUCHAR Byte);  /* FALSE when nothing is waiting */

/* ---- VGA text screen ---- */

#define VGA_COLOR_BLUE       0x1
#define VGA_COLOR_LIGHT_GRAY 0x7
#define VGA_COLOR_WHITE      0xF
#define VGA_ATTRIBUTE(Fg, Bg) ((UCHAR)(((Bg) << 4) | (Fg)))

VOID HalpInitializeDisplay(VOID);
VOID HalDisplayString(PCSTR String);
VOID HalSetDisplayAttribute(UCHAR Attribute);
VOID HalClearDisplay(UCHAR Attribute);

/* ---- leaving the machine ---- */

/*
 * QEMU's isa-debug-exit device (-device isa-debug-exit,iobase=0xf4,iosize=0x04):
 * writing V makes QEMU exit with status V * 2 + 1. tools/qemu-run reads these three
 * values from this header, so they are defined only here.
 */
#define HAL_DEBUG_EXIT_PORT      0xF4
#define HAL_TEST_EXIT_SUCCESS    0x10   /* QEMU exits with 33 */
#define HAL_TEST_EXIT_FAILURE    0x11   /* QEMU exits with 35 */
#define HAL_TEST_EXIT_BUGCHECK   0x12   /* QEMU exits with 37 */

__attribute__((noreturn)) VOID HalpTestExit(UCHAR Code);
__attribute__((noreturn)) VOID HalHaltSystem(VOID);
LARGE_INTEGER KeQueryPerformanceCounter(PLARGE_INTEGER PerformanceFrequency); /* perfcnt.c: 1193182 Hz */
