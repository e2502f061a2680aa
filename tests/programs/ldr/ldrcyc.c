/*
 * ldrcyc.c - two DLLs importing each other (mk/ldrtests.mk builds ldrcyca.dll and
 * ldrcycb.dll from it against import libraries made from .def files, since
 * neither can be linked first). LdrLoadDll of one loads both; LdrUnloadDll of it
 * must unload both, though each is imported by the other.
 */
#include "ldrtest.h"

#define LDR_QUOTE(Name) #Name
#define LDR_STRING(Name) LDR_QUOTE(Name)

ULONG LDR_OTHER(ULONG Depth);

__declspec(dllexport) ULONG LDR_SELF(ULONG Depth)
{
    return Depth == 0 ? LDR_VALUE : LDR_VALUE + LDR_OTHER(Depth - 1);
}

BOOL WINAPI LdrCycMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reserved;
    LdrTestLog(LDR_STRING(LDR_NAME), Reason);
    return TRUE;
}
