"""Sphinx configuration for the nlptut site.

Grouped by concern: project, extensions, sources, execution (sphinx-gallery
and myst-nb), provenance, tags, API reference, cross-references, bibliography,
math, theme, comments and analytics. Our own Sphinx extensions live in
``docs/_ext/`` (``nlptut_gallery``: tags, Colab links, edit links, landing page;
``nlptut_provenance``: the "How this page was made" box; ``nlptut_mathml``:
formulas rendered as MathML at build time; ``nlptut_benchmarks``: a page per
benchmark report; ``nlptut_i18n``: the Indonesian edition; ``nlptut_apiuses``:
"Used in these tutorials" on each API page).
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from datetime import date
from pathlib import Path

import nlptut

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE / "_ext"))

import nlptut_provenance  # noqa: E402  (docs/_ext, on the path just above)

# -- Project -----------------------------------------------------------------
project = "nlptut"
author = "The nlptut developers"
_YEARS = "2026" if date.today().year == 2026 else f"2026-{date.today().year}"
copyright = f"{_YEARS}, {author}"
release = nlptut.__version__
version = ".".join(release.split(".")[:2])

# The site repository, used for "edit this page" and "Open in Colab" links.
# Override with NLPTUT_REPOSITORY=owner/name when building a fork.
REPOSITORY = os.environ.get("NLPTUT_REPOSITORY", "nlptut/nlptut")
BRANCH = os.environ.get("NLPTUT_BRANCH", "main")
# "Open in Colab" needs each tutorial as a notebook on GitHub, but sphinx-gallery
# makes the notebooks only when the site is built. The build copies them to
# docs/_build/html/notebooks/<section>/<name>.ipynb, and the links point at
#   https://colab.research.google.com/github/<REPOSITORY>/blob/<NOTEBOOKS_BRANCH>/<section>/<name>.ipynb
# ASSUMPTION: whoever publishes the site also pushes that folder as the root of
# the NOTEBOOKS_BRANCH branch of REPOSITORY, e.g. after `nox -s docs`:
#   git -C docs/_build/html/notebooks init -q -b notebooks
#   git -C docs/_build/html/notebooks add -A
#   git -C docs/_build/html/notebooks commit -qm "Notebooks of the tutorials"
#   git -C docs/_build/html/notebooks push -f git@github.com:<REPOSITORY>.git notebooks
# Until then the links lead to a GitHub "not found" inside Colab; the notebooks
# are always downloadable from each page.
NOTEBOOKS_BRANCH = os.environ.get("NLPTUT_NOTEBOOKS_BRANCH", "notebooks")
# What a reader runs to get nlptut, in a notebook or (without the %) a terminal.
INSTALL_SPEC = f"nlptut[examples,hf,deploy] @ git+https://github.com/{REPOSITORY}@{BRANCH}"
INSTALL_CELL = (
    "# Run this cell first on Google Colab or on a machine without nlptut: it installs\n"
    "# nlptut and the libraries the tutorials use (a few minutes the first time).\n"
    f'%pip install "{INSTALL_SPEC}"'
)

# -- Extensions --------------------------------------------------------------
extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.viewcode",
    "numpydoc",
    "sphinx_gallery.gen_gallery",
    "myst_nb",
    "sphinx_design",
    "sphinx_copybutton",
    "sphinxcontrib.bibtex",
    # ours, in docs/_ext
    "nlptut_gallery",
    "nlptut_provenance",
    "nlptut_mathml",
    "nlptut_notebooks",
    "nlptut_start",
    "nlptut_benchmarks",
    "nlptut_i18n",
    "nlptut_apiuses",
]

# -- Languages ---------------------------------------------------------------
# English is the source; the Indonesian edition is built from the message
# catalogues in docs/locale/id/LC_MESSAGES (sphinx-intl; `nox -s gettext`
# updates them) with `-D language=id`, into docs/_build/html/id/ beside the
# English site (`nox -s docs` builds both; docs/_ext/nlptut_i18n.py says what
# stays untranslated and draws the language switch). Terms: docs/locale/id/TERMS.md.
# On Read the Docs each edition is its own project (the Indonesian one set to
# Indonesian and linked as a translation; CONTRIBUTING.md), whose language
# arrives as READTHEDOCS_LANGUAGE.
language = os.environ.get("READTHEDOCS_LANGUAGE", "en")
nlptut_languages = {"en": "English", "id": "Bahasa Indonesia"}
locale_dirs = ["locale/"]
gettext_compact = False  # one catalogue per page, so each page's coverage shows
gettext_location = False  # catalogues do not change when a line moves
gettext_uuid = False

# -- Sources -----------------------------------------------------------------
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb", ".ipynb": "myst-nb"}
templates_path = ["_templates"]
exclude_patterns = [
    "_build",
    "locale",
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
# A model two pages train the same way (same data, settings and seed) is trained
# once per build (nlptut.buildcache); the folder starts empty at every build, so
# a change to nlptut's code is never answered with a model of an earlier build.
_BUILD_CACHE = HERE / "_build" / ".build-cache"
shutil.rmtree(_BUILD_CACHE, ignore_errors=True)
os.environ["NLPTUT_BUILD_CACHE"] = str(_BUILD_CACHE)

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
    # a cell ending in ax.legend() would print "<matplotlib.legend.Legend object at 0x...>"
    "ignore_repr_types": r"matplotlib\.",
    "thumbnail_size": (400, 280),
    "remove_config_comments": True,
    # Every notebook starts by installing nlptut with what the tutorials use
    # (PyTorch included; Colab already has it). Its Markdown has no Sphinx
    # roles left: docs/_ext/nlptut_notebooks.py turns them into plain Markdown.
    "first_notebook_cell": INSTALL_CELL,
    # Provenance (docs/_ext/nlptut_provenance.py): matplotlib is reset before
    # each example as usual; record_example runs before and after each one, and
    # the memory of each code block is the peak resident memory of the process.
    "reset_modules": ("matplotlib", "nlptut_provenance.record_example"),
    "reset_modules_order": "both",
    "show_memory": (
        nlptut_provenance.PEAK_MEMORY if nlptut_provenance.can_measure_peak() else False
    ),
}

nb_execution_mode = "cache"
nb_render_markdown_format = "myst"  # tables computed in cells render as tables
nb_execution_timeout = 300
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_execution_cache_path = str(HERE / "_build" / ".jupyter_cache")

# -- Provenance --------------------------------------------------------------
# Every executed page ends with "How this page was made" (run time, peak memory,
# software, hardware, the sha256 of the data files, build date). MyST pages keep
# their record beside the execution cache, so cached outputs keep their numbers.
nlptut_provenance_dir = str(HERE / "_build" / ".provenance")

# -- Tags --------------------------------------------------------------------
# The one place where pages get tags: key = an example's file name (any section)
# or a page's docname; docs/_ext/nlptut_gallery.py generates tags/index and one
# page per tag, and shows the tags under each page's title. A key that matches
# no page yet is ignored; a tag must have a description below.
nlptut_tags = {
    "intro/tale-of-nlp": ["rules", "history"],
    "intro/what-you-can-do-now": ["evaluation", "datasets", "rules"],
    "deep-dives/fine-tuning-loop": ["hugging-face", "transformers", "training"],
    "datasets/dair-emotion": ["datasets", "english"],
    "datasets/indonlu-emot": ["datasets", "indonesian"],
    "datasets/goemotions": ["datasets", "english"],
    # 01_foundations
    "plot_01_rules_to_deep_learning.py": ["rules", "history", "english"],
    "plot_02_how_a_model_learns.py": ["training", "pytorch", "english"],
    "plot_02_what_is_deep_learning.py": ["pytorch", "autograd", "training", "english"],
    "plot_03_layers_for_nlp.py": ["pytorch", "layers", "embeddings", "english"],
    "plot_04_transformers_inside.py": ["pytorch", "transformers", "attention", "english"],
    # 02_emotion
    "plot_01_emotion_end_to_end.py": ["training", "evaluation", "rules", "english"],
    "plot_02_indonesian_emot.py": ["training", "evaluation", "indonesian"],
    "plot_03_your_own_data.py": ["datasets", "cli", "training", "evaluation", "english"],
    "plot_04_four_networks_compared.py": ["training", "evaluation", "layers", "english"],
    "plot_05_your_own_data_further.py": [
        "datasets",
        "cli",
        "evaluation",
        "hugging-face",
        "english",
    ],
    # 03_performance
    "plot_01_mixed_precision.py": ["amp", "performance", "pytorch", "english"],
    "plot_02_profiling.py": ["profiling", "performance", "pytorch", "english"],
    "plot_03_more_processes.py": ["distributed", "performance", "cli", "english"],
    "plot_04_model_to_application.py": ["deployment", "performance", "cli", "english"],
    # 04_huggingface
    "plot_01_tokenizers.py": ["hugging-face", "tokenizers", "english", "indonesian"],
    "plot_02_pretrained_features.py": ["hugging-face", "transformers", "embeddings", "english"],
    "plot_03_fine_tuning.py": ["hugging-face", "transformers", "training"],
    "plot_04_towards_indonlu.py": ["hugging-face", "indonesian", "evaluation"],
    "plot_05_read_the_meaning.py": ["evaluation", "rules", "english"],
    "plot_07_teaching_the_difference.py": ["training", "datasets", "cli", "english"],
    "plot_06_read_the_meaning_further.py": [
        "evaluation",
        "datasets",
        "hugging-face",
        "transformers",
        "english",
    ],
    # 05_tagging
    "plot_01_parts_of_speech.py": ["tagging", "indonesian", "evaluation", "training"],
    "plot_02_named_entities.py": ["tagging", "indonesian", "cli", "evaluation"],
    # 06_generation
    "plot_01_writing_tweets.py": ["generation", "transformers", "evaluation", "english"],
    "datasets/indonlu-smsa": ["datasets", "indonesian"],
    "datasets/indonlu-posp": ["datasets", "indonesian", "tagging"],
    "datasets/indonlu-nerp": ["datasets", "indonesian", "tagging"],
}
# -- Reading routes (docs/_ext/nlptut_start.py) ---------------------------------
# The "Start here" page lists these routes in order; each page on a route shows
# the route's name under its title, and its "previous" and "next" links follow
# the route (pages this build lacks are skipped). Keys: an intro page's docname,
# or a tutorial as "<section folder>/<script stem>".
nlptut_install_spec = INSTALL_SPEC
nlptut_routes = {
    "Beginner route": [
        "intro/tale-of-nlp",
        "01_foundations/plot_01_rules_to_deep_learning",
        "01_foundations/plot_02_how_a_model_learns",
        "02_emotion/plot_01_emotion_end_to_end",
        "02_emotion/plot_03_your_own_data",
        "04_huggingface/plot_01_tokenizers",
        "04_huggingface/plot_03_fine_tuning",
        "04_huggingface/plot_05_read_the_meaning",
        "04_huggingface/plot_07_teaching_the_difference",
        "intro/what-you-can-do-now",
    ],
    "Deep dive": [
        "01_foundations/plot_02_what_is_deep_learning",
        "01_foundations/plot_03_layers_for_nlp",
        "02_emotion/plot_04_four_networks_compared",
        "02_emotion/plot_05_your_own_data_further",
        "01_foundations/plot_04_transformers_inside",
        "deep-dives/fine-tuning-loop",
        "04_huggingface/plot_06_read_the_meaning_further",
        "03_performance/plot_01_mixed_precision",
        "03_performance/plot_02_profiling",
        "03_performance/plot_03_more_processes",
        "03_performance/plot_04_model_to_application",
        "06_generation/plot_01_writing_tweets",
    ],
    "More practice": [
        "02_emotion/plot_02_indonesian_emot",
        "04_huggingface/plot_02_pretrained_features",
        "04_huggingface/plot_04_towards_indonlu",
    ],
}
nlptut_tag_descriptions = {
    "amp": "Automatic mixed precision: faster training with 16-bit floats.",
    "attention": "How attention lets every word look at every other word.",
    "autograd": "How PyTorch computes gradients for you (the backward pass).",
    "cli": "The ``nlptut`` command line: train, evaluate and predict without code.",
    "datasets": "Loading, checking and understanding labelled data.",
    "deployment": "From a trained model to an application: compile, ONNX, int8.",
    "distributed": "Training on several processes, GPUs or machines with torchrun.",
    "embeddings": "Turning words and sentences into vectors.",
    "english": "Pages that work on English text (dair-emotion).",
    "evaluation": "Measuring a classifier honestly: accuracy, macro-F1, confusion matrices.",
    "generation": "Models that write: language models, GPT, sampling, perplexity.",
    "history": "Where NLP comes from: rules, statistics, deep learning.",
    "hugging-face": "Pretrained models and tokenizers from the Hugging Face libraries.",
    "indonesian": "Pages that work on Indonesian text (IndoNLU EmoT, POSP, NERP).",
    "layers": "The building blocks PyTorch offers for text models.",
    "performance": "Making training and inference faster and leaner.",
    "profiling": "Finding where the time goes with the PyTorch profiler.",
    "pytorch": "Core PyTorch: tensors, modules, optimisers and training loops.",
    "rules": "Hand-written rules and keyword lexicons, the baseline to beat.",
    "tagging": "A tag for every word: parts of speech, named entities, BIO tags, CRFs.",
    "tokenizers": "Splitting text into the units a model reads.",
    "training": "Training a model: losses, optimisers, early stopping.",
    "transformers": "The Transformer architecture and models built on it.",
}
nlptut_repository = REPOSITORY
nlptut_branch = BRANCH
nlptut_notebooks_branch = NOTEBOOKS_BRANCH

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

# -- Math --------------------------------------------------------------------
# Formulas become MathML when the site is built (docs/_ext/nlptut_mathml.py):
# browsers draw them without a script or a web font, in the page's colours.
html_math_renderer = "mathml"

# -- Theme -------------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_title = "nlptut"
html_static_path = ["_static"]
html_css_files = ["nlptut.css"]
html_favicon = "_static/favicon.svg"
html_last_updated_fmt = "%Y-%m-%d"
html_theme_options = {
    "logo": {
        "text": "nlptut",
        "image_light": "_static/logo-light.svg",
        "image_dark": "_static/logo-dark.svg",
        "alt_text": "nlptut - home",
    },
    "github_url": f"https://github.com/{REPOSITORY}",
    "use_edit_page_button": True,
    # the search box opens search.html; docs/_templates/layout.html relies on this
    # to load the search index only there
    "search_as_you_type": False,
    "show_toc_level": 2,
    "navbar_align": "left",
    "navbar_end": ["language-switch", "theme-switcher", "navbar-icon-links"],
    "navigation_with_keys": False,
    "show_prev_next": True,
    "footer_start": ["copyright"],
    "footer_end": ["help", "sphinx-version"],
    "article_footer_items": [],
    # the landing page's cards get the full width
    "secondary_sidebar_items": {
        "**": ["page-toc", "edit-this-page", "sourcelink"],
        "index": [],
    },
}
html_context = {
    "github_user": REPOSITORY.split("/")[0],
    "github_repo": REPOSITORY.split("/")[1],
    "github_version": BRANCH,
    "doc_path": "docs",
    # light or dark follows the reader's system until they pick one (an empty
    # mode makes the theme log an error on every page)
    "default_mode": "auto",
}
html_sidebars = {"index": [], "references": []}

# -- Comments and analytics --------------------------------------------------
# Off unless configured: with none of these set, no page loads a script from
# another host (tests_browser checks it). Comments use giscus (GitHub
# Discussions) on tutorial, intro and dataset pages; analytics use Plausible
# (or a self-hosted instance via NLPTUT_ANALYTICS_URL) through the theme.
GISCUS = {
    "repo": os.environ.get("NLPTUT_GISCUS_REPO", ""),
    "repo_id": os.environ.get("NLPTUT_GISCUS_REPO_ID", ""),
    "category": os.environ.get("NLPTUT_GISCUS_CATEGORY", "Comments"),
    "category_id": os.environ.get("NLPTUT_GISCUS_CATEGORY_ID", ""),
}
if GISCUS["repo"] and GISCUS["repo_id"] and GISCUS["category_id"]:
    html_context["giscus"] = GISCUS
    html_theme_options["article_footer_items"].append("giscus.html")

ANALYTICS_DOMAIN = os.environ.get("NLPTUT_ANALYTICS_DOMAIN", "")
if ANALYTICS_DOMAIN:
    html_theme_options["analytics"] = {
        "plausible_analytics_domain": ANALYTICS_DOMAIN,
        "plausible_analytics_url": os.environ.get(
            "NLPTUT_ANALYTICS_URL", "https://plausible.io/js/script.js"
        ),
    }
