"""The SAKIP rules, in one place, each citing its source.

Facts are data (scales, methods, markers); computations are rule builders
that return `formula.Expr` trees. A tree is both the Excel formula written
into the workbook and, compiled, the Python computation of its value, so the
two cannot drift apart. `contract.toml` names the rule and the columns of
every derived column; `RULES` maps those names to builders.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from .formula import (
    IF,
    Col,
    ColumnOf,
    Expr,
    Field,
    blank,
    cat,
    eq,
    fn,
    ge,
    le,
    lit,
    lt,
)

# ---------------------------------------------------------------- facts

#: Kategori bands as lower bounds, applied to the capaian rounded to 2 decimals.
#: Permendagri 86/2017 prints them as ranges (91-100, 76-90, 66-75, 51-65, <=50),
#: which leave gaps (90.5?) and no band above 100; lower bounds close both.
DEFAULT_KATEGORI_SCALE = "Permendagri 86/2017"
KATEGORI_SCALES: dict[str, tuple[tuple[float, str], ...]] = {
    DEFAULT_KATEGORI_SCALE: (
        (91, "Sangat Tinggi"),
        (76, "Tinggi"),
        (66, "Sedang"),
        (51, "Rendah"),
        (0, "Sangat Rendah"),
    ),
}

#: Letter-grade scales: rank of each grade, higher is better.
GRADE_SCALES: dict[str, tuple[tuple[str, int], ...]] = {
    # PermenPANRB 88/2021, evaluasi AKIP: D 0-30 ... AA >90-100.
    "Predikat SAKIP": (("D", 1), ("C", 2), ("CC", 3), ("B", 4), ("BB", 5), ("A", 6), ("AA", 7)),
    # PermenPANRB 14/2017, mutu pelayanan SKM/IKM: D 25-64.99 ... A 88.31-100.
    "Mutu Pelayanan": (("D", 1), ("C", 2), ("B", 3), ("A", 4)),
    # Opini BPK atas laporan keuangan (UU 15/2004 Pasal 16).
    "Opini BPK": (("TMP", 1), ("TW", 2), ("WDP", 3), ("WTP", 4)),
}

#: `Batas Capaian` when empty: each capaian averaged as it is (offices differ; the
#: choices Tanpa Batas, 100, 120 are in the contract).
DEFAULT_CAP = "Tanpa Batas"

#: `Metode Efisiensi` when empty. No regulation fixes a method for local government;
#: the contract offers Selisih (capaian - penyerapan, points), Indeks (capaian /
#: penyerapan, efficient when >= 1) and Sisa Anggaran (100 - penyerapan, only when
#: capaian >= 100).
DEFAULT_EFFICIENCY = "Selisih"
NOT_MEASURABLE = "tidak dapat diukur"

#: Written for "no value" in Indonesian documents: never read as zero.
NO_VALUE_MARKERS = frozenset(
    {
        "",
        "-",
        "--",
        "–",
        "—",
        "n/a",
        "na",
        "n.a",
        "n.a.",
        "#n/a",
        "belum ada penilaian",
        "belum dinilai",
        "belum ada data",
        "tidak ada data",
        "belum ada",
        "tidak ada",
    }
)

#: Range separators in targets such as `80 - 90`, `80–90`, `80 s.d. 90`
#: (PermenPANRB 8/2021 range targets). Longest first: the order the Excel
#: formula substitutes them in.
RANGE_SEPARATORS = ("sampai dengan", "sampai", "s.d.", "s/d", "s.d", "–", "—", "-")

#: Spellings of the percent unit that are the same unit as `%`.
PERCENT_UNITS = frozenset({"%", "persen", "prosen", "persentase", "prosentase"})

#: Levels of the budget hierarchy (Permendagri 90/2019): program, kegiatan, sub
#: kegiatan, and the expense accounts (rekening) below a sub kegiatan.
BUDGET_LEVELS = {"program": 1, "kegiatan": 2, "sub kegiatan": 3, "rekening": 4}

#: Anggaran money columns and the helper column holding each as computations use it.
BUDGET_MONEY = {"pagu_awal": "bantu_pagu_awal", "pagu": "bantu_pagu", "realisasi_anggaran": "bantu_realisasi"}

#: Ratio beyond which a realisasi is implausible for its target (an order of
#: magnitude apart, e.g. rupiah pasted into an index column).
IMPLAUSIBLE_RATIO = 10.0


# ---------------------------------------------------------------- building blocks


def budget_parents(levels: Sequence[int | None]) -> list[int | None]:
    """For each budget row, the index of its parent row: the nearest row above it
    of a higher level (rows are in hierarchy order). None for a top row and for a
    row without a level."""
    parents: list[int | None] = []
    stack: list[int] = []
    for i, level in enumerate(levels):
        if level is None:
            parents.append(None)
            continue
        while stack and levels[stack[-1]] >= level:  # type: ignore[operator]
            stack.pop()
        parents.append(stack[-1] if stack else None)
        stack.append(i)
    return parents


def _kode() -> Expr:
    return Col("kode")


def grade_rank(scale: Expr, grade: Expr) -> Expr:
    """Rank of `grade` on the letter-grade scale named `scale` (#N/A if none)."""
    names = fn("TRIM", ColumnOf("predikat", "skala_predikat"))
    grades = fn("TRIM", ColumnOf("predikat", "predikat"))
    hit = eq(names, fn("TRIM", cat(scale, ""))) * eq(grades, fn("TRIM", cat(grade, "")))
    return fn("LOOKUP", 2, 1 / hit, ColumnOf("predikat", "peringkat"))


def _range_normalized(t: Expr) -> Expr:
    """The target text with every range separator replaced by `|`."""
    s: Expr = fn("LOWER", fn("TRIM", cat(t, "")))
    for sep in RANGE_SEPARATORS:
        s = fn("SUBSTITUTE", s, sep, "|")
    return s


def _decimal(text: Expr) -> Expr:
    """A decimal written with `,` or `.` as a number, whatever the spreadsheet's
    locale: MID(1/2,2,1) is the locale's own decimal mark."""
    mark = fn("MID", lit(1) / 2, 2, 1)
    return fn("VALUE", fn("SUBSTITUTE", fn("SUBSTITUTE", text, ",", mark), ".", mark))


def range_bound(t: Expr, side: str) -> Expr:
    s = _range_normalized(t)
    bar = fn("FIND", "|", s)
    part = fn("LEFT", s, bar - 1) if side == "bawah" else fn("MID", s, bar + 1, 100)
    return _decimal(fn("TRIM", part))


def capaian_core(tb: Expr, ta: Expr, rn: Expr, negatif: Expr | None) -> Expr:
    """Capaian (%) of realisasi `rn` against a target between `tb` and `ta`.

    PermenPANRB 8/2021: Positif R/T x 100; Negatif (2T - R)/T x 100, never
    below 0 (its "kondisi khusus", written (1 + (1 - R/T)) x 100); for a
    range target, 100 inside it and, outside, the rule with the nearer bound
    as T. A point target is a range with equal bounds. T = 0 gives 100 only
    when R = 0 (design decision: otherwise not computable).
    """
    te = IF(lt(rn, tb), tb, ta)
    positif = rn / te * 100
    hasil = positif if negatif is None else IF(negatif, fn("MAX", 0, (2 * te - rn) / te * 100), positif)
    return IF(
        fn("AND", le(tb, rn), le(rn, ta)),
        100,
        IF(eq(te, 0), "", fn("ROUND", hasil, 2)),
    )


def _numbers(*xs: Expr) -> Expr:
    return fn("AND", *[fn("ISNUMBER", x) for x in xs])


def setting(key: str, default: str) -> Expr:
    """An Identitas setting, its default when empty."""
    v = Field(key)
    return IF(blank(v), default, fn("TRIM", cat(v, "")))


def kategori_of(v: Expr) -> Expr:
    """Kategori of a capaian: the band of the chosen scale with the greatest
    lower bound not above the capaian rounded to 2 decimals."""
    name = setting("skala_kategori", DEFAULT_KATEGORI_SCALE)
    scales = fn("TRIM", ColumnOf("kategori", "skala"))
    bounds = ColumnOf("kategori", "batas_bawah")
    rounded = fn("ROUND", v, 2)
    eligible = eq(scales, name) * le(bounds, rounded)
    best = fn("SUMPRODUCT", fn("MAX", eligible * bounds))
    band = fn("LOOKUP", 2, 1 / (eq(scales, name) * eq(bounds, best)), ColumnOf("kategori", "kategori"))
    return IF(
        fn("ISNUMBER", v),
        fn("IFERROR", IF(eq(fn("SUMPRODUCT", eligible), 0), "", band), ""),
        "",
    )


def penyerapan_of(pagu: Expr, realisasi: Expr) -> Expr:
    """Penyerapan (%) = realisasi / pagu x 100 (not computable when pagu is 0)."""
    return IF(_numbers(pagu, realisasi), IF(eq(pagu, 0), "", fn("ROUND", realisasi / pagu * 100, 2)), "")


def difference_of(a: Expr, b: Expr) -> Expr:
    """a - b rounded to 2 decimals, when both are numbers (sisa anggaran, change in capaian)."""
    return IF(_numbers(a, b), fn("ROUND", a - b, 2), "")


def efisiensi_of(capaian: Expr, penyerapan: Expr) -> Expr:
    """Efficiency by the Identitas method; 'tidak dapat diukur' where it cannot be."""
    m = setting("metode_efisiensi", DEFAULT_EFFICIENCY)
    return IF(
        fn("ISNUMBER", capaian),
        IF(
            fn("ISNUMBER", penyerapan),
            IF(
                eq(m, "Indeks"),
                IF(eq(penyerapan, 0), NOT_MEASURABLE, fn("ROUND", capaian / penyerapan, 2)),
                IF(
                    eq(m, "Sisa Anggaran"),
                    IF(ge(capaian, 100), fn("ROUND", 100 - penyerapan, 2), NOT_MEASURABLE),
                    IF(eq(m, "Selisih"), fn("ROUND", capaian - penyerapan, 2), NOT_MEASURABLE),
                ),
            ),
            NOT_MEASURABLE,
        ),
        "",
    )


def capped(capaian: Expr) -> Expr:
    """A capaian capped by `Batas Capaian` for averaging (Tanpa Batas: unchanged)."""
    cap = fn("IFERROR", fn("VALUE", fn("TRIM", cat(Field("batas_capaian"), ""))), 0)
    return IF(fn("ISNUMBER", capaian), IF(lt(0, cap), fn("MIN", capaian, cap), capaian), "")


MAX_ARGS = 250  # Excel allows 255 arguments per function


def _over(name: str, cells: Sequence[Expr]) -> Expr:
    """SUM or COUNT of any number of cells: past Excel's argument limit, the sum of
    the SUMs or COUNTs of groups of cells."""
    if len(cells) <= MAX_ARGS:
        return fn(name, *cells)
    return _over("SUM", [_over(name, cells[i : i + MAX_ARGS]) for i in range(0, len(cells), MAX_ARGS)])


def count_of(cells: Sequence[Expr]) -> Expr:
    """How many of the cells hold a number."""
    return _over("COUNT", cells)


def sum_of(cells: Sequence[Expr]) -> Expr:
    return _over("SUM", cells)


def average_of(cells: Sequence[Expr]) -> Expr:
    """Mean of the cells that hold a number, rounded to 2 decimals; empty if none."""
    if len(cells) <= MAX_ARGS:
        return IF(eq(fn("COUNT", *cells), 0), "", fn("ROUND", fn("AVERAGE", *cells), 2))
    n = count_of(cells)
    return IF(eq(n, 0), "", fn("ROUND", sum_of(cells) / n, 2))


def rollup(own: Expr, children: list[Expr]) -> Expr:
    """Money of a budget row: the sum of its children when every child has an
    amount (money is entered at the lowest level), else its own typed amount,
    else nothing. Blank is not zero: a child without an amount never counts as
    0 in a parent's sum (DOMAIN.md; PermenPANRB 53/2014 akuntabilitas keuangan)."""
    mine = IF(fn("ISNUMBER", own), own, "")
    if not children:
        return mine
    return IF(eq(count_of(children), len(children)), sum_of(children), mine)


def total_of(cells: list[Expr]) -> Expr:
    """The sum of the cells when every one holds a number, else nothing (a total
    missing a part is not a total)."""
    if not cells:
        return fn("SUM", 0)
    return IF(eq(count_of(cells), len(cells)), sum_of(cells), "")


# ---------------------------------------------------------------- column rules


def rule_lookup(p: dict[str, str]) -> Expr:
    """Value of column `value` of table `from` on the row with the same Kode."""
    k = _kode()
    row = fn("MATCH", k, ColumnOf(p["from"], "kode"), 0)
    v = fn("INDEX", ColumnOf(p["from"], p["value"]), row)
    return IF(blank(k), "", fn("IFERROR", IF(eq(v, ""), "", v), ""))


def rule_target_berlaku(p: dict[str, str]) -> Expr:
    t, tp = Col(p["target"]), Col(p["target_perubahan"])
    return IF(fn("NOT", blank(tp)), tp, IF(blank(t), "", t))


def rule_realisasi_tahunan(p: dict[str, str]) -> Expr:
    r = Col(p["realisasi"])
    qs = [Col(p[q]) for q in ("tw1", "tw2", "tw3", "tw4")]
    agg = fn("TRIM", cat(Col(p["agregasi"]), ""))
    last = IF(
        fn("NOT", blank(qs[3])),
        qs[3],
        IF(fn("NOT", blank(qs[2])), qs[2], IF(fn("NOT", blank(qs[1])), qs[1], qs[0])),
    )
    none = eq(fn("COUNT", *qs), 0)
    return IF(
        blank(_kode()),
        "",
        IF(
            fn("NOT", blank(r)),
            r,
            IF(
                eq(fn("COUNTA", *qs), 0),
                "",
                IF(
                    eq(agg, "Jumlah"),
                    IF(none, "", fn("SUM", *qs)),
                    IF(eq(agg, "Rata-rata"), IF(none, "", fn("AVERAGE", *qs)), last),
                ),
            ),
        ),
    )


def rule_nilai_realisasi(p: dict[str, str]) -> Expr:
    v, s = Col(p["nilai"]), Col(p["satuan"])
    return IF(fn("ISNUMBER", v), v, IF(blank(v), "", fn("IFERROR", grade_rank(s, v), "")))


def rule_batas_target(p: dict[str, str]) -> Expr:
    t, s = Col(p["target"]), Col(p["satuan"])
    return IF(
        fn("ISNUMBER", t),
        t,
        IF(blank(t), "", fn("IFERROR", grade_rank(s, t), fn("IFERROR", range_bound(t, p["sisi"]), ""))),
    )


def rule_capaian(p: dict[str, str]) -> Expr:
    tb, ta, rn = Col(p["bawah"]), Col(p["atas"]), Col(p["nilai"])
    negatif = eq(fn("TRIM", cat(Col(p["polaritas"]), "")), "Negatif")
    return IF(_numbers(tb, ta, rn), capaian_core(tb, ta, rn, negatif), "")


def rule_capaian_angka(p: dict[str, str]) -> Expr:
    t, r = Col(p["target"]), Col(p["nilai"])
    return IF(_numbers(t, r), capaian_core(t, t, r, None), "")


def rule_kategori(p: dict[str, str]) -> Expr:
    return kategori_of(Col(p["capaian"]))


def rule_penyerapan(p: dict[str, str]) -> Expr:
    return penyerapan_of(Col(p["pagu"]), Col(p["realisasi"]))


def rule_sisa(p: dict[str, str]) -> Expr:
    return difference_of(Col(p["pagu"]), Col(p["realisasi"]))


def rule_jumlah_terkait(p: dict[str, str]) -> Expr:
    """Sum of a money column over the Anggaran rows linked to this indicator;
    nothing when none is linked or a linked row has no amount (blank is not zero).
    A number is either >= 0 or < 0: the two COUNTIFS count the linked numbers."""
    k = _kode()
    links = ColumnOf("anggaran", "kode_indikator")
    values = ColumnOf("anggaran", p["value"])
    linked = fn("COUNTIFS", links, k)
    numbers = fn("COUNTIFS", links, k, values, ">=0") + fn("COUNTIFS", links, k, values, "<0")
    return IF(
        blank(k),
        "",
        IF(eq(linked, 0), "", IF(lt(numbers, linked), "", fn("SUMIFS", values, links, k))),
    )


def rule_jumlah_rincian(p: dict[str, str]) -> Expr:
    """A budget row's own amount as a number, or nothing. This is the column's
    formula for rows without sub-rows; `recompute` gives each row that has
    sub-rows the `rollup` of its own amount and theirs."""
    return rollup(Col(p["value"]), [])


def rule_efisiensi(p: dict[str, str]) -> Expr:
    return efisiensi_of(Col(p["capaian"]), Col(p["penyerapan"]))


@dataclass(frozen=True)
class Rule:
    build: Callable[[dict[str, str]], Expr]
    explanation: str  # Bahasa Indonesia, for the Petunjuk sheet
    source: str


RULES: dict[str, Rule] = {
    "lookup": Rule(
        rule_lookup,
        "Diambil dari lembar sumber (IKU atau PK) pada baris dengan Kode yang sama.",
        "Kontrak buku kerja sakip-xl",
    ),
    "target_berlaku": Rule(
        rule_target_berlaku,
        "Target Perubahan bila diisi (PK Perubahan), selain itu Target PK awal.",
        "PermenPANRB 53/2014 (Perjanjian Kinerja dan perubahannya)",
    ),
    "realisasi_tahunan": Rule(
        rule_realisasi_tahunan,
        "Kolom Realisasi bila diisi; bila kosong, realisasi triwulan digabung menurut Agregasi "
        "Triwulan di IKU: Jumlah (dijumlah), Rata-rata (dirata-rata) atau Terakhir (triwulan "
        "terakhir yang terisi).",
        "Praktik pengukuran kinerja triwulanan",
    ),
    "nilai_realisasi": Rule(
        rule_nilai_realisasi,
        "Realisasi sebagai angka; predikat diganti peringkatnya pada skala yang ditulis di Satuan.",
        "Praktik e-SAKIP (peringkat predikat)",
    ),
    "batas_target": Rule(
        rule_batas_target,
        "Batas bawah/atas target: angka itu sendiri, kedua ujung rentang (80 - 90), atau "
        "peringkat predikat.",
        "PermenPANRB 8/2021 (target rentang)",
    ),
    "capaian": Rule(
        rule_capaian,
        "Polaritas Positif: Realisasi / Target x 100. Polaritas Negatif: (2 x Target - "
        "Realisasi) / Target x 100, paling kecil 0. Target rentang: 100 bila realisasi di "
        "dalam rentang; di luar rentang dipakai batas terdekat sebagai target. Target predikat: "
        "peringkat realisasi / peringkat target x 100. Target 0: 100 hanya bila realisasi 0. "
        "Dibulatkan 2 desimal.",
        "PermenPANRB 53/2014; PermenPANRB 8/2021 (kondisi normal, kondisi khusus, rentang)",
    ),
    "capaian_angka": Rule(
        rule_capaian_angka,
        "Realisasi Kinerja / Target Kinerja x 100 (polaritas positif), dibulatkan 2 desimal.",
        "PermenPANRB 53/2014",
    ),
    "kategori": Rule(
        rule_kategori,
        "Capaian dibulatkan 2 desimal, lalu masuk kategori dengan batas bawah terbesar yang "
        "tidak melebihi capaian, pada skala yang dipilih di Identitas (Skala Kategori). "
        "Bawaan: Sangat Tinggi >= 91, Tinggi >= 76, Sedang >= 66, Rendah >= 51, Sangat Rendah >= 0.",
        "Permendagri 86/2017",
    ),
    "penyerapan": Rule(
        rule_penyerapan,
        "Penyerapan = Realisasi Anggaran / Pagu x 100, dibulatkan 2 desimal.",
        "PermenPANRB 53/2014 (akuntabilitas keuangan)",
    ),
    "sisa": Rule(
        rule_sisa,
        "Sisa Anggaran = Pagu - Realisasi Anggaran.",
        "PermenPANRB 53/2014 (akuntabilitas keuangan)",
    ),
    "jumlah_terkait": Rule(
        rule_jumlah_terkait,
        "Jumlah Pagu atau Realisasi Anggaran dari baris Anggaran yang Kode Indikator-nya sama "
        "dengan Kode indikator ini (baris tanpa angka sendiri dihitung dari jumlah rinciannya). Kosong "
        "bila ada baris terkait yang anggarannya tidak dapat diukur.",
        "PermenPANRB 53/2014 (analisis efisiensi sumber daya)",
    ),
    "jumlah_rincian": Rule(
        rule_jumlah_rincian,
        "Anggaran baris ini: jumlah baris rinciannya bila semua rincian berisi angka; bila tidak, angka yang "
        "diisi di baris ini; bila kosong, tidak dapat diukur (kosong tidak dihitung sebagai nol).",
        "PermenPANRB 53/2014 (akuntabilitas keuangan); anggaran diisi di tingkat terendah",
    ),
    "efisiensi": Rule(
        rule_efisiensi,
        "Menurut Metode Efisiensi di Identitas. Selisih: capaian - penyerapan (poin persen). "
        "Indeks: capaian / penyerapan (efisien bila >= 1). Sisa Anggaran: 100 - penyerapan, hanya "
        "bila capaian >= 100. Selain itu: tidak dapat diukur.",
        "Tidak ada rumus baku untuk pemerintah daerah; metode disebutkan di samping angkanya",
    ),
}


def build_rule(name: str, params: dict[str, str]) -> Expr:
    """The expression of a derived column, from its rule name and parameters."""
    return RULES[name].build(params)


__all__ = [
    "BUDGET_LEVELS",
    "BUDGET_MONEY",
    "DEFAULT_CAP",
    "DEFAULT_EFFICIENCY",
    "DEFAULT_KATEGORI_SCALE",
    "GRADE_SCALES",
    "IMPLAUSIBLE_RATIO",
    "KATEGORI_SCALES",
    "NOT_MEASURABLE",
    "NO_VALUE_MARKERS",
    "PERCENT_UNITS",
    "RANGE_SEPARATORS",
    "RULES",
    "average_of",
    "budget_parents",
    "build_rule",
    "capped",
    "count_of",
    "difference_of",
    "efisiensi_of",
    "kategori_of",
    "penyerapan_of",
    "rollup",
    "sum_of",
    "total_of",
]
