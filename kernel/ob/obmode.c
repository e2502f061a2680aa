/*
 * obmode.c - ExGetPreviousMode: whether the current service was called from user
 * mode (NT: KeGetPreviousMode / ExGetPreviousMode, the thread's PreviousMode).
 *
 * Every Nt* service asks it, and probes and captures its arguments when the answer
 * is UserMode. It is the current thread's PreviousMode, which KiSystemService sets
 * from the caller's CS (the kernel's Zw stubs enter with KernelMode). It lives in
 * its own file so that the host unit tests can supply their own answer.
 */
#include "obp.h"

KPROCESSOR_MODE ExGetPreviousMode(VOID)
{
    return KeGetPreviousMode();
}
