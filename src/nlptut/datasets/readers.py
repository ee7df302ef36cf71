"""Reading labelled files: ``.csv``, ``.tsv`` and ``text;label`` ``.txt``, with one-line errors."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
import unicodedata
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nlptut.errors import (
    DataFormatError,
    DataWarning,
    UnknownName,
)

_TEXT_COLUMNS = ("text", "tweet", "sentence")
_LABEL_COLUMNS = ("label", "emotion")
_FORMATS = ("csv", "tsv", "semicolon")
_SUFFIX_FORMATS = {".csv": "csv", ".tsv": "tsv", ".txt": "semicolon"}
_EMPTY_FIX = (
    "add examples: for .csv/.tsv a header line (text,label) then one example per row, "
    "for .txt one `text;label` per line"
)


@dataclass
class _Record:
    line: int
    text: str
    label: str


_fail = DataFormatError.at  # "FILE, line N: problem; fix: ..."


def read_source(path: Path) -> bytes:
    """Return the bytes of ``path``, read once; only a regular file is read."""
    if not stat.S_ISREG(path.stat().st_mode):  # follows links to a regular file
        raise _fail(
            path,
            None,
            "not a regular file (a folder, a FIFO or a device)",
            "give a plain text file saved on disk",
        )
    return path.read_bytes()


def _clean_label(label: str) -> str:
    """A label in Unicode NFC, without invisible format characters or surrounding spaces."""
    label = unicodedata.normalize("NFC", label)
    return "".join(ch for ch in label if unicodedata.category(ch) != "Cf").strip()


def decode(path: Path, data: bytes, empty_fix: str = _EMPTY_FIX) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad = data[exc.start : exc.end]
        raise _fail(
            path,
            line,
            f"byte {bad!r} at column {column} is not valid UTF-8",
            "save the file with UTF-8 encoding",
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise _fail(path, None, "the file is empty", empty_fix)
    return text


def _lines(path: Path, data: bytes) -> Iterator[tuple[int, str]]:
    """The file's non-blank lines with their 1-based numbers, without line ends."""
    for number, line in enumerate(decode(path, data).split("\n"), start=1):
        line = line.removesuffix("\r")
        if line.strip():
            yield number, line


def _read_semicolon(path: Path, data: bytes) -> list[_Record]:
    records = []
    for number, line in _lines(path, data):
        text, sep, label = line.rpartition(";")
        if not sep:
            raise _fail(
                path,
                number,
                "expected `text;label` but the line has no `;`",
                "end each line with `;` and its label",
            )
        if not records and _is_header(text, label):
            continue  # a first line such as `text;label` names the columns: not an example
        text, label = text.strip(), _clean_label(label)
        if not text:
            raise _fail(
                path, number, "the text before `;` is empty", "add the text or drop the line"
            )
        if not label:
            raise _fail(
                path, number, "the label after `;` is empty", "add the label or drop the line"
            )
        records.append(_Record(number, text, label))
    if not records:
        raise _fail(path, None, "the file has no examples", "add `text;label` lines")
    return records


def _is_header(text: str, label: str) -> bool:
    """True for a first line that names the columns (``text;label``, ``tweet;emotion``)."""
    return (
        text.strip().lstrip("\ufeff").lower() in _TEXT_COLUMNS
        and label.strip().lower() in _LABEL_COLUMNS
    )


def _find_column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    for name in names:
        if name in lowered:
            return lowered.index(name)
    return None


def _rows(path: Path, reader: Any, kind: str, fix: str) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line, row)`` for each row of a csv ``reader`` that is not blank,
    ``line`` being the row's first line in the file; a malformed row raises a
    one-line error naming that line."""
    start = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _fail(path, start, f"malformed {kind} ({exc})", fix) from None
        line, start = start, reader.line_num + 1
        if any(cell.strip() for cell in row):
            yield line, row


def _read_table(path: Path, delimiter: str, data: bytes) -> list[_Record]:
    text = decode(path, data)
    if delimiter == ",":
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    else:
        reader = csv.reader(
            io.StringIO(text, newline=""), delimiter=delimiter, quoting=csv.QUOTE_NONE
        )
    kind = "CSV" if delimiter == "," else "TSV"
    header: list[str] | None = None
    text_col = label_col = 0
    records = []
    quoting_fix = (
        "put double quotes around fields that hold commas, quotes or line breaks, "
        'and double any quote inside them ("")'
    )
    for line, row in _rows(path, reader, kind, quoting_fix):
        if header is None:
            header = row
            found_text = _find_column(header, _TEXT_COLUMNS)
            found_label = _find_column(header, _LABEL_COLUMNS)
            columns = ", ".join(repr(h) for h in header)
            if found_text is None:
                raise _fail(
                    path,
                    line,
                    f"expected a text column ({' or '.join(_TEXT_COLUMNS)}) in the header, "
                    f"found {columns}",
                    "name the column that holds the texts `text`",
                )
            if found_label is None:
                raise _fail(
                    path,
                    line,
                    f"expected a label column ({' or '.join(_LABEL_COLUMNS)}) in the header, "
                    f"found {columns}",
                    "name the column that holds the labels `label`",
                )
            text_col, label_col = found_text, found_label
            continue
        if len(row) != len(header):
            raise _fail(
                path,
                line,
                f"expected {len(header)} fields ({', '.join(header)}) but found {len(row)}",
                "quote fields that contain commas"
                if delimiter == ","
                else "remove tabs inside the text",
            )
        item_text, item_label = row[text_col].strip(), _clean_label(row[label_col])
        if (item_text.lower(), item_label.lower()) == (
            header[text_col].strip().lower(),
            header[label_col].strip().lower(),
        ):
            raise _fail(
                path,
                line,
                "this row repeats the header",
                "delete the repeated header line (were two files joined together?)",
            )
        if not item_text:
            raise _fail(
                path,
                line,
                f"the {header[text_col]!r} field is empty",
                "add the text or drop the row",
            )
        if not item_label:
            raise _fail(
                path,
                line,
                f"the {header[label_col]!r} field is empty",
                "add the label or drop the row",
            )
        records.append(_Record(line, item_text, item_label))
    if header is None:
        raise _fail(path, None, "the file is empty", _EMPTY_FIX)
    if not records:
        raise _fail(path, None, "the file has a header but no rows", "add one example per row")
    return records


def _read_plain_tsv(path: Path, data: bytes) -> list[_Record]:
    """``text<TAB>label`` lines without a header (IndoNLU SmSA): the label follows the
    last tab; blank lines are skipped."""
    records = []
    for number, line in _lines(path, data):
        text, sep, label = line.rpartition("\t")
        text, label = text.strip(), _clean_label(label)
        if not sep or not text or not label:
            raise _fail(
                path,
                number,
                "expected `text<TAB>label` with both parts non-empty",
                "write the text, one tab, then the label",
            )
        records.append(_Record(number, text, label))
    if not records:
        raise _fail(path, None, "the file has no examples", "add `text<TAB>label` lines")
    return records


def _resolve_format(path: Path, fmt: str | None) -> str:
    if fmt is not None:
        if fmt not in _FORMATS and fmt != "tsv-plain":  # the latter only for known datasets
            raise UnknownName(f"unknown format {fmt!r}; use one of {', '.join(_FORMATS)}")
        return fmt
    try:
        return _SUFFIX_FORMATS[path.suffix.lower()]
    except KeyError:
        raise _fail(
            path,
            None,
            f"cannot tell the format from the suffix {path.suffix!r}",
            "name the file .csv, .tsv or .txt (`text;label` lines), or pass fmt=",
        ) from None


def _read_records(path: Path, fmt: str | None) -> tuple[list[_Record], str]:
    """Return the file's records and the sha256 of its bytes (the file is read once)."""
    fmt = _resolve_format(path, fmt)
    data = read_source(path)
    digest = hashlib.sha256(data).hexdigest()
    if fmt == "semicolon":
        records = _read_semicolon(path, data)
    elif fmt == "tsv-plain":
        records = _read_plain_tsv(path, data)
    else:
        records = _read_table(path, "," if fmt == "csv" else "\t", data)
    _check_printable_labels(path, records)
    return records, digest


def _check_printable_labels(path: Path, records: list[_Record]) -> None:
    """Refuse a label with a control character: a line break, or a terminal escape that
    would recolour (or rewrite) the output of every command that prints it."""
    for record in records:
        if any(unicodedata.category(ch) == "Cc" for ch in record.label):
            raise _fail(
                path,
                record.line,
                f"the label {record.label!r} contains a control character "
                "(a line break, a tab or a terminal escape code)",
                "write the label as plain text",
            )


def _check_labels(where: Path, records: list[_Record]) -> None:
    """Refuse label sets no classifier can use; warn about labels that differ only in case."""
    labels = [r.label for r in records]
    distinct = sorted(set(labels))
    if len(distinct) < 2:
        raise _fail(
            where,
            None,
            f"every example has the label {distinct[0]!r}",
            "a classifier needs examples of at least two labels",
        )
    if len(labels) >= 20 and len(distinct) > len(labels) / 2:
        raise _fail(
            where,
            None,
            f"the label column has {len(distinct)} different values in {len(labels)} rows, "
            "so it looks like text",
            "check that the text and label columns are not swapped",
        )
    by_case: dict[str, list[str]] = {}
    for label in distinct:
        by_case.setdefault(label.casefold(), []).append(label)
    near = [group for group in by_case.values() if len(group) > 1]
    if near:
        shown = "; ".join(", ".join(repr(label) for label in group) for group in near)
        warnings.warn(
            DataWarning(
                f"{where.name}: labels that differ only in upper and lower case are different "
                f"classes: {shown}; fix the file if each group is one label"
            ),
            stacklevel=3,
        )


def read_labelled_file(
    path: str | os.PathLike[str], *, fmt: str | None = None
) -> tuple[list[str], list[str]]:
    """Read a file of labelled texts.

    Parameters
    ----------
    path : str or os.PathLike
        The file.
    fmt : {"csv", "tsv", "semicolon"}, optional
        The format; by default it follows from the suffix (``.csv``, ``.tsv``,
        ``.txt`` for ``text;label`` lines). See the module docstring for the rules.

    Returns
    -------
    texts : list of str
        The texts, in file order, with surrounding whitespace stripped.
    labels : list of str
        The label of each text, as written in the file.

    Raises
    ------
    DataFormatError
        If the file is empty, malformed or not UTF-8; the message names the file,
        the line, and how to fix it.
    """
    records, _ = _read_records(Path(path), fmt)
    return [r.text for r in records], [r.label for r in records]
