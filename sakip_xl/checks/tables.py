"""Checks across cells, rows and sheets: small functions that yield Issues.

Cell-level problems (unreadable numbers, units, choices) are found while
parsing (`interpret.py`); these checks need more than one cell: codes that
must exist or be unique, targets against realisasi, the budget hierarchy and
its sums, scales, and formulas overwritten by typed values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterator

from ..rules.formula import NUM, XLError
from ..read.interpret import PERIODE, Cell, Data, Row
from ..read.numbers import read_number
from ..read.source import cell_name
from .report import Issue, format_number, issue
from ..model.budget import BudgetTree
from ..model.codes import code_index, code_key, table_rows
from ..rules.sakip import BUDGET_MONEY, IMPLAUSIBLE_RATIO

if TYPE_CHECKING:
    from ..model.workbook import Workbook

MONEY = tuple(BUDGET_MONEY)


def _cell(row: Row, key: str) -> Cell:
    """The cell of an input column: a row read from a table has one for each."""
    cell = row.get(key)
    assert cell is not None, f"row {row.row + 1} has no {key} cell"
    return cell


def run_checks(wb: Workbook) -> list[Issue]:
    data = wb.data
    out: list[Issue] = list(check_filled(wb))
    for check in (check_codes, check_identity, check_grades, check_targets, check_scales):
        out.extend(check(data))
    out.extend(check_budget(data, wb.tree))
    out.extend(check_realisasi_present(wb))
    out.extend(check_overwritten(wb))
    out.extend(check_overflow(wb))
    return out


#: The derived columns whose result can pass the largest double unnoticed: the year's sum
#: of quarters and the capaian ratio (budget amounts that large already break the
#: parent-sum and realisasi-over-pagu checks).
CAN_OVERFLOW = {"realisasi": ("realisasi_berlaku", "capaian")}


def check_overflow(wb: Workbook) -> Iterator[Issue]:
    """Every number is computed or reported: a derived cell whose result passes the
    largest double (#NUM!, e.g. two quarters of 1,7E+308 summed) is a galat at that cell."""
    for table, keys in CAN_OVERFLOW.items():
        tl = wb.layout.tables[table]
        for key in keys:
            if key not in tl.columns:
                continue
            for r in wb.rows(table):
                v = r.result(key)
                if isinstance(v, XLError) and v.code == NUM.code:
                    label = tl.table.column(key).label
                    yield issue("hasil-melampaui-batas", tl.sheet, cell_name(r.number, tl.columns[key]), column=label)


# ---------------------------------------------------------------- codes


def check_codes(data: Data) -> Iterator[Issue]:
    for table in ("iku", "pk", "realisasi", "anggaran"):
        seen: dict[str, Cell] = {}
        for r in table_rows(data, table):
            cell = r.get("kode")
            k = code_key(cell)
            if k is None or cell is None:
                continue
            if k in seen:
                yield issue("kode-ganda", cell.sheet, cell.a1, value=cell.written, other=seen[k].a1)
            else:
                seen[k] = cell
    known = code_index(data, "iku")
    for table, key in (("pk", "kode"), ("realisasi", "kode"), ("anggaran", "kode_indikator")):
        for r in table_rows(data, table):
            cell = r.get(key)
            k = code_key(cell)
            if k is not None and cell is not None and k not in known:
                yield issue("kode-tidak-dikenal", cell.sheet, cell.a1, value=cell.written)
    with_target = {code_key(r.get("kode")) for r in table_rows(data, "pk")
                   if not (_cell(r, "target").empty and _cell(r, "target_perubahan").empty)}
    for k, r in known.items():
        if k not in with_target:
            kode = _cell(r, "kode")
            yield issue("target-pk-tidak-ada", kode.sheet, kode.a1, value=kode.written)


def check_filled(wb: Workbook) -> Iterator[Issue]:
    """An unfilled or nearly empty workbook is a problem, not a clean report: no
    indicator, no PK target or no realisasi at all is a galat naming what is missing."""
    data = wb.data
    iku = code_index(data, "iku")
    if not iku:
        yield _unfilled(data, "iku", "belum ada satu pun indikator (Kode, Tujuan/Sasaran, Indikator Kinerja)")
    if not any(not (_cell(r, "target").empty and _cell(r, "target_perubahan").empty) for r in table_rows(data, "pk")
               if code_key(r.get("kode")) is not None):
        yield _unfilled(data, "pk", "belum ada satu pun target Perjanjian Kinerja")
    if not any(isinstance(r.result("realisasi_berlaku"), (int, float))
               or ((real := r.cell("realisasi")) is not None and not real.empty)
               for r in wb.rows("realisasi") if code_key(r.cell("kode")) is not None):
        yield _unfilled(data, "realisasi", "belum ada satu pun realisasi indikator")


def _unfilled(data: Data, table: str, what: str) -> Issue:
    tl = data.layout.tables[table]
    return issue("belum-diisi", tl.sheet, cell_name(tl.first_row, tl.columns["kode"]), what=what)


def check_realisasi_present(wb: Workbook) -> Iterator[Issue]:
    iku = code_index(wb.data, "iku")
    have = set()
    for view in wb.rows("realisasi"):
        r = view.row
        k = code_key(r.get("kode"))
        if k is None:
            continue
        have.add(k)
        v = view.result("realisasi_berlaku")
        # `-`, `n/a`, `Belum ada penilaian` are kept as typed, and are no realisasi either
        if (v is None or isinstance(v, str) and read_number(v).kind == "kosong") and k in iku:
            cell = _cell(r, "realisasi")
            yield issue("realisasi-kosong", cell.sheet, cell.a1, value=_cell(r, "kode").written)
    for k, r in iku.items():
        if k not in have:
            cell = _cell(r, "kode")
            yield issue("realisasi-tidak-ada", cell.sheet, cell.a1, value=cell.written)


# ---------------------------------------------------------------- identity


def check_identity(data: Data) -> Iterator[Issue]:
    tahun = data.tahun
    periode = data.identity["periode_renstra"]
    m = PERIODE.match(periode.text or "")
    if tahun is not None and m:
        start, end = int(m.group(1)), int(m.group(2))
        if not start <= tahun <= end:
            cell = data.identity["tahun"]
            yield issue("tahun-di-luar-renstra", cell.sheet, cell.a1, value=tahun, expected=periode.text)
    scale = data.identity["skala_kategori"]
    if scale.text and scale.text.casefold() not in data.kategori_scales:
        names = sorted({n for n in (r.text("skala") for r in data.rows.get("kategori", [])) if n})
        yield issue("pilihan-tidak-dikenal", scale.sheet, scale.a1, value=scale.text, column="Skala Kategori",
                    choices=", ".join(names) or "Permendagri 86/2017")


# ---------------------------------------------------------------- targets and grades

_VALUE_COLUMNS = {
    "iku": ("target_renstra", "standar_nasional"),
    "pk": ("target", "target_perubahan"),
    "realisasi": ("tw1", "tw2", "tw3", "tw4", "realisasi", "target_n1", "realisasi_n1", "realisasi_n2"),
}


def check_grades(data: Data) -> Iterator[Issue]:
    """A grade must be on the scale its indicator's Satuan names, and only for Positif."""
    iku = code_index(data, "iku")
    for table, keys in _VALUE_COLUMNS.items():
        for r in table_rows(data, table):
            ind = iku.get(code_key(r.get("kode")) or "")
            if ind is None:
                continue
            satuan = ind.text("satuan") or ""
            scale = data.grades.get(satuan.casefold())
            negatif = (ind.text("polaritas") or "").casefold() == "negatif"
            for key, cell in r.cells.items():
                rd = cell.reading
                if rd is None or rd.kind != "predikat" or not (key in keys or key.startswith("@")):
                    continue
                grade = rd.grade
                assert grade is not None  # a "predikat" reading has its grade
                if scale is None or grade.strip().casefold() not in scale:
                    yield issue("predikat-tidak-dikenal", cell.sheet, cell.a1, value=grade, satuan=satuan or "-")
                elif negatif and ("target" in key or key.startswith("@")):  # @: a Target Renstra year
                    yield issue("predikat-pada-negatif", cell.sheet, cell.a1, value=grade)


def effective_target(row: Row) -> Cell:
    """The PK target in force: Target Perubahan when filled, else Target."""
    tp = row.get("target_perubahan")
    return tp if tp is not None and not tp.empty else _cell(row, "target")


def check_targets(data: Data) -> Iterator[Issue]:
    pk = code_index(data, "pk")  # of a repeated code the first row, as the formulas find it
    for r in table_rows(data, "pk"):
        t = effective_target(r)
        if t.number == 0:
            yield issue("target-nol", t.sheet, t.a1)
    for r in table_rows(data, "realisasi"):
        code = code_key(r.get("kode"))
        target_row = pk.get(code) if code is not None else None
        pairs = [(r.get("realisasi"), effective_target(target_row) if target_row else None),
                 (r.get("realisasi_n1"), r.get("target_n1"))]
        yield from _implausible(pairs)
    for r in table_rows(data, "anggaran"):
        yield from _implausible([(r.get("realisasi_kinerja"), r.get("target"))])


def _implausible(pairs: list[tuple[Cell | None, Cell | None]]) -> Iterator[Issue]:
    for real, target in pairs:
        if real is None or target is None:
            continue
        rv, tv = real.number, target.number
        if rv is None and target.reading is not None and target.reading.kind == "rentang":
            continue
        if rv is None or tv is None or rv <= 0 or tv <= 0:
            continue
        if max(rv / tv, tv / rv) > IMPLAUSIBLE_RATIO:
            yield issue("realisasi-tidak-wajar", real.sheet, real.a1, value=real.raw, expected=target.raw,
                        ratio=int(IMPLAUSIBLE_RATIO))


# ---------------------------------------------------------------- scales


def check_scales(data: Data) -> Iterator[Issue]:
    bands: dict[str, list[tuple[float, float | None, Row]]] = {}
    for r in data.rows.get("kategori", []):
        name, low = r.text("skala"), r.number("batas_bawah")
        if name and low is not None:
            bands.setdefault(name, []).append((low, r.number("batas_atas"), r))
    for name, items in bands.items():
        lows = [b[0] for b in items]
        first = _cell(items[0][2], "skala")
        dup = sorted({x for x in lows if lows.count(x) > 1})
        if dup:
            yield issue("skala-tidak-valid", first.sheet, first.a1, value=name,
                        why=f"batas bawah {', '.join(format_number(x) for x in dup)} dipakai lebih dari sekali")
        if min(lows) > 0:
            yield issue("skala-celah", first.sheet, first.a1, value=name,
                        why=f"celah di bawah {format_number(min(lows))}: tidak ada kategori untuk capaian "
                            f"di bawah {format_number(min(lows))}")
        ordered = sorted(items, key=lambda b: b[0])
        for (lo, hi, row), (nlo, _nhi, nrow) in zip(ordered, ordered[1:]):
            if hi is None:
                continue
            cell = _cell(row, "batas_atas")
            if hi < nlo:
                yield issue("skala-celah", cell.sheet, cell.a1, value=name,
                            why=f"celah antara {format_number(hi)} dan {format_number(nlo)}: capaian di antaranya "
                                f"tidak tercakup oleh kategori yang tertulis")
            elif hi > nlo:
                yield issue("skala-celah", cell.sheet, cell.a1, value=name,
                            why=f"kategori yang tumpang tindih ({format_number(lo)}-{format_number(hi)} dan mulai "
                                f"{format_number(nlo)})")
    grades: dict[str, dict[str, Cell]] = {}
    for r in data.rows.get("predikat", []):
        name, grade = r.text("skala_predikat"), r.text("predikat")
        if not (name and grade):
            continue
        seen = grades.setdefault(name.casefold(), {})
        if grade.casefold() in seen:
            cell = _cell(r, "predikat")
            yield issue("skala-tidak-valid", cell.sheet, cell.a1, value=name,
                        why=f"predikat {grade} tertulis lebih dari sekali")
        seen[grade.casefold()] = _cell(r, "predikat")


# ---------------------------------------------------------------- budget


def check_budget(data: Data, tree: BudgetTree) -> Iterator[Issue]:
    labels = {c.key: c.label for c in data.layout.contract.table("anggaran").columns}
    for node in tree.orphans:
        cell = _cell(node.row, "jenis")
        yield issue("induk-tidak-ada", cell.sheet, cell.a1, jenis=node.row.text("jenis"),
                    parent={2: "program", 3: "kegiatan", 4: "sub kegiatan"}[node.level])
    for node in tree.nodes:
        r = node.row
        if node.children:
            for key in MONEY:
                typed, total = node.own(key), node.disagrees(key)
                if total is not None and typed is not None:  # a disagreement is with a typed amount
                    cell = _cell(r, key)
                    yield issue("jumlah-induk-tidak-sesuai", cell.sheet, cell.a1, value=typed, expected=total,
                                diff=typed - total, column=labels[key], jenis=r.text("jenis"),
                                uraian=_short(r.text("uraian")))
        pagu, real = node.own("pagu"), node.own("realisasi_anggaran")
        if pagu is not None and real is not None and real > pagu + 0.5:
            cell = _cell(r, "realisasi_anggaran")
            yield issue("realisasi-melebihi-pagu", cell.sheet, cell.a1, value=real, expected=pagu)
        parent = node.parent
        kode, parent_kode = r.text("kode") or "", parent.row.text("kode") if parent else ""
        if parent and "." in kode and parent_kode and not kode.startswith(parent_kode + "."):
            cell = _cell(r, "kode")
            yield issue("kode-tidak-sesuai-induk", cell.sheet, cell.a1, value=kode, expected=parent_kode)
        link = code_key(r.get("kode_indikator"))
        below = node.children_stated("pagu") if link and node.own("pagu") is None else None
        if below is not None:
            cell = _cell(r, "kode_indikator")
            yield issue("tautan-tanpa-pagu", cell.sheet, cell.a1, value=cell.written, expected=below)
        up = parent
        while link and up is not None:
            if code_key(up.row.get("kode_indikator")) == link:
                cell = _cell(r, "kode_indikator")
                yield issue("indikator-dihitung-ganda", cell.sheet, cell.a1, value=cell.written,
                            other=f"{up.row.text('jenis')} {up.row.text('kode') or ''} di baris {up.row.row + 1}")
                break
            up = up.parent
    for total_row in tree.totals:
        for key in MONEY:
            typed = total_row.number(key)
            amounts = [a for a in (n.stated(key) for n in tree.roots) if a is not None]
            if typed is not None and amounts and abs(typed - sum(amounts)) > 0.5:
                cell = _cell(total_row, key)
                yield issue("jumlah-total-tidak-sesuai", cell.sheet, cell.a1, value=typed, expected=sum(amounts),
                            diff=typed - sum(amounts), column=labels[key])


def _short(text: str | None, n: int = 60) -> str:
    text = text or ""
    return text if len(text) <= n else text[: n - 3] + "..."


# ---------------------------------------------------------------- overwritten formulas


def check_overwritten(wb: Workbook) -> Iterator[Issue]:
    """A value typed where a formula belongs, compared with what the formula gives."""
    data = wb.data
    for key, rows in wb.all_rows().items():
        tl = data.layout.tables[key]
        known = data.source.sheet(tl.sheet)
        formulas_known = known is not None and known.formulas_known
        # Without formula knowledge (.xls), hidden helper columns are not compared: staff
        # never type there, and their stored results only echo a visible overwritten cell.
        helpers = set() if formulas_known else {c.key for c in tl.table.columns if c.hidden}
        for view in rows:
            for col_key, cell in view.row.typed_derived.items():
                if col_key in helpers:
                    continue
                computed = view.result(col_key)
                if not formulas_known and cell.raw == 0:
                    # An .xls saved by LibreOffice stores the result of many formulas (empty
                    # and text results) as 0: without formula knowledge a 0 proves nothing.
                    continue
                if same_value(cell.raw, computed):
                    if formulas_known:
                        yield issue("rumus-dipulihkan", cell.sheet, cell.a1)
                else:
                    yield issue("rumus-tertimpa", cell.sheet, cell.a1, value=cell.raw, expected=_shown(computed))


def same_value(typed: object, computed: object) -> bool:
    """Whether a typed value says what the formula says (2 decimals, text case-insensitive)."""
    if computed in (None, ""):
        return typed in (None, "") or (isinstance(typed, str) and not typed.strip())
    if isinstance(computed, (int, float)) and not isinstance(computed, bool):
        reading = read_number(typed)
        if reading.kind != "angka":
            return False
        assert reading.value is not None  # an "angka" reading has its value
        return abs(reading.value - computed) < 0.005 + 1e-9 * abs(computed)
    return isinstance(typed, str) and " ".join(typed.split()).casefold() == str(computed).casefold()


def _shown(v: object) -> str:
    if v in (None, ""):
        return "(kosong)"
    if isinstance(v, float):
        return format_number(round(v, 2))
    return str(v)
