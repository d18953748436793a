"""Rendering .docx templates (docxtpl) safely.

A template is checked before anything is written: it must use every variable its document
needs (e.g. the sentence that the municipality decides, the koordinerende sagsbehandler),
and every variable it uses must exist. User text is escaped (`autoescape=True`), so `&`, `<`
and quotes come out as typed; line breaks become line breaks.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, Template, nodes

from rehabteam.errors import InvalidInput
from rehabteam.i18n import t

BUNDLED = Path(__file__).parent / "templates"


class TemplateProblem(InvalidInput):
    """A template that cannot be used; `problems` lists each reason."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


def template_path(name: str, custom_dir: Path | None) -> Path:
    """The municipality's own template when there is one, else the bundled default."""
    if custom_dir is not None:
        custom = custom_dir / f"{name}.docx"
        if custom.exists():
            return custom
    return BUNDLED / f"{name}.docx"


def referenced(path: Path) -> tuple[set[str], set[str]]:
    """(top-level names, "name.attr" paths) a template uses, headers and footers included.
    Cached per file version: a batch export checks the template once, not per document."""
    stat = path.stat()
    return _referenced(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=16)
def _referenced(path: Path, _mtime: int, _size: int) -> tuple[set[str], set[str]]:
    from docx import Document
    from docx.oxml import parse_xml
    from docxtpl import DocxTemplate

    tpl = DocxTemplate(str(path))
    document = Document(str(path))
    xml = tpl.patch_xml(tpl.xml_to_string(document._element.body))
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for rel in document.part.rels.values():
            if rel.reltype == uri and rel.target_part.blob:
                xml += tpl.patch_xml(tpl.xml_to_string(parse_xml(rel.target_part.blob)))
    from jinja2 import meta

    tree = Environment().parse(xml)
    names = set(meta.find_undeclared_variables(tree))
    paths = set(names)
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in names:
            paths.add(f"{node.node.name}.{node.attr}")
    return names, paths


def check_template(path: Path, *, required: set[str], context: dict[str, Any]) -> None:
    """Refuse a template that lacks a required variable or uses an unknown one."""
    if not path.exists():
        raise TemplateProblem(t("template.missing_file", path=str(path)), [str(path)])
    try:
        names, paths = referenced(path)
    except Exception as exc:  # a broken .docx or Jinja syntax error: say so, plainly
        raise TemplateProblem(
            t("template.unreadable", path=path.name, error=str(exc)), [str(exc)]
        ) from None
    problems = [t("template.lacks", name=name) for name in sorted(required - paths)]
    problems += [t("template.unknown", name=name) for name in sorted(names - set(context))]
    if problems:
        raise TemplateProblem(t("template.refused", path=path.name), problems)


class _CompiledOnce(Environment):
    """An autoescaping Jinja environment that keeps each compiled part of a template.

    docxtpl compiles the XML of the body, headers and footers with `from_string` for every
    document; that was half of the time of writing an indstilling. A batch writes the same
    template again and again, so a part's compiled template is kept by its XML text (a
    municipality's edited template has other text, so it is compiled anew)."""

    LIMIT = 64

    def __init__(self) -> None:
        super().__init__(autoescape=True)
        self._compiled: dict[str, Template] = {}

    def from_string(  # type: ignore[override]
        self, source: str, globals: Any = None, template_class: Any = None
    ) -> Template:
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        compiled = self._compiled.get(source)
        if compiled is None:
            if len(self._compiled) >= self.LIMIT:
                self._compiled.clear()
            compiled = self._compiled[source] = super().from_string(source)
        return compiled


_JINJA = _CompiledOnce()


@lru_cache(maxsize=16)
def _template_bytes(path: Path, _mtime: int, _size: int) -> bytes:
    return path.read_bytes()


def render(path: Path, context: dict[str, Any], target: Path, *, required: set[str]) -> Path:
    import io

    from docxtpl import DocxTemplate

    check_template(path, required=required, context=context)
    stat = path.stat()
    tpl = DocxTemplate(io.BytesIO(_template_bytes(path, stat.st_mtime_ns, stat.st_size)))
    tpl.render(context, jinja_env=_JINJA, autoescape=True)
    tpl.save(str(target))
    return target
