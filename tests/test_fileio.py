"""nlptut.fileio: files written whole or not at all, their hashes, leftovers swept."""

from __future__ import annotations

import hashlib
import os
import stat
import time

import pytest

from nlptut.fileio import STALE_SECONDS, replacing, sha256_file, sweep_stale, write_text_atomic


def test_sha256_file_matches_hashlib_across_chunks(tmp_path):
    data = os.urandom(200_000)  # several chunks
    path = tmp_path / "blob"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()


def test_replacing_moves_the_new_file_in_with_the_usual_permissions(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("old")
    old_umask = os.umask(0o027)
    try:
        with replacing(target) as tmp:
            assert tmp.parent == tmp_path and tmp.name.startswith(".notes.txt.")
            tmp.write_text("new")
            assert target.read_text() == "old"  # untouched until the block ends
    finally:
        os.umask(old_umask)
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "model.onnx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError, match="disk full"), replacing(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("disk full")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["model.onnx"]


def test_write_text_atomic_with_an_encoding_and_sync(tmp_path):
    target = tmp_path / "vocab.json"
    write_text_atomic(target, "émotion\n", sync=True)
    assert target.read_text(encoding="utf-8") == "émotion\n"
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(target, "émotion", encoding="ascii")
    assert target.read_text(encoding="utf-8") == "émotion\n"  # the failed write changed nothing
    assert len(list(tmp_path.iterdir())) == 1


def test_sweep_stale_removes_only_old_leftovers_of_the_kind_asked(tmp_path):
    old = time.time() - STALE_SECONDS - 60
    stale_file, fresh_file = tmp_path / ".a.csv.1.part", tmp_path / ".a.csv.2.part"
    stale_dir = tmp_path / ".model.tmp-1"
    for path in (stale_file, fresh_file):
        path.write_text("x")
    stale_dir.mkdir()
    (stale_dir / "weights.pt").write_text("x")
    for path in (stale_file, stale_dir):
        os.utime(path, (old, old))
    link = tmp_path / ".a.csv.3.part"
    link.symlink_to(stale_file)

    sweep_stale(tmp_path, ".model.tmp-*")  # files only: the folder stays
    assert stale_dir.exists()
    sweep_stale(tmp_path, ".model.tmp-*", dirs=True)
    assert not stale_dir.exists()
    sweep_stale(tmp_path, ".a.csv.*.part")
    assert not stale_file.exists() and fresh_file.exists()
    assert link.is_symlink()  # a link is never followed or removed
