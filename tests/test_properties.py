"""Property tests: for any workbook the synthetic generator can fill, recompute keeps the
inputs, is idempotent and never caches an Excel error; the capaian rules are monotone in
the realisasi.

Workbooks come from `sakip_xl.synthetic.synthetic_filling` (hypothesis draws the seed,
small sizes and whether the seed reports' mistakes are mixed in). A few outputs are kept
for the LibreOffice agreement test (test_zz_agreement.py).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import openpyxl
import python_calamine
from hypothesis import example, given, settings
from hypothesis import strategies as st

from conftest import keep
from sakip_xl.model.book import Book
from sakip_xl.model.fill import write_filled
from sakip_xl.rules.formula import XLError, number_to_text, resolve
from sakip_xl.read.interpret import Data, interpret
from sakip_xl.read.source import read_source
from sakip_xl.rules.sakip import GRADE_SCALES, build_rule
from sakip_xl.synthetic import synthetic_filling
from sakip_xl.commands.recompute import recompute

WORKBOOKS = dict(
    seed=st.integers(0, 2**31 - 1),
    indicators=st.integers(1, 12),
    budget_rows=st.integers(5, 60),
    messy=st.booleans(),
)
FILES = settings(max_examples=15, deadline=None)


def _filled(folder: Path, seed: int, indicators: int, budget_rows: int, messy: bool) -> Path:
    return write_filled(folder / "lkjip.xlsx", synthetic_filling(seed, indicators, budget_rows, messy=messy))


def _inputs(data: Data) -> dict:
    """Every input cell as the formulas see it: the value written back, and what it was read as."""
    out: dict = {("Identitas", key): cell.written for key, cell in data.identity.items()}
    for table, rows in data.rows.items():
        for row in rows:
            for key, cell in row.cells.items():
                reading = cell.reading
                out[(table, row.row, key)] = (
                    cell.written,
                    None if reading is None else (reading.kind, reading.value, reading.low, reading.high,
                                                  reading.grade),
                )
    return out


def _cells(path: Path) -> tuple[dict, dict]:
    """Every non-empty cell's value ({(sheet, row, col): value}, cached values for formulas)
    and every formula ({(sheet, A1): text}) of a workbook written by sakip-xl."""
    wb = python_calamine.CalamineWorkbook.from_path(str(path))
    values = {}
    for name in wb.sheet_names:
        for r, row in enumerate(wb.get_sheet_by_name(name).to_python(skip_empty_area=False)):
            for c, v in enumerate(row):
                if v != "":
                    values[(name, r, c)] = v
    # openpyxl gives each cell of a shared formula its own text, as Excel reads it
    formulas = {(ws.title, cell.coordinate): cell.value[1:] for ws in openpyxl.load_workbook(path)
                for row in ws.iter_rows() for cell in row if cell.data_type == "f"}
    return values, formulas


# ---------------------------------------------------------------- recompute keeps the inputs


@FILES
@given(**WORKBOOKS)
@example(seed=2, indicators=12, budget_rows=60, messy=True)  # a rupiah realisasi, text numbers, a parent off
def test_reading_the_recomputed_file_gives_the_same_inputs(seed, indicators, budget_rows, messy):
    with tempfile.TemporaryDirectory() as tmp:
        src = _filled(Path(tmp), seed, indicators, budget_rows, messy)
        before = interpret(read_source(src))
        out = recompute(src, Path(tmp) / "hasil.xlsx").output
        after = interpret(read_source(out))
    a, b = _inputs(before), _inputs(after)
    assert a.keys() == b.keys()
    changed = {k: (a[k], b[k]) for k in a if a[k] != b[k]}
    assert not changed
    assert len(before.rows["iku"]) == indicators and len(before.rows["anggaran"]) == budget_rows


# ---------------------------------------------------------------- idempotent


@FILES
@given(**WORKBOOKS)
def test_recompute_is_idempotent(seed, indicators, budget_rows, messy):
    with tempfile.TemporaryDirectory() as tmp:
        src = _filled(Path(tmp), seed, indicators, budget_rows, messy)
        first = recompute(src, Path(tmp) / "satu.xlsx").output
        second = recompute(first, Path(tmp) / "dua.xlsx").output
        (va, fa), (vb, fb) = _cells(first), _cells(second)
    assert len(fa) > 3500  # (3 + 27) x 50 + 6 x 400 = 3,900 prepared formula cells, and the roll-ups
    # Pemeriksaan differs: the text numbers converted by the first run are numbers in the second
    for a, b in ((va, vb), (fa, fb)):
        a = {k: v for k, v in a.items() if k[0] != "Pemeriksaan"}
        b = {k: v for k, v in b.items() if k[0] != "Pemeriksaan"}
        assert a.keys() == b.keys()
        assert {k: (a[k], b[k]) for k in a if a[k] != b[k]} == {}


# ---------------------------------------------------------------- no Excel error anywhere

_kept = []


@FILES
@given(**WORKBOOKS)
@example(seed=5, indicators=12, budget_rows=60, messy=True)
@example(seed=8, indicators=3, budget_rows=5, messy=False)
def test_no_derived_cell_is_an_excel_error(seed, indicators, budget_rows, messy, produced):
    with tempfile.TemporaryDirectory() as tmp:
        result = recompute(_filled(Path(tmp), seed, indicators, budget_rows, messy), Path(tmp) / "hasil.xlsx")
        book = result.checked.book
        formulas = 0
        for name in book.sheets:
            for r, c, text in book.formula_cells(name):
                formulas += 1
                v = book.value(name, r, c)
                assert not isinstance(v, XLError), f"{name} row {r + 1} col {c + 1}: {v} from ={text}"
        assert formulas > 3500  # (3 + 27) x 50 + 6 x 400 = 3,900 prepared formula cells, and the roll-ups
        values, written = _cells(result.output)  # and what the file caches next to the formulas
        assert len(written) == formulas
        assert not [v for v in values.values() if isinstance(v, str) and v.startswith("#")]
        if len(_kept) < 3:  # LibreOffice recomputes these in test_zz_agreement.py
            _kept.append(keep(produced, result.output))


# ---------------------------------------------------------------- capaian is monotone in realisasi

SKALA, T = "Skala", "T"
_TABLE = {"target": 0, "satuan": 1, "realisasi": 2, "polaritas": 3, "tb": 4, "ta": 5, "rn": 6, "capaian": 7}
_GRADES = {"skala_predikat": 0, "predikat": 1, "peringkat": 2}
_N_GRADES = sum(len(g) for g in GRADE_SCALES.values())


class _Resolver:
    """Where the rules' symbolic columns live in the small book: table T and the grade scales."""

    def column(self, table: str, col: str) -> tuple[str, int]:
        return (SKALA, _GRADES[col]) if table == "predikat" else (T, _TABLE[col])

    def rows(self, table: str) -> tuple[int, int] | None:
        return (0, _N_GRADES - 1) if table == "predikat" else None

    def field(self, key: str) -> tuple[str, int, int]:
        raise KeyError(key)


def capaian_of(target: object, satuan: str, polaritas: str, realisasi: list[object]) -> list[object]:
    """Capaian (%) of each realisasi against one target, computed by the contract's chain of rules:
    batas_target (lower and upper bound of the target), nilai_realisasi, then capaian."""
    b, res = Book(), _Resolver()
    r = 0
    for name, grades in GRADE_SCALES.items():
        for grade, rank in grades:
            for c, v in enumerate((name, grade, rank)):
                b.set(SKALA, r, c, v)
            r += 1
    n = len(realisasi)
    for i, real in enumerate(realisasi):
        for key, v in (("target", target), ("satuan", satuan), ("realisasi", real), ("polaritas", polaritas)):
            b.set(T, i, _TABLE[key], v)
    rules = {
        "tb": build_rule("batas_target", {"target": "target", "satuan": "satuan", "sisi": "bawah"}),
        "ta": build_rule("batas_target", {"target": "target", "satuan": "satuan", "sisi": "atas"}),
        "rn": build_rule("nilai_realisasi", {"nilai": "realisasi", "satuan": "satuan"}),
        "capaian": build_rule("capaian", {"bawah": "tb", "atas": "ta", "nilai": "rn", "polaritas": "polaritas"}),
    }
    for key, expr in rules.items():
        b.set_column_formula(T, _TABLE[key], resolve(expr, res, "t"), 0, n - 1)
    return [b.value(T, i, _TABLE["capaian"]) for i in range(n)]


def test_capaian_chain_by_hand():
    """The small book computes the DOMAIN.md examples, so the properties below test the real rules."""
    assert capaian_of(82, "Nilai", "Positif", [81]) == [98.78]  # 81 / 82 x 100
    assert capaian_of(7, "%", "Negatif", [6.5]) == [107.14]  # (2 x 7 - 6.5) / 7 x 100
    assert capaian_of(8, "%", "Negatif", [9]) == [87.5]  # (2 x 8 - 9) / 8 x 100
    assert capaian_of("80 - 90", "%", "Positif", [70, 85, 99]) == [87.5, 100, 110]  # 70/80, inside, 99/90
    assert capaian_of("BB", "Predikat SAKIP", "Positif", ["A", "BB", "B"]) == [120, 100, 80]  # 6/5, 5/5, 4/5
    assert capaian_of(20, "%", "Negatif", [45]) == [0]  # (40 - 45) / 20 < 0: never below 0


hundredths = st.integers(0, 10**7).map(lambda x: x / 100)
positive = st.integers(1, 10**7).map(lambda x: x / 100)


@st.composite
def targets(draw):
    """A point target or a range `L - U`, both positive (2 decimals)."""
    low = draw(positive)
    if draw(st.booleans()):
        return low
    high = low + draw(positive)
    return f"{number_to_text(low)} - {number_to_text(high)}"


@settings(max_examples=300, deadline=None)
@given(target=targets(), polaritas=st.sampled_from(["Positif", "Negatif"]),
       realisasi=st.lists(hundredths, min_size=2, max_size=6))
def test_capaian_is_monotone_in_realisasi(target, polaritas, realisasi):
    realisasi = sorted(realisasi)
    got = capaian_of(target, "%", polaritas, realisasi)
    assert all(isinstance(v, float) for v in got), got
    pairs = list(zip(got, got[1:]))
    if polaritas == "Positif":  # more realisasi, more capaian
        assert all(a <= b for a, b in pairs), (target, realisasi, got)
    else:  # lower is better: more realisasi, less capaian, never below 0
        assert all(a >= b for a, b in pairs), (target, realisasi, got)
        assert min(got) >= 0


@settings(max_examples=100, deadline=None)
@given(scale=st.sampled_from(sorted(GRADE_SCALES)), data=st.data())
def test_capaian_of_a_grade_target_is_monotone_in_the_grade(scale, data):
    grades = [g for g, _rank in GRADE_SCALES[scale]]  # worst to best
    target = data.draw(st.sampled_from(grades))
    realisasi = sorted(data.draw(st.lists(st.sampled_from(grades), min_size=2, max_size=5)), key=grades.index)
    got = capaian_of(target, scale, "Positif", realisasi)
    assert all(isinstance(v, float) for v in got), got
    assert all(a <= b for a, b in zip(got, got[1:])), (target, realisasi, got)
    if target in realisasi:  # the target's own grade gives rank / rank = 100
        assert got[realisasi.index(target)] == 100
