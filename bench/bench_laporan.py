"""Whole-process times of `sakip-xl laporan` next to `sakip-xl recompute` on the same files.

    python bench/bench_laporan.py [--repeat N] [--pdf]

Workbooks are generated with sakip_xl.synthetic (messy): typical (30 indicators,
300 budget rows) and large (200 indicators, 5,000 budget rows). Target: laporan
typical <= 1.5 s without PDF. `--pdf` also times `laporan --pdf` (LibreOffice's
start-up dominates). The machine is shared: compare medians within one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import run, sakip

from sakip_xl.model.fill import write_filled
from sakip_xl.synthetic import synthetic_filling

SIZES = {"typical": (30, 300), "large": (200, 5000)}
TARGETS = {("laporan", "typical"): 1.5}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--pdf", action="store_true", help="also time laporan --pdf")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for name, (ind, rows) in SIZES.items():
            src = Path(tmp) / f"{name}.xlsx"
            write_filled(src, synthetic_filling(7, ind, rows, messy=True))
            jobs = {"recompute": sakip("recompute", str(src), "-o", str(Path(tmp) / f"{name}-out.xlsx")),
                    "laporan": sakip("laporan", str(src), "-o", str(Path(tmp) / f"{name}.docx"), "--force")}
            if args.pdf:
                jobs["laporan --pdf"] = [*jobs["laporan"], "--pdf"]
            for job, cmd in jobs.items():
                median, best, peak = run(cmd, args.repeat)
                target = TARGETS.get((job, name))
                goal = f"; target <= {target} s" if target else ""
                print(f"{job:<13} {name:<7} ({ind} indicators, {rows} budget rows): median {median:.2f} s, "
                      f"best {best:.2f} s, peak {peak:.0f} MB{goal}")


if __name__ == "__main__":
    main()
