"""Math rendered when the site is built, as MathML: no script, no web font, no download.

Sphinx's default math renderer ships every page that has a formula with
MathJax, a 1.3 MB script that typesets the formulas in the reader's browser.
This extension converts each formula's LaTeX to MathML once, at build time,
with ``latex2mathml``; current browsers (Chromium from version 109, Firefox,
Safari) draw MathML themselves, in the page's own colours, so formulas follow
light and dark mode. The LaTeX source stays in the page as the formula's
``alttext`` (read by screen readers that do not speak MathML, and shown by
copy and paste tools).

Enable it in ``conf.py`` with ``extensions += ["nlptut_mathml"]`` and
``html_math_renderer = "mathml"``.
"""

from __future__ import annotations

import html
from typing import Any

from docutils import nodes
from latex2mathml.converter import convert
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

logger = logging.getLogger(__name__)

# LaTeX spacing that latex2mathml does not know and that changes nothing a
# reader needs: negative thin space (\!).
_DROP = (r"\!",)


def to_mathml(latex: str, *, block: bool) -> str:
    """Return ``latex`` as a ``<math>`` element (``display="block"`` for a block)."""
    source = latex.strip()
    for token in _DROP:
        source = source.replace(token, "")
    try:
        mathml = convert(source, display="block" if block else "inline")
    except Exception as exc:  # latex2mathml raises many types; the formula is what matters
        raise ExtensionError(f"cannot convert the formula {latex!r} to MathML: {exc}") from exc
    alt = html.escape(" ".join(latex.split()), quote=True)
    return mathml.replace("<math ", f'<math alttext="{alt}" ', 1)


def visit_math(self: Any, node: nodes.math) -> None:
    self.body.append(
        f'<span class="math notranslate nohighlight">{to_mathml(node.astext(), block=False)}</span>'
    )
    raise nodes.SkipNode


def visit_displaymath(self: Any, node: nodes.math_block) -> None:
    number = ""
    if node.get("number"):
        number = f'<span class="eqno">({node["number"]})</span>'
    # as Sphinx's own renderers: paragraphs of a math block are separate equations
    parts = [part for part in node.astext().split("\n\n") if part.strip()]
    self.body.append(self.starttag(node, "div", CLASS="math notranslate nohighlight"))
    self.body.append(number + "".join(to_mathml(part, block=True) for part in parts) + "</div>\n")
    raise nodes.SkipNode


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_html_math_renderer("mathml", (visit_math, None), (visit_displaymath, None))
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
