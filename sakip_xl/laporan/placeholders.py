"""The placeholders a document template may use: one definition that the template
check, the context builder's tests and the placeholder page (docs/laporan.md) share.

Names are Bahasa Indonesia, as the staff who write a Pemda's own template read them.
Every value is text, already written the Indonesian way; a list is a `daftar` of
rows, an `objek` a group of named values.
"""

from __future__ import annotations

from dataclasses import dataclass

TEKS, DAFTAR, OBJEK, YA_TIDAK = "teks", "daftar", "objek", "ya/tidak"

#: Placeholders every template must use: without them a galat would not show.
REQUIRED = ("galat",)


@dataclass(frozen=True)
class Field:
    name: str
    description: str
    kind: str = TEKS
    fields: tuple[Field, ...] = ()

    def child(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


def _t(name: str, description: str) -> Field:
    return Field(name, description)


_INDIKATOR = (
    _t("no", "Nomor urut."),
    _t("kode", "Kode indikator (lembar IKU)."),
    _t("jenis", "Tujuan atau Sasaran."),
    _t("tujuan_sasaran", "Rumusan tujuan/sasaran."),
    _t("indikator", "Nama indikator kinerja."),
    _t("satuan", "Satuan indikator."),
)

_UANG = (
    _t("pagu_awal", "Pagu sebelum perubahan, misalnya Rp2.702.336.572."),
    _t("pagu", "Pagu yang berlaku."),
    _t("realisasi", "Realisasi anggaran."),
    _t("penyerapan", "Penyerapan: realisasi / pagu x 100, misalnya 86,17%."),
    _t("sisa", "Sisa anggaran: pagu - realisasi."),
    _t("keterangan", "Dari mana angkanya (dijumlah dari rincian, berbeda dari yang diisi, tidak dapat diukur)."),
)

FIELDS: tuple[Field, ...] = (
    _t("pemda", "Pemerintah Daerah (lembar Identitas), misalnya Kabupaten Sumenep."),
    _t("perangkat_daerah", "Perangkat Daerah, misalnya Kecamatan Kalianget."),
    _t("kode_pd", "Kode Perangkat Daerah."),
    _t("tahun", "Tahun Kinerja yang dilaporkan, misalnya 2023."),
    _t("tahun_n1", "Tahun sebelumnya (N-1)."),
    _t("tahun_n2", "Dua tahun sebelumnya (N-2)."),
    _t("periode_renstra", "Periode Renstra, misalnya 2021-2026."),
    _t("tahun_akhir_renstra", "Tahun akhir periode Renstra, misalnya 2026."),
    _t("nama_pimpinan", "Nama pimpinan yang menandatangani."),
    _t("nip_pimpinan", "NIP pimpinan."),
    _t("jabatan_pimpinan", "Jabatan pimpinan, misalnya Camat Kalianget."),
    _t("skala_kategori", "Nama skala kategori yang dipakai."),
    _t("batas_capaian", "Batas capaian saat dirata-rata: Tanpa Batas, 100 atau 120."),
    _t("metode_efisiensi", "Metode efisiensi: Selisih, Indeks atau Sisa Anggaran."),
    _t("rumus_efisiensi", "Rumus metode efisiensi dalam kalimat."),
    Field("ada_galat", "Ya bila buku kerja masih memuat galat (untuk {% if ada_galat %}).", YA_TIDAK),
    _t("jumlah_galat", "Jumlah galat."),
    _t("jumlah_peringatan", "Jumlah peringatan (tidak dirinci di dokumen; lihat sakip-xl check)."),
    Field("galat", "Catatan Pemeriksaan: setiap galat dengan lembar dan selnya. Wajib dipakai templat.", DAFTAR, (
        _t("tanda", "Tanda galat, misalnya G3: angka di tabel yang bersandar pada galat ini diberi tanda ini."),
        _t("lembar", "Lembar buku kerja."),
        _t("sel", "Alamat sel, misalnya L4."),
        _t("kode", "Kode galat, misalnya realisasi-tidak-wajar."),
        _t("pesan", "Uraian galat dan cara memperbaikinya."),
    )),
    Field("ikhtisar", "Kalimat Ikhtisar Eksekutif yang sudah jadi, satu paragraf per butir.", DAFTAR, (
        _t("kalimat", "Satu paragraf."),
    )),
    Field("ringkasan", "Angka utama untuk kalimat buatan sendiri.", OBJEK, (
        _t("jumlah_indikator", "Jumlah semua indikator tujuan/sasaran."),
        _t("jumlah_iku", "Jumlah IKU."),
        _t("iku_dirata_rata", "Jumlah IKU yang capaiannya ikut dirata-rata."),
        _t("iku_dikecualikan", "Jumlah IKU yang tidak dirata-rata karena capaiannya bersandar pada galat."),
        _t("rata_rata_capaian", "Rata-rata capaian IKU, misalnya 97,97%; - bila tidak dapat dihitung."),
        _t("kategori", "Kategori rata-rata capaian IKU."),
        _t("pagu", "Jumlah pagu, misalnya Rp2.574.005.010."),
        _t("realisasi", "Jumlah realisasi anggaran; - bila tidak dapat diukur."),
        _t("penyerapan", "Penyerapan seluruh anggaran."),
        _t("efisiensi", "Efisiensi keseluruhan menurut metode efisiensi."),
    )),
    Field("per_kategori", "Jumlah IKU yang dirata-rata per kategori, menurut skala kategori.", DAFTAR, (
        _t("kategori", "Nama kategori."),
        _t("jumlah", "Jumlah IKU dengan kategori ini."),
    )),
    Field("skala", "Skala kategori yang dipakai, dari kategori tertinggi.", DAFTAR, (
        _t("kategori", "Nama kategori."),
        _t("rentang", "Rentang capaian, misalnya 76 s.d. < 91."),
    )),
    Field("iku", "Indikator Kinerja Utama dan indikator tujuan/sasaran (Bab II).", DAFTAR, (
        *_INDIKATOR,
        _t("iku", "Ya bila termasuk IKU."),
        _t("definisi", "Definisi operasional."),
        _t("rumus", "Rumus perhitungan."),
        _t("sumber", "Sumber data."),
    )),
    Field("pk", "Perjanjian Kinerja (Bab II).", DAFTAR, (
        *_INDIKATOR,
        _t("target", "Target PK awal."),
        _t("target_perubahan", "Target PK Perubahan."),
        _t("target_berlaku", "Target yang berlaku."),
        _t("keterangan_perubahan", "Alasan perubahan target."),
    )),
    Field("program", "Program dengan pagunya (Perjanjian Kinerja).", DAFTAR, (
        _t("kode", "Kode program."),
        _t("uraian", "Nama program."),
        _t("pagu", "Pagu program."),
    )),
    Field("jumlah_pagu_program", "Jumlah pagu semua program.", TEKS),
    Field("capaian", "Capaian per indikator (Bab III A).", DAFTAR, (
        *_INDIKATOR,
        _t("iku", "Ya bila termasuk IKU."),
        _t("target", "Target yang berlaku."),
        _t("realisasi", "Realisasi."),
        _t("capaian", "Capaian, misalnya 98,78%."),
        _t("kategori", "Kategori capaian."),
    )),
    Field("capaian_kelompok", "Rata-rata capaian per tujuan/sasaran (Bab III A).", DAFTAR, (
        _t("no", "Nomor urut."),
        _t("jenis", "Tujuan atau Sasaran."),
        _t("tujuan_sasaran", "Rumusan tujuan/sasaran."),
        _t("jumlah", "Jumlah indikator."),
        _t("dirata_rata", "Indikator yang capaiannya dirata-rata."),
        _t("dikecualikan", "Indikator yang tidak dirata-rata karena galat."),
        _t("rata_rata", "Rata-rata capaian."),
        _t("kategori", "Kategori rata-rata capaian."),
    )),
    Field("perbandingan", "Perbandingan dengan tahun-tahun sebelumnya (Bab III A).", DAFTAR, (
        *_INDIKATOR,
        _t("realisasi_n2", "Realisasi N-2."),
        _t("target_n1", "Target N-1."),
        _t("realisasi_n1", "Realisasi N-1."),
        _t("capaian_n1", "Capaian N-1."),
        _t("target", "Target tahun ini."),
        _t("realisasi", "Realisasi tahun ini."),
        _t("capaian", "Capaian tahun ini."),
        _t("perubahan", "Perubahan capaian dari N-1, dalam poin."),
    )),
    Field("renstra", "Perbandingan dengan target akhir Renstra: tingkat kemajuan (Bab III A).", DAFTAR, (
        *_INDIKATOR,
        _t("realisasi", "Realisasi tahun ini."),
        _t("target_renstra", "Target akhir Renstra."),
        _t("kemajuan", "Tingkat kemajuan, misalnya 95,29%."),
    )),
    Field("standar", "Perbandingan dengan standar nasional, hanya indikator yang punya standar (Bab III A).",
          DAFTAR, (
              *_INDIKATOR,
              _t("realisasi", "Realisasi tahun ini."),
              _t("standar", "Standar nasional."),
              _t("capaian_standar", "Realisasi terhadap standar, misalnya 93,10%."),
          )),
    Field("analisis", "Analisis keberhasilan/kegagalan dan solusi per indikator, seperti ditulis staf.", DAFTAR, (
        *_INDIKATOR,
        _t("capaian", "Capaian."),
        _t("analisis", "Analisis penyebab keberhasilan/kegagalan."),
        _t("solusi", "Solusi yang dilakukan."),
    )),
    Field("efisiensi", "Efisiensi penggunaan sumber daya per indikator (Bab III A).", DAFTAR, (
        *_INDIKATOR,
        _t("capaian", "Capaian kinerja."),
        _t("pagu", "Pagu anggaran yang ditautkan ke indikator."),
        _t("realisasi", "Realisasi anggaran yang ditautkan."),
        _t("penyerapan", "Penyerapan anggaran yang ditautkan."),
        _t("efisiensi", "Efisiensi menurut metode efisiensi."),
    )),
    Field("efisiensi_keseluruhan", "Efisiensi keseluruhan: rata-rata capaian IKU terhadap seluruh anggaran.",
          OBJEK, (
              _t("capaian", "Rata-rata capaian IKU."),
              _t("pagu", "Jumlah pagu."),
              _t("realisasi", "Jumlah realisasi anggaran."),
              _t("penyerapan", "Penyerapan seluruh anggaran."),
              _t("efisiensi", "Efisiensi keseluruhan."),
          )),
    Field("anggaran", "Realisasi anggaran per program, kegiatan dan sub kegiatan (Bab III B).", DAFTAR, (
        _t("kode", "Kode program/kegiatan/sub kegiatan."),
        _t("jenis", "Program, Kegiatan atau Sub Kegiatan."),
        Field("program", "Ya pada baris program (untuk menebalkan barisnya).", YA_TIDAK),
        _t("uraian", "Nama program/kegiatan/sub kegiatan."),
        *_UANG,
    )),
    Field("jumlah_anggaran", "Baris JUMLAH realisasi anggaran.", OBJEK, _UANG),
)

BY_NAME = {f.name: f for f in FIELDS}


def render_doc() -> str:
    """The placeholder page, docs/laporan.md."""
    out = [
        "# Templat dokumen LKjIP: isian (placeholder)",
        "",
        "<!-- Dibuat dari sakip_xl/laporan/placeholders.py; jangan diubah langsung. -->",
        "",
        "`sakip-xl laporan BUKU-KERJA.xlsx -o LKJIP.docx --templat-dokumen TEMPLAT.docx` mengisi templat Word "
        "milik Pemda dengan angka buku kerja yang sudah diperiksa dan dihitung ulang. Templat adalah berkas .docx "
        "biasa yang memuat isian Jinja2 (pustaka docxtpl):",
        "",
        "- `{{ pemda }}` menulis satu nilai di tempat itu, dengan format huruf di sekitarnya.",
        "- Baris tabel yang berulang: satu baris berisi `{%tr for r in capaian %}`, satu baris berisi "
        "`{{ r.indikator }}`, `{{ r.capaian }}` dan seterusnya di setiap sel, lalu satu baris berisi "
        "`{%tr endfor %}`. Baris judul tabel diberi tanda \"ulangi sebagai baris judul\" di Word.",
        "- Paragraf bersyarat atau berulang: `{%p if ada_galat %}` ... `{%p endif %}`, "
        "`{%p for k in ikhtisar %}` `{{ k.kalimat }}` `{%p endfor %}`, masing-masing di paragrafnya sendiri.",
        "",
        "Templat bawaan (`sakip_xl/workbook_templates/lkjip-dokumen.docx`) adalah contoh lengkapnya: salin, "
        "lalu ubah sampul, kata-kata dan gaya (gaya tabel Word, gaya paragraf `Isi Tabel`, `Angka Tabel`, "
        "`Judul Tabel`, `Isian Staf`).",
        "",
        "Aturan:",
        "",
        "- Semua nilai sudah berupa teks gaya Indonesia: `98,78%`, `Rp2.910.082.603`, `82`. Nilai kosong "
        "ditulis `-` (kosong bukan nol); `tidak dapat diukur` tetap tertulis begitu.",
        "- Angka yang bersandar pada galat diberi tanda superskrip, misalnya `16.834.423,41%`<sup>G2</sup>: "
        "nomornya merujuk ke daftar `galat` (Catatan Pemeriksaan). Tanda ini ikut di dalam nilainya; "
        "templat tidak dapat menghilangkannya.",
        "- Isian yang salah eja atau tidak ada di daftar ini menghentikan sakip-xl dengan pesan yang "
        "menyebut namanya. Isian wajib: " + ", ".join(f"`{n}`" for n in REQUIRED) + ".",
        "",
        "## Isian",
        "",
        "| Isian | Jenis | Arti |",
        "|---|---|---|",
    ]
    for f in FIELDS:
        out.append(f"| `{f.name}` | {f.kind} | {_md(f.description)} |")
    for f in FIELDS:
        if not f.fields:
            continue
        how = (f"`{{%tr for r in {f.name} %}}` ... `{{{{ r.{f.fields[0].name} }}}}`" if f.kind == DAFTAR
               else f"`{{{{ {f.name}.{f.fields[0].name} }}}}`")
        out += ["", f"## `{f.name}`", "", f"{_md(f.description)} Dipakai seperti {how}.", "",
                "| Isian | Jenis | Arti |", "|---|---|---|"]
        for c in f.fields:
            out.append(f"| `{c.name}` | {c.kind} | {_md(c.description)} |")
    return "\n".join(out) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|")
