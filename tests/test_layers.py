"""Imports run one way: datasets -> text pipeline -> models -> training -> classifiers -> CLI.

Every module of ``src/nlptut`` has a layer below. A module may import (at the
top or inside a function) only modules of its own layer or of lower ones, so
data flows one way and there are no cycles. A new module gets a layer here
(the test fails until it has one); an import that climbs back up the layers
fails with the names of both modules. Private names (``_x``) used across
modules are listed in ``KNOWN_PRIVATE``, debts the package layout issue
(issue 33) is to pay; a new one fails, and a listed one that is gone must
leave the list.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "nlptut"

LAYERS: dict[str, list[str]] = {
    # what everything may use: errors, settings, the machine, small writers
    "foundation": [
        "__init__",
        "errors",
        "config",
        "hardware",
        "jsonout",
        "fileio",
        "buildcache",
        "precision",
        "distributed",
    ],
    # labelled data and its files
    "data": ["datasets", "conll", "contrast", "counterfactual", "checkpoint"],
    # from text to numbers
    "text": ["vocab", "text", "bpe", "keywords"],
    # networks
    "models": ["models", "crf", "ngram", "prediction"],
    # training loops and what they measure
    "training": ["training", "tag_metrics", "compare", "gpt", "hf"],
    # classifiers, taggers and writers that tie them together
    "classifiers": [
        "classifier",
        "shortruns",
        "finetuned",
        "frozen",
        "tagger",
        "generation",
        "explain",
        "mistakes",
    ],
    # from a trained model to an application
    "deploy": ["deploy"],
    # the command line
    "cli": ["cli_tagging", "cli", "__main__"],
}
LEVEL = {module: i for i, modules in enumerate(LAYERS.values()) for module in modules}
LAYER_OF = {module: name for name, modules in LAYERS.items() for module in modules}

KNOWN_PRIVATE = {
    ("conll", "datasets._decode"),
    ("conll", "datasets._read_source"),
    ("conll", "datasets._record_loaded"),
    ("conll", "datasets._looks_like_path"),
    ("finetuned", "classifier._manifest_fields"),
    ("finetuned", "hf._transformers"),
    ("gpt", "models._check_config"),
}


def _modules() -> list[str]:
    return sorted(p.stem for p in PACKAGE.glob("*.py"))


def _imports(module: str, package: Path = PACKAGE) -> tuple[set[str], set[str]]:
    """(nlptut modules it imports, private names of other modules it uses)."""
    tree = ast.parse((package / f"{module}.py").read_text(encoding="utf-8"))
    imported: set[str] = set()
    private: set[str] = set()
    aliases: dict[str, str] = {}  # a local name bound to an nlptut module
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "nlptut" and len(parts) > 1:
                    imported.add(parts[1])
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] != "nlptut":
                continue
            if len(parts) > 1:  # from nlptut.x import a, _b
                imported.add(parts[1])
                private |= {f"{parts[1]}.{a.name}" for a in node.names if a.name.startswith("_")}
            else:  # from nlptut import x, __version__
                for alias in node.names:
                    if (package / f"{alias.name}.py").is_file():
                        imported.add(alias.name)
                        aliases[alias.asname or alias.name] = alias.name
                    else:
                        imported.add("__init__")
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            private.add(f"{aliases[node.value.id]}.{node.attr}")
    imported.discard(module)
    return imported, private


def test_every_module_has_a_layer() -> None:
    missing = [m for m in _modules() if m not in LEVEL]
    assert not missing, f"give these modules a layer in tests/test_layers.py: {missing}"
    gone = [m for m in LEVEL if m not in _modules()]
    assert not gone, f"these modules no longer exist; remove them from LAYERS: {gone}"


@pytest.mark.parametrize("module", _modules())
def test_imports_never_climb_the_layers(module: str) -> None:
    imported, _ = _imports(module)
    upward = sorted(m for m in imported if LEVEL.get(m, -1) > LEVEL[module])
    assert not upward, (
        f"nlptut.{module} ({LAYER_OF[module]}) imports "
        + ", ".join(f"nlptut.{m} ({LAYER_OF[m]})" for m in upward)
        + ": data flows one way; move the shared code down a layer"
    )


def test_private_names_stay_in_their_module() -> None:
    used = {(m, name) for m in _modules() for name in _imports(m)[1]}
    new = sorted(used - KNOWN_PRIVATE)
    assert not new, f"private names used from another module (make them public or move them): {new}"
    paid = sorted(KNOWN_PRIVATE - used)
    assert not paid, f"no longer used across modules, remove from KNOWN_PRIVATE: {paid}"


def test_the_rule_catches_a_climbing_import(tmp_path) -> None:
    """The check itself: a data module importing the CLI, and a private name, are seen."""
    (tmp_path / "datasets.py").write_text(
        "from nlptut.cli import main\nfrom nlptut import vocab\nvocab._secret\n", encoding="utf-8"
    )
    (tmp_path / "vocab.py").write_text("", encoding="utf-8")
    imported, private = _imports("datasets", tmp_path)
    assert imported == {"cli", "vocab"}
    assert private == {"vocab._secret"}
    assert LEVEL["cli"] > LEVEL["datasets"]
