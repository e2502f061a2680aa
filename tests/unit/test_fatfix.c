/*
 * test_fatfix.c - the world around the FAT driver in its host tests: an image file as
 * the disk, malloc as the pool, a settable clock, mtools. See test_fatfix.h.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_fatfix.h"

#ifndef FAT_TEST_BUILD_DIR
#define FAT_TEST_BUILD_DIR "build"
#endif

FAT_MOUNT_PARAMETERS TestFatParameters;
LONGLONG TestFatNow;

static char TestFatDirectory[600];
static LONG TestFatBlocks;
static LONG TestFatFailAt;

/* ---- the temporary directory and mtools' environment ---- */

static void TestFatCleanUp(void)
{
    char Command[700];

    if (TestFatDirectory[0] != '\0' && getenv("FAT_TEST_KEEP") == NULL) {
        snprintf(Command, sizeof(Command), "rm -rf '%s'", TestFatDirectory);
        if (system(Command) != 0) {
            fprintf(stderr, "could not remove %s\n", TestFatDirectory);
        }
    }
}

const char *TestFatTempDir(VOID)
{
    if (TestFatDirectory[0] == '\0') {
        mkdir(FAT_TEST_BUILD_DIR, 0777);
        snprintf(TestFatDirectory, sizeof(TestFatDirectory), "%s/fattest.XXXXXX", FAT_TEST_BUILD_DIR);
        if (mkdtemp(TestFatDirectory) == NULL) {
            fail_msg("mkdtemp %s failed", TestFatDirectory);
        }
        atexit(TestFatCleanUp);
        setenv("MTOOLS_SKIP_CHECK", "1", 1);
        setenv("MTOOLSRC", "/dev/null", 1);
        setenv("TZ", "UTC", 1);
        setenv("LC_ALL", "C.UTF-8", 1);
    }
    return TestFatDirectory;
}

/* Single quotes for the shell, in a ring of buffers. */
static const char *TestFatQuote(const char *Text)
{
    static char Ring[8][1200];
    static int Next;
    char *Out = Ring[Next++ % 8];
    size_t Length = 0;

    Out[Length++] = '\'';
    for (; *Text != '\0' && Length < sizeof(Ring[0]) - 6; Text++) {
        if (*Text == '\'') {
            memcpy(Out + Length, "'\\''", 4);
            Length += 4;
        } else {
            Out[Length++] = *Text;
        }
    }
    Out[Length++] = '\'';
    Out[Length] = '\0';
    return Out;
}

int TestFatRun(const char *Format, ...)
{
    char Command[4096];
    va_list Args;
    int Status;

    TestFatTempDir();
    va_start(Args, Format);
    vsnprintf(Command, sizeof(Command), Format, Args);
    va_end(Args);
    Status = system(Command);
    return WIFEXITED(Status) ? WEXITSTATUS(Status) : -1;
}

char *TestFatCapture(size_t *Size, const char *Format, ...)
{
    char Command[4096];
    char *Output = NULL;
    size_t Length = 0, Capacity = 0, Got;
    va_list Args;
    FILE *Pipe;

    TestFatTempDir();
    va_start(Args, Format);
    vsnprintf(Command, sizeof(Command), Format, Args);
    va_end(Args);
    Pipe = popen(Command, "r");
    assert_non_null(Pipe);
    do {
        if (Capacity - Length < 4096) {
            Capacity = Capacity * 2 + 8192;
            Output = realloc(Output, Capacity);
            assert_non_null(Output);
        }
        Got = fread(Output + Length, 1, Capacity - Length - 1, Pipe);
        Length += Got;
    } while (Got != 0);
    Output[Length] = '\0';
    if (pclose(Pipe) != 0) {
        free(Output);
        return NULL;
    }
    if (Size != NULL) {
        *Size = Length;
    }
    return Output;
}

const char *TestFatFormat(const char *Name, const char *MformatArgs)
{
    static char Paths[16][700];
    static int Next;
    char *Path = Paths[Next++ % 16];

    snprintf(Path, sizeof(Paths[0]), "%s/%s", TestFatTempDir(), Name);
    unlink(Path);
    if (TestFatRun("mformat -C -i %s %s :: >/dev/null", TestFatQuote(Path), MformatArgs) != 0) {
        fail_msg("mformat %s failed (is mtools installed?)", MformatArgs);
    }
    return Path;
}

const char *TestFatHostFile(const char *Name, const VOID *Data, size_t Size)
{
    static char Paths[8][700];
    static int Next;
    char *Path = Paths[Next++ % 8];
    FILE *File;

    snprintf(Path, sizeof(Paths[0]), "%s/%s", TestFatTempDir(), Name);
    File = fopen(Path, "wb");
    assert_non_null(File);
    assert_int_equal(fwrite(Data, 1, Size, File), Size);
    fclose(File);
    return Path;
}

PUCHAR TestFatMtype(const char *Image, const char *Path, size_t *Size)
{
    return (PUCHAR)TestFatCapture(Size, "mtype -i %s %s", TestFatQuote(Image), TestFatQuote(Path));
}

BOOLEAN TestFatMdirHas(const char *Image, const char *Path)
{
    char *Listing = TestFatCapture(NULL, "mdir -a -b -/ -i %s ::", TestFatQuote(Image));
    char *Line;
    BOOLEAN Found = FALSE;

    assert_non_null(Listing);
    for (Line = strtok(Listing, "\n"); Line != NULL && !Found; Line = strtok(NULL, "\n")) {
        Found = strcmp(Line, Path) == 0;
    }
    free(Listing);
    return Found;
}

ULONGLONG TestFatMdirFree(const char *Image)
{
    char *Listing = TestFatCapture(NULL, "mdir -a -i %s ::", TestFatQuote(Image));
    char *Line, *Cursor;
    ULONGLONG Free = ~0ULL;

    assert_non_null(Listing);
    for (Line = strtok(Listing, "\n"); Line != NULL; Line = strtok(NULL, "\n")) {
        if (strstr(Line, "bytes free") != NULL) {
            Free = 0;
            for (Cursor = Line; *Cursor != 'b'; Cursor++) {
                if (*Cursor >= '0' && *Cursor <= '9') {
                    Free = Free * 10 + (ULONGLONG)(*Cursor - '0');
                }
            }
        }
    }
    free(Listing);
    return Free;
}

/* ---- the disk ---- */

static NTSTATUS TestFatReadSectors(PVOID Context, ULONG First, ULONG Count, PVOID Buffer)
{
    PTEST_DISK Disk = Context;
    size_t Bytes = (size_t)Count * Disk->SectorSize;

    Disk->Reads++;
    if (Disk->FailReadAt != 0 && --Disk->FailReadAt == 0) {
        return STATUS_UNSUCCESSFUL;
    }
    if (First >= Disk->SectorCount || Count > Disk->SectorCount - First) {
        return STATUS_INVALID_PARAMETER;
    }
    if (pread(Disk->Fd, Buffer, Bytes, (off_t)First * Disk->SectorSize) != (ssize_t)Bytes) {
        return STATUS_UNSUCCESSFUL;
    }
    return STATUS_SUCCESS;
}

static NTSTATUS TestFatWriteSectors(PVOID Context, ULONG First, ULONG Count, const VOID *Buffer)
{
    PTEST_DISK Disk = Context;
    size_t Bytes = (size_t)Count * Disk->SectorSize;

    Disk->Writes++;
    if (Disk->FailWriteAt != 0 && --Disk->FailWriteAt == 0) {
        return STATUS_UNSUCCESSFUL;
    }
    if (First >= Disk->SectorCount || Count > Disk->SectorCount - First) {
        return STATUS_INVALID_PARAMETER;
    }
    if (pwrite(Disk->Fd, Buffer, Bytes, (off_t)First * Disk->SectorSize) != (ssize_t)Bytes) {
        return STATUS_UNSUCCESSFUL;
    }
    return STATUS_SUCCESS;
}

/* ---- memory and time ---- */

static PVOID TestFatAllocate(PVOID Context, SIZE_T Size)
{
    (void)Context;
    if (TestFatFailAt != 0 && --TestFatFailAt == 0) {
        return NULL;
    }
    TestFatBlocks++;
    return malloc(Size);
}

static VOID TestFatFree(PVOID Context, PVOID Block)
{
    (void)Context;
    assert_non_null(Block);
    TestFatBlocks--;
    free(Block);
}

LONG TestFatLiveBlocks(VOID)
{
    return TestFatBlocks;
}

VOID TestFatFailAllocationAt(LONG Nth)
{
    TestFatFailAt = Nth;
}

static VOID TestFatQueryTime(PVOID Context, PLARGE_INTEGER Time)
{
    (void)Context;
    Time->QuadPart = TestFatNow;
}

LONGLONG TestFatMakeTime(int Year, int Month, int Day, int Hour, int Minute, int Second, int Ms)
{
    TIME_FIELDS Fields = { (SHORT)Year, (SHORT)Month, (SHORT)Day, (SHORT)Hour,
                           (SHORT)Minute, (SHORT)Second, (SHORT)Ms, 0 };
    LARGE_INTEGER Time;

    assert_true(RtlTimeFieldsToTime(&Fields, &Time));
    return Time.QuadPart;
}

/* ---- mount ---- */

NTSTATUS TestFatMountEx(const char *Path, PTEST_DISK Disk, PFAT_VOLUME *Volume, BOOLEAN ReadOnly)
{
    struct stat Info;
    ULONG SectorSize = Disk->SectorSize ? Disk->SectorSize : 512;

    /* One volume at a time: what a failed test leaked does not count against the next. */
    TestFatBlocks = 0;
    TestFatFailAt = 0;
    memset(Disk, 0, sizeof(*Disk));
    snprintf(Disk->Path, sizeof(Disk->Path), "%s", Path);
    Disk->Fd = open(Path, ReadOnly ? O_RDONLY : O_RDWR);
    assert_true(Disk->Fd >= 0);
    assert_int_equal(fstat(Disk->Fd, &Info), 0);
    Disk->SectorSize = SectorSize;
    Disk->SectorCount = (ULONG)(Info.st_size / SectorSize);
    memset(&TestFatParameters, 0, sizeof(TestFatParameters));
    TestFatParameters.ReadSectors = TestFatReadSectors;
    TestFatParameters.WriteSectors = ReadOnly ? NULL : TestFatWriteSectors;
    TestFatParameters.DeviceContext = Disk;
    TestFatParameters.SectorSize = SectorSize;
    TestFatParameters.SectorCount = Disk->SectorCount;
    TestFatParameters.Allocator.Allocate = TestFatAllocate;
    TestFatParameters.Allocator.Free = TestFatFree;
    TestFatParameters.QuerySystemTime = TestFatQueryTime;
    if (TestFatNow == 0) {
        TestFatNow = TestFatMakeTime(2024, 5, 17, 13, 45, 22, 500);
    }
    return FatMount(&TestFatParameters, Volume);
}

PFAT_VOLUME TestFatMount(const char *Path, PTEST_DISK Disk)
{
    PFAT_VOLUME Volume = NULL;

    Disk->SectorSize = 0;
    assert_int_equal(TestFatMountEx(Path, Disk, &Volume, FALSE), STATUS_SUCCESS);
    assert_non_null(Volume);
    return Volume;
}

VOID TestFatUnmount(PFAT_VOLUME Volume, PTEST_DISK Disk)
{
    assert_int_equal(FatDismount(Volume), STATUS_SUCCESS);
    assert_int_equal(TestFatLiveBlocks(), 0);
    close(Disk->Fd);
    Disk->Fd = -1;
}

/* ---- strings ---- */

PUNICODE_STRING TestFatString(const char *Utf8)
{
    static WCHAR Buffers[8][1024];
    static UNICODE_STRING Strings[8];
    static int Next;
    int Slot = Next++ % 8;
    const unsigned char *In = (const unsigned char *)Utf8;
    ULONG Length = 0;

    while (*In != '\0' && Length < 1023) {
        ULONG C = *In++;

        if (C >= 0xE0) {
            C = ((C & 0x0F) << 12) | ((In[0] & 0x3F) << 6) | (In[1] & 0x3F);
            In += 2;
        } else if (C >= 0xC0) {
            C = ((C & 0x1F) << 6) | (In[0] & 0x3F);
            In += 1;
        }
        Buffers[Slot][Length++] = (WCHAR)C;
    }
    Buffers[Slot][Length] = 0;
    Strings[Slot].Buffer = Buffers[Slot];
    Strings[Slot].Length = (USHORT)(Length * sizeof(WCHAR));
    Strings[Slot].MaximumLength = (USHORT)(1024 * sizeof(WCHAR));
    return &Strings[Slot];
}

const char *TestFatUtf8(PCWSTR Buffer, ULONG LengthBytes)
{
    static char Ring[8][1024];
    static int Next;
    char *Out = Ring[Next++ % 8];
    ULONG Index, Length = 0;

    for (Index = 0; Index < LengthBytes / sizeof(WCHAR) && Length < sizeof(Ring[0]) - 4; Index++) {
        WCHAR C = Buffer[Index];

        if (C < 0x80) {
            Out[Length++] = (char)C;
        } else if (C < 0x800) {
            Out[Length++] = (char)(0xC0 | (C >> 6));
            Out[Length++] = (char)(0x80 | (C & 0x3F));
        } else {
            Out[Length++] = (char)(0xE0 | (C >> 12));
            Out[Length++] = (char)(0x80 | ((C >> 6) & 0x3F));
            Out[Length++] = (char)(0x80 | (C & 0x3F));
        }
    }
    Out[Length] = '\0';
    return Out;
}

/* ---- files through the driver ---- */

NTSTATUS TestFatCreate(PFAT_VOLUME Volume, const char *Path, ULONG Disposition, ULONG Options,
                       PFAT_FCB *Fcb)
{
    ULONG Information;

    return FatCreate(Volume, NULL, TestFatString(Path), Disposition, Options, 0, Fcb, &Information);
}

PUCHAR TestFatReadFile(PFAT_VOLUME Volume, const char *Path, PULONG Size)
{
    FAT_FILE_INFORMATION Information;
    PFAT_FCB Fcb;
    PUCHAR Data;
    ULONG Read = 0;

    assert_int_equal(TestFatCreate(Volume, Path, FAT_CREATE_OPEN, FAT_CREATE_NON_DIRECTORY, &Fcb),
                     STATUS_SUCCESS);
    assert_int_equal(FatQueryFileInformation(Fcb, &Information), STATUS_SUCCESS);
    Data = malloc(Information.EndOfFile + 1);
    assert_non_null(Data);
    if (Information.EndOfFile != 0) {
        assert_int_equal(FatRead(Fcb, 0, Data, Information.EndOfFile, &Read), STATUS_SUCCESS);
    }
    assert_int_equal(Read, Information.EndOfFile);
    FatClose(Fcb);
    *Size = Information.EndOfFile;
    return Data;
}

VOID TestFatWriteFile(PFAT_VOLUME Volume, const char *Path, const VOID *Data, ULONG Size)
{
    PFAT_FCB Fcb;
    ULONG Written = 0;

    assert_int_equal(TestFatCreate(Volume, Path, FAT_CREATE_OVERWRITE_IF, FAT_CREATE_NON_DIRECTORY, &Fcb),
                     STATUS_SUCCESS);
    if (Size != 0) {
        assert_int_equal(FatWrite(Fcb, 0, Data, Size, &Written), STATUS_SUCCESS);
    }
    assert_int_equal(Written, Size);
    FatClose(Fcb);
}

UCHAR TestFatPattern(ULONG Seed, ULONG Offset)
{
    ULONG Value = (Offset + 1) * 2654435761UL ^ (Seed + 7) * 40503UL;

    return (UCHAR)((Value >> 13) ^ (Value >> 3) ^ Offset);
}

PUCHAR TestFatPatternBuffer(ULONG Seed, ULONG Size)
{
    PUCHAR Buffer = malloc(Size + 1);
    ULONG Index;

    assert_non_null(Buffer);
    for (Index = 0; Index < Size; Index++) {
        Buffer[Index] = TestFatPattern(Seed, Index);
    }
    return Buffer;
}
