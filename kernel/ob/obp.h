/*
 * obp.h - the object manager's private header (NT: ntos\ob\obp.h).
 */
#pragma once

#include <ob.h>
#include <ke.h>
#include <kd.h>
#include <rtl.h>

/* Pool tags of the object manager's own blocks (OB_NAME_TAG is in ob.h). */
#define OB_CREATE_INFO_TAG      EX_POOL_TAG('O', 'b', 'C', 'i')
#define OB_DIRECTORY_ENTRY_TAG  EX_POOL_TAG('O', 'b', 'D', 'i')
#define OB_QUERY_TAG            EX_POOL_TAG('O', 'b', 'Q', 'r')

/*
 * NT keeps OBJ_PROTECT_CLOSE of a handle in its granted access, in the bit of
 * MAXIMUM_ALLOWED, which is never granted; the entry's low pointer bits hold
 * OBJ_INHERIT and OBJ_AUDIT_OBJECT_CLOSE (bit 0 is NT's entry lock bit).
 */
#define ObpAccessProtectCloseBit    MAXIMUM_ALLOWED
#define OBJ_HANDLE_ATTRIBUTES       (OBJ_INHERIT | OBJ_AUDIT_OBJECT_CLOSE)

/*
 * Kernel handles: the kernel table's handles with the high bit set, so that they
 * can never be confused with a process's (whose values stay below 2^26). Only
 * kernel-mode callers may use them; -1 and -2 are the pseudo-handles, not these.
 */
#define KERNEL_HANDLE_MASK          0x80000000UL
#define ObpIsKernelHandle(Handle, Mode)                                          \
    ((Mode) == KernelMode && ((ULONG_PTR)(Handle) & KERNEL_HANDLE_MASK) != 0 && \
     (Handle) != NtCurrentProcess() && (Handle) != NtCurrentThread())
#define ObpEncodeKernelHandle(Handle) ((HANDLE)((ULONG_PTR)(Handle) | KERNEL_HANDLE_MASK))
#define ObpDecodeKernelHandle(Handle) ((HANDLE)((ULONG_PTR)(Handle) & ~KERNEL_HANDLE_MASK))

/* The I/O manager's File type (kernel/io): a lookup relative to a file object is the
   one that may hand a name from '\' to its parse procedure, as in NT, whose object
   manager knows this one type of the I/O manager's by name too. */
extern POBJECT_TYPE IoFileObjectType;

/* NT's global switch (ObpCaseInsensitive, on since XP): types whose initializer says
   CaseInsensitive, and lookups with no type, always ignore case. */
extern BOOLEAN ObpCaseInsensitive;

/*
 * The object manager's lock. NT has a push lock per directory, a resource per type
 * and per-object locks; with one processor and no sleeping locks yet, one lock that
 * keeps interrupts off stands in for all of them. It covers directory contents,
 * names, handle counts, flags and type counters, and is only ever held for a few
 * instructions: no type procedure, pool call of unbounded length or user access runs
 * under it. It does not nest (asserted).
 */
VOID ObpLock(VOID);
VOID ObpUnlock(VOID);

/* The IRQL seam: the host unit tests decide the level they run at. */
#ifdef NT_HOST_TEST
KIRQL ObpTestGetCurrentIrql(VOID);
#define ObpGetCurrentIrql() ObpTestGetCurrentIrql()
#else
#define ObpGetCurrentIrql() KeGetCurrentIrql()
#endif

/* ---- obtype.c ---- */

#define OBP_MAX_DEFINED_OBJECT_TYPES 48     /* NT's size of ObpObjectTypes */
extern POBJECT_TYPE ObpObjectTypes[OBP_MAX_DEFINED_OBJECT_TYPES];

/*
 * The access a new handle gets for DesiredAccess: generic rights mapped, MAXIMUM_ALLOWED
 * read as everything the type has, limited to the type's valid rights. Without a
 * security reference monitor nothing else is checked, except that
 * ACCESS_SYSTEM_SECURITY needs a privilege that no user-mode caller holds yet.
 */
NTSTATUS ObpGrantAccess(POBJECT_TYPE ObjectType, ACCESS_MASK DesiredAccess, KPROCESSOR_MODE AccessMode,
                        PACCESS_MASK GrantedAccess);

/* Names every type created before \ObjectTypes existed (ObInitSystem). */
NTSTATUS ObpInsertTypesInDirectory(VOID);

/* ---- obcreate.c ---- */

/*
 * Copies *ObjectName (a user pointer when ProbeMode is UserMode, probed inside a
 * fault-recovery block) into a pool block with OB_NAME_TAG, NUL-terminated. An
 * empty name gives an empty string with no buffer.
 */
NTSTATUS ObpCaptureObjectName(KPROCESSOR_MODE ProbeMode, PUNICODE_STRING ObjectName,
                              PUNICODE_STRING CapturedName);
VOID ObpFreeObjectName(PUNICODE_STRING CapturedName);

/* Copies and checks OBJECT_ATTRIBUTES (optional) and captures the name. */
NTSTATUS ObpCaptureObjectCreateInformation(KPROCESSOR_MODE ProbeMode, POBJECT_ATTRIBUTES ObjectAttributes,
                                           POBJECT_CREATE_INFORMATION CreateInfo,
                                           PUNICODE_STRING CapturedName);

/*
 * One pool block holding the name info (when ObjectName is not empty: it takes the
 * captured buffer), the header and a zeroed body, with one reference. ObjectType
 * NULL is the bootstrap of the type "Type" (its caller makes it its own type).
 */
NTSTATUS ObpAllocateObject(POBJECT_CREATE_INFORMATION CreateInfo, KPROCESSOR_MODE OwnershipMode,
                           POBJECT_TYPE ObjectType, PUNICODE_STRING ObjectName, ULONG ObjectBodySize,
                           PVOID *Object);

/* Frees what ObCreateObject allocated: name, create information, the block. */
VOID ObpFreeObject(PVOID Object);

/* ---- obref.c ---- */

/* What happens when the last reference goes (NT: ObpRemoveObjectRoutine). */
VOID ObpRemoveObjectRoutine(PVOID Object);

/* ---- obhandle.c ---- */

/*
 * Makes a handle to Object, which the caller has referenced: that reference
 * becomes the handle's on success and stays the caller's on failure. Counts the
 * handle, calls the open procedure with OpenReason. Table NULL means the current
 * process's table, or the kernel's with OBJ_KERNEL_HANDLE from kernel mode.
 */
NTSTATUS ObpCreateHandle(OB_OPEN_REASON OpenReason, PVOID Object, PHANDLE_TABLE Table,
                         ACCESS_MASK GrantedAccess, ULONG HandleAttributes, KPROCESSOR_MODE AccessMode,
                         PHANDLE Handle);
NTSTATUS ObpIncrementHandleCount(OB_OPEN_REASON OpenReason, PEPROCESS Process, PVOID Object,
                                 ACCESS_MASK GrantedAccess);
VOID ObpDecrementHandleCount(PEPROCESS Process, PVOID Object, ACCESS_MASK GrantedAccess);

/* Closes Handle of Table (NT: ObpCloseHandle); Table is the decoded one. */
NTSTATUS ObpCloseHandle(PHANDLE_TABLE Table, HANDLE Handle, KPROCESSOR_MODE PreviousMode,
                        BOOLEAN IgnoreProtection);

/* The table a handle value is in for this mode, and the value there. NULL: none. */
PHANDLE_TABLE ObpTableOfHandle(HANDLE *Handle, KPROCESSOR_MODE AccessMode);

/* ---- obname.c ---- */

/* Takes the name of a temporary object away once it has no handles (NT's name). */
VOID ObpDeleteNameCheck(PVOID Object);

/* Object's full name in a new OB_QUERY_TAG pool block (empty, no block: unnamed). */
NTSTATUS ObpQueryFullName(PVOID Object, PUNICODE_STRING Name);
/* OBJECT_NAME_INFORMATION into a caller's buffer (see obname.c). */
NTSTATUS ObpQueryNameInformation(PVOID Object, PVOID Output, ULONG Length, PULONG ReturnLength,
                                 KPROCESSOR_MODE PreviousMode);

/* ---- oblookup.c ---- */

/*
 * Finds ObjectName (a captured name, which a reparse may replace: the caller frees
 * whatever block it holds at the end), starting at RootDirectory (a handle) or the
 * root. With InsertObject, a missing last component names InsertObject there;
 * either way *FoundObject is referenced. See oblookup.c for the rules.
 */
NTSTATUS ObpLookupObjectName(HANDLE RootDirectory, PUNICODE_STRING ObjectName, ULONG Attributes,
                             POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode, PVOID ParseContext,
                             PSECURITY_QUALITY_OF_SERVICE SecurityQos, PVOID InsertObject,
                             PVOID *FoundObject);

/* ---- obdir.c ---- */

WCHAR ObpUpcaseChar(WCHAR Char);
BOOLEAN ObpEqualName(PCUNICODE_STRING A, PCUNICODE_STRING B, BOOLEAN CaseInsensitive);

/* Under ObpLock: the object named Name in Directory, not referenced, or NULL. */
PVOID ObpLookupDirectoryEntry(POBJECT_DIRECTORY Directory, PCUNICODE_STRING Name, ULONG Attributes);
/* Under ObpLock: links Entry (allocated by the caller) for Object, named by its name info. */
VOID ObpInsertDirectoryEntry(POBJECT_DIRECTORY Directory, POBJECT_DIRECTORY_ENTRY Entry, PVOID Object);
/* Under ObpLock: unlinks Object from Directory and returns its entry to free. */
POBJECT_DIRECTORY_ENTRY ObpDeleteDirectoryEntry(POBJECT_DIRECTORY Directory, PVOID Object);

/* ---- oblink.c ---- */

NTSTATUS ObpParseSymbolicLink(PVOID ParseObject, PVOID ObjectType, PACCESS_STATE AccessState,
                              KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                              PUNICODE_STRING RemainingName, PVOID Context,
                              PSECURITY_QUALITY_OF_SERVICE SecurityQos, PVOID *Object);
VOID ObpDeleteSymbolicLink(PVOID Object);

/* ---- obinit.c ---- */

/* A counted string from a NUL-terminated WCHAR literal (no allocation). */
VOID ObpInitUnicodeString(PUNICODE_STRING String, PCWSTR Source);

/* Stores a new handle in the caller's variable, probed before the work began
   (user buffers go through ex/capture.c); a fault now leaves the handle open, as in NT. */
VOID ObpWriteHandle(PHANDLE Destination, HANDLE Handle, KPROCESSOR_MODE PreviousMode);
