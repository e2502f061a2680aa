/*
 * ntobapi.h - the object API that user mode sees: access masks, OBJECT_ATTRIBUTES,
 * handle attributes, the pseudo-handles, and the structures of NtQueryObject,
 * NtSetInformationObject, NtQueryDirectoryObject and NtDuplicateObject, with NT's
 * names, values and i386 layouts (the same ones winnt.h and the DDK give).
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

/* ---- access masks ---- */

/*
 * An ACCESS_MASK: bits 0-15 are the rights specific to one object type, 16-20 the
 * standard rights every type has, 24 and 25 special requests, 28-31 the generic
 * rights that each type maps to its own specific ones (GENERIC_MAPPING).
 */
typedef ACCESS_MASK *PACCESS_MASK;

#define DELETE                      0x00010000UL
#define READ_CONTROL                0x00020000UL
#define WRITE_DAC                   0x00040000UL
#define WRITE_OWNER                 0x00080000UL
#define SYNCHRONIZE                 0x00100000UL

#define STANDARD_RIGHTS_REQUIRED    0x000F0000UL
#define STANDARD_RIGHTS_READ        READ_CONTROL
#define STANDARD_RIGHTS_WRITE       READ_CONTROL
#define STANDARD_RIGHTS_EXECUTE     READ_CONTROL
#define STANDARD_RIGHTS_ALL         0x001F0000UL
#define SPECIFIC_RIGHTS_ALL         0x0000FFFFUL

#define ACCESS_SYSTEM_SECURITY      0x01000000UL
#define MAXIMUM_ALLOWED             0x02000000UL

#define GENERIC_READ                0x80000000UL
#define GENERIC_WRITE               0x40000000UL
#define GENERIC_EXECUTE             0x20000000UL
#define GENERIC_ALL                 0x10000000UL

/* What each generic right means for one object type (OBJECT_TYPE_INITIALIZER). */
typedef struct _GENERIC_MAPPING {
    ACCESS_MASK GenericRead;
    ACCESS_MASK GenericWrite;
    ACCESS_MASK GenericExecute;
    ACCESS_MASK GenericAll;
} GENERIC_MAPPING, *PGENERIC_MAPPING;
typedef const GENERIC_MAPPING *PCGENERIC_MAPPING;

/* Rights of the object manager's own types. */
#define OBJECT_TYPE_CREATE              0x0001
#define OBJECT_TYPE_ALL_ACCESS          (STANDARD_RIGHTS_REQUIRED | 0x1)

#define DIRECTORY_QUERY                 0x0001
#define DIRECTORY_TRAVERSE              0x0002
#define DIRECTORY_CREATE_OBJECT         0x0004
#define DIRECTORY_CREATE_SUBDIRECTORY   0x0008
#define DIRECTORY_ALL_ACCESS            (STANDARD_RIGHTS_REQUIRED | 0xF)

#define SYMBOLIC_LINK_QUERY             0x0001
#define SYMBOLIC_LINK_ALL_ACCESS        (STANDARD_RIGHTS_REQUIRED | 0x1)

/* ---- security: only the names the object API passes around (no SRM yet) ---- */

typedef PVOID PSECURITY_DESCRIPTOR;
typedef struct _SECURITY_QUALITY_OF_SERVICE *PSECURITY_QUALITY_OF_SERVICE;

/* ---- OBJECT_ATTRIBUTES ---- */

/* OBJECT_ATTRIBUTES.Attributes (and handle attributes: OBJ_INHERIT, OBJ_PROTECT_CLOSE). */
#define OBJ_PROTECT_CLOSE       0x00000001L /* handle only: NtClose refuses it */
#define OBJ_INHERIT             0x00000002L
#define OBJ_AUDIT_OBJECT_CLOSE  0x00000004L /* handle only */
#define OBJ_PERMANENT           0x00000010L
#define OBJ_EXCLUSIVE           0x00000020L
#define OBJ_CASE_INSENSITIVE    0x00000040L
#define OBJ_OPENIF              0x00000080L
#define OBJ_OPENLINK            0x00000100L
#define OBJ_KERNEL_HANDLE       0x00000200L
#define OBJ_FORCE_ACCESS_CHECK  0x00000400L
#define OBJ_VALID_ATTRIBUTES    0x000007F2L

typedef struct _OBJECT_ATTRIBUTES {
    ULONG Length;                       /* 0x00: sizeof(OBJECT_ATTRIBUTES) */
    HANDLE RootDirectory;               /* 0x04: ObjectName is relative to it, or NULL */
    PUNICODE_STRING ObjectName;         /* 0x08 */
    ULONG Attributes;                   /* 0x0C: OBJ_* */
    PVOID SecurityDescriptor;           /* 0x10: PSECURITY_DESCRIPTOR */
    PVOID SecurityQualityOfService;     /* 0x14: PSECURITY_QUALITY_OF_SERVICE */
} OBJECT_ATTRIBUTES, *POBJECT_ATTRIBUTES;
C_ASSERT_OFFSET(OBJECT_ATTRIBUTES, RootDirectory, 0x04);
C_ASSERT_OFFSET(OBJECT_ATTRIBUTES, ObjectName, 0x08);
C_ASSERT_OFFSET(OBJECT_ATTRIBUTES, Attributes, 0x0C);
C_ASSERT_OFFSET(OBJECT_ATTRIBUTES, SecurityQualityOfService, 0x14);
C_ASSERT_SIZE(OBJECT_ATTRIBUTES, 0x18);

#define InitializeObjectAttributes(p, n, a, r, s) \
    do {                                          \
        (p)->Length = sizeof(OBJECT_ATTRIBUTES);  \
        (p)->RootDirectory = (r);                 \
        (p)->Attributes = (a);                    \
        (p)->ObjectName = (n);                    \
        (p)->SecurityDescriptor = (s);            \
        (p)->SecurityQualityOfService = NULL;     \
    } while (0)

/* The separator of object names; a name that starts with it is absolute. */
#define OBJ_NAME_PATH_SEPARATOR ((WCHAR)L'\\')

/* ---- handles ---- */

/* Pseudo-handles: the caller's own process and thread, never in any table. */
#define NtCurrentProcess() ((HANDLE)(LONG_PTR)-1)
#define NtCurrentThread()  ((HANDLE)(LONG_PTR)-2)

/* NtDuplicateObject options. */
#define DUPLICATE_CLOSE_SOURCE      0x00000001
#define DUPLICATE_SAME_ACCESS       0x00000002
#define DUPLICATE_SAME_ATTRIBUTES   0x00000004

/* ---- NtQueryObject, NtSetInformationObject ---- */

typedef enum _OBJECT_INFORMATION_CLASS {
    ObjectBasicInformation = 0,
    ObjectNameInformation = 1,
    ObjectTypeInformation = 2,
    ObjectTypesInformation = 3,
    ObjectHandleFlagInformation = 4,
} OBJECT_INFORMATION_CLASS;

typedef struct _OBJECT_BASIC_INFORMATION {
    ULONG Attributes;               /* 0x00: handle attributes | OBJ_PERMANENT | OBJ_EXCLUSIVE */
    ACCESS_MASK GrantedAccess;      /* 0x04 */
    ULONG HandleCount;              /* 0x08 */
    ULONG PointerCount;             /* 0x0C: counts the query's own reference too */
    ULONG PagedPoolCharge;          /* 0x10 */
    ULONG NonPagedPoolCharge;       /* 0x14 */
    ULONG Reserved[3];              /* 0x18 */
    ULONG NameInfoSize;             /* 0x24: what ObjectNameInformation needs, 0 unnamed */
    ULONG TypeInfoSize;             /* 0x28 */
    ULONG SecurityDescriptorSize;   /* 0x2C */
    LARGE_INTEGER CreationTime;     /* 0x30: symbolic links only */
} OBJECT_BASIC_INFORMATION, *POBJECT_BASIC_INFORMATION;
C_ASSERT_OFFSET(OBJECT_BASIC_INFORMATION, NameInfoSize, 0x24);
C_ASSERT_OFFSET(OBJECT_BASIC_INFORMATION, CreationTime, 0x30);
C_ASSERT_SIZE(OBJECT_BASIC_INFORMATION, 0x38);

/* The name follows the structure in the caller's buffer, NUL-terminated. */
typedef struct _OBJECT_NAME_INFORMATION {
    UNICODE_STRING Name;
} OBJECT_NAME_INFORMATION, *POBJECT_NAME_INFORMATION;

typedef struct _OBJECT_TYPE_INFORMATION {
    UNICODE_STRING TypeName;            /* 0x00: the name follows the structure */
    ULONG TotalNumberOfObjects;         /* 0x08 */
    ULONG TotalNumberOfHandles;         /* 0x0C */
    ULONG TotalPagedPoolUsage;          /* 0x10 */
    ULONG TotalNonPagedPoolUsage;       /* 0x14 */
    ULONG TotalNamePoolUsage;           /* 0x18 */
    ULONG TotalHandleTableUsage;        /* 0x1C */
    ULONG HighWaterNumberOfObjects;     /* 0x20 */
    ULONG HighWaterNumberOfHandles;     /* 0x24 */
    ULONG HighWaterPagedPoolUsage;      /* 0x28 */
    ULONG HighWaterNonPagedPoolUsage;   /* 0x2C */
    ULONG HighWaterNamePoolUsage;       /* 0x30 */
    ULONG HighWaterHandleTableUsage;    /* 0x34 */
    ULONG InvalidAttributes;            /* 0x38 */
    GENERIC_MAPPING GenericMapping;     /* 0x3C */
    ULONG ValidAccessMask;              /* 0x4C */
    BOOLEAN SecurityRequired;           /* 0x50 */
    BOOLEAN MaintainHandleCount;        /* 0x51 */
    USHORT MaintainTypeList;            /* 0x52 */
    ULONG PoolType;                     /* 0x54: a POOL_TYPE */
    ULONG DefaultPagedPoolCharge;       /* 0x58 */
    ULONG DefaultNonPagedPoolCharge;    /* 0x5C */
} OBJECT_TYPE_INFORMATION, *POBJECT_TYPE_INFORMATION;
C_ASSERT_OFFSET(OBJECT_TYPE_INFORMATION, InvalidAttributes, 0x38);
C_ASSERT_OFFSET(OBJECT_TYPE_INFORMATION, ValidAccessMask, 0x4C);
C_ASSERT_OFFSET(OBJECT_TYPE_INFORMATION, PoolType, 0x54);
C_ASSERT_SIZE(OBJECT_TYPE_INFORMATION, 0x60);

/* ObjectTypesInformation: this, then one OBJECT_TYPE_INFORMATION per type, each
   followed by its name and aligned to a pointer. */
typedef struct _OBJECT_TYPES_INFORMATION {
    ULONG NumberOfTypes;
} OBJECT_TYPES_INFORMATION, *POBJECT_TYPES_INFORMATION;

typedef struct _OBJECT_HANDLE_FLAG_INFORMATION {
    BOOLEAN Inherit;
    BOOLEAN ProtectFromClose;
} OBJECT_HANDLE_FLAG_INFORMATION, *POBJECT_HANDLE_FLAG_INFORMATION;
C_ASSERT_SIZE(OBJECT_HANDLE_FLAG_INFORMATION, 2);

/* ---- NtQueryDirectoryObject ---- */

/* An array of these ends with an all-zero one; the strings follow it. */
typedef struct _OBJECT_DIRECTORY_INFORMATION {
    UNICODE_STRING Name;
    UNICODE_STRING TypeName;
} OBJECT_DIRECTORY_INFORMATION, *POBJECT_DIRECTORY_INFORMATION;
C_ASSERT_SIZE(OBJECT_DIRECTORY_INFORMATION, 0x10);
