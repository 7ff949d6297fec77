"""Reading many files, each in a worker process with a memory and a time limit.

One hostile or broken file must never stop a batch: a worker that raises, is
killed by a signal (a reader that aborts), runs out of its memory limit or
out of time is replaced, and that one file gets a `Failure` with a plain
reason, while every other file is read. Workers are long-lived and take one
file at a time, so a batch costs a few process starts, not one per file.

The memory limit bounds how far a worker's address space (`RLIMIT_AS`) may grow
while it reads; it exists on Linux and macOS, and on Windows only the time limit
applies.
"""

from __future__ import annotations

import gc
import os
import signal
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterator, Sequence

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

try:
    import resource
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]

#: Default limits per file: generous for the largest real workbook (a 5,000-row
#: budget is read in ~2 s and ~150 MB) and far below what a bomb would take.
DEFAULT_MEMORY_MB = 1024
DEFAULT_SECONDS = 120.0


@dataclass(frozen=True)
class Limits:
    memory_mb: int | None = DEFAULT_MEMORY_MB  # None: no limit
    seconds: float | None = DEFAULT_SECONDS


@dataclass(frozen=True)
class Failure:
    """Why a file's work did not finish: a Bahasa reason, and the traceback if any."""

    reason: str
    detail: str = ""


def _address_space() -> int:
    """The address space this process already has (Linux), 0 where unknown. A worker
    forked from a large process starts with all of it mapped."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _apply_memory_limit(memory_mb: int | None) -> None:
    """Let the worker grow by `memory_mb` beyond what it starts with."""
    if memory_mb is None or resource is None:
        return
    limit = _address_space() + memory_mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _worker(conn: Connection, work: Callable[[Any], Any], memory_mb: int | None, gc_threshold: tuple) -> None:
    import traceback  # (here: a command that starts no worker does not import it)

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is the parent's to handle
    gc.set_threshold(*gc_threshold)
    gc.freeze()  # what the worker inherits lives as long as it does: never scanned for garbage
    _apply_memory_limit(memory_mb)
    while True:
        task = conn.recv()
        if task is None:
            return
        index, item = task
        try:
            result: Any = work(item)
        except MemoryError:
            result = Failure(f"melebihi batas memori {memory_mb} MB saat dibaca")
        except BaseException as e:  # noqa: BLE001 - any failure of one file is that file's
            result = Failure(f"galat tak terduga saat dibaca ({type(e).__name__})", traceback.format_exc())
        try:
            conn.send((index, result))
        except MemoryError:
            conn.send((index, Failure(f"melebihi batas memori {memory_mb} MB saat dibaca")))
        # A workbook's objects are freed as soon as it is done with (no reference cycles hold
        # them); the few a file may still leave in cycles are collected now, while nothing
        # else is young: the collector never scans a whole workbook's cells mid-work.
        del task, item, result
        gc.collect(0)


class _Slot:
    """One worker process and the task it is on."""

    def __init__(self, ctx, work: Callable, limits: Limits) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker, args=(child, work, limits.memory_mb, gc.get_threshold()),
                                   daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[int, float] | None = None  # (index, started)

    def give(self, index: int, item: Any) -> None:
        self.task = (index, time.monotonic())
        self.conn.send((index, item))

    def stop(self, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.process.join(5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _death_reason(exitcode: int | None, limits: Limits) -> str:
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"sinyal {-exitcode}"
        if -exitcode == getattr(signal, "SIGKILL", 9) and limits.memory_mb:
            return f"proses pembaca dihentikan ({name}); kemungkinan melebihi batas memori {limits.memory_mb} MB"
        return f"proses pembaca berhenti mendadak ({name}); berkas mungkin rusak atau terlalu besar"
    return f"proses pembaca berhenti mendadak (kode {exitcode}); berkas mungkin rusak"


def run_isolated(work: Callable[[Any], Any], items: Sequence[Any], jobs: int = 1,
                 limits: Limits = Limits()) -> Iterator[tuple[int, Any]]:
    """Yield `(index, work(items[index]) or Failure)` for every item, as each finishes.

    `work` must be a module-level function (it is sent to the worker processes).
    """
    if not items:
        return
    import multiprocessing as mp  # here: checking one file never starts a process
    from multiprocessing.connection import wait

    ctx = mp.get_context("fork" if os.name == "posix" and hasattr(os, "fork") else "spawn")
    pending = list(reversed(range(len(items))))
    slots: list[_Slot] = []
    try:
        for _ in range(min(max(1, jobs), len(items))):
            slot = _Slot(ctx, work, limits)
            slots.append(slot)
            slot.give(pending[-1], items[pending.pop()])
        while any(s.task for s in slots):
            busy = [s for s in slots if s.task]
            timeout = None
            if limits.seconds is not None:
                now = time.monotonic()
                timeout = max(0.0, min(s.task[1] + limits.seconds - now for s in busy))  # type: ignore[index]
            ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout)
            for i, slot in enumerate(slots):
                if not slot.task:
                    continue
                index, started = slot.task
                outcome: Any = None
                replace = False
                if slot.conn in ready:
                    try:
                        _index, outcome = slot.conn.recv()
                    except (EOFError, OSError):
                        slot.process.join(5)
                        outcome, replace = Failure(_death_reason(slot.process.exitcode, limits)), True
                elif slot.process.sentinel in ready:
                    slot.process.join(5)
                    outcome, replace = Failure(_death_reason(slot.process.exitcode, limits)), True
                elif limits.seconds is not None and time.monotonic() - started >= limits.seconds:
                    outcome = Failure(f"melebihi batas waktu {limits.seconds:g} detik saat dibaca")
                    replace = True
                else:
                    continue
                slot.task = None
                if replace:
                    slot.stop(kill=True)
                    slot = slots[i] = _Slot(ctx, work, limits) if pending else slot
                yield index, outcome
                if pending:
                    slot.give(pending[-1], items[pending.pop()])
    finally:
        for slot in slots:
            if slot.process.is_alive() or slot.process.exitcode is None:
                slot.stop(kill=slot.task is not None)
