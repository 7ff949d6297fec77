"""The archive at scale (issue "Years and scale"): one merge of N generated workbooks
into a rekap and an archive, measured once, whole process tree.

    python bench/bench_archive.py --n 10000 --dir /tmp/bench-arsip     # keeps the files for a re-run
    python bench/bench_archive.py --n 2000

The workbooks are bench_merge.generate's (30 indicators, 300 budget rows, ~2% broken,
renamed copies of 40 distinct ones), so N = 10,000 gives about 3 million budget rows:
more than an Excel sheet holds, so the Anggaran table goes to the archive and to
Parquet, with a note. Reports wall time, peak RSS of the largest process and of all
processes together (sampled), the archive's size and the rekap's. Target: peak total
under 1.5 GB. Run by hand, never by the tests.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from bench_merge import generate  # noqa: E402
from common import describe, measure, sakip  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000, help="number of workbooks")
    ap.add_argument("--dir", type=Path, help="folder for the workbooks (kept; generated when missing)")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--generate-only", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp_:
        tmp = Path(tmp_)
        base = args.dir or tmp
        base.mkdir(parents=True, exist_ok=True)
        folder = base / f"n{args.n}"
        if not folder.exists():
            generate(folder, args.n, base / "cache")
        if args.generate_only:
            return
        out = tmp / "hasil"
        out.mkdir()
        rekap, arsip = out / f"rekap-{args.n}.xlsx", out / f"arsip-{args.n}.duckdb"
        jobs = ["--jobs", str(args.jobs)] if args.jobs else []
        cmd = [*sakip("merge", str(folder), "-o", str(rekap), "--arsip", str(arsip), "--quiet", "--no-cache"), *jobs]
        print(f"{describe(sakip())}: {' '.join(cmd)}", flush=True)
        s = measure(cmd)
        size = sum(p.stat().st_size for p in out.glob(f"arsip-{args.n}.duckdb*"))
        parquet = sum(p.stat().st_size for p in out.glob("*.parquet"))
        print(f"N={args.n}: {s.seconds:.0f} s ({args.n / s.seconds:.1f} files/s), exit {s.code}"
              f"{' CRASHED' if s.crashed else ''}; peak largest process {s.largest_mb:.0f} MB, "
              f"peak all processes {s.total_mb:.0f} MB; archive {size / 1e6:.1f} MB, "
              f"rekap {rekap.stat().st_size / 1e6 if rekap.exists() else 0:.1f} MB, Parquet {parquet / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
