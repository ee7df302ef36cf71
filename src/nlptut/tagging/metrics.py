"""Scores for taggers, computed with seqeval the way IndoNLU reports them.

A tagger is scored on *chunks*, not on single words: a name such as
"amos kenda" (``B-PPL I-PPL``) counts as found only if both of its words get
the right tags and the chunk ends where it should. For each chunk type
(``PPL``, ``PLC``, ... or each part of speech):

* precision: of the chunks the tagger found, the share that are right;
* recall: of the chunks in the data, the share the tagger found;
* F1: the harmonic mean of the two.

IndoNLU's Table 5 reports, for POSP and NERP, the F1 of each type averaged
over the types (its ``utils/metrics.py`` takes the type-averaged F1 of its
``conlleval.py``); so does :attr:`TagScores.f1` here, from seqeval's
``classification_report`` in its default, conlleval-compatible mode (an
``I-X`` that does not continue a chunk starts one). Types found in the data or
in the predictions count, as in conlleval. :attr:`TagScores.micro_f1` pools
all chunks instead, and :attr:`TagScores.accuracy` is the share of words whose
tag is right.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass

__all__ = ["TypeScore", "TagScores", "tag_scores"]


@dataclass(frozen=True)
class TypeScore:
    """Precision, recall and F1 of one chunk type, and its number of chunks in the data."""

    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True)
class TagScores:
    """How well predicted tags match the true tags.

    Attributes
    ----------
    f1 : float
        F1 of each chunk type averaged over the types (IndoNLU's tagging F1), 0 to 1.
    precision, recall : float
        Precision and recall averaged over the types the same way.
    micro_f1 : float
        F1 over all chunks pooled (large types weigh more).
    accuracy : float
        The share of words whose tag is right.
    per_type : dict of str to TypeScore
        The scores of each type, sorted by name.
    words, sentences : int
        How many words and sentences were scored.
    """

    f1: float
    precision: float
    recall: float
    micro_f1: float
    accuracy: float
    per_type: dict[str, TypeScore]
    words: int
    sentences: int

    def to_dict(self) -> dict:
        """The scores as plain JSON-ready values."""
        return asdict(self)

    def format_report(self) -> str:
        """A small table: one row per type, then the averages."""
        lines = [f"{'type':<8}{'precision':>10}{'recall':>8}{'f1':>8}{'chunks':>8}"]
        for name, s in self.per_type.items():
            lines.append(f"{name:<8}{s.precision:>10.3f}{s.recall:>8.3f}{s.f1:>8.3f}{s.support:>8}")
        lines.append(f"{'average':<8}{self.precision:>10.3f}{self.recall:>8.3f}{self.f1:>8.3f}")
        lines.append(f"micro F1 {self.micro_f1:.3f}, word accuracy {self.accuracy:.3f}")
        return "\n".join(lines)


def tag_scores(true: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> TagScores:
    """Score predicted BIO tags against the true ones, sentence by sentence.

    Parameters
    ----------
    true, predicted : sequence of sequences of str
        One tag sequence per sentence; each predicted sequence as long as its true one.

    Returns
    -------
    TagScores

    Examples
    --------
    >>> s = tag_scores([["B-PPL", "I-PPL", "O", "B-PLC"]], [["B-PPL", "I-PPL", "O", "O"]])
    >>> s.per_type["PPL"].f1, s.per_type["PLC"].f1, s.f1
    (1.0, 0.0, 0.5)
    """
    from seqeval.metrics import accuracy_score, classification_report

    if len(true) != len(predicted):
        raise ValueError(
            f"{len(true)} true tag sequences but {len(predicted)} predicted; give one "
            "prediction per sentence"
        )
    for i, (a, b) in enumerate(zip(true, predicted, strict=True)):
        if len(a) != len(b):
            raise ValueError(f"sentence {i}: {len(a)} true tags but {len(b)} predicted")
    true = [list(t) for t in true]
    predicted = [list(p) for p in predicted]
    words = sum(len(t) for t in true)
    if words == 0:
        raise ValueError("no words to score")
    with warnings.catch_warnings():
        # a type never predicted (or never present) has precision (or recall) 0,
        # as in conlleval; seqeval warns about each such division by zero
        warnings.simplefilter("ignore")
        report = classification_report(true, predicted, output_dict=True, zero_division=0)
    reserved = {"micro avg", "macro avg", "weighted avg"}
    per_type = {
        name: TypeScore(
            float(v["precision"]), float(v["recall"]), float(v["f1-score"]), int(v["support"])
        )
        for name, v in sorted(report.items())
        if name not in reserved
    }
    # no chunk in the data nor in the predictions: nothing to average, 0 as in conlleval
    macro = report["macro avg"] if per_type else dict.fromkeys(("precision", "recall"), 0.0)
    micro = report["micro avg"] if per_type else {}
    return TagScores(
        f1=float(macro.get("f1-score", 0.0)),
        precision=float(macro["precision"]),
        recall=float(macro["recall"]),
        micro_f1=float(micro.get("f1-score", 0.0)),
        accuracy=float(accuracy_score(true, predicted)),
        per_type=per_type,
        words=words,
        sentences=len(true),
    )
