#!/usr/bin/env python3
"""badexport.py IN OUT - copies a DLL, giving the first entry of its export name
table an ordinal (0xFFFF) far beyond its function table, as a damaged or hostile
image could: the loader must check the ordinal before it indexes the table."""
import struct
import sys

data = bytearray(open(sys.argv[1], "rb").read())
pe = struct.unpack_from("<I", data, 0x3C)[0]
sections = struct.unpack_from("<H", data, pe + 6)[0]
optional = pe + 24
header_size = struct.unpack_from("<H", data, pe + 20)[0]
export_rva = struct.unpack_from("<I", data, optional + 96)[0]


def offset(rva):
    for index in range(sections):
        entry = optional + header_size + index * 40
        size, address, raw_size, raw = struct.unpack_from("<IIII", data, entry + 8)
        if address <= rva < address + max(size, raw_size):
            return raw + rva - address
    sys.exit("badexport.py: RVA %#x is in no section" % rva)


directory = offset(export_rva)
names = struct.unpack_from("<I", data, directory + 24)[0]
ordinals = struct.unpack_from("<I", data, directory + 36)[0]
if names == 0:
    sys.exit("badexport.py: no names exported")
struct.pack_into("<H", data, offset(ordinals), 0xFFFF)
open(sys.argv[2], "wb").write(data)
