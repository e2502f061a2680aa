/*
 * mmsegcache.c - the image segment cache (MM_SEGMENT_CACHE): an image is read and
 * laid out once per file however many sections are made of it, stays cached when
 * the last one goes, and never outlives the bytes it was read from.
 *
 * The image is a copy of ntdll (C:\segcache.dll) whose DOS stub byte at
 * KST_STUB_OFFSET the test changes: the headers page of a view shows which
 * version of the file the segment was read from. The reads are counted by
 * MmQuerySegmentCache (ImageFileReads), the cache by its UnusedSegments.
 */
#include "exobjtest.h"
#include <io.h>
#include <nt/ntsection.h>
#include <nt/ntimage.h>
#include <ramdisk.h>

#define KST_CACHE_FILE   u"\\??\\C:\\segcache.dll"
#define KST_CACHE_OTHER  u"\\??\\C:\\segother.dll"
#define KST_CACHE_NTDLL  u"\\SystemRoot\\System32\\ntdll.dll"
#define KST_STUB_OFFSET  0x40       /* in the DOS stub: no checker looks at it */
#define KST_CACHE_MAX    (256 * 1024)
#define KST_CACHE_TAG    EX_POOL_TAG('K', 's', 't', 'C')
#define KST_SHARE_ALL    (FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE)

static NTSTATUS KstCacheOpen(PCWSTR Path, ACCESS_MASK Access, ULONG Share, ULONG Disposition, ULONG Options,
                             PHANDLE Handle)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;

    *Handle = NULL;
    KstExAttributes(&Attributes, &Name, Path, OBJ_CASE_INSENSITIVE);
    return NtCreateFile(Handle, Access | SYNCHRONIZE, &Attributes, &Iosb, NULL, FILE_ATTRIBUTE_NORMAL, Share,
                        Disposition, Options | FILE_NON_DIRECTORY_FILE | FILE_SYNCHRONOUS_IO_NONALERT, NULL, 0);
}

/* An image section of Path, the way a process start opens its image (sharing all,
   so that a writer opened before it does not stop it). */
static NTSTATUS KstCacheSection(PCWSTR Path, PHANDLE Section)
{
    HANDLE File;
    NTSTATUS Status;

    Status = KstCacheOpen(Path, FILE_READ_DATA | FILE_EXECUTE, KST_SHARE_ALL, FILE_OPEN, 0, &File);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtCreateSection(Section, SECTION_ALL_ACCESS, NULL, NULL, PAGE_EXECUTE, SEC_IMAGE, File);
    NtClose(File);
    return Status;
}

/* Path's bytes become Image (Length bytes) with Stub at KST_STUB_OFFSET. */
static NTSTATUS KstCacheWrite(PCWSTR Path, PUCHAR Image, ULONG Length, UCHAR Stub)
{
    IO_STATUS_BLOCK Iosb;
    HANDLE File;
    NTSTATUS Status;

    Image[KST_STUB_OFFSET] = Stub;
    Status = KstCacheOpen(Path, FILE_WRITE_DATA, FILE_SHARE_READ, FILE_OVERWRITE_IF, 0, &File);
    if (NT_SUCCESS(Status)) {
        Status = NtWriteFile(File, NULL, NULL, NULL, &Iosb, Image, Length, NULL, NULL);
        NtClose(File);
    }
    return Status;
}

static ULONG KstCacheReads(VOID)
{
    MM_SEGMENT_CACHE_INFORMATION Information;

    MmQuerySegmentCache(&Information);
    return Information.ImageFileReads;
}

static ULONG KstCacheUnused(VOID)
{
    MM_SEGMENT_CACHE_INFORMATION Information;

    MmQuerySegmentCache(&Information);
    return Information.UnusedSegments;
}

/* The stub byte of the view at Base in Space. */
static NTSTATUS KstCacheReadStub(PMM_ADDRESS_SPACE Space, PVOID Base, PUCHAR Stub)
{
    MM_ATTACH_STATE Attach;
    NTSTATUS Status;

    MmAttachAddressSpace(Space, &Attach);
    Status = KstTouch((PUCHAR)Base + KST_STUB_OFFSET, FALSE, 0, Stub);
    MmDetachAddressSpace(&Attach);
    return Status;
}

/* Maps Section into Space and reads its stub byte (*Base: the view, left mapped). */
static NTSTATUS KstCacheStub(HANDLE Section, PMM_ADDRESS_SPACE Space, PVOID *Base, PUCHAR Stub)
{
    SIZE_T Size = 0;
    NTSTATUS Status;

    *Base = NULL;
    Status = MmMapViewOfSection(KstExObject(Section), Space, Base, 0, NULL, &Size, 0, PAGE_READWRITE);
    if (!NT_SUCCESS(Status))
        return Status;
    return KstCacheReadStub(Space, *Base, Stub);
}

static NTSTATUS KstCacheDispose(HANDLE File)
{
    FILE_DISPOSITION_INFORMATION Dispose = { TRUE };
    IO_STATUS_BLOCK Iosb;

    return NtSetInformationFile(File, &Iosb, &Dispose, sizeof(Dispose), FileDispositionInformation);
}

static NTSTATUS KstCacheDelete(PCWSTR Path)
{
    OBJECT_ATTRIBUTES Attributes;
    UNICODE_STRING Name;

    KstExAttributes(&Attributes, &Name, Path, OBJ_CASE_INSENSITIVE);
    return NtDeleteFile(&Attributes);
}

/* Reuse: two sections, one read; the last one gone, it stays cached and is reused. */
static NTSTATUS KstCacheReuse(PMM_ADDRESS_SPACE Space, ULONG Reads)
{
    HANDLE First, Second, File;
    PVOID Base;
    UCHAR Stub;

    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &First)));
    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &Second)));
    KST_CHECK(KstCacheReads() == Reads + 1);
    KST_CHECK(KstCacheStub(Second, Space, &Base, &Stub) == STATUS_SUCCESS && Stub == 'A');
    NtClose(First);
    NtClose(Second);

    /* Only the view holds it: no writing, overwriting or deleting (NT's answers). */
    KST_CHECK(KstCacheOpen(KST_CACHE_FILE, FILE_WRITE_DATA, KST_SHARE_ALL, FILE_OPEN, 0, &File) ==
              STATUS_SHARING_VIOLATION);
    KST_CHECK(KstCacheOpen(KST_CACHE_FILE, FILE_WRITE_DATA, KST_SHARE_ALL, FILE_OVERWRITE, 0, &File) ==
              STATUS_SHARING_VIOLATION);
    KST_CHECK(KstCacheDelete(KST_CACHE_FILE) == STATUS_CANNOT_DELETE);
    KST_CHECK(NT_SUCCESS(KstCacheOpen(KST_CACHE_FILE, DELETE, KST_SHARE_ALL, FILE_OPEN, 0, &File)));
    KST_CHECK(KstCacheDispose(File) == STATUS_CANNOT_DELETE);
    NtClose(File);
    /* Refusals change nothing (the file did not change): cached when its view goes,
       and the next sections read nothing. */
    KST_CHECK(MmUnmapViewOfSection(Space, Base) == STATUS_SUCCESS);
    KST_CHECK(KstCacheUnused() == 1);
    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &First)));
    KST_CHECK(KstCacheReads() == Reads + 1);
    NtClose(First);
    KST_CHECK(KstCacheUnused() == 1);
    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &First)));
    KST_CHECK(KstCacheReads() == Reads + 1 && KstCacheUnused() == 0);
    KST_CHECK(KstCacheStub(First, Space, &Base, &Stub) == STATUS_SUCCESS && Stub == 'A');
    KST_CHECK(MmUnmapViewOfSection(Space, Base) == STATUS_SUCCESS);
    NtClose(First);
    KST_CHECK(KstCacheUnused() == 1);
    return STATUS_SUCCESS;
}

/* The file changes: a cached image goes, and the next section sees the new bytes. */
static NTSTATUS KstCacheChanges(PUCHAR Image, ULONG Length, PMM_ADDRESS_SPACE Space, ULONG Reads)
{
    FILE_END_OF_FILE_INFORMATION EndOfFile;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    HANDLE Section, Other, Writer;
    PVOID Base, OtherBase;
    UCHAR Stub;

    /* Overwritten once nothing uses it: the open for writing drops the cached one. */
    KST_CHECK(NT_SUCCESS(KstCacheWrite(KST_CACHE_FILE, Image, Length, 'B')));
    KST_CHECK(KstCacheUnused() == 0);
    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &Section)));
    KST_CHECK(KstCacheReads() == Reads + 1);
    KST_CHECK(KstCacheStub(Section, Space, &Base, &Stub) == STATUS_SUCCESS && Stub == 'B');
    KST_CHECK(MmUnmapViewOfSection(Space, Base) == STATUS_SUCCESS);
    NtClose(Section);

    /* A writer opened before the section: its write drops the cached image. */
    KST_CHECK(NT_SUCCESS(KstCacheOpen(KST_CACHE_FILE, FILE_WRITE_DATA, KST_SHARE_ALL, FILE_OPEN, 0, &Writer)));
    KST_CHECK(KstCacheUnused() == 0);
    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &Section)));
    KST_CHECK(KstCacheReads() == Reads + 2);
    NtClose(Section);
    KST_CHECK(KstCacheUnused() == 1);
    Offset.QuadPart = KST_STUB_OFFSET;
    KST_CHECK(NtWriteFile(Writer, NULL, NULL, NULL, &Iosb, "C", 1, &Offset, NULL) == STATUS_SUCCESS);
    KST_CHECK(KstCacheUnused() == 0);
    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &Section)));
    KST_CHECK(KstCacheReads() == Reads + 3);
    KST_CHECK(KstCacheStub(Section, Space, &Base, &Stub) == STATUS_SUCCESS && Stub == 'C');
    /* ... and in use, the write goes through (its handle came first) but the image is
       not given to the next section, which reads the new bytes. */
    KST_CHECK(NtWriteFile(Writer, NULL, NULL, NULL, &Iosb, "D", 1, &Offset, NULL) == STATUS_SUCCESS);
    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &Other)));
    KST_CHECK(KstCacheReads() == Reads + 4);
    KST_CHECK(NT_SUCCESS(KstCacheStub(Other, Space, &OtherBase, &Stub)) && Stub == 'D');
    KST_CHECK(KstCacheReadStub(Space, Base, &Stub) == STATUS_SUCCESS && Stub == 'C');  /* its own pages */
    KST_CHECK(MmUnmapViewOfSection(Space, OtherBase) == STATUS_SUCCESS);
    KST_CHECK(MmUnmapViewOfSection(Space, Base) == STATUS_SUCCESS);
    NtClose(Other);
    NtClose(Section);
    KST_CHECK(KstCacheUnused() == 1);       /* the new one; the old one is gone */
    /* A new end of file (the same one) drops it too. */
    EndOfFile.EndOfFile.QuadPart = Length;
    KST_CHECK(NtSetInformationFile(Writer, &Iosb, &EndOfFile, sizeof(EndOfFile), FileEndOfFileInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(KstCacheUnused() == 0);
    NtClose(Writer);
    return STATUS_SUCCESS;
}

/* Renamed over, then deleted: each drops the cached image of the file it replaces. */
static NTSTATUS KstCacheRenameDelete(PUCHAR Image, ULONG Length, PMM_ADDRESS_SPACE Space)
{
    static ULONG RenameBuffer[16];
    PFILE_RENAME_INFORMATION Rename = (PFILE_RENAME_INFORMATION)RenameBuffer;
    static const WCHAR NewName[] = u"segcache.dll";
    IO_STATUS_BLOCK Iosb;
    HANDLE Section, File;
    PVOID Base;
    UCHAR Stub;

    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &Section)));
    NtClose(Section);
    KST_CHECK(KstCacheUnused() == 1);
    KST_CHECK(NT_SUCCESS(KstCacheWrite(KST_CACHE_OTHER, Image, Length, 'E')));
    KST_CHECK(NT_SUCCESS(KstCacheOpen(KST_CACHE_OTHER, DELETE, FILE_SHARE_READ, FILE_OPEN, 0, &File)));
    memset(RenameBuffer, 0, sizeof(RenameBuffer));
    Rename->ReplaceIfExists = TRUE;
    Rename->FileNameLength = sizeof(NewName) - sizeof(WCHAR);
    memcpy(Rename->FileName, NewName, Rename->FileNameLength);
    KST_CHECK(NtSetInformationFile(File, &Iosb, Rename, sizeof(RenameBuffer), FileRenameInformation) ==
              STATUS_SUCCESS);
    NtClose(File);
    KST_CHECK(KstCacheUnused() == 0);
    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &Section)));
    KST_CHECK(KstCacheStub(Section, Space, &Base, &Stub) == STATUS_SUCCESS && Stub == 'E');
    KST_CHECK(MmUnmapViewOfSection(Space, Base) == STATUS_SUCCESS);
    NtClose(Section);

    /* Deleted while cached: the image goes with it (the baseline shows its pages back). */
    KST_CHECK(KstCacheUnused() == 1);
    KST_CHECK(KstCacheDelete(KST_CACHE_FILE) == STATUS_SUCCESS);
    KST_CHECK(KstCacheUnused() == 0);
    KST_CHECK(KstCacheOpen(KST_CACHE_FILE, FILE_READ_DATA, KST_SHARE_ALL, FILE_OPEN, 0, &File) ==
              STATUS_OBJECT_NAME_NOT_FOUND);
    return STATUS_SUCCESS;
}

/*
 * A write racing the making of an image segment. The writer, above the test's
 * priority, writes a new stub byte through a handle opened before any section,
 * then says so (LastWritten); the test makes sections of the file meanwhile. A
 * section made after a write was done must show that write or a later one: a
 * segment read before the write and put on the file after it (the flush finding
 * nothing to drop) would be cached and served stale.
 */
#define KST_RACE_WRITES  40

typedef struct _KST_CACHE_RACE {
    HANDLE Writer;
    volatile ULONG LastWritten;
    volatile BOOLEAN Done;
    volatile NTSTATUS Status;
} KST_CACHE_RACE, *PKST_CACHE_RACE;

static VOID KstCacheRaceWriter(PVOID Context)
{
    PKST_CACHE_RACE Race = Context;
    LARGE_INTEGER Offset, Tick = KstTicks(1);
    IO_STATUS_BLOCK Iosb;
    ULONG Index;
    UCHAR Stub;

    Offset.QuadPart = KST_STUB_OFFSET;
    for (Index = 1; Index <= KST_RACE_WRITES && NT_SUCCESS(Race->Status); Index++) {
        Stub = (UCHAR)Index;
        Race->Status = NtWriteFile(Race->Writer, NULL, NULL, NULL, &Iosb, &Stub, 1, &Offset, NULL);
        Race->LastWritten = Index;
        KeDelayExecutionThread(KernelMode, FALSE, &Tick);
    }
    Race->Done = TRUE;
}

static NTSTATUS KstCacheRace(PUCHAR Image, ULONG Length, PMM_ADDRESS_SPACE Space)
{
    KST_CACHE_RACE Race = { NULL, 0, FALSE, STATUS_SUCCESS };
    ULONG Before, Stale = 0, Sections = 0;
    HANDLE Section;
    PKTHREAD Thread;
    PVOID Base;
    UCHAR Stub;
    NTSTATUS Status = STATUS_SUCCESS;

    KST_CHECK(NT_SUCCESS(KstCacheWrite(KST_CACHE_FILE, Image, Length, 0)));
    KST_CHECK(NT_SUCCESS(KstCacheOpen(KST_CACHE_FILE, FILE_WRITE_DATA, KST_SHARE_ALL, FILE_OPEN, 0,
                                      &Race.Writer)));
    Thread = KstCreateThread(KstCacheRaceWriter, &Race, 9);
    if (Thread == NULL) {
        NtClose(Race.Writer);
        return STATUS_INSUFFICIENT_RESOURCES;
    }
    while (!Race.Done && NT_SUCCESS(Status)) {
        /* Every other section reads the file (the window the writer is to hit);
           the next one takes what that one left cached. */
        if ((Sections & 1) == 0)
            MmTrimSegmentCache();
        Before = Race.LastWritten;
        Status = KstCacheSection(KST_CACHE_FILE, &Section);
        if (!NT_SUCCESS(Status))
            break;
        Status = KstCacheStub(Section, Space, &Base, &Stub);
        if (Base != NULL)
            (VOID)MmUnmapViewOfSection(Space, Base);
        NtClose(Section);
        Sections++;
        if (NT_SUCCESS(Status) && Stub < Before) {
            if (Stale++ == 0)
                DbgPrint("    section %lu shows write %u, made after write %lu\n", Sections, Stub, Before);
        }
    }
    KstJoinThread(Thread);
    NtClose(Race.Writer);
    KST_CHECK(NT_SUCCESS(Status) && NT_SUCCESS(Race.Status));
    /* And once the writer is done, the file's last bytes. */
    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &Section)));
    Status = KstCacheStub(Section, Space, &Base, &Stub);
    if (Base != NULL)
        (VOID)MmUnmapViewOfSection(Space, Base);
    NtClose(Section);
    KST_CHECK(NT_SUCCESS(Status));
    if (Stub != KST_RACE_WRITES)
        DbgPrint("    after the writer: write %u, not %u\n", Stub, KST_RACE_WRITES);
    KST_CHECK(Stale == 0 && Stub == KST_RACE_WRITES);
    return STATUS_SUCCESS;
}

/*
 * The cache gives back its commit: memory committed by anyone may take what cached
 * images hold (they are only a faster way to the same bytes), not only a new
 * image segment.
 */
static NTSTATUS KstCacheCommit(PMM_ADDRESS_SPACE Space)
{
    MM_SEGMENT_CACHE_INFORMATION Cache;
    MM_MEMORY_COUNTERS Counters;
    MM_ATTACH_STATE Attach;
    HANDLE Section;
    PVOID Address = NULL;
    SIZE_T Size;
    NTSTATUS Status;

    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &Section)));
    NtClose(Section);
    MmQuerySegmentCache(&Cache);
    KST_CHECK(Cache.UnusedSegments == 1 && Cache.UnusedPages != 0);
    MmQueryMemoryCounters(&Counters);
    /* One page more than is left: there is that much only with the cache's back. */
    Size = (SIZE_T)(Counters.CommitLimit - Counters.CommittedPages + 1) * PAGE_SIZE;
    MmAttachAddressSpace(Space, &Attach);
    Status = MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (NT_SUCCESS(Status)) {
        Size = 0;
        (VOID)MmFreeVirtualMemory(&Address, &Size, MEM_RELEASE);
    }
    MmDetachAddressSpace(&Attach);
    if (!NT_SUCCESS(Status))
        DbgPrint("    commit with %lu pages cached: 0x%08lX\n", Cache.UnusedPages, (ULONG)Status);
    KST_CHECK(Status == STATUS_SUCCESS);
    KST_CHECK(KstCacheUnused() == 0);
    return STATUS_SUCCESS;
}

/*
 * Physical pages held by the cache go to page faults too: with an image cached, a
 * region larger than the free pages (commit allows it: the commit limit counts the
 * paging file's worth beyond RAM) is touched page by page until a fault fails. The
 * faults after the last free page must have emptied the cache first. The region
 * goes back at the end, and with it every page.
 */
static NTSTATUS KstCachePages(PMM_ADDRESS_SPACE Space)
{
    MM_MEMORY_COUNTERS Counters;
    MM_ATTACH_STATE Attach;
    HANDLE Section;
    PVOID Address = NULL;
    SIZE_T Size;
    ULONG Touched = 0, Free;
    NTSTATUS Status;

    KST_CHECK(NT_SUCCESS(KstCacheSection(KST_CACHE_FILE, &Section)));
    NtClose(Section);
    KST_CHECK(KstCacheUnused() == 1);
    MmQueryMemoryCounters(&Counters);
    Free = Counters.AvailablePages;
    /* Not so much that the commit charge itself empties the cache. */
    KST_CHECK(Counters.CommitLimit - Counters.CommittedPages > Free + 64);
    Size = (SIZE_T)(Free + 64) * PAGE_SIZE;
    MmAttachAddressSpace(Space, &Attach);
    Status = MmAllocateVirtualMemory(&Address, 0, &Size, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE);
    if (NT_SUCCESS(Status)) {
        while (Touched < Free + 64 &&
               KstTouch((PUCHAR)Address + (SIZE_T)Touched * PAGE_SIZE, TRUE, 1, NULL) == STATUS_SUCCESS)
            Touched++;
        Size = 0;
        (VOID)MmFreeVirtualMemory(&Address, &Size, MEM_RELEASE);
    }
    MmDetachAddressSpace(&Attach);
    KST_CHECK(Status == STATUS_SUCCESS);
    if (KstCacheUnused() != 0)
        DbgPrint("    %lu pages touched of %lu free: the cache kept its pages\n", Touched, Free);
    KST_CHECK(KstCacheUnused() == 0);
    return STATUS_SUCCESS;
}

static NTSTATUS KstCacheRun(PUCHAR Image, ULONG Length)
{
    PMM_ADDRESS_SPACE Space;
    NTSTATUS Status;

    KST_CHECK(((PIMAGE_DOS_HEADER)Image)->e_lfanew > KST_STUB_OFFSET);
    KST_CHECK(NT_SUCCESS(KstCacheWrite(KST_CACHE_FILE, Image, Length, 'A')));
    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Space)));
    Status = KstCacheReuse(Space, KstCacheReads());
    if (NT_SUCCESS(Status))
        Status = KstCacheChanges(Image, Length, Space, KstCacheReads());
    if (NT_SUCCESS(Status))
        Status = KstCacheRenameDelete(Image, Length, Space);
    if (NT_SUCCESS(Status))
        Status = KstCacheRace(Image, Length, Space);
    if (NT_SUCCESS(Status))
        Status = KstCacheCommit(Space);
    if (NT_SUCCESS(Status))
        Status = KstCachePages(Space);
    MmDeleteProcessAddressSpace(Space);
    return Status;
}

static NTSTATUS KstSegmentCache(VOID)
{
    FILE_STANDARD_INFORMATION Standard;
    KST_EX_BASELINE Baseline;
    IO_STATUS_BLOCK Iosb;
    PUCHAR Image;
    HANDLE File;
    ULONG Length;
    NTSTATUS Status;

    if (IoGetBootVolume() == NULL) {
        DbgPrint("    no boot volume: no image to cache\n");
        return STATUS_SUCCESS;
    }
    KstExTakeBaseline(&Baseline);
    KST_CHECK(NT_SUCCESS(KstCacheOpen(KST_CACHE_NTDLL, FILE_READ_DATA, FILE_SHARE_READ, FILE_OPEN, 0, &File)));
    Status = NtQueryInformationFile(File, &Iosb, &Standard, sizeof(Standard), FileStandardInformation);
    Length = (ULONG)Standard.EndOfFile.QuadPart;
    Image = ExAllocatePoolWithTag(NonPagedPool, KST_CACHE_MAX, KST_CACHE_TAG);
    if (NT_SUCCESS(Status) && (Image == NULL || Length > KST_CACHE_MAX))
        Status = STATUS_INSUFFICIENT_RESOURCES;
    if (NT_SUCCESS(Status))
        Status = NtReadFile(File, NULL, NULL, NULL, &Iosb, Image, Length, NULL, NULL);
    NtClose(File);
    if (NT_SUCCESS(Status))
        Status = KstCacheRun(Image, Length);
    /* Whatever failed, nothing is left on the volume. */
    (VOID)KstCacheDelete(KST_CACHE_FILE);
    (VOID)KstCacheDelete(KST_CACHE_OTHER);
    if (Image != NULL)
        ExFreePoolWithTag(Image, KST_CACHE_TAG);
    if (!NT_SUCCESS(Status)) {
        DbgPrint("    0x%08lX\n", (ULONG)Status);
        return Status;
    }
    return KstExCheckBaseline(&Baseline, "after the cached images");
}
KSELFTEST(MM_SEGMENT_CACHE, KstSegmentCache);
