"""A frozen pretrained encoder under a logistic regression: "MiniLM + regression".

The cheapest way to use a :term:`pretrained model` for classification: keep
it :term:`frozen` (never trained further), let it turn each text into one
vector of numbers (its *sentence vector*), and let a
:class:`sklearn.linear_model.LogisticRegression` learn from those vectors which
label is meant::

    >>> vectors = SentenceVectors()                      # doctest: +SKIP
    >>> clf = FrozenClassifier.fit(data, vectors=vectors, c=3.0)  # doctest: +SKIP
    >>> clf.predict(["I didn't get the job."])[0].label   # doctest: +SKIP
    'sadness'

Running the encoder is the slow part, so :class:`SentenceVectors` remembers
every vector it has computed: several classifiers trained on overlapping
samples (different seeds, different settings of ``c``) embed each text once.
The vectors are those of :func:`nlptut.hf.embed_texts` (mean pooling, length
1), in float32 or, where the CPU computes bfloat16 natively, under bfloat16
autocast (:mod:`nlptut.precision`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from nlptut.datasets import LabelledData, Split
from nlptut.prediction import Prediction, check_texts, from_probabilities
from nlptut.training import Metrics

__all__ = ["FrozenClassifier", "SentenceVectors"]


class SentenceVectors:
    """Texts to sentence vectors, each text embedded once.

    Parameters
    ----------
    encoder, tokenizer
        A pretrained encoder and its tokenizer; by default all-MiniLM-L6-v2
        (:func:`nlptut.hf.load_encoder`, :func:`nlptut.hf.load_tokenizer`).
    """

    def __init__(self, encoder: Any = None, tokenizer: Any = None) -> None:
        from nlptut.hf import load_encoder, load_tokenizer

        self.encoder = encoder if encoder is not None else load_encoder()
        self.tokenizer = tokenizer if tokenizer is not None else load_tokenizer()
        self._rows: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        """How many different texts have been embedded so far."""
        return len(self._rows)

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        """One row per text, ``(len(texts), hidden_size)``; new texts are embedded in one go."""
        from nlptut.hf import embed_texts

        texts = list(texts)
        missing = sorted({t for t in texts if t not in self._rows})
        if missing:
            new = embed_texts(missing, self.encoder, self.tokenizer, progress=False).numpy()
            self._rows.update(zip(missing, new, strict=True))
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._rows[t] for t in texts])


class FrozenClassifier:
    """Sentence vectors of a frozen encoder, then a logistic regression.

    Built with :meth:`fit`. It answers like the other classifiers of nlptut:
    :meth:`predict` gives one :class:`~nlptut.prediction.Prediction` per text,
    :meth:`predict_proba` the table of probabilities.

    Attributes
    ----------
    labels : tuple of str
        The label names, in the order of :meth:`predict_proba`'s columns.
    vectors : SentenceVectors
    regression : sklearn.linear_model.LogisticRegression
    """

    kind = "minilm-frozen"
    is_neural = True  # it answers with probabilities (read by classifier.score_texts)

    def __init__(
        self, labels: Sequence[str], vectors: SentenceVectors, regression: LogisticRegression
    ) -> None:
        self.labels = tuple(labels)
        self.vectors = vectors
        self.regression = regression

    @classmethod
    def fit(
        cls,
        data: LabelledData,
        *,
        c: float = 1.0,
        vectors: SentenceVectors | None = None,
        split: str = "train",
    ) -> FrozenClassifier:
        """Train the regression on the sentence vectors of ``data[split]``.

        Parameters
        ----------
        data : LabelledData
        c : float, default 1.0
            The regression's ``C``: how closely it may follow its training
            texts (small: weights kept near zero, a simpler model; large: it
            fits them closely).
        vectors : SentenceVectors, optional
            Share one between classifiers so that each text is embedded once;
            a new one (MiniLM) by default.
        split : str, default "train"
        """
        if c <= 0:
            raise ValueError(f"c must be greater than 0, got {c}")
        part: Split = data[split]
        if len(set(part.labels)) < 2:
            raise ValueError(
                f"{data.name}: the {split} split has {len(set(part.labels))} label(s); "
                "a classifier needs examples of at least two"
            )
        vectors = vectors if vectors is not None else SentenceVectors()
        regression = LogisticRegression(C=c, max_iter=2000)
        regression.fit(vectors(part.texts), part.labels)
        return cls(data.labels, vectors, regression)

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """``(len(texts), len(labels))`` probabilities; a label never seen in training gets 0."""
        texts = check_texts(texts)
        seen = self.regression.predict_proba(self.vectors(texts))
        out = np.zeros((len(texts), len(self.labels)))
        out[:, self.regression.classes_] = seen
        return out

    def evaluate(self, data: LabelledData, split: str = "test") -> Metrics:
        """Score the classifier on one split of ``data`` (labels matched by name)."""
        from nlptut.classifier import score_texts

        return score_texts(self, data[split].texts, data.labels_of(split))

    def predict(self, texts: str | Sequence[str]) -> list[Prediction]:
        """One :class:`~nlptut.prediction.Prediction` per text."""
        texts = check_texts(texts)
        return from_probabilities(texts, self.labels, self.predict_proba(texts))
