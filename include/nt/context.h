/*
 * context.h - CONTEXT, a thread's registers as user mode sees them (i386, NT's
 * layout, 0x2CC bytes): what NtContinue, NtGetContextThread, exception and APC
 * dispatch pass between kernel and user mode.
 */
#pragma once

#include <nt/ntdef.h>

#define CONTEXT_i386               0x00010000
#define CONTEXT_CONTROL            (CONTEXT_i386 | 0x01)  /* Ebp, Eip, SegCs, EFlags, Esp, SegSs */
#define CONTEXT_INTEGER            (CONTEXT_i386 | 0x02)  /* Edi, Esi, Ebx, Edx, Ecx, Eax */
#define CONTEXT_SEGMENTS           (CONTEXT_i386 | 0x04)  /* SegDs, SegEs, SegFs, SegGs */
#define CONTEXT_FLOATING_POINT     (CONTEXT_i386 | 0x08)
#define CONTEXT_DEBUG_REGISTERS    (CONTEXT_i386 | 0x10)
#define CONTEXT_EXTENDED_REGISTERS (CONTEXT_i386 | 0x20)
#define CONTEXT_FULL               (CONTEXT_CONTROL | CONTEXT_INTEGER | CONTEXT_SEGMENTS)

#define SIZE_OF_80387_REGISTERS    80
#define MAXIMUM_SUPPORTED_EXTENSION 512

typedef struct _FLOATING_SAVE_AREA {
    ULONG ControlWord;
    ULONG StatusWord;
    ULONG TagWord;
    ULONG ErrorOffset;
    ULONG ErrorSelector;
    ULONG DataOffset;
    ULONG DataSelector;
    UCHAR RegisterArea[SIZE_OF_80387_REGISTERS];
    ULONG Cr0NpxState;
} FLOATING_SAVE_AREA, *PFLOATING_SAVE_AREA;
C_ASSERT_SIZE(FLOATING_SAVE_AREA, 0x70);

typedef struct _CONTEXT {
    ULONG ContextFlags;             /* 0x000 */
    ULONG Dr0, Dr1, Dr2, Dr3, Dr6, Dr7;  /* 0x004 */
    FLOATING_SAVE_AREA FloatSave;   /* 0x01C */
    ULONG SegGs;                    /* 0x08C */
    ULONG SegFs;                    /* 0x090 */
    ULONG SegEs;                    /* 0x094 */
    ULONG SegDs;                    /* 0x098 */
    ULONG Edi;                      /* 0x09C */
    ULONG Esi;                      /* 0x0A0 */
    ULONG Ebx;                      /* 0x0A4 */
    ULONG Edx;                      /* 0x0A8 */
    ULONG Ecx;                      /* 0x0AC */
    ULONG Eax;                      /* 0x0B0 */
    ULONG Ebp;                      /* 0x0B4 */
    ULONG Eip;                      /* 0x0B8 */
    ULONG SegCs;                    /* 0x0BC */
    ULONG EFlags;                   /* 0x0C0 */
    ULONG Esp;                      /* 0x0C4 */
    ULONG SegSs;                    /* 0x0C8 */
    UCHAR ExtendedRegisters[MAXIMUM_SUPPORTED_EXTENSION]; /* 0x0CC: FXSAVE image */
} CONTEXT, *PCONTEXT;
C_ASSERT_OFFSET(CONTEXT, FloatSave, 0x01C);
C_ASSERT_OFFSET(CONTEXT, SegGs, 0x08C);
C_ASSERT_OFFSET(CONTEXT, Eax, 0x0B0);
C_ASSERT_OFFSET(CONTEXT, Eip, 0x0B8);
C_ASSERT_OFFSET(CONTEXT, Esp, 0x0C4);
C_ASSERT_OFFSET(CONTEXT, ExtendedRegisters, 0x0CC);
C_ASSERT_SIZE(CONTEXT, 0x2CC);
