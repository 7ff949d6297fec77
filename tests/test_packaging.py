"""The package works installed from a wheel: every file of `sakip_xl/` (modules and the
data files read through importlib.resources) is in the wheel built from this checkout.
(`.ci/run` also installs that wheel in a fresh venv and runs every command outside the
checkout.)"""

from __future__ import annotations

import subprocess
import sys
import zipfile

from paths import PACKAGE, ROOT
from sakip_xl.resources import example_workbooks, template_file


def _shipped_sources() -> set[str]:
    listed = subprocess.run(["git", "ls-files", "sakip_xl"], cwd=ROOT, capture_output=True, text=True)
    if listed.returncode == 0 and listed.stdout.strip():
        return {line for line in listed.stdout.splitlines() if (ROOT / line).exists()}
    return {str(p.relative_to(ROOT)) for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_every_package_file_is_in_the_wheel(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = tmp_path.glob("sakip_xl-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = set(z.namelist())
    missing = sorted(_shipped_sources() - names)
    assert missing == [], f"missing from the wheel: {missing}"
    for data in ("sakip_xl/workbook_templates/contract.toml", "sakip_xl/workbook_templates/petunjuk.toml",
                 "sakip_xl/workbook_templates/lkjip-standar.xlsx", "sakip_xl/examples/kalianget-2023.xlsx",
                 "sakip_xl/examples/bluto-2020.xlsx"):
        assert data in names


def test_data_files_are_read_as_resources():
    assert template_file("contract.toml").read_text(encoding="utf-8").startswith("# The LKjIP workbook contract")
    assert [f.name for f in example_workbooks()] == ["bluto-2020.xlsx", "kalianget-2023.xlsx"]
