"""What a classifier answers for one text: :class:`Prediction` (no PyTorch needed).

Shared by :class:`nlptut.classifier.TextClassifier` and the exported models of
:class:`nlptut.deploy.OnnxClassifier`, so that both answer alike and a
program that only runs an exported model does not import PyTorch.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

__all__ = ["Prediction"]


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
