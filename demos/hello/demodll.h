/*
 * demodll.h - what demodll.dll exports (demodll.c builds it; hello.c imports it
 * through the import library the DLL's link writes, libdemodll.a).
 */
#pragma once

#include <windows.h>

#ifdef DEMODLL_BUILD
#define DEMODLL_API __declspec(dllexport)
#else
#define DEMODLL_API __declspec(dllimport)
#endif

/* printf to the process's standard output (ntdll's _vsnprintf, then NtWriteFile). */
DEMODLL_API void __cdecl DemoPrint(const char *Format, ...) __attribute__((format(ms_printf, 1, 2)));
