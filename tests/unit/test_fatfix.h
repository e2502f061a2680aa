/*
 * test_fatfix.h - what the FAT tests (tests/unit/test_fat*.c) share:
 *
 *   test_fatfix.c  the world around kernel/io/fat: a disk that is an image file
 *                  (pread/pwrite), an allocator over malloc that counts and can be
 *                  told to fail, a settable clock; mtools run on the images; UTF-16
 *                  paths from C strings;
 *   test_fatedit.c raw edits of images, for the corruption tests;
 *   test_fatchk.c  a consistency checker over an image, written apart from the
 *                  driver (its own BPB, FAT and directory parsing), so a mistake would
 *                  have to be made twice, differently, to go unnoticed.
 *
 * Images live in a mkdtemp directory under build/ that is removed when the program
 * ends (set FAT_TEST_KEEP=1 to keep it). mtools runs with MTOOLS_SKIP_CHECK=1, TZ=UTC
 * (FAT times are UTC here) and no configuration file.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "fatp.h"

/* ---- the disk ---- */

typedef struct _TEST_DISK {
    char Path[512];
    int Fd;
    ULONG SectorSize;
    ULONG SectorCount;
    LONG FailReadAt;                /* the Nth read from now fails (0: never) */
    LONG FailWriteAt;               /* the Nth write from now fails (0: never) */
    ULONG Reads;
    ULONG Writes;
} TEST_DISK, *PTEST_DISK;

/* A fresh image: "mformat -C -i PATH ARGS ::". Returns its path (static per Name). */
const char *TestFatFormat(const char *Name, const char *MformatArgs);
/*
 * Opens and mounts (Disk->SectorSize, when set, is the device's sector size); the status.
 * One volume at a time: mounting resets the allocation count and failure injection.
 */
NTSTATUS TestFatMountEx(const char *Path, PTEST_DISK Disk, PFAT_VOLUME *Volume, BOOLEAN ReadOnly);
/* The same, asserting success. */
PFAT_VOLUME TestFatMount(const char *Path, PTEST_DISK Disk);
/* Dismounts (asserting no FCB leaks) and closes. */
VOID TestFatUnmount(PFAT_VOLUME Volume, PTEST_DISK Disk);
extern FAT_MOUNT_PARAMETERS TestFatParameters;  /* the last mount's, for corrupt-BPB tests */

/* ---- memory and time ---- */

LONG TestFatLiveBlocks(VOID);
VOID TestFatFailAllocationAt(LONG Nth);       /* the Nth allocation from now returns NULL */
extern LONGLONG TestFatNow;                    /* what QuerySystemTime says (NT time) */
LONGLONG TestFatMakeTime(int Year, int Month, int Day, int Hour, int Minute, int Second, int Ms);

/* ---- names and files through the driver ---- */

/* UTF-8 to a UNICODE_STRING in a ring of static buffers. */
PUNICODE_STRING TestFatString(const char *Utf8);
/* UTF-16 (Length bytes) to UTF-8 in a ring of static buffers. */
const char *TestFatUtf8(PCWSTR Buffer, ULONG LengthBytes);
NTSTATUS TestFatCreate(PFAT_VOLUME Volume, const char *Path, ULONG Disposition, ULONG Options,
                       PFAT_FCB *Fcb);
/* Opens, reads the whole file (malloc'd; *Size), closes. */
PUCHAR TestFatReadFile(PFAT_VOLUME Volume, const char *Path, PULONG Size);
/* Creates or overwrites Path with Data. */
VOID TestFatWriteFile(PFAT_VOLUME Volume, const char *Path, const VOID *Data, ULONG Size);
/* Deterministic contents: byte Offset of stream Seed. */
UCHAR TestFatPattern(ULONG Seed, ULONG Offset);
PUCHAR TestFatPatternBuffer(ULONG Seed, ULONG Size);

/* ---- mtools ---- */

/* Runs a shell command (printf-style) with mtools' environment; its exit code. */
int TestFatRun(const char *Format, ...) __attribute__((format(printf, 1, 2)));
/* The same, capturing stdout (malloc'd, NUL-ended; *Size without the NUL). */
char *TestFatCapture(size_t *Size, const char *Format, ...) __attribute__((format(printf, 2, 3)));
/* A host file in the temporary directory, with contents; its path. */
const char *TestFatHostFile(const char *Name, const VOID *Data, size_t Size);
/* mtype's view of ::Path (malloc'd, *Size), NULL when mtype fails. */
PUCHAR TestFatMtype(const char *Image, const char *Path, size_t *Size);
/* Whether "mdir -a -b -/" lists exactly Path (e.g. "::/sub/Long Name.txt"). */
BOOLEAN TestFatMdirHas(const char *Image, const char *Path);
/* mdir's "bytes free". */
ULONGLONG TestFatMdirFree(const char *Image);
const char *TestFatTempDir(VOID);

/* ---- editing images behind the driver's back (test_fatedit.c) ---- */

/* A copy of From named Name in the temporary directory; its path. */
const char *TestFatCopyImage(const char *From, const char *Name);
VOID TestFatPatch(const char *Image, ULONGLONG Offset, const VOID *Bytes, ULONG Length);
VOID TestFatPeek(const char *Image, ULONGLONG Offset, PVOID Bytes, ULONG Length);
VOID TestFatPatch16(const char *Image, ULONGLONG Offset, ULONG Value);
VOID TestFatPatch32(const char *Image, ULONGLONG Offset, ULONG Value);
/* FAT entry Cluster, read from the first copy and written to every copy (FAT16/32). */
ULONG TestFatGetFatRaw(const char *Image, ULONG Cluster);
VOID TestFatSetFatRaw(const char *Image, ULONG Cluster, ULONG Value);
/* The byte offset of the short entry with this 11-byte name (first found), or ~0. */
ULONGLONG TestFatFindEntryRaw(const char *Image, const char *Name11);
/* The first cluster of Path, as the driver's FCB has it. */
ULONG TestFatFirstCluster(const char *Image, const char *Path);

/* ---- consistency (test_fatchk.c) ---- */

/*
 * Checks the whole image: FAT copies equal; every chain sound (no loop, no link to a
 * free or bad cluster) and exactly as long as its file; no cluster in two chains; no
 * lost cluster; "." and ".." right; long-name runs whole with the right checksums;
 * no two names alike in a directory; FSInfo's free count true. Prints what is wrong;
 * returns the number of problems. Also runs fsck.fat -n when it is installed.
 */
int TestFatCheck(const char *Image);
/* The free clusters the checker counted in the last TestFatCheck. */
extern ULONG TestFatCheckedFree;
