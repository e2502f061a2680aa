/*
 * rtlhost.h - the process around ntdll's runtime files when the host unit tests
 * compile them (tests/unit/test_rtl*.c): a fake PEB, TEB and process parameters
 * reached through RtlpCurrentPeb/RtlpCurrentTeb, the process heap on malloc
 * (counted, to find leaks), virtual memory on aligned_alloc (MEM_RELEASE frees
 * the allocation whose first page the address is in, as NtFreeVirtualMemory), and
 * NtOpenFile over a small fixed set of directories.
 */
#pragma once

#include "../../ntdll/rtl/rtlp.h"

extern PEB RtlHostPeb;
extern TEB RtlHostTeb;
extern RTL_USER_PROCESS_PARAMETERS RtlHostParameters;

/* Resets the fake process: current directory ("C:\Dir\", with its '\'),
   environment (a block the test owns, or NULL), no allocations outstanding. */
void RtlHostReset(PCWSTR CurrentDirectory, PCWSTR Environment);

/* Heap blocks and virtual memory allocations not freed yet. */
int RtlHostHeapBlocks(void);
int RtlHostVirtualBlocks(void);
/* A cmocka teardown: nothing the test allocated is left (heap blocks, virtual memory). */
int RtlHostCheckLeaks(void **State);

/* The NT names the fake file system knows as directories ("\??\C:\Dir"), and the
   handles NtOpenFile gave out and NtClose took back. */
extern int RtlHostOpenHandles;
/* The PEB lock: how deep it is held now, how often it was taken, and how deep it
   was held at the last NtOpenFile and at the last NtFreeVirtualMemory. */
extern int RtlHostPebLockDepth, RtlHostPebLockTaken, RtlHostPebLockAtOpen, RtlHostPebLockAtFree;
/* NtQueryAttributesFile's last question: the root directory handle and the name. */
extern HANDLE RtlHostQueryRoot;
extern WCHAR RtlHostQueryName[RTLP_MAX_PATH];
/* What NtWriteFile wrote, and to which handle. */
extern char RtlHostWritten[1024];
extern HANDLE RtlHostWrittenHandle;

/* A WCHAR string's bytes, for UNICODE_STRING-building in tests. */
#define RTL_HOST_USTR(Text) { sizeof(Text) - sizeof(WCHAR), sizeof(Text), (PWSTR)(Text) }

/* Compares a counted string with a NUL-terminated WCHAR literal, printing both on failure. */
void RtlHostAssertUstr(PCUNICODE_STRING Actual, PCWSTR Expected, const char *File, int Line);
#define assert_ustr(Actual, Expected) RtlHostAssertUstr((Actual), (Expected), __FILE__, __LINE__)
void RtlHostAssertWstr(PCWSTR Actual, PCWSTR Expected, const char *File, int Line);
#define assert_wstr(Actual, Expected) RtlHostAssertWstr((Actual), (Expected), __FILE__, __LINE__)
