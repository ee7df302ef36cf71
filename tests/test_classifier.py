"""TextClassifier: fit, predict, evaluate, and checkpoints that survive a new process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from nlptut.checkpoint import manifest_digest
from nlptut.classifier import TextClassifier
from nlptut.datasets import LabelledData, Split
from nlptut.errors import CheckpointError, NlptutError

LABELS = ("sadness", "joy")
TRAIN = [
    ("i feel happy and glad today", 1),
    ("what a wonderful happy day", 1),
    ("i am so glad and joyful", 1),
    ("i feel sad and lonely", 0),
    ("this is a sad and gloomy day", 0),
    ("i feel miserable and sad", 0),
] * 5


def _data() -> LabelledData:
    split = Split([t for t, _ in TRAIN], [y for _, y in TRAIN])
    return LabelledData(
        name="toy",
        labels=LABELS,
        splits={"train": split, "validation": split, "test": split},
        language="en",
        sources={},
    )


@pytest.fixture(scope="module")
def trained():
    classifier, result = TextClassifier.fit(_data(), "nbow", epochs=8, progress=False)
    return classifier, result


def test_fit_predict_evaluate(trained):
    classifier, result = trained
    assert result.history
    predictions = classifier.predict(["so happy and glad", "sad and lonely day"])
    assert [p.label for p in predictions] == ["joy", "sadness"]
    assert sum(predictions[0].probabilities.values()) == pytest.approx(1.0)
    metrics = classifier.evaluate(_data(), "test")
    assert metrics.accuracy == 1.0


def test_keyword_classifier_fit_and_predict():
    classifier, result = TextClassifier.fit(_data(), "keywords")
    assert result is None
    (prediction,) = classifier.predict(["My neighbour won the jackpot! not me."])
    assert prediction.label == "joy"
    assert "jackpot" in prediction.matched["joy"]


def test_empty_text_is_refused(trained):
    classifier, _ = trained
    with pytest.raises(NlptutError, match="empty"):
        classifier.predict(["   "])


def test_checkpoint_round_trip_in_a_new_process(trained, tmp_path: Path):
    classifier, _ = trained
    out = classifier.save(tmp_path / "ckpt")
    texts = ["so happy and glad", "sad and lonely day", "an unseen word zebra"]
    here = [p.probabilities for p in classifier.predict(texts)]
    code = (
        "import json, sys\n"
        "from nlptut.classifier import TextClassifier\n"
        "c = TextClassifier.load(sys.argv[1])\n"
        "print(json.dumps([p.probabilities for p in c.predict(json.loads(sys.argv[2]))]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(out), json.dumps(texts)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(result.stdout) == here


def test_keyword_checkpoint_round_trip(tmp_path: Path):
    classifier, _ = TextClassifier.fit(_data(), "keywords")
    classifier.save(tmp_path / "rules")
    loaded = TextClassifier.load(tmp_path / "rules")
    text = ["We went to Bali for holiday. It was fantastic!"]
    assert loaded.predict(text) == classifier.predict(text)


def test_refuses_existing_folder_without_force(trained, tmp_path: Path):
    classifier, _ = trained
    target = tmp_path / "ckpt"
    classifier.save(target)
    with pytest.raises(CheckpointError, match="--force"):
        classifier.save(target)
    classifier.save(target, force=True)
    assert TextClassifier.load(target).model_name == "nbow"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ckpt"]


def test_force_never_replaces_a_folder_that_is_not_a_checkpoint(trained, tmp_path: Path):
    classifier, _ = trained
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("precious")
    with pytest.raises(CheckpointError, match="not an nlptut checkpoint"):
        classifier.save(target, force=True)
    assert (target / "notes.txt").read_text() == "precious"


def test_tampered_weights_are_refused(trained, tmp_path: Path):
    classifier, _ = trained
    out = classifier.save(tmp_path / "ckpt")
    weights = out / "model.safetensors"
    blob = bytearray(weights.read_bytes())
    blob[-1] ^= 0xFF
    weights.write_bytes(bytes(blob))
    with pytest.raises(CheckpointError, match="sha256"):
        TextClassifier.load(out)


@pytest.mark.parametrize("missing", ["vocab.json", "model.safetensors", "config.json"])
def test_missing_file_is_refused(trained, tmp_path: Path, missing: str):
    classifier, _ = trained
    out = classifier.save(tmp_path / "ckpt")
    (out / missing).unlink()
    with pytest.raises(CheckpointError, match="missing"):
        TextClassifier.load(out)


def test_mismatched_files_are_refused(trained, tmp_path: Path):
    classifier, _ = trained
    out = classifier.save(tmp_path / "ckpt")
    config = json.loads((out / "config.json").read_text())
    config["model_config"]["num_classes"] = 5
    config["manifest_sha256"] = manifest_digest(config)  # a consistent, but wrong, manifest
    (out / "config.json").write_text(json.dumps(config))
    with pytest.raises(CheckpointError, match="belong together"):
        TextClassifier.load(out)


def test_missing_folder_is_refused(tmp_path: Path):
    with pytest.raises(CheckpointError, match="no such checkpoint"):
        TextClassifier.load(tmp_path / "nothing")


def test_evaluate_refuses_other_labels(trained):
    classifier, _ = trained
    data = _data()
    data.labels = ("anger", "fear")
    with pytest.raises(NlptutError, match="not trained on \\(anger, fear"):
        classifier.evaluate(data)


def test_evaluate_matches_labels_by_name(trained):
    classifier, _ = trained
    expected = classifier.evaluate(_data())
    reordered = _data()  # the same tweets with the label names in the other order
    reordered.labels = LABELS[::-1]
    for split in reordered.splits.values():
        split.labels[:] = [1 - y for y in split.labels]
    metrics = classifier.evaluate(reordered)
    assert metrics.accuracy == expected.accuracy and metrics.labels == list(LABELS)
    only_joy = [(t, y) for t, y in TRAIN if y == 1]
    scored = classifier.score([t for t, _ in only_joy], ["joy"] * len(only_joy))
    assert scored.support == len(only_joy) and scored.report["sadness"]["support"] == 0


def test_nbow_reads_subword_features_and_saves_them(trained, tmp_path: Path):
    classifier, _ = trained
    assert classifier.vocab.char_ngrams == (1, 6) and classifier.vocab.word_bigrams
    assert classifier.model.config.vocab_size == len(classifier.vocab) > classifier.vocab.num_words
    loaded = TextClassifier.load(classifier.save(tmp_path / "ckpt"))
    assert loaded.vocab == classifier.vocab


def test_ngram_features_are_refused_for_models_that_read_in_order():
    import dataclasses

    from nlptut.classifier import RECIPES

    recipe = dataclasses.replace(RECIPES["cnn"], char_ngrams=(1, 6))
    with pytest.raises(ValueError, match="only for the bag models"):
        TextClassifier.fit(_data(), "cnn", recipe=recipe, epochs=1, progress=False)
