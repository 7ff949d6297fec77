"""Regenerate the committed workbooks from their readable sources.

    python scripts/build.py

writes sakip_xl/workbook_templates/lkjip-standar.xlsx (the standard workbook
with default options), sakip_xl/workbook_templates/lkjip-dokumen.docx (the
default LKjIP document template), docs/contract.md (the contract page) and
sakip_xl/examples/<name>.xlsx, the bundled examples, from the CSV files in
examples/<name>/ (transcribed from the seed reports; see their NOTES.md).
Tests fail when a committed file is out of date.
"""

from __future__ import annotations

from pathlib import Path

from sakip_xl.model.contract_doc import render_contract
from sakip_xl.model.fill import read_csv_folder, write_filled
from sakip_xl.laporan.default_template import build_default_template
from sakip_xl.commands.template import write_template

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
PACKAGE = ROOT / "sakip_xl"


def main() -> None:
    out = PACKAGE / "workbook_templates" / "lkjip-standar.xlsx"
    write_template(out, force=True)
    print(f"wrote {out}")
    document = PACKAGE / "workbook_templates" / "lkjip-dokumen.docx"
    build_default_template(document)
    print(f"wrote {document}")
    doc = ROOT / "docs" / "contract.md"
    doc.write_text(render_contract(), encoding="utf-8")
    print(f"wrote {doc}")
    for folder in sorted(p for p in EXAMPLES.iterdir() if p.is_dir()):
        target = PACKAGE / "examples" / f"{folder.name}.xlsx"
        write_filled(target, read_csv_folder(folder))
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
