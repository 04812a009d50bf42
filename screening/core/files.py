"""Reading input files: one reader, one set of messages for a missing, unreadable or non-UTF-8 file."""

from __future__ import annotations

from pathlib import Path


class UnreadableFile(Exception):
    """A file that cannot be read as UTF-8 text; the message says why (not naming the file)."""


def read_utf8(path: Path | str) -> tuple[bytes, str]:
    """The file's bytes and its text. Raises `UnreadableFile` with a short reason."""
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise UnreadableFile("file not found") from None
    except IsADirectoryError:
        raise UnreadableFile("is a folder, not a file") from None
    except OSError as e:
        raise UnreadableFile(f"cannot read: {e.strerror or e}") from None
    try:
        return raw, raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise UnreadableFile(f"not UTF-8 text: {e}") from None
