"""Where the chunks are screened: a local process pool, or a Dask cluster.

An executor runs `screen_chunk` for every chunk to do, each in a worker process with its own
screener, and reports each finished chunk's line count to `on_chunk`. The order chunks finish
in does not matter: their parts are assembled in chunk order afterwards. The local pool's workers
end with their driver, however it ends (`end_with_parent`); Dask's worker processes watch their
nanny the same way.
"""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Protocol

from screening.batch.config import BatchConfig, BatchError
from screening.batch.plan import Chunk
from screening.batch.stats import ChunkStats
from screening.batch.worker import init_worker, screen_chunk

ProgressHook = Callable[[int], None]
EXECUTORS = ("local", "dask")
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


class Executor(Protocol):
    def run(self, cfg: BatchConfig, todo: list[Chunk], on_chunk: ProgressHook | None) -> None:
        """Screen every chunk of `todo`; call `on_chunk(lines)` as each one finishes."""


@dataclass(frozen=True)
class LocalExecutor:
    """A pool of `workers` spawned processes; a few chunks per worker are submitted ahead, not all."""

    workers: int
    ahead_per_worker: int = 3

    def run(self, cfg: BatchConfig, todo: list[Chunk], on_chunk: ProgressHook | None) -> None:
        try:
            self._run(cfg, todo, on_chunk)
        except BrokenProcessPool as e:
            raise BatchError(f"a worker process ended abruptly (killed, or out of memory?): {e} The chunks "
                             "finished are kept: run the same command again to resume") from None

    def _run(self, cfg: BatchConfig, todo: list[Chunk], on_chunk: ProgressHook | None) -> None:
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=mp.get_context("spawn"),
                                 initializer=init_pool_worker, initargs=(os.getpid(), cfg.rules_dir, cfg.trial_ids)) as pool:
            waiting = iter(todo)
            pending: set[Future[ChunkStats]] = set()
            for c in waiting:
                pending.add(pool.submit(screen_chunk, cfg, c))
                if len(pending) >= self.workers * self.ahead_per_worker:
                    break
            while pending:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    _report(fut.result(), on_chunk)
                    nxt = next(waiting, None)
                    if nxt is not None:
                        pending.add(pool.submit(screen_chunk, cfg, nxt))


@dataclass(frozen=True)
class DaskExecutor:
    """The Dask cluster at `scheduler`, or a LocalCluster of `workers` single-threaded processes."""

    workers: int
    scheduler: str | None = None

    def run(self, cfg: BatchConfig, todo: list[Chunk], on_chunk: ProgressHook | None) -> None:
        try:  # an optional dependency (the `dask` extra)
            from distributed import Client, LocalCluster, as_completed
        except ImportError:  # pragma: no cover - depends on the installation
            raise BatchError("the dask executor needs dask[distributed]: pip install 'trial-screening[dask]'") from None
        cluster = None
        if self.scheduler:
            try:
                client = Client(self.scheduler)
            except (OSError, ValueError) as e:
                raise BatchError(f"{self.scheduler}: cannot connect to the Dask scheduler: {e}") from None
        else:
            cluster = LocalCluster(n_workers=self.workers, threads_per_worker=1, processes=True, dashboard_address=None)
            client = Client(cluster)
        try:
            futures = [client.submit(screen_chunk, cfg, c, key=f"screen-chunk-{c.index}-{os.getpid()}", pure=False)
                       for c in todo]
            for fut in as_completed(futures):
                _report(fut.result(), on_chunk)
                fut.release()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def init_pool_worker(driver_pid: int, rules_dir: str, trial_ids: tuple[str, ...]) -> None:
    """A pool worker's initializer: end with the driver, then build the screener."""
    end_with_parent(driver_pid)
    init_worker(rules_dir, trial_ids)


def end_with_parent(parent_pid: int) -> None:
    """Make this process end when its parent does, even killed by SIGKILL: left alone, a pool worker
    would wait for work for ever (and keep the resource tracker alive). On Linux the kernel sends it
    SIGTERM (`prctl(PR_SET_PDEATHSIG)`; it follows the thread that started the process, here the one
    running the batch, which shuts the pool down before it returns); elsewhere a daemon thread
    watches the parent's pid."""
    if not _parent_death_signal(signal.SIGTERM):
        threading.Thread(target=_watch_parent, args=(parent_pid,), name="watch-parent", daemon=True).start()
    if os.getppid() != parent_pid:  # the parent died before the signal was armed
        os._exit(1)


def _parent_death_signal(sig: int) -> bool:
    """Ask the kernel for `sig` when the parent dies (Linux); whether it was granted."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, sig, 0, 0, 0)) == 0
    except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
        return False


def _watch_parent(parent_pid: int, every: float = 1.0) -> None:  # pragma: no cover - where prctl is missing
    while os.getppid() == parent_pid:
        time.sleep(every)
    os._exit(1)


def _report(stats: ChunkStats, on_chunk: ProgressHook | None) -> None:
    if on_chunk:
        on_chunk(stats.lines)


def executor_for(name: str, workers: int, scheduler: str | None) -> Executor:
    """The executor called `name` (local or dask)."""
    if name == "local":
        return LocalExecutor(workers)
    if name == "dask":
        return DaskExecutor(workers, scheduler)
    raise BatchError(f"unknown executor {name!r} ({' or '.join(EXECUTORS)})")
