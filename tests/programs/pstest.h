/*
 * pstest.h - what pstest.exe (the parent) and child.exe (its children) share: the
 * shared page a child reports through (a section named in \BaseNamedObjects, made
 * by the parent, opened by the child), and small helpers for programs without a C
 * library.
 */
#pragma once

#include "native.h"

#define PST_SHARED_NAME  L"\\BaseNamedObjects\\NtLabPsTest"
#define PST_CHILD_DOS    L"C:\\Tests\\child.exe"
#define PST_CHILD_NT     L"\\??\\C:\\Tests\\child.exe"

/* What a child writes for its parent to check (one page). */
typedef struct _PST_SHARED {
    volatile LONG Ran;              /* incremented by "flag" and "spin" */
    ULONG Pid;                      /* "report": the TEB's ClientId */
    ULONG Tid;
    ULONG ParentPid;                /* its own ProcessBasicInformation */
    ULONG Peb;                      /* fs:[30h] */
    ULONG PebFromQuery;             /* ProcessBasicInformation.PebBaseAddress */
    ULONG ImageBase;                /* PEB.ImageBaseAddress */
    ULONG EntryParameter;           /* what the entry point was called with */
    ULONG Parameters;               /* PEB.ProcessParameters */
    ULONG ParametersFlags;
    ULONG StandardOutput;
    ULONG StackBase, StackLimit;    /* the TEB's NT_TIB */
    ULONG CommandLineLength;        /* characters */
    WCHAR CommandLine[128];
    ULONG ImagePathLength;
    WCHAR ImagePath[64];
    ULONG VectoredCalls;            /* "vectored": the handler's view */
    ULONG VectoredCode;
    ULONG VectoredAddress;
} PST_SHARED;

/* A constant UNICODE_STRING from a wide literal. */
#define PST_STRING(Literal) { sizeof(Literal) - sizeof(WCHAR), sizeof(Literal), (PWSTR)(Literal) }

/* gcc may call these for structure copies and initializers even without a C library. */
void *memset(void *Destination, int Value, size_t Count);
void *memcpy(void *Destination, const void *Source, size_t Count);

#define PST_DEFINE_MEMORY_ROUTINES                                                  \
    void *memset(void *Destination, int Value, size_t Count)                       \
    {                                                                              \
        volatile unsigned char *Out = Destination;                                 \
        while (Count--)                                                            \
            *Out++ = (unsigned char)Value;                                         \
        return Destination;                                                        \
    }                                                                              \
    void *memcpy(void *Destination, const void *Source, size_t Count)              \
    {                                                                              \
        volatile unsigned char *Out = Destination;                                 \
        const unsigned char *In = Source;                                          \
        while (Count--)                                                            \
            *Out++ = *In++;                                                        \
        return Destination;                                                        \
    }

/* Maps the shared page (Create: make the section; else open the parent's). */
static inline NTSTATUS PstMapShared(BOOLEAN Create, HANDLE *Section, PST_SHARED **Shared)
{
    UNICODE_STRING Name = PST_STRING(PST_SHARED_NAME);
    OBJECT_ATTRIBUTES Attributes;
    LARGE_INTEGER Size;
    SIZE_T ViewSize = 0;
    PVOID Base = NULL;
    NTSTATUS Status;

    InitializeObjectAttributes(&Attributes, &Name, 0, NULL, NULL);
    Size.QuadPart = 4096;
    if (Create)
        Status = NtCreateSection(Section, SECTION_ALL_ACCESS, &Attributes, &Size, PAGE_READWRITE, SEC_COMMIT, NULL);
    else
        Status = NtOpenSection(Section, SECTION_MAP_READ | SECTION_MAP_WRITE, &Attributes);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = NtMapViewOfSection(*Section, NtCurrentProcess(), &Base, 0, 0, NULL, &ViewSize, ViewShare, 0,
                                PAGE_READWRITE);
    if (!NT_SUCCESS(Status)) {
        NtClose(*Section);
        return Status;
    }
    *Shared = Base;
    return STATUS_SUCCESS;
}

/* ---- text ---- */

/* A line being built: text, hex and decimal numbers, then written. */
typedef struct _PST_LINE {
    char Text[240];
    ULONG Length;
} PST_LINE;

static inline void PstAdd(PST_LINE *Line, const char *Text)
{
    while (*Text && Line->Length < sizeof(Line->Text) - 3)
        Line->Text[Line->Length++] = *Text++;
}

static inline void PstAddHex(PST_LINE *Line, ULONG Value)
{
    char Buffer[12];

    Buffer[0] = '0';
    Buffer[1] = 'x';
    NativeFormatHex(Buffer + 2, Value);
    PstAdd(Line, Buffer);
}

static inline void PstAddDecimal(PST_LINE *Line, ULONG Value)
{
    char Buffer[12];

    NativeFormatDecimal(Buffer, Value);
    PstAdd(Line, Buffer);
}

static inline void PstAddWide(PST_LINE *Line, const WCHAR *Text, ULONG Count)
{
    ULONG Index;

    for (Index = 0; Index < Count && Line->Length < sizeof(Line->Text) - 3; Index++)
        Line->Text[Line->Length++] = Text[Index] < 0x80 ? (char)Text[Index] : '?';
}

static inline void PstWriteLine(PST_LINE *Line)
{
    Line->Text[Line->Length++] = '\r';
    Line->Text[Line->Length++] = '\n';
    Line->Text[Line->Length] = 0;
    NativeWrite(Line->Text);
    Line->Length = 0;
}

/* A number as the command line gives it: decimal, or hex with 0x. */
static inline ULONG PstParseNumber(const char *Text)
{
    ULONG Value = 0, Base = 10;

    if (Text[0] == '0' && (Text[1] == 'x' || Text[1] == 'X')) {
        Base = 16;
        Text += 2;
    }
    for (;; Text++) {
        ULONG Digit;
        if (*Text >= '0' && *Text <= '9')
            Digit = (ULONG)(*Text - '0');
        else if (Base == 16 && *Text >= 'a' && *Text <= 'f')
            Digit = (ULONG)(*Text - 'a' + 10);
        else if (Base == 16 && *Text >= 'A' && *Text <= 'F')
            Digit = (ULONG)(*Text - 'A' + 10);
        else
            break;
        Value = Value * Base + Digit;
    }
    return Value;
}

static inline BOOLEAN PstEqual(const char *A, const char *B)
{
    while (*A && *A == *B)
        A++, B++;
    return *A == *B;
}

/*
 * The command line's words after the program's name, in ASCII: Words[0] is the
 * first argument. Returns the count.
 */
static inline ULONG PstSplitCommandLine(char *Buffer, ULONG BufferSize, char **Words, ULONG MaximumWords)
{
    NATIVE_PROCESS_PARAMETERS *Parameters = NativePeb()->ProcessParameters;
    ULONG Count = 0, Index, Out = 0, Characters;
    BOOLEAN InWord = FALSE, First = TRUE;

    if (Parameters == NULL || Parameters->CommandLine.Buffer == NULL)
        return 0;
    Characters = Parameters->CommandLine.Length / sizeof(WCHAR);
    for (Index = 0; Index < Characters && Out + 2 < BufferSize; Index++) {
        WCHAR Character = Parameters->CommandLine.Buffer[Index];

        if (Character == L' ' || Character == L'\t') {
            if (InWord) {
                Buffer[Out++] = 0;
                InWord = FALSE;
                First = FALSE;
            }
            continue;
        }
        if (First) {
            InWord = TRUE;      /* the program's own name: skipped */
            continue;
        }
        if (!InWord) {
            if (Count == MaximumWords)
                break;
            Words[Count++] = Buffer + Out;
            InWord = TRUE;
        }
        Buffer[Out++] = Character < 0x80 ? (char)Character : '?';
    }
    Buffer[Out] = 0;
    return Count;
}
