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


def _hundredths() -> bytes:
    """`bytes.translate` table: each Latin-1 character to its width in hundredths of a
    digit. A character beyond Latin-1 is measured as "?", which counts as one not listed."""
    table = bytearray([round(1.2 * _MARGIN * 100)] * 256)
    for w, chars in _WIDTH_GROUPS:
        for ch in chars:
            if ch != "?":
                table[ord(ch)] = round(w * _MARGIN * 100)
    return bytes(table)


_HUNDREDTHS = _hundredths()
_SPACE = _HUNDREDTHS[ord(" ")]
_WIDEST = max(_HUNDREDTHS) / 100
_AFTER_HYPHEN, _AFTER_SLASH = re.compile(r"(?<=-)"), re.compile(r"(?<=/)")


def _weights(text: str) -> bytes:
    """Each character's width in hundredths of a digit, one byte each (so summed in C)."""
    return text.encode("latin-1", "replace").translate(_HUNDREDTHS)


def _piece_widths(word: str, weights: bytes, room: int) -> list[int]:
    """The widths of the pieces of a word a line may end after: each hyphen, and in a piece
    longer than a line, each slash ("Pemeliharaan/Rehabilitasi"). `weights`: the word's
    characters' widths."""
    if "-" not in word and "/" not in word:
        return [sum(weights)]
    out, at = [], 0
    for piece in _AFTER_HYPHEN.split(word):
        w = sum(weights[at:at + len(piece)])
        if "/" in piece and w > room:
            for part in _AFTER_SLASH.split(piece):
                out.append(sum(weights[at:at + len(part)]))
                at += len(part)
        else:
            out.append(w)
            at += len(piece)
    return out


@functools.lru_cache(maxsize=16384)  # a rekap repeats names, kinds and notes down its rows
def text_lines(text: str, width: float) -> int:
    """Lines a text takes when wrapped in a column `width` characters wide."""
    room = max(100, round((width - _PADDING) * 100))
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        weights = _weights(paragraph)
        if sum(weights) <= room:  # most: one line
            continue
        used = at = 0
        for word in paragraph.split(" "):
            for i, w in enumerate(_piece_widths(word, weights[at:at + len(word)], room)):
                gap = _SPACE if i == 0 else 0
                if used and used + gap + w <= room:
                    used += gap + w
                    continue
                if used:
                    lines += 1
                while w > room:  # a word longer than a line is broken between letters
                    lines += 1
                    w -= room
                used = w
            at += len(word) + 1
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
