"""Loaded data: :class:`Split` and :class:`LabelledData`."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from nlptut.errors import UnknownName


class SplitsByName:
    """What a dataset of named splits offers: ``data["train"]`` and :meth:`first`.

    Shared by :class:`LabelledData` (texts and labels) and
    :class:`nlptut.conll.TaggedData` (sentences and tags): each is a dataclass
    with ``name`` and ``splits``, and its split class gives ``head(n)``, its
    first ``n`` examples.
    """

    name: str
    splits: dict[str, Any]

    def __getitem__(self, split: str) -> Any:
        """Return a split by name.

        Raises
        ------
        UnknownName
            If there is no such split.
        """
        try:
            return self.splits[split]
        except (KeyError, TypeError):
            raise UnknownName(
                f"{self.name} has no split {split!r}; use one of {', '.join(self.splits)}"
            ) from None

    def first(self, n: int, split: str = "train") -> Self:
        """Return a copy in which ``split`` keeps only its first ``n`` examples.

        The other splits stay whole, so a model trained on a subset of the
        training examples is still scored on the complete validation and test
        splits (``load_dataset(..., limit=n)`` cuts every split).

        Parameters
        ----------
        n : int
            How many examples to keep (at least 1).
        split : str
            ``"train"`` (the default), ``"validation"`` or ``"test"``.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        splits = {**self.splits, split: self[split].head(n)}
        return dataclasses.replace(self, splits=splits)  # type: ignore[type-var]


@dataclass
class Split:
    """The texts of one split and their label indices.

    Attributes
    ----------
    texts : list of str
    labels : list of int
        Indices into the label names of the :class:`LabelledData` it belongs to.
    """

    texts: list[str]
    labels: list[int]

    def __post_init__(self) -> None:
        if len(self.texts) != len(self.labels):
            raise ValueError(
                f"Split has {len(self.texts)} texts but {len(self.labels)} labels; "
                "give one label per text"
            )

    def __len__(self) -> int:
        return len(self.texts)

    def head(self, n: int) -> Split:
        """The first ``n`` examples."""
        return Split(self.texts[:n], self.labels[:n])

    def sample(self, n: int, seed: int) -> Split:
        """A random sample of ``n`` examples (all of them if there are fewer), in their order.

        The same ``seed`` always draws the same sample.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        import numpy as np

        rng = np.random.default_rng(seed)
        keep = np.sort(rng.choice(len(self), size=min(n, len(self)), replace=False))
        return Split([self.texts[i] for i in keep], [self.labels[i] for i in keep])


@dataclass
class LabelledData(SplitsByName):
    """A labelled dataset with train, validation and test splits.

    Attributes
    ----------
    name : str
        The dataset's name, or the stem of the user's file or folder.
    labels : tuple of str
        Label names: label index ``i`` is ``labels[i]``.
    splits : dict of str to Split
        Always the keys ``"train"``, ``"validation"`` and ``"test"``.
    language : str or None
        The texts' language, if known.
    sources : dict of str to (Path, str)
        For each split, the file it was read from and that file's sha256; for a
        known dataset with auxiliary files (:attr:`DatasetInfo.extra_files`), also
        each of those, keyed by its file name.
    left_out : dict of str to int
        For each split, how many rows of its file the dataset's labelling rule
        left out (counted over the whole file, before ``limit``); empty where no
        rule leaves any out. For ``goemotions``: the comments whose labels fall in
        more than one Ekman group.
    """

    name: str
    labels: tuple[str, ...]
    splits: dict[str, Split]
    language: str | None = None
    sources: dict[str, tuple[Path, str]] = field(default_factory=dict)
    left_out: dict[str, int] = field(default_factory=dict)

    def label_counts(self, split: str) -> dict[str, int]:
        """Return how many examples of ``split`` carry each label.

        Parameters
        ----------
        split : str
            ``"train"``, ``"validation"`` or ``"test"``.

        Returns
        -------
        dict of str to int
            Label name to count, in label order (labels that never occur count 0).
        """
        counts = dict.fromkeys(self.labels, 0)
        for index in self[split].labels:
            counts[self.labels[index]] += 1
        return counts

    def labels_of(self, split: str) -> list[str]:
        """The label name of every example of ``split``, in order."""
        return [self.labels[i] for i in self[split].labels]

    def sampled(self, n: int, seed: int, split: str = "train") -> LabelledData:
        """Return a copy in which ``split`` keeps a random sample of ``n`` examples.

        Like :meth:`first`, but drawn at random (:meth:`Split.sample`): the
        same ``seed`` draws the same sample, another seed another one. The
        other splits stay whole.
        """
        return dataclasses.replace(self, splits={**self.splits, split: self[split].sample(n, seed)})

    def with_extra_training(
        self, texts: Sequence[str], labels: Sequence[str], *, source: str = "extra texts"
    ) -> LabelledData:
        """Return a copy whose training split also holds ``texts`` with ``labels`` (names).

        Only the training split grows: the validation and test splits stay as
        they are, so a model trained on the copy is scored on the same texts
        as one trained without the extra ones. Counterfactual pairs
        (:mod:`nlptut.counterfactual`) are added this way.

        Raises
        ------
        UnknownName
            If a label is not one of this dataset's labels (naming it, and
            ``source``).
        """
        texts, labels = list(texts), list(labels)
        if len(texts) != len(labels):
            raise ValueError(f"{source}: {len(texts)} texts but {len(labels)} labels")
        index = {name: i for i, name in enumerate(self.labels)}
        for position, label in enumerate(labels):
            if label not in index:
                raise UnknownName(
                    f"{source}: label {label!r} of text {position + 1} is not one of "
                    f"{self.name}'s labels ({', '.join(self.labels)}); use only those, or "
                    "restrict both to shared labels"
                )
        train = self["train"]
        grown = Split(train.texts + texts, train.labels + [index[y] for y in labels])
        return dataclasses.replace(self, splits={**self.splits, "train": grown})

    def only(self, labels: Sequence[str]) -> LabelledData:
        """Return a copy that keeps only the examples of ``labels``, in every split.

        The copy's labels are ``labels``, in the order given (so that two
        datasets restricted to the same emotions number them the same way).

        Raises
        ------
        UnknownName
            If a name is not one of this dataset's labels.
        """
        unknown = [name for name in labels if name not in self.labels]
        if unknown or len(set(labels)) != len(labels) or len(labels) < 2:
            raise UnknownName(
                f"{self.name}: cannot keep labels {list(labels)}; name two or more "
                f"different labels of {', '.join(self.labels)}"
            )
        new_index = {self.labels.index(name): i for i, name in enumerate(labels)}
        splits = {
            name: Split(
                [t for t, y in zip(part.texts, part.labels, strict=True) if y in new_index],
                [new_index[y] for y in part.labels if y in new_index],
            )
            for name, part in self.splits.items()
        }
        return dataclasses.replace(self, labels=tuple(labels), splits=splits)

    def combined(self, other: LabelledData, name: str | None = None) -> LabelledData:
        """Return one dataset holding both datasets' examples, split by split.

        Both must have the same labels in the same order (see :meth:`only`).
        """
        if self.labels != other.labels:
            raise ValueError(
                f"cannot combine {self.name} ({', '.join(self.labels)}) with {other.name} "
                f"({', '.join(other.labels)}): restrict both to the same labels with only()"
            )
        splits = {
            key: Split(
                self.splits[key].texts + other.splits[key].texts,
                self.splits[key].labels + other.splits[key].labels,
            )
            for key in self.splits
        }
        language = self.language if self.language == other.language else None
        return LabelledData(
            name or f"{self.name}+{other.name}",
            self.labels,
            splits,
            language,
            sources={
                f"{data.name}/{key}": value
                for data in (self, other)
                for key, value in data.sources.items()
            },
        )
