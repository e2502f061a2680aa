/*
 * iowait.c - self-tests of what user mode may do with a file handle beyond read
 * and write (IO_FILE_HANDLE_LIMITS): wait on it (NT waits on FILE_OBJECT.Event,
 * which a synchronous request sets when it completes; the body itself is no
 * dispatcher object, which a wait used to corrupt), and ask for transfers larger than the I/O manager buffers
 * or from memory that is not there. Each answer is a status, IRQL is back at
 * PASSIVE_LEVEL, and the pool ends as it began.
 */
#include "exobjtest.h"
#include <io.h>
#include <mm.h>

#define KST_LARGE_TAG EX_POOL_TAG('K', 's', 't', 'L')

#define KST_USER_CALL(Call)                                  \
    ({                                                       \
        KeGetCurrentThread()->PreviousMode = UserMode;       \
        NTSTATUS KstStatus_ = (Call);                        \
        KeGetCurrentThread()->PreviousMode = KernelMode;     \
        KstStatus_;                                          \
    })

static NTSTATUS KstFileHandleLimits(VOID)
{
    PVOID Unmapped = (PVOID)0x00001000, Large, UserPage = NULL;
    LARGE_INTEGER Zero = { .QuadPart = 0 };
    SIZE_T PageSize = PAGE_SIZE;
    PMM_ADDRESS_SPACE Space;
    MM_ATTACH_STATE Attach;
    PIO_STATUS_BLOCK UserIosb;
    PLARGE_INTEGER UserTimeout;
    OBJECT_ATTRIBUTES Attributes;
    KST_EX_BASELINE Baseline;
    UNICODE_STRING Name;
    IO_STATUS_BLOCK Iosb;
    HANDLE Null;
    UCHAR Byte = 0;

    KstExTakeBaseline(&Baseline);
    KstExAttributes(&Attributes, &Name, u"\\Device\\Null", OBJ_CASE_INSENSITIVE | KST_USER_HANDLE);
    KST_CHECK(NtOpenFile(&Null, FILE_GENERIC_READ | FILE_GENERIC_WRITE, &Attributes, &Iosb,
                         FILE_SHARE_READ | FILE_SHARE_WRITE, FILE_SYNCHRONOUS_IO_NONALERT) == STATUS_SUCCESS);

    /* A wait on the file waits on the event the last request set (the create's,
       then the write's), as in NT: never on the FILE_OBJECT itself. */
    KST_CHECK(NtWaitForSingleObject(Null, FALSE, &Zero) == STATUS_WAIT_0);
    KST_CHECK(NtWriteFile(Null, NULL, NULL, NULL, &Iosb, &Byte, 1, NULL, NULL) == STATUS_SUCCESS);
    KST_CHECK(NtWaitForSingleObject(Null, FALSE, &Zero) == STATUS_WAIT_0);
    KST_CHECK(NtWaitForMultipleObjects(1, &Null, WaitAll, FALSE, &Zero) == STATUS_WAIT_0);
    KST_CHECK(KeGetCurrentIrql() == PASSIVE_LEVEL);

    /* A bad buffer is refused before any pool is taken, however long it claims to be
       (with a status block user mode may write, in a scratch address space). */
    KST_CHECK(NT_SUCCESS(MmCreateProcessAddressSpace(&Space)));
    MmAttachAddressSpace(Space, &Attach);
    KST_CHECK(MmAllocateVirtualMemory(&UserPage, 0, &PageSize, MEM_RESERVE | MEM_COMMIT, PAGE_READWRITE) ==
              STATUS_SUCCESS);
    UserIosb = UserPage;
    UserTimeout = (PLARGE_INTEGER)(UserIosb + 2);
    UserTimeout->QuadPart = 0;
    KST_CHECK(KST_USER_CALL(NtWaitForSingleObject(Null, FALSE, UserTimeout)) == STATUS_WAIT_0);
    KST_CHECK(KeGetCurrentIrql() == PASSIVE_LEVEL);
    KST_CHECK(KST_USER_CALL(NtWriteFile(Null, NULL, NULL, NULL, UserIosb, UserIosb + 1, 16, NULL, NULL)) ==
              STATUS_SUCCESS);     /* the good case first: the page is usable */
    KST_CHECK(UserIosb->Information == 16);
    KST_CHECK(KST_USER_CALL(NtWriteFile(Null, NULL, NULL, NULL, UserIosb, Unmapped, 0x7FFF0000, NULL, NULL)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtWriteFile(Null, NULL, NULL, NULL, UserIosb, Unmapped, 0xFFFFFFFF, NULL, NULL)) ==
              STATUS_ACCESS_VIOLATION);
    KST_CHECK(KST_USER_CALL(NtReadFile(Null, NULL, NULL, NULL, UserIosb, Unmapped, 0x01000000, NULL, NULL)) ==
              STATUS_ACCESS_VIOLATION);
    MmDetachAddressSpace(&Attach);
    MmDeleteProcessAddressSpace(Space);
    /* Longer than the I/O manager buffers (1 MB): the status of an exceeded quota,
       given before a byte is read (so the kernel's one-byte buffer is enough). */
    KST_CHECK(NtWriteFile(Null, NULL, NULL, NULL, &Iosb, &Byte, 1024 * 1024 + 1, NULL, NULL) ==
              STATUS_INSUFFICIENT_RESOURCES);
    Large = ExAllocatePoolWithTag(NonPagedPool, 64 * 1024, KST_LARGE_TAG);
    KST_CHECK(Large != NULL);
    KST_CHECK(NtWriteFile(Null, NULL, NULL, NULL, &Iosb, Large, 64 * 1024, NULL, NULL) == STATUS_SUCCESS);
    KST_CHECK(Iosb.Information == 64 * 1024);
    ExFreePoolWithTag(Large, KST_LARGE_TAG);

    KST_CHECK(NtClose(Null) == STATUS_SUCCESS);
    return KstExCheckBaseline(&Baseline, "file handle limits");
}
KSELFTEST(IO_FILE_HANDLE_LIMITS, KstFileHandleLimits);
