"""Row heights for wrapped text.

XlsxWriter does not fit rows to wrapped text and LibreOffice does not on load, so each
row is given the height its longest wrapped text needs, up to a maximum (the cell then
shows the start of its text; all of it is in the cell). The lines a text takes are worked
out as Excel and LibreOffice wrap it: word by word, a line also ending after a hyphen
(and after a slash in a word too long for a line), each character as wide as it is in the
default font.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

LINE_HEIGHT = 15  # points per line of the 11-point default font
MAX_LINES = 8

#: Advance widths of Calibri 11, the default font of the workbooks written (measured on
#: Carlito, its metric-compatible twin that LibreOffice uses), in units of a digit's width:
#: the unit of a column's width. A character not listed counts as 1.2.
_WIDTH_GROUPS = (
    (0.44, "'"), (0.45, " il"), (0.47, "j"), (0.49, ","), (0.5, ".I"), (0.53, ":;"), (0.57, "`"), (0.6, "()-f"),
    (0.61, "[]"), (0.62, "{}"), (0.63, "J"), (0.64, "!"), (0.66, "t"), (0.69, "r"), (0.76, "/\\"), (0.77, "s"),
    (0.78, "z"), (0.79, '"'), (0.83, "Lc"), (0.85, "x"), (0.89, "vy"), (0.9, "k"), (0.91, "?FS|"), (0.92, "Z"),
    (0.93, "g"), (0.95, "a"), (0.96, "ETY"), (0.98, "#*+<=>^_e~"), (1.0, "$0123456789"), (1.02, "PX"),
    (1.03, "K"), (1.04, "bdhnopqu"), (1.05, "C"), (1.07, "BR"), (1.12, "V"), (1.14, "A"), (1.21, "D"),
    (1.23, "H"), (1.24, "G"), (1.27, "NU"), (1.31, "O"), (1.33, "Q"), (1.35, "&"), (1.41, "%w"), (1.58, "m"),
    (1.69, "M"), (1.76, "@W"),
)
#: Room for Excel, which lays text out in screen pixels (each character's width rounded), and
#: for bold headers (2.5% wider): every width counts 5% more, and a line holds 0.3 less.
_MARGIN, _PADDING = 1.05, 0.3
_WIDTHS = {ch: w * _MARGIN for w, chars in _WIDTH_GROUPS for ch in chars}
_OTHER = 1.2 * _MARGIN
_SPACE = _WIDTHS[" "]
_WIDEST = max(_WIDTHS.values())
_AFTER_HYPHEN, _AFTER_SLASH = re.compile(r"(?<=-)"), re.compile(r"(?<=/)")


def _width(text: str) -> float:
    get = _WIDTHS.get
    return sum(get(ch, _OTHER) for ch in text)


def _pieces(word: str, room: float) -> list[str]:
    """A word as the pieces a line may end after: each hyphen, and in a piece longer than
    a line, each slash ("Pemeliharaan/Rehabilitasi")."""
    out = []
    for piece in _AFTER_HYPHEN.split(word):
        out += _AFTER_SLASH.split(piece) if "/" in piece and _width(piece) > room else [piece]
    return out


@functools.lru_cache(maxsize=16384)  # a rekap repeats names, kinds and notes down its rows
def text_lines(text: str, width: float) -> int:
    """Lines a text takes when wrapped in a column `width` characters wide."""
    room = max(1.0, width - _PADDING)
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for word in paragraph.split(" "):
            for i, piece in enumerate(_pieces(word, room)):
                w = _width(piece)
                gap = _SPACE if i == 0 else 0.0
                if used and used + gap + w <= room:
                    used += gap + w
                    continue
                if used:
                    lines += 1
                while w > room:  # a word longer than a line is broken between letters
                    lines += 1
                    w -= room
                used = w
    return lines


def row_height(lines: int) -> float | None:
    """The height of a row whose tallest cell takes `lines` lines; None: the default."""
    return LINE_HEIGHT * min(lines, MAX_LINES) if lines > 1 else None


def fitting_height(texts: Iterable[tuple[object, float]]) -> float | None:
    """The height of a row its wrapped texts need, None: the default. `texts` are
    (value, column width)."""
    lines = 1
    for v, width in texts:
        # a text too short to fill a line even in the widest letters (most) needs no counting
        if isinstance(v, str) and (len(v) * _WIDEST > width - _PADDING or "\n" in v):
            lines = max(lines, text_lines(v, width))
    return row_height(lines)
