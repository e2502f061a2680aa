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
