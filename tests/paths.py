"""Where the tests find the repository's files."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sakip_xl"
EXAMPLE_SOURCES = ROOT / "examples"  # the CSV transcriptions and their NOTES.md
EXAMPLES = PACKAGE / "examples"  # the bundled example workbooks built from them
BLUTO = EXAMPLES / "bluto-2020.xlsx"
KALIANGET = EXAMPLES / "kalianget-2023.xlsx"
STANDARD = PACKAGE / "workbook_templates" / "lkjip-standar.xlsx"
