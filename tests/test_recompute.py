"""`sakip-xl recompute` as a user runs it: files in and out, what the output holds, the CLI.

The inputs are the two examples transcribed from the seed reports (Bluto 2020,
the smaller, for the file handling; Kalianget 2023 where values are checked)
and workbooks written here with sheets of the staff's own. Cells are located
by hand: header row 3, data from row 4, columns in docs/contract.md order.
"""

from __future__ import annotations

import gc
import json
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils.protection import hash_password

from conftest import keep
from libreoffice import recalculate
from paths import BLUTO, EXAMPLE_SOURCES, KALIANGET
from sakip_xl.cli import main
from sakip_xl.errors import ContractError, UnreadableFile, UsageError, WriteError
from sakip_xl.model.fill import filled_book, read_csv_folder
from sakip_xl.synthetic import synthetic_filling
from sakip_xl.model.workbook import check_workbook
from sakip_xl.commands.recompute import recompute
from sakip_xl.xlsx.writer import (
    Writer,
    write_identity_sheet,
    write_petunjuk,
    write_standard,
    write_table_sheet,
)

INPUT_SHEETS = ["Identitas", "Skala", "IKU", "PK", "Realisasi", "Anggaran"]
CHAPTER3 = ["Capaian", "Perbandingan", "Efisiensi", "Rekap Anggaran"]
BACKUP = re.compile(r"^lkjip\.cadangan-\d{8}-\d{6}(-\d+)?\.xlsx$")


def copy(src: Path, folder: Path, name: str = "lkjip.xlsx") -> Path:
    target = folder / name
    shutil.copy(src, target)
    return target


def listing(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def cells(path: Path) -> dict[str, dict[tuple[int, int], tuple[object, object]]]:
    """{sheet: {(row, col): (value or formula text, cached value)}} of every non-empty cell."""
    out: dict[str, dict] = {}
    raw = openpyxl.load_workbook(path, read_only=True)
    cached = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for ws in raw.worksheets:
        values = {}
        rows_c = cached[ws.title].iter_rows(min_row=1, min_col=1, values_only=True)
        for r, (row, row_c) in enumerate(zip(ws.iter_rows(min_row=1, min_col=1, values_only=True), rows_c)):
            for c, (v, vc) in enumerate(zip(row, row_c)):
                if v is not None:
                    values[(r, c)] = (v, vc)
        out[ws.title] = values
    raw.close()
    cached.close()
    return out


# ---------------------------------------------------------------- where it writes


def test_in_place_keeps_a_backup_holding_the_original_bytes(tmp_path):
    path = copy(BLUTO, tmp_path)
    original = path.read_bytes()
    result = recompute(path)
    assert result.output == path
    assert result.backup is not None and BACKUP.match(result.backup.name), result.backup
    assert result.backup.parent == tmp_path
    assert result.backup.read_bytes() == original
    assert path.read_bytes() != original
    assert "Pemeriksaan" in openpyxl.load_workbook(path, read_only=True).sheetnames
    assert listing(tmp_path) == {"lkjip.xlsx", result.backup.name}  # no temporary file left


def test_a_second_backup_in_the_same_second_does_not_overwrite_the_first(tmp_path):
    path = copy(BLUTO, tmp_path)
    first = recompute(path).backup
    between = path.read_bytes()
    second = recompute(path).backup
    assert first != second and first.exists() and second.exists()
    assert second.read_bytes() == between  # the second backup holds the first run's output
    assert {p.name for p in tmp_path.glob("*.cadangan-*")} == {first.name, second.name}


def test_output_option_leaves_the_input_untouched(tmp_path):
    path = copy(BLUTO, tmp_path)
    original, mtime = path.read_bytes(), path.stat().st_mtime_ns
    result = recompute(path, tmp_path / "hasil.xlsx")
    assert result.output == tmp_path / "hasil.xlsx" and result.backup is None
    assert path.read_bytes() == original and path.stat().st_mtime_ns == mtime
    assert listing(tmp_path) == {"lkjip.xlsx", "hasil.xlsx"}


def test_output_option_onto_an_existing_file_backs_that_file_up(tmp_path):
    path = copy(BLUTO, tmp_path)
    (tmp_path / "hasil.xlsx").write_bytes(b"last week's output")
    result = recompute(path, tmp_path / "hasil.xlsx")
    assert result.backup is not None and result.backup.name.startswith("hasil.cadangan-")
    assert result.backup.read_bytes() == b"last week's output"


def test_no_backup(tmp_path):
    path = copy(BLUTO, tmp_path)
    result = recompute(path, make_backup=False)
    assert result.backup is None
    assert listing(tmp_path) == {"lkjip.xlsx"}


def test_output_must_be_xlsx_or_xlsm(tmp_path):
    path = copy(BLUTO, tmp_path)
    with pytest.raises(UsageError, match=".xlsx"):
        recompute(path, tmp_path / "hasil.ods")
    assert listing(tmp_path) == {"lkjip.xlsx"}


@pytest.fixture(scope="module")
def converted(libreoffice, tmp_path_factory):
    """The Bluto example saved by LibreOffice as .ods and as .xls."""
    folder = tmp_path_factory.mktemp("converted")
    src = copy(BLUTO, folder)
    [ods] = recalculate([src], folder / "ods", fmt="ods")
    [xls] = recalculate([src], folder / "xls", fmt="xls")
    return {"ods": ods, "xls": xls}


def _errors(report) -> set[tuple[str, str, str]]:
    return {(i.sheet, i.cell, i.code) for i in report.issues if i.severity == "galat"}


@pytest.mark.parametrize("fmt", ["ods", "xls"])
def test_ods_and_xls_become_a_new_xlsx_beside_them(fmt, converted, tmp_path):
    src = copy(converted[fmt], tmp_path, f"lkjip.{fmt}")
    original = src.read_bytes()
    result = recompute(src)
    assert result.output == tmp_path / "lkjip.xlsx" and result.backup is None
    assert src.read_bytes() == original
    assert listing(tmp_path) == {f"lkjip.{fmt}", "lkjip.xlsx"}
    wb = openpyxl.load_workbook(result.output, data_only=True)
    assert wb.sheetnames == ["Petunjuk", *INPUT_SHEETS, *CHAPTER3, "Pemeriksaan"]
    assert wb["Realisasi"]["A7"].value == "3.1"
    assert wb["Realisasi"]["L7"].value == 62.5  # musrenbangcam 50 / 80 x 100
    assert wb["Anggaran"]["A14"].value == "1.10"  # a code stays text: 1.10 is not 1.1
    # the errors found in the .xlsx the file was converted from
    errors, original_errors = _errors(result.checked.report), _errors(check_workbook(BLUTO).report)
    if fmt == "ods":
        assert errors == original_errors
    else:
        # An .xls does not say which cells hold formulas: the values LibreOffice computed from the
        # example's typed-over capaian (84 in L14, 65 in L15) into Kategori M14 and M15 are taken for
        # typed values and reported as well. The hidden helper columns, whose results echo the
        # same typed cells, are not compared. Nothing of the .xlsx is missed.
        assert errors - original_errors == {("Realisasi", "M14", "rumus-tertimpa"),
                                            ("Realisasi", "M15", "rumus-tertimpa")}
        assert original_errors <= errors


# ---------------------------------------------------------------- nothing written on failure


@pytest.mark.parametrize("content", [b"", b"this is not a workbook", b"PK\x03\x04broken zip"])
def test_unreadable_input_writes_nothing(tmp_path, content):
    path = tmp_path / "lkjip.xlsx"
    path.write_bytes(content)
    with pytest.raises(UnreadableFile):
        recompute(path)
    with pytest.raises(UnreadableFile):
        recompute(path, tmp_path / "hasil.xlsx")
    assert listing(tmp_path) == {"lkjip.xlsx"}  # no output, no backup, no temporary file
    assert path.read_bytes() == content


def test_missing_input_file(tmp_path):
    with pytest.raises(UnreadableFile, match="tidak ditemukan"):
        recompute(tmp_path / "tidak-ada.xlsx")
    assert listing(tmp_path) == set()


def test_missing_required_sheet_writes_nothing(tmp_path):
    wb = openpyxl.load_workbook(BLUTO)
    del wb["PK"]
    path = tmp_path / "lkjip.xlsx"
    wb.save(path)
    original = path.read_bytes()
    with pytest.raises(ContractError) as e:
        recompute(path)
    assert [(i.code, i.sheet) for i in e.value.issues] == [("lembar-tidak-ada", "PK")]
    assert listing(tmp_path) == {"lkjip.xlsx"} and path.read_bytes() == original


def test_a_failure_while_writing_keeps_the_original_and_leaves_no_files(tmp_path, monkeypatch):
    import sakip_xl.commands.recompute as workbook

    path = copy(BLUTO, tmp_path)
    original = path.read_bytes()

    def broken(tmp, *args, **kwargs):
        Path(tmp).write_bytes(b"half a workbook")
        raise OSError("disk full")

    monkeypatch.setattr(workbook, "write_recomputed", broken)
    with pytest.raises(WriteError, match="tidak dapat ditulis \\(disk full\\)"):
        recompute(path)
    assert path.read_bytes() == original
    assert listing(tmp_path) == {"lkjip.xlsx"}  # neither the temporary file nor the backup remains


# ---------------------------------------------------------------- what the output holds


@pytest.fixture(scope="module")
def with_extra_sheets(tmp_path_factory):
    """A filled workbook where staff added a sheet between PK and Realisasi (text, a number and a
    formula with its cached value) and a hidden one at the end."""
    folder = tmp_path_factory.mktemp("extra")
    layout, book = filled_book(synthetic_filling(3, 8, 30, messy=True))
    path = folder / "lkjip.xlsx"
    w = Writer(path)
    write_petunjuk(w, layout.contract)
    write_identity_sheet(w, layout, book)
    for key in ("skala", "iku", "pk"):
        write_table_sheet(w, layout, book, key)
    notes = w.add_sheet("Catatan Staf")
    notes.write_string("A1", "Catatan rapat evaluasi")
    notes.write_number("B2", 42)
    notes.write_formula("B3", "=B2*2", None, 84)
    for key in ("realisasi", "anggaran"):
        write_table_sheet(w, layout, book, key)
    hidden = w.add_sheet("Lampiran")
    hidden.write_string("A1", "rahasia")
    hidden.hide()
    w.close()
    return path


def test_sheet_order_extra_sheets_as_values(with_extra_sheets, tmp_path, produced):
    result = recompute(with_extra_sheets, tmp_path / "hasil.xlsx")
    keep(produced, result.output)
    wb = openpyxl.load_workbook(result.output)
    assert wb.sheetnames == ["Petunjuk", "Identitas", "Skala", "IKU", "PK", "Catatan Staf", "Realisasi",
                             "Anggaran", "Lampiran", *CHAPTER3, "Pemeriksaan"]
    notes = wb["Catatan Staf"]
    assert notes["A1"].value == "Catatan rapat evaluasi" and notes["B2"].value == 42
    assert notes["B3"].value == 84  # the formula's value, not the formula
    extra = {(i.code, i.sheet) for i in result.checked.report.issues if i.code == "lembar-tambahan"}
    assert extra == {("lembar-tambahan", "Catatan Staf"), ("lembar-tambahan", "Lampiran")}
    listed = {(r[2], r[3]) for r in wb["Pemeriksaan"].iter_rows(min_row=5, values_only=True)}
    assert {("lembar-tambahan", "Catatan Staf"), ("lembar-tambahan", "Lampiran")} <= listed


def test_a_hidden_extra_sheet_stays_hidden(with_extra_sheets, tmp_path):
    result = recompute(with_extra_sheets, tmp_path / "hasil.xlsx")
    assert openpyxl.load_workbook(result.output)["Lampiran"].sheet_state == "hidden"


@pytest.fixture(scope="module")
def kalianget(tmp_path_factory):
    """Kalianget 2023 recomputed: (result, formulas workbook, values workbook, path)."""
    folder = tmp_path_factory.mktemp("kalianget")
    result = recompute(copy(KALIANGET, folder), folder / "hasil.xlsx")
    path = result.output
    return result, openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True), path


def test_every_formula_has_a_cached_value(kalianget):
    *_, path = kalianget
    with zipfile.ZipFile(path) as z:
        sheets = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        formulas = 0
        for name in sheets:
            xml = z.read(name).decode("utf-8")
            for c in re.findall(r"<c [^>]*>(?:(?!</c>).)*?<f[ >/](?:(?!</c>).)*</c>", xml):
                formulas += 1
                assert "<v>" in c or "<v/>" in c, f"{name}: formula without a cached value: {c[:120]}"
    assert formulas > 3500  # 50 indicator rows (PK 3, Realisasi 27 formula columns) and 400 budget rows (6),
    # a shared formula's cells (`<f t="shared" si="0"/>`) included


def test_derived_cells_hold_formulas_and_numbers(kalianget):
    result, formulas, values, _ = kalianget
    layout = result.checked.data.layout
    for key in ("pk", "realisasi", "anggaran"):
        tl = layout.tables[key]
        ws = formulas[tl.sheet]
        for row in tl.data_rows:
            for col in tl.table.derived:
                cell = ws.cell(row + 1, tl.columns[col.key] + 1)
                assert isinstance(cell.value, str) and cell.value.startswith("="), (tl.sheet, cell.coordinate)
    r = values["Realisasi"]
    # Capaian (%) of the seven indicators (rows 4..10), worked out by hand:
    assert r["L4"].value == 98.78  # 1: 81 / 82
    assert r["L5"].value == 93.1  # 1.1: 81 / 87 (the PK Perubahan target)
    assert r["L6"].value == 100  # 1.2: 100 / 100
    assert r["L7"].value is None  # 2: BB against BB under Satuan Nilai, not a grade scale: no capaian
    assert r["L8"].value == 100  # 2.1: 100 / 100
    assert r["L9"].value == 16834423.41  # 3.2-1: 14.671.200 / 87.15 x 100 (a rupiah amount, reported)
    assert r["L10"].value == 12600000  # 3.2-2: 12.600.000 / 100 x 100
    a = values["Anggaran"]
    assert a["M8"].value == 97.83  # 36,000 / 36,800 x 100 = 97.826 (printed 99,97 %)
    assert a["N8"].value == 800  # 36.800 - 36.000
    assert formulas["Capaian"]["J5"].value.startswith("=") and values["Capaian"]["J5"].value == 98.78


@pytest.mark.parametrize(
    "sheet, a1, expected",
    [
        ("Anggaran", "K6", 2399800),  # "2.399.800": Indonesian thousands, without doubt
        ("Anggaran", "K8", 36800),  # "36,800" in a rupiah column: English thousands (flagged, still read)
        ("Anggaran", "K5", "4.186,950"),  # both marks, three decimals: 4.186,95 or 4.186.950? kept as typed
        ("Anggaran", "G4", 100),  # "100 %" for a program whose Satuan Kinerja is %
        ("Anggaran", "G50", "4.800 Paket"),  # 4800 or 4.8? kept
        ("Anggaran", "G125", "1 kgiatan"),  # a unit that is not the row's Satuan Kinerja: kept
        ("Anggaran", "C137", "JUMLAH"),
        ("IKU", "A5", "1.1"),  # codes are text
        ("IKU", "O5", "87.1 5"),  # a stray space: no number, kept
        ("IKU", "L4", 85),  # "85 Nilai" for a Nilai indicator
        ("PK", "D5", 86.15),  # "86,15": decimal comma
        ("PK", "D6", "17 Desa"),  # unit Desa for a % indicator: kept
        ("PK", "D7", "BB"),  # a grade stays a grade
        ("Realisasi", "I4", 81),  # "81 Nilai"
        ("Realisasi", "I7", "BB Nilai"),  # a grade with the unit word: kept
        ("Realisasi", "I9", 14671200),  # "14.671.200": read (and reported as implausible)
        # Identitas: labels in A, values in B from row 4 in contract order
        ("Identitas", "B5", "Kecamatan Kalianget"),
        ("Identitas", "B7", 2023),  # Tahun Kinerja
        ("Identitas", "B8", "2021-2026"),  # Periode Renstra stays text
        ("Identitas", "B10", "19840118 200412 1 001"),  # a NIP is text, never a number
    ],
)
def test_inputs_as_typed_except_text_numbers_read_without_doubt(kalianget, sheet, a1, expected):
    _, formulas, _, _ = kalianget
    v = formulas[sheet][a1].value
    assert v == expected and type(v) is type(expected), (sheet, a1, v)


def test_analysis_text_is_kept_verbatim(kalianget):
    _, formulas, _, _ = kalianget
    assert formulas["Realisasi"]["Z5"].value.startswith(
        "Program Penyelenggaraan Pemerintahan dan Pelayanan Publik: Profesionalisme pelaksana layanan publik")


def test_pemeriksaan_lists_every_issue_with_a_link_to_its_cell(kalianget):
    result, formulas, _, _ = kalianget
    issues = result.checked.report.issues
    ws = formulas["Pemeriksaan"]
    rows = list(ws.iter_rows(min_row=5, max_row=4 + len(issues) + 1))
    listed = [r for r in rows if r[0].value is not None]
    # One line per cause: the same code and message on one sheet in many cells is one line,
    # its first cell linked and the others listed (630 issues of Kalianget on fewer lines).
    assert len(listed) < len(issues)
    assert [r[0].value for r in listed] == list(range(1, len(listed) + 1))
    covered = []
    for r in listed:
        covered.append((r[2].value, r[3].value, r[4].value))
        covered += [(r[2].value, r[3].value, a1) for a1 in (r[5].value or "").split(", ") if a1]
    assert sorted(covered, key=str) == sorted(((i.code, i.sheet, i.cell) for i in issues), key=str)
    severities = [r[1].value for r in listed]  # the most serious first
    assert severities == sorted(severities, key=["galat", "peringatan", "info"].index)
    c = result.checked.report.counts()
    assert ws["A2"].value.startswith(f"{c['galat']} galat, {c['peringatan']} peringatan, {c['info']} info")
    linked = 0
    for r in listed:
        code, sheet, a1 = r[2].value, r[3].value, r[4].value
        if sheet in formulas.sheetnames and a1:
            link = r[4].hyperlink
            assert link is not None, (code, sheet, a1)
            quoted = f"'{sheet}'" if " " in sheet else sheet
            assert link.location == f"{quoted}!{a1}"
            linked += 1
    assert linked == len(listed)  # every Kalianget issue names a cell of an input sheet
    # e.g. the rupiah amount typed as the IKM realisasi
    assert any(r[2].value == "realisasi-tidak-wajar" and r[4].hyperlink.location == "Realisasi!I9" for r in listed)


def test_charts_capaian_per_indicator_and_penyerapan_per_program(kalianget):
    *_, path = kalianget
    with zipfile.ZipFile(path) as z:
        charts = sorted(n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n))
        assert len(charts) == 2
        refs = [set(re.findall(r"<c:f>([^<]*)</c:f>", z.read(n).decode("utf-8"))) for n in charts]
    # Capaian: 7 indicators on rows 5..11, Kode in B, Capaian Dihitung (%) in K (the averaged
    # capaian, empty for the indicators resting on a galat, so a pasted rupiah flattens no bar)
    assert {"Capaian!$B$5:$B$11", "Capaian!$K$5:$K$11"} <= refs[0]
    # Rekap Anggaran: the 6 programs listed on rows 58..63 below JUMLAH (row 54), Penyerapan in G
    assert {"'Rekap Anggaran'!$C$58:$C$63", "'Rekap Anggaran'!$G$58:$G$63"} <= refs[1]


def test_sheets_protected_without_password_by_default(kalianget):
    _, formulas, _, _ = kalianget
    for name in INPUT_SHEETS + CHAPTER3:
        p = formulas[name].protection
        assert p.sheet is True and not p.password, name
    assert formulas["Pemeriksaan"].protection.sheet is False  # staff filter and annotate it


def test_password_protects_every_sheet(tmp_path):
    result = recompute(copy(BLUTO, tmp_path), tmp_path / "hasil.xlsx", password="rahasia")
    wb = openpyxl.load_workbook(result.output)
    for name in INPUT_SHEETS + CHAPTER3:
        assert wb[name].protection.sheet is True
        assert wb[name].protection.password == hash_password("rahasia"), name


def _vba_workbook(folder: Path) -> tuple[Path, bytes]:
    project = b"\xd0\xcf\x11\xe0" + b"sakip-xl test macro project " * 40
    (folder / "vbaProject.bin").write_bytes(project)
    layout, book = filled_book(read_csv_folder(EXAMPLE_SOURCES / "bluto-2020"))
    path = folder / "lkjip.xlsm"
    w = Writer(path)
    w.wb.add_vba_project(str(folder / "vbaProject.bin"))
    write_standard(w, layout, book)
    w.close()
    return path, project


def test_xlsm_keeps_its_macros(tmp_path):
    path, project = _vba_workbook(tmp_path)
    result = recompute(path)
    assert result.output == path
    assert re.fullmatch(r"lkjip\.cadangan-\d{8}-\d{6}\.xlsm", result.backup.name)
    with zipfile.ZipFile(path) as z:
        assert z.read("xl/vbaProject.bin") == project
        assert "macroEnabled" in z.read("[Content_Types].xml").decode("utf-8")
        assert "xl/charts/chart1.xml" in z.namelist()  # the recomputed workbook, not the input
    with zipfile.ZipFile(result.backup) as z:
        assert z.read("xl/vbaProject.bin") == project


def test_xlsm_to_xlsx_drops_the_macros(tmp_path):
    path, _ = _vba_workbook(tmp_path)
    result = recompute(path, tmp_path / "hasil.xlsx")
    with zipfile.ZipFile(result.output) as z:
        assert "xl/vbaProject.bin" not in z.namelist()


# ---------------------------------------------------------------- idempotent


def _compare(first: Path, second: Path) -> None:
    a, b = cells(first), cells(second)
    assert list(a) == list(b)
    for sheet in a:
        if sheet == "Pemeriksaan":  # the second run no longer finds the typed-over formulas
            continue
        assert a[sheet] == b[sheet], sheet


@pytest.mark.parametrize("example", [BLUTO, KALIANGET], ids=["bluto", "kalianget"])
def test_recompute_of_its_own_output_changes_no_value(example, tmp_path):
    first = recompute(copy(example, tmp_path), tmp_path / "satu.xlsx")
    second = recompute(first.output, tmp_path / "dua.xlsx")
    _compare(first.output, second.output)
    # and finds no problem the first run did not find
    seen = {(i.sheet, i.cell, i.code) for i in first.checked.report.issues}
    new = [(i.sheet, i.cell, i.code) for i in second.checked.report.issues if (i.sheet, i.cell, i.code) not in seen]
    assert not new


def test_recompute_with_extra_sheets_is_idempotent(with_extra_sheets, tmp_path):
    first = recompute(with_extra_sheets, tmp_path / "satu.xlsx")
    second = recompute(first.output, tmp_path / "dua.xlsx")
    _compare(first.output, second.output)


# ---------------------------------------------------------------- the command


@pytest.fixture
def runner():
    thresholds = gc.get_threshold()  # the command tunes the collector; give the test process its own back
    yield CliRunner()
    gc.set_threshold(*thresholds)


def test_cli_exit_0_when_all_is_well(runner, tmp_path):
    from sakip_xl.model.fill import write_filled

    clean = write_filled(tmp_path / "bersih.xlsx", synthetic_filling(11, 6, 20))
    r = runner.invoke(main, ["recompute", str(clean), "-o", str(tmp_path / "hasil.xlsx")])
    assert r.exit_code == 0, r.output
    assert f"Ditulis: {tmp_path / 'hasil.xlsx'}" in r.stdout
    assert "0 galat" in r.stdout


def test_cli_exit_1_when_the_data_has_errors(runner, tmp_path):
    path = copy(KALIANGET, tmp_path)
    r = runner.invoke(main, ["recompute", str(path)])
    assert r.exit_code == 1
    assert "cadangan berkas lama" in r.stdout
    assert len(list(tmp_path.glob("lkjip.cadangan-*.xlsx"))) == 1


def test_cli_missing_sheet_exits_1_and_unreadable_or_wrong_usage_exit_2(runner, tmp_path):
    wb = openpyxl.load_workbook(BLUTO)
    del wb["Realisasi"]
    wb.save(tmp_path / "tanpa.xlsx")
    r = runner.invoke(main, ["recompute", str(tmp_path / "tanpa.xlsx")])
    assert r.exit_code == 1 and "Realisasi" in r.stderr
    (tmp_path / "rusak.xlsx").write_bytes(b"not a workbook")
    r = runner.invoke(main, ["recompute", str(tmp_path / "rusak.xlsx")])
    assert r.exit_code == 2 and r.stderr.startswith("Galat: rusak.xlsx")
    r = runner.invoke(main, ["recompute", str(tmp_path / "tidak-ada.xlsx")])
    assert r.exit_code == 2
    path = copy(BLUTO, tmp_path)
    r = runner.invoke(main, ["recompute", str(path), "-o", str(tmp_path / "hasil.csv")])
    assert r.exit_code == 2
    r = runner.invoke(main, ["recompute", str(path), "--tidak-ada"])
    assert r.exit_code == 2  # click's usage error
    assert listing(tmp_path) == {"tanpa.xlsx", "rusak.xlsx", "lkjip.xlsx"}


def test_cli_json_output_parses(runner, tmp_path):
    path = copy(BLUTO, tmp_path)
    r = runner.invoke(main, ["recompute", str(path), "--json", "--no-backup"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc["output"] == str(path) and doc["backup"] is None
    assert doc["status"] == "ok"
    assert doc["counts"]["galat"] == sum(1 for i in doc["issues"] if i["severity"] == "galat") > 0
    assert {"code", "severity", "sheet", "cell", "value", "expected", "message"} <= set(doc["issues"][0])
    assert any(i["code"] == "jumlah-induk-tidak-sesuai" and i["cell"] == "L4" for i in doc["issues"])
    assert listing(tmp_path) == {"lkjip.xlsx"}  # --no-backup


def test_cli_password(runner, tmp_path):
    path = copy(BLUTO, tmp_path)
    r = runner.invoke(main, ["recompute", str(path), "-o", str(tmp_path / "hasil.xlsx"), "--password", "kunci"])
    assert r.exit_code == 1
    wb = openpyxl.load_workbook(tmp_path / "hasil.xlsx")
    assert wb["Realisasi"].protection.password == hash_password("kunci")


def test_cli_check_json_and_exit_codes(runner, tmp_path):
    r = runner.invoke(main, ["check", str(BLUTO), "--json"])
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert [f["file"] for f in doc["files"]] == [str(BLUTO)]
    (tmp_path / "rusak.xlsx").write_bytes(b"")
    r = runner.invoke(main, ["check", str(tmp_path / "rusak.xlsx")])
    assert r.exit_code == 2
