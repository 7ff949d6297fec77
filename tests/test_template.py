"""`sakip-xl template`: the standard workbook and its contract (issue 2)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from libreoffice import recalculate
from paths import STANDARD
from sakip_xl.model.contract import load_contract, normalize_label
from sakip_xl.errors import UsageError
from sakip_xl.model.layout import standard_layout
from sakip_xl.commands.template import write_template

C = load_contract()
L = standard_layout(C)
HEADER = C.header_row  # 1-based
FIRST = C.first_data_row  # 1-based


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "lkjip.xlsx"
    write_template(path, pemda="Kabupaten Sumenep", perangkat_daerah="Kecamatan Kalianget",
                   tahun=2023, renstra="2021-2026")
    return path


@pytest.fixture(scope="module")
def wb(template):
    return openpyxl.load_workbook(template)


def test_sheets_in_order(wb):
    assert wb.sheetnames == ["Petunjuk", "Identitas", "Skala", "IKU", "PK", "Realisasi", "Anggaran"]


def test_every_contract_header_is_in_its_row(wb):
    for table in C.tables:
        tl = L.tables[table.key]
        ws = wb[tl.sheet]
        for col in table.columns:
            cell = ws.cell(HEADER, tl.columns[col.key] + 1)
            assert normalize_label(cell.value) == normalize_label(col.label), (table.key, col.key)


def test_past_year_headers_carry_the_year(wb):
    ws = wb["Realisasi"]
    headers = [c.value for c in ws[HEADER]]
    assert "Target N-1 (2022)" in headers
    assert "Realisasi N-2 (2021)" in headers


def test_renstra_period_adds_one_target_column_per_year(wb):
    headers = [c.value for c in wb["IKU"][HEADER]]
    assert [h for h in headers if h and h.startswith("Target Renstra ")] == [
        f"Target Renstra {y}" for y in range(2022, 2027)
    ]


def test_identitas_labels_values_and_version(wb):
    ws = wb["Identitas"]
    found = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, 30) if ws.cell(r, 1).value}
    for f in C.fields:
        assert f.label in found
    assert found["Pemerintah Daerah"] == "Kabupaten Sumenep"
    assert found["Tahun Kinerja"] == 2023
    assert found["Periode Renstra"] == "2021-2026"
    assert found["Skala Kategori"] == "Permendagri 86/2017"
    assert found["Batas Capaian"] == "Tanpa Batas"
    assert found["Metode Efisiensi"] == "Selisih"
    assert found["Versi Templat"] == C.template_version


def test_skala_is_prefilled_with_the_regulation_scales(wb):
    ws = wb["Skala"]
    rows = [[ws.cell(r, c).value for c in (1, 2, 3)] for r in range(FIRST, FIRST + 5)]
    assert rows == [
        ["Permendagri 86/2017", 91, "Sangat Tinggi"],
        ["Permendagri 86/2017", 76, "Tinggi"],
        ["Permendagri 86/2017", 66, "Sedang"],
        ["Permendagri 86/2017", 51, "Rendah"],
        ["Permendagri 86/2017", 0, "Sangat Rendah"],
    ]
    grades = [(ws.cell(r, 6).value, ws.cell(r, 7).value, ws.cell(r, 8).value) for r in range(FIRST, FIRST + 15)]
    assert ("Predikat SAKIP", "BB", 5) in grades
    assert ("Mutu Pelayanan", "A", 4) in grades
    assert ("Opini BPK", "WTP", 4) in grades


def _validations(ws):
    """{column letter: validation} for validations covering the first data row."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            if rng.min_row <= FIRST <= rng.max_row:
                for col in range(rng.min_col, rng.max_col + 1):
                    out[get_column_letter(col)] = dv
    return out


def test_every_input_column_has_an_input_message_and_every_choice_a_dropdown(wb):
    for table in C.tables:
        tl = L.tables[table.key]
        dvs = _validations(wb[tl.sheet])
        for col in table.inputs:
            dv = dvs[get_column_letter(tl.columns[col.key] + 1)]
            assert dv.prompt == col.help and dv.promptTitle, (table.key, col.key)
            if col.choices:
                assert dv.type == "list"
                assert dv.formula1.strip('"').split(",") == list(col.choices)
            if col.references:
                assert dv.type == "list" and dv.formula1.startswith("IKU!$A$"), (table.key, col.key)
        for col in table.derived:
            assert get_column_letter(tl.columns[col.key] + 1) not in dvs


def test_identitas_settings_have_dropdowns(wb):
    ws = wb["Identitas"]
    dvs = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            dvs[rng.min_row] = dv
    rows = {ws.cell(r, 1).value: r for r in range(1, 30) if ws.cell(r, 1).value}
    assert dvs[rows["Batas Capaian"]].formula1 == '"Tanpa Batas,100,120"'
    assert dvs[rows["Metode Efisiensi"]].formula1 == '"Selisih,Indeks,Sisa Anggaran"'
    assert dvs[rows["Skala Kategori"]].formula1 == '"Permendagri 86/2017"'
    assert dvs[rows["Tahun Kinerja"]].type == "whole"


def test_sheets_protected_without_password_rows_can_be_inserted_and_deleted(wb):
    for name in ("Identitas", "Skala", "IKU", "PK", "Realisasi", "Anggaran"):
        p = wb[name].protection
        assert p.sheet is True, name
        assert not p.password, name
        # In OOXML a False flag means the action is NOT protected, i.e. allowed.
        assert p.insertRows is False and p.deleteRows is False, name
        assert p.formatCells is True, name  # unlocking a formula cell stays impossible


def _column_style(ws, col: int):
    """The column's own format: what Excel gives the empty cells of the column."""
    letter = get_column_letter(col)
    for dim in ws.column_dimensions.values():
        if dim.min <= col <= dim.max:
            return dim
    raise AssertionError(f"no format for column {letter}")


def test_inputs_unlocked_derived_locked_and_formulas_on_every_prepared_row(wb):
    for table in (C.table("iku"), C.table("pk"), C.table("realisasi"), C.table("anggaran")):
        tl = L.tables[table.key]
        ws = wb[tl.sheet]
        for col in table.columns:
            c = tl.columns[col.key] + 1
            style = _column_style(ws, c)
            # below the prepared rows every column is unlocked: a copied formula row can be
            # pasted there on the protected sheet (Petunjuk, section 4)
            assert style.protection.locked is False, (table.key, col.key)
            assert style.fill.fgColor.rgb == ("FFE7E6E6" if col.derived else "FFFFF2CC"), (table.key, col.key)
            for row in (tl.first_row + 1, tl.last_row + 1):
                cell = ws.cell(row, c)
                if col.derived:
                    assert cell.protection.locked, (table.key, col.key, row)
                    assert isinstance(cell.value, str) and cell.value.startswith("="), (table.key, col.key)
                else:
                    assert cell.value is None, (table.key, col.key, row)
            if col.derived:  # beyond the prepared rows recompute writes the formulas
                assert ws.cell(tl.last_row + 2, c).value is None
        # 50 indicator and 400 budget rows: kalianget uses 7 and 133, bluto 12 and 34
        assert tl.last_row - tl.first_row + 1 == (50 if table.key != "anggaran" else 400)


def test_helper_columns_hidden_and_layout_set_up(wb):
    ws = wb["Realisasi"]
    tl = L.tables["realisasi"]
    for col in C.table("realisasi").columns:
        assert bool(_column_style(ws, tl.columns[col.key] + 1).hidden) == col.hidden, col.key
    for name in ("IKU", "PK", "Realisasi", "Anggaran"):
        ws = wb[name]
        assert ws.freeze_panes and ws.freeze_panes.endswith(str(FIRST)), name
        assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
        # Fit to as few pages wide as keep the 11-point text at 7 points or more on paper (an
        # omitted fitToWidth is 1 in OOXML), any number of pages tall.
        assert ws.sheet_properties.pageSetUpPr.fitToPage
        wide = ws.page_setup.fitToWidth or 1
        assert ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows == f"${HEADER}:${HEADER}"
        # The printed columns: an Excel column w characters wide is 7w + 5 pixels, 0.75 point each;
        # A4 landscape with 0.4-inch margins leaves (11.69 - 0.8) x 72 = 784 points across a page.
        area = ws.print_area.split("!")[1].replace("$", "")
        last = openpyxl.utils.column_index_from_string(area.split(":")[1].rstrip("0123456789"))
        points = [(ws.column_dimensions[openpyxl.utils.get_column_letter(c)].width * 7 + 5) * 0.75
                  for c in range(1, last + 1)
                  if not ws.column_dimensions[openpyxl.utils.get_column_letter(c)].hidden]
        repeated = sum(points[:2]) if ws.print_title_cols else 0
        def size(pages):  # the font on paper when the columns are fitted to `pages` pages
            return 11 * min(1, (784 * pages - repeated * (pages - 1)) / sum(points))
        assert size(wide) >= 7 and (wide == 1 or size(wide - 1) < 7), (name, wide, size(wide))
    assert wb["Realisasi"].page_setup.fitToWidth == 2  # 27 columns do not fit one page readably
    assert wb["Realisasi"].print_title_cols == "$A:$B"  # Kode and Indikator Kinerja on every page
    assert _column_style(wb["Anggaran"], L.tables["anggaran"].columns["pagu"] + 1).number_format == "#,##0"
    assert wb["Realisasi"]["L4"].number_format == "0.00"
    assert _column_style(wb["IKU"], 1).number_format == "@"  # codes stay text: 1.10 is not 1.1


def test_petunjuk_explains_order_colours_formulas_and_checks(wb):
    text = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)
    for phrase in ("Urutan pengisian", "Arti warna", "sakip-xl check", "PermenPANRB 8/2021",
                   "Permendagri 86/2017", "(2 x Target - Realisasi) / Target x 100"):
        assert phrase in text


def test_petunjuk_numbers_come_from_the_layout(wb):
    text = " ".join(str(c.value) for row in wb["Petunjuk"].iter_rows() for c in row if c.value)
    rows = C.capacities
    assert f"Realisasi {rows['indicator_rows']} baris; Anggaran {rows['budget_rows']:,} baris".replace(",", ".") in text
    assert "{" not in text  # no placeholder left unfilled


def test_refuses_to_overwrite_an_existing_file(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"staff work")
    with pytest.raises(UsageError, match="sudah ada"):
        write_template(path)
    assert path.read_bytes() == b"staff work"


def test_rejects_bad_options(tmp_path):
    with pytest.raises(UsageError, match="Periode Renstra"):
        write_template(tmp_path / "a.xlsx", renstra="2021")
    with pytest.raises(UsageError, match=".xlsx"):
        write_template(tmp_path / "a.xls")


def test_committed_standard_workbook_is_up_to_date(tmp_path):
    """sakip_xl/workbook_templates/lkjip-standar.xlsx is what the generator writes now.

    Regenerate with `python scripts/build.py`.
    """
    fresh = tmp_path / "lkjip-standar.xlsx"
    write_template(fresh)
    committed = STANDARD
    with zipfile.ZipFile(committed) as a, zipfile.ZipFile(fresh) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        for name in a.namelist():
            assert a.read(name) == b.read(name), f"{name} differs: run python scripts/build.py"


# ---------------------------------------------------------------- live formulas in LibreOffice

# Rows typed into the template as staff would, with the values worked out by hand.
# IKM of Kalianget 2023 (seed 002, tables 3.3-3.5): target 82, realisasi 81.
CASES = [
    # kode, satuan, polaritas, agregasi, renstra, standar, target, realisasi, quarters, t_n1, r_n1
    ("1", "Nilai", None, None, 85, 87, 82, 81, None, 81, 80),
    ("N", "%", "Negatif", None, None, None, 8, 9, None, None, None),
    ("R", "%", None, None, None, None, "80 - 90", 70, None, None, None),
    ("G", "Predikat SAKIP", None, None, "A", None, "BB", "A", None, None, None),
    ("J", "Dokumen", None, "Jumlah", None, None, 12, None, (2, 3, 4, None), None, None),
    ("A", "%", None, "Rata-rata", None, None, 80, None, (70, 80, 90, None), None, None),
    ("T", "%", None, None, None, None, 100, None, (40, 60, None, None), None, None),
    ("K", "%", None, None, None, None, 100, None, None, None, None),  # no realisasi yet
]


@pytest.fixture(scope="module")
def recalculated(libreoffice, template, tmp_path_factory):
    wb = openpyxl.load_workbook(template)
    ws_iku, ws_pk, ws_r, ws_a = wb["IKU"], wb["PK"], wb["Realisasi"], wb["Anggaran"]
    it, pt, rt, at = (L.tables[k] for k in ("iku", "pk", "realisasi", "anggaran"))
    for i, (kode, satuan, pol, agg, renstra, standar, target, real, qs, tn1, rn1) in enumerate(CASES):
        r = FIRST + i
        for ws, tl, values in (
            (ws_iku, it, {"kode": kode, "jenis": "Sasaran", "pernyataan": "S", "indikator": f"Indikator {kode}",
                          "satuan": satuan, "polaritas": pol, "agregasi": agg, "target_renstra": renstra,
                          "standar_nasional": standar}),
            (ws_pk, pt, {"kode": kode, "target": target}),
            (ws_r, rt, {"kode": kode, "realisasi": real, "target_n1": tn1, "realisasi_n1": rn1}),
        ):
            for key, v in values.items():
                if v is not None:
                    ws.cell(r, tl.columns[key] + 1, v)
        for q, v in zip(("tw1", "tw2", "tw3", "tw4"), qs or ()):
            if v is not None:
                ws_r.cell(r, rt.columns[q] + 1, v)
    # Seed 002, Tabel 3.8: Program Penyelenggaraan Urusan Pemerintahan Umum.
    for key, v in {"kode": "7.01.05", "jenis": "Program", "uraian": "Program PUPU", "kode_indikator": "1",
                   "pagu": 152960600, "realisasi_anggaran": 121467000, "target": 4, "realisasi_kinerja": 3}.items():
        ws_a.cell(FIRST, at.columns[key] + 1, v)
    filled = tmp_path_factory.mktemp("filled") / "filled.xlsx"
    wb.save(filled)
    [out] = recalculate([filled], tmp_path_factory.mktemp("lo"))
    return openpyxl.load_workbook(out, data_only=True)


def _get(wb, table: str, row: int, key: str):
    tl = L.tables[table]
    return wb[tl.sheet].cell(FIRST + row, tl.columns[key] + 1).value


def test_capaian_and_comparisons_of_the_kalianget_ikm(recalculated):
    g = lambda k: _get(recalculated, "realisasi", 0, k)  # noqa: E731
    assert g("target_berlaku") == 82
    assert g("capaian") == 98.78  # 81 / 82 x 100 = 98.7805 -> 98.78
    assert g("kategori") == "Sangat Tinggi"  # 98.78 >= 91
    assert g("capaian_n1") == 98.77  # 80 / 81 x 100 = 98.7654 -> 98.77
    assert g("kemajuan_renstra") == 95.29  # 81 / 85 x 100 = 95.2941 -> 95.29
    assert g("capaian_standar") == 93.10  # 81 / 87 x 100 = 93.1034 -> 93.10
    assert g("pagu_terkait") == 152960600 and g("realisasi_anggaran_terkait") == 121467000
    assert g("penyerapan_terkait") == 79.41
    assert g("efisiensi") == 19.37  # Selisih: 98.78 - 79.41


def test_negatif_range_and_grade_targets(recalculated):
    assert _get(recalculated, "realisasi", 1, "capaian") == 87.5  # (2 x 8 - 9) / 8 x 100
    assert _get(recalculated, "realisasi", 1, "kategori") == "Tinggi"  # 76 <= 87.5 < 91
    assert _get(recalculated, "realisasi", 2, "capaian") == 87.5  # below 80-90: 70 / 80 x 100
    assert _get(recalculated, "realisasi", 3, "capaian") == 120  # rank A 6 / rank BB 5 x 100
    assert _get(recalculated, "realisasi", 3, "kemajuan_renstra") == 100  # A of end target A


def test_quarters_aggregate_by_the_indicator_setting(recalculated):
    assert _get(recalculated, "realisasi", 4, "realisasi_berlaku") == 9  # Jumlah 2 + 3 + 4
    assert _get(recalculated, "realisasi", 4, "capaian") == 75  # 9 / 12 x 100
    assert _get(recalculated, "realisasi", 5, "realisasi_berlaku") == 80  # Rata-rata (70+80+90)/3
    assert _get(recalculated, "realisasi", 6, "realisasi_berlaku") == 60  # Terakhir: TW II


def test_budget_row(recalculated):
    assert _get(recalculated, "anggaran", 0, "penyerapan") == 79.41  # 121.467.000 / 152.960.600 x 100 = 79.411
    assert _get(recalculated, "anggaran", 0, "sisa") == 31493600  # 152.960.600 - 121.467.000
    assert _get(recalculated, "anggaran", 0, "capaian") == 75  # 3 / 4 x 100


def test_blank_inputs_give_blank_cells_never_errors(recalculated):
    assert _get(recalculated, "realisasi", 7, "capaian") in (None, "")
    assert _get(recalculated, "realisasi", 7, "kategori") in (None, "")
    for table, sheet in (("pk", "PK"), ("realisasi", "Realisasi"), ("anggaran", "Anggaran")):
        tl = L.tables[table]
        ws = recalculated[sheet]
        for row in ws.iter_rows(min_row=FIRST, max_row=tl.last_row + 1):
            for cell in row:
                assert not (isinstance(cell.value, str) and cell.value.startswith("#")), cell.coordinate
        empty = FIRST + 20
        for col in tl.table.derived:
            assert ws.cell(empty, tl.columns[col.key] + 1).value in (None, ""), (table, col.key)
