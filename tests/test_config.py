"""Settings read from the environment."""

from __future__ import annotations

import io
import sys

from nlptut import config


def test_show_progress_follows_the_terminal(monkeypatch):
    assert config.show_progress(True) is True
    assert config.show_progress(False) is False
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    assert config.show_progress(None) is False
    monkeypatch.setattr(sys, "stderr", None)  # no stderr at all
    assert config.show_progress(None) is False


def test_quick_mode(monkeypatch):
    monkeypatch.setenv("NLPTUT_QUICK", "1")
    assert config.quick_mode()
    monkeypatch.setenv("NLPTUT_QUICK", "0")
    assert not config.quick_mode()


def test_no_home_folder_at_all_is_one_line_naming_the_fix(monkeypatch):
    import pytest

    from nlptut.errors import SettingError

    monkeypatch.delenv("NLPTUT_DATA", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.delenv("HOME", raising=False)
    monkeypatch.setattr(config.os, "getuid", lambda: 2**31 - 7)  # a user the system lacks

    def no_home():
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(config.Path, "home", staticmethod(no_home))
    with pytest.raises(SettingError, match="set NLPTUT_DATA"):
        config.data_home()
