"""The beginner route's pages are lessons: short, and naming only what the route taught.

A route page (``nlptut_routes["Beginner route"]`` in docs/conf.py) may have at
most 1,200 words of prose and 60 lines of code that a reader must read: what
sits in a dropdown ("for the curious", an exercise's solution) or in a hidden
code cell is not counted. Its "Before this page" names only route pages, and
every glossary term it links exists in the glossary.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
MAX_WORDS = 1200
MAX_CODE_LINES = 60


def _routes() -> dict[str, list[str]]:
    """``nlptut_routes`` from docs/conf.py, read without running the configuration."""
    tree = ast.parse((DOCS / "conf.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == "nlptut_routes" for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError("docs/conf.py has no nlptut_routes")


def _source(key: str) -> Path | None:
    for path in (EXAMPLES / f"{key}.py", DOCS / f"{key}.md", DOCS / f"{key}.rst"):
        if path.is_file():
            return path
    return None


ROUTE = [key for key in _routes()["Beginner route"] if _source(key) is not None]

# Route pages still to be rebuilt as lessons (issue "A beginner route that a
# beginner finishes"): their length test is expected to fail, and fails the
# suite as soon as one passes, so that it is taken off this list.
NOT_YET_LESSONS = {}


def _lesson_params() -> list:
    return [
        pytest.param(
            key,
            marks=pytest.mark.xfail(
                key in NOT_YET_LESSONS, reason="not yet rebuilt as a lesson", strict=True
            ),
        )
        for key in ROUTE
    ]


def split_gallery_script(source: str) -> tuple[str, str]:
    """A sphinx-gallery script's prose (docstring and comment blocks) and its code."""
    module = ast.parse(source)
    prose = [ast.get_docstring(module) or ""]
    code = []
    body = source.splitlines()[module.body[0].end_lineno :] if module.body else []
    in_text = False
    for line in body:
        stripped = line.strip()
        if stripped.startswith("# %%"):
            in_text = True
            continue
        if in_text and (stripped.startswith("#") or not stripped):
            prose.append(re.sub(r"^# ?", "", stripped))
            continue
        in_text = False
        code.append(line)
    return "\n".join(prose), "\n".join(code)


def split_myst_page(source: str) -> tuple[str, str]:
    """A MyST page's prose (outside code fences) and its shown code cells."""
    prose, code = [], []
    fence = None
    hidden = False
    for line in source.splitlines():
        opening = re.match(r"^(```+|:::+)\s*\{?([\w-]*)\}?", line)
        if fence is None and opening:
            fence, kind = opening.group(1), opening.group(2)
            block = {"code-cell": "code", "dropdown": "dropdown"}.get(kind, "other")
            hidden = False
            continue
        if fence is not None:
            if line.strip() == fence:
                fence = None
                continue
            if block == "code":
                if re.match(r"^:tags:.*(hide-input|remove-input|remove-cell)", line):
                    hidden = True
                elif not hidden and not line.startswith(":"):
                    code.append(line)
            continue
        prose.append(line)
    return "\n".join(prose), "\n".join(code)


def without_dropdowns(rst: str) -> str:
    """The text with every ``.. dropdown::`` directive and its indented content removed."""
    kept, inside = [], None
    for line in rst.splitlines():
        if inside is not None:
            if not line.strip() or len(line) - len(line.lstrip()) > inside:
                continue
            inside = None
        match = re.match(r"^(\s*)\.\. dropdown::", line)
        if match:
            inside = len(match.group(1))
            continue
        kept.append(line)
    return "\n".join(kept)


def count_words(prose: str) -> int:
    """Words a reader reads: roles' names, link targets, MyST comments and Jinja are left out."""
    prose = re.sub(r"\A---\n.*?\n---\n", "", prose, flags=re.DOTALL)  # MyST front matter
    prose = re.sub(r"^%.*$", "", prose, flags=re.MULTILINE)  # MyST comments
    prose = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", "", prose, flags=re.DOTALL)  # Jinja
    # a link to a page with no text of its own shows the page's title: not counted here
    prose = re.sub(r"(\{(doc|ref)\}|:(doc|ref):)`[^`<]*`", "", prose)
    prose = re.sub(r"\{[\w:-]+\}`([^`<]*)(<[^>]*>)?`", r"\1", prose)  # {doc}`a <b>` -> a
    prose = re.sub(r":[\w:-]+:`([^`<]*)(<[^>]*>)?`", r"\1", prose)  # :term:`a <b>` -> a
    prose = re.sub(r"^\s*\.\. [\w-]+::.*$", "", prose, flags=re.MULTILINE)  # directives
    return len(re.findall(r"[^\W_]+(?:['’-][^\W_]+)*", prose))


def count_code_lines(code: str) -> int:
    return sum(1 for line in code.splitlines() if line.strip() and not line.strip().startswith("#"))


def measure(path: Path) -> tuple[int, int, str]:
    source = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        prose, code = split_gallery_script(source)
    else:
        prose, code = split_myst_page(source)
    prose = without_dropdowns(prose)
    return count_words(prose), count_code_lines(code), prose


def test_the_counters_count_what_a_reader_reads():
    script = '''"""
Title
=====

One two three.
"""

# %%
# Four five.
#
# .. dropdown:: Solution
#
#    hidden words here
#
# Six :term:`seven <eight>`.

x = 1  # code
# a comment
y = 2
'''
    prose, code = split_gallery_script(script)
    # Title, One two three, Four five, Six seven; x = 1 and y = 2
    assert (count_words(without_dropdowns(prose)), count_code_lines(code)) == (8, 2)


@pytest.mark.parametrize("key", _lesson_params())
def test_a_route_lesson_is_short(key):
    words, lines, _ = measure(_source(key))
    assert words <= MAX_WORDS and lines <= MAX_CODE_LINES, (
        f"{key}: {words} words of prose (at most {MAX_WORDS}) and {lines} lines of code "
        f"(at most {MAX_CODE_LINES}) outside dropdowns: move the depth to a deep dive "
        "or into a dropdown"
    )


@pytest.mark.parametrize("key", ROUTE)
def test_before_this_page_names_only_route_pages(key):
    _, _, prose = measure(_source(key))
    match = re.search(r"\*\*Before this page:?\*\*:?(.*?)(\*\*After|\n\n)", prose, re.DOTALL)
    if match is None:
        return
    named = re.findall(r":doc:`(?:[^`<]*<)?([^`>]+)>?`", match.group(1))
    on_route = {k.rsplit("/", 1)[-1] for k in _routes()["Beginner route"]}
    for target in named:
        assert target.rsplit("/", 1)[-1] in on_route, (
            f"{key}: 'Before this page' names {target}, which is not on the beginner route"
        )


GLOSSARY_TERMS = {
    term.strip().lower()
    for term in re.findall(
        r"^   (\S[^\n]*)$", (DOCS / "glossary.rst").read_text(encoding="utf-8"), re.MULTILINE
    )
}


@pytest.mark.parametrize("key", ROUTE)
def test_every_term_a_lesson_links_is_in_the_glossary(key):
    source = _source(key).read_text(encoding="utf-8")
    if _source(key).suffix == ".py":
        source = split_gallery_script(source)[0]  # the prose, without the comment marks
    terms = [
        " ".join(t.split()) for t in re.findall(r"[:{]term[:}]`(?:[^`<]*<)?([^`>]+)>?`", source)
    ]
    missing = sorted({t for t in terms if t.lower() not in GLOSSARY_TERMS})
    assert not missing, f"{key} links glossary terms that do not exist: {missing}"


def test_the_myst_counter_skips_markup_and_hidden_cells():
    page = """---
file_format: mystnb
---
% a comment
# Title

One {term}`two <three>` {doc}`/some/page`.

```{code-cell} python
:tags: [hide-input]
hidden = 1
```

```{code-cell} python
shown = 2
```
"""
    prose, code = split_myst_page(page)
    assert count_words(prose) == 3  # Title, One, two
    assert count_code_lines(code) == 1
