# The console's input logic (kernel/io/console): the PS/2 scan code translation and
# the line discipline, host-tested. conp.h is listed so that a change to it rebuilds
# the tests (only the .c files are compiled). This fragment is included before
# tests/unit/unit.mk and uses its NAME_SRCS convention.
CONSOLE_UNIT_SRCS := kernel/io/console/kbdmap.c kernel/io/console/conline.c \
    kernel/io/console/conp.h kernel/rtl/string.c

UNIT_TESTS += kbd
kbd_SRCS := $(CONSOLE_UNIT_SRCS)

UNIT_TESTS += conline
conline_SRCS := $(CONSOLE_UNIT_SRCS)
