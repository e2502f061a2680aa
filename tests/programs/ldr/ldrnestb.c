/* ldrnestb.c - imports ldrnesta.dll and tells it when its own DllMain runs (ldrnesta.c). */
#include "ldrtest.h"

VOID LdrNestANoteAttach(void);

BOOL WINAPI LdrNestBMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reserved;
    LdrTestLog("ldrnestb", Reason);
    if (Reason == DLL_PROCESS_ATTACH)
        LdrNestANoteAttach();
    return TRUE;
}
