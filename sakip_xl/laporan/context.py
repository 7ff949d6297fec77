"""What a document template is filled with: every figure read from the engine's Book
(the same values `recompute` caches next to its formulas), written the Indonesian
way, with the marks of the galat it rests on. Nothing is recomputed here; the only
arithmetic is counting, for the Ikhtisar (IKU per kategori, IKU without a capaian).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TypeGuard

from ..model.book import Book
from ..sheets.chapter3 import CAPAIAN, EFISIENSI, PERBANDINGAN, REKAP, Chapter3, OutputSheet
from ..model.budget import BudgetTree, Node
from ..model.codes import code_index, code_key
from ..read.interpret import PERIODE, Data, Row
from ..read.source import cell_name
from ..checks.report import PERINGATAN, format_number
from ..rules.sakip import DEFAULT_CAP, DEFAULT_KATEGORI_SCALE, NOT_MEASURABLE
from ..model.workbook import Workbook
from .marks import CLOSE, OPEN, Marks, marked, tag, unmarked

DASH = "-"
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff" + OPEN + CLOSE + "]")
_YEAR = re.compile(r"\s*\(\d{4}\)\s*$")

EFFICIENCY_RULES = {
    "Selisih": "capaian dikurangi penyerapan anggaran, dalam poin persen",
    "Indeks": "capaian dibagi penyerapan anggaran; efisien bila 1 atau lebih",
    "Sisa Anggaran": "100 dikurangi penyerapan anggaran, hanya bila capaian 100% atau lebih",
}

#: The input cells behind each shown value: (table, keys) read in the indicator's row.
TARGET = (("pk", ("target", "target_perubahan", "target_berlaku")), ("realisasi", ("target_berlaku",)))
REALISASI = (("realisasi", ("tw1", "tw2", "tw3", "tw4", "realisasi", "realisasi_berlaku")),)
N1 = {"target_n1": ("target_n1",), "realisasi_n1": ("realisasi_n1",),
      "capaian_n1": ("target_n1", "realisasi_n1", "capaian_n1")}
MONEY_CELLS = {"pagu_awal": ("pagu_awal", "bantu_pagu_awal"), "pagu": ("pagu", "bantu_pagu"),
               "realisasi": ("realisasi_anggaran", "bantu_realisasi")}


# ---------------------------------------------------------------- writing values


def clean(text: str) -> str:
    """Workbook text as a document can hold it: no characters XML forbids, no marks."""
    return _NOT_XML.sub("", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def plain(v: object) -> str:
    """An input value: a number the Indonesian way, a text as typed, '-' when empty."""
    if v is None:
        return DASH
    if isinstance(v, bool):
        return "Ya" if v else "Tidak"
    if isinstance(v, (int, float)):
        return format_number(float(v))
    return clean(str(v)) or DASH


def fixed(x: float) -> str:
    """Two decimals, Indonesian marks: 16.834.423,41."""
    s = f"{abs(x):,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return ("-" if x < 0 and s.strip("0,.") else "") + s


def percent(v: object) -> str:
    return f"{fixed(v)}%" if isinstance(v, (int, float)) and not isinstance(v, bool) else plain(v)


def money(v: object) -> str:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return ("-" if v < 0 else "") + "Rp" + format_number(abs(float(v)))
    return plain(v)


def efficiency(v: object, method: str) -> str:
    """An efficiency figure in the unit of its method."""
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        return plain(v)
    return {"Selisih": f"{fixed(v)} poin", "Sisa Anggaran": f"{fixed(v)}%"}.get(method, fixed(v))


# ---------------------------------------------------------------- reading the Book


class _Sheet:
    """A chapter-III sheet read by its header labels (a year in a label is ignored)."""

    def __init__(self, book: Book, spec: OutputSheet, header: int) -> None:
        self.book, self.name, self.header = book, spec.name, header
        self.cols: dict[str, int] = {}
        for c in range(len(spec.widths)):
            label = book.value(spec.name, header, c)
            if isinstance(label, str) and label:
                self.cols.setdefault(_YEAR.sub("", label), c)

    def get(self, row: int, label: str) -> object:
        return self.book.filled(self.name, row, self.cols[label])


def _sheet(chapter3: Chapter3, book: Book, name: str, labels: tuple[str, ...] = ()) -> _Sheet:
    """A sheet by its header row: the first one, or the one holding all `labels`."""
    spec = next(s for s in chapter3.sheets if s.name == name)
    for header in spec.headers:
        sheet = _Sheet(book, spec, header)
        if all(label in sheet.cols for label in labels):
            return sheet
    raise LookupError(f"{name}: no header with {labels}")


@dataclass
class _Indicator:
    """One indicator: its rows in IKU, PK and Realisasi, and its row in the chapter-III sheets."""

    iku: Row
    pk: Row | None
    real: Row | None
    out: int  # row in Capaian, Perbandingan and Efisiensi
    code: str


class _Reader:
    def __init__(self, checked: Workbook, chapter3: Chapter3) -> None:
        self.checked = checked
        self.data: Data = checked.data
        self.book: Book = checked.book
        self.tree: BudgetTree = checked.tree
        self.chapter3 = chapter3
        self.marks = Marks(checked.report)
        self.flagged = chapter3.flagged
        self._money_memo: dict[tuple[int, str], frozenset[int]] = {}
        pk, real = code_index(self.data, "pk"), code_index(self.data, "realisasi")
        first = next(s for s in chapter3.sheets if s.name == CAPAIAN).first_data_row
        self.indicators = []
        coded = [(r, code) for r in self.data.rows["iku"] if (code := code_key(r.get("kode")))]
        for i, (row, code) in enumerate(coded):
            self.indicators.append(_Indicator(row, pk.get(code), real.get(code), first + i, code))

    def input(self, table: str, row: Row | None, key: str) -> object:
        """A cell of an input sheet as the engine holds it (typed, or its formula's value)."""
        return None if row is None else self.checked.row(table, row).value(key)

    def cells(self, ind: _Indicator, sources) -> set[int]:
        """The galat numbers on the cells `sources` names in the indicator's rows."""
        rows = {"iku": ind.iku, "pk": ind.pk, "realisasi": ind.real}
        found: list[tuple[str, str]] = []
        for table, keys in sources:
            row, tl = rows[table], self.data.layout.tables[table]
            if row is None:
                continue
            revised = table == "pk" and (changed := row.get("target_perubahan")) is not None and not changed.empty
            for key in keys:
                if key in tl.columns and not (revised and key == "target"):
                    found.append((tl.sheet, cell_name(row.row, tl.columns[key])))
        return self.marks.at(found)

    def capaian_marks(self, ind: _Indicator) -> set[int]:
        return self.marks.of(self.flagged.get(ind.code, ()))

    def setting(self, key: str, default: str) -> str:
        v = self.data.field(key)
        return clean(str(v)) if v not in (None, "") else default

    def money_marks(self, node: Node, keys: tuple[str, ...]) -> set[int]:
        """Galat on the money cells of a budget row and of every row below it."""
        return set().union(*(self._money_marks(node, key) for key in keys))

    def _money_marks(self, node: Node, key: str) -> frozenset[int]:
        memo = self._money_memo.get((id(node), key))
        if memo is None:
            tl = self.data.layout.tables["anggaran"]
            own = self.marks.at((tl.sheet, cell_name(node.row.row, tl.columns[k]))
                                for k in MONEY_CELLS[key] if k in tl.columns)
            memo = frozenset(own.union(*(self._money_marks(c, key) for c in node.children)))
            self._money_memo[(id(node), key)] = memo
        return memo


# ---------------------------------------------------------------- the context


def build_context(checked: Workbook, chapter3: Chapter3) -> dict:
    """The template's data (see placeholders.py): identity, headline sentences, the
    tables of chapters II and III and the Catatan Pemeriksaan."""
    r = _Reader(checked, chapter3)
    data = r.data
    tahun = data.tahun
    periode = r.setting("periode_renstra", "")
    end = PERIODE.match(periode)
    method = plain(_summary(r, "metode"))
    ctx: dict = {
        "pemda": r.setting("pemda", ""),
        "perangkat_daerah": r.setting("perangkat_daerah", ""),
        "kode_pd": r.setting("kode_pd", ""),
        "tahun": str(tahun) if tahun else plain(data.field("tahun")),
        "tahun_n1": str(tahun - 1) if tahun else "N-1",
        "tahun_n2": str(tahun - 2) if tahun else "N-2",
        "periode_renstra": periode or DASH,
        "tahun_akhir_renstra": end.group(2) if end else DASH,
        "nama_pimpinan": r.setting("nama_pimpinan", ""),
        "nip_pimpinan": r.setting("nip_pimpinan", ""),
        "jabatan_pimpinan": r.setting("jabatan_pimpinan", ""),
        "skala_kategori": r.setting("skala_kategori", DEFAULT_KATEGORI_SCALE),
        "batas_capaian": plain(_summary(r, "cap")) if _summary(r, "cap") is not None else DEFAULT_CAP,
        "metode_efisiensi": method,
        "rumus_efisiensi": EFFICIENCY_RULES.get(method, NOT_MEASURABLE),
    }
    counts = checked.report.counts()
    ctx.update({
        "ada_galat": bool(r.marks.galat),
        "jumlah_galat": str(len(r.marks.galat)),
        "jumlah_peringatan": str(counts[PERINGATAN]),
        "galat": [{"tanda": tag(n), "lembar": i.sheet or DASH, "sel": i.cell or DASH, "kode": i.code,
                   "pesan": clean(i.message)} for n, i in enumerate(r.marks.galat, 1)],
        "skala": _scale(r, ctx["skala_kategori"]),
    })
    ctx.update(_indicator_tables(r))
    ctx.update(_budget_tables(r))
    ctx.update(_efficiency(r, method))
    ctx["ringkasan"], ctx["per_kategori"] = _headline(r, ctx)
    ctx["ikhtisar"] = [{"kalimat": k} for k in _sentences(r, ctx, method)]
    return ctx


def _summary(r: _Reader, key: str) -> object:
    c = getattr(r.chapter3.summary, key)
    return r.book.filled(c.sheet, c.row, c.col)


def _scale(r: _Reader, name: str) -> list[dict]:
    bands = sorted(r.data.kategori_scales.get(name.casefold(), []), reverse=True)
    out, above = [], None
    for bound, kategori in bands:
        low = format_number(bound)
        rentang = f"\u2265 {low}" if above is None else f"{low} s.d. < {format_number(above)}"
        out.append({"kategori": clean(kategori), "rentang": rentang})
        above = bound
    return out


def _base(cap: _Sheet, n: int, ind: _Indicator) -> dict:
    """What every indicator table shows of an indicator (from the Capaian sheet)."""
    row = ind.out
    return {"no": str(n), "kode": plain(cap.get(row, "Kode")), "jenis": plain(cap.get(row, "Jenis")),
            "tujuan_sasaran": plain(cap.get(row, "Tujuan/Sasaran")),
            "indikator": plain(cap.get(row, "Indikator Kinerja")), "satuan": plain(cap.get(row, "Satuan"))}


def _indicator_tables(r: _Reader) -> dict:
    cap = _sheet(r.chapter3, r.book, CAPAIAN)
    perb = _sheet(r.chapter3, r.book, PERBANDINGAN)
    iku, pk, capaian, perbandingan, renstra, standar, analisis = [], [], [], [], [], [], []
    for n, ind in enumerate(r.indicators, 1):
        row, base = ind.out, _base(cap, n, ind)

        def on(*sources, ind=ind) -> set[int]:  # galat on these (table, keys) cells of the indicator
            return r.cells(ind, sources)

        is_iku = plain(cap.get(row, "IKU"))
        iku.append({**base, "iku": is_iku, **{k: plain(r.input("iku", ind.iku, k))
                                              for k in ("definisi", "rumus", "sumber")}})
        pk.append({**base, **{k: marked(plain(r.input("pk", ind.pk, k)), on(("pk", (k,))))
                              for k in ("target", "target_perubahan", "target_berlaku")},
                   "keterangan_perubahan": plain(r.input("pk", ind.pk, "keterangan_perubahan"))})
        target_m, real_m, cap_m = r.cells(ind, TARGET), r.cells(ind, REALISASI), r.capaian_marks(ind)
        target = marked(plain(cap.get(row, "Target")), target_m)
        realisasi = marked(plain(cap.get(row, "Realisasi")), real_m)
        capaian_text = marked(percent(cap.get(row, "Capaian (%)")), cap_m)
        capaian.append({**base, "iku": is_iku, "target": target, "realisasi": realisasi, "capaian": capaian_text,
                        "kategori": marked(plain(cap.get(row, "Kategori")), cap_m)})
        n1 = {k: on(("realisasi", keys)) for k, keys in N1.items()}
        perbandingan.append({
            **base,
            "realisasi_n2": marked(plain(perb.get(row, "Realisasi N-2")), on(("realisasi", ("realisasi_n2",)))),
            "target_n1": marked(plain(perb.get(row, "Target N-1")), n1["target_n1"]),
            "realisasi_n1": marked(plain(perb.get(row, "Realisasi N-1")), n1["realisasi_n1"]),
            "capaian_n1": marked(percent(perb.get(row, "Capaian N-1 (%)")), n1["capaian_n1"]),
            "target": target, "realisasi": realisasi, "capaian": capaian_text,
            "perubahan": marked(_points(perb.get(row, "Perubahan Capaian (poin)")), cap_m | n1["capaian_n1"]),
        })
        end_m = on(("iku", ("target_renstra",)), ("realisasi", ("target_renstra",)))
        kemajuan_m = real_m | end_m | on(("realisasi", ("kemajuan_renstra",)))
        renstra.append({**base, "realisasi": realisasi,
                        "target_renstra": marked(plain(perb.get(row, "Target Akhir Renstra")), end_m),
                        "kemajuan": marked(percent(perb.get(row, "Kemajuan Renstra (%)")), kemajuan_m)})
        standard = perb.get(row, "Standar Nasional")
        if standard is not None:
            std_m = on(("iku", ("standar_nasional",)), ("realisasi", ("standar_nasional",)))
            against_m = real_m | std_m | on(("realisasi", ("capaian_standar",)))
            standar.append({**base, "realisasi": realisasi, "standar": marked(plain(standard), std_m),
                            "capaian_standar": marked(percent(perb.get(row, "Capaian Standar Nasional (%)")),
                                                      against_m)})
        analisis.append({**base, "capaian": capaian_text,
                         **{k: plain(r.input("realisasi", ind.real, k)) for k in ("analisis", "solusi")}})
    return {"iku": iku, "pk": pk, "capaian": capaian, "capaian_kelompok": _groups(r),
            "perbandingan": perbandingan, "renstra": renstra, "standar": standar, "analisis": analisis}


def _points(v: object) -> str:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return ("+" if v > 0 else "") + fixed(v) + " poin"
    return plain(v)


def _groups(r: _Reader) -> list[dict]:
    """The Capaian sheet's table of averages per tujuan/sasaran."""
    g = _sheet(r.chapter3, r.book, CAPAIAN, ("Jumlah Indikator", "Rata-rata Capaian (%)"))
    out, row = [], g.header + 1
    while r.book.filled(CAPAIAN, row, g.cols["No"]) is not None:
        out.append({"no": plain(g.get(row, "No")), "jenis": plain(g.get(row, "Jenis")),
                    "tujuan_sasaran": plain(g.get(row, "Tujuan/Sasaran")),
                    "jumlah": plain(g.get(row, "Jumlah Indikator")),
                    "dirata_rata": plain(g.get(row, "Indikator dengan Capaian")),
                    "dikecualikan": plain(g.get(row, "Dikecualikan karena Galat")),
                    "rata_rata": percent(g.get(row, "Rata-rata Capaian (%)")),
                    "kategori": plain(g.get(row, "Kategori"))})
        row += 1
    return out


def _budget_tables(r: _Reader) -> dict:
    rekap = _sheet(r.chapter3, r.book, REKAP)
    nodes = {n.row.row: n for n in r.tree.nodes}
    rows, programs = [], []

    def money_row(out: int, node_marks) -> dict:
        pagu_m, real_m = node_marks(("pagu",)), node_marks(("realisasi",))
        return {"pagu_awal": marked(money(rekap.get(out, "Pagu Awal (Rp)")), node_marks(("pagu_awal",))),
                "pagu": marked(money(rekap.get(out, "Pagu (Rp)")), pagu_m),
                "realisasi": marked(money(rekap.get(out, "Realisasi (Rp)")), real_m),
                "penyerapan": marked(percent(rekap.get(out, "Penyerapan (%)")), pagu_m | real_m),
                "sisa": marked(money(rekap.get(out, "Sisa Anggaran (Rp)")), pagu_m | real_m),
                "keterangan": clean(str(rekap.get(out, "Keterangan") or ""))}

    for source, out in sorted(r.chapter3.budget_rows.items(), key=lambda kv: kv[1]):
        node = nodes[source]
        row = {"kode": plain(rekap.get(out, "Kode")), "jenis": plain(rekap.get(out, "Jenis")),
               "program": node.level == 1, "uraian": plain(rekap.get(out, "Uraian")),
               **money_row(out, lambda keys, node=node: r.money_marks(node, keys))}
        rows.append(row)
        if node.level == 1:
            programs.append({"kode": row["kode"], "uraian": row["uraian"], "pagu": row["pagu"]})
    total = r.chapter3.summary.total_pagu.row
    jumlah = money_row(total, lambda keys: set().union(*(r.money_marks(n, keys) for n in r.tree.roots)))
    return {"anggaran": rows, "jumlah_anggaran": jumlah, "program": programs,
            "jumlah_pagu_program": jumlah["pagu"]}


def _efficiency(r: _Reader, method: str) -> dict:
    eff = _sheet(r.chapter3, r.book, EFISIENSI)
    by_code: dict[str, list[Node]] = {}
    for node in r.tree.nodes:
        code = code_key(node.row.get("kode_indikator"))
        if code:
            by_code.setdefault(code, []).append(node)
    cap = _sheet(r.chapter3, r.book, CAPAIAN)
    rows = []
    for n, ind in enumerate(r.indicators, 1):
        row = ind.out
        linked = by_code.get(ind.code, [])
        pagu_m = set().union(*(r.money_marks(x, ("pagu",)) for x in linked))
        real_m = set().union(*(r.money_marks(x, ("realisasi",)) for x in linked))
        cap_m = r.capaian_marks(ind)
        rows.append({**_base(cap, n, ind),
                     "capaian": marked(percent(eff.get(row, "Capaian (%)")), cap_m),
                     "pagu": marked(money(eff.get(row, "Pagu (Rp)")), pagu_m),
                     "realisasi": marked(money(eff.get(row, "Realisasi Anggaran (Rp)")), real_m),
                     "penyerapan": marked(percent(eff.get(row, "Penyerapan (%)")), pagu_m | real_m),
                     "efisiensi": marked(efficiency(eff.get(row, "Efisiensi"), method), cap_m | pagu_m | real_m)})
    overall = r.chapter3.summary.efisiensi.row
    all_pagu = set().union(*(r.money_marks(x, ("pagu",)) for x in r.tree.roots))
    all_real = set().union(*(r.money_marks(x, ("realisasi",)) for x in r.tree.roots))
    return {"efisiensi": rows, "efisiensi_keseluruhan": {
        "capaian": percent(eff.get(overall, "Capaian (%)")),
        "pagu": marked(money(eff.get(overall, "Pagu (Rp)")), all_pagu),
        "realisasi": marked(money(eff.get(overall, "Realisasi Anggaran (Rp)")), all_real),
        "penyerapan": marked(percent(eff.get(overall, "Penyerapan (%)")), all_pagu | all_real),
        "efisiensi": marked(efficiency(eff.get(overall, "Efisiensi"), method), all_pagu | all_real)}}


def _headline(r: _Reader, ctx: dict) -> tuple[dict, list[dict]]:
    """The headline figures, and the IKU averaged per kategori (ordered as the scale)."""
    iku_count = _summary(r, "iku_count")
    averaged = _summary(r, "iku_with_capaian")
    counted: dict[str, int] = {}
    cap = _sheet(r.chapter3, r.book, CAPAIAN)
    for ind in r.indicators:
        if plain(cap.get(ind.out, "IKU")) == "Ya" and ind.code not in r.flagged and isinstance(
                cap.get(ind.out, "Capaian (%)"), (int, float)):
            k = plain(cap.get(ind.out, "Kategori"))
            counted[k] = counted.get(k, 0) + 1
    order = [s["kategori"] for s in ctx["skala"]]
    per = [{"kategori": k, "jumlah": str(counted[k])} for k in sorted(
        counted, key=lambda k: order.index(k) if k in order else len(order))]
    total = ctx["jumlah_anggaran"]
    return {
        "jumlah_indikator": str(len(r.indicators)),
        "jumlah_iku": plain(iku_count),
        "iku_dirata_rata": plain(averaged),
        "iku_dikecualikan": str(r.chapter3.summary.iku_excluded),
        "rata_rata_capaian": percent(_summary(r, "iku_average")),
        "kategori": plain(_summary(r, "iku_kategori")),
        "pagu": total["pagu"], "realisasi": total["realisasi"], "penyerapan": total["penyerapan"],
        "efisiensi": ctx["efisiensi_keseluruhan"]["efisiensi"],
    }, per


def _number(v: object) -> TypeGuard[int | float]:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _sentences(r: _Reader, ctx: dict, method: str) -> list[str]:
    """The Ikhtisar Eksekutif: the headline figures in sentences, saying what could not be counted."""
    s = ctx["ringkasan"]
    who = ctx["perangkat_daerah"] or "Perangkat daerah ini"
    n, iku = len(r.indicators), _summary(r, "iku_count")
    iku_n = int(iku) if _number(iku) else 0
    out = [f"Tahun {ctx['tahun']}, {who} mengukur kinerjanya dengan {n} indikator tujuan dan sasaran, "
           + ("semuanya" if iku_n == n else f"{iku_n} di antaranya") + " Indikator Kinerja Utama (IKU)."]
    averaged = _summary(r, "iku_with_capaian")
    k = int(averaged) if _number(averaged) else 0
    excluded = r.chapter3.summary.iku_excluded
    cap = ctx["batas_capaian"]
    cap_rule = (f"capaian di atas 100% tidak dibatasi saat dirata-rata (Batas Capaian: {cap})" if cap == DEFAULT_CAP
                else f"capaian di atas {cap}% dihitung {cap}% saat dirata-rata (Batas Capaian: {cap})")
    if _number(_summary(r, "iku_average")):
        text = (f"Rata-rata capaian IKU adalah {s['rata_rata_capaian']} dengan kategori {s['kategori']} "
                f"(skala {ctx['skala_kategori']}), dihitung dari {k} IKU yang capaiannya dapat dihitung; {cap_rule}.")
    else:
        text = "Rata-rata capaian IKU belum dapat dihitung: tidak ada IKU yang capaiannya dapat dihitung dan dipercaya."
    if excluded:
        text += (f" {excluded} IKU tidak ikut dirata-rata karena capaiannya bersandar pada galat "
                 "(lihat Catatan Pemeriksaan).")
    missing = iku_n - k - excluded
    if missing > 0:
        text += (f" {missing} IKU belum mempunyai capaian (target atau realisasinya kosong atau tidak dapat "
                 "dihitung) dan tidak ikut dirata-rata.")
    out.append(text)
    if ctx["per_kategori"]:
        out.append("Menurut kategorinya, IKU yang dirata-rata terdiri atas "
                   + _join([f"{p['jumlah']} IKU {p['kategori']}" for p in ctx["per_kategori"]]) + ".")
    pagu, real = (_summary(r, key) for key in ("total_pagu", "total_realisasi"))
    if _number(pagu) and _number(real):
        text = (f"Pagu anggaran seluruhnya {unmarked(s['pagu'])}, terealisasi {unmarked(s['realisasi'])}, "
                f"sehingga penyerapan anggaran {unmarked(s['penyerapan'])}.")
    elif _number(pagu):
        text = (f"Pagu anggaran seluruhnya {unmarked(s['pagu'])}; realisasi anggaran seluruhnya tidak dapat diukur "
                "karena ada program yang realisasinya kosong (lihat Tabel 3.9), sehingga penyerapan anggaran "
                "juga tidak dapat dihitung.")
    else:
        text = ("Jumlah pagu anggaran tidak dapat diukur karena ada program yang pagunya kosong "
                "(lihat Tabel 3.9); penyerapan anggaran juga tidak dapat dihitung.")
    if any(OPEN in s[key] for key in ("pagu", "realisasi")):
        text += (" Angka anggaran ini bersandar pada galat di lembar Anggaran (bertanda G di Tabel 3.9; "
                 "lihat Catatan Pemeriksaan).")
    out.append(text)
    eff = _summary(r, "efisiensi")
    rule = ctx["rumus_efisiensi"]
    if _number(eff):
        out.append(f"Efisiensi penggunaan sumber daya dengan metode {method} ({rule}) adalah "
                   f"{unmarked(s['efisiensi'])}.")
    else:
        out.append(f"Efisiensi penggunaan sumber daya dengan metode {method} ({rule}) tidak dapat diukur, "
                   "karena rata-rata capaian atau penyerapan anggaran tidak dapat dihitung"
                   + (" atau capaian belum mencapai 100%" if method == "Sisa Anggaran" else "") + ".")
    return out


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " dan " + items[-1]
