"""Tests of nlptut.datasets: registry, parsers, the verified cache, user data."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import shutil
import time
from pathlib import Path

import pooch
import pytest
import requests

from nlptut import datasets
from nlptut.datasets import (
    DATASETS,
    LabelledData,
    RemoteFile,
    Split,
    cache_dir,
    cached_files,
    dataset_info,
    fetch,
    list_datasets,
    load_dataset,
    read_labelled_file,
    sha256sum,
)
from nlptut.errors import (
    ChecksumMismatch,
    DataFormatError,
    DatasetNotAvailable,
    DataWarning,
    NlptutError,
    UnknownName,
)

# Row and label counts from the mirror's README.
EXPECTED = {
    "dair-emotion": {
        "train": {
            "sadness": 4666,
            "joy": 5362,
            "love": 1304,
            "anger": 2159,
            "fear": 1937,
            "surprise": 572,
        },
        "validation": {
            "sadness": 550,
            "joy": 704,
            "love": 178,
            "anger": 275,
            "fear": 212,
            "surprise": 81,
        },
        "test": {
            "sadness": 581,
            "joy": 695,
            "love": 159,
            "anger": 275,
            "fear": 224,
            "surprise": 66,
        },
    },
    "indonlu-emot": {
        "train": {"anger": 881, "fear": 519, "happy": 814, "love": 509, "sadness": 798},
        "validation": {"anger": 110, "fear": 65, "happy": 102, "love": 64, "sadness": 99},
        "test": {"anger": 110, "fear": 65, "happy": 101, "love": 64, "sadness": 100},
    },
}
SIZES = {"dair-emotion": (16000, 2000, 2000), "indonlu-emot": (3521, 440, 440)}


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def copy_mirror(mirror: Path, dest: Path, name: str = "dair-emotion") -> Path:
    shutil.copytree(mirror / name, dest / name)
    for path in (dest / name).iterdir():
        path.chmod(0o644)
    return dest


class FakeResponse:
    """What ``requests.get`` returns, serving ``data`` in chunks; can fail once
    ``fail_after`` bytes are sent, or answer with an HTTP error ``status``."""

    def __init__(self, data: bytes, fail_after=None, exc=None, status=200, reason="OK"):
        self.data, self.fail_after, self.exc = data, fail_after, exc
        self.status_code, self.reason = status, reason
        self.headers = {"content-length": str(len(data))}

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code} {self.reason}", response=self)

    def iter_content(self, chunk_size: int = 1):
        for start in range(0, len(self.data), chunk_size):
            if self.exc is not None and start >= self.fail_after:
                raise self.exc
            yield self.data[start : start + chunk_size]


def serve(monkeypatch, answer) -> list[str]:
    """Patch ``requests.get`` (what pooch downloads with) to ``answer(url)``, without
    pooch's waits between tries; returns the list of URLs asked for."""
    calls: list[str] = []

    def get(url, timeout=None, **kwargs):
        assert timeout == 30 and kwargs["headers"]["User-Agent"].startswith("nlptut/")
        calls.append(url)
        return answer(url)

    monkeypatch.setattr(requests, "get", get)
    monkeypatch.setattr(pooch.core.time, "sleep", lambda seconds: None)
    return calls


@pytest.fixture
def fake_net(monkeypatch, mirror, no_mirror):
    """Serve the mirror's bytes by URL; returns (the URLs asked for, the failure to inject)."""
    by_url = {
        remote.url: (mirror / info.name / remote.filename).read_bytes()
        for info in list_datasets()
        for remote in info.files
    }
    state = {"fail_after": None, "exc": None}
    calls = serve(
        monkeypatch, lambda url: FakeResponse(by_url[url], state["fail_after"], state["exc"])
    )
    return calls, state


# %% Registry


def test_registry_matches_the_mirror_readme():
    assert [info.name for info in list_datasets()] == [
        "dair-emotion",
        "indonlu-emot",
        "goemotions",
        "indonlu-smsa",
        "indonlu-posp",
        "indonlu-nerp",
    ]
    assert {info.name for info in list_datasets() if info.task == "tagging"} == {
        "indonlu-posp",
        "indonlu-nerp",
    }
    dair, emot = DATASETS["dair-emotion"], DATASETS["indonlu-emot"]
    assert dair.labels == ("sadness", "joy", "love", "anger", "fear", "surprise")
    assert emot.labels == ("sadness", "anger", "love", "fear", "happy")
    for info in (dair, emot):
        assert info.split_sizes() == dict(zip(datasets.SPLITS, SIZES[info.name], strict=True))
        assert all(len(f.sha256) == 64 and f.url.startswith("https://") for f in info.files)
    assert [f.filename for f in dair.files] == ["train.txt", "val.txt", "test.txt"]
    assert dair.format == "semicolon" and emot.format == "csv"
    assert (dair.bibtex_key, emot.bibtex_key) == ("saravia2018carer", "saputri2018emotion")
    assert "CC BY-NC-SA 4.0" in emot.license and "Apache-2.0" in emot.license


@pytest.mark.parametrize("name", ["indonlu-smsa", "indonlu-posp", "indonlu-nerp"])
def test_the_indonlu_files_verify_against_the_mirror(mirror, name):
    paths = datasets.fetch(name, verify=True)
    info = dataset_info(name)
    assert [paths[f.split].name for f in info.files] == [f.filename for f in info.files]
    assert info.bibtex_key in ("hoesen2018investigating", "purwarianti2019improving")
    assert "IndoNLU" in info.citation and "Apache-2.0" in info.license
    metric = "tag_f1" if info.task == "tagging" else "macro_f1"
    assert info.published_scores(metric)["fastText-indo4b"] in (82.13, 94.94, 46.79)


def test_unknown_dataset_lists_the_known_ones():
    with pytest.raises(UnknownName, match="dair-emotion, indonlu-emot") as info:
        dataset_info("dair-emotoin")
    assert "Did you mean 'dair-emotion'" in str(info.value)
    with pytest.raises(UnknownName):
        cache_dir("nope")


# %% Parsers on the real files


@pytest.mark.parametrize("name", list(EXPECTED))
def test_parsers_give_the_readme_counts(mirror, name):
    info = dataset_info(name)
    for remote in info.files:
        texts, labels = read_labelled_file(mirror / name / remote.filename)
        assert len(texts) == len(labels) == remote.rows
        counts = {label: labels.count(label) for label in info.labels}
        assert counts == EXPECTED[name][remote.split]
        assert all(texts)
    if name == "indonlu-emot":  # a quoted tweet spans two lines in the training file
        texts, _ = read_labelled_file(mirror / name / "train_preprocess.csv")
        assert sum("\n" in text for text in texts) == 1


# %% Fetching and the cache


def test_fetch_copies_from_the_mirror_and_verifies(mirror, data_home):
    paths = fetch("dair-emotion")
    assert set(paths) == {"train", "validation", "test"}
    for remote in dataset_info("dair-emotion").files:
        path = paths[remote.split]
        assert path == data_home / "dair-emotion" / remote.filename
        assert sha256sum(path) == remote.sha256
    assert cached_files("dair-emotion") == paths
    assert cached_files("indonlu-emot") == dict.fromkeys(datasets.SPLITS)
    assert not [p for p in files_under(data_home) if p.name.endswith(".part")]


def test_fetch_again_is_a_no_op(mirror, monkeypatch, tmp_path):
    first = fetch("dair-emotion")
    mtimes = {split: path.stat().st_mtime_ns for split, path in first.items()}
    monkeypatch.setenv("NLPTUT_DATA_MIRROR", str(tmp_path / "gone"))  # would fail if used
    monkeypatch.setattr(datasets.cache, "sha256sum", lambda path: pytest.fail("hashed again"))
    assert fetch("dair-emotion") == first
    assert {split: path.stat().st_mtime_ns for split, path in first.items()} == mtimes


def test_an_edit_that_keeps_size_and_mtime_is_still_noticed(mirror):
    paths = fetch("indonlu-emot")
    path = paths["test"]
    before = path.stat()
    blob = bytearray(path.read_bytes())
    blob[10] = ord("X") if blob[10] != ord("X") else ord("Y")
    time.sleep(0.01)  # a later change time
    path.write_bytes(bytes(blob))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # size and mtime as before
    assert path.stat().st_size == before.st_size
    assert cached_files("indonlu-emot")["test"] is None
    fetch("indonlu-emot")  # copied again from the mirror
    assert sha256sum(path) == dataset_info("indonlu-emot").file("test").sha256


def test_fetch_verify_hashes_every_file_again(mirror, monkeypatch):
    fetch("indonlu-emot")
    hashed = []
    real = datasets.cache.sha256sum
    monkeypatch.setattr(datasets.cache, "sha256sum", lambda path: hashed.append(path) or real(path))
    fetch("indonlu-emot")
    assert hashed == []
    fetch("indonlu-emot", verify=True)
    assert len(hashed) == 3


def test_a_damaged_cache_file_is_fetched_again(mirror):
    paths = fetch("dair-emotion")
    with open(paths["test"], "r+b") as f:
        f.write(b"X")
    assert cached_files("dair-emotion")["test"] is None
    fetch("dair-emotion")
    assert sha256sum(paths["test"]) == dataset_info("dair-emotion").file("test").sha256


def test_tampered_mirror_file_raises_and_leaves_nothing(mirror, tmp_path, monkeypatch, data_home):
    bad = copy_mirror(mirror, tmp_path / "mirror")
    train = bad / "dair-emotion" / "train.txt"
    data = bytearray(train.read_bytes())
    data[100] ^= 0x01
    train.write_bytes(bytes(data))
    monkeypatch.setenv("NLPTUT_DATA_MIRROR", str(bad))
    with pytest.raises(ChecksumMismatch) as info:
        fetch("dair-emotion")
    message = str(info.value)
    assert "train.txt" in message and str(train) in message
    assert dataset_info("dair-emotion").file("train").sha256 in message
    assert hashlib.sha256(bytes(data)).hexdigest() in message
    assert files_under(data_home) == []


def test_mirror_without_the_file(mirror, tmp_path, monkeypatch):
    partial = copy_mirror(mirror, tmp_path / "mirror")
    (partial / "dair-emotion" / "val.txt").unlink()
    monkeypatch.setenv("NLPTUT_DATA_MIRROR", str(partial))
    with pytest.raises(DatasetNotAvailable, match="mirror lacks") as info:
        fetch("dair-emotion")
    assert str(partial / "dair-emotion" / "val.txt") in str(info.value)


def test_download_through_pooch(fake_net, data_home):
    calls, _ = fake_net
    paths = fetch("indonlu-emot", progress=False)
    assert calls == [f.url for f in dataset_info("indonlu-emot").files]
    assert cached_files("indonlu-emot") == paths
    assert len(load_dataset("indonlu-emot")["train"]) == 3521
    assert len(calls) == 3  # loading used the cache


def test_interrupted_download_is_retried_then_leaves_nothing(fake_net, data_home):
    calls, state = fake_net
    state.update(fail_after=1 << 16, exc=requests.ConnectionError("connection reset by peer"))
    with pytest.raises(DatasetNotAvailable, match="connection reset by peer") as info:
        fetch("dair-emotion", progress=False)
    assert "after 3 tries" in str(info.value)
    assert len(calls) == 3
    assert files_under(data_home) == []


def test_keyboard_interrupt_mid_download_leaves_nothing(fake_net, data_home):
    calls, state = fake_net
    state.update(fail_after=1 << 16, exc=KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        fetch("dair-emotion", progress=False)
    assert len(calls) == 1
    assert files_under(data_home) == []


def test_server_serving_wrong_bytes(fake_net, monkeypatch, data_home):
    html = b"<html>not the file</html>"
    calls = serve(monkeypatch, lambda url: FakeResponse(html))
    with pytest.raises(ChecksumMismatch, match="https://www.dropbox.com/s/1pzkadrvffbqw6o") as info:
        fetch("dair-emotion", progress=False)
    assert hashlib.sha256(html).hexdigest() in str(info.value)
    assert len(calls) == 3  # a transfer gone wrong may come right: pooch tries three times
    assert files_under(data_home) == []


def test_offline_without_mirror(no_mirror, monkeypatch, data_home):
    def offline(url):
        raise requests.ConnectionError("[Errno -3] Temporary failure in name resolution")

    calls = serve(monkeypatch, offline)
    with pytest.raises(DatasetNotAvailable) as info:
        load_dataset("indonlu-emot")
    message = str(info.value)
    assert "indonlu-emot" in message and "NLPTUT_DATA_MIRROR" in message
    assert dataset_info("indonlu-emot").file("train").url in message
    assert "Temporary failure in name resolution" in message
    assert len(calls) == 3
    assert files_under(data_home) == []


def test_http_404_is_not_retried(no_mirror, monkeypatch):
    calls = serve(monkeypatch, lambda url: FakeResponse(b"", status=404, reason="Not Found"))
    with pytest.raises(DatasetNotAvailable, match="Not Found"):
        fetch("dair-emotion")
    assert len(calls) == 1


# %% Loading the known datasets


def test_load_known_dataset(mirror):
    data = load_dataset("dair-emotion")
    assert isinstance(data, LabelledData)
    assert (data.name, data.language) == ("dair-emotion", "en")
    assert data.labels == dataset_info("dair-emotion").labels
    assert [len(data[s]) for s in datasets.SPLITS] == list(SIZES["dair-emotion"])
    assert data.label_counts("test") == EXPECTED["dair-emotion"]["test"]
    assert data["train"].texts[0] == "i didnt feel humiliated"
    assert data.labels[data["train"].labels[0]] == "sadness"
    path, sha = data.sources["validation"]
    assert path.name == "val.txt" and sha == sha256sum(path)
    with pytest.raises(UnknownName, match="train, validation, test"):
        data["dev"]


def test_limit_keeps_the_first_rows(mirror):
    full = load_dataset("indonlu-emot")
    small = load_dataset("indonlu-emot", limit=7)
    for split in datasets.SPLITS:
        assert small[split].texts == full[split].texts[:7]
        assert small[split].labels == full[split].labels[:7]
    with pytest.raises(ValueError, match="positive integer"):
        load_dataset("indonlu-emot", limit=0)


def test_first_cuts_one_split_and_keeps_the_others_whole(mirror):
    full = load_dataset("indonlu-emot")
    part = full.first(7)
    assert part["train"].texts == full["train"].texts[:7]
    assert part["train"].labels == full["train"].labels[:7]
    for split in ("validation", "test"):
        assert part[split].texts == full[split].texts
    assert part.labels == full.labels and part.sources == full.sources
    assert len(full["train"]) > 7  # the original is untouched
    assert len(full.first(5, "test")["test"]) == 5
    with pytest.raises(ValueError, match="at least 1"):
        full.first(0)
    with pytest.raises(UnknownName):
        full.first(3, "dev")


def test_unknown_label_in_a_known_dataset(tmp_path, monkeypatch):
    mirror = tmp_path / "mirror"
    (mirror / "tiny").mkdir(parents=True)
    files = []
    for split, name in zip(datasets.SPLITS, ("train.txt", "val.txt", "test.txt"), strict=True):
        body = b"a fine day;joy\nso sad;sadness\n" + (b"what;bored\n" if split == "test" else b"")
        (mirror / "tiny" / name).write_bytes(body)
        rows = body.count(b"\n")
        sha = hashlib.sha256(body).hexdigest()
        files.append(RemoteFile(split, name, f"https://example.org/{name}", sha, rows))
    info = dataclasses.replace(
        DATASETS["dair-emotion"], name="tiny", labels=("sadness", "joy"), files=tuple(files)
    )
    monkeypatch.setitem(DATASETS, "tiny", info)
    monkeypatch.setenv("NLPTUT_DATA_MIRROR", str(mirror))
    with pytest.raises(DataFormatError, match=r"test\.txt, line 3: unknown label 'bored'"):
        load_dataset("tiny")


# %% A user's own data


def write_rows(path: Path, header: str, rows: list[tuple[str, str]], sep: str = ",") -> Path:
    lines = [header] + [f"{text}{sep}{label}" for text, label in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


ROWS = [(f"text number {i}", ["joy", "anger", "fear"][i % 3]) for i in range(30)]


def test_user_csv_is_split_80_10_10_stratified(tmp_path):
    path = tmp_path / "mine.csv"
    rows = [(f'"{text}, quoted"', label) for text, label in ROWS]
    write_rows(path, "text,label", rows)
    data = load_dataset(path, seed=1)
    assert data.name == "mine" and data.language is None
    assert data.labels == ("anger", "fear", "joy")
    assert [len(data[s]) for s in datasets.SPLITS] == [24, 3, 3]
    assert data.label_counts("test") == {"anger": 1, "fear": 1, "joy": 1}
    assert data.sources["train"] == (path, sha256sum(path))
    all_texts = sorted(t for s in datasets.SPLITS for t in data[s].texts)
    assert all_texts == sorted(f"{text}, quoted" for text, _ in ROWS)
    assert load_dataset(path, seed=1)["train"].texts == data["train"].texts
    assert load_dataset(str(path), seed=2)["train"].texts != data["train"].texts


def test_user_tsv_with_other_column_names(tmp_path):
    path = write_rows(tmp_path / "mine.tsv", "id\temotion\tsentence", [], sep="\t")
    lines = [f"{i}\t{label}\t{text}" for i, (text, label) in enumerate(ROWS)]
    path.write_text(path.read_text() + "\n".join(lines) + "\n", encoding="utf-8")
    texts, labels = read_labelled_file(path)
    assert texts == [t for t, _ in ROWS] and labels == [lab for _, lab in ROWS]
    assert len(load_dataset(path)["train"]) == 24


def test_user_txt_splits_on_the_last_semicolon(tmp_path):
    path = tmp_path / "notes.txt"
    rows = [(f"well; {text}", label) for text, label in ROWS]
    write_rows(path, "first; line;joy", rows, sep=";")
    texts, labels = read_labelled_file(path)
    assert texts[0] == "first; line" and labels[0] == "joy"
    assert texts[1] == "well; text number 0"
    assert len(texts) == 31


@pytest.mark.parametrize("header", ["text;label", "Tweet;Emotion", "\ufefftext;label"])
def test_user_txt_first_line_naming_the_columns_is_not_an_example(tmp_path, header):
    path = tmp_path / "notes.txt"
    write_rows(path, header, ROWS, sep=";")
    texts, labels = read_labelled_file(path)
    assert texts == [t for t, _ in ROWS] and "label" not in {lab.lower() for lab in labels}
    assert "label" not in load_dataset(path).labels


def test_user_txt_header_only_on_the_first_line(tmp_path):
    path = tmp_path / "notes.txt"
    write_rows(path, "a first text;joy", [*ROWS[:10], ("text", "label")], sep=";")
    texts, labels = read_labelled_file(path)
    assert (texts[0], texts[-1], labels[-1]) == ("a first text", "text", "label")


@pytest.mark.parametrize("label", ["\x1b[31mjoy", '"joy\nsad"'])
def test_a_label_with_a_control_character_is_refused(tmp_path, label):
    path = write_rows(tmp_path / "colours.csv", "text,label", [*ROWS[:12], ("so glad", label)])
    with pytest.raises(DataFormatError, match=r"colours\.csv, line 14: .*control character"):
        load_dataset(path)


def test_tiny_classes_fall_back_to_an_unstratified_split(tmp_path):
    rows = [(f"t{i}", "joy") for i in range(9)] + [("lonely", "fear")]
    data = load_dataset(write_rows(tmp_path / "ten.csv", "text,label", rows))
    assert [len(data[s]) for s in datasets.SPLITS] == [8, 1, 1]
    assert data.labels == ("fear", "joy")


def test_user_folder(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    write_rows(folder / "train.csv", "text,label", ROWS)
    write_rows(folder / "val.txt", "ok;joy", [("bad;surprise", "anger")], sep=";")
    write_rows(folder / "test.tsv", "text\tlabel", [("meh", "fear")], sep="\t")
    (folder / "README.md").write_text("ignored")
    data = load_dataset(folder)
    assert data.name == "corpus"
    assert data.labels == ("anger", "fear", "joy")  # "surprise" is part of a text here
    assert [len(data[s]) for s in datasets.SPLITS] == [30, 2, 1]
    assert data["validation"].texts == ["ok", "bad;surprise"]
    assert data.sources["test"][0] == folder / "test.tsv"


def test_user_folder_without_validation_carves_it_from_train(tmp_path):
    folder = tmp_path / "two"
    folder.mkdir()
    write_rows(folder / "train.csv", "text,label", ROWS)
    write_rows(folder / "test.csv", "text,label", ROWS[:5])
    data = load_dataset(folder)
    assert [len(data[s]) for s in datasets.SPLITS] == [27, 3, 5]
    assert data.sources["validation"] == data.sources["train"]


def test_mirror_folder_loads_as_user_data(mirror):
    data = load_dataset(mirror / "indonlu-emot")
    assert data.labels == ("anger", "fear", "happy", "love", "sadness")
    assert [len(data[s]) for s in datasets.SPLITS] == list(SIZES["indonlu-emot"])


def test_user_folder_problems(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    write_rows(folder / "train.csv", "text,label", ROWS)
    with pytest.raises(DataFormatError, match="no test file"):
        load_dataset(folder)
    write_rows(folder / "test.csv", "text,label", ROWS)
    write_rows(folder / "test.txt", "a;b", [], sep=";")
    with pytest.raises(DataFormatError, match=r"several files .*test\.csv, test\.txt"):
        load_dataset(folder)


def test_a_folder_whose_training_file_has_one_label_is_refused(tmp_path):
    # the other labels only in validation and test: a model would learn nothing
    folder = tmp_path / "f"
    folder.mkdir()
    write_rows(folder / "train.csv", "text,label", [(f"text {i}", "joy") for i in range(20)])
    write_rows(folder / "valid.csv", "text,label", [("so sad", "sadness"), ("so glad", "joy")])
    write_rows(folder / "test.csv", "text,label", [("so sad", "sadness"), ("so glad", "joy")])
    with pytest.raises(DataFormatError, match=r"train\.csv: every training example has the label"):
        load_dataset(folder)


BAD_INPUTS = [
    ("empty.csv", b"", r"empty\.csv: the file is empty"),
    ("blank.txt", b"\n  \n", r"blank\.txt: the file is empty"),
    ("header.csv", b"text,label\n", r"header\.csv: the file has a header but no rows"),
    ("nolabel.csv", b"text,score\nhi,1\n", r"nolabel\.csv, line 1: expected a label column"),
    ("notext.tsv", b"body\tlabel\nhi\tjoy\n", r"notext\.tsv, line 1: expected a text column"),
    (
        "emptytext.csv",
        b'text,label\nok,joy\n"a\nb",joy\n ,joy\n',
        r"emptytext\.csv, line 5: the 'text' field is empty",
    ),
    ("emptylabel.csv", b"text,label\nok,joy\nhi,\n", r"emptylabel\.csv, line 3: the 'label' field"),
    ("fields.csv", b"text,label\nhi, there,joy\n", r"fields\.csv, line 2: expected 2 fields"),
    ("quote.csv", b'text,label\nok,joy\n"never closed,joy\n', r"quote\.csv, line 3: malformed CSV"),
    ("nosemi.txt", b"ok;joy\n\nno semicolon here\n", r"nosemi\.txt, line 3: .* has no `;`"),
    ("notext.txt", b"ok;joy\n  ;joy\n", r"notext\.txt, line 2: the text before `;` is empty"),
    ("nolabel.txt", b"ok;joy\nhi; \n", r"nolabel\.txt, line 2: the label after `;` is empty"),
    ("latin1.txt", b"ok;joy\nfine;joy\ncaf\xe9;joy\n", r"latin1\.txt, line 3: byte b'\\xe9'"),
    ("latin1.csv", b'text,label\n"a\nb",joy\ncaf\xe9,joy\n', r"latin1\.csv, line 4: .*UTF-8"),
    ("few.csv", b"text,label\n" + b"hi,joy\n" * 9, r"few\.csv: only 9 examples; at least 10"),
    ("data.json", b"{}", r"data\.json: cannot tell the format"),
]


@pytest.mark.parametrize(("filename", "content", "message"), BAD_INPUTS, ids=lambda v: str(v)[:12])
def test_bad_user_files_name_the_file_and_line(tmp_path, filename, content, message):
    path = tmp_path / filename
    path.write_bytes(content)
    with pytest.raises(DataFormatError, match=message) as info:
        load_dataset(path)
    assert "fix:" in str(info.value)
    assert isinstance(info.value, NlptutError)


def test_missing_path_and_unknown_name(tmp_path):
    with pytest.raises(DatasetNotAvailable, match="no such file or folder: .*nothere.csv"):
        load_dataset(tmp_path / "nothere.csv")
    with pytest.raises(DatasetNotAvailable, match="nothere.txt"):
        load_dataset("nothere.txt")
    with pytest.raises(UnknownName, match="known datasets: dair-emotion, indonlu-emot") as info:
        load_dataset("emotions")
    assert ".csv, .tsv or .txt file" in str(info.value) and "also accepted" in str(info.value)


def test_split_checks_its_lengths():
    with pytest.raises(ValueError, match="2 texts but 1 labels"):
        Split(["a", "b"], [0])
    assert len(Split(["a"], [0])) == 1


def test_loaded_files_records_what_was_read(mirror, data_home, tmp_path, monkeypatch):
    from nlptut.datasets import PROVENANCE_LOG_ENV, loaded_files

    log = tmp_path / "provenance.jsonl"
    monkeypatch.setenv(PROVENANCE_LOG_ENV, str(log))
    before = len(loaded_files())
    data = load_dataset("indonlu-emot")
    new = loaded_files()[before:]
    assert [item.split for item in new] == ["train", "validation", "test"]
    assert all(item.dataset == "indonlu-emot" for item in new)
    assert {item.split: item.sha256 for item in new} == {
        split: digest for split, (_, digest) in data.sources.items()
    }
    lines = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert [line["split"] for line in lines] == ["train", "validation", "test"]


def test_published_results_are_recorded_for_emot():
    scores = dataset_info("indonlu-emot").published_scores("macro_f1")
    assert len(scores) == 10
    assert scores["Scratch"] == 57.31
    assert scores["IndoBERT large, phase 2"] == 79.47
    assert dataset_info("indonlu-emot").published_scores("accuracy") == {}


def test_published_results_are_recorded_for_dair_emotion():
    scores = dataset_info("dair-emotion").published_scores("accuracy")
    assert scores == {"BERT-base": 94.05, "DistilBERT": 93.8, "RoBERTa-base": 93.95}
    assert dataset_info("dair-emotion").published_scores("macro_f1") == {}


def test_every_published_source_is_in_the_bibliography():
    bib = (Path(__file__).parents[1] / "docs" / "references.bib").read_text(encoding="utf-8")
    keys = set(re.findall(r"^@\w+\{([^,]+),", bib, flags=re.MULTILINE))
    sources = {r.source for info in list_datasets() for r in info.published}
    assert sources, "no published results recorded"
    assert sources <= keys, f"sources missing from docs/references.bib: {sources - keys}"


# %% Data that loads but would train the wrong thing


@pytest.mark.parametrize(
    "variant",
    [" joy", "joy ", "joy\u200b", "\ufeffjoy", "jo\u0079"],
    ids=["space-before", "space-after", "zero-width-space", "bom", "plain"],
)
def test_labels_are_normalised_before_they_become_classes(tmp_path, variant):
    rows = [(text, variant if label == "joy" else label) for text, label in ROWS]
    rows[0] = (rows[0][0], "joy")
    data = load_dataset(write_rows(tmp_path / "mine.csv", "text,label", rows))
    assert data.labels == ("anger", "fear", "joy")


def test_labels_in_nfd_and_nfc_are_one_class(tmp_path):
    rows = [(text, "cafe\u0301" if i % 2 else "caf\u00e9") for i, (text, _) in enumerate(ROWS)]
    rows[0] = (rows[0][0], "other")
    data = load_dataset(write_rows(tmp_path / "mine.csv", "text,label", rows))
    assert data.labels == ("caf\u00e9", "other")


def test_labels_that_differ_only_in_case_are_kept_apart_with_a_warning(tmp_path):
    rows = [(text, label.capitalize() if i % 2 else label) for i, (text, label) in enumerate(ROWS)]
    path = write_rows(tmp_path / "mine.csv", "text,label", rows)
    with pytest.warns(DataWarning, match=r"mine.csv: .*'Anger', 'anger'"):
        data = load_dataset(path)
    assert len(data.labels) == 6


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([(text, "joy") for text, _ in ROWS], "every example has the label 'joy'"),
        ([(label, text) for text, label in ROWS], "30 different values in 30 rows"),
        ([*ROWS[:15], ("text", "label"), *ROWS[15:]], "line 17: this row repeats the header"),
    ],
    ids=["one-class", "swapped-columns", "repeated-header"],
)
def test_data_no_classifier_can_use_is_refused(tmp_path, rows, message):
    path = write_rows(tmp_path / "mine.csv", "text,label", rows)
    with pytest.raises(DataFormatError, match=message) as exc:
        load_dataset(path)
    assert "\n" not in str(exc.value) and "fix:" in str(exc.value)


def test_a_fifo_is_refused_without_hanging(tmp_path):
    fifo = tmp_path / "data.csv"
    os.mkfifo(fifo)
    with pytest.raises(DataFormatError, match="not a regular file"):
        load_dataset(fifo)


def test_a_user_file_is_read_once(tmp_path, monkeypatch):
    path = write_rows(tmp_path / "mine.csv", "text,label", ROWS)
    reads = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: reads.append(self) or real(self))
    data = load_dataset(path)
    assert reads == [path]
    assert data.sources["train"] == (path, sha256sum(path))


def test_partial_files_of_killed_runs_are_swept(mirror, data_home):
    folder = data_home / "indonlu-emot"
    folder.mkdir(parents=True)
    dead, live = folder / "tmpab12cd34", folder / "tmpef56gh78"  # pooch's temporary files
    old = folder / ".test_preprocess.csv.abc.part"  # nlptut's, before pooch
    for part in (dead, live, old):
        part.write_bytes(b"half a file")
    an_hour_ago = time.time() - 3600
    for part in (dead, old):
        os.utime(part, (an_hour_ago, an_hour_ago))
    fetch("indonlu-emot")
    assert not dead.exists() and not old.exists() and live.exists()


# %% Restricting and combining


def _toy(name: str, labels: tuple[str, ...], rows: list[tuple[str, str]]) -> LabelledData:
    split = Split([t for t, _ in rows], [labels.index(y) for _, y in rows])
    return LabelledData(name, labels, {"train": split, "validation": split, "test": split}, "en")


def test_only_keeps_the_named_labels_in_the_order_given():
    data = _toy("a", ("love", "joy", "sadness"), [("x", "love"), ("y", "sadness"), ("z", "joy")])
    kept = data.only(["sadness", "joy"])
    assert kept.labels == ("sadness", "joy")
    assert kept["train"].texts == ["y", "z"] and kept["train"].labels == [0, 1]
    with pytest.raises(UnknownName, match="neutral"):
        data.only(["joy", "neutral"])


def test_combined_joins_split_by_split_and_needs_the_same_labels():
    a = _toy("a", ("joy", "sadness"), [("x", "joy")])
    b = _toy("b", ("joy", "sadness"), [("y", "sadness")])
    both = a.combined(b)
    assert both.name == "a+b" and both["test"].texts == ["x", "y"]
    assert both["test"].labels == [0, 1]
    with pytest.raises(ValueError, match="only"):
        a.combined(_toy("c", ("sadness", "joy"), [("y", "joy")]))


# %% Sampling and extra training texts --------------------------------------


def _small() -> LabelledData:
    texts = [f"text {i}" for i in range(10)]
    split = Split(texts, [i % 2 for i in range(10)])
    return LabelledData("small", ("a", "b"), {"train": split, "validation": split, "test": split})


def test_sampled_draws_the_same_sample_for_the_same_seed():
    data = _small()
    one, again, other = data.sampled(4, 0), data.sampled(4, 0), data.sampled(4, 1)
    assert one["train"] == again["train"] and len(one["train"]) == 4
    assert one["train"].texts != other["train"].texts
    assert set(one["train"].texts) <= set(data["train"].texts)
    assert one["test"] == data["test"]  # the other splits stay whole
    assert len(data.sampled(99, 0)["train"]) == 10
    assert data.sampled(3, 0, split="test")["train"] == data["train"]
    with pytest.raises(ValueError, match="at least 1"):
        data.sampled(0, 0)


def test_with_extra_training_grows_the_training_split_only():
    data = _small()
    grown = data.with_extra_training(["new one", "new two"], ["b", "a"])
    assert grown["train"].texts[-2:] == ["new one", "new two"]
    assert grown.labels_of("train")[-2:] == ["b", "a"]
    assert grown["validation"] == data["validation"] and grown["test"] == data["test"]
    assert len(data["train"]) == 10  # the original is unchanged
    with pytest.raises(UnknownName, match=r"pairs.tsv: label 'love' of text 2 is not one of small"):
        data.with_extra_training(["x", "y"], ["a", "love"], source="pairs.tsv")
