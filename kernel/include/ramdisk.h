/*
 * ramdisk.h - the boot volume: the disk image the boot loader put in memory as a
 * Multiboot module (build/volume.img, made by tools/mkvolume), kept as a RAM disk
 * (NT: ramdisk.sys, which boots Windows PE from a RAM-loaded image the same way).
 *
 * The kernel never copies it: the disk is the module's own pages, reached through
 * KSEG0, and they stay the loader's (LoaderBootDriver), so nothing reuses them.
 * Writes change those pages and so last until the machine is switched off.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

struct _LOADER_PARAMETER_BLOCK;

#define RAMDISK_SECTOR_SIZE 512

/* The module the boot volume is: GRUB's and QEMU's command line for it (first word). */
#define IO_BOOT_VOLUME_MODULE_NAME "volume.img"

typedef struct _RAMDISK {
    PUCHAR Base;            /* system-space address of sector 0 */
    ULONG Length;           /* bytes: SectorCount * RAMDISK_SECTOR_SIZE */
    ULONG SectorCount;
    ULONG PhysicalStart;    /* where the loader put it */
} RAMDISK, *PRAMDISK;

/*
 * Phase 1 (NT: IoInitSystem's boot-device part): finds the boot volume among the
 * loader's modules, checks it can be used, and prints one "Boot volume: ..." line,
 * also when there is none or it cannot be used (the kernel then runs without it).
 */
VOID IoInitializeBootVolume(struct _LOADER_PARAMETER_BLOCK *LoaderBlock);

/* The boot volume, or NULL when this boot has none. */
PRAMDISK IoGetBootVolume(VOID);

/*
 * Sector I/O, whole sectors only (as a disk driver's IRP_MJ_READ/WRITE), no partial
 * transfers: STATUS_INVALID_PARAMETER for a NULL Disk or Buffer or a SectorCount of
 * 0; STATUS_END_OF_FILE when any sector of the range lies at or past the end. The
 * shape is the FAT code's sector callback's (kernel/io/fat/fat.h) with the disk as
 * its context. The caller serializes writes to one sector, as with any disk.
 */
NTSTATUS IoReadRamDisk(PRAMDISK Disk, ULONG FirstSector, ULONG SectorCount, PVOID Buffer);
NTSTATUS IoWriteRamDisk(PRAMDISK Disk, ULONG FirstSector, ULONG SectorCount,
                        const VOID *Buffer);
