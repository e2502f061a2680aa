/*
 * iop.h - the I/O manager's private header (NT: ntos\io\iop.h).
 */
#pragma once

#include <io.h>
#include <ke.h>
#include <kewait.h>
#include <kd.h>
#include <rtl.h>
#include "ntapi.h"      /* the prototypes of the services, from include/nt/sysfuncs.lst */

/* Pool tags of the I/O manager's blocks. */
#define IOP_IRP_TAG         EX_POOL_TAG('I', 'r', 'p', ' ')
#define IOP_NAME_TAG        EX_POOL_TAG('I', 'o', 'N', 'm')
#define IOP_BUFFER_TAG      EX_POOL_TAG('I', 'o', 'B', 'f')
/* The largest buffered transfer one request may ask for (see iorw.c): 1 MB. */
#define IOP_MAX_BUFFERED_TRANSFER   0x00100000
#define IOP_VPB_TAG         EX_POOL_TAG('V', 'p', 'b', ' ')

/*
 * What NtCreateFile hands the device's parse procedure through ObOpenObjectByName's
 * ParseContext (NT: OPEN_PACKET, much reduced). The parse procedure checks Type and
 * Size, so that a lookup that did not come from IoCreateFile cannot open a file.
 */
#define IO_TYPE_OPEN_PACKET 7
typedef struct _IOP_OPEN_PACKET {
    CSHORT Type;
    CSHORT Size;
    ACCESS_MASK DesiredAccess;
    ULONG FileAttributes;
    ULONG ShareAccess;
    ULONG Disposition;
    ULONG CreateOptions;
    NTSTATUS FinalStatus;           /* the driver's answer to IRP_MJ_CREATE */
    ULONG_PTR Information;          /* FILE_OPENED, ... */
    BOOLEAN ParseReached;           /* the parse procedure saw this packet */
    PFILE_OBJECT RelatedFileObject; /* IopParseFile's: the open is relative to this file */
} IOP_OPEN_PACKET, *PIOP_OPEN_PACKET;

/* ---- iotypes.c ---- */
NTSTATUS IopCreateObjectTypes(VOID);

/* ---- iofile.c: the File and Device types' procedures ---- */
NTSTATUS IopParseDevice(PVOID ParseObject, PVOID ObjectType, PACCESS_STATE AccessState,
                        KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                        PUNICODE_STRING RemainingName, PVOID Context,
                        PSECURITY_QUALITY_OF_SERVICE SecurityQos, PVOID *Object);
NTSTATUS IopParseFile(PVOID ParseObject, PVOID ObjectType, PACCESS_STATE AccessState,
                      KPROCESSOR_MODE AccessMode, ULONG Attributes, PUNICODE_STRING CompleteName,
                      PUNICODE_STRING RemainingName, PVOID Context,
                      PSECURITY_QUALITY_OF_SERVICE SecurityQos, PVOID *Object);
VOID IopCloseFile(PEPROCESS Process, PVOID Object, ACCESS_MASK GrantedAccess, ULONG ProcessHandleCount,
                  ULONG SystemHandleCount);
VOID IopDeleteFile(PVOID Object);
VOID IopDeleteDevice(PVOID Object);
VOID IopDeleteDriver(PVOID Object);

/* ---- iosync.c: how the I/O manager sends its own requests ---- */

/*
 * An IRP for FileObject's device with its first stack location set to
 * MajorFunction and FileObject, the file object's event as UserEvent, and the
 * requester's mode. NULL when there is no memory.
 */
PIRP IopBuildIrp(PFILE_OBJECT FileObject, UCHAR MajorFunction, KPROCESSOR_MODE RequestorMode);
/*
 * Sends Irp and waits for it (a driver's STATUS_PENDING is waited out on the file
 * object's event); returns the final status with Irp->IoStatus filled. The caller
 * frees the IRP.
 */
NTSTATUS IopSynchronousCall(PFILE_OBJECT FileObject, PIRP Irp);
/*
 * A synchronous file (FO_SYNCHRONOUS_IO) takes one request at a time, under its
 * Lock (NT: IopAcquireFileObjectLock). The wait is in the requestor's mode, as
 * NT's: for user mode it ends early only for a thread being terminated, with
 * STATUS_USER_APC and without the lock, so a thread queued behind a read that
 * never completes can still end. STATUS_SUCCESS with the lock.
 */
NTSTATUS IopAcquireFileObjectLock(PFILE_OBJECT FileObject, KPROCESSOR_MODE RequestorMode);
VOID IopReleaseFileObjectLock(PFILE_OBJECT FileObject);
/*
 * IopSynchronousCall under the file's lock when the file is synchronous: a request
 * with no transfer of its own. A lock not obtained is the answer (Information 0).
 */
NTSTATUS IopSerializedCall(PFILE_OBJECT FileObject, PIRP Irp);

/* The default dispatch routine of every major function (NT: IopInvalidDeviceRequest). */
NTSTATUS IopInvalidDeviceRequest(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* ---- ioinfo.c ---- */
/* IRP_MJ_QUERY_INFORMATION of one class into Buffer (the kernel's); *Information: bytes filled. */
NTSTATUS IopQueryDriver(PFILE_OBJECT FileObject, KPROCESSOR_MODE PreviousMode,
                        FILE_INFORMATION_CLASS FileInformationClass, PVOID Buffer, ULONG Length,
                        PULONG_PTR Information);

/* ---- iorename.c: NtSetInformationFile's FileRenameInformation ---- */
NTSTATUS IopSetRename(HANDLE FileHandle, PIO_STATUS_BLOCK IoStatusBlock, PVOID FileInformation, ULONG Length,
                      KPROCESSOR_MODE PreviousMode);

/* ---- iomount.c ---- */
/* Asks each registered file system to mount Device (a disk volume with a VPB). */
NTSTATUS IopMountVolume(PDEVICE_OBJECT Device);

/* ---- the built-in drivers ---- */
NTSTATUS FatFsdDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
NTSTATUS IopQueryDeviceStandardInformation(PIRP Irp, LONGLONG Size, PULONG_PTR Information);
NTSTATUS IopNullDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
NTSTATUS IopConsoleDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);
/* \Device\HarddiskVolume1, once IopRamDiskDriverEntry made it (else NULL). */
extern PDEVICE_OBJECT IopBootVolumeDevice;
NTSTATUS IopRamDiskDriverEntry(PDRIVER_OBJECT DriverObject, PUNICODE_STRING RegistryPath);

/* A counted string over a NUL-terminated literal (no allocation). */
VOID IopInitUnicodeString(PUNICODE_STRING String, PCWSTR Source);
