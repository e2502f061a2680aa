/*
 * ketypes.h - the i386 structures the processor and our assembly share with C:
 * selectors, descriptors, the TSS, the KTRAP_FRAME and the KPCR/KPRCB.
 *
 * Layouts are NT's (i386, XP/2003) and every offset that NT documents or that our
 * assembly uses is pinned below with C_ASSERT_OFFSET. The assembly never types an
 * offset itself: kernel/ke/i386/asmdefs.c turns these structures into asmdefs.inc.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntexcept.h>    /* NT_TIB, EXCEPTION_CHAIN_END */

/*
 * The GDT, in NT's order. SYSENTER/SYSEXIT derive the other selectors from
 * SYSENTER_CS (KGDT_R0_CODE): SS = CS + 8, user CS = CS + 16, user SS = CS + 24,
 * which is why ring 0 code/data and ring 3 code/data must sit side by side.
 */
#define KGDT_NULL       0x00
#define KGDT_R0_CODE    0x08
#define KGDT_R0_DATA    0x10
#define KGDT_R3_CODE    0x18
#define KGDT_R3_DATA    0x20
#define KGDT_TSS        0x28
#define KGDT_R0_PCR     0x30    /* fs in kernel mode: the KPCR */
#define KGDT_R3_TEB     0x38    /* fs in user mode: the current thread's TEB */
#define KGDT_VDM_TILE   0x40    /* unused here, kept so the numbering is NT's */
#define KGDT_LDT        0x48    /* unused here */
#define KGDT_DF_TSS     0x50    /* task gate target for double faults */
#define KGDT_NMI_TSS    0x58    /* unused here */
#define KGDT_NUMBER     12      /* entries */

#define RPL_MASK        0x3     /* requested privilege level bits of a selector */
#define MODE_MASK       0x1     /* CS & MODE_MASK: 0 kernel, 1 user */

/* EFLAGS bits */
#define EFLAGS_CF       0x00000001
#define EFLAGS_TF       0x00000100
#define EFLAGS_IF       0x00000200
#define EFLAGS_DF       0x00000400
#define EFLAGS_NT       0x00004000
#define EFLAGS_RF       0x00010000
#define EFLAGS_V86_MASK 0x00020000
#define EFLAGS_ID       0x00200000
#define EFLAGS_INTERRUPT_MASK EFLAGS_IF

/* CR0 / CR4 bits */
#define CR0_PE 0x00000001
#define CR0_MP 0x00000002
#define CR0_EM 0x00000004
#define CR0_TS 0x00000008
#define CR0_NE 0x00000020
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000
#define CR4_PSE 0x00000010
#define CR4_PGE 0x00000080

/* A segment descriptor (8 bytes), NT's KGDTENTRY. */
typedef struct _KGDTENTRY {
    USHORT LimitLow;
    USHORT BaseLow;
    UCHAR BaseMid;
    UCHAR Flags1;       /* type, S, DPL, P */
    UCHAR Flags2;       /* limit 19:16, AVL, D/B, G */
    UCHAR BaseHi;
} KGDTENTRY, *PKGDTENTRY;
C_ASSERT_SIZE(KGDTENTRY, 8);

/* An IDT gate (8 bytes), NT's KIDTENTRY. */
typedef struct _KIDTENTRY {
    USHORT Offset;
    USHORT Selector;
    USHORT Access;      /* P, DPL, type (0x8E00 interrupt gate, 0x8500 task gate) */
    USHORT ExtendedOffset;
} KIDTENTRY, *PKIDTENTRY;
C_ASSERT_SIZE(KIDTENTRY, 8);

/* Descriptor access bytes */
#define KGDT_ACCESS_CODE_R0  0x9A   /* present, DPL 0, code, readable */
#define KGDT_ACCESS_DATA_R0  0x92   /* present, DPL 0, data, writable */
#define KGDT_ACCESS_CODE_R3  0xFA
#define KGDT_ACCESS_DATA_R3  0xF2
#define KGDT_ACCESS_TSS      0x89   /* present, DPL 0, available 32-bit TSS */
#define KGDT_GRANULARITY_4K  0xC0   /* G = 1 (4 KB units), D/B = 1 (32-bit) */
#define KGDT_GRANULARITY_1B  0x40   /* G = 0 (bytes), D/B = 1 */

#define KIDT_ACCESS_INTERRUPT_GATE 0x8E00   /* present, DPL 0, 32-bit interrupt gate */
#define KIDT_ACCESS_TASK_GATE      0x8500   /* present, DPL 0, task gate */
#define KIDT_ACCESS_DPL3           0x6000   /* reachable with INT n from ring 3 */

#define MAXIMUM_IDTVECTOR 0xFF

/*
 * The task-state segment, NT's KTSS. The kernel uses one TSS for Esp0/Ss0 (the
 * stack a ring 3 -> ring 0 transition loads) and a second one for double faults.
 * IoMapBase points past the limit: ring 3 gets no I/O ports.
 */
typedef struct _KTSS {
    USHORT Backlink;    /* 0x00 */
    USHORT Reserved0;
    ULONG Esp0;         /* 0x04 */
    USHORT Ss0;         /* 0x08 */
    USHORT Reserved1;
    ULONG NotUsed1[4];  /* 0x0C: Esp1, Ss1, Esp2, Ss2 */
    ULONG CR3;          /* 0x1C */
    ULONG Eip;          /* 0x20 */
    ULONG EFlags;       /* 0x24 */
    ULONG Eax;          /* 0x28 */
    ULONG Ecx;          /* 0x2C */
    ULONG Edx;          /* 0x30 */
    ULONG Ebx;          /* 0x34 */
    ULONG Esp;          /* 0x38 */
    ULONG Ebp;          /* 0x3C */
    ULONG Esi;          /* 0x40 */
    ULONG Edi;          /* 0x44 */
    USHORT Es, Reserved2;   /* 0x48 */
    USHORT Cs, Reserved3;   /* 0x4C */
    USHORT Ss, Reserved4;   /* 0x50 */
    USHORT Ds, Reserved5;   /* 0x54 */
    USHORT Fs, Reserved6;   /* 0x58 */
    USHORT Gs, Reserved7;   /* 0x5C */
    USHORT LDT, Reserved8;  /* 0x60 */
    USHORT Flags;           /* 0x64: bit 0 = debug trap on task switch */
    USHORT IoMapBase;       /* 0x66 */
} KTSS, *PKTSS;
C_ASSERT_OFFSET(KTSS, Esp0, 0x04);
C_ASSERT_OFFSET(KTSS, CR3, 0x1C);
C_ASSERT_OFFSET(KTSS, Eip, 0x20);
C_ASSERT_OFFSET(KTSS, IoMapBase, 0x66);
C_ASSERT_SIZE(KTSS, 0x68);

/*
 * KTRAP_FRAME: what every entry into the kernel (exception, interrupt, and later
 * INT 2E / SYSENTER) leaves on the kernel stack, in NT's layout (0x8C bytes).
 * The processor pushes Eip..HardwareSegSs (the last two only on a ring change);
 * our stubs push ErrCode (a zero when the CPU pushes none) and everything below it.
 * DbgEbp/DbgEip imitate a call frame, so a stack walk passes through a trap.
 */
typedef struct _KTRAP_FRAME {
    ULONG DbgEbp;               /* 0x00: caller's EBP, as if the trap were a call */
    ULONG DbgEip;               /* 0x04: the trapping EIP, as a return address */
    ULONG DbgArgMark;           /* 0x08 */
    ULONG DbgArgPointer;        /* 0x0C: system calls: the caller's argument pointer */
    ULONG TempSegCs;            /* 0x10: used when a frame is edited (NtContinue) */
    ULONG TempEsp;              /* 0x14 */
    ULONG Dr0, Dr1, Dr2, Dr3;   /* 0x18 */
    ULONG Dr6, Dr7;             /* 0x28 */
    ULONG SegGs;                /* 0x30 */
    ULONG SegEs;                /* 0x34 */
    ULONG SegDs;                /* 0x38 */
    ULONG Edx;                  /* 0x3C */
    ULONG Ecx;                  /* 0x40 */
    ULONG Eax;                  /* 0x44 */
    ULONG PreviousPreviousMode; /* 0x48: system calls only */
    ULONG ExceptionList;        /* 0x4C: KPCR.NtTib.ExceptionList at entry */
    ULONG SegFs;                /* 0x50 */
    ULONG Edi;                  /* 0x54 */
    ULONG Esi;                  /* 0x58 */
    ULONG Ebx;                  /* 0x5C */
    ULONG Ebp;                  /* 0x60 */
    ULONG ErrCode;              /* 0x64 */
    ULONG Eip;                  /* 0x68 */
    ULONG SegCs;                /* 0x6C */
    ULONG EFlags;               /* 0x70 */
    ULONG HardwareEsp;          /* 0x74: only when entered from ring 3 */
    ULONG HardwareSegSs;        /* 0x78: only when entered from ring 3 */
    ULONG V86Es, V86Ds, V86Fs, V86Gs;   /* 0x7C: only from virtual-8086 mode */
} KTRAP_FRAME, *PKTRAP_FRAME;
C_ASSERT_OFFSET(KTRAP_FRAME, DbgEbp, 0x00);
C_ASSERT_OFFSET(KTRAP_FRAME, SegGs, 0x30);
C_ASSERT_OFFSET(KTRAP_FRAME, Edx, 0x3C);
C_ASSERT_OFFSET(KTRAP_FRAME, Eax, 0x44);
C_ASSERT_OFFSET(KTRAP_FRAME, PreviousPreviousMode, 0x48);
C_ASSERT_OFFSET(KTRAP_FRAME, ExceptionList, 0x4C);
C_ASSERT_OFFSET(KTRAP_FRAME, SegFs, 0x50);
C_ASSERT_OFFSET(KTRAP_FRAME, Ebp, 0x60);
C_ASSERT_OFFSET(KTRAP_FRAME, ErrCode, 0x64);
C_ASSERT_OFFSET(KTRAP_FRAME, Eip, 0x68);
C_ASSERT_OFFSET(KTRAP_FRAME, HardwareEsp, 0x74);
C_ASSERT_SIZE(KTRAP_FRAME, 0x8C);

/* The part of a KTRAP_FRAME the processor does not fill in on a same-ring trap. */
#define KTRAP_FRAME_LENGTH        sizeof(KTRAP_FRAME)
#define KTRAP_FRAME_V86_EXTRA     (4 * sizeof(ULONG))
#define KTRAP_FRAME_RING3_EXTRA   (2 * sizeof(ULONG))

/*
 * KTRAP_FRAME.ErrCode of a system-call frame is 0; NtContinue, user APC delivery
 * and callbacks set it to KI_FRAME_EDITED when they changed the frame: the exit
 * must then restore every register (IRETD), not take the SYSEXIT shortcut.
 */
#define KI_FRAME_EDITED 1

/* Was this frame built by a trap from user mode? */
#define KiUserTrap(TrapFrame) (((TrapFrame)->SegCs & MODE_MASK) != KernelMode)

/* The stack pointer at the moment of the trap (a same-ring trap pushes no ESP). */
static inline ULONG KiTrapFrameEsp(const KTRAP_FRAME *TrapFrame)
{
    if (KiUserTrap(TrapFrame))
        return TrapFrame->HardwareEsp;
    return (ULONG)(ULONG_PTR)&TrapFrame->HardwareEsp;
}

/* NT_TIB, the head of both the KPCR (kernel fs) and the TEB (user fs), is
   include/nt/ntexcept.h's: user mode reads the same layout. */

struct _KTHREAD;

/*
 * KPRCB: the per-processor control block. The first fields are NT's (CurrentThread
 * at 0x4 is what "mov eax, fs:[124h]" reads); NT keeps its processor state next,
 * and from CpuFeatures on the fields are this kernel's own.
 */
typedef struct _KPRCB {
    USHORT MinorVersion;            /* 0x00 */
    USHORT MajorVersion;            /* 0x02 */
    struct _KTHREAD *CurrentThread; /* 0x04 */
    struct _KTHREAD *NextThread;    /* 0x08 */
    struct _KTHREAD *IdleThread;    /* 0x0C */
    CHAR Number;                    /* 0x10: processor number */
    CHAR Reserved;
    USHORT BuildType;               /* 0x12 */
    KAFFINITY SetMember;            /* 0x14 */
    CHAR CpuType;                   /* 0x18: family */
    CHAR CpuID;                     /* 0x19: TRUE when CPUID exists */
    USHORT CpuStep;                 /* 0x1A: model << 8 | stepping */
    /* --- from here on, this kernel's own fields --- */
    LIST_ENTRY DpcListHead;         /* queued KDPCs */
    ULONG DpcQueueDepth;
    BOOLEAN QuantumEnd;             /* the clock ended the running thread's quantum */
    BOOLEAN DpcRoutineActive;
    UCHAR Spare[2];
    struct _KTHREAD *NpxThread;     /* whose registers the FPU holds, or NULL */
    ULONG FeatureBits;              /* KF_* bits decided at boot */
    ULONG CpuidEdx;                 /* CPUID.1:EDX as read at boot */
    ULONG CpuidEcx;                 /* CPUID.1:ECX */
    CHAR VendorString[13];          /* "GenuineIntel", "AuthenticAMD", ... */
} KPRCB, *PKPRCB;
C_ASSERT_OFFSET(KPRCB, CurrentThread, 0x04);
C_ASSERT_OFFSET(KPRCB, Number, 0x10);
C_ASSERT_OFFSET(KPRCB, CpuType, 0x18);

/* PRCB minor/major version as NT i386 sets them */
#define PRCB_MINOR_VERSION 1
#define PRCB_MAJOR_VERSION 1

/*
 * KPCR: the processor control region, reached through fs = KGDT_R0_PCR in kernel
 * mode. Layout is NT's up to PrcbData at 0x120.
 */
typedef struct _KPCR {
    NT_TIB NtTib;               /* 0x000 */
    struct _KPCR *SelfPcr;      /* 0x01C: flat address of this KPCR */
    PKPRCB Prcb;                /* 0x020 */
    KIRQL Irql;                 /* 0x024 */
    UCHAR IrqlPad[3];
    ULONG IRR;                  /* 0x028: software interrupt requests */
    ULONG IrrActive;            /* 0x02C */
    ULONG IDR;                  /* 0x030: interrupt disable mask (PIC) */
    PVOID KdVersionBlock;       /* 0x034 */
    PKIDTENTRY IDT;             /* 0x038 */
    PKGDTENTRY GDT;             /* 0x03C */
    PKTSS TSS;                  /* 0x040 */
    USHORT MajorVersion;        /* 0x044 */
    USHORT MinorVersion;        /* 0x046 */
    KAFFINITY SetMember;        /* 0x048 */
    ULONG StallScaleFactor;     /* 0x04C */
    UCHAR SpareUnused;          /* 0x050 */
    UCHAR Number;               /* 0x051 */
    UCHAR Spare0;               /* 0x052 */
    UCHAR SecondLevelCacheAssociativity; /* 0x053 */
    ULONG VdmAlert;             /* 0x054 */
    ULONG KernelReserved[14];   /* 0x058 */
    ULONG SecondLevelCacheSize; /* 0x090 */
    ULONG HalReserved[16];      /* 0x094 */
    ULONG InterruptMode;        /* 0x0D4 */
    UCHAR Spare1;               /* 0x0D8 */
    UCHAR Spare1Pad[3];
    ULONG KernelReserved2[17];  /* 0x0DC */
    KPRCB PrcbData;             /* 0x120 */
} KPCR, *PKPCR;
C_ASSERT_OFFSET(KPCR, SelfPcr, 0x01C);
C_ASSERT_OFFSET(KPCR, Prcb, 0x020);
C_ASSERT_OFFSET(KPCR, Irql, 0x024);
C_ASSERT_OFFSET(KPCR, IDT, 0x038);
C_ASSERT_OFFSET(KPCR, GDT, 0x03C);
C_ASSERT_OFFSET(KPCR, TSS, 0x040);
C_ASSERT_OFFSET(KPCR, Number, 0x051);
C_ASSERT_OFFSET(KPCR, InterruptMode, 0x0D4);
C_ASSERT_OFFSET(KPCR, PrcbData, 0x120);
_Static_assert(offsetof(KPCR, PrcbData) + offsetof(KPRCB, CurrentThread) == 0x124,
               "fs:[124h] must be the current thread");

#define PCR_MAJOR_VERSION 1
#define PCR_MINOR_VERSION 1

/*
 * A fault-recovery record: the kernel's __try. It starts with the two fields of
 * NT's EXCEPTION_REGISTRATION_RECORD and is chained the same way, from
 * KPCR.NtTib.ExceptionList (fs:[0]), innermost first, EXCEPTION_CHAIN_END last.
 * KiSetFaultRecovery saves the registers a C function must preserve; an exception
 * inside the block (a fault on a user address, or ExRaiseStatus) unlinks the record
 * and resumes there as a second return, with the status in ExceptionCode.
 * (EXCEPTION_CHAIN_END comes from include/nt/ntexcept.h.)
 */

typedef struct _KFAULT_RECOVERY {
    struct _KFAULT_RECOVERY *Next;  /* 0x00: EXCEPTION_REGISTRATION_RECORD.Next */
    PVOID Handler;                  /* 0x04: .Handler (KiSetFaultRecovery marks its own) */
    ULONG Ebx, Esi, Edi, Ebp;       /* 0x08 */
    ULONG Esp;                      /* 0x18: as after KiSetFaultRecovery returned */
    ULONG Eip;                      /* 0x1C: its return address */
    ULONG EFlags;                   /* 0x20: interrupts on or off, as they were */
    NTSTATUS ExceptionCode;         /* 0x24: set when the block is left by a fault */
    ULONG_PTR ExceptionAddress;     /* 0x28: the address that faulted, or the raiser */
} KFAULT_RECOVERY, *PKFAULT_RECOVERY;
