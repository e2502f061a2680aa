# images.mk - test images for the PE32 checker, mapper and export lookup
# (tests/unit/test_image.c): the tiny programs in tests/unit/images/, built with
# MinGW (i686-w64-mingw32-gcc, from tools/ensure-deps) into build/test-images/.
# They are never run, only checked and mapped, so they link nothing but kernel32's
# import library, and carry no timestamp (the same bytes on every build).
#
#   imgexe.exe     imports, base relocations, .bss, exports; stack 2 MB / 12 KB,
#                  console subsystem 5.1
#   imgdll.dll     a DLL at 0x6F000000 exporting by name, by ordinal only, data and a
#                  forwarder (imgdll.def)
#   imgfixed.exe   relocations stripped: loads at its preferred base or not at all
#   imgflat.exe    aligned on 512 bytes in memory and in the file (RVA = file offset)
#
# TEST_IMAGES lists them for the unit test's prerequisites (tests/unit/unit.mk).

IMAGES_CC     := i686-w64-mingw32-gcc
IMAGES_SRC    := tests/unit/images
IMAGES_DIR    := $(BUILD)/test-images
IMAGES_CFLAGS := -O1 -nostdlib -ffreestanding -fno-asynchronous-unwind-tables \
    -Wall -Wextra -Werror -s -Wl,--no-insert-timestamp

TEST_IMAGES := $(addprefix $(IMAGES_DIR)/,imgexe.exe imgdll.dll imgfixed.exe imgflat.exe)

# (-Xlinker for --stack: -Wl would split its "reserve,commit" at the comma.)
$(IMAGES_DIR)/imgexe.exe: $(IMAGES_SRC)/imgexe.c mk/images.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$@)
	$(Q)$(IMAGES_CC) $(IMAGES_CFLAGS) -Wl,-e,_ImageStart -Wl,--dynamicbase \
	    -Xlinker --stack=0x200000,0x3000 -Wl,--subsystem=console:5.1 -o $@ $< -lkernel32

$(IMAGES_DIR)/imgdll.dll: $(IMAGES_SRC)/imgdll.c $(IMAGES_SRC)/imgdll.def mk/images.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$@)
	$(Q)$(IMAGES_CC) $(IMAGES_CFLAGS) -shared -Wl,-e,_DllEntry@12 -Wl,--image-base=0x6F000000 \
	    -o $@ $(IMAGES_SRC)/imgdll.c $(IMAGES_SRC)/imgdll.def

$(IMAGES_DIR)/imgfixed.exe: $(IMAGES_SRC)/imgplain.c mk/images.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$@)
	$(Q)$(IMAGES_CC) $(IMAGES_CFLAGS) -Wl,-e,_PlainStart -Wl,--disable-dynamicbase \
	    -Wl,--disable-reloc-section -o $@ $<

$(IMAGES_DIR)/imgflat.exe: $(IMAGES_SRC)/imgplain.c mk/images.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$@)
	$(Q)$(IMAGES_CC) $(IMAGES_CFLAGS) -Wl,-e,_PlainStart -Wl,--dynamicbase \
	    -Wl,--section-alignment=0x200 -Wl,--file-alignment=0x200 -o $@ $<
