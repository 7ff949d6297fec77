"""Whole-process timing helpers for the benchmark scripts (run by hand, never in tests).

Every command is measured as a whole process tree:

* wall time;
* peak of the largest process: ru_maxrss of that command as returned by wait4 (the
  largest single process of its tree, reaped workers included), and never below the
  largest RSS the sampler saw;
* peak total of all processes: the largest sum of RSS over the command and all its
  descendants, sampled every ~20 ms (psutil when installed, else /proc). A sum of
  RSS counts pages shared between forked workers once per process, so it is an
  upper bound of what the tree really held.

`compare` runs the same commands with the current code and with another installation
(`--python` or `--sakip`), interleaved A B A B ..., after one untimed warm-up each.
Children get PYTHONPYCACHEPREFIX (and not PYTHONDONTWRITEBYTECODE) so both sides run
from cached bytecode without writing into the source tree, and PYTHONSAFEPATH so
the working directory never shadows the installed package.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

try:
    import psutil
except ImportError:  # the bench has no extra of its own: fall back to /proc
    psutil = None

SAMPLE_S = 0.02
PYCACHE = Path(os.environ.get("SAKIP_BENCH_PYCACHE") or Path(tempfile.gettempdir()) / "sakip-bench-pycache")


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    env.update(PYTHONHASHSEED="0", PYTHONPYCACHEPREFIX=str(PYCACHE), PYTHONSAFEPATH="1")
    return env


# -- the process tree ------------------------------------------------------------------

def _proc_children(pid: int) -> list[int]:
    """Direct children: /proc/<pid>/task/*/children when the kernel has it, else by ppid."""
    kids: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return kids
    found_file = False
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as f:
                found_file = True
                kids.extend(int(x) for x in f.read().split())
        except OSError:
            continue
    if found_file:
        return kids
    return [c for c, parent in _ppids().items() if parent == pid]


_ppid_cache: tuple[float, dict[int, int]] = (0.0, {})


def _ppids() -> dict[int, int]:
    """pid -> ppid for every process, read once per sample."""
    global _ppid_cache
    now = time.monotonic()
    if now - _ppid_cache[0] < SAMPLE_S / 2:
        return _ppid_cache[1]
    table: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        table[int(name)] = int(stat[stat.rindex(")") + 2:].split()[1])
    _ppid_cache = (now, table)
    return table


def _vmrss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_rss_kb(pid: int) -> list[int]:
    """RSS (kB) of `pid` and of every descendant still alive."""
    if psutil is not None:
        try:
            root = psutil.Process(pid)
            procs = [root, *root.children(recursive=True)]
        except psutil.Error:
            return []
        out = []
        for p in procs:
            try:
                out.append(p.memory_info().rss // 1024)
            except psutil.Error:
                pass
        return out
    seen, todo, out = set(), [pid], []
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        out.append(_vmrss_kb(p))
        todo.extend(_proc_children(p))
    return out


# -- one command -----------------------------------------------------------------------

@dataclass
class Sample:
    seconds: float
    largest_mb: float  # peak of the largest single process
    total_mb: float  # peak of the sum over the whole tree
    code: int
    crashed: bool  # a Python traceback on stderr (exit 1 then does not mean "the workbook has errors")


def measure(cmd: list[str], cwd: str | Path | None = None) -> Sample:
    """Run `cmd` once; wall time, peak largest process, peak total of the tree."""
    peak = {"largest": 0, "total": 0}
    done = threading.Event()
    t = time.perf_counter()
    err = tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the sampler
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, cwd=cwd, env=child_env())

    def sample() -> None:
        while not done.is_set():
            rss = tree_rss_kb(proc.pid)
            if rss:
                peak["largest"] = max(peak["largest"], max(rss))
                peak["total"] = max(peak["total"], sum(rss))
            done.wait(SAMPLE_S)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)  # this command's own rusage, not all children so far
    seconds = time.perf_counter() - t
    done.set()
    sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    largest = max(usage.ru_maxrss, peak["largest"])
    err.seek(0)
    crashed = b"Traceback (most recent call last)" in err.read()
    err.close()
    return Sample(seconds, largest / 1024, max(peak["total"], largest) / 1024, proc.returncode, crashed)


@dataclass
class Stats:
    median: float
    best: float
    largest_mb: float
    total_mb: float
    codes: set[int]
    crashed: bool
    times: list[float]


def _stats(samples: list[Sample]) -> Stats:
    times = [s.seconds for s in samples]
    return Stats(statistics.median(times), min(times), max(s.largest_mb for s in samples),
                 max(s.total_mb for s in samples), {s.code for s in samples},
                 any(s.crashed for s in samples), times)


def run(cmd: list[str], repeat: int = 3) -> tuple[float, float, float]:
    """Median and best wall time (s) and peak memory (MB) of the largest process (old interface)."""
    st = _stats([measure(cmd) for _ in range(repeat)])
    return st.median, st.best, st.largest_mb


def compare(cmds: dict[str, list[str]], repeat: int, cwd: str | Path | None = None,
            warmup: bool | set[str] = True) -> dict[str, Stats]:
    """Each command once untimed (all, or the labels in `warmup`), then `repeat` rounds
    A B A B ...; stats per label."""
    for label, cmd in cmds.items():
        if warmup is True or (warmup and label in warmup):
            measure(cmd, cwd)
    samples: dict[str, list[Sample]] = {label: [] for label in cmds}
    for _ in range(repeat):
        for label, cmd in cmds.items():
            samples[label].append(measure(cmd, cwd))
    return {label: _stats(s) for label, s in samples.items()}


# -- the installations -----------------------------------------------------------------

CURRENT = "current"


def add_other_options(ap: argparse.ArgumentParser) -> None:
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--python", help="another installation's python: runs `PYTHON -m sakip_xl` as well")
    g.add_argument("--sakip", help="another installation's sakip-xl command (e.g. /tmp/venv-a87001c/bin/sakip-xl)")
    ap.add_argument("--label", help="name of the other installation in the output (default: from its path)")


def installations(args: argparse.Namespace) -> dict[str, list[str]]:
    """label -> command prefix running sakip-xl: the current code, and the other one if asked."""
    out = {CURRENT: [sys.executable, "-m", "sakip_xl"]}
    if args.python or args.sakip:
        prefix = [args.python, "-m", "sakip_xl"] if args.python else shlex.split(args.sakip)
        label = args.label or _guess_label(prefix[0])
        out[label] = prefix
    return out


def _guess_label(exe: str) -> str:
    for part in reversed(Path(exe).resolve().parts):
        if part.startswith("venv-"):
            return part[len("venv-"):]
    return "other"


def python_of(prefix: list[str]) -> str:
    """The python behind a command prefix (for a console script, the one its shebang names)."""
    if prefix[1:2] == ["-m"]:
        return prefix[0]
    try:
        first = Path(prefix[0]).read_text(errors="replace").splitlines()[0]
    except (OSError, IndexError):
        return sys.executable
    return first[2:].strip() if first.startswith("#!") else sys.executable


def describe(prefix: list[str]) -> str:
    """Where the installation behind a command prefix imports sakip_xl from, and its version."""
    python = python_of(prefix)
    code = "import sakip_xl, importlib.metadata as m; print(sakip_xl.__file__, m.version('sakip-xl'))"
    res = subprocess.run([python, "-c", code], check=False, capture_output=True, text=True, env=child_env(),
                         cwd=tempfile.gettempdir())
    return (res.stdout or res.stderr).strip().splitlines()[-1] if (res.stdout or res.stderr) else "?"


def sakip(*args: str) -> list[str]:
    return [sys.executable, "-m", "sakip_xl", *args]


def fmt(st: Stats) -> str:
    codes = ",".join(str(c) for c in sorted(st.codes)) + (" CRASHED (traceback)" if st.crashed else "")
    return (f"median {st.median:.3f} s, best {st.best:.3f} s, peak largest {st.largest_mb:.0f} MB, "
            f"peak total {st.total_mb:.0f} MB, exit {codes} (rounds: {' '.join(f'{t:.2f}' for t in st.times)})")


def report(title: str, stats: dict[str, Stats], target: float | None = None) -> None:
    """One line per installation, then the ratio of each other one to the current code."""
    goal = f" (target <= {target} s)" if target else ""
    print(f"{title}{goal}")
    for label, st in stats.items():
        print(f"  {label:<10} {fmt(st)}")
    cur = stats.get(CURRENT)
    for label, st in stats.items():
        if label != CURRENT and cur:
            print(f"  ratio {CURRENT}/{label}: time {cur.median / st.median:.2f}, "
                  f"peak largest {cur.largest_mb / st.largest_mb:.2f}, peak total {cur.total_mb / st.total_mb:.2f}")
    sys.stdout.flush()


def import_fill_synthetic():
    """write_filled and synthetic_filling of the current code, wherever the restructure put them."""
    try:
        from sakip_xl.model.fill import write_filled
    except ImportError:
        from sakip_xl.fill import write_filled
    try:
        from sakip_xl.synthetic import synthetic_filling
    except ImportError:
        from sakip_xl.model.synthetic import synthetic_filling
    return write_filled, synthetic_filling
