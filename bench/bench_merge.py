"""Merging at regency, province and national scale (issue 4).

    python bench/bench_merge.py --n 200 --baseline
    python bench/bench_merge.py --n 1000 --n 2000
    python bench/bench_merge.py --n 200 --baseline --sakip /tmp/venv-a87001c/bin/sakip-xl

Generates N realistic filled workbooks once, with the current code (30 indicators,
300 budget rows, varied values, about 2% broken files of several kinds) and times,
whole process, on the same files: (a) with --baseline, the naive script a regency
programmer would write: pandas.read_excel with openpyxl on each input sheet, one
file after another; (b) `sakip-xl merge`; (c) with --sakip or --python, `merge` of
another installation (cold too: --no-cache where it has a cache). All are
interleaved A B C A B C ... (--repeat rounds, medians) after one untimed warm-up of
each merge. Targets: for N = 200 at least 50 files/s and at least 8 times the
baseline; for N = 2000 peak memory under 1 GB and time growing linearly with N. Peak
total sums the RSS of the worker processes. The machine is shared: compare within
one run.
"""

from __future__ import annotations

import argparse
import io
import random
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import (
    CURRENT,
    add_other_options,
    child_env,
    compare,
    describe,
    fmt,
    import_fill_synthetic,
    installations,
)

write_filled, synthetic_filling = import_fill_synthetic()
NAIVE = "naive"

DISTINCT = 40  # workbooks written in full; the others are renamed copies of them

BASELINE = """
import sys, glob, pandas as pd
frames = []
for path in sorted(glob.glob(sys.argv[1] + '/**/*.xlsx', recursive=True)):
    for sheet in ('Identitas', 'Skala', 'IKU', 'PK', 'Realisasi', 'Anggaran'):
        try:
            df = pd.read_excel(path, sheet_name=sheet, engine='openpyxl', header=2)
        except Exception:
            continue
        df['berkas'] = path
        frames.append(df)
pd.concat(frames).to_csv(sys.argv[2])
"""


def _rename(src: Path, dst: Path, old: str, new: str) -> None:
    """A copy of a workbook whose office name is `new` (it lives in the shared strings)."""
    with zipfile.ZipFile(src) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    parts["xl/sharedStrings.xml"] = parts["xl/sharedStrings.xml"].replace(old.encode(), new.encode())
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    dst.write_bytes(buf.getvalue())


def generate(folder: Path, n: int, cache: Path) -> None:
    """N workbooks in `folder`: distinct seeded ones, renamed copies, ~2% broken."""
    cache.mkdir(exist_ok=True)
    bases = []
    for i in range(min(DISTINCT, n)):
        path = cache / f"base-{i:03d}.xlsx"
        office = f"Perangkat Daerah Uji {i:03d}"
        if not path.exists():
            write_filled(path, synthetic_filling(1000 + i, 30, 300, office=office, messy=i % 3 == 0))
        bases.append((path, office))
    rnd = random.Random(n)
    for k in range(n):
        target = folder / f"kec-{k // 50:02d}" / f"lkjip-{k:05d}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        kind = rnd.random()
        if kind < 0.005:
            target.write_bytes(b"PK\x03\x04 rusak")
        elif kind < 0.01:
            target.write_text("bukan buku kerja", encoding="utf-8")
        elif kind < 0.015:
            with zipfile.ZipFile(target, "w") as z:
                z.writestr("word/document.xml", "<w:document/>")
        elif kind < 0.02:
            with zipfile.ZipFile(cache / "base-000.xlsx") as src, zipfile.ZipFile(target, "w") as z:
                for name in src.namelist():  # a workbook whose PK sheet was deleted
                    if name != "xl/worksheets/sheet5.xml":
                        z.writestr(name, src.read(name))
        else:
            path, office = bases[k % len(bases)]
            _rename(path, target, office, f"{office} / {k:05d}")


CACHED = "cached"


def _knows_no_cache(prefix: list[str]) -> bool:
    """Whether an installation's `merge` has a cache to refuse: a cold run must refuse it."""
    res = subprocess.run([*prefix, "merge", "--help"], check=False, capture_output=True, text=True,
                         env=child_env(), cwd=tempfile.gettempdir())
    return "--no-cache" in res.stdout


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, action="append", help="number of workbooks (repeatable)")
    ap.add_argument("--baseline", action="store_true", help="also time the naive pandas/openpyxl script")
    ap.add_argument("--jobs", type=int, default=None)
    ap.add_argument("--repeat", type=int, default=3, help="timed rounds (median); default 3")
    add_other_options(ap)
    args = ap.parse_args()
    inst = installations(args)
    for label, prefix in inst.items():
        print(f"{label}: {' '.join(prefix)} -> {describe(prefix)}", flush=True)
    # (an installation older than the cache has no such option)
    cold = [label for label, prefix in inst.items() if label == CURRENT or _knows_no_cache(prefix)]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.n or [200]:
            folder = tmp / f"n{n}"
            generate(folder, n, tmp / "cache")
            jobs = ["--jobs", str(args.jobs)] if args.jobs else []
            cmds = {label: [*prefix, "merge", str(folder), "-o", str(tmp / f"rekap-{n}-{label}.xlsx"), "--quiet", *jobs]
                    for label, prefix in inst.items()}
            # cold: every file read (--no-cache); cached: a re-merge of the unchanged files,
            # its cache filled by the untimed warm-up run
            cmds[CACHED] = [*cmds[CURRENT], "-o", str(tmp / f"rekap-{n}-cached.xlsx")]
            for label in cold:
                cmds[label].append("--no-cache")
            if args.baseline:
                cmds[NAIVE] = [sys.executable, "-c", BASELINE, str(folder), str(tmp / "base.csv")]
            stats = compare(cmds, args.repeat, tmp, warmup={*inst, CACHED})
            print(f"N={n} ({args.repeat} rounds, medians):")
            for label, st in stats.items():
                name = {NAIVE: "naive pandas+openpyxl", CACHED: "re-merge, cached"}.get(label, f"{label} sakip-xl merge")
                print(f"  {name:<24} {n / st.median:6.1f} files/s  {fmt(st)}")
            for label in inst:
                st = stats[label]
                if NAIVE in stats:
                    print(f"  {label}: merge is {stats[NAIVE].median / st.median:.1f} x faster than naive")
                if label != CURRENT:
                    cur = stats[CURRENT]
                    print(f"  ratio {CURRENT}/{label}: time {cur.median / st.median:.2f}, "
                          f"peak largest {cur.largest_mb / st.largest_mb:.2f}, peak total {cur.total_mb / st.total_mb:.2f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
