"""The mistakes a classifier makes with the most confidence: the first thing to read.

A test score says how often a model is wrong, not how. Reading its most
confident mistakes (the wrong answers it gave the highest probability) shows
both what the model has not learned and where the labels themselves are
doubtful. Works with any classifier that has ``labels`` and
``predict_proba(texts)``: :class:`nlptut.classifier.TextClassifier`,
:class:`nlptut.finetuned.FinetunedClassifier`, a keyword model.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nlptut.datasets import LabelledData

__all__ = ["Mistake", "confident_mistakes"]


@dataclass(frozen=True)
class Mistake:
    """One wrong answer.

    Attributes
    ----------
    text : str
    label : str
        The label the data gives.
    answer : str
        The model's answer.
    confidence : float
        The probability the model gave its answer.
    """

    text: str
    label: str
    answer: str
    confidence: float


def confident_mistakes(
    model: Any, data: LabelledData, split: str = "test", n: int = 10
) -> list[Mistake]:
    """The ``n`` wrong answers on ``split`` that ``model`` gave the highest probability.

    Parameters
    ----------
    model
        Has ``labels`` (the label names, in the order of ``data.labels``) and
        ``predict_proba(texts)``.
    data : LabelledData
    split : str
        ``"test"`` (the default), ``"validation"`` or ``"train"``.
    n : int
        How many, at most (fewer if the model makes fewer mistakes).

    Raises
    ------
    ValueError
        If the model's labels are not the data's, or ``n`` is below 1.
    """
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if tuple(model.labels) != tuple(data.labels):
        raise ValueError(
            f"the model's labels {list(model.labels)} are not the data's {list(data.labels)}: "
            "train the model on this dataset (or one with the same labels in the same order)"
        )
    part = data[split]
    probabilities = np.asarray(model.predict_proba(part.texts))
    answers = probabilities.argmax(axis=1)
    confidence = probabilities.max(axis=1)
    wrong = np.flatnonzero(answers != np.asarray(part.labels))
    ranked = wrong[np.argsort(-confidence[wrong], kind="stable")][:n]
    return [
        Mistake(
            part.texts[i],
            data.labels[part.labels[i]],
            data.labels[answers[i]],
            float(confidence[i]),
        )
        for i in ranked
    ]
