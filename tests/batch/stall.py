"""`python -m tests.batch.stall MARKER N screening-args...`: the `screening` command line whose batch
driver stalls once N chunks are done, so that a test kills it mid-run at a point it chose.

When the driver has been told of its N-th finished chunk it writes MARKER (the number of chunks
done so far) and waits, for ever, to be killed: it submits no more chunks, so the batch cannot end
before the test kills it, however fast the machine. Chunks already submitted (a few per worker)
may still finish; the test sees them in `OUTDIR/parts/`.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from screening.cli.batch import BatchProgress
from screening.cli.main import main as screening_main


def stall_after(marker: Path, chunks: int) -> None:
    """Make the batch progress hook stall the driver after `chunks` finished chunks."""
    seen = [0]
    advance = BatchProgress.on_chunk

    def on_chunk(self: BatchProgress, lines: int) -> None:
        advance(self, lines)
        seen[0] += 1
        if seen[0] >= chunks:
            tmp = marker.with_name(marker.name + ".tmp")
            tmp.write_text(str(seen[0]), encoding="utf-8")
            tmp.replace(marker)  # the test never reads a half-written marker
            threading.Event().wait()  # until killed

    BatchProgress.on_chunk = on_chunk  # type: ignore[method-assign]


def main() -> None:
    marker, chunks, *args = sys.argv[1:]
    stall_after(Path(marker), int(chunks))
    sys.argv = ["screening", *args]
    screening_main()


if __name__ == "__main__":
    main()
