"""Draw docs/architecture.svg, the picture of how data goes through sakip-xl: `python scripts/architecture.py`."""

from pathlib import Path

boxes = {
    # id: (x, y, w, h, title, lines, fill)
    "file": (20, 20, 200, 60, "A workbook file", [".xlsx .xlsm .xls .ods"], "#f3f3f3"),
    "filling": (20, 100, 200, 60, "A Filling", ["CSV folder, pandas, synthetic"], "#f3f3f3"),
    "source": (270, 20, 230, 60, "read/source.py", ["bounded reading → SourceWorkbook"], "#dfeaf7"),
    "fill": (270, 100, 230, 60, "model/fill.py", ["template cells → SourceWorkbook"], "#e6f2e6"),
    "interpret": (550, 55, 250, 70, "read/interpret.py", ["tables located, inputs typed", "column by column → Data"], "#dfeaf7"),
    "rules": (550, 170, 250, 100, "rules/", ["sakip.py: every rule, its regulation", "formula.py: Expr → Excel text, or", "one cell's value; columns.py: a", "column's values; install.py"], "#fbeed5"),
    "workbook": (850, 55, 260, 130, "model/workbook.py: Workbook", ["build_workbook: one place", "layout · typed inputs (Data)", "book: values and formulas", "budget tree · codes · report", "rows(table): input(k), value(k)"], "#e6f2e6"),
    "checks": (850, 215, 260, 55, "checks/", ["tables.py, trust.py → report.py Issue"], "#f7e0e0"),
    "recompute": (1160, 20, 250, 55, "commands/recompute.py", ["sheets/chapter3.py → xlsx/writer.py"], "#eee6f7"),
    "merge": (1160, 90, 250, 55, "commands/merge.py", ["workers → rows on disk → sheets/rekap"], "#eee6f7"),
    "rollover": (1160, 160, 250, 40, "commands/rollover.py", [], "#eee6f7"),
    "laporan": (1160, 215, 250, 40, "laporan/ (the LKjIP document)", [], "#eee6f7"),
    "compute": (1160, 270, 250, 40, "compute.py (pandas API)", [], "#eee6f7"),
    "template": (1160, 325, 250, 55, "commands/template.py", ["blank book → xlsx/writer.py"], "#eee6f7"),
}
arrows = [("file", "source"), ("filling", "fill"), ("source", "interpret"), ("fill", "interpret"),
          ("interpret", "workbook"), ("rules", "workbook"), ("workbook", "checks"), ("checks", "workbook"),
          ("workbook", "recompute"), ("workbook", "merge"), ("workbook", "rollover"), ("workbook", "laporan"),
          ("workbook", "compute"), ("rules", "template")]
out = ['<svg xmlns="http://www.w3.org/2000/svg" width="1430" height="400" font-family="DejaVu Sans, Arial, sans-serif">',
       '<defs><marker id="a" markerWidth="10" markerHeight="8" refX="9" refY="4" orient="auto"><path d="M0,0 L10,4 L0,8 z" fill="#555"/></marker></defs>',
       '<rect width="1430" height="400" fill="white"/>']
def anchor(b, side):
    x, y, w, h = boxes[b][:4]
    return {"r": (x + w, y + h / 2), "l": (x, y + h / 2), "b": (x + w / 2, y + h), "t": (x + w / 2, y)}[side]
for a, b in arrows:
    ax, ay, aw, ah = boxes[a][:4]
    bx, by, bw, bh = boxes[b][:4]
    if a == "workbook" and b == "checks":
        (x1, y1), (x2, y2) = (ax + aw / 2 - 40, ay + ah), (bx + bw / 2 - 40, by)
    elif a == "checks" and b == "workbook":
        (x1, y1), (x2, y2) = (ax + aw / 2 + 40, ay), (bx + bw / 2 + 40, by + bh)
    elif a == "rules" and b == "template":
        (x1, y1), (x2, y2) = anchor(a, "b"), anchor(b, "l")
    elif bx >= ax + aw:
        (x1, y1), (x2, y2) = anchor(a, "r"), anchor(b, "l")
    else:
        (x1, y1), (x2, y2) = anchor(a, "b"), anchor(b, "t")
    out.append(f'<line x1="{x1}" y1="{y1}" x2="{x2 - (3 if x2 > x1 else 0)}" y2="{y2}" stroke="#555" stroke-width="1.5" marker-end="url(#a)"/>')
for key, (x, y, w, h, title, lines, fill) in boxes.items():
    out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="6" fill="{fill}" stroke="#666"/>')
    out.append(f'<text x="{x + 8}" y="{y + 18}" font-size="13" font-weight="bold">{title}</text>')
    for i, line in enumerate(lines):
        out.append(f'<text x="{x + 8}" y="{y + 36 + i * 16}" font-size="12">{line.replace("&", "&amp;")}</text>')
out.append('<text x="20" y="390" font-size="12" fill="#444">Arrows show where the data goes. A workbook is read once into the model; every command reads the model; the rules give both the formulas and their values.</text>')
out.append("</svg>")
Path(__file__).resolve().parent.parent.joinpath("docs", "architecture.svg").write_text("\n".join(out) + "\n", encoding="utf-8")
