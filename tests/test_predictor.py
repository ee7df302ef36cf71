"""nlptut.predictor: one way to open any saved model, and the Predictor protocol."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlptut.classifier import TextClassifier
from nlptut.datasets import LabelledData, Split
from nlptut.errors import CheckpointError
from nlptut.predictor import Predictor, kind, load, load_classifier

TEXTS = ["i am so happy today", "this is sad and lonely", "happy happy joy", "sad tears again"]


@pytest.fixture(scope="module")
def saved(tmp_path_factory) -> Path:
    """A tiny bag-of-words classifier saved by TextClassifier.save."""
    split = Split(TEXTS * 5, [0, 1, 0, 1] * 5)
    data = LabelledData(
        "toy", ("joy", "sadness"), dict.fromkeys(("train", "validation", "test"), split)
    )
    classifier, _ = TextClassifier.fit(data, "nbow", epochs=1, seed=0)
    return classifier.save(tmp_path_factory.mktemp("models") / "nbow")


def test_a_classifier_folder_opens_as_a_predictor(saved):
    assert kind(saved) == "network"
    model = load(saved)
    assert isinstance(model, TextClassifier) and isinstance(model, Predictor)
    assert list(model.labels) == ["joy", "sadness"]
    assert model.predict_proba(TEXTS[:2]).shape == (2, 2)
    assert load_classifier(saved).predict(TEXTS[:1])[0].label in ("joy", "sadness")


def test_the_kind_is_read_from_the_manifest_without_verifying(tmp_path):
    for name, expected in (("minilm", "minilm"), ("tagger", "tagger"), ("cnn", "network")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "config.json").write_text(json.dumps({"model": name}), encoding="utf-8")
        assert kind(folder) == expected
    assert kind(tmp_path / "model.onnx") == "onnx"
    assert kind(tmp_path / "nothing-here") == "network"  # its loader names what is missing


def test_a_tagger_is_refused_where_whole_texts_are_classified(tmp_path):
    folder = tmp_path / "tagger"
    folder.mkdir()
    (folder / "config.json").write_text(json.dumps({"model": "tagger"}), encoding="utf-8")
    with pytest.raises(CheckpointError, match="a tagger .* not a classifier of whole texts"):
        load_classifier(folder)


def test_a_missing_folder_is_one_line(tmp_path):
    with pytest.raises(CheckpointError) as info:
        load(tmp_path / "missing")
    assert "\n" not in str(info.value) and "missing" in str(info.value)


def test_the_old_name_in_deploy_still_works_and_says_where_it_went(saved):
    from nlptut.deploy import load_classifier as old

    with pytest.warns(DeprecationWarning, match="nlptut.predictor"):
        model = old(saved)
    assert isinstance(model, TextClassifier)
