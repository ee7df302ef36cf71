"""Confident mistakes, the confusions a report names, and the label names of a split."""

from __future__ import annotations

import numpy as np
import pytest

from nlptut.datasets import LabelledData, Split
from nlptut.mistakes import confident_mistakes
from nlptut.training import classification_metrics

LABELS = ("a", "b", "c")


class FixedModel:
    """Answers each text with the probabilities given for it."""

    labels = LABELS

    def __init__(self, table):
        self.table = table

    def predict_proba(self, texts):
        return np.array([self.table[t] for t in texts])


def _data():
    test = Split(["one", "two", "three", "four"], [0, 1, 2, 0])
    empty = Split([], [])
    return LabelledData("toy", LABELS, {"train": test, "validation": empty, "test": test})


def test_mistakes_come_most_confident_first_and_right_answers_are_left_out():
    model = FixedModel(
        {
            "one": [0.9, 0.05, 0.05],  # right
            "two": [0.6, 0.3, 0.1],  # wrong: a with 0.6
            "three": [0.05, 0.9, 0.05],  # wrong: b with 0.9
            "four": [0.2, 0.5, 0.3],  # wrong: b with 0.5
        }
    )
    found = confident_mistakes(model, _data(), n=2)
    assert [(m.text, m.label, m.answer) for m in found] == [("three", "c", "b"), ("two", "b", "a")]
    assert found[0].confidence == pytest.approx(0.9)
    assert len(confident_mistakes(model, _data(), n=10)) == 3  # only three mistakes


def test_a_model_of_other_labels_is_refused_in_one_line():
    model = FixedModel({})
    model.labels = ("x", "y", "z")
    with pytest.raises(ValueError, match="not the data's"):
        confident_mistakes(model, _data())
    with pytest.raises(ValueError, match="at least 1"):
        confident_mistakes(FixedModel({}), _data(), n=0)


def test_top_confusions_reads_the_matrix_without_its_diagonal():
    truth = [0, 0, 0, 1, 1, 2, 2, 2, 2]
    answer = [1, 1, 0, 0, 1, 0, 1, 1, 1]
    metrics = classification_metrics(truth, answer, LABELS)
    assert metrics.top_confusions(2) == [("c", "b", 3), ("a", "b", 2)]
    assert metrics.top_confusions(10) == [
        ("c", "b", 3),
        ("a", "b", 2),
        ("b", "a", 1),
        ("c", "a", 1),
    ]


def test_labels_of_names_every_example_of_a_split():
    assert _data().labels_of("test") == ["a", "b", "c", "a"]
