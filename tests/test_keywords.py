"""Tests for nlptut.keywords: the keyword rule baseline."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

from nlptut.errors import UnknownName
from nlptut.keywords import (
    ENGLISH_LEXICON,
    INDONESIAN_LEXICON,
    KeywordClassifier,
    KeywordPrediction,
    for_labels,
    highlight,
)
from nlptut.text import tokenize

EMOTION = ["sadness", "joy", "love", "anger", "fear", "surprise"]
EMOT = ["sadness", "anger", "love", "fear", "happy"]
HOLIDAY = "We went to Bali for holiday. It was fantastic!"
JACKPOT = "My neighbour won the jackpot! not me."


def test_holiday_is_joy():
    pred = for_labels(EMOTION).predict([HOLIDAY])[0]
    assert isinstance(pred, KeywordPrediction)
    assert pred.label == "joy"
    assert "fantastic" in pred.matched["joy"]


def test_jackpot_fools_the_rules():
    # The writer is sad ("not me"), but the rules only see "won" and "jackpot".
    pred = for_labels(EMOTION).predict([JACKPOT])[0]
    assert pred.label == "joy"
    assert pred.matched["joy"] == ["won", "jackpot"]
    assert pred.scores == {label: 2 if label == "joy" else 0 for label in EMOTION}


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("[USERNAME] aku sedih banget, dia pergi ninggalin aku", "sadness"),
        ("Kesel banget sama pemerintah, dasar tolol!", "anger"),
        ("aku sayang kamu, kangen peluk kamu", "love"),
        ("takut sendirian di rumah, serem bgt", "fear"),
        ("Alhamdulillah seneng banget hari ini wkwk", "happy"),
    ],
)
def test_indonesian_examples(text, label):
    assert for_labels(EMOT, language="id").predict([text])[0].label == label


def test_lexicons_are_transparent():
    for lexicon in (ENGLISH_LEXICON, INDONESIAN_LEXICON):
        for words in lexicon.values():
            assert 20 <= len(words) <= 60
            assert len(set(words)) == len(words)
            assert all(tokenize(word) == [word] for word in words)
        for a, b in itertools.combinations(lexicon, 2):
            assert not set(lexicon[a]) & set(lexicon[b]), (a, b)
    assert set(ENGLISH_LEXICON) == set(EMOTION)
    assert set(INDONESIAN_LEXICON) == set(EMOT)


def test_ties_go_to_the_earlier_label_and_no_match_to_default():
    clf = KeywordClassifier({"a": ["good"], "b": ["bad"]}, ["b", "a", "c"])
    assert clf.predict(["good bad"])[0].label == "b"
    assert clf.predict(["nothing here"])[0].label == "b"  # first label before fit
    clf.fit(["x", "y", "z"], ["c", "a", "c"])
    assert clf.default == "c"
    assert clf.predict(["nothing here"])[0].label == "c"
    assert clf.predict(["Good GOOD bad"])[0].scores == {"b": 1, "a": 2, "c": 0}


def test_fit_refuses_unknown_labels():
    with pytest.raises(ValueError, match="unknown labels"):
        for_labels(EMOTION).fit(["text"], ["happy"])


def test_predict_proba_rows_sum_to_one_and_agree_with_predict():
    clf = for_labels(EMOTION).fit(["a", "b", "c"], ["sadness", "fear", "fear"])
    texts = [HOLIDAY, JACKPOT, "nothing to see", "sad and angry", ""]
    proba = clf.predict_proba(texts)
    assert proba.shape == (5, 6)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert (proba > 0).all()
    predicted = [EMOTION[i] for i in proba.argmax(axis=1)]
    assert predicted == [p.label for p in clf.predict(texts)]
    assert predicted[2] == "fear"  # no keyword: the default


def test_to_dict_round_trip():
    clf = for_labels(EMOT, language="id").fit(["x", "y"], ["love", "love"])
    copy = KeywordClassifier.from_dict(json.loads(json.dumps(clf.to_dict())))
    assert copy.to_dict() == clf.to_dict()
    assert copy.default == "love"
    texts = ["marah dan takut", "ga ada apa-apa"]
    assert copy.predict(texts) == clf.predict(texts)


def test_for_labels_errors_and_missing_labels():
    clf = for_labels(["joy", "boredom"])
    assert clf.lexicon["boredom"] == ()
    with pytest.raises(ValueError, match="none for the labels"):
        for_labels(["boredom"])
    with pytest.raises(UnknownName, match="en, id"):
        for_labels(EMOTION, language="fr")


def test_bad_lexicons_are_refused():
    with pytest.raises(ValueError, match="single words"):
        KeywordClassifier({"joy": ["over the moon"]}, ["joy"])
    with pytest.raises(ValueError, match="not among the labels"):
        KeywordClassifier({"joy": ["happy"]}, ["sadness"])
    with pytest.raises(TypeError, match=r"predict\(\[text\]\)"):
        for_labels(EMOTION).predict(HOLIDAY)


def test_highlight():
    clf = for_labels(EMOTION)
    pred = clf.predict([JACKPOT])[0]
    assert highlight(JACKPOT, pred) == "My neighbour **won** the **jackpot**! not me."
    pred = clf.predict([HOLIDAY])[0]
    assert highlight(HOLIDAY, pred) == "We went to Bali for **holiday**. It was **fantastic**!"
    text = "SAD, but Happy."
    assert highlight(text, clf.predict([text])[0], label="joy") == "SAD, but **Happy**."
