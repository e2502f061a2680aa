/*
 * assert.c - RtlAssert, what NT's ASSERT macro calls when its expression is false.
 * A checked NT prints the assertion and asks the debugger whether to break,
 * ignore or end the process or thread; a free build's macro compiles to nothing,
 * and its exported RtlAssert does not stop the caller either. This one is the
 * free build's with the checked build's report: the lines go out through
 * DbgPrint (standard error), and the caller continues - a breakpoint with no
 * debugger to take it would end the process instead.
 */
#include "rtlp.h"

VOID NTAPI RtlAssert(PVOID FailedAssertion, PVOID FileName, ULONG LineNumber, PCHAR Message)
{
    DbgPrint("\n*** Assertion failed: %s%s\n***   Source File: %s, line %lu\n\n",
             Message != NULL ? Message : "", (PCSTR)FailedAssertion, (PCSTR)FileName, LineNumber);
}
