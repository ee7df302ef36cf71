"""Counterfactual training pairs: teaching a model the difference a small edit makes.

A *counterfactual* of a text is a copy edited as little as possible so that
its label changes ("All my flatmates got tickets, and me too" / "..., but
not me"). Kaushik, Hovy & Lipton (2020) had people write such edits for
training texts; a model trained on both texts of each pair cannot lean on
the words the two share, and has to learn what the edit means. The minimal
pairs of :mod:`nlptut.contrast` *test* exactly that; this module holds pairs
made to *train* on::

    >>> pairs = load_counterfactuals()
    >>> len(pairs) >= 400
    True
    >>> texts, labels = as_texts(pairs[:1])
    >>> len(texts), len(labels)
    (2, 2)

Add them to a dataset's training split only, with
:meth:`nlptut.datasets.LabelledData.with_extra_training`; on the command
line, ``nlptut train --augment FILE`` does the same with the built-in file or
a reader's own (:func:`read_augment_file`).

The data
--------
``nlptut/data/counterfactual_pairs.tsv`` ships with the package: 450 pairs
written for nlptut on 2026-12-07 by nlptut's developers (AI coding agents
working from a written brief, every sentence new; none copied or paraphrased
from a dataset or another contrast set), released under the Apache License
2.0 like the package. Columns: ``pair edit style text_a label_a text_b
label_b``. Each pair changes a few words (the two texts share most of their
words) and the emotion with them; labels are the five emotions of
:data:`nlptut.contrast.LABELS`. Half the pairs are written like the
dair-emotion tweets (``style`` ``tweet``: lower case, no punctuation), half
like GoEmotions' Reddit comments (``reddit``). The edits are the eight kinds
of :data:`nlptut.contrast.EDITS` (55 pairs each for the first six, 45 for
*cause* and *expectation*) and ``sarcasm`` (30: a sarcasm marker such as
"great, another..." or "thanks for nothing" turns praise into anger).

They are kept apart from the 90 evaluation pairs by a rule the tests apply
(:func:`near_copies`): no training text shares half its content words with an
evaluation sentence, nor any run of five words; no training text mentions a
jackpot, a lottery, a raffle or Bali (the tutorial's two example sentences).

What they cannot teach: edits of other kinds (a wish, a condition, a time
that changes the meaning: "if I had won"), other languages, and labels other
than the five emotions; 450 pairs of one writer's style are also a narrow
sample of how people write.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from importlib.resources import as_file, files
from pathlib import Path

from nlptut.contrast import EDITS as TEST_EDITS
from nlptut.contrast import LABELS, TwoTexts
from nlptut.errors import DataFormatError

__all__ = [
    "EDITS",
    "STYLES",
    "AugmentFile",
    "CounterfactualPair",
    "as_texts",
    "load_counterfactuals",
    "near_copies",
    "read_augment_file",
    "read_builtin_augment_file",
]

EDITS = (*TEST_EDITS, "sarcasm")
"""The kinds of edit in the training pairs: those of the evaluation pairs, and sarcasm."""

STYLES = ("tweet", "reddit")
"""``tweet``: like dair-emotion (lower case, no punctuation); ``reddit``: like GoEmotions."""

_HEADER = ("pair", "edit", "style", "text_a", "label_a", "text_b", "label_b")
_NEEDED = ("text_a", "label_a", "text_b", "label_b")


@dataclass(frozen=True)
class CounterfactualPair(TwoTexts):
    """A text and its counterfactual: a minimal edit that changes the label."""

    pair: int
    edit: str
    style: str
    text_a: str
    label_a: str
    text_b: str
    label_b: str


_fail = DataFormatError.at  # "FILE, line N: problem; fix: ..."


def _builtin():
    """The built-in pairs file, as a package resource."""
    return files("nlptut") / "data" / "counterfactual_pairs.tsv"


def _rows(name: str, text: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    lines = text.removeprefix("\ufeff").splitlines()
    if not lines:
        raise _fail(name, None, "the file is empty", "add a header line and one pair a line")
    header = [h.strip() for h in lines[0].split("\t")]
    rows = [(n, line.split("\t")) for n, line in enumerate(lines[1:], start=2) if line.strip()]
    return header, rows


def load_counterfactuals(path: str | Path | None = None) -> list[CounterfactualPair]:
    """The counterfactual training pairs, in file order.

    Parameters
    ----------
    path : str or Path, optional
        Read another file of the same format (header ``pair edit style text_a
        label_a text_b label_b``, tab-separated) instead of the built-in one.

    Raises
    ------
    nlptut.errors.DataFormatError
        For a malformed file, naming the file, the line and the fix.
    """
    if path is None:
        resource = _builtin()
        name, text = resource.name, resource.read_text(encoding="utf-8")
    else:
        name, text = Path(path).name, _read_text(Path(path))
    header, rows = _rows(name, text)
    if tuple(header) != _HEADER:
        raise _fail(name, 1, "the header is not " + " ".join(_HEADER), "restore the header line")
    pairs, seen = [], set()
    for number, fields in rows:
        if len(fields) != len(_HEADER):
            raise _fail(
                name,
                number,
                f"expected {len(_HEADER)} tab-separated columns, found {len(fields)}",
                "give " + ", ".join(_HEADER),
            )
        pair, edit, style, text_a, label_a, text_b, label_b = (f.strip() for f in fields)
        if not pair.isdigit() or int(pair) in seen:
            raise _fail(name, number, f"pair id {pair!r} is not a new whole number", "renumber")
        for column, value, choices in (
            ("edit", edit, EDITS),
            ("style", style, STYLES),
            ("label_a", label_a, LABELS),
            ("label_b", label_b, LABELS),
        ):
            if value not in choices:
                raise _fail(
                    name,
                    number,
                    f"{column} {value!r} is not one of {', '.join(choices)}",
                    "correct it",
                )
        if not text_a or not text_b:
            raise _fail(name, number, "a text is empty", "write both texts of the pair")
        seen.add(int(pair))
        pairs.append(CounterfactualPair(int(pair), edit, style, text_a, label_a, text_b, label_b))
    if not pairs:
        raise _fail(name, None, "the file has no pairs", "add one pair a line")
    return pairs


def as_texts(pairs: Sequence[CounterfactualPair]) -> tuple[list[str], list[str]]:
    """Both texts of every pair, and their labels: ready for ``with_extra_training``."""
    texts = [t for p in pairs for t in p.texts]
    labels = [y for p in pairs for y in p.labels]
    return texts, labels


# %% A reader's own file ------------------------------------------------------


@dataclass(frozen=True)
class AugmentFile:
    """Extra training texts read by :func:`read_augment_file`.

    Attributes
    ----------
    path : str
        The file as given.
    sha256 : str
        Of the file's bytes (recorded in a checkpoint trained with it).
    kind : {"pairs", "texts"}
    texts, labels : list of str
        One entry per text (a pairs file gives two per line).
    """

    path: str
    sha256: str
    kind: str
    texts: list[str]
    labels: list[str]

    def record(self) -> dict:
        """What a checkpoint records of it."""
        return {
            "file": Path(self.path).name,
            "sha256": self.sha256,
            "kind": self.kind,
            "texts": len(self.texts),
        }


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise _fail(str(path), None, "no such file", "check the path") from None
    except IsADirectoryError:
        raise _fail(
            str(path), None, "is a folder", "give a .tsv pairs file or a texts file"
        ) from None
    except UnicodeDecodeError:
        raise _fail(path.name, None, "the file is not UTF-8", "save it as UTF-8") from None


def read_builtin_augment_file() -> AugmentFile:
    """The built-in pairs as extra training texts (what ``--augment builtin`` adds)."""
    with as_file(_builtin()) as path:
        return read_augment_file(path)


def read_augment_file(path: str | Path) -> AugmentFile:
    """Read extra training texts: a pairs file, or a file of labelled texts.

    A **pairs file** is tab-separated with a header that names at least the
    columns ``text_a label_a text_b label_b`` (the built-in file's ``pair``,
    ``edit`` and ``style`` are optional); every line adds both texts. Any
    other file is read as **labelled texts**, in the formats of
    :func:`nlptut.datasets.read_labelled_file` (``.csv``, ``.tsv``, ``.txt``).
    The labels are checked against the dataset's when they are added
    (:meth:`~nlptut.datasets.LabelledData.with_extra_training`).

    Raises
    ------
    nlptut.errors.DataFormatError
        For a missing, empty, malformed or non-UTF-8 file, naming the file,
        the line and the fix.
    """
    from nlptut.datasets import read_labelled_file, readable_name

    path = Path(path)
    text = _read_text(path)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    first = text.removeprefix("\ufeff").split("\n", 1)[0]
    header = [h.strip() for h in first.rstrip("\r").split("\t")]
    if not all(column in header for column in _NEEDED):
        texts, labels = read_labelled_file(path)
        return AugmentFile(readable_name(str(path)), digest, "texts", texts, labels)
    reader = csv.reader(
        io.StringIO(text.removeprefix("\ufeff")), delimiter="\t", quoting=csv.QUOTE_NONE
    )
    next(reader)
    at = {column: header.index(column) for column in _NEEDED}
    texts, labels = [], []
    for number, fields in enumerate(reader, start=2):
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            raise _fail(
                path.name,
                number,
                f"expected {len(header)} tab-separated columns, found {len(fields)}",
                "one pair a line, columns as in the header",
            )
        row = {column: fields[i].strip() for column, i in at.items()}
        for side in ("a", "b"):
            if not row[f"text_{side}"] or not row[f"label_{side}"]:
                raise _fail(
                    path.name, number, f"text_{side} or label_{side} is empty", "fill it in"
                )
            texts.append(row[f"text_{side}"])
            labels.append(row[f"label_{side}"])
    if not texts:
        raise _fail(path.name, None, "the file has no pairs", "add one pair a line")
    return AugmentFile(readable_name(str(path)), digest, "pairs", texts, labels)


# %% Keeping training and evaluation apart -----------------------------------

_STOP_WORDS = """a an the i me my mine we us our you your he him his she her it its they them their
    is am are was were be been being to of in on at for with and or but so that this these
    those just not no don't didn't isn't wasn't can't won't do does did have has had will
    would can could s t m re ve ll d"""
_STOP = frozenset(_STOP_WORDS.split())


def _profile(text: str, run: int) -> tuple[set[str], set[tuple[str, ...]]]:
    """A text's content words and its runs of ``run`` words in a row."""
    words = re.findall(r"[a-z0-9']+", text.lower())
    runs = {tuple(words[i : i + run]) for i in range(len(words) - run + 1)}
    return {w for w in words if w not in _STOP}, runs


def near_copies(
    texts: Sequence[str], others: Sequence[str], *, max_overlap: float = 0.5, run: int = 5
) -> list[tuple[str, str]]:
    """Every ``(text, other)`` that is too close to keep training and evaluation apart.

    Close means: the two share at least ``max_overlap`` of their content
    words (Jaccard overlap, common words such as *the* or *my* left out), or
    the same run of ``run`` words in a row.
    """
    prepared = [(other, *_profile(other, run)) for other in others]
    found = []
    for text in texts:
        content, runs = _profile(text, run)
        for other, other_content, other_runs in prepared:
            union = content | other_content
            overlap = len(content & other_content) / len(union) if union else 0.0
            if overlap >= max_overlap or runs & other_runs:
                found.append((text, other))
    return found
