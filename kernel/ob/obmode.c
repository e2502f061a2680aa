/*
 * obmode.c - ExGetPreviousMode: whether the current service was called from user
 * mode (NT: KeGetPreviousMode / ExGetPreviousMode, the thread's PreviousMode).
 *
 * Every Nt* service asks it, and probes and captures its arguments when the answer
 * is UserMode. There are no system calls yet, so every caller is the kernel itself:
 * the answer is KernelMode. The system-service issue replaces this with the current
 * thread's PreviousMode, which KiSystemService sets from the caller's CS. It lives
 * in its own file so that the host unit tests can supply their own answer.
 */
#include "obp.h"

KPROCESSOR_MODE ExGetPreviousMode(VOID)
{
    return KernelMode;
}
