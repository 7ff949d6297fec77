"""Hostile variants of a workbook, at the byte, zip and XML level, and the run of the
commands on one of them in a worker process under memory and time limits.

Used by tests/test_fuzz.py (a few hundred cases, driven by hypothesis) and by
bench/fuzz.py (thousands, with counts).
"""

from __future__ import annotations

import io
import random
import re
import tempfile
import time
import zipfile
from pathlib import Path

#: Values a cell may hold that have crashed or misled readers: overflow, NaN, tiny and
#: huge numbers, a 400-digit number, formula-looking text, markers, mixed separators.
HOSTILE_NUMBERS = ("1e309", "-1e309", "NaN", "INF", "-INF", "1e-320", "1e26", "-1e300", "9" * 400, "-0",
                   "1.7976931348623157e308", "4.9e-324", "0.1", "123456789012345678901234567890")
HOSTILE_TEXTS = ("=1+1", "+62 812", "-", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "8.8.8,8,8", "1.393,000,5",
                 "87.1 5", "Rp. 2.716.210.184,00", "Belum ada penilaian", "٣٤", "ＡＢＣ", "x" * 40000, "BB",
                 "80 - 90 - 100", "<b>&amp;", "\t1", " ", "1e309", "NaN")
FAR_CELLS = ("XFD1048576", "A1048576", "XFD1", "ZZ99999", "AAA5000", "XFD5000")
FORBIDDEN_SHEET_NAMES = ("Lembar [baru]", "a/b", "Data:2023?", "x" * 40, "Sheet*", "Realisasi")

_CELL = re.compile(rb"<c r=\"[A-Z]+\d+\"[^>]*?(?:/>|>.*?</c>)", re.S)


def _members(data: bytes) -> dict[str, bytes] | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist()}
    except Exception:  # noqa: BLE001 - not a zip any more; byte mutations only
        return None


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in members.items():
            z.writestr(name, content)
    return out.getvalue()


def _sheet(members: dict[str, bytes], rng: random.Random) -> str | None:
    sheets = [n for n in members if n.startswith("xl/worksheets/sheet")]
    return rng.choice(sorted(sheets)) if sheets else None


def _cell_value(xml: bytes, rng: random.Random) -> bytes:
    cells = list(_CELL.finditer(xml))
    if not cells:
        return xml
    m = rng.choice(cells)
    ref = re.match(rb"<c r=\"([A-Z]+\d+)\"", m.group(0)).group(1)
    if rng.random() < 0.5:
        new = b'<c r="%s"><v>%s</v></c>' % (ref, rng.choice(HOSTILE_NUMBERS).encode())
    else:
        text = rng.choice(HOSTILE_TEXTS).replace("&", "&amp;").replace("<", "&lt;")
        new = b'<c r="%s" t="inlineStr"><is><t>%s</t></is></c>' % (ref, text.encode("utf-8"))
    return xml[: m.start()] + new + xml[m.end():]


def _far_cell(xml: bytes, rng: random.Random) -> bytes:
    end = xml.rfind(b"</sheetData>")
    if end < 0:
        return xml
    ref = rng.choice(FAR_CELLS).encode()
    row = re.search(rb"\d+", ref).group(0)
    return xml[:end] + b'<row r="%s"><c r="%s" t="inlineStr"><is><t>x</t></is></c></row>' % (row, ref) + xml[end:]


def _slice(xml: bytes, rng: random.Random) -> bytes:
    if len(xml) < 2:
        return xml
    a = rng.randrange(len(xml))
    b = min(len(xml), a + rng.randrange(1, 2000))
    kind = rng.randrange(3)
    if kind == 0:
        return xml[:a] + xml[b:]  # cut a piece out
    if kind == 1:
        return xml[:b] + xml[a:b] + xml[b:]  # repeat a piece
    return xml[:a]  # truncate


def _rename_sheet(members: dict[str, bytes], rng: random.Random) -> None:
    wb = members.get("xl/workbook.xml")
    if wb is None:
        return
    names = re.findall(rb'<sheet name="([^"]*)"', wb)
    if names:
        old = rng.choice(names)
        new = rng.choice(FORBIDDEN_SHEET_NAMES).replace("&", "&amp;").encode()
        members["xl/workbook.xml"] = wb.replace(b'<sheet name="%s"' % old, b'<sheet name="%s"' % new, 1)


def mutate(data: bytes, rng: random.Random) -> bytes:
    """One to three random mutations of a workbook's bytes."""
    for _ in range(rng.randint(1, 3)):
        members = _members(data)
        kind = rng.randrange(8) if members is not None else 7
        if members is not None and kind < 7:
            name = _sheet(members, rng)
            if kind in (0, 1) and name:
                members[name] = _cell_value(members[name], rng)
            elif kind == 2 and name:
                members[name] = _far_cell(members[name], rng)
            elif kind == 3 and name:
                members[name] = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:XFD1048576"',
                                       members[name], count=1)
            elif kind == 4:
                target = rng.choice(sorted(members))
                members[target] = _slice(members[target], rng)
            elif kind == 5:
                members.pop(rng.choice(sorted(members)))
            elif kind == 6:
                _rename_sheet(members, rng)
            data = _zip(members)
        else:  # bytes: flip some, truncate, or append garbage
            data = bytearray(data)
            choice = rng.randrange(3)
            if choice == 0 and data:
                for _ in range(rng.randint(1, 20)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            elif choice == 1 and data:
                del data[rng.randrange(len(data)):]
            else:
                data += bytes(rng.randrange(256) for _ in range(rng.randint(1, 500)))
            data = bytes(data)
    return data


def run_case(path: str) -> dict:
    """`check` and `recompute` on one file, as a user runs them (work of an isolated
    worker): exit codes, any exception that escaped, whether output was written."""
    from click.testing import CliRunner

    from sakip_xl.cli import main

    out: dict = {}
    started = time.monotonic()
    target = Path(tempfile.mkdtemp()) / "hasil.xlsx"
    for name, args in (("check", ["check", path]),
                       ("recompute", ["recompute", path, "-o", str(target), "--no-backup"])):
        result = CliRunner().invoke(main, args)
        escaped = result.exception if not isinstance(result.exception, SystemExit) else None
        out[name] = {"exit": result.exit_code, "escaped": type(escaped).__name__ if escaped else None,
                     "traceback": "Traceback" in result.output, "output": result.output[-500:]}
    out["written"] = target.exists()
    out["seconds"] = time.monotonic() - started
    return out


def problems(outcome: dict) -> list[str]:
    """What is wrong with one case's outcome: empty when all is well."""
    found = []
    for name in ("check", "recompute"):
        r = outcome[name]
        if r["exit"] not in (0, 1, 2):
            found.append(f"{name}: exit {r['exit']}")
        if r["escaped"] or r["traceback"]:
            found.append(f"{name}: traceback ({r['escaped']}): {r['output']}")
    if outcome["recompute"]["exit"] == 2 and outcome["written"]:
        found.append("recompute wrote a file for an input it could not read")
    if outcome["recompute"]["exit"] == 2 and outcome["check"]["exit"] != 2:  # both read the file the same way
        found.append(f"recompute refused what check read: {outcome['recompute']['output']}")
    return found
