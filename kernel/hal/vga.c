/*
 * vga.c - the 80x25 VGA text screen (NT: the boot video driver's text output,
 * InbvDisplayString and friends, which also paint the blue bugcheck screen).
 *
 * Text memory at physical 0xB8000 is reached through the boot mapping of low
 * memory at KSEG0_BASE. The hardware cursor follows the output (CRTC registers
 * 0x0E/0x0F); the screen scrolls when output reaches the last line.
 */
#include <hal.h>
#include <mmlayout.h>

#define VGA_TEXT_PHYSICAL 0xB8000
#define VGA_COLUMNS       80
#define VGA_ROWS          25
#define VGA_CRTC_INDEX    0x3D4
#define VGA_CRTC_DATA     0x3D5
#define VGA_CURSOR_HIGH   0x0E
#define VGA_CURSOR_LOW    0x0F
#define VGA_TAB_WIDTH     8

static volatile USHORT *const HalpVgaText = (volatile USHORT *)(KSEG0_BASE + VGA_TEXT_PHYSICAL);
static ULONG HalpColumn, HalpRow;
static UCHAR HalpAttribute = VGA_ATTRIBUTE(VGA_COLOR_LIGHT_GRAY, 0);

static VOID HalpUpdateCursor(VOID)
{
    USHORT Position = (USHORT)(HalpRow * VGA_COLUMNS + HalpColumn);

    WRITE_PORT_UCHAR(VGA_CRTC_INDEX, VGA_CURSOR_HIGH);
    WRITE_PORT_UCHAR(VGA_CRTC_DATA, (UCHAR)(Position >> 8));
    WRITE_PORT_UCHAR(VGA_CRTC_INDEX, VGA_CURSOR_LOW);
    WRITE_PORT_UCHAR(VGA_CRTC_DATA, (UCHAR)(Position & 0xFF));
}

static USHORT HalpBlank(VOID)
{
    return (USHORT)((HalpAttribute << 8) | ' ');
}

static VOID HalpScroll(VOID)
{
    ULONG Cell;

    for (Cell = 0; Cell < (VGA_ROWS - 1) * VGA_COLUMNS; Cell++)
        HalpVgaText[Cell] = HalpVgaText[Cell + VGA_COLUMNS];
    for (; Cell < VGA_ROWS * VGA_COLUMNS; Cell++)
        HalpVgaText[Cell] = HalpBlank();
    HalpRow = VGA_ROWS - 1;
}

static VOID HalpNewLine(VOID)
{
    HalpColumn = 0;
    if (++HalpRow == VGA_ROWS)
        HalpScroll();
}

static VOID HalpPutChar(CHAR Character)
{
    switch (Character) {
    case '\n':
        HalpNewLine();
        return;
    case '\r':
        HalpColumn = 0;
        return;
    case '\b':
        if (HalpColumn > 0)
            HalpColumn--;
        return;
    case '\t':
        HalpColumn = (HalpColumn + VGA_TAB_WIDTH) & ~(ULONG)(VGA_TAB_WIDTH - 1);
        if (HalpColumn >= VGA_COLUMNS)
            HalpNewLine();
        return;
    default:
        HalpVgaText[HalpRow * VGA_COLUMNS + HalpColumn] =
            (USHORT)((HalpAttribute << 8) | (UCHAR)Character);
        if (++HalpColumn == VGA_COLUMNS)
            HalpNewLine();
    }
}

VOID HalDisplayString(PCSTR String)
{
    while (*String)
        HalpPutChar(*String++);
    HalpUpdateCursor();
}

VOID HalSetDisplayAttribute(UCHAR Attribute)
{
    HalpAttribute = Attribute;
}

VOID HalClearDisplay(UCHAR Attribute)
{
    ULONG Cell;

    HalpAttribute = Attribute;
    for (Cell = 0; Cell < VGA_ROWS * VGA_COLUMNS; Cell++)
        HalpVgaText[Cell] = HalpBlank();
    HalpRow = HalpColumn = 0;
    HalpUpdateCursor();
}

VOID HalpInitializeDisplay(VOID)
{
    HalClearDisplay(VGA_ATTRIBUTE(VGA_COLOR_LIGHT_GRAY, 0));
}
