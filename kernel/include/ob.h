/*
 * ob.h - what the object manager (ob/) offers the rest of the kernel: object headers
 * and types, references, handles, the namespace, and the object services.
 *
 * Every object is one pool block: [OBJECT_HEADER_NAME_INFO] OBJECT_HEADER body.
 * The header counts pointer references (PointerCount: every handle, every name in a
 * directory and every ObReferenceObject*) and handles (HandleCount). A temporary
 * object loses its name when its last handle is closed and is deleted (its type's
 * delete procedure, then the memory) when its last reference goes; a permanent one
 * (OBJ_PERMANENT) keeps its name until ObMakeTemporaryObject. NT: ntos\ob, ob.h.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/ntobapi.h>
#include <ex.h>

/* Objects of other components the object manager passes around. */
typedef struct _EPROCESS *PEPROCESS;            /* kernel/ps/ (process issue) */
typedef struct _ACCESS_STATE *PACCESS_STATE;    /* the security reference monitor's:
                                                   there is none yet, pass NULL */
typedef struct _OBJECT_TYPE OBJECT_TYPE, *POBJECT_TYPE;
typedef struct _OBJECT_DIRECTORY OBJECT_DIRECTORY, *POBJECT_DIRECTORY;

/* ---- the header in front of every object ---- */

/* OBJECT_HEADER.Flags, NT's values. */
#define OB_FLAG_NEW_OBJECT              0x01    /* created, not inserted yet */
#define OB_FLAG_KERNEL_OBJECT           0x02    /* created with OwnershipMode KernelMode */
#define OB_FLAG_CREATOR_INFO            0x04    /* (not used here) */
#define OB_FLAG_EXCLUSIVE_OBJECT        0x08    /* (not used here) */
#define OB_FLAG_PERMANENT_OBJECT        0x10    /* keeps its name without handles */
#define OB_FLAG_DEFAULT_SECURITY_QUOTA  0x20    /* (not used here) */
#define OB_FLAG_SINGLE_HANDLE_ENTRY     0x40    /* (not used here) */
#define OB_FLAG_DELETED_INLINE          0x80    /* (not used here) */

/*
 * What ObCreateObject captured from OBJECT_ATTRIBUTES, kept until ObInsertObject
 * (NT: OBJECT_CREATE_INFORMATION). The name itself is in the name info.
 */
typedef struct _OBJECT_CREATE_INFORMATION {
    ULONG Attributes;                       /* 0x00: OBJ_* */
    HANDLE RootDirectory;                   /* 0x04 */
    PVOID ParseContext;                     /* 0x08 */
    KPROCESSOR_MODE ProbeMode;              /* 0x0C */
    ULONG PagedPoolCharge;                  /* 0x10: quotas are not charged here */
    ULONG NonPagedPoolCharge;               /* 0x14 */
    ULONG SecurityDescriptorCharge;         /* 0x18 */
    PSECURITY_DESCRIPTOR SecurityDescriptor;        /* 0x1C: accepted, not used (no SRM) */
    PSECURITY_QUALITY_OF_SERVICE SecurityQos;       /* 0x20: passed to parse procedures */
} OBJECT_CREATE_INFORMATION, *POBJECT_CREATE_INFORMATION;

typedef struct _OBJECT_HEADER {
    LONG PointerCount;                      /* 0x00: references, handles included */
    union {
        LONG HandleCount;                   /* 0x04 */
        PVOID NextToFree;                   /*       while queued for deferred deletion */
    };
    POBJECT_TYPE Type;                      /* 0x08 */
    UCHAR NameInfoOffset;                   /* 0x0C: bytes back to the name info, or 0 */
    UCHAR HandleInfoOffset;                 /* 0x0D: 0 (no per-process handle counts) */
    UCHAR QuotaInfoOffset;                  /* 0x0E: 0 (no quotas) */
    UCHAR Flags;                            /* 0x0F: OB_FLAG_* */
    union {
        POBJECT_CREATE_INFORMATION ObjectCreateInfo;    /* 0x10: while OB_FLAG_NEW_OBJECT */
        PVOID QuotaBlockCharged;
    };
    PSECURITY_DESCRIPTOR SecurityDescriptor;    /* 0x14: NULL (no SRM yet) */
    LONGLONG Body;                          /* 0x18: the object itself starts here */
} OBJECT_HEADER, *POBJECT_HEADER;
C_ASSERT_OFFSET(OBJECT_HEADER, PointerCount, 0x00);
C_ASSERT_OFFSET(OBJECT_HEADER, HandleCount, 0x04);
C_ASSERT_OFFSET(OBJECT_HEADER, NextToFree, 0x04);
C_ASSERT_OFFSET(OBJECT_HEADER, Type, 0x08);
C_ASSERT_OFFSET(OBJECT_HEADER, NameInfoOffset, 0x0C);
C_ASSERT_OFFSET(OBJECT_HEADER, HandleInfoOffset, 0x0D);
C_ASSERT_OFFSET(OBJECT_HEADER, QuotaInfoOffset, 0x0E);
C_ASSERT_OFFSET(OBJECT_HEADER, Flags, 0x0F);
C_ASSERT_OFFSET(OBJECT_HEADER, ObjectCreateInfo, 0x10);
C_ASSERT_OFFSET(OBJECT_HEADER, SecurityDescriptor, 0x14);
C_ASSERT_OFFSET(OBJECT_HEADER, Body, 0x18);

/* Just before the header of a named object (NT: OBJECT_HEADER_NAME_INFO). */
typedef struct _OBJECT_HEADER_NAME_INFO {
    POBJECT_DIRECTORY Directory;            /* 0x00: the directory it is in, or NULL */
    UNICODE_STRING Name;                    /* 0x04: the last component only */
    ULONG QueryReferences;                  /* 0x0C: (not used here) */
} OBJECT_HEADER_NAME_INFO, *POBJECT_HEADER_NAME_INFO;
C_ASSERT_OFFSET(OBJECT_HEADER_NAME_INFO, Name, 0x04);
C_ASSERT_SIZE(OBJECT_HEADER_NAME_INFO, 0x10);

#define OBJECT_TO_OBJECT_HEADER(Object) CONTAINING_RECORD((Object), OBJECT_HEADER, Body)
#define OBJECT_HEADER_TO_NAME_INFO(Header)                                              \
    ((Header)->NameInfoOffset != 0                                                      \
         ? (POBJECT_HEADER_NAME_INFO)((PUCHAR)(Header) - (Header)->NameInfoOffset)      \
         : NULL)

/* What ObReferenceObjectByHandle tells about the handle. */
typedef struct _OBJECT_HANDLE_INFORMATION {
    ULONG HandleAttributes;                 /* OBJ_INHERIT, OBJ_PROTECT_CLOSE, OBJ_AUDIT_OBJECT_CLOSE */
    ACCESS_MASK GrantedAccess;
} OBJECT_HANDLE_INFORMATION, *POBJECT_HANDLE_INFORMATION;

/* ---- object types ---- */

/* Why a handle is being made (the open procedure's first argument). */
typedef enum _OB_OPEN_REASON {
    ObCreateHandle,         /* ObInsertObject of a new object */
    ObOpenHandle,           /* an open by name or pointer (OBJ_OPENIF included) */
    ObDuplicateHandle,      /* NtDuplicateObject */
    ObInheritHandle,        /* ObInitProcess copying a parent's inheritable handle */
    ObMaxOpenReason
} OB_OPEN_REASON;

typedef struct _OB_DUMP_CONTROL {
    PVOID Stream;
    ULONG Detail;
} OB_DUMP_CONTROL, *POB_DUMP_CONTROL;

typedef enum _SECURITY_OPERATION_CODE {
    SetSecurityDescriptor,
    QuerySecurityDescriptor,
    DeleteSecurityDescriptor,
    AssignSecurityDescriptor
} SECURITY_OPERATION_CODE;
typedef ULONG SECURITY_INFORMATION, *PSECURITY_INFORMATION;

/*
 * The type procedures (NT 2003's signatures). When each is called:
 *   Open      - a handle was made (HandleCount is the new count); a failure status
 *               undoes the handle.
 *   Close     - a handle was closed; SystemHandleCount is the count before, so 1
 *               means the last handle. ProcessHandleCount is 0: there is no
 *               per-process handle database (NT keeps one only for types with
 *               MaintainHandleCount, which ObCreateObjectType refuses for now).
 *   Delete    - the last reference went; the memory is freed right after.
 *   Parse     - a lookup reached an object of this type (see oblookup.c).
 *   QueryName - NtQueryObject(ObjectNameInformation) asks the type for the name.
 *   OkayToClose - NtClose asks first; FALSE gives STATUS_HANDLE_NOT_CLOSABLE.
 *   Dump, Security - never called: NT calls Dump only from debug builds, and there
 *               is no security reference monitor yet.
 */
typedef VOID (*OB_DUMP_METHOD)(PVOID Object, POB_DUMP_CONTROL Control);
typedef NTSTATUS (*OB_OPEN_METHOD)(OB_OPEN_REASON OpenReason, PEPROCESS Process, PVOID Object,
                                   ACCESS_MASK GrantedAccess, ULONG HandleCount);
typedef VOID (*OB_CLOSE_METHOD)(PEPROCESS Process, PVOID Object, ACCESS_MASK GrantedAccess,
                                ULONG ProcessHandleCount, ULONG SystemHandleCount);
typedef VOID (*OB_DELETE_METHOD)(PVOID Object);
typedef NTSTATUS (*OB_PARSE_METHOD)(PVOID ParseObject, PVOID ObjectType, PACCESS_STATE AccessState,
                                    KPROCESSOR_MODE AccessMode, ULONG Attributes,
                                    PUNICODE_STRING CompleteName, PUNICODE_STRING RemainingName,
                                    PVOID Context, PSECURITY_QUALITY_OF_SERVICE SecurityQos,
                                    PVOID *Object);
typedef NTSTATUS (*OB_SECURITY_METHOD)(PVOID Object, SECURITY_OPERATION_CODE OperationCode,
                                       PSECURITY_INFORMATION SecurityInformation,
                                       PSECURITY_DESCRIPTOR SecurityDescriptor, PULONG CapturedLength,
                                       PSECURITY_DESCRIPTOR *ObjectsSecurityDescriptor,
                                       POOL_TYPE PoolType, PGENERIC_MAPPING GenericMapping);
typedef NTSTATUS (*OB_QUERYNAME_METHOD)(PVOID Object, BOOLEAN HasObjectName,
                                        POBJECT_NAME_INFORMATION ObjectNameInfo, ULONG Length,
                                        PULONG ReturnLength, KPROCESSOR_MODE Mode);
typedef BOOLEAN (*OB_OKAYTOCLOSE_METHOD)(PEPROCESS Process, PVOID Object, HANDLE Handle,
                                         KPROCESSOR_MODE PreviousMode);

/* What a component says about its type (NT: OBJECT_TYPE_INITIALIZER, i386 layout). */
typedef struct _OBJECT_TYPE_INITIALIZER {
    USHORT Length;                          /* 0x00: sizeof(OBJECT_TYPE_INITIALIZER) */
    BOOLEAN UseDefaultObject;               /* 0x02: waits use a default event (issue 5) */
    BOOLEAN CaseInsensitive;                /* 0x03: names of this type ignore case */
    ULONG InvalidAttributes;                /* 0x04: OBJ_* refused for this type */
    GENERIC_MAPPING GenericMapping;         /* 0x08 */
    ULONG ValidAccessMask;                  /* 0x18 */
    BOOLEAN SecurityRequired;               /* 0x1C */
    BOOLEAN MaintainHandleCount;            /* 0x1D: must be FALSE (see above) */
    BOOLEAN MaintainTypeList;               /* 0x1E: must be FALSE (no creator info) */
    POOL_TYPE PoolType;                     /* 0x20: the pool the objects come from */
    ULONG DefaultPagedPoolCharge;           /* 0x24 */
    ULONG DefaultNonPagedPoolCharge;        /* 0x28 */
    OB_DUMP_METHOD DumpProcedure;           /* 0x2C */
    OB_OPEN_METHOD OpenProcedure;           /* 0x30 */
    OB_CLOSE_METHOD CloseProcedure;         /* 0x34 */
    OB_DELETE_METHOD DeleteProcedure;       /* 0x38 */
    OB_PARSE_METHOD ParseProcedure;         /* 0x3C */
    OB_SECURITY_METHOD SecurityProcedure;   /* 0x40 */
    OB_QUERYNAME_METHOD QueryNameProcedure; /* 0x44 */
    OB_OKAYTOCLOSE_METHOD OkayToCloseProcedure; /* 0x48 */
} OBJECT_TYPE_INITIALIZER, *POBJECT_TYPE_INITIALIZER;
C_ASSERT_OFFSET(OBJECT_TYPE_INITIALIZER, GenericMapping, 0x08);
C_ASSERT_OFFSET(OBJECT_TYPE_INITIALIZER, ValidAccessMask, 0x18);
C_ASSERT_OFFSET(OBJECT_TYPE_INITIALIZER, PoolType, 0x20);
C_ASSERT_OFFSET(OBJECT_TYPE_INITIALIZER, OpenProcedure, 0x30);
C_ASSERT_OFFSET(OBJECT_TYPE_INITIALIZER, ParseProcedure, 0x3C);
C_ASSERT_OFFSET(OBJECT_TYPE_INITIALIZER, OkayToCloseProcedure, 0x48);
C_ASSERT_SIZE(OBJECT_TYPE_INITIALIZER, 0x4C);

/*
 * A type is itself an object, of type "Type", named in \ObjectTypes. NT's type
 * starts with an ERESOURCE (Mutex) and ends with four more (ObjectLocks); here the
 * object manager's single lock (obp.h) stands in for them, so they are left out.
 */
struct _OBJECT_TYPE {
    UNICODE_STRING Name;
    PVOID DefaultObject;                    /* for waits (issue 5): NULL for now */
    ULONG Index;                            /* 1-based, in creation order */
    ULONG TotalNumberOfObjects;
    ULONG TotalNumberOfHandles;
    ULONG HighWaterNumberOfObjects;
    ULONG HighWaterNumberOfHandles;
    OBJECT_TYPE_INITIALIZER TypeInfo;
    ULONG Key;                              /* pool tag of its objects: the name's first 4 chars */
};

/* ---- directories and symbolic links ---- */

#define NUMBER_HASH_BUCKETS 37

typedef struct _OBJECT_DIRECTORY_ENTRY {
    struct _OBJECT_DIRECTORY_ENTRY *ChainLink;  /* 0x00: next in the bucket */
    PVOID Object;                               /* 0x04: holds a reference */
} OBJECT_DIRECTORY_ENTRY, *POBJECT_DIRECTORY_ENTRY;

/* NT XP's layout; the lock and the device map are not used here. */
struct _OBJECT_DIRECTORY {
    POBJECT_DIRECTORY_ENTRY HashBuckets[NUMBER_HASH_BUCKETS];  /* 0x00 */
    ULONG_PTR Lock;                         /* 0x94: NT's EX_PUSH_LOCK; see ObpLock */
    PVOID DeviceMap;                        /* 0x98: NULL: \?? is one global directory */
    ULONG SessionId;                        /* 0x9C */
    USHORT Reserved;                        /* 0xA0 */
    USHORT SymbolicLinkUsageCount;          /* 0xA2 */
};
C_ASSERT_OFFSET(OBJECT_DIRECTORY, Lock, 0x94);
C_ASSERT_SIZE(OBJECT_DIRECTORY, 0xA4);

typedef struct _OBJECT_SYMBOLIC_LINK {
    LARGE_INTEGER CreationTime;             /* 0x00 */
    UNICODE_STRING LinkTarget;              /* 0x08: NUL-terminated (MaximumLength = Length + 2) */
    UNICODE_STRING LinkTargetRemaining;     /* 0x10: (NT's drive-letter snapping; not used) */
    PVOID LinkTargetObject;                 /* 0x18: (not used) */
    ULONG DosDeviceDriveIndex;              /* 0x1C: (not used) */
} OBJECT_SYMBOLIC_LINK, *POBJECT_SYMBOLIC_LINK;
C_ASSERT_OFFSET(OBJECT_SYMBOLIC_LINK, LinkTarget, 0x08);
C_ASSERT_SIZE(OBJECT_SYMBOLIC_LINK, 0x20);

/* NT's limit of reparses (symbolic links, parse procedures) in one lookup. */
#define OBJ_MAX_REPARSE_ATTEMPTS 32

/*
 * The pool tag of captured names. A parse procedure that returns STATUS_REPARSE
 * puts the new name in CompleteName as a block from
 * ExAllocatePoolWithTag(PagedPool, ..., OB_NAME_TAG) and leaves the old block
 * alone: the object manager frees it.
 */
#define OB_NAME_TAG EX_POOL_TAG('O', 'b', 'N', 'm')

/* ---- the object manager's objects and tables ---- */

extern POBJECT_TYPE ObpTypeObjectType;         /* "Type" */
extern POBJECT_TYPE ObpDirectoryObjectType;    /* "Directory" */
extern POBJECT_TYPE ObpSymbolicLinkObjectType; /* "SymbolicLink" */
extern POBJECT_DIRECTORY ObpRootDirectoryObject;   /* \ */
extern POBJECT_DIRECTORY ObpTypeDirectoryObject;   /* \ObjectTypes */

/*
 * The kernel's handle table: OBJ_KERNEL_HANDLE handles live here and carry the
 * high bit (0x80000000). As in NT it is also the System process's own table, and
 * until processes exist it is "the current process's table" for every caller.
 */
extern PHANDLE_TABLE ObpKernelHandleTable;

/*
 * The client-ID table (NT: PspCidTable): the process issue makes process and
 * thread IDs with ExCreateHandle(PspCidTable, &Entry), Entry.Object being the
 * EPROCESS or ETHREAD and GrantedAccess 0, so IDs are multiples of 4 starting at 4;
 * ExMapHandleToPointer finds them again, ExDestroyHandle frees them. It lives in
 * ps/ in NT: ObInitSystem creates it until the process manager exists.
 */
extern PHANDLE_TABLE PspCidTable;

/* ---- hooks the process issue fills in (NULL until then) ---- */

/*
 * ObpCurrentProcessObject / ObpCurrentThreadObject: the caller's EPROCESS / ETHREAD
 * (object bodies, not referenced). NtCurrentProcess() and NtCurrentThread() resolve
 * through them; while they are NULL the pseudo-handles are STATUS_INVALID_HANDLE.
 * ObpProcessObjectTable: the handle table of a process object (EPROCESS.ObjectTable),
 * NULL when Object is not a process or its table is gone (it is exiting).
 * The current process's handle table is ObpProcessObjectTable(ObpCurrentProcessObject());
 * while the hooks are NULL it is ObpKernelHandleTable, the System process's.
 */
extern PVOID (*ObpCurrentProcessObject)(VOID);
extern PVOID (*ObpCurrentThreadObject)(VOID);
extern PHANDLE_TABLE (*ObpProcessObjectTable)(PVOID Object);

/* The current process's handle table (NT: ObpGetObjectTable), NULL while it exits. */
PHANDLE_TABLE ObpGetObjectTable(VOID);

/*
 * The caller's previous mode (NT: KeGetPreviousMode). Returns KernelMode for now:
 * the system-service issue makes it read the current thread's PreviousMode.
 */
KPROCESSOR_MODE ExGetPreviousMode(VOID);

/* ---- start-up ---- */

/* Types, the namespace, the kernel and CID handle tables. Bugchecks on failure. */
VOID ObInitSystem(VOID);

/* ---- types and access ---- */

NTSTATUS ObCreateObjectType(PUNICODE_STRING TypeName, POBJECT_TYPE_INITIALIZER ObjectTypeInitializer,
                            PSECURITY_DESCRIPTOR SecurityDescriptor, POBJECT_TYPE *ObjectType);

/* Replaces the generic rights in *AccessMask by the type's specific ones. (It belongs
   to the run-time library, NT: RtlMapGenericMask; it lives in ob/ until rtl has it.) */
VOID RtlMapGenericMask(PACCESS_MASK AccessMask, const GENERIC_MAPPING *GenericMapping);

/* ---- objects ---- */

/*
 * A new object with one reference (the caller's) and no handle, body zeroed.
 * ProbeMode says whether ObjectAttributes (optional) must be probed; OwnershipMode
 * KernelMode marks it a kernel object (lookups through its name use KernelMode).
 */
NTSTATUS ObCreateObject(KPROCESSOR_MODE ProbeMode, POBJECT_TYPE ObjectType,
                        POBJECT_ATTRIBUTES ObjectAttributes, KPROCESSOR_MODE OwnershipMode,
                        PVOID ParseContext, ULONG ObjectBodySize, ULONG PagedPoolCharge,
                        ULONG NonPagedPoolCharge, PVOID *Object);

/*
 * Names the object (if it was created with a name) and, when Handle is given,
 * makes a handle to it in the current process's table (the kernel's with
 * OBJ_KERNEL_HANDLE from kernel mode). The creation reference becomes the handle's;
 * ObjectPointerBias more references are the caller's on success. Without Handle the
 * creation reference stays the caller's. With OBJ_OPENIF and the name taken by an
 * object of the same type, the handle is to that one, NewObject says which, the
 * status is STATUS_OBJECT_NAME_EXISTS and the new object is deleted. On any failure
 * the new object is deleted. PassedAccessState must be NULL (no SRM yet).
 */
NTSTATUS ObInsertObject(PVOID Object, PACCESS_STATE PassedAccessState, ACCESS_MASK DesiredAccess,
                        ULONG ObjectPointerBias, PVOID *NewObject, PHANDLE Handle);

LONG_PTR ObfReferenceObject(PVOID Object);
/* A reference unless the object is already on its way to deletion (count 0): for
   lookups that find objects outside the handle tables, such as by ID (NT's). */
BOOLEAN ObReferenceObjectSafe(PVOID Object);
LONG_PTR ObfDereferenceObject(PVOID Object);
#define ObReferenceObject(Object)   ObfReferenceObject(Object)
#define ObDereferenceObject(Object) ObfDereferenceObject(Object)
/* A last reference dropped without deleting on this stack: the object waits in the
   queue of deferred deletions, drained by the dereference that called the caller (NT:
   ObDereferenceObjectDeferDelete). For delete procedures that release objects of
   their own kind, so that a chain is freed one link at a time, not by recursion. */
LONG_PTR ObDereferenceObjectDeferDelete(PVOID Object);

NTSTATUS ObReferenceObjectByPointer(PVOID Object, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                    KPROCESSOR_MODE AccessMode);
NTSTATUS ObReferenceObjectByHandle(HANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                   KPROCESSOR_MODE AccessMode, PVOID *Object,
                                   POBJECT_HANDLE_INFORMATION HandleInformation);
NTSTATUS ObReferenceObjectByName(PUNICODE_STRING ObjectName, ULONG Attributes, PACCESS_STATE AccessState,
                                 ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                 KPROCESSOR_MODE AccessMode, PVOID ParseContext, PVOID *Object);
NTSTATUS ObOpenObjectByName(POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE ObjectType,
                            KPROCESSOR_MODE AccessMode, PACCESS_STATE AccessState,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, PHANDLE Handle);
NTSTATUS ObOpenObjectByPointer(PVOID Object, ULONG HandleAttributes, PACCESS_STATE PassedAccessState,
                               ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                               KPROCESSOR_MODE AccessMode, PHANDLE Handle);

/* Clears OBJ_PERMANENT; the name goes at once if there are no handles left. */
VOID ObMakeTemporaryObject(PVOID Object);

/* The full name ("\Dir\Name") into a kernel buffer (NT: ObQueryNameString). */
NTSTATUS ObQueryNameString(PVOID Object, POBJECT_NAME_INFORMATION ObjectNameInfo, ULONG Length,
                           PULONG ReturnLength);

/* NtClose's worker for a given previous mode (NT 2003: ObCloseHandle). */
NTSTATUS ObCloseHandle(HANDLE Handle, KPROCESSOR_MODE PreviousMode);

/*
 * Deletions asked for above APC_LEVEL wait in a queue; this runs them. It is
 * called by ObDereferenceObject and ObCreateObject at PASSIVE_LEVEL; the worker
 * threads of the dispatcher issue will call it too (NT: ObpProcessRemoveObjectQueue).
 */
VOID ObpProcessDeferredDeletes(VOID);

/* ---- processes (for the process issue) ---- */

/*
 * A new handle table for NewProcess: empty, or (InheritHandles) holding
 * ParentTable's OBJ_INHERIT handles at the same values, each counted as a new
 * handle with its type's open procedure called (ObInheritHandle).
 */
NTSTATUS ObInitProcess(PHANDLE_TABLE ParentTable, BOOLEAN InheritHandles, PEPROCESS NewProcess,
                       PHANDLE_TABLE *NewTable);

/* Closes every handle of a process's table (protected ones too), then frees it. */
VOID ObKillProcess(PHANDLE_TABLE Table);

/*
 * NtDuplicateObject's worker, between two tables. TargetTable NULL only closes the
 * source (DUPLICATE_CLOSE_SOURCE). Kernel handles (high bit) count only with
 * PreviousMode KernelMode and the kernel table as source; OBJ_KERNEL_HANDLE in
 * HandleAttributes from kernel mode puts the copy in the kernel table.
 */
NTSTATUS ObDuplicateObject(PHANDLE_TABLE SourceTable, HANDLE SourceHandle, PHANDLE_TABLE TargetTable,
                           PHANDLE TargetHandle, ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                           ULONG Options, KPROCESSOR_MODE PreviousMode);

/* ---- services (system calls once the system-service issue lands) ---- */

NTSTATUS NtClose(HANDLE Handle);
NTSTATUS NtDuplicateObject(HANDLE SourceProcessHandle, HANDLE SourceHandle, HANDLE TargetProcessHandle,
                           PHANDLE TargetHandle, ACCESS_MASK DesiredAccess, ULONG HandleAttributes,
                           ULONG Options);
NTSTATUS NtQueryObject(HANDLE Handle, OBJECT_INFORMATION_CLASS ObjectInformationClass,
                       PVOID ObjectInformation, ULONG ObjectInformationLength, PULONG ReturnLength);
NTSTATUS NtSetInformationObject(HANDLE Handle, OBJECT_INFORMATION_CLASS ObjectInformationClass,
                                PVOID ObjectInformation, ULONG ObjectInformationLength);
NTSTATUS NtMakeTemporaryObject(HANDLE Handle);
NTSTATUS NtCreateDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NtOpenDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NtQueryDirectoryObject(HANDLE DirectoryHandle, PVOID Buffer, ULONG Length,
                                BOOLEAN ReturnSingleEntry, BOOLEAN RestartScan, PULONG Context,
                                PULONG ReturnLength);
NTSTATUS NtCreateSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                    POBJECT_ATTRIBUTES ObjectAttributes, PUNICODE_STRING LinkTarget);
NTSTATUS NtOpenSymbolicLinkObject(PHANDLE LinkHandle, ACCESS_MASK DesiredAccess,
                                  POBJECT_ATTRIBUTES ObjectAttributes);
NTSTATUS NtQuerySymbolicLinkObject(HANDLE LinkHandle, PUNICODE_STRING LinkTarget, PULONG ReturnedLength);
