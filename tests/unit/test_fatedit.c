/*
 * test_fatedit.c - editing FAT images behind the driver's back, for the tests that
 * need a damaged volume: raw patches, FAT entries in every copy, finding an entry.
 * See test_fatfix.h.
 */
#include <fcntl.h>
#include <unistd.h>

#include "test_fatfix.h"

const char *TestFatCopyImage(const char *From, const char *Name)
{
    static char Paths[8][700];
    static int Next;
    char *Path = Paths[Next++ % 8];

    snprintf(Path, sizeof(Paths[0]), "%s/%s", TestFatTempDir(), Name);
    assert_int_equal(TestFatRun("cp --sparse=always '%s' '%s'", From, Path), 0);
    return Path;
}

VOID TestFatPatch(const char *Image, ULONGLONG Offset, const VOID *Bytes, ULONG Length)
{
    int Fd = open(Image, O_RDWR);

    assert_true(Fd >= 0);
    assert_int_equal(pwrite(Fd, Bytes, Length, (off_t)Offset), (ssize_t)Length);
    close(Fd);
}

VOID TestFatPeek(const char *Image, ULONGLONG Offset, PVOID Bytes, ULONG Length)
{
    int Fd = open(Image, O_RDONLY);

    assert_true(Fd >= 0);
    assert_int_equal(pread(Fd, Bytes, Length, (off_t)Offset), (ssize_t)Length);
    close(Fd);
}

VOID TestFatPatch16(const char *Image, ULONGLONG Offset, ULONG Value)
{
    UCHAR Bytes[2] = { (UCHAR)Value, (UCHAR)(Value >> 8) };

    TestFatPatch(Image, Offset, Bytes, 2);
}

VOID TestFatPatch32(const char *Image, ULONGLONG Offset, ULONG Value)
{
    UCHAR Bytes[4] = { (UCHAR)Value, (UCHAR)(Value >> 8), (UCHAR)(Value >> 16), (UCHAR)(Value >> 24) };

    TestFatPatch(Image, Offset, Bytes, 4);
}

typedef struct _RAW_BPB {
    ULONG Bps, Reserved, Fats, FatSize, Width;
} RAW_BPB;

static VOID TestFatRawBpb(const char *Image, RAW_BPB *Bpb)
{
    UCHAR Boot[64];

    TestFatPeek(Image, 0, Boot, sizeof(Boot));
    Bpb->Bps = Boot[11] | (Boot[12] << 8);
    Bpb->Reserved = Boot[14] | (Boot[15] << 8);
    Bpb->Fats = Boot[16];
    Bpb->FatSize = Boot[22] | (Boot[23] << 8);
    Bpb->Width = 2;
    if (Bpb->FatSize == 0) {
        Bpb->FatSize = Boot[36] | (Boot[37] << 8) | ((ULONG)Boot[38] << 16) | ((ULONG)Boot[39] << 24);
        Bpb->Width = 4;
    }
}

ULONG TestFatGetFatRaw(const char *Image, ULONG Cluster)
{
    RAW_BPB Bpb;
    UCHAR Bytes[4] = { 0 };

    TestFatRawBpb(Image, &Bpb);
    TestFatPeek(Image, (ULONGLONG)Bpb.Reserved * Bpb.Bps + (ULONGLONG)Cluster * Bpb.Width, Bytes, Bpb.Width);
    return Bpb.Width == 2 ? (ULONG)(Bytes[0] | (Bytes[1] << 8))
                          : (Bytes[0] | (Bytes[1] << 8) | ((ULONG)Bytes[2] << 16) | ((ULONG)Bytes[3] << 24)) & 0x0FFFFFFF;
}

VOID TestFatSetFatRaw(const char *Image, ULONG Cluster, ULONG Value)
{
    RAW_BPB Bpb;
    ULONG Copy;

    TestFatRawBpb(Image, &Bpb);
    for (Copy = 0; Copy < Bpb.Fats; Copy++) {
        ULONGLONG Offset = ((ULONGLONG)Bpb.Reserved + (ULONGLONG)Copy * Bpb.FatSize) * Bpb.Bps +
                           (ULONGLONG)Cluster * Bpb.Width;
        if (Bpb.Width == 2) {
            TestFatPatch16(Image, Offset, Value);
        } else {
            TestFatPatch32(Image, Offset, Value);
        }
    }
}

ULONGLONG TestFatFindEntryRaw(const char *Image, const char *Name11)
{
    FILE *File = fopen(Image, "rb");
    UCHAR Entry[32];
    ULONGLONG Offset = 0, Found = ~0ULL;

    assert_non_null(File);
    while (fread(Entry, 1, sizeof(Entry), File) == sizeof(Entry)) {
        if (memcmp(Entry, Name11, 11) == 0 && (Entry[11] & 0x0F) != 0x0F) {
            Found = Offset;
            break;
        }
        Offset += sizeof(Entry);
    }
    fclose(File);
    return Found;
}

ULONG TestFatFirstCluster(const char *Image, const char *Path)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume = TestFatMount(Image, &Disk);
    PFAT_FCB Fcb;
    ULONG Cluster;

    assert_int_equal(TestFatCreate(Volume, Path, FAT_CREATE_OPEN, 0, &Fcb), STATUS_SUCCESS);
    Cluster = Fcb->Dirent.FirstClusterLow | ((ULONG)Fcb->Dirent.FirstClusterHigh << 16);
    FatClose(Fcb);
    TestFatUnmount(Volume, &Disk);
    return Cluster;
}
