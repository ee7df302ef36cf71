"""The "Start here" page and the reading routes through the site.

``nlptut_routes`` (conf.py) names the routes, each an ordered list of pages:
an intro page's docname (``"intro/tale-of-nlp"``) or a tutorial as
``"<section>/<stem>"``. This extension

* renders ``start-here.rst`` with Jinja before it is parsed, giving it
  ``routes``: for each route, its pages with their title, link, time to read
  and time to run (:func:`page_facts`), and ``other``: the tutorials on no route;
* puts a badge with the route's name under the title of every page on a route.

Time to read is counted from the page's own text: 200 words of prose a minute
plus 20 lines of code a minute, rounded up. Time to run is the script's total
running time on the machine that built this site, as sphinx-gallery recorded it
in the page it generated (a build that does not execute the pages has none).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlptut_gallery import _gallery, tutorials

WORDS_PER_MINUTE = 200
CODE_LINES_PER_MINUTE = 20
_RUN_TIME = re.compile(r"Total running time of the script:\*\* \((\d+) minutes ([\d.]+) seconds\)")


@dataclass
class PageFacts:
    """What the Start here page says about one page."""

    docname: str
    title: str
    read_minutes: int
    run_seconds: float | None  # None: not run in this build (or not a script)
    is_script: bool = True  # a gallery tutorial (sphinx-gallery times it)


def _read_minutes(prose: str, code: str) -> int:
    words = len(re.findall(r"\w+", prose))
    lines = sum(
        1 for line in code.splitlines() if line.strip() and not line.strip().startswith("#")
    )
    return max(1, math.ceil(words / WORDS_PER_MINUTE + lines / CODE_LINES_PER_MINUTE))


def page_facts(app: Any, key: str) -> PageFacts | None:
    """The facts of a route entry, or ``None`` if that page is not in this build."""
    srcdir = Path(app.srcdir)
    _, gallery = _gallery(app)
    for tut in tutorials(app):
        if key != f"{tut.section}/{tut.stem}":
            continue
        from sphinx_gallery.py_source_parser import split_code_and_text_blocks

        examples, _ = _gallery(app)
        _, blocks = split_code_and_text_blocks(str(examples / tut.section / tut.file))
        prose = "\n".join(b.content for b in blocks if b.type == "text")
        code = "\n".join(b.content for b in blocks if b.type == "code")
        rendered = srcdir / gallery / tut.section / f"{tut.stem}.rst"
        match = _RUN_TIME.search(rendered.read_text(encoding="utf-8"))
        seconds = int(match.group(1)) * 60 + float(match.group(2)) if match else None
        return PageFacts(
            tut.docname(gallery),
            tut.title,
            _read_minutes(prose, code),
            seconds if seconds else None,  # 0 s: the build did not execute it
        )
    for suffix in (".md", ".rst"):
        path = srcdir / f"{key}{suffix}"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            code = "\n".join(re.findall(r"```\{code-cell\}[^\n]*\n(.*?)```", text, re.DOTALL))
            title = re.search(r"^# (.+)$|^(.+)\n=+$", text, re.MULTILINE)
            name = (title.group(1) or title.group(2)).strip() if title else key
            return PageFacts(key, name, _read_minutes(text, code), None, is_script=False)
    return None


def routes(app: Any) -> list[dict[str, Any]]:
    """Every route with the facts of its pages that exist in this build."""
    found = []
    for name, keys in app.config.nlptut_routes.items():
        pages = [f for f in (page_facts(app, key) for key in keys) if f is not None]
        found.append({"name": name, "pages": pages})
    return found


def other_pages(app: Any) -> list[PageFacts]:
    """The tutorials on no route."""
    on_route = {key for keys in app.config.nlptut_routes.values() for key in keys}
    rest = []
    for tut in tutorials(app):
        key = f"{tut.section}/{tut.stem}"
        if key not in on_route:
            facts = page_facts(app, key)
            if facts is not None:
                rest.append(facts)
    return rest


def route_of(app: Any, docname: str) -> str | None:
    """The name of the route a page is on (its first), if any."""
    _, gallery = _gallery(app)
    key = docname.removeprefix(f"{gallery}/")
    for name, keys in app.config.nlptut_routes.items():
        if key in keys:
            return name
    return None


def on_source_read(app: Any, docname: str, source: list[str]) -> None:
    if docname != "start-here":
        return
    import jinja2

    template = jinja2.Template(source[0], undefined=jinja2.StrictUndefined)
    source[0] = template.render(
        routes=routes(app),
        other=other_pages(app),
        install=app.config.nlptut_install_spec,
        words_per_minute=WORDS_PER_MINUTE,
        code_lines_per_minute=CODE_LINES_PER_MINUTE,
    )


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("nlptut_routes", {}, "env", types=frozenset({dict}))
    app.add_config_value("nlptut_install_spec", "nlptut", "env", types=frozenset({str}))
    app.connect("source-read", on_source_read)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
