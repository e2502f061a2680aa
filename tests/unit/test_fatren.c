/*
 * test_fatren.c - deleting and renaming on FAT, checked by mtools and the checker:
 * files with long names leave no entries behind, open files become deleted for
 * every holder, directories go only when empty; renames in place, to a long name, in
 * case only, into another directory (growing it), relative to a directory, over an
 * existing file (freeing its clusters) and the refusals NT gives; directories move
 * with their ".." entry, but never into themselves.
 */
#include "test_fatfix.h"

static const char *FormatFor(ULONG FatType, const char *Name)
{
    return TestFatFormat(Name, FatType == 16 ? "-T 20000 -h 2 -s 32 -c 4" : "-T 70000 -h 2 -s 32 -c 1 -F");
}

static ULONG FreeClusters(PFAT_VOLUME Volume)
{
    FAT_VOLUME_INFORMATION Info;

    FatQueryVolumeInformation(Volume, &Info);
    return Info.FreeClusters;
}

static PFAT_FCB Open(PFAT_VOLUME Volume, const char *Path)
{
    PFAT_FCB Fcb = NULL;
    NTSTATUS Status = TestFatCreate(Volume, Path, FAT_CREATE_OPEN, 0, &Fcb);

    if (Status != STATUS_SUCCESS) {
        fail_msg("open %s: %#lx", Path, (ULONG)Status);
    }
    return Fcb;
}

static void MakeDirectory(PFAT_VOLUME Volume, const char *Path)
{
    PFAT_FCB Fcb;

    assert_int_equal(TestFatCreate(Volume, Path, FAT_CREATE_CREATE, FAT_CREATE_DIRECTORY, &Fcb), STATUS_SUCCESS);
    FatClose(Fcb);
}

static NTSTATUS Rename(PFAT_FCB Fcb, PFAT_FCB Related, const char *Name, BOOLEAN Replace)
{
    return FatRename(Fcb, Related, TestFatString(Name), Replace);
}

static void ExpectGone(PFAT_VOLUME Volume, const char *Path)
{
    PFAT_FCB Fcb;

    assert_int_equal(TestFatCreate(Volume, Path, FAT_CREATE_OPEN, 0, &Fcb), STATUS_OBJECT_NAME_NOT_FOUND);
}

static void ExpectContents(PFAT_VOLUME Volume, const char *Path, ULONG Seed, ULONG Size)
{
    ULONG Got;
    PUCHAR Data = TestFatReadFile(Volume, Path, &Got), Want = TestFatPatternBuffer(Seed, Size);

    assert_int_equal(Got, Size);
    assert_memory_equal(Data, Want, Size);
    free(Data);
    free(Want);
}

static void WritePattern(PFAT_VOLUME Volume, const char *Path, ULONG Seed, ULONG Size)
{
    PUCHAR Data = TestFatPatternBuffer(Seed, Size);

    TestFatWriteFile(Volume, Path, Data, Size);
    free(Data);
}

static void Delete(ULONG FatType)
{
    const char *Image = FormatFor(FatType, "delete.img");
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    ULONG Empty = FreeClusters(Volume), Read, Written;
    FAT_BASIC_INFORMATION Basic;
    PFAT_FCB Fcb, Again;
    UCHAR Byte;

    WritePattern(Volume, "\\keep.txt", 1, 100);
    WritePattern(Volume, "\\A Long Name To Delete, With Several Entries.txt", 2, 5000);
    MakeDirectory(Volume, "\\dir");
    WritePattern(Volume, "\\dir\\inner.txt", 3, 10);

    Fcb = Open(Volume, "\\A Long Name To Delete, With Several Entries.txt");
    assert_int_equal(FatDelete(Fcb), STATUS_SUCCESS);
    assert_true(Fcb->Deleted);
    assert_int_equal(FatRead(Fcb, 0, &Byte, 1, &Read), STATUS_FILE_DELETED);
    assert_int_equal(FatWrite(Fcb, 0, &Byte, 1, &Written), STATUS_FILE_DELETED);
    assert_int_equal(FatDelete(Fcb), STATUS_FILE_DELETED);
    assert_int_equal(FatRename(Fcb, NULL, TestFatString("x"), FALSE), STATUS_FILE_DELETED);
    assert_int_equal(FatCreate(Volume, Fcb, TestFatString(""), FAT_CREATE_OPEN, 0, 0, &Again, &Read),
                     STATUS_FILE_DELETED);
    FatClose(Fcb);
    ExpectGone(Volume, "\\A Long Name To Delete, With Several Entries.txt");
    ExpectGone(Volume, "\\ALONGN~1.TXT");

    /* Deleted for every holder of the FCB. */
    Fcb = Open(Volume, "\\keep.txt");
    Again = Open(Volume, "\\KEEP.TXT");
    assert_ptr_equal(Fcb, Again);
    assert_int_equal(FatDelete(Fcb), STATUS_SUCCESS);
    FatClose(Fcb);
    assert_int_equal(FatRead(Again, 0, &Byte, 1, &Read), STATUS_FILE_DELETED);
    FatClose(Again);

    Fcb = Open(Volume, "\\dir");
    assert_int_equal(FatDelete(Fcb), STATUS_DIRECTORY_NOT_EMPTY);
    Again = Open(Volume, "\\dir\\inner.txt");
    memset(&Basic, 0, sizeof(Basic));
    Basic.FileAttributes = FAT_ATTRIBUTE_READONLY;
    assert_int_equal(FatSetBasicInformation(Again, &Basic), STATUS_SUCCESS);
    assert_int_equal(FatDelete(Again), STATUS_CANNOT_DELETE);
    Basic.FileAttributes = FAT_ATTRIBUTE_NORMAL;
    assert_int_equal(FatSetBasicInformation(Again, &Basic), STATUS_SUCCESS);
    assert_int_equal(FatDelete(Again), STATUS_SUCCESS);
    FatClose(Again);
    assert_int_equal(FatDelete(Fcb), STATUS_SUCCESS);
    FatClose(Fcb);
    Fcb = Open(Volume, "\\");
    assert_int_equal(FatDelete(Fcb), STATUS_CANNOT_DELETE);
    FatClose(Fcb);
    assert_int_equal(FreeClusters(Volume), Empty);

    /* The names can be used again, in the slots that were freed. */
    WritePattern(Volume, "\\A Long Name To Delete, With Several Entries.txt", 4, 3);
    MakeDirectory(Volume, "\\dir");
    assert_int_equal(TestFatCheck(Image), 0);
    TestFatUnmount(Volume, &Disk);
    assert_false(TestFatMdirHas(Image, "::/keep.txt"));
    assert_false(TestFatMdirHas(Image, "::/dir/inner.txt"));
    assert_true(TestFatMdirHas(Image, "::/A Long Name To Delete, With Several Entries.txt"));
}

static void RenameFiles(ULONG FatType)
{
    const char *Image = FormatFor(FatType, "rename.img");
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    PFAT_FCB One, Src, Child, Dst;
    ULONG Written, Before, Index;
    PUCHAR Expected = TestFatPatternBuffer(1, 1001);
    char Path[64];

    WritePattern(Volume, "\\one.txt", 1, 1000);
    WritePattern(Volume, "\\Two Long Name.txt", 2, 9000);
    MakeDirectory(Volume, "\\src");
    MakeDirectory(Volume, "\\dst");
    WritePattern(Volume, "\\src\\child.txt", 3, 7000);

    One = Open(Volume, "\\one.txt");
    assert_int_equal(Rename(One, NULL, "uno.txt", FALSE), STATUS_SUCCESS);
    ExpectGone(Volume, "\\one.txt");
    /* The open FCB follows its entry: a write lands in the renamed file. */
    assert_int_equal(FatWrite(One, 1000, Expected + 1000, 1, &Written), STATUS_SUCCESS);
    ExpectContents(Volume, "\\uno.txt", 1, 1001);
    assert_int_equal(Rename(One, NULL, "Now A Long Name.txt", FALSE), STATUS_SUCCESS);
    assert_int_equal(Rename(One, NULL, "NOW a long name.TXT", FALSE), STATUS_SUCCESS);   /* case only */
    ExpectContents(Volume, "\\nowalo~1.txt", 1, 1001);
    assert_int_equal(Rename(One, NULL, "\\dst\\Moved Here.txt", FALSE), STATUS_SUCCESS);
    Src = Open(Volume, "\\src");
    assert_int_equal(Rename(One, Src, "Back.txt", FALSE), STATUS_SUCCESS);
    ExpectContents(Volume, "\\src\\back.txt", 1, 1001);

    /* Over an existing file: refused, then replaced (its clusters freed). */
    assert_int_equal(Rename(One, NULL, "child.txt", FALSE), STATUS_OBJECT_NAME_COLLISION);
    Child = Open(Volume, "\\src\\child.txt");
    assert_int_equal(Rename(One, NULL, "child.txt", TRUE), STATUS_ACCESS_DENIED);   /* it is open */
    FatClose(Child);
    Before = FreeClusters(Volume);
    assert_int_equal(Rename(One, NULL, "CHILD.TXT", TRUE), STATUS_SUCCESS);
    assert_true(FreeClusters(Volume) > Before);
    ExpectContents(Volume, "\\src\\child.txt", 1, 1001);
    assert_int_equal(Rename(One, NULL, "\\dst", TRUE), STATUS_ACCESS_DENIED);         /* a directory */
    assert_int_equal(Rename(One, NULL, "\\dst", FALSE), STATUS_OBJECT_NAME_COLLISION);

    /* Bad names and places. */
    assert_int_equal(Rename(One, NULL, "a*b", FALSE), STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(Rename(One, NULL, "", FALSE), STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(Rename(One, NULL, "\\dst\\x\\", FALSE), STATUS_OBJECT_NAME_INVALID);
    assert_int_equal(Rename(One, NULL, "\\nowhere\\x", FALSE), STATUS_OBJECT_PATH_NOT_FOUND);
    assert_int_equal(Rename(One, NULL, "\\", FALSE), STATUS_OBJECT_NAME_INVALID);
    Dst = Open(Volume, "\\");
    assert_int_equal(Rename(Dst, NULL, "root2", FALSE), STATUS_INVALID_PARAMETER);
    FatClose(Dst);

    /* Into a full directory, which grows. */
    for (Index = 0; Index < 70; Index++) {
        snprintf(Path, sizeof(Path), "\\dst\\f%03lu.dat", Index);
        TestFatWriteFile(Volume, Path, "", 0);
    }
    assert_int_equal(Rename(One, NULL, "\\dst\\A Name Long Enough For Three Entries.txt", FALSE), STATUS_SUCCESS);
    FatClose(One);
    FatClose(Src);
    ExpectContents(Volume, "\\dst\\a name long enough for three entries.txt", 1, 1001);
    ExpectContents(Volume, "\\Two Long Name.txt", 2, 9000);
    assert_int_equal(TestFatCheck(Image), 0);
    TestFatUnmount(Volume, &Disk);
    assert_true(TestFatMdirHas(Image, "::/dst/A Name Long Enough For Three Entries.txt"));
    assert_false(TestFatMdirHas(Image, "::/src/Back.txt"));
    assert_false(TestFatMdirHas(Image, "::/src/CHILD.TXT"));     /* it moved on to \dst */
    assert_int_equal(TestFatRun("mtype -i '%s' '::/dst/A Name Long Enough For Three Entries.txt' | cmp -s - '%s'",
                                Image,
                                TestFatHostFile("child.txt", Expected, 1001)), 0);
    free(Expected);
}

static void RenameDirectories(ULONG FatType)
{
    const char *Image = FormatFor(FatType, "rendir.img");
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    PFAT_FCB Tree, Leaf, Inner;

    MakeDirectory(Volume, "\\tree");
    MakeDirectory(Volume, "\\tree\\branch");
    MakeDirectory(Volume, "\\other");
    WritePattern(Volume, "\\tree\\branch\\leaf.txt", 5, 3333);
    Tree = Open(Volume, "\\tree");
    Leaf = Open(Volume, "\\tree\\branch\\leaf.txt");
    assert_int_equal(Rename(Tree, NULL, "\\tree\\x", FALSE), STATUS_INVALID_PARAMETER);
    assert_int_equal(Rename(Tree, NULL, "\\tree\\branch\\x", FALSE), STATUS_INVALID_PARAMETER);
    assert_int_equal(Rename(Tree, NULL, "\\other\\Tree Moved Below", FALSE), STATUS_SUCCESS);
    assert_int_equal(TestFatCheck(Image), 0);                  /* ".." now names \other */
    ExpectContents(Volume, "\\other\\tree moved below\\branch\\leaf.txt", 5, 3333);
    /* Files open inside stay usable: their entries did not move. */
    assert_int_equal(FatSetEndOfFile(Leaf, 1000), STATUS_SUCCESS);
    ExpectContents(Volume, "\\other\\tree moved below\\branch\\leaf.txt", 5, 1000);
    Inner = Open(Volume, "\\other\\tree moved below\\branch");
    assert_int_equal(Rename(Inner, NULL, "\\Branch At Root", FALSE), STATUS_SUCCESS);
    assert_int_equal(Rename(Tree, NULL, "\\Branch At Root\\t", FALSE), STATUS_SUCCESS);
    assert_int_equal(Rename(Inner, NULL, "\\Branch At Root\\t\\x", FALSE), STATUS_INVALID_PARAMETER);
    FatClose(Inner);
    FatClose(Tree);
    FatClose(Leaf);
    assert_int_equal(TestFatCheck(Image), 0);
    TestFatUnmount(Volume, &Disk);
    assert_true(TestFatMdirHas(Image, "::/Branch At Root/leaf.txt"));
    assert_true(TestFatMdirHas(Image, "::/Branch At Root/t/"));
    assert_int_equal(TestFatRun("mdir -i '%s' '::/Branch At Root/t' >/dev/null", Image), 0);
}

#define BOTH(Test)                                                                  \
    static void Test##_fat16(void **state) { (void)state; Test(16); }             \
    static void Test##_fat32(void **state) { (void)state; Test(32); }
BOTH(Delete)
BOTH(RenameFiles)
BOTH(RenameDirectories)

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(Delete_fat16), cmocka_unit_test(Delete_fat32),
        cmocka_unit_test(RenameFiles_fat16), cmocka_unit_test(RenameFiles_fat32),
        cmocka_unit_test(RenameDirectories_fat16), cmocka_unit_test(RenameDirectories_fat32),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}
