/*
 * ntpsapi.h - the process and thread API that user mode sees (NT's ntpsapi.h).
 *
 * For now only what NtQueueApcThread takes; the process issue adds the rest
 * (PROCESS_BASIC_INFORMATION, the access rights, NtCreateProcess...).
 */
#pragma once

#include <nt/ntdef.h>

/* A user-mode APC's routine: called with the three arguments NtQueueApcThread was given. */
typedef VOID (*PPS_APC_ROUTINE)(PVOID ApcArgument1, PVOID ApcArgument2, PVOID ApcArgument3);
