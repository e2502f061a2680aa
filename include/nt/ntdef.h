/*
 * ntdef.h - the basic NT types, shared by the kernel, ntdll and the host unit tests.
 *
 * The names and widths are NT's (ULONG is 32 bits, ULONG_PTR is pointer sized).
 * Only compiler-provided freestanding headers are used, so the same file builds
 * for the i386 kernel, for MinGW user images and for the host test programs.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

typedef void VOID, *PVOID;
typedef const void *PCVOID;

typedef char CHAR, *PCHAR, *PSTR;
typedef const char *PCSTR;
typedef unsigned char UCHAR, *PUCHAR;
typedef unsigned char BOOLEAN, *PBOOLEAN;
typedef short SHORT, *PSHORT;
typedef unsigned short USHORT, *PUSHORT;
typedef unsigned short WCHAR, *PWCHAR, *PWSTR;  /* UTF-16 code unit, as on Windows */
typedef const WCHAR *PCWSTR;
typedef long LONG, *PLONG;                      /* 32 bits on i386 */
typedef unsigned long ULONG, *PULONG;
/*
 * 64-bit integers are 8-byte aligned inside structures, as the Microsoft i386 ABI
 * (and so MinGW) lays them out; gcc's own i386 ABI would use 4. Every structure the
 * kernel shares with user mode then has the same layout on both sides.
 */
typedef long long LONGLONG __attribute__((aligned(8))), *PLONGLONG;
typedef unsigned long long ULONGLONG __attribute__((aligned(8))), *PULONGLONG;
typedef intptr_t LONG_PTR, *PLONG_PTR;
typedef uintptr_t ULONG_PTR, *PULONG_PTR;
typedef ULONG_PTR SIZE_T, *PSIZE_T;
typedef ULONG_PTR KAFFINITY;
typedef LONG NTSTATUS, *PNTSTATUS;
typedef PVOID HANDLE, *PHANDLE;
typedef ULONG ACCESS_MASK;
typedef UCHAR KIRQL, *PKIRQL;
typedef CHAR KPROCESSOR_MODE;

/* ntdef.h's limits of the 32-bit types. */
#define MINLONG  ((LONG)0x80000000)
#define MAXLONG  ((LONG)0x7FFFFFFF)
#define MAXULONG ((ULONG)0xFFFFFFFF)

/* The calling convention of the Nt and Zw entry points (stdcall: the callee pops its arguments). */
#define NTAPI __attribute__((stdcall))

#ifndef TRUE
#define TRUE  1
#define FALSE 0
#endif
#ifndef NULL
#define NULL ((void *)0)
#endif

#define NT_SUCCESS(Status)     ((NTSTATUS)(Status) >= 0)
#define NT_INFORMATION(Status) ((ULONG)(Status) >> 30 == 1)
#define NT_WARNING(Status)     ((ULONG)(Status) >> 30 == 2)
#define NT_ERROR(Status)       ((ULONG)(Status) >> 30 == 3)

#define FIELD_OFFSET(Type, Field) ((LONG)offsetof(Type, Field))
#define CONTAINING_RECORD(Address, Type, Field) \
    ((Type *)((PCHAR)(Address) - offsetof(Type, Field)))
#define RTL_NUMBER_OF(Array) (sizeof(Array) / sizeof((Array)[0]))
#define UNREFERENCED_PARAMETER(P) ((void)(P))

/* A compile-time check of a structure offset that NT (or our assembly) relies on. */
#define C_ASSERT_OFFSET(Type, Field, Offset) \
    _Static_assert(offsetof(Type, Field) == (Offset), #Type "." #Field " must be at " #Offset)
#define C_ASSERT_SIZE(Type, Size) \
    _Static_assert(sizeof(Type) == (Size), "sizeof(" #Type ") must be " #Size)

typedef union _LARGE_INTEGER {
    struct {
        ULONG LowPart;
        LONG HighPart;
    };
    LONGLONG QuadPart;
} LARGE_INTEGER, *PLARGE_INTEGER;

typedef union _ULARGE_INTEGER {
    struct {
        ULONG LowPart;
        ULONG HighPart;
    };
    ULONGLONG QuadPart;
} ULARGE_INTEGER, *PULARGE_INTEGER;

typedef struct _LIST_ENTRY {
    struct _LIST_ENTRY *Flink;
    struct _LIST_ENTRY *Blink;
} LIST_ENTRY, *PLIST_ENTRY;

typedef struct _SINGLE_LIST_ENTRY {
    struct _SINGLE_LIST_ENTRY *Next;
} SINGLE_LIST_ENTRY, *PSINGLE_LIST_ENTRY;

/* Counted strings: Length and MaximumLength are in bytes, the buffer need not end in NUL. */
typedef struct _STRING {
    USHORT Length;
    USHORT MaximumLength;
    PCHAR Buffer;
} STRING, ANSI_STRING, OEM_STRING, *PSTRING, *PANSI_STRING, *POEM_STRING;
typedef const STRING *PCANSI_STRING, *PCSTRING, *PCOEM_STRING;

typedef struct _UNICODE_STRING {
    USHORT Length;
    USHORT MaximumLength;
    PWSTR Buffer;
} UNICODE_STRING, *PUNICODE_STRING;
typedef const UNICODE_STRING *PCUNICODE_STRING;

/* Processor modes, as KPROCESSOR_MODE values. */
#define KernelMode 0
#define UserMode   1

#define PAGE_SIZE  0x1000UL
#define PAGE_SHIFT 12
#define BYTES_TO_PAGES(Size) (((Size) + PAGE_SIZE - 1) >> PAGE_SHIFT)
#define ROUND_TO_PAGES(Size) (((ULONG_PTR)(Size) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_ALIGN(Va)       ((PVOID)((ULONG_PTR)(Va) & ~(PAGE_SIZE - 1)))
