"""Whole-process times of `sakip-xl check` and `sakip-xl recompute` (issue 3 targets).

    python bench/bench_recompute.py [--repeat N]

Workbooks are generated with sakip_xl.synthetic: typical (30 indicators,
300 budget rows) and large (200 indicators, 5,000 budget rows). Targets:
check typical <= 1.0 s, recompute typical <= 1.5 s, recompute large <= 4 s,
peak memory large <= 400 MB. The machine is shared: compare medians within
one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import run, sakip  # noqa: E402

from sakip_xl.fill import write_filled  # noqa: E402
from sakip_xl.synthetic import synthetic_filling  # noqa: E402

SIZES = {"typical": (30, 300), "large": (200, 5000)}
TARGETS = {("check", "typical"): 1.0, ("recompute", "typical"): 1.5, ("recompute", "large"): 4.0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base, _, _ = run([sys.executable, "-c", "import pandas"], args.repeat)
        print(f"baseline: python + import pandas {base:.3f} s")
        for name, (ind, rows) in SIZES.items():
            src = Path(tmp) / f"{name}.xlsx"
            write_filled(src, synthetic_filling(7, ind, rows, messy=True))
            for cmd in ("check", "recompute"):
                extra = ["-o", str(Path(tmp) / f"{name}-out.xlsx")] if cmd == "recompute" else []
                median, best, peak = run(sakip(cmd, str(src), *extra), args.repeat)
                target = TARGETS.get((cmd, name))
                goal = f"; target <= {target} s" if target else ""
                print(f"{cmd:<9} {name:<7} ({ind} indicators, {rows} budget rows): median {median:.2f} s, "
                      f"best {best:.2f} s, peak {peak:.0f} MB{goal}")


if __name__ == "__main__":
    main()
