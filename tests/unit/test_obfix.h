/*
 * test_obfix.h - fixtures shared by the object manager's host tests (test_obfix.c):
 * the object manager started once per program (ObInitSystem, the real one), test
 * types whose procedures record their calls, a parse-procedure type, a fake process
 * type with the process issue's hooks, and helpers.
 *
 * Every test runs between TestObSetup and TestObTeardown, which check that the test
 * left no pool block, no handle in the kernel table and no hook behind.
 */
#pragma once

#include "test_obhost.h"
#include <ob.h>
#include "../../kernel/ob/obp.h"

/* TestObject's rights and generic mapping. */
#define TEST_QUERY          0x0001
#define TEST_MODIFY         0x0002
#define TEST_RUN            0x0004
#define TEST_ALL_ACCESS     (STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x0007)

/*
 * TestObject: case-sensitive names, every procedure recording.
 * TestGuarded: the same with an OkayToClose procedure (TestCalls.OkayToClose decides).
 * TestDevice: a parse procedure (TestParse decides what it does).
 * TestProcess: a body holding a handle table, for the process hooks.
 */
extern POBJECT_TYPE TestObjectType, TestGuardedType, TestDeviceType, TestProcessType;
/* TestPaged: paged pool, no procedures, OBJ_PERMANENT refused (InvalidAttributes). */
extern POBJECT_TYPE TestPagedType;

typedef struct _TEST_BODY {
    ULONG Payload[4];
} TEST_BODY, *PTEST_BODY;

typedef struct _TEST_PROCESS {
    PHANDLE_TABLE ObjectTable;
} TEST_PROCESS, *PTEST_PROCESS;

typedef struct _TEST_CALLS {
    ULONG Opens, Closes, Deletes, OkayToCloseCalls;
    OB_OPEN_REASON LastOpenReason;
    PEPROCESS LastOpenProcess, LastCloseProcess;
    ACCESS_MASK LastOpenAccess, LastCloseAccess;
    ULONG LastOpenHandleCount, LastCloseSystemCount, LastCloseProcessCount;
    PVOID LastDeleted;
    NTSTATUS OpenResult;        /* what the open procedure returns */
    BOOLEAN OkayToClose;        /* what TestGuarded's OkayToClose returns */
} TEST_CALLS;
extern TEST_CALLS TestCalls;

/* What TestDevice's parse procedure saw and does. */
typedef struct _TEST_PARSE {
    ULONG Calls;
    char Remaining[256];        /* RemainingName as ASCII */
    char Complete[256];         /* CompleteName as ASCII */
    PVOID ObjectType;
    ULONG Attributes;
    PVOID Context;
    KPROCESSOR_MODE AccessMode;
    /* The answer: ReparseTo (a new complete name) or Result with Object (referenced
       by the procedure when not NULL). */
    const char *ReparseTo;
    NTSTATUS Result;
    PVOID Object;
} TEST_PARSE;
extern TEST_PARSE TestParse;

int TestObSetup(void **State);
int TestObTeardown(void **State);

/* ObCreateObject + ObInsertObject of Type with a TEST_BODY (or TEST_PROCESS) body. */
NTSTATUS TestCreate(POBJECT_TYPE Type, const char *Name, ULONG Attributes, HANDLE Root, ACCESS_MASK Access,
                    PHANDLE Handle);
/* A new unnamed TestObject with a handle; returns the object (no reference kept). */
PVOID TestNewObject(ACCESS_MASK Access, PHANDLE Handle);
/* ObOpenObjectByName. */
NTSTATUS TestOpen(POBJECT_TYPE Type, const char *Name, ULONG Attributes, HANDLE Root, ACCESS_MASK Access,
                  PHANDLE Handle);
/* The object behind a kernel-mode handle (no reference kept), or NULL. */
PVOID TestObjectOf(HANDLE Handle);
LONG TestPointerCount(PVOID Object);
LONG TestHandleCount(PVOID Object);
/* The full name of a handle's object, as ASCII ("" when unnamed). */
const char *TestNameOf(HANDLE Handle);

/* A process object with its own table (ObInitProcess from ParentTable), one reference. */
PTEST_PROCESS TestCreateProcess(PHANDLE_TABLE ParentTable, BOOLEAN InheritHandles);
/* Its exit: every handle closed, the table gone (ObKillProcess). */
VOID TestKillProcess(PTEST_PROCESS Process);
/* Installs the hooks with Process (and Thread, optional) as the caller's; NULL removes them. */
VOID TestSetCurrentProcess(PTEST_PROCESS Process, PVOID Thread);

/* Directory object of a name, through a kernel handle: created fresh, temporary. */
NTSTATUS TestCreateDirectory(const char *Name, HANDLE Root, PHANDLE Handle);
NTSTATUS TestCreateLink(const char *Name, const char *Target, PHANDLE Handle);

/*
 * Runs Operation with the Nth pool allocation failing, for N = 1, 2, ... until it
 * runs with none failing, then Undo. Each failure must report
 * STATUS_INSUFFICIENT_RESOURCES and leave the pool, the kernel's handles and the
 * number of objects as they were. Operation must allocate more than
 * MinimumAllocations times.
 */
VOID TestSweepFailures(NTSTATUS (*Operation)(VOID), VOID (*Undo)(VOID), ULONG MinimumAllocations);
