# demos.mk - the demos (demos/): ring-3 programs that ship on the boot volume in
# C:\Windows\System32 (mk/volume.mk), built with MinGW-w64 exactly as a native
# program for Windows is (the README's "Writing a native program"): MinGW's own
# headers and import libraries (-lntdllcrt for ntdll's C library exports such as
# _vsnprintf, -lntdll), no C runtime, an entry point of their own (-e), the console
# subsystem.
#
#   ntsh.exe      the native shell `make run` starts as /INIT (demos/ntsh/)
#   hello.exe     a hello that imports demodll.dll, to show the loader (demos/hello/)
#   demodll.dll   the DLL it imports: DllMain prints its attach and detach
#   fault.exe     an access violation caught by an SEH frame, then not (demos/fault/)
#
# ntsh prints NT status names from include/nt/ntstatus.h, turned here into
# ntstatus.inc ({ 0xC0000034, "STATUS_OBJECT_NAME_NOT_FOUND" }, one per line), so
# the list has one source, as the kernel's trace names do.

DEMOS_CC     := i686-w64-mingw32-gcc
DEMOS_DIR    := $(BUILD)/demos
DEMOS_CFLAGS := -O1 -nostdlib -ffreestanding -fno-asynchronous-unwind-tables -fno-stack-protector \
    -fno-builtin -Wall -Wextra -Werror -s -Wl,--no-insert-timestamp
DEMOS_EXE_FLAGS := $(DEMOS_CFLAGS) -Wl,--subsystem=console
DEMOS_LIBS   := -lntdllcrt -lntdll

NTSH_SRCS := $(addprefix demos/ntsh/,ntsh.c run.c builtins.c output.c)

$(DEMOS_DIR)/ntsh/ntstatus.inc: include/nt/ntstatus.h mk/demos.mk
	@mkdir -p $(@D)
	$(call say,GEN,$@)
	$(Q)awk '/^#define STATUS_[A-Z0-9_]+ +\(\(NTSTATUS\)0x[0-9A-Fa-f]+L\)/ { \
	     v = $$3; sub(/^\(\(NTSTATUS\)/, "", v); sub(/L\)$$/, "", v); \
	     printf "    { %sUL, \"%s\" },\n", v, $$2 }' $< > $@.tmp
	$(Q)mv $@.tmp $@

$(DEMOS_DIR)/ntsh.exe: $(NTSH_SRCS) demos/ntsh/ntsh.h $(DEMOS_DIR)/ntsh/ntstatus.inc mk/demos.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$@)
	$(Q)$(DEMOS_CC) $(DEMOS_EXE_FLAGS) -I$(DEMOS_DIR)/ntsh -Wl,-e,_NtshStart@4 -o $@ $(NTSH_SRCS) $(DEMOS_LIBS)

# The DLL's link also writes its import library (libdemodll.a), which hello.exe links with.
$(DEMOS_DIR)/demodll.dll: demos/hello/demodll.c demos/hello/demodll.h mk/demos.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$@)
	$(Q)$(DEMOS_CC) $(DEMOS_CFLAGS) -shared -Wl,--enable-reloc-section -Wl,-e,_DemoDllMain@12 \
	    -Wl,--image-base=0x60000000 -Wl,--out-implib,$(DEMOS_DIR)/libdemodll.a -o $@ $< $(DEMOS_LIBS)

$(DEMOS_DIR)/hello.exe: demos/hello/hello.c demos/hello/demodll.h $(DEMOS_DIR)/demodll.dll mk/demos.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$@)
	$(Q)$(DEMOS_CC) $(DEMOS_EXE_FLAGS) -Wl,-e,_HelloStart@4 -o $@ $< -L$(DEMOS_DIR) -ldemodll $(DEMOS_LIBS)

$(DEMOS_DIR)/fault.exe: demos/fault/fault.c mk/demos.mk
	@mkdir -p $(@D)
	$(call say,MINGW,$@)
	$(Q)$(DEMOS_CC) $(DEMOS_EXE_FLAGS) -Wl,-e,_FaultStart@4 -o $@ $< $(DEMOS_LIBS)

DEMOS_FILES := $(addprefix $(DEMOS_DIR)/,ntsh.exe hello.exe demodll.dll fault.exe)
all: $(DEMOS_FILES)

# For mk/volume.mk: one --add per demo, into C:\Windows\System32.
DEMOS_VOLUME_ADDS := $(foreach f,$(DEMOS_FILES),--add '$(f)=C:\Windows\System32\$(notdir $(f))')
