/*
 * ntpebteb.h - the process's and the thread's user-mode blocks: PEB, TEB and the
 * process parameters (RTL_USER_PROCESS_PARAMETERS), with NT's i386 layouts (XP SP2
 * offsets, which later versions keep for every field named here). User code reads
 * them directly (fs:[30h] is the PEB, PEB+10h the parameters, fs:[34h] the last
 * error), so every offset below is asserted. Fields this system does not use yet
 * keep their place as Reserved arrays; their NT names are in the comments.
 *
 * The kernel builds them (kernel/ps/pebteb.c); ntdll and kernel32 read and fill
 * them. Shared by the kernel (gcc -m32) and the user side (MinGW): the explicit
 * padding makes both compilers agree where NT's 8-byte alignment would differ.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntexcept.h>

typedef struct _CLIENT_ID {
    HANDLE UniqueProcess;
    HANDLE UniqueThread;
} CLIENT_ID, *PCLIENT_ID;
C_ASSERT_SIZE(CLIENT_ID, 8);

/* NT_TIB, the TEB's head at fs:[0], is nt/ntexcept.h's (with the SEH types). */

/* ---- process parameters ---- */

typedef struct _CURDIR {
    UNICODE_STRING DosPath;         /* "C:\Dir\" */
    HANDLE Handle;                  /* the directory, opened */
} CURDIR, *PCURDIR;
C_ASSERT_SIZE(CURDIR, 0x0C);

typedef struct _RTL_DRIVE_LETTER_CURDIR {
    USHORT Flags;
    USHORT Length;
    ULONG TimeStamp;
    STRING DosPath;
} RTL_DRIVE_LETTER_CURDIR, *PRTL_DRIVE_LETTER_CURDIR;
C_ASSERT_SIZE(RTL_DRIVE_LETTER_CURDIR, 0x10);

#define RTL_MAX_DRIVE_LETTERS 32

/*
 * Flags: NORMALIZED when the strings' Buffers are addresses; otherwise
 * (denormalized, as a creator hands them over and as they are copied into the
 * child) they are offsets from the structure's start, so the block can be moved.
 */
#define RTL_USER_PROC_PARAMS_NORMALIZED 0x00000001

typedef struct _RTL_USER_PROCESS_PARAMETERS {
    ULONG MaximumLength;            /* 0x000: bytes of the block, strings included */
    ULONG Length;                   /* 0x004: bytes in use */
    ULONG Flags;                    /* 0x008: RTL_USER_PROC_PARAMS_* */
    ULONG DebugFlags;               /* 0x00C */
    HANDLE ConsoleHandle;           /* 0x010 */
    ULONG ConsoleFlags;             /* 0x014 */
    HANDLE StandardInput;           /* 0x018 */
    HANDLE StandardOutput;          /* 0x01C */
    HANDLE StandardError;           /* 0x020 */
    CURDIR CurrentDirectory;        /* 0x024 */
    UNICODE_STRING DllPath;         /* 0x030 */
    UNICODE_STRING ImagePathName;   /* 0x038: "C:\Dir\Prog.exe" */
    UNICODE_STRING CommandLine;     /* 0x040 */
    PVOID Environment;              /* 0x048: "NAME=value\0...\0\0" (UTF-16) */
    ULONG StartingX;                /* 0x04C */
    ULONG StartingY;                /* 0x050 */
    ULONG CountX;                   /* 0x054 */
    ULONG CountY;                   /* 0x058 */
    ULONG CountCharsX;              /* 0x05C */
    ULONG CountCharsY;              /* 0x060 */
    ULONG FillAttribute;            /* 0x064 */
    ULONG WindowFlags;              /* 0x068: STARTF_* */
    ULONG ShowWindowFlags;          /* 0x06C */
    UNICODE_STRING WindowTitle;     /* 0x070 */
    UNICODE_STRING DesktopInfo;     /* 0x078 */
    UNICODE_STRING ShellInfo;       /* 0x080 */
    UNICODE_STRING RuntimeData;     /* 0x088 */
    RTL_DRIVE_LETTER_CURDIR CurrentDirectores[RTL_MAX_DRIVE_LETTERS]; /* 0x090 (NT's spelling) */
    ULONG EnvironmentSize;          /* 0x290: bytes of Environment (NT 6) */
} RTL_USER_PROCESS_PARAMETERS, *PRTL_USER_PROCESS_PARAMETERS;
C_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, StandardInput, 0x018);
C_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, CurrentDirectory, 0x024);
C_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, ImagePathName, 0x038);
C_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, CommandLine, 0x040);
C_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, Environment, 0x048);
C_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, WindowTitle, 0x070);
C_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, CurrentDirectores, 0x090);
C_ASSERT_OFFSET(RTL_USER_PROCESS_PARAMETERS, EnvironmentSize, 0x290);
C_ASSERT_SIZE(RTL_USER_PROCESS_PARAMETERS, 0x294);

/* ---- the PEB ---- */

struct _PEB_LDR_DATA;

typedef struct _PEB {
    BOOLEAN InheritedAddressSpace;  /* 0x000 */
    BOOLEAN ReadImageFileExecOptions; /* 0x001 */
    BOOLEAN BeingDebugged;          /* 0x002 */
    BOOLEAN SpareBool;              /* 0x003 */
    HANDLE Mutant;                  /* 0x004 */
    PVOID ImageBaseAddress;         /* 0x008: where the exe is mapped */
    struct _PEB_LDR_DATA *Ldr;      /* 0x00C: the loader's module lists (ntdll fills) */
    PRTL_USER_PROCESS_PARAMETERS ProcessParameters; /* 0x010 */
    PVOID SubSystemData;            /* 0x014 */
    PVOID ProcessHeap;              /* 0x018 (ntdll fills) */
    PVOID FastPebLock;              /* 0x01C */
    PVOID FastPebLockRoutine;       /* 0x020 */
    PVOID FastPebUnlockRoutine;     /* 0x024 */
    ULONG EnvironmentUpdateCount;   /* 0x028 */
    PVOID KernelCallbackTable;      /* 0x02C: user32's callbacks (KiUserCallbackDispatcher) */
    ULONG SystemReserved[1];        /* 0x030 */
    ULONG AtlThunkSListPtr32;       /* 0x034 */
    PVOID FreeList;                 /* 0x038 */
    ULONG TlsExpansionCounter;      /* 0x03C */
    PVOID TlsBitmap;                /* 0x040 */
    ULONG TlsBitmapBits[2];         /* 0x044 */
    PVOID ReadOnlySharedMemoryBase; /* 0x04C */
    PVOID ReadOnlySharedMemoryHeap; /* 0x050 */
    PVOID *ReadOnlyStaticServerData; /* 0x054 */
    PVOID AnsiCodePageData;         /* 0x058 */
    PVOID OemCodePageData;          /* 0x05C */
    PVOID UnicodeCaseTableData;     /* 0x060 */
    ULONG NumberOfProcessors;       /* 0x064 */
    ULONG NtGlobalFlag;             /* 0x068 */
    ULONG Padding0;                 /* 0x06C: (NT's compiler aligns the next to 8) */
    LARGE_INTEGER CriticalSectionTimeout; /* 0x070 */
    SIZE_T HeapSegmentReserve;      /* 0x078 */
    SIZE_T HeapSegmentCommit;       /* 0x07C */
    SIZE_T HeapDeCommitTotalFreeThreshold; /* 0x080 */
    SIZE_T HeapDeCommitFreeBlockThreshold; /* 0x084 */
    ULONG NumberOfHeaps;            /* 0x088 */
    ULONG MaximumNumberOfHeaps;     /* 0x08C */
    PVOID *ProcessHeaps;            /* 0x090 */
    PVOID GdiSharedHandleTable;     /* 0x094 */
    PVOID ProcessStarterHelper;     /* 0x098 */
    ULONG GdiDCAttributeList;       /* 0x09C */
    PVOID LoaderLock;               /* 0x0A0: the loader's critical section */
    ULONG OSMajorVersion;           /* 0x0A4 */
    ULONG OSMinorVersion;           /* 0x0A8 */
    USHORT OSBuildNumber;           /* 0x0AC */
    USHORT OSCSDVersion;            /* 0x0AE */
    ULONG OSPlatformId;             /* 0x0B0: VER_PLATFORM_WIN32_NT (2) */
    ULONG ImageSubsystem;           /* 0x0B4: IMAGE_SUBSYSTEM_* of the exe */
    ULONG ImageSubsystemMajorVersion; /* 0x0B8 */
    ULONG ImageSubsystemMinorVersion; /* 0x0BC */
    ULONG ImageProcessAffinityMask; /* 0x0C0 */
    ULONG GdiHandleBuffer[34];      /* 0x0C4 */
    PVOID PostProcessInitRoutine;   /* 0x14C */
    PVOID TlsExpansionBitmap;       /* 0x150 */
    ULONG TlsExpansionBitmapBits[32]; /* 0x154 */
    ULONG SessionId;                /* 0x1D4 */
    ULARGE_INTEGER AppCompatFlags;  /* 0x1D8 */
    ULARGE_INTEGER AppCompatFlagsUser; /* 0x1E0 */
    PVOID pShimData;                /* 0x1E8 */
    PVOID AppCompatInfo;            /* 0x1EC */
    UNICODE_STRING CSDVersion;      /* 0x1F0 */
    PVOID ActivationContextData;    /* 0x1F8 */
    PVOID ProcessAssemblyStorageMap; /* 0x1FC */
    PVOID SystemDefaultActivationContextData; /* 0x200 */
    PVOID SystemAssemblyStorageMap; /* 0x204 */
    SIZE_T MinimumStackCommit;      /* 0x208 */
    ULONG Padding1;                 /* 0x20C */
} PEB, *PPEB;
C_ASSERT_OFFSET(PEB, BeingDebugged, 0x002);
C_ASSERT_OFFSET(PEB, ImageBaseAddress, 0x008);
C_ASSERT_OFFSET(PEB, Ldr, 0x00C);
C_ASSERT_OFFSET(PEB, ProcessParameters, 0x010);
C_ASSERT_OFFSET(PEB, ProcessHeap, 0x018);
C_ASSERT_OFFSET(PEB, KernelCallbackTable, 0x02C);
C_ASSERT_OFFSET(PEB, NumberOfProcessors, 0x064);
C_ASSERT_OFFSET(PEB, NtGlobalFlag, 0x068);
C_ASSERT_OFFSET(PEB, CriticalSectionTimeout, 0x070);
C_ASSERT_OFFSET(PEB, ProcessHeaps, 0x090);
C_ASSERT_OFFSET(PEB, LoaderLock, 0x0A0);
C_ASSERT_OFFSET(PEB, OSMajorVersion, 0x0A4);
C_ASSERT_OFFSET(PEB, OSPlatformId, 0x0B0);
C_ASSERT_OFFSET(PEB, ImageSubsystem, 0x0B4);
C_ASSERT_OFFSET(PEB, PostProcessInitRoutine, 0x14C);
C_ASSERT_OFFSET(PEB, SessionId, 0x1D4);
C_ASSERT_OFFSET(PEB, CSDVersion, 0x1F0);
C_ASSERT_OFFSET(PEB, MinimumStackCommit, 0x208);
C_ASSERT_SIZE(PEB, 0x210);

/* ---- the TEB ---- */

#define TLS_MINIMUM_AVAILABLE 64

typedef struct _TEB {
    NT_TIB NtTib;                   /* 0x000: fs:[0] */
    PVOID EnvironmentPointer;       /* 0x01C */
    CLIENT_ID ClientId;             /* 0x020 */
    PVOID ActiveRpcHandle;          /* 0x028 */
    PVOID ThreadLocalStoragePointer; /* 0x02C: the static TLS blocks (the loader fills) */
    PPEB ProcessEnvironmentBlock;   /* 0x030 */
    ULONG LastErrorValue;           /* 0x034: GetLastError */
    ULONG CountOfOwnedCriticalSections; /* 0x038 */
    PVOID CsrClientThread;          /* 0x03C */
    PVOID Win32ThreadInfo;          /* 0x040 */
    ULONG User32Reserved[26];       /* 0x044 */
    ULONG UserReserved[5];          /* 0x0AC */
    PVOID WOW32Reserved;            /* 0x0C0 */
    ULONG CurrentLocale;            /* 0x0C4 */
    ULONG FpSoftwareStatusRegister; /* 0x0C8 */
    PVOID SystemReserved1[54];      /* 0x0CC */
    NTSTATUS ExceptionCode;         /* 0x1A4 */
    UCHAR ActivationContextStack[0x14]; /* 0x1A8 */
    UCHAR SpareBytes1[24];          /* 0x1BC */
    UCHAR GdiTebBatch[0x4E0];       /* 0x1D4 */
    CLIENT_ID RealClientId;         /* 0x6B4 */
    PVOID GdiCachedProcessHandle;   /* 0x6BC */
    ULONG GdiClientPID;             /* 0x6C0 */
    ULONG GdiClientTID;             /* 0x6C4 */
    PVOID GdiThreadLocalInfo;       /* 0x6C8 */
    ULONG Win32ClientInfo[62];      /* 0x6CC */
    PVOID glDispatchTable[233];     /* 0x7C4 */
    ULONG glReserved1[29];          /* 0xB68 */
    PVOID glReserved2;              /* 0xBDC */
    PVOID glSectionInfo;            /* 0xBE0 */
    PVOID glSection;                /* 0xBE4 */
    PVOID glTable;                  /* 0xBE8 */
    PVOID glCurrentRC;              /* 0xBEC */
    PVOID glContext;                /* 0xBF0 */
    NTSTATUS LastStatusValue;       /* 0xBF4 */
    UNICODE_STRING StaticUnicodeString; /* 0xBF8: over StaticUnicodeBuffer */
    WCHAR StaticUnicodeBuffer[261]; /* 0xC00 */
    USHORT Padding0;                /* 0xE0A */
    PVOID DeallocationStack;        /* 0xE0C: the stack's whole reservation */
    PVOID TlsSlots[TLS_MINIMUM_AVAILABLE]; /* 0xE10: TlsGetValue's first 64 */
    LIST_ENTRY TlsLinks;            /* 0xF10 */
    PVOID Vdm;                      /* 0xF18 */
    PVOID ReservedForNtRpc;         /* 0xF1C */
    PVOID DbgSsReserved[2];         /* 0xF20 */
    ULONG HardErrorsAreDisabled;    /* 0xF28 */
    PVOID Instrumentation[16];      /* 0xF2C */
    PVOID WinSockData;              /* 0xF6C */
    ULONG GdiBatchCount;            /* 0xF70 */
    BOOLEAN InDbgPrint;             /* 0xF74 */
    BOOLEAN FreeStackOnTermination; /* 0xF75 */
    BOOLEAN HasFiberData;           /* 0xF76 */
    UCHAR IdealProcessor;           /* 0xF77 */
    ULONG Spare3;                   /* 0xF78 */
    PVOID ReservedForPerf;          /* 0xF7C */
    PVOID ReservedForOle;           /* 0xF80 */
    ULONG WaitingOnLoaderLock;      /* 0xF84 */
    ULONG Wx86Thread[3];            /* 0xF88 */
    PVOID *TlsExpansionSlots;       /* 0xF94 */
    ULONG ImpersonationLocale;      /* 0xF98 */
    ULONG IsImpersonating;          /* 0xF9C */
    PVOID NlsCache;                 /* 0xFA0 */
    PVOID pShimData;                /* 0xFA4 */
    ULONG HeapVirtualAffinity;      /* 0xFA8 */
    PVOID CurrentTransactionHandle; /* 0xFAC */
    PVOID ActiveFrame;              /* 0xFB0 */
    PVOID FlsData;                  /* 0xFB4 */
} TEB, *PTEB;
C_ASSERT_OFFSET(TEB, EnvironmentPointer, 0x01C);
C_ASSERT_OFFSET(TEB, ClientId, 0x020);
C_ASSERT_OFFSET(TEB, ThreadLocalStoragePointer, 0x02C);
C_ASSERT_OFFSET(TEB, ProcessEnvironmentBlock, 0x030);
C_ASSERT_OFFSET(TEB, LastErrorValue, 0x034);
C_ASSERT_OFFSET(TEB, Win32ThreadInfo, 0x040);
C_ASSERT_OFFSET(TEB, CurrentLocale, 0x0C4);
C_ASSERT_OFFSET(TEB, ExceptionCode, 0x1A4);
C_ASSERT_OFFSET(TEB, RealClientId, 0x6B4);
C_ASSERT_OFFSET(TEB, glDispatchTable, 0x7C4);
C_ASSERT_OFFSET(TEB, LastStatusValue, 0xBF4);
C_ASSERT_OFFSET(TEB, StaticUnicodeString, 0xBF8);
C_ASSERT_OFFSET(TEB, DeallocationStack, 0xE0C);
C_ASSERT_OFFSET(TEB, TlsSlots, 0xE10);
C_ASSERT_OFFSET(TEB, TlsLinks, 0xF10);
C_ASSERT_OFFSET(TEB, TlsExpansionSlots, 0xF94);
C_ASSERT_OFFSET(TEB, FlsData, 0xFB4);
C_ASSERT_SIZE(TEB, 0xFB8);

/* What NtCreateThread's caller says about the stack it made (NT: INITIAL_TEB). */
typedef struct _INITIAL_TEB {
    PVOID OldStackBase;             /* fibers only: NULL */
    PVOID OldStackLimit;
    PVOID StackBase;                /* the top */
    PVOID StackLimit;               /* the lowest committed address */
    PVOID StackAllocationBase;      /* the reservation's start (TEB.DeallocationStack) */
} INITIAL_TEB, *PINITIAL_TEB;
C_ASSERT_SIZE(INITIAL_TEB, 0x14);
