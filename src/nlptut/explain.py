"""Which words pushed a classifier's answer? Word attributions with Captum.

An *attribution* gives each word of a text a number: how much that word
raised (positive) or lowered (negative) the probability of the model's answer.
:func:`word_attributions` computes the simplest kind, by leaving words out:
run the model on the text without one word, and see how much the probability
of its answer drops. Captum (:cite:t:`kokhlikyan2020captum`), PyTorch's
library for explaining models, does the bookkeeping with
:class:`captum.attr.FeatureAblation`; here each *feature* is one word, or a
group of words that are left out together.

It works with any classifier that turns a list of texts into probabilities,
so the same picture can be drawn for keyword-free networks trained from
scratch, a frozen encoder with a regression, or a fine-tuned Transformer::

    from nlptut.explain import word_attributions

    result = word_attributions(classifier.predict_proba, "not happy at all")
    print(result.words, result.scores)

Leaving out one word at a time misses words that matter only together: if
either of two words alone is enough for the answer, each gets 0. Give such
words the same group (``groups``) to leave them out together.
:func:`draw_word_attributions` colours the words of several texts on a
matplotlib axis (red raised the answer's probability, blue lowered it).

Needs the ``examples`` extra (``pip install "nlptut[examples]"``: Captum and
matplotlib).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from nlptut.errors import NlptutError

__all__ = ["WordAttribution", "word_attributions", "draw_word_attributions"]

ProbabilityFn = Callable[[list[str]], Any]
"""Texts -> an array-like of shape ``(len(texts), number of labels)`` of probabilities."""


@dataclass(frozen=True)
class WordAttribution:
    """The words of one text and how much each pushed the model's answer.

    Attributes
    ----------
    text : str
    words : list of str
        The text split at spaces (punctuation stays with its word).
    scores : list of float
        For each word, the probability of ``target`` with the text whole minus
        the probability without that word (or its group): positive when the
        word raised the probability, negative when it lowered it.
    target : int
        The label index explained: the model's answer unless one was given.
    probability : float
        The probability of ``target`` for the whole text.
    """

    text: str
    words: list[str]
    scores: list[float]
    target: int
    probability: float

    @property
    def strongest(self) -> tuple[str, float]:
        """The word whose removal changed the probability most, and its score.

        "Most" is by size, whichever the direction; on a tie the first such word.
        """
        i = max(range(len(self.words)), key=lambda j: abs(self.scores[j]))
        return self.words[i], self.scores[i]


def _captum() -> Any:
    try:
        from captum.attr import FeatureAblation
    except ImportError as err:  # pragma: no cover - depends on the environment
        raise NlptutError(
            'word attributions need Captum; install it with pip install "nlptut[examples]"'
        ) from err
    return FeatureAblation


def word_attributions(
    predict_proba: ProbabilityFn,
    text: str,
    *,
    target: int | None = None,
    groups: Sequence[int] | None = None,
) -> WordAttribution:
    """Leave each word (or group of words) out and measure the change in one probability.

    Parameters
    ----------
    predict_proba : callable
        Takes a list of texts, returns their probabilities, one row per text
        and one column per label (a NumPy array or anything ``np.asarray``
        accepts), such as ``TextClassifier.predict_proba``.
    text : str
        The text to explain; its words are what ``text.split()`` gives.
    target : int, optional
        The label index to explain; by default the model's answer for ``text``.
    groups : sequence of int, optional
        One number per word; words with the same number are left out together
        and share one score. By default every word is its own group.

    Returns
    -------
    WordAttribution

    Raises
    ------
    ValueError
        For a text without words, or ``groups`` of the wrong length.
    """
    words = text.split()
    if not words:
        raise ValueError("cannot explain an empty text; give a text with at least one word")
    if groups is not None and len(groups) != len(words):
        raise ValueError(
            f"groups has {len(groups)} numbers but the text has {len(words)} words; "
            "give one number per word"
        )
    whole = np.asarray(predict_proba([text]), dtype=float)[0]
    target = int(whole.argmax()) if target is None else int(target)
    if not 0 <= target < len(whole):
        raise ValueError(f"target {target} is not a label index (0 to {len(whole) - 1})")

    def probability(keep: torch.Tensor) -> torch.Tensor:  # (variants, words) of 1 = kept
        variants = [" ".join(w for w, k in zip(words, row, strict=True) if k > 0.5) for row in keep]
        probs = np.asarray(predict_proba(variants), dtype=float)
        return torch.tensor(probs[:, target])

    mask = None if groups is None else torch.tensor([list(groups)])
    scores = _captum()(probability).attribute(
        torch.ones(1, len(words)),
        baselines=0.0,
        feature_mask=mask,
        perturbations_per_eval=len(words),
    )
    return WordAttribution(text, words, scores[0].tolist(), target, float(whole[target]))


def draw_word_attributions(
    ax: Any,
    rows: Sequence[WordAttribution],
    labels: Sequence[str],
    *,
    fontsize: float = 9,
) -> None:
    """Draw each text on one line of ``ax``: the answer, then its words coloured by score.

    Red words raised the probability of the answer, blue words lowered it;
    the colours of one line are scaled to its largest score, so they compare
    the words of one text, not different texts. Words are laid out by their
    measured width, so long words never overlap.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Turned off (no frame, no ticks) and filled with text.
    rows : sequence of WordAttribution
    labels : sequence of str
        The label names, indexed by :attr:`WordAttribution.target`.
    """
    from matplotlib import colormaps

    if not rows:
        raise ValueError("no texts to draw; give at least one WordAttribution")
    colours = colormaps["coolwarm"]
    ax.axis("off")
    ax.set_xlim(0, 1)
    ax.set_ylim(-len(rows) + 0.5, 0.5)
    renderer = ax.figure.canvas.get_renderer()  # to measure each word, so the next one follows it
    to_data = ax.transData.inverted()
    answers = [
        ax.text(0.0, -row, labels[a.target], family="monospace", fontsize=fontsize, va="center")
        for row, a in enumerate(rows)
    ]
    start = max(t.get_window_extent(renderer).transformed(to_data).x1 for t in answers) + 0.015
    for row, attribution in enumerate(rows):
        top = max(max(abs(s) for s in attribution.scores), 1e-6)
        x = start
        for word, score in zip(attribution.words, attribution.scores, strict=True):
            box = ax.text(
                x,
                -row,
                word,
                fontsize=fontsize,
                va="center",
                bbox={"fc": colours(0.5 + 0.5 * score / top), "ec": "none"},
            )
            x = box.get_window_extent(renderer).transformed(to_data).x1 + 0.008
