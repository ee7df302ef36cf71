"""Sphinx configuration for the nlptut site.

Grouped by concern: project, extensions, sources, execution (sphinx-gallery
and myst-nb), API reference, cross-references, bibliography, theme.
"""

from __future__ import annotations

import os
import socket
from datetime import date
from pathlib import Path

import nlptut

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# -- Project -----------------------------------------------------------------
project = "nlptut"
author = "The nlptut developers"
copyright = f"2026-{date.today().year}, {author}"
release = nlptut.__version__
version = ".".join(release.split(".")[:2])

# The site repository, used for "edit this page" and "Open in Colab" links.
# Override with NLPTUT_REPOSITORY=owner/name when building a fork.
REPOSITORY = os.environ.get("NLPTUT_REPOSITORY", "nlptut/nlptut")
BRANCH = os.environ.get("NLPTUT_BRANCH", "main")

# -- Extensions --------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "sphinx.ext.mathjax",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_nb",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxcontrib.bibtex",
]

# -- Sources -----------------------------------------------------------------
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "jupyter_execute",
    "**.ipynb_checkpoints",
    # sphinx-gallery writes a notebook beside every rendered example; it is a
    # download, not a source page, so myst-nb must not claim it.
    "auto_examples/**/*.ipynb",
    "auto_examples/*.ipynb",
    "auto_examples/**/*.py",
    "auto_examples/*.py",
]
myst_enable_extensions = ["colon_fence", "deflist", "dollarmath", "substitution"]
suppress_warnings = ["config.cache"]  # callables in sphinx_gallery_conf are not picklable

# -- Execution ---------------------------------------------------------------
# The site is always built with the full settings; quick mode is for tests.
os.environ.pop("NLPTUT_QUICK", None)
# Examples and notebooks plot without a display.
os.environ.setdefault("MPLBACKEND", "Agg")

sphinx_gallery_conf = {
    "examples_dirs": str(ROOT / "examples"),
    "gallery_dirs": "auto_examples",
    "filename_pattern": r"\.py$",  # execute every example, not only plot_*
    "ignore_pattern": r"__init__\.py",
    "within_subsection_order": "FileNameSortKey",
    "download_all_examples": True,
    "only_warn_on_example_error": False,
    "abort_on_example_error": False,
    "write_computation_times": True,
    "doc_module": ("nlptut",),
    "backreferences_dir": "gen_modules/backreferences",
    "capture_repr": ("_repr_html_", "__repr__"),
    "thumbnail_size": (400, 280),
    "remove_config_comments": True,
    "first_notebook_cell": (
        "# Run this cell first on Google Colab or a fresh machine.\n# %pip install nlptut"
    ),
}

nb_execution_mode = "cache"
nb_render_markdown_format = "myst"  # tables computed in cells render as tables
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_cache_path = str(HERE / "_build" / ".jupyter_cache")

# -- API reference -----------------------------------------------------------
autosummary_generate = True
autodoc_typehints = "none"
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_xref_param_type = False
numpydoc_validation_checks: set[str] = set()

# -- Cross-references --------------------------------------------------------
# Links to the Python and PyTorch docs need their inventories from the network.
# Offline (CI, a laptop on a train) they are left out so that the -W build
# stays warning-free; online (Read the Docs) they resolve.


def _online(host: str = "docs.python.org", timeout: float = 2.0) -> bool:
    if os.environ.get("NLPTUT_OFFLINE", "") in {"1", "true", "yes"}:
        return False
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


if _online():
    extensions.append("sphinx.ext.intersphinx")
    intersphinx_mapping = {
        "python": ("https://docs.python.org/3", None),
        "torch": ("https://docs.pytorch.org/docs/stable", None),
        "numpy": ("https://numpy.org/doc/stable", None),
        "sklearn": ("https://scikit-learn.org/stable", None),
    }
    intersphinx_timeout = 10
else:
    print("nlptut docs: offline, so links to the Python and PyTorch docs are left out")

# -- Bibliography ------------------------------------------------------------
bibtex_bibfiles = ["references.bib"]
bibtex_default_style = "plain"
bibtex_reference_style = "author_year"

# -- Theme -------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "nlptut"
html_static_path = ["_static"]
html_css_files = ["nlptut.css"]
html_last_updated_fmt = "%Y-%m-%d"
html_theme_options = {
    "github_url": f"https://github.com/{REPOSITORY}",
    "use_edit_page_button": True,
    "show_toc_level": 2,
    "navbar_align": "left",
    "navigation_with_keys": False,
    "show_prev_next": True,
    "footer_start": ["copyright"],
    "footer_end": ["sphinx-version"],
}
html_context = {
    "github_user": REPOSITORY.split("/")[0],
    "github_repo": REPOSITORY.split("/")[1],
    "github_version": BRANCH,
    "doc_path": "docs",
}
html_sidebars = {"index": [], "references": []}
