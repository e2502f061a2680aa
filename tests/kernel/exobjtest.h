/*
 * exobjtest.h - helpers shared by the self-tests of the synchronization objects
 * (exobjects.c: the objects; exobjwait.c: the waits by handle and the probes).
 * The tests call the Nt services directly from a kernel thread (PreviousMode
 * KernelMode), with handles in the kernel's table.
 */
#pragma once

#include "kethread.h"
#include "mmtest.h"
#include <ob.h>
#include <exobj.h>
#include <rtl.h>
#include "ntapi.h"

/* What must be as it was once a test has closed its handles. */
typedef struct _KST_EX_BASELINE {
    ULONG PoolBlocks;           /* pool blocks in use, both pools */
    ULONG Objects[4];           /* objects of each type: Event, Semaphore, Mutant, Timer */
    ULONG Handles[4];
    KST_MM_BASELINE Memory;     /* pages, system PTEs (thread stacks), pool pages */
} KST_EX_BASELINE;

VOID KstExTakeBaseline(KST_EX_BASELINE *Baseline);
/* KST_CHECK-style: fails the test when something was not given back, saying what. */
NTSTATUS KstExCheckBaseline(const KST_EX_BASELINE *Baseline, PCSTR Where);

/*
 * OBJECT_ATTRIBUTES for Path (NULL: unnamed) with Attributes (OBJ_KERNEL_HANDLE
 * is added unless Attributes has KST_USER_HANDLE: such handles are in the same
 * table but usable with PreviousMode UserMode). Name is the storage for the string.
 */
#define KST_USER_HANDLE 0x80000000UL
VOID KstExAttributes(POBJECT_ATTRIBUTES ObjectAttributes, PUNICODE_STRING Name, PCWSTR Path, ULONG Attributes);

/* The object a handle names (the reference is dropped at once: for comparisons). */
PVOID KstExObject(HANDLE Handle);

/* A thread that waits on one handle and keeps the status (for WaitForHandle). */
typedef struct _KST_WAITER {
    HANDLE Handle;
    LARGE_INTEGER Timeout;      /* 0 = no limit */
    volatile NTSTATUS Status;
    volatile BOOLEAN Done;
} KST_WAITER;
VOID KstExWaitForHandle(PVOID Context);
