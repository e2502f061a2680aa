/*
 * kobjects.h - the kernel's dispatcher objects and its thread and process, in NT's
 * i386 layouts (XP): DISPATCHER_HEADER, KEVENT, KSEMAPHORE, KMUTANT, KTIMER,
 * KWAIT_BLOCK, KAPC, KAPC_STATE, KDPC, KTHREAD, KPROCESS.
 *
 * Offsets that NT code and tools rely on are pinned with C_ASSERT_OFFSET (the
 * famous ones: fs:[124h] is the current KTHREAD, KTHREAD+0x44 its process,
 * KTHREAD+0x134 its trap frame, KTHREAD+0x140 its PreviousMode). Where a structure
 * ends with fields of this kernel's own, a comment says so.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/list.h>
#include <nt/ntkeapi.h>
#include <i386/ketypes.h>

/* DISPATCHER_HEADER.Type (NT's KOBJECTS) */
typedef enum _KOBJECTS {
    EventNotificationObject = 0,
    EventSynchronizationObject = 1,
    MutantObject = 2,
    ProcessObject = 3,
    QueueObject = 4,
    SemaphoreObject = 5,
    ThreadObject = 6,
    GateObject = 7,
    TimerNotificationObject = 8,
    TimerSynchronizationObject = 9,
    ApcObject = 0x12,
    DpcObject = 0x13,
    DeviceQueueObject = 0x14,
    EventPairObject = 0x15,
    InterruptObject = 0x16,
    ProfileObject = 0x17,
    MaximumKernelObject = 0x19
} KOBJECTS;

/* The head of every object a thread can wait on. */
typedef struct _DISPATCHER_HEADER {
    UCHAR Type;                 /* 0x00: KOBJECTS */
    UCHAR Absolute;             /* 0x01: timers: the due time was absolute */
    UCHAR Size;                 /* 0x02: in ULONGs */
    UCHAR Inserted;             /* 0x03: timers: in the timer table */
    volatile LONG SignalState;  /* 0x04: > 0 signalled (a semaphore's count) */
    LIST_ENTRY WaitListHead;    /* 0x08: KWAIT_BLOCKs of the threads waiting */
} DISPATCHER_HEADER, *PDISPATCHER_HEADER;
C_ASSERT_SIZE(DISPATCHER_HEADER, 0x10);

/* EVENT_TYPE, TIMER_TYPE and WAIT_TYPE are service parameters: nt/ntkeapi.h. */

/* Why a thread waits (NT's KWAIT_REASON, the first ones). */
typedef enum _KWAIT_REASON {
    Executive = 0,
    FreePage,
    PageIn,
    PoolAllocation,
    DelayExecution,
    Suspended,
    UserRequest,
    WrExecutive,
    WrFreePage,
    WrPageIn,
    WrPoolAllocation,
    WrDelayExecution,
    WrSuspended,
    WrUserRequest,
    WrEventPair,
    WrQueue,
    WrLpcReceive,
    WrLpcReply,
    WrVirtualMemory,
    WrPageOut,
    WrRendezvous,
    WrKeyedEvent,
    MaximumWaitReason = 27
} KWAIT_REASON;

typedef struct _KEVENT {
    DISPATCHER_HEADER Header;
} KEVENT, *PKEVENT;
C_ASSERT_SIZE(KEVENT, 0x10);

typedef struct _KSEMAPHORE {
    DISPATCHER_HEADER Header;   /* SignalState is the count */
    LONG Limit;                 /* 0x10 */
} KSEMAPHORE, *PKSEMAPHORE;
C_ASSERT_SIZE(KSEMAPHORE, 0x14);

struct _KTHREAD;

typedef struct _KMUTANT {
    DISPATCHER_HEADER Header;   /* SignalState 1 free; <= 0 owned (recursion depth) */
    LIST_ENTRY MutantListEntry; /* 0x10: on the owner's KTHREAD.MutantListHead */
    struct _KTHREAD *OwnerThread; /* 0x18 */
    BOOLEAN Abandoned;          /* 0x1C: the owner ended while holding it */
    UCHAR ApcDisable;           /* 0x1D: 1 for a kernel mutex */
    UCHAR Pad[2];
} KMUTANT, *PKMUTANT, KMUTEX, *PKMUTEX;
C_ASSERT_OFFSET(KMUTANT, OwnerThread, 0x18);
C_ASSERT_SIZE(KMUTANT, 0x20);

/* Wait blocks every thread has built in: up to this many objects need no pool. */
#define THREAD_WAIT_OBJECTS  3

/* One thread waiting on one object. */
typedef struct _KWAIT_BLOCK {
    LIST_ENTRY WaitListEntry;   /* 0x00: on the object's WaitListHead */
    struct _KTHREAD *Thread;    /* 0x08 */
    PVOID Object;               /* 0x0C */
    struct _KWAIT_BLOCK *NextWaitBlock; /* 0x10: the thread's blocks, in a ring */
    USHORT WaitKey;             /* 0x14: index of the object in the wait */
    USHORT WaitType;            /* 0x16: WAIT_TYPE */
} KWAIT_BLOCK, *PKWAIT_BLOCK;
C_ASSERT_SIZE(KWAIT_BLOCK, 0x18);

struct _KDPC;
typedef VOID (*PKDEFERRED_ROUTINE)(struct _KDPC *Dpc, PVOID DeferredContext,
                                   PVOID SystemArgument1, PVOID SystemArgument2);

/* A deferred procedure call: work an interrupt leaves for DISPATCH_LEVEL. */
typedef struct _KDPC {
    SHORT Type;                 /* 0x00: DpcObject */
    UCHAR Number;               /* 0x02 */
    UCHAR Importance;           /* 0x03 */
    LIST_ENTRY DpcListEntry;    /* 0x04 */
    PKDEFERRED_ROUTINE DeferredRoutine; /* 0x0C */
    PVOID DeferredContext;      /* 0x10 */
    PVOID SystemArgument1;      /* 0x14 */
    PVOID SystemArgument2;      /* 0x18 */
    PULONG_PTR Lock;            /* 0x1C: non-NULL while queued */
} KDPC, *PKDPC;
C_ASSERT_SIZE(KDPC, 0x20);

typedef enum _KDPC_IMPORTANCE {
    LowImportance,
    MediumImportance,
    HighImportance
} KDPC_IMPORTANCE;

typedef struct _KTIMER {
    DISPATCHER_HEADER Header;
    ULARGE_INTEGER DueTime;     /* 0x10: interrupt time (100 ns) at which it fires */
    LIST_ENTRY TimerListEntry;  /* 0x18 */
    PKDPC Dpc;                  /* 0x20: queued when it fires, if any */
    LONG Period;                /* 0x24: ms; 0 = one shot */
} KTIMER, *PKTIMER;
C_ASSERT_OFFSET(KTIMER, DueTime, 0x10);
C_ASSERT_SIZE(KTIMER, 0x28);

struct _KAPC;
typedef VOID (*PKNORMAL_ROUTINE)(PVOID NormalContext, PVOID SystemArgument1,
                                 PVOID SystemArgument2);
typedef VOID (*PKKERNEL_ROUTINE)(struct _KAPC *Apc, PKNORMAL_ROUTINE *NormalRoutine,
                                 PVOID *NormalContext, PVOID *SystemArgument1,
                                 PVOID *SystemArgument2);
typedef VOID (*PKRUNDOWN_ROUTINE)(struct _KAPC *Apc);

/* Which APC environment an APC is queued to (NT's KAPC_ENVIRONMENT). */
typedef enum _KAPC_ENVIRONMENT {
    OriginalApcEnvironment,
    AttachedApcEnvironment,
    CurrentApcEnvironment,
    InsertApcEnvironment
} KAPC_ENVIRONMENT;

/* An asynchronous procedure call: a routine run in the context of one thread. */
typedef struct _KAPC {
    SHORT Type;                 /* 0x00: ApcObject */
    SHORT Size;                 /* 0x02 */
    ULONG Spare0;               /* 0x04 */
    struct _KTHREAD *Thread;    /* 0x08 */
    LIST_ENTRY ApcListEntry;    /* 0x0C */
    PKKERNEL_ROUTINE KernelRoutine;   /* 0x14: runs at APC_LEVEL, always */
    PKRUNDOWN_ROUTINE RundownRoutine; /* 0x18: if the thread ends first */
    PKNORMAL_ROUTINE NormalRoutine;   /* 0x1C: NULL for a special kernel APC */
    PVOID NormalContext;        /* 0x20 */
    PVOID SystemArgument1;      /* 0x24 */
    PVOID SystemArgument2;      /* 0x28 */
    CHAR ApcStateIndex;         /* 0x2C */
    KPROCESSOR_MODE ApcMode;    /* 0x2D */
    BOOLEAN Inserted;           /* 0x2E */
    UCHAR Pad;
} KAPC, *PKAPC;
C_ASSERT_OFFSET(KAPC, KernelRoutine, 0x14);
C_ASSERT_OFFSET(KAPC, ApcMode, 0x2D);
C_ASSERT_SIZE(KAPC, 0x30);

struct _KPROCESS;

/* A thread's APC queues (kernel, user) and the process it runs in. */
typedef struct _KAPC_STATE {
    LIST_ENTRY ApcListHead[2];  /* 0x00: [KernelMode], [UserMode] */
    struct _KPROCESS *Process;  /* 0x10 */
    BOOLEAN KernelApcInProgress; /* 0x14 */
    BOOLEAN KernelApcPending;   /* 0x15 */
    BOOLEAN UserApcPending;     /* 0x16 */
    UCHAR Pad;
} KAPC_STATE, *PKAPC_STATE;
C_ASSERT_SIZE(KAPC_STATE, 0x18);

/* KTHREAD.State (NT's KTHREAD_STATE) */
typedef enum _KTHREAD_STATE {
    Initialized,
    Ready,
    Running,
    Standby,
    Terminated,
    Waiting,
    Transition,
    DeferredReady
} KTHREAD_STATE;

#define LOW_PRIORITY          0
#define LOW_REALTIME_PRIORITY 16
#define HIGH_PRIORITY         31
#define MAXIMUM_PRIORITY      32
typedef LONG KPRIORITY;

/* The FXSAVE image of a thread's FPU/SSE registers (512 bytes, 16-byte aligned). */
typedef struct _FX_SAVE_AREA {
    UCHAR Image[512];
} __attribute__((aligned(16))) FX_SAVE_AREA, *PFX_SAVE_AREA;

/* KTHREAD.NpxState */
#define NPX_STATE_NOT_LOADED 0x0A   /* the registers are in the save area (CR0.TS set) */
#define NPX_STATE_LOADED     0x00   /* the registers are this thread's */

typedef struct _KTHREAD {
    DISPATCHER_HEADER Header;   /* 0x000: signalled when the thread ends */
    LIST_ENTRY MutantListHead;  /* 0x010: mutants it owns */
    PVOID InitialStack;         /* 0x018: top of the kernel stack */
    PVOID StackLimit;           /* 0x01C: lowest usable address */
    PVOID Teb;                  /* 0x020 */
    PVOID TlsArray;             /* 0x024 */
    PVOID KernelStack;          /* 0x028: saved ESP while not running */
    BOOLEAN DebugActive;        /* 0x02C */
    UCHAR State;                /* 0x02D: KTHREAD_STATE */
    BOOLEAN Alerted[2];         /* 0x02E: [KernelMode], [UserMode] */
    UCHAR Iopl;                 /* 0x030 */
    UCHAR NpxState;             /* 0x031 */
    CHAR Saturation;            /* 0x032 */
    CHAR Priority;              /* 0x033: current priority */
    KAPC_STATE ApcState;        /* 0x034: Process at 0x044 */
    ULONG ContextSwitches;      /* 0x04C */
    UCHAR IdleSwapBlock;        /* 0x050 */
    UCHAR Spare0[3];            /* 0x051 */
    LONG WaitStatus;            /* 0x054: how the last wait ended */
    UCHAR WaitIrql;             /* 0x058: IRQL to return to after the wait */
    KPROCESSOR_MODE WaitMode;   /* 0x059 */
    BOOLEAN WaitNext;           /* 0x05A */
    UCHAR WaitReason;           /* 0x05B: KWAIT_REASON */
    PKWAIT_BLOCK WaitBlockList; /* 0x05C */
    LIST_ENTRY WaitListEntry;   /* 0x060: on a ready queue, or the wait list */
    ULONG WaitTime;             /* 0x068: tick count when it began waiting */
    CHAR BasePriority;          /* 0x06C */
    UCHAR DecrementCount;       /* 0x06D */
    CHAR PriorityDecrement;     /* 0x06E */
    CHAR Quantum;               /* 0x06F: in thirds of a clock tick */
    KWAIT_BLOCK WaitBlock[4];   /* 0x070: 3 for objects, 1 for the timeout timer */
    PVOID LegoData;             /* 0x0D0 */
    ULONG KernelApcDisable;     /* 0x0D4: > 0 in a critical region */
    KAFFINITY UserAffinity;     /* 0x0D8 */
    BOOLEAN SystemAffinityActive; /* 0x0DC */
    UCHAR PowerState;           /* 0x0DD */
    KIRQL NpxIrql;              /* 0x0DE */
    UCHAR InitialNode;          /* 0x0DF */
    PVOID ServiceTable;         /* 0x0E0: the system-service table it uses */
    PVOID Queue;                /* 0x0E4 */
    ULONG ApcQueueLock;         /* 0x0E8 */
    ULONG Pad0;                 /* 0x0EC */
    KTIMER Timer;               /* 0x0F0: for wait timeouts and delays */
    LIST_ENTRY QueueListEntry;  /* 0x118 */
    KAFFINITY SoftAffinity;     /* 0x120 */
    KAFFINITY Affinity;         /* 0x124 */
    BOOLEAN Preempted;          /* 0x128 */
    BOOLEAN ProcessReadyQueue;  /* 0x129 */
    BOOLEAN KernelStackResident; /* 0x12A */
    UCHAR NextProcessor;        /* 0x12B */
    PVOID CallbackStack;        /* 0x12C: user-mode callbacks (KeUserModeCallback) */
    PVOID Win32Thread;          /* 0x130 */
    PKTRAP_FRAME TrapFrame;     /* 0x134: the frame of its entry from user mode */
    PKAPC_STATE ApcStatePointer[2]; /* 0x138: [Original], [Attached] environment */
    KPROCESSOR_MODE PreviousMode; /* 0x140: mode the current system service came from */
    BOOLEAN EnableStackSwap;    /* 0x141 */
    BOOLEAN LargeStack;         /* 0x142 */
    UCHAR ResourceIndex;        /* 0x143 */
    ULONG KernelTime;           /* 0x144: clock ticks spent in kernel mode */
    ULONG UserTime;             /* 0x148: clock ticks spent in user mode */
    KAPC_STATE SavedApcState;   /* 0x14C: the home state while attached */
    BOOLEAN Alertable;          /* 0x164 */
    UCHAR ApcStateIndex;        /* 0x165: 0 home, 1 attached */
    BOOLEAN ApcQueueable;       /* 0x166 */
    BOOLEAN AutoAlignment;      /* 0x167 */
    PVOID StackBase;            /* 0x168: the stack as allocated (to free it) */
    KAPC SuspendApc;            /* 0x16C */
    KSEMAPHORE SuspendSemaphore; /* 0x19C */
    LIST_ENTRY ThreadListEntry; /* 0x1B0: on KPROCESS.ThreadListHead */
    CHAR FreezeCount;           /* 0x1B8 */
    CHAR SuspendCount;          /* 0x1B9 */
    UCHAR IdealProcessor;       /* 0x1BA */
    BOOLEAN DisableBoost;       /* 0x1BB */
    /* --- from here on, this kernel's own fields --- */
    PVOID StartRoutine;         /* what a system thread runs first */
    PVOID StartContext;
    /*
     * The address space the thread runs in: its process's, or the one it is
     * attached to (MmAttachAddressSpace). The context switch loads its CR3.
     */
    struct _MM_ADDRESS_SPACE *AddressSpace;
    LIST_ENTRY ReaperListEntry; /* ended: waiting for its stack to be freed */
    /*
     * Where an entry from user mode builds its trap frame (TSS.Esp0, the SYSENTER
     * stack): InitialStack, or lower while user-mode callbacks run (their
     * kernel frames must not be overwritten by the callback's own system calls).
     */
    PVOID TrapStackTop;
    /* The ETHREAD whose Tcb this is (kernel/ps), or NULL for a bare kernel thread. */
    struct _ETHREAD *ExecutiveThread;
} KTHREAD, *PKTHREAD, *PRKTHREAD;

/*
 * The kernel stack of a thread, from the top down (as in NT): the FX_SAVE_AREA that
 * holds its FPU/SSE registers while another thread owns them, then InitialStack,
 * where a trap frame from user mode begins. KiThreadNpxArea finds the area.
 */
#define KiThreadNpxArea(Thread) ((PFX_SAVE_AREA)(Thread)->InitialStack)
C_ASSERT_OFFSET(KTHREAD, InitialStack, 0x018);
C_ASSERT_OFFSET(KTHREAD, Teb, 0x020);
C_ASSERT_OFFSET(KTHREAD, KernelStack, 0x028);
C_ASSERT_OFFSET(KTHREAD, State, 0x02D);
C_ASSERT_OFFSET(KTHREAD, ApcState, 0x034);
_Static_assert(offsetof(KTHREAD, ApcState) + offsetof(KAPC_STATE, Process) == 0x44,
               "KTHREAD+0x44 must be the thread's process");
C_ASSERT_OFFSET(KTHREAD, WaitStatus, 0x054);
C_ASSERT_OFFSET(KTHREAD, WaitBlockList, 0x05C);
C_ASSERT_OFFSET(KTHREAD, Quantum, 0x06F);
C_ASSERT_OFFSET(KTHREAD, WaitBlock, 0x070);
C_ASSERT_OFFSET(KTHREAD, KernelApcDisable, 0x0D4);
C_ASSERT_OFFSET(KTHREAD, ServiceTable, 0x0E0);
C_ASSERT_OFFSET(KTHREAD, Timer, 0x0F0);
C_ASSERT_OFFSET(KTHREAD, CallbackStack, 0x12C);
C_ASSERT_OFFSET(KTHREAD, TrapFrame, 0x134);
C_ASSERT_OFFSET(KTHREAD, ApcStatePointer, 0x138);
C_ASSERT_OFFSET(KTHREAD, PreviousMode, 0x140);
C_ASSERT_OFFSET(KTHREAD, KernelTime, 0x144);
C_ASSERT_OFFSET(KTHREAD, UserTime, 0x148);
C_ASSERT_OFFSET(KTHREAD, SavedApcState, 0x14C);
C_ASSERT_OFFSET(KTHREAD, StackBase, 0x168);
C_ASSERT_OFFSET(KTHREAD, SuspendApc, 0x16C);
C_ASSERT_OFFSET(KTHREAD, SuspendSemaphore, 0x19C);
C_ASSERT_OFFSET(KTHREAD, ThreadListEntry, 0x1B0);
C_ASSERT_OFFSET(KTHREAD, SuspendCount, 0x1B9);

struct _MM_ADDRESS_SPACE;

typedef struct _KPROCESS {
    DISPATCHER_HEADER Header;   /* 0x00: signalled when the process ends */
    LIST_ENTRY ProfileListHead; /* 0x10 */
    ULONG DirectoryTableBase[2]; /* 0x18: [0] is CR3 */
    KGDTENTRY LdtDescriptor;    /* 0x20 */
    KIDTENTRY Int21Descriptor;  /* 0x28 */
    USHORT IopmOffset;          /* 0x30 */
    UCHAR Iopl;                 /* 0x32 */
    UCHAR Unused;               /* 0x33 */
    KAFFINITY ActiveProcessors; /* 0x34 */
    ULONG KernelTime;           /* 0x38: ticks of its ended threads */
    ULONG UserTime;             /* 0x3C */
    LIST_ENTRY ReadyListHead;   /* 0x40 */
    SINGLE_LIST_ENTRY SwapListEntry; /* 0x48 */
    PVOID VdmTrapcHandler;      /* 0x4C */
    LIST_ENTRY ThreadListHead;  /* 0x50: its KTHREADs, by ThreadListEntry */
    ULONG ProcessLock;          /* 0x58 */
    KAFFINITY Affinity;         /* 0x5C */
    USHORT StackCount;          /* 0x60 */
    CHAR BasePriority;          /* 0x62 */
    CHAR ThreadQuantum;         /* 0x63 */
    BOOLEAN AutoAlignment;      /* 0x64 */
    UCHAR State;                /* 0x65 */
    UCHAR ThreadSeed;           /* 0x66 */
    BOOLEAN DisableBoost;       /* 0x67 */
    UCHAR PowerState;           /* 0x68 */
    BOOLEAN DisableQuantum;     /* 0x69 */
    UCHAR IdealNode;            /* 0x6A */
    UCHAR Flags;                /* 0x6B */
    /* --- from here on, this kernel's own fields --- */
    struct _MM_ADDRESS_SPACE *AddressSpace; /* its page directory and VADs */
} KPROCESS, *PKPROCESS, *PRKPROCESS;
C_ASSERT_OFFSET(KPROCESS, DirectoryTableBase, 0x18);
C_ASSERT_OFFSET(KPROCESS, ThreadListHead, 0x50);
C_ASSERT_OFFSET(KPROCESS, BasePriority, 0x62);
C_ASSERT_OFFSET(KPROCESS, Flags, 0x6B);
