"""Rendering .docx templates (docxtpl) safely.

A template is checked before anything is written: it must use every variable its document
needs (e.g. the sentence that the municipality decides, the koordinerende sagsbehandler),
and every name and field it uses must exist in the document's data (`citizen.nmae` is
refused by name, not printed blank). It runs in Jinja's sandbox with nothing but the data:
no globals (`cycler`, `range`, ...), no attributes beginning with `_`, no methods, so a
template can only print the document's fields, never run code. A field that turns out to be
missing while rendering stops the export (StrictUndefined) instead of printing nothing. User
text is escaped (`autoescape=True`), so `&`, `<` and quotes come out as typed.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined, Template, TemplateError, nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from rehabteam.errors import InvalidInput
from rehabteam.i18n import t
from rehabteam.textsafe import clean_text

BUNDLED = Path(__file__).parent / "templates"


class TemplateProblem(InvalidInput):
    """A template that cannot be used; `problems` lists each reason (shown with it)."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join([super().__str__(), *(f"  • {p}" for p in self.problems)])


def template_path(name: str, custom_dir: Path | None) -> Path:
    """The municipality's own template when there is one, else the bundled default. A
    folder that is set but does not exist is an error, never a silent fallback."""
    if custom_dir is not None:
        if not custom_dir.is_dir():
            raise InvalidInput(t("template.no_dir", path=str(custom_dir)))
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
    tree = _tree(path, _mtime, _size)
    # Names read and never set by the template itself (not jinja2.meta, whose code
    # generator always optimises: it worked out "{{ 9 ** 99999999 }}" for minutes).
    stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"} - stored
    paths = set(names)
    for node in tree.find_all(nodes.Getattr):
        if isinstance(node.node, nodes.Name) and node.node.name in names:
            paths.add(f"{node.node.name}.{node.attr}")
    return names, paths


@lru_cache(maxsize=16)
def _tree(path: Path, _mtime: int, _size: int) -> nodes.Template:
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
    # Not optimised: Jinja's optimiser works out constant expressions while it compiles, so
    # "{{ 9 ** 99999999 }}" ran for minutes inside the template check itself.
    return Environment(optimized=False).parse(xml)


ANY = object()  # a value whose fields are not known (a loop over an empty list)


def _shape(value: Any) -> Any:
    """What a template may read from `value`: a dict's keys (each with its shape), a list's
    elements (merged), or None for a value printed as it is. A value left out (None, e.g.
    no koordinerende sagsbehandler yet) may be a record in another document: not checked."""
    if value is None:
        return ANY
    if isinstance(value, dict):
        return {key: _shape(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        merged: dict[str, Any] = {}
        for element in value:
            shape = _shape(element)
            if not isinstance(shape, dict):
                return ("list", shape)
            merged.update(shape)
        return ("list", merged if value else ANY)
    return None


def fields_of(*names: str) -> dict[str, Any]:
    """The shape of a record with these fields, each printed as it is."""
    return dict.fromkeys(names)


def unknown_fields(
    tree: nodes.Template, context: dict[str, Any], shapes: dict[str, Any] | None = None
) -> list[str]:
    """Each name or field the template uses that the document's data does not have.
    `shapes` says what a value has when this document has none of it (no koordinerende
    yet, no interventions): a typo under it is found all the same."""
    stored = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    top = {name: _shape(value) for name, value in context.items()}
    for name, shape in (shapes or {}).items():
        if top.get(name) in (ANY, ("list", ANY)):
            top[name] = shape
    problems: list[str] = []

    def resolve(node: nodes.Node, scope: dict[str, Any]) -> tuple[str, Any]:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return node.name, scope[node.name]
            if node.name not in stored:
                problems.append(node.name)
            return node.name, ANY
        attr = (
            node.attr
            if isinstance(node, nodes.Getattr)
            else node.arg.value
            if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)
            else None
        )
        if isinstance(attr, int) and not isinstance(attr, bool):  # items[0]: an element
            path, shape = resolve(node.node, scope)  # type: ignore[attr-defined]
            return f"{path}[{attr}]", shape[1] if isinstance(shape, tuple) else ANY
        if not isinstance(attr, str):
            for child in node.iter_child_nodes():
                visit(child, scope)
            return "?", ANY
        inner = node.node  # type: ignore[attr-defined]
        path, shape = resolve(inner, scope)
        name = f"{path}.{attr}"
        if shape is ANY:
            return name, ANY
        if isinstance(shape, dict) and attr in shape:
            return name, shape[attr]
        problems.append(name)
        return name, ANY

    def visit(node: nodes.Node, scope: dict[str, Any]) -> None:
        if isinstance(node, nodes.For):
            visit(node.iter, scope)
            _path, shape = resolve(node.iter, scope) if _readable(node.iter) else ("", ANY)
            element = shape[1] if isinstance(shape, tuple) else ANY
            inner = dict(scope, loop=ANY)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = element
            else:  # for a, b in ...: not checked further
                inner.update({n.name: ANY for n in node.target.find_all(nodes.Name)})
            for child in [*node.body, *node.else_, *([node.test] if node.test else [])]:
                visit(child, inner)
            return
        if _readable(node):
            resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(tree, top)
    return sorted(set(problems))


def _readable(node: nodes.Node) -> bool:
    return isinstance(node, nodes.Name | nodes.Getattr) or (
        isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const)
    )


def check_template(
    path: Path,
    *,
    required: set[str],
    context: dict[str, Any],
    shapes: dict[str, Any] | None = None,
) -> None:
    """Refuse a template that lacks a required variable or uses an unknown one."""
    if not path.exists():
        raise TemplateProblem(t("template.missing_file", path=str(path)), [str(path)])
    try:
        _names, paths = referenced(path)
        stat = path.stat()
        tree = _tree(path, stat.st_mtime_ns, stat.st_size)
    except Exception as exc:  # a broken .docx or Jinja syntax error: say so, plainly
        raise TemplateProblem(
            t("template.unreadable", path=path.name, error=str(exc)), [str(exc)]
        ) from None
    problems = [t("template.lacks", name=name) for name in sorted(required - paths)]
    # A template is one document: it reads no other file and no other template.
    for node in tree.find_all((nodes.Include, nodes.Import, nodes.FromImport, nodes.Extends)):
        problems.append(t("template.no_include", tag=type(node).__name__.lower()))
    unknown = unknown_fields(tree, context, shapes)
    problems += [t("template.unknown", name=name) for name in unknown]
    if problems:
        raise TemplateProblem(t("template.refused", path=path.name), problems)


class _CompiledOnce(SandboxedEnvironment):
    """A sandboxed, autoescaping Jinja environment with no globals, strict about missing
    fields, that keeps each compiled part of a template.

    docxtpl compiles the XML of the body, headers and footers with `from_string` for every
    document; that was half of the time of writing an indstilling. A batch writes the same
    template again and again, so a part's compiled template is kept by its XML text (a
    municipality's edited template has other text, so it is compiled anew)."""

    LIMIT = 64
    # `*` and `**` are checked: "{{ case.number * 999999999999 }}" filled the memory.
    intercepted_binops = frozenset({"*", "**"})
    LONGEST = 100_000  # characters (or items) a repetition may make

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(t("template.too_big"))
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | list | tuple)
                    and isinstance(times, int)
                    and len(seq) * times > self.LONGEST
                ):
                    raise SecurityError(t("template.too_big"))
        return super().call_binop(context, operator, left, right)

    def __init__(self) -> None:
        super().__init__(autoescape=True, undefined=StrictUndefined, optimized=False)
        self.globals.clear()  # no cycler, joiner, namespace, range, lipsum, dict
        self._compiled: dict[str, Template] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        """Only the document's data (and `loop.first` and the like in a for loop): no
        attribute of a Python object, no method."""
        from jinja2.runtime import LoopContext

        return isinstance(obj, LoopContext) and not attr.startswith("_") and not callable(value)

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:  # the data are dicts: d.name is d["name"]
            return obj[attribute]
        return super().getattr(obj, attribute)

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


def cleaned(value: Any) -> Any:
    """Every text in `value` cleaned as on screen (`clean_text`): no control characters
    (Word refuses them, and the XML repair after them dropped `&`, `<` and `>`), no
    escape sequences, no bidi overrides."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: cleaned(v) for key, v in value.items()}
    if isinstance(value, list | tuple):
        return [cleaned(v) for v in value]
    return value


# The label of each document's title in `l` (the labels), where it is not `<name>_title`.
_TITLE_LABELS = {"borgerbrev": "letter_title", "dagsorden": "dag_title", "indkaldelse": "inv_title"}


def document_title(name: str, context: dict[str, Any]) -> str:
    """The title in a rendered document's properties: its heading and what it is about (the
    case number, else the meeting's team and date), never a CPR number or a name.
    "Rehabiliteringsteamets indstilling – 2026-0042", "Mødereferat – Team Nord, 03.12.2026"."""
    labels = context.get("l") or {}
    heading = labels.get(_TITLE_LABELS.get(name, f"{name}_title")) or name.capitalize()
    if context.get("draft"):
        heading = f"{heading} ({context['draft']})"  # a draft says so in its title too
    case, meeting = context.get("case"), context.get("meeting")
    if isinstance(case, dict) and case.get("number"):
        return f"{heading} – {case['number']}"
    if isinstance(meeting, dict) and meeting.get("date"):
        about = ", ".join(str(meeting[k]) for k in ("team", "date") if meeting.get(k))
        return f"{heading} – {about}"
    return str(heading)


def render(
    path: Path,
    context: dict[str, Any],
    target: Path,
    *,
    required: set[str],
    shapes: dict[str, Any] | None = None,
    title: str | None = None,
) -> Path:
    """Fill the template at `path` with `context` into `target`, finished as every document
    the app writes is (docx_parts.finish: language, metadata, Word's current mode), also a
    municipality's own template made in an older Word. `title` defaults to
    `document_title` of the template's name."""
    import io

    from docxtpl import DocxTemplate

    from rehabteam.exports.docx_parts import finish

    context = cleaned(context)
    check_template(path, required=required, context=context, shapes=shapes)
    stat = path.stat()
    tpl = DocxTemplate(io.BytesIO(_template_bytes(path, stat.st_mtime_ns, stat.st_size)))
    try:
        tpl.render(context, jinja_env=_JINJA, autoescape=True)
    except (TemplateError, TypeError, ValueError, ArithmeticError, RecursionError) as exc:
        # A field missing at render time, the sandbox refusing, an operation on the data
        # that cannot work: the template is at fault, and the message says what failed.
        raise TemplateProblem(t("template.refused", path=path.name), [str(exc)]) from None
    finish(
        tpl.docx,
        title=title if title is not None else document_title(path.stem, context),
        organisation=str(context.get("organisation") or ""),
    )
    tpl.save(str(target))
    return target
