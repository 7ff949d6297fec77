"""Formula-checked: LibreOffice computes what sakip-xl cached (issue 3, section 5).

Runs last (file name): every workbook the other tests kept in the `produced`
folder, plus the examples, their recomputed versions and the standard
template, is opened in LibreOffice headless with full recalculation forced on
load, and every formula cell's LibreOffice value must equal the value
sakip-xl wrote: numbers equal after rounding to 9 significant digits, texts
identical.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from agreement import disagreements, formula_cells
from libreoffice import recalculate
from paths import EXAMPLES, STANDARD
from sakip_xl.commands.recompute import recompute
from sakip_xl.model.fill import write_filled
from sakip_xl.synthetic import synthetic_filling


def test_libreoffice_agrees_with_every_cached_value(libreoffice, produced, tmp_path):
    books = [STANDARD]
    # More rows than the template prepares (50 indicators, 400 budget rows): the rows
    # added below carry the same formulas; the messy filling holds every rule case
    # (Negatif, ranges, grades, targets of 0, blanks, typed-over formulas).
    beyond = write_filled(tmp_path / "beyond.xlsx", synthetic_filling(12, 70, 520, messy=True))
    books.append(recompute(beyond, tmp_path / "beyond-hasil.xlsx", make_backup=False).output)
    for example in sorted(EXAMPLES.glob("*.xlsx")):
        books.append(example)
        books.append(recompute(example, tmp_path / f"{example.stem}-hasil.xlsx", make_backup=False).output)
    if produced.exists():
        books += sorted(produced.glob("*.xlsx"))
    staged = []
    for i, b in enumerate(books):  # unique names: LibreOffice writes <stem>.xlsx into one folder
        staged.append(shutil.copy(b, tmp_path / f"in-{i:03d}-{b.name}"))
    outputs = recalculate([Path(p) for p in staged], tmp_path / "lo")
    checked = 0
    bad: list[str] = []
    for ours, lo in zip(staged, outputs):
        checked += len(formula_cells(Path(ours)))
        bad += disagreements(Path(ours), lo)
    assert checked > 10_000
    assert not bad, f"{len(bad)} of {checked} formula cells disagree:\n" + "\n".join(bad[:40])
