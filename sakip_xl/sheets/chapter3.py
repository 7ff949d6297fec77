"""The LKjIP chapter-III tables: Capaian, Perbandingan, Efisiensi, Rekap Anggaran.

The structure of each table (which indicators, which groups, which budget
rows under which parent) is decided from the data when `recompute` runs;
every value in it is a formula over the input sheets, built from the rules
in `rules.py`, so it follows the inputs live and its cached value comes from
the same expression. Change the structure (add an indicator, move a budget
row) and run recompute again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..model.book import Book
from ..model.budget import BudgetTree, Node
from ..model.rows import TableRow
from .names import CAPAIAN, EFISIENSI, PERBANDINGAN, REKAP
from ..model.codes import code_index, code_key
from ..rules.formula import IF, Cell, Expr, Mapped, RowCell, cat, eq, fn, resolve
from ..read.interpret import Data, Row
from ..checks.report import Issue, format_number
from ..checks.trust import flagged_indicators, reason
from ..model.layout import Layout
from ..rules.sakip import (BUDGET_MONEY, DEFAULT_CAP, DEFAULT_EFFICIENCY, average_of, capped, count_of, difference_of,
                    efisiensi_of, kategori_of, penyerapan_of, setting, total_of)



@dataclass
class Chart:
    title: str
    categories: tuple[int, int, int]  # col, first row, last row
    values: list[tuple[str, int, int, int, str]]  # (name, col, first, last, type)
    anchor: tuple[int, int]
    y_title: str = "%"


@dataclass
class OutputSheet:
    """A generated sheet: its cells live in the Book; this says how it looks."""

    name: str
    widths: list[float]
    headers: list[int] = field(default_factory=list)  # header rows
    titles: list[int] = field(default_factory=list)  # section title rows
    totals: list[int] = field(default_factory=list)  # total rows
    number_formats: dict[int, str] = field(default_factory=dict)  # col -> number format
    wrap: set[int] = field(default_factory=set)  # wrapped columns
    indent: dict[int, int] = field(default_factory=dict)  # row -> indent level of the text column
    text_col: int = 1
    charts: list[Chart] = field(default_factory=list)
    first_data_row: int = 3


def blank_or(e: Expr) -> Expr:
    """A reference that shows nothing (not 0) when the cell is empty."""
    return IF(eq(e, ""), "", e)


class _Sheet:
    """Writes header and formula cells of one generated sheet into the book."""

    def __init__(self, book: Book, layout: Layout, spec: OutputSheet) -> None:
        self.book, self.layout, self.spec = book, layout, spec

    def text(self, r: int, c: int, v: object) -> None:
        self.book.set(self.spec.name, r, c, v)

    def formula(self, r: int, c: int, e: Expr) -> Cell:
        """One cell's own formula (irregular cells: averages of groups, parent sums)."""
        self.book.set_formula(self.spec.name, r, c, resolve(e, self.layout, "realisasi"))
        return Cell(self.spec.name, r, c)

    def column(self, c: int, e: Expr, rows: dict[int, int]) -> None:
        """One formula for many rows: `Mapped` references read each row's source row."""
        self.book.set_mapped_formula(self.spec.name, c, resolve(e, self.layout, "realisasi"), rows)

    def here(self, c: int) -> RowCell:
        """The cell of column `c` in the row being computed."""
        return RowCell(self.spec.name, c)

    def header(self, r: int, labels: list[str]) -> None:
        self.spec.headers.append(r)
        for c, label in enumerate(labels):
            self.text(r, c, label)


def _src(layout: Layout, table: str, key: str) -> Mapped:
    """The column `key` of an input table, in each row's source row."""
    sheet, col = layout.column(table, key)
    return Mapped(sheet, col)


def _input(layout: Layout, table: str, row: int, key: str) -> Cell:
    sheet, col = layout.column(table, key)
    return Cell(sheet, row, col)


def _title(data: Data) -> str:
    pd = data.field("perangkat_daerah") or "Perangkat Daerah"
    return f"{pd} Tahun {data.tahun}" if data.tahun else str(pd)


def _row_maps(indicators: list[Row], by_code: dict[str, Row], first: int) -> tuple[dict, dict]:
    """Output row -> IKU row, and output row -> Realisasi row where there is one."""
    from_iku, from_real = {}, {}
    for i, ind in enumerate(indicators):
        from_iku[first + i] = ind.row
        code = code_key(ind.get("kode"))
        real = by_code.get(code) if code is not None else None
        if real is not None:
            from_real[first + i] = real.row
    return from_iku, from_real


@dataclass
class Summary:
    """The cells holding an office's headline figures (what a merge reports)."""

    cap: Cell  # Batas Capaian in force
    iku_count: Cell
    iku_with_capaian: Cell
    iku_excluded: int  # IKU indicators left out of the average: their capaian rests on a galat
    iku_average: Cell
    iku_kategori: Cell
    total_pagu: Cell
    total_realisasi: Cell
    total_penyerapan: Cell
    efisiensi: Cell
    metode: Cell


@dataclass
class Chapter3:
    sheets: list[OutputSheet]
    summary: Summary
    budget_rows: dict[int, int]  # Anggaran row -> its Rekap Anggaran row (programs, kegiatan, sub kegiatan)
    flagged: dict[str, list[Issue]]  # indicator code -> the galat its capaian rests on (trust.py)


def build_chapter3(data: Data, book: Book, tree: BudgetTree, issues: list[Issue], full: bool = True) -> Chapter3:
    """Add the chapter-III sheets to the book; return how to format them and where the
    headline figures are. Without `full`, only what those figures need is built.
    Indicators whose capaian rests on a galat among `issues` are shown, marked, and
    left out of averages and charts."""
    realisasi_by_code = code_index(data, "realisasi")
    indicators = [r for r in data.rows["iku"] if code_key(r.get("kode"))]
    flagged = flagged_indicators(data, issues)
    rekap, (pagu, realisasi, penyerapan), budget_rows = _rekap(data, book, tree, full)
    capaian, (cap, count, with_capaian, excluded, average, kategori) = _capaian(
        data, book, indicators, realisasi_by_code, full, flagged)
    efisiensi, (overall, metode) = _efisiensi(data, book, indicators, realisasi_by_code, average,
                                               (pagu, realisasi), full, tree, flagged)
    sheets = [capaian, efisiensi, rekap]
    if full:
        sheets.insert(1, _perbandingan(data, book, indicators, realisasi_by_code))
    return Chapter3(sheets, Summary(cap, count, with_capaian, excluded, average, kategori, pagu, realisasi,
                                    penyerapan, overall, metode), budget_rows, flagged)


# ---------------------------------------------------------------- Capaian


def _capaian(data: Data, book: Book, indicators: list[Row], by_code: dict[str, Row], full: bool,
             flagged: dict[str, list[Issue]]):
    layout = data.layout
    spec = OutputSheet(CAPAIAN, [5, 10, 9, 34, 34, 10, 6, 11, 11, 11, 11, 14, 9, 34],
                       number_formats={9: "persen", 10: "persen", 12: "persen"}, wrap={3, 4, 5, 13})
    s = _Sheet(book, layout, spec)
    s.text(0, 0, f"Capaian Kinerja {_title(data)}")
    spec.titles.append(0)
    s.text(1, 0, "Batas capaian saat dirata-rata:")
    cap = s.formula(1, 3, setting("batas_capaian", DEFAULT_CAP))
    s.header(3, ["No", "Kode", "Jenis", "Tujuan/Sasaran", "Indikator Kinerja", "Satuan", "IKU", "Target",
                 "Realisasi", "Capaian (%)", "Capaian Dihitung (%)", "Kategori", "Acuan (%)", "Catatan"])
    r = 4
    spec.first_data_row = r
    from_iku, from_real = _row_maps(indicators, by_code, r)
    iku_rows: list[Cell] = []
    excluded = 0  # IKU indicators whose capaian rests on a galat: shown, marked, not averaged
    trusted: dict[int, int] = {}  # output row -> itself, for the averaged column
    groups: dict[tuple[str, str], tuple[Row, list[Cell], int]] = {}  # first indicator, cells, how many
    for n, ind in enumerate(indicators, 1):
        s.text(r, 0, n)
        s.text(r, 12, 100)
        is_iku = (ind.text("iku") or "").casefold() != "tidak"
        key = ((ind.text("jenis") or "").casefold(), (ind.text("pernyataan") or "").casefold())
        first, cells, count = groups.get(key, (ind, [], 0))
        galat = flagged.get(code_key(ind.get("kode")) or "")
        if galat:
            s.text(r, 13, f"Tidak dirata-rata dan tidak digrafikkan: {reason(galat)}.")
            excluded += is_iku
        else:
            counted = Cell(CAPAIAN, r, 10)  # the capaian as averaged, capped
            trusted[r] = r
            cells.append(counted)
            if is_iku:
                iku_rows.append(counted)
        groups[key] = (first, cells, count + 1)
        r += 1
    for c, col_key in ((1, "kode"), (2, "jenis"), (3, "pernyataan"), (4, "indikator"), (5, "satuan")):
        s.column(c, blank_or(_src(layout, "iku", col_key)), from_iku)
    s.column(6, IF(eq(fn("TRIM", _src(layout, "iku", "iku")), "Tidak"), "Tidak", "Ya"), from_iku)
    for c, col_key in ((7, "target_berlaku"), (8, "realisasi_berlaku"), (9, "capaian"), (11, "kategori")):
        s.column(c, blank_or(_src(layout, "realisasi", col_key)), from_real)
    s.column(10, capped(s.here(9)), trusted)
    last = r - 1
    if full and indicators:
        left_out = len(indicators) - len(trusted)
        title = "Capaian per Indikator (%)" + (f", tanpa {left_out} indikator bergalat" if left_out else "")
        spec.charts.append(Chart(title, (1, 4, last),
                                 [("Capaian Dihitung (%)", 10, 4, last, "column"), ("Acuan 100%", 12, 4, last, "line")],
                                 (r + 1, 1)))
        r += 23  # the chart's own space: 1.3 x 288 pixels, about 19 rows, with room below
    if full:
        r = _groups(s, layout, groups, r)
    r += 1
    s.text(r, 0, "Rata-rata Capaian Indikator Kinerja Utama (IKU)")
    spec.titles.append(r)
    r += 1
    s.header(r, ["", "", "", "Keterangan", "Jumlah Indikator IKU", "Indikator dengan Capaian",
                 "Dikecualikan karena Galat", "", "", "Rata-rata Capaian (%)", "", "Kategori", "", "Catatan"])
    r += 1
    s.text(r, 3, "Seluruh IKU")
    s.text(r, 4, len(iku_rows) + excluded)
    iku_count = s.formula(r, 5, count_of(iku_rows) if iku_rows else fn("SUM", 0))
    s.text(r, 6, excluded)
    average = s.formula(r, 9, average_of(iku_rows) if iku_rows else IF(True, "", ""))
    kategori = s.formula(r, 11, kategori_of(average))
    if excluded:
        s.text(r, 13, f"{excluded} indikator IKU tidak dirata-rata karena capaiannya bersandar pada galat "
                      "(lihat kolom Catatan di atas dan lembar Pemeriksaan).")
    spec.totals.append(r)
    return spec, (cap, Cell(CAPAIAN, r, 4), iku_count, excluded, average, kategori)


def _groups(s: _Sheet, layout: Layout, groups: dict, r: int) -> int:
    """The table of averages per tujuan/sasaran, from row `r + 1`; the next free row."""
    r += 1
    s.text(r, 0, "Capaian per Tujuan/Sasaran")
    s.spec.titles.append(r)
    r += 1
    s.header(r, ["No", "Jenis", "", "Tujuan/Sasaran", "Jumlah Indikator", "Indikator dengan Capaian",
                 "Dikecualikan karena Galat", "", "", "Rata-rata Capaian (%)", "", "Kategori"])
    r += 1
    for n, (ind, cells, count) in enumerate(groups.values(), 1):
        s.text(r, 0, n)
        s.formula(r, 1, blank_or(_input(layout, "iku", ind.row, "jenis")))
        s.formula(r, 3, blank_or(_input(layout, "iku", ind.row, "pernyataan")))
        s.text(r, 4, count)
        s.formula(r, 5, count_of(cells) if cells else fn("SUM", 0))
        s.text(r, 6, count - len(cells))
        avg = s.formula(r, 9, average_of(cells) if cells else IF(True, "", ""))
        s.formula(r, 11, kategori_of(avg))
        r += 1
    return r


# ---------------------------------------------------------------- Perbandingan


def _perbandingan(data: Data, book: Book, indicators: list[Row], by_code: dict[str, Row]) -> OutputSheet:
    layout = data.layout
    tahun = data.tahun
    y = (lambda off: f" ({tahun + off})") if tahun else (lambda off: "")
    spec = OutputSheet(PERBANDINGAN, [5, 10, 34, 10, 10, 10, 11, 10, 10, 11, 11, 10, 11, 11, 11, 12],
                       number_formats={6: "persen", 9: "persen", 10: "persen", 13: "persen", 15: "persen"},
                       wrap={2, 3})
    s = _Sheet(book, layout, spec)
    s.text(0, 0, f"Perbandingan Kinerja {_title(data)}")
    spec.titles.append(0)
    s.header(3, ["No", "Kode", "Indikator Kinerja", "Satuan", f"Target N-1{y(-1)}", f"Realisasi N-1{y(-1)}",
                 f"Capaian N-1 (%){y(-1)}", "Target", "Realisasi", "Capaian (%)", "Perubahan Capaian (poin)",
                 f"Realisasi N-2{y(-2)}", "Target Akhir Renstra", "Kemajuan Renstra (%)", "Standar Nasional",
                 "Capaian Standar Nasional (%)"])
    r = 4
    spec.first_data_row = r
    from_iku, from_real = _row_maps(indicators, by_code, r)
    for n, out in enumerate(from_iku, 1):
        s.text(out, 0, n)
    r += len(indicators)
    for c, key in ((1, "kode"), (2, "indikator"), (3, "satuan")):
        s.column(c, blank_or(_src(layout, "iku", key)), from_iku)
    for c, key in ((4, "target_n1"), (5, "realisasi_n1"), (6, "capaian_n1"), (7, "target_berlaku"),
                   (8, "realisasi_berlaku"), (9, "capaian"), (11, "realisasi_n2"), (12, "target_renstra"),
                   (13, "kemajuan_renstra"), (14, "standar_nasional"), (15, "capaian_standar")):
        s.column(c, blank_or(_src(layout, "realisasi", key)), from_real)
    now, before = s.here(9), s.here(6)
    s.column(10, difference_of(now, before), {row: row for row in from_real})
    return spec


# ---------------------------------------------------------------- Efisiensi


def _efisiensi(data: Data, book: Book, indicators: list[Row], by_code: dict[str, Row], average: Cell,
               total: tuple[Cell, Cell], full: bool, tree: BudgetTree, flagged: dict[str, list[Issue]]):
    layout = data.layout
    spec = OutputSheet(EFISIENSI, [5, 10, 40, 11, 17, 17, 11, 12, 14, 40],
                       number_formats={3: "persen", 4: "rupiah", 5: "rupiah", 6: "persen", 7: "desimal"},
                       wrap={2, 7, 9})  # 7: an efficiency may be "tidak dapat diukur"
    s = _Sheet(book, layout, spec)
    s.text(0, 0, f"Efisiensi Penggunaan Sumber Daya {_title(data)}")
    spec.titles.append(0)
    s.text(1, 0, "Metode efisiensi:")
    method = s.formula(1, 3, setting("metode_efisiensi", DEFAULT_EFFICIENCY))
    s.text(2, 0, "Selisih = capaian - penyerapan (poin); Indeks = capaian / penyerapan (efisien bila >= 1); "
                 "Sisa Anggaran = 100 - penyerapan, hanya bila capaian >= 100.")
    s.header(3, ["No", "Kode", "Indikator Kinerja", "Capaian (%)", "Pagu (Rp)", "Realisasi Anggaran (Rp)",
                 "Penyerapan (%)", "Efisiensi", "Metode", "Catatan"])
    r = 4
    spec.first_data_row = r
    if full:
        from_iku, from_real = _row_maps(indicators, by_code, r)
        for n, out in enumerate(from_iku, 1):
            s.text(out, 0, n)
        r += len(indicators)
        for c, key in ((1, "kode"), (2, "indikator")):
            s.column(c, blank_or(_src(layout, "iku", key)), from_iku)
        for c, key in ((3, "capaian"), (4, "pagu_terkait"), (5, "realisasi_anggaran_terkait"),
                       (6, "penyerapan_terkait"), (7, "efisiensi")):
            s.column(c, blank_or(_src(layout, "realisasi", key)), from_real)
        s.column(8, method, {row: row for row in from_iku})
        notes = _budget_notes(data, book, tree)
        for out, ind in zip(from_iku, indicators):
            code = code_key(ind.get("kode")) or ""
            text = " ".join(t for t in (
                f"Efisiensi tidak dipercaya: {reason(flagged[code])}." if code in flagged else "",
                notes.get(code, "")) if t)
            if text:
                s.text(out, 9, text)
    s.text(r, 2, "Keseluruhan: rata-rata capaian IKU terhadap penyerapan seluruh anggaran")
    cap = s.formula(r, 3, blank_or(average))
    pagu = s.formula(r, 4, blank_or(total[0]))
    real = s.formula(r, 5, blank_or(total[1]))
    peny = s.formula(r, 6, penyerapan_of(pagu, real))
    overall = s.formula(r, 7, efisiensi_of(cap, peny))
    s.formula(r, 8, method)
    spec.totals.append(r)
    return spec, (overall, method)


def _budget_notes(data: Data, book: Book, tree: BudgetTree) -> dict[str, str]:
    """Indicator code -> where the money of its linked budget rows comes from, when
    not simply from their own cells (the efficiency rests on these amounts)."""
    tl = data.layout.tables["anggaran"]
    out: dict[str, list[str]] = {}
    for node in tree.nodes:
        code = code_key(node.row.get("kode_indikator"))
        if code is None:
            continue
        for key, label in MONEY_NOTES:
            own = node.own(key)
            used = TableRow(book, tl, node.row).result(BUDGET_MONEY[key])
            kode = node.row.text("kode")
            if not kode:
                kode_cell = node.row.get("kode")
                assert kode_cell is not None, "an Anggaran row has a kode cell"
                kode = kode_cell.a1
            if not isinstance(used, (int, float)):
                note = f"{label} {kode} tidak dapat diukur (kosong)."
            elif own is None and node.children:
                note = f"{label} {kode} dijumlah dari rinciannya ({format_number(used)})."
            elif own is not None and abs(own - used) > 0.005:
                note = (f"{label} {kode} yang diisi ({format_number(own)}) berbeda dari jumlah rinciannya; "
                        f"dipakai jumlah rincian ({format_number(used)}).")
            else:
                continue
            out.setdefault(code, []).append(note)
    return {code: " ".join(notes) for code, notes in out.items()}


# ---------------------------------------------------------------- Rekap Anggaran

MONEY_NOTES = (("pagu", "Pagu"), ("realisasi_anggaran", "Realisasi"))


def _money_note(layout: Layout, key: str, label: str) -> Expr:
    """Where a budget row's amount comes from, when not simply from its own cell."""
    own, used = _src(layout, "anggaran", key), _src(layout, "anggaran", BUDGET_MONEY[key])
    return IF(fn("ISNUMBER", own),
              IF(eq(fn("ROUND", own - used, 2), 0), "",
                 f"{label} yang diisi berbeda dari jumlah rinciannya; dipakai jumlah rincian."),
              IF(fn("ISNUMBER", used), f"{label} dijumlah dari rinciannya.", f"{label} tidak dapat diukur (kosong)."))


def cat_notes(notes: list[Expr]) -> Expr:
    """Notes joined with a space, the empty ones left out: TRIM drops the spaces around
    an empty note (no note holds two spaces in a row or starts or ends with one), so each
    note's formula is written once."""
    out = notes[0]
    for note in notes[1:]:
        out = cat(cat(out, " "), note)
    return fn("TRIM", out)



def _preorder(node: Node) -> Iterator[Node]:
    """A node, then each child's subtree in order. (Not a closure calling itself: that
    is a reference cycle, which would hold the whole tree until the collector runs.)"""
    yield node
    for child in node.children:
        yield from _preorder(child)


def _rekap(data: Data, book: Book, tree: BudgetTree, full: bool):
    layout = data.layout
    spec = OutputSheet(REKAP, [20, 13, 50, 17, 17, 17, 11, 16, 30],
                       number_formats={3: "rupiah", 4: "rupiah", 5: "rupiah", 6: "persen", 7: "rupiah"},
                       wrap={2, 8}, text_col=2)
    s = _Sheet(book, layout, spec)
    s.text(0, 0, f"Realisasi Anggaran {_title(data)}")
    spec.titles.append(0)
    s.header(3, ["Kode", "Jenis", "Uraian", "Pagu Awal (Rp)", "Pagu (Rp)", "Realisasi (Rp)", "Penyerapan (%)",
                 "Sisa Anggaran (Rp)", "Keterangan"])
    money = (("pagu_awal", 3), ("pagu", 4), ("realisasi_anggaran", 5))
    where: dict[int, int] = {}  # id(node) -> rekap row
    order = [node for root in tree.roots for node in _preorder(root) if node.level <= 3]
    r = 4
    spec.first_data_row = r
    for node in order:
        where[id(node)] = r
        r += 1
    from_anggaran = {where[id(n)]: n.row.row for n in order}
    from_anggaran_rows = {n.row.row: where[id(n)] for n in order}
    for c, key in ((0, "kode"), (1, "jenis"), (2, "uraian")):
        s.column(c, blank_or(_src(layout, "anggaran", key)), from_anggaran)
    for key, c in money:  # each row's money as the Anggaran sheet rolls it up: blank is never 0
        s.column(c, blank_or(_src(layout, "anggaran", BUDGET_MONEY[key])), from_anggaran)
    s.column(8, cat_notes([_money_note(layout, key, label) for key, label in MONEY_NOTES]), from_anggaran)
    for node in order:
        spec.indent[where[id(node)]] = node.level - 1
    total_row = r
    s.text(total_row, 2, "JUMLAH")
    for _key, c in money:
        s.formula(total_row, c, total_of([Cell(REKAP, where[id(n)], c) for n in tree.roots if id(n) in where]))
    s.formula(total_row, 8, IF(fn("AND", fn("ISNUMBER", Cell(REKAP, total_row, 4)),
                                  fn("ISNUMBER", Cell(REKAP, total_row, 5))), "",
                               "Jumlah tidak dihitung: ada program yang anggarannya tidak dapat diukur."))
    own_rows = {row: row for row in [*from_anggaran, total_row]}
    pagu, real = s.here(4), s.here(5)
    s.column(6, penyerapan_of(pagu, real), own_rows)
    s.column(7, difference_of(pagu, real), own_rows)
    spec.totals.append(total_row)
    programs = [n for n in tree.roots if id(n) in where]
    if programs and full:  # the table and chart per program
        r = total_row + 2
        s.text(r, 0, "Penyerapan per Program")
        spec.titles.append(r)
        r += 1
        s.header(r, ["Kode", "", "Program", "", "", "", "Penyerapan (%)"])
        first = r + 1
        for n in programs:  # own cells: columns 0, 2 and 6 already carry the main table's formulas
            r += 1
            for c in (0, 2, 6):
                s.formula(r, c, blank_or(Cell(REKAP, where[id(n)], c)))
        spec.charts.append(Chart("Penyerapan Anggaran per Program (%)", (2, first, r),
                                 [("Penyerapan (%)", 6, first, r, "bar")], (r + 2, 0)))
    return spec, (Cell(REKAP, total_row, 4), Cell(REKAP, total_row, 5), Cell(REKAP, total_row, 6)), from_anggaran_rows
