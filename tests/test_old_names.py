"""Modules that moved into a subpackage keep their old names for one release."""

from __future__ import annotations

import importlib
import sys

import pytest

MOVED = {
    "nlptut.crf": "nlptut.tagging.crf",
    "nlptut.tag_metrics": "nlptut.tagging.metrics",
    "nlptut.tagger": "nlptut.tagging.tagger",
    "nlptut.bpe": "nlptut.generation.bpe",
    "nlptut.ngram": "nlptut.generation.ngram",
    "nlptut.gpt": "nlptut.generation.gpt",
    "nlptut.cli_tagging": "nlptut.cli.tagging",
}


@pytest.mark.parametrize("old", sorted(MOVED))
def test_an_old_module_name_imports_the_same_objects_and_says_where_they_went(old, monkeypatch):
    monkeypatch.delitem(sys.modules, old, raising=False)
    with pytest.warns(DeprecationWarning, match=MOVED[old].replace(".", r"\.")):
        module = importlib.import_module(old)
    new = importlib.import_module(MOVED[old])
    assert module.__all__ == new.__all__
    for name in new.__all__:
        assert getattr(module, name) is getattr(new, name)


def test_the_generation_package_still_offers_the_writing_names():
    from nlptut.generation import LabelledTokens, write, writing

    assert LabelledTokens is writing.LabelledTokens and write is writing.write
