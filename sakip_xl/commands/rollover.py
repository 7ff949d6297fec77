"""`sakip-xl template OUTPUT --dari LAST_YEAR.xlsx`: next year's workbook from this year's.

Identity with the year advanced, the whole IKU sheet, PK rows with empty
targets (or the Renstra target for the new year where the old workbook had
one), previous years shifted in Realisasi (Target N-1 = last year's target in
force, Realisasi N-1 = last year's realisasi, Realisasi N-2 = last year's
Realisasi N-1), and budget rows with codes and names but no amounts. Last
year's values are the ones the engine computes, not the ones typed over
formulas.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..model.codes import code_key
from ..model.rows import TableRow
from ..model.contract import normalize_label
from ..errors import UsageError
from ..files import check_output
from ..model.fill import Filling, write_filled
from ..model.book import Book
from ..read.interpret import Cell, Data, pattern_key
from ..rules.sakip import GRADE_SCALES, KATEGORI_SCALES
from ..model.workbook import check_workbook

IDENTITY_CARRIED = ("pemda", "perangkat_daerah", "kode_pd", "periode_renstra", "nama_pimpinan", "nip_pimpinan",
                    "jabatan_pimpinan", "skala_kategori", "batas_capaian", "metode_efisiensi")
BUDGET_CARRIED = ("kode", "jenis", "uraian", "kode_indikator", "indikator", "satuan")


@dataclass
class Rolled:
    output: Path
    tahun: int
    indicators: int
    budget_rows: int


def _label(data: Data, table: str, key: str) -> str:
    return data.layout.contract.table(table).column(key).label


def _typed(cell: Cell | None) -> object:
    """A cell's value as written back (numbers read from text are numbers)."""
    return None if cell is None or cell.written in (None, "") else cell.written


def next_year_filling(data: Data, book: Book, tahun: int | None = None) -> Filling:
    """What next year's workbook holds, from this year's checked workbook."""
    last = data.tahun
    if tahun is None:
        if last is None:
            raise UsageError("Tahun Kinerja berkas lama tidak terbaca: sebutkan tahunnya dengan --tahun.")
        tahun = last + 1
    contract = data.layout.contract
    f = Filling()
    for key in IDENTITY_CARRIED:
        v = _typed(data.identity.get(key))
        if v is not None:
            f.identity[contract.field(key).label] = v
    f.identity[contract.field("tahun").label] = tahun
    iku_table = data.layout.tables["iku"]
    renstra_col = {year: col for col, (_k, year) in iku_table.pattern_columns.items()}
    iku_rows, pk_rows = [], []
    contract_keys = {c.key for c in iku_table.table.columns}
    for r in data.rows["iku"]:
        row = {_label(data, "iku", k): _typed(c) for k, c in r.cells.items() if k in contract_keys}
        for col, (_k, year) in iku_table.pattern_columns.items():
            row[f"Target Renstra {year}"] = _typed(r.cells.get(pattern_key(col)))
        iku_rows.append(row)
        if code_key(r.get("kode")) is not None:
            target = _typed(r.cells.get(pattern_key(renstra_col[tahun]))) if tahun in renstra_col else None
            pk_rows.append({"Kode": _typed(r.get("kode")), "Target": target})
    rt = data.layout.tables["realisasi"]
    real_rows = []
    for view in (TableRow(book, rt, r) for r in data.rows["realisasi"]):
        r = view.row
        if code_key(r.get("kode")) is None:
            continue
        real_rows.append({
            "Kode": _typed(r.get("kode")),
            _label(data, "realisasi", "target_n1"): view.value("target_berlaku"),
            _label(data, "realisasi", "realisasi_n1"): view.value("realisasi_berlaku"),
            _label(data, "realisasi", "realisasi_n2"): _typed(r.get("realisasi_n1")),
        })
    budget = [{_label(data, "anggaran", k): _typed(r.get(k)) for k in BUDGET_CARRIED}
              for r in data.rows["anggaran"] if not r.is_total]
    f.tables = {"iku": iku_rows, "pk": pk_rows, "realisasi": real_rows, "anggaran": budget}
    defaults = {normalize_label(n) for n in (*KATEGORI_SCALES, *GRADE_SCALES)}
    for key, name_key in (("kategori", "skala"), ("predikat", "skala_predikat")):
        own = [r for r in data.rows.get(key, []) if normalize_label(r.text(name_key) or "") not in defaults]
        if own:
            f.tables[key] = [{_label(data, key, k): _typed(c) for k, c in r.cells.items()} for r in own]
    return f


def roll_over(previous: str | Path, output: str | Path, *, tahun: int | None = None,
              password: str | None = None, force: bool = False) -> Rolled:
    """Write next year's standard workbook pre-filled from last year's."""
    output = Path(output)
    check_output(output, "templat", force=force, inputs=[previous])
    checked = check_workbook(previous)
    filling = next_year_filling(checked.data, checked.book, tahun)
    write_filled(output, filling, password)
    year = filling.identity[checked.data.layout.contract.field("tahun").label]
    assert isinstance(year, int)  # next_year_filling always writes the new year as an int
    return Rolled(output, year, len(filling.tables["iku"]), len(filling.tables["anggaran"]))


__all__ = ["Rolled", "next_year_filling", "roll_over"]
