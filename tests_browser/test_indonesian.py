"""The Indonesian edition (docs/_build/html/id), as a reader's browser sees it.

``nox -s docs`` builds it beside the English site; the pages on
``docs/locale/id/complete.txt`` are fully translated. These tests check what
a reader meets: the ``lang`` of the pages, the language switch both ways,
search in Indonesian, and that the translated route pages load cleanly and
stay light.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from browsing import GALLERY, ROOT, SITE, TIMEOUT_MS, Visitor
from test_site import MAX_PAGE_BYTES, WAIT_FOR_IMAGES, _assert_clean, axe_failures

EDITION = SITE / "id"
COMPLETE = [
    line.split("#", 1)[0].strip()
    for line in (ROOT / "docs" / "locale" / "id" / "complete.txt").read_text("utf-8").splitlines()
    if line.split("#", 1)[0].strip()
]
ROUTE_TUTORIALS = [d for d in COMPLETE if d.startswith(f"{GALLERY}/")]


def _lang(html: Path) -> str | None:
    match = re.search(r"<html[^>]*\blang=\"([^\"]+)\"", html.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def test_the_indonesian_edition_was_built() -> None:
    assert (EDITION / "index.html").is_file(), f"no Indonesian edition at {EDITION}: nox -s docs"
    assert COMPLETE, "docs/locale/id/complete.txt lists no page"


@pytest.mark.parametrize("docname", COMPLETE)
def test_complete_pages_are_indonesian(docname: str) -> None:
    html = EDITION / f"{docname}.html"
    assert html.is_file(), f"{docname} is on complete.txt but has no Indonesian page"
    assert _lang(html) == "id"
    assert _lang(SITE / f"{docname}.html") == "en"


def test_language_switch_both_ways(visitor: Visitor) -> None:
    path = f"{ROUTE_TUTORIALS[0]}.html"
    page = visitor.open(path)
    english_title = page.title()
    page.locator(".nlptut-languages a[hreflang='id']").first.click()
    page.wait_for_url(f"**/id/{path}", timeout=TIMEOUT_MS)
    assert page.locator("html").get_attribute("lang") == "id"
    assert page.title() != english_title, "the Indonesian page kept the English title"
    current = page.locator(".nlptut-languages [aria-current='true']").first
    assert current.inner_text().strip() == "Bahasa Indonesia"
    page.locator(".nlptut-languages a[hreflang='en']").first.click()
    page.wait_for_url(re.compile(rf"/(?!id/){re.escape(path)}$"), timeout=TIMEOUT_MS)
    assert page.title() == english_title
    _assert_clean(visitor, path)


def test_search_in_indonesian_finds_emosi(visitor: Visitor) -> None:
    page = visitor.open("id/search.html?q=emosi")
    page.wait_for_function(
        "document.querySelectorAll('#search-results ul.search li').length > 0"
        " || /no documents|did not match|tidak/i.test("
        "document.getElementById('search-results')?.textContent || '')",
        timeout=TIMEOUT_MS,
    )
    hits = page.eval_on_selector_all(
        "#search-results ul.search li a", "links => links.map(a => a.getAttribute('href'))"
    )
    found = {h.split("#")[0].split("?")[0].removesuffix(".html") for h in hits}
    assert found & set(COMPLETE), f"search for 'emosi' found {sorted(found)[:10]}"
    _assert_clean(visitor, "id/search.html?q=emosi")


def test_indonesian_start_page_lists_the_complete_pages(visitor: Visitor) -> None:
    page = visitor.open("id/start-here.html")
    box = page.locator(".admonition", has_text="Edisi Bahasa Indonesia")
    assert box.count() == 1
    links = box.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert len(links) == len(COMPLETE)


@pytest.mark.parametrize("docname", ROUTE_TUTORIALS, ids=[Path(d).stem for d in ROUTE_TUTORIALS])
def test_indonesian_route_page_is_clean_and_light(visitor: Visitor, docname: str) -> None:
    path = f"id/{docname}.html"
    visitor.open(path)
    visitor.page.evaluate(WAIT_FOR_IMAGES)
    visitor.page.wait_for_load_state("networkidle")
    total = sum(visitor.log.loaded.values())
    assert total <= MAX_PAGE_BYTES, f"{path} loads {total:,} bytes"
    _assert_clean(visitor, path)


def test_translated_pages_pass_axe(browser: object, base_url: str) -> None:
    """The translated pages have no serious or critical axe-core violation either
    (their structure is the English one's; their words and labels are not)."""
    pages = [f"id/{docname}.html" for docname in COMPLETE]
    failures = axe_failures(browser, base_url, pages)
    assert not failures, f"{len(failures)} of {len(pages)} pages:\n  " + "\n  ".join(failures)
