"""Imports run one way: datasets -> text pipeline -> models -> training -> classifiers -> CLI.

Every module of ``src/nlptut`` has a layer below. A module may import (at the
top or inside a function) only modules of its own layer or of lower ones, so
data flows one way and there are no cycles. A new module gets a layer here
(the test fails until it has one); an import that climbs back up the layers
fails with the names of both modules. A subpackage (``datasets/``) takes the
layer of its name, and its own modules keep an order of their own
(``SUBPACKAGES``): each imports only those before it. Private names (``_x``)
may be shared inside a subpackage; one used across packages fails unless it is
listed in ``KNOWN_PRIVATE`` as a debt to pay (none today), and a listed one
that is gone must leave the list.
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
        "runtime",
        "claims",
        "jsonout",
        "fileio",
        "buildcache",
        "precision",
        "distributed",
    ],
    # labelled data and its files
    "data": ["datasets", "conll", "contrast", "counterfactual", "checkpoint"],
    # from text to numbers
    "text": ["vocab", "text", "keywords"],
    # networks
    "models": ["models", "prediction"],
    # training loops and what they measure
    "training": ["training", "compare", "hf"],
    # classifiers, taggers and writers that tie them together
    "classifiers": [
        "classifier",
        "shortruns",
        "finetuned",
        "frozen",
        # subpackages: tagging (crf, metrics, tagger) and generation (bpe, ngram,
        # gpt, writing), with their old module names kept for one release
        "tagging",
        "generation",
        "crf",
        "tag_metrics",
        "tagger",
        "bpe",
        "ngram",
        "gpt",
        "explain",
        "mistakes",
    ],
    # from a trained model to an application
    "deploy": ["deploy", "predictor"],
    # the command line
    "cli": ["cli", "cli_tagging", "__main__"],
}
# the modules of each subpackage, lowest first
SUBPACKAGES: dict[str, list[str]] = {
    "datasets": [
        "registry",
        "catalogue",
        "cache",
        "readers",
        "goemotions",
        "labelled",
        "provenance",
        "loading",
        "__init__",
    ],
    "models": ["shared", "nbow", "cnn", "lstm", "transformer", "registry", "__init__"],
    "hf": ["loading", "model", "batches", "training", "__init__"],
    "tagging": ["crf", "metrics", "tagger", "__init__"],
    "cli": ["common", "tagging", "data", "train", "use", "__init__", "__main__"],
    "generation": ["bpe", "ngram", "gpt", "writing", "__init__"],
}
LEVEL = {module: i for i, modules in enumerate(LAYERS.values()) for module in modules}
LAYER_OF = {module: name for name, modules in LAYERS.items() for module in modules}

KNOWN_PRIVATE: set[tuple[str, str]] = set()  # all paid in session 18


def _modules() -> list[str]:
    """Every module as a dotted name under nlptut: ``cli``, ``datasets.cache``."""
    found = []
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE).with_suffix("").parts
        found.append(".".join(parts))
    return sorted(found)


def _top(module: str) -> str:
    """The top-level name a module's layer is read from: ``datasets.cache`` -> ``datasets``."""
    return module.split(".")[0]


def _file(module: str, package: Path) -> Path:
    return package.joinpath(*module.split(".")).with_suffix(".py")


def _imports(module: str, package: Path = PACKAGE) -> tuple[set[str], set[str]]:
    """(nlptut modules it imports, dotted; private names of other packages it uses)."""
    tree = ast.parse(_file(module, package).read_text(encoding="utf-8"))
    imported: set[str] = set()
    private: set[str] = set()
    aliases: dict[str, str] = {}  # a local name bound to an nlptut module

    def is_module(dotted: str) -> bool:
        where = package.joinpath(*dotted.split("."))
        return where.with_suffix(".py").is_file() or (where / "__init__.py").is_file()

    def name_of(dotted: str) -> str:  # a package's name stands for its __init__
        where = package.joinpath(*dotted.split("."))
        return f"{dotted}.__init__" if (where / "__init__.py").is_file() else dotted

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "nlptut" and len(parts) > 1:
                    imported.add(name_of(".".join(parts[1:])))
        elif isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if parts[0] != "nlptut":
                continue
            if len(parts) > 1:  # from nlptut.x.y import a, _b (or a module: from nlptut.x import y)
                source = name_of(".".join(parts[1:]))
                modules = {
                    name_of(".".join([*parts[1:], a.name]))
                    for a in node.names
                    if is_module(".".join([*parts[1:], a.name]))
                }
                imported |= modules or {source}
                private |= {
                    f"{'.'.join(parts[1:])}.{a.name}"
                    for a in node.names
                    if a.name.startswith("_")
                    and not a.name.startswith("__")
                    and _top(source) != _top(module)
                }
            else:  # from nlptut import x, __version__
                for alias in node.names:
                    if is_module(alias.name):
                        imported.add(name_of(alias.name))
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
            and _top(aliases[node.value.id]) != _top(module)
        ):
            private.add(f"{aliases[node.value.id]}.{node.attr}")
    imported.discard(module)
    return imported, private


def _level(module: str) -> int:
    return LEVEL[_top(module)]


def test_every_module_has_a_layer() -> None:
    modules = _modules()
    missing = [m for m in modules if _top(m) not in LEVEL]
    assert not missing, f"give these modules a layer in tests/test_layers.py: {missing}"
    tops = {_top(m) for m in modules}
    gone = [m for m in LEVEL if m not in tops]
    assert not gone, f"these modules no longer exist; remove them from LAYERS: {gone}"
    inside = [m for m in modules if "." in m]
    unordered = [m for m in inside if m.split(".", 1)[1] not in SUBPACKAGES.get(_top(m), [])]
    assert not unordered, f"give these modules a place in SUBPACKAGES: {unordered}"
    gone = [
        f"{package}.{m}"
        for package, ms in SUBPACKAGES.items()
        for m in ms
        if f"{package}.{m}" not in modules
    ]
    assert not gone, f"these modules no longer exist; remove them from LAYERS: {gone}"


@pytest.mark.parametrize("module", _modules())
def test_imports_never_climb_the_layers(module: str) -> None:
    imported, _ = _imports(module)
    upward = sorted(m for m in imported if _level(m) > _level(module))
    assert not upward, (
        f"nlptut.{module} ({LAYER_OF[_top(module)]}) imports "
        + ", ".join(f"nlptut.{m} ({LAYER_OF[_top(m)]})" for m in upward)
        + ": data flows one way; move the shared code down a layer"
    )
    if "." in module:  # inside a subpackage: only modules before it in SUBPACKAGES
        package, name = module.split(".", 1)
        order = SUBPACKAGES[package]
        later = sorted(
            m
            for m in imported
            if _top(m) == package and order.index(m.split(".", 1)[1]) > order.index(name)
        )
        assert not later, (
            f"nlptut.{module} imports {later}, which come after it in "
            f"SUBPACKAGES[{package!r}]: move the shared code into an earlier module"
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


def test_the_rule_sees_inside_a_subpackage(tmp_path) -> None:
    """Private names are shared inside a subpackage but seen from outside it."""
    (tmp_path / "datasets").mkdir()
    (tmp_path / "datasets" / "__init__.py").write_text("", encoding="utf-8")
    (tmp_path / "datasets" / "cache.py").write_text(
        "from nlptut.datasets.readers import _Record\n", encoding="utf-8"
    )
    (tmp_path / "datasets" / "readers.py").write_text("", encoding="utf-8")
    (tmp_path / "conll.py").write_text(
        "from nlptut import datasets\nfrom nlptut.datasets.readers import _Record\n",
        encoding="utf-8",
    )
    imported, private = _imports("datasets.cache", tmp_path)
    assert imported == {"datasets.readers"} and private == set()
    imported, private = _imports("conll", tmp_path)
    assert imported == {"datasets.__init__", "datasets.readers"}
    assert private == {"datasets.readers._Record"}
    order = SUBPACKAGES["datasets"]
    assert order.index("readers") > order.index("cache")  # so cache -> readers would climb
