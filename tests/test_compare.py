"""The paired bootstrap's scores match scikit-learn's, and its verdict follows the numbers."""

from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import accuracy_score, f1_score

from nlptut.compare import _weights, compare, macro_f1_of_draws


def _answers(n=400, right_a=0.9, right_b=0.6, labels=3, seed=1):
    rng = np.random.default_rng(seed)
    truth = rng.integers(0, labels, n)
    a = np.where(rng.random(n) < right_a, truth, (truth + 1) % labels)
    b = np.where(rng.random(n) < right_b, truth, (truth + 2) % labels)
    return truth, a, b


def test_the_scores_are_scikit_learns():
    truth, a, b = _answers()
    for metric, fn in (
        ("accuracy", accuracy_score),
        ("macro-F1", lambda t, p: f1_score(t, p, average="macro")),
    ):
        c = compare(truth, a, b, metric=metric)
        assert c.scores == pytest.approx((fn(truth, a), fn(truth, b)))


def test_each_draw_is_scored_as_scikit_learn_would_score_it():
    truth, a, _ = _answers(n=60)
    weights = _weights(len(truth), 5, seed=3)
    fast = macro_f1_of_draws(truth, a, weights, 3)
    for row, value in zip(weights, fast, strict=True):
        index = np.repeat(np.arange(len(truth)), row.astype(int))  # the draw, text by text
        expected = f1_score(truth[index], a[index], average="macro", labels=[0, 1, 2])
        assert value == pytest.approx(expected)


def test_a_clear_gap_names_the_winner_either_way_round():
    truth, a, b = _answers()
    c = compare(truth, a, b, names=("good", "poor"))
    assert c.winner == "good" and c.low > 0
    assert "higher macro-F1: good" in c.sentence()
    flipped = compare(truth, b, a, names=("poor", "good"))
    assert flipped.winner == "good" and flipped.high < 0
    assert "higher macro-F1: good" in flipped.sentence()


def test_a_gap_within_the_noise_names_no_winner():
    truth, a, _ = _answers(n=50, right_a=0.7)
    _, b, _ = _answers(n=50, right_a=0.7, seed=2)
    b = np.where(np.random.default_rng(5).random(50) < 0.7, truth, (truth + 1) % 3)
    c = compare(truth, a, b, names=("one", "other"), metric="accuracy")
    assert c.low < 0 < c.high and c.winner is None
    assert "within the noise" in c.sentence()


def test_the_same_seed_gives_the_same_range():
    truth, a, b = _answers()
    assert compare(truth, a, b) == compare(truth, a, b)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"first": [0, 1]}, "same number"),
        ({"metric": "recall"}, "metric must be"),
        ({"draws": 10}, "at least 100"),
    ],
)
def test_bad_input_is_refused_in_one_line(kwargs, message):
    args = {"truth": [0, 1, 2], "first": [0, 1, 2], "second": [0, 1, 1], **kwargs}
    with pytest.raises(ValueError, match=message):
        compare(**args)


def test_judge_runs_says_clearly_only_when_the_runs_do_not_overlap():
    from nlptut.compare import judge_runs

    assert judge_runs([0.4, 0.5], [0.1, 0.2]) == "clearly higher"
    assert judge_runs([0.1, 0.2], [0.4, 0.5]) == "clearly lower"
    assert judge_runs([0.1, 0.5], [0.3, 0.4]) == "overlapping"
    with pytest.raises(ValueError, match="at least one score"):
        judge_runs([], [0.1])
