/*
 * test_obhost.h - the kernel as the object manager's and handle tables' host tests
 * see it (test_obhost.c): a pool over malloc that counts and can be told to fail,
 * bugchecks and failed ASSERTs that fail the test, a settable IRQL and previous
 * mode, fault-recovery blocks and probes that treat one region as kernel memory.
 */
#pragma once

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <ex.h>
#include <ke.h>
#include <kd.h>

/* ---- the pool ---- */

/* Live blocks (all tags, or one tag without PROTECTED_POOL). */
ULONG TestPoolLiveBlocks(VOID);
ULONG TestPoolLiveBlocksWithTag(ULONG Tag);
/* The Nth allocation from now (1 = the next) returns NULL; 0 turns that off. */
VOID TestPoolFailAt(ULONG Nth);
/* Allocations made since the last TestPoolFailAt (to know when a sweep is done). */
ULONG TestPoolAllocationsSinceArmed(VOID);
/* Whether the armed failure happened. */
BOOLEAN TestPoolFailureHappened(VOID);

/* ---- the processor's state as the code under test sees it ---- */

extern KIRQL TestIrql;                      /* what KeGetCurrentIrql says */
extern KPROCESSOR_MODE TestPreviousMode;    /* what ExGetPreviousMode says */

/* Memory a probe refuses, as if it were the kernel's (bytes). */
#define TEST_KERNEL_MEMORY_SIZE 4096
extern UCHAR TestKernelMemory[TEST_KERNEL_MEMORY_SIZE];

/* ---- bugchecks ---- */

extern ULONG TestBugCheckCode;
/* setjmp target armed by TEST_EXPECT_BUGCHECK. */
extern jmp_buf TestBugCheckJump;
extern BOOLEAN TestBugCheckArmed;

/* UTF-16 string helpers. */
VOID TestInitString(PUNICODE_STRING String, const char *Ascii);   /* into a static ring of buffers */
BOOLEAN TestStringEquals(PCUNICODE_STRING String, const char *Ascii);
