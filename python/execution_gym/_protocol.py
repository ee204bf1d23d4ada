"""The wire protocol of ``execution-gym serve --stdio`` (see PROTOCOL.md; the TypeScript side is
experiments/serve/protocol.ts). One request, then one reply, strictly alternating.

Frame: ``u32`` little-endian body length, then the body. A body starts with an 8-byte header
``u8 kind | u8 flags | u16 reserved | u32 handle`` followed by the kind's payload: raw
little-endian float64 arrays, ``u8`` flag arrays, and JSON (UTF-8) as the last field.
"""

from __future__ import annotations

import struct

#: Bumped on any incompatible change; checked in the HELLO exchange.
PROTOCOL_VERSION = 1
MAGIC = b"EXGY"
HEADER = struct.Struct("<IBBHI")  # length prefix + the 8-byte header
HEADER_BYTES = 8

HELLO = 1
MAKE = 2
RESET = 3
STEP = 4
CLOSE = 5
MAKE_VEC = 6
VRESET = 7
VSTEP = 8
EVAL_START = 9
EVAL_RESET = 10
EVAL_STEP = 11
EVAL_FINISH = 12
BENCH = 13

R_HELLO = 0x81
R_READY = 0x82
R_OBS = 0x83
R_STEPPED = 0x84
R_OK = 0x85
R_VOBS = 0x87
R_VSTEPPED = 0x88
R_EVAL_OBS = 0x8A
R_RESULT = 0x8C
R_ERROR = 0xFF

# STEP request flag and STEPPED reply flags.
WANT_INFO = 1
TERMINATED = 1
TRUNCATED = 2
HAS_INFO = 4


def frame(kind: int, handle: int = 0, payload: bytes = b"", flags: int = 0) -> bytes:
    """A whole request frame."""
    return HEADER.pack(HEADER_BYTES + len(payload), kind, flags, 0, handle) + payload
