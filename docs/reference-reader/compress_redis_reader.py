#!/usr/bin/env python3
"""An independent reader of the compress-redis wire format, written from FORMAT.md alone.

It follows FORMAT.md section 3 step by step, so that on any value it reports the same fault as
the Java reader. Standard library only, plus the `zstandard` module for zstd payloads (Debian:
`apt-get install python3-zstandard`; pip: `zstandard`). LZ4, snappy and CRC-32C are decoded here.

    python3 compress_redis_reader.py --vectors ../../FORMAT.md   # check every vector, print results
    python3 compress_redis_reader.py HEX                          # decode one stored value
    python3 compress_redis_reader.py --compare FILE               # lines: <result> <hex> [<dictionary hex>]

With --vectors it prints one line per vector, `<name> <result>`, where the result is `ok` for a
value that decoded to its input and otherwise the fault name, and exits 1 if any result differs
from what FORMAT.md publishes.
"""

import sys
import zlib

try:
    import zstandard
except ImportError:  # zstd payloads then fail with an explanation
    zstandard = None

MAGIC = b"\xc1\x8d"
MAX_ORIGINAL_LENGTH = 2**31 - 9
MAX_DICTIONARY_ID = 2**31 - 1
DEFAULT_MAX_DECOMPRESSED_SIZE = 64 * 1024 * 1024
CODECS = {0: "stored", 1: "zstd", 2: "lz4", 3: "gzip", 4: "deflate", 5: "snappy"}


class Fault(Exception):
    def __init__(self, name, message):
        super().__init__(name + ": " + message)
        self.name = name


def _crc32c_table():
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C = _crc32c_table()


def crc32c(*parts):
    crc = 0xFFFFFFFF
    for data in parts:
        for b in data:
            crc = _CRC32C[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _varint(value, pos, what, maximum):
    result = 0
    for i in range(5):
        if pos >= len(value):
            raise Fault("truncated", "header ends inside the " + what)
        b = value[pos]
        pos += 1
        result |= (b & 0x7F) << (7 * i)
        if b & 0x80 == 0:
            if b == 0 and i > 0:
                raise Fault("corrupt", what + " is not minimally encoded")
            if result > maximum:
                raise Fault("corrupt", what + " is above its maximum")
            return result, pos
    raise Fault("corrupt", what + " is longer than five bytes")


def read(value, dictionaries=None, max_size=DEFAULT_MAX_DECOMPRESSED_SIZE):
    """Return the original bytes of a stored value, or raise Fault."""
    dictionaries = dictionaries or {}
    if len(value) < 2 or value[:2] != MAGIC:
        return value  # plain
    # step 1: the header
    if len(value) < 5:
        raise Fault("truncated", "shorter than the smallest header")
    version, codec = value[2] >> 4, value[2] & 0x0F
    if version not in (1, 2):
        raise Fault("unsupported-version", "version %d" % version)
    flags = value[3]
    if flags & ~0x03:
        raise Fault("corrupt", "reserved flag bits set")
    checksum_flag, dictionary_flag = bool(flags & 1), bool(flags & 2)
    length, pos = _varint(value, 4, "original length", MAX_ORIGINAL_LENGTH)
    dictionary_id = 0
    if dictionary_flag:
        dictionary_id, pos = _varint(value, pos, "dictionary id", MAX_DICTIONARY_ID)
        if dictionary_id == 0:
            raise Fault("corrupt", "dictionary id 0")
    check_offset = pos
    check = None
    if checksum_flag or version == 2:
        if len(value) < pos + 4:
            raise Fault("truncated", "header ends inside the check")
        check = int.from_bytes(value[pos:pos + 4], "big")
        pos += 4
    payload = value[pos:]
    # step 2: the codec
    if codec not in CODECS:
        raise Fault("unknown-codec", "codec id %d" % codec)
    if version == 2 and codec == 0 and not checksum_flag:
        raise Fault("corrupt", "a version 2 stored value without the checksum flag")
    if dictionary_flag and codec != 1:
        raise Fault("missing-dictionary", "a dictionary on a codec other than zstd")
    # step 3: the declared length
    if codec != 0 and length > max_size:
        raise Fault("too-large", "declared %d bytes" % length)
    # step 4: the dictionary
    fingerprint = b""
    dictionary = None
    if dictionary_flag:
        if dictionary_id not in dictionaries:
            raise Fault("missing-dictionary", "dictionary %d" % dictionary_id)
        dictionary = dictionaries[dictionary_id]
        fingerprint = crc32c(dictionary).to_bytes(4, "big")
    header = value[:check_offset]
    # step 5: the header check (version 2 without the checksum flag)
    if version == 2 and not checksum_flag and crc32c(header, fingerprint) != check:
        raise Fault("checksum-mismatch", "header check")
    # step 6: the payload
    original = DECODERS[codec](payload, length, dictionary)
    if len(original) != length:
        raise Fault("length-mismatch", "decoded %d bytes" % len(original))
    # step 7: the checksum
    if checksum_flag:
        expected = crc32c(header, fingerprint, original) if version == 2 else crc32c(original)
        if expected != check:
            raise Fault("checksum-mismatch", "checksum")
    return original


def _stored(payload, length, dictionary):
    if len(payload) < length:
        raise Fault("truncated", "stored payload is short")
    if len(payload) > length:
        raise Fault("corrupt", "bytes after the stored payload")
    return payload


def _zstd(payload, length, dictionary):
    magicless = dictionary is not None and payload[:4] != b"\x28\xb5\x2f\xfd"
    pos = 0
    end = len(payload)
    if not magicless:
        if end < 4:
            raise Fault("truncated", "zstd magic")
        if payload[:4] != b"\x28\xb5\x2f\xfd":
            raise Fault("corrupt", "zstd magic")
        pos = 4
    if pos >= end:
        raise Fault("truncated", "zstd frame header")
    fhd = payload[pos]
    if fhd & 0x08:
        raise Fault("corrupt", "zstd reserved bit")
    single = bool(fhd & 0x20)
    fcs_size = [1 if single else 0, 2, 4, 8][fhd >> 6]
    if fcs_size == 0:
        raise Fault("corrupt", "zstd frame without content size")
    did_size = [0, 1, 2, 4][fhd & 3]
    header_size = 1 + (0 if single else 1) + did_size + fcs_size
    if end - pos < header_size:
        raise Fault("truncated", "zstd frame header")
    p = pos + 1 + (0 if single else 1)
    if int.from_bytes(payload[p:p + did_size], "little") != 0:
        raise Fault("corrupt", "zstd dictionary id")
    p += did_size
    content_size = int.from_bytes(payload[p:p + fcs_size], "little") + (256 if fcs_size == 2 else 0)
    p += fcs_size
    if content_size != length:
        raise Fault("length-mismatch", "zstd content size")
    last = False
    while not last:
        if end - p < 3:
            raise Fault("truncated", "zstd block header")
        block = int.from_bytes(payload[p:p + 3], "little")
        p += 3
        last = bool(block & 1)
        block_type = (block >> 1) & 3
        if block_type == 3:
            raise Fault("corrupt", "zstd reserved block type")
        size = 1 if block_type == 1 else block >> 3
        if end - p < size:
            raise Fault("truncated", "zstd block")
        p += size
    if fhd & 0x04:
        if end - p < 4:
            raise Fault("truncated", "zstd content checksum")
        p += 4
    if p != end:
        raise Fault("corrupt", "bytes after the zstd frame")
    if zstandard is None:
        raise SystemExit("zstd payloads need the zstandard module (apt-get install python3-zstandard)")
    frame = (b"\x28\xb5\x2f\xfd" + payload) if magicless else payload
    try:
        if dictionary is not None:
            dctx = zstandard.ZstdDecompressor(dict_data=zstandard.ZstdCompressionDict(dictionary))
        else:
            dctx = zstandard.ZstdDecompressor()
        out = dctx.decompress(frame)
    except zstandard.ZstdError as ex:
        raise Fault("corrupt", "zstd: %s" % ex)
    if len(out) != length:
        raise Fault("corrupt", "zstd frame decoded to another size than its content size")
    return out


def _lz4_length(payload, pos, what):
    """Sum the bytes extending an lz4 literal or match length, up to the first that is not 255."""
    total = 0
    while True:
        if pos >= len(payload):
            raise Fault("truncated", "lz4 %s length" % what)
        b = payload[pos]
        pos += 1
        total += b
        if b != 255:
            return total, pos


def _lz4(payload, length, dictionary):
    if length > 255 * len(payload) + 64:
        raise Fault("length-mismatch", "lz4 expansion")
    out = bytearray()
    pos, end = 0, len(payload)
    while True:
        if pos >= end:
            raise Fault("truncated", "lz4 token")
        token = payload[pos]
        pos += 1
        literals = token >> 4
        if literals == 15:
            extra, pos = _lz4_length(payload, pos, "literal")
            literals += extra
        if literals > end - pos:
            raise Fault("truncated", "lz4 literals")
        out += payload[pos:pos + literals]
        pos += literals
        if len(out) > length:
            raise Fault("length-mismatch", "lz4 output above the declared length")
        if pos == end:
            break
        if len(out) > length - 12 or pos > end - 8:
            raise Fault("corrupt", "lz4 literals that must end the block")
        offset = payload[pos] | payload[pos + 1] << 8
        pos += 2
        if offset == 0 or offset > len(out):
            raise Fault("corrupt", "lz4 offset")
        match = (token & 0x0F) + 4
        if token & 0x0F == 15:
            extra, pos = _lz4_length(payload, pos, "match")
            match += extra
        if len(out) + match > length:
            raise Fault("length-mismatch", "lz4 output above the declared length")
        if len(out) + match > length - 5:
            raise Fault("corrupt", "lz4 match in the last 5 bytes")
        start = len(out) - offset
        for i in range(match):
            out.append(out[start + i])
    if len(out) != length:
        raise Fault("length-mismatch", "lz4 output below the declared length")
    return bytes(out)


def _inflate(data, length):
    if length > 1032 * len(data) + 64:
        raise Fault("length-mismatch", "deflate expansion")
    d = zlib.decompressobj(-15)
    try:
        out = d.decompress(data, length + 1)
    except zlib.error as ex:
        raise Fault("corrupt", "deflate: %s" % ex)
    if len(out) > length:
        raise Fault("length-mismatch", "deflate output above the declared length")
    if not d.eof:
        raise Fault("truncated", "deflate stream ends early")
    if len(out) < length:
        raise Fault("length-mismatch", "deflate output below the declared length")
    if d.unused_data:
        raise Fault("corrupt", "bytes after the deflate stream")
    return out


def _deflate(payload, length, dictionary):
    return _inflate(payload, length)


def _gzip(payload, length, dictionary):
    if len(payload) < 18:
        raise Fault("truncated", "shorter than a gzip member")
    if int.from_bytes(payload[-4:], "little") != length:
        raise Fault("length-mismatch", "gzip ISIZE")
    limit = len(payload) - 8
    if payload[:3] != b"\x1f\x8b\x08":
        raise Fault("corrupt", "gzip header")
    flags = payload[3]
    if flags & 0xE0:
        raise Fault("corrupt", "gzip reserved flags")
    pos = 10
    if flags & 0x04:
        if pos + 2 > limit:
            raise Fault("truncated", "gzip extra field")
        pos += 2 + (payload[pos] | payload[pos + 1] << 8)
    for flag in (0x08, 0x10):
        if flags & flag:
            zero = payload.find(b"\x00", pos, limit) if pos < limit else -1
            if zero < 0:
                raise Fault("truncated", "gzip header string")
            pos = zero + 1
    if flags & 0x02:
        if pos + 2 > limit:
            raise Fault("truncated", "gzip header CRC")
        if zlib.crc32(payload[:pos]) & 0xFFFF != (payload[pos] | payload[pos + 1] << 8):
            raise Fault("checksum-mismatch", "gzip FHCRC")
        pos += 2
    if pos > limit:
        raise Fault("truncated", "gzip header")
    out = _inflate(payload[pos:limit], length)
    if zlib.crc32(out) != int.from_bytes(payload[limit:limit + 4], "little"):
        raise Fault("checksum-mismatch", "gzip CRC-32")
    return out


def _snappy(payload, length, dictionary):
    if not payload:
        raise Fault("truncated", "empty snappy payload")
    declared, pos = 0, 0
    for i in range(5):
        if pos >= len(payload):
            raise Fault("corrupt", "snappy length")
        b = payload[pos]
        pos += 1
        if i == 4 and b > 15:
            raise Fault("corrupt", "snappy length")
        declared |= (b & 0x7F) << (7 * i)
        if b & 0x80 == 0:
            break
    else:
        raise Fault("corrupt", "snappy length")
    if declared != length:
        raise Fault("length-mismatch", "snappy length")
    out = bytearray()
    end = len(payload)
    while pos < end:
        tag = payload[pos]
        pos += 1
        kind = tag & 3
        if kind == 0:
            n = tag >> 2
            if n >= 60:
                extra = n - 59
                if pos + extra > end:
                    raise Fault("corrupt", "snappy literal length")
                n = int.from_bytes(payload[pos:pos + extra], "little")
                pos += extra
            n += 1
            if n > end - pos or len(out) + n > length:
                raise Fault("corrupt", "snappy literal")
            out += payload[pos:pos + n]
            pos += n
            continue
        if kind == 1:
            if pos + 1 > end:
                raise Fault("corrupt", "snappy copy")
            n = ((tag >> 2) & 7) + 4
            offset = ((tag >> 5) << 8) | payload[pos]
            pos += 1
        else:
            size = 2 if kind == 2 else 4
            if pos + size > end:
                raise Fault("corrupt", "snappy copy")
            n = (tag >> 2) + 1
            offset = int.from_bytes(payload[pos:pos + size], "little")
            pos += size
        if offset == 0 or offset > len(out) or len(out) + n > length:
            raise Fault("corrupt", "snappy copy")
        start = len(out) - offset
        for i in range(n):
            out.append(out[start + i])
    if len(out) != length:
        raise Fault("corrupt", "snappy output length")
    return bytes(out)


DECODERS = {0: _stored, 1: _zstd, 2: _lz4, 3: _gzip, 4: _deflate, 5: _snappy}


def result(stored, dictionaries=None, max_size=DEFAULT_MAX_DECOMPRESSED_SIZE, expected=None):
    """Return `ok` (decoded, to `expected` when given), `wrong-bytes`, or the fault name."""
    try:
        out = read(stored, dictionaries, max_size)
    except Fault as fault:
        return fault.name
    return "ok" if expected is None or out == expected else "wrong-bytes"


def vectors(path):
    """Yield (kind, fields) for each `vector:` and `fault-vector:` block of FORMAT.md."""
    current = None
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("vector: ") or line.startswith("fault-vector: "):
                if current:
                    yield current
                kind, name = line.split(": ", 1)
                current = (kind, {"name": name.strip()})
            elif current and ": " in line and not line.startswith(" "):
                key, value = line.split(": ", 1)
                current[1][key] = value.strip()
            elif current and line.startswith("```"):
                yield current
                current = None
    if current:
        yield current


def check_vectors(path):
    failures = 0
    for kind, fields in vectors(path):
        dictionaries = {}
        if "dictionary-hex" in fields:
            dictionaries[int(fields["dictionary-id"])] = bytes.fromhex(fields["dictionary-hex"])
        stored = bytes.fromhex(fields["stored-hex"])
        max_size = int(fields.get("max-decompressed-size", DEFAULT_MAX_DECOMPRESSED_SIZE))
        if kind == "vector":
            got = result(stored, dictionaries, max_size, bytes.fromhex(fields["input-hex"]))
            want = "ok"
        else:
            got = result(stored, dictionaries, max_size)
            want = fields["fault"]
        print(fields["name"], got)
        if got != want:
            failures += 1
            print("  expected " + want, file=sys.stderr)
    return failures


def compare(path):
    """Read lines `<expected result> <stored hex> [<hex of dictionary 7>]`; report disagreements."""
    checked = differ = 0
    with open(path, encoding="ascii") as f:
        for line in f:
            fields = line.split()
            if not fields:
                continue
            dictionaries = {7: bytes.fromhex(fields[2])} if len(fields) > 2 else {}
            got = result(bytes.fromhex(fields[1]), dictionaries)
            checked += 1
            if got != fields[0]:
                differ += 1
                if differ <= 20:
                    print("expected %s, read %s: %s" % (fields[0], got, fields[1][:160]))
    print("%d values, %d read differently" % (checked, differ))
    return differ


def main(argv):
    if len(argv) == 3 and argv[1] == "--vectors":
        return 1 if check_vectors(argv[2]) else 0
    if len(argv) == 3 and argv[1] == "--compare":
        return 1 if compare(argv[2]) else 0
    if len(argv) == 2:
        try:
            sys.stdout.write(read(bytes.fromhex(argv[1])).hex() + "\n")
            return 0
        except Fault as fault:
            print(fault.name, file=sys.stderr)
            return 2
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
