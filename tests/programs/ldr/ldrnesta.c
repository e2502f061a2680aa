/*
 * ldrnesta.c - a DLL whose DllMain loads DLLs of its own (ldrtest.exe loads it
 * through ldrnestb.dll and ldrnestc.dll, which import it). Its nested LdrLoadDll
 * of ldrdyn must run only ldrdyn's DLL_PROCESS_ATTACH, not that of the DLLs still
 * waiting their turn in the outer load (ldrnestb notes whether its DllMain ran
 * while this one was still running); its LdrLoadDll of ldrfail.dll must get
 * STATUS_DLL_INIT_FAILED. LdrNestAResult tells ldrtest.exe what happened.
 */
#include "ldrtest.h"

static volatile BOOLEAN Attaching;
static ULONG Results[3];        /* the nested loads' statuses; 1 if ldrnestb attached too early */

__declspec(dllexport) VOID LdrNestANoteAttach(void)
{
    if (Attaching)
        Results[2] = 1;
}

__declspec(dllexport) ULONG LdrNestAResult(ULONG Index)
{
    return Index < 3 ? Results[Index] : 0xFFFFFFFF;
}

BOOL WINAPI LdrNestAMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    UNICODE_STRING Dyn = { 12, 14, (PWSTR)u"ldrdyn" }, Fail = { 14, 16, (PWSTR)u"ldrfail" };
    PVOID Base = NULL;

    (void)Instance;
    (void)Reserved;
    LdrTestLog("ldrnesta", Reason);
    if (Reason != DLL_PROCESS_ATTACH)
        return TRUE;
    Attaching = TRUE;
    Results[0] = (ULONG)LdrLoadDll(NULL, NULL, &Dyn, &Base);
    if (NT_SUCCESS(Results[0]))
        LdrUnloadDll(Base);
    Results[1] = (ULONG)LdrLoadDll(NULL, NULL, &Fail, &Base);
    Attaching = FALSE;
    return TRUE;
}
