"""Whole-process times of `sakip-xl check` and `sakip-xl recompute` (issue 3 targets).

    python bench/bench_recompute.py [--repeat N]
    python bench/bench_recompute.py --repeat 3 --sakip /tmp/venv-a87001c/bin/sakip-xl

Workbooks are generated once, with the current code's sakip_xl.synthetic: typical
(30 indicators, 300 budget rows) and large (200 indicators, 5,000 budget rows); with
--sakip or --python the same files are given to both installations, interleaved
A B A B ... in one run, and the ratio current/other printed. Targets: check typical
<= 1.0 s, recompute typical <= 1.5 s, recompute large <= 4 s, peak memory large
<= 400 MB. The machine is shared: compare medians within one run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import (
    add_other_options,
    compare,
    describe,
    import_fill_synthetic,
    installations,
    python_of,
    report,
)

write_filled, synthetic_filling = import_fill_synthetic()

SIZES = {"typical": (30, 300), "large": (200, 5000)}
TARGETS = {("check", "typical"): 1.0, ("recompute", "typical"): 1.5, ("recompute", "large"): 4.0}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    add_other_options(ap)
    args = ap.parse_args()
    inst = installations(args)
    for label, prefix in inst.items():
        print(f"{label}: {' '.join(prefix)} -> {describe(prefix)}")
    with tempfile.TemporaryDirectory() as tmp:
        report("python + import pandas", compare({label: [python_of(prefix), "-c", "import pandas"]
                                                  for label, prefix in inst.items()}, args.repeat, tmp))
        for name, (ind, rows) in SIZES.items():
            src = Path(tmp) / f"{name}.xlsx"
            write_filled(src, synthetic_filling(7, ind, rows, messy=True))
            for cmd in ("check", "recompute"):
                cmds = {}
                for label, prefix in inst.items():
                    extra = ["-o", str(Path(tmp) / f"{name}-{label}-out.xlsx")] if cmd == "recompute" else []
                    cmds[label] = [*prefix, cmd, str(src), *extra]
                stats = compare(cmds, args.repeat, tmp)
                for label, st in stats.items():
                    if st.crashed or st.codes - {0, 1}:
                        print(f"  WARNING: {label} {cmd} {name} exited {sorted(st.codes)} (2 = refused/broken)")
                report(f"{cmd} {name} ({ind} indicators, {rows} budget rows)", stats, TARGETS.get((cmd, name)))


if __name__ == "__main__":
    main()
