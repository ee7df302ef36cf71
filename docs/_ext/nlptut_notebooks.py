"""Notebooks a reader can run anywhere: Sphinx roles become plain Markdown.

sphinx-gallery writes a Jupyter notebook beside every tutorial, converting the
reST of its text cells to Markdown; it leaves Sphinx's own roles as they are,
and Jupyter or Colab then show ``:func:`~nlptut.datasets.load_dataset``` or
``:cite:t:`saravia2018carer``` as raw text. This extension converts them
first, before sphinx-gallery's own conversion (``rst2md``):

==========================================  ===============================================
``:func:`~nlptut.datasets.load_dataset```   ```load_dataset``` (code; ``~`` keeps the last
                                            part, as on the site)
``:class:`nlptut.text.Vocabulary```         ```nlptut.text.Vocabulary```
``:term:`epoch``` / ``:term:`a <b>```       ``epoch`` / ``a``
``:doc:`` / ``:ref:`` to a tutorial         its title, in italics (or the link's own text)
``:download:`name <file>```                 ```name```
``:cite:t:`key``` / ``:cite:p:`k1,k2```     "Saravia et al. (2018)" / "(Saravia et al., 2018;
                                            ...)" from ``docs/references.bib``
==========================================  ===============================================

:func:`markdown_roles` is the conversion; ``setup`` wraps
``sphinx_gallery.notebook.rst2md`` with it.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BIBLIOGRAPHY = HERE.parent / "references.bib"
EXAMPLES = HERE.parent.parent / "examples"

ROLE = re.compile(
    r":(?:py:)?(?P<role>func|meth|class|mod|attr|data|obj|exc|term|doc|ref|download|cite:[pt])"
    r":`(?P<body>[^`]+)`"
)
CODE_ROLES = {"func", "meth", "class", "mod", "attr", "data", "obj", "exc", "download"}


def _title_and_target(body: str) -> tuple[str | None, str]:
    match = re.fullmatch(r"(?s)\s*(.*?)\s*<([^<>]+)>\s*", body)
    if match:
        return " ".join(match.group(1).split()), match.group(2).strip()
    return None, body.strip()


@functools.cache
def tutorial_titles(examples: Path = EXAMPLES) -> dict[str, str]:
    """The title of every tutorial script, by file stem (``plot_01_emotion_end_to_end``)."""
    titles = {}
    for script in sorted(examples.rglob("*.py")):
        text = script.read_text(encoding="utf-8")
        doc = re.match(r'\s*(?:[rub]*)"""\s*\n(.+?)\n[=]+\n', text)
        if doc:
            titles[script.stem] = doc.group(1).strip()
    return titles


@functools.cache
def citations(bibliography: Path = BIBLIOGRAPHY) -> dict[str, tuple[str, str]]:
    """Each entry's authors as cited ("Saravia et al.") and year, by key."""
    from pybtex.database import parse_file

    cited = {}
    for key, entry in parse_file(str(bibliography)).entries.items():
        people = entry.persons.get("author", [])
        last = [" ".join(p.last_names).replace("{", "").replace("}", "") for p in people]
        if len(last) >= 3:
            names = f"{last[0]} et al."
        elif len(last) == 2:
            names = f"{last[0]} and {last[1]}"
        else:
            names = last[0] if last else key
        cited[key] = (names, entry.fields.get("year", "n.d."))
    return cited


def _cite(role: str, body: str) -> str:
    known = citations()
    keys = [key.strip() for key in body.split(",") if key.strip()]
    parts = [known.get(key, (key, "n.d.")) for key in keys]
    if role == "cite:t":
        return "; ".join(f"{names} ({year})" for names, year in parts)
    return "(" + "; ".join(f"{names}, {year}" for names, year in parts) + ")"


def _page_title(target: str) -> str:
    stem = target.rsplit("/", 1)[-1]
    stem = re.sub(r"^sphx_glr_auto_examples_\d+_[a-z]+_", "", stem).removesuffix(".py")
    return tutorial_titles().get(stem, target)


def markdown_roles(text: str) -> str:
    """Replace Sphinx roles in reST ``text`` by what a notebook shows as Markdown."""

    def replace(match: re.Match) -> str:
        role, body = match.group("role"), match.group("body")
        if role.startswith("cite:"):
            return _cite(role, body)
        title, target = _title_and_target(body)
        if role in CODE_ROLES:
            if title:
                return f"`{title}`"
            shown = target.lstrip("~")
            if target.startswith("~"):
                shown = shown.rsplit(".", 1)[-1]
            return f"`{shown}`"
        if role == "term":
            return title or target
        return f"*{title or _page_title(target)}*"  # doc, ref

    return ROLE.sub(replace, text)


_DIRECTIVE = re.compile(r"^(?P<indent> *)\.\. (?P<name>dropdown|literalinclude)::(?P<arg>.*)$")
_OPTION = re.compile(r"^\s*:([\w-]+):\s*(.*)$")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _included(argument: str, options: dict[str, str], folder: Path) -> str:
    """The lines a ``literalinclude`` shows: the file, cut by start-after/end-before."""
    text = (folder / argument.strip()).read_text(encoding="utf-8")
    if "start-after" in options:
        text = text.split(options["start-after"], 1)[1].split("\n", 1)[1]
    if "end-before" in options:
        text = text.split(options["end-before"], 1)[0]
    return text.strip("\n")


def markdown_blocks(text: str, folder: Path) -> str:
    """Turn ``dropdown`` and ``literalinclude`` directives into plain Markdown.

    A dropdown becomes its title in bold followed by its content (a notebook
    has no folding text); an included file becomes a fenced Python block, kept
    at the directive's indentation. Paths are relative to ``folder``, where the
    page's reST lives.
    """
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        match = _DIRECTIVE.match(lines[i])
        if not match:
            out.append(lines[i])
            i += 1
            continue
        indent = len(match.group("indent"))
        options: dict[str, str] = {}
        body: list[str] = []
        i += 1
        while i < len(lines) and (not lines[i].strip() or _indent(lines[i]) > indent):
            option = _OPTION.match(lines[i])
            if option and not body:
                options[option.group(1)] = option.group(2)
            elif lines[i].strip() or body:
                body.append(lines[i])
            i += 1
        pad = " " * indent
        if match.group("name") == "literalinclude":
            code = _included(match.group("arg"), options, folder)
            out += [f"{pad}```python", *(pad + line for line in code.split("\n")), f"{pad}```", ""]
            continue
        inner = "\n".join(line[3:] if line.startswith(pad + "   ") else line for line in body)
        out += [f"{pad}**{match.group('arg').strip()}**", ""]
        out += markdown_blocks(inner, folder).split("\n")
    return "\n".join(out)


def setup(app: Any) -> dict[str, Any]:
    from sphinx_gallery import notebook

    original = notebook.rst2md
    if not getattr(original, "nlptut_roles", False):

        def rst2md(text: str, gallery_conf: Any, target_dir: Any, *args: Any, **kwargs: Any):
            text = markdown_blocks(markdown_roles(text), Path(target_dir))
            return original(text, gallery_conf, target_dir, *args, **kwargs)

        rst2md.nlptut_roles = True  # type: ignore[attr-defined]
        notebook.rst2md = rst2md
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
