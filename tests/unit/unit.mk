UNIT_TESTS += format
format_SRCS := kernel/rtl/format.c kernel/rtl/formatspec.c kernel/rtl/formatp.h kernel/rtl/string.c kernel/rtl/divide.c

UNIT_TESTS += time
time_SRCS := kernel/rtl/time.c kernel/rtl/divide.c kernel/rtl/string.c

UNIT_TESTS += string
string_SRCS := kernel/rtl/string.c

UNIT_TESTS += memdesc
memdesc_SRCS := kernel/init/memdesc.c kernel/rtl/string.c

UNIT_TESTS += multiboot
multiboot_SRCS := kernel/init/multiboot.c kernel/init/memdesc.c kernel/rtl/string.c

UNIT_TESTS += bootopt
bootopt_SRCS := kernel/init/bootopt.c kernel/init/loaderblock.c kernel/rtl/string.c

UNIT_TESTS += symbols
symbols_SRCS := kernel/kd/symbols.c kernel/kd/stackwalk.c kernel/rtl/string.c

UNIT_TESTS += pfn
# pfn.h is listed so that a change to it rebuilds the test (only the .c files are compiled).
pfn_SRCS := kernel/mm/pfnlist.c kernel/mm/pfn.h kernel/rtl/string.c

UNIT_TESTS += pool
# poolp.h is listed so that a change to it rebuilds the test (only the .c files are compiled).
pool_SRCS := kernel/ex/pool.c kernel/ex/poolchk.c kernel/ex/pooltag.c kernel/ex/poolbig.c kernel/ex/poolp.h kernel/rtl/string.c

UNIT_TESTS += vad
# vad.h is listed so that a change to it rebuilds the test (only the .c files are compiled).
vad_SRCS := kernel/mm/vadtree.c kernel/mm/vad.c kernel/mm/vadrange.c kernel/mm/vad.h

UNIT_TESTS += string_asm
string_asm_SRCS := kernel/rtl/string.c
string_asm_DEPS := tests/unit/test_string.c
string_asm_CFLAGS := -UNT_HOST_TEST

# The dispatcher objects, waits, timers and APCs (kernel/ke), with kehost.c playing
# the scheduler, IRQL, clock and bugcheck around them. waitp.h and kehost.h are
# listed so that a change to them rebuilds the tests.
KEWAIT_UNIT_SRCS := kernel/ke/wait.c kernel/ke/waitsup.c kernel/ke/event.c \
    kernel/ke/semphore.c kernel/ke/mutant.c kernel/ke/timerobj.c kernel/ke/timersup.c \
    kernel/ke/apc.c kernel/ke/alert.c kernel/ke/suspend.c kernel/ke/waitp.h \
    tests/unit/kehost.c tests/unit/kehost.h

UNIT_TESTS += wait
wait_SRCS := $(KEWAIT_UNIT_SRCS)

UNIT_TESTS += mutant
mutant_SRCS := $(KEWAIT_UNIT_SRCS)

UNIT_TESTS += timer
timer_SRCS := $(KEWAIT_UNIT_SRCS)

UNIT_TESTS += apc
apc_SRCS := $(KEWAIT_UNIT_SRCS)

UNIT_TESTS += handle
# test_obhost.c is the kernel around the code under test (pool, bugcheck, probes).
handle_SRCS := kernel/ex/handle.c tests/unit/test_obhost.c tests/unit/test_obhost.h

UNIT_TESTS += ob
OB_SRCS := kernel/ex/handle.c kernel/ex/capture.c kernel/ob/obinit.c kernel/ob/obtype.c kernel/ob/obcreate.c \
    kernel/ob/obinsert.c kernel/ob/obref.c kernel/ob/obhandle.c kernel/ob/obdup.c kernel/ob/oblookup.c \
    kernel/ob/obdir.c kernel/ob/oblink.c kernel/ob/obname.c kernel/ob/obquery.c kernel/ob/obp.h \
    tests/unit/test_obhost.c tests/unit/test_obhost.h tests/unit/test_obfix.c tests/unit/test_obfix.h
ob_SRCS := $(OB_SRCS)

UNIT_TESTS += obname
obname_SRCS := $(OB_SRCS)

UNIT_TESTS += obquery
obquery_SRCS := $(OB_SRCS)

UNIT_TESTS += excframe
# The exception frame KiDispatchException writes to the user stack and the #GP
# decoding of privileged instructions (kernel/ke/i386), pure logic; excframe.h is
# listed so that a change to it rebuilds the test.
excframe_SRCS := kernel/ke/i386/excframe.c kernel/ke/i386/privinst.c kernel/ke/i386/excframe.h \
    kernel/rtl/string.c

UNIT_TESTS += sched
# The scheduler (kernel/ke/thrdschd.c), with schedhost.c playing the processor
# around it: PRCB, IRQL and software interrupts, the context switch, DPCs.
# ki.h and schedhost.h are listed so that a change to them rebuilds the test.
sched_SRCS := kernel/ke/thrdschd.c kernel/ke/ki.h tests/unit/schedhost.c tests/unit/schedhost.h

UNIT_TESTS += obproc
obproc_SRCS := $(OB_SRCS)

UNIT_TESTS += gensvc
# tools/gensvc on tests/unit/gensvc_test.lst, into build/gen/test (rules in
# mk/services.mk): the generated tables are compiled in, the kernel Zw stubs
# assembled for the host and linked in (the object is passed with the flags), the
# ntdll stubs read as a flat binary. The test also runs the generator on bad lists.
gensvc_SRCS := $(BUILD)/gen/test/kisvctab.c $(BUILD)/gen/test/ntstatus_names.c
gensvc_DEPS := $(BUILD)/gen/test/ntapi.h $(BUILD)/gen/test/zwapi.h $(BUILD)/gen/test/zwstubs.o \
    $(BUILD)/gen/test/ntstubs.bin $(BUILD)/gen/test/svcnum.inc tools/gensvc tests/unit/gensvc_test.lst \
    mk/services.mk
gensvc_CFLAGS := -fno-pie -no-pie -I$(BUILD)/gen/test $(BUILD)/gen/test/zwstubs.o \
    -DGENSVC_TOOL='"$(CURDIR)/tools/gensvc"' -DGENSVC_STATUS='"$(CURDIR)/include/nt/ntstatus.h"' \
    -DGENSVC_GEN_DIR='"$(CURDIR)/$(BUILD)/gen/test"'

UNIT_TESTS += image
# The PE32 checker, mapper and export lookup (kernel/mm/image*.c) against images
# built with MinGW from tests/unit/images/ (rules and TEST_IMAGES in mk/images.mk);
# the test reads them from build/test-images and makes the malformed ones itself.
# image.h is listed so that a change to it rebuilds the test.
image_SRCS := kernel/mm/imagechk.c kernel/mm/imagemap.c kernel/mm/imageexp.c kernel/mm/image.h \
    kernel/rtl/string.c
image_DEPS := $(TEST_IMAGES) mk/images.mk
image_CFLAGS := -DTEST_IMAGE_DIR='"$(CURDIR)/$(IMAGES_DIR)"'

# The FAT file system's logic (kernel/io/fat), tested against images that mtools makes
# and reads back at test time (in a temporary directory under build/). test_fatfix.c
# is the world around the driver (disk, allocator, clock, mtools), test_fatedit.c
# damages images on purpose, test_fatchk.c is an independent consistency checker.
# Each program compiles the whole driver.
FAT_UNIT_SRCS := $(sort $(wildcard kernel/io/fat/*.c)) kernel/io/fat/fat.h kernel/io/fat/fatp.h \
    kernel/rtl/string.c kernel/rtl/time.c kernel/rtl/divide.c \
    tests/unit/test_fatfix.c tests/unit/test_fatedit.c tests/unit/test_fatchk.c tests/unit/test_fatfix.h
FAT_UNIT_CFLAGS := -Ikernel/io/fat -DFAT_TEST_BUILD_DIR='"$(CURDIR)/$(BUILD)"' -DFAT_TEST_SOURCE_DIR='"$(CURDIR)"'

UNIT_TESTS += fatname
fatname_SRCS := $(FAT_UNIT_SRCS)
fatname_CFLAGS := $(FAT_UNIT_CFLAGS)

UNIT_TESTS += fatread
fatread_SRCS := $(FAT_UNIT_SRCS)
fatread_CFLAGS := $(FAT_UNIT_CFLAGS)

UNIT_TESTS += fatwrite
fatwrite_SRCS := $(FAT_UNIT_SRCS)
fatwrite_CFLAGS := $(FAT_UNIT_CFLAGS)

UNIT_TESTS += fatren
fatren_SRCS := $(FAT_UNIT_SRCS)
fatren_CFLAGS := $(FAT_UNIT_CFLAGS)

UNIT_TESTS += fatfull
fatfull_SRCS := $(FAT_UNIT_SRCS)
fatfull_CFLAGS := $(FAT_UNIT_CFLAGS)

UNIT_TESTS += fatbad
fatbad_SRCS := $(FAT_UNIT_SRCS)
fatbad_CFLAGS := $(FAT_UNIT_CFLAGS)

UNIT_TESTS += fatcorrupt
fatcorrupt_SRCS := $(FAT_UNIT_SRCS)
fatcorrupt_CFLAGS := $(FAT_UNIT_CFLAGS)

UNIT_TESTS += fatfail
fatfail_SRCS := $(FAT_UNIT_SRCS)
fatfail_CFLAGS := $(FAT_UNIT_CFLAGS)

UNIT_TESTS += fatvol
fatvol_SRCS := $(FAT_UNIT_SRCS)
fatvol_DEPS := tools/mkvolume
fatvol_CFLAGS := $(FAT_UNIT_CFLAGS)

# The capture of process parameters (kernel/ps/psparams.c): normalized and not,
# NT 5's and NT 6's blocks, malformed ones refused.
UNIT_TESTS += psparams
psparams_SRCS := kernel/ps/psparams.c kernel/ps/psp.h kernel/rtl/string.c
psparams_DEPS := $(SVC_GEN)/ntapi.h $(SVC_GEN)/zwapi.h
psparams_CFLAGS := -I$(SVC_GEN)

# ntdll's heap (ntdll/rtl/heap*.c) on the host: test_heaphost.c plays the memory
# manager (mmap), the PEB, the lock and the raise (longjmp); ntdll's RtlRaiseStatus
# is compiled in. The headers are listed so that a change to them rebuilds the test.
UNIT_TESTS += heap
heap_SRCS := ntdll/rtl/heap.c ntdll/rtl/heapalloc.c ntdll/rtl/heapcheck.c ntdll/rtl/heapgrow.c \
    ntdll/rtl/heaplook.c ntdll/rtl/heaprealloc.c ntdll/rtl/raise.c ntdll/rtl/heapp.h ntdll/ntdllp.h \
    tests/unit/test_heaphost.c tests/unit/test_heaphost.h
