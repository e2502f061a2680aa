/*
 * section.c - image sections: creating a section of ntdll and mapping a view of it,
 * as every process creation will. Two cases:
 *   section_ntdll_create_map   the usual one: ntdll's image is laid out already (the
 *                              kernel's own section holds it), so a new section
 *                              shares it and a view is bookkeeping
 *   section_image_first_map    the first section of an image file: read, checked
 *                              and laid out in pages (a copy of ntdll the benchmark
 *                              writes, so that nothing else keeps it alive; the
 *                              image cache is emptied after each, which the count
 *                              includes, as it included the segment's deletion)
 *   section_image_cached_map   the same file again, its image cached since the
 *                              last section went (what a process start finds)
 * Each iteration: NtCreateSection(SEC_IMAGE) + MmMapViewOfSection into a scratch
 * address space + MmUnmapViewOfSection + NtClose.
 */
#include <bench.h>
#include <ke.h>
#include <ex.h>
#include <ob.h>
#include <io.h>
#include <mm.h>
#include <rtl.h>
#include <ramdisk.h>
#include <nt/ntsection.h>
#include "ntapi.h"

#define KB_SECTION_ITERATIONS 50
#define KB_NTDLL_PATH  u"\\SystemRoot\\System32\\ntdll.dll"
#define KB_COPY_PATH   u"\\??\\C:\\Windows\\System32\\benchimg.dll"

/* The copy goes through pool: a static buffer would be zeroed at every boot. */
#define KB_IMAGE_MAX  (256 * 1024)
#define KB_IMAGE_TAG  EX_POOL_TAG('K', 'b', 'I', 'm')

typedef struct _KB_SECTION_RUN {
    HANDLE File;
    PMM_ADDRESS_SPACE Space;
    BOOLEAN Trim;                   /* empty the image cache after each */
    BOOLEAN Failed;
} KB_SECTION_RUN;

static NTSTATUS KbOpenImage(PCWSTR Path, ACCESS_MASK Access, ULONG Disposition, ULONG Options, PHANDLE Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;

    RtlInitUnicodeString(&Name, Path);
    InitializeObjectAttributes(&Attributes, &Name, OBJ_CASE_INSENSITIVE | OBJ_KERNEL_HANDLE, NULL, NULL);
    return NtCreateFile(Handle, Access | SYNCHRONIZE, &Attributes, &Iosb, NULL, 0, FILE_SHARE_READ, Disposition,
                        Options | FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

static VOID KbCreateMapUnmap(PVOID Context)
{
    KB_SECTION_RUN *Run = Context;
    HANDLE Section;
    PVOID Object, Base = NULL;
    SIZE_T Size = 0;
    NTSTATUS Status;

    Status = NtCreateSection(&Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, Run->File);
    if (!NT_SUCCESS(Status)) {
        Run->Failed = TRUE;
        return;
    }
    Status = ObReferenceObjectByHandle(Section, SECTION_MAP_EXECUTE, MmSectionObjectType, KernelMode, &Object,
                                       NULL);
    if (NT_SUCCESS(Status)) {
        Status = MmMapViewOfSection(Object, Run->Space, &Base, 0, NULL, &Size, 0, PAGE_EXECUTE_READ);
        if (NT_SUCCESS(Status))
            Status = MmUnmapViewOfSection(Run->Space, Base);
        ObDereferenceObject(Object);
    }
    NtClose(Section);
    if (Run->Trim)
        MmTrimSegmentCache();
    if (!NT_SUCCESS(Status))
        Run->Failed = TRUE;
}

static ULONGLONG KbMeasure(PCWSTR Path, BOOLEAN Trim)
{
    KB_SECTION_RUN Run = { NULL, NULL, Trim, FALSE };
    ULONGLONG Result = 0;

    if (!NT_SUCCESS(KbOpenImage(Path, FILE_READ_DATA | FILE_EXECUTE, FILE_OPEN, 0, &Run.File)))
        return 0;
    if (NT_SUCCESS(MmCreateProcessAddressSpace(&Run.Space))) {
        if (!Trim)
            KbCreateMapUnmap(&Run);     /* laid out (and cached) before the count starts */
        Result = KeBenchLoop(KbCreateMapUnmap, &Run, KB_SECTION_ITERATIONS);
        MmDeleteProcessAddressSpace(Run.Space);
    }
    NtClose(Run.File);
    return Run.Failed ? 0 : Result;
}

static ULONGLONG KbNtdllCreateMap(VOID)
{
    return IoGetBootVolume() != NULL ? KbMeasure(KB_NTDLL_PATH, FALSE) : 0;
}
KBENCH(section_ntdll_create_map, KbNtdllCreateMap,
       "instructions per NtCreateSection(ntdll, SEC_IMAGE) + map + unmap + NtClose (image laid out already)");

/* Measures KB_COPY_PATH, a fresh copy of ntdll, emptying the cache each time or not. */
static ULONGLONG KbImageCopyMap(BOOLEAN Trim)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE File;
    PUCHAR Buffer;
    ULONGLONG Result = 0;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL)
        return 0;
    Buffer = ExAllocatePoolWithTag(NonPagedPool, KB_IMAGE_MAX, KB_IMAGE_TAG);
    if (Buffer == NULL)
        return 0;
    Status = KbOpenImage(KB_NTDLL_PATH, FILE_READ_DATA, FILE_OPEN, 0, &File);
    if (NT_SUCCESS(Status)) {
        Status = NtReadFile(File, NULL, NULL, NULL, &Iosb, Buffer, KB_IMAGE_MAX, NULL, NULL);
        NtClose(File);
    }
    if (NT_SUCCESS(Status) && Iosb.Information < KB_IMAGE_MAX &&
        NT_SUCCESS(KbOpenImage(KB_COPY_PATH, FILE_WRITE_DATA, FILE_OVERWRITE_IF, 0, &File))) {
        Status = NtWriteFile(File, NULL, NULL, NULL, &Iosb, Buffer, (ULONG)Iosb.Information, NULL, NULL);
        NtClose(File);
        /* What earlier benchmarks left cached goes first, not inside the measurement:
           its deletion is no part of this image's, and the pool blocks it frees
           change what every pool allocation of the loop (an IRP per sector read)
           costs. */
        MmTrimSegmentCache();
        if (NT_SUCCESS(Status))
            Result = KbMeasure(KB_COPY_PATH, Trim);
        /* Gone again when this handle closes. */
        if (NT_SUCCESS(KbOpenImage(KB_COPY_PATH, DELETE, FILE_OPEN, FILE_DELETE_ON_CLOSE, &File)))
            NtClose(File);
    }
    ExFreePoolWithTag(Buffer, KB_IMAGE_TAG);
    return Result;
}
static ULONGLONG KbImageFirstMap(VOID)
{
    return KbImageCopyMap(TRUE);
}
KBENCH(section_image_first_map, KbImageFirstMap,
       "instructions per NtCreateSection(SEC_IMAGE) + map + unmap + NtClose of an image nothing holds (read, "
       "checked, laid out)");

static ULONGLONG KbImageCachedMap(VOID)
{
    return KbImageCopyMap(FALSE);
}
KBENCH(section_image_cached_map, KbImageCachedMap,
       "instructions per NtCreateSection(SEC_IMAGE) + map + unmap + NtClose of an image cached since its last "
       "section went");
