"""The tutorials' notebooks as a reader downloads them (or opens them in Colab).

Each starts with a cell that installs nlptut, and its Markdown has no Sphinx
roles or directives left, which Jupyter and Colab would show as raw text.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import pytest
from browsing import SITE
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((SITE / "notebooks").glob("*/*.ipynb"))
SPHINX_MARKUP = re.compile(r":[a-z]+(?::[a-z]+)?:`[^`]*`|^\s*\.\. [a-z-]+::", re.MULTILINE)


def test_every_tutorial_has_a_notebook():
    tutorials = sorted((ROOT / "examples").glob("*/*.py"))
    assert len(NOTEBOOKS) == len(tutorials)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_markdown_has_no_sphinx_markup(notebook: Path):
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    markdown = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert not SPHINX_MARKUP.findall(markdown), SPHINX_MARKUP.findall(markdown)[:5]


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_starts_by_installing_nlptut_with_its_extras(notebook: Path):
    first = json.loads(notebook.read_text(encoding="utf-8"))["cells"][0]
    assert first["cell_type"] == "code"
    lines = [line for line in "".join(first["source"]).splitlines() if line.startswith("%pip")]
    assert len(lines) == 1, "the first cell must run one %pip install (not commented out)"
    spec = re.fullmatch(r'%pip install "([^"]+)"', lines[0])
    assert spec, lines[0]
    requirement = Requirement(spec.group(1))
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert requirement.name == project["name"]
    assert requirement.extras <= set(project["optional-dependencies"])
    assert requirement.url and requirement.url.startswith("git+https://github.com/")
