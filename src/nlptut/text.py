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

import json
import math
import os
import re
import tempfile
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
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
# Invisible characters that change how a character is drawn, not what it is.
_INVISIBLE_RE = re.compile("[\u200b-\u200d\u2060\ufe00-\ufe0f\ufeff]")
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
    return list(_tokenize(text))


# Training several models on one dataset tokenizes the same texts again and
# again (vocabulary, then encoding, for each model): remember recent texts.
@lru_cache(maxsize=1 << 16)
def _tokenize(text: str) -> tuple[str, ...]:
    text = unicodedata.normalize("NFKC", text)
    text = _INVISIBLE_RE.sub("", text)
    text = _INNER_APOSTROPHE_RE.sub("", text)
    tokens = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group()
        if not (token.startswith("[") and token.endswith("]") and len(token) > 2):
            token = token.casefold()
        tokens.append(token)
    return tuple(tokens)


# Vocabulary
# ----------


def _check_char_ngrams(char_ngrams: Any) -> tuple[int, int] | None:
    if char_ngrams is None:
        return None
    try:
        low, high = (int(n) for n in char_ngrams)
    except (TypeError, ValueError):
        raise ValueError(
            "char_ngrams must be a pair (min_n, max_n) such as (1, 6), or None; "
            f"got {char_ngrams!r}"
        ) from None
    if not 1 <= low <= high:
        raise ValueError(
            f"char_ngrams must satisfy 1 <= min_n <= max_n, got ({low}, {high}); e.g. (1, 6)"
        )
    return (low, high)


def char_ngrams_of(token: str, min_n: int, max_n: int) -> list[str]:
    """Return the character n-grams of ``token``, fastText style.

    The token is wrapped in ``<`` and ``>`` so that n-grams at the start and
    end of a word differ from the same letters inside it; the two markers
    alone are not n-grams. Subword n-grams let a model say something about a
    word it never saw in training, from the pieces it shares with words it
    did see (Bojanowski et al., 2017).

    Examples
    --------
    >>> char_ngrams_of("sedih", 3, 4)
    ['<se', 'sed', 'edi', 'dih', 'ih>', '<sed', 'sedi', 'edih', 'dih>']
    """
    word = f"<{token}>"
    return [
        word[i : i + n]
        for n in range(min_n, max_n + 1)
        for i in range(len(word) - n + 1)
        if n > 1 or word[i] not in "<>"
    ]


def word_bigrams_of(tokens: Sequence[str]) -> list[str]:
    """Return the pairs of neighbouring tokens, each as ``"first second"``.

    Examples
    --------
    >>> word_bigrams_of(["not", "me", "."])
    ['not me', 'me .']
    """
    return [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _index_strings(items: list[Any], *, start: int, what: str, allow_empty: bool) -> dict[str, int]:
    """Map each of ``items`` to its id (``start`` onwards); refuse non-strings and repeats."""
    index: dict[str, int] = {}
    for i, item in enumerate(items, start=start):
        if not isinstance(item, str) or not (item or allow_empty):
            kind = "strings" if allow_empty else "non-empty strings"
            raise ValueError(
                f"vocabulary {what} {i} is {item!r} of type {type(item).__name__}; "
                f"{what}s must be {kind}"
            )
        if item in index:
            raise ValueError(
                f"{what} {item!r} appears twice in the vocabulary (ids {index[item]} "
                f"and {i}); every {what} must be unique"
            )
        index[item] = i
    return index


_VOCAB_FORMAT = "nlptut.vocabulary"
_VOCAB_VERSION = 1
_VOCAB_LAYOUT = (
    f'a JSON object {{"format": "{_VOCAB_FORMAT}", "version": {_VOCAB_VERSION}, '
    f'"tokens": ["{PAD}", "{UNK}", ...]}} as Vocabulary.save writes it'
)


class Vocabulary:
    """A two-way map between tokens and integer ids.

    Id 0 is always :data:`PAD` and id 1 always :data:`UNK`; the other tokens
    follow in the order given. Tokens that are not in the vocabulary encode
    as :attr:`unk_id`.

    Parameters
    ----------
    tokens : sequence of str
        All tokens in id order, starting with ``"<pad>"`` and ``"<unk>"``.
        Usually you call :meth:`build` instead.

    Raises
    ------
    ValueError
        If the special tokens are not first, or a token is repeated or not a string.

    See Also
    --------
    Vocabulary.build : count tokens in a corpus and keep the frequent ones.

    Examples
    --------
    >>> vocab = Vocabulary.build(["I feel happy", "I feel sad!"])
    >>> vocab.tokens
    ['<pad>', '<unk>', 'feel', 'i', '!', 'happy', 'sad']
    >>> vocab.encode("I feel great")
    [3, 2, 1]
    >>> vocab.decode([3, 2, 1, 0, 0])
    ['i', 'feel', '<unk>']
    """

    pad_id: int = 0
    """The id of :data:`PAD` (always 0)."""
    unk_id: int = 1
    """The id of :data:`UNK` (always 1)."""

    def __init__(
        self,
        tokens: Sequence[str],
        *,
        ngrams: Sequence[str] = (),
        char_ngrams: tuple[int, int] | None = None,
        word_bigrams: bool = False,
    ) -> None:
        if isinstance(tokens, str):
            raise TypeError(
                "Vocabulary(tokens) expects a list of tokens, not one string; "
                "to build a vocabulary from texts call Vocabulary.build(texts)"
            )
        tokens = list(tokens)
        if tokens[:2] != [PAD, UNK]:
            raise ValueError(
                f"a vocabulary's tokens must start with {PAD!r} and {UNK!r} (ids 0 and 1), "
                f"but they start with {tokens[:2]!r}; put the two special tokens first, "
                "or build the vocabulary with Vocabulary.build(texts)"
            )
        index = _index_strings(tokens, start=0, what="token", allow_empty=True)
        self._tokens = tokens
        self._index = index
        self.char_ngrams = _check_char_ngrams(char_ngrams)
        self.word_bigrams = bool(word_bigrams)
        ngrams = list(ngrams)
        if ngrams and self.char_ngrams is None and not self.word_bigrams:
            raise ValueError(
                "n-gram features were given but neither char_ngrams nor word_bigrams is set; "
                "say which n-grams the list holds"
            )
        ngram_index = _index_strings(ngrams, start=len(tokens), what="n-gram", allow_empty=False)
        self._ngrams = ngrams
        self._ngram_index = ngram_index
        self._pieces_cache: dict[str, list[int]] = {}  # word -> ids of its known n-grams

    @classmethod
    def build(
        cls,
        texts_or_token_lists: Iterable[str | Sequence[str]],
        *,
        min_freq: int = 1,
        max_size: int | None = None,
        char_ngrams: tuple[int, int] | None = None,
        word_bigrams: bool = False,
    ) -> Vocabulary:
        """Count the tokens of a corpus and keep the frequent ones.

        Parameters
        ----------
        texts_or_token_lists : iterable of str or of sequences of str
            The corpus: raw texts (tokenized with :func:`tokenize`) or lists of
            tokens (used as they are). Occurrences of ``"<pad>"`` and
            ``"<unk>"`` in token lists are not counted.
        min_freq : int, default 1
            Keep only tokens that occur at least this many times.
        max_size : int or None, default None
            The largest number of words, *counting* the two special tokens;
            ``None`` keeps every token that passes ``min_freq``.
        char_ngrams : (int, int) or None, default None
            Also keep the character n-grams (:func:`char_ngrams_of`) of every
            token occurrence, from ``min_n`` to ``max_n`` characters, that occur
            at least ``min_freq`` times. Their ids follow the words', and
            :meth:`encode` appends them after the word ids: features for a
            bag-of-words model such as ``nbow``, which ignores order.
        word_bigrams : bool, default False
            Also keep the pairs of neighbouring tokens (:func:`word_bigrams_of`)
            that occur at least ``min_freq`` times, as n-gram features.

        Returns
        -------
        Vocabulary
            ``"<pad>"``, ``"<unk>"``, then the kept tokens, most frequent first;
            tokens with equal counts are sorted alphabetically (by code point), so
            the same corpus always gives the same ids.

        Raises
        ------
        TypeError
            If one string is passed instead of a collection of texts.
        ValueError
            If ``min_freq < 1`` or ``max_size < 2``.

        Examples
        --------
        >>> Vocabulary.build(["a b b c", "c c"], min_freq=2).tokens
        ['<pad>', '<unk>', 'c', 'b']
        >>> Vocabulary.build([["a", "b"], ["b"]], max_size=3).tokens
        ['<pad>', '<unk>', 'b']
        >>> texts = ["not me", "not me"]
        >>> Vocabulary.build(texts, min_freq=2, char_ngrams=(3, 3), word_bigrams=True).ngrams
        ['<me', '<no', 'me>', 'not', 'ot>', 'not me']
        """
        if isinstance(texts_or_token_lists, str):
            raise TypeError(
                "Vocabulary.build expects a collection of texts (or of token lists), "
                "not one string; wrap it in a list: Vocabulary.build([text])"
            )
        if min_freq < 1:
            raise ValueError(f"min_freq must be at least 1, got {min_freq}")
        if max_size is not None and max_size < 2:
            raise ValueError(
                f"max_size counts the two special tokens {PAD!r} and {UNK!r}, "
                f"so it must be at least 2, got {max_size}"
            )
        char_ngrams = _check_char_ngrams(char_ngrams)
        counts: Counter[str] = Counter()
        bigram_counts: Counter[str] = Counter()
        for item in texts_or_token_lists:
            tokens = tokenize(item) if isinstance(item, str) else list(item)
            counts.update(tokens)
            if word_bigrams:
                bigram_counts.update(word_bigrams_of(tokens))
        counts.pop(PAD, None)
        counts.pop(UNK, None)

        def frequent(counter: Counter[str]) -> list[str]:
            kept = (t for t, c in counter.items() if c >= min_freq)
            return sorted(kept, key=lambda t: (-counter[t], t))

        words = frequent(counts)
        if max_size is not None:
            words = words[: max_size - 2]
        ngram_counts: Counter[str] = Counter()
        if char_ngrams is not None:
            # Every occurrence of every token counts, rare words included: the
            # pieces of rare words are what an unseen word shares with them.
            for token, count in counts.items():
                for gram in char_ngrams_of(token, *char_ngrams):
                    ngram_counts[gram] += count
        return cls(
            [PAD, UNK, *words],
            ngrams=frequent(ngram_counts) + frequent(bigram_counts),
            char_ngrams=char_ngrams,
            word_bigrams=word_bigrams,
        )

    @property
    def tokens(self) -> list[str]:
        """All words (tokens) in id order, the special tokens first (a copy)."""
        return list(self._tokens)

    @property
    def ngrams(self) -> list[str]:
        """The n-gram features in id order (a copy); their ids start at :attr:`num_words`.

        Character n-grams come first, then word bigrams (which hold a space).
        Empty unless the vocabulary was built with ``char_ngrams`` or ``word_bigrams``.
        """
        return list(self._ngrams)

    @property
    def num_words(self) -> int:
        """The number of words, the special tokens included: the first n-gram's id."""
        return len(self._tokens)

    def __len__(self) -> int:
        """The number of ids: words, then n-gram features (an embedding table's size)."""
        return len(self._tokens) + len(self._ngrams)

    def __contains__(self, token: object) -> bool:
        """Whether ``token`` is one of the words (n-gram features are not words)."""
        return token in self._index

    def _settings(self) -> tuple[Any, ...]:
        return (self._tokens, self._ngrams, self.char_ngrams, self.word_bigrams)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Vocabulary):
            return NotImplemented
        return self._settings() == other._settings()

    __hash__ = None  # type: ignore[assignment]  # mutable-looking, compared by value

    def __repr__(self) -> str:
        head = ", ".join(repr(t) for t in self._tokens[:6])
        more = ", ..." if len(self._tokens) > 6 else ""
        extra = f", {len(self._ngrams)} n-grams" if self._ngrams else ""
        return f"Vocabulary({len(self._tokens)} tokens: {head}{more}{extra})"

    def lookup(self, token: str) -> int:
        """Return the id of ``token``, or :attr:`unk_id` if it is not in the vocabulary."""
        return self._index.get(token, self.unk_id)

    def token(self, index: int) -> str:
        """Return the token whose id is ``index``.

        Raises
        ------
        IndexError
            If ``index`` is negative or not below ``len(self)``.
        """
        index = int(index)
        if not 0 <= index < len(self):
            raise IndexError(
                f"token id {index} is out of range: this vocabulary has {len(self)} ids "
                f"(0 to {len(self) - 1}); were these ids encoded with another vocabulary?"
            )
        if index >= len(self._tokens):
            return self._ngrams[index - len(self._tokens)]
        return self._tokens[index]

    def encode(
        self, text_or_tokens: str | Sequence[str], *, max_len: int | None = None
    ) -> list[int]:
        """Map a text (tokenized with :func:`tokenize`) or a list of tokens to ids.

        Parameters
        ----------
        text_or_tokens : str or sequence of str
            A raw text, or tokens to look up as they are.
        max_len : int or None, default None
            Keep only the first ``max_len`` tokens; ``None`` keeps all.

        Returns
        -------
        list of int
            One id per token; unknown tokens become :attr:`unk_id`. An empty
            text gives an empty list. A vocabulary with n-gram features then
            appends the ids of the known character n-grams of those tokens
            and of their known word bigrams (unknown n-grams are left out).
        """
        if max_len is not None and max_len < 1:
            raise ValueError(f"max_len must be at least 1 (or None for no limit), got {max_len}")
        tokens = tokenize(text_or_tokens) if isinstance(text_or_tokens, str) else text_or_tokens
        tokens = list(tokens)[:max_len]
        index, unk_id = self._index, self.unk_id
        ids = [index.get(token, unk_id) for token in tokens]
        if self._ngrams:
            grams = self._ngram_index
            if self.char_ngrams is not None:
                cache = self._pieces_cache  # words repeat: cut each known word up once
                for token in tokens:
                    known = cache.get(token)
                    if known is None:
                        pieces = char_ngrams_of(token, *self.char_ngrams)
                        known = [grams[g] for g in pieces if g in grams]
                        if token in index:  # bounded by the vocabulary, whatever is encoded
                            cache[token] = known
                    ids.extend(known)
            if self.word_bigrams:
                ids.extend(grams[g] for g in word_bigrams_of(tokens) if g in grams)
        return ids

    def decode(self, ids: Sequence[int] | torch.Tensor, *, skip_pad: bool = True) -> list[str]:
        """Map ids back to tokens.

        Parameters
        ----------
        ids : sequence of int or 1-D tensor
            Token ids, e.g. one row of :attr:`Batch.ids`.
        skip_pad : bool, default True
            Leave out :data:`PAD` ids.

        Returns
        -------
        list of str
            The tokens. Ids that were unknown tokens decode as ``"<unk>"``.

        Raises
        ------
        IndexError
            If an id is not in the vocabulary.
        """
        if isinstance(ids, torch.Tensor):
            if ids.dim() != 1:
                raise ValueError(
                    f"decode expects one sequence of ids (a 1-D tensor), got shape "
                    f"{tuple(ids.shape)}; decode a batch row by row: vocab.decode(batch.ids[i])"
                )
            ids = ids.tolist()
        return [self.token(i) for i in ids if not (skip_pad and i == self.pad_id)]

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict: ``{"format", "version", "tokens"}``.

        A vocabulary with n-gram features adds ``"char_ngrams"`` (``[min_n, max_n]``
        or ``null``), ``"word_bigrams"`` and ``"ngrams"`` (the features in id order).
        """
        d: dict[str, Any] = {
            "format": _VOCAB_FORMAT,
            "version": _VOCAB_VERSION,
            "tokens": list(self._tokens),
        }
        if self.char_ngrams is not None or self.word_bigrams:
            d["char_ngrams"] = list(self.char_ngrams) if self.char_ngrams else None
            d["word_bigrams"] = self.word_bigrams
            d["ngrams"] = list(self._ngrams)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Vocabulary:
        """Rebuild a vocabulary from :meth:`to_dict`'s output.

        Raises
        ------
        DataFormatError
            If ``d`` does not have the layout that :meth:`to_dict` produces.
        """
        if not isinstance(d, dict):
            raise DataFormatError(f"expected {_VOCAB_LAYOUT}, got a JSON {type(d).__name__}")
        if d.get("format") != _VOCAB_FORMAT:
            raise DataFormatError(
                f'"format" is {d.get("format")!r}, not {_VOCAB_FORMAT!r}: expected {_VOCAB_LAYOUT}'
            )
        if d.get("version") != _VOCAB_VERSION:
            raise DataFormatError(
                f'"version" is {d.get("version")!r}, but this nlptut reads version '
                f"{_VOCAB_VERSION}; rebuild and save the vocabulary with this nlptut"
            )
        tokens = d.get("tokens")
        if not isinstance(tokens, list):
            raise DataFormatError(f'"tokens" is missing or not a list: expected {_VOCAB_LAYOUT}')
        ngrams = d.get("ngrams", [])
        if not isinstance(ngrams, list) or not isinstance(d.get("word_bigrams", False), bool):
            raise DataFormatError(
                '"ngrams" must be a list and "word_bigrams" true or false, '
                f"as Vocabulary.to_dict writes them: expected {_VOCAB_LAYOUT}"
            )
        try:
            return cls(
                tokens,
                ngrams=ngrams,
                char_ngrams=d.get("char_ngrams"),
                word_bigrams=d.get("word_bigrams", False),
            )
        except ValueError as error:
            raise DataFormatError(str(error)) from error

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the vocabulary to ``path`` as JSON (UTF-8), atomically.

        The JSON goes to a temporary file in the same folder, which then
        replaces ``path`` in one step (:func:`os.replace`): a reader never sees
        a half-written file, and a crash leaves the old file intact. Missing
        parent folders are created.
        """
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.to_dict(), f, ensure_ascii=False, indent=1)
                f.write("\n")
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp_name, 0o644)  # mkstemp creates it private (0o600)
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Vocabulary:
        """Read a vocabulary written by :meth:`save`.

        Raises
        ------
        FileNotFoundError
            If ``path`` does not exist.
        DataFormatError
            If the file is not UTF-8 JSON with :meth:`to_dict`'s layout, or the
            special tokens are missing; the message names the file.
        """
        path = Path(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except UnicodeDecodeError as error:
            raise DataFormatError(
                f"{path} is not a vocabulary file: it is not UTF-8 text ({error}); "
                "pass the file that Vocabulary.save wrote"
            ) from error
        except json.JSONDecodeError as error:
            raise DataFormatError(
                f"{path} is not a vocabulary file: invalid JSON at line {error.lineno}, "
                f"column {error.colno} ({error.msg}); it may be truncated or another file. "
                "Save the vocabulary again with Vocabulary.save"
            ) from error
        try:
            return cls.from_dict(data)
        except DataFormatError as error:
            raise DataFormatError(f"{path} is not a valid vocabulary file: {error}") from error


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
    # True positions of the mask, in row-major order, are the tokens in order.
    ids[mask] = torch.tensor([t for seq in sequences for t in seq], dtype=torch.long)

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
