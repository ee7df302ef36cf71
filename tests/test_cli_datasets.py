"""Tests of the ``nlptut datasets`` and ``nlptut fetch`` commands."""

from __future__ import annotations

import json
import pathlib

import pooch
import pytest
import requests

from nlptut import __version__, datasets
from nlptut.cli import COMMANDS, main


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"nlptut {__version__}"


def test_commands_are_registered_once():
    names = [command.name for command in COMMANDS]
    assert names[:2] == ["datasets", "fetch"] and len(names) == len(set(names))


def test_datasets_table_before_and_after_fetch(mirror, data_home, capsys):
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert "dair-emotion" in out and "indonlu-emot" in out
    assert "16000" in out and "3521" in out
    assert "sadness joy love anger fear surprise" in out
    assert "CC BY-NC-SA 4.0" in out and "educational and research purposes" in out
    assert "no: run `nlptut fetch dair-emotion`" in out

    assert main(["fetch", "dair-emotion"]) == 0
    capsys.readouterr()
    assert main(["datasets"]) == 0
    out = capsys.readouterr().out
    assert f"yes: {data_home / 'dair-emotion'}" in out
    assert "no: run `nlptut fetch indonlu-emot`" in out


def test_fetch_verify(mirror, data_home, capsys):
    assert main(["fetch", "indonlu-emot"]) == 0
    assert main(["fetch", "indonlu-emot", "--verify"]) == 0
    assert "3 files verified" in capsys.readouterr().out


def test_datasets_json(mirror, capsys):
    assert main(["datasets", "--json"]) == 0
    entries = {entry["name"]: entry for entry in json.loads(capsys.readouterr().out)}
    emot = entries["indonlu-emot"]
    assert emot["splits"] == {"train": 3521, "validation": 440, "test": 440}
    assert emot["labels"] == ["sadness", "anger", "love", "fear", "happy"]
    assert emot["cached"] is False and emot["cached_files"]["train"] is None
    assert emot["files"][0]["sha256"] == datasets.dataset_info("indonlu-emot").files[0].sha256


def test_fetch_prints_where_each_file_is(mirror, data_home, capsys):
    assert main(["fetch", "indonlu-emot", "dair-emotion"]) == 0
    out = capsys.readouterr().out
    for name in ("indonlu-emot", "dair-emotion"):
        for remote in datasets.dataset_info(name).files:
            path = data_home / name / remote.filename
            assert str(path) in out and path.is_file()
    assert "(from the mirror)" in out

    assert main(["fetch", "dair-emotion"]) == 0
    assert "(cached)" in capsys.readouterr().out


def test_fetch_verify_says_which_files_it_copied_again(mirror, data_home, capsys):
    assert main(["fetch", "indonlu-emot"]) == 0
    capsys.readouterr()
    damaged = data_home / "indonlu-emot" / datasets.dataset_info("indonlu-emot").files[0].filename
    damaged.write_bytes(damaged.read_bytes()[:-10])  # cut short: copied again from the mirror
    assert main(["fetch", "indonlu-emot", "--verify"]) == 0
    lines = capsys.readouterr().out.splitlines()
    again = [line for line in lines if str(damaged) in line]
    assert len(again) == 1 and "(from the mirror)" in again[0]
    assert sum("(cached)" in line for line in lines) == 2


def assert_one_line_error(capsys, *needles):
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nlptut: error: ")
    assert "Traceback" not in captured.err
    for needle in needles:
        assert needle in lines[0]


def test_fetch_unknown_name_fails_before_fetching(mirror, data_home, capsys):
    assert main(["fetch", "dair-emotion", "emotoin"]) == 2
    assert_one_line_error(capsys, "unknown dataset 'emotoin'", "dair-emotion, indonlu-emot")
    assert not data_home.exists()


def test_fetch_offline_without_mirror(no_mirror, monkeypatch, capsys):
    def get(url, **kwargs):
        raise requests.ConnectionError("no network")

    monkeypatch.setattr(requests, "get", get)
    monkeypatch.setattr(pooch.core.time, "sleep", lambda seconds: None)
    assert main(["fetch", "dair-emotion", "--no-progress"]) == 2
    assert_one_line_error(capsys, "NLPTUT_DATA_MIRROR", "https://www.dropbox.com/", "no network")


@pytest.mark.parametrize("argv", [[], ["bogus"], ["fetch"], ["datasets", "--bad-flag"]])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "usage: nlptut" in capsys.readouterr().err


def test_a_cache_folder_nlptut_cannot_write_is_one_line(mirror, tmp_path, monkeypatch, capsys):
    import os

    if os.geteuid() == 0:
        pytest.skip("root can write a read-only folder")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    monkeypatch.setenv("NLPTUT_DATA", str(locked / "cache"))
    try:
        assert main(["fetch", "indonlu-emot"]) == 2
    finally:
        locked.chmod(0o700)
    assert_one_line_error(capsys, "cannot write the dataset cache", "set NLPTUT_DATA")


def test_a_read_only_disk_for_the_cache_is_one_line(mirror, data_home, monkeypatch, capsys):
    import errno

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(data_home))

    monkeypatch.setattr(pathlib.Path, "mkdir", read_only)
    assert main(["fetch", "indonlu-emot"]) == 2
    assert_one_line_error(capsys, "cannot write the dataset cache", "set NLPTUT_DATA")
