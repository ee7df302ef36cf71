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

During a site build (:mod:`nlptut.buildcache`: ``NLPTUT_BUILD_CACHE`` names a
folder), a :class:`SentenceVectors` of the default MiniLM also keeps its
vectors in that folder, so that a later page embedding the same texts the
same way reads them instead of running MiniLM again. A stored file that cannot
be read is ignored (the texts are embedded again), never trusted in part.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.linear_model import LogisticRegression

from nlptut.datasets import LabelledData, Split
from nlptut.fileio import replacing
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

        default = encoder is None and tokenizer is None
        self.encoder = encoder if encoder is not None else load_encoder()
        self.tokenizer = tokenizer if tokenizer is not None else load_tokenizer()
        self._rows: dict[str, np.ndarray] = {}
        self._store = _build_store() if default else None
        if self._store is not None:
            self._rows.update(_read_store(self._store))

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
            if self._store is not None:
                _write_store(self._store, self._rows)
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._rows[t] for t in texts])


def _build_store() -> Path | None:
    """The build cache's file for the default MiniLM's vectors, or ``None`` outside a build."""
    import torch

    import nlptut
    from nlptut import buildcache
    from nlptut.hf import MINILM_NAME
    from nlptut.precision import choose_precision

    cache = buildcache.folder()
    if cache is None:
        return None
    described = {
        "encoder": MINILM_NAME,
        "embed_texts": "defaults",  # max_length, pooling, normalisation
        "precision": choose_precision("auto", "cpu").name,
        "nlptut": nlptut.__version__,
        "torch": torch.__version__,
    }
    name = hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:32]
    return cache / f"{name}.vectors.npz"


def _read_store(path: Path) -> dict[str, np.ndarray]:
    """The vectors stored at ``path``; nothing when it is missing or cannot be read whole."""
    try:
        with np.load(path, allow_pickle=False) as stored:
            texts, rows = stored["texts"], stored["vectors"]
        if rows.ndim != 2 or len(texts) != len(rows) or not np.isfinite(rows).all():
            return {}
        return dict(zip(texts.tolist(), rows, strict=True))
    except Exception:  # noqa: BLE001 - a damaged file fails in many ways (BadZipFile, ...)
        return {}


def _write_store(path: Path, rows: dict[str, np.ndarray]) -> None:
    """Write every vector to ``path`` atomically (write, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with replacing(path, suffix=".tmp.npz") as tmp:
        texts, vectors = np.array(list(rows), dtype=str), np.stack(list(rows.values()))
        np.savez(tmp, texts=texts, vectors=vectors)


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
