/*
 * exobjp.h - what the files of the synchronization objects (event.c, semphore.c,
 * mutant.c, timer.c) share: the creation of their types and the steps every one
 * of their services takes: creating, inserting and opening objects, answering a
 * query (user buffers go through ex/capture.c). exobtype.c has them.
 */
#pragma once

#include <exobj.h>
#include <ke.h>
#include <kd.h>
#include <rtl.h>
#include "ntapi.h"      /* the prototypes of the services, from include/nt/sysfuncs.lst */

/* Each type's part of ExInitializeObjectTypes (NT's names). */
NTSTATUS ExpEventInitialization(VOID);
NTSTATUS ExpSemaphoreInitialization(VOID);
NTSTATUS ExpMutantInitialization(VOID);
NTSTATUS ExpTimerInitialization(VOID);
NTSTATUS ExpKeyedEventInitialization(VOID);

/*
 * A type whose bodies are BodySize bytes of non-paged pool (a dispatcher object
 * is touched at DISPATCH_LEVEL), named Name in \ObjectTypes. As in NT, its names
 * are case-sensitive (Win32's named events are) and OBJ_OPENLINK is refused.
 */
NTSTATUS ExpCreateObjectType(PCWSTR Name, ULONG BodySize, const GENERIC_MAPPING *GenericMapping,
                             ACCESS_MASK ValidAccessMask, OB_DELETE_METHOD DeleteProcedure,
                             POBJECT_TYPE *ObjectType);

/*
 * NtCreateXxx, first half: probes *Handle and creates an object of Type named by
 * ObjectAttributes, its body zeroed, for the caller to initialize.
 */
NTSTATUS ExpCreateObject(KPROCESSOR_MODE PreviousMode, PHANDLE Handle, POBJECT_TYPE ObjectType,
                         POBJECT_ATTRIBUTES ObjectAttributes, ULONG BodySize, PVOID *Body);
/*
 * Second half: names it and makes the handle (STATUS_OBJECT_NAME_EXISTS and a
 * handle to the existing object under OBJ_OPENIF: the new one is deleted), then
 * stores the handle. On failure the object is deleted (its delete procedure runs).
 */
NTSTATUS ExpInsertObject(KPROCESSOR_MODE PreviousMode, PVOID Body, ACCESS_MASK DesiredAccess,
                         PHANDLE Handle);
/* NtOpenXxx: probes *Handle, opens the object of Type by name, stores the handle. */
NTSTATUS ExpOpenObject(PHANDLE Handle, ACCESS_MASK DesiredAccess, POBJECT_ATTRIBUTES ObjectAttributes,
                       POBJECT_TYPE ObjectType);

/*
 * NtQueryXxx for a type with one class, number 0, of Length bytes: probes the
 * buffer (ULONG-aligned) and ReturnLength, checks the class
 * (STATUS_INVALID_INFO_CLASS) and the length (STATUS_INFO_LENGTH_MISMATCH),
 * references the object for DesiredAccess, lets Fill describe it into a kernel
 * buffer, and copies that out.
 */
typedef VOID (*PEXP_QUERY_ROUTINE)(PVOID Object, PVOID Information);
NTSTATUS ExpQueryObject(HANDLE Handle, POBJECT_TYPE ObjectType, ACCESS_MASK DesiredAccess,
                        ULONG InformationClass, PVOID Information, ULONG InformationLength,
                        PULONG ReturnLength, ULONG Length, PEXP_QUERY_ROUTINE Fill);
