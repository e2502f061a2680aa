/*
 * ldropt.c - a DLL ldrtest.exe imports, whose DllMain, while the process starts,
 * tries DLLs that may fail: ldrnone.dll (nowhere) and ldrfail.dll (its DllMain
 * fails). Both answers are normal for LdrLoadDll: nothing may be printed on
 * standard error (that line is for a process that cannot start), and the
 * process starts. LdrOptStatus gives ldrtest.exe the two statuses.
 */
#include "ldrtest.h"

static NTSTATUS Statuses[2];

__declspec(dllexport) ULONG LdrOptStatus(ULONG Index)
{
    return Index < 2 ? (ULONG)Statuses[Index] : 0xFFFFFFFF;
}

BOOL WINAPI LdrOptMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    UNICODE_STRING None = { 22, 24, (PWSTR)u"ldrnone.dll" }, Fail = { 14, 16, (PWSTR)u"ldrfail" };
    PVOID Base;

    (void)Instance;
    (void)Reserved;
    if (Reason == DLL_PROCESS_ATTACH) {
        Statuses[0] = LdrLoadDll(NULL, NULL, &None, &Base);
        Statuses[1] = LdrLoadDll(NULL, NULL, &Fail, &Base);
    }
    return TRUE;
}
