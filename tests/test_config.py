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
