"""Settings read from the environment.

======================  ==========================================================
``NLPTUT_DATA``         the dataset cache folder (default: the user's cache folder,
                        ``$XDG_CACHE_HOME/nlptut`` or ``~/.cache/nlptut``)
``NLPTUT_DATA_MIRROR``  a read-only folder laid out as ``<dataset>/<file>``, used
                        instead of the network
``NLPTUT_QUICK``        ``1`` makes tutorials and examples shrink their work (a slice
                        of the data, one epoch) for smoke tests
======================  ==========================================================
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

__all__ = ["data_home", "data_mirror", "env_flag", "quick_mode", "show_progress"]

_TRUE = {"1", "true", "yes", "on"}


def data_home() -> Path:
    """Return the dataset cache folder (``NLPTUT_DATA`` or the user's cache folder)."""
    explicit = os.environ.get("NLPTUT_DATA")
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else _home() / ".cache"
    return base / "nlptut"


def _home() -> Path:
    """The user's home folder; with ``HOME`` empty or unset, the one the system records."""
    if os.environ.get("HOME"):
        return Path.home()
    try:
        import pwd

        return Path(pwd.getpwuid(os.getuid()).pw_dir)
    except (ImportError, KeyError, OSError):  # not POSIX, or no such user
        pass
    try:
        return Path.home()
    except RuntimeError:  # no HOME and no home folder on record
        from nlptut.errors import SettingError

        raise SettingError(
            "cannot tell where the dataset cache goes: HOME is not set and the system "
            "records no home folder; set NLPTUT_DATA to a folder nlptut may write"
        ) from None


def data_mirror() -> Path | None:
    """Return the offline mirror folder from ``NLPTUT_DATA_MIRROR``, or ``None``."""
    mirror = os.environ.get("NLPTUT_DATA_MIRROR")
    return Path(mirror).expanduser() if mirror else None


def env_flag(variable: str) -> bool:
    """Return ``True`` when the environment variable ``variable`` is set to 1, true,
    yes or on (any case, spaces around ignored); ``False`` when it is unset or anything else."""
    return os.environ.get(variable, "").strip().lower() in _TRUE


def quick_mode() -> bool:
    """Return ``True`` when ``NLPTUT_QUICK`` asks for a quick smoke-test run."""
    return env_flag("NLPTUT_QUICK")


def show_progress(progress: bool | None) -> bool:
    """Return whether to draw progress bars: ``progress``, or, when it is ``None``,
    whether standard error is a terminal (so logs and CI stay quiet)."""
    if progress is not None:
        return progress
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # no stderr, or a closed one
        return False
