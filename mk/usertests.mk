# usertests.mk - ring-3 test programs for the kernel self-tests: assembled flat
# (they run at a fixed address in a scratch address space) and linked into the
# kernel as data by tests/kernel/user/userblobs.asm.

$(BUILD)/gen/svctest.bin: tests/kernel/user/svctest.asm $(BUILD)/gen/svcnum.inc
	@mkdir -p $(@D)
	$(call say,NASM,$<)
	$(Q)$(NASM) -f bin -I$(BUILD)/gen/ $< -o $@

$(BUILD)/gen/exctest.bin: tests/kernel/user/exctest.asm
	@mkdir -p $(@D)
	$(call say,NASM,$<)
	$(Q)$(NASM) -f bin $< -o $@

KERNEL_OBJS += $(BUILD)/obj/tests/kernel/user/userblobs.asm.o
$(BUILD)/obj/tests/kernel/user/userblobs.asm.o: $(BUILD)/gen/svctest.bin $(BUILD)/gen/exctest.bin
