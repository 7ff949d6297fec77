"""Rows of a long constant_memory sheet written by a second process, on a second core.

A 200-office rekap's Anggaran table is 60,000 rows, written after every file
is read, by one process, while the machine's other core idles. Where a process
can be forked, the rows after a point are written meanwhile by a forked copy
of the writing process into a file of their own, which is then appended to
the sheet: the workbook is the same, byte for byte. If that copy fails in any
way, `join` says so and the rows are written here as before.

The copy shares nothing it writes: it replaces the sheet's file with its own
(keeping the parent's, unflushed, until it leaves), never closes a file of the
parent, and leaves by `os._exit`, running no clean-up of the parent's.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from typing import Any, Callable


class ForkedRows:
    """Rows `first..` of the sheet `ws` being written by a forked process."""

    def __init__(self, ws: Any, first: int, pid: int, pipe: int, path: str) -> None:
        self.ws, self.first, self.pid, self.pipe, self.path = ws, first, pid, pipe, path

    @classmethod
    def start(cls, ws: Any, first: int, write: Callable[[], int]) -> ForkedRows | None:
        """Fork a process that writes rows `first..` of `ws` by calling `write` (which
        returns the row after its last). None where this process cannot be forked
        safely (no fork, or other threads running)."""
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return None
        fd, path = tempfile.mkstemp(prefix="sakip-xl-baris-", dir=getattr(ws, "tmpdir", None))
        os.close(fd)
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the forked copy (its work is checked by the parent)
            code = 1
            try:
                os.close(read_end)
                parents = ws.fh  # kept until `os._exit`: collected, it would flush into the parent's file
                with open(path, "w", encoding="utf-8") as fh:
                    ws.fh = fh
                    ws.table.clear()  # the parent's row held back, and its heights, are the parent's to write
                    ws.row_info.clear()
                    ws.previous_row = first
                    end = write()
                    ws._write_single_row(end)  # the copy's own last row held back
                os.write(write_end, f"{end} {ws.dim_colmin} {ws.dim_colmax}".encode())
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        return cls(ws, first, pid, read_end, path)

    def join(self) -> int | None:
        """After the parent's own rows (all before `first`): append the copy's rows to the
        sheet and give the row after them; None if the copy failed (none of its rows is
        written: write them here, from `first`)."""
        ws = self.ws
        try:
            ws._write_single_row(self.first)  # the parent's own last row held back
            with os.fdopen(self.pipe, "rb") as pipe:
                said = pipe.read()
            _pid, status = os.waitpid(self.pid, 0)
            try:
                end, colmin, colmax = (int(x) for x in said.split())
            except ValueError:  # nothing said: the copy failed
                return None
            if status != 0:
                return None
            with open(self.path, encoding="utf-8") as fh:
                shutil.copyfileobj(fh, ws.fh, 1 << 20)
            if end > self.first:  # the sheet's dimensions take in the copy's rows
                ws._check_dimensions(end - 1, colmin)
                ws._check_dimensions(end - 1, colmax)
            ws.previous_row = end
            return end
        finally:
            os.remove(self.path)

    def abandon(self) -> None:
        """Stop the copy (the parent failed before joining it)."""
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except OSError:
            pass
        try:
            os.close(self.pipe)
        except OSError:
            pass
        if os.path.exists(self.path):
            os.remove(self.path)
