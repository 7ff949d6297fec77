"""sakip-xl: the standard LKjIP workbook, its checks and its formula-checked tables.

The public API, imported on first use (so `import sakip_xl` stays fast):

- `write_template(path, ...)`: the standard workbook (`sakip_xl.commands.template`)
- `roll_over(last_year, path)`: next year's workbook from this year's (`sakip_xl.commands.rollover`)
- `check_workbook(path)`: read, compute and check one workbook (`sakip_xl.model.workbook`)
- `recompute(path, output)`: the formula-checked workbook with chapter-III tables
- `merge(inputs)`, `write_rekap(path, result)`, `write_csv(folder, result)`: the rekap of many workbooks
- `write_laporan(path, output)`: the LKjIP document draft, .docx and PDF (`sakip_xl.laporan`)
- `compute`: the rules as pure functions over pandas tables
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_API = {
    "write_template": "commands.template",
    "roll_over": "commands.rollover",
    "check_workbook": "model.workbook",
    "check_file": "model.workbook",
    "recompute": "commands.recompute",
    "merge": "commands.merge",
    "write_rekap": "sheets.rekap",
    "write_csv": "sheets.rekap",
    "write_laporan": "laporan",
    "Issue": "checks.report",
    "Report": "checks.report",
    "SakipError": "errors",
}
__all__ = [*_API, "compute", "__version__"]


def __getattr__(name: str):
    if name == "compute":
        return importlib.import_module(".compute", __name__)
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'sakip_xl' has no attribute {name!r}")
