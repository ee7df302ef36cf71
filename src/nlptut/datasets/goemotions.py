"""GoEmotions: its 27 emotions and neutral grouped into Ekman's six emotions plus neutral."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from nlptut.datasets.readers import _fail, _Record, _rows, decode, read_source

#
# GoEmotions gives each comment one or more of 27 emotions or "neutral", as
# comma-separated label ids (0-based lines of emotions.txt). nlptut makes a
# single-label task of it, with Ekman's six emotions plus neutral:
#
# 1. each of a comment's labels is mapped to its Ekman group with the dataset's
#    ekman_mapping.json; "neutral", which the mapping lacks, is its own group;
# 2. if all the labels fall in ONE group, that group is the comment's label
#    (joy + amusement -> joy; neutral alone -> neutral);
# 3. if they fall in several groups (anger + sadness; also joy + neutral), the
#    comment is left out, because a single-label classifier cannot be scored on
#    it. LabelledData.left_out counts them per split (about 9% of each).
#
# RemoteFile.rows is the number of rows in the file, so it is compared with the
# rows read, before step 3.

_NEUTRAL = "neutral"


def _goemotions_groups(emotions: Path, mapping: Path, fix: str) -> tuple[str, ...]:
    """Return the group of each label id: ``groups[i]`` is the Ekman group (or
    ``"neutral"``) of the emotion on line ``i + 1`` of ``emotions``."""
    names = [line.strip() for line in decode(emotions, read_source(emotions)).split("\n")]
    while names and not names[-1]:  # the file may or may not end with a newline
        names.pop()
    for number, name in enumerate(names, start=1):
        if not name:
            raise _fail(emotions, number, "the line is empty", fix)
        if names.index(name) != number - 1:
            raise _fail(emotions, number, f"{name!r} is listed twice", fix)
    try:
        grouping = json.loads(decode(mapping, read_source(mapping)))
    except ValueError as exc:
        raise _fail(mapping, None, f"not valid JSON ({exc})", fix) from None
    if not isinstance(grouping, dict) or not all(
        isinstance(members, list) and all(isinstance(m, str) for m in members)
        for members in grouping.values()
    ):
        raise _fail(mapping, None, "expected an object of group name to list of emotions", fix)
    group_of = {_NEUTRAL: _NEUTRAL}
    for group, members in grouping.items():
        for member in members:
            if member in group_of:
                raise _fail(mapping, None, f"{member!r} is in two groups", fix)
            if member not in names:
                raise _fail(mapping, None, f"{member!r} is not in {emotions.name}", fix)
            group_of[member] = group
    missing = [name for name in names if name not in group_of]
    if missing:
        raise _fail(mapping, None, f"no group for {', '.join(missing)}", fix)
    return tuple(group_of[name] for name in names)


def _read_goemotions(path: Path, groups: tuple[str, ...], fix: str) -> tuple[list[_Record], int]:
    """Read a GoEmotions split: ``text<TAB>label ids<TAB>comment id`` rows, no header.

    Texts that are CSV-quoted (doubled ``""`` inside) are unquoted; surrounding
    whitespace is stripped. Returns the records whose labels fall in one group,
    labelled with that group, and the number of rows read (kept or not).
    """
    reader = csv.reader(
        io.StringIO(decode(path, read_source(path)), newline=""), delimiter="\t", strict=True
    )
    records = []
    read = 0
    for line, row in _rows(path, reader, "TSV", fix):
        if len(row) != 3:
            raise _fail(
                path,
                line,
                f"expected 3 tab-separated fields (text, label ids, comment id) but found "
                f"{len(row)}",
                fix,
            )
        text = row[0].strip()
        if not text:
            raise _fail(path, line, "the text is empty", fix)
        found = set()
        for label_id in row[1].split(","):
            label_id = label_id.strip()
            if not (label_id.isascii() and label_id.isdigit() and int(label_id) < len(groups)):
                raise _fail(
                    path,
                    line,
                    f"label id {label_id!r} is not a number from 0 to {len(groups) - 1} "
                    "(a line of emotions.txt, counted from 0)",
                    fix,
                )
            found.add(groups[int(label_id)])
        read += 1
        if len(found) == 1:
            records.append(_Record(line, text, found.pop()))
    if not read:
        raise _fail(path, None, "the file has no examples", fix)
    return records, read
