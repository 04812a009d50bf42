"""Reading input files: one reader, one set of messages for a missing, unreadable or non-UTF-8 file."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO


class UnreadableFile(Exception):
    """A file that cannot be read as UTF-8 text; the message says why (not naming the file)."""


class FileTooLarge(UnreadableFile):
    """A file larger than the reader's `max_bytes` (set by `setting`, when one sets it)."""

    def __init__(self, max_bytes: int, setting: str | None = None, default: int | None = None, what: str = "the file"):
        self.max_bytes = max_bytes
        limit = f" (the limit is ${setting}, default {default})" if setting else ""
        super().__init__(f"{what} is larger than {max_bytes} bytes{limit}")


def size_limit(setting: str, default: int) -> int:
    """The whole number of bytes environment variable `setting` gives (0 or more), else `default`.
    Raises `UnreadableFile` for any other value (the reader cannot know how much to read)."""
    value = os.environ.get(setting, "").strip()
    if not value:
        return default
    try:
        n = int(value)
    except ValueError:
        n = -1
    if n < 0:
        raise UnreadableFile(f"${setting} must be a whole number of 0 or more, got {os.environ[setting]!r}")
    return n


def read_bounded(path: Path | str, setting: str, default: int) -> bytes:
    """`read_bytes` with at most the number of bytes `setting` allows (else `default`): a larger file is
    refused before it is parsed, with a message naming the setting."""
    max_bytes = size_limit(setting, default)
    try:
        return read_bytes(path, max_bytes)
    except FileTooLarge:
        raise FileTooLarge(max_bytes, setting, default) from None


def read_bytes(path: Path | str, max_bytes: int | None = None) -> bytes:
    """The bytes of a regular file (a FIFO, a device or a folder is refused before it is opened: reading
    one could block or never end), at most `max_bytes` of them. Raises `UnreadableFile` with a short reason."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise UnreadableFile("is a folder, not a file" if Path(path).is_dir() else "not a regular file")
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as f:
            raw = f.read() if max_bytes is None else f.read(max_bytes + 1)
    except FileNotFoundError:
        raise UnreadableFile("file not found") from None
    except OSError as e:
        raise UnreadableFile(f"cannot read: {e.strerror or e}") from None
    if max_bytes is not None and len(raw) > max_bytes:
        raise FileTooLarge(max_bytes)
    return raw


def read_utf8(path: Path | str, max_bytes: int | None = None) -> tuple[bytes, str]:
    """The file's bytes and its text. Raises `UnreadableFile` with a short reason."""
    return decode_utf8(read_bytes(path, max_bytes))


def bounded_lines(f: BinaryIO, max_bytes: int, end: int | None = None, block: int = 1 << 20) -> Iterator[bytes | None]:
    """The lines of a binary file from its current position (to byte `end`, else to its end), each
    without its newline; None for a line longer than `max_bytes`, which is skipped without being held
    in memory (a file of one endless line costs at most `max_bytes` plus one block)."""
    pos = f.tell()
    while end is None or pos < end:
        line = f.readline(max_bytes + 1)
        if not line:
            return
        pos += len(line)
        if line.endswith(b"\n"):
            yield line[:-1]
        elif len(line) <= max_bytes:  # the last line, without a newline
            yield line
        else:  # longer than allowed: skip to its end
            while (rest := f.readline(block)) and not rest.endswith(b"\n"):
                pos += len(rest)
            pos += len(rest)
            yield None


def decode_utf8(raw: bytes) -> tuple[bytes, str]:
    """The bytes and their text. Raises `UnreadableFile` when they are not UTF-8."""
    try:
        return raw, raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UnreadableFile(f"not UTF-8 text: {e}") from None
