"""The documentation says what the code does."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from sakip_xl.cli import main
from sakip_xl.model.contract_doc import render_contract

ROOT = Path(__file__).resolve().parent.parent


def test_contract_page_is_generated_from_the_contract():
    """docs/contract.md is up to date: regenerate with `python scripts/build.py`."""
    assert (ROOT / "docs" / "contract.md").read_text(encoding="utf-8") == render_contract()


def test_every_command_is_documented_and_has_an_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    runner = CliRunner()
    for name, command in main.commands.items():
        assert f"sakip-xl {name}" in readme, name
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0
        assert "Contoh: sakip-xl " + name in " ".join(result.output.split()), name
