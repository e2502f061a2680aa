/*
 * environ.c - environment blocks (NT: ntdll\rtl\environ.c's exports): a run of
 * "NAME=value\0" strings ended by an empty one, in UTF-16, kept in name order.
 * Names may start with '=' (the per-drive current directories, "=C:=C:\Dir"), so
 * the '=' that ends a name is the first one after its first character.
 *
 * As NT's, the blocks live in their own virtual memory allocations, not in a heap:
 * a block is handed to the kernel as a process's environment and must not depend
 * on any heap of this process. Changing a variable builds a new block and frees
 * the old one - except the process's initial block, which this kernel copies
 * into the process's parameter block (NT's creator writes it as an allocation of
 * its own): freeing it would release the parameters with it, since MEM_RELEASE
 * takes the whole allocation an address's page starts. It stays where it is.
 *
 * The process's block (Environment NULL) is read and replaced under the PEB lock,
 * as NT does: a change frees the old block, so a reader on another thread must
 * not be walking it then. A block the caller passes is the caller's to serialize.
 */
#include "rtlp.h"

PWSTR RtlpProcessEnvironment(VOID)
{
    PRTL_USER_PROCESS_PARAMETERS Parameters = RtlpCurrentPeb()->ProcessParameters;

    return Parameters != NULL ? Parameters->Environment : NULL;
}

/* TRUE for an address inside the process's parameter block (see above). */
static BOOLEAN RtlpInParameterBlock(PCVOID Address)
{
    PRTL_USER_PROCESS_PARAMETERS Parameters = RtlpCurrentPeb()->ProcessParameters;
    ULONG_PTR Start = (ULONG_PTR)Parameters;

    return Parameters != NULL && (ULONG_PTR)Address >= Start &&
           (ULONG_PTR)Address < Start + Parameters->MaximumLength;
}

/* Walks entries and returns the address of the terminating empty string. */
static PCWSTR RtlpEnvironmentEnd(PCWSTR Environment)
{
    while (*Environment != 0)
        Environment += wcslen(Environment) + 1;
    return Environment;
}

SIZE_T RtlpEnvironmentSize(PCWSTR Environment)
{
    SIZE_T Chars;

    if (Environment == NULL)
        return 0;
    Chars = (SIZE_T)(RtlpEnvironmentEnd(Environment) - Environment) + 1;
    /* An empty block is written "\0\0", as NT's. */
    return (Chars < 2 ? 2 : Chars) * sizeof(WCHAR);
}

/* The length of an entry's name: up to the first '=' after its first character. */
static ULONG RtlpNameLength(PCWSTR Entry)
{
    ULONG Length = 1;

    if (Entry[0] == 0)
        return 0;
    while (Entry[Length] != 0 && Entry[Length] != '=')
        Length++;
    return Length;
}

/* Compares an entry's name with Name (NameChars characters), without case. */
static LONG RtlpCompareName(PCWSTR Entry, PCWSTR Name, ULONG NameChars)
{
    UNICODE_STRING A, B;

    A.Buffer = (PWSTR)Entry;
    A.Length = A.MaximumLength = (USHORT)(RtlpNameLength(Entry) * sizeof(WCHAR));
    B.Buffer = (PWSTR)Name;
    B.Length = B.MaximumLength = (USHORT)(NameChars * sizeof(WCHAR));
    return RtlCompareUnicodeString(&A, &B, TRUE);
}

PCWSTR RtlpFindVariable(PCWSTR Environment, PCWSTR Name, ULONG NameChars, PULONG ValueChars)
{
    if (Environment == NULL)
        Environment = RtlpProcessEnvironment();
    if (Environment == NULL || NameChars == 0)
        return NULL;
    for (PCWSTR Entry = Environment; *Entry != 0; Entry += wcslen(Entry) + 1) {
        if (RtlpCompareName(Entry, Name, NameChars) == 0) {
            ULONG NameLength = RtlpNameLength(Entry);
            PCWSTR Value = Entry + NameLength + (Entry[NameLength] == '=' ? 1 : 0);

            *ValueChars = (ULONG)wcslen(Value);
            return Value;
        }
    }
    return NULL;
}

static PWSTR RtlpAllocateEnvironment(SIZE_T Bytes)
{
    PVOID Base = NULL;
    SIZE_T Size = Bytes;

    if (!NT_SUCCESS(NtAllocateVirtualMemory(RtlpCurrentProcess(), &Base, 0, &Size, MEM_RESERVE | MEM_COMMIT,
                                            PAGE_READWRITE)))
        return NULL;
    return Base;
}

NTSTATUS NTAPI RtlCreateEnvironment(BOOLEAN CloneCurrentEnvironment, PVOID *Environment)
{
    PCWSTR Current;
    SIZE_T Size;
    PWSTR Block;

    if (CloneCurrentEnvironment)
        RtlAcquirePebLock();
    Current = CloneCurrentEnvironment ? RtlpProcessEnvironment() : NULL;
    Size = Current != NULL ? RtlpEnvironmentSize(Current) : 2 * sizeof(WCHAR);
    Block = RtlpAllocateEnvironment(Size);
    /* A new allocation is zero-filled: an empty block needs nothing written. */
    if (Block != NULL && Current != NULL)
        memcpy(Block, Current, Size);
    if (CloneCurrentEnvironment)
        RtlReleasePebLock();
    if (Block == NULL)
        return STATUS_NO_MEMORY;
    *Environment = Block;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlDestroyEnvironment(PVOID Environment)
{
    SIZE_T Size = 0;

    return NtFreeVirtualMemory(RtlpCurrentProcess(), &Environment, &Size, MEM_RELEASE);
}

static NTSTATUS RtlpQueryVariable(PVOID Environment, PUNICODE_STRING Name, PUNICODE_STRING Value)
{
    ULONG ValueChars;
    PCWSTR Found = RtlpFindVariable(Environment, Name->Buffer, Name->Length / sizeof(WCHAR), &ValueChars);
    ULONG Bytes;

    if (Found == NULL)
        return STATUS_VARIABLE_NOT_FOUND;
    Bytes = ValueChars * sizeof(WCHAR);
    if (Bytes > 0xFFFF - sizeof(WCHAR))
        return STATUS_BUFFER_TOO_SMALL;
    Value->Length = (USHORT)Bytes;
    if (Bytes > Value->MaximumLength)
        return STATUS_BUFFER_TOO_SMALL;
    memcpy(Value->Buffer, Found, Bytes);
    if (Bytes + sizeof(WCHAR) <= Value->MaximumLength)
        Value->Buffer[ValueChars] = 0;
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlQueryEnvironmentVariable_U(PVOID Environment, PUNICODE_STRING Name, PUNICODE_STRING Value)
{
    NTSTATUS Status;

    if (Environment != NULL)
        return RtlpQueryVariable(Environment, Name, Value);
    RtlAcquirePebLock();
    Status = RtlpQueryVariable(NULL, Name, Value);
    RtlReleasePebLock();
    return Status;
}

/* A name is not empty and has no '=' after its first character. */
static BOOLEAN RtlpValidName(PCUNICODE_STRING Name)
{
    ULONG Count = Name->Length / sizeof(WCHAR);

    if (Count == 0)
        return FALSE;
    for (ULONG Index = 1; Index < Count; Index++) {
        if (Name->Buffer[Index] == '=')
            return FALSE;
    }
    return TRUE;
}

static NTSTATUS RtlpSetVariable(PVOID *Environment, PUNICODE_STRING Name, PUNICODE_STRING Value)
{
    PWSTR Old = Environment != NULL ? *Environment : RtlpProcessEnvironment();
    ULONG NameChars = Name->Length / sizeof(WCHAR);
    PCWSTR Entry, Insert = NULL, Remove = NULL, RemoveEnd = NULL, End;
    SIZE_T OldSize, NewSize, Head, AddChars = 0;
    PWSTR Block, Cursor;

    BOOLEAN HadBlock = Old != NULL;

    if (!RtlpValidName(Name))
        return STATUS_INVALID_PARAMETER;
    if (Environment == NULL && RtlpCurrentPeb()->ProcessParameters == NULL)
        return STATUS_INVALID_PARAMETER;
    if (Old == NULL) {
        static const WCHAR Empty[2] = { 0, 0 };
        Old = (PWSTR)Empty;
    }

    /* Where the variable is now (to replace or remove), or where it goes in name order. */
    for (Entry = Old; *Entry != 0; Entry += wcslen(Entry) + 1) {
        LONG Order = RtlpCompareName(Entry, Name->Buffer, NameChars);

        if (Order == 0) {
            Remove = Entry;
            RemoveEnd = Entry + wcslen(Entry) + 1;
            Insert = Entry;
            break;
        }
        if (Order > 0 && Insert == NULL) {
            Insert = Entry;
            break;
        }
    }
    End = RtlpEnvironmentEnd(Old);
    if (Insert == NULL)
        Insert = End;
    if (Remove == NULL && Value == NULL)
        return STATUS_SUCCESS;          /* nothing to delete */

    if (Value != NULL)
        AddChars = NameChars + 1 + Value->Length / sizeof(WCHAR) + 1;
    OldSize = RtlpEnvironmentSize(Old);
    NewSize = OldSize + AddChars * sizeof(WCHAR) -
              (Remove != NULL ? (SIZE_T)(RemoveEnd - Remove) * sizeof(WCHAR) : 0);
    /* Removing the last variable leaves one NUL's worth: the block is still "\0\0". */
    if (NewSize < 2 * sizeof(WCHAR))
        NewSize = 2 * sizeof(WCHAR);
    Block = RtlpAllocateEnvironment(NewSize);
    if (Block == NULL)
        return STATUS_NO_MEMORY;

    Head = (SIZE_T)(Insert - Old);
    memcpy(Block, Old, Head * sizeof(WCHAR));
    Cursor = Block + Head;
    if (Value != NULL) {
        memcpy(Cursor, Name->Buffer, NameChars * sizeof(WCHAR));
        Cursor += NameChars;
        *Cursor++ = '=';
        memcpy(Cursor, Value->Buffer, Value->Length);
        Cursor += Value->Length / sizeof(WCHAR);
        *Cursor++ = 0;
    }
    {
        PCWSTR Tail = Remove != NULL ? RemoveEnd : Insert;
        memcpy(Cursor, Tail, (SIZE_T)(End - Tail) * sizeof(WCHAR));
        Cursor += End - Tail;
    }
    /* The final empty string (and a second NUL for an empty block): the allocation is zeroed. */

    if (Environment != NULL) {
        *Environment = Block;
    } else {
        PRTL_USER_PROCESS_PARAMETERS Parameters = RtlpCurrentPeb()->ProcessParameters;
        Parameters->Environment = Block;
        /* What the kernel copies into a child: exactly the block, its double NUL included. */
        Parameters->EnvironmentSize = (ULONG)RtlpEnvironmentSize(Block);
    }
    if (HadBlock && !RtlpInParameterBlock(Old))
        RtlDestroyEnvironment(Old);
    return STATUS_SUCCESS;
}

NTSTATUS NTAPI RtlSetEnvironmentVariable(PVOID *Environment, PUNICODE_STRING Name, PUNICODE_STRING Value)
{
    NTSTATUS Status;

    if (Environment != NULL)
        return RtlpSetVariable(Environment, Name, Value);
    RtlAcquirePebLock();
    Status = RtlpSetVariable(NULL, Name, Value);
    RtlReleasePebLock();
    return Status;
}
