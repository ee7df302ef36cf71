"""What a classifier answers for one text: :class:`Prediction` (no PyTorch needed).

Shared by :class:`nlptut.classifier.TextClassifier` and the exported models of
:class:`nlptut.deploy.OnnxClassifier`, so that both answer alike and a
program that only runs an exported model does not import PyTorch.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from nlptut.errors import NlptutError

__all__ = ["Prediction", "check_texts", "from_probabilities"]


def check_texts(texts: str | Sequence[str]) -> list[str]:
    """The texts to classify as a list (one string becomes a list of one).

    Raises :class:`~nlptut.errors.NlptutError`, naming the text by its
    position, for an empty or blank text, or for one that is not a string.
    """
    texts = [texts] if isinstance(texts, str) else list(texts)
    for i, text in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            raise NlptutError(f"text {i + 1} is empty; give at least one word to classify")
    return texts


@dataclass
class Prediction:
    """One text's prediction.

    Attributes
    ----------
    text : str
    label : str
        The most probable label.
    probabilities : dict of str to float
        Every label's probability, in label order.
    matched : dict of str to list of str, or None
        For the keyword model: the words that matched, per label.
    """

    text: str
    label: str
    probabilities: dict[str, float]
    matched: dict[str, list[str]] | None = None

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def from_probabilities(
    texts: Sequence[str], labels: Sequence[str], probabilities: Sequence[Sequence[float]]
) -> list[Prediction]:
    """One :class:`Prediction` per text from a ``(texts, labels)`` table of probabilities;
    the label is the most probable one (the first, on a tie)."""
    out = []
    for text, row in zip(texts, probabilities, strict=True):
        values = [float(p) for p in row]
        best = max(range(len(values)), key=values.__getitem__)
        out.append(Prediction(text, labels[best], dict(zip(labels, values, strict=True))))
    return out
