/*
 * kd.h - debug output and the kernel debugger's helpers: DbgPrint, the symbol
 * table embedded in the kernel, and stack walking for backtraces.
 */
#pragma once

#include <nt/ntdef.h>
#include <nt/ntstatus.h>

/* Formats like printf and writes to the serial port and the VGA screen. */
ULONG DbgPrint(PCSTR Format, ...) __attribute__((format(printf, 1, 2)));
ULONG vDbgPrint(PCSTR Format, va_list Args);
#define KdPrint(Args) DbgPrint Args

/* Raw output of a string to every debug device (serial and screen). */
VOID KdpWriteString(PCSTR String);
/* Serial only: used while the bugcheck screen owns the display. */
VOID KdpSerialWriteString(PCSTR String);

/*
 * The symbol table. tools/gensyms writes it from the linked kernel into .ksyms:
 * an array of function start addresses, sorted, with name offsets into one string
 * blob. KdLookupSymbol finds the function containing an address.
 */
typedef struct _KD_SYMBOL {
    ULONG Address;
    ULONG NameOffset;
} KD_SYMBOL, *PKD_SYMBOL;

typedef struct _KD_SYMBOL_TABLE {
    const KD_SYMBOL *Symbols;   /* sorted by Address */
    ULONG Count;
    const CHAR *Names;          /* NUL-separated */
    ULONG TextEnd;              /* addresses at or past this are not code */
} KD_SYMBOL_TABLE, *PKD_SYMBOL_TABLE;

/* Returns the name of the function containing Address and the offset into it, or NULL. */
PCSTR KdpLookupSymbolInTable(const KD_SYMBOL_TABLE *Table, ULONG Address, PULONG Offset);
PCSTR KdLookupSymbol(ULONG Address, PULONG Offset);
/* Address of a function by exact name, or 0 (used by tests and the debugger). */
ULONG KdpFindSymbolInTable(const KD_SYMBOL_TABLE *Table, PCSTR Name);
ULONG KdFindSymbol(PCSTR Name);

/*
 * Walks a chain of EBP frames: each frame holds [saved EBP, return address].
 * IsReadable is asked before any frame is read, so a corrupt chain ends the walk
 * instead of faulting. Calls Callback(Context, ReturnAddress) for the first
 * address (Eip) and each return address found; stops after MaxFrames.
 * Returns the number of addresses reported.
 */
typedef VOID (*PKD_FRAME_CALLBACK)(PVOID Context, ULONG Address);
typedef BOOLEAN (*PKD_IS_READABLE)(ULONG Address, ULONG Length);
ULONG KdpWalkFrames(ULONG Eip, ULONG Ebp, ULONG MaxFrames, PKD_IS_READABLE IsReadable,
                    PKD_FRAME_CALLBACK Callback, PVOID Context);

/* Boot-option driven settings (kd/kdinit.c). */
extern BOOLEAN KdTestMode;
VOID KdInitSystem(VOID);

/* ---- the system-call trace (kd/systrace.c) ---- */

/*
 * When TRUE, the dispatcher calls KiTraceSystemCall after every service. Set at
 * boot by the option /TRACE; switch it at run time by writing the variable (from
 * gdb: set var KdSystemCallTrace = 1).
 */
extern BOOLEAN KdSystemCallTrace;

/*
 * Prints "[pid.tid] NtName(0x..., ...) = STATUS_NAME" for the service just
 * returned. CallerArguments points at the caller's arguments (user or kernel
 * memory: read safely, "?" for an unreadable one). Called at PASSIVE_LEVEL.
 */
VOID KiTraceSystemCall(ULONG ServiceNumber, ULONG_PTR CallerArguments, NTSTATUS Status);
/* /TRACE's process and thread lines: "[pid] process created by ppid", ... */
VOID KdInitializeProcessTrace(VOID);

/* The name of a status ("STATUS_ACCESS_VIOLATION"), or NULL (generated from ntstatus.h). */
PCSTR KdStatusName(NTSTATUS Status);
