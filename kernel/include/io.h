/*
 * io.h - what the I/O manager (io/) offers the rest of the kernel and its drivers:
 * driver, device and file objects, IRPs and their stack locations, and the calls
 * that make and send them (NT: wdm.h / ntddk.h, ntos\io).
 *
 * The objects keep NT's i386 layouts where a tool or a debugger extension could
 * look (offsets pinned below); the IRP is a simplified one (see struct _IRP).
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <nt/ntioapi.h>
#include <ob.h>
#include <kobjects.h>

/* NT's short integer types of the I/O structures (ntdef.h). */
typedef SHORT CSHORT;
typedef CHAR CCHAR;

typedef struct _DEVICE_OBJECT DEVICE_OBJECT, *PDEVICE_OBJECT;
typedef struct _DRIVER_OBJECT DRIVER_OBJECT, *PDRIVER_OBJECT;
typedef struct _FILE_OBJECT FILE_OBJECT, *PFILE_OBJECT;
typedef struct _IRP IRP, *PIRP;

/* The Type field of each I/O structure (NT's IO_TYPE_* values). */
#define IO_TYPE_DEVICE  3
#define IO_TYPE_DRIVER  4
#define IO_TYPE_FILE    5
#define IO_TYPE_IRP     6
#define IO_TYPE_VPB     10

/* ---- major functions (NT's numbers) ---- */
#define IRP_MJ_CREATE                   0x00
#define IRP_MJ_CREATE_NAMED_PIPE        0x01
#define IRP_MJ_CLOSE                    0x02
#define IRP_MJ_READ                     0x03
#define IRP_MJ_WRITE                    0x04
#define IRP_MJ_QUERY_INFORMATION        0x05
#define IRP_MJ_SET_INFORMATION          0x06
#define IRP_MJ_QUERY_EA                 0x07
#define IRP_MJ_SET_EA                   0x08
#define IRP_MJ_FLUSH_BUFFERS            0x09
#define IRP_MJ_QUERY_VOLUME_INFORMATION 0x0A
#define IRP_MJ_SET_VOLUME_INFORMATION   0x0B
#define IRP_MJ_DIRECTORY_CONTROL        0x0C
#define IRP_MN_QUERY_DIRECTORY          0x01    /* IRP_MJ_DIRECTORY_CONTROL's minor */
#define IRP_MJ_FILE_SYSTEM_CONTROL      0x0D
#define IRP_MN_MOUNT_VOLUME             0x01    /* IRP_MJ_FILE_SYSTEM_CONTROL's minor */
#define IRP_MJ_DEVICE_CONTROL           0x0E
#define IRP_MJ_INTERNAL_DEVICE_CONTROL  0x0F
#define IRP_MJ_SHUTDOWN                 0x10
#define IRP_MJ_LOCK_CONTROL             0x11
#define IRP_MJ_CLEANUP                  0x12
#define IRP_MJ_CREATE_MAILSLOT          0x13
#define IRP_MJ_QUERY_SECURITY           0x14
#define IRP_MJ_SET_SECURITY             0x15
#define IRP_MJ_POWER                    0x16
#define IRP_MJ_SYSTEM_CONTROL           0x17
#define IRP_MJ_DEVICE_CHANGE            0x18
#define IRP_MJ_QUERY_QUOTA              0x19
#define IRP_MJ_SET_QUOTA                0x1A
#define IRP_MJ_PNP                      0x1B
#define IRP_MJ_MAXIMUM_FUNCTION         0x1B

/* ---- device types, characteristics and flags (NT's values) ---- */
#define FILE_DEVICE_DISK                0x00000007
#define FILE_DEVICE_DISK_FILE_SYSTEM    0x00000008
#define FILE_DEVICE_NULL                0x00000015
#define FILE_DEVICE_CONSOLE             0x00000050
#define FILE_DEVICE_SECURE_OPEN         0x00000100      /* Characteristics */

#define DO_BUFFERED_IO                  0x00000004      /* the only transfer kind here */
#define DO_EXCLUSIVE                    0x00000008
#define DO_DIRECT_IO                    0x00000010      /* not honoured: every transfer is
                                                           buffered (there are no MDLs yet) */
#define DO_DEVICE_INITIALIZING          0x00000080
#define DO_DEVICE_DELETE_PENDING        0x80000000      /* NT keeps this in the device's
                                                           extension (DOE_DELETE_PENDING) */

/* ---- the volume parameter block: which file system a disk volume is mounted by ---- */
#define VPB_MOUNTED                     0x0001
#define MAXIMUM_VOLUME_LABEL_LENGTH     (32 * sizeof(WCHAR))

typedef struct _VPB {
    CSHORT Type;                        /* 0x00: IO_TYPE_VPB */
    CSHORT Size;                        /* 0x02 */
    USHORT Flags;                       /* 0x04: VPB_MOUNTED */
    USHORT VolumeLabelLength;           /* 0x06: bytes */
    PDEVICE_OBJECT DeviceObject;        /* 0x08: the file system's volume device */
    PDEVICE_OBJECT RealDevice;          /* 0x0C: the disk volume */
    ULONG SerialNumber;                 /* 0x10 */
    ULONG ReferenceCount;               /* 0x14 */
    WCHAR VolumeLabel[MAXIMUM_VOLUME_LABEL_LENGTH / sizeof(WCHAR)];  /* 0x18 */
} VPB, *PVPB;
C_ASSERT_SIZE(VPB, 0x58);

/* ---- drivers ---- */

typedef NTSTATUS (*PDRIVER_DISPATCH)(PDEVICE_OBJECT DeviceObject, PIRP Irp);
typedef NTSTATUS (*PDRIVER_INITIALIZE)(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
typedef VOID (*PDRIVER_UNLOAD)(PDRIVER_OBJECT DriverObject);

typedef struct _DRIVER_EXTENSION {
    PDRIVER_OBJECT DriverObject;        /* 0x00 */
    PVOID AddDevice;                    /* 0x04: (no plug and play) */
    ULONG Count;                        /* 0x08 */
    UNICODE_STRING ServiceKeyName;      /* 0x0C: (no registry) */
} DRIVER_EXTENSION, *PDRIVER_EXTENSION;

struct _DRIVER_OBJECT {
    CSHORT Type;                        /* 0x00: IO_TYPE_DRIVER */
    CSHORT Size;                        /* 0x02 */
    PDEVICE_OBJECT DeviceObject;        /* 0x04: its devices, through NextDevice */
    ULONG Flags;                        /* 0x08 */
    PVOID DriverStart;                  /* 0x0C: built-in drivers: NULL */
    ULONG DriverSize;                   /* 0x10 */
    PVOID DriverSection;                /* 0x14 */
    PDRIVER_EXTENSION DriverExtension;  /* 0x18: just after the object, in the same block */
    UNICODE_STRING DriverName;          /* 0x1C: "\Driver\Xxx" */
    PUNICODE_STRING HardwareDatabase;   /* 0x24: (no registry) */
    PVOID FastIoDispatch;               /* 0x28: (no fast I/O) */
    PDRIVER_INITIALIZE DriverInit;      /* 0x2C */
    PVOID DriverStartIo;                /* 0x30 */
    PDRIVER_UNLOAD DriverUnload;        /* 0x34 */
    PDRIVER_DISPATCH MajorFunction[IRP_MJ_MAXIMUM_FUNCTION + 1];    /* 0x38 */
};
C_ASSERT_OFFSET(DRIVER_OBJECT, DeviceObject, 0x04);
C_ASSERT_OFFSET(DRIVER_OBJECT, DriverExtension, 0x18);
C_ASSERT_OFFSET(DRIVER_OBJECT, DriverName, 0x1C);
C_ASSERT_OFFSET(DRIVER_OBJECT, DriverInit, 0x2C);
C_ASSERT_OFFSET(DRIVER_OBJECT, MajorFunction, 0x38);
C_ASSERT_SIZE(DRIVER_OBJECT, 0xA8);

/* ---- devices ---- */

struct _DEVICE_OBJECT {
    CSHORT Type;                        /* 0x00: IO_TYPE_DEVICE */
    USHORT Size;                        /* 0x02: with the extension */
    LONG ReferenceCount;                /* 0x04: file objects open on it */
    PDRIVER_OBJECT DriverObject;        /* 0x08: referenced */
    PDEVICE_OBJECT NextDevice;          /* 0x0C: the driver's next device */
    PDEVICE_OBJECT AttachedDevice;      /* 0x10: (no filter drivers yet) */
    PIRP CurrentIrp;                    /* 0x14 */
    PVOID Timer;                        /* 0x18 */
    ULONG Flags;                        /* 0x1C: DO_* */
    ULONG Characteristics;              /* 0x20 */
    PVPB Vpb;                           /* 0x24: disk volumes only */
    PVOID DeviceExtension;              /* 0x28: the driver's, after the object */
    ULONG DeviceType;                   /* 0x2C: FILE_DEVICE_* */
    CCHAR StackSize;                    /* 0x30: stack locations its IRPs need */
    UCHAR Reserved1[0x5C - 0x31];       /* 0x31: NT's Queue (list entry or wait context
                                           block): no device queues yet */
    ULONG AlignmentRequirement;         /* 0x5C */
    UCHAR Reserved2[0x98 - 0x60];       /* 0x60: NT's DeviceQueue and Dpc; 0x94 ActiveThreadCount */
    PSECURITY_DESCRIPTOR SecurityDescriptor;    /* 0x98 */
    KEVENT DeviceLock;                  /* 0x9C */
    USHORT SectorSize;                  /* 0xAC */
    USHORT Spare1;                      /* 0xAE */
    PVOID DeviceObjectExtension;        /* 0xB0: (NT's DEVOBJ_EXTENSION: none here) */
    PVOID Reserved;                     /* 0xB4 */
};
C_ASSERT_OFFSET(DEVICE_OBJECT, DriverObject, 0x08);
C_ASSERT_OFFSET(DEVICE_OBJECT, Flags, 0x1C);
C_ASSERT_OFFSET(DEVICE_OBJECT, Vpb, 0x24);
C_ASSERT_OFFSET(DEVICE_OBJECT, DeviceExtension, 0x28);
C_ASSERT_OFFSET(DEVICE_OBJECT, DeviceType, 0x2C);
C_ASSERT_OFFSET(DEVICE_OBJECT, StackSize, 0x30);
C_ASSERT_OFFSET(DEVICE_OBJECT, AlignmentRequirement, 0x5C);
C_ASSERT_OFFSET(DEVICE_OBJECT, DeviceLock, 0x9C);
C_ASSERT_OFFSET(DEVICE_OBJECT, SectorSize, 0xAC);
C_ASSERT_SIZE(DEVICE_OBJECT, 0xB8);

/* ---- file objects: one per open ---- */

/*
 * Where the memory manager keeps the sections of one file (NT's layout). The file
 * system owns one per file (in its FCB) and points every file object of the file
 * at it, so that all the sections made from the file find each other: an image
 * is checked and laid out once however many times it is mapped.
 */
typedef struct _SECTION_OBJECT_POINTERS {
    PVOID DataSectionObject;            /* mapped data files (not implemented) */
    PVOID SharedCacheMap;               /* the cache manager's (there is none) */
    PVOID ImageSectionObject;           /* the image's segment, while one exists */
} SECTION_OBJECT_POINTERS, *PSECTION_OBJECT_POINTERS;

#define FO_SYNCHRONOUS_IO       0x00000002      /* FILE_SYNCHRONOUS_IO_*: the I/O manager
                                                   keeps CurrentByteOffset, one request at a time */
#define FO_ALERTABLE_IO         0x00000004
#define FO_CLEANUP_COMPLETE     0x00004000      /* IRP_MJ_CLEANUP was sent */

struct _FILE_OBJECT {
    CSHORT Type;                        /* 0x00: IO_TYPE_FILE */
    CSHORT Size;                        /* 0x02 */
    PDEVICE_OBJECT DeviceObject;        /* 0x04: referenced; NULL once an open failed */
    PVPB Vpb;                           /* 0x08 */
    PVOID FsContext;                    /* 0x0C: the driver's */
    PVOID FsContext2;                   /* 0x10: the driver's */
    PSECTION_OBJECT_POINTERS SectionObjectPointer; /* 0x14: the file's, from its file system */
    PVOID PrivateCacheMap;              /* 0x18: (no cache manager) */
    NTSTATUS FinalStatus;               /* 0x1C */
    PFILE_OBJECT RelatedFileObject;     /* 0x20 */
    BOOLEAN LockOperation;              /* 0x24 */
    BOOLEAN DeletePending;              /* 0x25 */
    BOOLEAN ReadAccess;                 /* 0x26: what the open asked for */
    BOOLEAN WriteAccess;                /* 0x27 */
    BOOLEAN DeleteAccess;               /* 0x28 */
    BOOLEAN SharedRead;                 /* 0x29: what it lets others do */
    BOOLEAN SharedWrite;                /* 0x2A */
    BOOLEAN SharedDelete;               /* 0x2B */
    ULONG Flags;                        /* 0x2C: FO_* */
    UNICODE_STRING FileName;            /* 0x30: the name after the device's ("\Windows") */
    LARGE_INTEGER CurrentByteOffset;    /* 0x38: FO_SYNCHRONOUS_IO files */
    ULONG Waiters;                      /* 0x40 */
    ULONG Busy;                         /* 0x44 */
    PVOID LastLock;                     /* 0x48 */
    KEVENT Lock;                        /* 0x4C: serializes synchronous requests */
    KEVENT Event;                       /* 0x5C: set when a request completes */
    PVOID CompletionContext;            /* 0x6C */
};
C_ASSERT_OFFSET(FILE_OBJECT, DeviceObject, 0x04);
C_ASSERT_OFFSET(FILE_OBJECT, FsContext, 0x0C);
C_ASSERT_OFFSET(FILE_OBJECT, FinalStatus, 0x1C);
C_ASSERT_OFFSET(FILE_OBJECT, ReadAccess, 0x26);
C_ASSERT_OFFSET(FILE_OBJECT, Flags, 0x2C);
C_ASSERT_OFFSET(FILE_OBJECT, FileName, 0x30);
C_ASSERT_OFFSET(FILE_OBJECT, CurrentByteOffset, 0x38);
C_ASSERT_OFFSET(FILE_OBJECT, Lock, 0x4C);
C_ASSERT_OFFSET(FILE_OBJECT, Event, 0x5C);
C_ASSERT_SIZE(FILE_OBJECT, 0x70);

/* ---- IRPs ---- */

/* What IRP_MJ_CREATE's security context says (NT: IO_SECURITY_CONTEXT). */
typedef struct _IO_SECURITY_CONTEXT {
    PSECURITY_QUALITY_OF_SERVICE SecurityQos;
    PACCESS_STATE AccessState;          /* NULL: no security reference monitor */
    ACCESS_MASK DesiredAccess;
    ULONG FullCreateOptions;
} IO_SECURITY_CONTEXT, *PIO_SECURITY_CONTEXT;

typedef NTSTATUS (*PIO_COMPLETION_ROUTINE)(PDEVICE_OBJECT DeviceObject, PIRP Irp, PVOID Context);

/* IO_STACK_LOCATION.Control: when the completion routine runs (NT's values). */
#define SL_INVOKE_ON_CANCEL     0x20
#define SL_INVOKE_ON_SUCCESS    0x40
#define SL_INVOKE_ON_ERROR      0x80

/*
 * One driver's part of a request: NT's i386 layout, with the parameters used here.
 * Packed to 4 as NT's wdm.h packs it (pshpack4.h), so that ByteOffset follows Key.
 */
/* IO_STACK_LOCATION.Flags of IRP_MN_QUERY_DIRECTORY (NT's values). */
#define SL_RESTART_SCAN                 0x01
#define SL_RETURN_SINGLE_ENTRY          0x02
#define SL_INDEX_SPECIFIED              0x04

#pragma pack(push, 4)
typedef struct _IO_STACK_LOCATION {
    UCHAR MajorFunction;                /* 0x00 */
    UCHAR MinorFunction;                /* 0x01 */
    UCHAR Flags;                        /* 0x02 */
    UCHAR Control;                      /* 0x03: SL_INVOKE_ON_* */
    union {                             /* 0x04 */
        struct {
            PIO_SECURITY_CONTEXT SecurityContext;
            ULONG Options;              /* disposition << 24 | create options */
            USHORT FileAttributes;
            USHORT ShareAccess;
            ULONG EaLength;
        } Create;
        struct {
            ULONG Length;
            ULONG Key;
            LARGE_INTEGER ByteOffset;   /* resolved: never "the current position" */
        } Read, Write;
        struct {
            ULONG Length;
            FILE_INFORMATION_CLASS FileInformationClass;
        } QueryFile;
        struct {
            ULONG Length;
            FILE_INFORMATION_CLASS FileInformationClass;
            PFILE_OBJECT FileObject;    /* NT's rename/link target: NULL here */
        } SetFile;
        struct {
            ULONG Length;
            FS_INFORMATION_CLASS FsInformationClass;
        } QueryVolume;
        struct {
            ULONG Length;
            PUNICODE_STRING FileName;   /* the pattern, a kernel copy; NULL: none */
            FILE_INFORMATION_CLASS FileInformationClass;
            ULONG FileIndex;
        } QueryDirectory;
        struct {
            PVPB Vpb;                   /* IRP_MN_MOUNT_VOLUME: the volume's VPB */
            PDEVICE_OBJECT DeviceObject;    /* and its real device */
        } MountVolume;
        struct {
            PVOID Argument1, Argument2, Argument3, Argument4;
        } Others;
    } Parameters;
    PDEVICE_OBJECT DeviceObject;        /* 0x14 */
    PFILE_OBJECT FileObject;            /* 0x18 */
    PIO_COMPLETION_ROUTINE CompletionRoutine;   /* 0x1C */
    PVOID Context;                      /* 0x20 */
} IO_STACK_LOCATION, *PIO_STACK_LOCATION;
#pragma pack(pop)
C_ASSERT_OFFSET(IO_STACK_LOCATION, Parameters, 0x04);
C_ASSERT_OFFSET(IO_STACK_LOCATION, DeviceObject, 0x14);
C_ASSERT_OFFSET(IO_STACK_LOCATION, CompletionRoutine, 0x1C);
C_ASSERT_SIZE(IO_STACK_LOCATION, 0x24);

/*
 * An I/O request packet, followed in its pool block by StackCount stack locations,
 * as in NT. Simplified: NT's IRP (0x70 bytes) also has the MDL, the cancel routine,
 * the thread list entry and the APC that completes it in the requester's thread;
 * here the requester waits for it (STATUS_PENDING) and finishes it itself
 * (io/iosync.c), transfers are buffered only (SystemBuffer), and nothing cancels.
 * The names of the fields that remain are NT's.
 */
struct _IRP {
    CSHORT Type;                        /* IO_TYPE_IRP */
    USHORT Size;                        /* with the stack locations */
    ULONG Flags;
    union {
        PVOID SystemBuffer;             /* the kernel copy of the caller's buffer */
    } AssociatedIrp;
    IO_STATUS_BLOCK IoStatus;           /* what the driver says: Status, Information */
    KPROCESSOR_MODE RequestorMode;
    BOOLEAN PendingReturned;            /* a driver returned STATUS_PENDING */
    CHAR StackCount;
    CHAR CurrentLocation;               /* StackCount + 1 before IoCallDriver, then 1-based */
    BOOLEAN Cancel;                     /* (never set: nothing cancels yet) */
    PKEVENT UserEvent;                  /* set by IoCompleteRequest */
    PVOID UserBuffer;
    struct {
        PIO_STACK_LOCATION CurrentStackLocation;
        PFILE_OBJECT OriginalFileObject;
    } Overlay;                          /* NT: Tail.Overlay */
};

#define IoGetCurrentIrpStackLocation(Irp) ((Irp)->Overlay.CurrentStackLocation)
#define IoGetNextIrpStackLocation(Irp)    ((Irp)->Overlay.CurrentStackLocation - 1)

/* A request of StackSize locations, from non-paged pool; NULL when there is none. */
PIRP IoAllocateIrp(CCHAR StackSize, BOOLEAN ChargeQuota);
VOID IoFreeIrp(PIRP Irp);
/* Moves to the next location and calls its device's driver for its major function. */
NTSTATUS IoCallDriver(PDEVICE_OBJECT DeviceObject, PIRP Irp);
/* The driver is done: completion routines run, then UserEvent is set. */
VOID IoCompleteRequest(PIRP Irp, CCHAR PriorityBoost);
#define IO_NO_INCREMENT 0
VOID IoSetCompletionRoutine(PIRP Irp, PIO_COMPLETION_ROUTINE Routine, PVOID Context,
                            BOOLEAN InvokeOnSuccess, BOOLEAN InvokeOnError, BOOLEAN InvokeOnCancel);

/* ---- drivers and devices ---- */

extern POBJECT_TYPE IoDriverObjectType;
extern POBJECT_TYPE IoDeviceObjectType;
extern POBJECT_TYPE IoFileObjectType;

/*
 * A built-in driver (NT: IoCreateDriver): \Driver\Name (DriverName is the full
 * name), every major function answering STATUS_INVALID_DEVICE_REQUEST until
 * InitializationFunction sets its own. The object is permanent.
 */
NTSTATUS IoCreateDriver(PUNICODE_STRING DriverName, PDRIVER_INITIALIZE InitializationFunction);

/*
 * A device of DriverObject, named DeviceName (\Device\Xxx, optional), with
 * DeviceExtensionSize bytes of zeroed extension after it. Disk devices get a VPB.
 */
NTSTATUS IoCreateDevice(PDRIVER_OBJECT DriverObject, ULONG DeviceExtensionSize, PUNICODE_STRING DeviceName,
                        ULONG DeviceType, ULONG DeviceCharacteristics, BOOLEAN Exclusive,
                        PDEVICE_OBJECT *DeviceObject);
/* Takes the name away and the driver's reference; the memory goes with the last file. */
VOID IoDeleteDevice(PDEVICE_OBJECT DeviceObject);

/* Phase 1, after IoInitializeBootVolume: types, \Driver, the built-in drivers, links. */
VOID IoInitSystem(VOID);

/*
 * A file system's control device joins the list IopMountVolume asks in turn (NT:
 * IoRegisterFileSystem). Each is sent IRP_MJ_FILE_SYSTEM_CONTROL/IRP_MN_MOUNT_VOLUME.
 */
VOID IoRegisterFileSystem(PDEVICE_OBJECT DeviceObject);

/* NT's SHARE_ACCESS (wdm.h): the opens of one file, as share.c counts them. */
typedef struct _SHARE_ACCESS {
    ULONG OpenCount;
    ULONG Readers;
    ULONG Writers;
    ULONG Deleters;
    ULONG SharedRead;
    ULONG SharedWrite;
    ULONG SharedDelete;
} SHARE_ACCESS, *PSHARE_ACCESS;

/* STATUS_SHARING_VIOLATION unless the open's access and share mode (set on the
   file object by the parse) fit the earlier opens; Update records it (share.c). */
NTSTATUS IoCheckShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess, BOOLEAN Update);
VOID IoRemoveShareAccess(PFILE_OBJECT FileObject, PSHARE_ACCESS ShareAccess);
/* The device a file object's requests go to: the mounting file system's volume
   device when it was opened through one, else its own device (NT: the same). */
PDEVICE_OBJECT IoGetRelatedDeviceObject(PFILE_OBJECT FileObject);
/*
 * The file's path on its device ("\Windows\x.exe"): its FileName after those of
 * the files it was opened relative to (RelatedFileObject), joined with '\'. Fills
 * Buffer (not terminated) when BufferSize bytes hold it; returns the bytes needed.
 */
ULONG IoGetFileObjectPath(PFILE_OBJECT FileObject, PWCHAR Buffer, ULONG BufferSize);

/* ---- for the memory manager (iopage.c) ---- */

/* The file's size (NT: FsRtlGetFileSize); STATUS_FILE_IS_A_DIRECTORY for a directory. */
NTSTATUS FsRtlGetFileSize(PFILE_OBJECT FileObject, PLARGE_INTEGER FileSize);
/*
 * Reads Length bytes at *ByteOffset into the kernel Buffer, whatever access the file
 * was opened with (NT: IoPageRead, which takes an MDL). IoStatusBlock says how many.
 */
NTSTATUS IoPageRead(PFILE_OBJECT FileObject, PVOID Buffer, ULONG Length, PLARGE_INTEGER ByteOffset,
                    PIO_STATUS_BLOCK IoStatusBlock);
