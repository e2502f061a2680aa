/*
 * test_fatcorrupt.c - damaged volumes behind a sound boot sector: cluster chains that
 * loop, point at free, bad or missing clusters, or end before their file does;
 * directories whose chains loop or break, or that point nowhere; long names whose
 * checksum is wrong or whose short entry is gone. Every case must end in a status
 * (STATUS_FILE_CORRUPT_ERROR for broken chains), never a hang, and must not make
 * matters worse: what fails changes nothing.
 */
#include <unistd.h>

#include "test_fatfix.h"

#define FILE_CLUSTERS 10        /* file.bin: 5000 bytes in 512-byte clusters */

static const char *Base16, *Base32;

static int SetUp(void **state)
{
    PUCHAR Data = TestFatPatternBuffer(1, 5000);
    const char *Host = TestFatHostFile("file.bin", Data, 5000);
    char Many[700];
    ULONG Index;

    (void)state;
    free(Data);
    snprintf(Many, sizeof(Many), "%s/dir", TestFatTempDir());
    assert_int_equal(TestFatRun("rm -rf '%s' && mkdir '%s'", Many, Many), 0);
    /* 46 files, ".", "..": 48 entries, three 512-byte clusters with no end marker. */
    for (Index = 0; Index < 46; Index++) {
        assert_int_equal(TestFatRun("echo %lu > '%s/file%02lu'", Index, Many, Index), 0);
    }
    assert_int_equal(TestFatRun("echo x > '%s/A Long Name.txt'", TestFatTempDir()), 0);
    Base16 = TestFatFormat("base16.img", "-T 8192 -h 2 -s 32 -c 1");
    Base32 = TestFatFormat("base32.img", "-T 70000 -h 2 -s 32 -c 1 -F");
    assert_int_equal(TestFatRun("mcopy -s -i '%s' '%s' '%s' '%s/A Long Name.txt' ::", Base16, Host, Many,
                                TestFatTempDir()), 0);
    assert_int_equal(TestFatRun("mcopy -s -i '%s' '%s' '%s' '%s/A Long Name.txt' ::", Base32, Host, Many,
                                TestFatTempDir()), 0);
    /* And a full FAT32 root cluster: 5 entries so far, 11 more. */
    for (Index = 0; Index < 11; Index++) {
        assert_int_equal(TestFatRun("mcopy -i '%s' '%s' ::/R%02lu", Base32, Host, Index), 0);
    }
    return 0;
}

static const char *BaseFor(ULONG FatType)
{
    return FatType == 16 ? Base16 : Base32;
}

static ULONG EndOfChain(ULONG FatType)
{
    return FatType == 16 ? 0xFFFF : 0x0FFFFFFF;
}

/* Everything done to a file with a broken chain fails with FILE_CORRUPT_ERROR, and changes nothing. */
static void ExpectCorruptFile(const char *Image)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    FAT_VOLUME_INFORMATION Before, After;
    FAT_FILE_INFORMATION Info;
    PUCHAR Buffer = malloc(8192);
    PFAT_FCB Fcb;
    ULONG Done;

    FatQueryVolumeInformation(Volume, &Before);
    assert_int_equal(TestFatCreate(Volume, "\\file.bin", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    assert_int_equal(FatRead(Fcb, 0, Buffer, 8192, &Done), STATUS_FILE_CORRUPT_ERROR);
    assert_int_equal(FatRead(Fcb, 4999, Buffer, 1, &Done), STATUS_FILE_CORRUPT_ERROR);
    assert_int_equal(FatWrite(Fcb, 5000, Buffer, 100, &Done), STATUS_FILE_CORRUPT_ERROR);
    assert_int_equal(FatSetEndOfFile(Fcb, 10), STATUS_FILE_CORRUPT_ERROR);
    assert_int_equal(FatQueryFileInformation(Fcb, &Info), STATUS_FILE_CORRUPT_ERROR);
    assert_int_equal(FatDelete(Fcb), STATUS_FILE_CORRUPT_ERROR);
    assert_false(Fcb->Deleted);
    FatClose(Fcb);
    assert_int_equal(TestFatCreate(Volume, "\\file.bin", FAT_CREATE_OVERWRITE, 0, &Fcb), STATUS_FILE_CORRUPT_ERROR);
    assert_int_equal(TestFatCreate(Volume, "\\file.bin", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    FatClose(Fcb);
    FatQueryVolumeInformation(Volume, &After);
    assert_int_equal(After.FreeClusters, Before.FreeClusters);
    TestFatUnmount(Volume, &Disk);
    free(Buffer);
}

static void BrokenChains(ULONG FatType)
{
    ULONG First = TestFatFirstCluster(BaseFor(FatType), "\\file.bin");
    const char *Image;
    UCHAR Entry[32];
    ULONGLONG Where;

    assert_int_equal(TestFatGetFatRaw(BaseFor(FatType), First + FILE_CLUSTERS - 1), EndOfChain(FatType));
    Image = TestFatCopyImage(BaseFor(FatType), "loop.img");          /* the last links back */
    TestFatSetFatRaw(Image, First + FILE_CLUSTERS - 1, First + 2);
    ExpectCorruptFile(Image);
    Image = TestFatCopyImage(BaseFor(FatType), "self.img");          /* a cluster to itself */
    TestFatSetFatRaw(Image, First + 3, First + 3);
    ExpectCorruptFile(Image);
    Image = TestFatCopyImage(BaseFor(FatType), "free.img");          /* a link to a free cluster */
    TestFatSetFatRaw(Image, First + 3, First + 500);
    ExpectCorruptFile(Image);
    Image = TestFatCopyImage(BaseFor(FatType), "range.img");         /* past the last cluster */
    TestFatSetFatRaw(Image, First + 3, FatType == 16 ? 0xFFF0 : 0x0FFFFFF0);
    ExpectCorruptFile(Image);
    Image = TestFatCopyImage(BaseFor(FatType), "bad.img");           /* a bad-cluster mark */
    TestFatSetFatRaw(Image, First + 3, FatType == 16 ? 0xFFF7 : 0x0FFFFFF7);
    ExpectCorruptFile(Image);
    Image = TestFatCopyImage(BaseFor(FatType), "reserved.img");      /* the reserved value 1 */
    TestFatSetFatRaw(Image, First + 3, 1);
    ExpectCorruptFile(Image);
    Image = TestFatCopyImage(BaseFor(FatType), "short.img");         /* ends before the file */
    TestFatSetFatRaw(Image, First + 3, EndOfChain(FatType));
    ExpectCorruptFile(Image);
    Image = TestFatCopyImage(BaseFor(FatType), "first.img");         /* the entry points nowhere */
    Where = TestFatFindEntryRaw(Image, "FILE    BIN");
    assert_true(Where != ~0ULL);
    TestFatPeek(Image, Where, Entry, 32);
    TestFatPatch16(Image, Where + 26, 0xFFF0);
    TestFatPatch16(Image, Where + 20, FatType == 32 ? 0x0FFF : 0);
    ExpectCorruptFile(Image);
}

static void test_broken_chains_fat16(void **state)
{
    (void)state;
    BrokenChains(16);
}

static void test_broken_chains_fat32(void **state)
{
    (void)state;
    BrokenChains(32);
}

/* Lists Path until it stops; the status it stopped with. */
static NTSTATUS ListAll(PFAT_VOLUME Volume, const char *Path, PULONG Count)
{
    FAT_DIRECTORY_INFORMATION Info;
    PFAT_FCB Directory;
    ULONG Cursor = 0;
    NTSTATUS Status;

    *Count = 0;
    Status = TestFatCreate(Volume, Path, FAT_CREATE_OPEN, FAT_CREATE_DIRECTORY, &Directory);
    if (!NT_SUCCESS(Status)) {
        return Status;
    }
    while ((Status = FatQueryDirectory(Directory, NULL, &Cursor, &Info)) == STATUS_SUCCESS) {
        ++*Count;
        assert_true(*Count <= 65536);
    }
    FatClose(Directory);
    return Status;
}

static void ExpectCorruptDirectory(const char *Image, const char *Path, const char *Inside)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    FAT_VOLUME_INFORMATION Before, After;
    PFAT_FCB Fcb;
    ULONG Count;

    FatQueryVolumeInformation(Volume, &Before);
    assert_int_equal(ListAll(Volume, Path, &Count), STATUS_FILE_CORRUPT_ERROR);
    assert_int_equal(TestFatCreate(Volume, Inside, FAT_CREATE_OPEN, 0, &Fcb), STATUS_FILE_CORRUPT_ERROR);
    assert_int_equal(TestFatCreate(Volume, Inside, FAT_CREATE_CREATE, 0, &Fcb), STATUS_FILE_CORRUPT_ERROR);
    FatQueryVolumeInformation(Volume, &After);
    assert_int_equal(After.FreeClusters, Before.FreeClusters);
    TestFatUnmount(Volume, &Disk);
}

static void BrokenDirectories(ULONG FatType)
{
    ULONG First = TestFatFirstCluster(BaseFor(FatType), "\\dir"), Second, Third, Root;
    const char *Image;
    ULONGLONG Where;
    TEST_DISK Disk;
    PFAT_VOLUME Volume;
    PFAT_FCB Fcb;

    /* 48 entries of 32 bytes: three full 512-byte clusters. */
    Second = TestFatGetFatRaw(BaseFor(FatType), First);
    Third = TestFatGetFatRaw(BaseFor(FatType), Second);
    assert_int_equal(TestFatGetFatRaw(BaseFor(FatType), Third), EndOfChain(FatType));
    Image = TestFatCopyImage(BaseFor(FatType), "dirloop.img");
    TestFatSetFatRaw(Image, Third, First);
    ExpectCorruptDirectory(Image, "\\dir", "\\dir\\not there");
    Image = TestFatCopyImage(BaseFor(FatType), "dirfree.img");
    TestFatSetFatRaw(Image, Second, 0);
    ExpectCorruptDirectory(Image, "\\dir", "\\dir\\not there");
    Image = TestFatCopyImage(BaseFor(FatType), "dirnone.img");     /* a directory entry without a cluster */
    Where = TestFatFindEntryRaw(Image, "DIR        ");
    assert_true(Where != ~0ULL);
    TestFatPatch16(Image, Where + 26, 0);
    TestFatPatch16(Image, Where + 20, 0);
    Volume = TestFatMount(Image, &Disk);
    assert_int_equal(TestFatCreate(Volume, "\\dir", FAT_CREATE_OPEN, 0, &Fcb), STATUS_FILE_CORRUPT_ERROR);
    assert_int_equal(TestFatCreate(Volume, "\\dir\\file01", FAT_CREATE_OPEN, 0, &Fcb), STATUS_FILE_CORRUPT_ERROR);
    TestFatUnmount(Volume, &Disk);
    if (FatType == 32) {
        /* The FAT32 root is a chain too. */
        Image = TestFatCopyImage(Base32, "rootloop.img");
        TestFatPeek(Image, 44, &Root, 4);
        assert_int_equal(TestFatGetFatRaw(Image, Root), EndOfChain(32));   /* one full cluster */
        TestFatSetFatRaw(Image, Root, Root);
        ExpectCorruptDirectory(Image, "\\", "\\not there");
    }
}

static void test_broken_directories_fat16(void **state)
{
    (void)state;
    BrokenDirectories(16);
}

static void test_broken_directories_fat32(void **state)
{
    (void)state;
    BrokenDirectories(32);
}

static BOOLEAN Listed(PFAT_VOLUME Volume, const char *Name)
{
    FAT_DIRECTORY_INFORMATION Info;
    PFAT_FCB Root;
    ULONG Cursor = 0;
    BOOLEAN Found = FALSE;

    assert_int_equal(TestFatCreate(Volume, "\\", FAT_CREATE_OPEN, 0, &Root), STATUS_SUCCESS);
    while (!Found && FatQueryDirectory(Root, NULL, &Cursor, &Info) == STATUS_SUCCESS) {
        Found = strcmp(TestFatUtf8(Info.FileName, Info.FileNameLength), Name) == 0;
    }
    FatClose(Root);
    return Found;
}

static void test_broken_long_names(void **state)
{
    const char *Image = TestFatCopyImage(Base16, "lfn.img");
    ULONGLONG Short = TestFatFindEntryRaw(Image, "ALONGN~1TXT");
    TEST_DISK Disk;
    PFAT_VOLUME Volume;
    PFAT_FCB Fcb;
    UCHAR Byte;

    (void)state;
    assert_true(Short != ~0ULL);
    /* A checksum that does not match: the short name stands alone. */
    TestFatPeek(Image, Short - 32 + 13, &Byte, 1);
    Byte ^= 0x55;
    TestFatPatch(Image, Short - 32 + 13, &Byte, 1);
    Volume = TestFatMount(Image, &Disk);
    assert_true(Listed(Volume, "ALONGN~1.TXT"));
    assert_false(Listed(Volume, "A Long Name.txt"));
    assert_int_equal(TestFatCreate(Volume, "\\A Long Name.txt", FAT_CREATE_OPEN, 0, &Fcb),
                     STATUS_OBJECT_NAME_NOT_FOUND);
    assert_int_equal(TestFatCreate(Volume, "\\alongn~1.txt", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    FatClose(Fcb);
    TestFatUnmount(Volume, &Disk);

    /* A long name without its short entry: nothing is there. */
    Image = TestFatCopyImage(Base16, "orphan.img");
    Byte = 0xE5;
    TestFatPatch(Image, Short, &Byte, 1);
    Volume = TestFatMount(Image, &Disk);
    assert_false(Listed(Volume, "A Long Name.txt"));
    assert_true(Listed(Volume, "file.bin"));
    /* And its slots are not taken by mistake for free ones: a new name goes elsewhere. */
    TestFatWriteFile(Volume, "\\Another Long Name.txt", "y", 1);
    assert_true(Listed(Volume, "Another Long Name.txt"));
    TestFatUnmount(Volume, &Disk);

    /* An ordinal out of sequence. */
    Image = TestFatCopyImage(Base16, "ordinal.img");
    Byte = 0x43;
    TestFatPatch(Image, Short - 32, &Byte, 1);
    Volume = TestFatMount(Image, &Disk);
    assert_true(Listed(Volume, "ALONGN~1.TXT"));
    TestFatUnmount(Volume, &Disk);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_broken_chains_fat16),
        cmocka_unit_test(test_broken_chains_fat32),
        cmocka_unit_test(test_broken_directories_fat16),
        cmocka_unit_test(test_broken_directories_fat32),
        cmocka_unit_test(test_broken_long_names),
    };

    return cmocka_run_group_tests(Tests, SetUp, NULL);
}
