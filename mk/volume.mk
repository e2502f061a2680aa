# volume.mk - the boot volume, build/volume.img: a FAT16 disk image (tools/mkvolume,
# with mtools) that both boot paths hand the kernel as a Multiboot module, which the
# kernel keeps as a RAM disk (kernel/io/ramdisk.c). The GRUB CD carries it
# (tools/mkiso); tools/qemu-run passes it with -initrd, or, for a run with --add
# files, a copy of it with those files added (tools/mkvolume --base).

VOLUME := $(BUILD)/volume.img

# The system's files go on with tools/mkvolume's --add HOSTFILE=C:\PATH (in single
# quotes, so the backslashes reach it as they are): ntdll.dll from mk/ntdll.mk, and
# the test programs from mk/programs.mk in C:\Tests, the loader's tests from
# mk/ldrtests.mk (C:\Tests and C:\Windows\System32), and the demos from mk/demos.mk
# (ntsh.exe, the shell `make run` starts, and the programs it can run) in
# C:\Windows\System32.
$(VOLUME): tools/mkvolume mk/volume.mk $(NTDLL_DLL) $(PROGRAM_EXES) $(LDR_VOLUME_FILES) $(DEMOS_FILES)
	$(call say,VOLUME,$@)
	$(Q)tools/mkvolume -o $@ --add '$(NTDLL_DLL)=C:\Windows\System32\ntdll.dll' $(PROGRAM_VOLUME_ADDS) $(LDR_VOLUME_ADDS) \
	    $(DEMOS_VOLUME_ADDS)

# Whatever boots the kernel needs the volume too.
all: $(VOLUME)
$(ISO): $(VOLUME)
run debug bench: $(VOLUME)
