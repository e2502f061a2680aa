/*
 * args.c - the PRNG and the hostile arguments: addresses, handles, strings,
 * OBJECT_ATTRIBUTES, CONTEXTs, timeouts and handle arrays, each of its kind or,
 * now and then, of any kind; then the taming that keeps a child's calls from ending
 * or stopping the fuzzer (see scfuzz.h), and the harvest of handles calls return.
 */
#include "scfuzz.h"

/* ---- the PRNG (xorshift32; a seed of 0 is moved off the fixed point) ---- */

static ULONG RandomState;

void Seed(ULONG Value)
{
    RandomState = Value * 2654435761u + 0x9E3779B9u;
    if (RandomState == 0)
        RandomState = 1;
}

ULONG Random(void)
{
    ULONG X = RandomState;

    X ^= X << 13;
    X ^= X >> 17;
    X ^= X << 5;
    return RandomState = X;
}

ULONG Below(ULONG Limit)
{
    return Random() % Limit;
}

/* ---- the arguments' raw material ---- */

static const WCHAR *const Names[] = {
    L"\\??\\C:\\ScFuzzDir\\a.tmp",
    L"\\??\\C:\\ScFuzzDir\\b.tmp",
    L"\\??\\C:\\ScFuzzDir",
    L"\\??\\C:\\ScFuzzDir\\sub",
    L"\\??\\C:\\ScFuzzDir\\a.tmp\\x",
    L"\\??\\C:\\ScFuzzDir\\..\\ScFuzzDir\\a.tmp",
    L"\\??\\C:\\ScFuzzDir\\*?<>|\"",
    L"\\??\\C:\\ScFuzzDir\\ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    L"abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJ"
    L"KLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.txt",
    L"\\??\\C:\\",
    L"\\??\\C:",
    L"\\??",
    L"\\",
    L"\\\\\\",
    L"\\Device",
    L"\\Device\\Null",
    L"\\Device\\Null\\x",
    L"\\BaseNamedObjects",
    L"\\BaseNamedObjects\\ScFuzzObject",
    L"\\BaseNamedObjects\\ScFuzzDirectory\\x",
    L"\\BaseNamedObjects\\ScFuzzLink",
    L"\\BaseNamedObjects\\ScFuzzLink\\x",
    SC_SHARED_NAME,
    L"a.tmp",
    L"..",
    L".",
    L"",
    L"\\Nope\\Nope",
};

/* Addresses nothing of the child's lives at. */
static const ULONG_PTR BadAddresses[] = {
    0, 1, 0x10, 0xFFC, 0x1000, 0x10000, 0x7FFDFFFF, 0x7FFE0000 /* SharedUserData: read-only */, 0x7FFE0FFC,
    0x7FFEFFFC, 0x7FFEFFFF, 0x7FFF0000, 0x7FFFFFFF, 0x80000000, 0x80100000, 0xBFFFFFFC, 0xC0000000, 0xC0300000,
    0xC0300C00, 0xFFDF0000, 0xFFDF0FFF, 0xFFFFF000, 0xFFFFFFFC, 0xFFFFFFFF,
};

static const ULONG Lengths[] = {
    0, 1, 2, 3, 4, 7, 8, 12, 16, 24, 0x2C, 0x30, 0x100, 0x2CC, 0x3FF, 0x400, 0x1000, 0x1001, 0x10000,
    0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0x7FFEFFFF, 0x01000000,
};

static const ULONG Integers[] = {
    0, 1, 2, 3, 4, 5, 7, 8, 0x10, 0x20, 0x40, 0xFF, 0x100, 0x1000, 0x3000, 0x8000, 0x10000, 0x100000,
    0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFF, 0x2000, 0x1000000,
};

static const ULONG AccessMasks[] = {
    0, 1, 0x1F0FFF, 0x1F0003, 0x1F01FF, 0x10000000, 0x02000000, 0x00100000, 0x80000000, 0xFFFFFFFF, 0x000F0000,
};

/* One of BadAddresses (for the child's last call). */
ULONG_PTR BadAddress(void)
{
    return PICK(BadAddresses);
}

ULONG_PTR Slot(ULONG Argument)
{
    return (ULONG_PTR)Region + RG_SCRATCH * PAGE + Argument * SLOT_SIZE;
}

void FillRandom(PVOID Buffer, ULONG Length)
{
    PULONG Out = Buffer;
    ULONG Index, Mode = Below(4);

    for (Index = 0; Index < Length / 4; Index++)
        Out[Index] = Mode == 0 ? Random() : Mode == 1 ? 0 : Mode == 2 ? 0xFFFFFFFF : Below(0x40) * 4;
}

void Guard(void)
{
    PVOID Base = Region + RG_GUARDED * PAGE;
    SIZE_T Size = PAGE;
    ULONG Old;

    NtProtectVirtualMemory(NtCurrentProcess(), &Base, &Size, PAGE_READWRITE | PAGE_GUARD, &Old);
}

/* An address: bad, in the special pages, or good (a scratch slot's). */
static ULONG_PTR AnyAddress(ULONG Argument)
{
    switch (Below(10)) {
    case 0: case 1: case 2:
        return PICK(BadAddresses);
    case 3:
        return (ULONG_PTR)Region + RG_READONLY * PAGE + Below(4) * 4;
    case 4:
        return (ULONG_PTR)Region + RG_GUARDED * PAGE + Below(4) * 4;
    case 5:
        return (ULONG_PTR)Region + RG_UNMAPPED * PAGE - 1 - Below(32);     /* straddles */
    case 6:
        return (ULONG_PTR)Region + RG_UNMAPPED * PAGE + Below(PAGE);
    case 7:
        return Slot(Argument) + 1 + Below(3);                                  /* unaligned */
    case 8:
        return Random();
    default:
        return Slot(Argument);
    }
}

/* Targets for the virtual-memory services: never the child's own code, stack or slots. */
static ULONG_PTR MemoryAddress(void)
{
    switch (Below(4)) {
    case 0:
        return PICK(BadAddresses);
    case 1:
        return (ULONG_PTR)Region + RG_VICTIM * PAGE + Below(8 * PAGE);
    case 2:
        return (ULONG_PTR)Region + RG_VICTIM * PAGE;
    default:
        return 0x20000000 + (Random() & 0x1FFFFFFF);
    }
}

static BOOLEAN IsSelf(HANDLE Handle)
{
    PROCESS_BASIC_INFORMATION Process;
    NATIVE_THREAD_BASIC_INFORMATION Thread;

    if (Handle == NtCurrentProcess() || Handle == NtCurrentThread() || Handle == NULL)
        return TRUE;
    if (NT_SUCCESS(NtQueryInformationProcess(Handle, ProcessBasicInformation, &Process, sizeof(Process), NULL)) &&
        Process.UniqueProcessId == MyPid)
        return TRUE;
    if (NT_SUCCESS(NtQueryInformationThread(Handle, (THREADINFOCLASS)0, &Thread, sizeof(Thread), NULL)) &&
        (ULONG_PTR)Thread.ClientId.UniqueThread == MyTid)
        return TRUE;
    return FALSE;
}

HANDLE AnyHandle(void)
{
    static const ULONG_PTR Odd[] = { 0x3, 0x4, 0x8, 0xC, 0x10, 0x7FFFFFFC, 0x80000000, 0x80000004, 0xFFFFFFF0,
                                     0xFFFFFFFC, 0xFFFFFFFD, 0xFFFF, 0x1000004 };

    switch (Below(10)) {
    case 0:
        return (HANDLE)PICK(Odd);
    case 1:
        return (HANDLE)(ULONG_PTR)(Below(64) * 4);
    case 2:
        return Below(2) ? NtCurrentProcess() : NtCurrentThread();
    case 3: case 4:
        return DynamicHandles[Below(DYNAMIC_HANDLES)];
    default:
        return StaticHandles[Below(StaticCount)];
    }
}

/* A counted string at Where (room for 512 bytes after it). */
static ULONG_PTR MakeString(ULONG_PTR Where)
{
    PUNICODE_STRING String = (PUNICODE_STRING)Where;
    PWSTR Text = (PWSTR)(Where + 16);
    const WCHAR *Name = PICK(Names);
    ULONG Count = 0;

    while (Name[Count] != 0 && Count < 240)
        Text[Count] = Name[Count], Count++;
    String->Length = (USHORT)(Count * 2);
    String->MaximumLength = (USHORT)(Count * 2 + 2);
    String->Buffer = Text;
    switch (Below(8)) {
    case 0:
        String->Length = (USHORT)Random();
        break;
    case 1:
        String->Length |= 1;
        break;
    case 2:
        String->MaximumLength = (USHORT)Below(String->Length + 1);
        break;
    case 3:
        String->Buffer = (PWSTR)AnyAddress(0);
        break;
    case 4:     /* the text runs into the unmapped page */
        String->Buffer = (PWSTR)((ULONG_PTR)Region + RG_UNMAPPED * PAGE - 2 * Below(8));
        break;
    default:
        break;
    }
    return Where;
}

/* Copies the first bytes of a structure to the end of RG_VALID: the rest is unmapped. */
static ULONG_PTR Straddle(PVOID Structure, ULONG Size)
{
    ULONG Keep = 1 + Below(Size - 1);
    PUCHAR End = Region + RG_UNMAPPED * PAGE;

    memcpy(End - Keep, Structure, Keep);
    return (ULONG_PTR)(End - Keep);
}

static ULONG_PTR MakeAttributes(ULONG Argument)
{
    ULONG_PTR Where = Slot(Argument);
    POBJECT_ATTRIBUTES Attributes = (POBJECT_ATTRIBUTES)Where;
    static const ULONG Flags[] = { 0, 0x40, 0x40, 0x80, 0x2, 0x10, 0x20, 0x100, 0x200, 0x1F2, 0xFFFFFFFF };

    Attributes->Length = Below(6) ? sizeof(OBJECT_ATTRIBUTES) : PICK(Lengths);
    Attributes->RootDirectory = Below(4) ? NULL : AnyHandle();
    Attributes->ObjectName = Below(8) ? (PUNICODE_STRING)MakeString(Where + 32) : (PUNICODE_STRING)AnyAddress(Argument);
    Attributes->Attributes = PICK(Flags);
    Attributes->SecurityDescriptor = Below(6) ? NULL : (PVOID)AnyAddress(Argument);
    Attributes->SecurityQualityOfService = Below(6) ? NULL : (PVOID)AnyAddress(Argument);
    if (Below(12) == 0)
        return Straddle(Attributes, sizeof(*Attributes));
    return Where;
}

/* A CONTEXT for NtContinue/NtSetContextThread: random, with what a kernel must refuse. */
void MakeContext(PCONTEXT Context)
{
    static const ULONG Flags[] = { 0x10007, 0x1003F, 0x10010, 0x10001, 0x10002, 0x10004, 0, 0xFFFFFFFF };
    static const ULONG Segments[] = { 0, 0x08, 0x10, 0x1B, 0x23, 0x3B, 0x30, 0x28, 0x0B, 0x13, 0xFFFF, 0x4B };
    static const ULONG EFlags[] = { 0x202, 0x3202, 0x20202, 0x4202, 0x302, 0x200, 0xFFFFFFFF, 0 };

    FillRandom(Context, sizeof(*Context));
    Context->ContextFlags = PICK(Flags);
    Context->SegCs = PICK(Segments);
    Context->SegSs = PICK(Segments);
    Context->SegDs = PICK(Segments);
    Context->SegEs = PICK(Segments);
    Context->SegFs = PICK(Segments);
    Context->SegGs = PICK(Segments);
    Context->EFlags = Below(2) ? PICK(EFlags) : Random();
    Context->Eip = Below(3) ? PICK(BadAddresses) : Random();
    Context->Esp = Below(3) ? PICK(BadAddresses) : Random();
    Context->Dr0 = PICK(BadAddresses);
    Context->Dr1 = 0x80100000;
    Context->Dr7 = Below(2) ? 0xFFFFFFFF : Random();
}

ULONG_PTR MakeTimeout(ULONG Argument, BOOLEAN Bounded)
{
    PLARGE_INTEGER Time = (PLARGE_INTEGER)Slot(Argument);
    static const LONGLONG Short[] = { 0, -1, -10000, -100000, 1, -5000 };

    if (Bounded) {
        switch (Below(8)) {
        case 0:
            return PICK(BadAddresses) | 1;      /* never NULL: that is forever */
        case 1:     /* straddling: cannot be read whole */
            Time->QuadPart = -1;
            return Straddle(Time, sizeof(*Time));
        default:
            Time->QuadPart = PICK(Short);
            return (ULONG_PTR)Time;
        }
    }
    switch (Below(4)) {
    case 0:
        return AnyAddress(Argument);
    default:
        Time->LowPart = Below(2) ? Random() : PICK(Lengths);
        Time->HighPart = Below(2) ? (LONG)Random() : (LONG)Below(3) - 1;
        return (ULONG_PTR)Time;
    }
}

/* The pointer to a handle array for NtWaitForMultipleObjects. */
static ULONG_PTR MakeHandleArray(ULONG Argument)
{
    PHANDLE Array = (PHANDLE)Slot(Argument);
    ULONG Index;

    for (Index = 0; Index < 80; Index++)
        Array[Index] = AnyHandle();
    return Below(5) ? (ULONG_PTR)Array : AnyAddress(Argument);
}

/* One argument of the given kind (or, now and then, of any kind). */
ULONG Argument(const SC_SERVICE *Service, ULONG Index, char Kind)
{
    ULONG_PTR Where = Slot(Index);

    /* Now and then any kind, except where the kind is what tames the call. */
    if (Below(8) == 0 && !(Kind == 'T' && (Service->Flags & SCF_WAIT)) &&
        !(Kind == 'C' && (Service->Flags & SCF_CONTEXT)) && Kind != 'R')
        Kind = "HWAOUTCBVSPLIM"[Below(14)];
    switch (Kind) {
    case 'H':
        return (ULONG)(ULONG_PTR)AnyHandle();
    case 'W':
        return Below(4) ? Where : AnyAddress(Index);
    case 'A':
        return Below(4) ? PICK(AccessMasks) : Random();
    case 'O':
        return Below(10) ? MakeAttributes(Index) : AnyAddress(Index);
    case 'U':
        return Below(6) ? MakeString(Where) : AnyAddress(Index);
    case 'T':
        return MakeTimeout(Index, (Service->Flags & SCF_WAIT) != 0);
    case 'C':
        if (Service->Flags & SCF_CONTEXT) {
            /* Tamed: a CONTEXT the kernel cannot read whole. */
            MakeContext((PCONTEXT)Where);
            return Below(2) ? Straddle((PVOID)Where, sizeof(CONTEXT)) : PICK(BadAddresses);
        }
        MakeContext((PCONTEXT)Where);
        return Below(4) ? Where : AnyAddress(Index);
    case 'B':
        return Below(4) ? Below(2) : Random();
    case 'V':
        *(PULONG_PTR)Where = (Service->Flags & SCF_MEMORY) ? MemoryAddress() : AnyAddress(Index);
        if (Below(8) == 0)
            return Straddle((PVOID)Where, sizeof(PVOID));
        return Below(6) ? Where : AnyAddress(Index);
    case 'S':
        *(PULONG)Where = PICK(Lengths);
        return Below(6) ? Where : AnyAddress(Index);
    case 'R':
        return 0;       /* no random APC routines in a child's calls (see the header) */
    case 'P':
        if (Service->Flags & SCF_MEMORY)
            return MemoryAddress();
        FillRandom((PVOID)Where, SLOT_SIZE);
        if (Below(3) == 0)
            MakeString(Where);          /* a structure that begins with pointers */
        return Below(3) ? Where : AnyAddress(Index);
    case 'L':
        return Below(2) ? PICK(Lengths) : Below(3) ? Below(0x200) : Random();
    case 'M':
        return MakeHandleArray(Index);
    default:
        return Below(2) ? PICK(Integers) : Below(2) ? Below(64) : Random();
    }
}

/* A handle that is none of this process's own threads or itself. */
static HANDLE OtherHandle(void)
{
    HANDLE Handle;
    ULONG Tries;

    for (Tries = 0; Tries < 8; Tries++) {
        Handle = AnyHandle();
        if (!IsSelf(Handle))
            return Handle;
    }
    return VictimThread;
}

/*
 * Whether NtMakeTemporaryObject may be aimed at Handle: an object the children
 * made (named \BaseNamedObjects\ScFuzz..., the parent's shared section aside) or
 * none with a name. A static handle's value may have been closed and reused for
 * anything a child opened by name since - \??\C: with DELETE access, say, whose
 * removal ends the whole volume's name (a privileged operation done right, not a
 * kernel failure).
 */
static BOOLEAN IsOwnedObject(HANDLE Handle)
{
    static const WCHAR Prefix[] = L"\\BaseNamedObjects\\ScFuzz";
    static const WCHAR Shared[] = SC_SHARED_NAME;
    ULONG Buffer[128], Index, Count;
    PUNICODE_STRING Name = (PUNICODE_STRING)Buffer;

    if (!NT_SUCCESS(NtQueryObject(Handle, (OBJECT_INFORMATION_CLASS)1 /* ObjectNameInformation */, Buffer,
                                  sizeof(Buffer), NULL)))
        return TRUE;                    /* not a handle: the call fails by itself */
    Count = Name->Length / sizeof(WCHAR);
    if (Count == 0)
        return TRUE;
    if (Count == sizeof(Shared) / sizeof(WCHAR) - 1) {
        for (Index = 0; Index < Count && Name->Buffer[Index] == Shared[Index]; Index++)
            ;
        if (Index == Count)
            return FALSE;
    }
    for (Index = 0; Index < sizeof(Prefix) / sizeof(WCHAR) - 1; Index++)
        if (Index >= Count || Name->Buffer[Index] != Prefix[Index])
            return FALSE;
    return TRUE;
}

void Tame(const SC_SERVICE *Service, ULONG *Arguments)
{
    if (Service->Flags & SCF_SELF) {
        if (IsSelf((HANDLE)(ULONG_PTR)Arguments[0]))
            Arguments[0] = (ULONG)(ULONG_PTR)OtherHandle();
    }
    if (Service->Flags & SCF_SUSPEND)
        Arguments[7] = TRUE;
    if (Service->Flags & SCF_OWNED) {
        Arguments[0] = (ULONG)(ULONG_PTR)StaticHandles[Below(StaticCount)];
        if (!IsOwnedObject((HANDLE)(ULONG_PTR)Arguments[0]))
            Arguments[0] = 0;
    }
    if (Service->Flags & SCF_CID) {
        ULONG_PTR Where = Arguments[3];
        if (Where >= Slot(0) && Where < Slot(MAX_ARGUMENTS)) {
            ULONG_PTR Ids[] = { 0, MyPid, MyTid, (ULONG_PTR)VictimProcessCid.UniqueProcess,
                                (ULONG_PTR)VictimThreadCid.UniqueThread, 4, 0xFFFC, 0x12345678, 3 };
            ((PULONG_PTR)Where)[0] = PICK(Ids);
            ((PULONG_PTR)Where)[1] = PICK(Ids);
        }
    }
}

/* Records a handle a call returned. */
void Harvest(const SC_SERVICE *Service, const ULONG *Arguments, NTSTATUS Status)
{
    ULONG Index;

    if (!NT_SUCCESS(Status))
        return;
    for (Index = 0; Service->Kinds[Index] != 0; Index++) {
        ULONG_PTR Where = Arguments[Index];
        if (Service->Kinds[Index] == 'W' && Where >= Slot(0) && Where < Slot(MAX_ARGUMENTS)) {
            DynamicHandles[DynamicNext] = *(PHANDLE)Where;
            DynamicNext = (DynamicNext + 1) % DYNAMIC_HANDLES;
        }
    }
}
