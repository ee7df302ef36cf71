"""Checkpoint folders: written atomically, read only after every byte is verified.

A checkpoint is a folder holding ``config.json`` (the manifest) and the files
it lists, each with its sha256. The manifest is verified too: it carries
``manifest_sha256``, the sha256 of its own content without that field, so an
edited manifest (a label renamed or two labels swapped, a file's entry
removed, a size changed) is refused instead of silently changing what the
model predicts. The hash guards against accidents and careless edits; it is
not a signature, so load only checkpoints you trust, as with any model file.

Reading follows three rules: only the file names nlptut writes
(:data:`KNOWN_FILES`) can be listed, so a manifest cannot point outside the
folder; each must be a regular file (not a symbolic link, a FIFO or a
device); and each is hashed before anything reads it.

Writing goes into a temporary folder next to the target, which is renamed
into place when complete, so an interrupted run never leaves half a
checkpoint. :func:`check_target` is called before training: it refuses a
target that is a symbolic link, the current folder, a file, a place that
cannot be written, a folder that is not a checkpoint, and, with ``force``, a
checkpoint folder that holds files nlptut did not write (they would be lost).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import hashlib
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from nlptut.errors import CheckpointError
from nlptut.fileio import current_umask, sweep_stale
from nlptut.fileio import sha256_file as sha256sum

__all__ = [
    "FORMAT",
    "VERSION",
    "KNOWN_FILES",
    "check_target",
    "manifest_digest",
    "new_folder",
    "finish",
    "read_manifest",
    "require_files",
    "model_name",
]

FORMAT = "nlptut-checkpoint"
VERSION = 2
"""Version 2 added ``manifest_sha256``; version 1 checkpoints must be retrained."""

MANIFEST = "config.json"
KNOWN_FILES = frozenset({"model.safetensors", "vocab.json", "keywords.json", "tokenizer.json"})
"""The only names a manifest may list (all inside the checkpoint folder)."""

_MAX_MANIFEST_BYTES = 64 * 1024 * 1024


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


def manifest_digest(config: Mapping[str, Any]) -> str:
    """Return the sha256 of ``config`` without its ``manifest_sha256`` field (canonical JSON)."""
    body = {key: value for key, value in config.items() if key != "manifest_sha256"}
    return hashlib.sha256(_canonical(body)).hexdigest()


def _is_checkpoint(folder: Path) -> bool:
    manifest = folder / MANIFEST
    if not _regular(manifest):
        return False
    config = _unverified_manifest(folder)
    return config is not None and config.get("format") == FORMAT


def _unverified_manifest(folder: Path) -> dict[str, Any] | None:
    """A folder's manifest as JSON, *not* verified (to decide what to do with the folder);
    ``None`` if there is none that reads as a JSON object."""
    try:
        config = json.loads((Path(folder) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return config if isinstance(config, dict) else None


def _listed_files(folder: Path) -> set[str]:
    """The names a checkpoint's manifest lists: the files nlptut wrote there.

    A file with a name nlptut uses (``tokenizer.json`` in a folder whose model
    has no tokenizer) that the manifest does not list is the user's, not ours.
    """
    files = (_unverified_manifest(folder) or {}).get("files")
    return {name for name in files if name in KNOWN_FILES} if isinstance(files, dict) else set()


def _regular(path: Path) -> bool:
    """True for a regular file that is not a symbolic link."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def check_target(target: Path, *, force: bool) -> None:
    """Raise :class:`CheckpointError` unless a checkpoint may be written to ``target``.

    Called before training, so that a bad ``--out`` costs nothing.
    """
    target = Path(target)
    _restore_interrupted(target)  # an old checkpoint a killed save left aside counts as there
    if target.name in ("", ".", "..") or _is_cwd_or_above(target):
        raise CheckpointError(
            f"--out {str(target)!r} is the current folder or one above it; "
            "name a new folder for the checkpoint, such as runs/model"
        )
    if target.is_symlink():
        raise CheckpointError(
            f"{target} is a symbolic link (to {os.readlink(target)}); "
            "give the folder itself as --out, or a new folder"
        )
    if target.exists() and not target.is_dir():
        raise CheckpointError(f"{target} exists and is not a folder; choose another --out")
    _check_writable_parent(target)
    if target.is_dir() and any(target.iterdir()):
        if not force:
            raise CheckpointError(
                f"{target} already exists and is not empty; choose another --out or pass "
                "--force to replace the checkpoint there"
            )
        if not _is_checkpoint(target):
            raise CheckpointError(
                f"{target} is not an nlptut checkpoint; --force replaces only checkpoints, "
                "so choose an empty or new folder"
            )
        listed = _listed_files(target)
        foreign = sorted(
            entry.name
            for entry in target.iterdir()
            if entry.name not in listed | {MANIFEST} or not _regular(entry)
        )
        if foreign:
            shown = ", ".join(foreign[:5]) + (
                f" and {len(foreign) - 5} more" if foreign[5:] else ""
            )
            raise CheckpointError(
                f"{target} holds files nlptut did not write ({shown}); --force would delete "
                "them: move them out first, or choose another --out"
            )


def _is_cwd_or_above(target: Path) -> bool:
    try:
        resolved = target.resolve()
        cwd = Path.cwd().resolve()
    except OSError:
        return False
    return resolved == cwd or resolved in cwd.parents


def _check_writable_parent(target: Path) -> None:
    ancestor = target.absolute().parent
    while not ancestor.exists():
        if ancestor.is_symlink():  # a dangling link on the way
            raise CheckpointError(f"cannot create {target}: {ancestor} is a broken symbolic link")
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise CheckpointError(f"cannot create {target}: {ancestor} is a file, not a folder")
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise CheckpointError(
            f"cannot write the checkpoint {target}: {ancestor} is not writable "
            "(read-only or no permission); choose another --out"
        )


def new_folder(target: Path) -> Path:
    """Make the temporary folder a checkpoint for ``target`` is written into.

    Leftovers of runs that were killed before they could clean up (older than
    15 minutes, so never a live run's) are removed first.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    _sweep_stale(target)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))


def _sweep_stale(target: Path) -> None:
    # check_target, which write() calls first, has already restored a folder left aside
    for pattern in (f".{target.name}.tmp-*", f".{target.name}.old-*"):
        sweep_stale(target.parent, pattern, dirs=True)


def finish(tmp: Path, target: Path, config: dict[str, Any], files: list[str]) -> Path:
    """Write the manifest into ``tmp`` and move the folder to ``target``.

    Parameters
    ----------
    tmp : Path
        From :func:`new_folder`, holding ``files`` already written.
    target : Path
        Where the checkpoint goes; an existing checkpoint there is replaced.
    config : dict
        The manifest's content; ``format``, ``version``, ``files`` and
        ``manifest_sha256`` are filled in here.
    files : list of str
        The names (from :data:`KNOWN_FILES`) written into ``tmp``.
    """
    unknown = set(files) - KNOWN_FILES
    if unknown:
        raise ValueError(f"not checkpoint file names: {sorted(unknown)}")
    manifest = {
        "format": FORMAT,
        "version": VERSION,
        **config,
        "files": {name: sha256sum(tmp / name) for name in files},
    }
    # what json makes of it (tuples become lists, numpy numbers plain ones) is what is hashed
    manifest = json.loads(json.dumps(manifest, ensure_ascii=False, default=_json_default))
    manifest["manifest_sha256"] = manifest_digest(manifest)
    (tmp / MANIFEST).write_text(json.dumps(manifest, indent=1, ensure_ascii=False), "utf-8")
    _usual_permissions(tmp, [MANIFEST, *files])
    _swap_into_place(tmp, Path(target))
    return Path(target)


def write(
    target: Path, *, force: bool, fill: Callable[[Path], tuple[dict[str, Any], list[str]]]
) -> Path:
    """Write a checkpoint folder atomically: check ``target``, let ``fill`` write its
    files into a temporary folder and return ``(config, files)``, then :func:`finish`.

    On any error (or an interrupt) the temporary folder is removed and ``target``
    is left as it was.
    """
    target = Path(target)
    check_target(target, force=force)
    tmp = new_folder(target)
    try:
        config, files = fill(tmp)
        finish(tmp, target, config, files)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def _usual_permissions(folder: Path, names: list[str]) -> None:
    """Give the folder and its files the permissions of any new folder and file (the
    user's umask), not the private ones of a temporary folder."""
    umask = current_umask()
    folder.chmod(0o777 & ~umask)
    for name in names:
        (folder / name).chmod(0o666 & ~umask)


def _json_default(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):  # numpy and torch scalars
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot save {type(value).__name__} in config.json")


def _restore_interrupted(target: Path) -> None:
    """Put back an old checkpoint that a killed ``--force`` save left aside.

    Without an atomic exchange, a save moves the old folder to
    ``.NAME.old-PID`` and then the new one to ``NAME``; a process killed
    between the two leaves ``NAME`` missing. The next save (or load) of
    ``NAME`` finds it so and renames the newest such folder back, instead of
    sweeping it away as a leftover.
    """
    if target.exists() or target.is_symlink():
        return
    aside = []
    for candidate in target.parent.glob(f".{target.name}.old-*"):
        with contextlib.suppress(OSError):
            if candidate.is_dir() and not candidate.is_symlink() and _is_checkpoint(candidate):
                aside.append((candidate.stat().st_mtime, candidate))
    if aside:
        with contextlib.suppress(OSError):  # another process may have restored it first
            os.rename(max(aside)[1], target)


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one atomic step (Linux ``renameat2``); False where unavailable."""
    if sys.platform != "linux":
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd = -100
    done = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.EPERM, errno.ENOTSUP):
        return False  # the file system or kernel cannot exchange: use two renames
    raise OSError(error, os.strerror(error), str(b))


def _swap_into_place(tmp: Path, target: Path) -> None:
    """Rename the finished folder ``tmp`` to ``target``, replacing an old one safely.

    Where the system can exchange two folders atomically, the old checkpoint
    stays at ``target`` until the instant the new one takes its place. Elsewhere
    it is moved aside first, and :func:`_restore_interrupted` puts it back if the
    process is killed before the new one is in place.
    """
    if target.exists() and not target.is_symlink() and _exchange(tmp, target):
        shutil.rmtree(tmp, ignore_errors=True)  # tmp now holds the old checkpoint
        return
    if target.exists():
        backup = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, backup)
        try:
            os.replace(tmp, target)
        except BaseException:
            os.replace(backup, target)
            raise
        shutil.rmtree(backup, ignore_errors=True)
    else:
        os.replace(tmp, target)


def _require_plain_file(path: Path, missing: str) -> None:
    """Raise ``CheckpointError(missing)`` if ``path`` is absent, or another one if it is not
    a regular file (a symbolic link, a FIFO, a device: nothing outside the folder is read)."""
    if not path.exists() and not path.is_symlink():
        raise CheckpointError(missing)
    if not _regular(path):
        raise CheckpointError(
            f"{path}: not a regular file (a link or a special file); nlptut reads only "
            "plain files inside a checkpoint"
        )


def require_files(manifest: Mapping[str, Any], where: Path, needed: set[str], kind: str) -> None:
    """Refuse a verified manifest whose files are not exactly ``needed``, in one line.

    Each loader (:class:`~nlptut.classifier.TextClassifier`,
    :class:`~nlptut.finetuned.FinetunedClassifier`,
    :class:`~nlptut.tagging.tagger.Tagger`) knows which files a ``kind`` of
    checkpoint holds; a manifest that lists others is damaged.
    """
    listed = set(manifest["files"])
    if listed != needed:
        raise CheckpointError(
            f"{where}: a {kind} checkpoint holds {', '.join(sorted(needed))} but its "
            f"manifest lists {', '.join(sorted(listed)) or 'nothing'}; it is damaged"
        )


def read_manifest(folder: Path) -> dict[str, Any]:
    """Return a checkpoint's verified manifest.

    Checks, in order: the folder and its ``config.json`` (a regular file), the
    format and version, the manifest's own hash, and for each listed file its
    name (one of :data:`KNOWN_FILES`), that it is a regular file, and its
    sha256. Raises :class:`CheckpointError` with a one-line message on the
    first problem.
    """
    folder = Path(folder)
    _restore_interrupted(folder)
    if not folder.is_dir():
        raise CheckpointError(
            f"{folder}: no such checkpoint folder; train one with 'nlptut train --out {folder} ...'"
        )
    path = folder / MANIFEST
    _require_plain_file(path, f"{folder}: config.json is missing; this is not an nlptut checkpoint")
    if path.stat().st_size > _MAX_MANIFEST_BYTES:
        raise CheckpointError(f"{path}: too large for a checkpoint config; the file is damaged")
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckpointError(
            f"{path}: not valid JSON ({exc}); the checkpoint is damaged"
        ) from None
    except RecursionError:
        raise CheckpointError(
            f"{path}: nested too deeply to be a checkpoint config; the checkpoint is damaged"
        ) from None
    if not isinstance(config, dict) or config.get("format") != FORMAT:
        raise CheckpointError(f"{path}: not an nlptut checkpoint config")
    if config.get("version") != VERSION:
        raise CheckpointError(
            f"{path}: checkpoint version {config.get('version')!r} is not supported "
            f"(this nlptut reads version {VERSION}); retrain the model"
        )
    if config.get("manifest_sha256") != manifest_digest(config):
        raise CheckpointError(
            f"{path}: its content does not match its manifest_sha256; config.json was "
            "edited or damaged, so the labels and files it names cannot be trusted: "
            "retrain or restore the checkpoint"
        )
    files = config.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        raise CheckpointError(f"{path}: 'files' must map file names to sha256 digests")
    for name, digest in files.items():
        if name not in KNOWN_FILES:
            raise CheckpointError(
                f"{path}: lists {name!r}, which is not a checkpoint file "
                f"({', '.join(sorted(KNOWN_FILES))})"
            )
        file = folder / name
        _require_plain_file(file, f"{file}: missing from the checkpoint")
        actual = sha256sum(file)
        if actual != digest:
            raise CheckpointError(
                f"{file}: sha256 {actual} differs from {digest} recorded in config.json; "
                "the file was changed or damaged, retrain or restore it"
            )
    return config


def model_name(folder: str | os.PathLike) -> str | None:
    """The model a checkpoint folder's manifest names (``"nbow"``, ``"minilm"``,
    ``"tagger"``, ...), read *without* verifying anything, to choose which loader
    verifies it; ``None`` if there is no readable manifest."""
    name = (_unverified_manifest(folder) or {}).get("model")
    return name if isinstance(name, str) else None
