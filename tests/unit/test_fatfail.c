/*
 * test_fatfail.c - failures from below, each in turn: a script of operations (create
 * with a long name, write across clusters and past the end, make a directory, rename
 * into it, truncate, move a directory, delete) runs once to count the disk writes,
 * disk reads and allocations it makes, then again for each one of them failing. The
 * failure must come back as the operation's status, never be lost or crash anything,
 * nothing may leak, and afterwards the volume must still be sound: the driver undoes
 * what it had begun (or, where a write cannot be undone, leaves at worst an entry
 * that every reader ignores, never a lost or shared cluster).
 */
#include <unistd.h>

#include "test_fatfix.h"

static const char *Base16, *Base32;

static int SetUp(void **state)
{
    PUCHAR Data = TestFatPatternBuffer(1, 3000);
    const char *Host = TestFatHostFile("old.bin", Data, 3000);

    (void)state;
    free(Data);
    Base16 = TestFatFormat("base16.img", "-T 8192 -h 2 -s 32 -c 1");
    Base32 = TestFatFormat("base32.img", "-T 70000 -h 2 -s 32 -c 1 -F");
    assert_int_equal(TestFatRun("mcopy -i '%s' '%s' '::/Old File With A Long Name.bin' && mmd -i '%s' ::/dir && "
                                "mcopy -i '%s' '%s' ::/dir/victim.bin", Base16, Host, Base16, Base16, Host), 0);
    assert_int_equal(TestFatRun("mcopy -i '%s' '%s' '::/Old File With A Long Name.bin' && mmd -i '%s' ::/dir && "
                                "mcopy -i '%s' '%s' ::/dir/victim.bin", Base32, Host, Base32, Base32, Host), 0);
    return 0;
}

/* The script; the first failure's status, after closing what it opened. */
static NTSTATUS Script(PFAT_VOLUME Volume)
{
    PUCHAR Data = TestFatPatternBuffer(2, 5000);
    PFAT_FCB File = NULL, Directory = NULL, Old = NULL, Short;
    ULONG Done;
    NTSTATUS Status;

    Status = TestFatCreate(Volume, "\\A New File With A Long Name.txt", FAT_CREATE_CREATE, 0, &File);
    if (NT_SUCCESS(Status)) {
        Status = FatWrite(File, 0, Data, 5000, &Done);
    }
    if (NT_SUCCESS(Status)) {
        Status = FatWrite(File, 9000, Data, 700, &Done);
    }
    if (NT_SUCCESS(Status)) {
        Status = TestFatCreate(Volume, "\\New Directory", FAT_CREATE_CREATE, FAT_CREATE_DIRECTORY, &Directory);
    }
    if (NT_SUCCESS(Status)) {
        Status = FatRename(File, NULL, TestFatString("\\New Directory\\Moved With Another Long Name.txt"), FALSE);
    }
    if (NT_SUCCESS(Status)) {
        Status = FatSetEndOfFile(File, 1500);
    }
    if (NT_SUCCESS(Status)) {
        Status = FatSetEndOfFile(File, 2500);
    }
    if (NT_SUCCESS(Status)) {
        Status = FatRename(Directory, NULL, TestFatString("\\dir\\Nested Directory"), FALSE);
    }
    if (NT_SUCCESS(Status)) {
        Status = TestFatCreate(Volume, "\\Old File With A Long Name.bin", FAT_CREATE_OPEN, 0, &Old);
    }
    if (NT_SUCCESS(Status)) {
        Status = FatRename(Old, NULL, TestFatString("\\dir\\victim.bin"), TRUE);   /* replaces it */
    }
    if (NT_SUCCESS(Status)) {
        Status = FatDelete(File);
    }
    if (NT_SUCCESS(Status)) {
        Status = TestFatCreate(Volume, "\\short.txt", FAT_CREATE_OVERWRITE_IF, 0, &Short);
        if (NT_SUCCESS(Status)) {
            FatClose(Short);
        }
    }
    if (File != NULL) {
        FatClose(File);
    }
    if (Directory != NULL) {
        FatClose(Directory);
    }
    if (Old != NULL) {
        FatClose(Old);
    }
    free(Data);
    return Status;
}

typedef enum _FAILURE {
    FailWrite,
    FailRead,
    FailAllocation,
} FAILURE;

static void Sweep(const char *Base, FAILURE Kind)
{
    TEST_DISK Disk;
    PFAT_VOLUME Volume;
    ULONG Total, Nth;
    NTSTATUS Status, Want = Kind == FailAllocation ? STATUS_INSUFFICIENT_RESOURCES : STATUS_UNSUCCESSFUL;
    const char *Image = TestFatCopyImage(Base, "sweep.img");
    LONG BlocksBefore;

    /* Once without failures, to count. */
    Volume = TestFatMount(Image, &Disk);
    Disk.Reads = Disk.Writes = 0;
    assert_int_equal(Script(Volume), STATUS_SUCCESS);
    Total = Kind == FailWrite ? Disk.Writes : Kind == FailRead ? Disk.Reads : 0;
    TestFatUnmount(Volume, &Disk);
    assert_int_equal(TestFatCheck(Image), 0);
    if (Kind == FailAllocation) {
        Total = 200;                /* more than the script makes; the loop stops at the first success */
    }

    for (Nth = 1; Nth <= Total; Nth++) {
        Image = TestFatCopyImage(Base, "sweep.img");
        Volume = TestFatMount(Image, &Disk);
        BlocksBefore = TestFatLiveBlocks();
        if (Kind == FailWrite) {
            Disk.FailWriteAt = (LONG)Nth;
        } else if (Kind == FailRead) {
            Disk.FailReadAt = (LONG)Nth;
        } else {
            TestFatFailAllocationAt((LONG)Nth);
        }
        Status = Script(Volume);
        TestFatFailAllocationAt(0);
        Disk.FailWriteAt = Disk.FailReadAt = 0;
        if (Kind == FailAllocation && Status == STATUS_SUCCESS) {
            TestFatUnmount(Volume, &Disk);
            break;
        }
        if (Status != Want) {
            fail_msg("failure %lu: the script returned %#lx", Nth, (ULONG)Status);
        }
        assert_int_equal(TestFatLiveBlocks(), BlocksBefore);
        TestFatUnmount(Volume, &Disk);
        if (TestFatCheck(Image) != 0) {
            fail_msg("failure %lu of %lu left the volume unsound", Nth, Total);
        }
    }
    print_message("%lu failures survived\n", Nth - 1);
}

static void test_write_errors_fat16(void **state)
{
    (void)state;
    Sweep(Base16, FailWrite);
}

static void test_write_errors_fat32(void **state)
{
    (void)state;
    Sweep(Base32, FailWrite);
}

static void test_read_errors_fat16(void **state)
{
    (void)state;
    Sweep(Base16, FailRead);
}

static void test_read_errors_fat32(void **state)
{
    (void)state;
    Sweep(Base32, FailRead);
}

static void test_allocation_failures(void **state)
{
    (void)state;
    Sweep(Base16, FailAllocation);
    Sweep(Base32, FailAllocation);
}

int main(void)
{
    const struct CMUnitTest Tests[] = {
        cmocka_unit_test(test_write_errors_fat16),
        cmocka_unit_test(test_write_errors_fat32),
        cmocka_unit_test(test_read_errors_fat16),
        cmocka_unit_test(test_read_errors_fat32),
        cmocka_unit_test(test_allocation_failures),
    };

    return cmocka_run_group_tests(Tests, SetUp, NULL);
}
