"""Merging at regency, province and national scale (issue 4).

    python bench/bench_merge.py --n 200 --baseline
    python bench/bench_merge.py --n 1000 --n 2000

Generates N realistic filled workbooks (30 indicators, 300 budget rows, varied
values, about 2% broken files of several kinds) and times, whole process, on
the same files: (a) with --baseline, the naive script a regency programmer
would write: pandas.read_excel with openpyxl on each input sheet, one file
after another; (b) `sakip-xl merge`. Targets: for N = 200 at least 50 files/s
and at least 8 times the baseline; for N = 2000 peak memory under 1 GB and
time growing linearly with N. The machine is shared: compare within one run.
"""

from __future__ import annotations

import argparse
import io
import random
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import run, sakip  # noqa: E402

from sakip_xl.fill import write_filled  # noqa: E402
from sakip_xl.synthetic import synthetic_filling  # noqa: E402

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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, action="append", help="number of workbooks (repeatable)")
    ap.add_argument("--baseline", action="store_true", help="also time the naive pandas/openpyxl script")
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for n in args.n or [200]:
            folder = tmp / f"n{n}"
            generate(folder, n, tmp / "cache")
            jobs = ["--jobs", str(args.jobs)] if args.jobs else []
            median, _best, peak = run(sakip("merge", str(folder), "-o", str(tmp / f"rekap-{n}.xlsx"), "--quiet",
                                            *jobs), repeat=1)
            line = (f"N={n}: sakip-xl merge {median:.1f} s whole process, {n / median:.1f} files/s, "
                    f"peak {peak:.0f} MB")
            if args.baseline:
                base, _b, base_peak = run([sys.executable, "-c", BASELINE, str(folder), str(tmp / "base.csv")],
                                          repeat=1)
                line += (f"; naive pandas+openpyxl {base:.1f} s ({n / base:.2f} files/s, peak {base_peak:.0f} MB): "
                         f"merge is {base / median:.1f} x faster")
            print(line, flush=True)


if __name__ == "__main__":
    main()
