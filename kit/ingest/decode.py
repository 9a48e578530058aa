"""Bytes to text: BOMs, UTF-8, UTF-16, Windows-1252/Latin-1, and a clear no for binary files.

A file that is UTF-8 apart from a few stray bytes stays UTF-8 (the stray bytes become U+FFFD and
the file gets a warning); only a file with no valid multi-byte UTF-8 sequence at all is read as
Windows-1252, so one bad byte never garbles every umlaut of an article.
"""

from __future__ import annotations

import codecs

from kit.errors import InputError

__all__ = ["SNIFF_BYTES", "decode_bytes", "looks_binary"]

SNIFF_BYTES = 8192  # how much of a file is read to tell text from binary

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never occur in text files (tab, newline, CR, FF are fine).
_BINARY_BYTES = set(range(9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31}


def looks_binary(data: bytes) -> bool:
    """True for data whose first bytes hold NULs or control characters text never has."""
    sample = data[:SNIFF_BYTES]
    if b"\x00" in sample:
        return True
    odd = sum(1 for b in sample if b in _BINARY_BYTES)
    return odd > max(2, len(sample) // 100)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode and return ``(text, encoding)``; raises InputError for binary or empty data."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise InputError(f"invalid {encoding} after its byte order mark: {exc.reason}") from exc
    if looks_binary(data):
        raise InputError("binary content, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    stray = replaced.count("\ufffd")
    if any(ord(ch) > 0x7F and ch != "\ufffd" for ch in replaced):  # real UTF-8 sequences: stray bytes only
        return replaced, f"utf-8 with {stray} invalid byte sequence(s) replaced by U+FFFD"
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"
