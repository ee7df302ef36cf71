"""The built site, as a reader's browser sees it.

Run with ``nox -s browser`` after ``nox -s docs``. See conftest.py for how the
site is served and which browser opens it.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from browsing import GALLERY, ROOT, SITE, TIMEOUT_MS, Visitor, new_visitor, tutorial_pages

TUTORIALS = tutorial_pages()
MAX_PAGE_BYTES = 1_500_000  # everything a tutorial page loads: HTML, CSS, scripts, fonts, images
WAIT_FOR_IMAGES = """
async () => {
  const images = Array.from(document.images);
  images.forEach((img) => { img.loading = "eager"; });
  const loaded = (img) => img.complete ? Promise.resolve() : new Promise((done) => {
    img.addEventListener("load", done, { once: true });
    img.addEventListener("error", done, { once: true });
  });
  const timeout = new Promise((done) => setTimeout(done, 15000));
  await Promise.race([Promise.all(images.map(loaded)), timeout]);
  await Promise.race([document.fonts.ready, timeout]);
  const drawn = (el) => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0;
  };
  return {
    images: images.map((img) => ({ src: img.currentSrc || img.src, width: img.naturalWidth })),
    math: document.querySelectorAll("span.math, div.math").length,
    typeset: Array.from(document.querySelectorAll("span.math > math, div.math > math"))
      .filter(drawn).length,
  };
}
"""


def _tutorial_ids() -> list[str]:
    return [Path(p).stem for p in TUTORIALS]


class _Tags(HTMLParser):
    """Collect the attributes of some tags of an HTML file."""

    def __init__(self, *names: str) -> None:
        super().__init__()
        self.names = names
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.names:
            self.found.append((tag, dict(attrs)))


def _tags(html: Path, *names: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Tags(*names)
    parser.feed(html.read_text(encoding="utf-8"))
    return parser.found


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not parts.scheme and not parts.netloc


def _assert_clean(visitor: Visitor, path: str) -> None:
    """No console error, no failed or outside request, every image and formula shown."""
    shown = visitor.page.evaluate(WAIT_FOR_IMAGES)
    broken = [img["src"] for img in shown["images"] if img["width"] == 0]
    problems = visitor.log.problems() + [f"image not shown: {src}" for src in broken]
    if shown["typeset"] < shown["math"]:
        problems.append(f"{shown['math']} formulas but only {shown['typeset']} drawn as MathML")
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)


# %% Every page a reader starts from loads cleanly -----------------------------


def test_there_are_tutorials() -> None:
    assert TUTORIALS, f"no tutorial pages found under {SITE / GALLERY}"


@pytest.mark.parametrize(
    "path",
    [
        "index.html",
        "intro/tale-of-nlp.html",
        "intro/what-you-can-do-now.html",
        "datasets/index.html",
        "benchmarks/index.html",
        "tags/index.html",
    ],
)
def test_page_loads_cleanly(visitor: Visitor, path: str) -> None:
    visitor.open(path)
    _assert_clean(visitor, path)


@pytest.mark.parametrize("path", TUTORIALS, ids=_tutorial_ids())
def test_tutorial_loads_cleanly(visitor: Visitor, path: str) -> None:
    """No console error, no failed or outside request, every image shown."""
    visitor.open(path)
    _assert_clean(visitor, path)


# %% Nothing third-party unless configured ------------------------------------


def test_every_script_is_local() -> None:
    remote = []
    for html in sorted(SITE.rglob("*.html")):
        for _, attrs in _tags(html, "script"):
            src = attrs.get("src")
            if src and not _is_local(src):
                remote.append(f"{html.relative_to(SITE)}: {src}")
    assert not remote, "scripts from other hosts:\n  " + "\n  ".join(remote)


# %% Tutorials: light enough, tagged, with Colab and provenance ----------------


@pytest.mark.parametrize("path", TUTORIALS, ids=_tutorial_ids())
def test_tutorial_weight(visitor: Visitor, path: str) -> None:
    """Every byte the browser loads for the page (images made eager, fonts awaited)."""
    visitor.open(path)
    visitor.page.evaluate(WAIT_FOR_IMAGES)
    visitor.page.wait_for_load_state("networkidle")
    loaded = visitor.log.loaded
    total = sum(loaded.values())
    heaviest = sorted(loaded.items(), key=lambda item: -item[1])[:3]
    shown = ", ".join(f"{urlsplit(url).path} {size:,}" for url, size in heaviest)
    assert total <= MAX_PAGE_BYTES, f"{path} loads {total:,} bytes; heaviest: {shown}"


@pytest.mark.parametrize("path", TUTORIALS, ids=_tutorial_ids())
def test_tutorial_has_tags_colab_and_provenance(visitor: Visitor, path: str) -> None:
    page = visitor.open(path)
    section, stem = Path(path).parent.name, Path(path).stem
    meta = page.locator(".nlptut-page-meta")
    tags = meta.locator("a[href*='tags/']")
    assert tags.count() >= 1, f"{path} has no tags: add it to nlptut_tags in docs/conf.py"
    colab = meta.locator("a[href^='https://colab.research.google.com/github/']")
    assert colab.count() == 1
    assert colab.get_attribute("href").endswith(f"/{section}/{stem}.ipynb")
    assert (SITE / "notebooks" / section / f"{stem}.ipynb").is_file()
    box = page.locator(".admonition.nlptut-provenance")
    assert box.count() == 1, (
        f"{path} has no 'How this page was made' box: build the site with every "
        "example executed (not with plot_gallery=0)"
    )
    text = box.inner_text()
    for field in ("Executed", "Run time", "Software", "Hardware", "Data", "Site built"):
        assert field in text, f"{path}: provenance box lacks {field!r}"
    assert re.search(r"PyTorch \d", text)
    for sha in box.locator("code.nlptut-sha256").all_inner_texts():
        assert re.fullmatch(r"[0-9a-f]{64}", sha)


def test_computation_times_are_real() -> None:
    """sg_execution_times lists every tutorial with a time above zero."""
    text = (SITE / "sg_execution_times.html").read_text(encoding="utf-8")
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", text, re.DOTALL)
    times = {}
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.DOTALL)
        link = re.search(r'href="([^"]+)"', row)
        if len(cells) >= 2 and link:
            clock = re.sub(r"<[^>]+>", "", cells[1]).strip()
            times[Path(urlsplit(link.group(1)).path).stem] = clock
    for path in TUTORIALS:
        stem = Path(path).stem
        assert stem in times, f"{stem} is missing from the computation times"
        minutes, seconds = times[stem].split(":")
        assert int(minutes) * 60 + float(seconds) > 0, f"{stem} shows no run time"


# %% Finding things ----------------------------------------------------------


def test_a_tutorial_searches_without_loading_the_index(visitor: Visitor) -> None:
    """The search box of a tutorial opens search.html; only that page loads the index."""
    page = visitor.open(f"{GALLERY}/01_foundations/plot_02_what_is_deep_learning.html")
    loaded = [url for url in visitor.log.loaded if url.split("?")[0].endswith("searchindex.js")]
    assert not loaded, f"a tutorial page loaded the search index: {loaded}"
    page.locator("button.search-button__button").first.click()
    field = page.locator("form.bd-search input[name='q']").first
    field.fill("autograd")
    field.press("Enter")
    page.wait_for_url("**/search.html?q=autograd*", timeout=TIMEOUT_MS)
    page.wait_for_function(
        "document.querySelectorAll('#search-results ul.search li').length > 0",
        timeout=TIMEOUT_MS,
    )
    _assert_clean(visitor, "search from a tutorial page")


def test_search_finds_the_autograd_tutorial(visitor: Visitor) -> None:
    tagged = [
        attrs["href"].split("#")[0]
        for _, attrs in _tags(SITE / "tags" / "autograd.html", "a")
        if attrs.get("href", "").startswith(f"../{GALLERY}/")
    ]
    assert tagged, "no tutorial is tagged autograd"
    page = visitor.open("search.html?q=autograd")
    page.wait_for_function(
        "document.querySelectorAll('#search-results ul.search li').length > 0"
        " || /no documents|did not match/i.test("
        "document.getElementById('search-results')?.textContent || '')",
        timeout=TIMEOUT_MS,
    )
    hits = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
    )
    found = {h.split("#")[0].split("?")[0] for h in hits}
    wanted = {t.removeprefix("../") for t in tagged}
    assert found & wanted, f"search for autograd listed {sorted(found)}, wanted one of {wanted}"
    _assert_clean(visitor, "search.html?q=autograd")


def test_tag_pages_list_their_tutorials(visitor: Visitor) -> None:
    page = visitor.open("tags/index.html")
    tags = page.eval_on_selector_all(
        "article a[href*='.html#tag-']", "links => links.map(a => a.getAttribute('href'))"
    )
    assert len(tags) >= 3
    for href in tags:
        tag_page = SITE / "tags" / href.split("#")[0]
        listed = [a for _, a in _tags(tag_page, "a") if "../" in (a.get("href") or "")]
        assert listed, f"{href} lists no page"


# %% Looks: light and dark ------------------------------------------------------


def _background(page: object) -> str:
    return page.evaluate("getComputedStyle(document.body).backgroundColor")


def test_dark_mode_switch(visitor: Visitor, screenshots: Path) -> None:
    page = visitor.open("index.html")
    first_theme = page.evaluate("document.documentElement.dataset.theme")
    first_background = _background(page)
    assert first_theme == "light"
    page.screenshot(path=str(screenshots / "landing-light.png"))
    # the switch opens a menu: system settings, light, dark
    page.locator(".theme-switch-button:visible").first.click()
    page.locator(".dropdown-menu.show .theme-change-button[data-mode='dark']").click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.wait_for_timeout(300)  # the theme's colour transition
    assert _background(page) != first_background
    page.screenshot(path=str(screenshots / "landing-dark.png"))
    _assert_clean(visitor, "index.html (dark)")


def test_tutorial_screenshot(visitor: Visitor, screenshots: Path) -> None:
    page = visitor.open(TUTORIALS[0])
    page.evaluate(WAIT_FOR_IMAGES)
    page.screenshot(path=str(screenshots / "tutorial.png"))
    page.screenshot(path=str(screenshots / "tutorial-full.png"), full_page=True)
    box = page.locator(".admonition.nlptut-provenance")
    if box.count():
        box.scroll_into_view_if_needed()
        box.screenshot(path=str(screenshots / "tutorial-provenance.png"))


# %% Accessibility ----------------------------------------------------------------


def _axe_violations(page: object) -> list[str]:
    from axe_playwright_python.base import AXE_SCRIPT

    page.add_script_tag(content=AXE_SCRIPT)
    result = page.evaluate("async () => await axe.run(document, { resultTypes: ['violations'] })")
    bad = []
    for violation in result["violations"]:
        if violation["impact"] in {"serious", "critical"}:
            targets = [", ".join(node["target"]) for node in violation["nodes"][:5]]
            bad.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} "
                f"[{len(violation['nodes'])} nodes, e.g. {targets}]"
            )
    return bad


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("which", ["landing", "tutorial"])
def test_accessibility(browser: object, base_url: str, which: str, scheme: str) -> None:
    """axe-core finds no serious or critical violation."""
    path = "index.html" if which == "landing" else TUTORIALS[0]
    visitor = new_visitor(browser, base_url, scheme)
    try:
        page = visitor.open(path)
        page.evaluate(WAIT_FOR_IMAGES)
        assert page.evaluate("document.documentElement.dataset.theme") == scheme
        bad = _axe_violations(page)
    finally:
        visitor.page.context.close()
    assert not bad, f"{path} ({scheme}):\n  " + "\n  ".join(bad)


def _english_pages() -> list[str]:
    """Every page of the English site, relative to it: Sphinx's own folders
    (``_static``, ``_images``, ...) hold no pages, but ``_modules`` (the
    highlighted source) does; ``id/`` is the Indonesian edition."""
    pages = []
    for html in sorted(SITE.rglob("*.html")):
        folders = html.relative_to(SITE).parts[:-1]
        if folders[:1] == ("id",) or any(
            f.startswith(("_", ".")) and f != "_modules" for f in folders
        ):
            continue
        pages.append(str(html.relative_to(SITE)))
    return pages


def axe_failures(browser: object, base_url: str, pages: list[str]) -> list[str]:
    """The serious or critical axe-core violations of each page, one entry per page."""
    visitor = new_visitor(browser, base_url, "light")
    failures = []
    try:
        for path in pages:
            visitor.open(path)
            bad = _axe_violations(visitor.page)
            if bad:
                failures.append(f"{path}:\n    " + "\n    ".join(bad))
    finally:
        visitor.page.context.close()
    return failures


def test_every_page_passes_axe(browser: object, base_url: str) -> None:
    """No English page (category pages, references, API and source pages included)
    has a serious or critical axe-core violation."""
    pages = _english_pages()
    failures = axe_failures(browser, base_url, pages)
    assert not failures, f"{len(failures)} of {len(pages)} pages:\n  " + "\n  ".join(failures)


@pytest.mark.parametrize("path", TUTORIALS, ids=_tutorial_ids())
def test_printed_outputs_fit_a_phone(visitor: Visitor, path: str) -> None:
    """On a 390-px wide screen no printed output hides its end off to the side."""
    visitor.page.set_viewport_size({"width": 390, "height": 844})
    visitor.open(path)
    wide = visitor.page.evaluate(
        """() => Array.from(document.querySelectorAll(".sphx-glr-script-out pre"))
              .filter((pre) => pre.scrollWidth > pre.clientWidth + 1)
              .map((pre) => pre.textContent.trim().split("\\n")[0].slice(0, 60))"""
    )
    assert not wide, f"{path}: {len(wide)} outputs scroll sideways, first: {wide[:3]}"


def test_figures_follow_dark_mode(browser: object, base_url: str) -> None:
    """In dark mode a tutorial's figures are drawn light on dark, not dimmed white."""
    path = next(p for p in TUTORIALS if "end_to_end" in p)
    filters = {}
    for scheme in ("light", "dark"):
        visitor = new_visitor(browser, base_url, scheme)
        try:
            visitor.open(path)
            filters[scheme] = visitor.page.evaluate(
                """() => Array.from(document.querySelectorAll("img.sphx-glr-single-img"))
                      .map((img) => getComputedStyle(img).filter)"""
            )
        finally:
            visitor.page.context.close()
    assert filters["dark"] and all("invert" in f for f in filters["dark"]), filters
    assert not any("invert" in f for f in filters["light"]), filters


@pytest.mark.parametrize("page", ["index.html", *TUTORIALS[:1]])
def test_every_page_says_where_to_ask_for_help(page: str):
    html = (SITE / page).read_text(encoding="utf-8")
    footer = html[html.index('class="nlptut-help"') :]
    assert "/issues/new?title=" in footer[:600]


def test_start_here_comes_first_and_times_every_tutorial():
    index = (SITE / "index.html").read_text(encoding="utf-8")
    cards = re.findall(r'<a class="[^"]*sd-stretched-link[^"]*" href="([^"]+)"', index)
    assert cards and cards[0] == "start-here.html"  # the first card on the landing page
    nav = index[index.index("bd-navbar-elements") :]
    assert re.search(r'href="([^"]+)"', nav).group(1) == "start-here.html"  # first in the top bar
    page = (SITE / "start-here.html").read_text(encoding="utf-8")
    assert "Beginner route" in page and "Deep dive" in page
    assert "not run in this build" not in page  # every tutorial on a route has its run time
    assert len(re.findall(r"<td><p>\d+ s</p></td>", page)) >= 10


def test_next_and_previous_follow_the_reading_route():
    page = (SITE / GALLERY / "02_emotion" / "plot_03_your_own_data.html").read_text(
        encoding="utf-8"
    )
    footer = page[page.index('class="prev-next-area"') :]
    links = dict(re.findall(r'class="(left-prev|right-next)"\s+href="([^"]+)"', footer))
    # the Beginner route: end to end -> your own data -> tokenizers
    assert links["left-prev"] == "plot_01_emotion_end_to_end.html"
    assert links["right-next"] == "../04_huggingface/plot_01_tokenizers.html"
    labels = re.findall(r'<p class="prev-next-subtitle">([^<]*)</p>', footer)
    assert labels == ["Beginner route, previous", "Beginner route, next"]


def _prev_next(path: str) -> list[tuple[str, str, str]]:
    """(href, label, title) of the previous and next links at the bottom of a page."""
    page = (SITE / path).read_text(encoding="utf-8")
    footer = page[page.index('class="prev-next-area"') :]
    return re.findall(
        r'href="([^"]+)".*?<p class="prev-next-subtitle">([^<]*)</p>\s*'
        r'<p class="prev-next-title">([^<]*)</p>',
        footer,
        re.DOTALL,
    )


def test_the_beginner_route_ends_on_what_you_can_do_now():
    meaning = _prev_next(f"{GALLERY}/04_huggingface/plot_05_read_the_meaning.html")
    assert meaning[-1][:2] == ("plot_07_teaching_the_difference.html", "Beginner route, next")
    last = _prev_next(f"{GALLERY}/04_huggingface/plot_07_teaching_the_difference.html")
    assert last[-1][:2] == ("../../intro/what-you-can-do-now.html", "Beginner route, next")
    ending = _prev_next("intro/what-you-can-do-now.html")
    assert ending[0][:2] == (
        f"../{GALLERY}/04_huggingface/plot_07_teaching_the_difference.html",
        "Beginner route, previous",
    )
    assert ending[-1][1] == "Beginner route ends here; next"


def test_every_benchmark_report_has_a_page():
    reports = sorted((ROOT / "benchmarks" / "results").glob("*.md"))
    assert reports
    index = (SITE / "benchmarks" / "index.html").read_text(encoding="utf-8")
    for report in reports:
        assert f'href="results/{report.stem}.html"' in index, report.name
        page = (SITE / "benchmarks" / "results" / f"{report.stem}.html").read_text(encoding="utf-8")
        assert "not by this build" in page, report.name  # the page says where its numbers are from
        text = re.sub(r"<[^>]+>", "", page)  # highlighting splits a command into spans
        assert "python benchmarks/bench_" in text, report.name  # and how to run it again


def test_api_pages_name_the_tutorials_that_use_them():
    """An API page ends with "Used in these tutorials", from sphinx-gallery's backreferences."""
    html = (SITE / "generated" / "nlptut.datasets.html").read_text(encoding="utf-8")
    assert "Used in these tutorials" in html, "nlptut.datasets lists no tutorial"
    used = set(re.findall(rf'href="\.\./{GALLERY}/[^"#]+/(plot_[^"#/]+)\.html"', html))
    assert "plot_01_emotion_end_to_end" in used, sorted(used)
