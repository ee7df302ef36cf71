"""The verified download cache: one checked copy of every file of a known dataset."""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from nlptut import __version__, config
from nlptut.datasets.catalogue import dataset_info
from nlptut.datasets.registry import DatasetInfo, RemoteFile
from nlptut.errors import (
    ChecksumMismatch,
    DatasetNotAvailable,
)
from nlptut.fileio import sha256_file as sha256sum
from nlptut.fileio import sweep_stale, write_text_atomic

_CHUNK = 1 << 16
_TIMEOUT_S = 30.0
_TRIES = 3  # pooch waits 1 s, then 2 s, between tries


def cache_dir(name: str) -> Path:
    """Return the cache folder of a known dataset, ``config.data_home() / name``.

    The folder is not created.

    Raises
    ------
    UnknownName
        If ``name`` is not a known dataset.
    """
    home = config.data_home()
    if home.exists() and not home.is_dir():
        raise DatasetNotAvailable(
            f"the dataset cache {home} is a file, not a folder; point NLPTUT_DATA at a folder"
        )
    return home / dataset_info(name).name


def _sidecar(path: Path) -> Path:
    return path.with_name(path.name + ".sha256")


def _stamp(st: os.stat_result) -> list[str]:
    """What the sidecar remembers of a file besides its hash. The change time (ctime)
    cannot be set back by a program, so a file edited in place with its size and
    modification time restored is still noticed and hashed again."""
    return [str(st.st_size), str(st.st_mtime_ns), str(st.st_ctime_ns), str(st.st_ino)]


def _record_verified(path: Path, sha256: str) -> None:
    """Write the sidecar of a verified file (best effort: the cache may be read-only)."""
    try:
        st = path.stat()
        write_text_atomic(_sidecar(path), " ".join([sha256, *_stamp(st)]) + "\n", encoding="ascii")
    except OSError:
        pass


def _is_verified(path: Path, sha256: str, *, rehash: bool = False) -> bool:
    """Return whether ``path`` exists and has the expected sha256.

    Cheaply, via the sidecar, when the file is unchanged since it was last
    hashed; ``rehash`` hashes it again whatever the sidecar says.
    """
    try:
        st = path.stat()
    except OSError:
        return False
    if not path.is_file():
        return False
    try:
        recorded = _sidecar(path).read_text(encoding="ascii").split()
    except (OSError, UnicodeDecodeError):
        recorded = []
    if not rehash and recorded == [sha256, *_stamp(st)]:
        return True
    try:
        if sha256sum(path) != sha256:
            return False
    except OSError:
        return False
    _record_verified(path, sha256)
    return True


def cached_files(name: str) -> dict[str, Path | None]:
    """Return where each file of a known dataset is in the cache, if it is there and intact.

    Parameters
    ----------
    name : str
        A known dataset name.

    Returns
    -------
    dict of str to Path or None
        Split name to the cached file, or to ``None`` where the file is missing or
        its sha256 is wrong; an auxiliary file (:attr:`DatasetInfo.extra_files`)
        is keyed by its file name.

    Raises
    ------
    UnknownName
        If ``name`` is not a known dataset.
    """
    info = dataset_info(name)
    folder = cache_dir(name)
    found: dict[str, Path | None] = {}
    for remote in info.all_files:
        path = folder / remote.filename
        found[remote.key] = path if _is_verified(path, remote.sha256) else None
    return found


def _sweep_partial(folder: Path) -> None:
    """Remove the temporary files of downloads killed mid-way (older than 15 minutes,
    so never the file of a download still running in another process): pooch's
    ``tmp*`` files, and the ``.*.part`` files of nlptut before 0.9."""
    sweep_stale(folder, "tmp*")
    sweep_stale(folder, ".*.part")


class _Final(Exception):
    """A download error that another try cannot fix (pooch retries only ValueError and
    the errors of ``requests``), carrying the original error."""

    def __init__(self, error: BaseException) -> None:
        super().__init__(str(error))
        self.error = error


def _retryable(exc: BaseException) -> bool:
    """A server error, a timeout or a dropped connection is worth another try; a client
    error (404 Not Found, 403 Forbidden) is not."""
    response = getattr(exc, "response", None)
    status = getattr(response, "status_code", None)
    return status is None or status >= 500 or status in (408, 429)


class _Downloader:
    """What pooch calls to write one file, keeping the sha256 of the last bytes written
    and the number of tries, for nlptut's one-line errors.

    ``source`` is a file of the mirror to copy, or ``None`` to download the URL with
    pooch's :class:`~pooch.HTTPDownloader` (nlptut's User-Agent, a 30 s timeout).
    """

    def __init__(self, source: Path | None, *, progress: bool) -> None:
        self.source, self.progress = source, progress
        self.tries, self.sha256 = 0, ""

    def __call__(self, url: str, output_file: str, pooch_: Any) -> None:
        self.tries += 1
        if self.source is not None:
            shutil.copyfile(self.source, output_file)
        else:
            import pooch
            import requests

            http = pooch.HTTPDownloader(
                progressbar=self.progress,
                chunk_size=_CHUNK,
                timeout=_TIMEOUT_S,
                headers={"User-Agent": f"nlptut/{__version__}"},
            )
            try:
                http(url, output_file, pooch_)
            except requests.RequestException as exc:
                if not _retryable(exc):
                    raise _Final(exc) from exc
                raise
        self.sha256 = sha256sum(Path(output_file))


@contextlib.contextmanager
def _quiet_pooch() -> Iterator[None]:
    """Keep pooch's "Downloading file ..." notes off the reader's screen (nlptut
    reports where a file came from itself); its warnings still show."""
    import pooch

    logger = pooch.get_logger()
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


def _retrieve(
    info: DatasetInfo,
    remote: RemoteFile,
    folder: Path,
    mirror: Path | None,
    *,
    progress: bool | None,
) -> None:
    """Put a verified copy of ``remote`` into ``folder`` with pooch, from ``mirror`` if set.

    pooch writes into a temporary file beside the destination, checks the sha256
    and only then moves it into place, so a failed check, an error or an
    interrupt leaves no partial file behind.
    """
    import pooch
    import requests

    source = None
    if mirror is not None:
        source = mirror / info.name / remote.filename
        if not source.is_file():
            where = "" if mirror.is_dir() else f" (the folder {mirror} does not exist)"
            raise DatasetNotAvailable(
                f"{info.name} is not cached and the mirror lacks {source}{where}. Fix: put "
                f"{remote.filename} (from {remote.url}) there, or point NLPTUT_DATA_MIRROR at "
                f"a folder holding {info.name}/{remote.filename}, or unset it to download."
            )
    dest = folder / remote.filename
    download = _Downloader(source, progress=source is None and config.show_progress(progress))
    files = pooch.create(
        path=folder,
        base_url="",
        registry={remote.filename: f"sha256:{remote.sha256}"},
        urls={remote.filename: remote.url},
        retry_if_failed=0 if source is not None else _TRIES - 1,
    )
    _sidecar(dest).unlink(missing_ok=True)
    try:
        with _quiet_pooch():
            files.fetch(remote.filename, downloader=download)
    except ValueError as exc:  # pooch: the sha256 does not match
        origin = f"the mirror ({source})" if source is not None else remote.url
        fix = (
            f"Fix: replace the mirror's copy with a fresh download from {remote.url}."
            if source is not None
            else "Fix: try again later; if it persists, the file changed upstream: report "
            "it, and meanwhile set NLPTUT_DATA_MIRROR to a folder holding a good copy as "
            f"{info.name}/{remote.filename}."
        )
        raise ChecksumMismatch(
            f"{remote.filename} from {origin} has sha256 {download.sha256 or 'unknown'}, "
            f"expected {remote.sha256}; the copy is corrupt or not the published file. {fix}"
        ) from exc
    except (requests.RequestException, _Final) as exc:
        error = exc.error if isinstance(exc, _Final) else exc
        response = getattr(error, "response", None)
        reason = getattr(response, "reason", None) or error
        tries = download.tries
        raise DatasetNotAvailable(
            f"{info.name} is not cached and downloading {remote.filename} from "
            f"{remote.url} failed after {tries} tr{'y' if tries == 1 else 'ies'} "
            f"({type(error).__name__}: {reason}). Fix: if this machine is offline, set "
            f"NLPTUT_DATA_MIRROR to a folder holding {info.name}/{remote.filename} "
            f"(and the dataset's other files); otherwise check the connection and "
            f"try again."
        ) from exc
    _record_verified(dest, remote.sha256)


def fetch_with_origins(
    name: str, *, progress: bool | None = None, verify: bool = False
) -> dict[str, tuple[Path, str]]:
    """Like :func:`fetch`, also saying where each file came from this time:
    ``"cache"`` (verified in place), ``"mirror"`` (copied) or ``"network"`` (downloaded)."""
    info = dataset_info(name)
    folder = cache_dir(name)
    mirror = config.data_mirror()
    result: dict[str, tuple[Path, str]] = {}
    for remote in info.all_files:
        dest = folder / remote.filename
        if _is_verified(dest, remote.sha256, rehash=verify):
            result[remote.key] = (dest, "cache")
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            _sweep_partial(folder)
            _retrieve(info, remote, folder, mirror, progress=progress)
            result[remote.key] = (dest, "mirror" if mirror is not None else "network")
        except OSError as exc:
            if not isinstance(exc, PermissionError) and exc.errno not in (
                errno.EACCES,
                errno.EPERM,
                errno.EROFS,
            ):
                raise
            raise DatasetNotAvailable(
                f"{exc.filename or folder}: cannot write the dataset cache (no permission, or "
                "a read-only disk); set NLPTUT_DATA to a folder you can write"
            ) from None
    return result


def fetch(name: str, *, progress: bool | None = None, verify: bool = False) -> dict[str, Path]:
    """Make sure every file of a known dataset is in the cache, verified.

    A file already in the cache with the right sha256 is used as it is (its
    sha256 is computed again when the file changed since it was last hashed,
    by its size, modification and change times, or always with ``verify``). Otherwise it
    is copied from the mirror (``NLPTUT_DATA_MIRROR``) when one is set, or downloaded
    from its URL (timeout 30 s, 3 tries). The new copy's sha256 is checked before it
    is moved into the cache; nothing partial is ever left there.

    Parameters
    ----------
    name : str
        A known dataset name.
    progress : bool, optional
        Show a download progress bar. By default, only when standard error is a
        terminal.
    verify : bool, default False
        Hash every cached file again instead of trusting its unchanged sidecar.

    Returns
    -------
    dict of str to Path
        Split name to the verified cached file; an auxiliary file
        (:attr:`DatasetInfo.extra_files`) is keyed by its file name.

    Raises
    ------
    UnknownName
        If ``name`` is not a known dataset.
    DatasetNotAvailable
        If the mirror lacks a file, or the download failed.
    ChecksumMismatch
        If the mirror's or the server's copy has the wrong sha256.
    """
    fetched = fetch_with_origins(name, progress=progress, verify=verify)
    return {split: path for split, (path, _) in fetched.items()}
