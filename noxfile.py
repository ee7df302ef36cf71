"""Development tasks: ``nox -s tests``, ``nox -s docs``, ``nox -s lint``, ``nox -s linkcheck``,
``nox -s notebook``, ``nox -s browser``, ``nox -s gettext``.

Every session installs what it needs from the project's own files, with the
pinned versions in ``constraints.txt`` (torch comes only from its pin, the CPU
wheel).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
CONSTRAINTS = ("-c", str(ROOT / "constraints.txt"))
DEFAULT_MIRROR = ROOT.parent / "shared" / "datasets"

nox.options.sessions = ["lint", "tests", "docs"]
nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True


def _data_env() -> dict[str, str]:
    """Dataset settings: keep a mirror the developer set, else use ../shared/datasets if present."""
    env = {}
    mirror = os.environ.get("NLPTUT_DATA_MIRROR")
    if not mirror and DEFAULT_MIRROR.is_dir():
        mirror = str(DEFAULT_MIRROR)
    if mirror:
        env["NLPTUT_DATA_MIRROR"] = mirror
    return env


def _docs_env() -> dict[str, str]:
    """The environment of a site build: full settings, no hub access."""
    return {**_data_env(), "NLPTUT_QUICK": "0", "HF_HUB_OFFLINE": "1"}


def _extract_messages(session: nox.Session) -> None:
    """Every page's English messages, as templates in docs/_build/gettext."""
    session.run(
        "sphinx-build", "-q", "-b", "gettext", "docs", "docs/_build/gettext", env=_docs_env()
    )


def _install(session: nox.Session, extras: str) -> None:
    session.install(*CONSTRAINTS, "torch")
    session.install(*CONSTRAINTS, "-e", f".[{extras}]")


@nox.session(python="3.11")
def tests(session: nox.Session) -> None:
    """Run the test suite with coverage, including every gallery example in quick mode."""
    _install(session, "tests,examples,hf,deploy")
    session.run(
        "pytest",
        "--cov=nlptut",
        "--cov-report=term",
        *session.posargs,
        env={**_data_env(), "MPLBACKEND": "Agg", "HF_HUB_OFFLINE": "1"},
    )


@nox.session(python="3.11")
def docs(session: nox.Session) -> None:
    """Build the site, English in docs/_build/html and Indonesian in docs/_build/html/id.

    The English build executes every example with full settings; the
    Indonesian one reuses the executed pages (sphinx-gallery skips a script
    it has run unchanged, myst-nb reads its cache) and only translates. Then
    the translation coverage is printed, and the pages on
    docs/locale/id/complete.txt must be fully translated.
    """
    _install(session, "docs")
    env = _docs_env()
    session.run(
        "sphinx-build", "-W", "--keep-going", "-b", "html", "docs", "docs/_build/html",
        *session.posargs, env=env,
    )  # fmt: skip
    started = time.perf_counter()
    _extract_messages(session)
    session.run(
        "sphinx-build", "-W", "--keep-going", "-q", "-b", "html", "-D", "language=id",
        "-d", "docs/_build/doctrees-id", "docs", "docs/_build/html/id", env=env,
    )  # fmt: skip
    session.log(
        f"Indonesian edition (messages extracted, pages translated and written) in "
        f"{time.perf_counter() - started:.0f} s, without executing any page again"
    )
    session.run("python", str(ROOT / ".ci" / "translation_coverage.py"), "--language", "id")
    session.log(f"Open {ROOT / 'docs' / '_build' / 'html' / 'index.html'} in a browser.")


@nox.session(python="3.11")
def gettext(session: nox.Session) -> None:
    """Extract the site's messages and update the Indonesian catalogues in docs/locale/id.

    Only the pages that are translated (docs/locale/id/complete.txt, and any
    page that already has a catalogue) get one; give more docnames after
    ``--`` to start translating them. Changed messages come back fuzzy, new
    ones empty: translate them, then remove the fuzzy marks.
    """
    _install(session, "docs")
    _extract_messages(session)
    session.run(
        "python", str(ROOT / ".ci" / "update_catalogues.py"), "--language", "id",
        *session.posargs,
    )  # fmt: skip


@nox.session(python="3.11")
def lint(session: nox.Session) -> None:
    """Check style with ruff (lint and formatting)."""
    session.install(*CONSTRAINTS, "ruff")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python="3.11")
def linkcheck(session: nox.Session) -> None:
    """Check external links in the docs (needs the network; not part of CI)."""
    _install(session, "docs")
    session.run(
        "sphinx-build",
        "-b",
        "linkcheck",
        "docs",
        "docs/_build/linkcheck",
        "-D",
        "plot_gallery=0",
        env=_data_env(),
    )


@nox.session(python="3.11", reuse_venv=False)
def notebook(session: nox.Session) -> None:
    """Run a downloaded notebook end to end in a fresh virtual environment, in quick mode.

    The environment starts with only Jupyter's kernel; the notebook's own install
    cell installs nlptut (from this checkout instead of GitHub) and everything
    else, with the pinned versions. Needs the notebooks of ``nox -s docs``.
    Default: the end-to-end tutorial; give another with ``nox -s notebook -- PATH``.
    """
    default = "docs/auto_examples/02_emotion/plot_01_emotion_end_to_end.ipynb"
    notebook = ROOT / (session.posargs[0] if session.posargs else default)
    if not notebook.is_file():
        session.error(f"no notebook at {notebook}; run `nox -s docs` first")
    session.install(*CONSTRAINTS, "ipykernel", "nbclient", "nbformat")
    # pip caches the wheel it builds from this checkout under the checkout's path
    # and the version, which every commit shares: without this, a second run in the
    # same folder installs the previous run's nlptut (a stale wheel once failed here)
    session.run("python", "-m", "pip", "cache", "remove", "nlptut", success_codes=[0, 1])
    env = _data_env() | {
        "NLPTUT_QUICK": "1",
        "PIP_CONSTRAINT": str(ROOT / "constraints.txt"),  # the install cell's pins
        "NLPTUT_DATA": session.create_tmp(),
        "MPLBACKEND": "Agg",
    }
    session.run("python", str(ROOT / ".ci" / "run_notebook.py"), str(notebook), env=env)


@nox.session(python="3.11")
def browser(session: nox.Session) -> None:
    """Test the built site (run `nox -s docs` first) in headless Chromium from Debian.

    Needs /usr/bin/chromium (Debian's `chromium` package; NLPTUT_CHROMIUM names
    another). Playwright drives it and never downloads a browser of its own.
    Screenshots are written to docs/_build/screenshots/.
    """
    site = ROOT / "docs" / "_build" / "html" / "index.html"
    if not site.is_file():
        session.error(f"no built site at {site.parent}; run `nox -s docs` first")
    # only the `browser` extra: the tests need no torch and no nlptut
    extra = nox.project.load_toml(ROOT / "pyproject.toml")["project"]["optional-dependencies"]
    session.install(*CONSTRAINTS, *extra["browser"])
    session.run("pytest", "tests_browser", "-p", "no:cacheprovider", *session.posargs)
