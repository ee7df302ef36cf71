"""The "Start here" page and the reading routes through the site.

``nlptut_routes`` (conf.py) names the routes, each an ordered list of pages:
an intro page's docname (``"intro/tale-of-nlp"``) or a tutorial as
``"<section>/<stem>"``. This extension

* renders ``start-here.rst`` with Jinja before it is parsed, giving it
  ``routes``: for each route, its pages with their title, link, time to read
  and time to run (:func:`page_facts`), and ``other``: the tutorials on no route;
* renders the pages of ``ROUTE_PAGES`` (the beginner route's last page, which
  sums the route up) the same way, so that they link only to the route pages
  that this build has (``gallery_dir`` turns a docname back into its route key).

``nlptut_gallery`` puts a badge with the route's name under the title of every
page on a route, and on such a page the "previous" and "next" links at the
bottom follow the route (:func:`route_neighbours`) rather than the order of
the table of contents, which would lead, say, from "Your own data" into the
performance pages. Their small label says so ("Beginner route, next"); on the
last page of a route, the "next" link leaves the route and says that the route
ends there (``docs/_templates/components/prev-next.html`` shows the labels).

Time to read is counted from the page's own text, for a reader who is new to
the subject and reads technical text carefully: 120 words of prose a minute plus
8 lines of code a minute, rounded up. Time with exercises adds 5 minutes for
each numbered exercise (``1. **Title.**``) after the page's "Exercises"
heading. Time to run is the script's total running time on the machine that
built this site, as sphinx-gallery recorded it in the page it generated (a
build that does not execute the pages has none).
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlptut_gallery import _gallery, _page_title, tutorials
from nlptut_i18n import complete_pages, language_of
from sphinx.locale import _

# A careful first reading of technical text, running the code along the way:
# a beginner took 1-2 hours over a page that 200 words and 20 lines a minute
# had put at 23 minutes.
WORDS_PER_MINUTE = 120
CODE_LINES_PER_MINUTE = 8
MINUTES_PER_EXERCISE = 5
ROUTE_PAGES = {"intro/what-you-can-do-now"}  # rendered with Jinja, like start-here
_RUN_TIME = re.compile(r"Total running time of the script:\*\* \((\d+) minutes ([\d.]+) seconds\)")
_EXERCISES_HEADING = re.compile(r"^[#\s]*Exercises\s*$", re.MULTILINE)
_EXERCISE = re.compile(r"^(?:# )?\d+\.\s+\*\*", re.MULTILINE)  # "1. **Title.**", not indented
_CODE_CELL = re.compile(r"```\{code-cell\}[^\n]*\n(.*?)```", re.DOTALL)


@dataclass
class PageFacts:
    """What the Start here page says about one page."""

    docname: str
    title: str
    read_minutes: int
    run_seconds: float | None  # None: not run in this build (or not a script)
    is_script: bool = True  # a gallery tutorial (sphinx-gallery times it)
    exercises: int = 0  # numbered items of the page's "Exercises" section

    @property
    def exercise_minutes(self) -> int:
        """Time to read the page and do its exercises."""
        return self.read_minutes + self.exercises * MINUTES_PER_EXERCISE


def _read_minutes(prose: str, code: str) -> int:
    words = len(re.findall(r"\w+", prose))
    lines = sum(
        1 for line in code.splitlines() if line.strip() and not line.strip().startswith("#")
    )
    return max(1, math.ceil(words / WORDS_PER_MINUTE + lines / CODE_LINES_PER_MINUTE))


def _count_exercises(prose: str) -> int:
    """The numbered exercises after the "Exercises" heading (0 without one)."""
    heading = _EXERCISES_HEADING.search(prose)
    return len(_EXERCISE.findall(prose, heading.end())) if heading else 0


def _tutorial_facts(app: Any, tut: Any) -> PageFacts:
    from sphinx_gallery.py_source_parser import split_code_and_text_blocks

    examples, gallery = _gallery(app)
    _, blocks = split_code_and_text_blocks(str(examples / tut.section / tut.file))
    prose = "\n".join(b.content for b in blocks if b.type == "text")
    code = "\n".join(b.content for b in blocks if b.type == "code")
    rendered = Path(app.srcdir) / gallery / tut.section / f"{tut.stem}.rst"
    match = _RUN_TIME.search(rendered.read_text(encoding="utf-8"))
    seconds = int(match.group(1)) * 60 + float(match.group(2)) if match else None
    return PageFacts(
        tut.docname(gallery),
        tut.title,
        _read_minutes(prose, code),
        seconds if seconds else None,  # 0 s: the build did not execute it
        exercises=_count_exercises(prose),
    )


def _page_facts(app: Any, docname: str) -> PageFacts | None:
    """The facts of a page that is not a tutorial (an intro page), if it exists."""
    for suffix in (".md", ".rst"):
        path = Path(app.srcdir) / f"{docname}{suffix}"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            code = "\n".join(_CODE_CELL.findall(text))
            prose = _CODE_CELL.sub("", text)
            title = _page_title(app, docname)
            return PageFacts(
                docname,
                title,
                _read_minutes(prose, code),
                None,
                is_script=False,
                exercises=_count_exercises(prose),
            )
    return None


def page_facts(app: Any) -> dict[str, PageFacts]:
    """The facts of every tutorial, by ``"<section>/<stem>"``, each script read once."""
    return {f"{tut.section}/{tut.stem}": _tutorial_facts(app, tut) for tut in tutorials(app)}


def routes(app: Any, tutorial_facts: dict[str, PageFacts]) -> list[dict[str, Any]]:
    """Every route with the facts of its pages that exist in this build."""
    found = []
    for name, keys in app.config.nlptut_routes.items():
        facts = (tutorial_facts.get(key) or _page_facts(app, key) for key in keys)
        found.append({"name": name, "pages": [f for f in facts if f is not None]})
    return found


def other_pages(app: Any, tutorial_facts: dict[str, PageFacts]) -> list[PageFacts]:
    """The tutorials on no route."""
    on_route = {key for keys in app.config.nlptut_routes.values() for key in keys}
    return [facts for key, facts in tutorial_facts.items() if key not in on_route]


def on_source_read(app: Any, docname: str, source: list[str]) -> None:
    if docname != "start-here" and docname not in ROUTE_PAGES:
        return
    import jinja2

    template = jinja2.Template(source[0], undefined=jinja2.StrictUndefined)
    tutorial_facts = page_facts(app)
    source[0] = template.render(
        routes=routes(app, tutorial_facts),
        other=other_pages(app, tutorial_facts),
        install=app.config.nlptut_install_spec,
        words_per_minute=WORDS_PER_MINUTE,
        code_lines_per_minute=CODE_LINES_PER_MINUTE,
        minutes_per_exercise=MINUTES_PER_EXERCISE,
        gallery_dir=_gallery(app)[1],
        language=language_of(app.config),
        minutes_unit=str(_("min")),  # the table's units, in the edition's language
        seconds_unit=str(_("s")),
        complete_pages=[
            {"docname": d}
            for d in complete_pages(language_of(app.config))
            if d in app.env.found_docs
        ],
    )


def reread_when_pages_come_or_go(
    app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]
) -> list[str]:
    """Read the Jinja pages again when a page appears or goes: a route may have changed."""
    if not added and not removed:
        return []
    return [d for d in ("start-here", *sorted(ROUTE_PAGES)) if d in env.all_docs]


def _route_docname(app: Any, key: str) -> str | None:
    """The docname of a route entry, or None if this build has no such page."""
    _, gallery = _gallery(app)
    for docname in (f"{gallery}/{key}", key):
        if docname in app.env.all_docs:
            return docname
    return None


def route_neighbours(
    app: Any, pagename: str, templatename: str, context: dict, doctree: Any
) -> None:
    """On a page of a route, point "previous" and "next" at its neighbours on the route.

    Route pages that this build lacks are skipped. The links get a label
    naming the route (``nlptut_prev_label``, ``nlptut_next_label``). The first
    page of a route keeps the table of contents' "previous", unlabelled; the
    last keeps its "next", labelled as the end of the route.
    """
    for name, keys in app.config.nlptut_routes.items():
        pages = [d for d in (_route_docname(app, key) for key in keys) if d is not None]
        if pagename not in pages:
            continue
        at = pages.index(pagename)
        route = _(name)  # the route's name in this edition's language (docs/locale/*/sphinx.po)
        for side, index, label in (
            ("prev", at - 1, _("%(route)s, previous")),
            ("next", at + 1, _("%(route)s, next")),
        ):
            if 0 <= index < len(pages):
                context[side] = {
                    "link": app.builder.get_relative_uri(pagename, pages[index]),
                    "title": html.escape(app.env.titles[pages[index]].astext()),
                }
                context[f"nlptut_{side}_label"] = label % {"route": route}
        if at == len(pages) - 1 and context.get("next"):
            context["nlptut_next_label"] = _("%(route)s ends here; next") % {"route": route}
        return


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("nlptut_routes", {}, "env", types=frozenset({dict}))
    app.add_config_value("nlptut_install_spec", "nlptut", "env", types=frozenset({str}))
    app.connect("source-read", on_source_read)
    app.connect("env-get-outdated", reread_when_pages_come_or_go)
    app.connect("html-page-context", route_neighbours)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
