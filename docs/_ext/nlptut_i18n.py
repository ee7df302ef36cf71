"""The Indonesian edition: what is translated, and the link between the two editions.

The site is translated the standard Sphinx way (``locale_dirs``, message
catalogues under ``docs/locale/<language>/LC_MESSAGES``, managed with
``sphinx-intl``; ``nox -s gettext`` extracts and updates them). This extension

* keeps out of the catalogues what a build computes, so that a translation
  never goes stale because a number changed: the outputs of MyST notebook
  cells, sphinx-gallery's run-time and memory lines, and paragraphs or table
  cells made only of numbers and units (the times of the Start here tables);
  in another edition, sphinx-gallery's two lines get their labels from
  ``sphinx.po`` instead, numbers kept; glossary terms stay in English too, so
  that every page's ``:term:`` link keeps its target (the Indonesian
  definition gives the Indonesian word);
* gives every page a language switch in the top bar
  (``docs/_templates/language-switch.html``) that leads to the same page in
  the other edition: the English site is the root of the build and each
  other language a folder in it (``id/``); on Read the Docs, where each
  language is its own project, the link goes to ``/<language>/<version>/``;
* gives ``nlptut_start`` the list of pages whose translation is complete
  (shown on the Start here page of that edition), read from
  ``docs/locale/<language>/complete.txt`` by ``.ci/translation_coverage.py``,
  the script that holds them to 100%.

Configuration: ``nlptut_languages``, ``{code: name}`` of every edition, the
source language first.
"""

from __future__ import annotations

import importlib.util
import os
import re
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.locale import _
from sphinx.transforms import SphinxTransform

HERE = Path(__file__).resolve().parent

# Text a build computes: never a message to translate.
_COMPUTED = re.compile(
    r"^(?:[\d\s.,:;%()+\-–—/×x]*(?:\s*(?:s|ms|min|MB|KB|GB))?"
    r"|Total running time of the script:.*|Estimated memory usage:.*)$",
    re.DOTALL,
)


def language_of(config: Any) -> str:
    """The language of the edition being built: ``language`` of conf.py, English when unset."""
    return config.language or "en"


def _coverage_script() -> Any:
    """``.ci/translation_coverage.py``, which owns the reading of ``complete.txt``."""
    path = HERE.parent.parent / ".ci" / "translation_coverage.py"
    spec = importlib.util.spec_from_file_location("translation_coverage", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def complete_pages(language: str) -> list[str]:
    """The docnames whose ``language`` translation must be complete (``complete.txt``)."""
    return _coverage_script().complete_list(language)


class KeepComputedUntranslated(SphinxTransform):
    """Mark computed text and glossary terms as not translatable (before the Locale transform)."""

    default_priority = 5  # sphinx.transforms.i18n.Locale runs at 20

    def apply(self, **kwargs: Any) -> None:
        for container in self.document.findall(nodes.container):
            if "cell_output" in container.get("classes", []):
                for node in container.findall(nodes.TextElement):
                    node["translatable"] = False
        for glossary in self.document.findall(addnodes.glossary):
            for node in glossary.findall(nodes.term):
                node["translatable"] = False
        english = language_of(self.config) == "en"
        for node in list(self.document.findall(nodes.TextElement)):
            if isinstance(node, (nodes.paragraph, nodes.strong)) and _COMPUTED.match(
                node.astext().strip()
            ):
                node["translatable"] = False
                if not english and isinstance(node, nodes.paragraph):
                    _translate_gallery_footer(node, self.config.language)


_GALLERY_LABELS = {
    "Total running time of the script:": _("Total running time of the script:"),
    "Estimated memory usage:": _("Estimated memory usage:"),
}
_MINUTES = re.compile(r"\((\d+) minutes ([\d.]+) seconds\)")


def _translate_gallery_footer(paragraph: nodes.paragraph, language: str) -> None:
    """sphinx-gallery's run-time and memory lines, in the edition's words and number style."""
    from babel.numbers import format_decimal

    for strong in paragraph.findall(nodes.strong):
        label = strong.astext().strip()
        if label in _GALLERY_LABELS:
            strong.replace(strong[0], nodes.Text(str(_GALLERY_LABELS[label])))
    for text in list(paragraph.findall(nodes.Text)):
        match = _MINUTES.search(text)
        if match and text.parent is paragraph:
            seconds = format_decimal(float(match[2]), format="0.###", locale=language)
            words = _("(%(minutes)s minutes %(seconds)s seconds)") % {
                "minutes": match[1],
                "seconds": seconds,
            }
            paragraph.replace(text, nodes.Text(text[: match.start()] + words + text[match.end() :]))


def _other_editions(app: Any, pagename: str) -> list[dict[str, Any]]:
    """Links from ``pagename`` to the same page in every edition, this one marked current."""
    languages: dict[str, str] = app.config.nlptut_languages
    current = language_of(app.config)
    source = next(iter(languages), "en")
    depth = pagename.count("/")
    on_rtd = os.environ.get("READTHEDOCS") == "True"
    version = os.environ.get("READTHEDOCS_VERSION", "latest")
    links = []
    for code, name in languages.items():
        if on_rtd:
            href = f"/{code}/{version}/{pagename}.html"
        else:
            up = "../" * depth + ("../" if current != source else "")
            href = up + ("" if code == source else f"{code}/") + f"{pagename}.html"
        links.append({"code": code, "name": name, "href": href, "current": code == current})
    return links


def on_page_context(app: Any, pagename: str, templatename: str, context: dict, doctree) -> None:
    if app.builder.format != "html":
        return
    context["nlptut_editions"] = _other_editions(app, pagename)


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("nlptut_languages", {"en": "English"}, "html", types=frozenset({dict}))
    app.add_transform(KeepComputedUntranslated)
    app.connect("html-page-context", on_page_context)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
