# NTLab: an NT-style i386 kernel. One entry point for building, running and testing.
#
#   make            build the kernel (build/ntoskrnl.elf) and the unit tests
#   make run        boot it in QEMU into the native shell, ntsh (serial console
#                   here; `exit` stops the machine, Ctrl-A X quits QEMU)
#   make test       every test: host unit tests and system tests in QEMU
#   make iso        the GRUB boot CD (build/ntlab.iso)
#   make debug      QEMU stopped at the first instruction, gdb attached
#   make bench      benchmarks under QEMU -icount (instructions), build/bench.json
#
# `make run` and `make test` first check the tools they need (tools/ensure-deps),
# installing missing Debian packages when they can.

BUILD    := build
CC       := gcc
NASM     := nasm
LD       := ld
PYTHON   := python3

# Quiet by default ("CC kernel/ke/clock.c"); make V=1 shows the full commands.
ifeq ($(V),1)
Q :=
say = @true
else
Q := @
say = @printf '  %-6s %s\n' $(1) $(2)
endif

KERNEL_ELF := $(BUILD)/ntoskrnl.elf
ISO        := $(BUILD)/ntlab.iso

INCLUDES := -Iinclude -Ikernel/include
KERNEL_CFLAGS := -m32 -std=gnu11 -ffreestanding -fno-pie -fno-stack-protector \
    -fno-omit-frame-pointer -mno-sse -mno-mmx -mno-80387 -fno-asynchronous-unwind-tables \
    -O2 -g -Wall -Wextra -Werror $(INCLUDES) -MMD -MP
NASMFLAGS := -f elf32 -g -F dwarf -I$(BUILD)/ -Iboot/
LDFLAGS   := -m elf_i386 -nostdlib -z noexecstack --no-warn-rwx-segments

# Host unit tests: the same 32-bit types as the kernel, cmocka from Debian (i386).
HOST_CFLAGS := -m32 -std=gnu11 -O1 -g -Wall -Wextra -Werror -DNT_HOST_TEST -fno-builtin $(INCLUDES)
HOST_LIBS   := -lcmocka

# Everything under kernel/ and the in-kernel tests/benchmarks is linked into the kernel.
ASMDEFS_SRC := kernel/ke/i386/asmdefs.c
KERNEL_C    := $(filter-out $(ASMDEFS_SRC), $(sort $(shell find kernel tests/kernel tests/bench -name '*.c')))
KERNEL_ASM  := boot/entry.asm boot/starthigh.asm $(sort $(shell find kernel -name '*.asm'))
KERNEL_OBJS := $(KERNEL_ASM:%.asm=$(BUILD)/obj/%.asm.o) $(KERNEL_C:%.c=$(BUILD)/obj/%.o)

# Generated kernel sources (build/gen/*.c, *.asm), added by the fragments included
# below; each fragment also has the rule that makes its files.
KERNEL_GEN_C   :=
KERNEL_GEN_ASM :=
.DEFAULT_GOAL := all    # whatever rule a fragment below defines first
-include $(wildcard mk/*.mk)
KERNEL_OBJS += $(KERNEL_GEN_ASM:$(BUILD)/gen/%.asm=$(BUILD)/obj/gen/%.asm.o) \
               $(KERNEL_GEN_C:$(BUILD)/gen/%.c=$(BUILD)/obj/gen/%.o)

.PHONY: all kernel unit iso run test debug bench deps clean
all: kernel unit

kernel: $(KERNEL_ELF)

# ---- generated: structure offsets for the assembly (see asmdefs.c) ----
$(BUILD)/asmdefs.inc: Makefile $(ASMDEFS_SRC) $(wildcard kernel/include/*.h kernel/include/i386/*.h include/nt/*.h)
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	$(Q)$(CC) $(filter-out -MMD -MP -g,$(KERNEL_CFLAGS)) -S -o $(BUILD)/asmdefs.s $(ASMDEFS_SRC)
	$(Q)awk '/^->/ { v = $$2 + 0; if (v < 0) v += 4294967296; \
	     printf "%%define %s %.0f\n", substr($$1, 3), v }' $(BUILD)/asmdefs.s > $@.tmp
	$(Q)mv $@.tmp $@

$(BUILD)/kernel.ld: boot/kernel.ld kernel/include/mmlayout.h
	@mkdir -p $(@D)
	$(Q)$(CC) -E -P -x c $(INCLUDES) $< -o $@

# Every object depends on this file, so a change of flags rebuilds everything.
$(BUILD)/obj/%.o: %.c Makefile
	@mkdir -p $(@D)
	$(call say,CC,$<)
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/obj/%.asm.o: %.asm $(BUILD)/asmdefs.inc Makefile
	@mkdir -p $(@D)
	$(call say,NASM,$<)
	$(Q)$(NASM) $(NASMFLAGS) $< -o $@

# ---- the kernel, linked twice: the second time with its own symbol table ----
# Pass 1 has an empty table; gensyms reads pass 1's functions; pass 2 links them
# in. .ksyms is the last section, so nothing before it moves between the passes,
# and gensyms --check proves it.
$(BUILD)/ksyms-empty.c: tools/gensyms
	@mkdir -p $(@D)
	$(Q)$(PYTHON) tools/gensyms --empty -o $@

$(BUILD)/kernel.pass1.elf: $(KERNEL_OBJS) $(BUILD)/obj/ksyms-empty.o $(BUILD)/kernel.ld
	$(call say,LD,$@)
	$(Q)$(LD) $(LDFLAGS) -T $(BUILD)/kernel.ld -o $@ $(KERNEL_OBJS) $(BUILD)/obj/ksyms-empty.o

$(BUILD)/ksyms.c: $(BUILD)/kernel.pass1.elf tools/gensyms
	$(call say,SYMS,$@)
	$(Q)$(PYTHON) tools/gensyms -o $@ $<

$(BUILD)/obj/ksyms-empty.o: $(BUILD)/ksyms-empty.c
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@
$(BUILD)/obj/ksyms.o: $(BUILD)/ksyms.c
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(KERNEL_ELF): $(KERNEL_OBJS) $(BUILD)/obj/ksyms.o $(BUILD)/kernel.ld
	$(call say,LD,$@)
	$(Q)$(LD) $(LDFLAGS) -T $(BUILD)/kernel.ld -o $@.tmp $(KERNEL_OBJS) $(BUILD)/obj/ksyms.o
	$(Q)$(PYTHON) tools/gensyms --check $(BUILD)/ksyms.c $@.tmp
	$(Q)mv $@.tmp $@

# ---- the GRUB boot CD ----
$(ISO): $(KERNEL_ELF) boot/grub.cfg tools/mkiso
	$(call say,ISO,$@)
	$(Q)tools/mkiso $(KERNEL_ELF) $@ ""

iso: deps $(ISO)

# ---- host unit tests (cmocka): tests/unit/unit.mk lists them and their sources ----
# (NAME_CFLAGS, when set, adds flags for one test program.)
include tests/unit/unit.mk
UNIT_BINS := $(UNIT_TESTS:%=$(BUILD)/unit/test_%)

# A test binary is rebuilt when its sources, any shared header, or the flags change.
# NAME_SRCS: kernel sources to compile in (headers listed there are only watched);
# NAME_DEPS: other files it depends on; NAME_CFLAGS: extra flags.
UNIT_HEADERS := $(wildcard include/nt/*.h include/nt/*.def kernel/include/*.h kernel/include/i386/*.h)
define UNIT_RULE
$(BUILD)/unit/test_$(1): tests/unit/test_$(1).c $$($(1)_SRCS) $$($(1)_DEPS) $$(UNIT_HEADERS) Makefile tests/unit/unit.mk
	@mkdir -p $$(@D)
	$$(call say,HOSTCC,$$@)
	$$(Q)$$(CC) $$(HOST_CFLAGS) $$($(1)_CFLAGS) -o $$@ tests/unit/test_$(1).c $$(filter %.c,$$($(1)_SRCS)) $$(HOST_LIBS)
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call UNIT_RULE,$(t))))

unit: $(UNIT_BINS)

# ---- the commands users type ----
deps:
	@tools/ensure-deps

# The shell, ntsh.exe (demos/ntsh), is the first user process: the session.
run: deps kernel
	tools/qemu-run --interactive -- 'C:\Windows\System32\ntsh.exe'

test: deps
	@$(MAKE) --no-print-directory all
	@$(PYTHON) tools/run-tests

debug: deps kernel
	tools/qemu-run --debug

bench: deps kernel
	$(PYTHON) tools/bench

clean:
	rm -rf $(BUILD)

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
