/*
 * iomgr.c - self-tests of the I/O manager through its services, called from a
 * kernel thread: \Device\Null (IO_NULL_DEVICE) and the boot volume opened raw as
 * \??\C: (IO_RAW_VOLUME): opens, reads and writes with and without a byte offset,
 * the position of a synchronous file, events, the statuses of bad requests and of
 * bad user pointers, and the pool and the File type's counts as they began.
 */
#include "exobjtest.h"
#include <io.h>
#include <ramdisk.h>

#define KST_USER_CALL(Call)                                  \
    ({                                                       \
        KeGetCurrentThread()->PreviousMode = UserMode;       \
        NTSTATUS KstStatus_ = (Call);                        \
        KeGetCurrentThread()->PreviousMode = KernelMode;     \
        KstStatus_;                                          \
    })

typedef struct _KST_IO_BASELINE {
    KST_EX_BASELINE Ex;         /* pool, memory, the dispatcher types' counts */
    ULONG Files, FileHandles;
} KST_IO_BASELINE;

static VOID KstIoTakeBaseline(KST_IO_BASELINE *Baseline)
{
    Baseline->Files = IoFileObjectType->TotalNumberOfObjects;
    Baseline->FileHandles = IoFileObjectType->TotalNumberOfHandles;
    KstExTakeBaseline(&Baseline->Ex);
}

static NTSTATUS KstIoCheckBaseline(const KST_IO_BASELINE *Baseline, PCSTR Where)
{
    if (IoFileObjectType->TotalNumberOfObjects != Baseline->Files ||
        IoFileObjectType->TotalNumberOfHandles != Baseline->FileHandles) {
        DbgPrint("    %s: %lu file objects, %lu handles (was %lu, %lu)\n", Where,
                 IoFileObjectType->TotalNumberOfObjects, IoFileObjectType->TotalNumberOfHandles,
                 Baseline->Files, Baseline->FileHandles);
        return STATUS_UNSUCCESSFUL;
    }
    return KstExCheckBaseline(&Baseline->Ex, Where);
}

static NTSTATUS KstOpen(PCWSTR Path, ACCESS_MASK Access, ULONG Options, ULONG Attributes, PHANDLE Handle,
                        PIO_STATUS_BLOCK Iosb)
{
    OBJECT_ATTRIBUTES ObjectAttributes;
    UNICODE_STRING Name;

    KstExAttributes(&ObjectAttributes, &Name, Path, Attributes | OBJ_CASE_INSENSITIVE);
    return NtCreateFile(Handle, Access, &ObjectAttributes, Iosb, NULL, FILE_ATTRIBUTE_NORMAL,
                        FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_OPEN, Options, NULL, 0);
}

static LONGLONG KstPosition(HANDLE Handle)
{
    FILE_POSITION_INFORMATION Position;
    IO_STATUS_BLOCK Iosb;

    if (NtQueryInformationFile(Handle, &Iosb, &Position, sizeof(Position), FilePositionInformation) !=
        STATUS_SUCCESS)
        return -1;
    return Position.CurrentByteOffset.QuadPart;
}

/* An APC routine NtWriteFile must refuse (APC completion is not implemented). */
static VOID NTAPI KstNeverCalledApc(PVOID ApcContext, PIO_STATUS_BLOCK IoStatusBlock, ULONG Reserved)
{
    UNREFERENCED_PARAMETER(ApcContext);
    UNREFERENCED_PARAMETER(IoStatusBlock);
    UNREFERENCED_PARAMETER(Reserved);
}

static NTSTATUS KstNullDevice(VOID)
{
    FILE_STANDARD_INFORMATION Standard;
    OBJECT_ATTRIBUTES Attributes;
    KST_IO_BASELINE Baseline;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    PFILE_OBJECT File;
    HANDLE Null, Async, Event;
    UCHAR Bytes[80];
    PVOID Object;

    KstIoTakeBaseline(&Baseline);
    memset(Bytes, 'x', sizeof(Bytes));
    Iosb.Information = 99;
    KST_CHECK(KstOpen(u"\\Device\\Null", FILE_GENERIC_READ | FILE_GENERIC_WRITE, FILE_SYNCHRONOUS_IO_NONALERT, 0,
                      &Null, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Status == STATUS_SUCCESS && Iosb.Information == FILE_OPENED);
    File = KstExObject(Null);
    KST_CHECK(File != NULL && OBJECT_TO_OBJECT_HEADER(File)->Type == IoFileObjectType);
    KST_CHECK(File->Type == IO_TYPE_FILE && File->FileName.Length == 0 && (File->Flags & FO_SYNCHRONOUS_IO));
    KST_CHECK(File->DeviceObject->DeviceType == FILE_DEVICE_NULL && File->ReadAccess && File->WriteAccess);
    KST_CHECK(File->DeviceObject->ReferenceCount == 1);

    /* Writes take everything; reads find the end; the position follows the writes. */
    KST_CHECK(NtWriteFile(Null, NULL, NULL, NULL, &Iosb, Bytes, sizeof(Bytes), NULL, NULL) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Status == STATUS_SUCCESS && Iosb.Information == sizeof(Bytes));
    KST_CHECK(KstPosition(Null) == sizeof(Bytes));
    Offset.QuadPart = 1000;
    KST_CHECK(NtWriteFile(Null, NULL, NULL, NULL, &Iosb, Bytes, 10, &Offset, NULL) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == 10 && KstPosition(Null) == 1010);
    KST_CHECK(NtReadFile(Null, NULL, NULL, NULL, &Iosb, Bytes, sizeof(Bytes), NULL, NULL) == STATUS_END_OF_FILE);
    KST_CHECK(NtFlushBuffersFile(Null, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(NtQueryInformationFile(Null, &Iosb, &Standard, sizeof(Standard), FileStandardInformation) ==
              STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == sizeof(Standard) && Standard.EndOfFile.QuadPart == 0);
    KST_CHECK(NtQueryInformationFile(Null, &Iosb, &Standard, 4, FileStandardInformation) ==
              STATUS_INFO_LENGTH_MISMATCH);
    KST_CHECK(NtQueryInformationFile(Null, &Iosb, &Standard, sizeof(Standard), 99) == STATUS_INVALID_INFO_CLASS);
    KST_CHECK(NtQueryInformationFile(Null, &Iosb, &Standard, sizeof(Standard), FileEndOfFileInformation) ==
              STATUS_NOT_IMPLEMENTED);

    /* An event is set when the request is done; APC completion is not there yet. */
    KstExAttributes(&Attributes, &Name, NULL, 0);
    KST_CHECK(NtCreateEvent(&Event, EVENT_ALL_ACCESS, &Attributes, NotificationEvent, FALSE) == STATUS_SUCCESS);
    KST_CHECK(NtWriteFile(Null, Event, NULL, NULL, &Iosb, Bytes, 5, NULL, NULL) == STATUS_SUCCESS);
    KST_CHECK(KeReadStateEvent(KstExObject(Event)) == 1);
    KST_CHECK(NtWriteFile(Null, NULL, KstNeverCalledApc, NULL, &Iosb, Bytes, 5, NULL, NULL) ==
              STATUS_NOT_IMPLEMENTED);
    KST_CHECK(NtWriteFile(Null, Null, NULL, NULL, &Iosb, Bytes, 5, NULL, NULL) == STATUS_OBJECT_TYPE_MISMATCH);

    /* Without FILE_SYNCHRONOUS_IO_* there is no position: ByteOffset is required. */
    KST_CHECK(KstOpen(u"\\Device\\Null", FILE_GENERIC_WRITE, 0, 0, &Async, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(File->DeviceObject->ReferenceCount == 2);
    KST_CHECK(NtWriteFile(Async, NULL, NULL, NULL, &Iosb, Bytes, 5, NULL, NULL) == STATUS_INVALID_PARAMETER);
    Offset.QuadPart = 0;
    KST_CHECK(NtWriteFile(Async, NULL, NULL, NULL, &Iosb, Bytes, 5, &Offset, NULL) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Async) == STATUS_SUCCESS);

    /* Bad parameters, names that are not devices, lookups that are not opens. */
    KST_CHECK(KstOpen(u"\\Device\\Null", FILE_GENERIC_READ & ~SYNCHRONIZE, FILE_SYNCHRONOUS_IO_NONALERT, 0,
                      &Async, &Iosb) == STATUS_INVALID_PARAMETER);
    KST_CHECK(KstOpen(u"\\Device", FILE_GENERIC_READ, 0, 0, &Async, &Iosb) == STATUS_OBJECT_TYPE_MISMATCH);
    KST_CHECK(KstOpen(u"\\Device\\NoSuchDevice", FILE_GENERIC_READ, 0, 0, &Async, &Iosb) ==
              STATUS_OBJECT_NAME_NOT_FOUND);
    KstExAttributes(&Attributes, &Name, u"\\Device\\Null", 0);
    KST_CHECK(ObReferenceObjectByName(&Name, OBJ_CASE_INSENSITIVE, NULL, 0, NULL, KernelMode, NULL, &Object) ==
              STATUS_OBJECT_TYPE_MISMATCH);

    KST_CHECK(NtClose(Event) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Null) == STATUS_SUCCESS);
    return KstIoCheckBaseline(&Baseline, "null device");
}
KSELFTEST(IO_NULL_DEVICE, KstNullDevice);

/* One sector at Offset through the handle, with an explicit byte offset. */
static NTSTATUS KstReadAt(HANDLE Volume, ULONG Offset, PVOID Buffer, ULONG Length, PIO_STATUS_BLOCK Iosb)
{
    LARGE_INTEGER ByteOffset;

    ByteOffset.QuadPart = Offset;
    return NtReadFile(Volume, NULL, NULL, NULL, Iosb, Buffer, Length, &ByteOffset, NULL);
}

static NTSTATUS KstRawVolume(VOID)
{
    static UCHAR Sector[RAMDISK_SECTOR_SIZE], Saved[RAMDISK_SECTOR_SIZE], Direct[RAMDISK_SECTOR_SIZE];
    static UCHAR Pattern[RAMDISK_SECTOR_SIZE];
    PRAMDISK Disk = IoGetBootVolume();
    ULONG Index, Last, KernelVariable = 0;
    PVOID KernelAddress = &KernelVariable, Misaligned = (PVOID)0x00010002;
    OBJECT_ATTRIBUTES Attributes;
    KST_IO_BASELINE Baseline;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;
    LARGE_INTEGER Offset;
    HANDLE Volume, User, Other;
    BOOLEAN Found = FALSE;

    if (Disk == NULL) {
        /* Too little memory for the volume (boot-16mb): then there is no C: at all. */
        DbgPrint("    no boot volume in this boot: only its absence to check\n");
        KST_CHECK(KstOpen(u"\\??\\C:", FILE_GENERIC_READ, 0, 0, &Volume, &Iosb) == STATUS_OBJECT_NAME_NOT_FOUND);
        return STATUS_SUCCESS;
    }
    Last = Disk->Length - RAMDISK_SECTOR_SIZE;
    KstIoTakeBaseline(&Baseline);
    KST_CHECK(KstOpen(u"\\??\\C:", FILE_GENERIC_READ | FILE_GENERIC_WRITE, FILE_SYNCHRONOUS_IO_NONALERT, 0,
                      &Volume, &Iosb) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == FILE_OPENED);

    /* The boot sector: the signature, and the label mkvolume gave the volume. */
    KST_CHECK(KstReadAt(Volume, 0, Sector, sizeof(Sector), &Iosb) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == sizeof(Sector) && Sector[510] == 0x55 && Sector[511] == 0xAA);
    for (Index = 0; Index + 5 <= sizeof(Sector) && !Found; Index++)
        Found = memcmp(&Sector[Index], "NTLAB", 5) == 0;
    KST_CHECK(Found);

    /* Without a byte offset, reads go on from the position, which they advance. */
    KST_CHECK(KstPosition(Volume) == RAMDISK_SECTOR_SIZE);
    for (Index = 1; Index <= 2; Index++) {
        KST_CHECK(NtReadFile(Volume, NULL, NULL, NULL, &Iosb, Sector, sizeof(Sector), NULL, NULL) ==
                  STATUS_SUCCESS);
        KST_CHECK(IoReadRamDisk(Disk, Index, 1, Direct) == STATUS_SUCCESS);
        KST_CHECK(memcmp(Sector, Direct, sizeof(Sector)) == 0);
        KST_CHECK(KstPosition(Volume) == (Index + 1) * RAMDISK_SECTOR_SIZE);
    }

    /* The last sector: written, read back, restored. */
    KST_CHECK(KstReadAt(Volume, Last, Saved, sizeof(Saved), &Iosb) == STATUS_SUCCESS);
    for (Index = 0; Index < sizeof(Pattern); Index++)
        Pattern[Index] = (UCHAR)(Index * 7 + 1);
    Offset.QuadPart = Last;
    KST_CHECK(NtWriteFile(Volume, NULL, NULL, NULL, &Iosb, Pattern, sizeof(Pattern), &Offset, NULL) ==
              STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == sizeof(Pattern) && KstPosition(Volume) == Disk->Length);
    KST_CHECK(KstReadAt(Volume, Last, Sector, sizeof(Sector), &Iosb) == STATUS_SUCCESS);
    KST_CHECK(memcmp(Sector, Pattern, sizeof(Sector)) == 0);
    KST_CHECK(NtWriteFile(Volume, NULL, NULL, NULL, &Iosb, Saved, sizeof(Saved), &Offset, NULL) == STATUS_SUCCESS);
    KST_CHECK(IoReadRamDisk(Disk, Last / RAMDISK_SECTOR_SIZE, 1, Direct) == STATUS_SUCCESS);
    KST_CHECK(memcmp(Saved, Direct, sizeof(Saved)) == 0);
    KST_CHECK(NtFlushBuffersFile(Volume, &Iosb) == STATUS_SUCCESS);

    /* Sharing: Volume (read and write, sharing both) lets another reader in, but
       not one that would deny writing; an open that shares no writing is refused
       while Volume writes (NT: IoCheckShareAccess on the volume). */
    KstExAttributes(&Attributes, &Name, u"\\??\\C:", OBJ_CASE_INSENSITIVE);
    KST_CHECK(NtCreateFile(&Other, FILE_GENERIC_READ, &Attributes, &Iosb, NULL, 0, FILE_SHARE_READ | FILE_SHARE_WRITE,
                           FILE_OPEN, 0, NULL, 0) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Other) == STATUS_SUCCESS);
    KST_CHECK(NtCreateFile(&Other, FILE_GENERIC_READ, &Attributes, &Iosb, NULL, 0, FILE_SHARE_READ, FILE_OPEN, 0,
                           NULL, 0) == STATUS_SHARING_VIOLATION);

    /* Whole sectors only; nothing at or past the end; a transfer across it is cut. */
    KST_CHECK(KstReadAt(Volume, 100, Sector, sizeof(Sector), &Iosb) == STATUS_INVALID_PARAMETER);
    KST_CHECK(KstReadAt(Volume, 0, Sector, 100, &Iosb) == STATUS_INVALID_PARAMETER);
    KST_CHECK(KstReadAt(Volume, Disk->Length, Sector, sizeof(Sector), &Iosb) == STATUS_END_OF_FILE);
    Offset.QuadPart = 0x100000000LL;
    KST_CHECK(NtReadFile(Volume, NULL, NULL, NULL, &Iosb, Sector, sizeof(Sector), &Offset, NULL) ==
              STATUS_END_OF_FILE);
    KST_CHECK(NtReadFile(Volume, NULL, NULL, NULL, &Iosb, Sector, sizeof(Sector), NULL, NULL) ==
              STATUS_END_OF_FILE);     /* the position is the end now */

    /* A name inside the volume goes to the file system that mounted it (FAT,
       tests/kernel/iofat.c); the raw open above stays the volume driver's. */
    KST_CHECK(KstOpen(u"\\SystemRoot", FILE_GENERIC_READ, FILE_DIRECTORY_FILE, 0, &Other, &Iosb) ==
              STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == FILE_OPENED);
    KST_CHECK(NtClose(Other) == STATUS_SUCCESS);

    /* User mode: every pointer is probed before anything happens. */
    KST_CHECK(KstOpen(u"\\??\\C:", FILE_GENERIC_READ, FILE_SYNCHRONOUS_IO_NONALERT, KST_USER_HANDLE, &User,
                      &Iosb) == STATUS_SUCCESS);
    KstExAttributes(&Attributes, &Name, u"\\??\\C:", KST_USER_HANDLE);
    KST_CHECK(KST_USER_CALL(NtCreateFile(KernelAddress, FILE_GENERIC_READ, &Attributes, &Iosb, NULL, 0, 0,
                                         FILE_OPEN, 0, NULL, 0)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtOpenFile((PHANDLE)Misaligned, FILE_GENERIC_READ, &Attributes, &Iosb, 0, 0)) ==
              STATUS_DATATYPE_MISALIGNMENT);
    KST_CHECK(KST_USER_CALL(NtReadFile(User, NULL, NULL, NULL, KernelAddress, Sector, 512, NULL, NULL)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtReadFile(User, NULL, NULL, NULL, Misaligned, Sector, 512, NULL, NULL)) ==
              STATUS_DATATYPE_MISALIGNMENT);
    KST_CHECK(KST_USER_CALL(NtReadFile(User, NULL, NULL, NULL, NULL, Sector, 512, NULL, NULL)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtWriteFile(User, NULL, NULL, NULL, KernelAddress, Sector, 512, NULL, NULL)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtFlushBuffersFile(User, KernelAddress)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtQueryInformationFile(User, KernelAddress, Sector, sizeof(FILE_POSITION_INFORMATION),
                                                   FilePositionInformation)) == STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtReadFile(Volume, NULL, NULL, NULL, NULL, Sector, 512, NULL, NULL)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KernelVariable == 0 && KstPosition(User) == 0);
    KST_CHECK(KeGetCurrentThread()->PreviousMode == KernelMode);

    KST_CHECK(NtClose(User) == STATUS_SUCCESS);
    KST_CHECK(NtClose(Volume) == STATUS_SUCCESS);
    return KstIoCheckBaseline(&Baseline, "raw volume");
}
KSELFTEST(IO_RAW_VOLUME, KstRawVolume);
