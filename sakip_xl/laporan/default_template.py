"""The default document template, sakip_xl/workbook_templates/lkjip-dokumen.docx, built
with python-docx so that its content is reviewable code; `python -m
sakip_xl.laporan.default_template` rebuilds it and a test fails when the shipped
file is out of date.

It follows the LKjIP outline of PermenPANRB 53/2014: Catatan Pemeriksaan (only when
the workbook has galat), cover, identity, Ikhtisar Eksekutif, Bab I to IV. Tables
use Word's "Table Grid" style and three paragraph styles (Isi Tabel, Angka Tabel,
Judul Tabel), so staff restyle them in Word; header rows repeat on every page;
chapters II and III are a landscape section.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from datetime import datetime

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

FONT = "Arial"
BODY, NUMBER, HEAD, NOTE = "Isi Tabel", "Angka Tabel", "Judul Tabel", "Isian Staf"
LANDSCAPE_WIDTH = 25.7  # cm of text on A4 landscape with 2 cm margins


def build_default_template(path: str | Path) -> None:
    """Write the default template to `path`."""
    doc = Document()
    _styles(doc)
    section = doc.sections[0]
    _a4(section, landscape=False)
    _footer(section)
    _catatan(doc)
    _cover(doc)
    _ikhtisar(doc)
    _bab1(doc)
    _a4(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
    _bab2(doc)
    _bab3(doc)
    _a4(doc.add_section(WD_SECTION.NEW_PAGE), landscape=False)
    _bab4(doc)
    doc.core_properties.title = "Laporan Kinerja Instansi Pemerintah {{ perangkat_daerah }} Tahun {{ tahun }}"
    doc.core_properties.author = "sakip-xl"
    fixed = datetime(2000, 1, 1)  # the same bytes on every build (the shipped file is committed)
    doc.core_properties.created = doc.core_properties.modified = fixed
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as built, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in built.infolist():
            out.writestr(zipfile.ZipInfo(info.filename, fixed.timetuple()[:6]), built.read(info),
                         compress_type=zipfile.ZIP_DEFLATED)


# ---------------------------------------------------------------- page and styles


def _a4(section, landscape: bool) -> None:
    short, long = Cm(21.0), Cm(29.7)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
    section.top_margin = section.bottom_margin = Cm(2.0)
    section.left_margin = Cm(2.0) if landscape else Cm(3.0)
    section.right_margin = Cm(2.0)


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size in (("Heading 1", 14), ("Heading 2", 12), ("Title", 20), ("Caption", 10)):
        s = styles[name]
        s.font.name, s.font.size, s.font.bold = FONT, Pt(size), True
        s.font.italic = False
        s.font.color.rgb = RGBColor(0, 0, 0)
        s.paragraph_format.keep_with_next = True
        s.paragraph_format.space_before = Pt(12 if name != "Caption" else 6)
    for name in ("Heading 1", "Title", "Caption"):
        styles[name].paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for border in styles["Title"].element.pPr.findall(qn("w:pBdr")):  # the default Title is underlined in blue
        styles["Title"].element.pPr.remove(border)
    for name, align, bold in ((BODY, WD_ALIGN_PARAGRAPH.LEFT, False), (NUMBER, WD_ALIGN_PARAGRAPH.RIGHT, False),
                              (HEAD, WD_ALIGN_PARAGRAPH.CENTER, True)):
        s = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        s.base_style = normal
        s.font.size, s.font.bold = Pt(8), bold
        s.paragraph_format.alignment = align
        s.paragraph_format.space_after = Pt(0)
        s.paragraph_format.line_spacing = 1.0
    note = styles.add_style(NOTE, WD_STYLE_TYPE.PARAGRAPH)
    note.base_style = normal
    note.font.italic = True
    note.font.color.rgb = RGBColor(0x59, 0x59, 0x59)


def _footer(section) -> None:
    p = section.footer.paragraphs[0]
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = p.add_run("LKjIP {{ perangkat_daerah }} Tahun {{ tahun }} \u2013 halaman ")
    run.font.size = Pt(8)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    r = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    r.append(t)
    field.append(r)
    p._p.append(field)


# ---------------------------------------------------------------- building blocks


def _para(doc, text: str = "", style: str | None = None, align=None, bold: bool = False, size: int | None = None):
    p = doc.add_paragraph(style=style)
    if text:
        run = p.add_run(text)
        run.bold = bold or None
        if size:
            run.font.size = Pt(size)
    if align is not None:
        p.alignment = align
    return p


def _tag(doc, tag: str) -> None:
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %})."""
    doc.add_paragraph("{%p " + tag + " %}")


def _page_break(doc) -> None:
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _heading(doc, text: str, level: int, new_page: bool = False) -> None:
    h = doc.add_heading(text, level)
    h.paragraph_format.page_break_before = new_page


def _staff(doc, text: str) -> None:
    """A short placeholder for narrative only staff can write."""
    _para(doc, f"[{text}]", NOTE)


def _marks_note(doc) -> None:
    _tag(doc, "if ada_galat")
    _para(doc, "Angka bertanda G dengan nomor (superskrip) bersandar pada galat bernomor sama di Catatan "
               "Pemeriksaan: angka itu belum dapat disajikan sebagai fakta.", NOTE)
    _tag(doc, "endif")


def _repeat_header(row) -> None:
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(header)


def _cell(cell, text: str, style: str, width: float, bold: bool = False) -> None:
    cell.width = Cm(width)
    p = cell.paragraphs[0]
    p.style = style
    if text:
        p.add_run(text).bold = bold or None


def _table(doc, caption: str, columns: list[tuple[str, str, float, bool]], loop: str,
           totals: Sequence[tuple[str, ...]] = (), bold_if: str | None = None) -> None:
    """A captioned table: a repeated header row, one row per item of `loop`, then total rows.

    `columns` are (header, value expression, width in cm, numeric); `bold_if` names a
    yes/no field of the item that makes its row bold (programs in the budget table).
    """
    _para(doc, caption, "Caption")
    widths = [w for _h, _v, w, _n in columns]
    table = doc.add_table(rows=0, cols=len(columns))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, w in zip(table.columns, widths):
        col.width = Cm(w)

    def row(texts, style_of, bold=False):
        added = table.add_row()
        added._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))  # a row stays on one page
        for c, text, w, numeric in zip(added.cells, texts, widths, [n for *_x, n in columns]):
            _cell(c, text, style_of(numeric), w, bold)

    row([h for h, *_x in columns], lambda n: HEAD, bold=True)
    _repeat_header(table.rows[0])
    values = [f"{{{{ r.{v} }}}}" if v.isidentifier() else v for _h, v, _w, _n in columns]
    number_or_text = lambda n: NUMBER if n else BODY  # noqa: E731
    tag_row = lambda tag: row([tag] + [""] * (len(columns) - 1), lambda n: BODY)  # noqa: E731
    tag_row(f"{{%tr for r in {loop} %}}")
    if bold_if:
        tag_row(f"{{%tr if r.{bold_if} %}}")
        row(values, number_or_text, bold=True)
        tag_row("{%tr else %}")
        row(values, number_or_text)
        tag_row("{%tr endif %}")
    else:
        row(values, number_or_text)
    tag_row("{%tr endfor %}")
    for total in totals:
        row(list(total), number_or_text, bold=True)
    _para(doc)


# ---------------------------------------------------------------- the document


def _catatan(doc) -> None:
    _tag(doc, "if ada_galat")
    _heading(doc, "CATATAN PEMERIKSAAN", 1)
    _para(doc, "Draf ini disusun dari buku kerja yang masih memuat {{ jumlah_galat }} galat (dan "
               "{{ jumlah_peringatan }} peringatan, yang dapat dilihat dengan sakip-xl check). Angka yang "
               "bersandar pada galat diberi tanda superskrip G dengan nomor galat di bawah ini; angka itu belum "
               "dapat disajikan sebagai fakta. Perbaiki buku kerja, lalu buat dokumen ini lagi dengan "
               "sakip-xl laporan: halaman ini hilang bila tidak ada galat lagi.")
    _table(doc, "Daftar Galat", [("Tanda", "tanda", 1.5, False), ("Lembar", "lembar", 1.9, False),
                                 ("Sel", "sel", 1.2, False), ("Kode", "kode", 3.4, False),
                                 ("Uraian", "pesan", 8.0, False)], "galat")
    _page_break(doc)
    _tag(doc, "endif")


def _cover(doc) -> None:
    for _ in range(6):
        _para(doc)
    _para(doc, "LAPORAN KINERJA INSTANSI PEMERINTAH", "Title")
    _para(doc, "(LKjIP)", "Title")
    _para(doc, "TAHUN {{ tahun }}", "Title")
    for _ in range(8):
        _para(doc)
    _para(doc, "{{ perangkat_daerah|upper }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=16)
    _para(doc, "{{ pemda|upper }}", align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=16)
    _heading(doc, "IDENTITAS PERANGKAT DAERAH", 1, new_page=True)
    table = doc.add_table(rows=0, cols=2)
    table.style = doc.styles["Table Grid"]
    for label, value in (("Pemerintah Daerah", "pemda"), ("Perangkat Daerah", "perangkat_daerah"),
                         ("Kode Perangkat Daerah", "kode_pd"), ("Tahun Kinerja", "tahun"),
                         ("Periode Renstra", "periode_renstra"), ("Nama Pimpinan", "nama_pimpinan"),
                         ("NIP", "nip_pimpinan"), ("Jabatan", "jabatan_pimpinan"),
                         ("Skala Kategori", "skala_kategori"), ("Batas Capaian saat Dirata-rata", "batas_capaian"),
                         ("Metode Efisiensi", "metode_efisiensi")):
        cells = table.add_row().cells
        _cell(cells[0], label, BODY, 6.0, bold=True)
        _cell(cells[1], "{{ %s or \"-\" }}" % value, BODY, 10.0)
    _para(doc)
    _heading(doc, "KATA PENGANTAR", 1, new_page=True)
    _staff(doc, "Kata pengantar ditulis oleh perangkat daerah.")
    _signature(doc)


def _signature(doc) -> None:
    for text in ("{{ jabatan_pimpinan|upper }}", "", "", "", "{{ nama_pimpinan or \"(nama pimpinan)\" }}",
                 "NIP. {{ nip_pimpinan or \"-\" }}"):
        p = _para(doc, text, bold=text.startswith("{{ nama"))
        p.paragraph_format.left_indent = Cm(8.5)
        p.paragraph_format.space_after = Pt(0)


def _ikhtisar(doc) -> None:
    _heading(doc, "IKHTISAR EKSEKUTIF", 1, new_page=True)
    _tag(doc, "for k in ikhtisar")
    p = _para(doc, "{{ k.kalimat }}")
    p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _tag(doc, "endfor")
    _staff(doc, "Uraian keberhasilan dan kendala utama ditulis oleh perangkat daerah.")


def _bab1(doc) -> None:
    _heading(doc, "BAB I\nPENDAHULUAN", 1, new_page=True)
    for title, text in (
            ("A. Latar Belakang", "Latar belakang dan dasar hukum penyusunan LKjIP ditulis oleh perangkat daerah."),
            ("B. Tugas, Fungsi dan Struktur Organisasi", "Tugas, fungsi dan struktur organisasi {{ perangkat_daerah }} "
                                                         "ditulis oleh perangkat daerah."),
            ("C. Isu Strategis", "Isu strategis yang dihadapi ditulis oleh perangkat daerah.")):
        _heading(doc, title, 2)
        _staff(doc, text)
    _heading(doc, "D. Sistematika Penulisan", 2)
    for text in ("Ikhtisar Eksekutif menyajikan capaian kinerja utama secara ringkas.",
                 "Bab I Pendahuluan menyajikan latar belakang, tugas dan fungsi, serta isu strategis.",
                 "Bab II Perencanaan Kinerja menyajikan indikator kinerja utama dan Perjanjian Kinerja "
                 "tahun {{ tahun }}.",
                 "Bab III Akuntabilitas Kinerja menyajikan capaian kinerja, perbandingannya, analisis, efisiensi "
                 "penggunaan sumber daya dan realisasi anggaran.",
                 "Bab IV Penutup menyajikan kesimpulan dan rencana tindak lanjut."):
        _para(doc, text, "List Bullet")


def _bab2(doc) -> None:
    _heading(doc, "BAB II\nPERENCANAAN KINERJA", 1)
    _marks_note(doc)
    _heading(doc, "A. Rencana Strategis", 2)
    _staff(doc, "Visi, misi, tujuan dan sasaran Renstra {{ periode_renstra }} ditulis oleh perangkat daerah.")
    _table(doc, "Tabel 2.1 Indikator Kinerja Utama dan Indikator Tujuan/Sasaran", [
        ("No", "no", 0.9, False), ("Tujuan/Sasaran", "tujuan_sasaran", 4.6, False),
        ("Indikator Kinerja", "indikator", 4.6, False), ("Satuan", "satuan", 1.6, False), ("IKU", "iku", 1.3, False),
        ("Definisi Operasional", "definisi", 4.9, False), ("Rumus Perhitungan", "rumus", 4.6, False),
        ("Sumber Data", "sumber", 3.2, False)], "iku")
    _heading(doc, "B. Perjanjian Kinerja Tahun {{ tahun }}", 2)
    _para(doc, "Perjanjian Kinerja tahun {{ tahun }} memuat target berikut. Bila Perjanjian Kinerja diubah "
               "(PK Perubahan), target perubahan yang berlaku.")
    _table(doc, "Tabel 2.2 Perjanjian Kinerja Tahun {{ tahun }}", [
        ("No", "no", 0.9, False), ("Tujuan/Sasaran", "tujuan_sasaran", 5.6, False),
        ("Indikator Kinerja", "indikator", 5.6, False), ("Satuan", "satuan", 1.6, False),
        ("Target", "target", 2.2, True), ("Target Perubahan", "target_perubahan", 2.2, True),
        ("Target Berlaku", "target_berlaku", 2.2, True), ("Keterangan Perubahan", "keterangan_perubahan", 5.4, False)],
        "pk")
    _table(doc, "Tabel 2.3 Program dan Pagu Anggaran Tahun {{ tahun }}", [
        ("Kode", "kode", 4.0, False), ("Program", "uraian", 15.7, False), ("Pagu", "pagu", 6.0, True)],
        "program", totals=[("", "JUMLAH", "{{ jumlah_pagu_program }}")])


def _bab3(doc) -> None:
    _heading(doc, "BAB III\nAKUNTABILITAS KINERJA", 1, new_page=True)
    _marks_note(doc)
    _heading(doc, "A. Capaian Kinerja Organisasi", 2)
    _para(doc, "Capaian setiap indikator dihitung dari target yang berlaku dan realisasinya: untuk indikator "
               "positif realisasi / target x 100, untuk indikator negatif (2 x target \u2212 realisasi) / target "
               "x 100 (PermenPANRB 53/2014 dan 8/2021). Kategori capaian menurut skala {{ skala_kategori }}:")
    _table(doc, "Tabel 3.1 Skala Kategori Capaian", [
        ("Kategori", "kategori", 6.0, False), ("Capaian (%)", "rentang", 6.0, False)], "skala")
    _table(doc, "Tabel 3.2 Capaian Kinerja Tahun {{ tahun }}", [
        ("No", "no", 0.9, False), ("Tujuan/Sasaran", "tujuan_sasaran", 5.4, False),
        ("Indikator Kinerja", "indikator", 5.8, False), ("Satuan", "satuan", 1.8, False), ("IKU", "iku", 1.3, False),
        ("Target", "target", 2.3, True), ("Realisasi", "realisasi", 2.6, True), ("Capaian", "capaian", 3.0, True),
        ("Kategori", "kategori", 2.6, False)], "capaian")
    _table(doc, "Tabel 3.3 Rata-rata Capaian per Tujuan/Sasaran dan Seluruh IKU", [
        ("No", "no", 0.9, False), ("Jenis", "jenis", 1.9, False), ("Tujuan/Sasaran", "tujuan_sasaran", 10.0, False),
        ("Jumlah Indikator", "jumlah", 2.2, True), ("Dirata-rata", "dirata_rata", 2.2, True),
        ("Tidak Dirata-rata karena Galat", "dikecualikan", 2.6, True), ("Rata-rata Capaian", "rata_rata", 3.0, True),
        ("Kategori", "kategori", 2.9, False)], "capaian_kelompok",
        totals=[("", "", "Seluruh IKU", "{{ ringkasan.jumlah_iku }}", "{{ ringkasan.iku_dirata_rata }}",
                 "{{ ringkasan.iku_dikecualikan }}", "{{ ringkasan.rata_rata_capaian }}", "{{ ringkasan.kategori }}")])
    _para(doc, "Indikator yang capaiannya bersandar pada galat tidak ikut dirata-rata. Batas capaian saat "
               "dirata-rata: {{ batas_capaian }}.")
    _table(doc, "Tabel 3.4 Perbandingan Capaian Kinerja dengan Tahun Sebelumnya", [
        ("No", "no", 0.9, False), ("Indikator Kinerja", "indikator", 6.2, False), ("Satuan", "satuan", 1.7, False),
        ("Realisasi {{ tahun_n2 }}", "realisasi_n2", 2.0, True), ("Target {{ tahun_n1 }}", "target_n1", 1.9, True),
        ("Realisasi {{ tahun_n1 }}", "realisasi_n1", 2.0, True), ("Capaian {{ tahun_n1 }}", "capaian_n1", 2.1, True),
        ("Target {{ tahun }}", "target", 1.9, True), ("Realisasi {{ tahun }}", "realisasi", 2.0, True),
        ("Capaian {{ tahun }}", "capaian", 2.1, True), ("Perubahan Capaian", "perubahan", 2.9, True)], "perbandingan")
    _table(doc, "Tabel 3.5 Tingkat Kemajuan terhadap Target Akhir Renstra ({{ tahun_akhir_renstra }})", [
        ("No", "no", 0.9, False), ("Tujuan/Sasaran", "tujuan_sasaran", 7.1, False),
        ("Indikator Kinerja", "indikator", 7.5, False), ("Satuan", "satuan", 1.8, False),
        ("Realisasi {{ tahun }}", "realisasi", 2.7, True), ("Target Akhir Renstra", "target_renstra", 2.8, True),
        ("Tingkat Kemajuan", "kemajuan", 2.9, True)], "renstra")
    _tag(doc, "if standar")
    _table(doc, "Tabel 3.6 Perbandingan dengan Standar Nasional", [
        ("No", "no", 0.9, False), ("Tujuan/Sasaran", "tujuan_sasaran", 7.1, False),
        ("Indikator Kinerja", "indikator", 7.5, False), ("Satuan", "satuan", 1.8, False),
        ("Realisasi {{ tahun }}", "realisasi", 2.7, True), ("Standar Nasional", "standar", 2.8, True),
        ("Capaian terhadap Standar", "capaian_standar", 2.9, True)], "standar")
    _tag(doc, "else")
    _para(doc, "Tabel 3.6 Perbandingan dengan Standar Nasional: tidak ada indikator yang mempunyai standar nasional "
               "pembanding.")
    _tag(doc, "endif")
    _table(doc, "Tabel 3.7 Analisis Keberhasilan/Kegagalan dan Solusi", [
        ("No", "no", 0.9, False), ("Indikator Kinerja", "indikator", 5.6, False), ("Capaian", "capaian", 2.4, True),
        ("Analisis Keberhasilan/Kegagalan", "analisis", 8.4, False), ("Solusi yang Dilakukan", "solusi", 8.4, False)],
        "analisis")
    _para(doc, "Efisiensi penggunaan sumber daya dihitung dengan metode {{ metode_efisiensi }}: "
               "{{ rumus_efisiensi }}.")
    _table(doc, "Tabel 3.8 Efisiensi Penggunaan Sumber Daya (Metode {{ metode_efisiensi }})", [
        ("No", "no", 0.9, False), ("Indikator Kinerja", "indikator", 8.6, False), ("Capaian", "capaian", 2.6, True),
        ("Pagu", "pagu", 4.0, True), ("Realisasi Anggaran", "realisasi", 4.0, True),
        ("Penyerapan", "penyerapan", 2.6, True), ("Efisiensi", "efisiensi", 3.0, True)], "efisiensi",
        totals=[("", "Keseluruhan: rata-rata capaian IKU terhadap seluruh anggaran",
                 "{{ efisiensi_keseluruhan.capaian }}", "{{ efisiensi_keseluruhan.pagu }}",
                 "{{ efisiensi_keseluruhan.realisasi }}", "{{ efisiensi_keseluruhan.penyerapan }}",
                 "{{ efisiensi_keseluruhan.efisiensi }}")])
    _heading(doc, "B. Realisasi Anggaran", 2)
    _para(doc, "Realisasi anggaran per program, kegiatan dan sub kegiatan. Kosong bukan nol: jumlah yang tidak "
               "dapat diukur ditulis \u201c-\u201d dengan keterangannya.")
    _table(doc, "Tabel 3.9 Realisasi Anggaran Tahun {{ tahun }}", [
        ("Kode", "kode", 3.2, False), ("Uraian", "uraian", 5.0, False), ("Pagu Awal", "pagu_awal", 3.0, True),
        ("Pagu", "pagu", 3.0, True), ("Realisasi", "realisasi", 3.0, True), ("Penyerapan", "penyerapan", 2.1, True),
        ("Sisa", "sisa", 2.8, True), ("Keterangan", "keterangan", 3.6, False)], "anggaran",
        totals=[("", "JUMLAH", *("{{ jumlah_anggaran.%s }}" % k for k in (
            "pagu_awal", "pagu", "realisasi", "penyerapan", "sisa", "keterangan")))], bold_if="program")


def _bab4(doc) -> None:
    _heading(doc, "BAB IV\nPENUTUP", 1)
    _heading(doc, "A. Kesimpulan", 2)
    _staff(doc, "Kesimpulan atas capaian kinerja tahun {{ tahun }} ditulis oleh perangkat daerah.")
    _heading(doc, "B. Rencana Tindak Lanjut", 2)
    _staff(doc, "Langkah perbaikan untuk tahun berikutnya ditulis oleh perangkat daerah.")
    _para(doc)
    _signature(doc)


if __name__ == "__main__":  # pragma: no cover
    target = Path(__file__).resolve().parent.parent / "workbook_templates" / "lkjip-dokumen.docx"
    build_default_template(target)
    print(f"wrote {target}")
