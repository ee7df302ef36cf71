"""Checkpoint folders against careless and hostile input: nlptut.checkpoint via TextClassifier."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from nlptut import checkpoint
from nlptut.checkpoint import manifest_digest
from nlptut.classifier import TextClassifier
from nlptut.datasets import LabelledData, Split, sha256sum
from nlptut.errors import CheckpointError

TRAIN = [("i feel happy and glad today", 1), ("i feel sad and lonely", 0)] * 10


def _data() -> LabelledData:
    split = Split([t for t, _ in TRAIN], [y for _, y in TRAIN])
    splits = {"train": split, "validation": split, "test": split}
    return LabelledData(name="toy", labels=("sadness", "joy"), splits=splits, language="en")


@pytest.fixture(scope="module")
def nbow():
    classifier, _ = TextClassifier.fit(_data(), "nbow", epochs=2, progress=False)
    return classifier


@pytest.fixture(scope="module")
def rules():
    classifier, _ = TextClassifier.fit(_data(), "keywords")
    return classifier


def _edit(folder: Path, change, *, resign: bool) -> None:
    """Change config.json with ``change(config)``; ``resign`` recomputes its hash."""
    path = folder / "config.json"
    config = json.loads(path.read_text(encoding="utf-8"))
    change(config)
    if resign:
        config["manifest_sha256"] = manifest_digest(config)
    path.write_text(json.dumps(config), encoding="utf-8")


def _restamp(folder: Path, path: Path) -> None:
    """Record ``path``'s new sha256 in a re-hashed manifest (a deliberate, consistent edit)."""
    _edit(folder, lambda c: c["files"].update({path.name: sha256sum(path)}), resign=True)


def _one_line(exc: pytest.ExceptionInfo) -> str:
    message = str(exc.value)
    assert "\n" not in message
    return message


# -- the manifest is verified -------------------------------------------------


@pytest.mark.parametrize(
    "change",
    [
        lambda c: c["files"].pop("model.safetensors"),
        lambda c: c.update(files={}),
        lambda c: c.update(labels=c["labels"][::-1]),
        lambda c: c.update(max_len=-1),
        lambda c: c["model_config"].update(embed_dim="64"),
    ],
    ids=["weights-entry-removed", "files-emptied", "labels-swapped", "max-len", "embed-dim"],
)
def test_an_edited_manifest_is_refused(nbow, tmp_path, change):
    out = nbow.save(tmp_path / "ck")
    _edit(out, change, resign=False)
    with pytest.raises(CheckpointError, match="manifest_sha256") as exc:
        TextClassifier.load(out)
    _one_line(exc)


def test_a_flipped_byte_is_found_even_if_the_manifest_stops_listing_the_file(nbow, tmp_path):
    out = nbow.save(tmp_path / "ck")
    weights = out / "model.safetensors"
    blob = bytearray(weights.read_bytes())
    blob[-1] ^= 0xFF
    weights.write_bytes(bytes(blob))
    _edit(out, lambda c: c["files"].pop("model.safetensors"), resign=True)
    with pytest.raises(CheckpointError, match="manifest lists vocab.json"):
        TextClassifier.load(out)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda c: c["files"].update({"../../../../etc/passwd": "0" * 64}), "not a checkpoint"),
        (lambda c: c.update(files=["model.safetensors"]), "'files' must map"),
        (lambda c: c.update(labels=["joy", "joy"]), "two or more different"),
        (lambda c: c.update(labels="joy"), "two or more different"),
        (lambda c: c.update(max_len=0), "max_len"),
        (lambda c: c.update(max_len="abc"), "max_len"),
        (lambda c: c.update(max_len=None), "max_len"),
        (lambda c: c.update(info="a string"), "'info'"),
        (lambda c: c.update(model="gpt"), "unknown model"),
        (lambda c: c["model_config"].update(embed_dim="64"), "invalid model_config"),
        (lambda c: c["model_config"].update(embed_dim=-5), "invalid model_config"),
        (lambda c: c["model_config"].update(dropout=5), "invalid model_config"),
        (lambda c: c["model_config"].update(surprise=1), "invalid model_config"),
        (lambda c: c.update(model_config=[1, 2]), "invalid model_config"),
        (lambda c: c["model_config"].update(embed_dim=10**9), "do not fit"),
        (lambda c: c["model_config"].update(num_classes=5), "belong together"),
        (lambda c: c.update(version=1), "version 1 is not supported"),
    ],
)
def test_a_consistent_but_invalid_manifest_gives_one_line(nbow, tmp_path, change, message):
    """Even a manifest whose hash was recomputed cannot lead outside the folder or crash."""
    out = nbow.save(tmp_path / "ck")
    _edit(out, change, resign=True)
    with pytest.raises(CheckpointError, match=message) as exc:
        TextClassifier.load(out)
    _one_line(exc)


def test_keyword_labels_must_match_the_manifest(rules, tmp_path):
    out = rules.save(tmp_path / "rules")
    path = out / "keywords.json"
    saved = json.loads(path.read_text(encoding="utf-8"))
    saved["labels"] = saved["labels"][::-1]
    path.write_text(json.dumps(saved), encoding="utf-8")
    _restamp(out, path)
    with pytest.raises(CheckpointError, match="differ from config.json's"):
        TextClassifier.load(out)


def test_a_broken_keyword_file_is_one_line(rules, tmp_path):
    out = rules.save(tmp_path / "rules")
    path = out / "keywords.json"
    path.write_text('{"labels": 3}', encoding="utf-8")
    _restamp(out, path)
    with pytest.raises(CheckpointError, match="not a valid keyword model"):
        TextClassifier.load(out)


# -- only plain files inside the folder are read ------------------------------


@pytest.mark.parametrize("name", ["vocab.json", "config.json", "model.safetensors"])
def test_a_symbolic_link_inside_the_checkpoint_is_refused(nbow, tmp_path, name):
    out = nbow.save(tmp_path / "ck")
    real = tmp_path / f"elsewhere-{name}"
    (out / name).rename(real)
    (out / name).symlink_to(real)
    with pytest.raises(CheckpointError, match="not a regular file"):
        TextClassifier.load(out)


def test_a_fifo_inside_the_checkpoint_is_refused_without_hanging(nbow, tmp_path):
    out = nbow.save(tmp_path / "ck")
    (out / "model.safetensors").unlink()
    os.mkfifo(out / "model.safetensors")
    with pytest.raises(CheckpointError, match="not a regular file"):
        TextClassifier.load(out)


def test_a_deeply_nested_config_is_one_line(nbow, tmp_path, capsys):
    from nlptut.cli import main

    out = nbow.save(tmp_path / "ck")
    (out / "config.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    with pytest.raises(CheckpointError, match="nested too deeply") as exc:
        TextClassifier.load(out)
    _one_line(exc)
    assert main(["predict", str(out), "hello"]) == 2
    assert capsys.readouterr().err.strip().count("\n") == 0


# -- --out and --force -----------------------------------------------------


def test_force_refuses_a_checkpoint_with_files_nlptut_did_not_write(nbow, tmp_path):
    out = nbow.save(tmp_path / "ck")
    (out / "notes.txt").write_text("my notes")
    (out / "metrics.json").write_text("{}")
    with pytest.raises(CheckpointError, match=r"did not write \(metrics.json, notes.txt\)"):
        nbow.save(out, force=True)
    assert (out / "notes.txt").read_text() == "my notes"
    assert TextClassifier.load(out).model_name == "nbow"  # extra files do not stop a load


def test_force_replaces_a_clean_checkpoint(nbow, rules, tmp_path):
    out = nbow.save(tmp_path / "ck")
    rules.save(out, force=True)
    assert TextClassifier.load(out).model_name == "keywords"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ck"]


def test_force_keeps_a_file_with_a_reserved_name_that_the_manifest_does_not_list(rules, tmp_path):
    out = rules.save(tmp_path / "ck")  # keyword rules: no tokenizer.json of nlptut's
    (out / "tokenizer.json").write_text('{"mine": true}')
    with pytest.raises(CheckpointError, match=r"did not write \(tokenizer.json\)"):
        rules.save(out, force=True)
    assert (out / "tokenizer.json").read_text() == '{"mine": true}'


@pytest.mark.parametrize("exchange", [True, False], ids=["atomic exchange", "two renames"])
def test_force_replaces_the_old_checkpoint_without_a_gap(
    nbow, rules, tmp_path, monkeypatch, exchange
):
    if exchange:
        (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
        if not checkpoint._exchange(tmp_path / "a", tmp_path / "b"):
            pytest.skip("this system cannot exchange two folders atomically")
        (tmp_path / "a").rmdir(), (tmp_path / "b").rmdir()
    else:
        monkeypatch.setattr(checkpoint, "_exchange", lambda a, b: False)
    out = nbow.save(tmp_path / "ck")
    seen = []
    real_replace = os.replace

    def watching(a, b):  # where the old checkpoint is at each rename
        seen.append(TextClassifier.load(out).model_name if out.exists() else None)
        return real_replace(a, b)

    monkeypatch.setattr(checkpoint.os, "replace", watching)
    rules.save(out, force=True)
    assert TextClassifier.load(out).model_name == "keywords"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ck"]
    # one atomic step: never an instant without a checkpoint at ck; two renames
    # leave a gap between them, which the recovery below covers
    assert seen == ([] if exchange else ["nbow", None])


@pytest.mark.parametrize("killed_after", ["first rename", "second rename"])
def test_a_save_killed_between_its_renames_loses_nothing(nbow, rules, tmp_path, killed_after):
    """A --force save killed (SIGKILL: no clean-up runs) at each rename of the two-rename path."""
    out = nbow.save(tmp_path / "ck")
    aside = tmp_path / ".ck.old-99999"
    os.rename(out, aside)  # the first rename happened
    long_ago = time.time() - 3600  # old enough to look like a stale leftover
    os.utime(aside, (long_ago, long_ago))
    if killed_after == "second rename":  # the new folder is in place; the old one not yet removed
        rules.save(tmp_path / "new")
        os.rename(tmp_path / "new", out)
    expected = "nbow" if killed_after == "first rename" else "keywords"
    assert TextClassifier.load(out).model_name == expected  # loading restores it
    rules.save(out, force=True)  # and the next save replaces it, then sweeps the leftover
    assert TextClassifier.load(out).model_name == "keywords"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ck"]


def test_the_next_save_restores_an_old_checkpoint_left_aside(nbow, rules, tmp_path):
    out = nbow.save(tmp_path / "ck")
    aside = tmp_path / ".ck.old-99999"
    os.rename(out, aside)
    long_ago = time.time() - 3600
    os.utime(aside, (long_ago, long_ago))
    with pytest.raises(CheckpointError, match="already exists"):
        rules.save(out)  # the restored checkpoint is not overwritten without --force
    assert TextClassifier.load(out).model_name == "nbow" and not aside.exists()


@pytest.mark.parametrize("dangling", [False, True])
def test_out_at_a_symbolic_link_is_refused(nbow, tmp_path, dangling):
    real = tmp_path / "real"
    if not dangling:
        real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    with pytest.raises(CheckpointError, match="is a symbolic link") as exc:
        nbow.save(link)
    _one_line(exc)
    assert link.is_symlink() and sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["link"] + ([] if dangling else ["real"])
    )


def test_out_in_the_current_folder_or_under_a_file_is_refused(nbow, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for out in (Path("."), Path(".."), tmp_path):
        with pytest.raises(CheckpointError, match="current folder"):
            nbow.save(out)
    (tmp_path / "afile").write_text("x")
    with pytest.raises(CheckpointError, match="is a file, not a folder"):
        nbow.save(tmp_path / "afile" / "ck")


def test_out_where_nothing_can_be_written_is_refused(nbow, tmp_path, monkeypatch):
    monkeypatch.setattr(checkpoint.os, "access", lambda path, mode: False)
    with pytest.raises(CheckpointError, match="not writable"):
        nbow.save(tmp_path / "new" / "ck")
    assert not (tmp_path / "new").exists()


def test_leftovers_of_killed_runs_are_swept_but_not_fresh_ones(nbow, tmp_path):
    old = tmp_path / ".ck.tmp-dead"
    fresh = tmp_path / ".ck.tmp-live"
    for folder in (old, fresh):
        folder.mkdir()
        (folder / "model.safetensors").write_bytes(b"half")
    an_hour_ago = time.time() - 3600
    os.utime(old, (an_hour_ago, an_hour_ago))
    nbow.save(tmp_path / "ck")
    assert not old.exists() and fresh.exists()


def test_a_checkpoint_gets_the_permissions_of_any_new_folder(nbow, tmp_path):
    umask = os.umask(0o022)
    try:
        out = nbow.save(tmp_path / "ck")
    finally:
        os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o755
    assert {f.name: f.stat().st_mode & 0o777 for f in out.iterdir()} == dict.fromkeys(
        ["config.json", "model.safetensors", "vocab.json"], 0o644
    )
