"""Findings: one `Issue` type for every problem, one `Report` per workbook.

Every issue has a stable kebab-case code, a severity (galat, peringatan,
info), the sheet and cell it is about, the value found, the value expected
where there is one, and a message in Bahasa Indonesia that says what to do.
Messages are rendered from one template per code (`CATALOG`).
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from typing import Iterable

from ..rules.formula import number_to_text

GALAT, PERINGATAN, INFO = "galat", "peringatan", "info"
UNREADABLE = "gagal dibaca"  # Report.status of a file that cannot be opened as a workbook
NOT_CONTRACT = "tidak sesuai templat"  # Report.status of a workbook lacking a required sheet/column
SEVERITIES = (GALAT, PERINGATAN, INFO)

#: code -> (severity, message template). Placeholders are filled by `issue()`.
CATALOG: dict[str, tuple[str, str]] = {
    # structure
    "lembar-tidak-ada": (GALAT, "Lembar '{sheet}' tidak ada. Salin lembar itu dari buku kerja baku LKjIP ke "
                                "berkas ini, lalu isi."),
    "kolom-tidak-ada": (GALAT, "Kolom '{column}' tidak ditemukan di baris judul lembar {sheet}. Tambahkan kolom "
                               "dengan judul persis '{column}'."),
    "kolom-ganda": (PERINGATAN, "Judul kolom '{column}' muncul lebih dari sekali; yang dipakai kolom {used}."),
    "skala-tidak-ada": (PERINGATAN, "Lembar Skala tidak ada; dipakai skala bawaan (Permendagri 86/2017 dan skala "
                                   "predikat bawaan)."),
    "label-tidak-ada": (PERINGATAN, "Isian '{label}' tidak ditemukan di lembar Identitas. Tambahkan baris berlabel "
                                    "'{label}' (saat dihitung ulang, baris itu dibuat di sel {cell})."),
    "belum-diisi": (GALAT, "Lembar {sheet} belum diisi: {what}. Isi lembar ini mulai baris pertama tabelnya "
                           "(sel {cell}); tanpa itu capaian kinerja tidak dapat dihitung."),
    # values
    "isian-wajib-kosong": (GALAT, "{column} wajib diisi."),
    "pilihan-tidak-dikenal": (GALAT, "'{value}' bukan pilihan yang dikenal untuk {column}. Pilih salah satu: {choices}."),
    "kode-ganda": (GALAT, "Kode '{value}' dipakai lebih dari sekali di lembar {sheet} (juga di {other}). Kode harus unik."),
    "kode-tidak-dikenal": (GALAT, "Kode '{value}' tidak ada di lembar IKU. Periksa ejaan dan spasi, atau tambahkan "
                                  "indikatornya di IKU."),
    "kode-berupa-angka": (PERINGATAN, "Kode ditulis sebagai angka ({value}); dibaca sebagai teks '{expected}'. "
                                      "Periksa apakah angka nol di belakang hilang (1.10 menjadi 1.1): ketik kode "
                                      "sebagai teks dengan tanda petik di depannya, misalnya '1.10."),
    "target-pk-tidak-ada": (PERINGATAN, "Indikator '{value}' ada di IKU tetapi tidak punya target di lembar PK; "
                                        "capaiannya tidak dapat dihitung."),
    "realisasi-tidak-ada": (INFO, "Indikator '{value}' belum punya baris di lembar Realisasi."),
    "realisasi-kosong": (INFO, "Realisasi indikator '{value}' belum diisi; capaiannya tidak dihitung dan tidak "
                               "ikut dirata-rata."),
    "angka-tidak-terbaca": (GALAT, "'{value}' tidak dapat dibaca sebagai {kind}. Tulis angka saja, misalnya 79 "
                                   "atau 1250000."),
    "angka-ambigu": (GALAT, "'{value}' dapat berarti {readings}. Tulis ulang tanpa pemisah ribuan: {hint}."),
    "hasil-melampaui-batas": (GALAT, "Hasil kolom {column} melampaui angka terbesar yang dapat dihitung "
                                     "spreadsheet (#NUM!). Periksa angka-angka yang dipakai rumus di baris ini."),
    "angka-tidak-wajar": (GALAT, "'{value}' bukan angka yang dapat dihitung (tak terhingga, NaN, atau melebihi "
                                 "angka terbesar Excel, sekitar 1,8E+308); dianggap belum diisi. Ketik ulang "
                                 "angkanya."),
    "angka-rusak": (GALAT, "'{value}' tidak dapat dibaca sebagai angka (ada spasi atau pemisah yang salah). "
                           "Maksudnya mungkin {readings}? Tulis ulang angkanya."),
    "tanggal-di-kolom-angka": (GALAT, "Sel ini berisi tanggal ({value}), padahal seharusnya angka. Excel mengubah "
                                      "angka seperti 6.5 menjadi tanggal: ubah format selnya menjadi angka (klik "
                                      "kanan > Format Sel > Angka; di LibreOffice: Format > Sel > Angka) lalu ketik "
                                      "ulang angkanya."),
    "satuan-tidak-sesuai": (PERINGATAN, "Satuan di sel ('{unit}') tidak sama dengan Satuan indikator ('{satuan}'). "
                                        "Tulis angkanya saja dalam satuan {satuan}."),
    "predikat-tidak-dikenal": (GALAT, "Predikat '{value}' tidak ada pada skala '{satuan}'. Untuk indikator berupa "
                                      "predikat, tulis nama skala predikat dari lembar Skala di kolom Satuan (IKU)."),
    "predikat-pada-negatif": (GALAT, "Target berupa predikat hanya bermakna untuk polaritas Positif; indikator ini "
                                     "berpolaritas Negatif."),
    "rentang-tidak-valid": (GALAT, "Rentang '{value}' tidak valid{why}. Tulis seperti 80 - 90 (batas bawah - batas "
                                   "atas, tanpa satuan)."),
    "realisasi-tidak-wajar": (GALAT, "Realisasi {value} tidak wajar untuk target {expected} (berbeda lebih dari "
                                     "{ratio} kali). Mungkin tertempel angka rupiah atau satuan yang lain?"),
    "target-nol": (PERINGATAN, "Target bernilai 0: capaian hanya 100 bila realisasi juga 0, selain itu tidak "
                               "dapat dihitung. Periksa targetnya."),
    "tahun-tidak-valid": (GALAT, "Tahun Kinerja '{value}' tidak valid: tulis tahun 4 angka, misalnya 2023."),
    "periode-tidak-valid": (GALAT, "Periode Renstra '{value}' tidak valid: tulis TTTT-TTTT, misalnya 2021-2026."),
    "tahun-di-luar-renstra": (GALAT, "Tahun Kinerja {value} berada di luar periode Renstra {expected}."),
    "tahun-kolom-tidak-sesuai": (PERINGATAN, "Judul kolom menyebut tahun {value}, padahal untuk Tahun Kinerja "
                                             "{tahun} seharusnya {expected}."),
    "jumlah-induk-tidak-sesuai": (GALAT, "{column} {jenis} '{uraian}' tertulis {value}, tetapi jumlah rincian di "
                                         "bawahnya {expected} (selisih {diff}). Perbaiki angka induk atau rinciannya."),
    "jumlah-total-tidak-sesuai": (GALAT, "Baris JUMLAH: {column} tertulis {value}, tetapi jumlah semua program "
                                         "{expected} (selisih {diff})."),
    "realisasi-melebihi-pagu": (GALAT, "Realisasi anggaran {value} melebihi pagu {expected}."),
    "nilai-negatif": (GALAT, "{column} bernilai negatif ({value}). Anggaran tidak boleh negatif."),
    "indikator-dihitung-ganda": (PERINGATAN, "Indikator '{value}' juga ditautkan ke induk baris ini ({other}); "
                                             "anggarannya terhitung dua kali dalam efisiensi. Tautkan satu tingkat "
                                             "saja per cabang."),
    "tautan-tanpa-pagu": (PERINGATAN, "Baris ini ditautkan ke indikator '{value}' tetapi Pagu-nya kosong, "
                                      "padahal rinciannya berjumlah {expected}. Efisiensi indikator hanya "
                                      "menjumlah pagu yang tertulis pada baris yang ditautkan: isi pagu baris ini, "
                                      "atau tautkan baris rinciannya."),
    "induk-tidak-ada": (GALAT, "{jenis} ini tidak punya {parent} di atasnya. Urutkan baris Anggaran sesuai "
                               "hierarki: program, kegiatan, sub kegiatan, rekening."),
    "kode-tidak-sesuai-induk": (PERINGATAN, "Kode '{value}' tidak diawali kode induknya '{expected}'."),
    "rumus-tertimpa": (GALAT, "Sel rumus (abu-abu) ini berisi ketikan {value}, padahal rumusnya menghasilkan "
                              "{expected}; yang dihitung adalah hasil rumus. Jangan mengetik di sel abu-abu: bila "
                              "angkanya salah, perbaiki isian yang dipakai rumus (sel kuning di baris ini atau di "
                              "lembar asalnya)."),
    "rumus-dipulihkan": (INFO, "Sel rumus (abu-abu) ini berisi ketikan yang sama dengan hasil rumusnya, sehingga "
                               "tidak ikut berubah bila isiannya berubah. Hapus ketikannya (tekan Delete) atau "
                               "salin rumus dari sel di atasnya."),
    "skala-tidak-valid": (GALAT, "Skala '{value}' tidak valid: {why}."),
    "skala-celah": (PERINGATAN, "Skala '{value}' punya {why}. Kategori tetap ditentukan oleh batas bawah."),
    "teks-angka-diubah": (INFO, "'{value}' tertulis sebagai teks dan dibaca sebagai angka {expected}. Agar Excel "
                                "ikut menghitungnya, ketik angkanya saja, tanpa satuan dan tanpa titik ribuan."),
    "persen-diubah": (INFO, "Nilai berformat persen {value} dibaca sebagai {expected} (poin persen)."),
    "gaya-angka-campur": (PERINGATAN, "'{value}' ditulis dengan gaya Inggris (koma pemisah ribuan) di antara angka "
                                      "bergaya Indonesia. Dibaca sebagai {expected}; seragamkan penulisannya."),
    "objek-tidak-terbawa": (PERINGATAN, "{what} di lembar {sheet} tidak ikut terbawa bila buku kerja ini dihitung "
                                        "ulang; simpan salinannya dan buat ulang bila diperlukan."),
    "lembar-diganti-nama": (INFO, "Nama lembar '{value}' tidak diterima Excel (lebih dari 31 huruf, memuat "
                                  "[ ] : * ? / \\, diawali atau diakhiri tanda petik, berupa kata History, atau "
                                  "sudah dipakai lembar lain); di berkas hasil lembar ini bernama '{expected}'."),
    "lembar-tambahan": (INFO, "Lembar tambahan '{sheet}' ikut terbawa bila buku kerja dihitung ulang, sebagai "
                              "nilai (rumusnya tidak ikut)."),
    "kolom-tambahan": (INFO, "Kolom tambahan '{column}' di lembar {sheet} ikut terbawa sebagai nilai."),
    "versi-templat": (INFO, "Berkas dibuat dengan templat versi {value}; versi sekarang {expected}."),
}


@dataclass(frozen=True)
class Issue:
    code: str
    severity: str
    sheet: str | None
    cell: str | None
    value: str | None
    expected: str | None
    message: str

    def to_dict(self) -> dict:
        return asdict(self)


def issue(code: str, sheet: str | None = None, cell: str | None = None, *, value: object = None,
          expected: object = None, **params: object) -> Issue:
    """An Issue of a catalogued code, its message rendered from the template."""
    severity, template = CATALOG[code]
    v, e = _text(value), _text(expected)
    message = template.format(value=v, expected=e, sheet=sheet, cell=cell, **{k: _text(p) for k, p in params.items()})
    return Issue(code, severity, sheet, cell, v, e, message)


def _text(v: object) -> str | None:
    if v is None:
        return None
    if isinstance(v, float):
        return format_number(v)
    return str(v)


def format_number(x: float) -> str:
    """A number as Indonesian staff write it: 2.910.082.603 or 98,78. Beyond 15
    digits, or below 0,0001, as Excel shows it (1,5E+20); inf and NaN by name."""
    if not math.isfinite(x):
        return "NaN" if math.isnan(x) else "tak terhingga" if x > 0 else "minus tak terhingga"
    if abs(x) >= 1e15 or 0 < abs(x) < 1e-4:
        return number_to_text(x).replace(".", ",")
    if x == int(x):
        return f"{int(x):,}".replace(",", ".")
    whole, frac = f"{x:,.4f}".rstrip("0").split(".")
    return whole.replace(",", ".") + ("," + frac if frac else "")


@dataclass
class Report:
    """The findings on one workbook file."""

    file: str
    status: str = "ok"  # ok | UNREADABLE | NOT_CONTRACT
    reason: str | None = None  # why the file could not be read
    issues: list[Issue] = field(default_factory=list)
    detail: str = ""  # the traceback of an unexpected failure (shown with --debug)

    def add(self, items: Iterable[Issue]) -> None:
        self.issues.extend(items)

    def counts(self) -> dict[str, int]:
        c = {s: 0 for s in SEVERITIES}
        for i in self.issues:
            c[i.severity] += 1
        return c

    @property
    def has_errors(self) -> bool:
        return self.status != "ok" or any(i.severity == GALAT for i in self.issues)

    def sorted_issues(self) -> list[Issue]:
        """The most serious first; then by sheet in the order staff fill them, then by row."""
        return sorted(self.issues, key=_issue_order)

    def grouped(self) -> list[IssueGroup]:
        """One line per cause: issues of the same code and message on one sheet, with
        their cells, in `sorted_issues` order."""
        groups: dict[tuple, list[Issue]] = {}
        for i in self.sorted_issues():
            groups.setdefault((i.severity, i.code, i.sheet, i.message), []).append(i)
        return [IssueGroup(same[0], tuple(i.cell for i in same if i.cell)) for same in groups.values()]

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "status": self.status,
            "reason": self.reason,
            "counts": self.counts(),
            "issues": [i.to_dict() | {"file": self.file} for i in self.sorted_issues()],
        }


@dataclass(frozen=True)
class IssueGroup:
    """Issues of one cause: the first of them, and the cells of all."""

    first: Issue
    cells: tuple[str, ...]

    def cells_text(self, most: int = 6) -> str:
        """The cells, the first `most` named and the rest counted."""
        shown = ", ".join(self.cells[:most])
        return shown + (f" (dan {len(self.cells) - most} sel lain)" if len(self.cells) > most else "")


#: The sheets in the order staff fill them (the Petunjuk's order): problems are listed so.
SHEET_ORDER = ("identitas", "skala", "iku", "pk", "realisasi", "anggaran")


def _issue_order(i: Issue) -> tuple:
    sheet = (i.sheet or "").casefold()
    rank = SHEET_ORDER.index(sheet) + 1 if sheet in SHEET_ORDER else (0 if not i.sheet else len(SHEET_ORDER) + 1)
    return (SEVERITIES.index(i.severity), rank, sheet, _cell_key(i.cell), i.code)


def _cell_key(cell: str | None) -> tuple[int, str]:
    if not cell:
        return (0, "")
    letters = "".join(ch for ch in cell if ch.isalpha())
    digits = "".join(ch for ch in cell if ch.isdigit())
    return (int(digits or 0), letters.rjust(3))


def render_json(reports: list[Report]) -> str:
    total = {s: sum(r.counts()[s] for r in reports) for s in SEVERITIES}
    return json.dumps({"files": [r.to_dict() for r in reports], "counts": total}, ensure_ascii=False, indent=2)


def render_text(reports: list[Report], show_info: bool = True) -> str:
    """A readable table per file, grouped by sheet, with counts per severity."""
    out: list[str] = []
    for rep in reports:
        out.append(f"== {rep.file}")
        if rep.status != "ok":
            out.append(f"   {rep.status.upper()}: {rep.reason}")
        c = rep.counts()
        out.append(f"   {c[GALAT]} galat, {c[PERINGATAN]} peringatan, {c[INFO]} info"
                   + ("" if show_info or not c[INFO] else " (info tidak ditampilkan; pakai --info)"))
        current = None
        for g in rep.grouped():
            i = g.first
            if i.severity == INFO and not show_info:
                continue
            if i.severity != current:
                current = i.severity
                out.append(f"-- {i.severity}")
            where = f"{i.sheet or '(berkas)'} {g.cells_text(4)}".strip()
            out.append(f"   {where:<24} {i.code:<26} {i.message}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
