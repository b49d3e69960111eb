"""Remote write bodies by hand, for tests: protobuf wire encoding of prometheus.WriteRequest
(1.0) and io.prometheus.write.v2.Request (2.0), and snappy block compression, in plain
Python (no protobuf or snappy module is needed).

Messages are built from plain values:
    series = [([("__name__", "up"), ("job", "a")], [(ts_ms, value), ...]), ...]
    write_request(series)            -> serialized 1.0 WriteRequest
    write_v2_request(symbols, series_refs) with series_refs = [([refs...], samples), ...]
    snappy(raw)                      -> snappy block format (literals and 2-byte copies)
"""

import struct


def varint(n):
    if n < 0:
        n += 1 << 64  # int64 as protobuf encodes it: ten bytes
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def key(field, wire_type):
    return varint((field << 3) | wire_type)


def length_delimited(field, payload):
    if isinstance(payload, str):
        payload = payload.encode()
    return key(field, 2) + varint(len(payload)) + payload


def double(field, v):
    return key(field, 1) + struct.pack("<d", v)


def int64(field, v):
    return key(field, 0) + varint(v)


def sample(ts_ms, value):
    return double(1, value) + int64(2, ts_ms)


def label(name, value):
    return length_delimited(1, name) + length_delimited(2, value)


def timeseries(labels, samples):
    out = b"".join(length_delimited(1, label(n, v)) for n, v in labels)
    return out + b"".join(length_delimited(2, sample(t, v)) for t, v in samples)


def write_request(series):
    return b"".join(length_delimited(1, timeseries(ls, ss)) for ls, ss in series)


def write_v2_request(symbols, series_refs):
    out = b"".join(length_delimited(4, s) for s in symbols)
    for refs, samples in series_refs:
        ts = length_delimited(1, b"".join(varint(r) for r in refs))  # packed labels_refs
        ts += b"".join(length_delimited(2, sample(t, v)) for t, v in samples)
        out += length_delimited(5, ts)
    return out


def write_v2_from_series(series):
    """A valid 2.0 request for `series` (symbols[0] is the empty string)."""
    symbols, index = [""], {"": 0}

    def ref(s):
        if s not in index:
            index[s] = len(symbols)
            symbols.append(s)
        return index[s]

    refs = [([r for n, v in ls for r in (ref(n), ref(v))], ss) for ls, ss in series]
    return write_v2_request(symbols, refs)


def _literal(data):
    out = bytearray()
    for i in range(0, len(data), 65536):
        chunk = data[i:i + 65536]
        n = len(chunk) - 1
        if n < 60:
            out.append(n << 2)
        elif n < 256:
            out += bytes([60 << 2, n])
        else:
            out += bytes([61 << 2]) + struct.pack("<H", n)
        out += chunk
    return bytes(out)


def snappy(raw, copies=True):
    """Snappy block format: the uncompressed length, then literals and (with `copies`)
    2-byte-offset copies found by a greedy 4-byte match, as a real encoder emits."""
    out = bytearray(varint(len(raw)))
    seen, lit_start, i = {}, 0, 0
    while copies and i + 4 <= len(raw):
        prev = seen.get(raw[i:i + 4])
        seen[raw[i:i + 4]] = i
        if prev is None or i - prev > 65535:
            i += 1
            continue
        n = 4
        while i + n < len(raw) and n < 64 and raw[prev + n] == raw[i + n]:
            n += 1
        out += _literal(raw[lit_start:i])
        out += bytes([((n - 1) << 2) | 2]) + struct.pack("<H", i - prev)
        i += n
        lit_start = i
    out += _literal(raw[lit_start:])
    return bytes(out)


def snappy_claiming(declared_length, payload=b"x"):
    """A snappy body whose header claims `declared_length` bytes (a length bomb when large)."""
    return varint(declared_length) + _literal(payload)
