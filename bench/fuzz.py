"""Thousands of hostile workbooks through `check` and `recompute`, with the counts.

    python bench/fuzz.py [--n 2000] [--jobs 2] [--seed 1]

Each case is a random mutation of a bundled example (tests/fuzzing.py: byte, zip and
XML level) run in a worker process under a 1,536 MB memory and 60 s time limit. It
prints the exit codes seen, the slowest case, and every case that printed a traceback,
used another exit code, passed a limit, or wrote a result for an unreadable input
(those files are kept in the folder printed at the end).
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fuzzing import mutate, problems, run_case

from sakip_xl.isolate import Failure, Limits, run_isolated
from sakip_xl.resources import example_workbooks


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    sources = [f.read_bytes() for f in example_workbooks()]
    folder = Path(tempfile.mkdtemp(prefix="sakip-fuzz-"))
    rng = random.Random(args.seed)
    paths = []
    for i in range(args.n):
        path = folder / f"mutan-{i:05d}.xlsx"
        path.write_bytes(mutate(rng.choice(sources), rng))
        paths.append(str(path))
    started = time.monotonic()
    codes: Counter = Counter()
    bad: list[tuple[str, str]] = []
    slowest = (0.0, "")
    for i, outcome in run_isolated(run_case, paths, args.jobs, Limits(1536, 60)):
        if isinstance(outcome, Failure):
            bad.append((paths[i], outcome.reason))
            continue
        codes[(outcome["check"]["exit"], outcome["recompute"]["exit"])] += 1
        slowest = max(slowest, (outcome["seconds"], paths[i]))
        bad += [(paths[i], p) for p in problems(outcome)]
    elapsed = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"{args.n} cases in {elapsed:.0f} s ({args.jobs} workers); largest worker {peak:.0f} MB; "
          f"slowest case {slowest[0]:.1f} s ({Path(slowest[1]).name})")
    print("exit codes (check, recompute): " + ", ".join(f"{k}: {v}" for k, v in sorted(codes.items())))
    print(f"{len(bad)} problems")
    for path, problem in bad[:50]:
        print(f"  {Path(path).name}: {problem[:300]}")
    keep = {p for p, _ in bad}
    for p in paths:
        if p not in keep:
            Path(p).unlink()
    if keep:
        print(f"kept the {len(keep)} files with problems in {folder}")
    else:
        shutil.rmtree(folder)


if __name__ == "__main__":
    main()
