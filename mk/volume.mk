# volume.mk - the boot volume, build/volume.img: a FAT16 disk image (tools/mkvolume,
# with mtools) that both boot paths hand the kernel as a Multiboot module, which the
# kernel keeps as a RAM disk (kernel/io/ramdisk.c). The GRUB CD carries it
# (tools/mkiso); tools/qemu-run passes it with -initrd, or a copy with its --add files.

VOLUME := $(BUILD)/volume.img

$(VOLUME): tools/mkvolume mk/volume.mk
	$(call say,VOLUME,$@)
	$(Q)tools/mkvolume -o $@

# Whatever boots the kernel needs the volume too.
all: $(VOLUME)
$(ISO): $(VOLUME)
run debug bench: $(VOLUME)
