"""A Word template filled with the document's data (docxtpl: Jinja2 inside a .docx).

The template is checked before anything is filled: every placeholder it uses must
be one sakip-xl gives (placeholders.py), and the required ones must be there, so a
misspelt name is one clear message, never a silently empty cell. Marks on values
(marks.py) become superscript runs after filling.
"""

from __future__ import annotations

import copy
import difflib
import io
import re
import zipfile
from pathlib import Path

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, meta, nodes

from ..errors import UnreadableFile, UsageError
from ..resources import template_file
from .marks import CLOSE, OPEN
from .placeholders import BY_NAME, DAFTAR, OBJEK, REQUIRED, Field

DEFAULT_TEMPLATE = "lkjip-dokumen.docx"
DOC = "docs/laporan.md"
_JINJA_GLOBALS = frozenset({"range", "loop", "dict", "lipsum", "cycler", "joiner", "namespace"})


class _Undefined(StrictUndefined):
    """A placeholder the static check could not see (e.g. r['x']): one Bahasa line naming it."""

    def _fail_with_undefined_error(self, *args, **kwargs):
        raise UsageError(f"templat dokumen memakai isian '{self._undefined_name}' yang tidak dikenal. "
                         f"Daftar isian ada di {DOC}.")


def environment() -> Environment:
    return Environment(autoescape=True, undefined=_Undefined)


def load_template(path: str | Path | None) -> tuple[DocxTemplate, str]:
    """The template to fill, checked (default: the one shipped in the package), and its name."""
    if path is None:
        data, name = template_file(DEFAULT_TEMPLATE).read_bytes(), DEFAULT_TEMPLATE
    else:
        path = Path(path)
        name = path.name
        if path.suffix.lower() != ".docx":
            raise UsageError(f"{name}: templat dokumen harus berkas Word .docx (bukan .doc, .dotx atau .odt). "
                             "Simpan ulang dari Word sebagai .docx.")
        try:
            data = path.read_bytes()
        except FileNotFoundError as e:
            raise UsageError(f"{name}: templat dokumen tidak ditemukan.") from e
        except OSError as e:
            raise UnreadableFile(f"{name}: templat dokumen tidak dapat dibaca ({e.strerror}).") from e
    tpl = DocxTemplate(io.BytesIO(data))
    try:
        tpl.init_docx()
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as e:
        raise UnreadableFile(f"{name}: bukan berkas Word .docx yang dapat dibaca (rusak atau terkunci sandi).") from e
    if path is not None:  # the shipped template is checked by the tests
        check_template(tpl, name)
    return tpl, name


def _sources(tpl: DocxTemplate) -> list[str]:
    """The template's body, headers and footers as Jinja source (docxtpl's own cleaning)."""
    doc = tpl.docx
    out = [tpl.patch_xml(tpl.xml_to_string(doc._element.body))]
    for rel in doc.part.rels.values():
        if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI) and not rel.is_external and rel.target_part.blob:
            out.append(tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob))))
    return out


def check_template(tpl: DocxTemplate, name: str) -> None:
    """Refuse a template with a syntax error, an unknown placeholder, or without a required one."""
    env = environment()
    used: set[str] = set()
    unknown: list[str] = []
    for source in _sources(tpl):
        try:
            ast = env.parse(source)
            env.from_string(source)  # unknown filters and tests show only when compiled
        except TemplateSyntaxError as e:
            raise UsageError(f"{name}: templat dokumen rusak: {_syntax(e.message or '')}{_near(source, e.lineno)}. "
                             "Periksa pasangan {{ }} dan {% %} di sekitar teks itu.") from e
        names = meta.find_undeclared_variables(ast)
        used |= names
        unknown += [_suggest(n, BY_NAME) for n in sorted(names) if n not in BY_NAME and n not in _JINJA_GLOBALS]
        _attributes(ast, {}, unknown)
    if unknown:
        raise UsageError(f"{name}: templat dokumen memakai isian yang tidak dikenal: "
                         f"{', '.join(dict.fromkeys(unknown))}. Daftar isian ada di {DOC}.")
    missing = [n for n in REQUIRED if n not in used]
    if missing:
        wanted = ", ".join("{{ %s }}" % n for n in missing)
        raise UsageError(f"{name}: templat dokumen tidak memuat isian wajib {wanted} (daftar galat untuk halaman "
                         "Catatan Pemeriksaan): tanpa itu galat tidak terlihat di dokumen. "
                         f"Salin bagian Catatan Pemeriksaan dari templat bawaan; lihat {DOC}.")


def _syntax(message: str) -> str:
    """Jinja's syntax error in Bahasa, for the common cases."""
    if message.startswith("Unexpected end of template"):
        return "ada {% if %} atau {% for %} yang tidak ditutup dengan {% endif %} atau {% endfor %}"
    unknown = re.match(r"No (filter|test) named '([^']*)'", message)
    if unknown:
        return f"{'filter' if unknown.group(1) == 'filter' else 'uji'} '{unknown.group(2)}' tidak dikenal"
    return f"penulisan isian salah ({message})"


def _near(source: str, lineno: int | None) -> str:
    if not lineno:
        return ""
    lines = source.splitlines()[max(lineno - 2, 0):lineno + 1]
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", " ".join(lines))).strip()
    return f" (di sekitar '{text[:80]}')" if text else ""


def _suggest(name: str, known, shown: str | None = None) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    label = "{{ %s }}" % (shown or name)
    if not close:
        return label
    hint = f"{shown.rsplit('.', 1)[0]}.{close[0]}" if shown else close[0]
    return f"{label} (maksudnya {hint}?)"


def _spec(node: nodes.Node, scope: dict[str, Field]) -> Field | None:
    """The placeholder an expression stands for, when it is one sakip-xl knows."""
    if isinstance(node, nodes.Name):
        return scope[node.name] if node.name in scope else BY_NAME.get(node.name)
    if isinstance(node, nodes.Getattr):
        parent = _spec(node.node, scope)
        return parent.child(node.attr) if parent is not None and parent.kind == OBJEK else None
    return None


def _path(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_path(node.node)}.{node.attr}"
    return "?"


def _attributes(node: nodes.Node, scope: dict[str, Field], unknown: list[str]) -> None:
    """Every attribute of a known list row or group must exist (r.capaian, ringkasan.pagu)."""
    if isinstance(node, nodes.For):
        _attributes(node.iter, scope, unknown)
        inner = dict(scope)
        listed = _spec(node.iter, scope)
        if isinstance(node.target, nodes.Name):
            inner.pop(node.target.name, None)
            if listed is not None and listed.kind == DAFTAR:
                inner[node.target.name] = Field(node.target.name, listed.description, OBJEK, listed.fields)
        for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
            _attributes(child, inner, unknown)
        return
    if isinstance(node, nodes.Getattr):
        parent = _spec(node.node, scope)
        if parent is not None and parent.kind in (OBJEK, DAFTAR) and parent.child(node.attr) is None:
            unknown.append(_suggest(node.attr, [f.name for f in parent.fields], _path(node)))
    for child in node.iter_child_nodes():
        _attributes(child, scope, unknown)


def fill(tpl: DocxTemplate, context: dict, target: Path, name: str) -> None:
    """Fill the template with `context` and save it at `target`."""
    try:
        tpl.render(context, environment())
    except TemplateError as e:
        raise UsageError(f"{name}: templat dokumen tidak dapat diisi ({e.message or type(e).__name__}).") from e
    superscript_marks(tpl.docx.element.body)
    tpl.save(target)


def superscript_marks(body) -> None:
    """Turn each mark (text between OPEN and CLOSE) into a superscript run of its own."""
    split = re.compile(f"({OPEN}[^{CLOSE}]*{CLOSE})")
    for t in [t for t in body.iter(qn("w:t")) if t.text and OPEN in t.text]:
        run = t.getparent()
        content = [c for c in run if c.tag != qn("w:rPr")]
        if run.tag != qn("w:r") or content != [t]:  # not a run of its own: keep the mark inline
            t.text = t.text.replace(OPEN, " [").replace(CLOSE, "]")
            continue
        anchor = run
        for part in (p for p in split.split(t.text) if p):
            new = copy.deepcopy(run)
            new.remove(new.find(qn("w:t")))
            if part.startswith(OPEN):  # a zero-width space lets a long number and its mark wrap apart
                new.get_or_add_rPr().superscript = True
                part = "\u200b" + part[1:-1]
            new.add_t(part)
            anchor.addnext(new)
            anchor = new
        run.getparent().remove(run)
