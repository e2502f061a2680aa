/*
 * oblookup.c - finding objects by name (NT: ObpLookupObjectName in ntos\ob\obdir.c;
 * ObReferenceObjectByName, ObOpenObjectByName, ObOpenObjectByPointer in obref.c and
 * obopen.c).
 *
 * A name is absolute ("\Dir\Name", from the root) or, with a RootDirectory handle,
 * relative to that object. The lookup takes one component at a time down the
 * directories. When it reaches an object whose type has a parse procedure, it hands
 * the rest of the name to that procedure (NT's way into file systems and the
 * registry): the procedure returns the object the name means, or STATUS_REPARSE with
 * a new complete name, and the lookup starts again, from the root when the new name
 * is absolute. Symbolic links are objects whose parse procedure does exactly that.
 * A lookup allows 32 parses (OBJ_MAX_REPARSE_ATTEMPTS) and then, as NT does, ends in
 * STATUS_OBJECT_NAME_NOT_FOUND: that is what a loop of links gives.
 *
 * NT's status codes:
 *   STATUS_OBJECT_PATH_SYNTAX_BAD  an absolute name not starting with '\', an empty
 *                                  name with no root, a name starting with '\' relative
 *                                  to anything but a file object
 *   STATUS_OBJECT_NAME_INVALID     an empty component ("\A\\B", "\A\")
 *   STATUS_OBJECT_PATH_NOT_FOUND   a missing directory on the way
 *   STATUS_OBJECT_NAME_NOT_FOUND   a missing last component; too many reparses
 *   STATUS_OBJECT_TYPE_MISMATCH    a component on the way that is not a directory and
 *                                  has no parse procedure; a last one of another type
 *   STATUS_INVALID_HANDLE          a RootDirectory that is neither a directory nor
 *                                  parsable (or not a handle at all)
 *
 * Inserting (ObInsertObject) is a lookup that, instead of failing on a missing last
 * component, names the new object there. On the way it follows symbolic links but
 * calls no other parse procedure, as in NT.
 *
 * No traverse or create access is checked on the directories: there are no security
 * descriptors yet.
 */
#include "obp.h"

static inline BOOLEAN ObpStartsWithSeparator(PCUNICODE_STRING Name)
{
    return Name->Length != 0 && Name->Buffer[0] == OBJ_NAME_PATH_SEPARATOR;
}

/*
 * Walks *Remaining down from Directory (referenced by the caller, who keeps that
 * reference). Ends with *Object referenced and:
 *   - *ParseNeeded: Object's type has a parse procedure to give *Remaining (what
 *     follows Object in the name, from its '\');
 *   - else Object is what the name means (the last component), or InsertObject,
 *     just named in the last directory.
 */
static NTSTATUS ObpWalkDirectories(POBJECT_DIRECTORY Directory, PUNICODE_STRING Remaining, ULONG Attributes,
                                   POBJECT_TYPE ObjectType, PVOID InsertObject, PVOID *Object,
                                   PBOOLEAN ParseNeeded)
{
    POBJECT_DIRECTORY_ENTRY NewEntry;
    POBJECT_HEADER_NAME_INFO NameInfo;
    UNICODE_STRING Component;
    POBJECT_TYPE FoundType;
    NTSTATUS Status;
    PWSTR NewName;
    PVOID Found;

    *Object = NULL;
    *ParseNeeded = FALSE;
    ObfReferenceObject(Directory);      /* the walk's own, moved down with it */
    for (;;) {
        /* The next component: one separator, then up to the next one. */
        if (ObpStartsWithSeparator(Remaining)) {
            Remaining->Buffer++;
            Remaining->Length -= sizeof(WCHAR);
        }
        Component = *Remaining;
        while (Remaining->Length != 0 && Remaining->Buffer[0] != OBJ_NAME_PATH_SEPARATOR) {
            Remaining->Buffer++;
            Remaining->Length -= sizeof(WCHAR);
        }
        Component.Length = (USHORT)(Component.Length - Remaining->Length);
        Component.MaximumLength = Component.Length;
        if (Component.Length == 0) {
            Status = STATUS_OBJECT_NAME_INVALID;
            break;
        }

        /* Naming a new object needs an entry and a name of its own: allocated
           before the lock, freed if the name turns out to be taken. */
        NewEntry = NULL;
        NewName = NULL;
        if (Remaining->Length == 0 && InsertObject != NULL) {
            NewEntry = ExAllocatePoolWithTag(PagedPool, sizeof(*NewEntry), OB_DIRECTORY_ENTRY_TAG);
            NewName = ExAllocatePoolWithTag(PagedPool, Component.Length + sizeof(WCHAR), OB_NAME_TAG);
            if (NewEntry == NULL || NewName == NULL) {
                if (NewEntry != NULL)
                    ExFreePoolWithTag(NewEntry, OB_DIRECTORY_ENTRY_TAG);
                if (NewName != NULL)
                    ExFreePoolWithTag(NewName, OB_NAME_TAG);
                Status = STATUS_INSUFFICIENT_RESOURCES;
                break;
            }
            memcpy(NewName, Component.Buffer, Component.Length);
            NewName[Component.Length / sizeof(WCHAR)] = 0;
        }

        ObpLock();
        Found = ObpLookupDirectoryEntry(Directory, &Component, Attributes);
        if (Found == NULL && NewEntry != NULL) {
            /* The name is free: the new object takes it. The entry holds a reference
               to the object, the name info one to its directory. */
            NameInfo = OBJECT_HEADER_TO_NAME_INFO(OBJECT_TO_OBJECT_HEADER(InsertObject));
            NameInfo->Name.Buffer = NewName;
            NameInfo->Name.Length = Component.Length;
            NameInfo->Name.MaximumLength = (USHORT)(Component.Length + sizeof(WCHAR));
            NameInfo->Directory = Directory;
            ObpInsertDirectoryEntry(Directory, NewEntry, InsertObject);
            ObfReferenceObject(Directory);
            ObfReferenceObject(InsertObject);   /* the entry's */
            ObfReferenceObject(InsertObject);   /* the caller's */
            ObpUnlock();
            *Object = InsertObject;
            Status = STATUS_SUCCESS;
            break;
        }
        if (Found != NULL)
            ObfReferenceObject(Found);          /* before the lock lets it go */
        ObpUnlock();
        if (NewEntry != NULL) {
            ExFreePoolWithTag(NewEntry, OB_DIRECTORY_ENTRY_TAG);
            ExFreePoolWithTag(NewName, OB_NAME_TAG);
        }
        if (Found == NULL) {
            Status = Remaining->Length != 0 ? STATUS_OBJECT_PATH_NOT_FOUND : STATUS_OBJECT_NAME_NOT_FOUND;
            break;
        }

        FoundType = OBJECT_TO_OBJECT_HEADER(Found)->Type;
        if (FoundType->TypeInfo.ParseProcedure != NULL &&
            (InsertObject == NULL || FoundType->TypeInfo.ParseProcedure == ObpParseSymbolicLink)) {
            *Object = Found;
            *ParseNeeded = TRUE;
            Status = STATUS_SUCCESS;
            break;
        }
        if (Remaining->Length == 0) {
            /* The last component. An insert reports it found (a collision, or
               OBJ_OPENIF); an open wants the right type. */
            if (InsertObject == NULL && ObjectType != NULL && FoundType != ObjectType) {
                ObDereferenceObject(Found);
                Status = STATUS_OBJECT_TYPE_MISMATCH;
                break;
            }
            *Object = Found;
            Status = STATUS_SUCCESS;
            break;
        }
        if (FoundType != ObpDirectoryObjectType) {
            ObDereferenceObject(Found);
            Status = STATUS_OBJECT_TYPE_MISMATCH;
            break;
        }
        ObDereferenceObject(Directory);
        Directory = Found;
    }
    ObDereferenceObject(Directory);
    return Status;
}

/*
 * Calls Object's parse procedure with the name's rest, freeing the old name block
 * if the procedure replaced it (see OB_NAME_TAG in ob.h).
 */
static NTSTATUS ObpCallParseProcedure(PVOID Object, POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode,
                                      ULONG Attributes, PUNICODE_STRING ObjectName, PUNICODE_STRING Remaining,
                                      PVOID ParseContext, PSECURITY_QUALITY_OF_SERVICE SecurityQos,
                                      PVOID *Result)
{
    OB_PARSE_METHOD Parse = OBJECT_TO_OBJECT_HEADER(Object)->Type->TypeInfo.ParseProcedure;
    PWSTR OldBuffer = ObjectName->Buffer;
    NTSTATUS Status;

    *Result = NULL;
    Status = Parse(Object, ObjectType, NULL, AccessMode, Attributes, ObjectName, Remaining, ParseContext,
                   SecurityQos, Result);
    if (Status == STATUS_REPARSE && ObjectName->Buffer != OldBuffer && OldBuffer != NULL)
        ExFreePoolWithTag(OldBuffer, OB_NAME_TAG);
    if (Status != STATUS_REPARSE && !NT_SUCCESS(Status))
        *Result = NULL;
    return Status;
}

/*
 * A name relative to an object that is not a directory: its parse procedure gets
 * the whole name (the I/O manager's relative file opens). *Restart: a reparse gave
 * an absolute name, to be looked up from the root.
 */
static NTSTATUS ObpParseRelative(PVOID Root, PUNICODE_STRING ObjectName, ULONG Attributes,
                                 POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessCheckMode, PVOID ParseContext,
                                 PSECURITY_QUALITY_OF_SERVICE SecurityQos, PULONG Reparses,
                                 PVOID *FoundObject, PBOOLEAN Restart)
{
    UNICODE_STRING Remaining;
    NTSTATUS Status;
    PVOID Result;

    *Restart = FALSE;
    for (;;) {
        Remaining = *ObjectName;
        Status = ObpCallParseProcedure(Root, ObjectType, AccessCheckMode, Attributes, ObjectName, &Remaining,
                                       ParseContext, SecurityQos, &Result);
        if (Status != STATUS_REPARSE) {
            if (NT_SUCCESS(Status) && Result == NULL)
                Status = STATUS_OBJECT_NAME_NOT_FOUND;
            *FoundObject = Result;
            return Status;
        }
        if (--*Reparses == 0)
            return STATUS_OBJECT_NAME_NOT_FOUND;
        if (ObjectName->Length == 0 || ObpStartsWithSeparator(ObjectName)) {
            *Restart = TRUE;
            return STATUS_SUCCESS;
        }
    }
}

/* "\" alone: the root, or, while there is none yet (ObInitSystem), the directory
   being inserted, which becomes it. */
static NTSTATUS ObpReferenceRoot(POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode, PVOID InsertObject,
                                 PVOID *FoundObject)
{
    PVOID Root = ObpRootDirectoryObject != NULL ? (PVOID)ObpRootDirectoryObject : InsertObject;
    NTSTATUS Status;

    if (Root == NULL)
        return STATUS_INVALID_PARAMETER;
    Status = ObReferenceObjectByPointer(Root, 0, ObjectType, AccessMode);
    if (NT_SUCCESS(Status))
        *FoundObject = Root;
    return Status;
}

NTSTATUS ObpLookupObjectName(HANDLE RootDirectory, PUNICODE_STRING ObjectName, ULONG Attributes,
                             POBJECT_TYPE ObjectType, KPROCESSOR_MODE AccessMode, PVOID ParseContext,
                             PSECURITY_QUALITY_OF_SERVICE SecurityQos, PVOID InsertObject,
                             PVOID *FoundObject)
{
    ULONG Reparses = OBJ_MAX_REPARSE_ATTEMPTS;
    KPROCESSOR_MODE AccessCheckMode;
    UNICODE_STRING Remaining;
    POBJECT_TYPE RootType;
    PVOID Root = NULL, Start, Object, Result;
    BOOLEAN ParseNeeded, Restart;
    NTSTATUS Status;

    *FoundObject = NULL;
    if (ObpCaseInsensitive && (ObjectType == NULL || ObjectType->TypeInfo.CaseInsensitive))
        Attributes |= OBJ_CASE_INSENSITIVE;
    /* What parse procedures check access for (NT: OBJ_FORCE_ACCESS_CHECK). */
    AccessCheckMode = (Attributes & OBJ_FORCE_ACCESS_CHECK) ? UserMode : AccessMode;

    if (RootDirectory != NULL) {
        Status = ObReferenceObjectByHandle(RootDirectory, 0, NULL, AccessMode, &Root, NULL);
        if (!NT_SUCCESS(Status))
            return Status;
        RootType = OBJECT_TO_OBJECT_HEADER(Root)->Type;
        /* As in NT, only a file object may be given a name from '\' relative to it:
           its file system is the one to refuse it (STATUS_OBJECT_NAME_INVALID). A
           relative name from '\' means nothing to any other object. */
        if (ObpStartsWithSeparator(ObjectName) && RootType != IoFileObjectType) {
            ObDereferenceObject(Root);
            return STATUS_OBJECT_PATH_SYNTAX_BAD;
        }
        if (RootType != ObpDirectoryObjectType) {
            if (RootType->TypeInfo.ParseProcedure == NULL) {
                ObDereferenceObject(Root);
                return STATUS_INVALID_HANDLE;
            }
            Status = ObpParseRelative(Root, ObjectName, Attributes, ObjectType, AccessCheckMode, ParseContext,
                                      SecurityQos, &Reparses, FoundObject, &Restart);
            ObDereferenceObject(Root);
            Root = NULL;
            if (!Restart)
                return Status;
        } else if (ObjectName->Length == 0) {
            /* No name: the directory itself. */
            Status = ObReferenceObjectByPointer(Root, 0, ObjectType, AccessMode);
            if (NT_SUCCESS(Status))
                *FoundObject = Root;
            ObDereferenceObject(Root);
            return Status;
        }
    } else if (!ObpStartsWithSeparator(ObjectName)) {
        return STATUS_OBJECT_PATH_SYNTAX_BAD;
    }

    /* Each pass walks the name from Root (a directory we hold) or, with none, from
       the root; a reparse starts another pass. */
    for (;;) {
        if (Root != NULL) {
            Start = Root;
        } else if (ObjectName->Length == sizeof(WCHAR)) {
            Status = ObpReferenceRoot(ObjectType, AccessMode, InsertObject, FoundObject);
            break;
        } else if (ObpRootDirectoryObject == NULL) {
            Status = STATUS_OBJECT_PATH_NOT_FOUND;  /* only while ObInitSystem runs */
            break;
        } else {
            Start = ObpRootDirectoryObject;
        }

        Remaining = *ObjectName;
        Status = ObpWalkDirectories(Start, &Remaining, Attributes, ObjectType, InsertObject, &Object,
                                    &ParseNeeded);
        if (!NT_SUCCESS(Status) || !ParseNeeded) {
            *FoundObject = Object;
            break;
        }
        Status = ObpCallParseProcedure(Object, ObjectType, AccessCheckMode, Attributes, ObjectName, &Remaining,
                                       ParseContext, SecurityQos, &Result);
        ObDereferenceObject(Object);
        if (Status != STATUS_REPARSE) {
            if (NT_SUCCESS(Status) && Result == NULL)
                Status = STATUS_OBJECT_NAME_NOT_FOUND;
            *FoundObject = Result;
            break;
        }
        if (--Reparses == 0) {
            Status = STATUS_OBJECT_NAME_NOT_FOUND;
            break;
        }
        if (ObpStartsWithSeparator(ObjectName)) {
            if (Root != NULL) {
                ObDereferenceObject(Root);      /* an absolute name leaves it */
                Root = NULL;
            }
        } else if (Root == NULL || ObjectName->Length == 0) {
            /* A relative new name means nothing without a directory to start from. */
            Status = STATUS_OBJECT_NAME_NOT_FOUND;
            break;
        }
        /* else: again from the RootDirectory we were given, as NT does. */
    }
    if (Root != NULL)
        ObDereferenceObject(Root);
    return Status;
}

/* ---- the interfaces on top ---- */

NTSTATUS ObReferenceObjectByName(PUNICODE_STRING ObjectName, ULONG Attributes, PACCESS_STATE AccessState,
                                 ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                                 KPROCESSOR_MODE AccessMode, PVOID ParseContext, PVOID *Object)
{
    UNICODE_STRING Name;
    NTSTATUS Status;

    /* No access to check without security descriptors; the kernel gets what it asks. */
    UNREFERENCED_PARAMETER(AccessState);
    UNREFERENCED_PARAMETER(DesiredAccess);
    *Object = NULL;
    if (ObjectName == NULL)
        return STATUS_OBJECT_NAME_INVALID;
    Status = ObpCaptureObjectName(AccessMode, ObjectName, &Name);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObpLookupObjectName(NULL, &Name, Attributes, ObjectType, AccessMode, ParseContext, NULL, NULL,
                                 Object);
    ObpFreeObjectName(&Name);
    return Status;
}

NTSTATUS ObOpenObjectByName(POBJECT_ATTRIBUTES ObjectAttributes, POBJECT_TYPE ObjectType,
                            KPROCESSOR_MODE AccessMode, PACCESS_STATE AccessState,
                            ACCESS_MASK DesiredAccess, PVOID ParseContext, PHANDLE Handle)
{
    OBJECT_CREATE_INFORMATION CreateInfo;
    ACCESS_MASK Granted;
    UNICODE_STRING Name;
    NTSTATUS Status;
    PVOID Object;

    UNREFERENCED_PARAMETER(AccessState);
    *Handle = NULL;
    if (ObjectAttributes == NULL)
        return STATUS_INVALID_PARAMETER;
    Status = ObpCaptureObjectCreateInformation(AccessMode, ObjectAttributes, &CreateInfo, &Name);
    if (!NT_SUCCESS(Status))
        return Status;
    Status = ObpLookupObjectName(CreateInfo.RootDirectory, &Name, CreateInfo.Attributes, ObjectType, AccessMode,
                                 ParseContext, CreateInfo.SecurityQos, NULL, &Object);
    ObpFreeObjectName(&Name);
    if (!NT_SUCCESS(Status))
        return Status;

    Status = ObpGrantAccess(OBJECT_TO_OBJECT_HEADER(Object)->Type, DesiredAccess, AccessMode, &Granted);
    if (NT_SUCCESS(Status))
        Status = ObpCreateHandle(ObOpenHandle, Object, NULL, Granted, CreateInfo.Attributes, AccessMode, Handle);
    if (!NT_SUCCESS(Status))
        ObDereferenceObject(Object);
    return Status;
}

NTSTATUS ObOpenObjectByPointer(PVOID Object, ULONG HandleAttributes, PACCESS_STATE PassedAccessState,
                               ACCESS_MASK DesiredAccess, POBJECT_TYPE ObjectType,
                               KPROCESSOR_MODE AccessMode, PHANDLE Handle)
{
    ACCESS_MASK Granted;
    NTSTATUS Status;

    UNREFERENCED_PARAMETER(PassedAccessState);
    *Handle = NULL;
    Status = ObReferenceObjectByPointer(Object, 0, ObjectType, AccessMode);
    if (!NT_SUCCESS(Status))
        return Status;
    if (AccessMode != KernelMode)
        HandleAttributes &= ~OBJ_KERNEL_HANDLE;
    Status = ObpGrantAccess(OBJECT_TO_OBJECT_HEADER(Object)->Type, DesiredAccess, AccessMode, &Granted);
    if (NT_SUCCESS(Status))
        Status = ObpCreateHandle(ObOpenHandle, Object, NULL, Granted, HandleAttributes, AccessMode, Handle);
    if (!NT_SUCCESS(Status))
        ObDereferenceObject(Object);
    return Status;
}
