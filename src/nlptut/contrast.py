"""Minimal pairs: does an emotion classifier read the meaning, or only the words?

A *contrast set* (Gardner et al., 2020) holds pairs of texts that differ by a
small edit, a word or a few, yet carry different emotions::

    >>> pair = load_pairs()[0]
    >>> pair.texts
    ('I got the job at the hospital!', "I didn't get the job at the hospital.")
    >>> pair.labels
    ('joy', 'sadness')

A model that only counts words (``"got"``, ``"job"``) answers the same for both
texts; a model that reads the meaning notices the change. :func:`score_pairs`
measures both: how many texts it labels right, how many pairs it gets right
*as a whole*, and how often its answer changes between the two texts of a
pair at all (:class:`PairScores`).

The data
--------
``nlptut/data/minimal_pairs.tsv`` ships with the package: 90 pairs of everyday
English sentences (work, family, friends, health, travel, money, school,
weather, pets, sport, neighbours, shopping) written by hand for nlptut by the
nlptut developers on 2026-12-01, none copied from a dataset or another contrast
set; released under the Apache License 2.0, like the package. Each sentence has
5 to 25 words; the two sentences of a pair differ by at most six words (most by
one to four), and no sentence appears twice. Most sentences contain no emotion
word at all (no *happy*, *sad*, *angry*, *scared*...): the emotion must be read
from what happens. The tutorial's two example texts (:data:`SEED_SENTENCES`)
are left out, as is anything close to them.

The labels, :data:`LABELS`, are the five emotions that the two English
datasets share: the dair-emotion tweets (which add ``love``) and GoEmotions
grouped into Ekman's emotions (which adds ``disgust`` and ``neutral``), so
that models trained on either can be scored on the same pairs. Every pair has
two different labels.
The edits, :data:`EDITS`, are:

``negation``
    *not*, *never*, *no* added or removed ("I got the job" / "I didn't get the job").
``but``
    a contrast clause that turns the emotion ("..., but someone stole it overnight").
``other_person``
    the good or bad thing happens to someone else instead ("My son scored the
    winning goal" / "The other team's striker scored the winning goal").
``not_me``
    a short tail that takes the writer out of, or into, the group that benefits
    ("..., including me!" / "..., except me.").
``missing_person``
    someone is there, or is absent, gone, did not come.
``reversed_outcome``
    won/lost, passed/failed, found/lost, accepted/rejected.
``cause``
    who or what caused it: an accident or the weather (sadness) against someone
    who did it carelessly or on purpose (anger), or a harmless cause against a
    threatening one (fear).
``expectation``
    the unexpected (surprise) against the expected, usually a letdown ("for
    once!" / "as usual.").

The split
---------
Each pair is in the ``dev`` or the ``test`` half, assigned once by a fixed
rule and stored in the file: within each edit kind the pairs alternate between
the halves in file order, the first kind (in :data:`EDITS` order) starting with
``dev``, the second with ``test``, and so on. Each half holds 45 pairs, and
each edit kind has 5 or 6 pairs in each half. Look at ``dev`` as often as you like while you work
on a model; score on ``test`` once, at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

from sklearn.metrics import accuracy_score

from nlptut.errors import DataFormatError, UnknownName

__all__ = [
    "LABELS",
    "EDITS",
    "SPLITS",
    "SEED_SENTENCES",
    "MinimalPair",
    "PairScores",
    "load_pairs",
    "score_pairs",
    "score_classifier",
    "score_model",
]

LABELS = ("joy", "sadness", "anger", "fear", "surprise")
"""The emotions of the contrast set: those dair-emotion and GoEmotions (Ekman groups) share."""

EDITS = (
    "negation",
    "but",
    "other_person",
    "not_me",
    "missing_person",
    "reversed_outcome",
    "cause",
    "expectation",
)
"""The kinds of small edit that turn one sentence of a pair into the other."""

SPLITS = ("dev", "test")

SEED_SENTENCES = (
    "We went to Bali for holiday. It was fantastic!",
    "My neighbour won the jackpot! not me.",
)
"""The tutorial's two example texts, deliberately kept out of the contrast set."""

_HEADER = ("pair", "split", "edit", "text_a", "label_a", "text_b", "label_b")


class TwoTexts:
    """The ``texts`` and ``labels`` of a pair with ``text_a``, ``label_a``, ``text_b``, ``label_b``.

    Shared by :class:`MinimalPair` and :class:`nlptut.counterfactual.CounterfactualPair`.
    """

    text_a: str
    label_a: str
    text_b: str
    label_b: str

    @property
    def texts(self) -> tuple[str, str]:
        """The two texts, ``(text_a, text_b)``."""
        return (self.text_a, self.text_b)

    @property
    def labels(self) -> tuple[str, str]:
        """The two labels, ``(label_a, label_b)``."""
        return (self.label_a, self.label_b)


@dataclass(frozen=True)
class MinimalPair(TwoTexts):
    """Two texts that differ by a small edit and carry different emotions.

    Attributes
    ----------
    pair : int
        The pair's id, 1 to N in file order.
    split : str
        ``"dev"`` or ``"test"``.
    edit : str
        The kind of edit, one of :data:`EDITS`.
    text_a, label_a, text_b, label_b : str
        The two texts and their emotions (from :data:`LABELS`).
    """

    pair: int
    split: str
    edit: str
    text_a: str
    label_a: str
    text_b: str
    label_b: str


_fail = DataFormatError.at  # "FILE, line N: problem; fix: ..."


def _check_choice(path: Path, line: int, column: str, value: str, choices: Sequence[str]) -> None:
    if value not in choices:
        raise _fail(
            path, line, f"{column} {value!r} is not one of {', '.join(choices)}", "correct it"
        )


def _parse(path: Path, text: str) -> list[MinimalPair]:
    lines = text.removeprefix("\ufeff").split("\n")
    if not lines or tuple(lines[0].removesuffix("\r").split("\t")) != _HEADER:
        raise _fail(path, 1, "the header is not " + " ".join(_HEADER), "restore the header line")
    pairs: list[MinimalPair] = []
    seen: set[int] = set()
    for number, line in enumerate(lines[1:], start=2):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) != len(_HEADER):
            raise _fail(
                path,
                number,
                f"expected {len(_HEADER)} tab-separated columns, found {len(fields)}",
                "give pair, split, edit, text_a, label_a, text_b, label_b",
            )
        pair, split, edit, text_a, label_a, text_b, label_b = (f.strip() for f in fields)
        if not pair.isdigit():
            raise _fail(path, number, f"pair id {pair!r} is not a whole number", "number it")
        _check_choice(path, number, "split", split, SPLITS)
        _check_choice(path, number, "edit", edit, EDITS)
        _check_choice(path, number, "label_a", label_a, LABELS)
        _check_choice(path, number, "label_b", label_b, LABELS)
        if not text_a or not text_b:
            raise _fail(path, number, "a text is empty", "write both texts of the pair")
        if int(pair) in seen:
            raise _fail(path, number, f"pair id {pair} appears twice", "renumber the pairs")
        seen.add(int(pair))
        pairs.append(MinimalPair(int(pair), split, edit, text_a, label_a, text_b, label_b))
    if not pairs:
        raise _fail(path, None, "the file has no pairs", "add one pair a line")
    return pairs


def load_pairs(split: str | None = None, *, path: str | Path | None = None) -> list[MinimalPair]:
    """The minimal pairs, in file order.

    Parameters
    ----------
    split : {None, "dev", "test"}
        ``None`` for all pairs, or one half.
    path : str or Path, optional
        Read another file of the same format instead of the built-in one.

    Raises
    ------
    nlptut.errors.UnknownName
        For a split other than ``None``, ``"dev"`` or ``"test"``.
    nlptut.errors.DataFormatError
        For a malformed file; the message names the file and the line.
    """
    if split is not None and split not in SPLITS:
        raise UnknownName(f"unknown split {split!r}; choose one of: None, {', '.join(SPLITS)}")
    if path is None:
        resource = files("nlptut") / "data" / "minimal_pairs.tsv"
        name, text = Path(resource.name), resource.read_text(encoding="utf-8")
    else:
        name = Path(path)
        try:
            text = name.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise _fail(name, None, "the file is not UTF-8", "save it as UTF-8") from None
    pairs = _parse(name, text)
    return pairs if split is None else [p for p in pairs if p.split == split]


@dataclass(frozen=True)
class PairScores:
    """How a classifier did on minimal pairs.

    Attributes
    ----------
    sentences : int
        The number of texts scored, twice the number of pairs.
    pairs : int
    sentence_accuracy : float
        Share of the texts whose predicted label is right.
    pair_accuracy : float
        Share of the pairs with *both* texts right.
    flip_rate : float
        Share of the pairs where the two predicted labels differ: the model at
        least noticed that the edit changed something (right or wrong).
    by_edit : dict of str to float
        Pair accuracy per edit kind, for the kinds present, in :data:`EDITS` order.
    """

    sentences: int
    pairs: int
    sentence_accuracy: float
    pair_accuracy: float
    flip_rate: float
    by_edit: dict[str, float]


def score_pairs(
    pairs: Sequence[MinimalPair], predicted_a: Sequence[str], predicted_b: Sequence[str]
) -> PairScores:
    """Score predicted labels against the pairs.

    Parameters
    ----------
    pairs : sequence of MinimalPair
    predicted_a, predicted_b : sequence of str
        The predicted label of each pair's ``text_a`` and ``text_b``, in pair
        order. A label outside :data:`LABELS` (``"love"``, ``"neutral"``,
        ``"disgust"``, a model's other classes) is simply wrong.

    Raises
    ------
    ValueError
        If there are no pairs, or the predictions are not one per pair.
    """
    pairs, predicted_a, predicted_b = list(pairs), list(predicted_a), list(predicted_b)
    if not pairs:
        raise ValueError("no pairs to score")
    if len(predicted_a) != len(pairs) or len(predicted_b) != len(pairs):
        raise ValueError(
            f"expected one prediction per pair ({len(pairs)}), "
            f"got {len(predicted_a)} for text_a and {len(predicted_b)} for text_b"
        )
    gold = [p.label_a for p in pairs] + [p.label_b for p in pairs]
    sentence_accuracy = float(accuracy_score(gold, predicted_a + predicted_b))
    both_right = [
        a == p.label_a and b == p.label_b
        for p, a, b in zip(pairs, predicted_a, predicted_b, strict=True)
    ]
    flips = [a != b for a, b in zip(predicted_a, predicted_b, strict=True)]
    by_edit = {}
    for edit in EDITS:
        right = [ok for p, ok in zip(pairs, both_right, strict=True) if p.edit == edit]
        if right:
            by_edit[edit] = sum(right) / len(right)
    return PairScores(
        sentences=2 * len(pairs),
        pairs=len(pairs),
        sentence_accuracy=sentence_accuracy,
        pair_accuracy=sum(both_right) / len(pairs),
        flip_rate=sum(flips) / len(pairs),
        by_edit=by_edit,
    )


def score_classifier(
    predict: Callable[[list[str]], Sequence[str]], pairs: Sequence[MinimalPair]
) -> PairScores:
    """Run ``predict`` once on every text (all ``text_a``, then all ``text_b``) and score it.

    ``predict`` takes a list of texts and returns one label string per text,
    for example ``lambda texts: [p.label for p in clf.predict(texts)]``.
    """
    pairs = list(pairs)
    labels = list(predict([p.text_a for p in pairs] + [p.text_b for p in pairs]))
    if len(labels) != 2 * len(pairs):
        raise ValueError(f"predict returned {len(labels)} labels for {2 * len(pairs)} texts")
    return score_pairs(pairs, labels[: len(pairs)], labels[len(pairs) :])


def score_model(model: Any, pairs: Sequence[MinimalPair]) -> PairScores:
    """Score any nlptut classifier on ``pairs``: :func:`score_classifier` with its ``predict``.

    ``model`` is anything whose ``predict(texts)`` returns one
    :class:`~nlptut.prediction.Prediction` per text: a
    :class:`~nlptut.classifier.TextClassifier`, a
    :class:`~nlptut.finetuned.FinetunedClassifier`, a
    :class:`~nlptut.frozen.FrozenClassifier`.
    """
    return score_classifier(lambda texts: [p.label for p in model.predict(texts)], pairs)
