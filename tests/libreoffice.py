"""Recalculating workbooks in LibreOffice headless, the real spreadsheet engine of the tests.

A throw-away LibreOffice profile sets "recalculation on file load: always" for
Excel and ODF files, so every formula is computed by LibreOffice itself and
the cached values sakip-xl wrote are ignored.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def recalculate(paths: list[Path], outdir: Path, fmt: str = "xlsx") -> list[Path]:
    """Open each workbook in LibreOffice, recalculate everything, save as `fmt` in `outdir`."""
    exe = soffice()
    if exe is None:
        raise RuntimeError("LibreOffice (soffice) is not installed")
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as prof:
        user = Path(prof) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(_PROFILE)
        cmd = [exe, "--headless", "--norestore", f"-env:UserInstallation=file://{prof}",
               "--convert-to", fmt, "--outdir", str(outdir), *map(str, paths)]
        env = {**os.environ, "SAL_USE_VCLPLUGIN": "svp"}
        subprocess.run(cmd, check=True, capture_output=True, timeout=600, env=env)
    out = [outdir / (Path(p).stem + "." + fmt) for p in paths]
    missing = [str(p) for p in out if not p.exists()]
    if missing:
        raise RuntimeError(f"LibreOffice did not write {missing}")
    return out
