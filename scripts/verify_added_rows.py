"""Check by hand, in LibreOffice, that a row staff add keeps live formulas.

    sudo apt-get install python3-uno       # LibreOffice's Python bridge
    /usr/bin/python3 scripts/verify_added_rows.py [lkjip-standar.xlsx]

Starts a headless LibreOffice, opens a copy of the template (its sheets are
protected, as staff get them), and on PK, Realisasi and Anggaran does what the
Petunjuk tells staff: select the last prepared row's cells from column A to the
table's last column, copy them, paste them into the row below, then type a code
and numbers there. Prints the formula and value the new row shows; each must be the rule's formula with its result. Run with the
system Python (python3-uno is not on PyPI), so it is a script, not a test.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "sakip_xl" / "workbook_templates" / "lkjip-standar.xlsx"
#: 1-based last prepared row (50 and 400 rows from row 4) and the table's last column (hidden helpers included)
PREPARED = {"PK": (53, "G"), "Realisasi": (53, "AL"), "Anggaran": (403, "Q")}
#: What to type in the pasted row, and the formula cell to read: Target Berlaku, Realisasi Berlaku, Sisa.
TYPED = {"PK": ({"A": "9.9", "D": "75"}, "F"), "Realisasi": ({"A": "9.9", "I": "70"}, "J"),
         "Anggaran": ({"K": "200", "L": "150"}, "N")}


def prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main() -> None:
    template = Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(shutil.copy(template, Path(tmp) / "lkjip.xlsx"))
        for sheet, (last, last_col) in PREPARED.items():  # a fresh LibreOffice per sheet: paste can crash it on exit
            office = subprocess.Popen(["soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
                                       "--invisible", "--nologo", "--norestore",
                                       "--accept=socket,host=127.0.0.1,port=2002;urp;"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                check_sheet(work, sheet, last, last_col)
            finally:  # `soffice` is a wrapper: end its whole process group
                os.killpg(office.pid, signal.SIGKILL)
                office.wait()


def check_sheet(work: Path, sheet: str, last: int, last_col: str) -> None:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(60):
        try:
            ctx = resolver.resolve("uno:socket,host=127.0.0.1,port=2002;urp;StarOffice.ComponentContext")
            break
        except Exception:  # LibreOffice is still starting
            time.sleep(0.5)
    smgr = ctx.ServiceManager
    desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    dispatch = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(str(work)), "_blank", 0, (prop("Hidden", True),))
    frame = doc.CurrentController.Frame

    def go(ref: str) -> None:
        dispatch.executeDispatch(frame, ".uno:GoToCell", "", 0, (prop("ToPoint", ref),))

    ws = doc.Sheets.getByName(sheet)
    go(f"${sheet}.$A${last}:${sheet}.${last_col}${last}")  # the table's cells of the row (Petunjuk, section 4)
    dispatch.executeDispatch(frame, ".uno:Copy", "", 0, ())
    go(f"${sheet}.$A${last + 1}")
    dispatch.executeDispatch(frame, ".uno:Paste", "", 0, ())
    typed, shown = TYPED[sheet]
    for col, text in typed.items():
        go(f"${sheet}.${col}${last + 1}")
        dispatch.executeDispatch(frame, ".uno:EnterString", "", 0, (prop("StringName", text),))
    cell = ws.getCellRangeByName(f"{shown}{last + 1}")
    print(f"{sheet} (protected: {ws.isProtected()}), row {last + 1} after pasting row {last}: "
          f"{shown}{last + 1} = {cell.Formula!r} shows {cell.String!r}", flush=True)
    doc.close(True)


if __name__ == "__main__":
    main()
