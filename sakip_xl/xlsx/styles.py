"""Cell formats of the standard workbook, as plain XlsxWriter property dicts.

The colour legend in the Petunjuk sheet describes these colours; change both
together.
"""

from __future__ import annotations

INPUT_FILL = "#FFF2CC"  # light yellow: cells staff fill
DERIVED_FILL = "#E7E6E6"  # light grey: formulas, locked
INPUT_HEADER = "#1F4E79"  # dark blue: header of an input column
DERIVED_HEADER = "#595959"  # dark grey: header of a derived column
BORDER = "#BFBFBF"

NUMBER_FORMATS = {
    "rupiah": "#,##0",
    "persen": "0.00",  # capaian and penyerapan are percent points, not Excel percents
    "desimal": "0.00",
    "teks": "@",
    "tahun": "0",
}

_CELL = {"border": 1, "border_color": BORDER, "valign": "top"}

BASE: dict[str, dict] = {
    "title": {"bold": True, "font_size": 14, "font_color": INPUT_HEADER},
    "subtitle": {"italic": True, "font_color": "#595959", "valign": "top"},
    "plain": {},
    # beside a wrapped text, a row's other cells start at its top, by its first line
    "top": {"valign": "top"},
    "top_centred": {"valign": "top", "align": "center"},
    "top_bold": {"valign": "top", "bold": True},
    "heading": {"bold": True, "font_size": 12, "font_color": INPUT_HEADER},
    "text": {"text_wrap": True, "valign": "top"},
    "bold": {"bold": True},
    "header_input": {**_CELL, "bold": True, "font_color": "#FFFFFF", "bg_color": INPUT_HEADER,
                     "text_wrap": True, "valign": "vcenter"},
    "header_derived": {**_CELL, "bold": True, "font_color": "#FFFFFF", "bg_color": DERIVED_HEADER,
                       "text_wrap": True, "valign": "vcenter"},
    "input": {**_CELL, "bg_color": INPUT_FILL, "locked": False},
    "derived": {**_CELL, "bg_color": DERIVED_FILL, "locked": True},
    # below the prepared rows: the same look, unlocked, so a copied formula row can be pasted there
    "derived_below": {**_CELL, "bg_color": DERIVED_FILL, "locked": False},
    "extra": {"locked": False, "text_wrap": True},  # the staff's own columns: text wraps, as in the contract's
    "link": {"font_color": "#0563C1", "underline": 1, "valign": "top"},
    "galat": {"font_color": "#9C0006", "bg_color": "#FFC7CE", "valign": "top"},
    "peringatan": {"font_color": "#7F6000", "bg_color": "#FFEB9C", "valign": "top"},
    "info": {"font_color": "#1F4E79", "bg_color": "#DDEBF7", "valign": "top"},
    "total": {**_CELL, "bold": True, "bg_color": DERIVED_FILL, "top": 2},
    "mark_legend": {"italic": True, "font_color": "#9C0006"},
}

#: Fill of an input cell marked with a problem in the recomputed workbook, by severity
#: (the legend is in Petunjuk and at the top of each input sheet).
MARK_FILLS = {"galat": "#FF9999", "peringatan": "#FFC000"}


def cell_format(base: str, number_format: str | None = None, wrap: bool = False, mark: str | None = None) -> dict:
    """Properties of a base format with an optional number format, wrapping, and the
    fill of a problem mark (`galat`, `peringatan`)."""
    props = dict(BASE[base])
    if mark:
        props["bg_color"] = MARK_FILLS[mark]
    if number_format:
        props["num_format"] = NUMBER_FORMATS.get(number_format, number_format)
    if wrap:
        props["text_wrap"] = True
    return props
