"""Regenerate the committed workbooks from their sources.

    python scripts/build_templates.py

writes workbook_templates/lkjip-standar.xlsx (the standard workbook with
default options). Tests fail when the committed file is out of date.
"""

from __future__ import annotations

from sakip_xl.contract import templates_dir
from sakip_xl.template import write_template


def main() -> None:
    out = templates_dir() / "lkjip-standar.xlsx"
    write_template(out, force=True)
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
