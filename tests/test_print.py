"""What a clerk sees on screen and on paper: rows as tall as their wrapped text, and the
template, the recomputed examples and a rekap printed (by LibreOffice, to PDF) on a
sensible number of pages, one table per page block. The page limits were set from the
rendered pages, looked at, with a little room."""

from __future__ import annotations

import math
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from libreoffice import recalculate
from paths import BLUTO, KALIANGET
from sakip_xl.commands.merge import merge
from sakip_xl.model.fill import write_filled
from sakip_xl.synthetic import synthetic_filling
from sakip_xl.sheets.rekap import write_rekap
from sakip_xl.commands.template import write_template
from sakip_xl.commands.recompute import recompute
from sakip_xl.checks.report import CATALOG
from sakip_xl.xlsx.fit import text_lines
from sakip_xl.xlsx.writer import MARK_LEGEND

#: Most pages each sheet may print. Input sheets of the blank template: their header and a
#: few rows to fill by hand. The examples: Kalianget's 130 budget rows wrap their long names.
BLANK = {"Petunjuk": 4, "Identitas": 1, "Skala": 1, "IKU": 2, "PK": 2, "Realisasi": 2, "Anggaran": 2}
KALIANGET_PAGES = {"Petunjuk": 4, "Identitas": 1, "Skala": 1, "IKU": 4, "PK": 2, "Realisasi": 6, "Anggaran": 26,
                   "Capaian": 8, "Perbandingan": 2, "Efisiensi": 2, "Rekap Anggaran": 6, "Pemeriksaan": 26}
REKAP_PAGES = {"Ringkasan": 4, "Indikator": 8, "Anggaran": 30, "Pemeriksaan": 60, "Berkas": 2}

_FOOTER = re.compile(r"^\s*(\S.*?)\s+Halaman (\d+) dari (\d+)\s*$")


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("cetak")
    out = {"template": write_template(d / "templat.xlsx")}
    for name, source in (("kalianget", KALIANGET), ("bluto", BLUTO)):
        out[name] = recompute(source, d / f"{name}-hasil.xlsx", make_backup=False).output
    out["rekap"] = write_rekap(d / "rekap.xlsx", merge([KALIANGET, BLUTO], jobs=1, tahun=2023))
    return out


@pytest.fixture(scope="module")
def pdf_pages(workbooks, libreoffice, tmp_path_factory) -> dict[str, list[tuple[str, str]]]:
    """Each workbook printed: (sheet, page text) per page, in order."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    names = list(workbooks)
    pdfs = recalculate([workbooks[n] for n in names], tmp_path_factory.mktemp("pdf"), fmt="pdf")
    out = {}
    for name, pdf in zip(names, pdfs):
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        pages = []
        for page in text.split("\f"):
            footer = [m for m in map(_FOOTER.match, page.splitlines()) if m]
            if footer:
                pages.append((footer[-1].group(1), page))
        out[name] = pages
    return out


def _per_sheet(pages: list[tuple[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for sheet, _text in pages:
        counts[sheet] = counts.get(sheet, 0) + 1
    return counts


def test_blank_template_prints_each_input_sheet_on_at_most_two_pages(pdf_pages):
    counts = _per_sheet(pdf_pages["template"])
    assert set(counts) == set(BLANK)
    assert all(counts[s] <= BLANK[s] for s in BLANK), counts


def test_recomputed_example_prints_on_sensible_page_counts(pdf_pages):
    counts = _per_sheet(pdf_pages["kalianget"])
    assert set(counts) == set(KALIANGET_PAGES), counts
    assert all(counts[s] <= KALIANGET_PAGES[s] for s in counts), counts
    assert len(pdf_pages["bluto"]) <= 60


def test_rekap_prints_on_sensible_page_counts(pdf_pages):
    counts = _per_sheet(pdf_pages["rekap"])
    assert set(counts) == set(REKAP_PAGES), counts
    assert all(counts[s] <= REKAP_PAGES[s] for s in counts), counts


def test_the_colour_legend_prints_whole_on_the_first_page_of_each_input_sheet(pdf_pages):
    """The legend of the marked cells, in the title row, wraps over the columns of the first
    page: printed, it is read whole there (written on one line, it ran past the page's
    edge: cut off, or continued pages later)."""
    def holds(page: str, words: list[str]) -> bool:  # in order, other text between lines
        rest = iter(page.split())
        return all(word in rest for word in words)

    legend = MARK_LEGEND.split()
    for name in ("IKU", "PK", "Realisasi", "Anggaran"):
        pages = [text for sheet, text in pdf_pages["kalianget"] if sheet == name]
        assert holds(pages[0], legend), name
        assert not any(holds(page, legend[-3:]) for page in pages[1:]), name


def test_each_chapter_three_table_prints_under_its_own_header(pdf_pages):
    capaian = [text for sheet, text in pdf_pages["kalianget"] if sheet == "Capaian"]
    groups = [t for t in capaian if "Capaian per Tujuan/Sasaran" in t]
    assert groups and not any("Capaian Dihitung" in t for t in groups)  # not the main table's header
    chart = [t for t in capaian if "tanpa 3 indikator bergalat" in t]
    assert chart and not any("Capaian per Tujuan/Sasaran" in t or "Seluruh IKU" in t for t in chart)


@pytest.mark.parametrize("name", ["template", "kalianget", "rekap"])
def test_rows_are_as_tall_as_their_wrapped_text(workbooks, name):
    """A row holding wrapped text is tall enough for it: at least one 15-point line per
    1.2 x column width characters (text is narrower than the width's digits), up to 8
    lines, where the cell shows the start of a longer text."""
    wb = openpyxl.load_workbook(workbooks[name], data_only=True)
    short = []
    for ws in wb.worksheets:
        widths = {c: d.width for d in ws.column_dimensions.values() if d.width
                  for c in range(d.min or 1, (d.max or d.min or 1) + 1)}  # openpyxl keeps ranges of columns
        merged = {}
        for rng in ws.merged_cells.ranges:
            for r in range(rng.min_row, rng.max_row + 1):
                merged[(ws.title, rng.min_col, r)] = (rng.min_col, rng.max_col)
        for row in ws.iter_rows():
            for cell in row:
                if not (isinstance(cell.value, str) and cell.alignment.wrap_text):
                    continue
                span = merged.get((ws.title, cell.column, cell.row), (cell.column, cell.column))
                width = sum(widths.get(c, 8.43) for c in range(span[0], span[1] + 1))
                lines = min(8, sum(max(1, math.ceil(len(p) / (1.2 * width))) for p in cell.value.split("\n")))
                height = ws.row_dimensions[cell.row].height or 15
                if height < 15 * lines - 0.01:
                    short.append((ws.title, cell.coordinate, height, lines))
    assert short == [], short[:10]


def test_long_tables_read_row_by_row(workbooks):
    """Every cell of a long table starts at the top of its row, beside the first line of a
    wrapped text (at the bottom, a finding's number sits beside the next one's values);
    the year in the rekap is centred (right-aligned next to a left-aligned code, it reads
    as part of it: "2023 7.01.01")."""
    rekap = openpyxl.load_workbook(workbooks["rekap"])
    recomputed = openpyxl.load_workbook(workbooks["kalianget"])
    tables = [(rekap[name], 2) for name in ("Indikator", "Anggaran", "Pemeriksaan")]
    tables.append((recomputed["Pemeriksaan"], 5))  # below its title and header
    for ws, first in tables:
        cells = [c for row in ws.iter_rows(min_row=first) for c in row if c.value is not None]
        assert len(cells) > 50, ws.title
        assert {c.alignment.vertical for c in cells} == {"top"}, ws.title
    for name in ("Indikator", "Anggaran"):
        ws = rekap[name]
        assert [ws.cell(1, c).value for c in (1, 2, 3)] == ["Perangkat Daerah", "Tahun", "Kode"]
        years = [ws.cell(r, 2) for r in range(2, ws.max_row + 1)]
        assert len(years) >= 7 and {c.value for c in years} == {2023}  # Kalianget: 7 indicators
        assert {c.alignment.horizontal for c in years} == {"center"}, name
        assert {ws.cell(r, 3).alignment.horizontal for r in range(2, ws.max_row + 1)} == {None}, name


def _texts_of_the_examples() -> list[str]:
    """Long texts staff and sakip-xl put in cells: the examples' names and notes, and every
    finding's message."""
    texts = {m for _severity, m in CATALOG.values()}
    for path in (KALIANGET, BLUTO):
        for ws in openpyxl.load_workbook(path, read_only=True).worksheets:
            for row in ws.iter_rows(values_only=True):
                texts |= {" ".join(v.split()) for v in row if isinstance(v, str) and len(v) > 15 and v[0] != "="}
    return sorted(texts)


def test_a_wrapped_text_gets_the_lines_libreoffice_wraps_it_into(libreoffice, tmp_path):
    """`text_lines`, which gives every row its height, against LibreOffice's own wrapping
    (Carlito, Calibri's metric twin): each text alone in a generously tall row, top-aligned,
    printed to PDF, its lines counted. Never fewer lines than drawn (a short row hides the
    end of its text); in columns 20 or more wide at most one more, or one in four of a
    long text (the 5% room left for Excel's pixel-rounded layout); most exactly as many."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (poppler-utils)")
    texts = _texts_of_the_examples()
    widths = (12, 20, 30, 40, 60, 80)
    cases = [(i, t, widths[i % len(widths)]) for i, t in enumerate(texts)]
    cases = [(i, t, w) for i, t, w in cases if text_lines(t, w) <= 20]  # rows are at most 409 points tall
    book = xlsxwriter.Workbook(tmp_path / "lines.xlsx")
    wrapped, top = book.add_format({"text_wrap": True, "valign": "top"}), book.add_format({"valign": "top"})
    for width in widths:
        ws = book.add_worksheet(f"w{width}")
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, width)
        ws.fit_to_pages(1, 0)
        for r, (i, text, _w) in enumerate(c for c in cases if c[2] == width):
            ws.write_string(r, 0, f"M{i}", top)
            ws.write_string(r, 1, text, wrapped)
            ws.set_row(r, 15 * (text_lines(text, width) + 3))
    book.close()
    pdf = recalculate([tmp_path / "lines.xlsx"], tmp_path / "pdf", fmt="pdf")[0]
    layout = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], capture_output=True, text=True,
                            check=True).stdout
    drawn: dict[int, int] = {}
    for page in layout.split("<page ")[1:]:
        lines = [(float(y), x, " ".join(re.findall(r"<word [^>]*>([^<]*)</word>", words)))
                 for x, y, words in re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>(.*?)</line>', page, re.S)]
        markers = sorted((y, int(w[1:])) for y, _x, words in lines for w in words.split()[:1] if re.fullmatch(r"M\d+", w))
        for y, _x, words in lines:
            text_words = [w for w in words.split() if not re.fullmatch(r"M\d+", w)]
            owner = [i for my, i in markers if my <= y + 2.0]
            if text_words and owner:  # a line of the text in the last row starting above it
                drawn[owner[-1]] = drawn.get(owner[-1], 0) + 1
    assert len(drawn) > 0.95 * len(cases)
    short = [(w, drawn[i], text_lines(t, w), t) for i, t, w in cases if i in drawn and text_lines(t, w) < drawn[i]]
    loose = [(w, drawn[i], text_lines(t, w), t) for i, t, w in cases
             if i in drawn and w >= 20 and text_lines(t, w) > drawn[i] + max(1, drawn[i] // 4)]
    exact = sum(text_lines(t, w) == drawn[i] for i, t, w in cases if i in drawn)
    assert short == [], short[:5]
    assert loose == [], loose[:5]
    assert exact > 0.7 * len(drawn), (exact, len(drawn))


@pytest.fixture(scope="module")
def with_messy(workbooks, tmp_path_factory) -> dict[str, Path]:
    """The printed workbooks, and a messy synthetic workbook recomputed and merged (its
    texts include a grade scale's name as a Satuan, "Predikat SAKIP")."""
    d = tmp_path_factory.mktemp("berantakan")
    source = write_filled(d / "berantakan.xlsx", synthetic_filling(3, 40, 200, messy=True))
    return {**workbooks, "messy": recompute(source, d / "hasil.xlsx", make_backup=False).output,
            "messy rekap": write_rekap(d / "rekap.xlsx", merge([source], jobs=1))}


@pytest.mark.parametrize("name", ["template", "kalianget", "bluto", "rekap", "messy", "messy rekap"])
def test_no_text_is_cut_off_by_its_neighbour(with_messy, name):
    """A text wider than its column either wraps or runs into an empty cell: a neighbour
    holding anything (a value or a formula) cuts it off, on screen and on paper (the rekap's
    Efisiensi once showed "tidak dapat di")."""
    shown = openpyxl.load_workbook(with_messy[name], data_only=True)
    written = openpyxl.load_workbook(with_messy[name])
    cut = []
    for ws in shown.worksheets:
        widths = {c: d.width for d in ws.column_dimensions.values() if d.width
                  for c in range(d.min or 1, (d.max or d.min or 1) + 1)}
        merged = {(r, c) for rng in ws.merged_cells.ranges for r in range(rng.min_row, rng.max_row + 1)
                  for c in range(rng.min_col, rng.max_col + 1)}
        neighbours = written[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                v = cell.value
                if not isinstance(v, str) or cell.alignment.wrap_text or (cell.row, cell.column) in merged:
                    continue
                if len(v) > 1.2 * widths.get(cell.column, 8.43) and \
                        neighbours.cell(cell.row, cell.column + 1).value not in (None, ""):
                    cut.append((ws.title, cell.column_letter, v))
    assert cut == [], sorted(set(cut))
