"""Marks on values that rest on a galat: each galat gets a number (G1, G2, ...) in the
document's Catatan Pemeriksaan, and a value computed from a cell with a galat carries
the numbers of those galat, so it is never shown as a plain fact."""

from __future__ import annotations

from typing import Iterable

from ..checks.report import GALAT, Issue, Report
from ..checks.trust import NOT_A_BASIS

#: Around a mark inside a value's text; the renderer turns what is between them into
#: superscript. Private-use characters, removed from every text taken from a workbook.
OPEN, CLOSE = "\ue000", "\ue001"


class Marks:
    """The galat of one workbook, numbered, and the cells they sit on."""

    def __init__(self, report: Report) -> None:
        self.galat: list[Issue] = [i for i in report.sorted_issues() if i.severity == GALAT]
        self.number: dict[int, int] = {id(i): n for n, i in enumerate(self.galat, 1)}
        self._at: dict[tuple[str, str], list[int]] = {}
        for i in self.galat:
            if i.sheet and i.cell and i.code not in NOT_A_BASIS:
                self._at.setdefault((i.sheet, i.cell), []).append(self.number[id(i)])

    def at(self, cells: Iterable[tuple[str, str]]) -> set[int]:
        """The numbers of the galat a value computed from `cells` rests on."""
        return {n for c in cells for n in self._at.get(c, ())}

    def of(self, issues: Iterable[Issue]) -> set[int]:
        return {self.number[id(i)] for i in issues if id(i) in self.number}


def tag(n: int) -> str:
    return f"G{n}"


def mark_text(numbers: set[int]) -> str:
    """G3, G5-G9: runs of numbers shortened."""
    parts: list[str] = []
    ordered = sorted(numbers)
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(tag(ordered[i]) if i == j else f"{tag(ordered[i])}\u2013{tag(ordered[j])}")
        i = j + 1
    return ",".join(parts)


def marked(text: str, numbers: set[int]) -> str:
    """A value's text with the marks of the galat it rests on."""
    return f"{text}{OPEN}{mark_text(numbers)}{CLOSE}" if numbers else text


def unmarked(text: str) -> str:
    """A value's text without its marks (for a sentence, which says so in words)."""
    start = text.find(OPEN)
    return text if start < 0 else text[:start]
