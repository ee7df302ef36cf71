"""The text pipeline: tokenize, build a vocabulary, encode, batch.

Tokenizer rules
---------------
:func:`tokenize` turns raw text (English or Indonesian tweets, or ordinary
sentences with capitals and punctuation) into lower-case tokens:

1. Unicode is normalised (NFKC) and case-folded, so ``"Fantastic"`` and
   ``"FANTASTIC"`` both become ``"fantastic"``.
2. Bracketed placeholders such as ``[USERNAME]`` or ``[URL]`` (IndoNLU masks
   user names this way) stay one token, kept upper-case: ``"[USERNAME]"``.
3. Apostrophes inside a word are dropped (``"don't"`` -> ``"dont"``,
   ``"I'm"`` -> ``"im"``), matching the style of the dair-emotion tweets.
4. Words are runs of letters and digits; a hyphen between two such runs keeps
   them together, so Indonesian reduplication (``"anak-anak"``) and
   ``"well-being"`` are one token each.
5. Every other visible character (punctuation, symbols, emoji) is a token of
   its own; whitespace separates tokens and is dropped, and so are invisible
   format characters (emoji variation selectors, zero-width joiners and
   spaces), so ``"❤️"`` is the one token ``"❤"``.

From text to batches
--------------------
The rest of the module turns tokens into padded tensors::

    texts --tokenize--> tokens --Vocabulary--> ids --EncodedDataset-->
    Example(index, ids, label) --collate--> Batch(ids, mask, lengths, labels, index)

* :class:`Vocabulary` maps tokens to ids. Id 0 is always :data:`PAD`
  (``"<pad>"``) and id 1 always :data:`UNK` (``"<unk>"``).
* :class:`EncodedDataset` holds the encoded examples. Item ``i`` is an
  :class:`Example` ``(index, ids, label)``: a named tuple whose ``index`` is
  ``i`` itself, so that :func:`collate` can record in :attr:`Batch.index`
  which examples a batch holds, even after a sampler reordered them.
* :class:`BucketBatchSampler` groups examples of similar length so that
  batches need little padding; :func:`make_loader` puts it all together and
  :func:`padding_fraction` measures what bucketing saved.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import NamedTuple

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

# Tokens and vocabularies live in nlptut.vocab (no PyTorch there); they are
# part of this module's API too.
from nlptut.vocab import PAD, UNK, Vocabulary, char_ngrams_of, tokenize, word_bigrams_of

__all__ = [
    "PAD",
    "UNK",
    "tokenize",
    "char_ngrams_of",
    "word_bigrams_of",
    "Vocabulary",
    "Example",
    "EncodedDataset",
    "Batch",
    "collate",
    "BucketBatchSampler",
    "make_loader",
    "padding_fraction",
]


# Datasets and batches
# --------------------


class Example(NamedTuple):
    """One item of an :class:`EncodedDataset`, as :func:`collate` takes it.

    A named tuple, so ``index, ids, label = dataset[i]`` works too.
    """

    index: int
    """Position of the example in its dataset."""
    ids: list[int]
    """Token ids (at least one)."""
    label: int | None
    """Class id, or ``None`` for an unlabelled dataset."""


class EncodedDataset(Dataset[Example]):
    """Token-id sequences with optional labels, ready for a DataLoader.

    ``dataset[i]`` is ``Example(index=i, ids=..., label=...)``; :func:`collate`
    copies the ``index`` into :attr:`Batch.index`, so predictions can be put
    back in dataset order whatever order the sampler chose.

    Parameters
    ----------
    ids : list of list of int
        One non-empty list of token ids per example.
    labels : list of int or None, default None
        One class id per example; ``None`` for unlabelled data.

    Raises
    ------
    ValueError
        If an example has no ids, or ``labels`` has the wrong length.

    See Also
    --------
    EncodedDataset.from_texts : encode raw texts with a vocabulary.
    """

    def __init__(self, ids: list[list[int]], labels: list[int] | None = None) -> None:
        self.ids: list[list[int]] = [list(seq) for seq in ids]
        for i, seq in enumerate(self.ids):
            if not seq:
                raise ValueError(
                    f"example {i} has no token ids; every example needs at least one. "
                    f"Encode an empty text as [{Vocabulary.unk_id}] (the <unk> id), "
                    "as EncodedDataset.from_texts does"
                )
        if labels is not None:
            if len(labels) != len(self.ids):
                raise ValueError(
                    f"got {len(self.ids)} examples but {len(labels)} labels; "
                    "pass one label per example, or labels=None for unlabelled data"
                )
            labels = [int(label) for label in labels]
        self.labels: list[int] | None = labels
        self._lengths = [len(seq) for seq in self.ids]

    @classmethod
    def from_texts(
        cls,
        texts: Sequence[str],
        labels: Sequence[int] | None,
        vocab: Vocabulary,
        *,
        max_len: int | None = 128,
    ) -> EncodedDataset:
        """Tokenize and encode ``texts`` with ``vocab``.

        Parameters
        ----------
        texts : sequence of str
            Raw texts.
        labels : sequence of int or None
            One class id per text, or ``None``.
        vocab : Vocabulary
            Maps tokens to ids; unknown tokens become ``vocab.unk_id``.
        max_len : int or None, default 128
            Truncate each example to its first ``max_len`` tokens; ``None`` keeps all.

        Returns
        -------
        EncodedDataset
            A text with no tokens (empty, or only whitespace) is encoded as
            ``[vocab.unk_id]``, so that every example has length >= 1 (a
            zero-length row would break mean pooling and packed RNNs).

        Examples
        --------
        >>> vocab = Vocabulary.build(["i feel good"])
        >>> data = EncodedDataset.from_texts(["i feel bad", "  "], [1, 0], vocab)
        >>> data[0], data[1]
        (Example(index=0, ids=[4, 2, 1], label=1), Example(index=1, ids=[1], label=0))
        """
        if isinstance(texts, str):
            raise TypeError(
                "from_texts expects a sequence of texts, not one string; wrap it in a list"
            )
        ids = [vocab.encode(text, max_len=max_len) or [vocab.unk_id] for text in texts]
        return cls(ids, None if labels is None else list(labels))

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, i: int) -> Example:
        n = len(self.ids)
        index = int(i)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError(f"index {i} is out of range for a dataset of {n} examples")
        label = None if self.labels is None else self.labels[index]
        return Example(index, self.ids[index], label)

    @property
    def lengths(self) -> list[int]:
        """The number of token ids of each example (a copy)."""
        return list(self._lengths)

    def __repr__(self) -> str:
        labelled = "labelled" if self.labels is not None else "unlabelled"
        return f"EncodedDataset({len(self)} {labelled} examples)"


@dataclass
class Batch:
    """A padded batch of examples, as :func:`collate` makes it.

    Attributes
    ----------
    ids : torch.Tensor
        ``(batch, seq_len)`` long: token ids, padded on the right with the pad id.
    mask : torch.Tensor
        ``(batch, seq_len)`` bool: ``True`` at real tokens, ``False`` at padding.
    lengths : torch.Tensor
        ``(batch,)`` long: the number of real tokens per example.
    labels : torch.Tensor or None
        ``(batch,)`` long class ids, or ``None`` for unlabelled data.
    index : torch.Tensor
        ``(batch,)`` long: the examples' positions in the dataset.
    """

    ids: torch.Tensor
    mask: torch.Tensor
    lengths: torch.Tensor
    labels: torch.Tensor | None
    index: torch.Tensor

    def to(self, device: torch.device | str, *, non_blocking: bool = False) -> Batch:
        """Return a copy with every tensor on ``device``."""

        def move(t: torch.Tensor) -> torch.Tensor:
            return t.to(device, non_blocking=non_blocking)

        return Batch(
            ids=move(self.ids),
            mask=move(self.mask),
            lengths=move(self.lengths),
            labels=None if self.labels is None else move(self.labels),
            index=move(self.index),
        )

    def __len__(self) -> int:
        return self.ids.shape[0]


def collate(items: Sequence[tuple[int, Sequence[int], int | None]], *, pad_id: int = 0) -> Batch:
    """Pad a list of examples into a :class:`Batch`.

    Parameters
    ----------
    items : sequence of (index, ids, label)
        Examples as :class:`EncodedDataset` yields them (:class:`Example`
        named tuples; plain 3-tuples work too). Labels must be all ints or
        all ``None``.
    pad_id : int, default 0
        The id that fills positions after the end of each sequence.

    Returns
    -------
    Batch
        ``seq_len`` is the longest sequence in the batch.

    Raises
    ------
    ValueError
        If ``items`` is empty, a sequence is empty, or only some labels are ``None``.

    Examples
    --------
    >>> batch = collate([Example(0, [5, 6, 7], 1), Example(3, [8], 0)])
    >>> batch.ids
    tensor([[5, 6, 7],
            [8, 0, 0]])
    >>> batch.mask
    tensor([[ True,  True,  True],
            [ True, False, False]])
    >>> batch.lengths, batch.labels, batch.index
    (tensor([3, 1]), tensor([1, 0]), tensor([0, 3]))
    """
    if len(items) == 0:
        raise ValueError("cannot collate an empty list of examples")
    indices: list[int] = []
    sequences: list[Sequence[int]] = []
    labels: list[int | None] = []
    for item in items:
        try:
            index, ids, label = item
        except (TypeError, ValueError):
            raise TypeError(
                f"collate expects (index, ids, label) items as EncodedDataset yields them, "
                f"got {str(item)[:80]}; wrap your dataset in EncodedDataset"
            ) from None
        if len(ids) == 0:
            raise ValueError(
                f"example {index} has no token ids; encode empty texts as [<unk> id] "
                "(EncodedDataset.from_texts does)"
            )
        indices.append(int(index))
        sequences.append(ids)
        labels.append(label)

    lengths = torch.tensor([len(seq) for seq in sequences], dtype=torch.long)  # (batch,)
    seq_len = int(lengths.max())
    positions = torch.arange(seq_len)  # (seq_len,)
    mask = positions.unsqueeze(0) < lengths.unsqueeze(1)  # (batch, seq_len)
    ids = torch.full(mask.shape, pad_id, dtype=torch.long)  # (batch, seq_len)
    # True positions of the mask, in row-major order, are the tokens in order
    # (NumPy reads the chained ids in C: several times faster than a list of ints)
    flat = np.fromiter(itertools.chain.from_iterable(sequences), np.int64, int(lengths.sum()))
    ids[mask] = torch.from_numpy(flat)

    n_unlabelled = sum(label is None for label in labels)
    if n_unlabelled == len(labels):
        label_tensor = None
    elif n_unlabelled:
        raise ValueError(
            f"{n_unlabelled} of {len(labels)} examples in this batch have no label; "
            "a dataset must be all labelled or all unlabelled"
        )
    else:
        label_tensor = torch.tensor(labels, dtype=torch.long)  # (batch,)
    return Batch(
        ids=ids,
        mask=mask,
        lengths=lengths,
        labels=label_tensor,
        index=torch.tensor(indices, dtype=torch.long),  # (batch,)
    )


class BucketBatchSampler(Sampler[list[int]]):
    """Batches of similar-length examples, in random order, for less padding.

    Each epoch:

    1. shuffle all indices (with ``shuffle=False``: keep the dataset order);
    2. cut them into chunks of ``batch_size * bucket_size_multiplier``;
    3. sort each chunk by length (stable, so equal lengths keep step 1's order);
    4. cut each chunk into batches of ``batch_size``;
    5. shuffle the order of all batches (with ``shuffle=False``: keep it).

    Every index appears exactly once per epoch. Only the last chunk can give a
    batch smaller than ``batch_size``; ``drop_last=True`` drops that one batch.

    The random order of epoch ``e`` comes from ``numpy.random.default_rng([seed, e])``:
    the same seed and epoch always give the same batches, and every
    ``(seed, epoch)`` pair gets its own order. Each ``iter(sampler)`` uses the
    current epoch and then moves on to the next, so successive epochs differ
    by themselves; :meth:`set_epoch` chooses the epoch explicitly (to resume
    a run, say).

    Parameters
    ----------
    lengths : sequence of int
        The length of each example (:attr:`EncodedDataset.lengths`).
    batch_size : int
        The largest number of examples in a batch.
    shuffle : bool, default True
        Shuffle (for training); ``False`` gives one fixed order (for evaluation).
    seed : int, default 0
        Non-negative seed of the shuffles.
    bucket_size_multiplier : int, default 50
        How many batches' worth of examples are sorted together. Larger gives
        less padding but less random batches.
    drop_last : bool, default False
        Drop the one batch smaller than ``batch_size``, if there is one.

    Examples
    --------
    >>> sampler = BucketBatchSampler([5, 1, 4, 2, 3, 6], batch_size=2, shuffle=False)
    >>> list(sampler)
    [[1, 3], [4, 2], [0, 5]]
    """

    def __init__(
        self,
        lengths: Sequence[int],
        batch_size: int,
        *,
        shuffle: bool = True,
        seed: int = 0,
        bucket_size_multiplier: int = 50,
        drop_last: bool = False,
    ) -> None:
        self.lengths = np.asarray(lengths, dtype=np.int64)  # (n,)
        if self.lengths.ndim != 1:
            raise ValueError(
                f"lengths must be a flat sequence of ints, got shape {self.lengths.shape}"
            )
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        if bucket_size_multiplier < 1:
            raise ValueError(
                f"bucket_size_multiplier must be at least 1, got {bucket_size_multiplier}"
            )
        if seed < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}")
        self.batch_size = batch_size
        self.shuffle = shuffle
        self.seed = seed
        self.bucket_size_multiplier = bucket_size_multiplier
        self.drop_last = drop_last
        self.epoch = 0

    def set_epoch(self, epoch: int) -> None:
        """Make the next ``iter(sampler)`` give the batches of ``epoch``."""
        if epoch < 0:
            raise ValueError(f"epoch must be a non-negative integer, got {epoch}")
        self.epoch = epoch

    def __iter__(self) -> Iterator[list[int]]:
        # Not a generator: the epoch advances when iter() is called, not at the first batch.
        batches = self._batches(self.epoch)
        self.epoch += 1
        return iter(batches)

    def _batches(self, epoch: int) -> list[list[int]]:
        n, size = len(self.lengths), self.batch_size
        rng = np.random.default_rng([self.seed, epoch]) if self.shuffle else None
        order = rng.permutation(n) if rng is not None else np.arange(n)  # (n,)
        chunk_size = size * self.bucket_size_multiplier
        batches: list[np.ndarray] = []
        for start in range(0, n, chunk_size):
            chunk = order[start : start + chunk_size]
            chunk = chunk[np.argsort(self.lengths[chunk], kind="stable")]
            batches.extend(chunk[i : i + size] for i in range(0, len(chunk), size))
        if self.drop_last and batches and len(batches[-1]) < size:
            batches.pop()  # only the last chunk's last batch can be short
        if rng is not None:
            batches = [batches[i] for i in rng.permutation(len(batches))]
        return [batch.tolist() for batch in batches]

    def __len__(self) -> int:
        n = len(self.lengths)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)


def make_loader(
    dataset: EncodedDataset,
    *,
    batch_size: int = 64,
    shuffle: bool = False,
    bucket: bool = True,
    seed: int = 0,
    pad_id: int = 0,
) -> DataLoader:
    """Return a DataLoader that yields :class:`Batch` objects.

    Parameters
    ----------
    dataset : EncodedDataset
        The examples.
    batch_size : int, default 64
        The largest number of examples in a batch.
    shuffle : bool, default False
        Shuffle each epoch (for training). The order is reproducible from
        ``seed`` and differs from epoch to epoch.
    bucket : bool, default True
        Batch examples of similar length together with
        :class:`BucketBatchSampler` (less padding). ``False`` batches them in
        dataset order, or in a seeded random order with ``shuffle=True``.
    seed : int, default 0
        Seed of the shuffles.
    pad_id : int, default 0
        The padding id (``Vocabulary.pad_id`` is always 0).

    Returns
    -------
    torch.utils.data.DataLoader
        Loads in the main process (``num_workers=0``). Use :attr:`Batch.index`
        to match outputs to examples: with ``bucket=True`` batches are not in
        dataset order, even with ``shuffle=False``.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    collate_fn = partial(collate, pad_id=pad_id)
    if bucket:
        sampler = BucketBatchSampler(dataset.lengths, batch_size, shuffle=shuffle, seed=seed)
        return DataLoader(dataset, batch_sampler=sampler, collate_fn=collate_fn, num_workers=0)
    generator = torch.Generator().manual_seed(seed) if shuffle else None
    return DataLoader(
        dataset,
        batch_size=batch_size,
        shuffle=shuffle,
        generator=generator,
        collate_fn=collate_fn,
        num_workers=0,
    )


def padding_fraction(loader_or_batches: Iterable[Batch]) -> float:
    """Return the share of padded positions over all batches.

    Parameters
    ----------
    loader_or_batches : iterable of Batch
        A loader from :func:`make_loader`, or a list of batches. A loader is
        iterated once (one epoch).

    Returns
    -------
    float
        Padded positions divided by all positions of ``ids``, between 0 and 1.

    Examples
    --------
    >>> padding_fraction([collate([(0, [5, 6, 7], None), (1, [8], None)])])
    0.3333333333333333
    """
    padded = total = 0
    for batch in loader_or_batches:
        total += batch.mask.numel()
        padded += batch.mask.numel() - int(batch.mask.sum())
    if total == 0:
        raise ValueError("padding_fraction got no batches (or only empty ones)")
    return padded / total
