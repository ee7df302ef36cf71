"""A build cache reuses a model trained the same way, and only such a model."""

from __future__ import annotations

import numpy as np
import pytest

from nlptut import buildcache
from nlptut.classifier import TextClassifier
from nlptut.datasets import LabelledData, Split

LABELS = ("neg", "pos")
TEXTS = {
    "train": ["good day", "bad day", "very good", "very bad", "good good", "bad bad"] * 4,
    "validation": ["good", "bad", "good day", "bad day"],
    "test": ["so good", "so bad"],
}


def _data(extra: str = "") -> LabelledData:
    splits = {}
    for name, texts in TEXTS.items():
        texts = [t + extra for t in texts]
        labels = [1 if "good" in t else 0 for t in texts]
        splits[name] = Split(texts, labels)
    return LabelledData("toy", LABELS, splits)


FAST = {"epochs": 2, "batch_size": 4, "lr": 1e-2, "progress": False}


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "build-cache"
    monkeypatch.setenv(buildcache.ENV, str(folder))
    return folder


def test_without_the_variable_nothing_is_stored(tmp_path, monkeypatch):
    monkeypatch.delenv(buildcache.ENV, raising=False)
    assert buildcache.folder() is None
    TextClassifier.fit(_data(), "cnn", **FAST)
    assert not any(tmp_path.iterdir())


def test_a_process_of_a_several_process_run_neither_reuses_nor_stores(cache, monkeypatch):
    """Two processes compute other weights than one: the two-process run of the
    more-processes page once got the one-process model back from the cache."""
    assert buildcache.folder() == cache
    monkeypatch.setenv("WORLD_SIZE", "2")
    assert buildcache.folder() is None
    monkeypatch.setenv("WORLD_SIZE", "1")
    assert buildcache.folder() == cache


def test_the_same_request_is_answered_from_the_cache(cache, monkeypatch):
    first, result = TextClassifier.fit(_data(), "cnn", **FAST)
    assert len(list(cache.glob("*.result.json"))) == 1

    def no_training(*args, **kwargs):
        raise AssertionError("trained again although the build had this model")

    monkeypatch.setattr("nlptut.classifier.train", no_training)
    again, reused = TextClassifier.fit(_data(), "cnn", **{**FAST, "progress": True})
    texts = TEXTS["test"] + ["good bad day"]
    np.testing.assert_array_equal(again.predict_proba(texts), first.predict_proba(texts))
    assert reused.history == result.history and reused.best_epoch == result.best_epoch
    assert reused.seconds == result.seconds


@pytest.mark.parametrize(
    "change",
    [
        {"data": "!"},  # other texts
        {"model": "lstm"},
        {"seed": 1},
        {"epochs": 1},
        {"max_len": 3},
    ],
    ids=lambda c: next(iter(c)),
)
def test_any_difference_trains_again(cache, change):
    TextClassifier.fit(_data(), "cnn", **FAST)
    data = _data(change.get("data", ""))
    model = change.get("model", "cnn")
    settings = {**FAST, **{k: v for k, v in change.items() if k not in ("data", "model")}}
    TextClassifier.fit(data, model, **settings)
    assert len(list(cache.glob("*.result.json"))) == 2


def test_a_damaged_stored_model_is_trained_again_not_trusted(cache):
    first, _ = TextClassifier.fit(_data(), "cnn", **FAST)
    (stored,) = [p for p in cache.iterdir() if p.is_dir()]
    weights = next(p for p in stored.iterdir() if p.suffix == ".safetensors")
    weights.write_bytes(weights.read_bytes()[:-8] + b"\x00" * 8)
    again, result = TextClassifier.fit(_data(), "cnn", **FAST)
    assert result is not None
    texts = TEXTS["test"]
    np.testing.assert_allclose(again.predict_proba(texts), first.predict_proba(texts), atol=1e-6)
