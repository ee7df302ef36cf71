"""Tagged sentences: one tag per word, read from CoNLL-style files.

A *tagging* dataset gives every word of a sentence a tag: its part of speech
(``B-NNO`` noun, ``B-VBI`` verb, ...) or its place in a name (``B-PPL`` the
first word of a person's name, ``I-PPL`` a word inside it, ``O`` outside any
name). The files follow the CoNLL convention:

* one ``token<TAB>tag`` line per word (the tag follows the last tab);
* a blank line between sentences (a missing one at the end is fine);
* UTF-8; a leading byte-order mark and Windows line ends are accepted.

Tags use the BIO scheme: ``O``, or ``B-TYPE`` / ``I-TYPE`` for the beginning
and the inside of a chunk of type ``TYPE``. Part-of-speech tags are written
``B-NNO`` (every word a chunk of its own), as in IndoNLU POSP. A tag without
that shape is refused with its line number and the fix.

:func:`load_tagged` returns a known tagging dataset (``indonlu-posp``,
``indonlu-nerp``), fetched and verified like every dataset of
:mod:`nlptut.datasets`, or a reader's own file or folder, as a
:class:`TaggedData` with ``train``, ``validation`` and ``test`` splits:

* a single file is split 80/10/10 by sentences, at random with ``seed``;
* a folder holds one file per split, named as for classification data
  (``train``, ``valid``/``validation``/``val``/``dev``, ``test``; suffix
  ``.txt``, ``.conll``, ``.tsv`` or ``.bio``). Without a validation file, a
  random 10% of the training sentences becomes the validation split.

:func:`repair_bio` turns any tag sequence into a valid BIO sequence the way
the CoNLL evaluation script reads it (an ``I-X`` that does not continue an
``X`` chunk begins one), and :func:`chunks` lists the chunks of a sequence.
"""

from __future__ import annotations

import hashlib
import os
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nlptut import datasets
from nlptut.datasets.labelled import SplitsByName
from nlptut.datasets.loading import looks_like_path
from nlptut.datasets.provenance import record_loaded
from nlptut.datasets.readers import decode, read_source
from nlptut.errors import DataFormatError, DatasetNotAvailable, UnknownName

__all__ = [
    "TaggedSplit",
    "TaggedData",
    "read_conll",
    "load_tagged",
    "repair_bio",
    "chunks",
    "tag_type",
]

_SUFFIXES = (".txt", ".conll", ".tsv", ".bio")
_MIN_SENTENCES = 10


def tag_type(tag: str) -> str | None:
    """The chunk type of a BIO tag (``"PPL"`` for ``"B-PPL"``), or ``None`` for ``"O"``."""
    return None if tag == "O" else tag[2:]


def _bio_problem(tag: str) -> str | None:
    if tag == "O":
        return None
    if len(tag) > 2 and tag[:2] in ("B-", "I-") and tag[2:].strip() == tag[2:]:
        return None
    return f"tag {tag!r} is not O, B-TYPE or I-TYPE"


@dataclass
class TaggedSplit:
    """The sentences of one split: their words and one tag per word.

    Attributes
    ----------
    tokens : list of list of str
        Each sentence as its words.
    tags : list of list of str
        Each sentence's tags, as many as it has words.
    """

    tokens: list[list[str]]
    tags: list[list[str]]

    def __post_init__(self) -> None:
        if len(self.tokens) != len(self.tags):
            raise ValueError(
                f"TaggedSplit has {len(self.tokens)} sentences but {len(self.tags)} tag "
                "sequences; give one tag sequence per sentence"
            )
        for i, (words, tags) in enumerate(zip(self.tokens, self.tags, strict=True)):
            if len(words) != len(tags):
                raise ValueError(
                    f"sentence {i} has {len(words)} words but {len(tags)} tags; give one "
                    "tag per word"
                )

    def __len__(self) -> int:
        return len(self.tokens)

    def head(self, n: int) -> TaggedSplit:
        """The first ``n`` sentences."""
        return TaggedSplit(self.tokens[:n], self.tags[:n])

    @property
    def num_words(self) -> int:
        """How many words the split holds in all."""
        return sum(len(words) for words in self.tokens)


@dataclass
class TaggedData(SplitsByName):
    """A tagging dataset with train, validation and test splits.

    Attributes
    ----------
    name : str
        The dataset's name, or the stem of the reader's file or folder.
    tags : tuple of str
        Every tag, in a fixed order (the registry's, or ``O`` then the others
        sorted for a reader's data).
    splits : dict of str to TaggedSplit
        Always the keys ``"train"``, ``"validation"`` and ``"test"``.
    language : str or None
        The sentences' language, if known.
    sources : dict of str to (Path, str)
        For each split, the file it was read from and that file's sha256.
    """

    name: str
    tags: tuple[str, ...]
    splits: dict[str, TaggedSplit]
    language: str | None = None
    sources: dict[str, tuple[Path, str]] = field(default_factory=dict)

    @property
    def types(self) -> tuple[str, ...]:
        """The chunk types of the tags (``PPL``, ``PLC``, ... or ``NNO``, ``VBI``, ...),
        in tag order."""
        seen: dict[str, None] = {}
        for tag in self.tags:
            kind = tag_type(tag)
            if kind is not None:
                seen.setdefault(kind)
        return tuple(seen)

    def tag_counts(self, split: str) -> dict[str, int]:
        """How many words of ``split`` carry each tag, in tag order."""
        counts = Counter(tag for tags in self[split].tags for tag in tags)
        return {tag: counts.get(tag, 0) for tag in self.tags}


_fail = DataFormatError.at  # "FILE, line N: problem; fix: ..."
_LINE_FIX = "write one `word<TAB>tag` line per word, a blank line between sentences"


def _parse(path: Path, data: bytes) -> TaggedSplit:
    text = decode(path, data, _LINE_FIX)
    tokens: list[list[str]] = []
    tags: list[list[str]] = []
    words: list[str] = []
    marks: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            if words:
                tokens.append(words)
                tags.append(marks)
                words, marks = [], []
            continue
        token, sep, tag = line.rpartition("\t")
        if not sep:
            hint = (
                "separate the word and its tag with one tab, not spaces"
                if len(line.split()) == 2
                else _LINE_FIX
            )
            raise _fail(path, number, "expected `word<TAB>tag` but the line has no tab", hint)
        tag = tag.strip()
        if "\t" in token:
            raise _fail(
                path,
                number,
                f"expected 2 tab-separated columns (word, tag) but found {token.count(chr(9)) + 2}",
                "keep only the word and its tag (the last column), one tab between them",
            )
        if not token.strip():
            raise _fail(path, number, "the word before the tab is empty", "add the word")
        if not tag:
            raise _fail(path, number, "the tag after the tab is empty", "add the word's tag")
        if any(c.isspace() for c in tag):
            raise _fail(
                path,
                number,
                f"the tag {tag!r} contains a space",
                "write a tag without spaces, such as B-PLACE (a name's words each get a tag)",
            )
        problem = _bio_problem(tag)
        if problem is not None:
            raise _fail(
                path,
                number,
                problem,
                f"use BIO tags; a tag per word such as a part of speech is written B-{tag}",
            )
        words.append(token.strip())
        marks.append(tag)
    if words:
        tokens.append(words)
        tags.append(marks)
    if not tokens:
        raise _fail(path, None, "the file has no sentences", "add `word<TAB>tag` lines")
    return TaggedSplit(tokens, tags)


def read_conll(path: str | os.PathLike[str]) -> TaggedSplit:
    """Read a file of ``word<TAB>tag`` lines, a blank line between sentences.

    Raises
    ------
    DataFormatError
        If the file is empty, not UTF-8, or a line is malformed (the message names
        the file, the line and the fix).
    """
    split, _ = _read(Path(path))
    return split


def _read(path: Path) -> tuple[TaggedSplit, str]:
    data = read_source(path)
    return _parse(path, data), hashlib.sha256(data).hexdigest()


def _load_known(info: datasets.DatasetInfo, limit: int | None) -> TaggedData:
    paths = datasets.fetch(info.name)
    fix = f"delete {datasets.cache_dir(info.name)} and run `nlptut fetch {info.name}`"
    splits, sources = {}, {}
    for remote in info.files:
        path = paths[remote.split]
        split, digest = _read(path)
        if len(split) != remote.rows:
            raise _fail(path, None, f"expected {remote.rows} sentences but read {len(split)}", fix)
        unknown = sorted({t for tags in split.tags for t in tags} - set(info.labels))
        if unknown:
            raise _fail(path, None, f"unknown tags {unknown} for {info.name}", fix)
        if limit is not None:
            split = TaggedSplit(split.tokens[:limit], split.tags[:limit])
        splits[remote.split] = split
        sources[remote.split] = (path, digest)
    return TaggedData(info.name, info.labels, splits, info.language, sources)


def _shuffled_parts(n: int, fractions: Sequence[float], seed: int) -> list[list[int]]:
    order = list(range(n))
    random.Random(seed).shuffle(order)
    parts, start = [], 0
    for fraction in fractions[:-1]:
        stop = start + max(1, round(n * fraction))
        parts.append(sorted(order[start:stop]))
        start = stop
    parts.append(sorted(order[start:]))
    return parts


def _pick(split: TaggedSplit, indices: list[int]) -> TaggedSplit:
    return TaggedSplit([split.tokens[i] for i in indices], [split.tags[i] for i in indices])


def _load_user(path: Path, seed: int) -> tuple[dict[str, TaggedSplit], dict]:
    if path.is_file():
        whole, digest = _read(path)
        if len(whole) < _MIN_SENTENCES:
            raise _fail(
                path,
                None,
                f"only {len(whole)} sentences; at least {_MIN_SENTENCES} are needed to split "
                "off validation and test sentences (80/10/10)",
                "add sentences, or give a folder with train, validation and test files",
            )
        train, validation, test = _shuffled_parts(len(whole), (0.8, 0.1, 0.1), seed)
        parts = {"train": train, "validation": validation, "test": test}
        return (
            {name: _pick(whole, idx) for name, idx in parts.items()},
            dict.fromkeys(datasets.SPLITS, (path, digest)),
        )
    found = datasets.split_files(path, _SUFFIXES)
    splits, sources = {}, {}
    for split, file in found.items():
        if file is not None:
            splits[split], digest = _read(file)
            sources[split] = (file, digest)
    if "validation" not in splits:
        train = splits["train"]
        if len(train) < _MIN_SENTENCES:
            raise _fail(
                found["train"],
                None,
                f"only {len(train)} sentences; at least {_MIN_SENTENCES} are needed to split "
                "off a validation set",
                "add sentences, or add a validation file",
            )
        kept, held_out = _shuffled_parts(len(train), (0.9, 0.1), seed)
        splits["train"], splits["validation"] = _pick(train, kept), _pick(train, held_out)
        sources["validation"] = sources["train"]
    return {s: splits[s] for s in datasets.SPLITS}, {s: sources[s] for s in datasets.SPLITS}


def load_tagged(
    name_or_path: str | os.PathLike[str], *, limit: int | None = None, seed: int = 0
) -> TaggedData:
    """Load a known tagging dataset by name, or a reader's own tagged file or folder.

    Parameters
    ----------
    name_or_path : str or os.PathLike
        ``"indonlu-posp"`` or ``"indonlu-nerp"`` (fetched into the cache as
        needed), or a path to a CoNLL-style file or a folder of per-split files
        (see the module docstring).
    limit : int, optional
        Keep only the first ``limit`` sentences of each split (for quick runs).
    seed : int, default 0
        Random state of the split of a single file (80/10/10 by sentences).

    Returns
    -------
    TaggedData

    Raises
    ------
    UnknownName
        If the name is not a known tagging dataset and no such path exists.
    DataFormatError
        If a file is malformed (the message names the file and line).
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit must be a positive integer or None, not {limit!r}")
    tagging = [info.name for info in datasets.list_datasets() if info.task == "tagging"]
    if isinstance(name_or_path, str) and name_or_path in datasets.DATASETS:
        info = datasets.DATASETS[name_or_path]
        if info.task != "tagging":
            raise UnknownName(
                f"{info.name} labels whole texts, not words; load it with "
                f"nlptut.datasets.load_dataset({info.name!r}), or use a tagging dataset "
                f"({', '.join(tagging)})"
            )
        return record_loaded(_load_known(info, limit))  # type: ignore[arg-type]
    path = Path(name_or_path).expanduser()
    if not path.exists():
        if looks_like_path(name_or_path) or Path(str(name_or_path)).suffix in _SUFFIXES:
            raise DatasetNotAvailable(
                f"no such file or folder: {path}; fix: check the path, or use one of the "
                f"known tagging datasets ({', '.join(tagging)})"
            )
        raise UnknownName(
            f"unknown tagging dataset {str(name_or_path)!r}; use one of {', '.join(tagging)}, "
            "or the path of a `word<TAB>tag` file"
        )
    splits, sources = _load_user(path, seed)
    seen = {t for split in splits.values() for tags in split.tags for t in tags}
    if len(seen) < 2:
        raise DataFormatError(
            f"{path.name}: every word has the tag {next(iter(seen))!r}; fix: a tagger needs "
            "at least two different tags"
        )
    tags = tuple(["O"] if "O" in seen else []) + tuple(sorted(seen - {"O"}))
    if limit is not None:
        splits = {k: TaggedSplit(v.tokens[:limit], v.tags[:limit]) for k, v in splits.items()}
    name = path.resolve().name if path.is_dir() else path.stem
    return record_loaded(TaggedData(name, tags, splits, None, sources))  # type: ignore[arg-type]


def repair_bio(tags: Sequence[str]) -> list[str]:
    """Return ``tags`` as a valid BIO sequence, read the way the CoNLL evaluation reads it.

    An ``I-X`` that does not follow ``B-X`` or ``I-X`` starts a chunk, so it
    becomes ``B-X``; every other tag is kept. A tagger that picks each word's
    tag on its own (without a CRF) can output such sequences.

    Examples
    --------
    >>> repair_bio(["O", "I-PPL", "I-PPL", "B-PLC", "I-PPL"])
    ['O', 'B-PPL', 'I-PPL', 'B-PLC', 'B-PPL']
    """
    fixed: list[str] = []
    previous_type = None
    for tag in tags:
        kind = tag_type(tag)
        if tag.startswith("I-") and kind != previous_type:
            tag = "B-" + kind  # type: ignore[operator]
        fixed.append(tag)
        previous_type = kind
    return fixed


def chunks(tags: Sequence[str]) -> list[tuple[str, int, int]]:
    """The chunks of a BIO sequence as ``(type, start, end)``, ``end`` exclusive.

    The sequence is read as :func:`repair_bio` reads it.

    Examples
    --------
    >>> chunks(["B-PPL", "I-PPL", "O", "B-PLC"])
    [('PPL', 0, 2), ('PLC', 3, 4)]
    """
    found: list[tuple[str, int, int]] = []
    start, kind = None, None
    for i, tag in enumerate([*repair_bio(tags), "O"]):
        if tag == "O" or tag.startswith("B-"):
            if kind is not None:
                found.append((kind, start, i))  # type: ignore[arg-type]
            start, kind = (i, tag[2:]) if tag != "O" else (None, None)
    return found
