"""Whole-process time of `sakip-xl template` (issue 2 target: at most 0.5 s).

    python bench/bench_template.py [--repeat N]
    python bench/bench_template.py --sakip /tmp/venv-a87001c/bin/sakip-xl

With --sakip or --python the other installation runs the same command, interleaved
A B A B ... in one run, and the ratio current/other is printed.
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
    installations,
    python_of,
    report,
)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    add_other_options(ap)
    args = ap.parse_args()
    inst = installations(args)
    for label, prefix in inst.items():
        print(f"{label}: {' '.join(prefix)} -> {describe(prefix)}")
    with tempfile.TemporaryDirectory() as tmp:
        report("python startup alone", compare({label: [python_of(prefix), "-c", "pass"]
                                                for label, prefix in inst.items()}, args.repeat, tmp))
        cmds = {label: [*prefix, "template", str(Path(tmp) / f"lkjip-{label}.xlsx"), "--force"]
                for label, prefix in inst.items()}
        report("sakip-xl template", compare(cmds, args.repeat, tmp), 0.5)


if __name__ == "__main__":
    main()
