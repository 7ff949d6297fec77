"""Pure functions over pandas tables: the SAKIP rules for analysts and notebooks.

Tables use the contract's column keys (`kode`, `target`, `realisasi`, ...;
see docs/contract.md). Every derived value is computed by the same rule
expressions the workbook formulas are written from, column by column: `derive`
lays the tables out as the template would and builds the same Workbook model a
file gives (read, checked, computed); the single-rule functions evaluate their
rule over the whole Series. Nothing is read from or written to disk, except by
`workbook_tables`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Hashable, Mapping, TypeVar

import pandas as pd

from .model.contract import load_contract
from .rules.install import first_own_row
from .model.fill import Filling, filled_book, filled_workbook
from .model.layout import standard_layout
from .rules.columns import compile_column
from .rules.formula import Cell, Expr, RowCell, compile_expr, fn, resolve, top_value
from .rules.sakip import average_of, capped, efisiensi_of, kategori_of, penyerapan_of

SCRATCH = "_hitung"  # a sheet of the in-memory workbook holding the values a rule reads


def _value(v: object) -> object:
    """A pandas cell as a spreadsheet cell value (NaN and None are empty)."""
    if v is None or (isinstance(v, float) and pd.isna(v)):
        return None
    return v.item() if hasattr(v, "item") else v


_V = TypeVar("_V")


def _empty(v: _V) -> _V | None:
    return None if v == "" else v


def _filling(identity: Mapping[str, object], tables: dict[str, pd.DataFrame]) -> Filling:
    contract = load_contract()
    f = Filling()
    f.identity = {contract.field(k).label: v for k, v in identity.items() if v is not None}
    for key, df in tables.items():
        labels: dict[Hashable, str] = {c.key: c.label for c in contract.table(key).inputs}
        unknown = [c for c in df.columns if c not in labels]
        if unknown:
            raise KeyError(f"{key}: unknown or derived columns {unknown}; inputs are {list(labels)}")
        f.tables[key] = [{labels[c]: _value(v) for c, v in row.items()} for row in df.to_dict("records")]
    return f


def derive(tables: dict[str, pd.DataFrame], identity: dict[str, object] | None = None) -> dict[str, pd.DataFrame]:
    """Every table with its derived columns added, computed by the contract's rules.

    `tables` maps table keys (`iku`, `pk`, `realisasi`, `anggaran`, and
    optionally `kategori`, `predikat` for scales of one's own) to DataFrames
    of input columns; `identity` maps Identitas keys (`tahun`,
    `batas_capaian`, `metode_efisiensi`, `skala_kategori`, ...) to values.
    """
    wb = filled_workbook(_filling(identity or {}, tables))
    rows = wb.all_rows()
    standard = standard_layout()
    out = {}
    for key, df in tables.items():
        first = first_own_row(standard.tables[key])  # own scales follow the regulation's
        at = {view.number - first: view for view in rows.get(key, [])}
        frame = df.reset_index(drop=True).copy()
        for col in wb.layout.tables[key].table.derived:
            if not col.hidden:
                frame[col.key] = [_empty(at[i].result(col.key)) if i in at else None for i in range(len(df))]
        out[key] = frame
    return out


def _over_rows(columns: list[pd.Series], build: Callable[..., Expr],
               identity: Mapping[str, object] | None = None) -> list:
    """A rule evaluated on every row of some columns, with Identitas settings."""
    layout, book = filled_book(_filling(identity or {}, {}))
    for c, series in enumerate(columns):
        for r, v in enumerate(series):
            book.set(SCRATCH, r, c, _value(v))
    f = compile_column(resolve(build(*[RowCell(SCRATCH, c) for c in range(len(columns))]), layout, "realisasi"))
    n = len(columns[0]) if columns else 0
    return [_empty(top_value(v)) for v in f(book, range(n))]


def capaian(target: pd.Series, realisasi: pd.Series, polaritas: str | pd.Series = "Positif",
            satuan: str | pd.Series = "%") -> pd.Series:
    """Capaian (%) per row: number, range (`80 - 90`) or letter-grade targets
    (with `satuan` naming the grade scale, e.g. `Predikat SAKIP`)."""
    kode = [f"K{i}" for i in range(len(target))]
    tables = derive({
        "iku": pd.DataFrame({"kode": kode, "jenis": "Sasaran", "pernyataan": "-", "indikator": kode,
                             "satuan": satuan, "polaritas": polaritas}),
        "pk": pd.DataFrame({"kode": kode, "target": list(target)}),
        "realisasi": pd.DataFrame({"kode": kode, "realisasi": list(realisasi)}),
    })
    return pd.Series(list(tables["realisasi"]["capaian"]), index=target.index, name="capaian")


def penyerapan(pagu: pd.Series, realisasi: pd.Series) -> pd.Series:
    """Penyerapan (%) = realisasi / pagu x 100, rounded to 2 decimals."""
    return pd.Series(_over_rows([pagu, realisasi], penyerapan_of), index=pagu.index, name="penyerapan")


def kategori(values: pd.Series, skala: str | None = None) -> pd.Series:
    """Kategori of each capaian on the regulation's scale (or another pre-filled one)."""
    identity = {"skala_kategori": skala} if skala else None
    return pd.Series(_over_rows([values], kategori_of, identity), index=values.index, name="kategori")


def efisiensi(capaian_values: pd.Series, penyerapan_values: pd.Series, metode: str = "Selisih") -> pd.Series:
    """Efficiency by `metode` (Selisih, Indeks, Sisa Anggaran); 'tidak dapat diukur' where it cannot be."""
    values = _over_rows([capaian_values, penyerapan_values], efisiensi_of, {"metode_efisiensi": metode})
    return pd.Series(values, index=capaian_values.index, name="efisiensi")


def rata_rata(values: pd.Series, batas: str = "Tanpa Batas") -> tuple[float | None, int]:
    """Mean capaian with each value capped by `batas` (Tanpa Batas, 100, 120), and
    how many values had a capaian (empty ones are not counted)."""
    if values.empty:
        return None, 0
    layout, book = filled_book(_filling({"batas_capaian": batas}, {}))
    for r, v in enumerate(values):
        book.set(SCRATCH, r, 0, _value(v))
    book.set_column_formula(SCRATCH, 1, resolve(capped(RowCell(SCRATCH, 0)), layout, "realisasi"), 0, len(values) - 1)
    cells = [Cell(SCRATCH, r, 1) for r in range(len(values))]
    avg = top_value(compile_expr(average_of(cells))(book, 0))
    count = top_value(compile_expr(fn("COUNT", *cells))(book, 0))
    return _empty(avg), int(count)


def workbook_tables(path: str | Path) -> dict[str, pd.DataFrame]:
    """A filled workbook's tables: inputs as read (text numbers as numbers) and every
    derived column as the engine computes it, with each row's sheet row number."""
    from .model.workbook import check_workbook

    wb = check_workbook(path)
    rows = wb.all_rows()
    out = {}
    for key in ("iku", "pk", "realisasi", "anggaran", "kategori", "predikat"):
        tl = wb.layout.tables[key]
        records = []
        for view in rows.get(key, []):
            rec: dict[str, object] = {"baris": view.number + 1}
            for col in tl.table.columns:
                if col.hidden:
                    continue
                rec[col.key] = _empty(top_value(view.result(col.key))) if col.derived else view.input(col.key)
            records.append(rec)
        out[key] = pd.DataFrame.from_records(records)
    return out


__all__ = ["capaian", "derive", "efisiensi", "kategori", "penyerapan", "rata_rata", "workbook_tables"]
