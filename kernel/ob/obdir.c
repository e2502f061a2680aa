/*
 * obdir.c - directory objects (NT: NtCreateDirectoryObject, NtOpenDirectoryObject,
 * NtQueryDirectoryObject, ObpLookupDirectoryEntry, ObpInsertDirectoryEntry,
 * ObpDeleteDirectoryEntry in ntos\ob\obdir.c).
 *
 * A directory is NT's hash table of 37 buckets, each a singly linked chain of
 * OBJECT_DIRECTORY_ENTRY; the object's name is in its own name info, not in the
 * entry. The hash is NT's: each character, upper-cased, is added to the running
 * value times 2.5, and the sum is taken modulo 37; hashing the upper case lets one
 * table serve case-sensitive and case-insensitive lookups alike. New entries go at
 * the head of their chain. (NT also moves an entry to the head when it is found;
 * here chains keep their order, so that enumeration is stable.)
 *
 * Case: OBJ_CASE_INSENSITIVE compares upper-cased characters. Upper case here
 * covers ASCII and Latin-1 (U+00E0-U+00FE but U+00F7, and U+00FF -> U+0178), which
 * is enough for the names this system makes; NT uses the full Unicode table.
 */
#include "obp.h"

WCHAR ObpUpcaseChar(WCHAR Char)
{
    if (Char >= 'a' && Char <= 'z')
        return (WCHAR)(Char - ('a' - 'A'));
    if (Char >= 0xE0 && Char <= 0xFE && Char != 0xF7)
        return (WCHAR)(Char - 0x20);
    if (Char == 0xFF)
        return 0x178;
    return Char;
}

BOOLEAN ObpEqualName(PCUNICODE_STRING A, PCUNICODE_STRING B, BOOLEAN CaseInsensitive)
{
    ULONG Index, Count = A->Length / sizeof(WCHAR);

    if (A->Length != B->Length)
        return FALSE;
    for (Index = 0; Index < Count; Index++) {
        WCHAR CharA = A->Buffer[Index], CharB = B->Buffer[Index];

        if (CharA == CharB)
            continue;
        if (!CaseInsensitive || ObpUpcaseChar(CharA) != ObpUpcaseChar(CharB))
            return FALSE;
    }
    return TRUE;
}

static ULONG ObpHashName(PCUNICODE_STRING Name)
{
    ULONG Index, Hash = 0;

    for (Index = 0; Index < Name->Length / sizeof(WCHAR); Index++)
        Hash += (Hash << 1) + (Hash >> 1) + ObpUpcaseChar(Name->Buffer[Index]);
    return Hash % NUMBER_HASH_BUCKETS;
}

static inline PUNICODE_STRING ObpObjectName(PVOID Object)
{
    return &OBJECT_HEADER_TO_NAME_INFO(OBJECT_TO_OBJECT_HEADER(Object))->Name;
}

PVOID ObpLookupDirectoryEntry(POBJECT_DIRECTORY Directory, PCUNICODE_STRING Name, ULONG Attributes)
{
    POBJECT_DIRECTORY_ENTRY Entry;
    BOOLEAN CaseInsensitive = (Attributes & OBJ_CASE_INSENSITIVE) != 0;

    for (Entry = Directory->HashBuckets[ObpHashName(Name)]; Entry != NULL; Entry = Entry->ChainLink) {
        if (ObpEqualName(ObpObjectName(Entry->Object), Name, CaseInsensitive))
            return Entry->Object;
    }
    return NULL;
}

VOID ObpInsertDirectoryEntry(POBJECT_DIRECTORY Directory, POBJECT_DIRECTORY_ENTRY Entry, PVOID Object)
{
    ULONG Bucket = ObpHashName(ObpObjectName(Object));

    Entry->Object = Object;
    Entry->ChainLink = Directory->HashBuckets[Bucket];
    Directory->HashBuckets[Bucket] = Entry;
}

POBJECT_DIRECTORY_ENTRY ObpDeleteDirectoryEntry(POBJECT_DIRECTORY Directory, PVOID Object)
{
    POBJECT_DIRECTORY_ENTRY *Link = &Directory->HashBuckets[ObpHashName(ObpObjectName(Object))];
    POBJECT_DIRECTORY_ENTRY Entry;

    for (; (Entry = *Link) != NULL; Link = &Entry->ChainLink) {
        if (Entry->Object == Object) {
            *Link = Entry->ChainLink;
            return Entry;
        }
    }
    ASSERT(!"a named object missing from its directory");
    return NULL;
}

/* ---- services ---- */

NTSTATUS NtCreateDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                                 POBJECT_ATTRIBUTES ObjectAttributes)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    PVOID Directory;
    NTSTATUS Status;
    HANDLE Handle;

    Status = ExProbeUserOutput(DirectoryHandle, sizeof(HANDLE), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObCreateObject(PreviousMode, ObpDirectoryObjectType, ObjectAttributes, PreviousMode, NULL,
                            sizeof(OBJECT_DIRECTORY), 0, 0, &Directory);
    if (!NT_SUCCESS(Status))
        return Status;
    /* The body is zeroed: every bucket empty. */
    Status = ObInsertObject(Directory, NULL, DesiredAccess, 0, NULL, &Handle);
    if (NT_SUCCESS(Status))
        ObpWriteHandle(DirectoryHandle, Handle, PreviousMode);
    return Status;
}

NTSTATUS NtOpenDirectoryObject(PHANDLE DirectoryHandle, ACCESS_MASK DesiredAccess,
                               POBJECT_ATTRIBUTES ObjectAttributes)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    NTSTATUS Status;
    HANDLE Handle;

    Status = ExProbeUserOutput(DirectoryHandle, sizeof(HANDLE), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObOpenObjectByName(ObjectAttributes, ObpDirectoryObjectType, PreviousMode, NULL, DesiredAccess,
                                NULL, &Handle);
    if (NT_SUCCESS(Status))
        ObpWriteHandle(DirectoryHandle, Handle, PreviousMode);
    return Status;
}

/*
 * Fills Buffer (a kernel copy of the caller's) with entries from number *Context on,
 * in bucket order, under the lock: first the OBJECT_DIRECTORY_INFORMATION records
 * with the names still pointing at the objects' own strings, then, once their number
 * is known, the all-zero record and the strings after it, with the pointers moved to
 * where those strings will be in the caller's buffer (UserBuffer). NT's rules:
 * a record that does not fit ends the call with STATUS_MORE_ENTRIES, or with
 * STATUS_BUFFER_TOO_SMALL and the size it needs when only one was asked for; no
 * entry left gives STATUS_NO_MORE_ENTRIES. *TotalLength is what was (or would be)
 * used, terminating record included.
 */
static NTSTATUS ObpFillDirectoryInformation(POBJECT_DIRECTORY Directory, PUCHAR Buffer, PUCHAR UserBuffer,
                                            ULONG Length, BOOLEAN ReturnSingleEntry, PULONG Context,
                                            PULONG TotalLength)
{
    POBJECT_DIRECTORY_INFORMATION Info = (POBJECT_DIRECTORY_INFORMATION)Buffer;
    POBJECT_DIRECTORY_ENTRY Entry;
    NTSTATUS Status = STATUS_NO_MORE_ENTRIES;
    ULONG Bucket, Number = 0, Found = 0, Needed, Index;
    PUNICODE_STRING Name, TypeName;
    PWCHAR Strings;

    *TotalLength = sizeof(OBJECT_DIRECTORY_INFORMATION);
    for (Bucket = 0; Bucket < NUMBER_HASH_BUCKETS; Bucket++) {
        for (Entry = Directory->HashBuckets[Bucket]; Entry != NULL; Entry = Entry->ChainLink, Number++) {
            if (Number < *Context)
                continue;
            Name = ObpObjectName(Entry->Object);
            TypeName = &OBJECT_TO_OBJECT_HEADER(Entry->Object)->Type->Name;
            Needed = sizeof(*Info) + Name->Length + sizeof(WCHAR) + TypeName->Length + sizeof(WCHAR);
            if (*TotalLength + Needed > Length) {
                if (ReturnSingleEntry) {
                    *TotalLength += Needed;
                    return STATUS_BUFFER_TOO_SMALL;
                }
                Status = STATUS_MORE_ENTRIES;
                goto Done;
            }
            Info[Found].Name = *Name;
            Info[Found].TypeName = *TypeName;
            *TotalLength += Needed;
            Found++;
            Status = STATUS_SUCCESS;
            if (ReturnSingleEntry) {
                Number++;
                goto Done;
            }
        }
    }
Done:
    if (Status == STATUS_NO_MORE_ENTRIES)
        return Status;
    memset(&Info[Found], 0, sizeof(*Info));
    Strings = (PWCHAR)&Info[Found + 1];
    for (Index = 0; Index < Found; Index++) {
        PUNICODE_STRING Strs[2] = { &Info[Index].Name, &Info[Index].TypeName };
        ULONG Which;

        for (Which = 0; Which < 2; Which++) {
            memcpy(Strings, Strs[Which]->Buffer, Strs[Which]->Length);
            Strs[Which]->Buffer = (PWSTR)(UserBuffer + ((PUCHAR)Strings - Buffer));
            Strs[Which]->MaximumLength = (USHORT)(Strs[Which]->Length + sizeof(WCHAR));
            Strings += Strs[Which]->Length / sizeof(WCHAR);
            *Strings++ = 0;
        }
    }
    *Context = Number;
    return Status;
}

NTSTATUS NtQueryDirectoryObject(HANDLE DirectoryHandle, PVOID Buffer, ULONG Length,
                                BOOLEAN ReturnSingleEntry, BOOLEAN RestartScan, PULONG Context,
                                PULONG ReturnLength)
{
    KPROCESSOR_MODE PreviousMode = ExGetPreviousMode();
    POBJECT_DIRECTORY Directory;
    ULONG CapturedContext = 0, TotalLength, CopyLength;
    NTSTATUS Status;
    PUCHAR Temporary;

    /* Probe everything first; read the context unless the scan restarts. */
    Status = ExProbeUserOutput(Buffer, Length, sizeof(WCHAR), PreviousMode);
    if (NT_SUCCESS(Status))
        Status = ExProbeUserOutput(Context, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && !RestartScan)
        Status = ExCaptureUserData(&CapturedContext, Context, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (NT_SUCCESS(Status) && ReturnLength != NULL)
        Status = ExProbeUserOutput(ReturnLength, sizeof(ULONG), sizeof(ULONG), PreviousMode);
    if (!NT_SUCCESS(Status))
        return Status;

    /* A kernel copy, never shorter than one record, filled under the lock. */
    if (Length > ~0UL - sizeof(OBJECT_DIRECTORY_INFORMATION))
        return STATUS_INSUFFICIENT_RESOURCES;
    Temporary = ExAllocatePoolWithTag(PagedPool, Length + sizeof(OBJECT_DIRECTORY_INFORMATION), OB_QUERY_TAG);
    if (Temporary == NULL)
        return STATUS_INSUFFICIENT_RESOURCES;
    memset(Temporary, 0, Length + sizeof(OBJECT_DIRECTORY_INFORMATION));
    Status = ObReferenceObjectByHandle(DirectoryHandle, DIRECTORY_QUERY, ObpDirectoryObjectType, PreviousMode,
                                       (PVOID *)&Directory, NULL);
    if (!NT_SUCCESS(Status)) {
        ExFreePoolWithTag(Temporary, OB_QUERY_TAG);
        return Status;
    }

    ObpLock();
    Status = ObpFillDirectoryInformation(Directory, Temporary, Buffer, Length, ReturnSingleEntry,
                                         &CapturedContext, &TotalLength);
    ObpUnlock();

    /* Faults from here on are ignored, as NT does: the work is done. The copy is
       made whatever the status: without records it holds only zeros. */
    CopyLength = TotalLength <= Length ? TotalLength : Length;
    ExCopyToCaller(Buffer, Temporary, CopyLength, PreviousMode);
    if (NT_SUCCESS(Status))
        ExCopyToCaller(Context, &CapturedContext, sizeof(ULONG), PreviousMode);
    if (ReturnLength != NULL)
        ExCopyToCaller(ReturnLength, &TotalLength, sizeof(ULONG), PreviousMode);

    ObDereferenceObject(Directory);
    ExFreePoolWithTag(Temporary, OB_QUERY_TAG);
    return Status;
}
