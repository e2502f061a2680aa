/*
 * heaptest.c - ntdll's heap end to end, from a native program linked with MinGW's
 * own libntdll.a (tests/system/heap.test).
 *
 * With no argument it runs the in-process tests: the process heap the loader made
 * (PEB->ProcessHeap, first in RtlGetProcessHeaps), a private heap checked against
 * a model through thousands of random operations, zeroing, reallocation in place
 * and moved, big blocks, a fixed-size heap, and the PEB's heap list. It prints
 * "PASS name" or "FAIL name: why" per test and returns 0 only if all passed.
 *
 * The raises end the process, as in NT (they are non-continuable), so each runs in
 * a boot of its own with an argument: "double-free", "overrun" (a header written
 * over) and "no-memory" (HEAP_GENERATE_EXCEPTIONS). A vectored handler reports
 * what it saw; the process then ends with the exception's code, which the system
 * test checks.
 */
#include "native.h"

/* Not in MinGW's <winternl.h>, but in its libntdll.a. */
NTSYSAPI PVOID NTAPI RtlReAllocateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress, SIZE_T Size);
NTSYSAPI SIZE_T NTAPI RtlSizeHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
NTSYSAPI BOOLEAN NTAPI RtlValidateHeap(PVOID HeapHandle, ULONG Flags, PVOID BaseAddress);
NTSYSAPI ULONG NTAPI RtlGetProcessHeaps(ULONG NumberOfHeaps, PVOID *ProcessHeaps);
NTSYSAPI NTSTATUS NTAPI NtQueryVirtualMemory(HANDLE ProcessHandle, PVOID BaseAddress, ULONG InformationClass,
    PVOID Information, SIZE_T InformationLength, PSIZE_T ReturnLength);

/* The PEB's heap fields (NT's offsets; NATIVE_PEB stops before them). */
#define PEB_PROCESS_HEAP(Peb)   (*(PVOID *)((PUCHAR)(Peb) + 0x18))
#define PEB_NUMBER_OF_HEAPS(Peb) (*(ULONG *)((PUCHAR)(Peb) + 0x88))
#define PEB_PROCESS_HEAPS(Peb)  (*(PVOID **)((PUCHAR)(Peb) + 0x90))

#define HT_STATUS_HEAP_CORRUPTION ((NTSTATUS)0xC0000374L)
#define HT_STATUS_NO_MEMORY       ((NTSTATUS)0xC0000017L)

static ULONG Passed, Failed;

static void Line2(const char *A, const char *B)
{
    NativeWrite(A);
    NativeWrite(B);
    NativeWrite("\r\n");
}

static void Report(const char *Name, const char *Failure)
{
    if (Failure == NULL) {
        Passed++;
        Line2("PASS ", Name);
    } else {
        Failed++;
        NativeWrite("FAIL ");
        NativeWrite(Name);
        Line2(": ", Failure);
    }
}

#define CHECK(Condition, Why) do { if (!(Condition)) return (Why); } while (0)

static void Fill(PUCHAR Data, SIZE_T Size, UCHAR Seed)
{
    for (SIZE_T i = 0; i < Size; i++)
        Data[i] = (UCHAR)(Seed + i * 7);
}

static BOOLEAN Filled(const UCHAR *Data, SIZE_T Size, UCHAR Seed)
{
    for (SIZE_T i = 0; i < Size; i++)
        if (Data[i] != (UCHAR)(Seed + i * 7))
            return FALSE;
    return TRUE;
}

static ULONG RandomState = 12345;

static ULONG Random(ULONG Limit)
{
    RandomState = RandomState * 1103515245 + 12345;
    return (RandomState >> 8) % Limit;
}

/* ---- the tests (each returns NULL or why it failed) ---- */

static const char *TestProcessHeap(void)
{
    PVOID Heap = PEB_PROCESS_HEAP(NativePeb()), Heaps[8];
    PUCHAR Data;

    CHECK(Heap != NULL, "no PEB->ProcessHeap");
    CHECK(RtlGetProcessHeaps(8, Heaps) >= 1 && Heaps[0] == Heap, "not first in RtlGetProcessHeaps");
    CHECK(PEB_PROCESS_HEAPS(NativePeb())[0] == Heap, "not first in PEB->ProcessHeaps");
    Data = RtlAllocateHeap(Heap, 0, 100);
    CHECK(Data != NULL, "no block");
    Fill(Data, 100, 1);
    CHECK(RtlSizeHeap(Heap, 0, Data) == 100, "RtlSizeHeap");
    CHECK(RtlValidateHeap(Heap, 0, Data), "the block does not validate");
    CHECK(RtlFreeHeap(Heap, 0, Data), "RtlFreeHeap");
    CHECK(RtlValidateHeap(Heap, 0, NULL), "the heap does not validate");
    CHECK(RtlDestroyHeap(Heap) == Heap, "the process heap was destroyed");
    return NULL;
}

#define SLOTS 200

static const char *TestPrivateModel(void)
{
    static struct { PUCHAR Data; SIZE_T Size; UCHAR Seed; } Model[SLOTS];
    PVOID Heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    ULONG Step, Slot;

    CHECK(Heap != NULL, "RtlCreateHeap");
    for (Step = 0; Step < 4000; Step++) {
        Slot = Random(SLOTS);
        if (Model[Slot].Data == NULL) {
            SIZE_T Size = Random(10) < 8 ? Random(200) : Random(20000);

            Model[Slot].Data = RtlAllocateHeap(Heap, 0, Size);
            CHECK(Model[Slot].Data != NULL, "an allocation failed");
            Model[Slot].Size = Size;
        } else if (Random(3) == 0) {
            SIZE_T Size = Random(10) < 8 ? Random(300) : Random(30000);
            SIZE_T Kept = Size < Model[Slot].Size ? Size : Model[Slot].Size;

            Model[Slot].Data = RtlReAllocateHeap(Heap, 0, Model[Slot].Data, Size);
            CHECK(Model[Slot].Data != NULL, "a reallocation failed");
            CHECK(Filled(Model[Slot].Data, Kept, Model[Slot].Seed), "a reallocation lost contents");
            Model[Slot].Size = Size;
        } else {
            CHECK(Filled(Model[Slot].Data, Model[Slot].Size, Model[Slot].Seed), "a block's contents changed");
            CHECK(RtlFreeHeap(Heap, 0, Model[Slot].Data), "RtlFreeHeap");
            Model[Slot].Data = NULL;
            continue;
        }
        Model[Slot].Seed = (UCHAR)Random(256);
        Fill(Model[Slot].Data, Model[Slot].Size, Model[Slot].Seed);
        if (Step % 500 == 0) {
            for (ULONG i = 0; i < SLOTS; i++)
                if (Model[i].Data != NULL &&
                    (!Filled(Model[i].Data, Model[i].Size, Model[i].Seed) ||
                     RtlSizeHeap(Heap, 0, Model[i].Data) != Model[i].Size))
                    return "a block's contents or size changed";
            CHECK(RtlValidateHeap(Heap, 0, NULL), "the heap does not validate");
        }
    }
    for (Slot = 0; Slot < SLOTS; Slot++)
        RtlFreeHeap(Heap, 0, Model[Slot].Data);
    CHECK(RtlValidateHeap(Heap, 0, NULL), "the heap does not validate at the end");
    CHECK(RtlDestroyHeap(Heap) == NULL, "RtlDestroyHeap");
    return NULL;
}

static const char *TestZero(void)
{
    PVOID Heap = PEB_PROCESS_HEAP(NativePeb());
    PUCHAR Data = RtlAllocateHeap(Heap, 0, 256);

    CHECK(Data != NULL, "no block");
    Fill(Data, 256, 9);
    RtlFreeHeap(Heap, 0, Data);
    Data = RtlAllocateHeap(Heap, HEAP_ZERO_MEMORY, 256);
    for (int i = 0; i < 256; i++)
        CHECK(Data[i] == 0, "HEAP_ZERO_MEMORY left a byte");
    Fill(Data, 256, 3);
    Data = RtlReAllocateHeap(Heap, HEAP_ZERO_MEMORY, Data, 4096);
    CHECK(Data != NULL && Filled(Data, 256, 3), "the reallocation lost contents");
    for (int i = 256; i < 4096; i++)
        CHECK(Data[i] == 0, "the grown part is not zero");
    RtlFreeHeap(Heap, 0, Data);
    return NULL;
}

static const char *TestReallocate(void)
{
    /* Fixed: no lookaside lists, so B freed is free for A to grow into. */
    PVOID Heap = RtlCreateHeap(0, NULL, 0x100000, 0, NULL, NULL);
    PUCHAR A, B, C;

    CHECK(Heap != NULL, "RtlCreateHeap");
    A = RtlAllocateHeap(Heap, 0, 64);
    B = RtlAllocateHeap(Heap, 0, 64);
    C = RtlAllocateHeap(Heap, 0, 64);
    Fill(A, 64, 5);
    CHECK(RtlReAllocateHeap(Heap, HEAP_REALLOC_IN_PLACE_ONLY, A, 128) == NULL, "grew over a busy block");
    CHECK(RtlReAllocateHeap(Heap, 0, A, 32) == A, "a shrink moved");
    RtlFreeHeap(Heap, 0, B);
    CHECK(RtlReAllocateHeap(Heap, HEAP_REALLOC_IN_PLACE_ONLY, A, 128) == A, "did not grow into the free block");
    CHECK(Filled(A, 32, 5) && RtlSizeHeap(Heap, 0, A) == 128, "contents or size after growing in place");
    B = RtlReAllocateHeap(Heap, 0, A, 4000);
    CHECK(B != NULL && B != A && Filled(B, 32, 5), "the move");
    RtlFreeHeap(Heap, 0, B);
    RtlFreeHeap(Heap, 0, C);
    CHECK(RtlValidateHeap(Heap, 0, NULL), "the heap does not validate");
    CHECK(RtlDestroyHeap(Heap) == NULL, "RtlDestroyHeap");
    return NULL;
}

static const char *TestBigBlock(void)
{
    PVOID Heap = PEB_PROCESS_HEAP(NativePeb());
    SIZE_T Size = 3 * 1024 * 1024 + 5;
    PUCHAR Data = RtlAllocateHeap(Heap, HEAP_ZERO_MEMORY, Size);

    CHECK(Data != NULL, "no 3 MB block");
    CHECK(Data[0] == 0 && Data[Size - 1] == 0, "not zero");
    Data[0] = 1;
    Data[Size - 1] = 2;
    CHECK(RtlSizeHeap(Heap, 0, Data) == Size, "RtlSizeHeap");
    CHECK(RtlValidateHeap(Heap, 0, Data) && RtlValidateHeap(Heap, 0, NULL), "does not validate");
    CHECK(RtlFreeHeap(Heap, 0, Data), "RtlFreeHeap");
    CHECK(RtlValidateHeap(Heap, 0, NULL), "the heap does not validate after");
    return NULL;
}

/* MEM_COMMIT, MEM_RESERVE or MEM_FREE: the page's state (0 if the query fails). */
static ULONG PageState(PVOID Address)
{
    MEMORY_BASIC_INFORMATION Information;

    if (!NT_SUCCESS(NtQueryVirtualMemory(NtCurrentProcess(), Address, 0 /* MemoryBasicInformation */,
                                         &Information, sizeof(Information), NULL)))
        return 0;
    return Information.State;
}

/* A heap grows by committing and by new segments, and gives the memory back when
   its blocks are freed: the extra segment released, the first one's end decommitted. */
static const char *TestGiveBack(void)
{
    PVOID Heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0x20000, 0x1000, NULL, NULL);
    PUCHAR Blocks[64], Near, Far;
    ULONG Index;

    CHECK(Heap != NULL, "RtlCreateHeap");
    for (Index = 0; Index < 64; Index++) {
        CHECK((Blocks[Index] = RtlAllocateHeap(Heap, 0, 0x2000)) != NULL, "an 8 KB block");
        Fill(Blocks[Index], 0x2000, (UCHAR)Index);
    }
    Near = Blocks[8];                   /* 64 KB in: the first segment, committed as it grew */
    Far = Blocks[63];                   /* 512 KB do not fit the first 128 KB segment */
    CHECK(Near > (PUCHAR)Heap && Near < (PUCHAR)Heap + 0x20000, "the first blocks are not in the first segment");
    CHECK(Far < (PUCHAR)Heap || Far >= (PUCHAR)Heap + 0x20000, "no second segment");
    CHECK(PageState(Far) == MEM_COMMIT && PageState(Near) == MEM_COMMIT, "not committed");
    for (Index = 0; Index < 64; Index++) {
        CHECK(Filled(Blocks[Index], 0x2000, (UCHAR)Index), "a block's contents changed");
        RtlFreeHeap(Heap, 0, Blocks[Index]);
    }
    CHECK(PageState(Far) == MEM_FREE, "the extra segment was not released");
    CHECK(PageState(Near) == MEM_RESERVE, "the first segment's end was not decommitted");
    CHECK(RtlValidateHeap(Heap, 0, NULL), "the heap does not validate");
    CHECK(RtlDestroyHeap(Heap) == NULL && PageState(Heap) == MEM_FREE, "RtlDestroyHeap");
    return NULL;
}

static const char *TestFixed(void)
{
    PVOID Heap = RtlCreateHeap(0, NULL, 0x10000, 0x1000, NULL, NULL), Last = NULL, Data;
    ULONG Count = 0;

    CHECK(Heap != NULL, "RtlCreateHeap");
    while ((Data = RtlAllocateHeap(Heap, 0, 1000)) != NULL) {
        Fill(Data, 1000, (UCHAR)Count);
        Last = Data;
        Count++;
        CHECK(Count < 100, "a 64 KB heap gave more than 100 KB");
    }
    CHECK(Count >= 50, "a 64 KB heap gave less than 50 KB");
    CHECK(Filled(Last, 1000, (UCHAR)(Count - 1)), "contents");
    CHECK(RtlAllocateHeap(Heap, 0, 0x100000) == NULL, "a big block from a fixed heap");
    CHECK(RtlValidateHeap(Heap, 0, NULL), "the heap does not validate");
    CHECK(RtlDestroyHeap(Heap) == NULL, "RtlDestroyHeap");
    return NULL;
}

static const char *TestHeapList(void)
{
    PVOID Heaps[20], List[24];
    ULONG Before = RtlGetProcessHeaps(0, NULL), Index;

    CHECK(Before == PEB_NUMBER_OF_HEAPS(NativePeb()), "RtlGetProcessHeaps and the PEB disagree");
    for (Index = 0; Index < 20; Index++)     /* past the PEB's 16: the list grows */
        CHECK((Heaps[Index] = RtlCreateHeap(HEAP_GROWABLE, NULL, 0x10000, 0, NULL, NULL)) != NULL,
              "RtlCreateHeap");
    CHECK(RtlGetProcessHeaps(24, List) == Before + 20, "the count after creating");
    for (Index = 0; Index < 20; Index++)
        CHECK(List[Before + Index] == Heaps[Index], "the list's order");
    for (Index = 0; Index < 20; Index++)
        CHECK(RtlDestroyHeap(Heaps[Index]) == NULL, "RtlDestroyHeap");
    CHECK(RtlGetProcessHeaps(24, List) == Before, "the count after destroying");
    return NULL;
}

/* ---- threads sharing heaps: the heap lock ---- */

#define THREADS       3
#define THREAD_SLOTS  32
#define THREAD_STEPS  40000

typedef struct _THREAD_WORK {
    PVOID Heap;                         /* shared by the threads, as is the process heap */
    ULONG Seed;
    const char *Failure;
    ULONG Steps;
} THREAD_WORK;

/* Random operations on a private heap and the process heap at once, on blocks of
   this thread's own, whose contents it checks. */
static ULONG NTAPI HammerHeaps(PVOID Parameter)
{
    THREAD_WORK *Work = Parameter;
    PVOID Heaps[2] = { Work->Heap, PEB_PROCESS_HEAP(NativePeb()) };
    PUCHAR Data[THREAD_SLOTS];
    SIZE_T Size[THREAD_SLOTS];
    UCHAR Seed[THREAD_SLOTS];
    ULONG State = Work->Seed, Slot;

    for (Slot = 0; Slot < THREAD_SLOTS; Slot++)
        Data[Slot] = NULL;
    for (Work->Steps = 0; Work->Steps < THREAD_STEPS; Work->Steps++) {
        PVOID Heap;

        State = State * 1103515245 + 12345;
        Slot = (State >> 8) % THREAD_SLOTS;
        Heap = Heaps[Slot & 1];
        State = State * 1103515245 + 12345;
        if (Data[Slot] != NULL && !Filled(Data[Slot], Size[Slot], Seed[Slot])) {
            Work->Failure = "a block changed under another thread";
            return 1;
        }
        if (Data[Slot] == NULL || (State >> 8) % 3 == 0) {
            Size[Slot] = (State >> 12) % 600;
            Data[Slot] = Data[Slot] == NULL ? RtlAllocateHeap(Heap, 0, Size[Slot])
                                            : RtlReAllocateHeap(Heap, 0, Data[Slot], Size[Slot]);
            if (Data[Slot] == NULL) {
                Work->Failure = "an allocation failed";
                return 1;
            }
            Seed[Slot] = (UCHAR)State;
            Fill(Data[Slot], Size[Slot], Seed[Slot]);
        } else {
            RtlFreeHeap(Heap, 0, Data[Slot]);
            Data[Slot] = NULL;
        }
    }
    for (Slot = 0; Slot < THREAD_SLOTS; Slot++)
        RtlFreeHeap(Heaps[Slot & 1], 0, Data[Slot]);
    return 0;
}

/* A running thread of this process at Routine(Parameter) (native.h). */
static NTSTATUS StartThread(ULONG (NTAPI *Routine)(PVOID), PVOID Parameter, HANDLE *Thread)
{
    return NativeStartThread(Routine, Parameter, FALSE, Thread);
}

static const char *TestThreads(void)
{
    static THREAD_WORK Work[THREADS];
    PVOID Heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    HANDLE Threads[THREADS];
    LARGE_INTEGER Timeout;
    ULONG Index;

    CHECK(Heap != NULL, "RtlCreateHeap");
    for (Index = 0; Index < THREADS; Index++) {
        Work[Index].Heap = Heap;
        Work[Index].Seed = 77 + Index;
        CHECK(NT_SUCCESS(StartThread(HammerHeaps, &Work[Index], &Threads[Index])), "NtCreateThread");
    }
    Timeout.QuadPart = -600000000LL;    /* 60 s */
    for (Index = 0; Index < THREADS; Index++) {
        CHECK(NtWaitForSingleObject(Threads[Index], FALSE, &Timeout) == STATUS_SUCCESS, "a thread did not end");
        NtClose(Threads[Index]);
    }
    for (Index = 0; Index < THREADS; Index++) {
        if (Work[Index].Failure != NULL)
            return Work[Index].Failure;
        CHECK(Work[Index].Steps == THREAD_STEPS, "a thread stopped early");
    }
    CHECK(RtlValidateHeap(Heap, 0, NULL), "the shared heap does not validate");
    CHECK(RtlValidateHeap(PEB_PROCESS_HEAP(NativePeb()), 0, NULL), "the process heap does not validate");
    CHECK(RtlDestroyHeap(Heap) == NULL, "RtlDestroyHeap");
    return NULL;
}

static const struct { const char *Name; const char *(*Run)(void); } Tests[] = {
    { "process-heap", TestProcessHeap },
    { "private-model", TestPrivateModel },
    { "zero-memory", TestZero },
    { "reallocate", TestReallocate },
    { "big-block", TestBigBlock },
    { "give-back", TestGiveBack },
    { "fixed-heap", TestFixed },
    { "heap-list", TestHeapList },
    { "threads", TestThreads },
};

/* ---- the raises (a boot each) ---- */

static PVOID ExpectedHeap, ExpectedBlock;
static NTSTATUS ExpectedCode;

static LONG NTAPI SeeRaise(PEXCEPTION_POINTERS Pointers)
{
    PEXCEPTION_RECORD Record = Pointers->ExceptionRecord;
    char Hex[12];

    if ((NTSTATUS)Record->ExceptionCode != ExpectedCode) {
        NativeFormatHex(Hex, (ULONG)Record->ExceptionCode);
        Line2("FAIL raise: unexpected code 0x", Hex);
    } else if (!(Record->ExceptionFlags & EXCEPTION_NONCONTINUABLE)) {
        Line2("FAIL raise: ", "continuable");
    } else if (ExpectedHeap != NULL &&
               (Record->NumberParameters != 2 || Record->ExceptionInformation[0] != (ULONG_PTR)ExpectedHeap ||
                Record->ExceptionInformation[1] != (ULONG_PTR)ExpectedBlock)) {
        Line2("FAIL raise: ", "the heap or block in the record");
    } else {
        NativeFormatHex(Hex, (ULONG)Record->ExceptionCode);
        Line2("PASS raise: non-continuable 0x", Hex);
    }
    return EXCEPTION_CONTINUE_SEARCH;       /* the process ends with the code */
}

static BOOLEAN IsArgument(const char *Name)
{
    UNICODE_STRING *Line = &NativePeb()->ProcessParameters->CommandLine;
    ULONG Length = 0, Count = Line->Length / sizeof(WCHAR), Start;

    while (Name[Length] != 0)
        Length++;
    if (Count < Length)
        return FALSE;
    Start = Count - Length;                 /* the last word of the command line */
    for (ULONG i = 0; i < Length; i++)
        if (Line->Buffer[Start + i] != (WCHAR)Name[i])
            return FALSE;
    return Start == 0 || Line->Buffer[Start - 1] == L' ';
}

static ULONG RunRaise(void)
{
    PVOID Heap = RtlCreateHeap(HEAP_GROWABLE, NULL, 0, 0, NULL, NULL);
    PUCHAR A, B;

    RtlAddVectoredExceptionHandler(1, SeeRaise);
    A = RtlAllocateHeap(Heap, 0, 64);
    B = RtlAllocateHeap(Heap, 0, 64);
    if (IsArgument("double-free")) {
        RtlFreeHeap(Heap, 0, A);
        Report("double-free: RtlValidateHeap(block) FALSE after free", RtlValidateHeap(Heap, 0, A) ? "TRUE" : NULL);
        ExpectedCode = HT_STATUS_HEAP_CORRUPTION;
        ExpectedHeap = Heap;
        ExpectedBlock = A;
        RtlFreeHeap(Heap, 0, A);
    } else if (IsArgument("overrun")) {
        for (int i = 0; i < 64 + 8; i++)    /* the block and the next one's header */
            A[i] = 0x41;
        Report("overrun: RtlValidateHeap FALSE", RtlValidateHeap(Heap, 0, NULL) ? "TRUE" : NULL);
        ExpectedCode = HT_STATUS_HEAP_CORRUPTION;
        ExpectedHeap = Heap;
        ExpectedBlock = B;
        RtlFreeHeap(Heap, 0, A);
    } else if (IsArgument("no-memory")) {
        PVOID Fixed = RtlCreateHeap(0, NULL, 0x10000, 0, NULL, NULL);

        Report("no-memory: NULL without HEAP_GENERATE_EXCEPTIONS",
               RtlAllocateHeap(Fixed, 0, 0x20000) != NULL ? "a block" : NULL);
        ExpectedCode = HT_STATUS_NO_MEMORY;
        RtlAllocateHeap(Fixed, HEAP_GENERATE_EXCEPTIONS, 0x20000);
    } else {
        NativeWrite("heaptest: unknown test\r\n");
        return 1;
    }
    NativeWrite("FAIL raise: the heap returned\r\n");
    return 1;
}

ULONG NTAPI HeapTestStart(PVOID Peb)
{
    char Count[12];

    (void)Peb;
    if (NativePeb()->ProcessParameters->CommandLine.Length > sizeof(L"C:\\Tests\\heaptest.exe"))
        return RunRaise();
    for (ULONG i = 0; i < sizeof(Tests) / sizeof(Tests[0]); i++)
        Report(Tests[i].Name, Tests[i].Run());
    NativeWrite("heaptest: ");
    *NativeFormatDecimal(Count, Passed) = 0;
    NativeWrite(Count);
    NativeWrite(" passed, ");
    *NativeFormatDecimal(Count, Failed) = 0;
    NativeWrite(Count);
    NativeWrite(" failed\r\n");
    return Failed == 0 ? 0 : 1;
}
