#!/usr/bin/env python3
"""badimage.py IN OUT WHAT - copies a DLL with one RVA of its import or export
tables pointed far outside the image (0x7FFFFFF0, kernel space once added to any
base), as a damaged or hostile image could: the loader must check what it reads
against SizeOfImage and refuse the image rather than fault in it.

WHAT: import-name   the first import descriptor's DLL name
      import-thunk  the first entry of the first descriptor's lookup table
      export-name   the first entry of the export name table"""
import struct
import sys

FAR = 0x7FFFFFF0
data = bytearray(open(sys.argv[1], "rb").read())
what = sys.argv[3]
pe = struct.unpack_from("<I", data, 0x3C)[0]
sections = struct.unpack_from("<H", data, pe + 6)[0]
optional = pe + 24
header_size = struct.unpack_from("<H", data, pe + 20)[0]


def offset(rva):
    for index in range(sections):
        entry = optional + header_size + index * 40
        size, address, raw_size, raw = struct.unpack_from("<IIII", data, entry + 8)
        if address <= rva < address + max(size, raw_size):
            return raw + rva - address
    sys.exit("badimage.py: RVA %#x is in no section" % rva)


def directory(index):
    rva = struct.unpack_from("<I", data, optional + 96 + 8 * index)[0]
    if rva == 0:
        sys.exit("badimage.py: no directory %d" % index)
    return offset(rva)


if what == "import-name":
    struct.pack_into("<I", data, directory(1) + 12, FAR)
elif what == "import-thunk":
    lookup = struct.unpack_from("<I", data, directory(1))[0]
    struct.pack_into("<I", data, offset(lookup), FAR)
elif what == "export-name":
    names = struct.unpack_from("<I", data, directory(0) + 32)[0]
    struct.pack_into("<I", data, offset(names), FAR)
else:
    sys.exit("badimage.py: what is " + what + "?")
open(sys.argv[2], "wb").write(data)
