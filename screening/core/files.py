"""Reading input files: one reader, one set of messages for a missing, unreadable or non-UTF-8 file."""

from __future__ import annotations

import os
import stat
from pathlib import Path


class UnreadableFile(Exception):
    """A file that cannot be read as UTF-8 text; the message says why (not naming the file)."""


class FileTooLarge(UnreadableFile):
    """A file larger than the reader's `max_bytes`."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        super().__init__(f"the file is larger than {max_bytes} bytes")


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
    raw = read_bytes(path, max_bytes)
    try:
        return raw, raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UnreadableFile(f"not UTF-8 text: {e}") from None
