/*
 * test_fatread.c - the FAT driver reads what mtools wrote: FAT16, FAT32 and FAT12
 * images made by mformat and filled by mcopy (long names, an accented 8.3 name,
 * nested directories, an empty file, multi-cluster files, a directory of several
 * clusters), then mounted, opened by every kind of name, read byte for byte, listed
 * and compared with what mdir says. Also 4 KB sectors, read-only mounts, and the
 * statuses NT gives for names that are missing, invalid or of the wrong kind.
 */
#include <unistd.h>

#include "test_fatfix.h"

#define LONG_200 "This name is long on purpose, to need sixteen long-name entries - " \
                 "lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod " \
                 "tempor incididunt ut labore et dolore magna aliqua, ut enim ad minim.txt"

typedef struct _IMAGE {
    const char *Name;
    const char *Args;
    ULONG FatType;
    const char *Path;
} IMAGE;

static IMAGE Fat16 = { "read16.img", "-T 8192 -h 2 -s 32 -c 1", 16, NULL };
static IMAGE Fat32 = { "read32.img", "-T 70000 -h 2 -s 32 -c 1 -F", 32, NULL };
static IMAGE Fat12 = { "read12.img", "-f 1440", 12, NULL };
static IMAGE Sector4k = { "read4k.img", "-S 5 -T 2048 -h 2 -s 32", 12, NULL };

/* What the images hold. */
static struct {
    const char *Path;               /* under the root, '/'-separated */
    ULONG Seed, Size;
} Files[] = {
    { "readme.txt", 1, 11 },
    { "A Long File Name.text", 2, 3000 },
    { "empty.dat", 0, 0 },
    { "Big.Bin", 3, 100000 },
    { "UPPER.TXT", 4, 6 },
    { "sub/deeper/Inner.c", 5, 777 },
    { "caf\xc3\xa9.txt", 6, 7 },
    { LONG_200, 7, 200 },
};
#define MANY_FILES 40

static void Populate(IMAGE *Image)
{
    char Source[700], Path[1400], Command[2000];
    ULONG Index;
    PUCHAR Data;
    FILE *File;

    snprintf(Source, sizeof(Source), "%s/src-%s", TestFatTempDir(), Image->Name);
    assert_int_equal(TestFatRun("rm -rf '%s' && mkdir -p '%s/sub/deeper' '%s/many'", Source, Source, Source), 0);
    for (Index = 0; Index < RTL_NUMBER_OF(Files); Index++) {
        snprintf(Path, sizeof(Path), "%s/%s", Source, Files[Index].Path);
        Data = TestFatPatternBuffer(Files[Index].Seed, Files[Index].Size);
        File = fopen(Path, "wb");
        assert_non_null(File);
        assert_int_equal(fwrite(Data, 1, Files[Index].Size, File), Files[Index].Size);
        fclose(File);
        free(Data);
    }
    for (Index = 0; Index < MANY_FILES; Index++) {
        snprintf(Path, sizeof(Path), "%s/many/file%02lu.txt", Source, Index);
        File = fopen(Path, "w");
        assert_non_null(File);
        fprintf(File, "file %02lu\n", Index);
        fclose(File);
    }
    assert_int_equal(TestFatRun("touch -d '2021-03-04 05:06:08 UTC' '%s/Big.Bin'", Source), 0);
    Image->Path = TestFatFormat(Image->Name, Image->Args);
    snprintf(Command, sizeof(Command), "cd '%s' && mcopy -s -m -i '%s' * ::", Source, Image->Path);
    assert_int_equal(TestFatRun("%s", Command), 0);
}

static int SetUp(void **state)
{
    (void)state;
    Populate(&Fat16);
    Populate(&Fat32);
    Populate(&Fat12);
    Populate(&Sector4k);
    return 0;
}

static char *WindowsPath(const char *Path)
{
    static char Out[600];
    ULONG Index;

    snprintf(Out, sizeof(Out), "\\%s", Path);
    for (Index = 0; Out[Index] != '\0'; Index++) {
        if (Out[Index] == '/') {
            Out[Index] = '\\';
        }
    }
    return Out;
}

static void ReadEverything(IMAGE *Image, PFAT_VOLUME Volume)
{
    ULONG Index, Size;
    PUCHAR Data, Expected;
    char Path[64];

    for (Index = 0; Index < RTL_NUMBER_OF(Files); Index++) {
        Data = TestFatReadFile(Volume, WindowsPath(Files[Index].Path), &Size);
        Expected = TestFatPatternBuffer(Files[Index].Seed, Files[Index].Size);
        assert_int_equal(Size, Files[Index].Size);
        assert_memory_equal(Data, Expected, Size);
        free(Data);
        free(Expected);
    }
    for (Index = 0; Index < MANY_FILES; Index += 13) {
        char Want[16];

        snprintf(Path, sizeof(Path), "\\many\\file%02lu.txt", Index);
        snprintf(Want, sizeof(Want), "file %02lu\n", Index);
        Data = TestFatReadFile(Volume, Path, &Size);
        assert_int_equal(Size, strlen(Want));
        assert_memory_equal(Data, Want, Size);
        free(Data);
    }
    (void)Image;
}

static void VolumeAndContents(IMAGE *Image)
{
    FAT_VOLUME_INFORMATION Info;
    TEST_DISK Disk;
    PFAT_VOLUME Volume;
    char *Minfo, *Serial;

    assert_int_equal(TestFatCheck(Image->Path), 0);
    Volume = TestFatMount(Image->Path, &Disk);
    FatQueryVolumeInformation(Volume, &Info);
    assert_int_equal(Info.FatType, Image->FatType);
    assert_int_equal(Info.FreeClusters, TestFatCheckedFree);
    assert_int_equal(Info.ReadOnly, Image->FatType == 12);
    assert_true((ULONGLONG)Info.FreeClusters * Info.SectorsPerCluster * Info.BytesPerSector ==
                TestFatMdirFree(Image->Path));
    Minfo = TestFatCapture(NULL, "minfo -i '%s' ::", Image->Path);
    assert_non_null(Minfo);
    Serial = strstr(Minfo, "serial number: ");
    assert_non_null(Serial);
    assert_int_equal(strtoul(Serial + 15, NULL, 16), Info.SerialNumber);
    free(Minfo);
    ReadEverything(Image, Volume);
    TestFatUnmount(Volume, &Disk);
}

static void ExpectOpen(PFAT_VOLUME Volume, const char *Path, ULONG Options, NTSTATUS Want)
{
    PFAT_FCB Fcb = NULL;
    NTSTATUS Status = TestFatCreate(Volume, Path, FAT_CREATE_OPEN, Options, &Fcb);

    if (Status != Want) {
        fail_msg("open \"%s\": %#lx, want %#lx", Path, (ULONG)Status, (ULONG)Want);
    }
    if (NT_SUCCESS(Status)) {
        FatClose(Fcb);
    } else {
        assert_null(Fcb);
    }
}

static void Names(IMAGE *Image)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image->Path, &Disk);
    PFAT_FCB Sub, Inner, Again;
    ULONG Information, Read;
    UCHAR Byte;

    ExpectOpen(Volume, "\\A Long File Name.text", 0, STATUS_SUCCESS);
    ExpectOpen(Volume, "\\a long file name.TEXT", 0, STATUS_SUCCESS);
    ExpectOpen(Volume, "\\ALONGF~1.TEX", 0, STATUS_SUCCESS);
    ExpectOpen(Volume, "\\alongf~1.tex", 0, STATUS_SUCCESS);
    ExpectOpen(Volume, "\\README.TXT", 0, STATUS_SUCCESS);
    ExpectOpen(Volume, "readme.txt", 0, STATUS_SUCCESS);           /* the leading '\' is optional */
    ExpectOpen(Volume, "\\CAF\xc3\x89.TXT", 0, STATUS_SUCCESS);    /* mcopy kept it 8.3, in code page 850 */
    ExpectOpen(Volume, "\\" LONG_200, 0, STATUS_SUCCESS);
    ExpectOpen(Volume, "\\SUB\\Deeper\\INNER.C", 0, STATUS_SUCCESS);
    ExpectOpen(Volume, "\\sub\\", FAT_CREATE_DIRECTORY, STATUS_SUCCESS);
    ExpectOpen(Volume, "\\", FAT_CREATE_DIRECTORY, STATUS_SUCCESS);
    ExpectOpen(Volume, "", 0, STATUS_SUCCESS);

    /* Relative to an open directory, and the same file twice is one FCB. */
    assert_int_equal(TestFatCreate(Volume, "\\sub", FAT_CREATE_OPEN, FAT_CREATE_DIRECTORY, &Sub), STATUS_SUCCESS);
    assert_true(Sub->IsDirectory);
    assert_int_equal(FatCreate(Volume, Sub, TestFatString("deeper\\inner.c"), FAT_CREATE_OPEN, 0, 0, &Inner,
                               &Information), STATUS_SUCCESS);
    assert_int_equal(Information, FAT_OPENED);
    assert_int_equal(TestFatCreate(Volume, "\\sub\\deeper\\Inner.c", FAT_CREATE_OPEN_IF, 0, &Again), STATUS_SUCCESS);
    assert_ptr_equal(Again, Inner);
    assert_int_equal(Inner->ReferenceCount, 2);
    assert_int_equal(FatCreate(Volume, Inner, TestFatString(""), FAT_CREATE_OPEN, 0, 0, &Again, &Information),
                     STATUS_SUCCESS);
    assert_int_equal(Inner->ReferenceCount, 3);
    assert_int_equal(FatRead(Again, 776, &Byte, 1, &Read), STATUS_SUCCESS);
    assert_int_equal(Byte, TestFatPattern(5, 776));
    assert_int_equal(FatCreate(Volume, Sub, TestFatString("\\readme.txt"), FAT_CREATE_OPEN, 0, 0, &Again,
                               &Information), STATUS_OBJECT_NAME_INVALID);
    /* Below a file that is no directory: fastfat's STATUS_OBJECT_PATH_NOT_FOUND. */
    assert_int_equal(FatCreate(Volume, Inner, TestFatString("x"), FAT_CREATE_OPEN, 0, 0, &Again, &Information),
                     STATUS_OBJECT_PATH_NOT_FOUND);
    /* ".." and "." are no names to a file system: the caller's path functions resolve them. */
    assert_int_equal(FatCreate(Volume, Sub, TestFatString(".."), FAT_CREATE_OPEN, 0, 0, &Again, &Information),
                     STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(FatCreate(Volume, Sub, TestFatString("deeper\\..\\deeper"), FAT_CREATE_OPEN, 0, 0, &Again,
                               &Information), STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(FatCreate(Volume, Sub, TestFatString("missing\\inner.c"), FAT_CREATE_OPEN, 0, 0, &Again,
                               &Information), STATUS_OBJECT_PATH_NOT_FOUND);
    assert_int_equal(FatCreate(Volume, Sub, TestFatString("deeper\\missing.c"), FAT_CREATE_OPEN, 0, 0, &Again,
                               &Information), STATUS_OBJECT_NAME_NOT_FOUND);
    /* "deeper\" names the directory; an empty name the related directory itself. */
    assert_int_equal(FatCreate(Volume, Sub, TestFatString("deeper\\"), FAT_CREATE_OPEN, FAT_CREATE_DIRECTORY, 0,
                               &Again, &Information), STATUS_SUCCESS);
    assert_true(Again->IsDirectory);
    FatClose(Again);
    assert_int_equal(FatCreate(Volume, Sub, TestFatString(""), FAT_CREATE_OPEN, FAT_CREATE_DIRECTORY, 0, &Again,
                               &Information), STATUS_SUCCESS);
    assert_ptr_equal(Again, Sub);
    FatClose(Again);
    assert_int_equal(FatDismount(Volume), STATUS_DEVICE_BUSY);
    FatClose(Inner);
    FatClose(Inner);
    FatClose(Inner);
    FatClose(Sub);
    TestFatUnmount(Volume, &Disk);
}

static void Statuses(IMAGE *Image)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image->Path, &Disk);
    PFAT_FCB Fcb;
    ULONG Information;

    ExpectOpen(Volume, "\\nothere.txt", 0, STATUS_OBJECT_NAME_NOT_FOUND);
    ExpectOpen(Volume, "\\nothere\\x.txt", 0, STATUS_OBJECT_PATH_NOT_FOUND);
    ExpectOpen(Volume, "\\readme.txt\\x.txt", 0, STATUS_OBJECT_PATH_NOT_FOUND);
    ExpectOpen(Volume, "\\sub\\deeper\\missing", 0, STATUS_OBJECT_NAME_NOT_FOUND);
    ExpectOpen(Volume, "\\a*b", 0, STATUS_OBJECT_NAME_INVALID);
    ExpectOpen(Volume, "\\sub\\\\deeper", 0, STATUS_OBJECT_NAME_INVALID);
    ExpectOpen(Volume, "\\sub\\.\\deeper", 0, STATUS_OBJECT_NAME_INVALID);
    ExpectOpen(Volume, "\\sub\\..", 0, STATUS_OBJECT_NAME_INVALID);
    ExpectOpen(Volume, "\\what?", 0, STATUS_OBJECT_NAME_INVALID);
    ExpectOpen(Volume, "\\trailing.", 0, STATUS_OBJECT_NAME_INVALID);
    ExpectOpen(Volume, "\\readme.txt\\", 0, STATUS_OBJECT_NAME_INVALID);
    ExpectOpen(Volume, "\\sub", FAT_CREATE_NON_DIRECTORY, STATUS_FILE_IS_A_DIRECTORY);
    ExpectOpen(Volume, "\\", FAT_CREATE_NON_DIRECTORY, STATUS_FILE_IS_A_DIRECTORY);
    ExpectOpen(Volume, "\\readme.txt", FAT_CREATE_DIRECTORY, STATUS_NOT_A_DIRECTORY);
    ExpectOpen(Volume, "\\readme.txt", FAT_CREATE_DIRECTORY | FAT_CREATE_NON_DIRECTORY, STATUS_INVALID_PARAMETER);
    assert_int_equal(FatCreate(Volume, NULL, TestFatString("\\x"), 6, 0, 0, &Fcb, &Information),
                     STATUS_INVALID_PARAMETER);
    assert_int_equal(FatCreate(Volume, NULL, TestFatString("\\x"), FAT_CREATE_OVERWRITE_IF, FAT_CREATE_DIRECTORY,
                               0, &Fcb, &Information), STATUS_INVALID_PARAMETER);
    assert_int_equal(TestFatCreate(Volume, "\\sub", FAT_CREATE_CREATE, FAT_CREATE_DIRECTORY, &Fcb),
                     STATUS_OBJECT_NAME_COLLISION);
    assert_int_equal(TestFatCreate(Volume, "\\sub", FAT_CREATE_OVERWRITE_IF, 0, &Fcb), STATUS_OBJECT_NAME_COLLISION);
    TestFatUnmount(Volume, &Disk);
}

static void Offsets(IMAGE *Image)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image->Path, &Disk);
    PUCHAR Expected = TestFatPatternBuffer(3, 100000), Buffer = malloc(100001);
    static const ULONG Starts[] = { 0, 1, 511, 512, 513, 1023, 4095, 4096, 65535, 99999 };
    static const ULONG Lengths[] = { 1, 2, 511, 512, 513, 1024, 5000, 100000 };
    ULONG S, L, Read, Chunk, Offset;
    PFAT_FCB Fcb, Directory;

    assert_int_equal(TestFatCreate(Volume, "\\Big.Bin", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    for (S = 0; S < RTL_NUMBER_OF(Starts); S++) {
        for (L = 0; L < RTL_NUMBER_OF(Lengths); L++) {
            ULONG Want = Lengths[L] < 100000 - Starts[S] ? Lengths[L] : 100000 - Starts[S];

            memset(Buffer, 0xCC, 100001);
            assert_int_equal(FatRead(Fcb, Starts[S], Buffer, Lengths[L], &Read), STATUS_SUCCESS);
            assert_int_equal(Read, Want);
            assert_memory_equal(Buffer, Expected + Starts[S], Want);
            assert_int_equal(Buffer[Want], 0xCC);
        }
    }
    /* Front to back in odd pieces. */
    for (Offset = 0, Chunk = 333; Offset < 100000; Offset += Read) {
        assert_int_equal(FatRead(Fcb, Offset, Buffer + Offset, Chunk, &Read), STATUS_SUCCESS);
    }
    assert_memory_equal(Buffer, Expected, 100000);
    assert_int_equal(FatRead(Fcb, 100000, Buffer, 10, &Read), STATUS_END_OF_FILE);
    assert_int_equal(Read, 0);
    assert_int_equal(FatRead(Fcb, 0x100000000ULL, Buffer, 10, &Read), STATUS_END_OF_FILE);
    assert_int_equal(FatRead(Fcb, 100000, Buffer, 0, &Read), STATUS_SUCCESS);
    FatClose(Fcb);
    assert_int_equal(TestFatCreate(Volume, "\\empty.dat", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    assert_int_equal(FatRead(Fcb, 0, Buffer, 10, &Read), STATUS_END_OF_FILE);
    FatClose(Fcb);
    assert_int_equal(TestFatCreate(Volume, "\\sub", FAT_CREATE_OPEN, 0, &Directory), STATUS_SUCCESS);
    assert_int_equal(FatRead(Directory, 0, Buffer, 10, &Read), STATUS_INVALID_DEVICE_REQUEST);
    FatClose(Directory);
    free(Expected);
    free(Buffer);
    TestFatUnmount(Volume, &Disk);
}

/* Upper case, ASCII and UTF-8 Latin-1 (mdir -b lowers only ASCII by the case bits). */
static void Fold(char *Text)
{
    unsigned char *P = (unsigned char *)Text;

    for (; *P != '\0'; P++) {
        if (*P >= 'a' && *P <= 'z') {
            *P -= 0x20;
        } else if (*P == 0xC3 && P[1] >= 0xA0 && P[1] <= 0xBE && P[1] != 0xB7) {
            P[1] -= 0x20;
            P++;
        }
    }
}

static BOOLEAN HasLine(const char *Listing, const char *Line)
{
    char *Copy = strdup(Listing), *Cursor, *Want = strdup(Line);
    BOOLEAN Found = FALSE;

    Fold(Copy);
    Fold(Want);
    for (Cursor = strtok(Copy, "\n"); Cursor != NULL && !Found; Cursor = strtok(NULL, "\n")) {
        Found = strcmp(Cursor, Want) == 0;
    }
    free(Copy);
    free(Want);
    return Found;
}

/* Every entry of Path (via FatQueryDirectory) against mdir's bare listing of it. */
static LONG CompareListing(IMAGE *Image, PFAT_VOLUME Volume, const char *Path, const char *MtoolsPath)
{
    FAT_DIRECTORY_INFORMATION Info;
    PFAT_FCB Directory;
    ULONG Cursor = 0, Index;
    LONG Count = 0;
    char *Listing, Line[700];

    Listing = TestFatCapture(NULL, "mdir -a -b -i '%s' '%s'", Image->Path, MtoolsPath);
    assert_non_null(Listing);
    assert_int_equal(TestFatCreate(Volume, Path, FAT_CREATE_OPEN, FAT_CREATE_DIRECTORY, &Directory), STATUS_SUCCESS);
    while (FatQueryDirectory(Directory, NULL, &Cursor, &Info) == STATUS_SUCCESS) {
        const char *Name = TestFatUtf8(Info.FileName, Info.FileNameLength);

        assert_int_equal(Info.FileName[Info.FileNameLength / 2], 0);
        if (strcmp(Name, ".") == 0 || strcmp(Name, "..") == 0) {
            assert_true(Info.FileAttributes & FAT_ATTRIBUTE_DIRECTORY);
            continue;
        }
        snprintf(Line, sizeof(Line), "%s/%s%s", MtoolsPath, Name,
                 (Info.FileAttributes & FAT_ATTRIBUTE_DIRECTORY) ? "/" : "");
        if (!HasLine(Listing, Line)) {
            fail_msg("%s not in mdir's listing:\n%s", Line, Listing);
        }
        for (Index = 0; Index < RTL_NUMBER_OF(Files); Index++) {
            if (strcmp(Files[Index].Path, Name) == 0) {
                assert_int_equal(Info.EndOfFile, Files[Index].Size);
            }
        }
        Count++;
    }
    FatClose(Directory);
    for (Index = 0; Listing[Index] != '\0'; Index++) {
        Count -= Listing[Index] == '\n';
    }
    free(Listing);
    return Count;                   /* 0: the same number of entries */
}

static void Listing(IMAGE *Image)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image->Path, &Disk);
    FAT_DIRECTORY_INFORMATION Info;
    PFAT_FCB Directory;
    ULONG Cursor = 0, Count = 0, Dots = 0;
    BOOLEAN SawAlias = FALSE, SawBig = FALSE;

    assert_int_equal(CompareListing(Image, Volume, "\\", "::"), 0);
    assert_int_equal(CompareListing(Image, Volume, "\\many", "::/many"), 0);
    assert_int_equal(CompareListing(Image, Volume, "\\sub\\deeper", "::/sub/deeper"), 0);

    assert_int_equal(TestFatCreate(Volume, "\\", FAT_CREATE_OPEN, 0, &Directory), STATUS_SUCCESS);
    while (FatQueryDirectory(Directory, NULL, &Cursor, &Info) == STATUS_SUCCESS) {
        const char *Name = TestFatUtf8(Info.FileName, Info.FileNameLength);

        if (strcmp(Name, "A Long File Name.text") == 0) {
            assert_string_equal(TestFatUtf8(Info.ShortName, Info.ShortNameLength), "ALONGF~1.TEX");
            assert_true(Info.AllocationSize == 3072);   /* 512-byte clusters */
            SawAlias = TRUE;
        }
        if (strcmp(Name, "readme.txt") == 0) {
            assert_int_equal(Info.ShortNameLength, 0);        /* an 8.3 name has no alias */
            assert_int_equal(Info.FileAttributes, FAT_ATTRIBUTE_ARCHIVE);
        }
        if (strcmp(Name, "Big.Bin") == 0) {
            assert_true(Info.LastWriteTime.QuadPart == TestFatMakeTime(2021, 3, 4, 5, 6, 8, 0));
            assert_int_equal(Info.EndOfFile, 100000);
            SawBig = TRUE;
        }
    }
    assert_int_equal(FatQueryDirectory(Directory, NULL, &Cursor, &Info), STATUS_NO_MORE_FILES);
    FatClose(Directory);
    assert_true(SawAlias && SawBig);

    Cursor = 0;
    assert_int_equal(TestFatCreate(Volume, "\\many", FAT_CREATE_OPEN, 0, &Directory), STATUS_SUCCESS);
    while (FatQueryDirectory(Directory, TestFatString("FILE1?.*"), &Cursor, &Info) == STATUS_SUCCESS) {
        Count++;
    }
    assert_int_equal(Count, 10);
    Cursor = 0;
    while (FatQueryDirectory(Directory, TestFatString("."), &Cursor, &Info) == STATUS_SUCCESS) {
        Dots++;
    }
    assert_int_equal(Dots, 1);
    FatClose(Directory);
    assert_int_equal(TestFatCreate(Volume, "\\readme.txt", FAT_CREATE_OPEN, 0, &Directory), STATUS_SUCCESS);
    Cursor = 0;
    assert_int_equal(FatQueryDirectory(Directory, NULL, &Cursor, &Info), STATUS_INVALID_PARAMETER);
    FatClose(Directory);
    TestFatUnmount(Volume, &Disk);
}

#define BOTH(Test)                                                                  \
    static void Test##_fat16(void **state) { (void)state; Test(&Fat16); }         \
    static void Test##_fat32(void **state) { (void)state; Test(&Fat32); }
BOTH(VolumeAndContents)
BOTH(Names)
BOTH(Statuses)
BOTH(Offsets)
BOTH(Listing)

static void test_fat12_read_only(void **state)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume;
    PFAT_FCB Fcb, Other;
    ULONG Written;

    (void)state;
    VolumeAndContents(&Fat12);
    Listing(&Fat12);
    Volume = TestFatMount(Fat12.Path, &Disk);
    assert_int_equal(TestFatCreate(Volume, "\\new.txt", FAT_CREATE_CREATE, 0, &Fcb), STATUS_MEDIA_WRITE_PROTECTED);
    assert_int_equal(TestFatCreate(Volume, "\\readme.txt", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    assert_int_equal(FatWrite(Fcb, 0, "x", 1, &Written), STATUS_MEDIA_WRITE_PROTECTED);
    assert_int_equal(FatSetEndOfFile(Fcb, 0), STATUS_MEDIA_WRITE_PROTECTED);
    assert_int_equal(FatDelete(Fcb), STATUS_MEDIA_WRITE_PROTECTED);
    assert_int_equal(FatRename(Fcb, NULL, TestFatString("x.txt"), FALSE), STATUS_MEDIA_WRITE_PROTECTED);
    assert_int_equal(TestFatCreate(Volume, "\\readme.txt", FAT_CREATE_OVERWRITE, 0, &Other),
                     STATUS_MEDIA_WRITE_PROTECTED);
    assert_null(Other);
    FatClose(Fcb);
    TestFatUnmount(Volume, &Disk);
}

static void test_sectors_of_4k(void **state)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume;
    FAT_VOLUME_INFORMATION Info;
    ULONG Size;

    (void)state;
    /* A 4 KB-sector volume on a 512-byte device and on a 4 KB one. */
    Disk.SectorSize = 512;
    assert_int_equal(TestFatMountEx(Sector4k.Path, &Disk, &Volume, TRUE), STATUS_SUCCESS);
    FatQueryVolumeInformation(Volume, &Info);
    assert_int_equal(Info.BytesPerSector, 4096);
    free(TestFatReadFile(Volume, "\\Big.Bin", &Size));
    ReadEverything(&Sector4k, Volume);
    TestFatUnmount(Volume, &Disk);
    Disk.SectorSize = 4096;
    assert_int_equal(TestFatMountEx(Sector4k.Path, &Disk, &Volume, TRUE), STATUS_SUCCESS);
    ReadEverything(&Sector4k, Volume);
    TestFatUnmount(Volume, &Disk);
    /* A 512-byte-sector volume cannot sit on a 4 KB device. */
    Disk.SectorSize = 4096;
    assert_int_equal(TestFatMountEx(Fat16.Path, &Disk, &Volume, TRUE), STATUS_UNRECOGNIZED_VOLUME);
    close(Disk.Fd);
}

static void test_read_only_mount(void **state)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume;
    PFAT_FCB Fcb;
    FAT_VOLUME_INFORMATION Info;

    (void)state;
    Disk.SectorSize = 0;
    assert_int_equal(TestFatMountEx(Fat32.Path, &Disk, &Volume, TRUE), STATUS_SUCCESS);
    FatQueryVolumeInformation(Volume, &Info);
    assert_true(Info.ReadOnly);
    ReadEverything(&Fat32, Volume);
    assert_int_equal(TestFatCreate(Volume, "\\new", FAT_CREATE_OPEN_IF, FAT_CREATE_DIRECTORY, &Fcb),
                     STATUS_MEDIA_WRITE_PROTECTED);
    assert_int_equal(TestFatCreate(Volume, "\\sub", FAT_CREATE_OPEN_IF, FAT_CREATE_DIRECTORY, &Fcb), STATUS_SUCCESS);
    FatClose(Fcb);
    TestFatUnmount(Volume, &Disk);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(VolumeAndContents_fat16), cmocka_unit_test(VolumeAndContents_fat32),
        cmocka_unit_test(Names_fat16), cmocka_unit_test(Names_fat32),
        cmocka_unit_test(Statuses_fat16), cmocka_unit_test(Statuses_fat32),
        cmocka_unit_test(Offsets_fat16), cmocka_unit_test(Offsets_fat32),
        cmocka_unit_test(Listing_fat16), cmocka_unit_test(Listing_fat32),
        cmocka_unit_test(test_fat12_read_only),
        cmocka_unit_test(test_sectors_of_4k),
        cmocka_unit_test(test_read_only_mount),
    };

    return cmocka_run_group_tests(Tests, SetUp, NULL);
}
