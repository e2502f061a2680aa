/*
 * ldrnestc.c - imports ldrnesta.dll and refuses DLL_PROCESS_ATTACH: one load
 * initializes ldrnesta (whose DllMain loads DLLs of its own), then this one,
 * which fails. The load of ldrnestc must fail with STATUS_DLL_INIT_FAILED -
 * ldrnesta's nested loads must neither run this DllMain nor take its failure for
 * theirs - and leave neither DLL loaded.
 */
#include "ldrtest.h"

VOID LdrNestANoteAttach(void);

__declspec(dllexport) VOID LdrNestCValue(void)
{
    LdrNestANoteAttach();
}

BOOL WINAPI LdrNestCMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reserved;
    LdrTestLog("ldrnestc", Reason);
    return Reason != DLL_PROCESS_ATTACH;
}
