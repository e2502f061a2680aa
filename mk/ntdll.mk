# ntdll.mk - build/ntdll/ntdll.dll, the system DLL: a real PE32 DLL built with MinGW
# (i686-w64-mingw32-gcc, from tools/ensure-deps) from ntdll/ (C and NASM -f win32)
# and the generated system-service stubs, preferred base 0x7C900000 (XP's), no entry
# point (NT's ntdll has no DllMain), no timestamp (the same bytes on every build).
# mk/volume.mk puts it on the boot volume as C:\Windows\System32\ntdll.dll.
#
# Exports are by NT's undecorated names (NtClose, not _NtClose@4), so that programs
# linked with MinGW's own -lntdll bind to it. The export list is
# build/ntdll/ntdll.def: ntdll/ntdll.def (the Ki* and Ldr* entry points), followed
# by an NtXxx and a ZwXxx line per service, made from the NTSTUB lines of
# build/gen/ntstubs.asm - which tools/gensvc writes from include/nt/sysfuncs.lst, so
# the list stays the one source of the services, their stubs and their exports.
#
# Also the host unit tests (UNIT_TESTS below): tests/unit/test_ntdll.c, which checks
# the DLL with the kernel's PE code and against tests/unit/images/usentdll.c linked
# with MinGW's libntdll.a, and tests/unit/test_ntdllrun.c, which runs its code.

NTDLL_CC    := i686-w64-mingw32-gcc
NTDLL_DIR   := $(BUILD)/ntdll
NTDLL_DLL   := $(NTDLL_DIR)/ntdll.dll
NTDLL_DEF   := $(NTDLL_DIR)/ntdll.def
NTDLL_BASE  := 0x7C900000

# Written by mk/services.mk's rule (its SVC_NTSTUBS, not yet defined when this
# fragment is read: make expands a rule's prerequisites as it reads them).
NTDLL_SVC_STUBS := $(BUILD)/gen/ntstubs.asm

# User-mode code: nothing from a C library, no unwind tables, no stack probes
# (no function has a frame near a page), no compiler-version string in .rdata
# (-fno-ident), the NT headers from include/nt.
NTDLL_CFLAGS := -std=gnu11 -O2 -ffreestanding -fno-builtin -fno-stack-protector \
    -fno-asynchronous-unwind-tables -fno-ident -Wall -Wextra -Werror -Iinclude -MMD -MP
NTDLL_NASMFLAGS := -f win32
# -e 0: AddressOfEntryPoint 0, as NT's ntdll (ld takes an address as the entry).
# The base relocations are kept (--enable-reloc-section) although the kernel maps
# ntdll at its preferred base in every process: the DLL stays a well-formed,
# relocatable image, as NT's is.
NTDLL_LDFLAGS := -nostdlib -shared -s -Wl,--no-insert-timestamp -Wl,-e,0 \
    -Wl,--image-base=$(NTDLL_BASE) -Wl,--enable-reloc-section

NTDLL_C    := $(sort $(shell find ntdll -name '*.c'))
NTDLL_ASM  := $(sort $(shell find ntdll -name '*.asm'))
# The kernel's run-time library files ntdll shares rather than copies: the
# formatter behind _snprintf/_snwprintf/DbgPrint and the C library's memory and
# string routines (exported as NT's ntdll exports them), RtlTimeToTimeFields and
# RtlTimeFieldsToTime. They include <rtl.h>.
NTDLL_SHARED_C := kernel/rtl/format.c kernel/rtl/formatspec.c kernel/rtl/string.c kernel/rtl/divide.c kernel/rtl/time.c
NTDLL_OBJS := $(NTDLL_ASM:%.asm=$(NTDLL_DIR)/obj/%.asm.o) $(NTDLL_C:%.c=$(NTDLL_DIR)/obj/%.o) \
    $(NTDLL_SHARED_C:%.c=$(NTDLL_DIR)/obj/%.o) $(NTDLL_DIR)/obj/ntstubs.asm.o

all: $(NTDLL_DLL)

$(NTDLL_DLL): $(NTDLL_OBJS) $(NTDLL_DEF) mk/ntdll.mk
	$(call say,MINGW,$@)
	$(Q)$(NTDLL_CC) $(NTDLL_LDFLAGS) -o $@ $(NTDLL_OBJS) $(NTDLL_DEF)

# One "    NTSTUB Close, SVC_NtClose, 4" per service (name, number, argument bytes)
# becomes "NtClose = NtClose@4" and "ZwClose = ZwClose@4": exported undecorated,
# bound to the stdcall symbols _NtClose@4 / _ZwClose@4 of the win32 object.
$(NTDLL_DEF): ntdll/ntdll.def $(NTDLL_SVC_STUBS) mk/ntdll.mk
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	$(Q){ cat ntdll/ntdll.def; \
	      echo "; The system services (from $(NTDLL_SVC_STUBS), by mk/ntdll.mk)"; \
	      awk '$$1 == "NTSTUB" { name = $$2; sub(/,$$/, "", name); \
	           printf "    Nt%s = Nt%s@%s\n    Zw%s = Zw%s@%s\n", name, name, $$4, name, name, $$4 }' \
	          $(NTDLL_SVC_STUBS); } > $@.tmp
	$(Q)grep -q '^    Nt' $@.tmp || { echo "$@: no NTSTUB lines in $(NTDLL_SVC_STUBS)" >&2; exit 1; }
	$(Q)mv $@.tmp $@

$(NTDLL_C:%.c=$(NTDLL_DIR)/obj/%.o): $(NTDLL_DIR)/obj/%.o: %.c mk/ntdll.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$<)
	$(Q)$(NTDLL_CC) $(NTDLL_CFLAGS) -c $< -o $@

$(NTDLL_SHARED_C:%.c=$(NTDLL_DIR)/obj/%.o): $(NTDLL_DIR)/obj/%.o: %.c mk/ntdll.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$<)
	$(Q)$(NTDLL_CC) $(NTDLL_CFLAGS) -Ikernel/include -c $< -o $@

$(NTDLL_ASM:%.asm=$(NTDLL_DIR)/obj/%.asm.o): $(NTDLL_DIR)/obj/%.asm.o: %.asm mk/ntdll.mk
	@mkdir -p $(@D)
	$(call say,NASM,$<)
	$(Q)$(NASM) $(NTDLL_NASMFLAGS) $< -o $@

# The stubs: _NtXxx@N and _ZwXxx@N, the same code under both names.
$(NTDLL_DIR)/obj/ntstubs.asm.o: $(NTDLL_SVC_STUBS) mk/ntdll.mk
	@mkdir -p $(@D)
	$(call say,NASM,$<)
	$(Q)$(NASM) $(NTDLL_NASMFLAGS) $< -o $@

# ---- the host unit test (tests/unit/test_ntdll.c) ----
# The kernel's own PE code checks the DLL as the kernel will (image.h); the test
# reads include/nt/sysfuncs.lst itself for the services the DLL must export, and
# the imports of usentdll.exe, linked with MinGW's libntdll.a (never ours), for the
# names a MinGW program expects to find in ntdll.dll.
NTDLL_TEST_IMAGE := $(BUILD)/test-images/usentdll.exe

$(NTDLL_TEST_IMAGE): tests/unit/images/usentdll.c mk/ntdll.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$@)
	$(Q)$(NTDLL_CC) -O1 -nostdlib -ffreestanding -fno-asynchronous-unwind-tables \
	    -Wall -Wextra -Werror -s -Wl,--no-insert-timestamp -Wl,-e,_UseNtdllStart \
	    -o $@ $< -lntdll

UNIT_TESTS += ntdll
ntdll_SRCS := kernel/mm/imagechk.c kernel/mm/imagemap.c kernel/mm/imageexp.c kernel/mm/image.h \
    kernel/rtl/string.c
ntdll_DEPS := $(NTDLL_DLL) $(NTDLL_TEST_IMAGE) include/nt/sysfuncs.lst mk/ntdll.mk
ntdll_CFLAGS := -DTEST_NTDLL_PATH='"$(CURDIR)/$(NTDLL_DLL)"' \
    -DTEST_USENTDLL_PATH='"$(CURDIR)/$(NTDLL_TEST_IMAGE)"' \
    -DTEST_SERVICE_LIST='"$(CURDIR)/include/nt/sysfuncs.lst"'

# The built DLL's code run on the host (tests/unit/test_ntdllrun.c): exception
# dispatch, the APC and callback dispatchers, LdrInitializeThunk - mapped by the
# kernel's mapper into executable memory, fs given a fake TEB, a fake door at
# SharedUserData->SystemCall.
UNIT_TESTS += ntdllrun
ntdllrun_SRCS := kernel/mm/imagechk.c kernel/mm/imagemap.c kernel/mm/imageexp.c kernel/mm/image.h \
    kernel/rtl/string.c ntdll/ntdllp.h
ntdllrun_DEPS := $(NTDLL_DLL) mk/ntdll.mk
# (-no-pie: the test's own assembly, the entry into ntdll and the fake door,
# addresses its variables absolutely.)
ntdllrun_CFLAGS := -DTEST_NTDLL_PATH='"$(CURDIR)/$(NTDLL_DLL)"' -fno-pie -no-pie

# ntdll's runtime (ntdll/rtl: strings, paths, environment, process parameters,
# status mapping, formatting) compiled for the host around tests/unit/rtlhost.c,
# a fake PEB/TEB, heap, virtual memory and file system; rtl/rtlteb.c (fs) and the
# heap are left out. One program per area, each with all the sources.
RTL_UNIT_SRCS := $(addprefix ntdll/rtl/,ustring.c upcase.c convert.c nls.c status.c environ.c envexp.c \
    ustrnew.c astring.c downcase.c mbconv.c relname.c fileexist.c dosdev.c srchpath.c assert.c \
    crtmb.c crtpath.c crtscan.c crtconv.c crtsrch.c \
    pathtype.c fullpath.c ntpath.c curdir.c ppb.c printf.c dbgprint.c crtstr.c crtctype.c rtlp.h) \
    kernel/rtl/format.c kernel/rtl/formatspec.c kernel/rtl/formatp.h kernel/rtl/string.c kernel/rtl/divide.c tests/unit/rtlhost.c tests/unit/rtlhost.h
UNIT_TESTS += rtlpath rtlenv rtlstr rtlstatus rtlppb rtlfmt
rtlpath_SRCS := $(RTL_UNIT_SRCS)
rtlenv_SRCS := $(RTL_UNIT_SRCS)
rtlstr_SRCS := $(RTL_UNIT_SRCS)
rtlstatus_SRCS := $(RTL_UNIT_SRCS)
rtlppb_SRCS := $(RTL_UNIT_SRCS)
rtlfmt_SRCS := $(RTL_UNIT_SRCS)
