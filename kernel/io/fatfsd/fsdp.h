/*
 * fsdp.h - \FileSystem\Fastfat, the FAT file-system driver's private header (NT:
 * fastfat.sys's fatprocs.h and fatstruc.h, much reduced).
 *
 * The driver is the IRP side of kernel/io/fat (fat.h): that code knows FAT, this
 * knows file objects. One control device (unnamed here; NT names it \Fat) takes the
 * mount requests; each mounted volume gets a volume device (unnamed, as in NT) whose
 * extension is the VCB. Every file has one FAT_FCB (fat.h), whose Context is this
 * driver's FATP_FCB_CONTEXT: the share access of its opens, the handle count and
 * delete-pending.
 */
#pragma once

#include "../iop.h"
#include "../fat/fat.h"
#include <mm.h>

#define FATP_POOL_TAG   EX_POOL_TAG('F', 'a', 't', ' ')

/* The volume device's extension (NT: VOLUME_DEVICE_OBJECT with its VCB). */
typedef struct _FATP_VCB {
    PFAT_VOLUME Volume;
    PDEVICE_OBJECT RealDevice;      /* the disk volume the sectors come from */
    KEVENT Lock;                    /* one FAT call at a time (fat.h asks for it) */
} FATP_VCB, *PFATP_VCB;

/* FAT_FCB.Context: what the driver keeps per file while it is open. */
typedef struct _FATP_FCB_CONTEXT {
    SHARE_ACCESS ShareAccess;
    ULONG OpenCount;                /* successful creates not yet closed (IRP_MJ_CLOSE) */
    ULONG CleanupCount;             /* of those, the ones whose handle is still open */
    BOOLEAN DeletePending;          /* FILE_DELETE_ON_CLOSE or FileDispositionInformation */
    SECTION_OBJECT_POINTERS SectionObjectPointers;  /* every file object of the file points here */
} FATP_FCB_CONTEXT, *PFATP_FCB_CONTEXT;

/*
 * FsContext2: one per open (NT: the CCB). The directory search of this open lives
 * here, so two handles to one directory list it independently, as in NT.
 */
typedef struct _FATP_CCB {
    BOOLEAN DeleteOnClose;          /* FILE_DELETE_ON_CLOSE: delete pending at cleanup */
    BOOLEAN SearchStarted;          /* the first IRP_MN_QUERY_DIRECTORY has been seen */
    ULONG Cursor;                   /* FatQueryDirectory's, where the next entry is sought */
    UNICODE_STRING Pattern;         /* the first query's pattern (pool); Length 0: every name */
} FATP_CCB, *PFATP_CCB;

static inline VOID FatpAcquireVcb(PFATP_VCB Vcb)
{
    KeWaitForSingleObject(&Vcb->Lock, Executive, KernelMode, FALSE, NULL);
}

static inline VOID FatpReleaseVcb(PFATP_VCB Vcb)
{
    KeSetEvent(&Vcb->Lock, 0, FALSE);
}

/* Completes Irp with Status and Information and returns Status. */
NTSTATUS FatpComplete(PIRP Irp, NTSTATUS Status, ULONG_PTR Information);

/* ---- fsdinit.c ---- */
NTSTATUS FatFsdFileSystemControl(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* ---- fsdcreate.c ---- */
NTSTATUS FatFsdCreate(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatFsdCleanup(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatFsdClose(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* ---- fsdrw.c ---- */
NTSTATUS FatFsdRead(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatFsdWrite(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatFsdFlushBuffers(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* ---- fsddir.c ---- */
NTSTATUS FatFsdDirectoryControl(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* ---- fsdvol.c ---- */
NTSTATUS FatFsdQueryVolumeInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp);

/* ---- fsdinfo.c ---- */
NTSTATUS FatFsdQueryInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp);
NTSTATUS FatFsdSetInformation(PDEVICE_OBJECT DeviceObject, PIRP Irp);
