"""Provenance: which data files this process loaded, and their sha256."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from nlptut.datasets.labelled import LabelledData

#: Environment variable naming a file to which every loaded file is appended as one
#: JSON line, so that a process can learn what its subprocesses (for example the
#: ``nlptut`` command line run by a tutorial) loaded. Unset: nothing is written.
PROVENANCE_LOG_ENV = "NLPTUT_PROVENANCE_LOG"


@dataclass(frozen=True)
class LoadedFile:
    """A data file that :func:`load_dataset` read, recorded for provenance.

    Attributes
    ----------
    dataset : str
        The dataset's name (or the stem of the user's file or folder).
    split : str
        The split read from the file.
    path : Path
        Where the file was read from.
    sha256 : str
        The file's sha256 (verified against the registry for known datasets).
    """

    dataset: str
    split: str
    path: Path
    sha256: str


_LOADED: list[LoadedFile] = []


def loaded_files() -> list[LoadedFile]:
    """Return every data file that :func:`load_dataset` has read in this process.

    Oldest first, one entry per split per call (a file loaded twice is listed
    twice). The documentation uses it to show on each executed page the sha256
    of the data the page was computed from.

    Returns
    -------
    list of LoadedFile
    """
    return list(_LOADED)


def record_loaded(data: LabelledData) -> LabelledData:
    """Note the files behind ``data`` in :func:`loaded_files` (and the log, if set)."""
    log = os.environ.get(PROVENANCE_LOG_ENV)
    for split, (path, sha256) in data.sources.items():
        item = LoadedFile(data.name, split, Path(path), sha256)
        _LOADED.append(item)
        if log:
            line = {"dataset": item.dataset, "split": split, "path": str(path), "sha256": sha256}
            try:
                with open(log, "a", encoding="utf-8") as f:
                    f.write(json.dumps(line) + "\n")
            except OSError:  # best effort: provenance must never break loading
                pass
    return data
