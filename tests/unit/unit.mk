UNIT_TESTS += format
format_SRCS := kernel/rtl/format.c kernel/rtl/string.c kernel/rtl/divide.c

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
