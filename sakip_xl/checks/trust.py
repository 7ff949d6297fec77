"""Which indicators' capaian rest on a value flagged `galat`.

A capaian computed from an implausible, ambiguous or garbled number, or from
a formula that was typed over, is the engine's honest result but no fact: it
stays visible in the indicator tables, marked, and is left out of averages,
rankings and charts, with the count and the reason next to the figure.
"""

from __future__ import annotations

from ..model.codes import code_index
from ..read.interpret import Data
from ..read.source import cell_name
from .report import GALAT, Issue

#: The cells a capaian is computed from, per table: the indicator's IKU row
#: (unit, polarity, quarterly aggregation), its PK row (targets) and its
#: Realisasi row (realisasi and every formula on the way to the capaian).
CAPAIAN_INPUTS = {
    "iku": ("kode", "satuan", "polaritas", "agregasi"),
    "pk": ("kode", "target", "target_perubahan", "target_berlaku"),
    "realisasi": ("kode", "polaritas", "satuan", "tw1", "tw2", "tw3", "tw4", "realisasi", "realisasi_berlaku",
                  "target_berlaku", "capaian", "bantu_agregasi", "bantu_rn", "bantu_tb", "bantu_ta"),
}


#: Galat a capaian never rests on: a value typed over a formula is set aside and the
#: formula restored (the galat says so), so the capaian comes from the formula.
NOT_A_BASIS = frozenset({"rumus-tertimpa"})


def flagged_indicators(data: Data, issues: list[Issue]) -> dict[str, list[Issue]]:
    """Indicator code (as `code_key`) -> the galat its capaian rests on, for every
    indicator whose capaian rests on at least one."""
    galat: dict[tuple[str, str], list[Issue]] = {}
    for i in issues:
        if i.severity == GALAT and i.sheet and i.cell and i.code not in NOT_A_BASIS:
            galat.setdefault((i.sheet, i.cell), []).append(i)
    if not galat:
        return {}
    out: dict[str, list[Issue]] = {}
    for table, keys in CAPAIAN_INPUTS.items():
        tl = data.layout.tables[table]
        for code, row in code_index(data, table).items():
            revised = table == "pk" and (changed := row.get("target_perubahan")) is not None and not changed.empty
            for key in keys:
                if revised and key == "target":  # the revised target is the one in force
                    continue
                col = tl.columns.get(key)
                if col is not None:
                    out.setdefault(code, []).extend(galat.get((tl.sheet, cell_name(row.row, col)), []))
    return {code: found for code, found in out.items() if found}


def reason(found: list[Issue]) -> str:
    """Why an indicator is left out, in a few words: the codes and the cells."""
    cells = sorted({f"{i.sheet}!{i.cell}" for i in found})
    codes = sorted({i.code for i in found})
    return f"capaian bersandar pada galat ({', '.join(codes)}) di {', '.join(cells[:3])}" + (
        " dst." if len(cells) > 3 else "")
