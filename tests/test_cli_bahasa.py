"""The command line in the users' language: help, click's usage errors, CSV files that
open in Excel with Indonesian regional settings, and shell completion."""

from __future__ import annotations

import ast
import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from sakip_xl import __version__
from sakip_xl.cli import CLICK_TEXTS, main
from sakip_xl.model.fill import write_filled
from sakip_xl.commands.merge import merge
from sakip_xl.sheets.rekap import write_csv
from test_merge import small

#: English words the help texts used to have (command names are not in it).
ENGLISH = {"usage", "options", "commands", "show", "message", "exit", "version", "example", "default", "required",
           "the", "and", "of", "to", "for", "with", "this", "from", "in", "or", "not", "no", "is", "are",
           "file", "files", "write", "print", "text", "integer", "float", "range", "directory", "path"}


def _help(*command: str) -> str:
    result = CliRunner().invoke(main, [*command, "--help"], prog_name="sakip-xl", terminal_width=80)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", [(), *((name,) for name in main.commands)], ids=lambda c: " ".join(c) or "-")
def test_help_is_bahasa_with_an_example_on_one_line(command):
    text = _help(*command)
    assert text.startswith(f"Cara pakai: {' '.join(['sakip-xl', *command])} [PILIHAN] ")
    assert "\nPilihan:\n" in text and "Tampilkan bantuan ini lalu keluar." in text
    # The example is a paragraph of one line: a copy of it is a whole command.
    lines = text.splitlines()
    (i,) = [n for n, line in enumerate(lines) if line.strip().startswith(" ".join(["Contoh: sakip-xl", *command]))]
    assert lines[i + 1] == ""
    prose = re.sub(r"--?[\w-]+", " ", text)  # option names (--no-backup, --version) are not prose
    english = ENGLISH & {w.lower() for w in re.findall(r"[A-Za-z]+", prose)}
    assert not english, english


def test_group_help_lists_the_commands_in_bahasa():
    text = _help()
    assert text.startswith("Cara pakai: sakip-xl [PILIHAN] PERINTAH [ARGUMEN]...\n")
    assert "\nPerintah:\n" in text and "Tampilkan versi lalu keluar." in text


def test_version_in_bahasa():
    result = CliRunner().invoke(main, ["--version"])
    assert (result.exit_code, result.output) == (0, f"sakip-xl, versi {__version__}\n")


HERE = os.path.dirname(__file__)
CHECK, MERGE = ("sakip-xl check", "[PILIHAN] BERKAS..."), ("sakip-xl merge", "[PILIHAN] BERKAS...")
GROUP = ("sakip-xl", "[PILIHAN] PERINTAH [ARGUMEN]...")


@pytest.mark.parametrize("args, usage, error", [
    (["check", "--jbs", "2", "a.xlsx"], CHECK,
     "pilihan '--jbs' tidak ada. (Mungkin maksudnya salah satu dari: '--jobs', '--json'?)"),
    (["check"], CHECK, "argumen wajib belum diisi: 'BERKAS...'."),
    (["check", "--jobs", "0", "a.xlsx"], CHECK, "nilai '--jobs' tidak sah: 0 di luar rentang x>=1."),
    (["check", "--jobs", "x", "a.xlsx"], CHECK, "nilai '--jobs' tidak sah: 'x' bukan bilangan."),
    (["merge", "kiriman"], MERGE, "pilihan wajib belum diisi: '-o' / '--output'."),
    (["merge", "kiriman", "-o", "rekap.xlsx", "--csv-gaya", "excel"], MERGE,
     "nilai '--csv-gaya' tidak sah: 'excel' bukan salah satu dari 'standar', 'excel-id'."),
    (["recompute", "a.xlsx", "b.xlsx"], ("sakip-xl recompute", "[PILIHAN] BERKAS"), "argumen berlebih (b.xlsx)"),
    (["template", "--dari", "/tidak/ada.xlsx", "baru.xlsx"], ("sakip-xl template", "[PILIHAN] BERKAS"),
     "nilai '--dari' tidak sah: Berkas '/tidak/ada.xlsx' tidak ada."),
    (["recompute", HERE], ("sakip-xl recompute", "[PILIHAN] BERKAS"),
     f"nilai 'BERKAS' tidak sah: Berkas '{HERE}' adalah sebuah folder."),
    (["merge", "kiriman", "-o", "rekap.xlsx", "--csv", __file__], MERGE,
     f"nilai '--csv' tidak sah: Folder '{__file__}' adalah sebuah berkas."),
    (["chek"], GROUP, "perintah 'chek' tidak ada. Mungkin maksudnya 'check'?"),
    (["--debug"], GROUP, "perintah belum diberikan."),
], ids=lambda v: v if isinstance(v, str) else None)
def test_usage_errors_are_bahasa_and_exit_2(args, usage, error):
    result = CliRunner().invoke(main, args, prog_name="sakip-xl")
    command, arguments = usage
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [f"Cara pakai: {command} {arguments}",
                                          f"Ketik '{command} --help' untuk bantuan.", "", f"Galat: {error}"]


def test_every_translated_text_is_one_click_uses():
    """A click release that rewords a message would leave it in English: this names it."""
    used = set()
    for source in Path(click.__file__).parent.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        used |= {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert set(CLICK_TEXTS) - used == set()


def test_an_option_missing_its_value_is_one_bahasa_line():
    result = CliRunner().invoke(main, ["check", "--batas-waktu"])
    assert (result.exit_code, result.stderr) == (2, "Galat: pilihan '--batas-waktu' perlu diberi nilai.\n")


# ---------------------------------------------------------------- CSV

# One office, figures by hand (rules.py; ROUND half away from zero, 2 decimals):
#   penyerapan = ROUND(794.100 / 1.000.000 x 100; 2) = 79,41
#   capaian    = ROUND(80 / 90 x 100; 2) = ROUND(88,888...; 2) = 88,89, the only indicator, so the average too
#   efisiensi  = Selisih (the default method) = ROUND(88,89 - 79,41; 2) = 9,48
PAGU, SPENT, REALISASI = 1_000_000, 794_100, 80  # small(): one indicator with target 90
URAIAN = "=1+1;2"  # a formula trigger and the excel-id separator


@pytest.fixture(scope="module")
def kiriman(tmp_path_factory):
    d = tmp_path_factory.mktemp("kiriman")
    write_filled(d / "dinas-a.xlsx", small("Dinas A", pagu=PAGU, spent=SPENT, realisasi=REALISASI, uraian=URAIAN))
    return d


def _read(path, separator):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=separator))


@pytest.mark.parametrize("style, sep, mark", [("standar", ",", "."), ("excel-id", ";", ",")])
def test_csv_has_a_bom_and_the_style_separator_and_decimal_mark(kiriman, tmp_path, style, sep, mark):
    written = write_csv(tmp_path, merge([kiriman], jobs=1), style=style)
    assert [p.name for p in written] == ["ringkasan.csv", "indikator.csv", "anggaran.csv", "pemeriksaan.csv"]
    for path, first in zip(written, ["pemda", "perangkat_daerah", "perangkat_daerah", "berkas"]):
        assert path.read_bytes().startswith(b"\xef\xbb\xbf" + f"{first}{sep}".encode()), path.name
    (office,) = _read(written[0], sep)
    assert (office["perangkat_daerah"], office["kategori"]) == ("Dinas A", "Tinggi")
    assert (office["pagu"], office["realisasi_anggaran"]) == ("1000000", "794100")  # no thousands separator
    assert office["penyerapan"] == f"79{mark}41"
    assert office["rata_rata_capaian"] == f"88{mark}89"
    assert office["efisiensi"] == f"9{mark}48"
    (indicator,) = _read(written[1], sep)
    assert (indicator["target"], indicator["realisasi"], indicator["capaian"]) == ("90", "80", f"88{mark}89")
    (budget,) = _read(written[2], sep)
    assert (budget["pagu"], budget["realisasi"], budget["penyerapan"]) == ("1000000", "794100", f"79{mark}41")
    assert budget["uraian"] == "'" + URAIAN  # never run as a formula
    quoted = '"' + "'" + URAIAN + '"'  # a field holding the separator is quoted
    assert (quoted in written[2].read_text(encoding="utf-8-sig")) == (style == "excel-id")


@pytest.mark.parametrize("option, sep, penyerapan", [([], ",", "79.41"), (["--csv-gaya", "excel-id"], ";", "79,41")])
def test_cli_csv_gaya(kiriman, tmp_path, option, sep, penyerapan):
    args = ["merge", str(kiriman), "-o", str(tmp_path / "rekap.xlsx"), "--csv", str(tmp_path / "csv"), "--quiet"]
    result = CliRunner().invoke(main, [*args, *option])
    assert result.exit_code == 0, result.output
    (office,) = _read(tmp_path / "csv" / "ringkasan.csv", sep)
    assert office["penyerapan"] == penyerapan


# ---------------------------------------------------------------- shell completion


def test_completion_script_from_the_installed_command_name():
    """The `sakip-xl` entry point sets sys.argv[0] to its path; click names the
    variable after it: _SAKIP_XL_COMPLETE, as the README says."""
    code = "import sys; sys.argv[0] = 'sakip-xl'; from sakip_xl.cli import main; main()"
    env = {**os.environ, "_SAKIP_XL_COMPLETE": "bash_source"}
    run = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "complete -o nosort -F _sakip_xl_completion sakip-xl" in run.stdout


@pytest.mark.parametrize("shell, line", [("zsh", "#compdef sakip-xl"),
                                         ("fish", "complete --no-files --command sakip-xl")])
def test_completion_scripts_for_zsh_and_fish(shell, line):
    result = CliRunner().invoke(main, [], prog_name="sakip-xl", env={"_SAKIP_XL_COMPLETE": f"{shell}_source"})
    assert result.exit_code == 0 and line in result.output


@pytest.mark.parametrize("words, cword, expected", [("sakip-xl me", "1", "plain,merge\n"),
                                                    ("sakip-xl merge --csv-gaya ", "3",
                                                     "plain,standar\nplain,excel-id\n")])
def test_completion_completes_commands_and_choices(words, cword, expected):
    env = {"_SAKIP_XL_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": cword}
    result = CliRunner().invoke(main, [], prog_name="sakip-xl", env=env)
    assert (result.exit_code, result.output) == (0, expected)
