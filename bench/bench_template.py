"""Whole-process time of `sakip-xl template` (issue 2 target: at most 0.5 s).

    python bench/bench_template.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from common import run, sakip  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "lkjip.xlsx"
        median, best, peak = run(sakip("template", str(out), "--force"), args.repeat)
        base, _, _ = run([sys.executable, "-c", "pass"], args.repeat)
    print(f"sakip-xl template: median {median:.3f} s, best {best:.3f} s, peak {peak:.0f} MB "
          f"(python startup alone {base:.3f} s); target <= 0.5 s")


if __name__ == "__main__":
    main()
