/*
 * test_fatvol.c - the boot volume as the build makes it (tools/mkvolume): mounted,
 * its files found and read (one added with --add under a long name, in folders made
 * for it), written to, and still sound for the checker and mtools afterwards.
 */
#include "test_fatfix.h"

#ifndef FAT_TEST_SOURCE_DIR
#define FAT_TEST_SOURCE_DIR "."
#endif

static void test_boot_volume(void **state)
{
    char Image[700];
    const char *Added;
    PUCHAR Data = TestFatPatternBuffer(9, 20000), Read;
    FAT_VOLUME_INFORMATION Info;
    TEST_DISK Disk;
    PFAT_VOLUME Volume;
    ULONG Size;

    (void)state;
    Added = TestFatHostFile("added.bin", Data, 20000);
    snprintf(Image, sizeof(Image), "%s/volume.img", TestFatTempDir());
    assert_int_equal(TestFatRun("python3 '%s/tools/mkvolume' -o '%s' --add '%s=C:\\Program Files\\Some Tool\\Added File.bin'",
                                FAT_TEST_SOURCE_DIR, Image, Added), 0);
    assert_int_equal(TestFatCheck(Image), 0);
    Volume = TestFatMount(Image, &Disk);
    FatQueryVolumeInformation(Volume, &Info);
    assert_int_equal(Info.FatType, 16);
    assert_string_equal(Info.Label, "NTLAB");
    free(TestFatReadFile(Volume, "\\WINDOWS\\system32\\README.TXT", &Size));
    assert_true(Size > 0);
    Read = TestFatReadFile(Volume, "\\program files\\some tool\\added file.bin", &Size);
    assert_int_equal(Size, 20000);
    assert_memory_equal(Read, Data, Size);
    free(Read);
    TestFatWriteFile(Volume, "\\Windows\\System32\\Written By The Driver.txt", "hello", 5);
    TestFatUnmount(Volume, &Disk);
    assert_int_equal(TestFatCheck(Image), 0);
    assert_true(TestFatMdirHas(Image, "::/Windows/System32/Written By The Driver.txt"));
    free(Data);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_boot_volume),
    };

    return cmocka_run_group_tests(Tests, NULL, NULL);
}
