/*
 * init.h - system start-up (init/): what runs once the processor is set up.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>
#include <arc.h>

/* Banner, boot facts, then what the boot options ask for (self-tests, benchmarks). */
VOID ExpInitializeExecutive(PLOADER_PARAMETER_BLOCK LoaderBlock);

/*
 * Ends the run: prints "exit status 0xXXXXXXXX" (the last line tools/qemu-run
 * reads) and, in test mode, leaves QEMU with success or failure by that status.
 * Outside test mode it halts.
 */
__attribute__((noreturn)) VOID ExShutdownSystem(NTSTATUS ExitStatus);

/* /INIT: runs the first user process to its end (initproc.c); *ExitStatus is its. */
NTSTATUS ExpRunInitialProcess(PNTSTATUS ExitStatus);

PCSTR KiMemoryTypeName(ULONG Type);
