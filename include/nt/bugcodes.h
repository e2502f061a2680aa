/*
 * bugcodes.h - bugcheck codes as constants (from bugcodes.def, the one list).
 */
#pragma once

enum {
#define BUGCODE(Name, Value) Name = (Value),
#include <nt/bugcodes.def>
#undef BUGCODE
};
