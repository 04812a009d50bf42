"""The output folder of a batch: created with a clear error, and locked for the whole run.

One batch at a time runs in an OUTDIR: the driver holds an exclusive `flock` on ``OUTDIR/.lock``
from before it reads the manifest until the outputs are assembled, so a second run there is
refused (naming the pid in the lock file) instead of mixing its parts with the first one's. The
kernel releases the lock however the driver ends, even on `kill -9`; a run that ends normally
also removes the file. Worker processes never inherit it (Python opens files close-on-exec). In
a folder it cannot write to, a run takes no lock: it can only show a batch complete there (any
write it tries fails with the folder's reason).

A file in the way, a read-only folder or a full disk is a `BatchError` naming the path and the
reason (exit 2 on the command line), never a traceback.
"""

from __future__ import annotations

import errno
import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from screening.batch.config import BatchError, io_error

LOCK = ".lock"


def make_outdir(outdir: Path) -> None:
    """Create OUTDIR (and its parents) unless it exists; a file in the way is named."""
    if outdir.exists() and not outdir.is_dir():
        raise BatchError(f"{outdir}: the output folder is a file, not a folder")
    existing = next((p for p in outdir.parents if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise BatchError(f"{outdir}: cannot create the output folder: {existing} is a file, not a folder")
    try:
        outdir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise io_error(e, outdir, "cannot create the output folder") from None


@contextmanager
def writing(path: Path, doing: str) -> Iterator[None]:
    """Turn a file system error (a full disk, a read-only folder) into a `BatchError` naming the path."""
    try:
        yield
    except OSError as e:
        raise io_error(e, path, doing) from None


@contextmanager
def locked(outdir: Path) -> Iterator[None]:
    """Hold the lock of OUTDIR (which exists) while the block runs; refuse if another batch holds it."""
    path = outdir / LOCK
    fd = _acquire(path)
    if fd is None:  # a folder this process cannot write to: all it can do there is show a complete batch
        yield
        return
    try:
        yield
    finally:
        with suppress(OSError):  # still locked: a run waiting on this file sees it gone and locks a new one
            path.unlink(missing_ok=True)
        os.close(fd)


def _acquire(path: Path) -> int | None:
    """Open and lock the lock file, and write this process's pid in it; None in a folder where this
    process can neither create nor open it (read-only to it: this run will write nothing either)."""
    while True:
        opened = _open(path)
        if opened is None:
            return None
        fd, writable = opened
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise BatchError(f"{path.parent}: another batch is running in this folder{holder}; wait for it to end "
                             "or use another output folder") from None
        except OSError as e:
            os.close(fd)
            raise io_error(e, path, "cannot lock the output folder") from None
        if _same_file(fd, path):
            break
        os.close(fd)  # the run that held it removed the file before we locked it: lock the current one
    if writable:
        _write_pid(fd, path)
    return fd


def _open(path: Path) -> tuple[int, bool] | None:
    """The lock file open for writing (created if need be), else for reading (another user's lock
    file: a read-only descriptor locks it as well), with whether it is writable; None if neither."""
    try:
        return os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644), True
    except OSError as e:
        if e.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise io_error(e, path.parent, "cannot write in the output folder") from None
    try:
        return os.open(path, os.O_RDONLY | os.O_CLOEXEC), False
    except OSError:
        return None


def _write_pid(fd: int, path: Path) -> None:
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
    except OSError as e:
        os.close(fd)
        raise io_error(e, path, "cannot write in the output folder") from None


def _holder(fd: int) -> str:
    """` (pid N)` for the process that wrote its pid in the lock file, if it did."""
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return ""
    return f" (pid {text})" if text.isdigit() else ""


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = path.stat()
    except FileNotFoundError:
        return False
    mine = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (mine.st_dev, mine.st_ino)
