# programs.mk - the user-mode test programs (tests/programs/*.c): real PE32 programs
# built with MinGW-w64 against its own headers and import libraries (-lntdll),
# exactly as a user builds for Windows, placed on the boot volume in C:\Tests\
# (mk/volume.mk) for the system tests to run with tools/qemu-run -- 'C:\Tests\x.exe'.
#
# Native programs (ntdll only): no C runtime, the entry point named per program
# (-e), the console subsystem.

PROGRAMS_CC     := i686-w64-mingw32-gcc
PROGRAMS_SRC    := tests/programs
PROGRAMS_DIR    := $(BUILD)/programs
PROGRAMS_CFLAGS := -O1 -nostdlib -ffreestanding -fno-asynchronous-unwind-tables -fno-stack-protector \
    -fno-builtin -Wall -Wextra -Werror -s -Wl,--no-insert-timestamp -Wl,--subsystem=console

# name:entry for each program.
PROGRAMS := hello:_HelloStart@4 empty:_EmptyStart@4 idle:_IdleStart@4 pstest:_PsTestStart@4 child:_ChildStart@4 \
    psrace:_PsRaceStart@4 heaptest:_HeapTestStart@4 heapbench:_HeapBenchStart@4 rtltest:_RtlTestStart@4 \
    rtlexec:_RtlExecStart@4 ntcrt:_NtCrtStart@4 synctest:_SyncTestStart@4 syncbench:_SyncBenchStart@4

# Programs that call ntdll's C library exports (_snprintf, strlen...) import them as a
# Windows program does, through MinGW's libntdllcrt.a, ahead of libntdll.a.
PROGRAMS_CRT := ntcrt

PROGRAM_EXES := $(foreach p,$(PROGRAMS),$(PROGRAMS_DIR)/$(firstword $(subst :, ,$(p))).exe)

define PROGRAM_RULE
$(PROGRAMS_DIR)/$(1).exe: $(PROGRAMS_SRC)/$(1).c $(PROGRAMS_SRC)/native.h $(PROGRAMS_SRC)/pstest.h mk/programs.mk
	@mkdir -p $$(@D)
	$$(call say,MINGW,$$@)
	$$(Q)$$(PROGRAMS_CC) $$(PROGRAMS_CFLAGS) -Wl,-e,$(2) -o $$@ $$< $(if $(filter $(1),$(PROGRAMS_CRT)),-lntdllcrt) -lntdll
endef
$(foreach p,$(PROGRAMS),$(eval $(call PROGRAM_RULE,$(firstword $(subst :, ,$(p))),$(lastword $(subst :, ,$(p))))))

# Programs of several files: scfuzz.exe, the system-call fuzzer, from every .c of
# tests/programs/scfuzz/ (one job each, sharing scfuzz.h), with the same flags.
SCFUZZ_SRCS := $(sort $(wildcard $(PROGRAMS_SRC)/scfuzz/*.c))
SCFUZZ_EXE  := $(PROGRAMS_DIR)/scfuzz.exe
$(SCFUZZ_EXE): $(SCFUZZ_SRCS) $(PROGRAMS_SRC)/scfuzz/scfuzz.h $(PROGRAMS_SRC)/native.h $(PROGRAMS_SRC)/pstest.h \
    mk/programs.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$@)
	$(Q)$(PROGRAMS_CC) $(PROGRAMS_CFLAGS) -Wl,-e,_ScFuzzStart@4 -o $@ $(SCFUZZ_SRCS) -lntdll
PROGRAM_EXES += $(SCFUZZ_EXE)

all: $(PROGRAM_EXES)

# For mk/volume.mk: one --add per program, into C:\Tests.
PROGRAM_VOLUME_ADDS := $(foreach e,$(PROGRAM_EXES),--add '$(e)=C:\Tests\$(notdir $(e))')
