/*
 * multiboot.h - the Multiboot (version 1) structures GRUB and QEMU hand the kernel.
 * Field names follow the Multiboot specification; every address in them is physical.
 */
#pragma once

#include <nt/ntdef.h>

#define MULTIBOOT_HEADER_MAGIC     0x1BADB002  /* in the kernel image's header */
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2BADB002  /* in EAX when the loader jumps to us */

/* MULTIBOOT_INFO.flags: which fields are valid */
#define MULTIBOOT_INFO_MEMORY      0x00000001  /* mem_lower, mem_upper */
#define MULTIBOOT_INFO_BOOTDEV     0x00000002
#define MULTIBOOT_INFO_CMDLINE     0x00000004
#define MULTIBOOT_INFO_MODS        0x00000008
#define MULTIBOOT_INFO_MEM_MAP     0x00000040
#define MULTIBOOT_INFO_LOADER_NAME 0x00000200

/* MULTIBOOT_MMAP_ENTRY.type */
#define MULTIBOOT_MEMORY_AVAILABLE        1
#define MULTIBOOT_MEMORY_RESERVED         2
#define MULTIBOOT_MEMORY_ACPI_RECLAIMABLE 3
#define MULTIBOOT_MEMORY_NVS              4
#define MULTIBOOT_MEMORY_BADRAM           5

typedef struct _MULTIBOOT_INFO {
    uint32_t flags;
    uint32_t mem_lower;          /* KB below 1 MB */
    uint32_t mem_upper;          /* KB above 1 MB, up to the first hole */
    uint32_t boot_device;
    uint32_t cmdline;            /* physical address of a NUL-terminated string */
    uint32_t mods_count;
    uint32_t mods_addr;          /* physical address of MULTIBOOT_MODULE[mods_count] */
    uint32_t syms[4];
    uint32_t mmap_length;        /* bytes */
    uint32_t mmap_addr;          /* physical address of the first MULTIBOOT_MMAP_ENTRY */
    uint32_t drives_length;
    uint32_t drives_addr;
    uint32_t config_table;
    uint32_t boot_loader_name;   /* physical address of a NUL-terminated string */
    uint32_t apm_table;
} MULTIBOOT_INFO, *PMULTIBOOT_INFO;

/*
 * The memory map is a list of variable-sized entries: 'size' counts the bytes that
 * follow it, so the next entry starts at (char *)entry + entry->size + 4.
 */
typedef struct __attribute__((packed)) _MULTIBOOT_MMAP_ENTRY {
    uint32_t size;
    uint64_t addr;
    uint64_t len;
    uint32_t type;
} MULTIBOOT_MMAP_ENTRY, *PMULTIBOOT_MMAP_ENTRY;

typedef struct _MULTIBOOT_MODULE {
    uint32_t mod_start;          /* physical, first byte */
    uint32_t mod_end;            /* physical, one past the last byte */
    uint32_t cmdline;            /* physical address of the module's string */
    uint32_t reserved;
} MULTIBOOT_MODULE, *PMULTIBOOT_MODULE;
