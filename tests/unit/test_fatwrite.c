/*
 * test_fatwrite.c - the FAT driver writes, mtools reads: files created with 8.3,
 * lower-case, mixed-case, long, accented and 255-character names (aliases ~1, ~2 ...
 * ~12), data written across cluster boundaries, with gaps, extended and truncated,
 * directories grown past a cluster, dispositions, times and attributes. After each,
 * mdir, mtype and mattrib must see exactly what was written, and the independent
 * checker (and fsck.fat, when installed) must find the volume sound.
 */
#include <unistd.h>

#include "test_fatfix.h"

static const char *FormatFor(ULONG FatType, const char *Name)
{
    /* FAT16 with 2 KB clusters (64 entries per directory cluster); FAT32 with 512 bytes. */
    return TestFatFormat(Name, FatType == 16 ? "-T 20000 -h 2 -s 32 -c 4" : "-T 70000 -h 2 -s 32 -c 1 -F");
}

static void ExpectMtype(const char *Image, const char *Path, const VOID *Data, size_t Size)
{
    size_t Got = 0;
    PUCHAR Contents = TestFatMtype(Image, Path, &Got);

    if (Contents == NULL) {
        fail_msg("mtype %s failed", Path);
    }
    assert_int_equal(Got, Size);
    assert_memory_equal(Contents, Data, Size);
    free(Contents);
}

static void ExpectListed(const char *Image, const char *Path)
{
    if (!TestFatMdirHas(Image, Path)) {
        char *Listing = TestFatCapture(NULL, "mdir -a -b -/ -i '%s' ::", Image);
        fail_msg("mdir does not list %s:\n%s", Path, Listing);
    }
}

static void ExpectSound(const char *Image, PFAT_VOLUME Volume)
{
    FAT_VOLUME_INFORMATION Info;

    assert_int_equal(TestFatCheck(Image), 0);
    if (Volume != NULL) {
        FatQueryVolumeInformation(Volume, &Info);
        assert_int_equal(Info.FreeClusters, TestFatCheckedFree);
        assert_true((ULONGLONG)Info.FreeClusters * Info.SectorsPerCluster * Info.BytesPerSector ==
                    TestFatMdirFree(Image));
    }
}

/* The 8.3 alias of Path's entry, as our listing reports it. */
static const char *AliasOf(PFAT_VOLUME Volume, const char *Directory, const char *LongName)
{
    FAT_DIRECTORY_INFORMATION Info;
    PFAT_FCB Fcb;
    ULONG Cursor = 0;
    const char *Alias = NULL;

    assert_int_equal(TestFatCreate(Volume, Directory, FAT_CREATE_OPEN, FAT_CREATE_DIRECTORY, &Fcb), STATUS_SUCCESS);
    while (Alias == NULL && FatQueryDirectory(Fcb, NULL, &Cursor, &Info) == STATUS_SUCCESS) {
        if (strcmp(TestFatUtf8(Info.FileName, Info.FileNameLength), LongName) == 0) {
            Alias = TestFatUtf8(Info.ShortName, Info.ShortNameLength);
        }
    }
    FatClose(Fcb);
    assert_non_null(Alias);
    return Alias;
}

static void CreateNames(ULONG FatType)
{
    static const char *Names[] = {
        "readme.txt", "UPPER.TXT", "Mixed.Txt", "A Long File Name.text", "Long File Name One.txt",
        "Long File Name Two.txt", "caf\xc3\xa9 cr\xc3\xa8me.txt", "a+b=c;[d].e", ".profile", "x.tar.gz",
    };
    const char *Image = FormatFor(FatType, "names.img");
    char Long[256], Path[300], Alias[16];
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    PFAT_FCB Fcb, Again;
    ULONG Index, Information;

    for (Index = 0; Index < RTL_NUMBER_OF(Names); Index++) {
        snprintf(Path, sizeof(Path), "\\%s", Names[Index]);
        TestFatWriteFile(Volume, Path, Names[Index], (ULONG)strlen(Names[Index]));
    }
    memset(Long, 'L', 255);
    memcpy(Long, "Two hundred and fifty-five ", 27);
    Long[255] = '\0';
    snprintf(Path, sizeof(Path), "\\%s", Long);
    TestFatWriteFile(Volume, Path, "255", 3);
    Path[0] = '\\';
    memset(Path + 1, 'n', 256);
    Path[257] = '\0';                                       /* one unit too long */
    assert_int_equal(FatCreate(Volume, NULL, TestFatString(Path), FAT_CREATE_CREATE, 0, 0, &Fcb, &Information),
                     STATUS_OBJECT_NAME_INVALID);

    /* Names that differ only in case are one name. */
    assert_int_equal(TestFatCreate(Volume, "\\abc.txt", FAT_CREATE_CREATE, 0, &Fcb), STATUS_SUCCESS);
    assert_int_equal(TestFatCreate(Volume, "\\ABC.TXT", FAT_CREATE_CREATE, 0, &Again), STATUS_OBJECT_NAME_COLLISION);
    assert_int_equal(FatCreate(Volume, NULL, TestFatString("\\Abc.Txt"), FAT_CREATE_OPEN_IF, 0, 0, &Again,
                               &Information), STATUS_SUCCESS);
    assert_ptr_equal(Again, Fcb);
    assert_int_equal(Information, FAT_OPENED);
    FatClose(Again);
    FatClose(Fcb);

    /* Twelve names with one basis: ~1 .. ~9, then ~10 .. ~12. */
    for (Index = 1; Index <= 12; Index++) {
        snprintf(Path, sizeof(Path), "\\Same Basis Name %02lu.txt", Index);
        TestFatWriteFile(Volume, Path, Path, (ULONG)strlen(Path));
    }
    for (Index = 1; Index <= 12; Index++) {
        snprintf(Path, sizeof(Path), "Same Basis Name %02lu.txt", Index);
        snprintf(Alias, sizeof(Alias), Index < 10 ? "SAMEBA~%lu.TXT" : "SAMEB~%lu.TXT", Index);
        assert_string_equal(AliasOf(Volume, "\\", Path), Alias);
    }
    assert_string_equal(AliasOf(Volume, "\\", "Long File Name One.txt"), "LONGFI~1.TXT");
    assert_string_equal(AliasOf(Volume, "\\", "Long File Name Two.txt"), "LONGFI~2.TXT");
    assert_string_equal(AliasOf(Volume, "\\", "Mixed.Txt"), "MIXED.TXT");
    assert_string_equal(AliasOf(Volume, "\\", "a+b=c;[d].e"), "A_B_C_~1.E");
    assert_string_equal(AliasOf(Volume, "\\", ".profile"), "PROFIL~1");
    ExpectSound(Image, Volume);
    TestFatUnmount(Volume, &Disk);

    for (Index = 0; Index < RTL_NUMBER_OF(Names); Index++) {
        snprintf(Path, sizeof(Path), "::/%s", Names[Index]);
        ExpectListed(Image, Path);
        if (strchr(Path, '[') == NULL) {                /* mtools takes [...] for a wildcard */
            ExpectMtype(Image, Path, Names[Index], strlen(Names[Index]));
        }
    }
    ExpectMtype(Image, "::/A_B_C_~1.E", "a+b=c;[d].e", 11);
    snprintf(Path, sizeof(Path), "::/%s", Long);
    Path[3 + 255] = '\0';
    memset(Path + 3 + 27, 'L', 255 - 27);
    ExpectListed(Image, Path);
    ExpectMtype(Image, "::/LONGFI~2.TXT", "Long File Name Two.txt", 22);    /* by its alias */
    ExpectMtype(Image, "::/SAMEB~12.TXT", "\\Same Basis Name 12.txt", 23);
    ExpectListed(Image, "::/abc.txt");
}

/* Writes into data.bin at the given places, keeping a model of what it must hold. */
static void WriteAcrossClusters(ULONG FatType)
{
    static const struct { ULONG Offset, Length; } Writes[] = {
        { 0, 100 }, { 100, 5000 }, { 2047, 2 }, { 10000, 3000 }, { 4096, 8192 }, { 0, 1 },
        { 12999, 20000 }, { 70000, 1 }, { 511, 1025 }, { 69999, 3 },
    };
    const char *Image = FormatFor(FatType, "write.img");
    ULONG Capacity = 200000, Size = 0, Index, Written, Read, Information, Before, ClusterBytes;
    PUCHAR Model = calloc(Capacity, 1), Data, Buffer = malloc(Capacity);
    FAT_VOLUME_INFORMATION Volume0, Volume1;
    FAT_FILE_INFORMATION File;
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    PFAT_FCB Fcb;

    FatQueryVolumeInformation(Volume, &Volume0);
    Before = Volume0.FreeClusters;
    ClusterBytes = Volume0.SectorsPerCluster * Volume0.BytesPerSector;
    assert_int_equal(FatCreate(Volume, NULL, TestFatString("\\data.bin"), FAT_CREATE_CREATE, 0, 0, &Fcb,
                               &Information), STATUS_SUCCESS);
    assert_int_equal(Information, FAT_CREATED);
    for (Index = 0; Index < RTL_NUMBER_OF(Writes); Index++) {
        Data = TestFatPatternBuffer(Index + 10, Writes[Index].Length);
        assert_int_equal(FatWrite(Fcb, Writes[Index].Offset, Data, Writes[Index].Length, &Written), STATUS_SUCCESS);
        assert_int_equal(Written, Writes[Index].Length);
        memcpy(Model + Writes[Index].Offset, Data, Writes[Index].Length);
        if (Writes[Index].Offset + Writes[Index].Length > Size) {
            Size = Writes[Index].Offset + Writes[Index].Length;
        }
        free(Data);
        assert_int_equal(FatRead(Fcb, 0, Buffer, Capacity, &Read), STATUS_SUCCESS);
        assert_int_equal(Read, Size);
        assert_memory_equal(Buffer, Model, Size);
    }
    assert_int_equal(FatQueryFileInformation(Fcb, &File), STATUS_SUCCESS);
    assert_int_equal(File.EndOfFile, Size);
    assert_true(File.AllocationSize == (Size + ClusterBytes - 1) / ClusterBytes * ClusterBytes);
    FatQueryVolumeInformation(Volume, &Volume1);
    assert_int_equal(Volume1.FreeClusters, Before - (Size + ClusterBytes - 1) / ClusterBytes);

    /* Truncate mid-cluster, then extend: what comes back reads as zeros. */
    Size -= 777;
    assert_int_equal(FatSetEndOfFile(Fcb, Size), STATUS_SUCCESS);
    memset(Model + Size, 0, Capacity - Size);
    Size += 5000;
    assert_int_equal(FatSetEndOfFile(Fcb, Size), STATUS_SUCCESS);
    assert_int_equal(FatRead(Fcb, 0, Buffer, Capacity, &Read), STATUS_SUCCESS);
    assert_int_equal(Read, Size);
    assert_memory_equal(Buffer, Model, Size);
    FatClose(Fcb);
    ExpectSound(Image, Volume);
    TestFatUnmount(Volume, &Disk);
    ExpectMtype(Image, "::/data.bin", Model, Size);

    /* Truncating to nothing gives every cluster back. */
    Volume = TestFatMount(Image, &Disk);
    assert_int_equal(TestFatCreate(Volume, "\\data.bin", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    Size = 1234;
    assert_int_equal(FatSetEndOfFile(Fcb, Size), STATUS_SUCCESS);
    assert_int_equal(FatRead(Fcb, 0, Buffer, Capacity, &Read), STATUS_SUCCESS);
    assert_memory_equal(Buffer, Model, Size);
    assert_int_equal(FatSetEndOfFile(Fcb, 0), STATUS_SUCCESS);
    assert_int_equal(FatRead(Fcb, 0, Buffer, 1, &Read), STATUS_END_OF_FILE);
    FatQueryVolumeInformation(Volume, &Volume1);
    assert_int_equal(Volume1.FreeClusters, Before);
    /* A megabyte in one write, and read back. */
    free(Model);
    Model = TestFatPatternBuffer(99, 1 << 20);
    free(Buffer);
    Buffer = malloc(1 << 20);
    assert_int_equal(FatWrite(Fcb, 0, Model, 1 << 20, &Written), STATUS_SUCCESS);
    assert_int_equal(FatRead(Fcb, 0, Buffer, 1 << 20, &Read), STATUS_SUCCESS);
    assert_memory_equal(Buffer, Model, 1 << 20);
    FatClose(Fcb);
    ExpectSound(Image, Volume);
    TestFatUnmount(Volume, &Disk);
    ExpectMtype(Image, "::/data.bin", Model, 1 << 20);
    free(Model);
    free(Buffer);
}

static void Directories(ULONG FatType)
{
    const char *Image = FormatFor(FatType, "dirs.img");
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    PFAT_FCB Fcb;
    ULONG Index, Information;
    char Path[128];

    assert_int_equal(FatCreate(Volume, NULL, TestFatString("\\Directory With Many Entries"), FAT_CREATE_CREATE,
                               FAT_CREATE_DIRECTORY, 0, &Fcb, &Information), STATUS_SUCCESS);
    assert_int_equal(Information, FAT_CREATED);
    assert_true(Fcb->IsDirectory);
    FatClose(Fcb);
    /* 150 names of three entries each: 450 entries, several clusters on both types. */
    for (Index = 0; Index < 150; Index++) {
        snprintf(Path, sizeof(Path), "\\Directory With Many Entries\\entry number %03lu.txt", Index);
        TestFatWriteFile(Volume, Path, Path, (ULONG)strlen(Path));
    }
    assert_int_equal(TestFatCreate(Volume, "\\a", FAT_CREATE_CREATE, FAT_CREATE_DIRECTORY, &Fcb), STATUS_SUCCESS);
    FatClose(Fcb);
    assert_int_equal(TestFatCreate(Volume, "\\a\\Bee\\", FAT_CREATE_OPEN_IF, FAT_CREATE_DIRECTORY, &Fcb),
                     STATUS_SUCCESS);
    FatClose(Fcb);
    assert_int_equal(TestFatCreate(Volume, "\\a\\bee\\sea", FAT_CREATE_OPEN_IF, FAT_CREATE_DIRECTORY, &Fcb),
                     STATUS_SUCCESS);
    FatClose(Fcb);
    assert_int_equal(TestFatCreate(Volume, "\\a\\bee\\file\\", FAT_CREATE_CREATE, 0, &Fcb),
                     STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(TestFatCreate(Volume, "\\a\\missing\\sea", FAT_CREATE_OPEN_IF, FAT_CREATE_DIRECTORY, &Fcb),
                     STATUS_OBJECT_PATH_NOT_FOUND);
    TestFatWriteFile(Volume, "\\a\\Bee\\sea\\deep.txt", "deep", 4);
    ExpectSound(Image, Volume);
    TestFatUnmount(Volume, &Disk);

    for (Index = 0; Index < 150; Index += 7) {
        snprintf(Path, sizeof(Path), "::/Directory With Many Entries/entry number %03lu.txt", Index);
        ExpectListed(Image, Path);
    }
    ExpectListed(Image, "::/a/Bee/sea/");
    ExpectMtype(Image, "::/a/Bee/sea/deep.txt", "deep", 4);
    assert_int_equal(TestFatRun("mdir -i '%s' ::/a/Bee/sea | grep -q '^\\.\\.  '", Image), 0);
    /* mtools writes into our directories, and we read what it wrote. */
    assert_int_equal(TestFatRun("mcopy -i '%s' '%s' '::/Directory With Many Entries/From Mtools.txt'", Image,
                                TestFatHostFile("from.txt", "mtools", 6)), 0);
    Volume = TestFatMount(Image, &Disk);
    free(TestFatReadFile(Volume, "\\directory with many entries\\FROM MTOOLS.TXT", &Index));
    assert_int_equal(Index, 6);
    TestFatUnmount(Volume, &Disk);
    assert_int_equal(TestFatCheck(Image), 0);
}

static void Dispositions(ULONG FatType)
{
    const char *Image = FormatFor(FatType, "disp.img");
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    FAT_BASIC_INFORMATION Basic;
    FAT_FILE_INFORMATION File;
    PFAT_FCB Fcb, Other;
    ULONG Information;

#define CREATE(Path, Disposition, Options, Attributes) \
    FatCreate(Volume, NULL, TestFatString(Path), Disposition, Options, Attributes, &Fcb, &Information)
    assert_int_equal(CREATE("\\f.txt", FAT_CREATE_OVERWRITE, 0, 0), STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(CREATE("\\f.txt", FAT_CREATE_OVERWRITE_IF, 0, 0), STATUS_SUCCESS);
    assert_int_equal(Information, FAT_CREATED);
    FatClose(Fcb);
    TestFatWriteFile(Volume, "\\f.txt", "0123456789", 10);
    assert_int_equal(CREATE("\\f.txt", FAT_CREATE_SUPERSEDE, 0, FAT_ATTRIBUTE_SYSTEM), STATUS_SUCCESS);
    assert_int_equal(Information, FAT_SUPERSEDED);
    assert_int_equal(FatQueryFileInformation(Fcb, &File), STATUS_SUCCESS);
    assert_int_equal(File.EndOfFile, 0);
    assert_int_equal(File.FileAttributes, FAT_ATTRIBUTE_SYSTEM | FAT_ATTRIBUTE_ARCHIVE);
    FatClose(Fcb);
    /* A system file is overwritten only by a caller who says SYSTEM again. */
    assert_int_equal(CREATE("\\f.txt", FAT_CREATE_OVERWRITE, 0, 0), STATUS_ACCESS_DENIED);
    assert_int_equal(CREATE("\\f.txt", FAT_CREATE_OVERWRITE, 0, FAT_ATTRIBUTE_SYSTEM), STATUS_SUCCESS);
    assert_int_equal(Information, FAT_OVERWRITTEN);
    memset(&Basic, 0, sizeof(Basic));
    Basic.FileAttributes = FAT_ATTRIBUTE_READONLY;
    assert_int_equal(FatSetBasicInformation(Fcb, &Basic), STATUS_SUCCESS);
    FatClose(Fcb);
    assert_int_equal(CREATE("\\f.txt", FAT_CREATE_OVERWRITE_IF, 0, FAT_ATTRIBUTE_READONLY), STATUS_ACCESS_DENIED);
    assert_int_equal(CREATE("\\f.txt", FAT_CREATE_OPEN_IF, 0, 0), STATUS_SUCCESS);
    assert_int_equal(Information, FAT_OPENED);
    assert_int_equal(FatCreate(Volume, NULL, TestFatString("\\f.txt"), FAT_CREATE_CREATE, 0, 0, &Other,
                               &Information), STATUS_OBJECT_NAME_COLLISION);
    assert_null(Other);
    Basic.FileAttributes = FAT_ATTRIBUTE_NORMAL;
    assert_int_equal(FatSetBasicInformation(Fcb, &Basic), STATUS_SUCCESS);
    assert_int_equal(FatQueryFileInformation(Fcb, &File), STATUS_SUCCESS);
    assert_int_equal(File.FileAttributes, FAT_ATTRIBUTE_NORMAL);
    FatClose(Fcb);
    assert_int_equal(CREATE("\\d", FAT_CREATE_OPEN_IF, FAT_CREATE_DIRECTORY, FAT_ATTRIBUTE_HIDDEN), STATUS_SUCCESS);
    assert_int_equal(Information, FAT_CREATED);
    FatClose(Fcb);
    assert_int_equal(CREATE("\\d", FAT_CREATE_OPEN_IF, FAT_CREATE_DIRECTORY, 0), STATUS_SUCCESS);
    assert_int_equal(Information, FAT_OPENED);
    FatClose(Fcb);
    assert_int_equal(CREATE("\\d", FAT_CREATE_OPEN, FAT_CREATE_NON_DIRECTORY, 0), STATUS_FILE_IS_A_DIRECTORY);
    assert_int_equal(CREATE("\\", FAT_CREATE_CREATE, FAT_CREATE_DIRECTORY, 0), STATUS_OBJECT_NAME_COLLISION);
    assert_int_equal(CREATE("\\h", FAT_CREATE_CREATE, 0, FAT_ATTRIBUTE_HIDDEN | FAT_ATTRIBUTE_DIRECTORY),
                     STATUS_SUCCESS);
    assert_false(Fcb->IsDirectory);                  /* the DIRECTORY attribute is not an option */
    FatClose(Fcb);
#undef CREATE
    ExpectSound(Image, Volume);
    TestFatUnmount(Volume, &Disk);
    assert_int_equal(TestFatRun("mattrib -i '%s' ::/d | grep -q '^ *H  *::/d$'", Image), 0);
    assert_int_equal(TestFatRun("mattrib -i '%s' ::/h | grep -q '^  A  *H  *::/h$'", Image), 0);
    assert_int_equal(TestFatRun("mattrib -i '%s' ::/f.txt | grep -q '^ *::/f.txt$'", Image), 0);
}

static void TimesAndAttributes(ULONG FatType)
{
    const char *Image = FormatFor(FatType, "times.img");
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    FAT_FILE_INFORMATION File;
    FAT_BASIC_INFORMATION Basic;
    PFAT_FCB Fcb;
    ULONG Written;

    TestFatNow = TestFatMakeTime(2024, 5, 17, 13, 45, 23, 250);
    assert_int_equal(TestFatCreate(Volume, "\\stamp.txt", FAT_CREATE_CREATE, 0, &Fcb), STATUS_SUCCESS);
    assert_int_equal(FatQueryFileInformation(Fcb, &File), STATUS_SUCCESS);
    assert_true(File.CreationTime.QuadPart == TestFatNow);                      /* 10 ms resolution */
    assert_true(File.LastWriteTime.QuadPart == TestFatMakeTime(2024, 5, 17, 13, 45, 22, 0));
    assert_true(File.LastAccessTime.QuadPart == TestFatMakeTime(2024, 5, 17, 0, 0, 0, 0));
    TestFatNow = TestFatMakeTime(2025, 1, 2, 3, 4, 6, 0);
    assert_int_equal(FatWrite(Fcb, 0, "x", 1, &Written), STATUS_SUCCESS);
    assert_int_equal(FatQueryFileInformation(Fcb, &File), STATUS_SUCCESS);
    assert_true(File.LastWriteTime.QuadPart == TestFatNow);
    assert_true(File.CreationTime.QuadPart == TestFatMakeTime(2024, 5, 17, 13, 45, 23, 250));
    FatClose(Fcb);
    TestFatUnmount(Volume, &Disk);
    assert_int_equal(TestFatRun("mdir -i '%s' ::/stamp.txt | grep -q ' 2025-01-02   3:04'", Image), 0);

    Volume = TestFatMount(Image, &Disk);
    assert_int_equal(TestFatCreate(Volume, "\\stamp.txt", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    memset(&Basic, 0, sizeof(Basic));
    Basic.LastWriteTime.QuadPart = TestFatMakeTime(1999, 12, 31, 23, 58, 0, 0);
    Basic.CreationTime.QuadPart = -1;
    Basic.FileAttributes = FAT_ATTRIBUTE_HIDDEN | FAT_ATTRIBUTE_READONLY | FAT_ATTRIBUTE_DIRECTORY;
    assert_int_equal(FatSetBasicInformation(Fcb, &Basic), STATUS_SUCCESS);
    assert_int_equal(FatQueryFileInformation(Fcb, &File), STATUS_SUCCESS);
    assert_true(File.CreationTime.QuadPart == TestFatMakeTime(2024, 5, 17, 13, 45, 23, 250));
    assert_int_equal(File.FileAttributes, FAT_ATTRIBUTE_HIDDEN | FAT_ATTRIBUTE_READONLY);
    FatClose(Fcb);
    assert_int_equal(TestFatCreate(Volume, "\\", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    assert_int_equal(FatSetBasicInformation(Fcb, &Basic), STATUS_INVALID_PARAMETER);
    assert_int_equal(FatQueryFileInformation(Fcb, &File), STATUS_SUCCESS);
    assert_true(File.Directory && File.FileAttributes == FAT_ATTRIBUTE_DIRECTORY);
    FatClose(Fcb);
    ExpectSound(Image, Volume);
    TestFatUnmount(Volume, &Disk);
    assert_int_equal(TestFatRun("mdir -a -i '%s' ::/stamp.txt | grep -q ' 1999-12-31  23:58'", Image), 0);
    assert_int_equal(TestFatRun("mattrib -i '%s' ::/stamp.txt | grep -q '^ *HR  *::/stamp.txt$'", Image), 0);
    TestFatNow = 0;
}

#define BOTH(Test)                                                                  \
    static void Test##_fat16(void **state) { (void)state; Test(16); }             \
    static void Test##_fat32(void **state) { (void)state; Test(32); }
BOTH(CreateNames)
BOTH(WriteAcrossClusters)
BOTH(Directories)
BOTH(Dispositions)
BOTH(TimesAndAttributes)

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(CreateNames_fat16), cmocka_unit_test(CreateNames_fat32),
        cmocka_unit_test(WriteAcrossClusters_fat16), cmocka_unit_test(WriteAcrossClusters_fat32),
        cmocka_unit_test(Directories_fat16), cmocka_unit_test(Directories_fat32),
        cmocka_unit_test(Dispositions_fat16), cmocka_unit_test(Dispositions_fat32),
        cmocka_unit_test(TimesAndAttributes_fat16), cmocka_unit_test(TimesAndAttributes_fat32),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}
