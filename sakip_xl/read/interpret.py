"""From a read workbook to the contract: where everything is, and what each cell means.

Sheets are found by name (case and spacing tolerant), header rows by their
labels anywhere near the top, columns by label whatever their order. Every
input cell is parsed by its column's type; the value that will be written
back (and that the formulas see) is decided here: text numbers read without
doubt become numbers, everything else stays as typed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace

from ..model.book import Book
from ..model.contract import NUMERIC_TYPES, Column, Contract, Table, label_year, load_contract, normalize_label
from ..rules.install import header_label, install_formulas, write_default_scales
from ..errors import ContractError
from ..rules.formula import NUM, number_to_text
from ..model.layout import Layout, TableLayout
from .numbers import KOSONG, Reading, read_number, read_realisasi, read_target, same_unit
from .source import SourceSheet, SourceWorkbook, cell_name
from ..checks.report import Issue, format_number, issue
from ..rules.sakip import GRADE_SCALES, KATEGORI_SCALES

HEADER_SCAN_ROWS = 50
_Used = dict[str, dict[int, set[int]]]  # sheet name -> row -> the columns read there (0-based)
_TOTAL_ROW = re.compile(r"^\s*(jumlah|total)\b", re.I)
PERIODE = re.compile(r"^\s*(\d{4})\s*[-–—]\s*(\d{4})\s*$")


@dataclass(slots=True)  # thousands per workbook: slots make each cheaper to make and to read
class Cell:
    """One input cell: as typed, as understood, and as written back."""

    sheet: str
    row: int
    col: int
    raw: object
    written: object
    reading: Reading | None = None
    text: str | None = None  # trimmed text of text-like columns (codes, choices)

    @property
    def a1(self) -> str:
        return cell_name(self.row, self.col)

    @property
    def number(self) -> float | None:
        r = self.reading
        return r.value if r is not None and r.kind == "angka" else None

    @property
    def empty(self) -> bool:
        if self.reading is not None:
            return self.reading.kind == "kosong"
        return self.text in (None, "")


@dataclass
class Row:
    row: int
    cells: dict[str, Cell]
    typed_derived: dict[str, Cell] = field(default_factory=dict)  # values typed where formulas belong
    is_total: bool = False

    def get(self, key: str) -> Cell | None:
        return self.cells.get(key)

    def text(self, key: str) -> str | None:
        c = self.cells.get(key)
        return c.text if c is not None else None

    def number(self, key: str) -> float | None:
        c = self.cells.get(key)
        return c.number if c is not None else None


@dataclass
class Data:
    """A filled workbook, located and parsed."""

    source: SourceWorkbook
    layout: Layout
    identity: dict[str, Cell]
    rows: dict[str, list[Row]]
    other_cells: dict[str, dict[tuple[int, int], object]]  # everything else on the contract sheets
    extra_sheets: list[SourceSheet]
    grades: dict[str, dict[str, float]]  # scale (casefold) -> grade (casefold) -> rank
    kategori_scales: dict[str, list[tuple[float, str]]]
    issues: list[Issue]
    skala_missing: bool = False

    def field(self, key: str) -> object:
        c = self.identity.get(key)
        if c is None or c.text in (None, ""):
            return None
        return c.written

    @property
    def tahun(self) -> int | None:
        """Tahun Kinerja, when it is a valid year (the rule the check `tahun-tidak-valid` applies)."""
        return _year(self.field("tahun"))


def interpret(source: SourceWorkbook, contract: Contract | None = None) -> Data:
    """Locate the contract in a workbook and parse its inputs. Raises ContractError."""
    contract = contract or load_contract()
    return _Interpreter(source, contract).run()


class _Interpreter:
    def __init__(self, source: SourceWorkbook, contract: Contract) -> None:
        self.source = source
        self.contract = contract
        self.issues: list[Issue] = []
        self._english_numbers: list[Cell] = []  # text numbers written 1,393,000
        self._indonesian_numbers = False  # any written 1.393.000 or 2,5
        self._all_grades: set[str] = set()
        self._satuan: dict[str, str] = {}  # IKU kode (casefold) -> Satuan

    # -- locating

    def run(self) -> Data:
        c = self.contract
        found_sheets: dict[str, SourceSheet | None] = {s.key: self.source.sheet(s.name) for s in c.sheets}
        ident = self.source.sheet(c.identity_sheet)
        missing = [c.identity_sheet] if ident is None else []
        missing += [s.name for s in c.sheets if found_sheets[s.key] is None and s.key != "skala"]
        if missing:
            raise ContractError(
                f"{self.source.path.name}: lembar wajib tidak ada: {', '.join(missing)}. "
                "Pakai buku kerja dari sakip-xl template.",
                [issue("lembar-tidak-ada", name) for name in missing],
            )
        assert ident is not None, "a missing identity sheet raised above"
        skala_missing = found_sheets["skala"] is None
        if skala_missing:
            found_sheets["skala"] = SourceSheet(c.sheet("skala").name, {})
            self.issues.append(issue("skala-tidak-ada", "Skala"))
        sheets: dict[str, SourceSheet] = {}
        for key, found_sheet in found_sheets.items():
            assert found_sheet is not None, f"sheet {key}: a missing sheet raised above, Skala was added"
            sheets[key] = found_sheet
        tables: dict[str, TableLayout] = {}
        missing_cols: list[tuple[str, str]] = []
        for sdef in c.sheets:
            sh = sheets[sdef.key]
            found = [self._locate(sh, t, missing_cols, default=skala_missing and sdef.key == "skala")
                     for t in sdef.tables]
            self._assign_missing_columns(sh, found)
            for tl in found:
                tables[tl.key] = tl
        if missing_cols:
            raise ContractError(
                f"{self.source.path.name}: kolom wajib tidak ada: "
                + "; ".join(f"{sheet} '{label}'" for sheet, label in missing_cols) + ".",
                [issue("kolom-tidak-ada", sheet, column=label) for sheet, label in missing_cols],
            )
        fields = self._locate_identity(ident)
        layout = Layout(c, tables, ident.name, fields)
        used: _Used = {s.name: {} for s in [ident, *sheets.values()]}
        identity = self._parse_identity(ident, fields, used[ident.name])
        rows: dict[str, list[Row]] = {}
        grades, scales = self._parse_skala(sheets["skala"], tables, rows, used, skala_missing)
        self._all_grades = {g for scale in grades.values() for g in scale}
        for key in ("iku", "pk", "realisasi", "anggaran"):
            rows[key] = self._parse_rows(sheets[c.table(key).sheet], tables[key], used)
            if key == "iku":
                self._satuan = {kode.casefold(): r.text("satuan") or "" for r in rows["iku"] if (kode := r.text("kode"))}
        self._check_header_years(tables, identity)
        self._flag_mixed_styles()
        other: dict[str, dict[tuple[int, int], object]] = {}
        for s in [ident, *sheets.values()]:
            taken, rest = used[s.name], other.setdefault(s.name, {})
            for r, row in s.rows.items():
                read = taken.get(r)
                if read is None:
                    rest.update({(r, c): v for c, v in row.items()})
                elif not row.keys() <= read:  # (a table's data row is read whole)
                    rest.update({(r, c): v for c, v in row.items() if c not in read})
        extra = [s for s in self.source.sheets if s.name not in used]
        return Data(self.source, layout, identity, rows, other, extra, grades, scales, self.issues, skala_missing)

    def _locate(self, sh: SourceSheet, table: Table, missing: list[tuple[str, str]], default: bool) -> TableLayout:
        c = self.contract
        labels = {normalize_label(col.label): col.key for col in table.columns}
        by_row: dict[int, dict[int, object]] = {}  # the texts of the rows a header may be on
        for r, row in sh.rows.items():
            if r >= HEADER_SCAN_ROWS:
                break  # (rows ascending)
            texts: dict[int, object] = {col: v for col, v in row.items() if isinstance(v, str)}
            if texts:
                by_row[r] = texts
        best: tuple[int, dict[str, int]] | None = None
        for r in sorted(by_row):
            found: dict[str, int] = {}
            for col in sorted(by_row[r]):
                key = labels.get(normalize_label(by_row[r][col]))
                if key is not None:
                    if key in found:
                        self.issues.append(issue("kolom-ganda", sh.name, cell_name(r, col),
                                                 column=by_row[r][col], used=cell_name(r, found[key])))
                    else:
                        found[key] = col
            if len(found) >= 2 and (best is None or len(found) > len(best[1])):
                best = (r, found)
        if best is None:
            if default:  # a Skala sheet added by sakip-xl: standard positions
                header = c.header_row - 1
                cols = {col.key: table.first_column - 1 + i for i, col in enumerate(table.columns)}
                last = header + c.capacities["scale_rows"]
                return TableLayout(table, sh.name, header, cols, header + 1, last)
            best = (c.header_row - 1, {})
        header, cols = best
        for column in table.columns:
            if column.required and column.key not in cols:
                missing.append((sh.name, column.label))
        header_text = {k: str(by_row.get(header, {}).get(v, "")) for k, v in cols.items()}
        tl = TableLayout(table, sh.name, header, cols, header + 1, header + 1, header_text=header_text)
        for col, text in by_row.get(header, {}).items():
            if col in cols.values():
                continue
            norm = normalize_label(text)
            for p in table.patterns:
                m = p.regex.match(norm)
                if m:
                    tl.pattern_columns[col] = (p.key, int(m.group(1)))
                    break
        return tl

    def _assign_missing_columns(self, sh: SourceSheet, tables: list[TableLayout]) -> None:
        """Give derived and optional columns absent from the file a place to the right."""
        taken = {c for t in tables for c in [*t.columns.values(), *t.pattern_columns]}
        header = tables[0].header_row
        header_cells = sh.rows.get(header, {})
        taken.update(header_cells)
        nxt = max([*taken, sh.n_cols - 1, -1]) + 1
        for t in tables:
            for col in t.table.columns:
                if col.key not in t.columns:
                    t.columns[col.key] = nxt
                    nxt += 1
            # the staff's own columns on the header row
            if len(tables) == 1:
                for c, v in header_cells.items():
                    if c not in t.columns.values() and c not in t.pattern_columns:
                        t.extra_columns[c] = str(v)
                        self.issues.append(issue("kolom-tambahan", sh.name, cell_name(header, c), column=v))

    def _locate_identity(self, sh: SourceSheet) -> dict[str, tuple[int, int]]:
        labels = {normalize_label(f.label): f.key for f in self.contract.fields}
        fields: dict[str, tuple[int, int]] = {}
        for r, row in sh.rows.items():
            for c, v in row.items():
                if isinstance(v, str):
                    key = labels.get(normalize_label(v))
                    if key is not None and key not in fields:
                        fields[key] = (r, c + 1)
        nxt = max([*sh.rows, self.contract.first_data_row - 2]) + 1
        value_col = next(iter(fields.values()))[1] if fields else 1
        for f in self.contract.fields:
            if f.key not in fields:
                fields[f.key] = (nxt, value_col)
                if f.required:
                    self.issues.append(issue("label-tidak-ada", sh.name, cell_name(nxt, value_col - 1),
                                             label=f.label))
                nxt += 1
        return fields

    # -- parsing

    def _parse_identity(self, sh: SourceSheet, fields: dict[str, tuple[int, int]],
                        used: dict[int, set[int]]) -> dict[str, Cell]:
        out: dict[str, Cell] = {}
        for f in self.contract.fields:
            r, c = fields[f.key]
            raw = sh.rows.get(r, {}).get(c)
            used.setdefault(r, set()).add(c)
            cell = Cell(sh.name, r, c, raw, raw, text=_text(raw))
            out[f.key] = cell
            if f.generated:
                if cell.text and cell.text != self.contract.template_version:
                    self.issues.append(issue("versi-templat", sh.name, cell.a1, value=cell.text,
                                             expected=self.contract.template_version))
                cell.written = self.contract.template_version
                continue
            if cell.text in (None, ""):
                if f.required:
                    self.issues.append(issue("isian-wajib-kosong", sh.name, cell.a1, column=f.label))
                continue
            if f.type == "tahun":
                year = _year(raw)
                if year is None:
                    self.issues.append(issue("tahun-tidak-valid", sh.name, cell.a1, value=raw))
                else:
                    cell.written = year
                    if isinstance(raw, str):
                        self.issues.append(issue("teks-angka-diubah", sh.name, cell.a1, value=raw, expected=year))
            elif f.type == "periode" and not PERIODE.match(cell.text):
                self.issues.append(issue("periode-tidak-valid", sh.name, cell.a1, value=raw))
            elif f.choices and _choice(cell.text, f.choices) is None:
                self.issues.append(issue("pilihan-tidak-dikenal", sh.name, cell.a1, value=raw, column=f.label,
                                         choices=", ".join(f.choices)))
        return out

    def _parse_skala(self, sh: SourceSheet, tables: dict[str, TableLayout], rows: dict[str, list[Row]],
                     used: _Used,
                     missing: bool) -> tuple[dict[str, dict[str, float]], dict[str, list[tuple[float, str]]]]:
        grades: dict[str, dict[str, float]] = {}
        scales: dict[str, list[tuple[float, str]]] = {}
        if missing:
            rows["kategori"], rows["predikat"] = [], []
            for scale_name, bands in KATEGORI_SCALES.items():
                scales[scale_name.casefold()] = [(float(b), k) for b, k in bands]
            for scale_name, gs in GRADE_SCALES.items():
                grades[scale_name.casefold()] = {g.casefold(): float(r) for g, r in gs}
            return grades, scales
        for key in ("kategori", "predikat"):
            rows[key] = self._parse_rows(sh, tables[key], used)
        for r in rows["kategori"]:
            name, bound = r.text("skala"), r.number("batas_bawah")
            if name and bound is not None:
                scales.setdefault(name.casefold(), []).append((bound, r.text("kategori") or ""))
        for r in rows["predikat"]:
            name, grade, rank = r.text("skala_predikat"), r.text("predikat"), r.number("peringkat")
            if name and grade and rank is not None:
                grades.setdefault(name.casefold(), {}).setdefault(grade.casefold(), rank)
        return grades, scales

    def _parse_rows(self, sh: SourceSheet, tl: TableLayout, used: _Used) -> list[Row]:
        table = tl.table
        inputs = table.inputs
        input_cols = {tl.columns[c.key] for c in inputs}
        by_row = sh.rows
        # a row whose input cells hold only spaces is as blank as an empty one
        rows_with_input = sorted(r for r, row in by_row.items() if r > tl.header_row
                                 and any(c in input_cols and not _blank(v) for c, v in row.items()))
        header_cells = by_row.get(tl.header_row, {})
        placed_inputs = [(col, tl.columns[col.key]) for col in inputs]
        placed_derived = [(col.key, tl.columns[col.key]) for col in table.derived]
        patterns = [(Column(key=pattern_key(c), label=str(header_cells.get(c, "")), type="target"), c)
                    for c in tl.pattern_columns]
        out = [Row(r, {}) for r in rows_with_input]
        if table.key == "anggaran":
            for row in out:
                cells = by_row[row.row]
                uraian = cells.get(tl.columns.get("uraian", -1))
                row.is_total = (isinstance(uraian, str) and bool(_TOTAL_ROW.match(uraian))
                                and _text(cells.get(tl.columns["kode"])) in (None, "")
                                and _text(cells.get(tl.columns["jenis"])) in (None, ""))
        # Column by column, in the contract's order (a unit is read before the numbers it
        # qualifies); each distinct text of a column is read once. The cells that need
        # no judging (nearly all: empty, a plain number, a text) are made here directly;
        # the others are parsed and judged one by one.
        name, percent = sh.name, sh.percent
        for col, c in (*placed_inputs, *patterns):
            raws = [by_row[r].get(c) for r in rows_with_input]
            key = col.key
            if col.type in NUMERIC_TYPES:
                money = col.type == "rupiah"
                for row, raw, reading in zip(out, raws, self._readings(raws, col.type)):
                    r = row.row
                    if raw is None:
                        cell = Cell(name, r, c, None, None, KOSONG)
                    elif (type(raw) is float and reading is not None and reading.kind == "angka"
                          and not reading.unit and (r, c) not in percent and not (money and raw < 0)):
                        cell = Cell(name, r, c, raw, raw, reading)
                    else:
                        cell = self._parse_number(sh, r, c, raw, col, row, table, reading)
                    row.cells[key] = cell
            else:
                choices = {ch.casefold() for ch in col.choices} if col.type == "pilihan" else None
                for row, raw in zip(out, raws):
                    r = row.row
                    if raw is None:
                        row.cells[key] = Cell(name, r, c, None, None)
                        continue
                    if type(raw) is str:
                        text = " ".join(raw.split())
                        if choices is None or not text or text.casefold() in choices:
                            row.cells[key] = Cell(name, r, c, raw, raw, None, text)
                            continue
                    row.cells[key] = self._parse_text(sh, r, c, raw, col)
        typed = sh.typed_cells({c for _key, c in placed_derived})  # (nearly always none)
        for key, c in placed_derived if typed else ():
            for row in out:
                raw = by_row[row.row].get(c)
                if raw is not None and (row.row, c) in typed:
                    row.typed_derived[key] = Cell(sh.name, row.row, c, raw, raw, text=_text(raw))
        # the table reads its columns on its data rows (the rest of the sheet is `other_cells`)
        taken = used[sh.name]
        table_cols = {c for _col, c in (*placed_inputs, *patterns)} | {c for _key, c in placed_derived}
        for r in rows_with_input:
            taken.setdefault(r, set()).update(table_cols)
        required = [col for col in table.columns if col.value_required]
        for row in out:
            self._check_required(sh, row, required)
        # header cells of the table's own columns are rewritten in place
        for c in [*tl.columns.values(), *tl.pattern_columns]:
            if c in header_cells:
                taken.setdefault(tl.header_row, set()).add(c)
        tl.data_rows = [r.row for r in out]
        tl.first_row = tl.header_row + 1
        tl.last_row = max([tl.last_row, tl.first_row, *tl.data_rows])
        return out

    def _check_required(self, sh: SourceSheet, row: Row, required: list[Column]) -> None:
        """Flag the empty cells of a row's `required` columns (a total row needs none)."""
        if row.is_total:
            return
        for col in required:
            cell = row.cells.get(col.key)
            if cell is not None and cell.empty:
                self.issues.append(issue("isian-wajib-kosong", sh.name, cell.a1, column=col.label))

    def _readings(self, raws: list[object], kind: str) -> list[Reading | None]:
        """The number each value of a numeric column of type `kind` holds (None for
        dates, which are not read); a text or a non-zero float repeated down the column
        is read once (0.0 and -0.0 are equal keys but different values)."""
        if kind == "target":
            def read(raw: object) -> Reading:
                return read_target(raw, self._all_grades)
        elif kind == "realisasi":
            def read(raw: object) -> Reading:
                return read_realisasi(raw, self._all_grades)
        else:
            money = kind == "rupiah"

            def read(raw: object) -> Reading:
                return read_number(raw, money=money)
        memo: dict[object, Reading] = {}
        out: list[Reading | None] = []
        for raw in raws:
            if raw is None:
                out.append(None)
            elif (type(raw) is float and raw) or isinstance(raw, str):
                got = memo.get(raw)
                if got is None:
                    got = memo[raw] = read(raw)
                out.append(got)
            elif isinstance(raw, (dt.date, dt.time, dt.timedelta)):
                out.append(None)
            else:
                out.append(read(raw))
        return out

    def _parse_text(self, sh: SourceSheet, r: int, c: int, raw: object, col: Column) -> Cell:
        """A cell of a column that is not numeric (codes, choices, text): its trimmed text."""
        cell = Cell(sh.name, r, c, raw, raw, None, _text(raw))
        if raw is None:
            return cell
        t = col.type
        if t == "kode":
            if isinstance(raw, (int, float)) and not isinstance(raw, bool):
                as_text = number_to_text(float(raw))
                cell.text = cell.written = as_text
                self.issues.append(issue("kode-berupa-angka", sh.name, cell.a1, value=raw, expected=as_text))
            return cell
        if t == "pilihan" and cell.text and _choice(cell.text, col.choices) is None:
            self.issues.append(issue("pilihan-tidak-dikenal", sh.name, cell.a1, value=raw, column=col.label,
                                     choices=", ".join(col.choices)))
        return cell

    def _parse_number(self, sh: SourceSheet, r: int, c: int, raw: object, col: Column, row: Row,
                      table: Table, reading: Reading | None) -> Cell:
        """A cell of a numeric column: its text stays None, the number is in `reading`."""
        cell = Cell(sh.name, r, c, raw, raw)
        if raw is None:
            cell.reading = KOSONG
            return cell
        if reading is None:  # a date, not read by `_readings`
            cell.reading = Reading("teks")
            # written back as text: as a date, Excel's formulas would take its serial number for the value
            cell.written = cell.text = _date_text(raw)
            self.issues.append(issue("tanggal-di-kolom-angka", sh.name, cell.a1, value=cell.written))
            return cell
        # rupiah are never percentages: a percent format on an amount changes nothing
        percent = (col.type != "rupiah" and reading.kind == "angka" and (r, c) in sh.percent
                   and not isinstance(raw, str))
        if percent:
            assert reading.value is not None  # an "angka" reading has its value
            points = read_number(reading.value * 100)  # beyond the largest double when raw is near it
            reading = replace(points, unit="%") if points.kind == "angka" else points
        cell.reading = reading
        self._judge(cell, col, row, table, percent)
        return cell

    def _satuan_of(self, row: Row, table: Table) -> str | None:
        if table.key in ("iku", "anggaran"):
            return row.text("satuan")
        if table.key in ("pk", "realisasi"):
            kode = row.text("kode")
            return self._satuan.get(kode.casefold()) if kode else None
        return None

    def _judge(self, cell: Cell, col: Column, row: Row, table: Table, percent: bool) -> None:
        """Issues of one parsed numeric cell, and the value written back."""
        rd, sheet, raw = cell.reading, cell.sheet, cell.raw
        assert rd is not None, "a numeric cell is judged after it is read"
        if rd.kind == "angka":
            assert rd.value is not None  # an "angka" reading has its value
            if rd.unit:
                satuan = self._satuan_of(row, table) if col.type != "rupiah" else None
                if not same_unit(rd.unit, satuan):
                    self.issues.append(issue("satuan-tidak-sesuai", sheet, cell.a1, value=raw, unit=rd.unit,
                                             satuan=satuan))
                    return  # left as typed: its number is not in the indicator's unit
            if col.type == "rupiah" and rd.value < 0:
                self.issues.append(issue("nilai-negatif", sheet, cell.a1, value=rd.value, column=col.label))
            if percent:
                assert isinstance(raw, (int, float)), "only a number cell is read as a percentage"
                cell.written = rd.value
                self.issues.append(issue("persen-diubah", sheet, cell.a1, value=f"{format_number(raw * 100)}%",
                                         expected=rd.value))
            elif isinstance(raw, str):
                cell.written = rd.value
                if rd.style == "en":
                    self._english_numbers.append(cell)
                    return
                self._indonesian_numbers |= rd.style == "id"
                self.issues.append(issue("teks-angka-diubah", sheet, cell.a1, value=raw, expected=rd.value))
        elif rd.kind == "ambigu":
            readings = " atau ".join(format_number(x) for x in rd.readings) or "dua nilai berbeda"
            hint = " atau ".join(_plain(x) for x in rd.readings)
            if rd.detail == "rentang":
                self.issues.append(issue("rentang-tidak-valid", sheet, cell.a1, value=raw,
                                         why=" (titik/koma di batasnya bisa berarti ribuan atau desimal)"))
            else:
                self.issues.append(issue("angka-ambigu", sheet, cell.a1, value=raw, readings=readings, hint=hint))
        elif rd.kind == "rusak":
            if rd.detail == "batas":
                if not isinstance(raw, str):  # inf or NaN stored in the file: no value, shown as Excel would
                    cell.written = NUM.code
                self.issues.append(issue("angka-tidak-wajar", sheet, cell.a1, value=_shown(raw)))
            elif rd.detail == "rentang":
                self.issues.append(issue("rentang-tidak-valid", sheet, cell.a1, value=raw, why=""))
            else:
                readings = " atau ".join(format_number(x) for x in rd.readings) or "angka lain"
                self.issues.append(issue("angka-rusak", sheet, cell.a1, value=raw, readings=readings))
        elif rd.kind == "rentang":
            assert rd.low is not None and rd.high is not None  # a "rentang" reading has both bounds
            if rd.low > rd.high:
                self.issues.append(issue("rentang-tidak-valid", sheet, cell.a1, value=raw,
                                         why=" (batas bawah lebih besar dari batas atas)"))
        elif rd.kind == "teks":
            if col.type in ("target", "realisasi") and re.fullmatch(r"[A-Za-z]{1,3}[+-]?", str(raw).strip()):
                self.issues.append(issue("predikat-tidak-dikenal", sheet, cell.a1, value=raw,
                                         satuan=self._satuan_of(row, table) or "-"))
            else:
                kind_name = "jumlah rupiah" if col.type == "rupiah" else "angka"
                self.issues.append(issue("angka-tidak-terbaca", sheet, cell.a1, value=raw, kind=kind_name))

    def _check_header_years(self, tables: dict[str, TableLayout], identity: dict[str, Cell]) -> None:
        year = _year(identity["tahun"].written)
        if year is None:
            return
        for tl in tables.values():
            for col in tl.table.columns:
                if col.year_offset is None or col.key not in tl.header_text:
                    continue
                found = label_year(tl.header_text[col.key])
                if found is not None and found != year + col.year_offset:
                    self.issues.append(issue("tahun-kolom-tidak-sesuai", tl.sheet,
                                             cell_name(tl.header_row, tl.columns[col.key]), value=found,
                                             expected=year + col.year_offset, tahun=year))

    def _flag_mixed_styles(self) -> None:
        """English-style numbers among Indonesian-style ones are read, but flagged."""
        code = "gaya-angka-campur" if self._indonesian_numbers else "teks-angka-diubah"
        for cell in self._english_numbers:
            assert cell.reading is not None, "English-style numbers are read text numbers"
            self.issues.append(issue(code, cell.sheet, cell.a1, value=cell.raw, expected=cell.reading.value))


def pattern_key(col: int) -> str:
    """The key of a row's cell in a pattern column (`Target Renstra 2024` at column `col`).

    `@` cannot occur in a contract column key, so the two never collide."""
    return f"@{col}"


def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, str):
        s = " ".join(v.split())
        return s
    if isinstance(v, float):
        return number_to_text(v)
    return str(v)


def _shown(raw: object) -> str:
    """A raw cell value as the user would recognise it in a message; long text cut short."""
    text = format_number(raw) if isinstance(raw, float) else str(raw)
    return text if len(text) <= 40 else f"{text[:20]}...{text[-8:]} ({len(text)} karakter)"


def _plain(x: float) -> str:
    """A number written without thousands separators, decimals after a comma: 4186950, 1,393."""
    return number_to_text(x).replace(".", ",")


def _blank(v: object) -> bool:
    return isinstance(v, str) and not v.strip()


def _choice(text: str, choices: tuple[str, ...]) -> str | None:
    """The canonical choice a text means (case and spacing ignored), or None."""
    want = " ".join(text.split()).casefold()
    for ch in choices:
        if ch.casefold() == want:
            return ch
    return None


def _year(v: object) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)) and 1900 <= v <= 2200 and v == int(v):  # int() of inf or NaN would raise
        return int(v)
    if isinstance(v, str) and re.fullmatch(r"\s*\d{4}\s*", v):
        return _year(int(v))
    return None


def _date_text(v: object) -> str:
    if isinstance(v, (dt.date, dt.datetime)):
        return v.strftime("%d/%m/%Y")
    return str(v)


def build_book(data: Data, prepare: bool = False) -> Book:
    """The in-memory workbook of the contract sheets: written values and formulas.

    With `prepare`, every table keeps the template's prepared rows (the output
    stays a workbook staff can go on filling); without, formulas cover the
    data rows only, which is all checking and merging need.
    """
    layout, book = data.layout, Book()
    contract = layout.contract
    if prepare:
        for sdef in contract.sheets:
            for t in sdef.tables:
                tl = layout.tables[t.key]
                tl.last_row = max(tl.last_row, tl.first_row + contract.capacity(sdef) - 1)
    for sheet, cells in data.other_cells.items():
        book.set_many(sheet, ((r, c, v) for (r, c), v in cells.items()))
    _set_headers(data, book)
    for cell in data.identity.values():
        book.set(cell.sheet, cell.row, cell.col, cell.written)
    for key, rows in data.rows.items():  # a table's cells are all on its sheet
        book.set_many(layout.tables[key].sheet,
                      ((cell.row, cell.col, cell.written) for row in rows for cell in row.cells.values()))
    if data.skala_missing:
        write_default_scales(book, layout)
    install_formulas(book, layout)
    return book


def _set_headers(data: Data, book: Book) -> None:
    """The header cells of the contract's tables (as written, or the contract label for
    a column added to the right) and the labels of Identitas fields that were missing."""
    layout = data.layout
    for tl in layout.tables.values():
        source = data.source.sheet(tl.sheet)
        header_cells = source.rows.get(tl.header_row, {}) if source is not None else {}
        for col in tl.table.columns:
            text = tl.header_text.get(col.key) or header_label(col.label, col.year_offset, data.tahun)
            book.set(tl.sheet, tl.header_row, tl.columns[col.key], text)
        for c in tl.pattern_columns:
            book.set(tl.sheet, tl.header_row, c, header_cells.get(c))
    labels = data.other_cells.get(layout.identity_sheet, {})
    for f in layout.contract.fields:
        r, c = layout.fields[f.key]
        if c - 1 >= 0 and (r, c - 1) not in labels:
            book.set(layout.identity_sheet, r, c - 1, f.label)


__all__ = ["Cell", "Data", "Row", "build_book", "interpret"]
