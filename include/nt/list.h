/*
 * list.h - NT's doubly linked list helpers (InitializeListHead, InsertTailList, ...).
 * Every list in the executive is a LIST_ENTRY embedded in its owner; CONTAINING_RECORD
 * gets the owner back.
 */
#pragma once

#include <nt/ntdef.h>

static inline void InitializeListHead(PLIST_ENTRY Head)
{
    Head->Flink = Head->Blink = Head;
}

static inline BOOLEAN IsListEmpty(const LIST_ENTRY *Head)
{
    return Head->Flink == Head;
}

/* Unlinks Entry; returns TRUE when the list it was on is now empty. */
static inline BOOLEAN RemoveEntryList(PLIST_ENTRY Entry)
{
    PLIST_ENTRY Flink = Entry->Flink, Blink = Entry->Blink;
    Blink->Flink = Flink;
    Flink->Blink = Blink;
    return Flink == Blink;
}

static inline void InsertTailList(PLIST_ENTRY Head, PLIST_ENTRY Entry)
{
    PLIST_ENTRY Blink = Head->Blink;
    Entry->Flink = Head;
    Entry->Blink = Blink;
    Blink->Flink = Entry;
    Head->Blink = Entry;
}

static inline void InsertHeadList(PLIST_ENTRY Head, PLIST_ENTRY Entry)
{
    PLIST_ENTRY Flink = Head->Flink;
    Entry->Flink = Flink;
    Entry->Blink = Head;
    Flink->Blink = Entry;
    Head->Flink = Entry;
}

static inline PLIST_ENTRY RemoveHeadList(PLIST_ENTRY Head)
{
    PLIST_ENTRY Entry = Head->Flink;
    RemoveEntryList(Entry);
    return Entry;
}

static inline PLIST_ENTRY RemoveTailList(PLIST_ENTRY Head)
{
    PLIST_ENTRY Entry = Head->Blink;
    RemoveEntryList(Entry);
    return Entry;
}
