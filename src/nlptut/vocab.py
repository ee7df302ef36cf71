"""Tokens and vocabularies, without PyTorch: what every model needs to read text.

:func:`tokenize` turns raw text into tokens (its rules are listed in
:mod:`nlptut.text`); :class:`Vocabulary` maps tokens to ids and back, and
saves itself as JSON. Nothing here imports PyTorch, so that a program that
only runs an exported model (:class:`nlptut.deploy.OnnxClassifier`, with ONNX
Runtime) can tokenize and encode text without it. :mod:`nlptut.text` imports
everything here and builds the tensors and batches on top.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlptut.errors import DataFormatError
from nlptut.fileio import write_text_atomic

__all__ = [
    "PAD",
    "UNK",
    "tokenize",
    "too_long",
    "MAX_LEN_LIMIT",
    "valid_max_len",
    "valid_labels",
    "char_ngrams_of",
    "word_bigrams_of",
    "Vocabulary",
]

PAD = "<pad>"
"""The padding token; its id is always 0."""
MAX_LEN_LIMIT = 100_000
"""The most tokens per text a model may read: the same bound at training, at loading
and in an exported file."""
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
def valid_max_len(max_len: object) -> bool:
    """True for a whole number of tokens from 1 to :data:`MAX_LEN_LIMIT`."""
    return (
        isinstance(max_len, int) and not isinstance(max_len, bool) and 1 <= max_len <= MAX_LEN_LIMIT
    )


def valid_labels(labels: object) -> bool:
    """True for a list of two or more different, non-empty label names."""
    return (
        isinstance(labels, list)
        and len(labels) >= 2
        and all(isinstance(label, str) and label for label in labels)
        and len(set(labels)) == len(labels)
    )


def too_long(texts: Sequence[str], max_len: int) -> list[int]:
    """The positions of the texts with more than ``max_len`` tokens.

    A model reads only the first ``max_len`` tokens of a text (see
    :meth:`Vocabulary.encode`); these are the texts it does not read whole.
    """
    return [i for i, text in enumerate(texts) if len(_tokenize(text)) > max_len]


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

    def decode(self, ids: Sequence[int] | Any, *, skip_pad: bool = True) -> list[str]:
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
        if hasattr(ids, "dim") and hasattr(ids, "tolist"):  # a torch.Tensor
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
        text = json.dumps(self.to_dict(), ensure_ascii=False, indent=1) + "\n"
        write_text_atomic(path, text, sync=True)

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
