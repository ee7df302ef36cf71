"""The site around the tutorials: tags, "Open in Colab", edit links, the landing page.

Configuration (set in ``conf.py``):

``nlptut_tags``
    The one place where tutorials get their tags: a mapping from an example's
    file name (``"plot_02_what_is_deep_learning.py"``) or a page's docname
    (``"intro/tale-of-nlp"``) to a list of tags. Authors never touch their
    scripts for it. Keys that match no page are ignored (a tutorial may not be
    written yet).
``nlptut_tag_descriptions``
    One sentence per tag, shown on the tag's page. Every tag used must be
    described here (the build warns otherwise, and the -W build fails).
``nlptut_repository``, ``nlptut_branch``, ``nlptut_notebooks_branch``
    ``owner/name`` of the repository, the branch the sources live on, and the
    branch to which the notebooks of the tutorials are published (see
    "Open in Colab" below).

What it does:

* writes ``tags/index.rst`` and one ``tags/<tag>.rst`` per tag into the source
  folder when the build starts (a generated folder, git-ignored by a
  ``.gitignore`` inside it), each listing its tutorials;
* shows the tags of a page under its title, as badges linking to the tag
  pages, and on each gallery tutorial an "Open in Colab" badge;
* copies every tutorial notebook to ``<html>/notebooks/<section>/<name>.ipynb``
  (stable paths, unlike sphinx-gallery's hashed download folders). "Open in
  Colab" points at ``https://colab.research.google.com/github/<repository>/
  blob/<notebooks branch>/<section>/<name>.ipynb``: it works once the
  contents of that folder are pushed to the root of the notebooks branch
  (see the comment in ``conf.py``);
* points "Edit on GitHub" of generated pages at their real source (the
  example script, the section README, the module of an API page) and hides
  it on pages that have no source in the repository;
* renders ``index.rst`` through Jinja before it is parsed, with ``sections``
  (the gallery sections that exist), ``tutorial_count(section)`` and
  ``has_doc(docname)``, so the landing page links only to pages that exist;
* removes the remote jQuery/DataTables scripts that sphinx-gallery puts on its
  computation-times pages (the table stays, sorted by time): the site loads no
  third-party script unless configured to.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlptut_i18n import language_of
from sphinx.locale import _
from sphinx.util import logging

logger = logging.getLogger(__name__)

TAGS_DIR = "tags"
COLAB = "https://colab.research.google.com/github/{repo}/blob/{branch}/{path}"
_HEADER_NAMES = ("README.rst", "README.txt", "GALLERY_HEADER.rst")


@dataclass
class Tutorial:
    """One gallery example, as the site sees it."""

    section: str  # folder under examples/, e.g. "01_foundations"
    file: str  # e.g. "plot_02_what_is_deep_learning.py"
    title: str
    intro: str
    tags: list[str] = field(default_factory=list)

    @property
    def stem(self) -> str:
        return Path(self.file).stem

    def docname(self, gallery_dir: str) -> str:
        return f"{gallery_dir}/{self.section}/{self.stem}"


# %% Discovering the gallery ---------------------------------------------------


def _gallery(app: Any) -> tuple[Path, str]:
    conf = app.config.sphinx_gallery_conf
    examples = conf["examples_dirs"]
    gallery = conf["gallery_dirs"]
    examples = examples[0] if isinstance(examples, list | tuple) else examples
    gallery = gallery[0] if isinstance(gallery, list | tuple) else gallery
    return (Path(app.confdir) / examples).resolve(), gallery


def sections(app: Any) -> list[Path]:
    """The gallery's section folders that sphinx-gallery rendered, in name order.

    Only sections with a header file and a generated ``index.rst`` count, so a
    folder that appears while the site builds is left for the next build.
    """
    examples, gallery = _gallery(app)
    if not examples.is_dir():
        return []
    return sorted(
        d
        for d in examples.iterdir()
        if d.is_dir()
        and any((d / n).is_file() for n in _HEADER_NAMES)
        and (Path(app.srcdir) / gallery / d.name / "index.rst").is_file()
    )


def _section_header(folder: Path) -> Path | None:
    return next((folder / n for n in _HEADER_NAMES if (folder / n).is_file()), None)


def section_title(folder: Path) -> str:
    """The title of a section: the first reST title of its header file."""
    header = _section_header(folder)
    if header is not None:
        lines = header.read_text(encoding="utf-8").splitlines()
        for above, below in zip(lines, lines[1:], strict=False):
            if above.strip() and re.fullmatch(r"([=\-~^\"'`#*+])\1{2,}", below.strip()):
                return above.strip()
    return folder.name


def tutorials(app: Any) -> list[Tutorial]:
    """Every example the gallery will render, with its title, intro and tags."""
    from sphinx_gallery.gen_rst import extract_intro_and_title
    from sphinx_gallery.py_source_parser import split_code_and_text_blocks

    conf = app.config.sphinx_gallery_conf
    pattern = re.compile(conf.get("filename_pattern", r"\.py$"))
    ignore = re.compile(conf.get("ignore_pattern", r"__init__\.py"))
    _, gallery = _gallery(app)
    found = []
    for folder in sections(app):
        for path in sorted(folder.glob("*.py")):
            if not pattern.search(str(path)) or ignore.search(path.name):
                continue
            if not (Path(app.srcdir) / gallery / folder.name / f"{path.stem}.rst").is_file():
                continue  # not rendered (yet): it appeared while the site was building
            try:
                _, blocks = split_code_and_text_blocks(str(path))
                intro, title = extract_intro_and_title(str(path), blocks[0].content)
            except Exception:  # sphinx-gallery reports a broken docstring itself
                intro, title = "", path.stem
            found.append(
                Tutorial(
                    folder.name,
                    path.name,
                    title,
                    intro,
                    list(app.config.nlptut_tags.get(path.name, [])),
                )
            )
    return found


# %% Tag pages -----------------------------------------------------------------


def _slug(tag: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", tag.lower()).strip("-")


def _write_if_changed(path: Path, text: str) -> None:
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def _other_tagged_pages(app: Any) -> dict[str, list[str]]:
    """Tagged pages that are not gallery tutorials: docname -> tags (if the page exists)."""
    pages = {}
    for key, tags in app.config.nlptut_tags.items():
        if key.endswith(".py"):
            continue
        if any((Path(app.srcdir) / f"{key}{s}").is_file() for s in (".rst", ".md")):
            pages[key] = list(tags)
    return pages


def _page_title(app: Any, docname: str) -> str:
    for suffix in (".md", ".rst"):
        path = Path(app.srcdir) / f"{docname}{suffix}"
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            match = re.search(r"^# (.+)$", text, re.MULTILINE) if suffix == ".md" else None
            if match is None:
                lines = text.splitlines()
                for above, below in zip(lines, lines[1:], strict=False):
                    if above.strip() and re.fullmatch(r"([=\-~^\"'`#*+])\1{2,}", below.strip()):
                        return above.strip()
            else:
                return match.group(1).strip()
    return docname


def write_tag_pages(app: Any) -> None:
    """Generate ``tags/index.rst`` and one page per tag (at ``builder-inited``)."""
    _, gallery = _gallery(app)
    descriptions = app.config.nlptut_tag_descriptions
    by_tag: dict[str, list[tuple[str, str, str]]] = {}  # tag -> [(docname, title, where)]
    titles = {s.name: section_title(s) for s in sections(app)}
    for tut in tutorials(app):
        for tag in tut.tags:
            by_tag.setdefault(tag, []).append(
                (tut.docname(gallery), tut.title, titles.get(tut.section, tut.section))
            )
    for docname, tags in _other_tagged_pages(app).items():
        for tag in tags:
            by_tag.setdefault(tag, []).append((docname, _page_title(app, docname), ""))
    for tag in by_tag:
        if tag not in descriptions:
            logger.warning(
                f"tag {tag!r} has no description; add it to nlptut_tag_descriptions in conf.py",
                type="nlptut",
                subtype="tags",
            )

    folder = Path(app.srcdir) / TAGS_DIR
    folder.mkdir(exist_ok=True)
    _write_if_changed(folder / ".gitignore", "# generated by docs/_ext/nlptut_gallery.py\n*\n")
    wanted = {"index.rst"} | {f"{_slug(t)}.rst" for t in by_tag}
    for stale in folder.glob("*.rst"):
        if stale.name not in wanted:
            stale.unlink()

    ordered = sorted(by_tag, key=lambda t: (-len(by_tag[t]), t))
    index = [
        ".. This page is generated by docs/_ext/nlptut_gallery.py from nlptut_tags in conf.py.",
        "",
        ".. _tags:",
        "",
        "Tags",
        "====",
        "",
        "Every tutorial carries a few tags: what it teaches, the tools it uses and the",
        "language of its data. Pick a tag to see its pages.",
        "",
    ]
    for tag in ordered:
        count = len(by_tag[tag])
        index.append(
            f"- :ref:`{tag} <tag-{_slug(tag)}>` ({count} page{'s' if count != 1 else ''}): "
            f"{descriptions.get(tag, '')}"
        )
    index += ["", ".. toctree::", "   :hidden:", ""]
    index += [f"   {_slug(t)}" for t in sorted(by_tag)]
    _write_if_changed(folder / "index.rst", "\n".join(index) + "\n")

    for tag, pages in by_tag.items():
        title = f"Tag: {tag}"
        lines = [
            ".. This page is generated by docs/_ext/nlptut_gallery.py from nlptut_tags in conf.py.",
            "",
            f".. _tag-{_slug(tag)}:",
            "",
            title,
            "=" * len(title),
            "",
            descriptions.get(tag, ""),
            "",
        ]
        for docname, page_title, where in sorted(pages):
            suffix = f" ({where})" if where else ""
            lines.append(f"- :doc:`{_escape(page_title)} </{docname}>`{suffix}")
        lines += ["", "See :ref:`all tags <tags>`.", ""]
        _write_if_changed(folder / f"{_slug(tag)}.rst", "\n".join(lines))


def _escape(text: str) -> str:
    return text.replace("<", r"\<").replace("`", r"\`")


# %% Injections into pages (source-read) ---------------------------------------


def _after_title_rst(text: str, block: str) -> str:
    """Insert an reST block after the first section title of ``text``."""
    lines = text.split("\n")
    for i in range(len(lines) - 1):
        above, below = lines[i], lines[i + 1]
        if (
            above.strip()
            and not above.startswith((" ", ".."))
            and re.fullmatch(r"([=\-~^\"'`#*+])\1{2,}", below.strip())
            and len(below.strip()) >= len(above.strip())
        ):
            return "\n".join(lines[: i + 2] + ["", block, ""] + lines[i + 2 :])
    return text


def _after_title_md(text: str, block: str) -> str:
    match = re.search(r"^# .+$", text, re.MULTILINE)
    if match is None:
        return text
    return text[: match.end()] + "\n\n" + block + "\n" + text[match.end() :]


def colab_url(app: Any, section: str, stem: str) -> str:
    return COLAB.format(
        repo=app.config.nlptut_repository,
        branch=app.config.nlptut_notebooks_branch,
        path=f"{section}/{stem}.ipynb",
    )


def _badges(tags: list[str], role: str) -> list[str]:
    return [f"{role}`{tag} <tag-{_slug(tag)}>`" for tag in tags]


def _route_badge(app: Any, key: str, role: str) -> list[str]:
    """A badge naming the reading route a page is on (``nlptut_routes``), linking to Start here."""
    for name, keys in getattr(app.config, "nlptut_routes", {}).items():
        if key in keys:
            return [f"{role}`{name} <start-here>`"]
    return []


def _strip_remote_scripts(text: str) -> str:
    """Drop sphinx-gallery's raw HTML block that loads jQuery/DataTables from CDNs."""
    return re.sub(
        r"\n  \.\. raw:: html\n\n(?:    .*\n|\n)*?(?=  \.\. list-table::)",
        "\n",
        text,
    )


def on_source_read(app: Any, docname: str, source: list[str]) -> None:
    _, gallery = _gallery(app)
    text = source[0]
    if docname == "index":
        source[0] = render_landing(app, text)
        return
    if docname.endswith("sg_execution_times"):
        source[0] = _strip_remote_scripts(text)
        return
    parts = docname.split("/")
    if len(parts) == 3 and parts[0] == gallery and parts[2] != "index":
        section, stem = parts[1], parts[2]
        if not (Path(app.srcdir) / f"{docname}.py").is_file():
            return
        tags = list(app.config.nlptut_tags.get(f"{stem}.py", []))
        items = _route_badge(app, f"{section}/{stem}", ":bdg-ref-info:")
        items += _badges(tags, ":bdg-ref-primary-line:")
        colab = colab_url(app, section, stem)
        items.append(f":bdg-link-secondary:`Open in Colab <{colab}>`")
        block = ".. rst-class:: nlptut-page-meta\n\n" + " ".join(items)
        source[0] = _after_title_rst(text, block)
        return
    tags = app.config.nlptut_tags.get(docname)
    if not tags:
        return
    path = Path(app.env.doc2path(docname))
    if path.suffix == ".md":
        badges = _route_badge(app, docname, "{bdg-ref-info}")
        badges += _badges(tags, "{bdg-ref-primary-line}")
        block = "```{div} nlptut-page-meta\n" + " ".join(badges)
        source[0] = _after_title_md(text, block + "\n```\n")
    else:
        badges = _route_badge(app, docname, ":bdg-ref-info:")
        badges += _badges(tags, ":bdg-ref-primary-line:")
        block = ".. rst-class:: nlptut-page-meta\n\n" + " ".join(badges)
        source[0] = _after_title_rst(text, block)


# %% The landing page ----------------------------------------------------------


def render_landing(app: Any, text: str) -> str:
    import jinja2

    existing = {s.name for s in sections(app)}
    counts: dict[str, int] = {}
    for tut in tutorials(app):
        counts[tut.section] = counts.get(tut.section, 0) + 1

    def has_doc(docname: str) -> bool:
        return any((Path(app.srcdir) / f"{docname}{s}").is_file() for s in (".rst", ".md"))

    def tutorial_count(section: str) -> str:
        n = counts.get(section, 0)
        return f"{n} tutorial{'s' if n != 1 else ''}"

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(text).render(
        sections=existing,
        has_doc=has_doc,
        tutorial_count=tutorial_count,
        gallery_dir=_gallery(app)[1],
    )


# %% Edit links and published notebooks ----------------------------------------


def on_page_context(app: Any, pagename: str, templatename: str, context: dict, doctree: Any):
    """Point "Edit on GitHub" of generated pages at their real source."""
    if "get_edit_provider_and_url" not in context:
        return
    examples, gallery = _gallery(app)
    root = Path(app.confdir).parent.resolve()
    repo, branch = app.config.nlptut_repository, app.config.nlptut_branch
    source: Path | None = None
    parts = pagename.split("/")
    if parts[0] == gallery:
        if pagename == f"{gallery}/index":
            source = _section_header(examples) or examples / "README.rst"
        elif len(parts) == 3 and parts[2] == "index":
            source = _section_header(examples / parts[1])
        elif len(parts) == 3:
            source = examples / parts[1] / f"{parts[2]}.py"
    elif parts[0] == "generated" and len(parts) == 2:
        module = parts[1].split(".")
        for candidate in (
            root / "src" / Path(*module).with_suffix(".py"),
            root / "src" / Path(*module) / "__init__.py",
        ):
            if candidate.is_file():
                source = candidate
                break
    elif parts[0] == TAGS_DIR or pagename.endswith("sg_execution_times"):
        context["theme_use_edit_page_button"] = False
        return
    else:
        return
    if source is None or not source.is_file():
        context["theme_use_edit_page_button"] = False
        return
    rel = source.resolve().relative_to(root).as_posix()
    url = f"https://github.com/{repo}/edit/{branch}/{rel}"
    context["get_edit_provider_and_url"] = lambda: ("GitHub", url)


_TOGGLE = re.compile(
    r'(<a [^>]*?class="[^"]*reference internal[^"]*"[^>]*>((?:(?!</a>).)*)</a><details[^>]*>)'
    r"<summary>"
)


def _label_toggles(html: str) -> str:
    """Give each collapse toggle of the navigation an accessible name."""

    def label(match: re.Match[str]) -> str:
        title = re.sub(r"<[^>]+>", "", match.group(2)).replace('"', "&quot;").strip()
        name = _("Show or hide the pages of %(title)s") % {"title": title}
        return f'{match.group(1)}<summary aria-label="{name}">'

    return _TOGGLE.sub(label, html)


_CITATION = re.compile(r'(<div class="citation"[^>]*) role="doc-biblioentry"')


def _accessible(html: str) -> str:
    """The fixes axe asks of the HTML that the theme and docutils write.

    The theme's sidebar toggles are icon-only <summary> elements, which screen
    readers announce without a name (axe: summary-name, serious); and docutils
    puts citations (``role="doc-biblioentry"``, a deprecated role) in a
    ``role="list"`` container, which needs list items (axe:
    aria-required-children, critical).
    """
    html = _label_toggles(html)
    return _CITATION.sub(r'\1 role="listitem"', html)


# Sphinx's viewcode index lists a package's submodules in a <ul> placed right
# after the package's <li>, inside the outer <ul> (axe: list, serious): a list
# holds only items. Move each such inner list into the item before it.
_LIST_AFTER_ITEM = re.compile(r"</li>(\s*)<ul>((?:(?!<ul>|</ul>).)*)</ul>", re.S)


def _lists_hold_only_items(html: str) -> str:
    """``<li>a</li><ul>…</ul>`` becomes ``<li>a<ul>…</ul></li>``, innermost lists first."""
    while True:
        fixed = _LIST_AFTER_ITEM.sub(r"\1<ul>\2</ul></li>", html)
        if fixed == html:
            return html
        html = fixed


def make_pages_accessible(app: Any, exception: Exception | None) -> None:
    """Apply :func:`_accessible` to every page this build wrote (the written files,
    so that every sidebar is reached, the gallery's section pages included), and
    :func:`_lists_hold_only_items` to the index of the highlighted source code."""
    if exception is not None or app.builder.format != "html":
        return
    pages = [Path(app.outdir) / app.builder.get_target_uri(d) for d in sorted(app.env.found_docs)]
    for page in pages:
        if not page.is_file() or page.suffix != ".html":
            continue
        html = page.read_text(encoding="utf-8")
        fixed = _accessible(html)
        if fixed != html:
            page.write_text(fixed, encoding="utf-8")
    modules = Path(app.outdir) / "_modules" / "index.html"
    if modules.is_file():
        html = modules.read_text(encoding="utf-8")
        fixed = _lists_hold_only_items(html)
        if fixed != html:
            modules.write_text(fixed, encoding="utf-8")


def copy_notebooks(app: Any, exception: Exception | None) -> None:
    """Copy the tutorials' notebooks to ``<outdir>/notebooks/<section>/<name>.ipynb``.

    Only the English build does: the notebooks are the same in every edition
    (their code and outputs are not translated), and the Colab links point at
    the published copy of the English site's folder.
    """
    if exception is not None or app.builder.format != "html":
        return
    if language_of(app.config) != "en":
        return
    _, gallery = _gallery(app)
    out = Path(app.outdir) / "notebooks"
    for tut in tutorials(app):
        notebook = Path(app.srcdir) / gallery / tut.section / f"{tut.stem}.ipynb"
        if notebook.is_file():
            target = out / tut.section / notebook.name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(notebook, target)


def setup(app: Any) -> dict[str, Any]:
    app.add_config_value("nlptut_tags", {}, "env", types=frozenset({dict}))
    app.add_config_value("nlptut_tag_descriptions", {}, "env", types=frozenset({dict}))
    app.add_config_value("nlptut_repository", "nlptut/nlptut", "env", types=frozenset({str}))
    app.add_config_value("nlptut_branch", "main", "env", types=frozenset({str}))
    app.add_config_value("nlptut_notebooks_branch", "notebooks", "env", types=frozenset({str}))
    # after sphinx-gallery (priority 500), which generates the gallery pages
    app.connect("builder-inited", write_tag_pages, priority=600)
    app.connect("source-read", on_source_read)
    app.connect("html-page-context", on_page_context, priority=600)
    app.connect("build-finished", make_pages_accessible)
    app.connect("build-finished", copy_notebooks)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
