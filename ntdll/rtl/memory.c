/*
 * memory.c - the Rtl memory routines NT's x86 ntdll exports as functions
 * (winnt.h makes RtlZeroMemory & co. macros over memset/memmove, but programs that
 * import them by name, and MinGW's libntdll.a offers them, bind here):
 * RtlCompareMemory (the length of the equal prefix), RtlFillMemory,
 * RtlZeroMemory, RtlMoveMemory (overlap allowed).
 */
#include "rtlp.h"

SIZE_T NTAPI RtlCompareMemory(const VOID *Source1, const VOID *Source2, SIZE_T Length)
{
    const UCHAR *A = Source1, *B = Source2;
    SIZE_T Equal = 0;

    while (Equal < Length && A[Equal] == B[Equal])
        Equal++;
    return Equal;
}

VOID NTAPI RtlFillMemory(PVOID Destination, SIZE_T Length, UCHAR Fill)
{
    memset(Destination, Fill, Length);
}

VOID NTAPI RtlZeroMemory(PVOID Destination, SIZE_T Length)
{
    memset(Destination, 0, Length);
}

VOID NTAPI RtlMoveMemory(PVOID Destination, const VOID *Source, SIZE_T Length)
{
    memmove(Destination, Source, Length);
}
