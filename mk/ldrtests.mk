# ldrtests.mk - the loader's test DLLs and programs (tests/programs/ldr/), built with
# MinGW-w64 as a Windows developer builds them: -nostdlib -shared DLLs with their own
# DllMain (-e) and import libraries (--out-implib), programs linked with those and
# MinGW's own -lntdll. mk/volume.mk puts them on the boot volume through
# LDR_VOLUME_FILES / LDR_VOLUME_ADDS: the programs and most DLLs in C:\Tests, a
# second ldrord.dll and ldrsys.dll in C:\Windows\System32 and ldrwin.dll in
# C:\Windows (the search order), ldrpath.dll in C:\Tests\Path (found only through
# LdrLoadDll's own search path), ldrnone.dll nowhere (only its import library exists).
#
# Preferred bases are fixed so that ldrreloc.dll shares ldra.dll's (0x10000000) and
# must be relocated, and nothing else collides.

LDR_CC     := i686-w64-mingw32-gcc
LDR_TOOL   := i686-w64-mingw32-dlltool
LDR_SRC    := tests/programs/ldr
LDR_DIR    := $(BUILD)/ldr
LDR_CFLAGS := -O1 -nostdlib -ffreestanding -fno-asynchronous-unwind-tables -fno-stack-protector \
    -fno-builtin -Wall -Wextra -Werror -s -Wl,--no-insert-timestamp
LDR_DLL_FLAGS := $(LDR_CFLAGS) -shared -Wl,--enable-reloc-section
LDR_EXE_FLAGS := $(LDR_CFLAGS) -Wl,--subsystem=console
LDR_HEADERS   := $(LDR_SRC)/ldrtest.h tests/programs/native.h mk/ldrtests.mk

# $(call LDR_DLL,output,source,entry,base,extra flags and libraries,extra prerequisites)
define LDR_DLL
$(1): $(2) $(6) $(LDR_HEADERS)
	@mkdir -p $$(@D)
	$$(call say,MINGW,$$@)
	$$(Q)$$(LDR_CC) $$(LDR_DLL_FLAGS) -Wl,-e,$(3) -Wl,--image-base=$(4) \
	    -Wl,--out-implib,$$(LDR_DIR)/lib$$(basename $$(notdir $$@)).a -o $$@ $(2) -L$$(LDR_DIR) $(5) -lntdll
endef

$(eval $(call LDR_DLL,$(LDR_DIR)/ldrc.dll,$(LDR_SRC)/ldrc.c,_LdrCMain@12,0x10200000,))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrb.dll,$(LDR_SRC)/ldrb.c $(LDR_SRC)/ldrb.def,_LdrBMain@12,0x10100000,-lldrc,$(LDR_DIR)/ldrc.dll))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldra.dll,$(LDR_SRC)/ldra.c $(LDR_SRC)/ldra.def,_LdrAMain@12,0x10000000,-lldrb,$(LDR_DIR)/ldrb.dll))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrreloc.dll,$(LDR_SRC)/ldrreloc.c,_LdrRelocMain@12,0x10000000,))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrord.dll,$(LDR_SRC)/ldrwhere.c,_LdrWhereMain@12,0x10300000,-DLDR_WHERE=1 -DLDR_EXPORT=LdrOrdWhere))
$(eval $(call LDR_DLL,$(LDR_DIR)/sys/ldrord.dll,$(LDR_SRC)/ldrwhere.c,_LdrWhereMain@12,0x10300000,-DLDR_WHERE=2 -DLDR_EXPORT=LdrOrdWhere))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrsys.dll,$(LDR_SRC)/ldrwhere.c,_LdrWhereMain@12,0x10400000,-DLDR_WHERE=2 -DLDR_EXPORT=LdrSysWhere))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrwin.dll,$(LDR_SRC)/ldrwhere.c,_LdrWhereMain@12,0x10A00000,-DLDR_WHERE=3 -DLDR_EXPORT=LdrWinWhere))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrpath.dll,$(LDR_SRC)/ldrwhere.c,_LdrWhereMain@12,0x10B00000,-DLDR_WHERE=4 -DLDR_EXPORT=LdrPathWhere))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrdyn.dll,$(LDR_SRC)/ldrdyn.c,_LdrDynMain@12,0x10500000,-lldrc,$(LDR_DIR)/ldrc.dll))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrfail.dll,$(LDR_SRC)/ldrfail.c,_LdrFailMain@12,0x10600000,))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrq3.dll,$(LDR_SRC)/ldrq.c,_LdrQMain@12,0x10900000,-DLDR_SELF=LdrQ3Value))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrq2.dll,$(LDR_SRC)/ldrq.c,_LdrQMain@12,0x10800000,-DLDR_SELF=LdrQ2Value -DLDR_NEXT=LdrQ3Value -lldrq3,$(LDR_DIR)/ldrq3.dll))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrq1.dll,$(LDR_SRC)/ldrq.c,_LdrQMain@12,0x10700000,-DLDR_SELF=LdrQ1Value -DLDR_NEXT=LdrQ2Value -lldrq2,$(LDR_DIR)/ldrq2.dll))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrouter.dll,$(LDR_SRC)/ldrouter.c,_LdrOuterMain@12,0x10C00000,))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrnesta.dll,$(LDR_SRC)/ldrnesta.c,_LdrNestAMain@12,0x10D00000,))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrnestb.dll,$(LDR_SRC)/ldrnestb.c,_LdrNestBMain@12,0x10E00000,-lldrnesta,$(LDR_DIR)/ldrnesta.dll))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrnestc.dll,$(LDR_SRC)/ldrnestc.c,_LdrNestCMain@12,0x10F00000,-lldrnesta,$(LDR_DIR)/ldrnesta.dll))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrcyca.dll,$(LDR_SRC)/ldrcyc.c,_LdrCycMain@12,0x11000000,\
    -DLDR_NAME=ldrcyca -DLDR_SELF=LdrCycAValue -DLDR_OTHER=LdrCycBValue -DLDR_VALUE=1 -lldrcycbdef,\
    $(LDR_DIR)/libldrcycbdef.a))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrcycb.dll,$(LDR_SRC)/ldrcyc.c,_LdrCycMain@12,0x11100000,\
    -DLDR_NAME=ldrcycb -DLDR_SELF=LdrCycBValue -DLDR_OTHER=LdrCycAValue -DLDR_VALUE=10 -lldrcycadef,\
    $(LDR_DIR)/libldrcycadef.a))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldropt.dll,$(LDR_SRC)/ldropt.c,_LdrOptMain@12,0x11200000,))
# DllMains that raise (ldrraise.c): in process attach; inside a nested LdrLoadDll; in
# the thread reasons and process detach (bits are 1 << the DLL_* reason).
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrraisea.dll,$(LDR_SRC)/ldrraise.c,_LdrRaiseMain@12,0x11400000,\
    -DLDR_NAME=ldrraisea -DLDR_RAISE_ON=0x2))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrraisen.dll,$(LDR_SRC)/ldrraise.c,_LdrRaiseMain@12,0x11500000,\
    -DLDR_NAME=ldrraisen -DLDR_RAISE_ON=0 -DLDR_RAISE_NESTED))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrraised.dll,$(LDR_SRC)/ldrraise.c,_LdrRaiseMain@12,0x11600000,\
    -DLDR_NAME=ldrraised -DLDR_RAISE_ON=0xD))
$(eval $(call LDR_DLL,$(LDR_DIR)/ldrexp.dll,$(LDR_SRC)/ldrexp.c $(LDR_SRC)/ldrexp.def,_LdrExpMain@12,0x11300000,))

# ldrexp.dll with its first name's ordinal beyond the function table (badexport.py).
$(LDR_DIR)/ldrbadexp.dll: $(LDR_DIR)/ldrexp.dll $(LDR_SRC)/badexport.py
	$(call say,PATCH,$@)
	$(Q)$(PYTHON) $(LDR_SRC)/badexport.py $< $@

# Images whose tables point outside them (badimage.py): ldrdyn.dll with its first
# import descriptor's DLL name, or its first import's name, far away; ldrexp.dll with
# its first export name far away.
$(LDR_DIR)/ldrbadimp.dll: $(LDR_DIR)/ldrdyn.dll $(LDR_SRC)/badimage.py
	$(call say,PATCH,$@)
	$(Q)$(PYTHON) $(LDR_SRC)/badimage.py $< $@ import-name
$(LDR_DIR)/ldrbadthk.dll: $(LDR_DIR)/ldrdyn.dll $(LDR_SRC)/badimage.py
	$(call say,PATCH,$@)
	$(Q)$(PYTHON) $(LDR_SRC)/badimage.py $< $@ import-thunk
$(LDR_DIR)/ldrbadnam.dll: $(LDR_DIR)/ldrexp.dll $(LDR_SRC)/badimage.py
	$(call say,PATCH,$@)
	$(Q)$(PYTHON) $(LDR_SRC)/badimage.py $< $@ export-name

# The two halves of an import cycle link against libraries made from .def files
# (named apart from the --out-implib ones, which each DLL's own link rewrites).
$(LDR_DIR)/libldrcycadef.a: $(LDR_SRC)/ldrcyca.def mk/ldrtests.mk
	@mkdir -p $(@D)
	$(call say,DLLTOOL,$@)
	$(Q)$(LDR_TOOL) -d $< -l $@
$(LDR_DIR)/libldrcycbdef.a: $(LDR_SRC)/ldrcycb.def mk/ldrtests.mk
	@mkdir -p $(@D)
	$(call say,DLLTOOL,$@)
	$(Q)$(LDR_TOOL) -d $< -l $@

# System32's ldrord.dll must not overwrite the import library of C:\Tests's (the same exports).
$(LDR_DIR)/sys/ldrord.dll: LDR_DIR := $(LDR_DIR)/sys

# Import libraries of DLLs that lie: ldrnone.dll does not exist, ldra.dll lacks these.
$(LDR_DIR)/libldrnone.a: $(LDR_SRC)/ldrmiss.def mk/ldrtests.mk
	@mkdir -p $(@D)
	$(call say,DLLTOOL,$@)
	$(Q)$(LDR_TOOL) -d $< -l $@
$(LDR_DIR)/libldramiss.a: $(LDR_SRC)/ldramiss.def mk/ldrtests.mk
	@mkdir -p $(@D)
	$(call say,DLLTOOL,$@)
	$(Q)$(LDR_TOOL) -d $< -l $@
$(LDR_DIR)/libldrjunk.a: $(LDR_SRC)/ldrjunk.def mk/ldrtests.mk
	@mkdir -p $(@D)
	$(call say,DLLTOOL,$@)
	$(Q)$(LDR_TOOL) -d $< -l $@

# $(call LDR_EXE,output,source,entry,flags and libraries,prerequisites)
define LDR_EXE
$(1): $(2) $(5) $(LDR_HEADERS)
	@mkdir -p $$(@D)
	$$(call say,MINGW,$$@)
	$$(Q)$$(LDR_CC) $$(LDR_EXE_FLAGS) -Wl,-e,$(3) -o $$@ $(2) -L$$(LDR_DIR) $(4) -lntdll
endef

$(eval $(call LDR_EXE,$(LDR_DIR)/ldrtest.exe,$(LDR_SRC)/ldrtest.c,_LdrTestStart@4,-lldra -lldrord -lldrsys -lldrwin -lldrreloc -lldropt,\
    $(LDR_DIR)/ldra.dll $(LDR_DIR)/ldrord.dll $(LDR_DIR)/ldrsys.dll $(LDR_DIR)/ldrwin.dll $(LDR_DIR)/ldrreloc.dll \
    $(LDR_DIR)/ldropt.dll))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrlast.exe,$(LDR_SRC)/ldrlast.c,_LdrLastStart@4,-lldra,$(LDR_DIR)/ldra.dll))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrmiss.exe,$(LDR_SRC)/ldrbad.c,_LdrBadStart@4,-DLDR_IMPORT=LdrNoneValue -lldrnone,$(LDR_DIR)/libldrnone.a))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrnoent.exe,$(LDR_SRC)/ldrbad.c,_LdrBadStart@4,-DLDR_IMPORT=LdrAMissing -lldramiss,$(LDR_DIR)/libldramiss.a))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrnoord.exe,$(LDR_SRC)/ldrbad.c,_LdrBadStart@4,-DLDR_IMPORT=LdrANinetyNine -lldramiss,$(LDR_DIR)/libldramiss.a))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrinitf.exe,$(LDR_SRC)/ldrbad.c,_LdrBadStart@4,-DLDR_IMPORT=LdrFailValue -lldrfail,$(LDR_DIR)/ldrfail.dll))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrtlsbad.exe,$(LDR_SRC)/ldrtlsbad.c,_LdrTlsBadStart@4,))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrtlsidx.exe,$(LDR_SRC)/ldrtlsbad.c,_LdrTlsBadStart@4,-DLDR_TLS_CASE=1))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrtlscb.exe,$(LDR_SRC)/ldrtlsbad.c,_LdrTlsBadStart@4,-DLDR_TLS_CASE=2))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrjunk.exe,$(LDR_SRC)/ldrbad.c,_LdrBadStart@4,-DLDR_IMPORT=LdrJunkValue -lldrjunk,$(LDR_DIR)/libldrjunk.a))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrbench0.exe,$(LDR_SRC)/ldrbench.c,_LdrBenchStart@4,))
$(eval $(call LDR_EXE,$(LDR_DIR)/ldrbench3.exe,$(LDR_SRC)/ldrbench.c,_LdrBenchStart@4,-DLDR_CHAIN -lldrq1,$(LDR_DIR)/ldrq1.dll))

LDR_TESTS_FILES := $(addprefix $(LDR_DIR)/,ldra.dll ldrb.dll ldrc.dll ldrreloc.dll ldrord.dll ldrdyn.dll \
    ldrfail.dll ldrq1.dll ldrq2.dll ldrq3.dll ldrtest.exe ldrlast.exe ldrmiss.exe ldrnoent.exe ldrnoord.exe ldrinitf.exe \
    ldrjunk.exe ldrbench0.exe ldrbench3.exe ldrouter.dll ldrnesta.dll ldrnestb.dll ldrnestc.dll ldrcyca.dll \
    ldrcycb.dll ldropt.dll ldrexp.dll ldrbadexp.dll ldrtlsbad.exe ldrbadimp.dll ldrbadthk.dll ldrbadnam.dll \
    ldrraisea.dll ldrraisen.dll ldrraised.dll ldrtlsidx.exe ldrtlscb.exe)
# A folder whose name makes the path of the ldrq3.dll copy in it 267 characters,
# longer than RTL_PROCESS_MODULE_INFORMATION's 256-byte FullPathName.
LDR_DECADE   := 0123456789
LDR_LONG_DIR := LongPath$(subst x,$(LDR_DECADE),xxxxxxxxxxxxxxxxxxxxxxxx)
LDR_SYSTEM_FILES := $(LDR_DIR)/sys/ldrord.dll $(LDR_DIR)/ldrsys.dll
LDR_VOLUME_FILES := $(LDR_TESTS_FILES) $(LDR_SYSTEM_FILES) $(LDR_DIR)/ldrwin.dll $(LDR_DIR)/ldrpath.dll \
    $(LDR_SRC)/ldrjunk.txt
LDR_VOLUME_ADDS := $(foreach f,$(LDR_TESTS_FILES),--add '$(f)=C:\Tests\$(notdir $(f))') \
    --add '$(LDR_SRC)/ldrjunk.txt=C:\Tests\ldrjunk.dll' \
    $(foreach f,$(LDR_SYSTEM_FILES),--add '$(f)=C:\Windows\System32\$(notdir $(f))') \
    --add '$(LDR_DIR)/ldrwin.dll=C:\Windows\ldrwin.dll' --add '$(LDR_DIR)/ldrpath.dll=C:\Tests\Path\ldrpath.dll' \
    --add '$(LDR_DIR)/ldrq3.dll=C:\Tests\$(LDR_LONG_DIR)\ldrq3.dll'

all: $(LDR_VOLUME_FILES)
