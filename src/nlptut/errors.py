"""Exception classes.

Every error nlptut raises on bad input is a subclass of :class:`NlptutError`,
so that the command line can print it as one line without a traceback. Each
message says what was wrong and how to fix it.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = [
    "NlptutError",
    "DatasetNotAvailable",
    "ChecksumMismatch",
    "DataFormatError",
    "UnknownName",
    "CheckpointError",
    "SettingError",
    "DataWarning",
]


class NlptutError(Exception):
    """Base class of the errors that nlptut raises on bad input or missing data."""


class DatasetNotAvailable(NlptutError):
    """A dataset is neither cached nor in the mirror, and could not be downloaded."""


class ChecksumMismatch(NlptutError):
    """A file's sha256 differs from the one nlptut expects."""


class DataFormatError(NlptutError, ValueError):
    """A data file is empty, malformed or undecodable (the message names file and line)."""

    @classmethod
    def at(
        cls, where: str | os.PathLike[str], line: int | None, problem: str, fix: str
    ) -> DataFormatError:
        """The one-line error ``FILE, line N: problem; fix: fix``.

        A path is named by its file name; a string is used as given.
        """
        name = where if isinstance(where, str) else Path(where).name
        place = f"{name}, line {line}" if line is not None else name
        return cls(f"{place}: {problem}; fix: {fix}")


class UnknownName(NlptutError, KeyError):
    """An unknown dataset, model or split name was asked for."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class CheckpointError(NlptutError):
    """A checkpoint folder is missing, incomplete, mismatched or tampered with."""


class SettingError(NlptutError, ValueError):
    """A setting is out of its range (the message names the setting, the value and the range)."""


class DataWarning(UserWarning):
    """Data that loads but looks suspicious (labels that differ only in case, say)."""
