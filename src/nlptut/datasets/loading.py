"""Loading a known dataset by name, or a reader's own file or folder."""

from __future__ import annotations

import os
from pathlib import Path

from nlptut.datasets.cache import fetch
from nlptut.datasets.catalogue import DATASETS, _unknown_dataset
from nlptut.datasets.goemotions import _goemotions_groups, _read_goemotions
from nlptut.datasets.labelled import LabelledData, Split
from nlptut.datasets.provenance import record_loaded
from nlptut.datasets.readers import _SUFFIX_FORMATS, _check_labels, _fail, _read_records, _Record
from nlptut.datasets.registry import SPLITS, DatasetInfo
from nlptut.errors import (
    DataFormatError,
    DatasetNotAvailable,
    UnknownName,
)
from nlptut.fileio import name_as_text as readable_name

_MIN_EXAMPLES = 10
_SPLIT_ALIASES = {
    "train": ("train",),
    "validation": ("validation", "valid", "val", "dev"),
    "test": ("test",),
}


def _limited(split: Split, limit: int | None) -> Split:
    if limit is None:
        return split
    return Split(split.texts[:limit], split.labels[:limit])


def _load_known(info: DatasetInfo, limit: int | None) -> LabelledData:
    paths = fetch(info.name)
    index = {label: i for i, label in enumerate(info.labels)}
    groups = None
    if info.format == "goemotions":
        emotions, mapping = paths["emotions.txt"], paths["ekman_mapping.json"]
        groups = _goemotions_groups(
            emotions, mapping, f"delete {mapping.parent} and run `nlptut fetch {info.name}`"
        )
    splits: dict[str, Split] = {}
    sources: dict[str, tuple[Path, str]] = {}
    left_out: dict[str, int] = {}
    for remote in info.files:
        path = paths[remote.split]
        if groups is None:
            records, _ = _read_records(path, info.format)
            read = len(records)
        else:
            records, read = _read_goemotions(
                path, groups, f"delete {path} and run `nlptut fetch {info.name}`"
            )
            left_out[remote.split] = read - len(records)
        if read != remote.rows:
            raise _fail(
                path,
                None,
                f"expected {remote.rows} examples but read {read}",
                f"delete {path} and run `nlptut fetch {info.name}`",
            )
        labels = []
        for record in records:
            if record.label not in index:
                raise _fail(
                    path,
                    record.line,
                    f"unknown label {record.label!r} for {info.name} "
                    f"(expected one of {', '.join(info.labels)})",
                    f"delete {path} and run `nlptut fetch {info.name}`",
                )
            labels.append(index[record.label])
        splits[remote.split] = _limited(Split([r.text for r in records], labels), limit)
        sources[remote.split] = (path, remote.sha256)
    for remote in info.extra_files:
        sources[remote.key] = (paths[remote.key], remote.sha256)
    return LabelledData(info.name, info.labels, splits, info.language, sources, left_out)


def _split_indices(labels: list[str], test_size: float, seed: int) -> tuple[list[int], list[int]]:
    """Split ``range(len(labels))`` in two, stratified when every class allows it."""
    from sklearn.model_selection import train_test_split

    indices = list(range(len(labels)))
    try:
        first, second = train_test_split(
            indices, test_size=test_size, random_state=seed, stratify=labels
        )
    except ValueError:  # a class too small to stratify
        first, second = train_test_split(indices, test_size=test_size, random_state=seed)
    return list(first), list(second)


def _too_few(path: Path, count: int, what: str) -> DataFormatError:
    return _fail(
        path,
        None,
        f"only {count} example{'s' if count != 1 else ''}; at least {_MIN_EXAMPLES} are "
        f"needed to split off {what}",
        "add examples, or provide a folder with separate train, validation and test files",
    )


def _load_user_file(
    path: Path, seed: int
) -> tuple[dict[str, list[_Record]], dict[str, tuple[Path, str]]]:
    records, digest = _read_records(path, None)
    if len(records) < _MIN_EXAMPLES:
        raise _too_few(path, len(records), "validation and test sets (80/10/10)")
    _check_labels(path, records)
    labels = [r.label for r in records]
    train, held_out = _split_indices(labels, 0.2, seed)
    rel_val, rel_test = _split_indices([labels[i] for i in held_out], 0.5, seed)
    parts = {
        "train": train,
        "validation": [held_out[i] for i in rel_val],
        "test": [held_out[i] for i in rel_test],
    }
    source = (path, digest)
    return (
        {split: [records[i] for i in idx] for split, idx in parts.items()},
        dict.fromkeys(SPLITS, source),
    )


def _split_of(file: Path) -> str | None:
    stem = file.stem.lower()
    for split, aliases in _SPLIT_ALIASES.items():
        for alias in aliases:
            if stem == alias or (stem.startswith(alias) and stem[len(alias)] in "_-."):
                return split
    return None


def split_files(folder: Path, suffixes: tuple[str, ...]) -> dict[str, Path | None]:
    """The file of each split in a reader's folder (``None`` for a missing validation file).

    A file counts for a split when its suffix is one of ``suffixes`` and its name
    starts with one of the split's names (``train``, ``valid``, ``validation``,
    ``val``, ``dev``, ``test``, followed by the end of the name or ``_-.``).
    Raises :class:`DataFormatError` when several files could be one split, or
    there is no train or no test file.
    """
    found: dict[str, list[Path]] = {split: [] for split in SPLITS}
    for file in sorted(folder.iterdir()):
        if file.is_file() and file.suffix.lower() in suffixes:
            split = _split_of(file)
            if split is not None:
                found[split].append(file)
    for split, files in found.items():
        if len(files) > 1:
            names = ", ".join(f.name for f in files)
            raise DataFormatError(
                f"{folder}: several files could be the {split} split ({names}); fix: keep one"
            )
    expected = ", ".join(f"{{split}}{suffix}" for suffix in suffixes[:-1])
    expected += f" or {{split}}{suffixes[-1]}"
    for split in ("train", "test"):
        if not found[split]:
            raise DataFormatError(
                f"{folder}: no {split} file (expected {expected.format(split=split)}); "
                "fix: add one, or pass a single file to have it split 80/10/10"
            )
    return {split: files[0] if files else None for split, files in found.items()}


def _load_user_folder(
    folder: Path, seed: int
) -> tuple[dict[str, list[_Record]], dict[str, tuple[Path, str]]]:
    found = split_files(folder, tuple(_SUFFIX_FORMATS))
    records, sources = {}, {}
    for split, file in found.items():
        if file is not None:
            records[split], digest = _read_records(file, None)
            sources[split] = (file, digest)
    _check_labels(folder, [r for split_records in records.values() for r in split_records])
    trained_on = {r.label for r in records["train"]}
    if len(trained_on) < 2:  # other labels only in validation or test: nothing to learn
        raise _fail(
            found["train"],
            None,
            f"every training example has the label {trained_on.pop()!r}",
            "a classifier needs training examples of at least two labels",
        )
    if found["validation"] is None:
        train_path = found["train"]
        train = records["train"]
        if len(train) < _MIN_EXAMPLES:
            raise _too_few(train_path, len(train), "a validation set")
        kept, held_out = _split_indices([r.label for r in train], 0.1, seed)
        records["train"] = [train[i] for i in kept]
        records["validation"] = [train[i] for i in held_out]
        sources["validation"] = sources["train"]
    return {split: records[split] for split in SPLITS}, {split: sources[split] for split in SPLITS}


def looks_like_path(value: str | os.PathLike[str]) -> bool:
    if not isinstance(value, str):
        return True
    return (
        os.sep in value
        or "/" in value
        or value.startswith(("~", "."))
        or Path(value).suffix.lower() in _SUFFIX_FORMATS
    )


def load_dataset(
    name_or_path: str | os.PathLike[str], *, limit: int | None = None, seed: int = 0
) -> LabelledData:
    """Load a known dataset by name, or a user's labelled data from a file or folder.

    Parameters
    ----------
    name_or_path : str or os.PathLike
        A known dataset name (``"dair-emotion"``, ``"indonlu-emot"``,
        ``"goemotions"``), fetched into the cache as needed, or a path to a
        ``.csv``/``.tsv``/``.txt`` file or to a folder of per-split files (see the
        module docstring for the formats).
        A string that is a known name is always taken as the name.
    limit : int, optional
        Keep only the first ``limit`` examples of each split (for quick runs).
    seed : int, default 0
        Random state of the 80/10/10 split of a single user file.

    Returns
    -------
    LabelledData
        With splits ``"train"``, ``"validation"`` and ``"test"``. Label indices
        follow the dataset's canonical label order, or the sorted label strings of
        user data.

    Raises
    ------
    UnknownName
        If ``name_or_path`` is neither a known name nor an existing path.
    DatasetNotAvailable
        If the path does not exist, or a known dataset cannot be fetched.
    DataFormatError
        If a file is malformed (the message names file and line).
    ChecksumMismatch
        If a fetched file has the wrong sha256.

    Examples
    --------
    >>> data = load_dataset("dair-emotion", limit=100)  # doctest: +SKIP
    >>> data.labels[data["train"].labels[0]]  # doctest: +SKIP
    'sadness'
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
        raise ValueError(f"limit must be a positive integer or None, not {limit!r}")
    if isinstance(name_or_path, str) and name_or_path in DATASETS:
        info = DATASETS[name_or_path]
        if info.task != "classification":
            raise UnknownName(
                f"{info.name} tags every word rather than labelling whole texts; load it "
                f"with nlptut.conll.load_tagged({info.name!r}), or train on it with "
                f"`nlptut train --dataset {info.name} --model tagger`"
            )
        return record_loaded(_load_known(info, limit))
    if isinstance(name_or_path, str) and not name_or_path.strip():
        raise _unknown_dataset(name_or_path, paths_accepted=True)

    path = Path(name_or_path).expanduser()
    if not path.exists():
        if looks_like_path(name_or_path):
            raise DatasetNotAvailable(
                f"no such file or folder: {path}; fix: check the path, or use one of the "
                f"known datasets ({', '.join(DATASETS)})"
            )
        raise _unknown_dataset(str(name_or_path), paths_accepted=True)
    if path.is_dir():
        records, sources = _load_user_folder(path, seed)
        name = readable_name(path.resolve().name)
    else:
        records, sources = _load_user_file(path, seed)
        name = readable_name(path.stem)
    labels = tuple(sorted({r.label for split in records.values() for r in split}))
    index = {label: i for i, label in enumerate(labels)}
    splits = {
        split: _limited(Split([r.text for r in rs], [index[r.label] for r in rs]), limit)
        for split, rs in records.items()
    }
    return record_loaded(LabelledData(name, labels, splits, None, sources))
