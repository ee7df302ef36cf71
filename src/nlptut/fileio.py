"""Files written whole or not at all, their sha256, and the leftovers of killed runs.

One owner for what several modules need when they write a file that is read
later (a vocabulary, a dataset's verification note, a build-cache entry, an
exported model, a downloaded file):

- :func:`replacing` hands out a hidden temporary file in the same folder and,
  when the block succeeds, moves it onto the target with :func:`os.replace`
  (one step on every operating system): a reader sees the old file or the new
  one, never half of one. When the block fails, the temporary file is removed
  and the target is left as it was.
- :func:`sha256_file` hashes a file in chunks (any size, little memory).
- :func:`name_as_text` makes a file name whose bytes are not UTF-8 safe to
  print or to store in JSON.
- :func:`sweep_stale` removes what a killed run left behind (its temporary
  files or folders), once they are old enough that no live run still writes
  them.

Example::

    >>> from pathlib import Path
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "notes.txt"
    >>> write_text_atomic(target, "hello\\n")
    >>> target.read_text()
    'hello\\n'
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = [
    "STALE_SECONDS",
    "current_umask",
    "name_as_text",
    "replacing",
    "sha256_file",
    "sweep_stale",
    "write_text_atomic",
]

CHUNK = 1 << 16
"""Bytes read at a time when hashing."""

STALE_SECONDS = 15 * 60
"""A leftover older than this (15 minutes) belongs to a run that was killed."""


def sha256_file(path: str | os.PathLike[str]) -> str:
    """Return the sha256 of a file's bytes, as lower-case hex.

    Parameters
    ----------
    path : str or os.PathLike
        The file.

    Returns
    -------
    str
        64 hex digits.
    """
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def current_umask() -> int:
    """The process's umask (the permission bits new files must not get)."""
    umask = os.umask(0)
    os.umask(umask)
    return umask


def name_as_text(name: str, errors: str = "replace") -> str:
    """A file name (or a message that holds one) as text that can be written anywhere.

    The bytes of a file name that are not UTF-8, which Python keeps as lone
    surrogates, become U+FFFD "�" (``errors="replace"``, for names stored in
    checkpoints and JSON, which must be valid UTF-8) or escapes such as
    ``\\xff`` (``errors="backslashreplace"``, for messages, which should show
    the bytes). The file itself is still opened by its real path.
    """
    try:
        raw = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that did not come from a file name
        raw = name.encode("utf-8", errors)
    return raw.decode("utf-8", errors)


@contextmanager
def replacing(path: str | os.PathLike[str], *, suffix: str = ".tmp") -> Iterator[Path]:
    """Write ``path`` whole or not at all: yield a temporary file to write instead.

    The temporary file is ``.<name>.<random><suffix>`` in the same folder (so
    the final move never crosses file systems; give the suffix a library
    insists on, such as ``.npz``). When the ``with`` block ends normally it
    gets the permissions of any new file (the user's umask) and replaces
    ``path`` in one step; when the block raises, it is removed and ``path``
    is untouched.

    Parameters
    ----------
    path : str or os.PathLike
        The file to write; its folder must exist.
    suffix : str, default ".tmp"
        The end of the temporary file's name.
    """
    path = Path(path)
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, 0o666 & ~current_umask())  # mkstemp made it private (0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomic(
    path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8", sync: bool = False
) -> None:
    """Write ``text`` to ``path`` through :func:`replacing`.

    ``sync`` also asks the operating system to put the bytes on the disk
    before the file replaces the old one (slower; for files a crash must not
    lose).
    """
    with replacing(path) as tmp, open(tmp, "w", encoding=encoding) as f:
        f.write(text)
        if sync:
            f.flush()
            os.fsync(f.fileno())


def sweep_stale(folder: Path, pattern: str, *, dirs: bool = False) -> None:
    """Remove what matches ``pattern`` in ``folder`` and is older than :data:`STALE_SECONDS`.

    Only files are removed, or only folders with ``dirs`` (never a symbolic
    link); what cannot be read or removed is left alone.
    """
    now = time.time()
    for leftover in folder.glob(pattern):
        try:
            if now - leftover.stat().st_mtime <= STALE_SECONDS or leftover.is_symlink():
                continue
            if dirs and leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            elif not dirs and leftover.is_file():
                leftover.unlink()
        except OSError:
            continue
