; userblobs.asm - the ring-3 test programs, linked into the kernel as data
; (built flat from tests/kernel/user/*.asm by mk/usertests.mk).

section .rodata
align 16
global KstSvcTestBlob, KstSvcTestBlobEnd
KstSvcTestBlob:
    incbin "gen/svctest.bin"
KstSvcTestBlobEnd:

align 16
global KxtExcTestBlob, KxtExcTestBlobEnd
KxtExcTestBlob:
    incbin "gen/exctest.bin"
KxtExcTestBlobEnd:
