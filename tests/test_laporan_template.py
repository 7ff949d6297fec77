"""The document template: a Pemda's own, its placeholders, their page, the shipped default."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from paths import BLUTO, KALIANGET, PACKAGE, ROOT
from sakip_xl.sheets.chapter3 import build_chapter3
from sakip_xl.cli import main
from sakip_xl.laporan.context import build_context
from sakip_xl.laporan.default_template import build_default_template
from sakip_xl.laporan.placeholders import DAFTAR, FIELDS, OBJEK, render_doc
from sakip_xl.model.workbook import check_workbook

SHIPPED = PACKAGE / "workbook_templates" / "lkjip-dokumen.docx"
GALAT_LIST = ["{%p for g in galat %}", "{{ g.tanda }} {{ g.lembar }}!{{ g.sel }}: {{ g.pesan }}", "{%p endfor %}"]


def make_template(path: Path, paragraphs: list[str], table: list[list[str]] | None = None) -> Path:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    if table:
        t = doc.add_table(rows=0, cols=len(table[0]))
        for row in table:
            for cell, text in zip(t.add_row().cells, row):
                cell.text = text
    doc.save(str(path))
    return path


def run(source: Path, template: Path, out: Path):
    return CliRunner().invoke(main, ["laporan", str(source), "-o", str(out), "--templat-dokumen", str(template)])


def test_own_template_is_filled(tmp_path):
    tpl = make_template(tmp_path / "pemda.docx", ["LKjIP {{ perangkat_daerah }} {{ tahun }}",
                                                  "Rata-rata: {{ ringkasan.rata_rata_capaian }}", *GALAT_LIST],
                        [["{%tr for r in capaian %}", ""], ["{{ r.indikator }}", "{{ r.capaian }}"],
                         ["{%tr endfor %}", ""]])
    result = run(BLUTO, tpl, tmp_path / "b.docx")
    assert result.exit_code == 1, result.output
    doc = Document(str(tmp_path / "b.docx"))
    text = "\n".join(p.text for p in doc.paragraphs)
    # Bluto 2020: the only IKU with a trustworthy capaian is musrenbangcam, 50 / 80 = 62,50%.
    assert "LKjIP Kecamatan Bluto 2020" in text and "Rata-rata: 62,50%" in text
    assert "G1 " in text
    cells = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert cells["Persentase hasil musrenbangcam disetujui di tingkat Kabupaten"] == "62,50%"


@pytest.mark.parametrize("paragraphs,table,named", [
    (["{{ pmeda }}", *GALAT_LIST], None, "{{ pmeda }} (maksudnya pemda?)"),
    (["{{ ringkasan.rata_rata }}", *GALAT_LIST], None, "ringkasan.rata_rata"),
    (GALAT_LIST, [["{%tr for r in capaian %}"], ["{{ r.capaan }}"], ["{%tr endfor %}"]],
     "{{ r.capaan }} (maksudnya r.capaian?)"),
    (["{{ pemda }}"], None, "{{ galat }}"),
    (["{% if ada_galat %}{{ pemda }}", *GALAT_LIST], None, "templat dokumen rusak"),
    (["{{ pemda|huruf_besar }}", *GALAT_LIST], None, "huruf_besar"),
])
def test_misspelt_or_missing_placeholder_is_named(tmp_path, paragraphs, table, named):
    tpl = make_template(tmp_path / "salah.docx", paragraphs, table)
    out = tmp_path / "k.docx"
    result = run(KALIANGET, tpl, out)
    assert result.exit_code == 2, result.output
    assert named in result.output and "salah.docx" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not out.exists()


def test_template_that_is_not_a_word_file(tmp_path):
    fake = tmp_path / "rusak.docx"
    fake.write_bytes(b"PK bukan docx")
    result = run(KALIANGET, fake, tmp_path / "k.docx")
    assert result.exit_code == 2 and "rusak.docx" in result.output
    result = run(KALIANGET, tmp_path / "tidak-ada.docx", tmp_path / "k.docx")
    assert result.exit_code == 2 and "tidak ditemukan" in result.output


def test_shipped_template_uses_only_known_placeholders_and_the_required_ones():
    from sakip_xl.laporan.render import check_template, load_template

    tpl, name = load_template(None)
    check_template(tpl, name)  # raises on an unknown or missing placeholder


def test_shipped_template_is_up_to_date(tmp_path):
    """Regenerate with `python -m sakip_xl.laporan.default_template`."""
    build_default_template(tmp_path / "baru.docx")
    with zipfile.ZipFile(SHIPPED) as a, zipfile.ZipFile(tmp_path / "baru.docx") as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for part in a.namelist():
            assert a.read(part) == b.read(part), f"{part} differs"


def test_placeholder_page_is_generated():
    """docs/laporan.md is what placeholders.py says: regenerate with render_doc()."""
    assert (ROOT / "docs" / "laporan.md").read_text(encoding="utf-8") == render_doc()


def _shape(value, field) -> None:
    if field.kind == DAFTAR:
        assert isinstance(value, list), field.name
        for row in value:
            assert set(row) == {f.name for f in field.fields}, field.name
            for f in field.fields:
                _shape(row[f.name], f)
    elif field.kind == OBJEK:
        assert set(value) == {f.name for f in field.fields}, field.name
        for f in field.fields:
            _shape(value[f.name], f)
    else:
        assert isinstance(value, (str, bool)), (field.name, value)


@pytest.mark.parametrize("source", [KALIANGET, BLUTO])
def test_documented_placeholders_are_exactly_what_the_template_gets(source):
    checked = check_workbook(source, prepare=True)
    chapter3 = build_chapter3(checked.data, checked.book, checked.tree, checked.report.issues)
    context = build_context(checked, chapter3)
    assert set(context) == {f.name for f in FIELDS}
    for f in FIELDS:
        _shape(context[f.name], f)
    page = render_doc()
    for f in FIELDS:
        assert f"`{f.name}`" in page
        for c in f.fields:
            assert f"`{c.name}`" in page
