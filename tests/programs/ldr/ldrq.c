/*
 * ldrq.c - the quiet chain for the loader benchmark (ldrq1 -> ldrq2 -> ldrq3):
 * built three times (mk/ldrtests.mk), each importing the next's LdrQValue
 * under LDR_NEXT, with a DllMain that only returns TRUE.
 */
#include "ldrtest.h"

#ifdef LDR_NEXT
ULONG LDR_NEXT(void);
#endif

__declspec(dllexport) ULONG LDR_SELF(void)
{
#ifdef LDR_NEXT
    return 1 + LDR_NEXT();
#else
    return 1;
#endif
}

BOOL WINAPI LdrQMain(HINSTANCE Instance, DWORD Reason, PVOID Reserved)
{
    (void)Instance;
    (void)Reason;
    (void)Reserved;
    return TRUE;
}
