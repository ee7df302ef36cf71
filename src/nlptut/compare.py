"""Is one classifier better than another, or is the gap within the noise of the test sample?

A test split is a sample: another sample of the same size would give other
scores, and a small gap between two models can flip. The *paired bootstrap*
measures how far: draw a new test split of the same size from the old one
(the same texts for both models, some drawn twice, some not at all), score
both models on it, keep the difference, and repeat. The middle 95% of the
differences is the range the gap could as well have taken. When that range
holds zero, the test split cannot tell the two models apart.

Pages print :meth:`Comparison.sentence` instead of writing "A scored higher"
by hand, so that the sentence follows the numbers of the run that printed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["Comparison", "compare", "judge_runs", "macro_f1_of_draws"]

METRICS = ("accuracy", "macro-F1")


@dataclass(frozen=True)
class Comparison:
    """Two classifiers' scores on the same test texts, and how sure their gap is.

    Attributes
    ----------
    names : (str, str)
    scores : (float, float)
        The two scores on the test texts as they are.
    low, high : float
        The middle 95% of the bootstrap's differences (first minus second).
    metric : str
        ``"accuracy"`` or ``"macro-F1"``.
    """

    names: tuple[str, str]
    scores: tuple[float, float]
    low: float
    high: float
    metric: str

    @property
    def difference(self) -> float:
        """The first score minus the second."""
        return self.scores[0] - self.scores[1]

    @property
    def winner(self) -> str | None:
        """The name of the better one, or ``None`` when the range holds zero."""
        if self.low > 0:
            return self.names[0]
        if self.high < 0:
            return self.names[1]
        return None

    def sentence(self) -> str:
        """The comparison in words, e.g. ``"higher macro-F1: A (+0.098, 95% range ...)"``."""
        first, second = self.names
        if self.winner is None:
            return (
                f"{self.metric}: {first} {self.scores[0]:.3f}, {second} {self.scores[1]:.3f}; "
                f"the gap ({self.difference:+.3f}, 95% range {self.low:+.3f} to {self.high:+.3f}) "
                "is within the noise of the test sample: neither is shown better"
            )
        low, high = sorted((abs(self.low), abs(self.high)))  # the range of the winner's lead
        return (
            f"higher {self.metric}: {self.winner}, by {abs(self.difference):.3f} "
            f"(95% range {low:.3f} to {high:.3f}), more than the noise of the test sample"
        )


def _weights(n: int, draws: int, seed: int) -> np.ndarray:
    """How many times each of ``n`` texts is drawn, for each bootstrap draw: (draws, n)."""
    picks = np.random.default_rng(seed).integers(0, n, size=(draws, n))
    weights = np.zeros((draws, n))
    np.add.at(weights, (np.arange(draws)[:, None], picks), 1.0)
    return weights


def macro_f1_of_draws(
    truth: np.ndarray, answers: np.ndarray, weights: np.ndarray, n_labels: int
) -> np.ndarray:
    """Macro-F1 on every bootstrap draw at once (labels absent from a draw score 0)."""
    f1 = []
    for k in range(n_labels):
        true_k, answer_k = truth == k, answers == k
        hits = weights @ (true_k & answer_k)
        total = weights @ true_k + weights @ answer_k
        f1.append(np.divide(2 * hits, total, out=np.zeros_like(hits), where=total > 0))
    return np.mean(f1, axis=0)


def compare(
    truth: Sequence[int],
    first: Sequence[int],
    second: Sequence[int],
    *,
    names: tuple[str, str] = ("first", "second"),
    metric: str = "macro-F1",
    n_labels: int | None = None,
    draws: int = 1000,
    seed: int = 0,
) -> Comparison:
    """Compare two classifiers' answers on the same test texts with a paired bootstrap.

    Parameters
    ----------
    truth, first, second : sequence of int
        The true label indices and each classifier's answers, one per text.
    names : (str, str)
        How the sentence calls them.
    metric : {"macro-F1", "accuracy"}
    n_labels : int, optional
        How many labels there are (default: one more than the largest index
        seen); macro-F1 averages over all of them, as
        :func:`nlptut.training.classification_metrics` does.
    draws : int
        How many bootstrap draws (1,000 by default).
    seed : int
        Seeds the draws, so that a page prints the same range every build.

    Raises
    ------
    ValueError
        For unequal lengths, no texts, an unknown metric or fewer than 100 draws.
    """
    truth, a, b = (np.asarray(x, dtype=int) for x in (truth, first, second))
    if not len(truth) or len(a) != len(truth) or len(b) != len(truth):
        raise ValueError(
            f"need the same number of answers as true labels, and at least one: got "
            f"{len(truth)} labels, {len(a)} and {len(b)} answers"
        )
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {', '.join(METRICS)}, got {metric!r}")
    if draws < 100:
        raise ValueError(f"draws must be at least 100 for a 95% range, got {draws}")
    k = n_labels or int(max(truth.max(), a.max(), b.max())) + 1
    weights = _weights(len(truth), draws, seed)
    every = np.ones((1, len(truth)))
    if metric == "accuracy":

        def score(answers: np.ndarray, w: np.ndarray) -> np.ndarray:
            return (w @ (answers == truth)) / w.sum(axis=1)

    else:

        def score(answers: np.ndarray, w: np.ndarray) -> np.ndarray:
            return macro_f1_of_draws(truth, answers, w, k)

    low, high = np.percentile(score(a, weights) - score(b, weights), [2.5, 97.5])
    return Comparison(
        names, (float(score(a, every)[0]), float(score(b, every)[0])), low, high, metric
    )


def judge_runs(new: Sequence[float], old: Sequence[float]) -> str:
    """Compare two sets of training runs' scores without assuming anything about them.

    ``"clearly higher"`` when every run of ``new`` scored above every run of
    ``old``, ``"clearly lower"`` when every one scored below, otherwise
    ``"overlapping"``: with a few runs, a difference of the means whose runs
    overlap may be down to the seeds.
    """
    if not new or not old:
        raise ValueError("give at least one score for each set of runs")
    if min(new) > max(old):
        return "clearly higher"
    if max(new) < min(old):
        return "clearly lower"
    return "overlapping"
