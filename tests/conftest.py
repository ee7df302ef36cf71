"""Shared fixtures.

Every test runs with ``NLPTUT_DATA`` pointing at a fresh temporary folder, so no
test reads or writes the user's dataset cache. The ``mirror`` fixture points
``NLPTUT_DATA_MIRROR`` at the offline copy of the datasets (and skips the test
without one); a test that must see no mirror removes the variable itself.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

TESTS_DIR = Path(__file__).resolve().parent
DEFAULT_MIRROR = TESTS_DIR.parent.parent / "shared" / "datasets"


def _mirror_path() -> Path:
    explicit = os.environ.get("NLPTUT_DATA_MIRROR")
    return Path(explicit).expanduser() if explicit else DEFAULT_MIRROR


@pytest.fixture(autouse=True)
def _isolated_data_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """Point ``NLPTUT_DATA`` at a fresh temporary folder for every test."""
    monkeypatch.setenv("NLPTUT_DATA", str(tmp_path_factory.mktemp("nlptut_data")))


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return an empty dataset cache folder, set as ``NLPTUT_DATA``."""
    home = tmp_path / "data_home"
    monkeypatch.setenv("NLPTUT_DATA", str(home))
    return home


@pytest.fixture
def mirror(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return the offline dataset mirror, set as ``NLPTUT_DATA_MIRROR`` (skip if absent).

    The mirror is ``NLPTUT_DATA_MIRROR`` if set, else ``<repo>/../shared/datasets``.
    It is read-only: copy it before changing anything.
    """
    path = _mirror_path()
    if not (path / "dair-emotion").is_dir() or not (path / "indonlu-emot").is_dir():
        pytest.skip(f"no dataset mirror at {path} (set NLPTUT_DATA_MIRROR)")
    monkeypatch.setenv("NLPTUT_DATA_MIRROR", str(path))
    return path


@pytest.fixture
def no_mirror(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unset ``NLPTUT_DATA_MIRROR`` so that fetching goes to the (patched) network."""
    monkeypatch.delenv("NLPTUT_DATA_MIRROR", raising=False)
