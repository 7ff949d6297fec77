"""Three years of example merges into one archive, its trend workbook, and a province
merging two kabupaten's archives: the archive end to end, through the command line.

    python scripts/archive_example.py [FOLDER]      # default: contoh-arsip

Writes into FOLDER: kiriman-<pemda>-<year>/ (synthetic filled workbooks of four offices
per kabupaten, figures differing from year to year), rekap-<pemda>-<year>.xlsx,
arsip-<pemda>.duckdb (three years each), tren-sumenep.xlsx, rekap-provinsi-2024.xlsx
and arsip-provinsi.duckdb, and parquet/ (the Sumenep archive's tables).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sakip_xl.model.fill import write_filled
from sakip_xl.synthetic import synthetic_filling

PEMDA = {"sumenep": "Kabupaten Sumenep", "pamekasan": "Kabupaten Pamekasan"}
OFFICES = ["Kecamatan Kalianget", "Kecamatan Bluto", "Dinas Kesehatan", "Badan Keuangan Daerah"]
YEARS = (2022, 2023, 2024)


def sakip(*args: str) -> None:
    print("$ sakip-xl " + " ".join(args), flush=True)
    code = subprocess.run([sys.executable, "-m", "sakip_xl", *args], check=False).returncode
    if code not in (0, 1):  # 1: some workbooks have galat, as real ones do
        sys.exit(code)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "contoh-arsip")
    out.mkdir(exist_ok=True)
    for short, pemda in PEMDA.items():
        archive = out / f"arsip-{short}.duckdb"
        for year in YEARS:
            inbox = out / f"kiriman-{short}-{year}"
            inbox.mkdir(exist_ok=True)
            for i, office in enumerate(OFFICES):
                f = synthetic_filling(year * 10 + i + (100 if short == "pamekasan" else 0), 8, 30, tahun=year,
                                      office=office)
                f.identity["Pemerintah Daerah"] = pemda
                write_filled(inbox / f"lkjip-{i}-{year}.xlsx", f)
            sakip("merge", str(inbox), "-o", str(out / f"rekap-{short}-{year}.xlsx"), "--tahun", str(year),
                  "--arsip", str(archive), "--quiet")
    sakip("arsip", "tren", str(out / "arsip-sumenep.duckdb"), "-o", str(out / "tren-sumenep.xlsx"), "--force")
    sakip("merge", str(out / "arsip-sumenep.duckdb"), str(out / "arsip-pamekasan.duckdb"), "-o",
          str(out / "rekap-provinsi-2024.xlsx"), "--tahun", "2024", "--arsip", str(out / "arsip-provinsi.duckdb"),
          "--quiet")
    sakip("arsip", "ekspor", str(out / "arsip-sumenep.duckdb"), str(out / "parquet"))


if __name__ == "__main__":
    main()
