/*
 * ntpsapi.h - the process and thread API that user mode sees (NT's ntpsapi.h).
 *
 * The access rights, NtCreateUserProcess's attribute list and create info, and the
 * information classes this kernel answers (kernel/ps/). The PEB, TEB and process
 * parameters are in ntpebteb.h.
 */
#pragma once

#include <nt/ntdef.h>

/* A user-mode APC's routine: called with the three arguments NtQueueApcThread was given. */
typedef VOID (*PPS_APC_ROUTINE)(PVOID ApcArgument1, PVOID ApcArgument2, PVOID ApcArgument3);

#include <nt/ntpebteb.h>

/* ---- access rights (winnt.h's values) ---- */

#define PROCESS_TERMINATE                  0x0001
#define PROCESS_CREATE_THREAD              0x0002
#define PROCESS_SET_SESSIONID              0x0004
#define PROCESS_VM_OPERATION               0x0008
#define PROCESS_VM_READ                    0x0010
#define PROCESS_VM_WRITE                   0x0020
#define PROCESS_DUP_HANDLE                 0x0040
#define PROCESS_CREATE_PROCESS             0x0080
#define PROCESS_SET_QUOTA                  0x0100
#define PROCESS_SET_INFORMATION            0x0200
#define PROCESS_QUERY_INFORMATION          0x0400
#define PROCESS_SUSPEND_RESUME             0x0800
#define PROCESS_QUERY_LIMITED_INFORMATION  0x1000
#define PROCESS_ALL_ACCESS                 0x001FFFFF  /* STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFF (NT 6;
                                                          XP's 0x1F0FFF is a subset) */

#define THREAD_TERMINATE                   0x0001
#define THREAD_SUSPEND_RESUME              0x0002
#define THREAD_ALERT                       0x0004
#define THREAD_GET_CONTEXT                 0x0008
#define THREAD_SET_CONTEXT                 0x0010
#define THREAD_SET_INFORMATION             0x0020
#define THREAD_QUERY_INFORMATION           0x0040
#define THREAD_SET_THREAD_TOKEN            0x0080
#define THREAD_IMPERSONATE                 0x0100
#define THREAD_DIRECT_IMPERSONATION        0x0200
#define THREAD_QUERY_LIMITED_INFORMATION   0x0800
#define THREAD_ALL_ACCESS                  0x001FFFFF  /* STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0xFFFF (NT 6;
                                                          XP's 0x1F03FF is a subset) */

/* ---- creation ---- */

/* NtCreateProcessEx's and NtCreateUserProcess's ProcessFlags (NT 6's values). */
#define PROCESS_CREATE_FLAGS_BREAKAWAY          0x00000001
#define PROCESS_CREATE_FLAGS_NO_DEBUG_INHERIT   0x00000002
#define PROCESS_CREATE_FLAGS_INHERIT_HANDLES    0x00000004
#define PROCESS_CREATE_FLAGS_OVERRIDE_ADDRESS_SPACE 0x00000008
#define PROCESS_CREATE_FLAGS_LARGE_PAGES        0x00000010

/* NtCreateUserProcess's ThreadFlags. */
#define THREAD_CREATE_FLAGS_CREATE_SUSPENDED    0x00000001

/*
 * NtCreateUserProcess's attribute list (NT 6): each PS_ATTRIBUTE says what it is
 * (a number, whether it is for the thread, an input, additive), its size, and its
 * value or where the kernel writes it.
 */
#define PS_ATTRIBUTE_NUMBER_MASK    0x0000FFFF
#define PS_ATTRIBUTE_THREAD         0x00010000
#define PS_ATTRIBUTE_INPUT          0x00020000
#define PS_ATTRIBUTE_ADDITIVE       0x00040000

typedef enum _PS_ATTRIBUTE_NUM {
    PsAttributeParentProcess = 0,
    PsAttributeDebugObject = 1,
    PsAttributeToken = 2,
    PsAttributeClientId = 3,
    PsAttributeTebAddress = 4,
    PsAttributeImageName = 5,
    PsAttributeImageInfo = 6,
    PsAttributeMemoryReserve = 7,
    PsAttributePriorityClass = 8,
    PsAttributeErrorMode = 9,
    PsAttributeStdHandleInfo = 10,
    PsAttributeHandleList = 11
} PS_ATTRIBUTE_NUM;

#define PS_ATTRIBUTE_PARENT_PROCESS   (PsAttributeParentProcess | PS_ATTRIBUTE_INPUT | PS_ATTRIBUTE_ADDITIVE)
#define PS_ATTRIBUTE_CLIENT_ID        (PsAttributeClientId | PS_ATTRIBUTE_THREAD)
#define PS_ATTRIBUTE_TEB_ADDRESS      (PsAttributeTebAddress | PS_ATTRIBUTE_THREAD)
#define PS_ATTRIBUTE_IMAGE_NAME       (PsAttributeImageName | PS_ATTRIBUTE_INPUT)
#define PS_ATTRIBUTE_IMAGE_INFO       (PsAttributeImageInfo)
#define PS_ATTRIBUTE_STD_HANDLE_INFO  (PsAttributeStdHandleInfo | PS_ATTRIBUTE_INPUT)

typedef struct _PS_ATTRIBUTE {
    ULONG_PTR Attribute;            /* PS_ATTRIBUTE_* */
    SIZE_T Size;                    /* bytes at ValuePtr (or of Value) */
    union {
        ULONG_PTR Value;
        PVOID ValuePtr;
    };
    PSIZE_T ReturnLength;           /* optional: bytes the kernel wrote */
} PS_ATTRIBUTE, *PPS_ATTRIBUTE;
C_ASSERT_SIZE(PS_ATTRIBUTE, 0x10);

typedef struct _PS_ATTRIBUTE_LIST {
    SIZE_T TotalLength;             /* bytes: this field and every attribute */
    PS_ATTRIBUTE Attributes[1];
} PS_ATTRIBUTE_LIST, *PPS_ATTRIBUTE_LIST;

/* PS_ATTRIBUTE_STD_HANDLE_INFO: what the child's standard handles are. */
typedef enum _PS_STD_HANDLE_STATE {
    PsNeverDuplicate = 0,           /* the parameters' handle values stand as they are */
    PsRequestDuplicate = 1,         /* duplicate those PseudoHandleMask names */
    PsAlwaysDuplicate = 2           /* duplicate all three */
} PS_STD_HANDLE_STATE;

#define PS_STD_INPUT_HANDLE  0x1
#define PS_STD_OUTPUT_HANDLE 0x2
#define PS_STD_ERROR_HANDLE  0x4

typedef struct _PS_STD_HANDLE_INFO {
    union {
        ULONG Flags;
        struct {
            ULONG StdHandleState : 2;   /* PS_STD_HANDLE_STATE */
            ULONG PseudoHandleMask : 3; /* PS_STD_*_HANDLE */
        };
    };
    ULONG StdHandleSubsystemType;
} PS_STD_HANDLE_INFO, *PPS_STD_HANDLE_INFO;
C_ASSERT_SIZE(PS_STD_HANDLE_INFO, 8);

/* NtCreateUserProcess's progress report: how far it got (NT 6). */
typedef enum _PS_CREATE_STATE {
    PsCreateInitialState,
    PsCreateFailOnFileOpen,
    PsCreateFailOnSectionCreate,
    PsCreateFailExeFormat,
    PsCreateFailMachineMismatch,
    PsCreateFailExeName,
    PsCreateSuccess,
    PsCreateMaximumStates
} PS_CREATE_STATE, *PPS_CREATE_STATE;

typedef struct _PS_CREATE_INFO {
    SIZE_T Size;                    /* 0x00: sizeof(PS_CREATE_INFO) */
    PS_CREATE_STATE State;          /* 0x04: out */
    union {
        struct {                    /* in: PsCreateInitialState */
            ULONG InitFlags;        /* 0x08 */
            ACCESS_MASK AdditionalFileAccess; /* 0x0C */
        } InitState;
        struct {                    /* out: PsCreateFailOnSectionCreate */
            HANDLE FileHandle;      /* 0x08 */
        } FailSection;
        struct {                    /* out: PsCreateFailExeFormat */
            USHORT DllCharacteristics; /* 0x08 */
        } ExeFormat;
        struct {                    /* out: PsCreateSuccess */
            ULONG OutputFlags;      /* 0x08 */
            HANDLE FileHandle;      /* 0x0C */
            HANDLE SectionHandle;   /* 0x10 */
            ULONG Padding0;         /* 0x14 */
            ULONGLONG UserProcessParametersNative; /* 0x18: the child's copy */
            ULONG UserProcessParametersWow64; /* 0x20 */
            ULONG CurrentParameterFlags; /* 0x24 */
            ULONGLONG PebAddressNative; /* 0x28 */
            ULONG PebAddressWow64;  /* 0x30 */
            ULONG Padding1;         /* 0x34 */
            ULONGLONG ManifestAddress; /* 0x38 */
            ULONG ManifestSize;     /* 0x40 */
            ULONG Padding2;         /* 0x44 */
        } SuccessState;
    };
} PS_CREATE_INFO, *PPS_CREATE_INFO;
C_ASSERT_SIZE(PS_CREATE_INFO, 0x48);

/* ---- queries ---- */

typedef enum _PROCESSINFOCLASS {
    ProcessBasicInformation = 0,
    ProcessTimes = 4,
    ProcessPriorityClass = 18,
    ProcessImageFileName = 27
} PROCESSINFOCLASS;

typedef enum _THREADINFOCLASS {
    ThreadBasicInformation = 0,
    ThreadTimes = 1,
    ThreadAmILastThread = 12        /* ULONG: the caller is its process's only live thread */
} THREADINFOCLASS;

typedef struct _PROCESS_BASIC_INFORMATION {
    NTSTATUS ExitStatus;            /* STATUS_PENDING while it runs */
    PPEB PebBaseAddress;
    ULONG_PTR AffinityMask;
    LONG BasePriority;
    ULONG_PTR UniqueProcessId;
    ULONG_PTR InheritedFromUniqueProcessId;
} PROCESS_BASIC_INFORMATION, *PPROCESS_BASIC_INFORMATION;
C_ASSERT_SIZE(PROCESS_BASIC_INFORMATION, 0x18);

typedef struct _THREAD_BASIC_INFORMATION {
    NTSTATUS ExitStatus;            /* STATUS_PENDING while it runs */
    PTEB TebBaseAddress;
    CLIENT_ID ClientId;
    ULONG_PTR AffinityMask;
    LONG Priority;
    LONG BasePriority;
} THREAD_BASIC_INFORMATION, *PTHREAD_BASIC_INFORMATION;
C_ASSERT_SIZE(THREAD_BASIC_INFORMATION, 0x1C);

/* ProcessTimes, ThreadTimes (100 ns units; kernel and user time are durations). */
typedef struct _KERNEL_USER_TIMES {
    LARGE_INTEGER CreateTime;
    LARGE_INTEGER ExitTime;
    LARGE_INTEGER KernelTime;
    LARGE_INTEGER UserTime;
} KERNEL_USER_TIMES, *PKERNEL_USER_TIMES;
C_ASSERT_SIZE(KERNEL_USER_TIMES, 0x20);

/* ProcessPriorityClass (NT's PROCESS_PRIORITY_CLASS and its values). */
#define PROCESS_PRIORITY_CLASS_UNKNOWN      0
#define PROCESS_PRIORITY_CLASS_IDLE         1
#define PROCESS_PRIORITY_CLASS_NORMAL       2
#define PROCESS_PRIORITY_CLASS_HIGH         3
#define PROCESS_PRIORITY_CLASS_REALTIME     4
#define PROCESS_PRIORITY_CLASS_BELOW_NORMAL 5
#define PROCESS_PRIORITY_CLASS_ABOVE_NORMAL 6

typedef struct _PROCESS_PRIORITY_CLASS {
    BOOLEAN Foreground;
    UCHAR PriorityClass;
} PROCESS_PRIORITY_CLASS, *PPROCESS_PRIORITY_CLASS;
C_ASSERT_SIZE(PROCESS_PRIORITY_CLASS, 2);
