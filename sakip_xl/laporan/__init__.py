"""The LKjIP document itself (`sakip-xl laporan`): the report draft as a Word file, and
as PDF, filled from a workbook that the engine has read, checked and recomputed.

Every number in it is the engine's value (the one `recompute` caches next to its
formula), written the Indonesian way; a value that rests on a galat carries a mark
that points to the Catatan Pemeriksaan page the document opens with.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..sheets.chapter3 import build_chapter3
from ..files import atomic_write, check_output
from ..model.workbook import Workbook, check_workbook
from .context import build_context
from .pdf import convert, require_soffice
from .render import fill, load_template

__all__ = ["Laporan", "write_laporan"]


@dataclass
class Laporan:
    checked: Workbook = field(repr=False)
    output: Path
    pdf: Path | None
    template: str  # the name of the template used


def write_laporan(path: str | Path, output: str | Path | None = None, *, template: str | Path | None = None,
                  pdf: bool = False, force: bool = False) -> Laporan:
    """Write the LKjIP document of the workbook at `path` to `output` (default: beside it,
    as .docx), from `template` (default: the one shipped), and as PDF beside it with `pdf`.

    The outputs, LibreOffice (for `pdf`) and the template are checked before the
    workbook is read; nothing is written when one of them is wrong.
    """
    path = Path(path)
    inputs = [path, *([template] if template else [])]
    target = check_output(Path(output) if output else path.with_suffix(".docx"), "dokumen", suffixes=(".docx",),
                          force=force, inputs=inputs)
    pdf_target = check_output(target.with_suffix(".pdf"), "PDF", suffixes=(".pdf",), force=force,
                              inputs=inputs) if pdf else None
    exe = require_soffice() if pdf else None
    tpl, name = load_template(template)
    checked = check_workbook(path, prepare=True)
    chapter3 = build_chapter3(checked.data, checked.book, checked.tree, checked.report.issues)
    context = build_context(checked, chapter3)
    atomic_write(target, lambda tmp: fill(tpl, context, tmp, name))
    if pdf_target is not None and exe is not None:  # (both set exactly when pdf is asked for)
        atomic_write(pdf_target, lambda tmp: convert(target, tmp, exe))
    return Laporan(checked, target, pdf_target, name)
