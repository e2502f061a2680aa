/*
 * test_fatbad.c - volumes that are not what they claim: boot sectors with each BPB
 * field broken in turn (STATUS_UNRECOGNIZED_VOLUME for what is not FAT at all,
 * STATUS_DISK_CORRUPT_ERROR for numbers that do not fit together), hundreds of
 * random boot sectors, bad mount parameters and failing allocations during mount,
 * FSInfo sectors that lie or are not FSInfo. Nothing may crash, hang or leak. Also
 * proves that the consistency checker the other tests trust does see damage.
 */
#include <unistd.h>

#include "test_fatfix.h"

static const char *Base16, *Base32;

static int SetUp(void **state)
{
    PUCHAR Data = TestFatPatternBuffer(1, 5000);
    const char *Host = TestFatHostFile("file.bin", Data, 5000);

    (void)state;
    free(Data);
    Base16 = TestFatFormat("base16.img", "-T 8192 -h 2 -s 32 -c 1");
    Base32 = TestFatFormat("base32.img", "-T 70000 -h 2 -s 32 -c 1 -F");
    assert_int_equal(TestFatRun("mcopy -i '%s' '%s' ::/file.bin", Base16, Host), 0);
    assert_int_equal(TestFatRun("mcopy -i '%s' '%s' ::/file.bin", Base32, Host), 0);
    return 0;
}

static NTSTATUS MountStatus(const char *Image)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume = NULL;
    NTSTATUS Status;

    Disk.SectorSize = 0;
    Status = TestFatMountEx(Image, &Disk, &Volume, FALSE);
    if (NT_SUCCESS(Status)) {
        FAT_DIRECTORY_INFORMATION Info;
        PFAT_FCB Root;
        ULONG Cursor = 0, Count = 0;

        /* Whatever it is, using it must not crash either. */
        assert_int_equal(TestFatCreate(Volume, "\\", FAT_CREATE_OPEN, 0, &Root), STATUS_SUCCESS);
        while (Count++ < 100 && NT_SUCCESS(FatQueryDirectory(Root, NULL, &Cursor, &Info))) {
        }
        FatClose(Root);
        assert_int_equal(FatDismount(Volume), STATUS_SUCCESS);
    } else {
        assert_null(Volume);
    }
    assert_int_equal(TestFatLiveBlocks(), 0);
    close(Disk.Fd);
    return Status;
}

typedef struct _MUTATION {
    const char *What;
    ULONG Offset, Size, Value;
    NTSTATUS Want;
} MUTATION;

static void TryMutations(const char *Base, const MUTATION *Mutations, ULONG Count)
{
    ULONG Index;
    NTSTATUS Status;

    for (Index = 0; Index < Count; Index++) {
        const char *Image = TestFatCopyImage(Base, "mutated.img");
        const MUTATION *M = &Mutations[Index];

        if (M->Size == 1) {
            UCHAR Byte = (UCHAR)M->Value;
            TestFatPatch(Image, M->Offset, &Byte, 1);
        } else if (M->Size == 2) {
            TestFatPatch16(Image, M->Offset, M->Value);
        } else {
            TestFatPatch32(Image, M->Offset, M->Value);
        }
        Status = MountStatus(Image);
        if (Status != M->Want) {
            fail_msg("%s: %#lx, want %#lx", M->What, (ULONG)Status, (ULONG)M->Want);
        }
    }
}

static void test_fat16_boot_sector(void **state)
{
    static const MUTATION Mutations[] = {
        { "no jump instruction", 0, 1, 0x00, STATUS_UNRECOGNIZED_VOLUME },
        { "bytes per sector 0", 11, 2, 0, STATUS_UNRECOGNIZED_VOLUME },
        { "bytes per sector 256", 11, 2, 256, STATUS_UNRECOGNIZED_VOLUME },
        { "bytes per sector 513", 11, 2, 513, STATUS_UNRECOGNIZED_VOLUME },
        { "bytes per sector 8192", 11, 2, 8192, STATUS_UNRECOGNIZED_VOLUME },
        { "sectors per cluster 0", 13, 1, 0, STATUS_UNRECOGNIZED_VOLUME },
        { "sectors per cluster 3", 13, 1, 3, STATUS_UNRECOGNIZED_VOLUME },
        { "no reserved sector", 14, 2, 0, STATUS_UNRECOGNIZED_VOLUME },
        { "no FAT", 16, 1, 0, STATUS_UNRECOGNIZED_VOLUME },
        { "media byte 0x12", 21, 1, 0x12, STATUS_UNRECOGNIZED_VOLUME },
        { "no size", 19, 2, 0, STATUS_UNRECOGNIZED_VOLUME },
        { "a FAT of one sector", 22, 2, 1, STATUS_DISK_CORRUPT_ERROR },
        { "reserved area past the end", 14, 2, 60000, STATUS_DISK_CORRUPT_ERROR },
        { "larger than its device", 19, 2, 16000, STATUS_DISK_CORRUPT_ERROR },
        { "no root directory", 17, 2, 0, STATUS_DISK_CORRUPT_ERROR },
        { "255 FATs", 16, 1, 255, STATUS_DISK_CORRUPT_ERROR },
        /* The count decides the type: 64-sector clusters make this FAT12 (read-only). */
        { "FAT12 by its cluster count", 13, 1, 64, STATUS_SUCCESS },
    };

    (void)state;
    TryMutations(Base16, Mutations, RTL_NUMBER_OF(Mutations));
}

static void test_fat32_boot_sector(void **state)
{
    static const MUTATION Mutations[] = {
        { "root cluster 0", 44, 4, 0, STATUS_DISK_CORRUPT_ERROR },
        { "root cluster 1", 44, 4, 1, STATUS_DISK_CORRUPT_ERROR },
        { "root cluster past the end", 44, 4, 0x0FFFFFF0, STATUS_DISK_CORRUPT_ERROR },
        { "version 1.0", 42, 2, 0x0100, STATUS_UNRECOGNIZED_VOLUME },
        { "FAT32 layout on a FAT16 count", 32, 4, 40000, STATUS_DISK_CORRUPT_ERROR },
        { "active FAT 3 of 2", 40, 2, 0x0083, STATUS_DISK_CORRUPT_ERROR },
        { "root entries on FAT32", 17, 2, 512, STATUS_DISK_CORRUPT_ERROR },
        { "a FAT too small", 36, 4, 100, STATUS_DISK_CORRUPT_ERROR },
        { "a FAT as large as the disk", 36, 4, 0x10000000, STATUS_DISK_CORRUPT_ERROR },
        { "mirroring off, active FAT 1", 40, 2, 0x0081, STATUS_SUCCESS },
    };

    (void)state;
    TryMutations(Base32, Mutations, RTL_NUMBER_OF(Mutations));
}

static void test_random_boot_sectors(void **state)
{
    const char *Image = TestFatCopyImage(Base16, "random.img");
    UCHAR Sector[512];
    ULONG Seed, Index, Mounted = 0;
    NTSTATUS Status;

    (void)state;
    for (Seed = 0; Seed < 400; Seed++) {
        for (Index = 0; Index < sizeof(Sector); Index++) {
            Sector[Index] = TestFatPattern(Seed * 7 + 3, Index);
        }
        if (Seed % 2 == 0) {
            /* Past the first checks, so the deeper ones are reached too. */
            Sector[0] = 0xEB;
            Sector[11] = 0x00;
            Sector[12] = 0x02;
            Sector[13] = (UCHAR)(1 << (Seed % 8));
            Sector[14] = (UCHAR)(1 + Seed % 3);
            Sector[15] = 0;
            Sector[16] = (UCHAR)(1 + Seed % 2);
            Sector[21] = 0xF8;
            if (Seed % 4 == 0) {
                Sector[19] = 0x00;                         /* 8192 sectors, as the device */
                Sector[20] = 0x20;
                Sector[22] = (UCHAR)(Seed % 40);
                Sector[23] = 0;
            }
        }
        TestFatPatch(Image, 0, Sector, sizeof(Sector));
        Status = MountStatus(Image);
        if (Status != STATUS_UNRECOGNIZED_VOLUME && Status != STATUS_DISK_CORRUPT_ERROR &&
            Status != STATUS_SUCCESS) {
            fail_msg("seed %lu: %#lx", Seed, (ULONG)Status);
        }
        Mounted += Status == STATUS_SUCCESS;
    }
    memset(Sector, 0, sizeof(Sector));
    TestFatPatch(Image, 0, Sector, sizeof(Sector));
    assert_int_equal(MountStatus(Image), STATUS_UNRECOGNIZED_VOLUME);
    print_message("%lu of 400 random boot sectors mounted\n", Mounted);
}

static NTSTATUS FailingRead(PVOID Context, ULONG First, ULONG Count, PVOID Buffer)
{
    (void)Context, (void)First, (void)Count, (void)Buffer;
    return STATUS_UNSUCCESSFUL;
}

static void test_mount_parameters(void **state)
{
    FAT_MOUNT_PARAMETERS Parameters;
    TEST_DISK Disk;
    PFAT_VOLUME Volume;
    LONG Nth;

    (void)state;
    Disk.SectorSize = 0;
    assert_int_equal(TestFatMountEx(Base16, &Disk, &Volume, FALSE), STATUS_SUCCESS);
    assert_int_equal(FatDismount(Volume), STATUS_SUCCESS);
    close(Disk.Fd);
    Parameters = TestFatParameters;
    Parameters.ReadSectors = NULL;
    assert_int_equal(FatMount(&Parameters, &Volume), STATUS_INVALID_PARAMETER);
    Parameters = TestFatParameters;
    Parameters.Allocator.Allocate = NULL;
    assert_int_equal(FatMount(&Parameters, &Volume), STATUS_INVALID_PARAMETER);
    Parameters = TestFatParameters;
    Parameters.SectorSize = 1000;
    assert_int_equal(FatMount(&Parameters, &Volume), STATUS_INVALID_PARAMETER);
    assert_int_equal(FatMount(NULL, &Volume), STATUS_INVALID_PARAMETER);
    Parameters = TestFatParameters;
    Parameters.ReadSectors = FailingRead;
    assert_int_equal(FatMount(&Parameters, &Volume), STATUS_UNSUCCESSFUL);
    assert_int_equal(TestFatLiveBlocks(), 0);

    /* Every allocation of a mount failing in turn. */
    for (Nth = 1;; Nth++) {
        NTSTATUS Status;

        Disk.SectorSize = 0;
        Status = TestFatMountEx(Base32, &Disk, &Volume, FALSE);
        assert_int_equal(Status, STATUS_SUCCESS);
        assert_int_equal(FatDismount(Volume), STATUS_SUCCESS);
        TestFatFailAllocationAt(Nth);
        Status = FatMount(&TestFatParameters, &Volume);
        TestFatFailAllocationAt(0);
        close(Disk.Fd);
        if (Status == STATUS_SUCCESS) {
            assert_int_equal(FatDismount(Volume), STATUS_SUCCESS);
            break;
        }
        assert_int_equal(Status, STATUS_INSUFFICIENT_RESOURCES);
        assert_int_equal(TestFatLiveBlocks(), 0);
    }
    assert_true(Nth > 3);
}

static void test_fsinfo(void **state)
{
    const char *Image = TestFatCopyImage(Base32, "fsinfo.img");
    ULONG FsInfo = 512 * 1, Value, Written;
    TEST_DISK Disk;
    PFAT_VOLUME Volume;
    FAT_VOLUME_INFORMATION Info;
    PFAT_FCB Fcb;

    (void)state;
    TestFatPeek(Image, 48, &Value, 2);
    FsInfo = 512 * (Value & 0xFFFF);
    TestFatPatch32(Image, FsInfo + 488, 12345);
    assert_int_not_equal(TestFatCheck(Image), 0);            /* the checker sees the lie */
    /* Read-only: counted, not believed, and left as it is. */
    Disk.SectorSize = 0;
    assert_int_equal(TestFatMountEx(Image, &Disk, &Volume, TRUE), STATUS_SUCCESS);
    FatQueryVolumeInformation(Volume, &Info);
    assert_int_not_equal(Info.FreeClusters, 12345);
    TestFatUnmount(Volume, &Disk);
    TestFatPeek(Image, FsInfo + 488, &Value, 4);
    assert_int_equal(Value, 12345);
    /* Writable: made honest at mount, and kept so. */
    Volume = TestFatMount(Image, &Disk);
    assert_int_equal(TestFatCheck(Image), 0);
    TestFatWriteFile(Volume, "\\more.bin", "more", 4);
    assert_int_equal(TestFatCheck(Image), 0);
    FatQueryVolumeInformation(Volume, &Info);
    TestFatPeek(Image, FsInfo + 488, &Value, 4);
    assert_int_equal(Value, Info.FreeClusters);
    TestFatUnmount(Volume, &Disk);
    assert_int_equal(TestFatRun("minfo -i '%s' :: | grep -q '^free clusters=%lu$'", Image, Info.FreeClusters), 0);

    /* Not an FSInfo sector: ignored, and never written. */
    TestFatPatch32(Image, FsInfo, 0x12345678);
    TestFatPatch32(Image, FsInfo + 488, 777);
    Volume = TestFatMount(Image, &Disk);
    FatQueryVolumeInformation(Volume, &Info);
    assert_int_equal(Info.FreeClusters, TestFatCheckedFree);
    assert_int_equal(TestFatCreate(Volume, "\\more.bin", FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    assert_int_equal(FatWrite(Fcb, 4, "data", 4, &Written), STATUS_SUCCESS);
    FatClose(Fcb);
    TestFatUnmount(Volume, &Disk);
    TestFatPeek(Image, FsInfo + 488, &Value, 4);
    assert_int_equal(Value, 777);
}

static void test_checker_sees_damage(void **state)
{
    const char *Image;
    ULONG First = TestFatFirstCluster(Base16, "\\file.bin"), Free;
    UCHAR Byte = 0x77;

    (void)state;
    assert_int_equal(TestFatCheck(Base16), 0);
    Free = First + 100;                                       /* mformat leaves it free */
    Image = TestFatCopyImage(Base16, "lost.img");
    TestFatSetFatRaw(Image, Free, 0xFFFF);
    assert_int_not_equal(TestFatCheck(Image), 0);            /* a lost cluster */
    Image = TestFatCopyImage(Base16, "short.img");
    TestFatSetFatRaw(Image, First + 2, 0xFFFF);
    assert_int_not_equal(TestFatCheck(Image), 0);            /* a chain shorter than its file */
    Image = TestFatCopyImage(Base16, "loop.img");
    TestFatSetFatRaw(Image, First + 4, First);
    assert_int_not_equal(TestFatCheck(Image), 0);            /* a loop */
    Image = TestFatCopyImage(Base16, "copies.img");
    TestFatPatch(Image, 512 + 100, &Byte, 1);
    assert_int_not_equal(TestFatCheck(Image), 0);            /* the FAT copies differ */
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_fat16_boot_sector),
        cmocka_unit_test(test_fat32_boot_sector),
        cmocka_unit_test(test_random_boot_sectors),
        cmocka_unit_test(test_mount_parameters),
        cmocka_unit_test(test_fsinfo),
        cmocka_unit_test(test_checker_sees_damage),
    };

    return cmocka_run_group_tests(Tests, SetUp, NULL);
}
