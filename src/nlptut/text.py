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
   its own; whitespace separates tokens and is dropped.

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

import json
import math
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import torch
from torch.utils.data import DataLoader, Dataset, Sampler

from nlptut.errors import DataFormatError

__all__ = [
    "PAD",
    "UNK",
    "tokenize",
    "Vocabulary",
    "Example",
    "EncodedDataset",
    "Batch",
    "collate",
    "BucketBatchSampler",
    "make_loader",
    "padding_fraction",
]

PAD = "<pad>"
"""The padding token; its id is always 0."""
UNK = "<unk>"
"""The token that stands for every token missing from the vocabulary; its id is always 1."""

_APOSTROPHES = "'\u2019\u02bc`"
_TOKEN_RE = re.compile(
    r"\[[A-Z_]+\]"  # a placeholder such as [USERNAME]
    r"|[^\W_]+(?:-[^\W_]+)*"  # a word: letters/digits, hyphen-joined
    r"|[^\w\s]|_",  # any other single visible character
    re.UNICODE,
)
_INNER_APOSTROPHE_RE = re.compile(rf"(?<=[^\W_])[{_APOSTROPHES}](?=[^\W_])")


def tokenize(text: str) -> list[str]:
    """Split ``text`` into lower-case tokens (see the module's rules).

    Parameters
    ----------
    text : str
        Raw text.

    Returns
    -------
    list of str
        The tokens, in order. Placeholders such as ``[USERNAME]`` keep their case.

    Examples
    --------
    >>> tokenize("We went to Bali for holiday. It was fantastic!")
    ['we', 'went', 'to', 'bali', 'for', 'holiday', '.', 'it', 'was', 'fantastic', '!']
    >>> tokenize("[USERNAME] anak-anak nggak mau, don't!")
    ['[USERNAME]', 'anak-anak', 'nggak', 'mau', ',', 'dont', '!']
    """
    text = unicodedata.normalize("NFKC", text)
    text = _INNER_APOSTROPHE_RE.sub("", text)
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group()
        if not (token.startswith("[") and token.endswith("]") and len(token) > 2):
            token = token.casefold()
        tokens.append(token)
    return tokens
