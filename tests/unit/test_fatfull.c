/*
 * test_fatfull.c - running out of room: a disk filled to STATUS_DISK_FULL by writes
 * that fit and then by ones that do not (which must change nothing), directories that
 * cannot grow, the FAT16 root's fixed 512 entries, and FAT's 4 GB file limit. After
 * each, the checker (and fsck.fat when installed) must find every cluster free or in
 * exactly one chain, and mdir and FSInfo must agree on the free space.
 */
#include <unistd.h>

#include "test_fatfix.h"

#define CHUNK 65536

static ULONG FreeClusters(PFAT_VOLUME Volume)
{
    FAT_VOLUME_INFORMATION Info;

    FatQueryVolumeInformation(Volume, &Info);
    return Info.FreeClusters;
}

static ULONG ClusterBytes(PFAT_VOLUME Volume)
{
    FAT_VOLUME_INFORMATION Info;

    FatQueryVolumeInformation(Volume, &Info);
    return Info.SectorsPerCluster * Info.BytesPerSector;
}

static ULONG SizeOf(PFAT_FCB Fcb)
{
    FAT_FILE_INFORMATION Info;

    assert_int_equal(FatQueryFileInformation(Fcb, &Info), STATUS_SUCCESS);
    return Info.EndOfFile;
}

static void ExpectSound(const char *Image, PFAT_VOLUME Volume)
{
    assert_int_equal(TestFatCheck(Image), 0);
    assert_int_equal(FreeClusters(Volume), TestFatCheckedFree);
    assert_true((ULONGLONG)FreeClusters(Volume) * ClusterBytes(Volume) == TestFatMdirFree(Image));
}

static void FillDisk(const char *Args)
{
    const char *Image = TestFatFormat("full.img", Args);
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    ULONG Bytes = ClusterBytes(Volume), Size = 0, Written, Index, Entries;
    PUCHAR Chunk = malloc(CHUNK);
    PFAT_FCB Filler, Small, Directory, Other;
    char Path[64];

    /* A directory with one cluster, filled but for nothing. */
    assert_int_equal(TestFatCreate(Volume, "\\d", FAT_CREATE_CREATE, FAT_CREATE_DIRECTORY, &Directory), STATUS_SUCCESS);
    FatClose(Directory);
    Entries = Bytes / 32 - 2;
    for (Index = 0; Index < Entries; Index++) {
        snprintf(Path, sizeof(Path), "\\d\\f%lu", Index);
        TestFatWriteFile(Volume, Path, "", 0);
    }

    /* Big writes until one does not fit: that one changes nothing. */
    assert_int_equal(TestFatCreate(Volume, "\\filler.bin", FAT_CREATE_CREATE, 0, &Filler), STATUS_SUCCESS);
    for (;;) {
        ULONG FreeBefore = FreeClusters(Volume);
        NTSTATUS Status;

        for (Index = 0; Index < CHUNK; Index++) {
            Chunk[Index] = TestFatPattern(1, Size + Index);
        }
        Status = FatWrite(Filler, Size, Chunk, CHUNK, &Written);
        if (Status == STATUS_DISK_FULL) {
            assert_int_equal(Written, 0);
            assert_int_equal(FreeClusters(Volume), FreeBefore);
            assert_true(FreeBefore < CHUNK / Bytes);
            break;
        }
        assert_int_equal(Status, STATUS_SUCCESS);
        Size += CHUNK;
    }
    assert_int_equal(SizeOf(Filler), Size);
    assert_int_equal(TestFatCheck(Image), 0);
    /* Then cluster by cluster to the last one. */
    while (FreeClusters(Volume) != 0) {
        for (Index = 0; Index < Bytes; Index++) {
            Chunk[Index] = TestFatPattern(1, Size + Index);
        }
        assert_int_equal(FatWrite(Filler, Size, Chunk, Bytes, &Written), STATUS_SUCCESS);
        Size += Bytes;
    }
    assert_int_equal(FatWrite(Filler, Size, Chunk, 1, &Written), STATUS_DISK_FULL);
    assert_int_equal(FatWrite(Filler, Size - 1, Chunk, 2, &Written), STATUS_DISK_FULL);
    assert_int_equal(FatSetEndOfFile(Filler, Size + 1), STATUS_DISK_FULL);
    assert_int_equal(SizeOf(Filler), Size);
    /* Inside what is allocated, writing still works. */
    assert_int_equal(FatWrite(Filler, Size - 10, Chunk + Bytes - 10, 10, &Written), STATUS_SUCCESS);

    /* An empty file needs no cluster; anything more does. */
    assert_int_equal(TestFatCreate(Volume, "\\small.txt", FAT_CREATE_CREATE, 0, &Small), STATUS_SUCCESS);
    assert_int_equal(FatWrite(Small, 0, "x", 1, &Written), STATUS_DISK_FULL);
    assert_int_equal(SizeOf(Small), 0);
    FatClose(Small);
    assert_int_equal(TestFatCreate(Volume, "\\newdir", FAT_CREATE_CREATE, FAT_CREATE_DIRECTORY, &Other),
                     STATUS_DISK_FULL);
    assert_int_equal(TestFatCreate(Volume, "\\newdir", FAT_CREATE_OPEN, 0, &Other), STATUS_OBJECT_NAME_NOT_FOUND);
    /* A full directory cannot grow: no entry, not even part of a long name, is left. */
    assert_int_equal(TestFatCreate(Volume, "\\d\\one more with a long name", FAT_CREATE_CREATE, 0, &Other),
                     STATUS_DISK_FULL);
    assert_int_equal(TestFatCreate(Volume, "\\d\\x", FAT_CREATE_CREATE, 0, &Other), STATUS_DISK_FULL);
    assert_int_equal(FatRename(Filler, NULL, TestFatString("\\d\\filler.bin"), FALSE), STATUS_DISK_FULL);
    ExpectSound(Image, Volume);
    assert_int_equal(TestFatMdirFree(Image), 0);

    /* Room again: truncate half, and the rename and the directory now succeed. */
    Size /= 2;
    assert_int_equal(FatSetEndOfFile(Filler, Size), STATUS_SUCCESS);
    assert_true(FreeClusters(Volume) > 0);
    assert_int_equal(FatRename(Filler, NULL, TestFatString("\\d\\Filler Moved Into A Grown Directory.bin"), FALSE),
                     STATUS_SUCCESS);
    assert_int_equal(TestFatCreate(Volume, "\\newdir", FAT_CREATE_CREATE, FAT_CREATE_DIRECTORY, &Other),
                     STATUS_SUCCESS);
    FatClose(Other);
    FatClose(Filler);
    ExpectSound(Image, Volume);
    TestFatUnmount(Volume, &Disk);

    /* What mtools reads back is what was written. */
    {
        FILE *Expected;
        char Host[700];

        snprintf(Host, sizeof(Host), "%s/filler.expected", TestFatTempDir());
        Expected = fopen(Host, "wb");
        assert_non_null(Expected);
        for (Index = 0; Index < Size; Index++) {
            fputc(TestFatPattern(1, Index), Expected);
        }
        fclose(Expected);
        assert_int_equal(TestFatRun("mtype -i '%s' '::/d/Filler Moved Into A Grown Directory.bin' | cmp -s - '%s'",
                                    Image, Host), 0);
    }
    free(Chunk);
}

static void test_fill_fat16(void **state)
{
    (void)state;
    FillDisk("-T 8192 -h 2 -s 32 -c 1");
}

static void test_fill_fat32(void **state)
{
    (void)state;
    FillDisk("-T 70000 -h 2 -s 32 -c 1 -F");
}

static void test_fat16_root_is_fixed(void **state)
{
    const char *Image = TestFatFormat("root.img", "-T 8192 -h 2 -s 32 -c 1");
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    PFAT_FCB Fcb;
    ULONG Count = 0;
    char Path[32];
    NTSTATUS Status;

    (void)state;
    for (;;) {
        snprintf(Path, sizeof(Path), "\\F%05lu.TXT", Count);
        Status = TestFatCreate(Volume, Path, FAT_CREATE_CREATE, 0, &Fcb);
        if (Status != STATUS_SUCCESS) {
            break;
        }
        FatClose(Fcb);
        Count++;
    }
    assert_int_equal(Status, STATUS_DISK_FULL);
    assert_int_equal(Count, 512);              /* mformat's root directory size here */
    /* Free one slot: a long name (3 entries) still does not fit, a short one does. */
    assert_int_equal(TestFatCreate(Volume, "\\F00100.TXT", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    assert_int_equal(FatDelete(Fcb), STATUS_SUCCESS);
    FatClose(Fcb);
    assert_int_equal(TestFatCreate(Volume, "\\A Longer Name.txt", FAT_CREATE_CREATE, 0, &Fcb), STATUS_DISK_FULL);
    assert_int_equal(TestFatCreate(Volume, "\\short.txt", FAT_CREATE_CREATE, 0, &Fcb), STATUS_SUCCESS);
    FatClose(Fcb);
    assert_int_equal(TestFatCheck(Image), 0);
    TestFatUnmount(Volume, &Disk);
    assert_true(TestFatMdirHas(Image, "::/short.txt"));
    assert_true(TestFatMdirHas(Image, "::/F00511.TXT"));
    assert_false(TestFatMdirHas(Image, "::/F00100.TXT"));
}

static void test_four_gigabytes(void **state)
{
    const char *Image = TestFatFormat("big.img", "-T 70000 -h 2 -s 32 -c 1 -F");
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    ULONG Free = FreeClusters(Volume), Written;
    PFAT_FCB Fcb;

    (void)state;
    assert_int_equal(TestFatCreate(Volume, "\\huge", FAT_CREATE_CREATE, 0, &Fcb), STATUS_SUCCESS);
    assert_int_equal(FatWrite(Fcb, 0xFFFFFFFFULL, "x", 1, &Written), STATUS_DISK_FULL);
    assert_int_equal(FatWrite(Fcb, 0x100000000ULL, "x", 1, &Written), STATUS_DISK_FULL);
    assert_int_equal(FatWrite(Fcb, 0xFFFFFFF0ULL, "0123456789abcdefg", 17, &Written), STATUS_DISK_FULL);
    assert_int_equal(FatSetEndOfFile(Fcb, 0x100000000ULL), STATUS_DISK_FULL);
    /* Within 4 GB but larger than the disk: still all or nothing. */
    assert_int_equal(FatWrite(Fcb, 0x7FFFFFFFULL, "x", 1, &Written), STATUS_DISK_FULL);
    assert_int_equal(FatSetEndOfFile(Fcb, 0xFFFFFFFFULL), STATUS_DISK_FULL);
    assert_int_equal(SizeOf(Fcb), 0);
    assert_int_equal(FreeClusters(Volume), Free);
    FatClose(Fcb);
    ExpectSound(Image, Volume);
    TestFatUnmount(Volume, &Disk);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_fill_fat16),
        cmocka_unit_test(test_fill_fat32),
        cmocka_unit_test(test_fat16_root_is_fixed),
        cmocka_unit_test(test_four_gigabytes),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}
